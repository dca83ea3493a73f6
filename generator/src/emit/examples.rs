//! `src/example_tests.rs`: every JSON example in the spec becomes a unit test of the generated
//! crate that decodes the example into its generated type and re-encodes it to equal JSON.
//!
//! The examples are the API vendor's own statement of what goes on the wire, so a generated type
//! that cannot hold one is a generator bug this catches in the crate's own `cargo test`.
//!
//! The file is two pieces: the helpers the tests call ([`emit_header`]) and the tests
//! ([`emit_tests`]).

use super::{cfg_predicate, ty, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An example, where the spec gives it, and the type it is an example of.
struct Example<'a> {
    origin: Cow<'a, str>,
    ty: Cow<'a, TypeRef>,
    value: &'a serde_json::Value,
    /// Only decoded, never re-encoded: webhook payloads are only received, and their examples
    /// may hold properties the schema does not declare (GitHub's do), which decoding drops.
    decode_only: bool,
}

fn contains_param(t: &TypeRef) -> bool {
    match t {
        TypeRef::Param(_) => true,
        TypeRef::Named(_, args) => args.iter().any(contains_param),
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => contains_param(i),
        _ => false,
    }
}

/// The examples to test, each with its pretty JSON (the value of the test's literal). A schema's
/// example is seen both on its type and on the field that holds it: it is tested once.
fn collect(api: &Api) -> Vec<(Example<'_>, String)> {
    let mut seen = BTreeSet::new();
    examples(api)
        .filter_map(|ex| {
            let json = serde_json::to_string_pretty(ex.value).unwrap_or_default();
            seen.insert((ex.ty.clone().into_owned(), json.clone())).then_some((ex, json))
        })
        .collect()
}

/// Every example in the spec, repeats included, in the order of the tests. Lazy, so that
/// [`has_examples`] stops at the first one.
fn examples(api: &Api) -> impl Iterator<Item = Example<'_>> {
    // A replaced schema's examples are the user's type's business.
    let of_types =
        api.types.iter().filter(|def| !matches!(def.kind, TypeKind::Outcomes(_) | TypeKind::External(_))).flat_map(
            |def| {
                let own = def.docs.example.as_ref().map(|value| Example {
                    origin: Cow::Borrowed(def.origin.as_str()),
                    ty: Cow::Owned(TypeRef::Named(def.id, vec![])),
                    value,
                    decode_only: false,
                });
                let fields = match &def.kind {
                    TypeKind::Struct(s) => s.fields.as_slice(),
                    _ => &[],
                };
                let of_fields = fields.iter().filter_map(|f| {
                    let value = f.docs.example.as_ref()?;
                    let inner = match &f.ty {
                        TypeRef::Option(i) => &**i,
                        other => other,
                    };
                    if contains_param(inner) || (value.is_null() && !matches!(inner, TypeRef::Json)) {
                        return None;
                    }
                    Some(Example {
                        origin: Cow::Borrowed(f.origin.as_str()),
                        ty: Cow::Borrowed(inner),
                        value,
                        decode_only: false,
                    })
                });
                own.into_iter().chain(of_fields)
            },
        );
    let of_responses = api.operations.iter().flat_map(|op| {
        op.success
            .iter()
            .chain(&op.errors)
            .filter_map(|r| Some((r, r.body.as_ref().filter(|body| body.format == BodyFormat::Json)?)))
            .flat_map(move |(r, body)| {
                body.examples.iter().map(move |(name, value)| Example {
                    origin: Cow::Owned(format!("{} ({} example `{name}`)", r.origin, op.api_name)),
                    ty: Cow::Borrowed(&body.ty),
                    value,
                    decode_only: false,
                })
            })
    });
    let of_webhooks = api.webhooks.iter().flat_map(|hook| {
        hook.examples.iter().map(move |(name, value)| Example {
            origin: Cow::Owned(format!("{} (webhook example `{name}`)", hook.origin)),
            ty: Cow::Borrowed(&hook.payload),
            value,
            decode_only: true,
        })
    });
    of_types.chain(of_responses).chain(of_webhooks)
}

