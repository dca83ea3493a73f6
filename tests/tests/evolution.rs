//! Request types can grow without breaking their users: a program written against the crate
//! generated from `tests/evolution/v1.yaml` compiles, unchanged, against the crate generated
//! from `v2.yaml` (optional properties added to a request body, to a nested request type and to
//! a response, an enum value, an operation), and `diff` calls the change an addition (minor).
//!
//! The crates are built in a scratch workspace under the target directory, sharing the compiled
//! dependencies of `compile_specs` (same `Cargo.lock`).

use std::path::Path;
use std::process::Command;

fn generate(spec: &Path, out: &Path) {
    let bytes = std::fs::read(spec).unwrap();
    let opts = sdkgen::GenerateOptions {
        crate_name: Some("evolving-api".into()),
        command: "sdkgen generate".into(),
        spec_label: spec.file_name().unwrap().to_string_lossy().into_owned(),
        ..Default::default()
    };
    let generated = sdkgen::generate(&bytes, &opts)
        .unwrap_or_else(|d| panic!("{} does not generate:\n{}", spec.display(), d.render(&spec.display().to_string())));
    // The crate directory holds one version at a time.
    let _ = std::fs::remove_dir_all(out);
    sdkgen::output::write_files(out, &generated.files).unwrap();
}

/// `cargo check` of the user program, warnings denied; the output when it fails.
fn check_user(scratch: &Path, target: &Path) -> Result<(), String> {
    let out = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "-p", "evolving-user"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn code_written_against_the_old_crate_compiles_against_the_new_one() {
    let root = xtask::root();
    let dir = root.join("tests/evolution");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let scratch = tmp.join("evolution");
    let user = scratch.join("user");
    std::fs::create_dir_all(user.join("src")).unwrap();
    std::fs::write(scratch.join("Cargo.toml"), xtask::scratch_manifest(&["api", "user"])).unwrap();
    std::fs::write(
        user.join("Cargo.toml"),
        "[package]\nname = \"evolving-user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nevolving-api = { path = \"../api\" }\nserde_json = \"1\"\n",
    )
    .unwrap();
    std::fs::copy(dir.join("user.rs"), user.join("src/main.rs")).unwrap();
    if !scratch.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    }
    let target = tmp.join("compile-specs/target");
    for version in ["v1", "v2"] {
        generate(&dir.join(format!("{version}.yaml")), &scratch.join("api"));
        if let Err(e) = check_user(&scratch, &target) {
            panic!("the program written against v1 does not compile against {version}:\n{e}");
        }
    }

    // The same change, as the diff judges it.
    let load = |v: &str| {
        let bytes = std::fs::read(dir.join(format!("{v}.yaml"))).unwrap();
        sdkgen::diff::Spec::load(&bytes).unwrap_or_else(|d| panic!("{}", d.render(&format!("{v}.yaml"))))
    };
    let report = sdkgen::diff::diff(&load("v1"), &load("v2"));
    let breaking: Vec<String> = report.changes.iter().filter(|c| c.breaking()).map(|c| c.message.clone()).collect();
    assert!(breaking.is_empty(), "an additive change is reported as breaking: {breaking:#?}");
    assert_eq!(report.semver(), sdkgen::diff::Level::Minor, "{}", report.render_text());
}
