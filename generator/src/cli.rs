//! The `sdkgen` command line (`clap`), shared by the `sdkgen` binary and `cargo xtask generate`
//! / `cargo xtask diff`.
//!
//! Exit codes: 0 success; 1 the spec or configuration has errors, `check` found stale files,
//! or `diff --fail-on-breaking` found a breaking change; 2 a usage error (an unknown flag, a
//! missing argument, an invalid `--name`). `--help` and `--version` exit 0.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::{generate_each, output, GenerateOptions};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Generate typed, async Rust client crates from OpenAPI 3.0 and 3.1 documents.
#[derive(Parser, Debug)]
#[command(name = "sdkgen", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print errors only (no warnings, no summary).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the time of each phase and every file written.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Colors in human-readable messages (`auto`: when standard error is a terminal and
    /// NO_COLOR is not set).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// `human`: messages with source excerpts; `json`: one JSON object per line on standard
    /// output for every diagnostic and diff change (`file`, `line`, `column`, `pointer`,
    /// `severity`, `code`, `message`), then a summary object.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write a complete client crate for the spec into a directory (only files that changed).
    Generate(GenerateArgs),
    /// Exit 1, naming the stale files, when the directory differs from what `generate` writes.
    Check(GenerateArgs),
    /// What changed between two versions of a spec, what it breaks, and the semver bump.
    Diff(DiffArgs),
    /// Print a shell completion script (`sdkgen completions bash > /etc/bash_completion.d/sdkgen`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug)]
struct GenerateArgs {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// The crate's directory.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The configuration file (default: `sdkgen.toml` next to the spec, when there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The crate name (default: `package.name` of the configuration, else from `info.title`).
    #[arg(long, value_name = "CRATE", value_parser = crate_name)]
    name: Option<String>,
    /// The crate version (default: `package.version`, else `info.version` when it is X.Y.Z).
    #[arg(long, value_name = "X.Y.Z", value_parser = semver)]
    crate_version: Option<String>,
    /// Another directory `$ref`s may read files from (a spec reads only its own folder).
    #[arg(long, value_name = "DIR", value_parser = directory)]
    allow_ref: Vec<PathBuf>,
}

#[derive(Args, Debug)]
struct DiffArgs {
    /// The old spec: a file, or `git:REV:PATH` for a file at a git revision (`git:HEAD:openapi.yaml`).
    old: String,
    /// The new spec, in the same forms.
    new: String,
    /// How the report is written to standard output: text, markdown (a changelog section or PR
    /// comment), json (schema: the diff module's `report.schema.json`), github (GitHub Actions
    /// annotations), junit (JUnit XML for CI test reports: a failing test case per breaking
    /// change). `--message-format json` writes one line per change instead.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// `breaking`: list breaking changes only.
    #[arg(long, value_enum, value_name = "WHICH")]
    only: Option<Only>,
    /// Accepted changes, listed as ignored and not counted (default: `sdkgen-diff-ignore.toml`
    /// in the current directory, when there is one).
    #[arg(long, value_name = "FILE")]
    ignore: Option<PathBuf>,
    /// Exit 1 when a change breaks users (on the wire or in Rust).
    #[arg(long)]
    fail_on_breaking: bool,
    /// The title of the markdown section (default: `API changes: OLD -> NEW` with the versions).
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Only {
    Breaking,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    #[value(alias = "md")]
    Markdown,
    Json,
    #[value(alias = "github-actions")]
    Github,
    Junit,
}

fn crate_name(name: &str) -> Result<String, String> {
    match crate::naming::crate_name_problem(name) {
        None => Ok(name.to_string()),
        Some(problem) => Err(format!("not a valid crate name: {problem}")),
    }
}

fn semver(version: &str) -> Result<String, String> {
    match crate::semver_problem(version) {
        None => Ok(version.to_string()),
        Some(problem) => Err(format!("not a semantic version: {problem}")),
    }
}

fn directory(dir: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(dir);
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err("not a directory".into())
    }
}

/// How messages are written, from the global flags.
struct Reporter {
    quiet: bool,
    verbose: bool,
    color: bool,
    json: bool,
}

