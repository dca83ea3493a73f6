//! Generation from a build script: [`Generator`] writes the client as a module of the calling
//! crate into `OUT_DIR`, and tells cargo which files to watch.
//!
//! A generated crate names itself `crate::` (its runtime, its types) and gates operations behind
//! its cargo features. As a module of another crate both would be wrong, so the module's files
//! are the crate's files with two changes made on their tokens (never on spec text): every path
//! `crate::x` (and `$crate::x`, and the `serde` attributes' `"crate::x"`) becomes
//! `crate::<module>::x`, and every `feature = "name"` in a `cfg` is decided now: true for the
//! crate's default features and those asked for with [`Generator::features`], false for the rest.
//! The module's docs are a line naming it instead of the crate's README (whose examples use the
//! crate by its name).

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Generates a client module from a build script.
///
/// In `build.rs` (and in `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/<module>.rs"));`,
/// the module named after the crate name in snake case, or [`Generator::module_name`]):
///
/// ```no_run
/// if let Err(e) = sdkgen::Generator::new("openapi.yaml").generate() {
///     eprintln!("{e}");
///     std::process::exit(1);
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Generator {
    spec: PathBuf,
    config: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    module: Option<String>,
    features: Vec<String>,
    allow_ref: Vec<PathBuf>,
    cargo_instructions: bool,
}

/// What [`Generator::generate`] wrote.
#[derive(Debug)]
pub struct BuildOutput {
    /// `OUT_DIR/<module>.rs`, the file to `include!`: it declares `pub mod <module>`.
    pub module_file: PathBuf,
    /// The module's name.
    pub module: String,
    /// The spec, the configuration and every file a `$ref` read (what cargo is told to watch).
    pub inputs: Vec<PathBuf>,
    /// Warnings (printed as `cargo:warning=` lines too).
    pub warnings: Diagnostics,
}

/// Why generation failed: the spec or configuration has problems (each located), or a file
/// could not be read or written.
#[derive(Debug)]
pub enum BuildError {
    Diagnostics { file: String, diagnostics: Diagnostics },
    Io(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Diagnostics { file, diagnostics } => f.write_str(diagnostics.render(file).trim_end()),
            BuildError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for BuildError {}

impl Generator {
    /// A generator for the spec at `spec` (relative to the crate's directory in a build script).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Generator {
            spec: spec.into(),
            config: None,
            out_dir: None,
            module: None,
            features: Vec::new(),
            allow_ref: Vec::new(),
            cargo_instructions: true,
        }
    }

    /// The configuration file; by default `sdkgen.toml` next to the spec, when there is one.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// Where to write; by default the `OUT_DIR` cargo gives the build script.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The module's name; by default the crate name in snake case (`peeker_partner_api`).
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// Features of the generated crate compiled in besides the default ones (`full-serde`,
    /// `unreferenced-schemas`, `webhooks`, a tag).
    pub fn features<S: Into<String>>(mut self, features: impl IntoIterator<Item = S>) -> Self {
        self.features.extend(features.into_iter().map(Into::into));
        self
    }

