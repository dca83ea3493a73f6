//! Properties of `naming`: every spelling becomes a valid Rust identifier, every title a valid
//! crate name, a scope never hands out one name twice, and the mapping is a pure function of its
//! input.

use proptest::prelude::*;
use sdkgen::naming::{crate_name, crate_name_problem, type_ident, value_ident, Scope};

/// Spec spellings: any string, weighted toward what specs contain (ASCII words, symbols,
/// digits, keywords, separators).
fn spelling() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,12}",
        "[a-zA-Z0-9_ .+-]{0,10}",
        "[!-/:-@\\[-`{-~]{0,6}",
        prop::sample::select(vec![
            "type", "self", "Self", "super", "crate", "_", "r#type", "fn", "async", "gen", "try", "union", "1", "",
            "__", "-1", "+1", "Value", "value", "ümlaut", "日本",
        ])
        .prop_map(str::to_string),
    ]
}

fn is_ident(s: &str) -> bool {
    // `syn::Ident` rejects keywords and accepts raw identifiers such as `r#type`.
    syn::parse_str::<syn::Ident>(s).is_ok()
}

#[test]
fn syn_agrees_on_what_an_identifier_is() {
    assert!(is_ident("r#type") && is_ident("self_") && is_ident("_2fa") && is_ident("V1"));
    assert!(!is_ident("type") && !is_ident("r#self") && !is_ident("_") && !is_ident("1a") && !is_ident(""));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_spelling_is_a_valid_identifier(raw in spelling()) {
        let t = type_ident(&raw);
        let v = value_ident(&raw);
        prop_assert!(is_ident(&t), "type_ident({raw:?}) = {t:?}");
        prop_assert!(is_ident(&v), "value_ident({raw:?}) = {v:?}");
    }

    /// A title (a long one too) always gives a crate name cargo accepts.
    #[test]
    fn any_title_is_a_valid_crate_name(words in prop::collection::vec(spelling(), 0..30)) {
        let title = words.join(" ");
        let name = crate_name(&title);
        prop_assert_eq!(crate_name_problem(&name), None, "crate_name({:?}) = {:?}", title, name);
    }

    #[test]
    fn claimed_names_are_valid_and_distinct(raws in prop::collection::vec(spelling(), 0..40)) {
        for ident in [type_ident as fn(&str) -> String, value_ident] {
            let mut scope = Scope::new();
            let names: Vec<String> = raws.iter().map(|r| scope.claim(&ident(r))).collect();
            let unique: std::collections::BTreeSet<&String> = names.iter().collect();
            prop_assert_eq!(unique.len(), names.len(), "{:?} -> {:?}", raws, names);
            for n in &names {
                prop_assert!(is_ident(n), "{:?} -> {:?}", raws, n);
            }
        }
    }

    #[test]
    fn the_mapping_is_stable(raws in prop::collection::vec(spelling(), 0..20)) {
        prop_assert_eq!(raws.iter().map(|r| type_ident(r)).collect::<Vec<_>>(), raws.iter().map(|r| type_ident(r)).collect::<Vec<_>>());
        let claim_all = |raws: &[String]| {
            let mut scope = Scope::new();
            raws.iter().map(|r| scope.claim(&value_ident(r))).collect::<Vec<_>>()
        };
        prop_assert_eq!(claim_all(&raws), claim_all(&raws));
    }
}
