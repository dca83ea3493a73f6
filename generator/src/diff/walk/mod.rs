//! The spec-level comparison: walks both normalized documents side by side and records every
//! change with where it is, whether it breaks an old client on the wire (and why), and which
//! parts of the Rust surface it may have changed (its *claims*; `mod.rs` turns those into the
//! Rust classification).
//!
//! Shared components are compared once, at the component; an operation whose parameter, body,
//! response or schema is the same `$ref` in both versions does not compare it again.

use super::canon::{self, Canon, Side};
use super::reach::{Dir, OpKey, Reach};
use super::{Kind, Level};
use crate::spec::normalize::{EXT_CONST, EXT_NULL, EXT_TYPE_UNION};
use crate::spec::pointer::join;
use crate::spec::METHODS;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

mod effective;
mod schema;

/// The Rust surface items a change may have changed.
#[derive(Clone, Debug)]
pub(crate) enum Claim {
    /// Items whose canonical origin is this pointer or lies under it.
    Under(String),
    /// Items whose canonical origin is exactly this pointer.
    At(String),
    /// The item with this key.
    Key(String),
    /// Items whose key starts with this.
    KeyPrefix(String),
    /// Type items (their names) whose origin lies under the pointer.
    TypesUnder(String),
    /// Whole new types and operations whose origin lies under the pointer.
    NewUnder(String),
    /// Whole removed types and operations whose origin lies under the pointer.
    GoneUnder(String),
    /// The variants for these wire values (`*`: the catch-all) of enums at these pointers.
    Values { at: Vec<String>, values: Vec<String> },
    /// Members of the type from `owner` (a canonical pointer) whose origin lies under `origin`
    /// (the fields an `allOf` member merges into a struct).
    Within { owner: String, origin: String },
    /// Every member of the type from this canonical pointer.
    MembersOf(String),
    /// The type item from exactly this canonical pointer.
    TypeAt(String),
    /// Types renamed from a name starting with `from` to one starting with `to` (inline types
    /// named after a renamed schema), and items whose signature names a type `to...`.
    Renamed { from: String, to: String },
    /// The field `name` of the type from `owner` (a struct that merges a component through
    /// `allOf` and inherits its `required`).
    FieldNamed { owner: String, name: String },
}

/// A change as the walker finds it, before its Rust classification.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub kind: Kind,
    pub location: String,
    /// Where, in words: `GET /users: query parameter \`limit\``, `schema \`User.email\``.
    pub at: String,
    pub what: String,
    /// Why an old client breaks on the wire, when it does.
    pub wire: Option<String>,
    /// The level when nothing breaks: `Minor` for additions, else `Patch`.
    pub level: Level,
    pub claims: Vec<Claim>,
    /// For changes in shared components: the operations they reach.
    pub reaches: Option<Vec<String>>,
}

/// A value and its pointer.
#[derive(Clone)]
struct At<'v> {
    v: &'v Value,
    ptr: String,
}

/// Where a schema is used.
#[derive(Clone)]
struct Site {
    dir: Dir,
    /// `GET /users: request body`, `schema \`User\``.
    label: String,
    /// Set for component schemas: nested places read `schema \`User.email\``.
    schema: Option<String>,
    reaches: Option<Vec<String>>,
    /// Surface items of the use site itself (arguments, setters, results), claimed by changes
    /// to the top-level schema of the site.
    top: Vec<Claim>,
    /// The positional arguments of the operations (changes to what is required move them).
    args: Vec<Claim>,
}

/// A place inside a schema, for messages: `sequencer.client_id`, `items[]`.
#[derive(Clone, Default)]
struct SPath(String);

impl SPath {
    fn prop(&self, name: &str) -> SPath {
        if self.0.is_empty() {
            SPath(name.to_string())
        } else {
            SPath(format!("{}.{name}", self.0))
        }
    }
    fn suffix(&self, s: &str) -> SPath {
        SPath(format!("{}{s}", self.0))
    }
    fn member(&self, keyword: &str, words: &str) -> SPath {
        let dot = if self.0.is_empty() { "" } else { "." };
        SPath(format!("{}{dot}{keyword}[{words}]", self.0))
    }
    /// Whether this place is an `allOf` member (whose properties may instantiate a generic
    /// envelope, `Envelope<T>`, written in the type of whatever holds the `allOf`).
    fn is_all_of_member(&self) -> bool {
        self.0.ends_with(']') && self.0.rsplit('.').next().is_some_and(|l| l.starts_with("allOf["))
    }
}

/// An empty object, for absent maps.
static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> = std::sync::LazyLock::new(serde_json::Map::new);

fn flag(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool) == Some(true)
}

fn text<'v>(v: &'v Value, k: &str) -> Option<&'v str> {
    v.get(k).and_then(Value::as_str)
}

fn arr<'v>(v: &'v Value, k: &str) -> &'v [Value] {
    v.get(k).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => code(s),
        other => code(&other.to_string()),
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// At most [`LISTED`] distinct items, then how many more: long enum lists stay readable.
fn list_some(items: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for i in items {
        if !unique.contains(&i) {
            unique.push(i);
        }
    }
    let shown: Vec<String> = unique.iter().take(LISTED).map(|s| s.to_string()).collect();
    match unique.len().saturating_sub(LISTED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// How many values a message lists before it counts the rest.
const LISTED: usize = 8;

/// The media type the generated client sends or decodes (the one lowering models).
fn pick_media(content: &serde_json::Map<String, Value>) -> Option<&String> {
    crate::ir::BodyFormat::pick(content.iter()).map(|(k, ..)| k)
}

/// A parameter as an operation sees it.
struct Param<'v> {
    v: &'v Value,
    /// The pointer of the parameter object (the component for a `$ref`).
    ptr: String,
    /// The component the parameter is a `$ref` to.
    reference: Option<String>,
    loc: String,
    name: String,
    /// Declared on the path item (shared by its operations).
    path_level: bool,
}

impl<'v> Param<'v> {
    fn required(&self) -> bool {
        self.loc == "path" || flag(self.v, "required")
    }

    fn key(&self) -> String {
        format!("{}:{}", self.loc, self.name)
    }

    fn style(&self) -> (String, bool) {
        let style = text(self.v, "style")
            .map(str::to_string)
            .unwrap_or_else(|| if self.loc == "query" || self.loc == "cookie" { "form" } else { "simple" }.to_string());
        let explode = self.v.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        (style, explode)
    }

    fn schema(&self) -> Option<At<'v>> {
        if let Some(s) = self.v.get("schema") {
            return Some(At { v: s, ptr: join(&self.ptr, "schema") });
        }
        let content = self.v.get("content")?.as_object()?;
        let mt = pick_media(content)?;
        let s = content.get(mt)?.get("schema")?;
        Some(At { v: s, ptr: join(&join(&join(&self.ptr, "content"), mt), "schema") })
    }
}

/// An operation in one version.
struct OpAt<'v> {
    path: String,
    item: &'v Value,
    item_ptr: String,
    v: &'v Value,
    ptr: String,
}

/// A request body or response, followed through a `$ref`.
struct Resolved<'v> {
    v: &'v Value,
    ptr: String,
    reference: Option<String>,
}

