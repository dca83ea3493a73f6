//! Schemas compared by what they accept, not how they are spelled: the effective object of a
//! schema (its own properties and `required` merged with those of its `allOf` members, through
//! `$ref`s), and whether values of one schema are values the other accepts, judged in the
//! direction of use: a response schema is compatible when the old client can decode what the new
//! server sends; a request schema when the new server accepts what the old client sends.

use super::{arr, flag, text};
use crate::diff::canon;
use crate::spec::normalize::{EXT_CONST, EXT_NULL};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How deep compatibility looks before it answers "not shown compatible".
const DEPTH: usize = 12;

/// Follows `$ref`s and single-member wrappers (`allOf`/`anyOf`/`oneOf` of one schema, as
/// normalizing writes a `$ref` with siblings and 3.1 a nullable reference).
pub(crate) fn look_through<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    let mut cur = canon::deref(doc, v);
    for _ in 0..8 {
        let structural = ["type", "properties", "items", "enum", "additionalProperties"];
        if structural.iter().any(|k| cur.get(*k).is_some()) {
            break;
        }
        let single: Vec<&str> = ["allOf", "anyOf", "oneOf"].into_iter().filter(|k| cur.get(*k).is_some()).collect();
        if single.len() != 1 || arr(cur, single[0]).len() != 1 {
            break;
        }
        cur = canon::deref(doc, &arr(cur, single[0])[0]);
    }
    cur
}

/// The properties and required names of a schema with its `allOf` members merged in.
#[derive(Default)]
pub(crate) struct Object<'v> {
    pub props: BTreeMap<String, &'v Value>,
    pub required: BTreeSet<String>,
    /// `additionalProperties: false` somewhere in the merge.
    pub closed: bool,
}

pub(crate) fn object<'v>(doc: &'v Value, v: &'v Value) -> Object<'v> {
    let mut out = Object::default();
    merge(doc, v, &mut out, 0);
    out
}

fn merge<'v>(doc: &'v Value, v: &'v Value, out: &mut Object<'v>, depth: usize) {
    if depth > DEPTH {
        return;
    }
    let v = canon::deref(doc, v);
    if let Some(props) = v.get("properties").and_then(Value::as_object) {
        for (k, p) in props {
            out.props.entry(k.clone()).or_insert(p);
        }
    }
    out.required.extend(arr(v, "required").iter().filter_map(Value::as_str).map(str::to_string));
    out.closed |= v.get("additionalProperties") == Some(&Value::Bool(false));
    for m in arr(v, "allOf") {
        merge(doc, m, out, depth + 1);
    }
}

/// The Rust scalar lowering gives a `type` and `format` (see `lower/schema.rs`): a format change
/// that keeps it changes no value the client sends or accepts.
pub(crate) fn scalar(typ: Option<&str>, format: Option<&str>) -> Option<&'static str> {
    Some(match (typ?, format) {
        ("string", Some("date-time")) => "DateTime",
        ("string", Some("date")) => "NaiveDate",
        ("string", Some("binary")) => "Bytes",
        ("string", _) => "String",
        ("number", Some("decimal")) => "Number",
        ("number", _) => "f64",
        ("integer", Some("int32")) => "i32",
        ("integer", Some("int8")) => "i8",
        ("integer", Some("int16")) => "i16",
        ("integer", Some("uint8")) => "u8",
        ("integer", Some("uint16")) => "u16",
        ("integer", Some("uint32")) => "u32",
        ("integer", Some("uint64" | "uint")) => "u64",
        ("integer", _) => "i64",
        ("boolean", _) => "bool",
        _ => return None,
    })
}

/// Which side's values flow into which: `Request` when the old client's values must be
/// accepted by the new schema, `Response` when the new server's values must be accepted by the
/// old schema.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Request,
    Response,
}

/// Whether every value the sending side writes is accepted by the receiving side, as far as a
/// structural look can tell (`false` when in doubt).
pub(crate) fn compatible(old_doc: &Value, old: &Value, new_doc: &Value, new: &Value, flow: Flow) -> bool {
    let (from, from_doc, to, to_doc) = match flow {
        Flow::Request => (old, old_doc, new, new_doc),
        Flow::Response => (new, new_doc, old, old_doc),
    };
    accepts(to_doc, to, from_doc, from, false, 0)
}

fn nullable(v: &Value) -> bool {
    flag(v, "nullable") || flag(v, EXT_NULL)
}

fn union_members(v: &Value) -> Option<&[Value]> {
    ["oneOf", "anyOf"].into_iter().find_map(|k| v.get(k).and_then(Value::as_array).map(Vec::as_slice))
}

