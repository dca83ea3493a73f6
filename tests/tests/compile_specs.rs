//! Every spec under `tests/specs/` generates a crate that passes `cargo clippy -D warnings` and
//! whose own tests (one per documented example) pass; for a sample, every feature compiles on
//! its own (`--no-default-features --features F`) and with none.
//!
//! The crates are generated into one scratch workspace under the target directory, with the
//! workspace's `Cargo.lock` copied in so dependency versions match the vendored crate's.
//!
//! A spec `NAME.yaml` may have a sibling `NAME.sdkgen.toml`, its configuration (as it is for
//! the snapshots), and a sibling `NAME.wire.rs`: it becomes the generated crate's
//! `tests/wire.rs` (an integration test against a `wiremock` server, using the crate as
//! `fixture_<name>`), and the crate's `Cargo.toml` gets the dev-dependencies it needs.

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

/// Dev-dependencies added to the `[dev-dependencies]` section (the last one) of a generated
/// crate that has wire tests; the generated section already has tokio.
const WIRE_DEV_DEPENDENCIES: &str = "wiremock = \"0.6\"\nserde_json = \"1\"\n";

/// Adds the spec's sibling `NAME.wire.rs`, if any, to the generated files as `tests/wire.rs`,
/// with the dev-dependencies it needs appended to `Cargo.toml`. Done on the file list before
/// `write_files`, so unchanged inputs leave the scratch crate untouched between runs.
fn add_wire_tests(spec: &Path, crate_dir: &Path, files: &mut Vec<(String, String)>) {
    let wire = spec.with_extension("wire.rs");
    if !wire.exists() {
        // A wire test removed since the last run must not linger in the scratch crate.
        let stale = crate_dir.join("tests/wire.rs");
        if stale.exists() {
            std::fs::remove_file(&stale).unwrap();
        }
        return;
    }
    let tests = std::fs::read_to_string(&wire).unwrap_or_else(|e| panic!("{}: {e}", wire.display()));
    let manifest = files
        .iter_mut()
        .find(|(rel, _)| rel == "Cargo.toml")
        .unwrap_or_else(|| panic!("{}: the generated crate has no Cargo.toml", spec.display()));
    assert!(
        manifest.1.trim_end().rsplit("\n[").next().is_some_and(|last| last.starts_with("dev-dependencies]")),
        "{}: the generated Cargo.toml does not end with its [dev-dependencies] section",
        spec.display()
    );
    if !manifest.1.ends_with('\n') {
        manifest.1.push('\n');
    }
    manifest.1.push_str(WIRE_DEV_DEPENDENCIES);
    files.push(("tests/wire.rs".to_string(), tests));
}

/// The configuration of a fixture `NAME.yaml`: its sibling `NAME.sdkgen.toml`, if any.
fn fixture_config(spec: &Path) -> sdkgen::Config {
    let path = spec.with_extension("sdkgen.toml");
    if !path.exists() {
        return sdkgen::Config::default();
    }
    sdkgen::Config::load(&path).unwrap_or_else(|d| panic!("{}", d.render(&path.display().to_string())))
}

fn cargo(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    // Test failures (assertion messages, wiremock verification reports) go to stdout.
    assert!(
        out.status.success(),
        "`cargo {}` failed in {}:\n{}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
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
            config: fixture_config(spec),
            ..Default::default()
        };
        let mut generated = sdkgen::generate(&bytes, &opts).unwrap_or_else(|d| {
            panic!("{} does not generate:\n{}", spec.display(), d.render(&spec.display().to_string()))
        });
        let crate_dir = scratch.join(&name);
        add_wire_tests(spec, &crate_dir, &mut generated.files);
        sdkgen::output::write_files(&crate_dir, &generated.files).unwrap();
        members.push(name);
    }
    let manifest = xtask::scratch_manifest(&members);
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).unwrap();
    }
    // Lint-clean with the default features and with every feature (types no operation uses
    // are off by default); examples are tested with every feature, so all of them run.
    cargo(&scratch, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    cargo(&scratch, &["clippy", "--workspace", "--all-targets", "--all-features", "--quiet", "--", "-D", "warnings"]);
    cargo(&scratch, &["test", "--workspace", "--all-features", "--quiet"]);
    // Each feature compiles on its own (no default features plus that one, and none at all), for
    // a sample: the fixtures whose crates have the most features.
    let mut sample: Vec<(usize, &String)> =
        members.iter().map(|m| (features(&scratch.join(m).join("Cargo.toml")).len(), m)).collect();
    sample.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    for (_, member) in sample.iter().take(FEATURE_SAMPLE) {
        cargo(&scratch, &["check", "--quiet", "-p", member, "--no-default-features"]);
        for feature in features(&scratch.join(member).join("Cargo.toml")) {
            cargo(&scratch, &["check", "--quiet", "-p", member, "--no-default-features", "--features", &feature]);
        }
    }
}

/// How many fixtures have each of their features compiled alone.
const FEATURE_SAMPLE: usize = 3;

/// The features a generated `Cargo.toml` declares (not `default`).
fn features(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    table
        .get("features")
        .and_then(|f| f.as_table())
        .map(|f| f.keys().filter(|k| *k != "default").cloned().collect())
        .unwrap_or_default()
}
