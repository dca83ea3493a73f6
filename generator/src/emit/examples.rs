//! `src/example_tests.rs`: every JSON example in the spec becomes a unit test of the generated
//! crate that decodes the example into its generated type and re-encodes it to equal JSON.
//!
//! The examples are the API vendor's own statement of what goes on the wire, so a generated type
//! that cannot hold one is a generator bug this catches in the crate's own `cargo test`.
//!
//! The tests are most of the file (4 MB of JSON literals for GitHub's spec) and all alike:
//! [`tests_text`] writes them as the final text ([`test_text`]), a piece of the file that skips
//! building, parsing and printing tokens. A test whose layout that writer is not sure of is
//! formatted from its tokens ([`test_tokens`]); so are the few items before the tests
//! ([`emit_header`]).

use super::{cfg_predicate, text_enabled, ty, StdNames, TyCtx, MARGIN, TEXT_MAX_LINE};
use crate::format::{attribute_text, format_rust};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// An example, where the spec gives it, and the type it is an example of.
struct Example<'a> {
    origin: Cow<'a, str>,
    ty: Cow<'a, TypeRef>,
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

/// The examples to test, each with its pretty JSON (the value of the test's literal), written
/// one after another in `arena`: one buffer, rather than an allocation per example (the memory
/// first touched is a good part of the cost of a file of megabytes).
fn collect<'a>(api: &'a Api, arena: &'a mut Vec<u8>) -> Vec<(Example<'a>, &'a str)> {
    let mut all = Vec::new();
    for ex in examples(api) {
        let start = arena.len();
        if serde_json::to_writer_pretty(&mut *arena, ex.value).is_err() {
            arena.truncate(start);
        }
        all.push((ex, start..arena.len()));
    }
    let arena: &'a [u8] = arena;
    let all: Vec<(Example<'a>, &'a str)> =
        all.into_iter().map(|(ex, range)| (ex, std::str::from_utf8(&arena[range]).unwrap_or_default())).collect();
    // A schema's example is seen both on its type and on the field that holds it: test it once.
    // Two values have the same pretty JSON exactly when they have the same compact JSON (the
    // two differ only in whitespace outside strings), and the pretty one is needed anyway. (An
    // ordered set compares the texts where a hash set would hash them whole.)
    let mut seen = BTreeSet::new();
    let first: Vec<bool> = all.iter().map(|(ex, json)| seen.insert((&*ex.ty, *json))).collect();
    all.into_iter().zip(first).filter_map(|(ex, first)| first.then_some(ex)).collect()
}

/// Every example in the spec, repeats included, in the order of the tests. Lazy, so that
/// [`has_examples`] stops at the first one.
fn examples(api: &Api) -> impl Iterator<Item = Example<'_>> {
    let of_types = api.types.iter().filter(|def| !matches!(def.kind, TypeKind::Outcomes(_))).flat_map(|def| {
        let own = def.docs.example.as_ref().map(|value| Example {
            origin: Cow::Borrowed(def.origin.as_str()),
            ty: Cow::Owned(TypeRef::Named(def.id, vec![])),
            value,
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
            Some(Example { origin: Cow::Borrowed(f.origin.as_str()), ty: Cow::Borrowed(inner), value })
        });
        own.into_iter().chain(of_fields)
    });
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
                })
            })
    });
    of_types.chain(of_responses)
}

/// Whether the spec has any example to test (removing repeats never empties the list, so the
/// examples need not be compared here).
pub(crate) fn has_examples(api: &Api) -> bool {
    examples(api).next().is_some()
}

/// One test, as both writers need it.
struct Test<'a> {
    /// The doc comment's value: ` From `#/pointer`.`.
    doc: String,
    /// The `#[cfg(..)]` of the types the test names, if any is feature-gated.
    cfg: Option<Rc<Cfg>>,
    name: String,
    /// The example's type.
    ty: TokenStream,
    /// The example's pretty JSON (the value of a string literal).
    json: &'a str,
    /// Whether every type the test names implements `Serialize` without `full-serde`.
    serializes: bool,
}

/// A test's `#[cfg(..)]`: the attribute's tokens, and their text as formatted.
struct Cfg {
    tokens: TokenStream,
    /// `None` when tests are not written as text, or formatting the attribute failed.
    text: Option<String>,
}

