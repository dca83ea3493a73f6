//! sdkgen: OpenAPI 3.0/3.1 documents -> typed, async Rust client crates.
//!
//! The pipeline (see ARCHITECTURE.md): [`load`] -> [`validate`] -> [`normalize`] -> parse into
//! `openapiv3` -> [`lower`] to the [`ir`] -> [`emit`] tokens -> [`format`] -> files.

pub mod cli;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod output;
pub mod validate;

use diagnostics::{Diagnostic, Diagnostics};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// Settings for one generation.
#[derive(Clone, Debug, Default)]
pub struct GenerateOptions {
    /// Crate name; derived from `info.title` when `None`.
    pub crate_name: Option<String>,
    /// Crate version; `info.version` when it is semver, else `0.1.0`.
    pub crate_version: Option<String>,
    /// The command named in every file header.
    pub command: String,
    /// How the spec is named in every file header (a path relative to the user's project).
    pub spec_label: String,
    /// Package metadata and hand-written additions of the generated crate.
    pub package: PackageSettings,
    /// The directory `$ref`s to other files (`common.yaml#/components/schemas/Error`) are
    /// resolved against: the spec's own directory. `None` (bytes with no file behind them)
    /// reports such references as errors.
    pub base_dir: Option<std::path::PathBuf>,
}

/// What the generated crate's `Cargo.toml` and `lib.rs` carry beyond what the spec says.
#[derive(Clone, Debug, Default)]
pub struct PackageSettings {
    /// `repository` in Cargo.toml.
    pub repository: Option<String>,
    /// `homepage` in Cargo.toml.
    pub homepage: Option<String>,
    /// `license` in Cargo.toml; the spec's `info.license.name`, else `MIT OR Apache-2.0`.
    pub license: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Vec<String>,
    /// crates.io categories.
    pub categories: Vec<String>,
    /// Hand-written modules in `src/` (files the generator never writes), declared `pub mod`.
    pub extra_modules: Vec<String>,
    /// Extra `[dependencies]` lines for the hand-written modules, such as `hmac = "0.12"`.
    pub extra_dependencies: Vec<String>,
    /// Cargo features, off by default, that compile some of the hand-written modules and the
    /// optional dependencies those need.
    pub module_features: Vec<ModuleFeature>,
}

/// A cargo feature (off by default) for hand-written modules, so that users who do not need
/// them do not compile them or their dependencies.
#[derive(Clone, Debug, Default)]
pub struct ModuleFeature {
    /// The feature's name.
    pub name: String,
    /// Modules of `extra_modules` compiled only with the feature.
    pub modules: Vec<String>,
    /// Dependencies the feature enables; each is declared with `optional = true` in
    /// `extra_dependencies`.
    pub dependencies: Vec<String>,
    /// Examples in `examples/` that need the feature.
    pub examples: Vec<String>,
}

/// Time spent in each phase. Emitting and formatting run on worker threads: `emit` and
/// `format` add up the threads' time, `emit_format_wall` is the elapsed time of both.
#[derive(Clone, Debug, Default)]
pub struct PhaseTimes {
    pub load: Duration,
    pub validate: Duration,
    pub normalize: Duration,
    pub parse: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
    pub emit_format_wall: Duration,
}

/// Emits and formats every Rust piece of the plan on worker threads (one per core, the calling
/// thread being one of them). Returns, per file, the text of each piece in plan order.
///
/// Pieces start costliest first, so no thread is left with a long piece at the end. The
/// costliest starts on the calling thread, whose allocator arena held the document: glibc
/// gives freed memory back to the arena that allocated it, so that piece reuses it where
/// another thread's arena would grow anew.
fn render_parallel(plan: &[(String, Vec<emit::Part<'_>>)], times: &mut PhaseTimes) -> Result<Vec<Vec<String>>, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let mut jobs: Vec<(usize, usize)> =
        plan.iter().enumerate().flat_map(|(f, (_, parts))| (0..parts.len()).map(move |p| (f, p))).collect();
    // Most costly first (a stable sort: equal costs keep plan order).
    jobs.sort_by_key(|&(f, p)| {
        std::cmp::Reverse(match &plan[f].1[p] {
            emit::Part::Rust(_, cost) => *cost,
            _ => 0,
        })
    });
    let mut out: Vec<Vec<String>> = plan.iter().map(|(_, parts)| vec![String::new(); parts.len()]).collect();
    let results = Mutex::new(Vec::new());
    // The calling thread takes job 0 before the other workers start.
    let next = AtomicUsize::new(1);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len()).max(1);
    let work = |mut i: usize| {
        while let Some(&(f, p)) = jobs.get(i) {
            let t = Instant::now();
            let (text, emit_time, format_time) = match &plan[f].1[p] {
                emit::Part::Rust(build, _) => {
                    let tokens = build();
                    let emitted = t.elapsed();
                    let text = format::format_rust(tokens);
                    (text, emitted, t.elapsed() - emitted)
                }
                emit::Part::RustVerbatim(src) => (Ok(src.to_string()), Duration::ZERO, Duration::ZERO),
                emit::Part::Toml(text) | emit::Part::Markdown(text) => (Ok(text.clone()), Duration::ZERO, Duration::ZERO),
            };
            results.lock().expect("invariant: no worker panics while holding the lock").push((f, p, text, emit_time, format_time));
            i = next.fetch_add(1, Ordering::Relaxed);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(|| work(next.fetch_add(1, Ordering::Relaxed)));
        }
        work(0);
    });
    for (f, p, text, emit_time, format_time) in results.into_inner().expect("invariant: workers finished") {
        times.emit += emit_time;
        times.format += format_time;
        out[f][p] = text?;
    }
    Ok(out)
}

