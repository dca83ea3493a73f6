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
    let first = text.trim_start().as_bytes()[0];
    let value = if first == b'{' || first == b'[' {
        load_json(text, &mut diags)
    } else {
        load_yaml(text, &mut diags)
    };
    let Some(value) = value else {
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

fn load_json(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    // serde_json stops at 128 levels itself; the scan below names the problem more clearly.
    if let Some(depth) = json_depth_exceeds(text, MAX_DEPTH) {
        diags.push(
            Diagnostic::error("", format!("the document nests deeper than {MAX_DEPTH} levels (at byte {depth})"))
                .with_hint("no real API needs this depth; is the file generated in a loop?"),
        );
        return None;
    }
    match serde::Deserialize::deserialize(&mut de).and_then(|v: Value| de.end().map(|()| v)) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(
                Diagnostic::error("", format!("invalid JSON: {}", strip_position(&e.to_string())))
                    .at(e.line(), e.column())
                    .with_hint("check for a missing comma, brace or quote near this position"),
            );
            None
        }
    }
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
                d = d.at(loc.line(), loc.column());
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
                yaml_to_json(item, &crate::diagnostics::join(ptr, &i.to_string()), depth + 1, diags, &mut slot);
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
                        diags.error(ptr, format!("a mapping key must be a scalar, found {:?}", other));
                        continue;
                    }
                };
                let mut slot = None;
                let child = crate::diagnostics::join(ptr, &key);
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

