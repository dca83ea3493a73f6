//! Shapes of known fields: a string where OpenAPI wants a string, a mapping where it wants a
//! mapping, all the way down into schemas. Every mismatch is reported with its own pointer.
//!
//! Only mismatches that `openapiv3` would reject are errors here, so this pass never refuses a
//! document the parser accepts; it only names the place (and every place) precisely. What it does
//! not check is caught by [`narrow_parse_errors`], which re-reads the failing parts one by one.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::load::{kind_of, MAX_DEPTH};
use crate::spec::pointer::join;
use crate::spec::METHODS;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

#[derive(Clone, Copy)]
enum Want {
    String,
    Bool,
    Number,
    /// A non-negative integer (`maxLength`, `minItems`, ...).
    Count,
    Mapping,
    Sequence,
    /// A schema: a mapping, or (3.1) `true`/`false`.
    Schema,
}

impl Want {
    fn accepts(self, v: &Value) -> bool {
        match self {
            Want::String => v.is_string(),
            Want::Bool => v.is_boolean(),
            Want::Number => v.is_number(),
            Want::Count => v.is_u64(),
            Want::Mapping => v.is_object(),
            Want::Sequence => v.is_array(),
            Want::Schema => v.is_object() || v.is_boolean(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Want::String => "a string",
            Want::Bool => "a boolean (`true` or `false`)",
            Want::Number => "a number",
            Want::Count => "a non-negative integer",
            Want::Mapping => "a mapping",
            Want::Sequence => "a sequence",
            Want::Schema => "a schema (a mapping)",
        }
    }
}

struct Checker<'d> {
    diags: &'d mut Diagnostics,
}

/// Checks the shape of every known field of the document.
pub(super) fn check_document(root: &Map<String, Value>, diags: &mut Diagnostics) {
    let mut c = Checker { diags };
    let obj = root;
    // `title` and `version` are checked with the other required top-level fields.
    if let Some(Value::Object(info)) = obj.get("info") {
        c.fields(info, "/info", &["description", "termsOfService"], Want::String);
        if let Some(contact) = c.field(info, "/info", "contact", Want::Mapping).and_then(Value::as_object) {
            c.fields(contact, "/info/contact", &["name", "url", "email"], Want::String);
        }
        if let Some(license) = c.field(info, "/info", "license", Want::Mapping).and_then(Value::as_object) {
            c.required(license, "/info/license", "name", Want::String);
            c.fields(license, "/info/license", &["url"], Want::String);
        }
    }
    c.servers(obj, "");
    if let Some(tags) = c.field(obj, "", "tags", Want::Sequence).and_then(Value::as_array) {
        for (i, tag) in tags.iter().enumerate() {
            let ptr = join("/tags", &i.to_string());
            if let Some(tag) = c.expect(tag, &ptr, Want::Mapping) {
                c.required(tag, &ptr, "name", Want::String);
                c.field(tag, &ptr, "description", Want::String);
            }
        }
    }
    c.security(obj, "");
    c.external_docs(obj, "");
    if let Some(Value::Object(paths)) = obj.get("paths") {
        // A path that does not start with `/` is reported by `validate_document` (the parser
        // skips it, so its content is not checked).
        for (path, item) in paths.iter().filter(|(p, _)| p.starts_with('/')) {
            if let Value::Object(item) = item {
                c.path_item(item, &join("/paths", path), 0);
            }
        }
    }
    // `webhooks` and `components/pathItems` are not checked: lowering reads a webhook that is not
    // a valid path item as a located warning (`lower::webhooks`), so its shape never stops
    // generation.
    let Some(components) = c.field(obj, "", "components", Want::Mapping).and_then(Value::as_object) else { return };
    for section in [
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
    ] {
        let Some(entries) = c.field(components, "/components", section, Want::Mapping).and_then(Value::as_object)
        else {
            continue;
        };
        let base = join("/components", section);
        for (name, entry) in entries {
            let ptr = join(&base, name);
            if section == "schemas" {
                c.schema(entry, &ptr, 0);
                continue;
            }
            let Some(entry) = c.expect(entry, &ptr, Want::Mapping) else { continue };
            match section {
                "responses" => c.response(entry, &ptr),
                "parameters" => c.parameter(entry, &ptr, true),
                "requestBodies" => c.request_body(entry, &ptr),
                "headers" => c.parameter(entry, &ptr, false),
                "securitySchemes" => c.security_scheme(entry, &ptr),
                _ => {}
            }
        }
    }
}

