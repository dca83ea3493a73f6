//! Generated names are stable: a published crate must not rename or reshape its types when only
//! the spec's examples change, or when an operation that shares nothing with the others is added.
//! The public API is compared as the generated items with their docs left out (docs show the
//! examples), and the diff must agree that nothing breaks.

use quote::ToTokens;
use sdkgen::diff::{diff, Spec};
use std::collections::BTreeMap;

fn generate(spec: &str) -> sdkgen::Generated {
    sdkgen::generate(spec.as_bytes(), &sdkgen::GenerateOptions::default())
        .unwrap_or_else(|d| panic!("{}", d.render("spec.yaml")))
}

/// Every public item of the generated crate's Rust files, by file and name, without doc
/// attributes: what user code can depend on.
fn public_api(g: &sdkgen::Generated) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, text) in &g.files {
        if !path.ends_with(".rs") || path.contains("example_tests") {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (i, mut item) in file.items.into_iter().enumerate() {
            strip_docs(&mut item);
            let name = match &item {
                syn::Item::Struct(s) => s.ident.to_string(),
                syn::Item::Enum(e) => e.ident.to_string(),
                syn::Item::Type(t) => t.ident.to_string(),
                syn::Item::Fn(f) => f.sig.ident.to_string(),
                _ => format!("#{i}"),
            };
            out.insert(format!("{path}::{name}"), item.to_token_stream().to_string());
        }
    }
    out
}

fn strip_docs(item: &mut syn::Item) {
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
            attrs.retain(|a| !a.path().is_ident("doc"));
        }
        fn visit_field_mut(&mut self, f: &mut syn::Field) {
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            syn::visit_mut::visit_field_mut(self, f);
        }
        fn visit_variant_mut(&mut self, v: &mut syn::Variant) {
            v.attrs.retain(|a| !a.path().is_ident("doc"));
            syn::visit_mut::visit_variant_mut(self, v);
        }
        fn visit_item_mut(&mut self, i: &mut syn::Item) {
            if let Some(attrs) = item_attrs(i) {
                attrs.retain(|a| !a.path().is_ident("doc"));
            }
            syn::visit_mut::visit_item_mut(self, i);
        }
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }
    fn item_attrs(i: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
        Some(match i {
            syn::Item::Struct(s) => &mut s.attrs,
            syn::Item::Enum(e) => &mut e.attrs,
            syn::Item::Type(t) => &mut t.attrs,
            syn::Item::Fn(f) => &mut f.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Mod(m) => &mut m.attrs,
            syn::Item::Macro(m) => &mut m.attrs,
            _ => return None,
        })
    }
    syn::visit_mut::VisitMut::visit_item_mut(&mut Strip, item);
}

/// Two list operations whose actions have the same shape, so lowering merges them into one
/// type, and a `started` timestamp whose example differs per operation in `{B}`.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Stable, version: '1'}
paths:
  /servers/actions:
    get:
      operationId: listServerActions
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  action:
                    type: object
                    properties:
                      id: {type: integer, example: 42}
                      started: {type: string, format: date-time, example: '2016-01-30T23:50:00Z'}
  /volumes/actions:
    get:
      operationId: listVolumeActions
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  action:
                    type: object
                    properties:
                      id: {type: integer, example: 42}
                      started: {type: string, format: date-time, example: '{B}'}
"#;

fn spec(example: &str) -> String {
    SPEC.replace("{B}", example)
}

#[test]
fn changing_only_examples_leaves_the_public_api_identical() {
    let (a, b) = (spec("2016-01-30T23:50:00Z"), spec("2024-07-01T08:00:00Z"));
    let (ga, gb) = (generate(&a), generate(&b));
    // The two actions are one type in both versions, whatever their examples say.
    assert!(ga.api.types.iter().any(|d| d.merged_into.is_some()), "the fixture must exercise merging");
    assert_eq!(public_api(&ga), public_api(&gb));
    let report = diff(&Spec::load(a.as_bytes()).unwrap(), &Spec::load(b.as_bytes()).unwrap());
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
}

/// A new first operation with a shape of its own.
const UNRELATED: &str = r#"paths:
  /zones:
    get:
      operationId: listZones
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  zones: {type: array, items: {type: object, properties: {name: {type: string}}}}
"#;

#[test]
fn adding_an_unrelated_operation_changes_no_existing_item() {
    let old = spec("2016-01-30T23:50:00Z");
    let new = old.replacen("paths:\n", UNRELATED, 1);
    let (before, after) = (public_api(&generate(&old)), public_api(&generate(&new)));
    for (name, item) in &before {
        if name.contains("::#") {
            continue; // impl blocks and the like, which list every operation
        }
        assert_eq!(after.get(name), Some(item), "{name} changed");
    }
    let report = diff(&Spec::load(old.as_bytes()).unwrap(), &Spec::load(new.as_bytes()).unwrap());
    assert!(!report.is_breaking(), "{:#?}", report.changes);
}

