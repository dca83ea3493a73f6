//! Phase 1: bytes -> a generic JSON document.
//!
//! YAML and JSON are both read into one `serde_json::Value` tree so that every later phase
//! (normalize, validate, lower) works on one representation and reports JSON pointers.

use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::{Map, Value};

/// Nesting deeper than this is rejected instead of risking a stack overflow in later phases.
pub const MAX_DEPTH: usize = 256;

/// Reads a document from bytes. JSON is detected by its first non-blank byte; anything else is
/// read as YAML (which is also a superset of JSON).
pub fn load_document(bytes: &[u8]) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            diags.push(
                Diagnostic::error("", format!("the file is not valid UTF-8 (at byte {})", e.valid_up_to()))
                    .with_hint("OpenAPI documents are UTF-8 text in YAML or JSON"),
            );
            return Err(diags);
        }
    };
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("", "the file is empty")
                .with_hint("expected an OpenAPI document starting with `openapi: 3.x.y`"),
        );
        return Err(diags);
    }
    let Some(value) = parse_text(text, &mut diags) else {
        return Err(diags);
    };
    if !value.is_object() {
        diags.push(
            Diagnostic::error("", format!("the top level is {}, not a mapping", kind_of(&value)))
                .with_hint("an OpenAPI document is a mapping with `openapi`, `info` and `paths`"),
        );
        return Err(diags);
    }
    Ok(value)
}

/// Reads JSON or YAML text: JSON when it starts with `{` or `[`, else YAML (a superset of JSON).
pub(crate) fn parse_text(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let first = text.trim_start().as_bytes().first();
    if matches!(first, Some(b'{' | b'[')) {
        load_json(text, diags)
    } else {
        load_yaml(text, diags)
    }
}

fn load_json(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let e = match serde::Deserialize::deserialize(&mut de).and_then(|v: Value| de.end().map(|()| v)) {
        Ok(v) => return Some(v),
        Err(e) => e,
    };
    // serde_json stops at 128 levels itself, so only a document it rejects can nest deeper than
    // `MAX_DEPTH`: the scan (for failures only) names that problem more clearly.
    if let Some(depth) = json_depth_exceeds(text, MAX_DEPTH) {
        diags.push(
            Diagnostic::error("", format!("the document nests deeper than {MAX_DEPTH} levels (at byte {depth})"))
                .with_hint("no real API needs this depth; is the file generated in a loop?"),
        );
        return None;
    }
    diags.push(
        Diagnostic::error("", format!("invalid JSON: {}", strip_position(&e.to_string())))
            // serde_json says column 0 for an end of input right after a newline.
            .at(e.line(), e.column().max(1))
            .with_hint("check for a missing comma, brace or quote near this position"),
    );
    None
}

/// Returns the byte offset where bracket nesting first exceeds `max`, ignoring brackets in strings.
fn json_depth_exceeds(text: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_str {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn load_yaml(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error("", format!("invalid YAML: {}", strip_position(&e.to_string())));
            if let Some(loc) = e.location() {
                let (line, col) = clamp_position(text, loc.line(), loc.column());
                d = d.at(line, col);
            }
            let hint = if text.contains('\t') {
                "YAML does not allow tabs for indentation; use spaces"
            } else {
                "check the indentation and quoting near this position"
            };
            diags.push(d.with_hint(hint));
            return None;
        }
    };
    let mut yaml = yaml;
    if let Err(e) = yaml.apply_merge() {
        diags.push(Diagnostic::error("", format!("invalid YAML merge key: {e}")));
        return None;
    }
    let mut out = None;
    yaml_to_json(yaml, "", 0, diags, &mut out);
    out
}

/// Converts YAML to JSON. Scalar keys (`200:` is an integer in YAML) become strings, as OpenAPI
/// means them. Iterative depth tracking keeps deep input from overflowing the stack.
fn yaml_to_json(v: serde_yaml::Value, ptr: &str, depth: usize, diags: &mut Diagnostics, out: &mut Option<Value>) {
    if depth > MAX_DEPTH {
        diags.push(
            Diagnostic::error(ptr, format!("the document nests deeper than {MAX_DEPTH} levels"))
                .with_hint("no real API needs this depth; is the file generated in a loop?"),
        );
        return;
    }
    use serde_yaml::Value as Y;
    let converted = match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map(Value::Number).unwrap_or_else(|| {
                    diags.warn(ptr, format!("the number {f} has no JSON form; read as a string"));
                    Value::String(f.to_string())
                })
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(seq) => {
            let mut items = Vec::with_capacity(seq.len());
            for (i, item) in seq.into_iter().enumerate() {
                let mut slot = None;
                yaml_to_json(item, &crate::spec::pointer::join(ptr, &i.to_string()), depth + 1, diags, &mut slot);
                items.push(slot.unwrap_or(Value::Null));
            }
            Value::Array(items)
        }
        Y::Mapping(map) => {
            let mut obj = Map::with_capacity(map.len());
            for (k, val) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        // Named by its kind only: a referenced file's content is never shown.
                        let kind = match other {
                            Y::Sequence(_) => "a sequence",
                            Y::Mapping(_) => "a mapping",
                            _ => "a tagged value",
                        };
                        diags.error(ptr, format!("a mapping key must be a scalar, found {kind}"));
                        continue;
                    }
                };
                let mut slot = None;
                let child = crate::spec::pointer::join(ptr, &key);
                yaml_to_json(val, &child, depth + 1, diags, &mut slot);
                obj.insert(key, slot.unwrap_or(Value::Null));
            }
            Value::Object(obj)
        }
        Y::Tagged(tagged) => {
            let mut slot = None;
            yaml_to_json(tagged.value, ptr, depth, diags, &mut slot);
            slot.unwrap_or(Value::Null)
        }
    };
    *out = Some(converted);
}

/// Parsers place an error at the end of input on the line after the last one (and an empty
/// node there); an editor cannot go there, so such a position becomes the end of the last line.
fn clamp_position(text: &str, line: usize, col: usize) -> (usize, usize) {
    let (lines, last_len) = line_count(text);
    if line > lines {
        (lines, last_len + 1)
    } else {
        (line.max(1), col.max(1))
    }
}

/// Lines as YAML counts them (`\r\n`, `\r` and `\n` end a line) and the length of the last one.
pub(crate) fn line_count(text: &str) -> (usize, usize) {
    let mut lines = 1;
    let mut last_start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            lines += 1;
            last_start = i + 1;
        }
    }
    (lines, text.get(last_start..).map_or(0, |l| l.chars().count()))
}

fn strip_position(msg: &str) -> String {
    // Both parsers append " at line X column Y"; we report the position separately.
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// A short English description of a JSON value's kind, for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
    }
}
