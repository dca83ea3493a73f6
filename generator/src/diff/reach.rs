//! Which operations reach each component, and in which direction, by following `$ref`s.
//!
//! A change inside a shared component is reported once, at the component; this map says which
//! operations it affects and whether values of the component are sent (request parameters and
//! bodies), received (responses), or both. Both versions are walked and merged, so a component
//! that an operation stops using is still reported against it.

use super::canon::{self, Canon, Side};
use crate::spec::METHODS;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Whether values are sent, received, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Dir {
    pub request: bool,
    pub response: bool,
}

impl Dir {
    pub const REQUEST: Dir = Dir { request: true, response: false };
    pub const RESPONSE: Dir = Dir { request: false, response: true };

    pub fn union(self, other: Dir) -> Dir {
        Dir { request: self.request || other.request, response: self.response || other.response }
    }
}

/// An operation: its canonical id (`GET /users/{}`) orders as path, then method.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct OpKey {
    pub path: String,
    pub method: usize,
}

impl OpKey {
    pub fn new(method: &str, path: &str) -> Self {
        OpKey {
            path: canon::template(path),
            method: METHODS.iter().position(|m| *m == method).unwrap_or(METHODS.len()),
        }
    }

    /// A webhook's key (see `Reach::build`).
    pub fn webhook(method: &str, name: &str) -> Self {
        OpKey {
            path: format!("webhook {name}"),
            method: METHODS.iter().position(|m| *m == method).unwrap_or(METHODS.len()),
        }
    }

    /// The id used in Rust surface keys.
    pub fn id(&self) -> String {
        let m = METHODS.get(self.method).copied().unwrap_or("?");
        canon::op_id(m, &self.path)
    }
}

#[derive(Default)]
pub(crate) struct Reach {
    /// Canonical component pointer (`/components/schemas/User`) -> operations and direction.
    by_component: BTreeMap<String, BTreeMap<OpKey, Dir>>,
    /// `GET /users/{id}`, spelled as the new version writes it when it has the operation.
    labels: BTreeMap<OpKey, String>,
}

impl Reach {
    pub fn build(canon: &Canon<'_>) -> Reach {
        let mut reach = Reach::default();
        for side in [Side::Old, Side::New] {
            let doc = canon.doc(side);
            let Some(paths) = doc.get("paths").and_then(Value::as_object) else { continue };
            for (path, item) in paths {
                let item = canon::deref(doc, item);
                for method in METHODS {
                    let Some(op) = item.get(method) else { continue };
                    let key = OpKey::new(method, path);
                    let label = format!("{} {path}", method.to_ascii_uppercase());
                    if side == Side::New || !reach.labels.contains_key(&key) {
                        reach.labels.insert(key.clone(), label);
                    }
                    let mut walk = Walk { canon, side, seen: BTreeSet::new(), found: BTreeMap::new() };
                    if let Some(p) = item.get("parameters") {
                        walk.value(p, Dir::REQUEST);
                    }
                    for (k, dir) in
                        [("parameters", Dir::REQUEST), ("requestBody", Dir::REQUEST), ("responses", Dir::RESPONSE)]
                    {
                        if let Some(v) = op.get(k) {
                            walk.value(v, dir);
                        }
                    }
                    for (component, dir) in walk.found {
                        let entry = reach.by_component.entry(component).or_default().entry(key.clone()).or_default();
                        *entry = entry.union(dir);
                    }
                }
            }
            // Webhook payloads are received, as responses are. A webhook is keyed like an
            // operation on the path `webhook NAME`, which no real path can be.
            let hooks = doc.get(crate::spec::normalize::EXT_WEBHOOKS).and_then(Value::as_object);
            for (name, item) in hooks.into_iter().flatten() {
                let item = canon::deref(doc, item);
                for method in METHODS {
                    let Some(op) = item.get(method) else { continue };
                    let key = OpKey::webhook(method, name);
                    reach.labels.insert(key.clone(), format!("webhook {name}"));
                    let mut walk = Walk { canon, side, seen: BTreeSet::new(), found: BTreeMap::new() };
                    if let Some(b) = op.get("requestBody") {
                        walk.value(b, Dir::RESPONSE);
                    }
                    for (component, dir) in walk.found {
                        let entry = reach.by_component.entry(component).or_default().entry(key.clone()).or_default();
                        *entry = entry.union(dir);
                    }
                }
            }
        }
        reach
    }

    /// The operations reaching a canonical component pointer (any pointer inside a component
    /// counts as the component), and the union of their directions.
    pub fn of(&self, canonical_ptr: &str) -> (Dir, Vec<OpKey>) {
        let toks = canon::tokens(canonical_ptr);
        if toks.len() < 3 || toks[0] != "components" {
            return (Dir::default(), vec![]);
        }
        let key = canon::pointer(&toks[..3]);
        match self.by_component.get(&key) {
            Some(ops) => (ops.values().fold(Dir::default(), |a, d| a.union(*d)), ops.keys().cloned().collect()),
            None => (Dir::default(), vec![]),
        }
    }

    /// The components an operation reaches (canonical pointers).
    pub fn components_of(&self, op: &OpKey) -> Vec<String> {
        self.by_component.iter().filter(|(_, ops)| ops.contains_key(op)).map(|(c, _)| c.clone()).collect()
    }

    pub fn label(&self, op: &OpKey) -> String {
        self.labels.get(op).cloned().unwrap_or_else(|| op.id())
    }
}

struct Walk<'a, 'c> {
    canon: &'a Canon<'c>,
    side: Side,
    seen: BTreeSet<(String, bool)>,
    found: BTreeMap<String, Dir>,
}

impl Walk<'_, '_> {
    fn value(&mut self, v: &Value, dir: Dir) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    self.reference(r, dir);
                }
                for (k, child) in m {
                    // Examples are data, not schemas; callbacks are not generated.
                    if k != "examples" && k != "example" && k != "callbacks" {
                        self.value(child, dir);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| self.value(i, dir)),
            _ => {}
        }
    }

    fn reference(&mut self, r: &str, dir: Dir) {
        let doc = self.canon.doc(self.side);
        let Some((target, ptr)) = canon::resolve(doc, r) else { return };
        if !self.seen.insert((ptr.clone(), dir.request)) {
            return;
        }
        let toks = canon::tokens(&ptr);
        if toks.len() >= 3 && toks[0] == "components" {
            let component = self.canon.ptr(self.side, &canon::pointer(&toks[..3]));
            let entry = self.found.entry(component).or_default();
            *entry = entry.union(dir);
        }
        self.value(target, dir);
    }
}
