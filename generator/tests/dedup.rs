//! Types of one shape become aliases of the first (`lower/dedup.rs`).

use sdkgen::ir::{Api, TypeKind};

fn generate() -> sdkgen::Generated {
    let spec = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dedup/twins.yaml")).unwrap();
    sdkgen::generate(&spec, &sdkgen::GenerateOptions::default())
        .unwrap_or_else(|d| panic!("{}", d.render("twins.yaml")))
}

/// The type a Rust name is merged into, or itself.
fn target(api: &Api, name: &str) -> String {
    let def = api.types.iter().find(|d| d.rust_name == name).unwrap_or_else(|| panic!("no type {name}"));
    match def.merged_into {
        Some(t) => {
            assert!(matches!(def.kind, TypeKind::Alias(_)), "{name} is merged, so it is an alias");
            api.types.get(t).rust_name.clone()
        }
        None => name.to_string(),
    }
}

#[test]
fn twins_merge_into_the_first_and_nested_twins_from_the_leaves_up() {
    let g = generate();
    assert_eq!(target(&g.api, "GetAResponseSecond"), "GetAResponseFirst");
    assert_eq!(target(&g.api, "GetAResponseOuter1Inner"), "GetAResponseFirst");
    assert_eq!(target(&g.api, "GetAResponseOuter2"), "GetAResponseOuter1", "equal once their fields' types merged");
    let types = &g.files.iter().find(|(p, _)| p == "src/types.rs").unwrap().1;
    assert!(types.contains("pub type GetAResponseSecond = GetAResponseFirst;"), "{types}");
}

#[test]
fn different_field_docs_or_usage_keep_types_apart() {
    let g = generate();
    assert_eq!(target(&g.api, "GetAResponseThird"), "GetAResponseThird", "its field has its own description");
    assert_eq!(target(&g.api, "PostABody"), "PostABody", "sent, not received: its fields are written differently");
}
