//! `src/example_tests.rs`: every JSON example in the spec becomes a unit test of the generated
//! crate that decodes the example into its generated type and re-encodes it to equal JSON.
//!
//! The examples are the API vendor's own statement of what goes on the wire, so a generated type
//! that cannot hold one is a generator bug this catches in the crate's own `cargo test`.

use super::{ty, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

struct Example<'a> {
    origin: String,
    ty: TypeRef,
    value: &'a serde_json::Value,
}

fn contains_param(t: &TypeRef) -> bool {
    match t {
        TypeRef::Param(_) => true,
        TypeRef::Named(_, args) => args.iter().any(contains_param),
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => contains_param(i),
        _ => false,
    }
}

fn collect(api: &Api) -> Vec<Example<'_>> {
    let mut out = collect_all(api);
    // A schema's example is seen both on its type and on the field that holds it: test it once.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|ex| seen.insert((ex.ty.clone(), ex.value.to_string())));
    out
}

fn collect_all(api: &Api) -> Vec<Example<'_>> {
    let mut out = Vec::new();
    for def in api.types.iter() {
        if matches!(def.kind, TypeKind::Outcomes(_)) {
            continue;
        }
        if let Some(ex) = &def.docs.example {
            out.push(Example { origin: def.origin.clone(), ty: TypeRef::Named(def.id, vec![]), value: ex });
        }
        if let TypeKind::Struct(s) = &def.kind {
            for f in &s.fields {
                let Some(ex) = &f.docs.example else { continue };
                let inner = match &f.ty {
                    TypeRef::Option(i) => (**i).clone(),
                    other => other.clone(),
                };
                if contains_param(&inner) || (ex.is_null() && !matches!(inner, TypeRef::Json)) {
                    continue;
                }
                out.push(Example { origin: f.origin.clone(), ty: inner, value: ex });
            }
        }
    }
    for op in &api.operations {
        for r in op.success.iter().chain(&op.errors) {
            let Some(body) = &r.body else { continue };
            if body.format != BodyFormat::Json {
                continue;
            }
            for (name, ex) in &body.examples {
                out.push(Example {
                    origin: format!("{} ({} example `{name}`)", r.origin, op.api_name),
                    ty: body.ty.clone(),
                    value: ex,
                });
            }
        }
    }
    out
}

/// Whether the spec has any example to test (removing repeats never empties the list, so the
/// examples need not be compared here).
pub(crate) fn has_examples(api: &Api) -> bool {
    !collect_all(api).is_empty()
}

/// The test module, or `None` when the spec has no examples.
pub(crate) fn emit_example_tests(api: &Api) -> Option<TokenStream> {
    let examples = collect(api);
    if examples.is_empty() {
        return None;
    }
    let names = StdNames::new(["Value"]);
    let imports = names.imports();
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: true };
    let mut names = crate::naming::Scope::new();
    let tests = examples.iter().map(|ex| {
        // Named after the last meaningful pointer segments: `example_user_sequencer_client_id`.
        let words: Vec<&str> = ex
            .origin
            .split([' ', '/'])
            .filter(|s| !s.is_empty() && !["components", "schemas", "properties", "content", "schema", "responses", "paths", "example"].contains(s))
            .collect();
        let tail = words[words.len().saturating_sub(4)..].join(" ");
        let name = names.claim(&crate::naming::value_ident(&format!("example {tail}")));
        let name = format_ident!("{}", name);
        let t = ty(&ex.ty, cx);
        let json = Literal::string(&serde_json::to_string_pretty(ex.value).unwrap_or_default());
        // The test needs every feature-gated type it names.
        let mut named = std::collections::BTreeSet::new();
        ex.ty.all_names(&mut named);
        let conditions: Vec<TokenStream> = named
            .iter()
            .map(|id| &api.types.get(*id).features)
            .filter_map(|f| super::cfg_predicate(f))
            .map(|p| p.to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|p| p.parse().expect("invariant: a predicate we printed parses"))
            .collect();
        let cfg = match conditions.as_slice() {
            [] => quote!(),
            [one] => quote!(#[cfg(#one)]),
            many => quote!(#[cfg(all(#( #many ),*))]),
        };
        let doc = format!(" From `#{}`.", ex.origin);
        // A type that is only received implements `Serialize` with `full-serde` only: without
        // it, its example is decoded but not re-encoded.
        let check = if named.iter().all(|id| api.types.get(*id).serializes()) {
            quote!(roundtrip::<#t>(#json);)
        } else {
            let full_serde = crate::ir::FULL_SERDE_FEATURE;
            quote! {
                #[cfg(feature = #full_serde)]
                roundtrip::<#t>(#json);
                #[cfg(not(feature = #full_serde))]
                decodes::<#t>(#json);
            }
        };
        quote! {
            #[doc = #doc]
            #cfg
            #[test]
            fn #name() {
                #check
            }
        }
    });
    Some(quote! {
        //! Every JSON example in the API description decodes into its generated type and
        //! re-encodes to equal JSON.
        #![allow(clippy::needless_raw_string_hashes)]

        use serde_json::Value;
        #[allow(unused_imports)]
        use crate::types;
        #imports

        /// Decodes `json` as `T`.
        #[allow(dead_code)]
        fn decodes<T: serde::de::DeserializeOwned>(json: &str) {
            if let Err(e) = serde_json::from_str::<T>(json) {
                panic!("the example does not decode: {e}\n{json}");
            }
        }

        /// Decodes `json` as `T`, re-encodes it and compares the two JSON values.
        #[allow(dead_code)]
        fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
            let expected: Value = serde_json::from_str(json).expect("the example is JSON");
            let decoded: T = match serde_json::from_value(expected.clone()) {
                Ok(v) => v,
                Err(e) => panic!("the example does not decode: {e}\n{json}"),
            };
            let encoded = serde_json::to_value(&decoded).expect("a decoded value encodes");
            assert!(same(&expected, &encoded), "re-encoded JSON differs:\nexpected {expected}\nencoded  {encoded}");
        }

        /// JSON equality where numbers compare by value, date-times by instant, and an object
        /// member set to `null` equals an absent one.
        fn same(a: &Value, b: &Value) -> bool {
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
                (Value::String(x), Value::String(y)) => {
                    x == y
                        || matches!(
                            (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)),
                            (Ok(p), Ok(q)) if p == q
                        )
                }
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
                (Value::Object(x), Value::Object(y)) => {
                    let covered = |m: &serde_json::Map<String, Value>, n: &serde_json::Map<String, Value>| {
                        m.iter().all(|(k, v)| match n.get(k) {
                            Some(w) => same(v, w),
                            None => v.is_null(),
                        })
                    };
                    covered(x, y) && covered(y, x)
                }
                _ => a == b,
            }
        }

        #( #tests )*
    })
}
