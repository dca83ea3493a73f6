//! `Cargo.toml` of the generated crate: complete package metadata so `cargo package` and
//! `cargo publish` work on the output as it is.

use super::docs::{one_line, toml_string};
use super::EmitOptions;
use crate::ir::Api;

/// Dependencies of every generated crate, with the versions the runtime is written against.
/// `serde_json`'s `float_roundtrip` parses floats correctly rounded (the default parser is off by
/// one unit in the last place on some values: `1.219397386070861e38`, `-15841151.598964259`).
/// TLS is rustls with the `aws-lc-rs` provider (installed by `ClientBuilder::build` unless the
/// program installed one): rustls's default, with post-quantum key exchange. rustls 0.23.48
/// deprecated its `ring` provider for lacking it, so a crate built on `ring` warns on every
/// fresh build; `aws-lc-rs` costs a C build (`aws-lc-sys`) and about 10 more crates.
const DEPENDENCIES: &str = r#"bytes = "1"
chrono = { version = "0.4.31", default-features = false, features = ["serde", "std"] }
futures-core = "0.3"
percent-encoding = "2.3"
reqwest = { version = "0.13", default-features = false, features = ["multipart", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["aws_lc_rs", "std", "tls12"] }
serde = { version = "1.0.190", features = ["derive"] }
serde_json = { version = "1.0.100", features = ["float_roundtrip"] }
tokio = { version = "1", default-features = false, features = ["time"] }
tracing = { version = "0.1.40", default-features = false, features = ["std"], optional = true }
"#;

/// Dependencies of a crate of the types alone (`types-only`): what the types and their serde
/// support use.
const TYPES_DEPENDENCIES: &str = r#"chrono = { version = "0.4.31", default-features = false, features = ["serde", "std"] }
serde = { version = "1.0.190", features = ["derive"] }
serde_json = "1.0.100"
"#;

/// For the README quick start (a doctest) and `examples/`.
const DEV_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    format!("[{}]", items.iter().map(|i| toml_string(i.as_ref())).collect::<Vec<_>>().join(", "))
}

