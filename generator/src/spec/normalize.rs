//! The front, normalize: OpenAPI 3.1 (and loose 3.0) -> the 3.0 model `openapiv3` reads.
//!
//! `openapiv3` only understands 3.0. Each 3.1 construct is rewritten into an equivalent 3.0 form,
//! and where 3.0 has no equivalent the information is kept in an `x-sdkgen-*` extension that the
//! lowering phase reads back:
//!
//! | 3.1 | 3.0 form |
//! | --- | --- |
//! | `type: [string, 'null']` | `type: string, nullable: true` |
//! | `type: [string, number]` | `anyOf` of one schema per type, marked `x-sdkgen-type-union` |
//! | `type: 'null'` | `x-sdkgen-null: true` |
//! | `anyOf/oneOf: [X, {type: 'null'}]` | `X`'s composition with `nullable: true` |
//! | `const: v` | `enum: [v]` + `x-sdkgen-const: v` |
//! | `examples: [a, b]` in a schema | `example: a` + `x-sdkgen-examples: [a, b]` |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` with the siblings kept |
//! | numeric `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` |
//! | boolean schemas `true` / `false` | `{}` / `{not: {}}` |
//! | `webhooks` | `x-webhooks` (still normalized) |
//! | missing `paths` | `paths: {}` |
//! | a media type's `itemSchema` (3.2) | `x-sdkgen-item-schema` |

use super::pointer::join;
use super::METHODS;
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::{json, Map, Value};

pub const EXT_TYPE_UNION: &str = "x-sdkgen-type-union";
pub const EXT_NULL: &str = "x-sdkgen-null";
pub const EXT_CONST: &str = "x-sdkgen-const";
pub const EXT_EXAMPLES: &str = "x-sdkgen-examples";
/// A media type's `itemSchema` (OpenAPI 3.2), which `openapiv3` does not read.
pub const EXT_ITEM_SCHEMA: &str = "x-sdkgen-item-schema";
pub const EXT_WEBHOOKS: &str = "x-webhooks";
/// Where the webhooks are in the document as written: `webhooks` (3.1) is moved to
/// [`EXT_WEBHOOKS`], and this records it, so that diagnostics point at the source.
pub const EXT_WEBHOOKS_MOVED: &str = "x-sdkgen-webhooks-moved";
/// The `openapi` version the document declared before normalizing.
/// The `scheme` a 3.1 `mutualTLS` security scheme is read under: `openapiv3` knows only the 3.0
/// scheme types, so it becomes `{type: http, scheme: x-sdkgen-mutual-tls}`.
pub const MUTUAL_TLS_SCHEME: &str = "x-sdkgen-mutual-tls";
pub const EXT_SOURCE_VERSION: &str = "x-sdkgen-source-version";

/// The pointer to the webhooks in the document as written (`/webhooks` in 3.1, or the
/// `/x-webhooks` extension that 3.0 documents such as GitHub's use), given the normalized root.
pub fn webhooks_pointer(root: &Map<String, Value>) -> &'static str {
    if root.get(EXT_WEBHOOKS_MOVED) == Some(&Value::Bool(true)) {
        "/webhooks"
    } else {
        "/x-webhooks"
    }
}

/// Rewrites `doc` in place. Warnings go to `diags` for constructs kept only approximately.
pub fn normalize(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else { return };
    if let Some(Value::String(v)) = root.get("openapi") {
        let v = v.clone();
        if v.starts_with("3.1") {
            root.insert("openapi".into(), Value::String("3.0.3".into()));
        }
        root.insert(EXT_SOURCE_VERSION.into(), Value::String(v));
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), json!({}));
    }
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert(EXT_WEBHOOKS.into(), webhooks);
        root.insert(EXT_WEBHOOKS_MOVED.into(), Value::Bool(true));
    }
    root.remove("jsonSchemaDialect");
    if let Some(Value::Object(schemes)) = root.get_mut("components").and_then(|c| c.get_mut("securitySchemes")) {
        for scheme in schemes.values_mut().filter_map(Value::as_object_mut) {
            if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                scheme.insert("type".into(), Value::String("http".into()));
                scheme.insert("scheme".into(), Value::String(MUTUAL_TLS_SCHEME.into()));
            }
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        // Validation warned about a missing version; `openapiv3` requires one.
        info.entry("version").or_insert_with(|| Value::String("unspecified".into()));
        // 3.1 adds `info.summary` and `license.identifier`; openapiv3 would drop them silently.
        if let Some(summary) = info.remove("summary") {
            info.insert("x-summary".into(), summary);
        }
        if let Some(Value::Object(lic)) = info.get_mut("license") {
            if let Some(id) = lic.remove("identifier") {
                lic.insert("x-identifier".into(), id);
            }
        }
    }

    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            walk_path_item(item, &join("/paths", path), diags);
        }
    }
    let at = webhooks_pointer(root);
    if let Some(Value::Object(hooks)) = root.get_mut(EXT_WEBHOOKS) {
        for (name, item) in hooks.iter_mut() {
            walk_path_item(item, &join(at, name), diags);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        walk_map(components, "schemas", "/components", diags, walk_schema);
        walk_map(components, "parameters", "/components", diags, walk_parameter);
        walk_map(components, "headers", "/components", diags, walk_parameter);
        walk_map(components, "responses", "/components", diags, walk_response);
        walk_map(components, "requestBodies", "/components", diags, walk_request_body);
        if let Some(Value::Object(items)) = components.get_mut("pathItems") {
            for (name, item) in items.iter_mut() {
                walk_path_item(item, &join("/components/pathItems", name), diags);
            }
        }
    }
}

