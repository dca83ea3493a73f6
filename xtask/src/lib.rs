//! Shared by the `xtask` binary and the workspace tests, so that `cargo xtask check` and the
//! freshness test in `cargo test` compare against exactly the same generation.

pub mod bench;
pub mod corpus;
pub mod diff;
pub mod directory;
pub mod fuzz;

use sdkgen::GenerateOptions;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("invariant: xtask is inside the workspace").to_path_buf()
}

/// The `Cargo.toml` of a scratch workspace of generated crates (the tests', the corpus', the
/// fuzzer's and the directory tier's): its members, built without debug info and without
/// incremental state. A check needs neither, and both are most of a target directory's size
/// (CI's disk once ran out with them). `cargo xtask bench` keeps cargo's default profile,
/// because that is the build a user waits for.
pub fn scratch_manifest<S: AsRef<str>>(members: &[S]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("{:?}", m.as_ref())).collect();
    format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\nincremental = false\n",
        members.join(", ")
    )
}

/// The configuration of the vendored crate, next to its spec.
pub const VENDORED_CONFIG: &str = "spec/sdkgen.toml";

/// The options `regen` and `check` use for `spec/openapi.yaml` -> `generated/`: the settings
/// of `spec/sdkgen.toml`, and the crate version of `generated/CHANGELOG.md`.
///
/// # Errors
///
/// The rendered problems of `spec/sdkgen.toml`.
pub fn vendored_options() -> Result<GenerateOptions, String> {
    let config = sdkgen::Config::load(&root().join(VENDORED_CONFIG)).map_err(|d| d.render(VENDORED_CONFIG))?;
    Ok(GenerateOptions {
        // The newest section of generated/CHANGELOG.md (written by `regen --bump`), else info.version.
        crate_version: diff::vendored_version(&root()),
        command: "cargo xtask regen".into(),
        spec_label: "spec/openapi.yaml".into(),
        config,
        ..Default::default()
    })
}

/// Generates the vendored crate in memory.
pub fn generate_vendored() -> Result<sdkgen::Generated, String> {
    let spec = root().join("spec/openapi.yaml");
    let bytes = std::fs::read(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    sdkgen::generate(&bytes, &vendored_options()?).map_err(|d| d.render("spec/openapi.yaml"))
}

/// The files of `generated/` that differ from a fresh generation (empty when up to date).
pub fn stale_vendored() -> Result<Vec<PathBuf>, String> {
    let generated = generate_vendored()?;
    sdkgen::output::stale_files(&root().join("generated"), &generated.files).map_err(|e| e.to_string())
}