impl Checker<'_> {
    fn mismatch(&mut self, v: &Value, ptr: &str, want: Want) {
        let last = ptr.rsplit('/').next().unwrap_or_default();
        let what = if last.is_empty() || last.parse::<usize>().is_ok() {
            "the value".to_string()
        } else {
            format!("`{}`", last.replace("~1", "/").replace("~0", "~"))
        };
        let mut d = Diagnostic::error(ptr, format!("{what} is {}, expected {}", kind_of(v), want.name()));
        if let Some(hint) = hint_for(last, v, want) {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    /// `v` if it has the wanted shape; otherwise reports it.
    fn expect<'v>(&mut self, v: &'v Value, ptr: &str, want: Want) -> Option<&'v Map<String, Value>> {
        if want.accepts(v) {
            v.as_object()
        } else {
            self.mismatch(v, ptr, want);
            None
        }
    }

    /// The field `key` of `obj` if present with the wanted shape; a present field of another
    /// shape is reported.
    ///
    /// `null` is let through: `openapiv3` reads it as an absent optional field.
    fn field<'v>(&mut self, obj: &'v Map<String, Value>, ptr: &str, key: &str, want: Want) -> Option<&'v Value> {
        let v = lookup(obj, key).filter(|v| !v.is_null())?;
        if want.accepts(v) {
            Some(v)
        } else {
            self.mismatch(v, &join(ptr, key), want);
            None
        }
    }

    /// Like `field`, and a missing field is reported too.
    fn required<'v>(&mut self, obj: &'v Map<String, Value>, ptr: &str, key: &str, want: Want) -> Option<&'v Value> {
        if !obj.contains_key(key) {
            self.diags.push(
                Diagnostic::error(ptr, format!("missing `{key}`"))
                    .with_hint(format!("OpenAPI requires `{key}` here ({})", want.name())),
            );
            return None;
        }
        self.field(obj, ptr, key, want)
    }

    fn fields(&mut self, obj: &Map<String, Value>, ptr: &str, keys: &[&str], want: Want) {
        for key in keys {
            self.field(obj, ptr, key, want);
        }
    }

    fn servers(&mut self, obj: &Map<String, Value>, ptr: &str) {
        let Some(servers) = self.field(obj, ptr, "servers", Want::Sequence).and_then(Value::as_array) else { return };
        let base = join(ptr, "servers");
        for (i, server) in servers.iter().enumerate() {
            let sptr = join(&base, &i.to_string());
            let Some(server) = self.expect(server, &sptr, Want::Mapping) else { continue };
            self.required(server, &sptr, "url", Want::String);
            self.field(server, &sptr, "description", Want::String);
            let Some(vars) = self.field(server, &sptr, "variables", Want::Mapping).and_then(Value::as_object) else {
                continue;
            };
            for (name, var) in vars {
                let vptr = join(&join(&sptr, "variables"), name);
                let Some(var) = self.expect(var, &vptr, Want::Mapping) else { continue };
                self.required(var, &vptr, "default", Want::String);
                self.field(var, &vptr, "description", Want::String);
                if let Some(values) = self.field(var, &vptr, "enum", Want::Sequence).and_then(Value::as_array) {
                    for (j, v) in values.iter().enumerate() {
                        self.expect(v, &join(&join(&vptr, "enum"), &j.to_string()), Want::String);
                    }
                }
            }
        }
    }

    fn security(&mut self, obj: &Map<String, Value>, ptr: &str) {
        let Some(reqs) = self.field(obj, ptr, "security", Want::Sequence).and_then(Value::as_array) else { return };
        for (i, req) in reqs.iter().enumerate() {
            let rptr = join(&join(ptr, "security"), &i.to_string());
            let Some(req) = self.expect(req, &rptr, Want::Mapping) else { continue };
            for (name, scopes) in req {
                let sptr = join(&rptr, name);
                if !Want::Sequence.accepts(scopes) {
                    self.mismatch(scopes, &sptr, Want::Sequence);
                } else if let Value::Array(scopes) = scopes {
                    for (j, s) in scopes.iter().enumerate() {
                        self.expect(s, &join(&sptr, &j.to_string()), Want::String);
                    }
                }
            }
        }
    }

    fn external_docs(&mut self, obj: &Map<String, Value>, ptr: &str) {
        if let Some(docs) = self.field(obj, ptr, "externalDocs", Want::Mapping).and_then(Value::as_object) {
            let dptr = join(ptr, "externalDocs");
            self.required(docs, &dptr, "url", Want::String);
            self.field(docs, &dptr, "description", Want::String);
        }
    }

    fn path_item(&mut self, item: &Map<String, Value>, ptr: &str, depth: usize) {
        if item.contains_key("$ref") || depth > 4 {
            return;
        }
        self.fields(item, ptr, &["summary", "description"], Want::String);
        self.servers(item, ptr);
        self.parameters(item, ptr);
        for m in METHODS {
            // Validation reports an operation that is not a mapping.
            if let Some(Value::Object(op)) = item.get(m) {
                self.operation(op, &join(ptr, m), depth);
            }
        }
    }

    fn parameters(&mut self, obj: &Map<String, Value>, ptr: &str) {
        let Some(params) = self.field(obj, ptr, "parameters", Want::Sequence).and_then(Value::as_array) else { return };
        let base = join(ptr, "parameters");
        for (i, p) in params.iter().enumerate() {
            let pptr = join(&base, &i.to_string());
            if let Some(p) = self.expect(p, &pptr, Want::Mapping) {
                self.parameter(p, &pptr, true);
            }
        }
    }

    fn operation(&mut self, op: &Map<String, Value>, ptr: &str, depth: usize) {
        if let Some(tags) = self.field(op, ptr, "tags", Want::Sequence).and_then(Value::as_array) {
            for (i, t) in tags.iter().enumerate() {
                self.expect(t, &join(&join(ptr, "tags"), &i.to_string()), Want::String);
            }
        }
        self.fields(op, ptr, &["summary", "description"], Want::String);
        self.field(op, ptr, "deprecated", Want::Bool);
        self.external_docs(op, ptr);
        self.parameters(op, ptr);
        if let Some(body) = self.field(op, ptr, "requestBody", Want::Mapping).and_then(Value::as_object) {
            self.request_body(body, &join(ptr, "requestBody"));
        }
        if let Some(responses) = self.field(op, ptr, "responses", Want::Mapping).and_then(Value::as_object) {
            let base = join(ptr, "responses");
            for (code, r) in responses {
                let rptr = join(&base, code);
                if code.starts_with("x-") {
                    continue;
                }
                if code != "default" && !is_status_code(code) {
                    self.diags.push(
                        Diagnostic::warning(&rptr, format!("`{code}` is not a status code; this response is ignored"))
                            .with_hint(
                                "response keys are three-digit status codes, ranges such as `4XX`, or `default`",
                            ),
                    );
                    continue;
                }
                if let Some(r) = self.expect(r, &rptr, Want::Mapping) {
                    self.response(r, &rptr);
                }
            }
        }
        self.security(op, ptr);
        self.servers(op, ptr);
        if let Some(cbs) = self.field(op, ptr, "callbacks", Want::Mapping).and_then(Value::as_object) {
            for (name, cb) in cbs {
                let cptr = join(&join(ptr, "callbacks"), name);
                let Some(cb) = self.expect(cb, &cptr, Want::Mapping) else { continue };
                if cb.contains_key("$ref") {
                    continue;
                }
                for (expr, item) in cb {
                    let iptr = join(&cptr, expr);
                    if let Some(item) = self.expect(item, &iptr, Want::Mapping) {
                        self.path_item(item, &iptr, depth + 1);
                    }
                }
            }
        }
    }

    /// A parameter (`named`), or a header (which has neither `name` nor `in`).
    fn parameter(&mut self, p: &Map<String, Value>, ptr: &str, named: bool) {
        if p.contains_key("$ref") {
            return;
        }
        if named {
            self.required(p, ptr, "name", Want::String);
            if let Some(Value::String(loc)) = self.required(p, ptr, "in", Want::String) {
                if !["path", "query", "header", "cookie"].contains(&loc.as_str()) {
                    self.diags.push(
                        Diagnostic::error(join(ptr, "in"), format!("unknown parameter location `in: {loc}`"))
                            .with_hint(if loc == "body" || loc == "formData" {
                                "`in: body`/`in: formData` are Swagger 2.0; OpenAPI 3 uses the operation's `requestBody`"
                            } else {
                                "one of `path`, `query`, `header`, `cookie`"
                            }),
                    );
                }
            }
        }
        self.fields(p, ptr, &["description", "style"], Want::String);
        if let (Some(Value::String(loc)), Some(Value::String(style))) = (p.get("in"), p.get("style")) {
            let allowed: &[&str] = match loc.as_str() {
                "path" => &["simple", "label", "matrix"],
                "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                "header" => &["simple"],
                "cookie" => &["form"],
                _ => &[],
            };
            if named && !allowed.is_empty() && !allowed.contains(&style.as_str()) {
                let list: Vec<String> = allowed.iter().map(|s| format!("`{s}`")).collect();
                self.diags.push(
                    Diagnostic::error(join(ptr, "style"), format!("`style: {style}` is not a style for `in: {loc}`"))
                        .with_hint(format!("one of {}", list.join(", "))),
                );
            }
        }
        self.fields(p, ptr, &["required", "deprecated", "allowEmptyValue", "explode", "allowReserved"], Want::Bool);
        // The parser reads whichever of `schema` and `content` comes first and ignores the other.
        match p.keys().find(|k| *k == "schema" || *k == "content").map(String::as_str) {
            Some("schema") => {
                if let Some(s) = p.get("schema") {
                    self.schema(s, &join(ptr, "schema"), 0);
                }
                if p.contains_key("content") {
                    self.diags.warn(
                        join(ptr, "content"),
                        "`content` beside `schema` is ignored (OpenAPI allows one of them)",
                    );
                }
            }
            Some(_) => {
                self.content(p, ptr);
                if p.contains_key("schema") {
                    self.diags
                        .warn(join(ptr, "schema"), "`schema` after `content` is ignored (OpenAPI allows one of them)");
                }
            }
            None => {}
        }
        if !p.contains_key("schema") && !p.contains_key("content") {
            self.diags.push(
                Diagnostic::error(
                    ptr,
                    if named {
                        "a parameter needs `schema` or `content`"
                    } else {
                        "a header needs `schema` or `content`"
                    },
                )
                .with_hint("add `schema: {type: string}` (or the type it has)"),
            );
        }
    }

    fn request_body(&mut self, b: &Map<String, Value>, ptr: &str) {
        if b.contains_key("$ref") {
            return;
        }
        self.field(b, ptr, "description", Want::String);
        self.field(b, ptr, "required", Want::Bool);
        self.content(b, ptr);
    }

    fn response(&mut self, r: &Map<String, Value>, ptr: &str) {
        if r.contains_key("$ref") {
            return;
        }
        self.field(r, ptr, "description", Want::String);
        if let Some(headers) = self.field(r, ptr, "headers", Want::Mapping).and_then(Value::as_object) {
            for (name, h) in headers {
                let hptr = join(&join(ptr, "headers"), name);
                if let Some(h) = self.expect(h, &hptr, Want::Mapping) {
                    self.parameter(h, &hptr, false);
                }
            }
        }
        self.content(r, ptr);
        self.field(r, ptr, "links", Want::Mapping);
    }

    fn content(&mut self, obj: &Map<String, Value>, ptr: &str) {
        let Some(content) = self.field(obj, ptr, "content", Want::Mapping).and_then(Value::as_object) else { return };
        let base = join(ptr, "content");
        for (mt, media) in content {
            let mptr = join(&base, mt);
            let Some(media) = self.expect(media, &mptr, Want::Mapping) else { continue };
            if let Some(s) = media.get("schema") {
                self.schema(s, &join(&mptr, "schema"), 0);
            }
            self.fields(media, &mptr, &["examples", "encoding"], Want::Mapping);
        }
    }

    fn security_scheme(&mut self, s: &Map<String, Value>, ptr: &str) {
        if s.contains_key("$ref") {
            return;
        }
        self.field(s, ptr, "description", Want::String);
        let Some(Value::String(kind)) = self.required(s, ptr, "type", Want::String) else { return };
        match kind.as_str() {
            "apiKey" => {
                self.required(s, ptr, "name", Want::String);
                if let Some(Value::String(loc)) = self.required(s, ptr, "in", Want::String) {
                    if !["query", "header", "cookie"].contains(&loc.as_str()) {
                        self.diags.push(
                            Diagnostic::error(join(ptr, "in"), format!("unknown API key location `in: {loc}`"))
                                .with_hint("one of `query`, `header`, `cookie`"),
                        );
                    }
                }
            }
            "http" => {
                self.required(s, ptr, "scheme", Want::String);
                self.field(s, ptr, "bearerFormat", Want::String);
            }
            "oauth2" => {
                self.required(s, ptr, "flows", Want::Mapping);
            }
            "openIdConnect" => {
                self.required(s, ptr, "openIdConnectUrl", Want::String);
            }
            // OpenAPI 3.1: a client certificate, presented during the TLS handshake.
            "mutualTLS" => {}
            other => self.diags.push(
                Diagnostic::error(join(ptr, "type"), format!("unsupported security scheme type `{other}`")).with_hint(
                    if other == "basic" {
                        "`type: basic` is Swagger 2.0; OpenAPI 3 writes `type: http, scheme: basic`"
                    } else {
                        "one of `apiKey`, `http`, `mutualTLS`, `oauth2`, `openIdConnect`"
                    },
                ),
            ),
        }
    }

    fn schema(&mut self, s: &Value, ptr: &str, depth: usize) {
        // `load` caps nesting, but a schema path can be longer than its JSON nesting suggests.
        if depth > MAX_DEPTH {
            return;
        }
        if s.is_null() {
            // An absent schema to `openapiv3` in most places; where it is not, parsing says so.
            return;
        }
        let Some(obj) = self.expect(s, ptr, Want::Schema) else { return };
        match lookup(obj, "type") {
            None | Some(Value::String(_) | Value::Null) => {}
            Some(Value::Array(types)) => {
                for (i, t) in types.iter().enumerate().filter(|(_, t)| !t.is_string()) {
                    self.diags.warn(
                        join(&join(ptr, "type"), &i.to_string()),
                        format!("a type name is {}, expected a string; it is ignored", kind_of(t)),
                    );
                }
            }
            Some(other) => self.mismatch(other, &join(ptr, "type"), Want::String),
        }
        self.fields(obj, ptr, &["title", "description", "format", "pattern"], Want::String);
        self.fields(obj, ptr, &["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"], Want::Bool);
        self.fields(obj, ptr, &["minimum", "maximum", "multipleOf"], Want::Number);
        self.fields(
            obj,
            ptr,
            &["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"],
            Want::Count,
        );
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            if let Some(v) = lookup(obj, key) {
                if !v.is_boolean() && !v.is_number() {
                    self.diags.push(Diagnostic::error(
                        join(ptr, key),
                        format!("`{key}` is {}, expected a boolean (3.0) or a number (3.1)", kind_of(v)),
                    ));
                }
            }
        }
        self.field(obj, ptr, "enum", Want::Sequence);
        self.external_docs(obj, ptr);
        if let Some(Value::Array(required)) = self.field(obj, ptr, "required", Want::Sequence) {
            for (i, r) in required.iter().enumerate() {
                self.expect(r, &join(&join(ptr, "required"), &i.to_string()), Want::String);
            }
        }
        if let Some(d) = self.field(obj, ptr, "discriminator", Want::Mapping).and_then(Value::as_object) {
            let dptr = join(ptr, "discriminator");
            self.required(d, &dptr, "propertyName", Want::String);
            if let Some(mapping) = self.field(d, &dptr, "mapping", Want::Mapping).and_then(Value::as_object) {
                for (k, v) in mapping {
                    self.expect(v, &join(&join(&dptr, "mapping"), k), Want::String);
                }
            }
        }
        if let Some(props) = self.field(obj, ptr, "properties", Want::Mapping).and_then(Value::as_object) {
            let base = join(ptr, "properties");
            for (name, p) in props {
                self.schema(p, &join(&base, name), depth + 1);
            }
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(child) = lookup(obj, key) {
                self.schema(child, &join(ptr, key), depth + 1);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(items) = self.field(obj, ptr, key, Want::Sequence).and_then(Value::as_array) {
                let base = join(ptr, key);
                for (i, child) in items.iter().enumerate() {
                    self.schema(child, &join(&base, &i.to_string()), depth + 1);
                }
            }
        }
    }
}

