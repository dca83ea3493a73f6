//! `cargo xtask corpus [DIR] [--only NAME,NAME] [--no-compile]`: generate a client for every
//! real-world spec that `../shared/corpus/fetch.sh` downloads, lint it (clippy with every
//! feature, warnings denied), and print a table.
//!
//! The specs are cached in DIR (default `~/.cache/sdkgen-corpus`, outside the repository); the
//! crates go to one scratch workspace, `corpus/` in the target directory ([`scratch_dir`]),
//! sharing one dependency build.
//!
//! A spec `NAME.json` or `NAME.yaml` may have a loopback test `tests/corpus/NAME.wire.rs` in this
//! repository: it becomes the crate's `tests/wire.rs` (a `wiremock` server, the crate used
//! through its generated methods only) and runs after the crate compiles.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

struct Row {
    spec: String,
    version: String,
    operations: usize,
    types: usize,
    warnings: usize,
    generate: Duration,
    compile: Option<(bool, Duration)>,
    error: Option<String>,
}

pub fn default_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".cache")).join("sdkgen-corpus")
}

fn fetch(dir: &Path) -> Result<(), String> {
    let script = crate::root().join("../shared/corpus/fetch.sh");
    if !script.exists() {
        return Err(format!("{} not found; pass a DIR that already holds specs/", script.display()));
    }
    eprintln!("corpus: fetching into {}", dir.display());
    let status = Command::new("bash").arg(&script).arg(dir).status().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed", script.display()))
    }
}

/// The scratch workspace of the corpus crates (`corpus/` in `CARGO_TARGET_DIR`, else in
/// `target/`), shared with `cargo xtask fuzz` so that both build the dependencies once.
pub fn scratch_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| crate::root().join("target"), PathBuf::from);
    target.join("corpus")
}

