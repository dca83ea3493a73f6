//! Emit: IR -> a plan of files, each made of pieces (Rust pieces build token streams).
//!
//! Emitters only build `TokenStream`s with `quote!`; formatting and headers are `format`'s job.
//! The runtime modules (`client`, `error`, `runtime`, `sse`) are the same for every API and are kept as
//! real Rust files under `emit/runtime/`, compiled as part of every generated crate's tests.

pub mod docs;
mod environment;
mod examples;
mod manifest;
mod operations;
mod readme;
pub mod render;
mod types;
mod webhooks;

use crate::ir::{Api, TypeRef, TypeStore};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// Settings that are not in the spec.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// Crate name (kebab-case).
    pub crate_name: String,
    /// Crate version; defaults to `info.version` when it is semver.
    pub crate_version: String,
    pub package: PackageSettings,
}

/// What the generated crate's `Cargo.toml` and `lib.rs` carry beyond what the spec says.
#[derive(Clone, Debug, Default)]
pub struct PackageSettings {
    /// `description` in Cargo.toml; by default one naming the API's title.
    pub description: Option<String>,
    /// `documentation` in Cargo.toml; by default the crate's page on docs.rs.
    pub documentation: Option<String>,
    /// `authors` in Cargo.toml (none by default).
    pub authors: Vec<String>,
    /// `repository` in Cargo.toml.
    pub repository: Option<String>,
    /// `homepage` in Cargo.toml.
    pub homepage: Option<String>,
    /// `license` in Cargo.toml; the spec's `info.license.name`, else `MIT OR Apache-2.0`.
    pub license: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Vec<String>,
    /// crates.io categories.
    pub categories: Vec<String>,
    /// Hand-written modules in `src/` (files the generator never writes), declared `pub mod`.
    pub extra_modules: Vec<String>,
    /// Extra `[dependencies]` lines for the hand-written modules, such as `hmac = "0.12"`.
    pub extra_dependencies: Vec<String>,
    /// Cargo features, off by default, that compile some of the hand-written modules and the
    /// optional dependencies those need.
    pub module_features: Vec<ModuleFeature>,
    /// Emit the `webhook` module (signature verification, behind the `webhooks` feature, with
    /// its `hmac` and `sha2` dependencies) even when the spec declares no webhooks, for
    /// hand-written modules built on it. A module feature named `webhooks` is then the same
    /// feature.
    pub webhook_module: bool,
}

/// A cargo feature (off by default) for hand-written modules, so that users who do not need
/// them do not compile them or their dependencies.
#[derive(Clone, Debug, Default)]
pub struct ModuleFeature {
    /// The feature's name.
    pub name: String,
    /// Modules of `extra_modules` compiled only with the feature.
    pub modules: Vec<String>,
    /// Dependencies the feature enables; each is declared with `optional = true` in
    /// `extra_dependencies`.
    pub dependencies: Vec<String>,
    /// Examples in `examples/` that need the feature.
    pub examples: Vec<String>,
}

pub(crate) const RUNTIME_FILES: [(&str, &str); 4] = [
    ("src/client.rs", include_str!("runtime/client.rs")),
    ("src/error.rs", include_str!("runtime/error.rs")),
    ("src/runtime.rs", include_str!("runtime/runtime.rs")),
    ("src/sse.rs", include_str!("runtime/sse.rs")),
];

/// Where the serde support of the types starts in `runtime.rs` (it runs to the end).
const TYPES_RUNTIME_MARKER: &str = "// The serde support of the generated types, to the end of the module";

/// `src/runtime.rs` of a crate of the types alone (`types-only`): the part of the runtime
/// module after [`TYPES_RUNTIME_MARKER`], so the two never differ.
static TYPES_RUNTIME: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let runtime = include_str!("runtime/runtime.rs");
    let at = runtime.find(TYPES_RUNTIME_MARKER).expect("invariant: runtime.rs marks its serde part");
    format!(
        "//! The serde support of the types: the part of the client runtime a crate of the types\n\
         //! alone keeps.\n\n#![allow(dead_code)]\n\nuse serde::de::DeserializeOwned;\n\
         use serde::{{Deserialize, Deserializer, Serialize}};\n\n{}",
        &runtime[at..]
    )
});

