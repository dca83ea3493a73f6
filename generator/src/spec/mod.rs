//! The front of the pipeline, shared by generating and diffing: the spec's bytes -> a document
//! read ([`load`]) with its other files bundled in ([`bundle`]), sloppy but clear constructs
//! rewritten with a warning ([`repair`]), checked ([`validate`]), rewritten
//! to the 3.0 form `openapiv3` reads ([`normalize`]) and parsed by `openapiv3`. Every problem is
//! named by a JSON pointer ([`pointer`]) and placed in the source text ([`locate`]).

pub mod bundle;
pub mod load;
pub mod locate;
pub mod normalize;
pub mod pointer;
pub mod repair;
pub mod validate;

use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The operation keys of a path item.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The longest server URL, its variables' defaults substituted.
pub const MAX_SERVER_URL: usize = 4096;

/// A server URL with each `{name}` replaced by `default(name)` (left as written when there is
/// none), in one pass from left to right: a default is not searched for further variables, so
/// defaults that name each other cannot multiply. `None` when the result would be longer than
/// [`MAX_SERVER_URL`] (`validate` reports that, so later phases always get `Some`).
pub fn server_url<'a>(url: &str, default: impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    let mut out = String::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else { break };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + len];
        out.push_str(default(name).unwrap_or(&rest[open..=open + len]));
        rest = &rest[open + len + 1..];
        if out.len() > MAX_SERVER_URL {
            return None;
        }
    }
    out.push_str(rest);
    (out.len() <= MAX_SERVER_URL).then_some(out)
}

/// The size of `v` as the limits on copies count it: one per value (`v` included), and one more
/// per 64 bytes of a string or key (one long string copied many times is as large as many
/// values); counted up to just past `limit`.
pub(crate) fn count_values(v: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Object(map) => {
                count += map.keys().map(|k| k.len() / 64).sum::<usize>();
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            Value::String(s) => count += s.len() / 64,
            _ => {}
        }
        if count > limit {
            break;
        }
    }
    count
}

/// Removes every `operationId` that an earlier operation (in document order) already uses, with
/// a warning at each.
fn drop_duplicate_operation_ids(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in paths.iter_mut() {
        for m in METHODS {
            let Some(op) = item.get_mut(m).and_then(Value::as_object_mut) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str).map(str::to_string) else { continue };
            let here = pointer::join(&pointer::join(&pointer::join("/paths", path), m), "operationId");
            match seen.get(&id) {
                None => {
                    seen.insert(id, here);
                }
                Some(first) => {
                    diags.push(
                        Diagnostic::warning(&here, format!("duplicate operationId `{id}` (first used at #{first}): compared without it"))
                            .with_hint("the operation is named from its method and path; operationIds must be unique to generate a crate"),
                    );
                    op.remove("operationId");
                }
            }
        }
    }
}

/// A spec read by the front.
pub struct Front {
    /// The normalized document (lowering and the diff read extensions and examples from it).
    pub doc: Value,
    /// The same document as `openapiv3` reads it.
    pub parsed: openapiv3::OpenAPI,
    /// Warnings so far.
    pub diags: Diagnostics,
    /// Time spent in load (with bundling), validate, normalize and parse.
    pub times: [Duration; 4],
    /// The other files `$ref`s read, sorted.
    pub read_files: Vec<std::path::PathBuf>,
}

/// Runs the front on the bytes of a spec. `files` says where `$ref`s to other files are
/// resolved and which files they may read (`None`: such references are errors).
///
/// # Errors
///
/// Every problem found, each with a JSON pointer, when the spec cannot be read.
pub fn read(bytes: &[u8], files: Option<bundle::Files<'_>>) -> Result<Front, Diagnostics> {
    read_with(bytes, files, false)
}

/// As [`read`], for comparing rather than generating (`lenient`): what a diff can do without is
/// set aside with a warning instead of refusing the spec. Today: an `operationId` already used
/// by an earlier operation is dropped (the operation is named from its method and path, as one
/// without an id is).
///
/// # Errors
///
/// Every problem found that the diff cannot do without.
pub fn read_lenient(bytes: &[u8], files: Option<bundle::Files<'_>>) -> Result<Front, Diagnostics> {
    read_with(bytes, files, true)
}

fn read_with(bytes: &[u8], files: Option<bundle::Files<'_>>, lenient: bool) -> Result<Front, Diagnostics> {
    let t = Instant::now();
    // Each phase gives its diagnostics their stable codes (`diagnostics::CODES`).
    let (mut doc, mut loaded) = load::load_document(bytes).map_err(|mut d| {
        d.set_codes("E002", "W001");
        d
    })?;
    loaded.set_codes("E002", "W001");
    let mut read_files = Vec::new();
    if let Some(files) = files {
        let mut bundled = Diagnostics::default();
        read_files = bundle::bundle_external_refs(&mut doc, files, &mut bundled);
        bundled.set_codes("E003", "W001");
        if bundled.has_errors() {
            return Err(bundled);
        }
        loaded.extend(bundled);
    }
    let load = t.elapsed();

    let t = Instant::now();
    let mut diags = loaded;
    repair::repair(&mut doc, &mut diags);
    if lenient {
        drop_duplicate_operation_ids(&mut doc, &mut diags);
        diags.set_codes("E004", "W001");
    }
    let mut validated = validate::validate_document(&doc);
    validated.set_codes("E004", "W001");
    diags.extend(validated);
    let validate = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    let t = Instant::now();
    normalize::normalize(&mut doc, &mut diags);
    diags.set_codes("E004", "W002");
    let normalize = t.elapsed();

    let t = Instant::now();
    // Read without path tracking (it slows every field down), and again with it only to name
    // the failing path (both read the same way, so they fail alike).
    let parsed = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&doc) {
        Ok(p) => p,
        Err(_) => match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&doc) {
            Ok(p) => p,
            Err(e) => {
                // Re-read part by part to name every failing part precisely.
                let narrowed = validate::narrow_parse_errors(&doc);
                if narrowed.is_empty() {
                    diags.push(
                        Diagnostic::error(pointer::from_path(e.path()), e.inner().to_string())
                            .with_hint("the value does not have the shape OpenAPI defines for this field"),
                    );
                }
                diags.extend(narrowed);
                diags.set_codes("E005", "W002");
                return Err(diags);
            }
        },
    };
    Ok(Front { doc, parsed, diags, times: [load, validate, normalize, t.elapsed()], read_files })
}