fn walk_map(
    obj: &mut Map<String, Value>,
    key: &str,
    base: &str,
    diags: &mut Diagnostics,
    f: impl Fn(&mut Value, &str, &mut Diagnostics),
) {
    if let Some(Value::Object(entries)) = obj.get_mut(key) {
        let base = join(base, key);
        for (name, v) in entries.iter_mut() {
            f(v, &join(&base, name), diags);
        }
    }
}

fn walk_path_item(item: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = item.as_object_mut() else { return };
    strip_ref_siblings(obj);
    walk_array(obj, "parameters", ptr, diags, walk_parameter);
    for m in METHODS {
        if let Some(Value::Object(op)) = obj.get_mut(m) {
            let op_ptr = join(ptr, m);
            // 3.1 makes `responses` optional; openapiv3 requires it.
            op.entry("responses").or_insert_with(|| json!({}));
            walk_array(op, "parameters", &op_ptr, diags, walk_parameter);
            if let Some(body) = op.get_mut("requestBody") {
                walk_request_body(body, &join(&op_ptr, "requestBody"), diags);
            }
            walk_map(op, "responses", &op_ptr, diags, walk_response);
            if let Some(Value::Object(cbs)) = op.get_mut("callbacks") {
                for (name, cb) in cbs.iter_mut() {
                    if cb.get("$ref").is_some() {
                        // `openapiv3` reads no callback by reference; callbacks are not
                        // generated (the server calls them), so it is left empty.
                        diags.warn(
                            join(&join(&op_ptr, "callbacks"), name),
                            "a callback by reference is not followed (callbacks are requests the server makes; no client code is generated for them)",
                        );
                        *cb = json!({});
                    }
                    if let Value::Object(exprs) = cb {
                        for (expr, pi) in exprs.iter_mut() {
                            walk_path_item(pi, &join(&join(&join(&op_ptr, "callbacks"), name), expr), diags);
                        }
                    }
                }
            }
        }
    }
}

fn walk_array(
    obj: &mut Map<String, Value>,
    key: &str,
    base: &str,
    diags: &mut Diagnostics,
    f: impl Fn(&mut Value, &str, &mut Diagnostics),
) {
    if let Some(Value::Array(items)) = obj.get_mut(key) {
        let base = join(base, key);
        for (i, v) in items.iter_mut().enumerate() {
            f(v, &join(&base, &i.to_string()), diags);
        }
    }
}

/// Parameters and headers: a schema, or `content` with media types.
fn walk_parameter(p: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = p.as_object_mut() else { return };
    if strip_ref_siblings(obj) {
        return;
    }
    if let Some(s) = obj.get_mut("schema") {
        walk_schema(s, &join(ptr, "schema"), diags);
    }
    walk_content(obj, ptr, diags);
}

fn walk_response(r: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = r.as_object_mut() else { return };
    if strip_ref_siblings(obj) {
        return;
    }
    // 3.1 allows a response without `description`; openapiv3 requires the field.
    obj.entry("description").or_insert_with(|| Value::String(String::new()));
    walk_map(obj, "headers", ptr, diags, walk_parameter);
    walk_content(obj, ptr, diags);
}

fn walk_request_body(b: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    let Some(obj) = b.as_object_mut() else { return };
    if strip_ref_siblings(obj) {
        return;
    }
    walk_content(obj, ptr, diags);
}

