//! JSON pointers (RFC 6901): how every phase names a place in the document.

use serde_json::Value;

/// Escapes one reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `pointer` with one more reference token.
pub fn join(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    push(&mut out, token);
    out
}

/// Appends one reference token to a pointer in place (what [`join`] returns).
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape_token(token));
    } else {
        pointer.push_str(token);
    }
}

/// Resolves a local reference (`#/components/schemas/User`) in `doc`.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let ptr = reference.strip_prefix('#')?;
    doc.pointer(&percent_decode(ptr))
}

/// `$ref` values are URIs, which may percent-encode characters; pointers and paths do not.
pub fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return s.into();
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
    String::from_utf8_lossy(&out).into_owned().into()
}

/// Where a `serde_path_to_error` path leads, as a pointer.
pub fn from_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => push(&mut out, &index.to_string()),
            Segment::Map { key } => push(&mut out, key),
            Segment::Enum { variant } => push(&mut out, variant),
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_references_decoded() {
        assert_eq!(join("/paths", "/users/{id}"), "/paths/~1users~1{id}");
        assert_eq!(join("", "a~b"), "/a~0b");
        let doc = serde_json::json!({"components": {"schemas": {"a b": 1, "c/d": 2}}});
        assert_eq!(resolve(&doc, "#/components/schemas/a%20b"), Some(&serde_json::json!(1)));
        assert_eq!(resolve(&doc, "#/components/schemas/c~1d"), Some(&serde_json::json!(2)));
        assert_eq!(resolve(&doc, "other.yaml#/x"), None);
        assert_eq!(percent_decode("%41%4"), "A%4");
    }
}
