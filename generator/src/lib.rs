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

/// Time spent in each phase. Normalizing runs in jobs before parsing: `normalize` adds up the
/// workers' time, and `parse` (the elapsed time of both) includes it. Emitting and formatting run on worker threads:
/// `emit` and `format` add up the threads' time, `emit_format_wall` is the elapsed time of both.
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
                    let text = format::format_rust_chunked(tokens, format::CHUNK_ITEMS);
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
    let parsed = match normalize_and_parse(&mut doc, &mut diags, &mut times) {
        Some(p) => p,
        None => {
            // Read without path tracking (it slows every field down), and again with it only to
            // name the failing path (both read the same way, so they fail alike).
            let parsed = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&doc) {
                Ok(p) => Ok(p),
                Err(_) => serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&doc),
            };
            match parsed {
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
            }
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
        // 100 MB as a JSON tree plus the openapiv3 model), hashing the spec for the headers and
        // placing the warnings found so far (emitting adds none) run on their own thread while
        // emitting starts.
        let background = scope.spawn(move || {
            drop(parsed);
            drop(doc);
            let mut diags = diags;
            diags.locate(bytes);
            (hex(&Sha256::digest(bytes)), diags)
        });
        let plan = emit::plan_crate(&api, &emit_opts);
        let rendered = render_parallel(&plan, &mut times);
        times.emit_format_wall = t.elapsed();
        let (spec_sha256, diags) = background.join().expect("invariant: freeing, hashing and locating do not panic");
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

/// Stack of the threads that walk or read the document: as deep as the main thread's, since
/// documents nest up to [`load::MAX_DEPTH`] levels.
const FRONT_STACK: usize = 8 << 20;

/// Runs `a` on a new thread (with [`FRONT_STACK`]) while `b` runs on this one, and returns both
/// results. With no thread to spare, runs `a` and then `b` here: the results do not depend on
/// which thread ran what, only the time does. A panic in `a` is resumed here.
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    RA: Send,
    B: FnOnce() -> RB,
{
    // `a` is taken by the thread once it starts; when it cannot start, `a` is taken here.
    let slot = std::sync::Mutex::new(Some(a));
    let take = || slot.lock().ok().and_then(|mut a| a.take());
    std::thread::scope(|scope| {
        let started = std::thread::Builder::new().stack_size(FRONT_STACK).spawn_scoped(scope, || take().map(|a| a()));
        let rb = b();
        let ra = match started {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        let ra = ra.unwrap_or_else(|| take().expect("invariant: `a` runs on the thread or here")());
        (ra, rb)
    })
}

/// Runs `f` on every job on one worker per core (this thread being one of them) and returns
/// the results in the order of the jobs. Each worker takes the next job when it is done with
/// one, so jobs of uneven cost even out; which worker ran a job never shows in the results.
pub(crate) fn run_jobs<J: Sync, R: Send>(jobs: &[J], f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { return done };
            done.push((i, f(job)));
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len());
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(jobs.len()).collect();
    std::thread::scope(|scope| {
        // A worker that cannot start leaves its jobs to the others (at least this thread).
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| std::thread::Builder::new().stack_size(FRONT_STACK).spawn_scoped(scope, work).ok())
            .collect();
        let mut done = work();
        for helper in helpers {
            done.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        for (i, r) in done {
            results[i] = Some(r);
        }
    });
    results.into_iter().map(|r| r.expect("invariant: every job ran once")).collect()
}

/// How many component schemas (or path items) one normalize or parse job takes: small enough
/// that the workers finish at about the same time, large enough that taking a job costs
/// nothing in comparison.
const ENTRIES_PER_JOB: usize = 4;

