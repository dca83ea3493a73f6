//! The crate generated from `generator/tests/hostile/combined.yaml` (every injection channel at
//! once: code blocks of every kind, raw HTML, control, bidi and zero-width characters, a title
//! that tries to add TOML, JSON escapes in the quick start) builds with `-D warnings`, documents
//! with `rustdoc -D warnings`, and `cargo test --doc` runs only the generator's own three README
//! examples: no doctest comes from the spec.
//!
//! The crate is written to a scratch workspace under the target directory and built in the
//! target directory `compile_specs.rs` uses, with the same flags, so the dependencies are built
//! once for both.

use std::path::Path;
use std::process::Command;

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "`cargo {}` failed in {}:\n{stdout}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_hostile_crate_builds_documents_and_runs_no_doctest_from_the_spec() {
    let root = xtask::root();
    let spec = root.join("generator/tests/hostile/combined.yaml");
    let bytes = std::fs::read(&spec).unwrap();
    let opts = sdkgen::GenerateOptions {
        crate_name: Some("fixture-hostile".into()),
        command: "sdkgen generate".into(),
        spec_label: "combined.yaml".into(),
        ..Default::default()
    };
    let generated = sdkgen::generate(&bytes, &opts).unwrap_or_else(|d| panic!("{}", d.render("combined.yaml")));

    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let scratch = tmp.join("hostile-crate");
    sdkgen::output::write_files(&scratch.join("fixture-hostile"), &generated.files).unwrap();
    std::fs::write(scratch.join("Cargo.toml"), xtask::scratch_manifest(&["fixture-hostile"])).unwrap();
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).unwrap();
    }
    let target = tmp.join("compile-specs/target");

    cargo(&scratch, &target, &["doc", "--no-deps", "--quiet"]);
    let stdout = cargo(&scratch, &target, &["test", "--doc", "--quiet", "--", "--format", "terse", "--list"]);
    // `--list` prints one `NAME: test` line per doctest.
    let doctests: Vec<&str> = stdout.lines().filter(|l| l.ends_with(": test")).collect();
    assert_eq!(doctests.len(), 3, "doctests:\n{stdout}");
    assert!(doctests.iter().all(|t| t.starts_with("fixture-hostile/src/lib.rs - (line ")), "doctests:\n{stdout}");
    // And the three (the quick start, with the spec's example as a Rust literal, the hook
    // example and the synchronous example) compile.
    cargo(&scratch, &target, &["test", "--doc", "--quiet"]);
}