fn walk_content(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    if let Some(Value::Object(content)) = obj.get_mut("content") {
        let base = join(ptr, "content");
        for (mt, media) in content.iter_mut() {
            if let Value::Object(m) = media {
                if let Some(s) = m.get_mut("schema") {
                    walk_schema(s, &join(&join(&base, mt), "schema"), diags);
                }
                // 3.2's schema of one item of a sequential media type (an event of
                // `text/event-stream`): kept where `openapiv3` keeps extensions.
                if let Some(mut s) = m.remove("itemSchema") {
                    walk_schema(&mut s, &join(&join(&base, mt), "itemSchema"), diags);
                    m.insert(EXT_ITEM_SCHEMA.to_string(), s);
                }
            }
        }
    }
}

/// A `$ref` object outside schemas may carry `summary`/`description` in 3.1; the referenced object
/// has the same information, so the overrides are dropped. Returns true when `obj` is a reference.
fn strip_ref_siblings(obj: &mut Map<String, Value>) -> bool {
    if obj.contains_key("$ref") {
        obj.retain(|k, _| k == "$ref");
        true
    } else {
        false
    }
}

const STRING_KEYS: [&str; 5] = ["format", "pattern", "minLength", "maxLength", "contentEncoding"];
const NUMBER_KEYS: [&str; 6] = ["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const ARRAY_KEYS: [&str; 5] = ["items", "minItems", "maxItems", "uniqueItems", "prefixItems"];
const OBJECT_KEYS: [&str; 5] = ["properties", "required", "additionalProperties", "minProperties", "maxProperties"];

/// Normalizes one schema and, recursively, every schema inside it.
pub fn walk_schema(s: &mut Value, ptr: &str, diags: &mut Diagnostics) {
    match s {
        Value::Bool(true) => {
            *s = json!({});
            return;
        }
        Value::Bool(false) => {
            *s = json!({"not": {}});
            return;
        }
        Value::Object(_) => {}
        _ => return,
    }
    let Value::Object(obj) = s else { return };

    // `$ref` with siblings: 3.0 ignores the siblings, 3.1 applies them. Keep them by wrapping.
    if obj.contains_key("$ref") && obj.len() > 1 {
        let r = obj.remove("$ref").expect("invariant: checked above");
        let mut wrapped = Map::new();
        wrapped.insert("$ref".into(), r);
        let all_of = match obj.remove("allOf") {
            Some(Value::Array(mut items)) => {
                items.insert(0, Value::Object(wrapped));
                items
            }
            _ => vec![Value::Object(wrapped)],
        };
        obj.insert("allOf".into(), Value::Array(all_of));
    }

    if let Some(ex) = obj.remove("examples") {
        match ex {
            Value::Array(items) => {
                if !obj.contains_key("example") {
                    if let Some(first) = items.first() {
                        obj.insert("example".into(), first.clone());
                    }
                }
                obj.insert(EXT_EXAMPLES.into(), Value::Array(items));
            }
            other => {
                obj.insert(EXT_EXAMPLES.into(), other);
            }
        }
    }

    let konst = obj.remove("const");
    let has_const = konst.is_some();
    if let Some(c) = konst {
        if c.is_null() {
            obj.insert("nullable".into(), Value::Bool(true));
            obj.insert(EXT_NULL.into(), Value::Bool(true));
        } else {
            obj.insert("enum".into(), Value::Array(vec![c.clone()]));
            if !obj.contains_key("type") {
                if let Some(t) = json_type_name(&c) {
                    obj.insert("type".into(), Value::String(t.into()));
                }
            }
        }
        obj.insert(EXT_CONST.into(), obj.get("enum").and_then(|e| e.get(0)).cloned().unwrap_or(Value::Null));
    }

    for (key, flag) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(n)) = obj.get(key) {
            let n = n.clone();
            obj.insert(flag.into(), Value::Number(n));
            obj.insert(key.into(), Value::Bool(true));
        }
    }

    if let Some(enc) = obj.get("contentEncoding").and_then(Value::as_str) {
        if enc == "base64" && !obj.contains_key("format") {
            obj.insert("format".into(), Value::String("byte".into()));
        }
    }
    if obj.contains_key("contentMediaType") && !obj.contains_key("contentEncoding") && !obj.contains_key("format") {
        obj.insert("format".into(), Value::String("binary".into()));
    }

    // Drop `null` from enum lists: it only says the value may be null (`const` may have added
    // the list).
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        let before = values.len();
        values.retain(|v| !v.is_null());
        if values.len() != before {
            obj.insert("nullable".into(), Value::Bool(true));
            if obj.get("enum").and_then(Value::as_array).is_some_and(Vec::is_empty) {
                obj.remove("enum");
            }
        }
    }

    if obj.contains_key("type") || has_const {
        normalize_type(obj, ptr, diags);
    }
    // `items` constrains arrays only: beside one other `type` no value is an array, and the
    // schema is that type (Anthropic's `anthropic-beta` header is `type: string` with `items`).
    if let Some(Value::String(t)) = obj.get("type") {
        if t != "array" && obj.contains_key("items") {
            let t = t.clone();
            obj.remove("items");
            diags.push(
                Diagnostic::warning(
                    join(ptr, "items"),
                    format!("`items` applies to arrays only; the schema is `type: {t}`, so `items` is ignored"),
                )
                .with_hint("for a list, make the schema `type: array`"),
            );
        }
    }

    // Recurse into child schemas.
    for key in ["items", "additionalProperties", "not", "contains", "propertyNames", "unevaluatedProperties"] {
        if let Some(child) = obj.get_mut(key) {
            if key == "additionalProperties" && child.is_boolean() {
                continue;
            }
            walk_schema(child, &join(ptr, key), diags);
        }
    }
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(props)) = obj.get_mut(key) {
            let base = join(ptr, key);
            for (name, child) in props.iter_mut() {
                walk_schema(child, &join(&base, name), diags);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            let base = join(ptr, key);
            for (i, child) in items.iter_mut().enumerate() {
                walk_schema(child, &join(&base, &i.to_string()), diags);
            }
        }
    }
    for key in
        ["patternProperties", "$defs", "prefixItems", "if", "then", "else", "dependentSchemas", "unevaluatedProperties"]
    {
        if obj.contains_key(key) {
            diags.warn(join(ptr, key), format!("`{key}` is not modelled by the generator and is ignored for typing"));
        }
    }

    // `anyOf`/`oneOf` with a `null` member means "nullable".
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            let before = items.len();
            items.retain(|m| !is_null_schema(m));
            if items.len() != before {
                obj.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get(EXT_NULL).and_then(Value::as_bool) == Some(true)
        && v.as_object().is_some_and(|o| o.keys().all(|k| k == EXT_NULL || k == "nullable" || k == "description"))
}

