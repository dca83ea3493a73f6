//! The front of the pipeline, shared by generating and diffing: the spec's bytes -> a document
//! read ([`load`]) with its other files bundled in ([`bundle`]), checked ([`validate`]), rewritten
//! to the 3.0 form `openapiv3` reads ([`normalize`]) and parsed by `openapiv3`. Every problem is
//! named by a JSON pointer ([`pointer`]) and placed in the source text ([`locate`]).

pub mod bundle;
pub mod load;
pub mod locate;
pub mod normalize;
pub mod pointer;
pub mod validate;

use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The operation keys of a path item.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

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
}

/// Runs the front on the bytes of a spec. `base_dir` is the directory that `$ref`s to other
/// files are resolved against (`None`: such references are errors).
///
/// # Errors
///
/// Every problem found, each with a JSON pointer, when the spec cannot be read.
pub fn read(bytes: &[u8], base_dir: Option<&std::path::Path>) -> Result<Front, Diagnostics> {
    let t = Instant::now();
    let (mut doc, loaded) = load::load_document(bytes)?;
    if let Some(dir) = base_dir {
        let mut bundled = Diagnostics::default();
        bundle::bundle_external_refs(&mut doc, dir, &mut bundled);
        if bundled.has_errors() {
            return Err(bundled);
        }
    }
    let load = t.elapsed();

    let t = Instant::now();
    let mut diags = loaded;
    diags.extend(validate::validate_document(&doc));
    let validate = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    let t = Instant::now();
    normalize::normalize(&mut doc, &mut diags);
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
                return Err(diags);
            }
        },
    };
    Ok(Front { doc, parsed, diags, times: [load, validate, normalize, t.elapsed()] })
}