/// Where nodes start in the source text: JSON pointer -> 1-based (line, column).
///
/// Computed only when there are diagnostics to place, and only for the pointers asked for (and
/// their ancestors, the fallback when a pointer names normalized structure the user did not
/// write). One pass over the text; no recursion, so deep input cannot overflow the stack.
pub fn locate_pointers(bytes: &[u8], pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
    let Ok(text) = std::str::from_utf8(bytes) else { return vec![None; pointers.len()] };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut wanted = std::collections::HashSet::new();
    for p in pointers {
        let mut p: &str = p;
        loop {
            wanted.insert(p.to_string());
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    let first = text.trim_start().as_bytes().first().copied();
    let json = first == Some(b'{') || first == Some(b'[');
    let mut walker =
        Walker { wanted, found: std::collections::HashMap::new(), frames: Vec::new(), root_seen: false, defer_maps: !json };
    if json {
        scan_json(text, &mut walker);
    } else {
        scan_yaml(text, &mut walker);
    }
    pointers
        .iter()
        .map(|p| {
            let mut p: &str = p;
            loop {
                if let Some(pos) = walker.found.get(p) {
                    return Some(*pos);
                }
                p = &p[..p.rfind('/')?];
            }
        })
        .collect()
}

/// A structural event of either syntax, at the position where its node (or key) starts.
enum Ev {
    MapStart,
    SeqStart,
    End,
    /// A scalar (or alias); `key` is its value as a mapping key would spell it.
    Scalar(Option<String>),
}

struct Frame {
    /// This node's pointer when it is on the way to a wanted pointer.
    ptr: Option<String>,
    is_map: bool,
    next_index: usize,
    /// In a mapping, after a key: the key's spelling (`None` for a key we cannot spell) and position.
    key: Option<(Option<String>, (usize, usize))>,
    /// The mapping's own position is that of its first key (see `Walker::defer_maps`).
    deferred: bool,
}

struct Walker {
    wanted: std::collections::HashSet<String>,
    found: std::collections::HashMap<String, (usize, usize)>,
    frames: Vec<Frame>,
    root_seen: bool,
    /// libyaml-style parsers place a block mapping's start at its first `:`; for YAML a
    /// mapping that is not a value of a key is located at its first key instead.
    defer_maps: bool,
}

impl Walker {
    /// Feeds one event. Returns false once the first document is complete.
    fn event(&mut self, ev: Ev, pos: (usize, usize)) -> bool {
        if matches!(ev, Ev::End) {
            self.frames.pop();
            return !self.frames.is_empty();
        }
        // Which node starts here: the root, a sequence item, a mapping key or a mapping value.
        let is_map = matches!(ev, Ev::MapStart);
        let mut deferred = false;
        let (ptr, at) = match self.frames.last_mut() {
            None => {
                if self.root_seen {
                    return false;
                }
                self.root_seen = true;
                deferred = is_map && self.defer_maps;
                (Some(String::new()), pos)
            }
            Some(f) if !f.is_map => {
                let i = f.next_index;
                f.next_index += 1;
                deferred = is_map && self.defer_maps;
                (f.ptr.as_ref().map(|p| crate::diagnostics::join(p, &i.to_string())), pos)
            }
            Some(f) => match f.key.take() {
                None => {
                    if std::mem::take(&mut f.deferred) {
                        if let Some(p) = &f.ptr {
                            self.found.entry(p.clone()).or_insert(pos);
                        }
                    }
                    // A key. Only scalar keys can be spelled; a collection key is skipped whole.
                    let spelled = match &ev {
                        Ev::Scalar(k) => k.clone(),
                        _ => None,
                    };
                    f.key = Some((spelled, pos));
                    if !matches!(ev, Ev::Scalar(_)) {
                        let is_map = matches!(ev, Ev::MapStart);
                        self.frames.push(Frame { ptr: None, is_map, next_index: 0, key: None, deferred: false });
                    }
                    return true;
                }
                Some((key, key_pos)) => {
                    let ptr = match (&f.ptr, key) {
                        (Some(p), Some(k)) => Some(crate::diagnostics::join(p, &k)),
                        _ => None,
                    };
                    (ptr, key_pos)
                }
            },
        };
        let ptr = ptr.filter(|p| self.wanted.contains(p));
        if let (Some(p), false) = (&ptr, deferred) {
            self.found.entry(p.clone()).or_insert(at);
        }
        match ev {
            Ev::MapStart | Ev::SeqStart => {
                self.frames.push(Frame { ptr, is_map, next_index: 0, key: None, deferred });
                true
            }
            _ => !self.frames.is_empty(),
        }
    }
}

fn scan_yaml(text: &str, w: &mut Walker) {
    use yaml_rust2::parser::{Event, Parser};
    use yaml_rust2::scanner::TScalarStyle;
    let mut parser = Parser::new_from_str(text);
    loop {
        let Ok((ev, mark)) = parser.next_token() else { return };
        let pos = (mark.line(), mark.col() + 1);
        let ev = match ev {
            Event::StreamEnd | Event::DocumentEnd => return,
            Event::MappingStart(..) => Ev::MapStart,
            Event::SequenceStart(..) => Ev::SeqStart,
            Event::MappingEnd | Event::SequenceEnd => Ev::End,
            Event::Scalar(v, style, ..) => Ev::Scalar(Some(if style == TScalarStyle::Plain { yaml_plain_key(v) } else { v })),
            Event::Alias(_) => Ev::Scalar(None),
            Event::Nothing | Event::StreamStart | Event::DocumentStart => continue,
        };
        if !w.event(ev, pos) {
            return;
        }
    }
}

/// A plain YAML key as `load_yaml` spells it: `~` and `null` are `null`, integers are decimal.
fn yaml_plain_key(v: String) -> String {
    match v.as_str() {
        "~" | "" | "Null" | "NULL" => "null".into(),
        "True" | "TRUE" => "true".into(),
        "False" | "FALSE" => "false".into(),
        s => match s.parse::<i64>() {
            Ok(i) if s.starts_with(['+', '0']) && s.len() > 1 => i.to_string(),
            _ => v,
        },
    }
}

/// A position-tracking scan of JSON text (which `load_json` already accepted, so it is tolerant:
/// anything unexpected simply ends the scan).
fn scan_json(text: &str, w: &mut Walker) {
    let bytes = text.as_bytes();
    let (mut i, mut line, mut line_start) = (0usize, 1usize, 0usize);
    // Columns count characters; counting from the last position on the line keeps a minified
    // document (one long line) linear.
    let mut last = (0usize, 1usize);
    let mut col = |i: usize, line_start: usize| {
        if last.0 < line_start || last.0 > i {
            last = (line_start, 1);
        }
        last.1 += text.get(last.0..i).map_or(0, |s| s.chars().count());
        last.0 = i;
        last.1
    };
    while i < bytes.len() {
        let b = bytes[i];
        let pos = (line, 0);
        let ev = match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => {
                i += 1;
                continue;
            }
            b'{' => Ev::MapStart,
            b'[' => Ev::SeqStart,
            b'}' | b']' => Ev::End,
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let Some(raw) = text.get(start..(i + 1).min(text.len())) else { return };
                let pos = (line, col(start, line_start));
                i += 1;
                let key = serde_json::from_str::<String>(raw).ok();
                if !w.event(Ev::Scalar(key), pos) {
                    return;
                }
                continue;
            }
            _ => {
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n' | b':') {
                    i += 1;
                }
                if !w.event(Ev::Scalar(None), (line, col(start, line_start))) {
                    return;
                }
                continue;
            }
        };
        let pos = (pos.0, col(i, line_start));
        i += 1;
        if !w.event(ev, pos) {
            return;
        }
    }
}