/// The runtime module of streaming calls, emitted only for APIs that have them.
const SSE_FILE: &str = "src/sse.rs";

/// The shared runtime of the `webhook` module: signature verification (whenever the module is
/// emitted) and event decoding (when the API has webhooks).
const WEBHOOK_SIGNATURE_FILE: (&str, &str) = ("src/webhook/signature.rs", include_str!("runtime/webhook_signature.rs"));
const WEBHOOK_EVENT_FILE: (&str, &str) = ("src/webhook/event.rs", include_str!("runtime/webhook_event.rs"));

/// What the `webhooks` feature enables beside the module: the crates signatures are checked with.
pub(crate) const WEBHOOK_DEPENDENCIES: [(&str, &str); 2] = [
    ("hmac", "hmac = { version = \"0.12\", optional = true }"),
    ("sha2", "sha2 = { version = \"0.10\", optional = true }"),
];

/// Whether a generated file is one of the shared runtime modules (the same for every API).
pub fn is_runtime_file(path: &str) -> bool {
    RUNTIME_FILES.iter().chain([&WEBHOOK_SIGNATURE_FILE, &WEBHOOK_EVENT_FILE]).any(|(p, _)| *p == path)
}

/// Whether the crate has the `webhook` module (and the `webhooks` feature).
pub(crate) fn has_webhook_module(api: &Api, opts: &EmitOptions) -> bool {
    !api.webhooks.is_empty() || opts.package.webhook_module
}

/// A piece of a generated file. Rust pieces are closures so that emitting and formatting can
/// run on worker threads (token streams cannot cross threads; the IR can).
pub enum Part<'a> {
    /// Rust tokens, formatted by [`crate::format`], and a rough relative cost of emitting and
    /// formatting them (pieces are started most costly first, so no thread is left with a
    /// long piece at the end).
    Rust(Box<dyn Fn() -> TokenStream + Send + Sync + 'a>, usize),
    /// Rust source kept as written (the shared runtime).
    RustVerbatim(&'static str),
    /// TOML (the header is a `#` comment).
    Toml(String),
    /// Markdown (the header is an HTML comment).
    Markdown(String),
}

/// How many pieces `types.rs` is emitted and formatted in (each piece on its own thread), and
/// the most types in one. Small pieces keep the workers busy to the end (the last piece to
/// start is short), and a piece's tokens and syntax tree stay small enough for the processor's
/// caches: on Graph beta's 9,000 types, pieces of 64 rather than 16 pieces of 560 took about 5%
/// less processor time. The text does not depend on where the pieces are cut.
const TYPE_CHUNKS: usize = 16;
const TYPE_CHUNK_MAX: usize = 64;

/// Relative costs for scheduling: an operation's method (with its docs) costs about as much to
/// emit and format as a type, its builder about three.
const COST_TYPE: usize = 1;
const OPERATION_METHOD_COST: usize = 1;
const OPERATION_BUILDER_COST: usize = 3;

/// Operations per piece of `operations.rs` (each piece is one `impl Client` block, so this is
/// part of the output) and of `builder.rs` (top-level items: small pieces, as for types).
const OPERATION_CHUNK: usize = 128;
const BUILDER_CHUNK: usize = 32;

/// A file made of its header and one piece per run of `chunk` operations (at least one piece).
/// `names` (the std names the operations' builders shadow) is found once for every piece:
/// finding it per piece cost a pass over all operations each time.
fn operation_parts<'a>(
    api: &'a Api,
    names: &std::sync::Arc<StdNames>,
    chunk: usize,
    cost: usize,
    header: fn(&Api, &StdNames) -> TokenStream,
    emit: fn(&Api, &StdNames, std::ops::Range<usize>) -> TokenStream,
) -> Vec<Part<'a>> {
    let n = api.operations.len();
    let header_names = names.clone();
    let mut parts = vec![Part::Rust(Box::new(move || header(api, &header_names)), 1)];
    parts.extend((0..n.div_ceil(chunk).max(1)).map(|i| {
        let range = (i * chunk).min(n)..((i + 1) * chunk).min(n);
        let weight = range.len().max(1) * cost;
        let names = names.clone();
        Part::Rust(Box::new(move || emit(api, &names, range.clone())), weight)
    }));
    parts
}

