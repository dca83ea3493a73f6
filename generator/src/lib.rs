//! sdkgen: OpenAPI 3.0/3.1 documents -> typed, async Rust client crates.
//!
//! The pipeline (see ARCHITECTURE.md): the [`spec`] front (load, bundle, validate, normalize,
//! parse into `openapiv3`) -> [`lower`] to the [`ir`] -> [`emit`] tokens -> [`format`] ->
//! [`output`] files.

#[cfg(feature = "cli")]
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod output;
pub mod spec;

mod build;

pub use build::{BuildError, BuildOutput, Generator};
pub use config::Config;
pub use emit::{ModuleFeature, PackageSettings};

use diagnostics::Diagnostics;
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
    /// Package metadata and hand-written additions of the generated crate (what `config`'s
    /// `[package]` sets wins).
    pub package: PackageSettings,
    /// The configuration (`sdkgen.toml`): metadata, replacements, derives, operations, renames.
    pub config: Config,
    /// The directory `$ref`s to other files (`common.yaml#/components/schemas/Error`) are
    /// resolved against: the spec's own directory. `None` (bytes with no file behind them)
    /// reports such references as errors.
    pub base_dir: Option<std::path::PathBuf>,
    /// Directories besides `base_dir` (and its subdirectories) whose files `$ref`s may read
    /// (`--allow-ref DIR`). A spec is untrusted input: by default it reads nothing outside its
    /// own folder.
    pub allow_ref: Vec<std::path::PathBuf>,
}

impl PackageSettings {
    /// These settings with what `over` sets instead: each value `over` has, each list that is
    /// not empty; dependencies of both.
    pub fn overlay(mut self, over: PackageSettings) -> PackageSettings {
        fn pick<T>(base: &mut Option<T>, over: Option<T>) {
            if over.is_some() {
                *base = over;
            }
        }
        fn pick_list<T>(base: &mut Vec<T>, over: Vec<T>) {
            if !over.is_empty() {
                *base = over;
            }
        }
        pick(&mut self.description, over.description);
        pick(&mut self.documentation, over.documentation);
        pick(&mut self.repository, over.repository);
        pick(&mut self.homepage, over.homepage);
        pick(&mut self.license, over.license);
        pick_list(&mut self.authors, over.authors);
        pick_list(&mut self.keywords, over.keywords);
        pick_list(&mut self.categories, over.categories);
        pick_list(&mut self.extra_modules, over.extra_modules);
        pick_list(&mut self.module_features, over.module_features);
        self.extra_dependencies.extend(over.extra_dependencies);
        self.webhook_module |= over.webhook_module;
        self
    }
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

/// A generated crate, in memory.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Relative path and content of every file, in a fixed order (empty from [`generate_each`],
    /// which hands them over one by one).
    pub files: Vec<(String, String)>,
    /// Warnings: what was modelled by a fallback.
    pub diagnostics: Diagnostics,
    pub crate_name: String,
    pub operations: usize,
    pub types: usize,
    pub times: PhaseTimes,
    /// The IR, for tests and tools that inspect what was generated.
    pub api: ir::Api,
    /// The files besides the spec that `$ref`s read (a build script watches them).
    pub read_files: Vec<std::path::PathBuf>,
}

/// Runs the whole pipeline on the bytes of a spec.
///
/// # Errors
///
/// Every problem found, each with a JSON pointer (and its line and column in `bytes`), when the
/// spec cannot be turned into a crate.
pub fn generate(bytes: &[u8], opts: &GenerateOptions) -> Result<Generated, Diagnostics> {
    let mut files = Vec::new();
    let mut generated = generate_each(bytes, opts, &mut |f, path, text| files.push((f, path.to_string(), text)))?;
    files.sort_by_key(|(f, ..)| *f);
    generated.files = files.into_iter().map(|(_, path, text)| (path, text)).collect();
    Ok(generated)
}

/// As [`generate`], handing each file to `each` (its index in the crate's fixed order, its
/// relative path and its content) as soon as it is formatted, rather than keeping them all:
/// the caller writes a file and lets it go while the next ones are formatted (the largest
/// APIs make hundreds of megabytes of Rust). Files come in the order they complete; the
/// returned [`Generated::files`] is empty.
///
/// # Errors
///
/// As [`generate`]. Problems in the spec are found before any file is handed over; an internal
/// error in formatting (a bug) may come after some were.
pub fn generate_each(
    bytes: &[u8],
    opts: &GenerateOptions,
    each: &mut dyn FnMut(usize, &str, String),
) -> Result<Generated, Diagnostics> {
    // Positions are looked up only when there is something to report.
    match run_pipeline(bytes, opts, each) {
        Ok(mut generated) => {
            spec::locate::place(&mut generated.diagnostics, bytes);
            Ok(generated)
        }
        Err(mut diags) => {
            spec::locate::place(&mut diags, bytes);
            Err(diags)
        }
    }
}

