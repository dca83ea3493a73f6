//! Every spec under `tests/specs/` generates a crate that passes `cargo clippy -D warnings` and
//! whose own tests (one per documented example) pass.
//!
//! The crates are generated into one scratch workspace under the target directory, with the
//! workspace's `Cargo.lock` copied in so dependency versions match the vendored crate's.

use std::path::{Path, PathBuf};
use std::process::Command;

fn specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("tests/specs exists").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            specs(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "json") {
            out.push(p);
        }
    }
}

fn cargo(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "`cargo {}` failed in {}:\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn spec_fixtures_generate_compile_and_pass_their_example_tests() {
    let root = xtask::root();
    let mut all = Vec::new();
    specs(&root.join("tests/specs"), &mut all);
    assert!(!all.is_empty(), "no specs found under tests/specs");

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-specs");
    let mut members = Vec::new();
    for spec in &all {
        let name = format!("fixture-{}", spec.file_stem().unwrap().to_string_lossy().replace('_', "-"));
        let bytes = std::fs::read(spec).unwrap();
        let opts = sdkgen::GenerateOptions {
            crate_name: Some(name.clone()),
            crate_version: None,
            command: "sdkgen generate".into(),
            spec_label: spec.file_name().unwrap().to_string_lossy().into_owned(),
        };
        let generated = sdkgen::generate(&bytes, &opts)
            .unwrap_or_else(|d| panic!("{} does not generate:\n{}", spec.display(), d.render(&spec.display().to_string())));
        sdkgen::output::write_files(&scratch.join(&name), &generated.files).unwrap();
        members.push(name);
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).unwrap();
    }
    cargo(&scratch, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    cargo(&scratch, &["test", "--workspace", "--quiet"]);
}