/// Plans every file of the crate, in a fixed order; the pieces of a file are concatenated in
/// order, so the output does not depend on which thread ran which piece.
pub fn plan_crate<'a>(api: &'a Api, opts: &'a EmitOptions) -> Vec<(String, Vec<Part<'a>>)> {
    let has_examples = examples::has_examples(api);
    let has_environment = !api.info.key_environments.is_empty();
    let names = std::sync::Arc::new(StdNames::new(api.types.iter().map(|d| d.rust_name.as_str())));
    let n = api.types.defs.len();
    let chunk = n.div_ceil(TYPE_CHUNKS).clamp(1, TYPE_CHUNK_MAX);
    let type_parts: Vec<Part<'a>> = (0..n.div_ceil(chunk).max(1))
        .map(|i| {
            let names = names.clone();
            let range = (i * chunk).min(n)..((i + 1) * chunk).min(n);
            let cost = range.len() * COST_TYPE;
            Part::Rust(Box::new(move || types::emit_types(api, &names, range.clone(), i == 0)), cost)
        })
        .collect();
    if api.types_only {
        return plan_types_crate(api, opts, type_parts, has_examples);
    }
    let op_names = std::sync::Arc::new(operations::std_names(api));
    let mut files: Vec<(String, Vec<Part<'a>>)> = vec![
        ("Cargo.toml".to_string(), vec![Part::Toml(manifest::cargo_toml(api, opts))]),
        ("README.md".to_string(), vec![Part::Markdown(readme::readme(api, opts))]),
        (
            "src/lib.rs".to_string(),
            vec![Part::Rust(Box::new(move || emit_lib(api, opts, has_examples, has_environment)), 1)],
        ),
        ("src/types.rs".to_string(), type_parts),
        (
            "src/operations.rs".to_string(),
            operation_parts(
                api,
                &op_names,
                OPERATION_CHUNK,
                OPERATION_METHOD_COST,
                operations::client_methods_header,
                operations::client_methods,
            ),
        ),
        (
            "src/builder.rs".to_string(),
            operation_parts(
                api,
                &op_names,
                BUILDER_CHUNK,
                OPERATION_BUILDER_COST,
                operations::builders_header,
                operations::builders,
            ),
        ),
    ];
    if !api.namespaces.is_empty() {
        files.push((
            "src/namespace.rs".to_string(),
            vec![Part::Rust(Box::new(move || operations::namespace_module(api)), api.namespaces.len())],
        ));
    }
    if has_environment {
        files.push((
            "src/environment.rs".to_string(),
            vec![Part::Rust(Box::new(move || environment::emit_environment(api).unwrap_or_default()), 1)],
        ));
    }
    if has_examples {
        files.push((
            "src/example_tests.rs".to_string(),
            vec![
                Part::Rust(Box::new(examples::emit_header), 1),
                Part::Rust(Box::new(move || examples::emit_tests(api)), api.operations.len()),
            ],
        ));
    }
    for (path, src) in RUNTIME_FILES {
        // The event-stream module only where an operation streams.
        if path != SSE_FILE || api.has_streams() {
            files.push((path.to_string(), vec![Part::RustVerbatim(src)]));
        }
    }
    if has_webhook_module(api, opts) {
        files.push((
            "src/webhook.rs".to_string(),
            vec![Part::Rust(Box::new(move || webhooks::emit_webhook_module(api)), api.webhooks.len().max(1))],
        ));
        let mut runtime = vec![WEBHOOK_SIGNATURE_FILE];
        if !api.webhooks.is_empty() {
            runtime.push(WEBHOOK_EVENT_FILE);
        }
        for (path, src) in runtime {
            files.push((path.to_string(), vec![Part::RustVerbatim(src)]));
        }
    }
    files
}

