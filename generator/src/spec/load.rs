//! The front, load: bytes -> a generic JSON document.
//!
//! YAML and JSON are both read into one `serde_json::Value` tree so that every later phase
//! (normalize, validate, lower) works on one representation and reports JSON pointers.

use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::{Map, Value};

/// Nesting deeper than this is rejected instead of risking a stack overflow in later phases.
pub const MAX_DEPTH: usize = 256;

/// YAML flow collections (`[..]`, `{..}`) nested deeper than this are rejected before
/// `serde_yaml` reads the text: libyaml checks every open flow level again for every token, so
/// its time grows with the depth times the length (195 KB of `[`: 44 s), and `serde_yaml` refuses
/// more than 128 levels of any nesting afterwards anyway.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Values that YAML aliases may add to a document, beyond as many as its text could spell out
/// (one per two bytes): 10 KB of anchors whose aliases name each other spell millions.
pub const MAX_ALIASED_VALUES: usize = 1_000_000;

/// Reads a document from bytes. JSON is detected by its first non-blank byte; anything else is
/// read as YAML (which is also a superset of JSON). Returns the document and the warnings.
pub fn load_document(bytes: &[u8]) -> Result<(Value, Diagnostics), Diagnostics> {
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
    Ok((value, diags))
}

/// Reads JSON or YAML text: JSON when it starts with `{` or `[`, else YAML (a superset of JSON).
pub(crate) fn parse_text(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let first = text.trim_start().as_bytes().first();
    let value = if matches!(first, Some(b'{' | b'[')) { load_json(text, diags) } else { load_yaml(text, diags) }?;
    if let Some((ptr, len)) = long_key(&value, &mut Vec::new()) {
        diags.push(
            Diagnostic::error(
                ptr,
                format!("a key of this mapping is {len} bytes long; keys have at most {MAX_KEY} bytes"),
            )
            .with_hint("no API names a path, a schema or a property this long; is the file generated?"),
        );
        return None;
    }
    Some(value)
}

/// The longest mapping key: every JSON pointer below a key spells it, so a long key repeated
/// in the pointers of the many nodes under it would cost their number times its length.
pub const MAX_KEY: usize = 1024;

/// The pointer of a mapping with a key longer than [`MAX_KEY`], and that key's length. `path`
/// holds the keys (or item indices) on the way to `v`.
fn long_key<'v>(v: &'v Value, path: &mut Vec<Result<&'v str, usize>>) -> Option<(String, usize)> {
    match v {
        Value::Object(map) => {
            if let Some(key) = map.keys().find(|k| k.len() > MAX_KEY) {
                let mut ptr = String::new();
                for token in path.iter() {
                    match token {
                        Ok(key) => crate::spec::pointer::push(&mut ptr, key),
                        Err(i) => crate::spec::pointer::push(&mut ptr, &i.to_string()),
                    }
                }
                return Some((ptr, key.len()));
            }
            map.iter().find_map(|(k, child)| {
                path.push(Ok(k));
                let found = long_key(child, path);
                path.pop();
                found
            })
        }
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| {
            path.push(Err(i));
            let found = long_key(child, path);
            path.pop();
            found
        }),
        _ => None,
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
    let scan = scan_yaml(text, MAX_FLOW_DEPTH);
    if let Some(at) = scan.too_deep {
        let (line, col) = line_col(text, at);
        diags.push(
            Diagnostic::error("", format!("flow collections (`[`, `{{`) nest deeper than {MAX_FLOW_DEPTH} levels"))
                .at(line, col)
                .with_hint("no real API needs this depth; is the file generated in a loop?"),
        );
        return None;
    }
    // Aliases repeat what they name: count what the document expands to before building it.
    let limit = MAX_ALIASED_VALUES + text.len() / 2;
    if let Some(Err(at)) = scan.aliases.then(|| expands_within(text, limit)) {
        let mut d =
            Diagnostic::error("", format!("the YAML anchors and aliases (`*name`) expand to more than {limit} values"));
        if let Some((line, col)) = at {
            d = d.at(line, col);
        }
        diags.push(d.with_hint("an alias copies the node it names; aliases of nodes full of aliases multiply"));
        return None;
    }
    let widened = std::cell::Cell::new(0);
    let yaml =
        match serde::de::DeserializeSeed::deserialize(Lenient(&widened), serde_yaml::Deserializer::from_str(text)) {
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
    if widened.get() > 0 {
        diags.push(
            Diagnostic::warning(
                "",
                format!("{} integers do not fit in 64 bits and are read as floating-point numbers", widened.get()),
            )
            .with_hint("their last digits may differ from the spec's; no real API sends such values"),
        );
    }
    let mut yaml = yaml;
    if let Err(e) = yaml.apply_merge() {
        diags.push(Diagnostic::error("", format!("invalid YAML merge key: {e}")));
        return None;
    }
    let mut out = None;
    yaml_to_json(yaml, "", 0, diags, &mut out);
    out
}