/// The `#[cfg(..)]` of each combination of feature sets the tests name, made once (many tests
/// share one): keyed by the types' feature sets, in order and without repeats.
struct Cfgs<'a> {
    as_text: bool,
    made: HashMap<Vec<&'a [String]>, Rc<Cfg>>,
}

impl<'a> Cfgs<'a> {
    fn get(&mut self, sets: Vec<&'a [String]>) -> Rc<Cfg> {
        let as_text = self.as_text;
        let cfg = self.made.entry(sets).or_insert_with_key(|sets| {
            let tokens = cfg_attr(sets);
            let text = if as_text { attribute_text(tokens.clone()).ok() } else { None };
            Rc::new(Cfg { tokens, text })
        });
        Rc::clone(cfg)
    }
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
/// follow, from [`tests_text`]).
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

/// The tests, formatted (empty when the spec has no examples).
pub(crate) fn tests_text(api: &Api) -> Result<String, String> {
    write_tests(api, text_enabled())
}

/// The tests, each written as text where `as_text` and [`test_text`] can, else formatted from
/// its tokens (a top-level item is formatted the same alone as among others).
fn write_tests(api: &Api, as_text: bool) -> Result<String, String> {
    let mut arena = Vec::new();
    let examples = collect(api, &mut arena);
    // As in `emit_header`, which imports `Value` itself.
    let names = StdNames::new(["Value"]);
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: true };
    let attrs = if as_text { StatementAttrs::new() } else { None };
    let mut cfgs = Cfgs { as_text, made: HashMap::new() };
    let mut scope = crate::naming::Scope::new();
    // Room for the literals (a fifth of pretty JSON is escapes, about) and a few lines per test,
    // so that the text is not moved as it grows.
    let mut out = String::with_capacity(examples.iter().map(|(_, json)| json.len() * 5 / 4 + 256).sum());
    for (ex, json) in &examples {
        let test = new_test(api, ex, json, cx, &mut scope, &mut cfgs);
        if let Some(attrs) = &attrs {
            let start = out.len();
            if test_text(&test, attrs, &mut out).is_some() {
                continue;
            }
            out.truncate(start);
        }
        out.push_str(&format_rust(test_tokens(&test))?);
    }
    Ok(out)
}

/// The test of an example whose pretty JSON is `json`, named in `scope`.
fn new_test<'a>(
    api: &'a Api,
    ex: &Example<'_>,
    json: &'a str,
    cx: TyCtx<'_>,
    scope: &mut crate::naming::Scope,
    cfgs: &mut Cfgs<'a>,
) -> Test<'a> {
    // Named after the last meaningful pointer segments: `example_user_sequencer_client_id`.
    let words: Vec<&str> = ex
        .origin
        .split([' ', '/'])
        .filter(|s| !s.is_empty() && !["components", "schemas", "properties", "content", "schema", "responses", "paths", "example"].contains(s))
        .collect();
    let tail = words[words.len().saturating_sub(4)..].join(" ");
    let name = scope.claim(&crate::naming::value_ident(&format!("example {tail}")));
    // The test needs every feature-gated type it names.
    let mut named = BTreeSet::new();
    ex.ty.all_names(&mut named);
    let sets: BTreeSet<&[String]> =
        named.iter().map(|id| api.types.get(*id).features.as_slice()).filter(|f| !f.is_empty()).collect();
    Test {
        doc: format!(" From `#{}`.", ex.origin),
        cfg: (!sets.is_empty()).then(|| cfgs.get(sets.into_iter().collect())),
        name,
        ty: ty(&ex.ty, cx),
        json,
        serializes: named.iter().all(|id| api.types.get(*id).serializes()),
    }
}

/// A test as tokens (what [`test_text`] writes as text).
fn test_tokens(test: &Test<'_>) -> TokenStream {
    let Test { doc, cfg, name, ty, json, serializes } = test;
    let name = format_ident!("{}", name);
    let json = Literal::string(json);
    let cfg = cfg.as_ref().map(|cfg| &cfg.tokens);
    let check = if *serializes {
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
        #[doc = #doc]
        #cfg
        #[test]
        fn #name() {
            #check
        }
    }
}

