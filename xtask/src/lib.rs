//! Shared by the `xtask` binary and the workspace tests, so that `cargo xtask check` and the
//! freshness test in `cargo test` compare against exactly the same generation.

pub mod bench;
pub mod corpus;
pub mod diff;

use sdkgen::GenerateOptions;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("invariant: xtask is inside the workspace").to_path_buf()
}

/// The options `regen` and `check` use for `spec/openapi.yaml` -> `generated/`.
pub fn vendored_options() -> GenerateOptions {
    GenerateOptions {
        crate_name: None,
        // The newest section of generated/CHANGELOG.md (written by `regen --bump`), else info.version.
        crate_version: diff::vendored_version(&root()),
        command: "cargo xtask regen".into(),
        spec_label: "spec/openapi.yaml".into(),
        package: sdkgen::PackageSettings {
            homepage: Some("https://docs.peeker.ai".into()),
            keywords: ["peeker", "email", "deliverability", "api", "client"].map(String::from).to_vec(),
            categories: ["api-bindings", "web-programming::http-client", "email"].map(String::from).to_vec(),
            // Hand-written in generated/src/webhooks.rs (never touched by regen), on top of the
            // generated `webhook` module's signature verification.
            extra_modules: vec!["webhooks".into()],
            webhook_module: true,
            // Only receivers of webhooks need the modules and their crypto crates: the
            // generator's `webhooks` feature, which brings `hmac` and `sha2`.
            module_features: vec![sdkgen::ModuleFeature {
                name: "webhooks".into(),
                modules: vec!["webhooks".into()],
                dependencies: vec![],
                examples: vec!["verify_webhook".into()],
            }],
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Generates the vendored crate in memory.
pub fn generate_vendored() -> Result<sdkgen::Generated, String> {
    let spec = root().join("spec/openapi.yaml");
    let bytes = std::fs::read(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    sdkgen::generate(&bytes, &vendored_options()).map_err(|d| d.render("spec/openapi.yaml"))
}

/// The files of `generated/` that differ from a fresh generation (empty when up to date).
pub fn stale_vendored() -> Result<Vec<PathBuf>, String> {
    let generated = generate_vendored()?;
    sdkgen::output::stale_files(&root().join("generated"), &generated.files).map_err(|e| e.to_string())
}