/// Normalizes the validated document in place and reads it into the `openapiv3` model, in jobs
/// shared by one worker per core (a schema or a path item normalizes and reads by itself as it
/// does within the document):
///
/// 1. normalizing: the document without its component schemas is one job, each run of
///    [`ENTRIES_PER_JOB`] schemas another. The warnings go to `diags` in the order normalizing
///    the whole document gives them.
/// 2. reading: the runs of schemas and of path items are jobs, and so is the rest of the
///    document (see [`SetAside`] for what else it is read without).
///
/// `None` when any part fails to read: the caller then reads the whole document in one pass,
/// which names the failure.
fn normalize_and_parse(doc: &mut serde_json::Value, diags: &mut Diagnostics, times: &mut PhaseTimes) -> Option<openapiv3::OpenAPI> {
    let mut schemas = set_aside(doc, &["components", "schemas"], serde_json::Value::Object(serde_json::Map::new()));
    normalize_in_jobs(doc, schemas.as_mut(), diags, times);
    let paths = set_aside(doc, &["paths"], serde_json::Value::Object(serde_json::Map::new()));
    let examples = set_aside(doc, &["components", "examples"], serde_json::Value::Object(serde_json::Map::new()));
    let webhooks = set_aside(doc, &[normalize::EXT_WEBHOOKS], serde_json::Value::Null);
    let parsed = parse_in_jobs(doc, schemas.as_ref(), paths.as_ref(), examples.as_ref());
    put_back(doc, &[normalize::EXT_WEBHOOKS], webhooks);
    put_back(doc, &["components", "examples"], examples);
    put_back(doc, &["paths"], paths);
    put_back(doc, &["components", "schemas"], schemas);
    parsed
}

/// Takes the value at `path` out of `doc`, leaving `empty` in its place, when it is a mapping
/// (any value when `empty` is `null`).
fn set_aside(doc: &mut serde_json::Value, path: &[&str], empty: serde_json::Value) -> Option<serde_json::Value> {
    let slot = path.iter().try_fold(doc, |v, key| v.get_mut(key))?;
    (slot.is_object() || empty.is_null()).then(|| std::mem::replace(slot, empty))
}

/// Puts a value [`set_aside`] took back in its place.
fn put_back(doc: &mut serde_json::Value, path: &[&str], value: Option<serde_json::Value>) {
    if let (Some(slot), Some(value)) = (path.iter().try_fold(doc, |v, key| v.get_mut(key)), value) {
        *slot = value;
    }
}