/// The `full-serde` attributes of the two statements of a test of a type only received, as
/// formatted (each on one line).
struct StatementAttrs {
    with: String,
    without: String,
}

impl StatementAttrs {
    fn new() -> Option<Self> {
        let line = |enabled| {
            let text = attribute_text(full_serde_cfg(enabled)).ok()?;
            let line = text.strip_suffix('\n')?;
            (!line.contains('\n')).then(|| line.to_string())
        };
        Some(StatementAttrs { with: line(true)?, without: line(false)? })
    }
}

/// The text formatting [`test_tokens`] gives, or `None` where this writer is not sure of it
/// (then `out` holds a part of the test, which the caller cuts).
fn test_text(test: &Test<'_>, attrs: &StatementAttrs, out: &mut String) -> Option<()> {
    // A doc attribute is printed as `///` and its value when the value is one line that does
    // not start with `/`, and ends with no space.
    if test.doc.contains(['\n', '\r']) || test.doc.starts_with('/') || test.doc.ends_with(' ') {
        return None;
    }
    out.push_str("///");
    out.push_str(&test.doc);
    out.push('\n');
    if let Some(cfg) = &test.cfg {
        out.push_str(cfg.text.as_deref()?);
    }
    out.push_str("#[test]\n");
    out.push_str("fn ");
    out.push_str(&test.name);
    out.push_str("() {\n");
    let mut ty = String::new();
    type_text(test.ty.clone(), &mut ty)?;
    let mut json = String::with_capacity(test.json.len() * 5 / 4 + 2);
    push_string_literal(test.json, &mut json);
    if test.serializes {
        call_text(None, "roundtrip", &ty, &json, out)?;
    } else {
        call_text(Some(&attrs.with), "roundtrip", &ty, &json, out)?;
        call_text(Some(&attrs.without), "decodes", &ty, &json, out)?;
    }
    out.push_str("}\n");
    Some(())
}

/// The statement `func::<ty>(lit);` of a test's body, after `attr` (an outer attribute of the
/// statement) if any, laid out as prettyplease does; `None` when the type could be broken.
///
/// prettyplease prints the type argument and the call's argument each in a box that is broken
/// (put on a line of its own, with a trailing comma) when the text from the box's start to the
/// statement's end does not fit in the rest of the line:
///
/// - the type's box starts right after `func::<`, so it breaks when the statement is longer than
///   the line, and leaves `>(` at the start of the next line;
/// - the argument's box then starts after that `>(`, and breaks when `lit);` does not fit after
///   it;
/// - the attribute is followed by a space that breaks when the statement does not fit after it.
///
/// The literal is never broken, however long. A type with generic arguments could be broken
/// inside them where its line is long.
fn call_text(attr: Option<&str>, func: &str, ty: &str, lit: &str, out: &mut String) -> Option<()> {
    // The statement's indentation, and that of a broken box's content.
    const INDENT: usize = super::pretty::INDENT as usize;
    const INNER: usize = 8;
    let push = |out: &mut String, parts: &[&str]| parts.iter().for_each(|part| out.push_str(part));
    let flat = func.len() + "::<".len() + ty.len() + ">(".len() + lit.len() + ");".len();
    match attr {
        Some(attr) if INDENT + attr.len() + " ".len() + flat <= MARGIN => {
            push(out, &["    ", attr, " ", func, "::<", ty, ">(", lit, ");\n"]);
            return Some(());
        }
        Some(attr) => push(out, &["    ", attr, "\n"]),
        None => {}
    }
    if INDENT + flat <= MARGIN {
        push(out, &["    ", func, "::<", ty, ">(", lit, ");\n"]);
    } else if INNER + ty.len() + ",".len() > TEXT_MAX_LINE {
        return None;
    } else if INDENT + ">(".len() + lit.len() + ");".len() <= MARGIN {
        push(out, &["    ", func, "::<\n        ", ty, ",\n    >(", lit, ");\n"]);
    } else {
        push(out, &["    ", func, "::<\n        ", ty, ",\n    >(\n        ", lit, ",\n    );\n"]);
    }
    Some(())
}