/// Whether the YAML document expands to at most `limit` values, aliases followed, counted
/// without building it; else where the count ran out. (A parse error here is reported by the
/// parse that follows.)
fn expands_within(text: &str, limit: usize) -> Result<(), Option<(usize, usize)>> {
    let left = std::cell::Cell::new(limit);
    let counted = serde::de::DeserializeSeed::deserialize(CountValues(&left), serde_yaml::Deserializer::from_str(text));
    match counted {
        Err(e) if left.get() == 0 => Err(e.location().map(|l| clamp_position(text, l.line(), l.column()))),
        _ => Ok(()),
    }
}

/// Counts values down to zero, then fails.
struct CountValues<'c>(&'c std::cell::Cell<usize>);

impl CountValues<'_> {
    fn tick<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.0.get() {
            0 => Err(E::custom("too many values")),
            left => {
                self.0.set(left - 1);
                Ok(())
            }
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for CountValues<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CountValues<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.tick()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.tick()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(CountValues(self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        while map.next_key_seed(CountValues(self.0))?.is_some() {
            map.next_value_seed(CountValues(self.0))?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`).
        let (serde::de::IgnoredAny, value) = data.variant()?;
        serde::de::VariantAccess::newtype_variant_seed(value, self)
    }
}

/// The 1-based line and column (in characters) of byte `at`, lines counted as YAML does.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let (line, last_len) = line_count(before);
    (line, last_len + 1)
}

/// What [`scan_yaml`] finds in YAML text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct YamlScan {
    /// Where flow collections first nest deeper than the limit (the opening bracket's offset).
    pub too_deep: Option<usize>,
    /// Whether an alias (`*name`) is used (before that place).
    pub aliases: bool,
}

/// Where flow collections first nest deeper than `max` levels in YAML `text`, and whether the
/// text uses aliases, found in one linear pass.
///
/// It reads the text token by token as libyaml's scanner does (the same rules for comments,
/// quoted, plain and block scalars, and the indentation of block collections, which decides
/// where a multi-line plain or block scalar ends), so that no bracket inside a scalar is counted
/// and none outside one is missed. Where libyaml would stop with an error, what follows does not
/// matter (libyaml reads no further), and this pass reads on.
pub fn scan_yaml(text: &str, max: usize) -> YamlScan {
    let mut s = Cursor { b: text.as_bytes(), i: 0, line_start: 0, col_at: (0, 0) };
    let mut found = YamlScan::default();
    let mut depth = 0usize;
    // The indentation of the open block collections (libyaml's `indent` and its stack).
    let (mut indent, mut indents) = (-1isize, Vec::<isize>::new());
    // Whether a simple key may start here, and the possible key of the block context: its
    // column, line and offset (a key is found by the `:` that follows it on the same line).
    let mut key_allowed = true;
    let mut key: Option<(isize, usize, usize)> = None;
    loop {
        // Blanks, comments and line breaks up to the next token.
        loop {
            if s.i == s.line_start && s.b[s.i..].starts_with("\u{feff}".as_bytes()) {
                s.i += 3;
            }
            while s.at(s.i) == b' ' || (s.at(s.i) == b'\t' && (depth > 0 || !key_allowed)) {
                s.i += 1;
            }
            if s.at(s.i) == b'#' {
                s.i = s.line_end(s.i);
            }
            if s.break_len(s.i) == 0 {
                break;
            }
            s.next_line();
            if depth == 0 {
                key_allowed = true;
            }
        }
        let i = s.i;
        if i >= s.b.len() {
            return found;
        }
        let col = s.col();
        if key.is_some_and(|(_, line, offset)| line != s.line_start || offset + 1024 < i) {
            key = None;
        }
        if depth == 0 {
            while indent > col {
                indent = indents.pop().unwrap_or(-1);
            }
        }
        let mut roll = |column: isize, indent: &mut isize| {
            if *indent < column {
                indents.push(*indent);
                *indent = column;
            }
        };
        let c = s.b[i];
        let marker =
            |s: &Cursor<'_>| (s.b[s.i..].starts_with(b"---") || s.b[s.i..].starts_with(b"...")) && s.blankz(s.i + 3);
        if col == 0 && (c == b'%' || marker(&s)) {
            // A directive, or a document start or end.
            (indent, key, key_allowed) = (-1, None, false);
            indents.clear();
            s.i = if c == b'%' { s.line_end(i) } else { i + 3 };
            continue;
        }
        let mut save_key = |key_allowed: bool| {
            if key_allowed && depth == 0 {
                key = Some((col, s.line_start, i));
            }
        };
        match c {
            b'[' | b'{' => {
                save_key(key_allowed);
                depth += 1;
                if depth > max {
                    found.too_deep = Some(i);
                    return found;
                }
                key_allowed = true;
                s.i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                key_allowed = false;
                s.i += 1;
            }
            b',' => {
                key_allowed = true;
                s.i += 1;
            }
            b'-' if s.blankz(i + 1) => {
                if depth == 0 {
                    roll(col, &mut indent);
                    key = None;
                }
                key_allowed = true;
                s.i += 1;
            }
            b'?' | b':' if depth > 0 || s.blankz(i + 1) => {
                // A value rolls the mapping in at its key's column; after a key's value, no key
                // may start on the same line.
                let found = if c == b':' && depth == 0 { key.take() } else { None };
                if depth == 0 {
                    roll(found.map_or(col, |(key_col, _, _)| key_col), &mut indent);
                }
                key_allowed = depth == 0 && found.is_none();
                s.i += 1;
            }
            b'&' | b'*' => {
                // An anchor or alias: letters, digits, `-` and `_`.
                found.aliases |= c == b'*';
                save_key(key_allowed);
                key_allowed = false;
                s.i += 1;
                while s.at(s.i).is_ascii_alphanumeric() || matches!(s.at(s.i), b'-' | b'_') {
                    s.i += 1;
                }
            }
            b'!' => {
                // A tag: up to a blank (libyaml refuses a flow indicator after it, except `,`).
                save_key(key_allowed);
                key_allowed = false;
                s.i += 1;
                if s.at(s.i) == b'<' {
                    while s.i < s.b.len() && s.b[s.i] != b'>' && s.break_len(s.i) == 0 {
                        s.i += 1;
                    }
                }
                while !s.blankz(s.i) && !matches!(s.b[s.i], b',' | b'[' | b']' | b'{' | b'}') {
                    s.i += 1;
                }
            }
            b'|' | b'>' if depth == 0 => {
                // A block scalar: the lines indented at least as deep as its content (given by
                // an indentation indicator, else by its first line, deeper than `indent`).
                key = None;
                key_allowed = true;
                let header_end = s.line_end(i);
                let explicit = s.b[i + 1..header_end]
                    .iter()
                    .take_while(|c| matches!(c, b'+' | b'-' | b'0'..=b'9'))
                    .find(|c| c.is_ascii_digit())
                    .map(|d| indent.max(0) + (d - b'0') as isize);
                let mut content = explicit.unwrap_or(0);
                let mut widest = 0isize;
                s.i = header_end;
                loop {
                    // Line breaks and the spaces that indent the next line.
                    while s.break_len(s.i) > 0 {
                        s.next_line();
                        while s.at(s.i) == b' ' && (content == 0 || s.col() < content) {
                            s.i += 1;
                        }
                        widest = widest.max(s.col());
                    }
                    if content == 0 {
                        content = widest.max(indent + 1).max(1);
                    }
                    if s.i >= s.b.len() || s.col() < content {
                        break;
                    }
                    s.i = s.line_end(s.i);
                }
            }
            b'\'' | b'"' => {
                // A quoted scalar, to its closing quote (on this line or a later one).
                save_key(key_allowed);
                key_allowed = false;
                s.i += 1;
                while s.i < s.b.len() && s.b[s.i] != c {
                    if (c == b'"' && s.b[s.i] == b'\\') || (c == b'\'' && s.b[s.i] == b'\'' && s.at(s.i + 1) == b'\'') {
                        s.i += 1;
                    }
                    if s.break_len(s.i) > 0 {
                        s.next_line();
                    } else {
                        s.i += 1;
                    }
                }
                s.i += 1;
            }
            _ => {
                // A plain scalar: to `: `, ` #`, a flow indicator in flow context, or the end of
                // the line; in block context it goes on in the lines indented deeper than
                // `indent`.
                save_key(key_allowed);
                key_allowed = false;
                loop {
                    if (s.col() == 0 && marker(&s)) || s.at(s.i) == b'#' {
                        break;
                    }
                    while !s.blankz(s.i) {
                        let here = s.b[s.i];
                        if (here == b':' && s.blankz(s.i + 1))
                            || (depth > 0 && matches!(here, b',' | b'[' | b']' | b'{' | b'}'))
                        {
                            break;
                        }
                        s.i += 1;
                    }
                    if !s.blankz(s.i) || s.i >= s.b.len() {
                        break;
                    }
                    loop {
                        if matches!(s.at(s.i), b' ' | b'\t') {
                            s.i += 1;
                        } else if s.break_len(s.i) > 0 {
                            s.next_line();
                            key_allowed = true;
                        } else {
                            break;
                        }
                    }
                    if depth == 0 && s.col() < indent + 1 {
                        break;
                    }
                }
            }
        }
    }
}