/// The attributes at the top of every generated `lib.rs`.
///
/// The crate uses its own deprecated types and operations (a deprecated schema is still a
/// response type); only its users are to be warned. Docs are the spec's markdown, whose list
/// items often continue on unindented lines, are indented more than needed or with tabs:
/// CommonMark (and rustdoc) read them as written, so clippy's style lints about them are allowed
/// rather than the text rewritten. So are the lints about what else the spec chose: its names
/// (`foo`) and its nesting (arrays of arrays nine deep). `doc_overindented_list_items` is newer
/// than the crate's minimum Rust, whose clippy does not know it (`unknown_lints`). The generated
/// modules (and `lib.rs`) are laid out by the generator: `cargo fmt` in the user's workspace
/// leaves them as written, so `sdkgen check` stays clean; hand-written modules are formatted as
/// usual.
fn crate_attrs() -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #![allow(deprecated)]
        #![allow(unknown_lints, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::tabs_in_doc_comments)]
        #![allow(clippy::disallowed_names, clippy::type_complexity)]
    }
}

/// The files of a crate of the types alone: manifest, README, `lib.rs`, `types.rs`, the serde
/// part of the runtime and the example tests.
fn plan_types_crate<'a>(
    api: &'a Api,
    opts: &'a EmitOptions,
    type_parts: Vec<Part<'a>>,
    has_examples: bool,
) -> Vec<(String, Vec<Part<'a>>)> {
    // Token streams cannot cross threads: the closure builds them where it runs.
    let lib = move || {
        let crate_attrs = crate_attrs();
        let example_tests = has_examples.then(|| {
            quote! {
                #[cfg(test)]
                #[rustfmt::skip]
                mod example_tests;
            }
        });
        quote! {
            #crate_attrs

            #[rustfmt::skip]
            mod runtime;
            #[rustfmt::skip]
            pub mod types;
            #example_tests
        }
    };
    let mut files: Vec<(String, Vec<Part<'a>>)> = vec![
        ("Cargo.toml".to_string(), vec![Part::Toml(manifest::cargo_toml(api, opts))]),
        ("README.md".to_string(), vec![Part::Markdown(readme::types_readme(api, opts))]),
        ("src/lib.rs".to_string(), vec![Part::Rust(Box::new(lib), 1)]),
        ("src/types.rs".to_string(), type_parts),
        ("src/runtime.rs".to_string(), vec![Part::RustVerbatim(TYPES_RUNTIME.as_str())]),
    ];
    if has_examples {
        files.push((
            "src/example_tests.rs".to_string(),
            vec![
                Part::Rust(Box::new(examples::emit_header), 1),
                Part::Rust(Box::new(move || examples::emit_tests(api)), 1),
            ],
        ));
    }
    files
}

