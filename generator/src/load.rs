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
fn line_count(text: &str) -> (usize, usize) {
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
    let (lines, last_len) = line_count(text);
    pointers
        .iter()
        .map(|p| {
            let mut p: &str = p;
            loop {
                if let Some(&(line, col)) = walker.found.get(p) {
                    return Some(if line > lines { (lines, last_len + 1) } else { (line, col) });
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
    /// Whether the next scalar's text can matter: it is a key of a mapping on the way to a
    /// wanted pointer. Any other scalar's text is never read.
    fn wants_key_text(&self) -> bool {
        matches!(self.frames.last(), Some(f) if f.is_map && f.key.is_none() && f.ptr.is_some())
    }

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
                i = string_end(bytes, i + 1);
                let Some(raw) = text.get(start..(i + 1).min(text.len())) else { return };
                let pos = (line, col(start, line_start));
                i += 1;
                // Only a key on the way to a wanted pointer is spelled out (decoding every
                // string of a large document would cost more than the rest of the scan).
                let key = if w.wants_key_text() { serde_json::from_str::<String>(raw).ok() } else { None };
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

/// From just inside a string, the offset of its closing quote (or the end of the text): a
/// backslash escapes the byte after it.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i
}

/// How many levels of non-schema references (a parameter file that refers to another, ...) are
/// inlined before the chain is called cyclic.
const MAX_INLINE_DEPTH: usize = 32;

/// Brings `$ref`s to other local files (`other.yaml#/Thing`, `schemas/pet.json`) into `doc`,
/// resolving paths against `base_dir` (the directory of the spec) and, inside a referenced file,
/// against that file's directory. A referenced schema becomes a component schema of `doc`
/// (named after the last segment of its pointer, or the file name) and the reference points to
/// it, so shared and recursive schemas stay one type; anything else (a parameter, a response, a
/// path item) is copied in place. Every reference that cannot be resolved is reported at the
/// `$ref` in `doc` that led to it.
pub fn bundle_external_refs(doc: &mut Value, base_dir: &std::path::Path, diags: &mut Diagnostics) {
    // A spec whose references are all local (`#/...`) has nothing to bundle: the rewrite below
    // would leave it as it is, so skip its walk (it builds a pointer for every node).
    if !has_external_ref(doc, 0) {
        return;
    }
    let mut b = Bundler {
        files: std::collections::HashMap::new(),
        imported: std::collections::HashMap::new(),
        taken: doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default(),
        pending: Vec::new(),
        added: Vec::new(),
        base: std::fs::canonicalize(base_dir).ok(),
        diags,
    };
    let main = Origin::Main(base_dir.to_path_buf());
    b.rewrite(doc, Ctx { origin: &main, in_schema: false, site: None, inlined: 0 }, "", 0);
    // Imported schemas are rewritten from a work list, not recursively: a long chain of schemas
    // that refer to the next cannot exhaust the stack.
    while let Some((name, file, site, mut schema)) = b.pending.pop() {
        let origin = Origin::File(file);
        b.rewrite(&mut schema, Ctx { origin: &origin, in_schema: true, site: Some(&site), inlined: 0 }, "", 0);
        b.added.push((name, schema));
    }
    if b.added.is_empty() {
        return;
    }
    b.added.sort_by(|x, y| x.0.cmp(&y.0));
    let Some(root) = doc.as_object_mut() else { return };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else { return };
    let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    if let Some(schemas) = schemas.as_object_mut() {
        for (name, schema) in b.added.drain(..) {
            schemas.insert(name, schema);
        }
    }
}

/// Whether any `$ref` string within `MAX_DEPTH` levels of `v` names another file (does not
/// start with `#`): a superset of the references [`bundle_external_refs`] resolves.
fn has_external_ref(v: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Object(map) => map.iter().any(|(k, child)| match child {
            Value::String(r) => k == "$ref" && !r.starts_with('#'),
            _ => has_external_ref(child, depth + 1),
        }),
        Value::Array(items) => items.iter().any(|item| has_external_ref(item, depth + 1)),
        _ => false,
    }
}

/// Where a value being rewritten comes from: the spec itself (refs starting with `#` are already
/// local), or another file (whose `#` refs point into that file).
enum Origin {
    Main(std::path::PathBuf),
    File(std::path::PathBuf),
}

impl Origin {
    fn dir(&self) -> &std::path::Path {
        match self {
            Origin::Main(dir) => dir,
            Origin::File(file) => file.parent().unwrap_or(std::path::Path::new(".")),
        }
    }
}

/// What is known about the value being rewritten.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    origin: &'a Origin,
    /// Inside a schema: references are schemas, `default`/`enum`/... are data.
    in_schema: bool,
    /// For content from another file: the main document's `$ref` that brought it in (where its
    /// problems are reported).
    site: Option<&'a str>,
    /// How many non-schema references were copied in place on the way here.
    inlined: usize,
}

struct Bundler<'d> {
    /// Loaded files by canonical path (`None`: could not be read; reported once).
    files: std::collections::HashMap<std::path::PathBuf, Option<Value>>,
    /// (file, pointer) of an imported schema -> its local reference.
    imported: std::collections::HashMap<(std::path::PathBuf, String), String>,
    /// Component schema names in use.
    taken: std::collections::BTreeSet<String>,
    /// Imported schemas whose own references are still to be rewritten: name, file, site, schema.
    pending: Vec<(String, std::path::PathBuf, String, Value)>,
    /// Imported schemas to add to `#/components/schemas`.
    added: Vec<(String, Value)>,
    /// The spec's directory, canonical: files are named relative to it in messages.
    base: Option<std::path::PathBuf>,
    diags: &'d mut Diagnostics,
}

impl Bundler<'_> {
    /// Rewrites every reference inside `v`, whose pointer in the main document is `ptr` (unused
    /// for content from another file) at nesting `depth`.
    fn rewrite(&mut self, v: &mut Value, ctx: Ctx<'_>, ptr: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let main = ctx.site.is_none();
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let r = r.clone();
                    match self.resolve(&r, ctx, &crate::diagnostics::join(ptr, "$ref")) {
                        Some(Resolved::Ref(local)) => {
                            map.insert("$ref".into(), Value::String(local));
                        }
                        Some(Resolved::Inline(value)) => {
                            *v = value;
                            return;
                        }
                        None => {}
                    }
                }
                for (k, child) in map.iter_mut() {
                    // Schema values (`default`, `enum`, ...) are data; `default` among
                    // responses is a response.
                    let data = matches!(k.as_str(), "example" | "enum" | "const") || (k == "default" && ctx.in_schema);
                    if k == "$ref" || data || k.starts_with("x-") {
                        continue;
                    }
                    let child_ptr = if main { crate::diagnostics::join(ptr, k) } else { String::new() };
                    if k == "examples" && !ctx.in_schema {
                        // Example objects may be references; their values are data.
                        if let Value::Object(exs) = child {
                            for (name, ex) in exs.iter_mut() {
                                let Some(Value::String(r)) = ex.get("$ref") else { continue };
                                let r = r.clone();
                                let ex_ptr = if main { crate::diagnostics::join(&child_ptr, name) } else { String::new() };
                                let here = crate::diagnostics::join(&ex_ptr, "$ref");
                                match self.resolve(&r, Ctx { in_schema: false, ..ctx }, &here) {
                                    Some(Resolved::Ref(local)) => ex["$ref"] = Value::String(local),
                                    Some(Resolved::Inline(value)) => *ex = value,
                                    None => {}
                                }
                            }
                        }
                        continue;
                    }
                    let in_schema = ctx.in_schema || k == "schema" || k == "schemas";
                    self.rewrite(child, Ctx { in_schema, ..ctx }, &child_ptr, depth + 1);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let item_ptr = if main { crate::diagnostics::join(ptr, &i.to_string()) } else { String::new() };
                    self.rewrite(item, ctx, &item_ptr, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// What a reference becomes; `None` leaves it as it is (already local, or reported).
    /// `here` is the reference's pointer in the main document (when it is in the main document).
    fn resolve(&mut self, r: &str, ctx: Ctx<'_>, here: &str) -> Option<Resolved> {
        let site = ctx.site.unwrap_or(here);
        let (file_part, fragment) = r.split_once('#').unwrap_or((r, ""));
        let file = if file_part.is_empty() {
            match ctx.origin {
                // A local reference of the spec itself.
                Origin::Main(_) => return None,
                Origin::File(file) => file.clone(),
            }
        } else {
            if file_part.contains("://") {
                self.diags.push(
                    Diagnostic::error(site, format!("`$ref: {r}` points to a remote document, which is not fetched"))
                        .with_hint("download it next to the spec and refer to it by a relative path, or bundle the spec (for example `redocly bundle`)"),
                );
                return None;
            }
            let path = ctx.origin.dir().join(percent_decode_path(file_part));
            match std::fs::canonicalize(&path) {
                Ok(p) => p,
                Err(e) => {
                    self.diags.push(
                        Diagnostic::error(site, format!("`$ref: {r}`: cannot read `{}`: {e}", path.display()))
                            .with_hint("references to other files are resolved relative to the file that contains them"),
                    );
                    return None;
                }
            }
        };
        let key = (file.clone(), fragment.to_string());
        if ctx.in_schema {
            if let Some(local) = self.imported.get(&key) {
                return Some(Resolved::Ref(local.clone()));
            }
        }
        let loaded = self.load(&file, r, site)?;
        let Some(mut target) = crate::validate::resolve_pointer(loaded, &format!("#{fragment}")).cloned() else {
            self.diags.push(
                Diagnostic::error(site, format!("`$ref: {r}`: `{}` has nothing at `#{fragment}`", self.show(&file)))
                    .with_hint("the part after `#` is a JSON pointer into that file, such as `#/components/schemas/Pet`"),
            );
            return None;
        };
        if ctx.in_schema {
            let name = self.claim_name(fragment, &file);
            let local = format!("#/components/schemas/{name}");
            // Registered before its content is rewritten, so recursive schemas find themselves.
            self.imported.insert(key, local.clone());
            self.pending.push((name, file, site.to_string(), target));
            return Some(Resolved::Ref(local));
        }
        if ctx.inlined >= MAX_INLINE_DEPTH {
            self.diags.push(Diagnostic::error(
                site,
                format!("`$ref: {r}`: references between files nest more than {MAX_INLINE_DEPTH} levels deep (a cycle?)"),
            ));
            return None;
        }
        let origin = Origin::File(file);
        let inner = Ctx { origin: &origin, in_schema: false, site: Some(site), inlined: ctx.inlined + 1 };
        self.rewrite(&mut target, inner, "", 0);
        Some(Resolved::Inline(target))
    }

    fn load(&mut self, file: &std::path::Path, r: &str, site: &str) -> Option<&Value> {
        if !self.files.contains_key(file) {
            let loaded = match std::fs::read(file) {
                Err(e) => {
                    self.diags.push(Diagnostic::error(site, format!("`$ref: {r}`: cannot read `{}`: {e}", self.show(file))));
                    None
                }
                Ok(bytes) => match load_any(&bytes) {
                    Ok(v) => Some(v),
                    Err(d) => {
                        let first = d.iter().next().map(|d| d.message.clone()).unwrap_or_default();
                        let shown = self.show(file);
                        self.diags.push(Diagnostic::error(site, format!("`$ref: {r}`: `{shown}` does not load: {first}")));
                        None
                    }
                },
            };
            self.files.insert(file.to_path_buf(), loaded);
        }
        self.files.get(file)?.as_ref()
    }

    /// `file` relative to the spec's directory when it is inside it.
    fn show(&self, file: &std::path::Path) -> String {
        let relative = self.base.as_deref().and_then(|b| file.strip_prefix(b).ok());
        relative.unwrap_or(file).display().to_string()
    }

    /// A component name for an imported schema: the pointer's last segment, else the file stem,
    /// spelled with letters, digits, `_`, `-` and `.` only, and not yet used.
    fn claim_name(&mut self, fragment: &str, file: &std::path::Path) -> String {
        let last = fragment.rsplit('/').next().filter(|s| !s.is_empty()).map(|s| s.replace("~1", "/").replace("~0", "~"));
        let raw = last.unwrap_or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        let mut base: String =
            raw.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect();
        if base.is_empty() {
            base = "Schema".into();
        }
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }
}

enum Resolved {
    Ref(String),
    Inline(Value),
}

/// A referenced file: a document of any shape (a lone schema is a mapping, but need not be an
/// OpenAPI document).
fn load_any(bytes: &[u8]) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::default();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let mut d = Diagnostics::default();
        d.error("", format!("not valid UTF-8 (at byte {})", e.valid_up_to()));
        d
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().as_bytes().first().copied();
    let value = if first == Some(b'{') || first == Some(b'[') { load_json(text, &mut diags) } else { load_yaml(text, &mut diags) };
    match value {
        Some(v) if !diags.has_errors() => Ok(v),
        _ => Err(diags),
    }
}

fn percent_decode_path(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, ptrs: &[&str]) -> Vec<Option<(usize, usize)>> {
        locate_pointers(text.as_bytes(), ptrs)
    }

    #[test]
    fn yaml_pointers_are_located_at_their_keys_and_items() {
        let text = "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        -   {name: q, in: query}\n      responses: {'200': {description: ok}}\n  200: x\n  ~: y\n";
        let got = at(
            text,
            &[
                "",
                "/paths/~1a~1{id}/get",
                "/paths/~1a~1{id}/get/parameters/0",
                "/paths/~1a~1{id}/get/parameters/0/in",
                "/paths/~1a~1{id}/get/parameters/1/in",
                "/paths/~1a~1{id}/get/responses/200/description",
                "/paths/200",
                "/paths/null",
                // Not in the source: the nearest ancestor that is.
                "/paths/~1a~1{id}/get/parameters/0/schema/type",
                "/nope",
            ],
        );
        assert_eq!(
            got,
            vec![
                Some((1, 1)),
                Some((4, 5)),
                Some((6, 11)),
                Some((7, 11)),
                Some((8, 23)),
                Some((9, 27)),
                Some((10, 3)),
                Some((11, 3)),
                Some((6, 11)),
                Some((1, 1)),
            ]
        );
    }

    /// Every node of a document is placed alike whether it is asked for alone or with every
    /// other node.
    #[test]
    fn json_pointers_are_located_alike_alone_and_together() {
        let text = "{\"a\": {\"b\": [1, {\"c\\\"]\": \"}{[\", \"d\": [[], {}]}], \"e\": \"x\"},\n  \"f\": [\n {\"g\": \"é\\\\\"}, {\"h\": {\"i\": [true,\nfalse]}}],\r\n\"j\": null, \"k\": {\"l\": {}}}";
        let value: Value = serde_json::from_str(text).unwrap();
        fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => m.iter().for_each(|(k, c)| pointers(c, crate::diagnostics::join(&at, k), out)),
                Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
                _ => {}
            }
            out.push(at);
        }
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        all.extend(["/a/b/1/zz".to_string(), "/f/9".to_string()]);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let together = at(text, &refs);
        assert!(together.iter().all(Option::is_some));
        for (p, want) in refs.iter().zip(&together) {
            assert_eq!(at(text, &[p]), vec![*want], "{p}");
        }
    }

    #[test]
    fn json_pointers_are_located_including_escapes_and_long_lines() {
        let text = "{\"openapi\": \"3.1.0\",\n \"paths\": {\"/a\": {\"get\": [1, {\"x\\\"y\": true, \"é\": {\"k\": null}}]}}}";
        let got = at(text, &["/paths/~1a/get/1/x\"y", "/paths/~1a/get/1/é/k", "/paths/~1a/get/0", "/openapi"]);
        assert_eq!(got, vec![Some((2, 31)), Some((2, 51)), Some((2, 27)), Some((1, 2))]);

        // One line of many megabytes stays linear.
        let mut big = String::from("{\"items\": [");
        for i in 0..200_000 {
            big.push_str(&format!("{{\"n\": {i}}},"));
        }
        big.push_str("{\"last\": 1}]}");
        let t = std::time::Instant::now();
        let got = at(&big, &["/items/200000/last"]);
        assert_eq!(got[0].map(|p| p.0), Some(1));
        assert!(t.elapsed() < std::time::Duration::from_secs(5), "{:?}", t.elapsed());
    }

    #[test]
    fn broken_or_odd_input_never_panics() {
        for text in ["", "{", "[", "\"", "{\"a\":", "a: [", "- - - ", "? [a]\n: b\n", "a: *x\n", "{\"\\", "\u{feff}{}", "a: 1\n---\nb: 2\n"] {
            let _ = at(text, &["", "/a", "/a/0", "/b"]);
        }
        assert_eq!(at("? [a]\n: b\nc: d\n", &["/c"]), vec![Some((3, 1))]);
    }
}
