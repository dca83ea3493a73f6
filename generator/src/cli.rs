//! The `sdkgen` command line, shared by the `sdkgen` binary and `cargo xtask generate`.

use crate::{generate, output, GenerateOptions};
use std::path::PathBuf;
use std::process::ExitCode;

pub const USAGE: &str = "usage:
  sdkgen generate --spec FILE --out DIR [--name CRATE] [--crate-version X.Y.Z] [--allow-ref DIR]..
      Writes a complete client crate for the spec into DIR (only files that changed).
  sdkgen check --spec FILE --out DIR [--name CRATE] [--crate-version X.Y.Z] [--allow-ref DIR]..
      Exits 1 when DIR differs from what `generate` would write.
  `$ref`s read files in the spec's folder and below only; `--allow-ref DIR` allows another.";

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
    version: Option<String>,
    allow_ref: Vec<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter().cloned();
    let check = match it.next().as_deref() {
        Some("generate") => false,
        Some("check") => true,
        Some("-h" | "--help") | None => return Err(USAGE.into()),
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
    };
    let (mut spec, mut out, mut name, mut version, mut allow_ref) = (None, None, None, None, Vec::new());
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("`{flag}` needs a value\n{USAGE}"));
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--name" => name = Some(value()?),
            "--crate-version" => version = Some(value()?),
            "--allow-ref" => {
                let dir = PathBuf::from(value()?);
                if !dir.is_dir() {
                    return Err(format!("`--allow-ref {}`: not a directory\n{USAGE}", dir.display()));
                }
                allow_ref.push(dir);
            }
            other => return Err(format!("unknown flag `{other}`\n{USAGE}")),
        }
    }
    if let Some((name, problem)) = name.as_deref().and_then(|n| Some((n, crate::naming::crate_name_problem(n)?))) {
        return Err(format!("--name {name:?} is not a valid crate name: {problem}"));
    }
    if let Some((version, problem)) = version.as_deref().and_then(|v| Some((v, crate::semver_problem(v)?))) {
        return Err(format!("--crate-version {version:?} is not a semantic version: {problem}"));
    }
    Ok(Args {
        check,
        spec: spec.ok_or_else(|| format!("missing --spec\n{USAGE}"))?,
        out: out.ok_or_else(|| format!("missing --out\n{USAGE}"))?,
        name,
        version,
        allow_ref,
    })
}

/// Runs `generate` or `check` with command-line arguments (without the program name).
pub fn run(args: &[String]) -> ExitCode {
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let start = std::time::Instant::now();
    // In messages and headers, the spec's path with nothing that could end a line or hide text.
    let label = crate::emit::docs::label(&args.spec.display().to_string());
    let bytes = match std::fs::read(&args.spec) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{label}: cannot read the spec: {e}");
            return ExitCode::FAILURE;
        }
    };
    let file_name = args.spec.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or(label.clone());
    let opts = GenerateOptions {
        crate_name: args.name,
        crate_version: args.version,
        command: "sdkgen generate".into(),
        spec_label: file_name,
        base_dir: Some(args.spec.parent().map(std::path::Path::to_path_buf).unwrap_or_default()),
        allow_ref: args.allow_ref,
        ..Default::default()
    };
    let generated = match generate(&bytes, &opts) {
        Ok(g) => g,
        Err(diags) => {
            eprint!("{}", diags.render(&label));
            return ExitCode::FAILURE;
        }
    };
    eprint!("{}", generated.diagnostics.render(&label));
    if args.check {
        match output::stale_files(&args.out, &generated.files) {
            Ok(stale) if stale.is_empty() => ExitCode::SUCCESS,
            Ok(stale) => {
                for s in stale {
                    eprintln!("stale: {}", s.display());
                }
                eprintln!("run `sdkgen generate --spec {label} --out {}`", args.out.display());
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("cannot read {}: {e}", args.out.display());
                ExitCode::FAILURE
            }
        }
    } else {
        match output::write_files(&args.out, &generated.files) {
            Ok(report) => {
                println!(
                    "{}: {} operations, {} types, {} files written ({} unchanged), {} warnings in {:.0?}",
                    generated.crate_name,
                    generated.operations,
                    generated.types,
                    report.written.len(),
                    report.unchanged.len(),
                    generated.diagnostics.warnings().count(),
                    start.elapsed()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot write {}: {e}", args.out.display());
                ExitCode::FAILURE
            }
        }
    }
}