/// What `openapiv3` reads as a status code: 100 to 999, or a digit and `XX` (any case).
fn is_status_code(key: &str) -> bool {
    let b = key.as_bytes();
    key.len() == 3
        && (key.parse::<i64>().is_ok_and(|n| (100..1000).contains(&n))
            || (b[0].is_ascii_digit() && b[1].eq_ignore_ascii_case(&b'X') && b[2].eq_ignore_ascii_case(&b'X')))
}

/// A hint for common mistakes, by field name.
fn hint_for(field: &str, v: &Value, want: Want) -> Option<&'static str> {
    Some(match (field, want) {
        ("required", Want::Sequence) if v.is_boolean() => {
            "in a schema, `required` lists the object's required property names: `required: [id, name]`"
        }
        ("items", Want::Schema) if v.is_array() => {
            "`items` is one schema for every element; a list of schemas (a tuple) is `prefixItems` in 3.1"
        }
        ("type", _) => "one of `string`, `number`, `integer`, `boolean`, `array`, `object` (3.1 also `null` and lists)",
        (_, Want::String) if v.is_number() || v.is_boolean() => "quote the value",
        (_, Want::Bool) if v.is_string() => "write `true` or `false` without quotes",
        (_, Want::Count | Want::Number) if v.is_string() => "write the number without quotes",
        _ => return None,
    })
}