fn emit_lib(api: &Api, opts: &EmitOptions, with_example_tests: bool, with_environment: bool) -> TokenStream {
    let environment = with_environment.then(|| {
        quote! {
            #[rustfmt::skip]
            mod environment;
            pub use environment::Environment;
        }
    });
    let example_tests = with_example_tests.then(|| {
        quote! {
            #[cfg(test)]
            #[rustfmt::skip]
            mod example_tests;
        }
    });
    let webhook = has_webhook_module(api, opts).then(|| {
        let feature = crate::ir::WEBHOOKS_FEATURE;
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod webhook;
        }
    });
    let extra_modules = opts.package.extra_modules.iter().map(|m| {
        let gate = opts.package.module_features.iter().find(|f| f.modules.contains(m)).map(|f| {
            let name = &f.name;
            quote!(#[cfg(feature = #name)])
        });
        let m = ident(m);
        quote!(#gate pub mod #m;)
    });
    let base_url = api.servers.first().map(|s| s.url.clone()).unwrap_or_else(|| "http://localhost".to_string());
    let env_prefix = crate::naming::env_prefix(&opts.crate_name);
    let token_url = match api.security_schemes.iter().find_map(|s| s.client_credentials.as_ref()) {
        Some((url, _)) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let (key_env, url_env) = (format!("{env_prefix}_API_KEY"), format!("{env_prefix}_BASE_URL"));
    let base_doc = match api.servers.first().and_then(|s| s.description.as_deref()) {
        Some(d) => docs::doc_attrs(&format!("The server from the API description.\n\n{d}")),
        None => docs::doc_attrs("The server from the API description."),
    };
    let security_headers = security_header_names(api);
    let sse = api.has_streams().then(|| {
        quote! {
            #[rustfmt::skip]
            mod sse;
        }
    });
    let sse_exports = api.has_streams().then(|| {
        quote!(
            pub use sse::{EventStream, StreamError, StreamFuture, MAX_EVENT_BYTES};
        )
    });
    let uploads = api.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| !b.parts.is_empty()));
    let file_part = uploads.then(|| {
        quote!(
            pub use runtime::FilePart;
        )
    });
    let paged = api.operations.iter().any(|op| op.pagination.is_some());
    let pages = paged.then(|| {
        quote!(
            pub use runtime::{Items, Pages};
        )
    });
    let namespace = (!api.namespaces.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod namespace;
        }
    });
    let crate_attrs = crate_attrs();
    quote! {
        #crate_attrs

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        mod operations;
        #[rustfmt::skip]
        pub mod builder;
        #namespace
        #[rustfmt::skip]
        mod runtime;
        #sse
        #[rustfmt::skip]
        pub mod types;
        #environment
        #webhook
        #example_tests
        #( #extra_modules )*

        pub use client::{Client, ClientBuilder, RetryPolicy, Secret, DEFAULT_USER_AGENT};
        pub use error::{ApiError, Error, RawResponse};
        pub use runtime::{CallInfo, Hook, Response, ResponseFuture, WithResponse};
        /// The HTTP crate underneath (its `Request`, `StatusCode`, `HeaderMap` and `ClientBuilder`
        /// appear in this crate's API), at the version this crate uses.
        pub use reqwest;
        #sse_exports
        #file_part
        #pages

        #base_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The environment variable [`Client::from_env`] reads the credential from.
        pub const API_KEY_ENV: &str = #key_env;

        /// The environment variable [`Client::from_env`] reads a base URL from, when set.
        pub const BASE_URL_ENV: &str = #url_env;

        /// The headers the API's security schemes carry credentials in: sensitive wherever they
        /// are sent, and redacted in `Debug` output.
        pub(crate) const SECURITY_HEADERS: &[&str] = &[#( #security_headers ),*];

        /// The token URL of the API's OAuth2 client-credentials flow, if it has one (see
        /// [`ClientBuilder::client_credentials`]).
        pub const OAUTH2_TOKEN_URL: ::std::option::Option<&str> = #token_url;
    }
}

/// The header names of the API's `apiKey` security schemes that send the key in a header, in
/// document order, each once (compared without case, as HTTP does).
fn security_header_names(api: &Api) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for scheme in &api.security_schemes {
        if let crate::ir::SecurityKind::ApiKey { location, name } = &scheme.kind {
            // As `operations::auth_list`: a key that is in neither the query nor a cookie is a header.
            let in_header = !matches!(location, crate::ir::ParamLocation::Query | crate::ir::ParamLocation::Cookie);
            if in_header && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name);
            }
        }
    }
    names
}

/// Short names for the std, serde, serde_json and chrono items the output uses, unless a
/// generated type in the same module has that name (then the full path is written). Short
/// names keep the output readable and small: the token count drives formatting time.
pub(crate) struct StdNames {
    shadowed: std::collections::BTreeSet<String>,
}

