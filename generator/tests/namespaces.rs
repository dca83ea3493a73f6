//! `[client] namespaces` and `default-error-schema`: which handle each operation's method is on
//! and what it is called, collisions, stability when the spec grows, renames, and the located
//! error for a default error schema the spec lacks.

use sdkgen::{Config, GenerateOptions, Generated};

fn generate(spec: &str, config: &str) -> Generated {
    let config = Config::parse(config, "sdkgen.toml").unwrap_or_else(|d| panic!("{}", d.render("sdkgen.toml")));
    sdkgen::generate(spec.as_bytes(), &GenerateOptions { config, ..Default::default() })
        .unwrap_or_else(|d| panic!("{}", d.render("spec.yaml")))
}

/// `(call path, builder)` of every operation, in document order: `customers().retrieve`.
fn calls(g: &Generated) -> Vec<(String, String)> {
    g.api.operations.iter().map(|op| (g.api.call_path(op), op.type_name.clone())).collect()
}

/// A Stripe-like spec without tags; `{EXTRA}` is replaced by more paths.
const STRIPE_LIKE: &str = r#"
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /v1/customers:
    get: {operationId: GetCustomers, responses: {'200': {description: ok}}}
    post: {operationId: PostCustomers, responses: {'200': {description: ok}}}
  /v1/customers/{customer}:
    parameters: [{name: customer, in: path, required: true, schema: {type: string}}]
    get: {operationId: GetCustomersCustomer, responses: {'200': {description: ok}}}
    post: {operationId: PostCustomersCustomer, responses: {'200': {description: ok}}}
    delete: {operationId: DeleteCustomersCustomer, responses: {'200': {description: ok}}}
  /v1/customers/list:
    get: {operationId: GetCustomersListAlias, responses: {'200': {description: ok}}}
  /v1/customers/{customer}/clone:
    parameters: [{name: customer, in: path, required: true, schema: {type: string}}]
    post: {operationId: PostCustomersCustomerClone, responses: {'200': {description: ok}}}
  /v1/builder:
    get: {operationId: GetBuilder, responses: {'200': {description: ok}}}
  /:
    get: {operationId: GetRoot, responses: {'200': {description: ok}}}
{EXTRA}
"#;

fn stripe_like(extra: &str) -> String {
    STRIPE_LIKE.replace("{EXTRA}", extra)
}

#[test]
fn paths_give_stripe_style_methods_and_number_collisions() {
    let g = generate(&stripe_like(""), "[client]\nnamespaces = \"paths\"\n");
    let got: Vec<String> = calls(&g).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        got,
        [
            "customers().list",
            "customers().create",
            "customers().retrieve",
            "customers().update",
            "customers().delete",
            // `GET /v1/customers/list` is also `list`: numbered, in document order.
            "customers().list_2",
            // `clone` would shadow `Clone::clone` on the handle.
            "customers().clone_2",
            // A namespace named like a `Client` method.
            "builder_2().retrieve",
            // No resource in the path: on `Client`.
            "get_root",
        ]
    );
    // Builders keep the `operationId`'s name.
    assert_eq!(g.api.operations[2].type_name, "GetCustomersCustomer");
    let names: Vec<(&str, &str)> =
        g.api.namespaces.iter().map(|n| (n.rust_name.as_str(), n.type_name.as_str())).collect();
    assert_eq!(names, [("customers", "Customers"), ("builder_2", "Builder")]);
}

#[test]
fn adding_an_operation_renames_no_other() {
    let extra = r#"  /v1/accounts:
    get: {operationId: GetAccounts, responses: {'200': {description: ok}}}
  /v1/customers/{customer}/sources:
    parameters: [{name: customer, in: path, required: true, schema: {type: string}}]
    get: {operationId: GetCustomersCustomerSources, responses: {'200': {description: ok}}}
  /customers:
    get: {operationId: customers, responses: {'200': {description: ok}}}"#;
    for mode in ["paths", "tags", "none"] {
        let config = format!("[client]\nnamespaces = \"{mode}\"\n");
        let before = calls(&generate(&stripe_like(""), &config));
        // New paths at the start and at the end of the document.
        let first = "paths:\n  /v1/zones:\n    get: {operationId: GetZones, responses: {'200': {description: ok}}}\n";
        let grown = stripe_like(extra).replacen("paths:\n", first, 1);
        let after = calls(&generate(&grown, &config));
        for call in &before {
            assert!(after.contains(call), "{mode}: {call:?} is gone after adding operations: {after:?}");
        }
        assert_eq!(after.len(), before.len() + 4, "{mode}");
    }
}

