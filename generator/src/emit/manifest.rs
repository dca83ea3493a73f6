//! `Cargo.toml` of the generated crate.

use super::EmitOptions;
use crate::ir::Api;

/// Dependencies of every generated crate, with the versions the runtime is written against.
const DEPENDENCIES: &str = r#"[dependencies]
bytes = "1"
chrono = { version = "0.4.31", default-features = false, features = ["serde", "std"] }
percent-encoding = "2.3"
reqwest = { version = "0.13", default-features = false, features = ["rustls"] }
serde = { version = "1.0.190", features = ["derive"] }
serde_json = "1.0.100"
tokio = { version = "1", default-features = false, features = ["time"] }
"#;

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("invariant: strings always serialize")
}

pub(crate) fn cargo_toml(api: &Api, opts: &EmitOptions) -> String {
    let description = format!("Typed async Rust client for the {} (generated from its OpenAPI description)", api.info.title);
    let license = api.info.license.clone().unwrap_or_else(|| "MIT OR Apache-2.0".to_string());
    format!(
        "[package]\n\
         name = {name}\n\
         version = {version}\n\
         edition = \"2021\"\n\
         rust-version = \"1.85\"\n\
         description = {description}\n\
         license = {license}\n\
         \n\
         {DEPENDENCIES}",
        name = toml_string(&opts.crate_name),
        version = toml_string(&opts.crate_version),
        description = toml_string(&description),
        license = toml_string(&license),
    )
}