/// The position of [`scan_yaml`] in the text.
struct Cursor<'t> {
    b: &'t [u8],
    i: usize,
    line_start: usize,
    /// A byte offset in the current line and its column, to count columns in characters (as
    /// libyaml does) in linear time.
    col_at: (usize, isize),
}

impl Cursor<'_> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    /// The length of the line break at `i` (0 when there is none): libyaml also breaks lines at
    /// NEL, LS and PS.
    fn break_len(&self, i: usize) -> usize {
        match (self.at(i), self.at(i + 1), self.at(i + 2)) {
            (b'\r', b'\n', _) => 2,
            (b'\r' | b'\n', _, _) => 1,
            (0xC2, 0x85, _) => 2,
            (0xE2, 0x80, 0xA8 | 0xA9) => 3,
            _ => 0,
        }
    }

    fn blankz(&self, i: usize) -> bool {
        i >= self.b.len() || matches!(self.b[i], b' ' | b'\t') || self.break_len(i) > 0
    }

    fn line_end(&self, from: usize) -> usize {
        (from..self.b.len()).find(|&j| self.break_len(j) > 0).unwrap_or(self.b.len())
    }

    /// Past the line break at `i`.
    fn next_line(&mut self) {
        self.i += self.break_len(self.i);
        self.line_start = self.i;
        self.col_at = (self.i, 0);
    }

    /// The column of `i` in characters.
    fn col(&mut self) -> isize {
        let (from, col) = self.col_at;
        let (from, col) = if from < self.line_start || from > self.i { (self.line_start, 0) } else { (from, col) };
        let chars = self.b[from..self.i].iter().filter(|&&c| (c & 0xC0) != 0x80).count() as isize;
        self.col_at = (self.i, col + chars);
        col + chars
    }
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