/// The options every corpus crate is generated with.
pub fn options(file: &str, crate_name: &str) -> sdkgen::GenerateOptions {
    sdkgen::GenerateOptions {
        crate_name: Some(crate_name.to_string()),
        crate_version: Some("0.0.0".into()),
        command: "sdkgen generate".into(),
        spec_label: file.to_string(),
        ..Default::default()
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let mut dir = None;
    let mut only: Option<Vec<String>> = None;
    let mut compile = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => only = it.next().map(|v| v.split(',').map(str::to_string).collect()),
            "--no-compile" => compile = false,
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.unwrap_or_else(default_dir);
    let specs = match specs(&dir, only.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("corpus: {e}");
            return ExitCode::FAILURE;
        }
    };

    let scratch = scratch_dir();
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for spec in &specs {
        let file = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s).replace('.', "-");
        let crate_name = format!("corpus-{stem}");
        let bytes = std::fs::read(spec).unwrap_or_default();
        let opts = options(&file, &crate_name);
        let start = Instant::now();
        let result = sdkgen::generate(&bytes, &opts);
        let generate = start.elapsed();
        let mut row = Row {
            spec: file.clone(),
            version: String::new(),
            operations: 0,
            types: 0,
            warnings: 0,
            generate,
            compile: None,
            error: None,
        };
        match result {
            Ok(g) => {
                row.version = g.api.info.source_version.clone();
                row.operations = g.operations;
                row.types = g.types;
                row.warnings = g.diagnostics.warnings().count();
                let mut files = g.files;
                add_wire_test(file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s), &mut files);
                if let Err(e) = sdkgen::output::write_files(&scratch.join(&crate_name), &files) {
                    row.error = Some(e.to_string());
                } else {
                    members.push(crate_name.clone());
                }
            }
            Err(d) => row.error = Some(d.render(&file).lines().next().unwrap_or_default().to_string()),
        }
        rows.push((crate_name, row));
    }

    if compile && !members.is_empty() {
        let manifest = crate::scratch_manifest(&members);
        let _ = std::fs::write(scratch.join("Cargo.toml"), manifest);
        if !scratch.join("Cargo.lock").exists() {
            let _ = std::fs::copy(crate::root().join("Cargo.lock"), scratch.join("Cargo.lock"));
        }
        for (crate_name, row) in rows.iter_mut() {
            if !members.contains(crate_name) {
                continue;
            }
            eprintln!("corpus: checking {crate_name} (clippy, every feature, warnings denied)");
            let start = Instant::now();
            let out = Command::new(env!("CARGO"))
                .args(["clippy", "--quiet", "--all-features", "-p", crate_name.as_str(), "--", "-D", "warnings"])
                .current_dir(&scratch)
                .env("CARGO_TARGET_DIR", scratch.join("target"))
                .env("RUSTFLAGS", "-D warnings")
                .output();
            let ok = match out {
                Ok(o) => {
                    if !o.status.success() {
                        let text = String::from_utf8_lossy(&o.stderr);
                        row.error = text.lines().find(|l| l.starts_with("error")).map(str::to_string);
                    }
                    o.status.success()
                }
                Err(e) => {
                    row.error = Some(e.to_string());
                    false
                }
            };
            let checked = start.elapsed();
            let ok = ok
                && (!scratch.join(crate_name.as_str()).join("tests/wire.rs").exists() || {
                    eprintln!("corpus: running the loopback tests of {crate_name}");
                    let out = Command::new(env!("CARGO"))
                        .args(["test", "--quiet", "--all-features", "-p", crate_name.as_str(), "--test", "wire"])
                        .current_dir(&scratch)
                        .env("CARGO_TARGET_DIR", scratch.join("target"))
                        .output();
                    match out {
                        Ok(o) if o.status.success() => true,
                        Ok(o) => {
                            let text =
                                String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
                            eprintln!("{text}");
                            row.error = Some("its loopback tests (tests/corpus/) failed".to_string());
                            false
                        }
                        Err(e) => {
                            row.error = Some(e.to_string());
                            false
                        }
                    }
                });
            row.compile = Some((ok, checked));
        }
    }

    println!("| spec | version | operations | types | warnings | generate | clippy | compiled |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut failed = 0;
    for (_, r) in &rows {
        let (compiled, check) = match r.compile {
            Some((ok, t)) => (if ok { "yes" } else { "NO" }, format!("{:.1} s", t.as_secs_f64())),
            None if r.error.is_some() => ("NO", "-".to_string()),
            None => ("not run", "-".to_string()),
        };
        if compiled == "NO" {
            failed += 1;
        }
        println!(
            "| {} | {} | {} | {} | {} | {:.0} ms | {} | {} |",
            r.spec,
            r.version,
            r.operations,
            r.types,
            r.warnings,
            r.generate.as_secs_f64() * 1000.0,
            check,
            compiled
        );
    }
    for (_, r) in &rows {
        if let Some(e) = &r.error {
            println!("{}: {e}", r.spec);
        }
    }
    let generated = rows.iter().filter(|(n, _)| members.contains(n)).count();
    println!("corpus: {generated}/{} generated, {} failed", rows.len(), failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The specs in `DIR/specs` (fetched first when there are none), sorted, those whose file name
/// starts with one of `only` when given.
///
/// # Errors
///
/// The fetch failed or the folder cannot be read.
pub fn specs(dir: &Path, only: Option<&[String]>) -> Result<Vec<PathBuf>, String> {
    let specs_dir = dir.join("specs");
    let have_specs = std::fs::read_dir(&specs_dir).map(|d| d.count() > 0).unwrap_or(false);
    if !have_specs {
        fetch(dir)?;
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&specs_dir)
        .map_err(|e| format!("{}: {e}", specs_dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    specs.sort();
    if let Some(only) = only {
        specs.retain(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            only.iter().any(|o| name.starts_with(o.as_str()))
        });
    }
    Ok(specs)
}

/// Dev-dependencies of a crate with a loopback test (the generated section has tokio).
const WIRE_DEV_DEPENDENCIES: &str = "wiremock = \"0.6\"\nserde_json = \"1\"\n";

/// Adds `tests/corpus/STEM.wire.rs`, if there is one, as the crate's `tests/wire.rs`.
fn add_wire_test(stem: &str, files: &mut Vec<(String, String)>) {
    let wire = crate::root().join("tests/corpus").join(format!("{stem}.wire.rs"));
    let Ok(tests) = std::fs::read_to_string(&wire) else { return };
    if let Some((_, manifest)) = files.iter_mut().find(|(rel, _)| rel == "Cargo.toml") {
        add_dev_dependencies(manifest);
    }
    files.push(("tests/wire.rs".to_string(), tests));
}

/// Adds the dev-dependencies of loopback tests to a generated `Cargo.toml` (once).
pub fn add_dev_dependencies(manifest: &mut String) {
    if manifest.ends_with(WIRE_DEV_DEPENDENCIES) {
        return;
    }
    if !manifest.ends_with('\n') {
        manifest.push('\n');
    }
    manifest.push_str(WIRE_DEV_DEPENDENCIES);
}