/// A generated crate, in memory.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Relative path and content of every file, in a fixed order.
    pub files: Vec<(String, String)>,
    /// Warnings: what was modelled by a fallback.
    pub diagnostics: Diagnostics,
    pub crate_name: String,
    pub operations: usize,
    pub types: usize,
    pub times: PhaseTimes,
    /// The IR, for tests and tools that inspect what was generated.
    pub api: ir::Api,
}

/// Runs the whole pipeline on the bytes of a spec.
///
/// # Errors
///
/// Every problem found, each with a JSON pointer (and its line and column in `bytes`), when the
/// spec cannot be turned into a crate.
pub fn generate(bytes: &[u8], opts: &GenerateOptions) -> Result<Generated, Diagnostics> {
    // Positions are looked up only when there is something to report.
    match run_pipeline(bytes, opts) {
        Ok(mut generated) => {
            generated.diagnostics.locate(bytes);
            Ok(generated)
        }
        Err(mut diags) => {
            diags.locate(bytes);
            Err(diags)
        }
    }
}

fn run_pipeline(bytes: &[u8], opts: &GenerateOptions) -> Result<Generated, Diagnostics> {
    let mut times = PhaseTimes::default();
    let t = Instant::now();
    let mut doc = load::load_document(bytes)?;
    // For the file headers.
    let spec_sha256 = hex(&Sha256::digest(bytes));
    if let Some(dir) = &opts.base_dir {
        let mut bundled = Diagnostics::default();
        load::bundle_external_refs(&mut doc, dir, &mut bundled);
        if bundled.has_errors() {
            return Err(bundled);
        }
    }
    times.load = t.elapsed();

    let t = Instant::now();
    let mut diags = validate::validate_document(&doc);
    times.validate = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    let t = Instant::now();
    normalize::normalize(&mut doc, &mut diags);
    times.normalize = t.elapsed();

    let t = Instant::now();
    // Read without path tracking (it slows every field down), and again with it only to name
    // the failing path (both read the same way, so they fail alike).
    let parsed = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&doc) {
        Ok(p) => Ok(p),
        Err(_) => serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&doc),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            // Re-read part by part to name every failing part precisely.
            let narrowed = validate::narrow_parse_errors(&doc);
            if narrowed.is_empty() {
                let ptr = path_to_pointer(e.path());
                diags.push(
                    Diagnostic::error(ptr, e.inner().to_string())
                        .with_hint("the value does not have the shape OpenAPI defines for this field"),
                );
            }
            diags.extend(narrowed);
            return Err(diags);
        }
    };
    times.parse = t.elapsed();

    let t = Instant::now();
    let api = lower::lower_document(&parsed, &doc, &mut diags);
    times.lower = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }

    let crate_name = opts.crate_name.clone().unwrap_or_else(|| naming::crate_name(&api.info.title));
    let crate_version = opts.crate_version.clone().unwrap_or_else(|| semver_or_default(&api.info.version));
    let emit_opts = emit::EmitOptions { crate_name: crate_name.clone(), crate_version, package: opts.package.clone() };
    let t = Instant::now();
    let files = std::thread::scope(|scope| {
        // The document is not needed past lowering. Freeing it (GitHub's spec holds well over
        // 100 MB as a JSON tree plus the openapiv3 model) and placing the warnings found so far
        // (emitting adds none) run on their own thread while emitting starts.
        let background = scope.spawn(move || {
            drop(parsed);
            drop(doc);
            let mut diags = diags;
            diags.locate(bytes);
            diags
        });
        let plan = emit::plan_crate(&api, &emit_opts);
        let rendered = render_parallel(&plan, &mut times);
        times.emit_format_wall = t.elapsed();
        let diags = background.join().expect("invariant: freeing and locating do not panic");
        let header = format::Header { command: opts.command.clone(), spec_label: opts.spec_label.clone(), spec_sha256 };
        (rendered.map(|rendered| assemble(&plan, rendered, &header)), diags)
    });
    let (files, mut diags) = files;
    let files = match files {
        Ok(files) => files,
        Err(e) => {
            diags.error("", format!("internal error while formatting: {e}"));
            return Err(diags);
        }
    };

    Ok(Generated {
        files,
        diagnostics: diags,
        crate_name,
        operations: api.operations.len(),
        types: api.types.defs.len(),
        times,
        api,
    })
}

/// Every file's text: its header, then its pieces in order.
fn assemble(plan: &[(String, Vec<emit::Part<'_>>)], rendered: Vec<Vec<String>>, header: &format::Header) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for ((path, parts), texts) in plan.iter().zip(rendered) {
        let head = match parts.first() {
            Some(emit::Part::Toml(_)) => format!("{}\n", header.lines("#")),
            Some(emit::Part::Markdown(_)) => {
                let line = header.lines("").split_whitespace().collect::<Vec<_>>().join(" ");
                format!("<!-- {line} -->\n\n")
            }
            _ => format!("{}\n", header.lines("//")),
        };
        // One allocation of the final size (the pieces of types.rs add up to megabytes).
        let mut text = String::with_capacity(head.len() + texts.iter().map(String::len).sum::<usize>());
        text.push_str(&head);
        for piece in texts {
            text.push_str(&piece);
        }
        files.push((path.clone(), text));
    }
    files
}

fn semver_or_default(v: &str) -> String {
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        v.to_string()
    } else {
        "0.1.0".to_string()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A serde_path_to_error path as a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .map(|s| format!("/{}", diagnostics::escape_token(&s)))
        .collect()
}