/// Step 1 of [`normalize_and_parse`]: `doc` without its component schemas, and the schemas.
fn normalize_in_jobs(doc: &mut serde_json::Value, schemas: Option<&mut serde_json::Value>, diags: &mut Diagnostics, times: &mut PhaseTimes) {
    use std::sync::Mutex;
    enum Job<'j, 'd> {
        Rest(&'j mut serde_json::Value),
        Schemas(&'j mut [(&'d String, &'d mut serde_json::Value)]),
    }
    let mut entries: Vec<(&String, &mut serde_json::Value)> =
        schemas.and_then(serde_json::Value::as_object_mut).into_iter().flatten().collect();
    // Each job is taken once, by one worker; the lock only hands its part over.
    let jobs: Vec<Mutex<Job<'_, '_>>> =
        std::iter::once(Job::Rest(doc)).chain(entries.chunks_mut(ENTRIES_PER_JOB).map(Job::Schemas)).map(Mutex::new).collect();
    let done = run_jobs(&jobs, |job| {
        let mut job = job.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = Instant::now();
        let mut found = Diagnostics::default();
        // Where among the rest's warnings the schemas' go.
        let mut schemas_at = None;
        match &mut *job {
            Job::Rest(doc) => schemas_at = Some(normalize::normalize_around_schemas(doc, &mut found)),
            Job::Schemas(run) => {
                for (name, schema) in run.iter_mut() {
                    normalize::walk_schema(schema, &diagnostics::join("/components/schemas", name), &mut found);
                }
            }
        }
        (t.elapsed(), found, schemas_at)
    });
    let mut after_schemas = Diagnostics::default();
    for (normalizing, mut found, schemas_at) in done {
        times.normalize += normalizing;
        if let Some(at) = schemas_at {
            after_schemas = found.split_off(at);
        }
        diags.extend(found);
    }
    diags.extend(after_schemas);
}

/// Step 2 of [`normalize_and_parse`]: `doc` without its component schemas, path items and
/// examples, and those, as [`normalize_and_parse`] set them aside.
///
/// Lowering reads two parts of the document from the JSON, not from the model: the component
/// examples (looked up by reference) and the webhooks (`x-webhooks`, an extension, which any
/// JSON value is). Together a fifth of GitHub's spec, each would be copied twice; the model
/// has no component examples and a `null` webhooks extension instead. Whether the examples
/// read is still decided as reading them decides it (see [`examples_read`]).
fn parse_in_jobs(
    doc: &serde_json::Value,
    schemas: Option<&serde_json::Value>,
    paths: Option<&serde_json::Value>,
    examples: Option<&serde_json::Value>,
) -> Option<openapiv3::OpenAPI> {
    use openapiv3::{PathItem, ReferenceOr, Schema};
    type Entries<'d> = Vec<(&'d String, &'d serde_json::Value)>;
    enum Job<'d> {
        Rest,
        Schemas(&'d [(&'d String, &'d serde_json::Value)]),
        Paths(&'d [(&'d String, &'d serde_json::Value)]),
    }
    enum Done {
        Rest(Option<Box<openapiv3::OpenAPI>>),
        Schemas(Option<Vec<(String, ReferenceOr<Schema>)>>),
        Paths(Option<Vec<(String, ReferenceOr<PathItem>)>>),
    }
    fn read<T: serde::de::DeserializeOwned>(run: &[(&String, &serde_json::Value)]) -> Option<Vec<(String, T)>> {
        run.iter().map(|(name, value)| Some(((*name).clone(), T::deserialize(*value).ok()?))).collect()
    }
    fn entries(v: Option<&serde_json::Value>) -> Entries<'_> {
        v.and_then(serde_json::Value::as_object).into_iter().flatten().collect()
    }
    let schema_entries = entries(schemas);
    // `Paths` reads the keys starting with `/` as path items and the `x-` keys as extensions;
    // other keys are ignored.
    let path_entries: Entries<'_> = entries(paths).into_iter().filter(|(key, _)| key.starts_with('/')).collect();
    let jobs: Vec<Job<'_>> = std::iter::once(Job::Rest)
        .chain(path_entries.chunks(ENTRIES_PER_JOB).map(Job::Paths))
        .chain(schema_entries.chunks(ENTRIES_PER_JOB).map(Job::Schemas))
        .collect();
    let done = run_jobs(&jobs, |job| match job {
        Job::Rest => Done::Rest(
            <openapiv3::OpenAPI as serde::Deserialize>::deserialize(doc)
                .ok()
                .filter(|_| examples.is_none_or(examples_read))
                .map(Box::new),
        ),
        Job::Schemas(run) => Done::Schemas(read(run)),
        Job::Paths(run) => Done::Paths(read(run)),
    });
    let mut rest = None;
    let mut split_off = indexmap::IndexMap::with_capacity(schema_entries.len());
    let mut path_items = indexmap::IndexMap::with_capacity(path_entries.len());
    let mut complete = true;
    for part in done {
        match part {
            Done::Rest(parsed) => rest = parsed,
            Done::Schemas(Some(run)) => split_off.extend(run),
            Done::Paths(Some(run)) => path_items.extend(run),
            Done::Schemas(None) | Done::Paths(None) => complete = false,
        }
    }
    let mut parsed = *rest.filter(|_| complete)?;
    if let Some(paths) = paths.and_then(serde_json::Value::as_object) {
        parsed.paths.paths = path_items;
        parsed.paths.extensions =
            paths.iter().filter(|(key, _)| key.starts_with("x-")).map(|(key, value)| (key.clone(), value.clone())).collect();
    }
    if schemas.is_some() {
        parsed.components.as_mut()?.schemas = split_off;
    }
    Some(parsed)
}

/// Whether `components.examples` (a mapping) reads into the `openapiv3` model. An entry reads
/// when it is a mapping with a string `$ref` (a reference), or a mapping whose `summary`,
/// `description` and `externalValue` are strings or `null` where present (an example: its
/// `value` is any JSON, other keys are ignored). Any other entry is read to find out.
fn examples_read(examples: &serde_json::Value) -> bool {
    use serde_json::Value;
    let plain = |entry: &Value| {
        let Some(entry) = entry.as_object() else { return false };
        let text = |key: &str| matches!(entry.get(key), None | Some(Value::Null | Value::String(_)));
        matches!(entry.get("$ref"), Some(Value::String(_))) || (text("summary") && text("description") && text("externalValue"))
    };
    let reads = |entry: &Value| <openapiv3::ReferenceOr<openapiv3::Example> as serde::Deserialize>::deserialize(entry).is_ok();
    examples.as_object().is_some_and(|entries| entries.values().all(|entry| plain(entry) || reads(entry)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A 3.1 document with something to normalize, and to warn about, before, among and after
    /// the component schemas (more of them than one job reads).
    fn document() -> serde_json::Value {
        let mut schemas = serde_json::Map::new();
        let mut paths = serde_json::Map::new();
        paths.insert(
            "/a".into(),
            json!({"get": {"parameters": [{"name": "p", "in": "query", "schema": {"type": "object", "patternProperties": {}}}]}}),
        );
        // `Paths` keeps `x-` keys as extensions and ignores other keys that are not paths.
        paths.insert("x-paths".into(), json!({"any": ["json"]}));
        paths.insert("ignored".into(), json!(5));
        for i in 0..40 {
            schemas.insert(format!("S{i}"), json!({"type": ["string", "null"], "if": {"const": i}}));
            let media = json!({"application/json": {"schema": {"const": i, "else": {}}}});
            paths.insert(format!("/p{i}"), json!({"get": {"responses": {"200": {"description": "ok", "content": media}}}}));
        }
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "webhooks": {"hook": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$defs": {}}}}}}}},
            "components": {
                "examples": {"E": {"summary": "s", "value": {"big": [1, 2, 3]}}, "F": {"$ref": "#/components/examples/E"}},
                "schemas": schemas,
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"examples": [1], "then": {}}}},
                "responses": {"R": {"content": {"application/json": {"schema": {"else": {}}}}}}
            }
        })
    }

    #[test]
    fn normalizing_in_jobs_is_normalizing_the_whole_document() {
        let mut whole = document();
        let mut expected = Diagnostics::default();
        normalize::normalize(&mut whole, &mut expected);
        assert!(expected.len() > 80, "{expected}");
        assert!(expected.iter().any(|d| d.pointer.starts_with("/paths/~1p3")), "{expected}");

        let mut doc = document();
        let mut diags = Diagnostics::default();
        let parsed = normalize_and_parse(&mut doc, &mut diags, &mut PhaseTimes::default());
        assert_eq!(diags, expected);
        assert_eq!(doc, whole);
        // The model as reading the whole document gives it, but for the parts set aside.
        let mut read: openapiv3::OpenAPI = serde::Deserialize::deserialize(&whole).unwrap();
        assert_eq!(read.components.as_mut().map(|c| std::mem::take(&mut c.examples).len()), Some(2));
        assert!(read.extensions.get(normalize::EXT_WEBHOOKS).is_some_and(|w| w.is_object()));
        read.extensions.insert(normalize::EXT_WEBHOOKS.into(), serde_json::Value::Null);
        assert_eq!(parsed, Some(read));
    }

    /// Examples are read or not as the `openapiv3` model reads them.
    #[test]
    fn examples_read_as_the_model_reads_them() {
        let shapes = [
            json!({}),
            json!({"summary": "s", "description": null, "externalValue": "u", "value": [1], "x-a": 1, "other": {}}),
            json!({"$ref": "#/x"}),
            json!({"$ref": "#/x", "summary": 5}),
            json!({"$ref": 5}),
            json!({"$ref": 5, "summary": "s"}),
            json!({"summary": 5}),
            json!({"description": []}),
            json!({"externalValue": {}}),
            json!({"value": null}),
            json!(["#/x"]),
            json!(["#/x", 1]),
            json!("#/x"),
            json!(null),
            json!(5),
        ];
        for shape in shapes {
            let model = <openapiv3::ReferenceOr<openapiv3::Example> as serde::Deserialize>::deserialize(&shape).is_ok();
            assert_eq!(examples_read(&json!({"E": shape})), model, "{shape}");
        }
    }

    #[test]
    fn a_part_that_does_not_read_leaves_the_whole_document_normalized() {
        let schema = |doc: &mut serde_json::Value| doc["components"]["schemas"]["S30"]["properties"] = json!([]);
        let path = |doc: &mut serde_json::Value| doc["paths"]["/p30"]["get"]["parameters"] = json!({});
        let example = |doc: &mut serde_json::Value| doc["components"]["examples"]["F"] = json!({"summary": 5});
        for break_it in [schema, path, example] {
            let mut whole = document();
            break_it(&mut whole);
            let mut expected = Diagnostics::default();
            normalize::normalize(&mut whole, &mut expected);
            assert!(<openapiv3::OpenAPI as serde::Deserialize>::deserialize(&whole).is_err());

            let mut doc = document();
            break_it(&mut doc);
            let mut diags = Diagnostics::default();
            assert!(normalize_and_parse(&mut doc, &mut diags, &mut PhaseTimes::default()).is_none());
            assert_eq!(diags, expected);
            assert_eq!(doc, whole);
        }
    }
}