/// Short name -> full path, and whether the short name needs a `use` (not in the prelude).
const STD_ITEMS: &[(&str, &str, bool)] = &[
    ("Option", "::std::option::Option", false),
    ("String", "::std::string::String", false),
    ("Vec", "::std::vec::Vec", false),
    ("Box", "::std::boxed::Box", false),
    ("Into", "::std::convert::Into", false),
    ("Result", "::std::result::Result", false),
    ("BTreeMap", "::std::collections::BTreeMap", true),
    ("Value", "::serde_json::Value", true),
    ("Map", "::serde_json::Map", true),
    ("Number", "::serde_json::Number", true),
    ("DateTime", "::chrono::DateTime", true),
    ("Utc", "::chrono::Utc", true),
    ("NaiveDate", "::chrono::NaiveDate", true),
    ("Serialize", "::serde::Serialize", true),
    ("Deserialize", "::serde::Deserialize", true),
];

impl StdNames {
    /// For a module that also declares types with these names.
    pub(crate) fn new<'a>(declared: impl IntoIterator<Item = &'a str>) -> Self {
        // Each declared name is looked up among the few std names, rather than every declared
        // name collected (tens of thousands in the largest APIs) to look the std names up.
        let shadowed = declared
            .into_iter()
            .filter_map(|d| STD_ITEMS.iter().find(|(n, ..)| *n == d).map(|(n, ..)| n.to_string()))
            .collect();
        StdNames { shadowed }
    }

    /// The path to write for `short`: its short name, or its full path where a generated type
    /// shadows it.
    pub(crate) fn name(&self, short: &str) -> &'static str {
        let (name, full, _) = STD_ITEMS.iter().find(|(n, ..)| *n == short).expect("invariant: a known std item");
        if self.shadowed.contains(*name) {
            full
        } else {
            name
        }
    }

    /// [`StdNames::name`] as tokens.
    pub(crate) fn path(&self, short: &str) -> TokenStream {
        self.name(short).parse().expect("invariant: std paths are valid tokens")
    }

    /// `use` items for the short names outside the prelude.
    pub(crate) fn imports(&self) -> TokenStream {
        let uses =
            STD_ITEMS.iter().filter(|(n, _, needs)| *needs && !self.shadowed.contains(*n)).map(|(_, full, _)| {
                let path: TokenStream = full.parse().expect("invariant: std paths are valid tokens");
                quote!(use #path;)
            });
        quote! { #( #[allow(unused_imports)] #uses )* }
    }
}

/// Where a type reference is written: in `types.rs` (plain names) or elsewhere (`types::Name`).
#[derive(Clone, Copy)]
pub(crate) struct TyCtx<'a> {
    pub store: &'a TypeStore,
    pub names: &'a StdNames,
    pub qualify: bool,
    pub generics: &'a [crate::ir::GenericParam],
    /// Inside a serde type, binary data is a (base64 or raw) string.
    pub in_serde: bool,
}

