//! The front, validate: checks that need the whole document, reported all at once with JSON pointers.
//!
//! Runs on the document as the user wrote it (before normalizing), so every pointer names a
//! place the user can find in their file.

use super::load::kind_of;
use super::pointer::{self, join};
use super::METHODS;
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::Value;
use std::collections::BTreeMap;

/// Checks the version, the required top-level fields, every `$ref` and operationId uniqueness.
pub fn validate_document(doc: &Value) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(root) = doc.as_object() else {
        diags.error("", "the top level is not a mapping");
        return diags;
    };

    if let Some(v) = root.get("swagger") {
        diags.push(
            Diagnostic::error(
                "/swagger",
                format!("this is a Swagger {} document, not OpenAPI 3", v.as_str().unwrap_or("2.x")),
            )
            .with_hint(
                "convert it to OpenAPI 3 first, for example with swagger2openapi or the Swagger Editor's converter",
            ),
        );
        return diags;
    }
    match root.get("openapi") {
        None => diags.push(
            Diagnostic::error("", "missing `openapi` version field")
                .with_hint("add `openapi: 3.1.0` (or 3.0.x) at the top of the document"),
        ),
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") || v == "3.0" || v == "3.1" => {}
        Some(Value::String(v)) => diags.push(
            Diagnostic::error("/openapi", format!("unsupported OpenAPI version `{v}`"))
                .with_hint("this generator reads OpenAPI 3.0.x and 3.1.x"),
        ),
        Some(other) => diags.push(
            Diagnostic::error("/openapi", format!("`openapi` is {}, expected a version string", kind_of(other)))
                .with_hint("quote the version: `openapi: \"3.1.0\"`"),
        ),
    }
    let is_31 = root.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1"));
    match root.get("info") {
        None => diags.push(Diagnostic::error("", "missing `info`").with_hint("add `info:` with `title` and `version`")),
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                match info.get(key) {
                    None if key == "version" => diags.push(
                        Diagnostic::warning(
                            "/info",
                            "missing `info.version`: the API is described as version `unspecified`",
                        )
                        .with_hint("the crate is versioned 0.1.0 unless `--crate-version` sets it"),
                    ),
                    None => diags.error("/info", format!("missing `info.{key}`")),
                    Some(Value::String(_)) => {}
                    Some(other) => diags.push(
                        Diagnostic::error(
                            join("/info", key),
                            format!("`{key}` is {}, expected a string", kind_of(other)),
                        )
                        .with_hint("quote the value"),
                    ),
                }
            }
        }
        Some(other) => diags.error("/info", format!("`info` is {}, expected a mapping", kind_of(other))),
    }
    match root.get("paths") {
        None if !is_31 => diags.push(
            Diagnostic::error("", "missing `paths`")
                .with_hint("OpenAPI 3.0 requires `paths:` (it may be empty: `paths: {}`)"),
        ),
        None | Some(Value::Object(_)) => {}
        Some(other) => diags.error("/paths", format!("`paths` is {}, expected a mapping", kind_of(other))),
    }
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            let ptr = join("/paths", path);
            if !path.starts_with('/') {
                diags.push(
                    Diagnostic::error(&ptr, format!("path `{path}` does not start with `/`"))
                        .with_hint(format!("write it as `/{path}`")),
                );
            }
            if !item.is_object() {
                diags.error(&ptr, format!("a path item is {}, expected a mapping", kind_of(item)));
            }
        }
    }

    check_refs(doc, doc, &mut String::new(), &mut diags, 0, false);
    check_operation_ids(root, &mut diags);
    shapes::check_document(root, &mut diags);
    check_all_of_cycles(root, &mut diags);
    check_server_urls(root, &mut diags);
    diags
}

/// The base URLs of the top-level servers, their variables' defaults substituted (what lowering
/// and the diff use), stay within [`super::MAX_SERVER_URL`].
fn check_server_urls(root: &serde_json::Map<String, Value>, diags: &mut Diagnostics) {
    let Some(Value::Array(servers)) = root.get("servers") else { return };
    for (i, server) in servers.iter().enumerate() {
        let Some(url) = server.get("url").and_then(Value::as_str) else { continue };
        let vars = server.get("variables");
        let default = |name: &str| vars?.get(name)?.get("default")?.as_str();
        if super::server_url(url, default).is_none() {
            diags.push(
                Diagnostic::error(
                    join(&join("/servers", &i.to_string()), "url"),
                    format!(
                        "the URL with its variables' defaults substituted is longer than {} bytes",
                        super::MAX_SERVER_URL
                    ),
                )
                .with_hint("each `{name}` is replaced by its default once (defaults are not expanded again)"),
            );
        }
    }
}