/// When the normalized document does not deserialize as a whole, re-reads it part by part (each
/// path item, operation, parameter, response, component, ...) so that every failing part is
/// reported with the pointer of the smallest part that fails, not only the first error.
///
/// Returns no diagnostics when no part fails on its own.
pub fn narrow_parse_errors(doc: &Value) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(root) = doc.as_object() else { return diags };
    try_part::<openapiv3::Info>(root.get("info"), "/info", &mut diags);
    each_in_seq::<openapiv3::Server>(root.get("servers"), "/servers", &mut diags);
    each_in_seq::<openapiv3::Tag>(root.get("tags"), "/tags", &mut diags);
    each_in_seq::<openapiv3::SecurityRequirement>(root.get("security"), "/security", &mut diags);
    try_part::<openapiv3::ExternalDocumentation>(root.get("externalDocs"), "/externalDocs", &mut diags);
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            narrow_path_item(item, &join("/paths", path), &mut diags);
        }
    }
    if let Some(Value::Object(components)) = root.get("components") {
        let base = "/components";
        macro_rules! section {
            ($key:literal, $ty:ty) => {
                if let Some(Value::Object(entries)) = components.get($key) {
                    for (name, v) in entries {
                        try_part::<openapiv3::ReferenceOr<$ty>>(Some(v), &join(&join(base, $key), name), &mut diags);
                    }
                }
            };
        }
        section!("responses", openapiv3::Response);
        section!("parameters", openapiv3::Parameter);
        section!("examples", openapiv3::Example);
        section!("requestBodies", openapiv3::RequestBody);
        section!("headers", openapiv3::Header);
        section!("securitySchemes", openapiv3::SecurityScheme);
        section!("links", openapiv3::Link);
        if let Some(Value::Object(schemas)) = components.get("schemas") {
            for (name, s) in schemas {
                narrow_schema(s, &join("/components/schemas", name), &mut diags, 0);
            }
        }
    }
    if diags.is_empty() {
        // The parts are fine; the whole still failed: a top-level field.
        try_part::<openapiv3::OpenAPI>(Some(doc), "", &mut diags);
    }
    diags
}