impl Reporter {
    /// Prints diagnostics: as JSON lines on standard output, or on standard error with an
    /// excerpt of `source` (the spec's text; a diagnostic in the configuration file uses
    /// `config`'s). Warnings are left out with `--quiet`.
    fn diagnostics(&self, diags: &Diagnostics, file: &str, source: &[u8], config: Option<&Config>) {
        let spec_text = String::from_utf8_lossy(source);
        let mut stdout = std::io::stdout().lock();
        let mut stderr = std::io::stderr().lock();
        for d in diags.iter().filter(|d| !self.quiet || d.severity == Severity::Error) {
            if self.json {
                let _ = writeln!(stdout, "{}", d.to_json(file));
                continue;
            }
            let text = match (&d.file, config.and_then(|c| c.source.as_ref())) {
                (Some(f), Some((config_file, text))) if f == config_file => text.as_str(),
                (Some(_), _) => "",
                (None, _) => &spec_text,
            };
            let _ = write!(stderr, "{}", d.render_excerpt(file, text, self.color));
        }
        if diags.omitted() > 0 && !self.json {
            let _ = writeln!(
                stderr,
                "{file}: and {} more problems (the first {} are shown)",
                diags.omitted(),
                crate::diagnostics::MAX_DIAGNOSTICS
            );
        }
    }

    /// One message without a place in a file (a file that cannot be read, a stale file).
    fn problem(&self, d: Diagnostic, file: &str) {
        if self.json {
            println!("{}", d.to_json(file));
        } else {
            eprint!("{}", d.render_excerpt(file, "", self.color));
        }
    }

    /// The closing summary: a line on standard output (human, unless `--quiet`), or a JSON
    /// object `{"summary": ...}`.
    fn summary(&self, human: impl FnOnce() -> String, json: impl FnOnce() -> serde_json::Value) {
        if self.json {
            println!("{}", serde_json::json!({ "summary": json() }));
        } else if !self.quiet {
            println!("{}", human());
        }
    }
}