/// Component schemas that are made of themselves through `$ref` and `allOf` alone (`A: allOf
/// [B]`, `B: allOf [A]`) describe no finite type. Generation goes on (the cycle is typed as any
/// JSON value, or merged without the member that closes it), so each cycle is a warning, once.
/// Recursion through properties, items or unions is fine: it is boxed.
fn check_all_of_cycles(root: &serde_json::Map<String, Value>, diags: &mut Diagnostics) {
    let Some(Value::Object(schemas)) = root.get("components").and_then(|c| c.get("schemas")) else { return };
    let names: Vec<&String> = schemas.keys().collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = schemas
        .values()
        .map(|s| {
            let mut out = Vec::new();
            merged_refs(s, &index, &mut out, 0);
            out
        })
        .collect();
    // Iterative depth-first search; a grey target closes a cycle.
    let (white, grey, black) = (0u8, 1u8, 2u8);
    let mut color = vec![white; names.len()];
    let mut reported: std::collections::BTreeSet<Vec<usize>> = Default::default();
    for start in 0..names.len() {
        if color[start] != white {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        color[start] = grey;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&to) = edges[node].get(*next) else {
                color[node] = black;
                stack.pop();
                continue;
            };
            *next += 1;
            if color[to] == white {
                color[to] = grey;
                stack.push((to, 0));
            } else if color[to] == grey {
                let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                let cycle: Vec<usize> = stack[from..].iter().map(|&(n, _)| n).collect();
                let mut key = cycle.clone();
                key.sort_unstable();
                if reported.insert(key) {
                    let path: Vec<&str> = cycle.iter().chain([&to]).map(|&n| names[n].as_str()).collect();
                    diags.push(
                        Diagnostic::warning(
                            join("/components/schemas", names[to]),
                            format!(
                                "`{}` is made of itself through `$ref`/`allOf` ({}); no type can represent it, so the cycle is left out (any JSON value where nothing else remains)",
                                names[to],
                                path.join(" -> ")
                            ),
                        )
                        .with_hint("a type can contain itself only through a property, an array item or a union member"),
                    );
                }
            }
        }
    }
}

