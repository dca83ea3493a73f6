//! Lowering's order (see `lower::lower_document`): the component schemas, then the operations;
//! types are numbered and named, and warnings given, in that order.

use sdkgen::ir::{Api, TypeId, TypeRef};

fn generate(spec: &str) -> sdkgen::Generated {
    sdkgen::generate(spec.as_bytes(), &sdkgen::GenerateOptions::default())
        .unwrap_or_else(|d| panic!("{}", d.render("spec.yaml")))
}

fn id_of(api: &Api, rust_name: &str) -> TypeId {
    api.types.iter().find(|d| d.rust_name == rust_name).unwrap_or_else(|| panic!("no type {rust_name}")).id
}

/// An operation whose inline response is named like a component schema, and a warning on
/// each side.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: getThing
      parameters:
        - {name: filter, in: query, schema: {$ref: '#/components/parameters/Filter/schema'}}
        - {name: never, in: query, schema: {not: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {a: {type: string}}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  parameters:
    Filter:
      name: filter
      in: query
      schema: {type: object, properties: {q: {type: string}}}
  schemas:
    GetThingResponse:
      type: object
      properties:
        inline: {type: object, properties: {x: {type: integer}}}
        never: {not: {type: string}}
"#;

#[test]
fn operation_types_follow_component_types_named_and_numbered_in_order() {
    let g = generate(SPEC);
    let names: Vec<&str> = g.api.types.iter().map(|d| d.rust_name.as_str()).collect();
    // The component, its inline property, then what the operation created.
    assert_eq!(names[..2], ["GetThingResponse", "GetThingResponseInline"], "{names:?}");
    assert_eq!(id_of(&g.api, "GetThingResponse2"), TypeId(names.len() - 1), "{names:?}");
    assert!(names.iter().all(|n| !n.is_empty()), "{names:?}");
    let op = &g.api.operations[0];
    assert_eq!(op.success_type, TypeRef::Named(id_of(&g.api, "GetThingResponse2"), vec![]));
    let warnings: Vec<&str> = g.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        warnings,
        ["/components/schemas/GetThingResponse/properties/never/not", "/paths/~1things/get/parameters/1/schema/not"],
        "the schemas' warnings come first"
    );
}

#[test]
fn a_schema_outside_components_reached_from_both_sides_is_one_type() {
    // The component schema refers to the parameter's schema too: a single pass lowers it with
    // the component schemas and the operation reuses it.
    let spec = SPEC.replace(
        "        never: {not: {type: string}}",
        "        never: {not: {type: string}}\n        filter: {$ref: '#/components/parameters/Filter/schema'}",
    );
    let g = generate(&spec);
    let shared: Vec<&str> =
        g.api.types.iter().filter(|d| d.api_name == "parameters Filter").map(|d| d.rust_name.as_str()).collect();
    assert_eq!(shared, ["ParametersFilter"]);
    let names: Vec<&str> = g.api.types.iter().map(|d| d.rust_name.as_str()).collect();
    assert_eq!(names[..3], ["GetThingResponse", "GetThingResponseInline", "ParametersFilter"], "{names:?}");
    let filter = id_of(&g.api, "ParametersFilter");
    assert_eq!(g.api.operations[0].params[0].ty, TypeRef::Named(filter, vec![]));
    assert_eq!(g.diagnostics.len(), 2, "{}", g.diagnostics);
}

/// Many component schemas, the first and the last far apart.
fn many_schemas(last: &str) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  parameters:\n    Filter: {name: filter, in: query, schema: {type: object, properties: {q: {type: string}}}}\n  schemas:\n",
    );
    spec.push_str("    Foo:\n      type: object\n      properties:\n        bar_baz: {type: object, properties: {a: {type: string}}}\n        filter: {$ref: '#/components/parameters/Filter/schema'}\n");
    for i in 0..100 {
        spec.push_str(&format!("    S{i}: {{type: object, properties: {{inner: {{type: object, properties: {{n: {{type: integer}}}}}}}}}}\n"));
    }
    spec.push_str(last);
    spec
}

#[test]
fn types_of_later_schemas_are_named_after_earlier_ones() {
    // `FooBar.baz` is named like `Foo.bar_baz` (`FooBarBaz`): the later one gets the suffix.
    let g = generate(&many_schemas("    FooBar:\n      type: object\n      properties:\n        baz: {type: object, properties: {b: {type: string}}}\n"));
    let named = |origin: &str| g.api.types.iter().find(|d| d.origin == origin).unwrap_or_else(|| panic!("no {origin}"));
    let first = named("/components/schemas/Foo/properties/bar_baz");
    let later = named("/components/schemas/FooBar/properties/baz");
    assert_eq!((first.rust_name.as_str(), later.rust_name.as_str()), ("FooBarBaz", "FooBarBaz2"));
    assert!(first.id < later.id);
    let inner: Vec<usize> =
        (0..100).map(|i| named(&format!("/components/schemas/S{i}/properties/inner")).id.0).collect();
    assert!(inner.windows(2).all(|w| w[0] < w[1]), "in the order of the schemas: {inner:?}");
}

