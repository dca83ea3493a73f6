//! Phase 5: IR -> token streams, one per generated file.
//!
//! Emitters only build `TokenStream`s with `quote!`; formatting and headers are `format`'s job.
//! The runtime modules (`client`, `error`, `runtime`) are the same for every API and are kept as
//! real Rust files under `emit/runtime/`, compiled as part of every generated crate's tests.

pub mod docs;
mod environment;
mod examples;
mod manifest;
mod operations;
mod readme;
mod types;

use crate::ir::{Api, TypeRef, TypeStore};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// One file of the generated crate.
#[derive(Clone, Debug)]
pub enum FileContent {
    /// Rust source to be formatted by [`crate::format`].
    Rust(TokenStream),
    /// Rust source kept as written (the shared runtime).
    RustVerbatim(&'static str),
    /// TOML (the header is a `#` comment).
    Text(String),
    /// Markdown (the header is an HTML comment).
    Markdown(String),
}

/// Settings that are not in the spec.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// Crate name (kebab-case).
    pub crate_name: String,
    /// Crate version; defaults to `info.version` when it is semver.
    pub crate_version: String,
    pub package: crate::PackageSettings,
}

pub(crate) const RUNTIME_FILES: [(&str, &str); 3] = [
    ("src/client.rs", include_str!("runtime/client.rs")),
    ("src/error.rs", include_str!("runtime/error.rs")),
    ("src/runtime.rs", include_str!("runtime/runtime.rs")),
];

/// Whether a generated file is one of the shared runtime modules (the same for every API).
pub fn is_runtime_file(path: &str) -> bool {
    RUNTIME_FILES.iter().any(|(p, _)| *p == path)
}

/// Emits every file of the crate, in a fixed order.
pub fn emit_crate(api: &Api, opts: &EmitOptions) -> Vec<(String, FileContent)> {
    let example_tests = examples::emit_example_tests(api);
    let environment = environment::emit_environment(api);
    let mut files = vec![
        ("Cargo.toml".to_string(), FileContent::Text(manifest::cargo_toml(api, opts))),
        ("README.md".to_string(), FileContent::Markdown(readme::readme(api, opts))),
        ("src/lib.rs".to_string(), FileContent::Rust(emit_lib(api, opts, example_tests.is_some(), environment.is_some()))),
        ("src/types.rs".to_string(), FileContent::Rust(types::emit_types(api))),
        ("src/operations.rs".to_string(), FileContent::Rust(operations::emit_operations(api))),
    ];
    if let Some(env) = environment {
        files.push(("src/environment.rs".to_string(), FileContent::Rust(env)));
    }
    if let Some(tests) = example_tests {
        files.push(("src/example_tests.rs".to_string(), FileContent::Rust(tests)));
    }
    for (path, src) in RUNTIME_FILES {
        files.push((path.to_string(), FileContent::RustVerbatim(src)));
    }
    files
}

fn emit_lib(api: &Api, opts: &EmitOptions, with_example_tests: bool, with_environment: bool) -> TokenStream {
    let environment = with_environment.then(|| quote! {
        mod environment;
        pub use environment::Environment;
    });
    let example_tests = with_example_tests.then(|| quote! {
        #[cfg(test)]
        mod example_tests;
    });
    let extra_modules = opts.package.extra_modules.iter().map(|m| {
        let m = ident(m);
        quote!(pub mod #m;)
    });
    let base_url = api.servers.first().map(|s| s.url.clone()).unwrap_or_else(|| "http://localhost".to_string());
    let base_doc = match api.servers.first().and_then(|s| s.description.as_deref()) {
        Some(d) => docs::doc_attrs(&format!("The server from the API description.\n\n{d}")),
        None => docs::doc_attrs("The server from the API description."),
    };
    quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        mod client;
        mod error;
        mod operations;
        mod runtime;
        pub mod types;
        #environment
        #example_tests
        #( #extra_modules )*

        pub use client::{Client, ClientBuilder, RetryPolicy, Secret, DEFAULT_USER_AGENT};
        pub use error::{ApiError, Error, RawResponse};
        pub use operations::builder;

        #base_doc
        pub const DEFAULT_BASE_URL: &str = #base_url;
    }
}

/// Where a type reference is written: in `types.rs` (plain names) or elsewhere (`types::Name`).
#[derive(Clone, Copy)]
pub(crate) struct TyCtx<'a> {
    pub store: &'a TypeStore,
    pub qualify: bool,
    pub generics: &'a [crate::ir::GenericParam],
    /// Inside a serde type, binary data is a (base64 or raw) string.
    pub in_serde: bool,
}

pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub(crate) fn ty(t: &TypeRef, cx: TyCtx<'_>) -> TokenStream {
    match t {
        TypeRef::Named(id, args) => {
            let def = cx.store.get(*id);
            let name = ident(&def.rust_name);
            let path = if cx.qualify { quote!(crate::types::#name) } else { quote!(#name) };
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
        TypeRef::Number => quote!(::serde_json::Number),
        TypeRef::String => quote!(::std::string::String),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Bytes if cx.in_serde => quote!(::std::string::String),
        TypeRef::Bytes => quote!(::bytes::Bytes),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Vec(inner) => {
            let inner = ty(inner, cx);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = ty(inner, cx);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = ty(inner, cx);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Box(inner) => {
            let inner = ty(inner, cx);
            quote!(::std::boxed::Box<#inner>)
        }
        TypeRef::Unit => quote!(()),
    }
}