fn json_type_name(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

fn normalize_type(obj: &mut Map<String, Value>, ptr: &str, diags: &mut Diagnostics) {
    let types: Vec<String> = match obj.get("type") {
        Some(Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str().map(str::to_string)).collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".into()],
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut non_null: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    // Each type is one branch that copies the keywords of its type: each type once, or a list
    // repeating `object` copies the properties as often.
    let mut seen = std::collections::HashSet::new();
    non_null.retain(|t| seen.insert(t.clone()));
    if nullable {
        obj.insert("nullable".into(), Value::Bool(true));
    }
    match non_null.len() {
        0 => {
            obj.remove("type");
            obj.insert(EXT_NULL.into(), Value::Bool(true));
        }
        1 => {
            obj.insert("type".into(), Value::String(non_null.remove(0)));
        }
        _ => {
            obj.remove("type");
            if obj.contains_key("anyOf") || obj.contains_key("oneOf") {
                diags.warn(join(ptr, "type"), "a type list combined with anyOf/oneOf is read as the anyOf/oneOf alone");
                return;
            }
            // One branch per type, each with the keywords that apply to that type.
            let enum_values = obj.remove("enum");
            let mut branches = Vec::new();
            for t in &non_null {
                let mut b = Map::new();
                b.insert("type".into(), Value::String(t.clone()));
                let keys: &[&str] = match t.as_str() {
                    "string" => &STRING_KEYS,
                    "number" | "integer" => &NUMBER_KEYS,
                    "array" => &ARRAY_KEYS,
                    "object" => &OBJECT_KEYS,
                    _ => &[],
                };
                for k in keys {
                    if let Some(v) = obj.get(*k) {
                        b.insert((*k).into(), v.clone());
                    }
                }
                if let Some(Value::Array(vals)) = &enum_values {
                    let mine: Vec<Value> = vals
                        .iter()
                        .filter(|v| json_type_name(v) == Some(t.as_str()) || (t == "number" && v.is_number()))
                        .cloned()
                        .collect();
                    if !mine.is_empty() {
                        b.insert("enum".into(), Value::Array(mine));
                    }
                }
                branches.push(Value::Object(b));
            }
            for keys in [&STRING_KEYS[..], &NUMBER_KEYS[..], &ARRAY_KEYS[..], &OBJECT_KEYS[..]] {
                for k in keys {
                    obj.remove(*k);
                }
            }
            obj.insert("anyOf".into(), Value::Array(branches));
            obj.insert(EXT_TYPE_UNION.into(), Value::Bool(true));
        }
    }
}