#[test]
fn a_schema_outside_components_reached_from_two_schemas_is_one_type() {
    let g = generate(&many_schemas(
        "    Last: {type: object, properties: {filter: {$ref: '#/components/parameters/Filter/schema'}}}\n",
    ));
    let shared: Vec<&str> =
        g.api.types.iter().filter(|d| d.api_name == "parameters Filter").map(|d| d.rust_name.as_str()).collect();
    assert_eq!(shared, ["ParametersFilter"]);
}

/// Two list operations under different tags whose inline item schemas are equal: dedup makes
/// the second item type an alias of the first, and `items()` of the second operation names the
/// alias, so the alias must be compiled wherever that operation is (GitHub's crate did not
/// build: the alias went under `unreferenced-schemas`).
#[test]
fn page_item_types_are_compiled_with_their_operation() {
    let page = |tag: &str, id: &str| {
        format!(
            r#"
    get:
      operationId: {id}
      tags: [{tag}]
      parameters:
        - {{name: page, in: query, schema: {{type: integer}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  tasks:
                    type: array
                    items: {{type: object, properties: {{id: {{type: string}}, state: {{type: string}}}}}}
                  total_count: {{type: integer}}"#
        )
    };
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/tasks:{}\n  /b/tasks:{}\n",
        page("alpha", "listA"),
        page("beta", "listB")
    );
    let api = generate(&spec).api;
    let mut checked = 0;
    for op in &api.operations {
        let Some(pages) = &op.pagination else { continue };
        let TypeRef::Named(id, _) = &pages.item_ty else { panic!("{}: item type {:?}", op.rust_name, pages.item_ty) };
        let def = api.types.get(*id);
        assert!(
            def.features.is_empty() || api.features_of(def).contains(&op.feature.as_str()),
            "{}: item type {} is compiled under {:?}, not with the operation's feature {}",
            op.rust_name,
            def.rust_name,
            def.features,
            op.feature
        );
        checked += 1;
    }
    assert_eq!(checked, 2, "both operations are paginated");
}

/// The wire names of the fields of struct `rust_name`, and the struct a field `name` of it
/// names (through `Option`).
fn fields(api: &Api, rust_name: &str) -> Vec<String> {
    match &api.types.get(id_of(api, rust_name)).kind {
        sdkgen::ir::TypeKind::Struct(s) => s.fields.iter().map(|f| f.api_name.clone()).collect(),
        other => panic!("{rust_name} is not a struct: {other:?}"),
    }
}

fn field_type(api: &Api, rust_name: &str, field: &str) -> String {
    let sdkgen::ir::TypeKind::Struct(s) = &api.types.get(id_of(api, rust_name)).kind else { panic!("not a struct") };
    let f = s.fields.iter().find(|f| f.api_name == field).unwrap_or_else(|| panic!("no field {field}"));
    let mut t = &f.ty;
    while let TypeRef::Option(inner) | TypeRef::Box(inner) = t {
        t = inner;
    }
    match t {
        TypeRef::Named(id, _) => api.types.get(*id).rust_name.clone(),
        other => format!("{other:?}"),
    }
}

/// A property that two `allOf` members define holds what both allow (found by `cargo xtask
/// fuzz` on GitHub's webhooks and Box's `ConflictError`, where the later member's narrower or
/// extending schema replaced the earlier one and its properties were lost).
#[test]
fn a_property_two_all_of_members_define_merges_both() {
    let spec =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/specs/constructs/all-of-overlap.yaml"))
            .expect("the fixture");
    let g = generate(&spec);
    let user = field_type(&g.api, "Issue", "user");
    assert_eq!(fields(&g.api, &user), ["login", "email", "type"]);
    // The first member's enum is narrower than the second's string.
    let kind = field_type(&g.api, &user, "type");
    assert!(matches!(g.api.types.get(id_of(&g.api, &kind)).kind, sdkgen::ir::TypeKind::Enum(_)), "{kind}");
    // `type: object` alone adds nothing: the other member's properties stay typed.
    let assignee = field_type(&g.api, "Issue", "assignee");
    assert_eq!(fields(&g.api, &assignee), ["login"]);
    let info = field_type(&g.api, "ConflictError", "context_info");
    assert_eq!(fields(&g.api, &info), ["message", "conflicts"]);
}

/// GitHub's campaign body: `oneOf` members that only say which properties are required beside a
/// closed object. A member requiring an undeclared property matches no value: a warning at its
/// `required`, and the object keeps what the spec declares (`cargo xtask fuzz` must not make
/// values of that member). Beside an object open to more properties, the property is a field.
#[test]
fn a_required_only_member_naming_an_undeclared_property() {
    let g = generate(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Campaign:
      type: object
      additionalProperties: false
      properties:
        name: {type: string}
        code_scanning_alerts: {type: array, items: {type: integer}}
      oneOf:
        - required: [code_scanning_alerts]
        - required: [secret_scanning_alerts]
    Pages:
      type: object
      properties:
        cname: {type: string}
      anyOf:
        - required: [cname]
        - required: [public]
"#,
    );
    assert_eq!(fields(&g.api, "Campaign"), ["name", "code_scanning_alerts"]);
    // GitHub's Pages body: without `additionalProperties: false` a value may hold `public`
    // (the fuzzer's `{"public": 751.04}` was lost): an optional field of any JSON value.
    assert_eq!(fields(&g.api, "Pages"), ["cname", "public"]);
    assert_eq!(field_type(&g.api, "Pages", "public"), "Json");
    let warnings: Vec<(&str, &str)> = g.diagnostics.iter().map(|d| (d.pointer.as_str(), d.message.as_str())).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, "/components/schemas/Campaign/oneOf/1/required");
    assert!(warnings[0].1.contains("`secret_scanning_alerts`"), "{}", warnings[0].1);
    assert_eq!(warnings[1].0, "/components/schemas/Pages/anyOf/1/required");
}

/// A spec with `tags` tags, an operation each; the first `shared` of them return `Shared`.
fn tagged_spec(tags: usize, shared: usize) -> String {
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..tags {
        let schema = if i < shared { "{$ref: '#/components/schemas/Shared'}" } else { "{type: string}" };
        spec.push_str(&format!(
            "  /t{i}:\n    get:\n      tags: [t{i}]\n      operationId: get{i}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
        ));
    }
    spec.push_str("components:\n  schemas:\n    Shared: {type: object, properties: {a: {type: string}}}\n");
    spec
}

fn file<'a>(generated: &'a sdkgen::Generated, path: &str) -> &'a str {
    &generated.files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no {path}")).1
}