fn run_pipeline(
    bytes: &[u8],
    opts: &GenerateOptions,
    each: &mut dyn FnMut(usize, &str, String),
) -> Result<Generated, Diagnostics> {
    let files = opts.base_dir.as_deref().map(|base_dir| spec::bundle::Files { base_dir, allowed: &opts.allow_ref });
    let mut front = spec::read(bytes, files)?;
    let [load, validate, normalize, parse] = front.times;
    let mut times = PhaseTimes { load, validate, normalize, parse, ..PhaseTimes::default() };
    let mut diags = front.diags;

    let t = Instant::now();
    // Diagnostics about the configuration name keys of the configuration file, not of the spec.
    opts.config.apply_to_document(&mut front.parsed, &mut diags);
    let link_base = lower::links::find_base(&front.doc, &opts.config);
    lower::drop_unread_paths(&mut front.doc);
    let api = lower::lower_document_linked(&front.parsed, &front.doc, &opts.config, link_base, &mut diags);
    diags.set_codes("E006", "W003");
    times.lower = t.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }
    let read_files = std::mem::take(&mut front.read_files);
    drop(front.parsed);
    drop(front.doc);

    let package = &opts.config.package;
    let crate_name =
        opts.crate_name.clone().or_else(|| package.name.clone()).unwrap_or_else(|| naming::crate_name(&api.info.title));
    let crate_version = opts
        .crate_version
        .clone()
        .or_else(|| package.version.clone())
        .unwrap_or_else(|| semver_or_default(&api.info.version));
    let package = opts.package.clone().overlay(opts.config.package_settings());
    let emit_opts = emit::EmitOptions { crate_name: crate_name.clone(), crate_version, package };
    let header = format::Header {
        command: opts.command.clone(),
        spec_label: opts.spec_label.clone(),
        spec_sha256: format!("{:x}", Sha256::digest(bytes)),
    };
    let t = Instant::now();
    let plan = emit::plan_crate(&api, &emit_opts);
    match emit::render::render_each(&plan, &header, each) {
        Ok([emit, format]) => (times.emit, times.format) = (emit, format),
        Err(e) => {
            diags.push(
                diagnostics::Diagnostic::error("", format!("internal error while formatting: {e}")).with_code("E007"),
            );
            return Err(diags);
        }
    }
    drop(plan);
    times.emit_format_wall = t.elapsed();

    Ok(Generated {
        files: Vec::new(),
        diagnostics: diags,
        crate_name,
        operations: api.operations.len(),
        types: api.types.defs.len(),
        times,
        api,
        read_files,
    })
}

/// `info.version` when it is a plain `MAJOR.MINOR.PATCH` version, else `0.1.0`.
fn semver_or_default(v: &str) -> String {
    if semver_problem(v).is_none() && !v.contains(['-', '+']) {
        v.to_string()
    } else {
        "0.1.0".to_string()
    }
}

/// Why `v` is not a semantic version as cargo reads one (`MAJOR.MINOR.PATCH`, each a number
/// without leading zeros that fits 64 bits, then optionally `-PRE` and `+BUILD`: dot-separated
/// ASCII letters, digits and hyphens, numeric parts of `PRE` without leading zeros), or `None`.
pub fn semver_problem(v: &str) -> Option<&'static str> {
    let number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
    let identifiers = |s: &str, pre: bool| {
        s.split('.').all(|id| {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !(pre && id.bytes().all(|b| b.is_ascii_digit()) && !number(id))
        })
    };
    let (rest, build) = v.split_once('+').map_or((v, None), |(r, b)| (r, Some(b)));
    let (core, pre) = rest.split_once('-').map_or((rest, None), |(c, p)| (c, Some(p)));
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| number(p) && p.parse::<u64>().is_ok()) {
        Some("a version is MAJOR.MINOR.PATCH, numbers without leading zeros")
    } else if pre.is_some_and(|p| !identifiers(p, true)) {
        Some("a pre-release is dot-separated ASCII letters, digits and `-`, numbers without leading zeros")
    } else if build.is_some_and(|b| !identifiers(b, false)) {
        Some("build metadata is dot-separated ASCII letters, digits and `-`")
    } else {
        None
    }
}