    /// Another directory `$ref`s may read (as `--allow-ref`).
    pub fn allow_ref(mut self, dir: impl Into<PathBuf>) -> Self {
        self.allow_ref.push(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` and `cargo:warning` lines (on by default).
    pub fn cargo_instructions(mut self, on: bool) -> Self {
        self.cargo_instructions = on;
        self
    }

    /// Generates the module.
    ///
    /// # Errors
    ///
    /// The spec's or configuration's problems, or a file that cannot be read or written.
    pub fn generate(&self) -> Result<BuildOutput, BuildError> {
        let label = crate::emit::docs::label(&self.spec.display().to_string());
        let mut inputs = vec![self.spec.clone()];
        let config_path = self.config.clone().or_else(|| {
            let next_to_spec = self.spec.parent().unwrap_or(Path::new("")).join(crate::config::FILE_NAME);
            next_to_spec.is_file().then_some(next_to_spec)
        });
        inputs.extend(config_path.clone());
        let report = |inputs: &[PathBuf]| {
            if self.cargo_instructions {
                for input in inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
            }
        };
        let config = match &config_path {
            Some(path) => Config::load(path).map_err(|diagnostics| {
                report(&inputs);
                BuildError::Diagnostics { file: label.clone(), diagnostics }
            })?,
            None => Config::default(),
        };
        let bytes = std::fs::read(&self.spec).map_err(|e| {
            report(&inputs);
            BuildError::Io(format!("{label}: cannot read the spec: {e}"))
        })?;
        let opts = crate::GenerateOptions {
            command: "sdkgen::Generator (build script)".into(),
            spec_label: self.spec.file_name().map_or(label.clone(), |f| crate::emit::docs::label(&f.to_string_lossy())),
            base_dir: Some(self.spec.parent().map(Path::to_path_buf).unwrap_or_default()),
            allow_ref: self.allow_ref.clone(),
            config,
            ..Default::default()
        };
        let generated = crate::generate(&bytes, &opts).map_err(|diagnostics| {
            report(&inputs);
            BuildError::Diagnostics { file: label.clone(), diagnostics }
        })?;
        inputs.extend(generated.read_files.iter().cloned());
        report(&inputs);
        if self.cargo_instructions {
            for d in generated.diagnostics.iter() {
                println!("cargo:warning={}", d.render(&label).replace('\n', " "));
            }
        }
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| BuildError::Io("OUT_DIR is not set: call `out_dir` outside a build script".into()))?,
        };
        let module = self.module.clone().unwrap_or_else(|| generated.crate_name.replace('-', "_"));
        if syn::parse_str::<Ident>(&module).is_err() {
            return Err(BuildError::Io(format!("`{module}` is not a module name")));
        }
        let mut on: BTreeSet<String> = generated.api.default_features().into_iter().map(String::from).collect();
        on.extend(self.features.iter().cloned());
        let files = as_module(&generated.files, &module, &on).map_err(BuildError::Io)?;
        let dir = out_dir.join(&module);
        crate::output::write_files(&dir, &files).map_err(|e| BuildError::Io(format!("{}: {e}", dir.display())))?;
        let lib = std::fs::canonicalize(dir.join("src/lib.rs")).map_err(|e| BuildError::Io(e.to_string()))?;
        let lib = Literal::string(&lib.to_string_lossy());
        let name = Ident::new(&module, Span::call_site());
        let wrapper = quote! {
            // A program may use part of the API: the rest is not dead code to warn about.
            #[allow(dead_code)]
            #[path = #lib]
            pub mod #name;
        };
        let text = format!(
            "// @generated by sdkgen::Generator from {label}. Do not edit.\n{}",
            prettyplease::unparse(&syn::parse2(wrapper).map_err(|e| BuildError::Io(e.to_string()))?)
        );
        let module_file = out_dir.join(format!("{module}.rs"));
        if std::fs::read_to_string(&module_file).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&module_file, text)
                .map_err(|e| BuildError::Io(format!("{}: {e}", module_file.display())))?;
        }
        Ok(BuildOutput { module_file, module, inputs, warnings: generated.diagnostics })
    }
}

/// The crate's files as the files of module `module` (see the module docs); `features_on`
/// decides the `cfg(feature = ..)`s.
fn as_module(
    files: &[(String, String)],
    module: &str,
    features_on: &BTreeSet<String>,
) -> Result<Vec<(String, String)>, String> {
    let module = Ident::new(module, Span::call_site());
    files
        .iter()
        .map(|(path, text)| {
            if !path.ends_with(".rs") {
                return Ok((path.clone(), text.clone()));
            }
            let mut file = syn::parse_file(text).map_err(|e| format!("{path}: {e}"))?;
            if path == "src/lib.rs" {
                // The crate's docs are its README, whose examples use the crate by name: as a
                // module's docs they would be doctests of the calling crate that cannot compile.
                file.attrs.retain(|a| !a.path().is_ident("doc"));
                let doc = "The API client `sdkgen::Generator` generated (its README.md is beside this file).";
                file.attrs.insert(0, syn::parse_quote!(#![doc = #doc]));
            }
            let tokens = rewrite(quote!(#file), &module, features_on, Context::Code);
            let file: syn::File = syn::parse2(tokens).map_err(|e| format!("{path}: {e}"))?;
            Ok((path.clone(), prettyplease::unparse(&file)))
        })
        .collect()
}

/// Where a token stream is: plain code, an attribute's brackets, or a `serde(..)` attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Code,
    Attribute,
    Serde,
}

fn rewrite(tokens: TokenStream, module: &Ident, on: &BTreeSet<String>, cx: Context) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let punct_at = |k: usize, c: char| matches!(tokens.get(k), Some(TokenTree::Punct(p)) if p.as_char() == c);
        match t {
            // `crate::x` -> `crate::module::x` (and `$crate::x`, whose `$` is the token before).
            TokenTree::Ident(id) if id == "crate" && punct_at(i + 1, ':') && punct_at(i + 2, ':') => {
                out.push(t.clone());
                out.push(Punct::new(':', Spacing::Joint).into());
                out.push(Punct::new(':', Spacing::Alone).into());
                out.push(module.clone().into());
            }
            // `feature = "name"` inside an attribute: decided now.
            TokenTree::Ident(id) if cx != Context::Code && id == "feature" && punct_at(i + 1, '=') => {
                if let Some(TokenTree::Literal(lit)) = tokens.get(i + 2) {
                    let name = lit.to_string();
                    let name = name.trim_matches('"');
                    let word = if on.contains(name) { "all" } else { "any" };
                    out.push(Ident::new(word, Span::call_site()).into());
                    out.push(Group::new(Delimiter::Parenthesis, TokenStream::new()).into());
                    i += 3;
                    continue;
                }
                out.push(t.clone());
            }
            TokenTree::Literal(lit) if cx == Context::Serde => {
                let text = lit.to_string();
                match text.strip_prefix("\"crate::") {
                    Some(rest) if !text.starts_with("r") => {
                        let path = format!("crate::{module}::{}", rest.trim_end_matches('"'));
                        out.push(Literal::string(&path).into());
                    }
                    _ => out.push(t.clone()),
                }
            }
            TokenTree::Group(g) => {
                let after_hash =
                    i > 0 && (punct_at(i - 1, '#') || (punct_at(i - 1, '!') && i > 1 && punct_at(i - 2, '#')));
                let inner_cx = match (cx, g.delimiter()) {
                    (Context::Code, Delimiter::Bracket) if after_hash => Context::Attribute,
                    (Context::Attribute | Context::Serde, Delimiter::Parenthesis) if matches!(out.last(), Some(TokenTree::Ident(id)) if id == "serde") => {
                        Context::Serde
                    }
                    (other, _) => other,
                };
                let mut group = Group::new(g.delimiter(), rewrite(g.stream(), module, on, inner_cx));
                group.set_span(g.span());
                out.push(group.into());
            }
            _ => out.push(t.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_features_are_rewritten_in_code_not_in_text() {
        let on: BTreeSet<String> = ["users".to_string()].into();
        let module = Ident::new("api", Span::call_site());
        let input: TokenStream = quote! {
            #[cfg(feature = "users")]
            pub(crate) fn a() -> crate::types::User { crate::runtime::go("crate::x") }
            #[cfg(any(feature = "admin", feature = "users"))]
            #[serde(deserialize_with = "crate::runtime::double_option")]
            #[doc = "see crate::Error"]
            struct S;
        };
        let out = rewrite(input, &module, &on, Context::Code).to_string();
        assert!(out.contains("cfg (all ())"), "{out}");
        assert!(out.contains("cfg (any (any () , all ()))"), "{out}");
        assert!(out.contains("crate :: api :: types :: User"), "{out}");
        assert!(out.contains("pub (crate) fn"), "{out}");
        assert!(out.contains("\"crate::x\""), "a string in code is left alone: {out}");
        assert!(out.contains("\"crate::api::runtime::double_option\""), "{out}");
        assert!(out.contains("\"see crate::Error\""), "{out}");
    }
}
