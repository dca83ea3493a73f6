//! Sloppy but clear constructs, rewritten before validation, each with a located warning:
//!
//! | written | read as |
//! | --- | --- |
//! | a path key without a leading `/` (`items/{id}`) | `/items/{id}` |
//! | a query string in a path key (`/search?query={query}`) | `/search`; each `{name}` of the query becomes a required string query parameter unless one is declared; a fixed `key=value` is dropped, named in the warning |
//! | `allOf`, `oneOf` or `anyOf` given as a mapping of schemas | the sequence of its values |
//! | a `pattern` written as a number (`pattern: 123`) | its text (`"123"`) |
//! | a callback given as a `$ref` string (`onDone: '#/components/callbacks/Done'`) | `{$ref: ...}` |
//!
//! Anything less clear is left for `validate` to report. Names are never read as keywords: the
//! keys of `properties`, `schemas`, `content` and the other maps of names are names.

use super::pointer::{escape_token, join};
use crate::diagnostics::Diagnostics;
use serde_json::{Map, Value};

/// Maps whose keys are names (of properties, components, media types, ...), not keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "$defs",
    "definitions",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "webhooks",
    "mapping",
];

/// Values that are data, never schemas or keywords.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "value"];

/// Rewrites the constructs of the module docs in place, warning at each.
pub fn repair(doc: &mut Value, diags: &mut Diagnostics) {
    // Keywords first, so that every warning points where the source has the construct.
    let mut moves = Vec::new();
    walk(doc, "", false, &mut moves, diags);
    if !moves.is_empty() {
        for (old, new) in &moves {
            diags.renamed(new.clone(), old.clone());
        }
        follow_moves(doc, &moves);
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        // `x-` keys are specification extensions of the Paths object, not paths: no phase reads
        // them, so they are set aside here rather than checked as path items.
        paths.retain(|key, _| !key.starts_with("x-"));
        repair_path_keys(paths, diags);
    }
}

fn repair_path_keys(paths: &mut Map<String, Value>, diags: &mut Diagnostics) {
    let needs = paths.keys().any(|k| !k.starts_with('/') || k.contains('?'));
    if !needs {
        return;
    }
    let old = std::mem::take(paths);
    let fixed: Vec<String> = old.keys().map(|k| fixed_path(k)).collect();
    for ((key, mut item), new_key) in old.into_iter().zip(fixed.iter().cloned()) {
        let ptr = join("/paths", &key);
        // Two keys that read as the same path: leave both for `validate` to report.
        let clash = new_key != key && fixed.iter().filter(|k| **k == new_key).count() > 1;
        if new_key == key || clash || !new_key.starts_with('/') {
            paths.insert(key, item);
            continue;
        }
        let mut notes = Vec::new();
        if !key.starts_with('/') {
            notes.push("it does not start with `/`".to_string());
        }
        if let Some((_, query)) = key.split_once('?').filter(|(_, q)| is_query(q)) {
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let value = pair.split_once('=').map_or("", |(_, v)| v);
                match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                    Some(name) if !name.is_empty() => {
                        if add_query_parameter(&mut item, name) {
                            notes.push(format!("`{name}` is a required string query parameter"));
                        }
                    }
                    _ => notes.push(format!("the fixed query `{pair}` is not sent")),
                }
            }
        }
        if notes.is_empty() {
            notes.push("its query parameters are declared".into());
        }
        diags.warn(&ptr, format!("path `{key}` is read as `{new_key}`: {}", notes.join("; ")));
        diags.renamed(join("/paths", &new_key), ptr);
        paths.insert(new_key, item);
    }
}

/// The path a key means: a leading `/` added, a query string (`?` then `key=value` pairs)
/// removed.
fn fixed_path(key: &str) -> String {
    let path = match key.split_once('?') {
        Some((path, query)) if is_query(query) => path,
        _ => key,
    };
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// Whether text after a `?` reads as a query string: `key=value` pairs joined by `&`.
fn is_query(query: &str) -> bool {
    !query.is_empty()
        && query.split('&').all(|pair| {
            pair.split_once('=')
                .is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || "-_.[]".contains(c)))
        })
}