#[test]
fn an_operation_sharing_a_merged_shape_breaks_nothing() {
    // The new first operation's action has the same shape as the others': it becomes the type
    // the others alias, which user code cannot tell from before.
    let old = spec("2016-01-30T23:50:00Z");
    let first = SPEC.split("  /volumes/actions:").next().unwrap().replace("/servers/actions", "/images/actions");
    let first = first.replace("listServerActions", "listImageActions");
    let new = old.replacen("paths:\n", &first[first.find("paths:\n").unwrap()..], 1);
    let report = diff(&Spec::load(old.as_bytes()).unwrap(), &Spec::load(new.as_bytes()).unwrap());
    assert!(!report.is_breaking(), "{:#?}", report.changes);
    let g = generate(&new);
    for name in ["ListServerActionsResponseAction", "ListVolumeActionsResponseAction"] {
        assert!(g.api.types.iter().any(|d| d.rust_name == name && d.merged_into.is_some()), "{name}");
    }
}

/// The names of the generated types (structs, enums and aliases in `types.rs`).
fn type_names(g: &sdkgen::Generated) -> Vec<String> {
    let mut names: Vec<String> = public_api(g)
        .keys()
        .filter_map(|k| k.strip_prefix("src/types.rs::"))
        .filter(|n| !n.starts_with('#'))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// Two operations whose responses have the same inline enum (so lowering shares it).
const ENUMS: &str = r#"
openapi: 3.0.3
info: {title: Enums, version: '1'}
paths:
  /issues:
    get:
      operationId: listIssues
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [open, closed]}
  /pulls:
    get:
      operationId: listPulls
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [open, closed]}
"#;

#[test]
fn adding_an_enum_value_keeps_the_type_names() {
    // Anthropic's `UserOrAssistant` became `UserOrAssistantOrSystem` when a value was added: a
    // shared enum is named by where it is defined, not by its values.
    let new = ENUMS.replace("enum: [open, closed]", "enum: [open, closed, draft]");
    let (old_g, new_g) = (generate(ENUMS), generate(&new));
    assert!(old_g.api.types.iter().any(|d| d.merged_into.is_some()), "the fixture must share the enum");
    assert_eq!(type_names(&old_g), type_names(&new_g));
    let report = diff(&Spec::load(ENUMS.as_bytes()).unwrap(), &Spec::load(new.as_bytes()).unwrap());
    assert!(!report.is_breaking(), "{}", report.render_text());
}

/// A response that is a union of a `$ref`, a tagged object, two untagged objects and a string.
const UNION: &str = r#"
openapi: 3.0.3
info: {title: Unions, version: '1'}
paths:
  /things:
    get:
      operationId: getThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf:
#INSERT
                  - $ref: '#/components/schemas/Card'
                  - type: object
                    properties:
                      type: {type: string, enum: [wallet]}
                      balance: {type: integer}
                  - type: object
                    properties:
                      iban: {type: string}
                  - type: object
                    properties:
                      routing_number: {type: string}
                  - type: string
components:
  schemas:
    Card:
      type: object
      properties:
        last4: {type: string}
"#;

/// The variants of the union type `name` (by Rust name, in order).
fn variants(g: &sdkgen::Generated, name: &str) -> Vec<String> {
    let def = g.api.types.iter().find(|d| d.rust_name == name).unwrap_or_else(|| panic!("no type {name}"));
    match &def.kind {
        sdkgen::ir::TypeKind::Union(u) => u.variants.iter().map(|v| v.rust_name.clone()).collect(),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn inserting_a_union_member_renames_no_other() {
    let old = generate(&UNION.replace("#INSERT\n", ""));
    let before = variants(&old, "GetThingResponse");
    assert_eq!(before, ["Card", "Wallet", "ObjectIban", "ObjectRoutingNumber", "String"]);
    // At the front, a string of another format, an object and a schema without a type: each
    // existing member keeps its name (and so does the type lowered for it).
    let inserted = "                  - type: object\n                    properties:\n                      email: {type: string}\n                  - type: string\n                    format: date-time\n                  - {}\n";
    let new = generate(&UNION.replace("#INSERT\n", inserted));
    let after = variants(&new, "GetThingResponse");
    for name in &before {
        assert!(after.contains(name), "{name} was renamed: {after:?}");
    }
    let (old_types, new_types) = (type_names(&old), type_names(&new));
    for name in &old_types {
        assert!(new_types.contains(name), "type {name} was renamed");
    }
}

#[test]
fn an_earlier_operation_with_a_merged_shape_takes_over_no_type() {
    // Which type of a merged class is the `struct` depends on the class (its shortest name), not
    // on which operation comes first: a new first operation whose action has the same shape
    // (and a longer name) leaves every existing item as it was, struct and aliases alike.
    let old = spec("2016-01-30T23:50:00Z");
    let first =
        SPEC.split("  /volumes/actions:").next().unwrap().replace("/servers/actions", "/load_balancers/actions");
    let first = first.replace("listServerActions", "listLoadBalancerActions");
    let new = old.replacen("paths:\n", &first[first.find("paths:\n").unwrap()..], 1);
    let (before, after) = (public_api(&generate(&old)), public_api(&generate(&new)));
    assert!(after.contains_key("src/types.rs::ListLoadBalancerActionsResponseAction"));
    for (name, item) in &before {
        if name.contains("::#") {
            continue;
        }
        assert_eq!(after.get(name), Some(item), "{name} changed");
    }
}