pub(crate) fn cargo_toml(api: &Api, opts: &EmitOptions) -> String {
    let pkg = &opts.package;
    // Spec text is only ever a TOML string, with TOML escapes, and on one line.
    let description = pkg.description.as_deref().map(|d| one_line(d).trim().to_string()).unwrap_or_else(|| {
        let what = if api.types_only { "Rust types of the schemas of" } else { "Typed async Rust client for" };
        format!("{what} the {} (generated from its OpenAPI description)", one_line(&api.info.title).trim())
    });
    let license = pkg
        .license
        .clone()
        .or_else(|| api.info.license.as_deref().map(|l| one_line(l).trim().to_string()))
        .unwrap_or_else(|| "MIT OR Apache-2.0".to_string());
    let mut out = String::from("[package]\n");
    out.push_str(&format!("name = {}\n", toml_string(&opts.crate_name)));
    out.push_str(&format!("version = {}\n", toml_string(&opts.crate_version)));
    out.push_str("edition = \"2021\"\nrust-version = \"1.85\"\n");
    if !pkg.authors.is_empty() {
        out.push_str(&format!("authors = {}\n", toml_list(&pkg.authors)));
    }
    out.push_str(&format!("description = {}\n", toml_string(&description)));
    out.push_str(&format!("license = {}\n", toml_string(&license)));
    out.push_str("readme = \"README.md\"\n");
    for (key, value) in [("repository", &pkg.repository), ("homepage", &pkg.homepage)] {
        if let Some(v) = value {
            out.push_str(&format!("{key} = {}\n", toml_string(v)));
        }
    }
    let documentation = pkg.documentation.clone().unwrap_or_else(|| format!("https://docs.rs/{}", opts.crate_name));
    out.push_str(&format!("documentation = {}\n", toml_string(&documentation)));
    let mut keywords = pkg.keywords.clone();
    if keywords.is_empty() {
        let words: &[&str] =
            if api.types_only { &["api", "openapi", "types", "serde"] } else { &["api", "client", "openapi", "sdk"] };
        keywords = words.iter().map(|w| w.to_string()).collect();
    }
    keywords.truncate(5);
    out.push_str(&format!("keywords = {}\n", toml_list(&keywords)));
    let mut categories = pkg.categories.clone();
    if categories.is_empty() {
        let second = if api.types_only { "encoding" } else { "web-programming::http-client" };
        categories = vec!["api-bindings".into(), second.into()];
    }
    out.push_str(&format!("categories = {}\n", toml_list(&categories)));
    out.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    let webhooks = super::has_webhook_module(api, opts);
    let mut groups_of: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for g in &api.feature_groups {
        for m in &g.members {
            groups_of.entry(m.as_str()).or_default().push(&g.name);
        }
    }
    // What a feature enables: the groups of types it reaches, the optional dependencies of the
    // hand-written modules under it, and for `webhooks` the crates signatures are checked with;
    // each once.
    let feature_deps = |name: &str| -> Vec<String> {
        let mut deps: Vec<String> = Vec::new();
        // The types no operation uses implement `Serialize`, so the received types they hold
        // must too.
        if name == crate::ir::UNREFERENCED_FEATURE {
            deps.push(crate::ir::FULL_SERDE_FEATURE.to_string());
        }
        if webhooks && name == crate::ir::WEBHOOKS_FEATURE {
            deps.extend(super::WEBHOOK_DEPENDENCIES.iter().map(|(d, _)| format!("dep:{d}")));
        }
        deps.extend(groups_of.get(name).into_iter().flatten().map(|g| g.to_string()));
        for m in pkg.module_features.iter().filter(|m| m.name == name) {
            for d in &m.dependencies {
                let d = format!("dep:{d}");
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        deps
    };
    {
        // One feature per tag, all on by default: `default-features = false` plus the tags a
        // program calls compiles only that part of the API. Off by default: the types no
        // operation uses (`unreferenced-schemas`), `Serialize` on types that are only received
        // (`full-serde`), the webhooks (unless the API has nothing else) and the hand-written
        // modules' features.
        out.push_str("\n[features]\n");
        let default = api.default_features();
        if !default.is_empty() {
            out.push_str(&format!("default = {}\n", toml_list(&default)));
        }
        let mut written: Vec<&str> = Vec::new();
        for f in &api.features {
            out.push_str(&format!("{} = {}\n", toml_string(f), toml_list(&feature_deps(f))));
            written.push(f);
        }
        // Internal (`__`): on through the features above, not named by users.
        for g in &api.feature_groups {
            out.push_str(&format!("{} = []\n", toml_string(&g.name)));
        }
        out.push_str(&format!("{} = []\n", toml_string(crate::ir::FULL_SERDE_FEATURE)));
        written.push(crate::ir::FULL_SERDE_FEATURE);
        // The client's spans (a crate of the types alone has no client, nor `tracing`).
        if !api.types_only {
            out.push_str(&format!("{} = [\"dep:tracing\"]\n", toml_string(crate::ir::TRACING_FEATURE)));
            written.push(crate::ir::TRACING_FEATURE);
        }
        let extra = webhooks.then_some(crate::ir::WEBHOOKS_FEATURE).into_iter();
        for name in extra.chain(pkg.module_features.iter().map(|m| m.name.as_str())) {
            if !written.contains(&name) {
                out.push_str(&format!("{} = {}\n", toml_string(name), toml_list(&feature_deps(name))));
                written.push(name);
            }
        }
    }
    for m in &pkg.module_features {
        for example in &m.examples {
            out.push_str(&format!(
                "\n[[example]]\nname = {}\nrequired-features = {}\n",
                toml_string(example),
                toml_list(std::slice::from_ref(&m.name))
            ));
        }
    }
    out.push_str("\n[dependencies]\n");
    out.push_str(if api.types_only { TYPES_DEPENDENCIES } else { DEPENDENCIES });
    if webhooks {
        for (_, line) in super::WEBHOOK_DEPENDENCIES {
            out.push_str(line);
            out.push('\n');
        }
    }
    for dep in &pkg.extra_dependencies {
        // The webhook module's crates are declared once, above.
        let name = dep.split('=').next().unwrap_or("").trim();
        if webhooks && super::WEBHOOK_DEPENDENCIES.iter().any(|(d, _)| *d == name) {
            continue;
        }
        out.push_str(dep);
        out.push('\n');
    }
    if !api.types_only {
        out.push_str("\n[dev-dependencies]\n");
        out.push_str(DEV_DEPENDENCIES);
    }
    out
}
