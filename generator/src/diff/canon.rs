//! Stable names for places in two versions of a document.
//!
//! JSON pointers shift between versions for reasons that change nothing: a parameter inserted
//! before another renumbers `parameters/1`, a renamed path variable changes `/users/{id}`, a
//! renamed component changes `/components/schemas/Old`. A *canonical* pointer replaces those
//! tokens with what identifies the thing (`parameters/query:limit`, `/users/{}`, the new
//! component name, `allOf/ref:Base`), so the same element has the same canonical pointer in
//! both versions. Lowering's `origin` pointers and the diff's own pointers are compared in this
//! form.

use crate::spec::pointer::escape_token;
use serde_json::Value;
use std::collections::BTreeMap;

/// Which version of the document a pointer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Old,
    New,
}

/// Canonicalization for one pair of documents.
pub(crate) struct Canon<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    /// Component schemas renamed without other change: old name -> new name.
    pub renames: BTreeMap<String, String>,
}

/// Splits a JSON pointer into unescaped tokens.
pub(crate) fn tokens(ptr: &str) -> Vec<String> {
    if ptr.is_empty() {
        return vec![];
    }
    ptr.trim_start_matches('/').split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

pub(crate) fn pointer(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", escape_token(t))).collect()
}

/// A path template with its variable names dropped: `/users/{id}` -> `/users/{}`.
pub(crate) fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push_str("{}");
            }
            '}' => in_var = false,
            _ if in_var => {}
            _ => out.push(c),
        }
    }
    out
}

/// The identity of an operation across versions: `GET /users/{}`.
pub(crate) fn op_id(method: &str, path: &str) -> String {
    format!("{} {}", method.to_ascii_uppercase(), template(path))
}

/// The component schema a `$ref` names, if it names one.
pub(crate) fn schema_ref(v: &Value) -> Option<String> {
    let r = v.get("$ref")?.as_str()?;
    let rest = r.strip_prefix("#/components/schemas/")?;
    if rest.contains('/') {
        return None;
    }
    Some(rest.replace("~1", "/").replace("~0", "~"))
}

/// `prop=value` for the first property (in name order) of an inline object that allows a single
/// value: how an inline union member is told apart without a name.
fn tag_of(m: &Value) -> Option<String> {
    let props = m.get("properties")?.as_object()?;
    let required = m.get("required").and_then(Value::as_array);
    // A tag is always present: a required property, or one by a conventional tag name. An
    // optional one-value property is a setting (Stripe's `setup_future_usage: {enum: [none]}`,
    // added to a member that keeps its title), not what the member is.
    let tag_like = |name: &str| {
        ["type", "object", "kind"].contains(&name) || required.is_some_and(|r| r.iter().any(|v| v == name))
    };
    let mut names: Vec<&String> = props.keys().filter(|n| tag_like(n)).collect();
    names.sort();
    names.into_iter().find_map(|name| {
        let p = &props[name.as_str()];
        let single = match (p.get(crate::spec::normalize::EXT_CONST), p.get("enum").and_then(Value::as_array)) {
            (Some(c), _) => Some(c),
            (None, Some(vs)) if vs.len() == 1 => vs.first(),
            _ => None,
        }?;
        Some(format!("{name}={}", single.as_str().map_or_else(|| single.to_string(), str::to_string)))
    })
}

/// Resolves a local `$ref` string to its target and its pointer.
pub(crate) fn resolve<'v>(doc: &'v Value, reference: &str) -> Option<(&'v Value, String)> {
    let target = crate::spec::pointer::resolve(doc, reference)?;
    Some((target, reference.trim_start_matches('#').to_string()))
}

/// Follows `$ref`s (at most a few hops) to the object they name.
pub(crate) fn deref<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    let mut cur = v;
    for _ in 0..8 {
        match cur.get("$ref").and_then(Value::as_str).and_then(|r| crate::spec::pointer::resolve(doc, r)) {
            Some(t) => cur = t,
            None => break,
        }
    }
    cur
}