/// The component schemas `s` is merged from: its own `$ref` and its `allOf` members', recursively
/// through inline members.
fn merged_refs(s: &Value, index: &BTreeMap<&str, usize>, out: &mut Vec<usize>, depth: usize) {
    if depth > crate::spec::load::MAX_DEPTH {
        return;
    }
    let Value::Object(obj) = s else { return };
    if let Some(Value::String(r)) = obj.get("$ref") {
        let name = r
            .strip_prefix("#/components/schemas/")
            .map(|n| pointer::percent_decode(n).replace("~1", "/").replace("~0", "~"));
        if let Some(&i) = name.as_deref().and_then(|n| index.get(n)) {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
    if let Some(Value::Array(members)) = obj.get("allOf") {
        for m in members {
            merged_refs(m, index, out, depth + 1);
        }
    }
}

/// `ptr` is the pointer of `v`; it is extended in place for each child (and restored), so a
/// pointer string is built only for what is reported. `names` is set when `v` is a schema's
/// `properties`: its keys are property names (`$ref` and `example` among them), not keywords.
fn check_refs(doc: &Value, v: &Value, ptr: &mut String, diags: &mut Diagnostics, depth: usize, names: bool) {
    if depth > crate::spec::load::MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").filter(|_| !names) {
                match r {
                    Value::String(s) if s.starts_with('#') => {
                        if pointer::resolve(doc, s).is_none() {
                            diags.push(
                                Diagnostic::error(join(ptr, "$ref"), format!("`$ref: {s}` points to nothing in this document"))
                                    .with_hint(missing_ref_hint(doc, s)),
                            );
                        }
                    }
                    Value::String(s) => diags.push(
                        Diagnostic::error(join(ptr, "$ref"), format!("`$ref: {s}` points to another document"))
                            .with_hint("generate from the spec's file (`sdkgen generate --spec FILE` resolves files next to it; in code, set `GenerateOptions::base_dir`) or bundle it into one file (for example `redocly bundle`)"),
                    ),
                    other => diags.error(join(ptr, "$ref"), format!("`$ref` is {}, expected a string", kind_of(other))),
                }
            }
            let in_responses = ptr.ends_with("/responses");
            for (k, child) in map {
                // `example`/`examples` values are data, not schema: a `$ref` key there is just data.
                // So is a schema's `default`, but not the `default` response. So are the values
                // of specification extensions (`x-fern-examples` of Cohere's spec holds
                // `$ref: ./snippets/...ts` for its own tooling), which OpenAPI does not read, and
                // neither does the bundler; `x-webhooks` is the exception, the 3.0 spelling of
                // `webhooks` that the generator reads.
                if names {
                    let len = ptr.len();
                    pointer::push(ptr, k);
                    check_refs(doc, child, ptr, diags, depth + 1, false);
                    ptr.truncate(len);
                    continue;
                }
                if k == "example"
                    || (k.starts_with("x-") && k != "x-webhooks")
                    || k == "enum"
                    || (k == "default" && !in_responses)
                    || k == "const"
                {
                    continue;
                }
                if k == "examples" {
                    if let Value::Object(exs) = child {
                        for (name, ex) in exs {
                            if let Some(Value::String(s)) = ex.get("$ref") {
                                if s.starts_with('#') && pointer::resolve(doc, s).is_none() {
                                    diags.error(
                                        join(&join(&join(ptr, k), name), "$ref"),
                                        format!("`$ref: {s}` points to nothing in this document"),
                                    );
                                }
                            }
                        }
                    }
                    continue;
                }
                let len = ptr.len();
                pointer::push(ptr, k);
                check_refs(doc, child, ptr, diags, depth + 1, k == "properties");
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = ptr.len();
                {
                    use std::fmt::Write;
                    let _ = write!(ptr, "/{i}");
                }
                check_refs(doc, child, ptr, diags, depth + 1, false);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

fn missing_ref_hint(doc: &Value, reference: &str) -> String {
    // Suggest a component with a similar name in the same section.
    if let Some((section, name)) = reference.strip_prefix("#/").and_then(|p| p.rsplit_once('/')) {
        if let Some(Value::Object(entries)) = doc.pointer(&format!("/{section}")) {
            let lower = name.to_lowercase();
            if let Some(similar) = entries.keys().find(|k| k.to_lowercase() == lower) {
                return format!("did you mean `#/{section}/{similar}`? (names are case-sensitive)");
            }
            if entries.is_empty() {
                return format!("`#/{section}` is empty");
            }
            return format!("`#/{section}` has no `{name}`; define it there or fix the reference");
        }
        return format!("the document has no `#/{section}` section");
    }
    "a local reference looks like `#/components/schemas/Name`".into()
}

fn check_operation_ids(root: &serde_json::Map<String, Value>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let Some(Value::Object(paths)) = root.get("paths") else { return };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let ptr = join(&join("/paths", path), m);
            if !op.is_object() {
                diags.error(&ptr, format!("an operation is {}, expected a mapping", kind_of(op)));
                continue;
            }
            if let Some(id) = op.get("operationId") {
                let Some(id) = id.as_str() else {
                    diags.error(join(&ptr, "operationId"), "`operationId` must be a string");
                    continue;
                };
                let here = join(&ptr, "operationId");
                if let Some(first) = seen.get(id) {
                    diags.push(
                        Diagnostic::error(&here, format!("duplicate operationId `{id}` (first used at #{first})"))
                            .with_hint("operationIds must be unique across the document"),
                    );
                } else {
                    seen.insert(id.to_string(), here);
                }
            }
        }
    }
}

mod shapes;
pub use shapes::narrow_parse_errors;

/// Only the shape checks of [`validate_document`] (for the fuzz target, which checks that they
/// never reject a document `openapiv3` reads).
pub fn shape_diagnostics(doc: &Value) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if let Some(root) = doc.as_object() {
        shapes::check_document(root, &mut diags);
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dangling_refs_are_all_reported() {
        let doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "x", "responses": {"200": {"$ref": "#/components/responses/Nope"}}}},
                      "/b": {"get": {"operationId": "x", "responses": {}}}},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/user"}, "User": {}}}
        });
        let d = validate_document(&doc);
        let text = d.render("spec.yaml");
        assert!(text.contains("#/paths/~1a/get/responses/200/$ref"), "{text}");
        assert!(text.contains("did you mean `#/components/schemas/User`"), "{text}");
        assert!(text.contains("duplicate operationId `x`"), "{text}");
        assert_eq!(d.len(), 3, "{text}");
    }

    #[test]
    fn references_inside_extensions_are_data() {
        // Cohere's `x-fern-examples` refer to code snippets its own tooling reads; `x-webhooks`
        // is read, so its references are checked.
        let doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}},
                "x-fern-examples": [{"code-samples": [{"code": {"$ref": "./snippets/a.ts"}}]}]}}},
            "x-webhooks": {"ping": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Nope"}}}}
        });
        let d = validate_document(&doc);
        let text = d.render("spec.yaml");
        assert_eq!(d.len(), 1, "{text}");
        assert!(text.contains("#/x-webhooks/ping/post/requestBody/$ref"), "{text}");
    }

    #[test]
    fn swagger_two_is_named() {
        let d = validate_document(&json!({"swagger": "2.0", "info": {}, "paths": {}}));
        assert!(d.render("f").contains("Swagger 2.0"));
    }
}