fn narrow_path_item(item: &Value, ptr: &str, diags: &mut Diagnostics) {
    if serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item.clone()).is_ok() {
        return;
    }
    let before = diags.len();
    if let Value::Object(obj) = item {
        each_in_seq::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
            obj.get("parameters"),
            &join(ptr, "parameters"),
            diags,
        );
        for m in METHODS {
            let Some(Value::Object(op)) = obj.get(m) else { continue };
            let optr = join(ptr, m);
            if serde_json::from_value::<openapiv3::Operation>(Value::Object(op.clone())).is_ok() {
                continue;
            }
            let before_op = diags.len();
            each_in_seq::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                op.get("parameters"),
                &join(&optr, "parameters"),
                diags,
            );
            try_part::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(
                op.get("requestBody"),
                &join(&optr, "requestBody"),
                diags,
            );
            if let Some(Value::Object(responses)) = op.get("responses") {
                for (code, r) in responses {
                    if code == "default" || is_status_code(code) {
                        try_part::<openapiv3::ReferenceOr<openapiv3::Response>>(
                            Some(r),
                            &join(&join(&optr, "responses"), code),
                            diags,
                        );
                    }
                }
            }
            if diags.len() == before_op {
                try_part::<openapiv3::Operation>(Some(&Value::Object(op.clone())), &optr, diags);
            }
        }
    }
    if diags.len() == before {
        try_part::<openapiv3::ReferenceOr<openapiv3::PathItem>>(Some(item), ptr, diags);
    }
}