/// The argument type of a value a caller passes (a parameter, a part, a constructor argument or
/// a setter of a request type), how it is stored, and whether the argument is converted with
/// `.into()`: `impl Into<String>` for strings and `impl Into<Box<T>>` for boxed values; other
/// types are taken as they are, so that literals infer (`impl Into<u32>` would not take `5`).
pub(crate) fn arg_type(t: &TypeRef, cx: TyCtx<'_>) -> (TokenStream, TokenStream, bool) {
    let stored = ty(t, cx);
    if matches!(t, TypeRef::String | TypeRef::Box(_)) {
        let into = cx.names.path("Into");
        (quote!(impl #into<#stored>), stored, true)
    } else {
        (stored.clone(), stored, false)
    }
}

/// `#[cfg(any(feature = "..", ..))]` for code that only some features need (nothing when empty).
pub(crate) fn cfg_features(features: &[String]) -> TokenStream {
    match cfg_predicate(features) {
        Some(p) => quote!(#[cfg(#p)]),
        None => quote!(),
    }
}

/// The minimal predicate: `feature = "a"` or `any(feature = "a", ..)`.
pub(crate) fn cfg_predicate(features: &[String]) -> Option<TokenStream> {
    match features {
        [] => None,
        [one] => Some(quote!(feature = #one)),
        many => Some(quote!(any(#( feature = #many ),*))),
    }
}

pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a value of `t` as code outside the generated crate names it, for tools
/// that check the crate (`cargo xtask fuzz`): generated types as `types::Name` (the caller
/// imports the crate's `types` module), std, serde_json and chrono items by their full paths,
/// binary data as the string serde reads.
pub fn external_type(api: &Api, t: &TypeRef) -> String {
    let names = StdNames::new(STD_ITEMS.iter().map(|(n, ..)| *n));
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: true };
    ty(t, cx).to_string()
}

pub(crate) fn ty(t: &TypeRef, cx: TyCtx<'_>) -> TokenStream {
    match t {
        TypeRef::Named(id, args) => {
            let def = cx.store.get(*id);
            let name = ident(&def.rust_name);
            let path = if cx.qualify { quote!(types::#name) } else { quote!(#name) };
            if args.is_empty() {
                path
            } else {
                let args = args.iter().map(|a| ty(a, cx));
                quote!(#path<#(#args),*>)
            }
        }
        TypeRef::Param(i) => {
            let name = cx.generics.get(*i).map(|g| g.rust_name.as_str()).unwrap_or("T");
            let name = format_ident!("{}", name);
            quote!(#name)
        }
        TypeRef::Bool => quote!(bool),
        TypeRef::I8 => quote!(i8),
        TypeRef::I16 => quote!(i16),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U8 => quote!(u8),
        TypeRef::U16 => quote!(u16),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Number => cx.names.path("Number"),
        TypeRef::String => cx.names.path("String"),
        TypeRef::DateTime => {
            let (dt, utc) = (cx.names.path("DateTime"), cx.names.path("Utc"));
            quote!(#dt<#utc>)
        }
        TypeRef::Date => cx.names.path("NaiveDate"),
        TypeRef::Bytes if cx.in_serde => cx.names.path("String"),
        TypeRef::Bytes => quote!(::bytes::Bytes),
        TypeRef::Json => cx.names.path("Value"),
        TypeRef::JsonObject => {
            let (map, string, value) = (cx.names.path("Map"), cx.names.path("String"), cx.names.path("Value"));
            quote!(#map<#string, #value>)
        }
        TypeRef::Vec(inner) => {
            let (inner, vec) = (ty(inner, cx), cx.names.path("Vec"));
            quote!(#vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let (inner, map, string) = (ty(inner, cx), cx.names.path("BTreeMap"), cx.names.path("String"));
            quote!(#map<#string, #inner>)
        }
        TypeRef::Option(inner) => {
            let (inner, option) = (ty(inner, cx), cx.names.path("Option"));
            quote!(#option<#inner>)
        }
        TypeRef::Box(inner) => {
            let (inner, boxed) = (ty(inner, cx), cx.names.path("Box"));
            quote!(#boxed<#inner>)
        }
        TypeRef::Unit => quote!(()),
    }
}

#[cfg(test)]
mod tests {
    /// `lib.rs` names the headers of the `apiKey` schemes, once each whatever their case, and
    /// not the query or cookie keys.
    #[test]
    fn security_headers_are_the_header_api_keys() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  securitySchemes:
    a: {type: apiKey, in: header, name: X-Partner}
    b: {type: apiKey, in: query, name: key}
    c: {type: apiKey, in: cookie, name: sid}
    d: {type: http, scheme: bearer}
    e: {type: apiKey, in: header, name: x-partner}
    f: {type: apiKey, in: header, name: X-Signature}
"#;
        let generated =
            crate::generate(spec.as_bytes(), &crate::GenerateOptions::default()).expect("the spec generates");
        let lib = &generated.files.iter().find(|(path, _)| path == "src/lib.rs").expect("a lib.rs").1;
        assert!(
            lib.contains(r#"pub(crate) const SECURITY_HEADERS: &[&str] = &["X-Partner", "X-Signature"];"#),
            "{lib}"
        );
    }
}