impl Canon<'_> {
    pub fn doc(&self, side: Side) -> &Value {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// A component schema name as the new document spells it.
    pub fn schema_name(&self, side: Side, name: &str) -> String {
        match side {
            Side::Old => self.renames.get(name).cloned().unwrap_or_else(|| name.to_string()),
            Side::New => name.to_string(),
        }
    }

    /// Keys that match `allOf`/`oneOf`/`anyOf` members across versions: a reference by the
    /// schema it names, an inline member by its `type` or `title` when that is unique, else by
    /// its position among the inline members.
    pub fn member_keys(&self, side: Side, members: &[Value]) -> Vec<String> {
        let own_key = |m: &Value| -> Option<String> {
            if let Some(name) = schema_ref(m) {
                return Some(format!("ref:{}", self.schema_name(side, &name)));
            }
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                return Some(format!("ref:{r}"));
            }
            // An inline member that extends a component (`allOf: [$ref Base, {..}]`).
            let bases: Vec<String> = m
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(schema_ref)
                .map(|n| self.schema_name(side, &n))
                .collect();
            if !bases.is_empty() {
                return Some(format!("allOf:{}", bases.join("+")));
            }
            // A one-value member (`const: claude-opus-4-7`, `enum: [auto]`): that value.
            let single = match (m.get(crate::spec::normalize::EXT_CONST), m.get("enum").and_then(Value::as_array)) {
                (Some(c), _) => Some(c),
                (None, Some(vs)) if vs.len() == 1 => vs.first(),
                _ => None,
            };
            if let Some(v) = single {
                return Some(format!("value:{}", v.as_str().map_or_else(|| v.to_string(), str::to_string)));
            }
            // A tagged object: its one-value property (`type: {enum: [card]}`).
            if let Some(tag) = tag_of(m) {
                return Some(format!("tag:{tag}"));
            }
            if let Some(t) = m.get("title").and_then(Value::as_str) {
                return Some(format!("title:{t}"));
            }
            if let Some(t) = m.get("type").and_then(Value::as_str) {
                return Some(format!("type:{t}"));
            }
            m.get("title").and_then(Value::as_str).map(|t| format!("title:{t}"))
        };
        let keys: Vec<Option<String>> = members.iter().map(own_key).collect();
        let mut inline = 0;
        keys.iter()
            .map(|k| {
                let unique = k.as_ref().is_some_and(|k| keys.iter().filter(|o| o.as_ref() == Some(k)).count() == 1);
                let is_ref = k.as_ref().is_some_and(|k| k.starts_with("ref:"));
                if unique || is_ref {
                    k.clone().unwrap_or_default()
                } else {
                    inline += 1;
                    format!("#{}", inline - 1)
                }
            })
            .collect()
    }

    /// The canonical form of a pointer into one side's (normalized) document.
    pub fn ptr(&self, side: Side, ptr: &str) -> String {
        let doc = self.doc(side);
        let toks = tokens(ptr);
        let mut out = Vec::with_capacity(toks.len());
        let mut node = Some(doc);
        for (i, tok) in toks.iter().enumerate() {
            let prev = if i > 0 { toks[i - 1].as_str() } else { "" };
            let mut canon = tok.clone();
            if let (Some(Value::Array(items)), Ok(idx)) = (node, tok.parse::<usize>()) {
                match prev {
                    "parameters" => {
                        if let Some(p) = items.get(idx) {
                            let p = deref(doc, p);
                            let loc = p.get("in").and_then(Value::as_str).unwrap_or("?");
                            let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
                            canon = format!("{loc}:{name}");
                        }
                    }
                    "allOf" | "oneOf" | "anyOf" => {
                        if let Some(k) = self.member_keys(side, items).get(idx) {
                            canon = k.clone();
                        }
                    }
                    _ => {}
                }
            }
            if i == 1 && toks[0] == "paths" {
                canon = template(tok);
            }
            if i == 2 && toks[0] == "components" && toks[1] == "schemas" {
                canon = self.schema_name(side, tok);
            }
            node = node.and_then(|n| match n {
                Value::Object(m) => m.get(tok.as_str()),
                Value::Array(a) => tok.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            });
            out.push(canon);
        }
        pointer(&out)
    }
}

/// Whether `ptr` is `prefix` or lies under it.
pub(crate) fn is_under(ptr: &str, prefix: &str) -> bool {
    ptr == prefix || (ptr.starts_with(prefix) && ptr.as_bytes().get(prefix.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_and_pointers() {
        assert_eq!(template("/users/{id}/posts/{post_id}"), "/users/{}/posts/{}");
        assert_eq!(op_id("get", "/a/{x}"), "GET /a/{}");
        let doc = json!({"paths": {"/u/{id}": {"get": {"parameters": [{"in": "query", "name": "q"}]}}},
                         "components": {"schemas": {"Old": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object"}]}}}});
        let c = Canon { old: &doc, new: &doc, renames: [("Old".to_string(), "New".to_string())].into() };
        assert_eq!(
            c.ptr(Side::New, "/paths/~1u~1{id}/get/parameters/0/schema"),
            "/paths/~1u~1{}/get/parameters/query:q/schema"
        );
        assert_eq!(
            c.ptr(Side::Old, "/components/schemas/Old/allOf/1/properties/x"),
            "/components/schemas/New/allOf/type:object/properties/x"
        );
        assert_eq!(c.ptr(Side::Old, "/components/schemas/Old/allOf/0"), "/components/schemas/New/allOf/ref:B");
        assert!(is_under("/a/b", "/a") && is_under("/a", "/a") && !is_under("/ab", "/a"));
    }
}