/// Whether the spec has any example to test (removing repeats never empties the list, so the
/// examples need not be compared here).
pub(crate) fn has_examples(api: &Api) -> bool {
    examples(api).next().is_some()
}

/// `#[cfg(..)]` requiring each feature set (one of its features): the sets' predicates in the
/// order of their text, the order this file always had.
fn cfg_attr(sets: &[&[String]]) -> TokenStream {
    let by_text: BTreeMap<String, TokenStream> =
        sets.iter().filter_map(|features| cfg_predicate(features)).map(|p| (p.to_string(), p)).collect();
    let conditions: Vec<TokenStream> = by_text.into_values().collect();
    match conditions.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(#one)]),
        many => quote!(#[cfg(all(#( #many ),*))]),
    }
}

/// `#[cfg(feature = "full-serde")]`, or its negation: a type that is only received implements
/// `Serialize` with `full-serde` only, so without it its example is decoded but not re-encoded.
fn full_serde_cfg(enabled: bool) -> TokenStream {
    let full_serde = FULL_SERDE_FEATURE;
    if enabled {
        quote!(#[cfg(feature = #full_serde)])
    } else {
        quote!(#[cfg(not(feature = #full_serde))])
    }
}

/// The module's docs, imports and the helpers the tests call (a few items, as tokens; the tests
/// follow, from [`emit_tests`]).
pub(crate) fn emit_header() -> TokenStream {
    let imports = StdNames::new(["Value"]).imports();
    quote! {
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
    }
}

/// The tests (none when the spec has no examples). A test names feature-gated types only
/// under their features; many tests share one `#[cfg(..)]`, which is made once.
pub(crate) fn emit_tests(api: &Api) -> TokenStream {
    // As in `emit_header`, which imports `Value` itself.
    let names = StdNames::new(["Value"]);
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: true };
    let mut cfgs: HashMap<Vec<&[String]>, TokenStream> = HashMap::new();
    let mut scope = crate::naming::Scope::new();
    collect(api).iter().map(|(ex, json)| emit_test(api, ex, json, cx, &mut scope, &mut cfgs)).collect()
}

/// The test of an example whose pretty JSON is `json`, named in `scope`.
fn emit_test<'a>(
    api: &'a Api,
    ex: &Example<'_>,
    json: &str,
    cx: TyCtx<'_>,
    scope: &mut crate::naming::Scope,
    cfgs: &mut HashMap<Vec<&'a [String]>, TokenStream>,
) -> TokenStream {
    // Named after the last meaningful pointer segments: `example_user_sequencer_client_id`.
    let words: Vec<&str> = ex
        .origin
        .split([' ', '/'])
        .filter(|s| {
            !s.is_empty()
                && !["components", "schemas", "properties", "content", "schema", "responses", "paths", "example"]
                    .contains(s)
        })
        .collect();
    let tail = words[words.len().saturating_sub(4)..].join(" ");
    let name = format_ident!("{}", scope.claim(&crate::naming::value_ident(&format!("example {tail}"))));
    // The test needs every feature-gated type it names.
    let mut named = BTreeSet::new();
    ex.ty.all_names(&mut named);
    let sets: BTreeSet<&[String]> =
        named.iter().map(|id| api.types.get(*id).features.as_slice()).filter(|f| !f.is_empty()).collect();
    let cfg = cfgs.entry(sets.into_iter().collect()).or_insert_with_key(|sets| cfg_attr(sets));
    let doc = super::docs::doc_attrs(&format!("From `#{}`.", ex.origin));
    let ty = ty(&ex.ty, cx);
    let check = if ex.decode_only {
        quote!(decodes::<#ty>(#json);)
    } else if named.iter().all(|id| api.types.get(*id).serializes()) {
        quote!(roundtrip::<#ty>(#json);)
    } else {
        let (with, without) = (full_serde_cfg(true), full_serde_cfg(false));
        quote! {
            #with
            roundtrip::<#ty>(#json);
            #without
            decodes::<#ty>(#json);
        }
    };
    quote! {
        #doc
        #cfg
        #[test]
        fn #name() {
            #check
        }
    }
}