/// Reads YAML into a `serde_yaml::Value` as `serde_yaml::Value`'s own `Deserialize` does, except
/// that an integer beyond 64 bits (which it refuses) becomes a float; the cell counts them.
struct Lenient<'a>(&'a std::cell::Cell<usize>);

impl<'de> serde::de::DeserializeSeed<'de> for Lenient<'_> {
    type Value = serde_yaml::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Lenient<'_> {
    type Value = serde_yaml::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        self.0.set(self.0.get() + 1);
        Ok((v as f64).into())
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        self.0.set(self.0.get() + 1);
        Ok((v as f64).into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Lenient(self.0))? {
            items.push(item);
        }
        Ok(serde_yaml::Value::Sequence(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut mapping = serde_yaml::Mapping::new();
        while let Some(key) = map.next_key_seed(Lenient(self.0))? {
            if mapping.contains_key(&key) {
                let key = match &key {
                    serde_yaml::Value::String(s) => format!(" with key {s:?}"),
                    _ => String::new(),
                };
                return Err(serde::de::Error::custom(format!("duplicate entry{key}")));
            }
            let value = map.next_value_seed(Lenient(self.0))?;
            mapping.insert(key, value);
        }
        Ok(serde_yaml::Value::Mapping(mapping))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess;
        let (tag, contents): (String, _) = data.variant()?;
        let value = contents.newtype_variant_seed(Lenient(self.0))?;
        Ok(serde_yaml::Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
            tag: serde_yaml::value::Tag::new(tag),
            value,
        })))
    }
}