/// Writes the text of `Literal::string(value)`, which formatting prints as it is.
///
/// proc_macro2 escapes the value a char at a time with `char::escape_debug`: printable ASCII
/// stays as it is but for `"` and `\`, which get a backslash, as line breaks do. Pretty JSON is
/// mostly those, written here by runs. Any other char is escaped the same way, but for `\0`,
/// escaped one way or another after the char that follows it: a value holding one is left to
/// `Literal::string`.
fn push_string_literal(value: &str, out: &mut String) {
    let start = out.len();
    out.push('"');
    let bytes = value.as_bytes();
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        let escape = match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b' '..=b'~' => {
                i += 1;
                continue;
            }
            _ => "",
        };
        out.push_str(&value[copied..i]);
        if escape.is_empty() {
            // `i` is at a char boundary: it only ever moves past whole chars.
            let Some(c) = value[i..].chars().next() else { break };
            if c == '\0' {
                out.truncate(start);
                out.push_str(&Literal::string(value).to_string());
                return;
            }
            out.extend(c.escape_debug());
            i += c.len_utf8();
        } else {
            out.push_str(escape);
            i += 1;
        }
        copied = i;
    }
    out.push_str(&value[copied..]);
    out.push('"');
}


/// A type's tokens as prettyplease prints them, for the simple shapes an example's type has
/// (paths with generic arguments); `None` for anything else (the test is then formatted from
/// its tokens).
fn type_text(tokens: TokenStream, out: &mut String) -> Option<()> {
    use proc_macro2::{Spacing, TokenTree};
    let mut colons = 0;
    for tt in tokens {
        match tt {
            TokenTree::Ident(id) => {
                if colons == 1 {
                    return None;
                }
                colons = 0;
                out.push_str(&id.to_string());
            }
            TokenTree::Punct(p) => match p.as_char() {
                ':' => {
                    colons += 1;
                    if colons == 1 && p.spacing() != Spacing::Joint {
                        return None;
                    }
                    if colons == 2 {
                        out.push_str("::");
                    }
                }
                '<' => out.push('<'),
                '>' => out.push('>'),
                ',' => out.push_str(", "),
                _ => return None,
            },
            _ => return None,
        }
    }
    (colons == 0).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{format_rust_chunked, CHUNK_ITEMS};

    fn cfg(cfgs: &mut Cfgs<'static>, sets: &[&'static [String]]) -> Option<Rc<Cfg>> {
        (!sets.is_empty()).then(|| cfgs.get(sets.to_vec()))
    }

    /// Checks [`test_text`] against formatting [`test_tokens`]; whether it wrote the test.
    fn check(test: &Test<'_>) -> bool {
        let attrs = StatementAttrs::new().expect("the full-serde attributes format on one line");
        let mut text = "// before\n".to_string();
        let expected = format_rust(test_tokens(test)).unwrap();
        match test_text(test, &attrs, &mut text) {
            Some(()) => {
                assert_eq!(text.strip_prefix("// before\n"), Some(expected.as_str()), "{}", test.name);
                true
            }
            None => false,
        }
    }

    fn features(names: &[&str]) -> &'static [String] {
        Vec::leak(names.iter().map(|n| n.to_string()).collect())
    }

    /// The statements at every length around those where prettyplease breaks them: with short
    /// and long types, generic ones, `full-serde` attributes, and literals that fit on the line,
    /// after `>(`, or on no line.
    #[test]
    fn statements_at_every_length() {
        let long = "A".repeat(60);
        let types = [
            "String".to_string(),
            "i64".to_string(),
            "types::Pet".to_string(),
            "DateTime<Utc>".to_string(),
            "::serde_json::Value".to_string(),
            "Vec<types::Pet>".to_string(),
            "BTreeMap<String, Vec<types::PetWithAName>>".to_string(),
            "types::Page<types::Pet, Vec<i64>>".to_string(),
            format!("types::{long}"),
            format!("Vec<types::{long}>"),
            "()".to_string(),
        ];
        let mut cfgs = Cfgs { as_text: true, made: HashMap::new() };
        let gated = cfg(&mut cfgs, &[features(&["pets"])]);
        let (mut written, mut all) = (0, 0);
        for ty in &types {
            let tokens: TokenStream = ty.parse().unwrap();
            for len in 0..=100 {
                let json = format!("\"{}\"", "x".repeat(len));
                for serializes in [true, false] {
                    let test = Test {
                        doc: " From `#/components/schemas/Pet`.".into(),
                        cfg: if len % 2 == 0 { None } else { gated.clone() },
                        name: "example_pet".into(),
                        ty: tokens.clone(),
                        json: &json,
                        serializes,
                    };
                    written += usize::from(check(&test));
                    all += 1;
                }
            }
        }
        // Only the unit type and the generic one too long for its line are declined.
        assert_eq!(written, all - 2 * 2 * 101, "of {all}");
    }

    /// Odd names, docs, `#[cfg]`s and literals, each written as formatting would, or declined.
    #[test]
    fn odd_tests() {
        let mut cfgs = Cfgs { as_text: true, made: HashMap::new() };
        let long_features =
            features(&["security-advisories", "dependabot", "a-rather-long-feature-name", "unreferenced-schemas"]);
        let cfg_sets: Vec<Vec<&'static [String]>> = vec![
            vec![],
            vec![features(&["meta"])],
            vec![features(&["apps", "orgs"])],
            vec![long_features],
            vec![features(&["meta"]), features(&["apps", "orgs"])],
            vec![features(&["zeta"]), features(&["apps", "orgs"]), features(&["b"]), long_features],
            vec![features(&["a-very-long-feature-name-that-on-its-own-is-almost-as-wide-as-the-line-xx"])],
        ];
        let big = serde_json::to_string_pretty(&serde_json::json!({
            "items": (0..2000).map(|i| serde_json::json!({ "id": i, "name": format!("item \"{i}\"") })).collect::<Vec<_>>()
        }))
        .unwrap();
        let jsons = [
            String::new(),
            "\"a \\\"quoted\\\" \\\\ back\\\\slash\"".to_string(),
            "\"#\" \"## r#\"raw\"# '\\n'".to_string(),
            "{\n  \"name\": \"Zo\u{e9} e\u{301} \u{200d} \u{feff} \u{1f600} \u{85} \u{2028}\"\n}".to_string(),
            "\"tab\tcarriage\rreturn nul\0 nul\u{0}7 del\u{7f} esc\u{1b}\"".to_string(),
            big,
        ];
        let names = [
            "example_a",
            "r#match",
            "example_tilde_1repos_tilde_1_owner_tilde_1_repo_tilde_1branches_tilde_1_branch_tilde_1protection_put",
        ];
        let docs = [
            " From `#/components/schemas/a`.",
            " From `#/paths/~1a/get/responses/200 (getA example `the \"one\"`)`.",
            " From `#/components/schemas/*/ and /* and \\ and \u{e9}`.",
        ];
        let line_break = " From `#/components/schemas/line\nbreak`.";
        let mut written = 0;
        for sets in &cfg_sets {
            let cfg = cfg(&mut cfgs, sets);
            for json in &jsons {
                for (name, doc) in names.iter().zip(docs).chain([(&names[0], line_break)]) {
                    for serializes in [true, false] {
                        let test = Test {
                            doc: doc.to_string(),
                            cfg: cfg.clone(),
                            name: name.to_string(),
                            ty: quote!(types::Pet),
                            json,
                            serializes,
                        };
                        written += usize::from(check(&test));
                    }
                }
            }
        }
        // Only the doc with a line break is declined.
        assert_eq!(written, cfg_sets.len() * jsons.len() * 3 * 2);
    }

    /// Every ASCII char, alone and before a digit, and chars from all over Unicode: the same text
    /// as `Literal::string`.
    #[test]
    fn string_literals() {
        let mut values: Vec<String> = (0..128u8).flat_map(|b| [format!("{}", b as char), format!("a{}1", b as char)]).collect();
        values.extend((0..0x11_0000).step_by(61).filter_map(char::from_u32).map(|c| format!("{c}x{c}")));
        values.extend(["", "\"#", "\u{301}", "e\u{301}", "\u{0}", "\u{0}8", "{\n  \"a\": \"b\"\n}"].map(String::from));
        for value in values {
            let mut text = String::new();
            push_string_literal(&value, &mut text);
            assert_eq!(text, Literal::string(&value).to_string(), "{value:?}");
        }
    }

    /// Examples of every kind (types, fields and responses; gated, received only, repeated,
    /// with odd strings, large), through the pipeline.
    fn spec() -> String {
        let items: Vec<String> = (0..300).map(|i| format!("{{ id: {i}, name: \"pet \\\"{i}\\\" \\\\ \" }}")).collect();
        let items = items.join(", ");
        format!(
            r###"
openapi: 3.0.3
info: {{ title: Examples, version: 1.0.0 }}
paths:
  /pets:
    get:
      tags: [pets, a-tag-with-a-rather-long-name-to-make-the-cfg-attribute-long, third]
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{ type: array, items: {{ $ref: '#/components/schemas/Pet' }} }}
              examples:
                one: {{ value: [{{ id: 1, name: "Rex \"the dog\" \\ é́ \"# \"## 😀" }}] }}
                many: {{ value: [{items}] }}
                "the \"odd\" one": {{ value: [] }}
        '404':
          description: missing
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/AVeryLongSchemaNameThatKeepsGoingAndGoingUntilTheLineIsLongerThanTheMargin' }}
              example: {{ x: "y" }}
    post:
      tags: [pets]
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {{ $ref: '#/components/schemas/Pet' }}
      responses:
        '204': {{ description: done }}
  /received:
    get:
      tags: [other]
      operationId: getReceived
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{ $ref: '#/components/schemas/Received' }}
              examples:
                short: {{ value: {{ value: a }} }}
                long: {{ value: {{ value: "a value long enough for the statement not to fit on one line of text" }} }}
                longer: {{ value: {{ value: "a value long enough for the literal not to fit on the line after the type, even alone" }} }}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      example: {{ id: 1, name: x }}
      properties:
        id: {{ type: integer, format: int64, example: 7 }}
        name: {{ type: string, example: "a \"quoted\" \\ name" }}
        tag: {{ type: string, nullable: true, example: null }}
        when: {{ type: string, format: date-time, example: "2020-01-01T00:00:00Z" }}
        type: {{ type: string, example: t }}
        "line\nbreak": {{ type: string, example: x }}
        weight: {{ type: number, example: -0.0 }}
        a_property_with_a_name_long_enough_to_make_the_name_of_its_test_long_too: {{ type: boolean, example: true }}
    Received:
      type: object
      deprecated: true
      example: {{ value: x }}
      properties:
        value: {{ type: string, example: x }}
    AVeryLongSchemaNameThatKeepsGoingAndGoingUntilTheLineIsLongerThanTheMargin:
      type: object
      example: {{ x: "y" }}
      properties:
        x: {{ type: string }}
    Kind:
      type: string
      enum: [a, b]
      example: a