/// Adds a required string query parameter `name` to a path item unless it or one of its
/// operations declares a query parameter of that name; whether it was added.
fn add_query_parameter(item: &mut Value, name: &str) -> bool {
    let Some(item) = item.as_object_mut() else { return false };
    let declares = |params: Option<&Value>| {
        params.and_then(Value::as_array).is_some_and(|ps| {
            ps.iter().any(|p| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("query")
            })
        })
    };
    let declared = declares(item.get("parameters"))
        || super::METHODS.iter().any(|m| declares(item.get(*m).and_then(|op| op.get("parameters"))));
    if declared {
        return false;
    }
    let param = serde_json::json!({"name": name, "in": "query", "required": true, "schema": {"type": "string"}});
    match item.entry("parameters").or_insert_with(|| Value::Array(vec![])) {
        Value::Array(ps) => {
            ps.push(param);
            true
        }
        _ => false,
    }
}

/// Walks a value; `names`: its keys are names (see [`NAME_MAPS`]). The document's depth is
/// capped by `load`, so the recursion is bounded.
/// A member of a keyword written as a mapping moves from `old` to `new` (its index).
type Move = (String, String);

fn walk(v: &mut Value, ptr: &str, names: bool, moves: &mut Vec<Move>, diags: &mut Diagnostics) {
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if !names && (DATA.contains(&key.as_str()) || key.starts_with("x-")) {
                    continue;
                }
                let child_ptr = join(ptr, key);
                if !names && key == "callbacks" {
                    repair_callbacks(child, &child_ptr, diags);
                }
                walk(child, &child_ptr, !names && NAME_MAPS.contains(&key.as_str()), moves, diags);
            }
            // After the children, so that their warnings keep the source's pointers.
            if !names {
                repair_keywords(map, ptr, moves, diags);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &join(ptr, &i.to_string()), false, moves, diags);
            }
        }
        _ => {}
    }
}

fn repair_keywords(map: &mut Map<String, Value>, ptr: &str, moves: &mut Vec<Move>, diags: &mut Diagnostics) {
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Object(members)) = map.get(key) {
            if members.values().all(Value::is_object) {
                let names: Vec<String> = members.keys().map(|k| format!("`{k}`")).collect();
                let list = Value::Array(members.values().cloned().collect());
                let at = join(ptr, key);
                for (i, name) in members.keys().enumerate().filter(|(i, name)| i.to_string() != **name) {
                    moves.push((join(&at, name), join(&at, &i.to_string())));
                }
                diags.warn(
                    join(ptr, key),
                    format!(
                        "`{key}` is a mapping; its schemas ({}) are read as a sequence, in order",
                        names.join(", ")
                    ),
                );
                map.insert(key.to_string(), list);
            }
        }
    }
    if let Some(Value::Number(n)) = map.get("pattern") {
        let text = n.to_string();
        diags.warn(
            join(ptr, "pattern"),
            format!("`pattern` is a number; it is read as the regular expression `{text}`"),
        );
        map.insert("pattern".into(), Value::String(text));
    }
}

/// Points every local `$ref` into a moved member at its new place (`allOf/base/...` ->
/// `allOf/0/...`). Moves are applied in the order they were made: inner members first, each
/// recorded under its outer members' names as written.
fn follow_moves(v: &mut Value, moves: &[Move]) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(fragment) = reference.strip_prefix('#') {
                    let mut target = crate::spec::pointer::percent_decode(fragment).into_owned();
                    for (old, new) in moves {
                        if let Some(rest) = target.strip_prefix(old.as_str()) {
                            if rest.is_empty() || rest.starts_with('/') {
                                target = [new.as_str(), rest].concat();
                            }
                        }
                    }
                    if target != crate::spec::pointer::percent_decode(fragment) {
                        *reference = ["#", target.as_str()].concat();
                    }
                }
            }
            map.values_mut().for_each(|child| follow_moves(child, moves));
        }
        Value::Array(items) => items.iter_mut().for_each(|item| follow_moves(item, moves)),
        _ => {}
    }
}

/// `callbacks: {name: '#/components/callbacks/X'}` -> `{name: {$ref: ...}}`.
fn repair_callbacks(callbacks: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(map) = callbacks.as_object_mut() else { return };
    for (name, cb) in map.iter_mut() {
        if let Value::String(reference) = cb {
            if reference.contains('#') {
                diags.warn(
                    format!("{ptr}/{}", escape_token(name)),
                    format!("callback `{name}` is a string; it is read as `$ref: {reference}`"),
                );
                *cb = serde_json::json!({"$ref": reference});
            }
        }
    }
}