/// A type that many features reach is compiled under one internal feature that each of them
/// turns on, rather than `any(..)` of them all; fewer features are listed as they are.
#[test]
fn types_reached_by_many_features_name_their_group() {
    let many = sdkgen::lower::features::GROUP_MIN + 1;
    let generated = generate(&tagged_spec(many + 1, many));
    let api = &generated.api;
    let shared = api.types.get(id_of(api, "Shared"));
    let [group] = shared.features.as_slice() else { panic!("Shared is under {:?}", shared.features) };
    assert!(group.starts_with("__types-"), "{group}");
    let def = api.feature_groups.iter().find(|g| &g.name == group).expect("the group is the API's");
    let expected: Vec<String> = (0..many).map(|i| format!("t{i}")).collect();
    assert_eq!(def.members, expected);
    assert_eq!(api.features_of(shared), expected.iter().map(String::as_str).collect::<Vec<_>>());

    // Each member turns the group on; the group itself enables nothing; the one tag that does
    // not reach `Shared` does not name it.
    let manifest = file(&generated, "Cargo.toml");
    for f in &expected {
        let line = manifest.lines().find(|l| l.starts_with(&format!("\"{f}\" = "))).unwrap_or_else(|| panic!("no {f}"));
        assert!(line.contains(&format!("\"{group}\"")), "{line}");
    }
    assert!(manifest.contains(&format!("\"{group}\" = []")), "{manifest}");
    let last = manifest.lines().find(|l| l.starts_with(&format!("\"t{many}\" = "))).expect("the last tag");
    assert!(!last.contains("__types-"), "{last}");
    let types = file(&generated, "src/types.rs");
    assert!(types.contains(&format!("#[cfg(feature = \"{group}\")]")), "{types}");
    assert!(file(&generated, "README.md").contains("`__types-`"), "the README says what the groups are");

    // The name depends on the members only: another operation elsewhere leaves it as it is.
    let more = generate(&tagged_spec(many + 3, many));
    assert_eq!(more.api.types.get(id_of(&more.api, "Shared")).features, shared.features);

    // One feature fewer than the threshold: listed.
    let few = generate(&tagged_spec(many, many - 2));
    let shared = few.api.types.get(id_of(&few.api, "Shared"));
    assert_eq!(shared.features.len(), many - 2);
    assert!(few.api.feature_groups.is_empty());
}