"###
        )
    }

    /// The tests of generated crates, written as text, equal formatting the whole file's tokens
    /// at once (as the token path does), for the spec above, the vendored spec and the test specs.
    #[test]
    fn text_equals_formatted_file() {
        let specs = crate::emit::repo_specs(spec().into_bytes());
        let opts = crate::GenerateOptions { command: "sdkgen generate".into(), spec_label: "t".into(), ..Default::default() };
        let mut with_examples = 0;
        for (i, spec) in specs.iter().enumerate() {
            let api = crate::generate(spec, &opts).unwrap_or_else(|e| panic!("spec {i}: {e:?}")).api;
            let mut arena = Vec::new();
            let examples = collect(&api, &mut arena);
            if examples.is_empty() {
                continue;
            }
            with_examples += 1;
            let names = StdNames::new(["Value"]);
            let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: true };
            let mut cfgs = Cfgs { as_text: false, made: HashMap::new() };
            let mut scope = crate::naming::Scope::new();
            let mut tokens = emit_header();
            for (ex, json) in &examples {
                tokens.extend(test_tokens(&new_test(&api, ex, json, cx, &mut scope, &mut cfgs)));
            }
            let whole = format_rust_chunked(tokens, CHUNK_ITEMS).unwrap();
            let header = format_rust(emit_header()).unwrap();
            for as_text in [true, false] {
                let text = header.clone() + &write_tests(&api, as_text).unwrap();
                assert!(text == whole, "spec {i}, as_text {as_text}:\n{}", first_difference(&text, &whole));
            }
        }
        assert!(with_examples >= 3, "{with_examples}");
    }

    fn first_difference(a: &str, b: &str) -> String {
        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
        let show = |t: &str| t.lines().skip(line.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
        format!("{}\n---\n{}", show(a), show(b))
    }
}