#[test]
fn tags_drop_the_tag_and_renames_stay_in_their_namespace() {
    let spec = r#"
openapi: 3.0.3
info: {title: Hub, version: '1'}
paths:
  /repos:
    get: {operationId: repos/list-for-user, tags: [repos], responses: {'200': {description: ok}}}
    post: {operationId: repos/create-for-authenticated-user, tags: [repos], responses: {'200': {description: ok}}}
  /issues:
    get: {operationId: issues/list, tags: [issues], responses: {'200': {description: ok}}}
  /meta:
    get: {operationId: meta/root, responses: {'200': {description: ok}}}
"#;
    let g = generate(spec, "[client]\nnamespaces = \"tags\"\n\n[rename.methods]\n\"issues/list\" = \"list_all\"\n");
    let got: Vec<String> = calls(&g).into_iter().map(|(c, _)| c).collect();
    assert_eq!(
        got,
        ["repos().list_for_user", "repos().create_for_authenticated_user", "issues().list_all", "meta_root"]
    );
    // The renamed method's builder keeps its name.
    assert_eq!(g.api.operations[2].type_name, "IssuesList");
    // A rename that meets another method of the same namespace is refused.
    let config = Config::parse(
        "[client]\nnamespaces = \"tags\"\n\n[rename.methods]\n\"repos/list-for-user\" = \"create_for_authenticated_user\"\n",
        "sdkgen.toml",
    )
    .unwrap();
    let err =
        sdkgen::generate(spec.as_bytes(), &GenerateOptions { config, ..Default::default() }).expect_err("a taken name");
    assert!(err.iter().any(|d| d.pointer == "/rename/methods/repos~1list-for-user"), "{}", err.render("spec.yaml"));
}

#[test]
fn a_default_error_schema_the_spec_lacks_is_a_located_error() {
    let config = Config::parse("[client]\n\ndefault-error-schema = \"ErrorResponse\"\n", "sdkgen.toml").unwrap();
    let err = sdkgen::generate(stripe_like("").as_bytes(), &GenerateOptions { config, ..Default::default() })
        .expect_err("no such schema");
    let d = err.iter().find(|d| d.pointer == "/client/default-error-schema").expect("located at the key");
    assert_eq!(d.code, Some("E011"));
    assert_eq!(d.line_col, Some((3, 1)), "{}", err.render("spec.yaml"));
    assert!(d.message.contains("ErrorResponse"), "{}", d.message);
}

#[test]
fn a_default_error_schema_types_the_errors_the_spec_leaves_open() {
    let spec = r#"
openapi: 3.0.3
info: {title: Ai, version: '1'}
paths:
  /models:
    get:
      operationId: listModels
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        '404': {description: none documented}
  /files:
    get:
      operationId: listFiles
      responses:
        default: {description: anything, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    ErrorResponse:
      type: object
      properties:
        error: {type: object, properties: {message: {type: string}}}
"#;
    let g = generate(spec, "[client]\ndefault-error-schema = \"ErrorResponse\"\n");
    let statuses = |i: usize| -> Vec<String> {
        g.api.operations[i].errors.iter().map(|r| format!("{:?} {}", r.status, r.assumed)).collect()
    };
    // The documented 404 gets the schema as its body; 4XX and 5XX are added.
    assert_eq!(statuses(0), ["Code(404) true", "Range(4) true", "Range(5) true"]);
    // An operation with a `default` response documents every status already.
    assert!(statuses(1).is_empty(), "{:?}", statuses(1));
    let error = g.api.types.iter().find(|d| d.rust_name == "ErrorResponse").expect("the type");
    assert_eq!(g.api.default_error, Some(error.id));
    let readme = &g.files.iter().find(|(p, _)| p == "README.md").expect("a README").1;
    assert!(readme.contains("[`types::ErrorResponse`](crate::types::ErrorResponse)"), "{readme}");
}