/// Whether the schema `to` accepts every value of the schema `from` (`null_ok`: `to` sits in a
/// nullable union, which accepts `null` whatever its members say).
fn accepts(to_doc: &Value, to: &Value, from_doc: &Value, from: &Value, null_ok: bool, depth: usize) -> bool {
    if depth > DEPTH {
        return false;
    }
    let (to, from) = (look_through(to_doc, to), look_through(from_doc, from));
    let null_ok = null_ok || nullable(to);
    if nullable(from) && !null_ok {
        return false;
    }
    let accepts = |to: &Value, from: &Value, null_ok: bool| accepts(to_doc, to, from_doc, from, null_ok, depth + 1);
    // Anything is accepted by an unconstrained schema.
    let constrained = ["type", "properties", "items", "enum", "oneOf", "anyOf", "allOf", "additionalProperties", "not"];
    if !constrained.iter().any(|k| to.get(*k).is_some()) && to.get(EXT_CONST).is_none() {
        return true;
    }
    // A union on the sending side: each alternative must be accepted.
    if let Some(ms) = union_members(from) {
        if union_members(to).is_none() {
            return ms.iter().all(|m| accepts(to, m, null_ok));
        }
    }
    // A union on the receiving side: some alternative accepts it all (or, union to union, each
    // alternative sent is accepted by one received; an enum, each of its values by one).
    if let Some(ms) = union_members(to) {
        return match (union_members(from), enum_of(from)) {
            (Some(fs), _) => fs.iter().all(|f| ms.iter().any(|m| accepts(m, f, null_ok))),
            (None, Some(values)) => values.iter().all(|v| {
                let one = serde_json::json!({ EXT_CONST: v });
                v.is_null() || ms.iter().any(|m| accepts(m, &one, null_ok))
            }),
            (None, None) => ms.iter().any(|m| accepts(m, from, null_ok)),
        };
    }
    if let Some(tv) = enum_of(to) {
        return match enum_of(from) {
            Some(fv) => fv.iter().all(|v| tv.contains(v) || (v.is_null() && null_ok)),
            None => false,
        };
    }
    // Values (an enum's, one by one) against a typed schema without an enum.
    if let Some(values) = enum_of(from) {
        let t = text(to, "type");
        let fits = |v: &Value| match (t, v) {
            (_, Value::Null) => null_ok,
            (Some("string"), Value::String(_)) => true,
            (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Some("number"), Value::Number(_)) => true,
            (Some("boolean"), Value::Bool(_)) => true,
            _ => false,
        };
        if text(from, "type").is_none() || text(from, "type") == t {
            return t.is_some() && to.get("format").is_none() && values.iter().all(fits);
        }
    }
    let (tt, ft) = (kind(to), kind(from));
    if tt != ft && !(tt.as_deref() == Some("number") && ft.as_deref() == Some("integer")) {
        return false;
    }
    match tt.as_deref() {
        Some("object") => {
            let (t, f) = (object(to_doc, to), object(from_doc, from));
            // What the receiver requires, the sender always writes.
            if !t.required.iter().all(|r| f.required.contains(r)) {
                return false;
            }
            // What the sender may write, the receiver must accept.
            f.props.iter().all(|(name, fp)| match t.props.get(name) {
                Some(tp) => accepts(tp, fp, false),
                None => !t.closed,
            })
        }
        Some("array") => match (to.get("items"), from.get("items")) {
            (Some(ti), Some(fi)) => accepts(ti, fi, false),
            (None, _) => true,
            (Some(_), None) => false,
        },
        Some(t) => {
            let (a, b) = (scalar(Some(t), text(to, "format")), scalar(ft.as_deref(), text(from, "format")));
            a == b || (t == "number" && ft.as_deref() == Some("integer"))
        }
        None => false,
    }
}

fn enum_of(v: &Value) -> Option<Vec<Value>> {
    if let Some(c) = v.get(EXT_CONST) {
        return Some(vec![c.clone()]);
    }
    v.get("enum").and_then(Value::as_array).cloned()
}

/// `type`, or what the keywords imply.
fn kind(v: &Value) -> Option<String> {
    if let Some(t) = text(v, "type") {
        return Some(t.to_string());
    }
    if v.get("properties").is_some() || v.get("additionalProperties").is_some() || v.get("allOf").is_some() {
        return Some("object".into());
    }
    v.get("items").map(|_| "array".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compatibility_follows_the_direction_of_use() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "B": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}},
            "C": {"type": "object", "required": ["id", "note"], "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}
        }}});
        let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
        // A superset with optional extras: fine both ways.
        assert!(compatible(&doc, &r("A"), &doc, &r("B"), Flow::Response));
        assert!(compatible(&doc, &r("A"), &doc, &r("B"), Flow::Request));
        // A new required property: the old client does not send it.
        assert!(!compatible(&doc, &r("A"), &doc, &r("C"), Flow::Request));
        assert!(compatible(&doc, &r("A"), &doc, &r("C"), Flow::Response));
        // Widened to a union that contains the old type: fine to send, not to receive.
        let s = json!({"type": "string"});
        let u = json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]});
        assert!(compatible(&doc, &s, &doc, &u, Flow::Request));
        assert!(!compatible(&doc, &s, &doc, &u, Flow::Response));
        // The same Rust scalar.
        assert!(compatible(
            &doc,
            &json!({"type": "integer"}),
            &doc,
            &json!({"type": "integer", "format": "int64"}),
            Flow::Request
        ));
        assert!(!compatible(
            &doc,
            &json!({"type": "integer"}),
            &doc,
            &json!({"type": "integer", "format": "int32"}),
            Flow::Request
        ));
        // An enum split into one-value alternatives; a nullable value into a nullable union.
        let e = json!({"type": "string", "enum": ["a", "b"]});
        let one = |v: &str| json!({"type": "string", "enum": [v]});
        let split = json!({"oneOf": [one("a"), one("b"), one("c")]});
        assert!(compatible(&doc, &e, &doc, &split, Flow::Request));
        assert!(!compatible(&doc, &e, &doc, &split, Flow::Response));
        let ns = json!({"type": "string", "nullable": true});
        let object = json!({"type": "object", "properties": {"name": {"type": "string"}}});
        let nu = json!({"nullable": true, "oneOf": [{"type": "string"}, object]});
        assert!(compatible(&doc, &ns, &doc, &nu, Flow::Request));
        let not_null = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(!compatible(&doc, &ns, &doc, &not_null, Flow::Request));
    }
}