/// A schema that fails is reported at its deepest failing subschemas.
fn narrow_schema(s: &Value, ptr: &str, diags: &mut Diagnostics, depth: usize) {
    if depth > MAX_DEPTH || serde_json::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(s.clone()).is_ok() {
        return;
    }
    let before = diags.len();
    if let Value::Object(obj) = s {
        for key in ["properties"] {
            if let Some(Value::Object(props)) = obj.get(key) {
                for (name, p) in props {
                    narrow_schema(p, &join(&join(ptr, key), name), diags, depth + 1);
                }
            }
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(child @ Value::Object(_)) = obj.get(key) {
                narrow_schema(child, &join(ptr, key), diags, depth + 1);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(items)) = obj.get(key) {
                for (i, child) in items.iter().enumerate() {
                    narrow_schema(child, &join(&join(ptr, key), &i.to_string()), diags, depth + 1);
                }
            }
        }
    }
    if diags.len() == before {
        try_part::<openapiv3::Schema>(Some(s), ptr, diags);
    }
}

fn each_in_seq<T: DeserializeOwned>(v: Option<&Value>, ptr: &str, diags: &mut Diagnostics) {
    match v {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                try_part::<T>(Some(item), &join(ptr, &i.to_string()), diags);
            }
        }
        Some(other) => try_part::<Vec<T>>(Some(other), ptr, diags),
        None => {}
    }
}

/// Deserializes one part; a failure is reported at the part's pointer plus the path inside it.
fn try_part<T: DeserializeOwned>(v: Option<&Value>, ptr: &str, diags: &mut Diagnostics) {
    let Some(v) = v else { return };
    if let Err(e) = serde_path_to_error::deserialize::<_, T>(v) {
        let mut at = ptr.to_string();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => at = join(&at, &index.to_string()),
                Segment::Map { key } => at = join(&at, key),
                Segment::Enum { variant } => at = join(&at, variant),
                Segment::Unknown => {}
            }
        }
        diags.push(
            Diagnostic::error(at, e.inner().to_string())
                .with_hint("the value does not have the shape OpenAPI defines for this field"),
        );
    }
}

/// `obj.get(key)`, by comparing keys when there are few: most objects in a spec have a handful
/// of keys, and a lookup in the map hashes the key.
fn lookup<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    if obj.len() <= 8 {
        obj.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        obj.get(key)
    }
}