/// Runs the command line (arguments without the program name) and returns the exit code.
pub fn run(args: &[String]) -> ExitCode {
    let cli = match Cli::try_parse_from(std::iter::once("sdkgen".to_string()).chain(args.iter().cloned())) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` are "errors" that print to standard output and exit 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let reporter =
        Reporter { quiet: cli.quiet, verbose: cli.verbose, color, json: cli.message_format == MessageFormat::Json };
    match cli.command {
        Command::Generate(args) => run_generate(&args, false, &reporter),
        Command::Check(args) => run_generate(&args, true, &reporter),
        Command::Diff(args) => run_diff(&args, &reporter),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "sdkgen", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

/// The configuration `--config` names, else `sdkgen.toml` next to the spec, else none.
fn find_config(explicit: Option<&Path>, spec: &Path) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let next_to_spec = spec.parent().unwrap_or(Path::new("")).join(crate::config::FILE_NAME);
    next_to_spec.is_file().then_some(next_to_spec)
}

fn run_generate(args: &GenerateArgs, check: bool, r: &Reporter) -> ExitCode {
    let start = std::time::Instant::now();
    // In messages and headers, the spec's path with nothing that could end a line or hide text.
    let label = crate::emit::docs::label(&args.spec.display().to_string());
    let config = match find_config(args.config.as_deref(), &args.spec) {
        Some(path) => match Config::load(&path) {
            Ok(c) => c,
            Err(diags) => {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let config = Config {
                    source: Some((crate::emit::docs::label(&path.display().to_string()), text)),
                    ..Config::default()
                };
                r.diagnostics(&diags, &label, b"", Some(&config));
                return ExitCode::FAILURE;
            }
        },
        None => Config::default(),
    };
    let bytes = match std::fs::read(&args.spec) {
        Ok(b) => b,
        Err(e) => {
            r.problem(Diagnostic::error("", format!("cannot read the spec: {e}")).with_code("E001"), &label);
            return ExitCode::FAILURE;
        }
    };
    let file_name = args.spec.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or(label.clone());
    let opts = GenerateOptions {
        crate_name: args.name.clone(),
        crate_version: args.crate_version.clone(),
        command: "sdkgen generate".into(),
        spec_label: file_name,
        base_dir: Some(args.spec.parent().map(Path::to_path_buf).unwrap_or_default()),
        allow_ref: args.allow_ref.clone(),
        config,
        ..Default::default()
    };
    // Each file is compared or written as soon as it is formatted, and let go.
    let (mut checker, mut writer) = (output::Checker::new(&args.out), output::Writer::new(&args.out));
    let mut each = |i: usize, path: &str, text: String| {
        if check {
            checker.file(i, path, &text);
        } else {
            writer.file(i, path, &text);
        }
    };
    let generated = match generate_each(&bytes, &opts, &mut each) {
        Ok(g) => g,
        Err(diags) => {
            r.diagnostics(&diags, &label, &bytes, Some(&opts.config));
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            r.summary(
                || format!("{label}: {errors} {}; nothing written", if errors == 1 { "error" } else { "errors" }),
                || serde_json::json!({ "errors": errors, "written": 0 }),
            );
            return ExitCode::FAILURE;
        }
    };
    r.diagnostics(&generated.diagnostics, &label, &bytes, Some(&opts.config));
    let warnings = generated.diagnostics.warnings().count();
    if check {
        let files = checker.files();
        return match checker.finish() {
            Ok(stale) if stale.is_empty() => {
                r.summary(
                    || format!("{}: {} is up to date ({} files)", generated.crate_name, args.out.display(), files),
                    || serde_json::json!({ "stale": 0, "files": files }),
                );
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for s in &stale {
                    r.problem(
                        Diagnostic::error("", "differs from what `sdkgen generate` writes")
                            .with_code("E021")
                            .with_hint(format!("run `sdkgen generate --spec {label} --out {}`", args.out.display())),
                        &s.display().to_string(),
                    );
                }
                ExitCode::FAILURE
            }
            Err(e) => {
                r.problem(
                    Diagnostic::error("", format!("cannot read: {e}")).with_code("E001"),
                    &args.out.display().to_string(),
                );
                ExitCode::FAILURE
            }
        };
    }
    match writer.finish() {
        Ok(report) => {
            if r.verbose && !r.json {
                for path in &report.written {
                    eprintln!("wrote {}", path.display());
                }
                for path in &report.removed {
                    eprintln!("removed {}", path.display());
                }
                let t = &generated.times;
                eprintln!(
                    "phases: load {:.0?}, validate {:.0?}, normalize {:.0?}, parse {:.0?}, lower {:.0?}, emit+format {:.0?}",
                    t.load, t.validate, t.normalize, t.parse, t.lower, t.emit_format_wall
                );
            }
            r.summary(
                || {
                    format!(
                        "{}: {} operations, {} types, {} files written ({} unchanged), {warnings} warnings in {:.0?}",
                        generated.crate_name,
                        generated.operations,
                        generated.types,
                        report.written.len(),
                        report.unchanged.len(),
                        start.elapsed()
                    )
                },
                || {
                    serde_json::json!({
                        "crate": generated.crate_name,
                        "operations": generated.operations,
                        "types": generated.types,
                        "written": report.written.len(),
                        "unchanged": report.unchanged.len(),
                        "removed": report.removed.len(),
                        "warnings": warnings,
                    })
                },
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            r.problem(
                Diagnostic::error("", format!("cannot write: {e}")).with_code("E020"),
                &args.out.display().to_string(),
            );
            ExitCode::FAILURE
        }
    }
}

/// A spec argument of `diff`: its label, bytes and the directory its `$ref`s resolve against.
/// `git:REV:PATH` reads PATH at REV with `git show` (run in the current directory; PATH is
/// relative to it, and `$ref`s resolve against PATH's folder in the working tree).
fn read_diff_source(arg: &str) -> Result<(Vec<u8>, PathBuf), String> {
    if let Some(rest) = arg.strip_prefix("git:") {
        let Some((rev, path)) = rest.split_once(':') else {
            return Err(format!("`{arg}`: write `git:REV:PATH` (`git:HEAD:openapi.yaml`)"));
        };
        let out = std::process::Command::new("git")
            .arg("show")
            .arg(format!("{rev}:./{path}"))
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!("git show {rev}:{path}: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        let dir = Path::new(path).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        return Ok((out.stdout, dir));
    }
    let bytes = std::fs::read(arg).map_err(|e| format!("cannot read the spec: {e}"))?;
    let dir = Path::new(arg).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((bytes, dir))
}

fn run_diff(args: &DiffArgs, r: &Reporter) -> ExitCode {
    let mut opts = crate::diff::DiffOptions::default();
    opts.render.format = match args.format {
        DiffFormat::Text => crate::diff::Format::Text,
        DiffFormat::Markdown => crate::diff::Format::Markdown,
        DiffFormat::Json => crate::diff::Format::Json,
        DiffFormat::Github => crate::diff::Format::GithubActions,
        DiffFormat::Junit => crate::diff::Format::Junit,
    };
    opts.render.only_breaking = args.only == Some(Only::Breaking);
    opts.render.title = args.title.clone();
    let ignore_file =
        args.ignore.clone().or_else(|| Some(PathBuf::from(crate::diff::IGNORE_FILE)).filter(|p| p.is_file()));
    if let Some(path) = ignore_file {
        let label = crate::emit::docs::label(&path.display().to_string());
        match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| crate::diff::Ignore::parse(&text))
        {
            Ok(ignore) => opts.ignore = Some(ignore),
            Err(message) => {
                r.problem(Diagnostic::error("", message).with_code("E001"), &label);
                return ExitCode::FAILURE;
            }
        }
    }
    let mut loaded = Vec::new();
    let mut failed = false;
    for arg in [&args.old, &args.new] {
        let label = crate::emit::docs::label(arg);
        match read_diff_source(arg) {
            Ok((bytes, dir)) => match crate::diff::Spec::load_with(&bytes, Some(&dir)) {
                Ok(spec) => loaded.push((label, bytes, spec)),
                Err(mut diags) => {
                    crate::spec::locate::place(&mut diags, &bytes);
                    diags.set_codes("E004", "W003");
                    r.diagnostics(&diags, &label, &bytes, None);
                    failed = true;
                }
            },
            Err(message) => {
                r.problem(Diagnostic::error("", message).with_code("E001"), &label);
                failed = true;
            }
        }
    }
    let [(old_label, old_bytes, old), (new_label, new_bytes, new)] = match <[_; 2]>::try_from(loaded) {
        Ok(pair) if !failed => pair,
        _ => return ExitCode::FAILURE,
    };
    if !r.quiet && !r.json {
        for (label, spec) in [(&old_label, &old), (&new_label, &new)] {
            let n = spec.warnings.warnings().count();
            if n > 0 {
                eprintln!("note: {label}: {n} warning(s), read past for the comparison (`sdkgen generate` lists them)");
            }
        }
    }
    let (report, text) = crate::diff::run(&old, &new, &opts);
    if r.json {
        // One line per change, placed in the new spec (the old one for what was removed).
        let pointers: Vec<(bool, String)> = report
            .changes
            .iter()
            .map(|c| (c.kind.as_str().ends_with("-removed"), change_pointer(&c.location)))
            .collect();
        let place = |bytes: &[u8], removed: bool| {
            let ptrs: Vec<&str> = pointers.iter().filter(|(r, _)| *r == removed).map(|(_, p)| p.as_str()).collect();
            crate::spec::locate::locate_pointers(bytes, &ptrs).into_iter()
        };
        let (mut in_old, mut in_new) = (place(&old_bytes, true), place(&new_bytes, false));
        for (c, (removed, pointer)) in report.changes.iter().zip(&pointers) {
            let (file, pos) =
                if *removed { (&old_label, in_old.next().flatten()) } else { (&new_label, in_new.next().flatten()) };
            if opts.render.only_breaking && !c.breaking() && !c.ignored {
                continue;
            }
            println!(
                "{}",
                serde_json::json!({
                    "file": file,
                    "line": pos.map(|(l, _)| l),
                    "column": pos.map(|(_, c)| c),
                    "pointer": format!("#{pointer}"),
                    "severity": if c.breaking() { "error" } else { "note" },
                    "code": c.kind.as_str(),
                    "message": c.message,
                    "breaking": c.breaking(),
                    "wire": c.wire,
                    "rust": c.rust,
                    "semver": c.level.as_str(),
                    "ignored": c.ignored,
                    "fingerprint": c.fingerprint(),
                })
            );
        }
        println!(
            "{}",
            serde_json::json!({ "summary": {
                "semver": report.semver().as_str(),
                "changes": report.changes.len(),
                "breaking": report.changes.iter().filter(|c| c.breaking()).count(),
            }})
        );
    } else if !r.quiet || report.is_breaking() {
        print!("{text}");
    }
    if args.fail_on_breaking && report.is_breaking() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// A change's location as a JSON pointer: its own, or `METHOD /path` as the operation's.
fn change_pointer(location: &str) -> String {
    match location.split_once(' ') {
        Some((method, path)) if !location.starts_with('/') && path.starts_with('/') => {
            crate::spec::pointer::join(&crate::spec::pointer::join("/paths", path), &method.to_ascii_lowercase())
        }
        _ => location.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn operation_locations_become_pointers() {
        assert_eq!(change_pointer("GET /users/{id}"), "/paths/~1users~1{id}/get");
        assert_eq!(change_pointer("/components/schemas/User"), "/components/schemas/User");
    }
}