#[cfg(test)]
mod tests {
    fn exceeds(text: &str, max: usize) -> Option<usize> {
        super::scan_yaml(text, max).too_deep
    }

    /// The deepest flow nesting the pre-scan sees.
    fn depth(text: &str) -> usize {
        (0..).find(|&max| exceeds(text, max).is_none()).expect("finite")
    }

    #[test]
    fn flow_depth_counts_flow_collections_only() {
        // Flow collections, in block context and inside each other.
        assert_eq!(depth("a: [1, {b: [2]}]\nc: {d: [[], {}]}\n"), 3);
        assert_eq!(depth("- - [[x]]\n"), 2);
        assert_eq!(depth("? [a]\n: {b: c}\n"), 1);
        // Brackets in scalars and comments are text.
        assert_eq!(depth("a: see [docs](x) and {{var}}\nb: '[[['\nc: \"[{\\\"[\"\n# [[[\nd: x # [[[\n"), 0);
        assert_eq!(depth("a: |\n  [[[\n  {{\nb: >-\n\n    [[[\n"), 0);
        assert_eq!(depth("a: text\n  [[[ more text\n  {{{\n"), 0);
        assert_eq!(depth("- a\n  [[[\n- |2\n   [[[\n"), 0);
        assert_eq!(depth("[a, '[[[', \"]]]\", b c [d]]\n"), 2);
        assert_eq!(depth("a: x[y\nb: z]\n"), 0);
        // What ends a scalar is not skipped: a key after a block scalar, a line indented no
        // deeper than the mapping, the document end, line breaks libyaml knows.
        assert_eq!(depth("a: |\n  text\nb: [[[]]]\n"), 3);
        assert_eq!(depth("- a: |\n    text\n  b: [[[]]]\n"), 3);
        assert_eq!(depth("a: text\nb: [[x]]\n"), 2);
        assert_eq!(depth("a: text\n---\n[[x]]\n"), 2);
        assert_eq!(depth("a: text\u{2028}[[x]]: b\n"), 2);
        assert_eq!(depth("a: text\r[[x]]: b\n"), 2);
        assert_eq!(depth("\u{feff}[[x]]\n"), 2);
        assert_eq!(depth("[*a:'[', [[[]]], 'y']\n"), 4);
        // The first bracket past the limit.
        assert_eq!(exceeds("a: [[[[]]]]\n", 3), Some(6));
        // Aliases, not stars in text.
        assert!(super::scan_yaml("a: &x [1]\nb: *x\n", 128).aliases);
        assert!(!super::scan_yaml("a: '*x'\nb: a*x\nc: |\n  *x\n", 128).aliases);
    }
}