fn resolve_obj<'v>(doc: &'v Value, v: &'v Value, ptr: String) -> Resolved<'v> {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => match canon::resolve(doc, r) {
            Some((t, p)) => Resolved { v: t, ptr: p.clone(), reference: Some(p) },
            None => Resolved { v, ptr, reference: None },
        },
        None => Resolved { v, ptr, reference: None },
    }
}

/// Every schema with an `allOf` member that is a `$ref` to a component: (component, pointer).
fn find_mergers(v: &Value, ptr: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for member in arr(v, "allOf") {
                if let Some(name) = canon::schema_ref(member) {
                    out.push((name, ptr.to_string()));
                }
            }
            for (k, child) in m {
                if k != "example" && k != "examples" {
                    find_mergers(child, &join(ptr, k), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find_mergers(child, &join(ptr, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

pub(crate) struct Walker<'a, 'c> {
    canon: &'a Canon<'c>,
    reach: &'a Reach,
    pub out: Vec<Pending>,
    seen: BTreeSet<(String, String)>,
    /// Path-level parameters already compared (they are shared by the path's operations).
    path_params_done: BTreeSet<String>,
    /// Component schema name -> canonical pointers of the schemas that merge it with `allOf`.
    mergers: BTreeMap<String, BTreeSet<String>>,
    /// While comparing `allOf` members: the required properties of the composed schemas
    /// (old, new), which a member's own `required` adds to.
    composed_required: Vec<(BTreeSet<String>, BTreeSet<String>)>,
}

impl<'a, 'c> Walker<'a, 'c> {
    pub fn new(canon: &'a Canon<'c>, reach: &'a Reach) -> Self {
        let mut w = Walker {
            canon,
            reach,
            out: Vec::new(),
            seen: BTreeSet::new(),
            path_params_done: BTreeSet::new(),
            mergers: BTreeMap::new(),
            composed_required: Vec::new(),
        };
        for side in [Side::Old, Side::New] {
            let mut found = Vec::new();
            find_mergers(canon.doc(side), "", &mut found);
            for (name, ptr) in found {
                let key = canon.schema_name(side, &name);
                let ptr = canon.ptr(side, &ptr);
                w.mergers.entry(key).or_default().insert(ptr);
            }
        }
        w
    }

    fn old(&self) -> &'c Value {
        self.canon.old
    }

    fn new_doc(&self) -> &'c Value {
        self.canon.new
    }

    fn co(&self, ptr: &str) -> String {
        self.canon.ptr(Side::Old, ptr)
    }

    fn cn(&self, ptr: &str) -> String {
        self.canon.ptr(Side::New, ptr)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: Kind,
        location: String,
        at: String,
        what: String,
        wire: Option<String>,
        level: Level,
        claims: Vec<Claim>,
        reaches: Option<Vec<String>>,
    ) {
        self.out.push(Pending { kind, location, at, what, wire, level, claims, reaches });
    }

    pub fn run(&mut self) {
        self.servers();
        self.security();
        self.paths();
        self.component_schemas();
        self.component_parameters();
        self.component_bodies();
        self.component_responses();
        self.webhooks();
    }

    // ----- servers and security -------------------------------------------------------------

    fn server_urls(doc: &Value) -> Vec<(String, usize)> {
        arr(doc, "servers")
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let vars = s.get("variables");
                let url = crate::spec::server_url(text(s, "url")?, |name| text(vars?.get(name)?, "default"))?;
                Some((url.trim_end_matches('/').to_string(), i))
            })
            .collect()
    }

    fn servers(&mut self) {
        let old = Self::server_urls(self.old());
        let new = Self::server_urls(self.new_doc());
        for (url, i) in &old {
            if !new.iter().any(|(u, _)| u == url) {
                let first = *i == 0;
                self.push(
                    Kind::ServerRemoved,
                    format!("/servers/{i}"),
                    format!("server {}", code(url)),
                    "removed".into(),
                    Some(if first {
                        "the old client's `DEFAULT_BASE_URL` points to it".into()
                    } else {
                        "clients configured with this base URL lose their server".into()
                    }),
                    Level::Patch,
                    vec![],
                    None,
                );
            }
        }
        for (url, i) in &new {
            if !old.iter().any(|(u, _)| u == url) {
                self.push(
                    Kind::ServerAdded,
                    format!("/servers/{i}"),
                    format!("server {}", code(url)),
                    "added".into(),
                    None,
                    Level::Minor,
                    vec![],
                    None,
                );
            }
        }
        if let (Some((o, _)), Some((n, _))) = (old.first(), new.first()) {
            if o != n && new.iter().any(|(u, _)| u == o) {
                self.push(
                    Kind::DefaultServerChanged,
                    "/servers/0".into(),
                    "default server".into(),
                    format!("`DEFAULT_BASE_URL` changes from {} to {} (the old URL is still listed)", code(o), code(n)),
                    None,
                    Level::Minor,
                    vec![],
                    None,
                );
            }
        }
    }

    fn schemes(doc: &Value) -> BTreeMap<String, &Value> {
        doc.pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
            .unwrap_or_default()
    }

    /// What decides how credentials are sent: everything but prose.
    fn scheme_wire(v: &Value) -> String {
        let keys = ["type", "scheme", "in", "name"];
        keys.iter()
            .filter_map(|k| {
                text(v, k).map(|t| format!("{k}={}", if *k == "scheme" { t.to_ascii_lowercase() } else { t.into() }))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The schemes a security requirement list accepts, and whether it allows no credentials.
    fn accepted(reqs: Option<&Value>) -> Option<(BTreeSet<String>, bool)> {
        let reqs = reqs?.as_array()?;
        let mut names = BTreeSet::new();
        let mut anonymous = reqs.is_empty();
        for r in reqs {
            match r.as_object() {
                Some(m) if m.is_empty() => anonymous = true,
                Some(m) => names.extend(m.keys().cloned()),
                None => {}
            }
        }
        Some((names, anonymous))
    }

    fn security_wire(old: &(BTreeSet<String>, bool), new: &(BTreeSet<String>, bool)) -> Option<String> {
        if new.1 || new.0.is_empty() {
            return None;
        }
        if old.1 || old.0.is_empty() {
            return Some("the new server requires credentials the old client does not send".into());
        }
        let gone: Vec<String> = old.0.difference(&new.0).map(|s| code(s)).collect();
        (!gone.is_empty()).then(|| format!("credentials for {} are no longer accepted", list(&gone)))
    }

    fn security_words(s: &(BTreeSet<String>, bool)) -> String {
        let mut parts: Vec<String> = s.0.iter().map(|n| code(n)).collect();
        if s.1 || parts.is_empty() {
            parts.push("no credentials".into());
        }
        parts.join(" or ")
    }

    fn security(&mut self) {
        let old = Self::schemes(self.old());
        let new = Self::schemes(self.new_doc());
        let used_old: BTreeSet<String> = self.used_schemes(self.old());
        for (name, o) in &old {
            let ptr = join("/components/securitySchemes", name);
            match new.get(name) {
                None => self.push(
                    Kind::SecuritySchemeRemoved,
                    ptr,
                    format!("security scheme {}", code(name)),
                    "removed".into(),
                    used_old
                        .contains(name)
                        .then(|| "operations the old client authenticates with it reject its credentials".into()),
                    Level::Patch,
                    vec![],
                    None,
                ),
                Some(n) => {
                    let (ow, nw) = (Self::scheme_wire(o), Self::scheme_wire(n));
                    if ow != nw {
                        self.push(
                            Kind::SecuritySchemeChanged,
                            ptr.clone(),
                            format!("security scheme {}", code(name)),
                            format!("changes from {} to {}", code(&ow), code(&nw)),
                            used_old.contains(name).then(|| "the old client sends the credential the old way".into()),
                            Level::Patch,
                            vec![],
                            None,
                        );
                    }
                    if text(o, "description") != text(n, "description") {
                        self.docs(ptr, format!("security scheme {}", code(name)), "description changed".into(), None);
                    }
                }
            }
        }
        for name in new.keys().filter(|n| !old.contains_key(*n)) {
            self.push(
                Kind::SecuritySchemeAdded,
                join("/components/securitySchemes", name),
                format!("security scheme {}", code(name)),
                "added".into(),
                None,
                Level::Minor,
                vec![],
                None,
            );
        }
        let (o, n) = (self.old().get("security"), self.new_doc().get("security"));
        if o != n {
            let os = Self::accepted(o).unwrap_or_default();
            let ns = Self::accepted(n).unwrap_or_default();
            if os != ns {
                // The operations that inherit the global requirement.
                let mut ops = BTreeSet::new();
                for doc in [self.old(), self.new_doc()] {
                    for (key, _, op) in Self::ops(doc) {
                        if op.v.get("security").is_none() {
                            ops.insert(key);
                        }
                    }
                }
                let reaches = ops.iter().map(|k| self.reach.label(k)).collect();
                self.push(
                    Kind::SecurityChanged,
                    "/security".into(),
                    "global security".into(),
                    format!("accepts {} instead of {}", Self::security_words(&ns), Self::security_words(&os)),
                    Self::security_wire(&os, &ns),
                    Level::Patch,
                    vec![],
                    Some(reaches),
                );
            }
        }
    }

    fn used_schemes(&self, doc: &Value) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut add = |v: Option<&Value>| {
            if let Some((names, _)) = Self::accepted(v) {
                out.extend(names);
            }
        };
        add(doc.get("security"));
        for (_, _, op) in Self::ops(doc) {
            add(op.v.get("security"));
        }
        out
    }

    // ----- operations -----------------------------------------------------------------------

    fn ops(doc: &Value) -> Vec<(OpKey, String, OpAt<'_>)> {
        let mut out = Vec::new();
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return out };
        for (path, item) in paths {
            if item.get("$ref").is_some() {
                // Not generated (lowering skips `$ref` path items with a warning).
                continue;
            }
            let item_ptr = join("/paths", path);
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    out.push((
                        OpKey::new(m, path),
                        m.to_string(),
                        OpAt { path: path.clone(), item, item_ptr: item_ptr.clone(), v: op, ptr: join(&item_ptr, m) },
                    ));
                }
            }
        }
        out
    }

    /// Operations whose method or path changed with their `operationId` kept (old key -> new
    /// key): the same generated method, so they are compared as one operation.
    pub fn moved_operations(canon: &Canon<'_>) -> BTreeMap<OpKey, OpKey> {
        let ids = |doc| -> BTreeMap<OpKey, String> {
            Self::ops(doc)
                .into_iter()
                .filter_map(|(k, _, op)| Some((k, text(op.v, "operationId")?.to_string())))
                .collect()
        };
        let (old, new) = (ids(canon.old), ids(canon.new));
        let mut by_id: BTreeMap<&str, Vec<&OpKey>> = BTreeMap::new();
        for (k, id) in &new {
            if !old.contains_key(k) {
                by_id.entry(id.as_str()).or_default().push(k);
            }
        }
        let mut out = BTreeMap::new();
        for (k, id) in &old {
            if new.contains_key(k) {
                continue;
            }
            if let Some([to]) = by_id.get(id.as_str()).map(Vec::as_slice) {
                out.insert(k.clone(), (*to).clone());
            }
        }
        out
    }

    fn paths(&mut self) {
        let moved = Self::moved_operations(self.canon);
        let mut all: BTreeMap<OpKey, (Option<OpAt<'c>>, Option<OpAt<'c>>)> = BTreeMap::new();
        let mut moved_from: BTreeMap<OpKey, String> = BTreeMap::new();
        for (k, m, op) in Self::ops(self.old()) {
            match moved.get(&k) {
                Some(to) => {
                    moved_from.insert(to.clone(), format!("{} {}", m.to_ascii_uppercase(), op.path));
                    all.entry(to.clone()).or_default().0 = Some(op);
                }
                None => all.entry(k).or_default().0 = Some(op),
            }
        }
        for (k, _, op) in Self::ops(self.new_doc()) {
            all.entry(k).or_default().1 = Some(op);
        }
        for (key, pair) in all {
            if let (Some(from), Some(n)) = (moved_from.get(&key), &pair.1) {
                let label = self.reach.label(&key);
                self.push(
                    Kind::OperationMoved,
                    label.clone(),
                    label,
                    format!(
                        "moved from {} (the same operationId {}, so the same method)",
                        code(from),
                        code(text(n.v, "operationId").unwrap_or_default())
                    ),
                    Some(format!("the old client calls {}, which the new server no longer serves", code(from))),
                    Level::Patch,
                    vec![],
                    None,
                );
            }
            let label = self.reach.label(&key);
            let id = key.id();
            match pair {
                (None, Some(n)) => {
                    let name = text(n.v, "operationId").map(|i| format!(" ({})", code(i))).unwrap_or_default();
                    // Its own items, and the types lowered for it from the components it reaches
                    // (all new): what it changes in shared types (a type now sent has other
                    // `Option` layers) is not its doing, and is reported at the type.
                    let mut claims = vec![
                        Claim::Under(self.cn(&n.ptr)),
                        Claim::NewUnder(self.cn(&join(&n.item_ptr, "parameters"))),
                        Claim::KeyPrefix(format!("op:{id}:")),
                    ];
                    claims.extend(self.per_operation_components(&key).map(Claim::NewUnder));
                    self.push(
                        Kind::OperationAdded,
                        label.clone(),
                        label,
                        format!("operation added{name}"),
                        None,
                        Level::Minor,
                        claims,
                        None,
                    );
                }
                (Some(o), None) => {
                    let name = text(o.v, "operationId").map(|i| format!(" ({})", code(i))).unwrap_or_default();
                    let mut claims = vec![
                        Claim::Under(self.co(&o.ptr)),
                        Claim::GoneUnder(self.co(&join(&o.item_ptr, "parameters"))),
                        Claim::KeyPrefix(format!("op:{id}:")),
                    ];
                    claims.extend(self.per_operation_components(&key).map(Claim::GoneUnder));
                    self.push(
                        Kind::OperationRemoved,
                        label.clone(),
                        label,
                        format!("operation removed{name}"),
                        Some("the new server no longer serves it".into()),
                        Level::Patch,
                        claims,
                        None,
                    );
                }
                (Some(o), Some(n)) => self.operation(&key, &label, o, n),
                (None, None) => {}
            }
        }
    }

    /// The components an operation reaches that are lowered once per operation (parameters,
    /// bodies, responses): their types come and go with it. Component schemas are types of their
    /// own, reported as schemas.
    fn per_operation_components(&self, key: &OpKey) -> impl Iterator<Item = String> {
        self.reach.components_of(key).into_iter().filter(|c| !c.starts_with("/components/schemas/"))
    }

    fn operation(&mut self, key: &OpKey, label: &str, o: OpAt<'c>, n: OpAt<'c>) {
        let id = key.id();
        if flag(o.v, "deprecated") != flag(n.v, "deprecated") {
            let what = if flag(n.v, "deprecated") { "deprecated" } else { "no longer deprecated" };
            self.push(
                Kind::OperationDeprecated,
                label.into(),
                label.into(),
                what.into(),
                None,
                Level::Patch,
                vec![],
                None,
            );
        }
        let (oid, nid) = (text(o.v, "operationId"), text(n.v, "operationId"));
        if oid != nid {
            let words = |i: Option<&str>| i.map_or("none".to_string(), code);
            self.push(
                Kind::OperationRenamed,
                label.into(),
                label.into(),
                format!("operationId changes from {} to {}", words(oid), words(nid)),
                None,
                Level::Patch,
                vec![
                    Claim::Key(format!("op:{id}:fn")),
                    Claim::Key(format!("op:{id}:outcomes:success")),
                    Claim::Key(format!("op:{id}:outcomes:error")),
                    Claim::TypesUnder(self.cn(&n.ptr)),
                ],
                None,
            );
        }
        for k in ["summary", "description"] {
            if text(o.v, k) != text(n.v, k) {
                self.docs(label.into(), label.into(), format!("{k} changed"), None);
            }
        }
        self.op_security(label, &o, &n);
        self.params(key, label, &o, &n);
        self.body(key, label, &o, &n);
        self.responses(key, label, &o, &n);
        self.callbacks(label, &o, &n);
    }

    fn op_security(&mut self, label: &str, o: &OpAt<'c>, n: &OpAt<'c>) {
        let (own_o, own_n) = (o.v.get("security"), n.v.get("security"));
        if own_o.is_none() && own_n.is_none() {
            return; // Inherits the global requirement in both: reported once at `/security`.
        }
        let os = Self::accepted(own_o.or(self.old().get("security"))).unwrap_or_default();
        let ns = Self::accepted(own_n.or(self.new_doc().get("security"))).unwrap_or_default();
        if os != ns {
            self.push(
                Kind::SecurityChanged,
                label.into(),
                label.into(),
                format!("accepts {} instead of {}", Self::security_words(&ns), Self::security_words(&os)),
                Self::security_wire(&os, &ns),
                Level::Patch,
                vec![],
                None,
            );
        }
    }

    fn docs(&mut self, location: String, at: String, what: String, reaches: Option<Vec<String>>) {
        self.push(Kind::DocsChanged, location, at, what, None, Level::Patch, vec![], reaches);
    }

    // ----- parameters -----------------------------------------------------------------------

    fn effective_params(doc: &'c Value, op: &OpAt<'c>) -> Vec<Param<'c>> {
        let mut out: Vec<Param<'c>> = Vec::new();
        let lists = [(op.item, join(&op.item_ptr, "parameters"), true), (op.v, join(&op.ptr, "parameters"), false)];
        for (holder, base, path_level) in lists {
            for (i, p) in arr(holder, "parameters").iter().enumerate() {
                let r = resolve_obj(doc, p, join(&base, &i.to_string()));
                let (Some(loc), Some(name)) = (text(r.v, "in"), text(r.v, "name")) else { continue };
                if loc == "header"
                    && ["authorization", "content-type", "accept"].contains(&name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                let p = Param {
                    v: r.v,
                    ptr: r.ptr,
                    reference: r.reference,
                    loc: loc.into(),
                    name: name.into(),
                    path_level,
                };
                out.retain(|q| q.key() != p.key());
                out.push(p);
            }
        }
        out
    }

    /// Path variables in template order.
    fn path_vars(path: &str) -> Vec<String> {
        path.split('{').skip(1).filter_map(|s| s.split('}').next()).map(str::to_string).collect()
    }

    fn params(&mut self, key: &OpKey, label: &str, o: &OpAt<'c>, n: &OpAt<'c>) {
        let id = key.id();
        let op_ps = Self::effective_params(self.old(), o);
        let np_ps = Self::effective_params(self.new_doc(), n);
        let mut pairs: Vec<(Option<&Param<'c>>, Option<&Param<'c>>)> = Vec::new();
        let mut used_new = BTreeSet::new();
        let mut used_old = BTreeSet::new();
        for (i, p) in op_ps.iter().enumerate() {
            if let Some(j) = np_ps.iter().position(|q| q.key() == p.key()) {
                pairs.push((Some(p), Some(&np_ps[j])));
                used_old.insert(i);
                used_new.insert(j);
            }
        }
        // Path variables renamed: matched by their place in the template.
        let (ov, nv) = (Self::path_vars(&o.path), Self::path_vars(&n.path));
        for (i, p) in op_ps.iter().enumerate() {
            if used_old.contains(&i) || p.loc != "path" {
                continue;
            }
            let Some(pos) = ov.iter().position(|v| *v == p.name) else { continue };
            let Some(new_name) = nv.get(pos) else { continue };
            if let Some(j) = np_ps.iter().position(|q| q.loc == "path" && q.name == *new_name) {
                if !used_new.contains(&j) {
                    pairs.push((Some(p), Some(&np_ps[j])));
                    used_old.insert(i);
                    used_new.insert(j);
                }
            }
        }
        // Same name, another location.
        for (i, p) in op_ps.iter().enumerate() {
            if used_old.contains(&i) {
                continue;
            }
            if let Some(j) = (0..np_ps.len()).find(|j| !used_new.contains(j) && np_ps[*j].name == p.name) {
                pairs.push((Some(p), Some(&np_ps[j])));
                used_old.insert(i);
                used_new.insert(j);
            }
        }
        for (i, p) in op_ps.iter().enumerate() {
            if !used_old.contains(&i) {
                pairs.push((Some(p), None));
            }
        }
        for (j, p) in np_ps.iter().enumerate() {
            if !used_new.contains(&j) {
                pairs.push((None, Some(p)));
            }
        }

        // A parameter declared on the path item is compared once for all its operations.
        let mut path_ops: Vec<String> = Vec::new();
        let mut path_methods: Vec<String> = Vec::new();
        for m in METHODS {
            if o.item.get(m).is_some() || n.item.get(m).is_some() {
                path_ops.push(OpKey::new(m, &n.path).id());
                path_methods.push(m.to_ascii_uppercase());
            }
        }
        let path_label = format!("{} {}", path_methods.join(", "), n.path);
        for pair in pairs {
            let shared = pair.0.is_none_or(|p| p.path_level) && pair.1.is_none_or(|p| p.path_level);
            let (label, ids): (&str, Vec<String>) = if shared {
                let p = pair.1.or(pair.0).expect("invariant: a pair has a side");
                if !self.path_params_done.insert(format!("{}|{}", canon::template(&n.path), p.key())) {
                    continue;
                }
                (&path_label, path_ops.clone())
            } else {
                (label, vec![id.clone()])
            };
            let args: Vec<Claim> = ids.iter().map(|i| Claim::KeyPrefix(format!("op:{i}:arg:"))).collect();
            match pair {
                (None, Some(p)) => {
                    let req = p.required();
                    let mut claims = if req { args.clone() } else { vec![] };
                    claims.push(Claim::Under(self.cn(&p.ptr)));
                    self.push(
                        Kind::ParameterAdded,
                        p.ptr.clone(),
                        label.into(),
                        format!(
                            "{} {} parameter {} added",
                            if req { "required" } else { "optional" },
                            p.loc,
                            code(&p.name)
                        ),
                        req.then(|| "the new server rejects calls without it".into()),
                        Level::Minor,
                        claims,
                        None,
                    );
                }
                (Some(p), None) => {
                    let mut claims = if p.required() { args.clone() } else { vec![] };
                    claims.push(Claim::Under(self.co(&p.ptr)));
                    self.push(
                        Kind::ParameterRemoved,
                        p.ptr.clone(),
                        label.into(),
                        format!(
                            "{} {} parameter {} removed (servers ignore parameters they do not know, so calls still go through)",
                            if p.required() { "required" } else { "optional" },
                            p.loc,
                            code(&p.name)
                        ),
                        None,
                        Level::Patch,
                        claims,
                        None,
                    );
                }
                (Some(op), Some(np)) => {
                    let at = format!("{label}: {} parameter {}", np.loc, code(&np.name));
                    let top = vec![Claim::At(self.co(&op.ptr)), Claim::At(self.cn(&np.ptr))];
                    if op.loc != np.loc {
                        let mut claims = top.clone();
                        claims.extend(args.iter().cloned());
                        self.push(
                            Kind::ParameterLocationChanged,
                            np.ptr.clone(),
                            at.clone(),
                            format!("moves from the {} to the {}", op.loc, np.loc),
                            Some(format!(
                                "the old client sends it in the {}, where the new server does not read it",
                                op.loc
                            )),
                            Level::Patch,
                            claims,
                            None,
                        );
                    } else if op.name != np.name {
                        self.push(
                            Kind::ParameterRenamed,
                            np.ptr.clone(),
                            at.clone(),
                            format!(
                                "path variable renamed from {} (it stays in the same place of the path)",
                                code(&op.name)
                            ),
                            None,
                            Level::Patch,
                            top.clone(),
                            None,
                        );
                    }
                    if op.reference.is_some() && op.reference == np.reference {
                        continue; // The same shared parameter: compared once, at the component.
                    }
                    let site = Site { dir: Dir::REQUEST, label: at, schema: None, reaches: None, top, args };
                    self.param_content(op, np, &site);
                }
                (None, None) => {}
            }
        }
    }

    /// The old spelling of a pointer (component schemas renamed map back; others are equal).
    fn param_content(&mut self, o: &Param<'c>, n: &Param<'c>, site: &Site) {
        let claims = site.top.clone();
        if o.required() != n.required() {
            let mut claims = claims.clone();
            claims.extend(site.args.iter().cloned());
            let now = n.required();
            self.push(
                Kind::ParameterRequiredChanged,
                n.ptr.clone(),
                site.label.clone(),
                if now { "becomes required".into() } else { "becomes optional".into() },
                now.then(|| "the new server rejects calls without it".into()),
                Level::Patch,
                claims,
                site.reaches.clone(),
            );
        }
        if o.loc == n.loc && o.style() != n.style() {
            let (os, oe) = o.style();
            let (ns, ne) = n.style();
            self.push(
                Kind::ParameterStyleChanged,
                n.ptr.clone(),
                site.label.clone(),
                format!(
                    "serialization changes from style {} explode {oe} to style {} explode {ne}",
                    code(&os),
                    code(&ns)
                ),
                Some("the old client writes its value in a form the new server does not read".into()),
                Level::Patch,
                claims.clone(),
                site.reaches.clone(),
            );
        }
        if flag(o.v, "deprecated") != flag(n.v, "deprecated") {
            let what = if flag(n.v, "deprecated") { "deprecated" } else { "no longer deprecated" };
            self.push(
                Kind::DeprecatedChanged,
                n.ptr.clone(),
                site.label.clone(),
                what.into(),
                None,
                Level::Patch,
                vec![],
                site.reaches.clone(),
            );
        }
        if text(o.v, "description") != text(n.v, "description") {
            self.docs(n.ptr.clone(), site.label.clone(), "description changed".into(), site.reaches.clone());
        }
        if let (Some(os), Some(ns)) = (o.schema(), n.schema()) {
            self.schema(os, ns, site, &SPath::default(), 0, &[]);
        }
    }

    // ----- bodies and responses -------------------------------------------------------------

    fn body(&mut self, key: &OpKey, label: &str, o: &OpAt<'c>, n: &OpAt<'c>) {
        let id = key.id();
        let ob = o.v.get("requestBody").map(|b| resolve_obj(self.old(), b, join(&o.ptr, "requestBody")));
        let nb = n.v.get("requestBody").map(|b| resolve_obj(self.new_doc(), b, join(&n.ptr, "requestBody")));
        let top = |this: &Self, ob: Option<&Resolved<'_>>, nb: Option<&Resolved<'_>>| {
            let mut c = vec![Claim::KeyPrefix(format!("op:{id}:arg:")), Claim::Key(format!("op:{id}:setter:body"))];
            if let Some(b) = ob {
                c.push(Claim::Under(this.co(&b.ptr)));
            }
            if let Some(b) = nb {
                c.push(Claim::Under(this.cn(&b.ptr)));
            }
            c
        };
        match (&ob, &nb) {
            (None, Some(b)) => {
                let req = flag(b.v, "required");
                let claims = top(self, None, Some(b));
                self.push(
                    Kind::RequestBodyAdded,
                    b.ptr.clone(),
                    label.into(),
                    format!("{} request body added", if req { "required" } else { "optional" }),
                    req.then(|| "the new server rejects calls without a body".into()),
                    Level::Minor,
                    claims,
                    None,
                );
            }
            (Some(b), None) => {
                let claims = top(self, Some(b), None);
                self.push(
                    Kind::RequestBodyRemoved,
                    b.ptr.clone(),
                    label.into(),
                    "request body removed (the new server ignores the body the old client sends)".into(),
                    None,
                    Level::Patch,
                    claims,
                    None,
                );
            }
            (Some(ob), Some(nb)) => {
                if ob.reference.is_some() && ob.reference == nb.reference {
                    return; // Shared request body: compared once, at the component.
                }
                let top = vec![Claim::Key(format!("op:{id}:arg:body")), Claim::Key(format!("op:{id}:setter:body"))];
                let args = vec![Claim::KeyPrefix(format!("op:{id}:arg:"))];
                let site = Site {
                    dir: Dir::REQUEST,
                    label: format!("{label}: request body"),
                    schema: None,
                    reaches: None,
                    top,
                    args,
                };
                self.body_content(ob, nb, &site);
            }
            (None, None) => {}
        }
    }

    fn body_content(&mut self, o: &Resolved<'c>, n: &Resolved<'c>, site: &Site) {
        if flag(o.v, "required") != flag(n.v, "required") {
            let now = flag(n.v, "required");
            self.push(
                Kind::RequestBodyRequiredChanged,
                n.ptr.clone(),
                site.label.clone(),
                if now { "becomes required".into() } else { "becomes optional".into() },
                now.then(|| "the new server rejects calls without a body".into()),
                Level::Patch,
                site.top.iter().chain(&site.args).cloned().collect(),
                site.reaches.clone(),
            );
        }
        if text(o.v, "description") != text(n.v, "description") {
            self.docs(n.ptr.clone(), site.label.clone(), "description changed".into(), site.reaches.clone());
        }
        self.content(o, n, site, true);
    }

    /// Media types of a body or response, and the schema of the one the old client uses.
    fn content(&mut self, o: &Resolved<'c>, n: &Resolved<'c>, site: &Site, request: bool) {
        let oc = o.v.get("content").and_then(Value::as_object).unwrap_or(&EMPTY);
        let nc = n.v.get("content").and_then(Value::as_object).unwrap_or(&EMPTY);
        let picked = pick_media(oc).cloned();
        let content_ptr = |p: &str, mt: &str| join(&join(p, "content"), mt);
        for mt in oc.keys().filter(|k| !nc.contains_key(*k)) {
            let used = picked.as_deref() == Some(mt.as_str());
            // A response's event stream is read by the streaming call, whichever type is picked.
            let streamed = !request && !used && crate::ir::is_event_stream(mt);
            let wire = if streamed {
                Some(format!(
                    "the old client's streaming call reads {}, which the new server no longer sends",
                    code(mt)
                ))
            } else {
                used.then(|| {
                    if request {
                        format!("the old client sends {}, which the new server no longer accepts", code(mt))
                    } else {
                        format!("the old client decodes {}, which the new server no longer sends", code(mt))
                    }
                })
            };
            let mut claims = site.top.clone();
            claims.push(Claim::Under(self.co(&content_ptr(&o.ptr, mt))));
            self.push(
                Kind::MediaTypeRemoved,
                content_ptr(&o.ptr, mt),
                site.label.clone(),
                format!("media type {} removed", code(mt)),
                wire,
                Level::Patch,
                claims,
                site.reaches.clone(),
            );
        }
        for mt in nc.keys().filter(|k| !oc.contains_key(*k)) {
            let mut claims = site.top.clone();
            claims.push(Claim::Under(self.cn(&content_ptr(&n.ptr, mt))));
            self.push(
                Kind::MediaTypeAdded,
                content_ptr(&n.ptr, mt),
                site.label.clone(),
                format!("media type {} added", code(mt)),
                None,
                Level::Minor,
                claims,
                site.reaches.clone(),
            );
        }
        if let Some(mt) = picked {
            if let (Some(os), Some(ns)) =
                (oc.get(&mt).and_then(|m| m.get("schema")), nc.get(&mt).and_then(|m| m.get("schema")))
            {
                let o_at = At { v: os, ptr: join(&content_ptr(&o.ptr, &mt), "schema") };
                let n_at = At { v: ns, ptr: join(&content_ptr(&n.ptr, &mt), "schema") };
                let mut site = site.clone();
                site.top.push(Claim::At(self.co(&content_ptr(&o.ptr, &mt))));
                site.top.push(Claim::At(self.cn(&content_ptr(&n.ptr, &mt))));
                self.schema(o_at, n_at, &site, &SPath::default(), 0, &[]);
            }
        }
    }

    /// Normalized response keys: `200`, `4XX`, `default`.
    fn response_map(doc: &'c Value, op: &OpAt<'c>) -> BTreeMap<String, Resolved<'c>> {
        let mut out = BTreeMap::new();
        if let Some(rs) = op.v.get("responses").and_then(Value::as_object) {
            for (code, r) in rs {
                let ptr = join(&join(&op.ptr, "responses"), code);
                out.insert(code.to_ascii_uppercase().replace("DEFAULT", "default"), resolve_obj(doc, r, ptr));
            }
        }
        out
    }

    /// Whether a client built from `responses` accepts `status` as a success it decodes.
    fn accepts(codes: &BTreeMap<String, Resolved<'_>>, status: &str) -> bool {
        codes.keys().any(|k| k == status || k == "default" || (k.ends_with("XX") && status.starts_with(&k[..1])))
    }

    fn responses(&mut self, key: &OpKey, label: &str, o: &OpAt<'c>, n: &OpAt<'c>) {
        let id = key.id();
        let or = Self::response_map(self.old(), o);
        let nr = Self::response_map(self.new_doc(), n);
        // The per-status outcome enums follow the set of responses as a whole.
        let claims = |this: &Self, ptr: &str, side: Side| {
            vec![
                Claim::Key(format!("op:{id}:returns")),
                Claim::KeyPrefix(format!("op:{id}:outcomes:")),
                Claim::Under(this.canon.ptr(side, ptr)),
            ]
        };
        let is_success = |s: &str| s.starts_with('2');
        for (status, r) in &or {
            if !nr.contains_key(status) {
                let c = claims(self, &r.ptr, Side::Old);
                self.push(
                    Kind::ResponseRemoved,
                    r.ptr.clone(),
                    label.into(),
                    format!("response {} removed", code(status)),
                    None,
                    Level::Patch,
                    c,
                    None,
                );
            }
        }
        for (status, r) in &nr {
            if !or.contains_key(status) {
                let c = claims(self, &r.ptr, Side::New);
                let wire = (is_success(status) && !Self::accepts(&or, status))
                    .then(|| format!("the old client treats {} as an unexpected status", code(status)));
                self.push(
                    Kind::ResponseAdded,
                    r.ptr.clone(),
                    label.into(),
                    format!("{} response {} added", if is_success(status) { "success" } else { "error" }, code(status)),
                    wire,
                    Level::Minor,
                    c,
                    None,
                );
            }
        }
        for (status, orsp) in &or {
            let Some(nrsp) = nr.get(status) else { continue };
            if orsp.reference.is_some() && orsp.reference == nrsp.reference {
                continue; // Shared response: compared once, at the component.
            }
            let top = vec![
                Claim::Key(format!("op:{id}:returns")),
                Claim::KeyPrefix(format!("op:{id}:outcomes:success:{status}")),
                Claim::KeyPrefix(format!("op:{id}:outcomes:error:{status}")),
            ];
            let site = Site {
                dir: Dir::RESPONSE,
                label: format!("{label}: response {}", code(status)),
                schema: None,
                reaches: None,
                top,
                args: vec![],
            };
            self.response_content(orsp, nrsp, &site);
        }
    }

    fn response_content(&mut self, o: &Resolved<'c>, n: &Resolved<'c>, site: &Site) {
        if text(o.v, "description") != text(n.v, "description") {
            self.docs(n.ptr.clone(), site.label.clone(), "description changed".into(), site.reaches.clone());
        }
        self.headers(o, n, site);
        self.content(o, n, site, false);
    }

    /// Response headers, by name (case-insensitive). The generated client hands headers over
    /// untyped (`with_response()`), so they change no Rust item; on the wire, a required header
    /// that goes breaks clients that read it, and a header's schema is received like a body.
    fn headers(&mut self, o: &Resolved<'c>, n: &Resolved<'c>, site: &Site) {
        let map = |doc: &'c Value, r: &Resolved<'c>| -> BTreeMap<String, (String, Resolved<'c>)> {
            r.v.get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, h)| {
                    let ptr = join(&join(&r.ptr, "headers"), k);
                    (k.to_ascii_lowercase(), (k.clone(), resolve_obj(doc, h, ptr)))
                })
                .collect()
        };
        let (oh, nh) = (map(self.old(), o), map(self.new_doc(), n));
        for (key, (name, h)) in &oh {
            if nh.contains_key(key) {
                continue;
            }
            let req = flag(h.v, "required");
            self.push(
                Kind::HeaderRemoved,
                h.ptr.clone(),
                site.label.clone(),
                format!("{} response header {} removed", if req { "required" } else { "optional" }, code(name)),
                req.then(|| "clients that read it find it missing".into()),
                Level::Patch,
                vec![],
                site.reaches.clone(),
            );
        }
        for (key, (name, h)) in &nh {
            let Some((_, old)) = oh.get(key) else {
                self.push(
                    Kind::HeaderAdded,
                    h.ptr.clone(),
                    site.label.clone(),
                    format!("response header {} added", code(name)),
                    None,
                    Level::Minor,
                    vec![],
                    site.reaches.clone(),
                );
                continue;
            };
            let (was, now) = (flag(old.v, "required"), flag(h.v, "required"));
            if was != now {
                self.push(
                    Kind::HeaderRequiredChanged,
                    h.ptr.clone(),
                    site.label.clone(),
                    format!("response header {} becomes {}", code(name), if now { "required" } else { "optional" }),
                    was.then(|| "clients that read it may find it missing".into()),
                    Level::Patch,
                    vec![],
                    site.reaches.clone(),
                );
            }
            if old.reference.is_some() && old.reference == h.reference {
                continue;
            }
            if let (Some(os), Some(ns)) = (old.v.get("schema"), h.v.get("schema")) {
                let hsite = Site {
                    dir: Dir::RESPONSE,
                    label: format!("{}: header {}", site.label, code(name)),
                    schema: None,
                    reaches: site.reaches.clone(),
                    top: vec![],
                    args: vec![],
                };
                let (op, np) = (join(&old.ptr, "schema"), join(&h.ptr, "schema"));
                self.schema(At { v: os, ptr: op }, At { v: ns, ptr: np }, &hsite, &SPath::default(), 0, &[]);
            }
        }
    }

    /// Callbacks of an operation: requests the server makes to the client (not generated, so no
    /// Rust item). A callback that goes breaks nobody; one that comes is an addition; the body
    /// of a kept one is received by the client, compared as a response.
    fn callbacks(&mut self, label: &str, o: &OpAt<'c>, n: &OpAt<'c>) {
        let of = |v: &'c Value| v.get("callbacks").and_then(Value::as_object);
        let (oc, nc) = (of(o.v), of(n.v));
        let (oc, nc) = (oc.unwrap_or(&EMPTY), nc.unwrap_or(&EMPTY));
        for (name, _) in oc.iter().filter(|(k, _)| !nc.contains_key(*k)) {
            self.push(
                Kind::CallbackRemoved,
                join(&join(&o.ptr, "callbacks"), name),
                label.into(),
                format!("callback {} removed (the server no longer calls it)", code(name)),
                None,
                Level::Patch,
                vec![],
                None,
            );
        }
        for (name, cb) in nc {
            let ptr = join(&join(&n.ptr, "callbacks"), name);
            let Some(old_cb) = oc.get(name) else {
                self.push(
                    Kind::CallbackAdded,
                    ptr,
                    label.into(),
                    format!("callback {} added", code(name)),
                    None,
                    Level::Minor,
                    vec![],
                    None,
                );
                continue;
            };
            let (old_cb, new_cb) = (canon::deref(self.old(), old_cb), canon::deref(self.new_doc(), cb));
            let optr = join(&join(&o.ptr, "callbacks"), name);
            for (expr, item) in new_cb.as_object().into_iter().flatten() {
                let Some(old_item) = old_cb.get(expr) else { continue };
                let (old_item, item) = (canon::deref(self.old(), old_item), canon::deref(self.new_doc(), item));
                for (m, ob, nb) in shared_request_bodies(old_item, item) {
                    let base = |p: &str| join(&join(&join(p, expr), m), "requestBody");
                    let ob = resolve_obj(self.old(), ob, base(&optr));
                    let nb = resolve_obj(self.new_doc(), nb, base(&ptr));
                    let site = Site {
                        dir: Dir::RESPONSE,
                        label: format!("{label}: callback {} {} request", code(name), m.to_ascii_uppercase()),
                        schema: None,
                        reaches: None,
                        top: vec![],
                        args: vec![],
                    };
                    self.content(&ob, &nb, &site, false);
                }
            }
        }
    }

    /// Webhooks (`x-webhooks` after normalizing): added, removed, and their payloads compared as
    /// received values.
    fn webhooks(&mut self) {
        let key = crate::spec::normalize::EXT_WEBHOOKS;
        let base = format!("/{key}");
        let (old, new) = (
            self.old().get(key).and_then(Value::as_object).unwrap_or(&EMPTY),
            self.new_doc().get(key).and_then(Value::as_object).unwrap_or(&EMPTY),
        );
        for name in old.keys().filter(|k| !new.contains_key(*k)) {
            self.push(
                Kind::WebhookRemoved,
                join(&base, name),
                format!("webhook {}", code(name)),
                "removed (the API no longer sends it)".into(),
                None,
                Level::Patch,
                vec![Claim::Under(self.co(&join(&base, name)))],
                None,
            );
        }
        for (name, item) in new {
            let ptr = join(&base, name);
            let Some(old_item) = old.get(name) else {
                self.push(
                    Kind::WebhookAdded,
                    ptr.clone(),
                    format!("webhook {}", code(name)),
                    "added".into(),
                    None,
                    Level::Minor,
                    vec![Claim::NewUnder(self.cn(&ptr))],
                    None,
                );
                continue;
            };
            let (old_item, item) = (canon::deref(self.old(), old_item), canon::deref(self.new_doc(), item));
            for (m, ob, nb) in shared_request_bodies(old_item, item) {
                let bptr = join(&join(&ptr, m), "requestBody");
                let ob = resolve_obj(self.old(), ob, bptr.clone());
                let nb = resolve_obj(self.new_doc(), nb, bptr);
                if ob.reference.is_some() && ob.reference == nb.reference {
                    continue;
                }
                let site = Site {
                    dir: Dir::RESPONSE,
                    label: format!("webhook {}", code(name)),
                    schema: None,
                    reaches: None,
                    top: vec![Claim::Under(self.co(&join(&ptr, m))), Claim::Under(self.cn(&join(&ptr, m)))],
                    args: vec![],
                };
                self.content(&ob, &nb, &site, false);
            }
        }
    }

    // ----- components -----------------------------------------------------------------------

    fn component_site(&self, kind: &str, name: &str) -> (Dir, Vec<OpKey>, Vec<String>) {
        let ptr = self.cn(&join(&format!("/components/{kind}"), name));
        let (dir, ops) = self.reach.of(&ptr);
        let labels = ops.iter().map(|k| self.reach.label(k)).collect();
        (dir, ops, labels)
    }

    fn component_schemas(&mut self) {
        let old = self.old().pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&EMPTY);
        let new = self.new_doc().pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&EMPTY);
        let renamed_to: BTreeSet<&String> = self.canon.renames.values().collect();
        for (name, o) in old {
            let target = self.canon.schema_name(Side::Old, name);
            let optr = join("/components/schemas", name);
            let (dir, _, reaches) = self.component_site("schemas", &target);
            match new.get(&target) {
                Some(n) => {
                    let nptr = join("/components/schemas", &target);
                    if target != *name {
                        let renamed = Claim::Renamed {
                            from: crate::naming::type_ident(name),
                            to: crate::naming::type_ident(&target),
                        };
                        self.push(
                            Kind::SchemaRenamed,
                            nptr.clone(),
                            format!("schema {}", code(&target)),
                            format!("renamed from {} (the same schema, so nothing changes on the wire)", code(name)),
                            None,
                            Level::Patch,
                            vec![Claim::TypesUnder(self.cn(&nptr)), renamed],
                            Some(reaches.clone()),
                        );
                    }
                    let site = Site {
                        dir,
                        label: format!("schema {}", code(&target)),
                        schema: Some(target.clone()),
                        reaches: Some(reaches),
                        top: vec![],
                        args: vec![],
                    };
                    self.schema(At { v: o, ptr: optr }, At { v: n, ptr: nptr }, &site, &SPath::default(), 0, &[]);
                }
                None => {
                    self.push(
                        Kind::SchemaRemoved,
                        optr.clone(),
                        format!("schema {}", code(name)),
                        "removed".into(),
                        None,
                        Level::Patch,
                        vec![Claim::GoneUnder(self.co(&optr))],
                        Some(reaches),
                    );
                }
            }
        }
        for name in new.keys() {
            if old.contains_key(name) || renamed_to.contains(name) {
                continue;
            }
            let ptr = join("/components/schemas", name);
            let (_, _, reaches) = self.component_site("schemas", name);
            self.push(
                Kind::SchemaAdded,
                ptr.clone(),
                format!("schema {}", code(name)),
                "added".into(),
                None,
                Level::Minor,
                vec![Claim::NewUnder(self.cn(&ptr))],
                Some(reaches),
            );
        }
    }

    fn component_pairs(&self, kind: &str) -> Vec<(String, Resolved<'c>, Resolved<'c>)> {
        let base = format!("/components/{kind}");
        let (Some(old), Some(new)) = (
            self.old().pointer(&base).and_then(Value::as_object),
            self.new_doc().pointer(&base).and_then(Value::as_object),
        ) else {
            return vec![];
        };
        old.iter()
            .filter_map(|(name, o)| {
                let n = new.get(name)?;
                let ptr = join(&base, name);
                Some((name.clone(), resolve_obj(self.old(), o, ptr.clone()), resolve_obj(self.new_doc(), n, ptr)))
            })
            .collect()
    }

    fn component_parameters(&mut self) {
        for (name, o, n) in self.component_pairs("parameters") {
            let (dir, ops, reaches) = self.component_site("parameters", &name);
            let to_param = |r: &Resolved<'c>| Param {
                v: r.v,
                ptr: r.ptr.clone(),
                reference: None,
                loc: text(r.v, "in").unwrap_or("?").into(),
                name: text(r.v, "name").unwrap_or("?").into(),
                path_level: false,
            };
            let (op, np) = (to_param(&o), to_param(&n));
            let top = vec![Claim::At(self.co(&o.ptr)), Claim::At(self.cn(&n.ptr))];
            let args: Vec<Claim> = ops.iter().map(|k| Claim::KeyPrefix(format!("op:{}:arg:", k.id()))).collect();
            let label = format!("shared {} parameter {} ({})", np.loc, code(&np.name), code(&name));
            if op.loc != np.loc {
                self.push(
                    Kind::ParameterLocationChanged,
                    n.ptr.clone(),
                    label.clone(),
                    format!("moves from the {} to the {}", op.loc, np.loc),
                    Some(format!("the old client sends it in the {}, where the new server does not read it", op.loc)),
                    Level::Patch,
                    top.iter().chain(&args).cloned().collect(),
                    Some(reaches.clone()),
                );
            }
            let site = Site { dir: dir.union(Dir::REQUEST), label, schema: None, reaches: Some(reaches), top, args };
            self.param_content(&op, &np, &site);
        }
    }

    fn component_bodies(&mut self) {
        for (name, o, n) in self.component_pairs("requestBodies") {
            let (_, ops, reaches) = self.component_site("requestBodies", &name);
            let mut top = vec![];
            let mut args = vec![];
            for k in &ops {
                top.push(Claim::Key(format!("op:{}:arg:body", k.id())));
                top.push(Claim::Key(format!("op:{}:setter:body", k.id())));
                args.push(Claim::KeyPrefix(format!("op:{}:arg:", k.id())));
            }
            let site = Site {
                dir: Dir::REQUEST,
                label: format!("shared request body {}", code(&name)),
                schema: None,
                reaches: Some(reaches),
                top,
                args,
            };
            self.body_content(&o, &n, &site);
        }
    }

    fn component_responses(&mut self) {
        for (name, o, n) in self.component_pairs("responses") {
            let (_, ops, reaches) = self.component_site("responses", &name);
            let mut top = vec![];
            for k in &ops {
                top.push(Claim::Key(format!("op:{}:returns", k.id())));
                top.push(Claim::KeyPrefix(format!("op:{}:outcomes:", k.id())));
            }
            let site = Site {
                dir: Dir::RESPONSE,
                label: format!("shared response {}", code(&name)),
                schema: None,
                reaches: Some(reaches),
                top,
                args: vec![],
            };
            self.response_content(&o, &n, &site);
        }
    }
}

/// The methods both path items (of a callback or a webhook) have with a request body, and the
/// two bodies.
fn shared_request_bodies<'v>(
    old_item: &'v serde_json::Value,
    item: &'v serde_json::Value,
) -> impl Iterator<Item = (&'static str, &'v serde_json::Value, &'v serde_json::Value)> {
    METHODS.iter().filter_map(move |m| {
        let body = |i: &'v serde_json::Value| i.get(*m).and_then(|x| x.get("requestBody"));
        Some((*m, body(old_item)?, body(item)?))
    })
}
