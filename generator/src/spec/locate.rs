//! Where a JSON pointer's node starts in the source text (YAML or JSON), to place diagnostics.

use super::load::line_count;
use crate::diagnostics::Diagnostics;

/// Gives every diagnostic that has no position yet the line and column of its pointer (or of
/// the nearest ancestor the source spells out) in `source`, the bytes the spec was read from.
pub fn place(diags: &mut Diagnostics, source: &[u8]) {
    let mut unplaced: Vec<_> = diags.unplaced_mut().collect();
    if unplaced.is_empty() {
        return;
    }
    let pointers: Vec<String> = unplaced.iter().map(|d| d.pointer.clone()).collect();
    let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
    for (d, pos) in unplaced.iter_mut().zip(locate_pointers(source, &pointers)) {
        d.line_col = pos;
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
        // A pointer and its ancestors; once one is known, so are the rest (many pointers share
        // their ancestors, which can be long).
        while !wanted.contains(p) {
            wanted.insert(p.to_string());
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    let first = text.trim_start().as_bytes().first().copied();
    let json = first == Some(b'{') || first == Some(b'[');
    let mut walker = Walker {
        wanted,
        found: std::collections::HashMap::new(),
        frames: Vec::new(),
        root_seen: false,
        defer_maps: !json,
    };
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
                (f.ptr.as_ref().map(|p| crate::spec::pointer::join(p, &i.to_string())), pos)
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
                        (Some(p), Some(k)) => Some(crate::spec::pointer::join(p, &k)),
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
            Event::Scalar(v, style, ..) => {
                Ev::Scalar(Some(if style == TScalarStyle::Plain { yaml_plain_key(v) } else { v }))
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

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
                Value::Object(m) => m.iter().for_each(|(k, c)| pointers(c, crate::spec::pointer::join(&at, k), out)),
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
        let text =
            "{\"openapi\": \"3.1.0\",\n \"paths\": {\"/a\": {\"get\": [1, {\"x\\\"y\": true, \"é\": {\"k\": null}}]}}}";
        let got = at(text, &["/paths/~1a/get/1/x\"y", "/paths/~1a/get/1/é/k", "/paths/~1a/get/0", "/openapi"]);
        assert_eq!(got, vec![Some((2, 31)), Some((2, 51)), Some((2, 27)), Some((1, 2))]);

        // One line of many megabytes.
        let mut big = String::from("{\"items\": [");
        for i in 0..200_000 {
            big.push_str(&format!("{{\"n\": {i}}},"));
        }
        big.push_str("{\"last\": 1}]}");
        let got = at(&big, &["/items/200000/last"]);
        assert_eq!(got[0].map(|p| p.0), Some(1));
    }

    #[test]
    fn broken_or_odd_input_never_panics() {
        for text in [
            "",
            "{",
            "[",
            "\"",
            "{\"a\":",
            "a: [",
            "- - - ",
            "? [a]\n: b\n",
            "a: *x\n",
            "{\"\\",
            "\u{feff}{}",
            "a: 1\n---\nb: 2\n",
        ] {
            let _ = at(text, &["", "/a", "/a/0", "/b"]);
        }
        assert_eq!(at("? [a]\n: b\nc: d\n", &["/c"]), vec![Some((3, 1))]);
    }
}
