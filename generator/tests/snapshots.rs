//! Snapshot tests: the generated code for every spec under `tests/specs/` and for the vendored
//! spec, plus the diagnostics. The runtime modules are identical for every spec and are covered
//! by compiling the generated crates, so they are left out of the snapshots.

use sdkgen::{emit, generate, GenerateOptions};
use std::path::Path;

fn options(label: &str) -> GenerateOptions {
    GenerateOptions {
        crate_name: None,
        crate_version: None,
        command: "sdkgen generate".into(),
        spec_label: label.into(),
        ..Default::default()
    }
}

/// The configuration of a fixture `NAME.yaml`: its sibling `NAME.sdkgen.toml`, if any.
fn fixture_config(spec: &Path) -> sdkgen::Config {
    let path = spec.with_extension("sdkgen.toml");
    if !path.exists() {
        return sdkgen::Config::default();
    }
    sdkgen::Config::load(&path).unwrap_or_else(|d| panic!("{}", d.render(&path.display().to_string())))
}

/// Every generated file except the shared runtime, concatenated, then the diagnostics.
fn render(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let label = path.file_name().unwrap().to_string_lossy().into_owned();
    let opts = GenerateOptions { config: fixture_config(path), ..options(&label) };
    match generate(&bytes, &opts) {
        Ok(g) => {
            let mut out = String::new();
            for (file, content) in &g.files {
                if emit::is_runtime_file(file) {
                    continue;
                }
                out.push_str(&format!("==> {file} <==\n{content}\n"));
            }
            out.push_str(&format!("==> diagnostics <==\n{}", g.diagnostics.render(&label)));
            out
        }
        Err(d) => format!("==> diagnostics (failed) <==\n{}", d.render(&label)),
    }
}

#[test]
fn vendored_spec() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml");
    insta::assert_snapshot!("vendored_peeker", render(&path));
}

#[test]
fn spec_fixtures() {
    insta::glob!("../../tests/specs", "**/*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}
