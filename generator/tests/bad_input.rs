//! Broken specs get located diagnostics, never a panic.

use sdkgen::{generate, GenerateOptions};

fn opts() -> GenerateOptions {
    GenerateOptions {
        crate_name: None,
        crate_version: None,
        command: "sdkgen generate".into(),
        spec_label: "spec.yaml".into(),
        ..Default::default()
    }
}

fn diagnostics(spec: &str) -> String {
    match generate(spec.as_bytes(), &opts()) {
        Ok(g) => format!("ok, warnings:\n{}", g.diagnostics.render("spec.yaml")),
        Err(d) => format!("failed:\n{}", d.render("spec.yaml")),
    }
}

#[test]
fn broken_specs_are_located() {
    let cases = [
        ("empty", ""),
        ("tabs", "openapi: 3.1.0\ninfo:\n\ttitle: x\n"),
        ("truncated_json", "{\"openapi\": \"3.1.0\", \"info\": {"),
        ("top_level_list", "- a\n- b\n"),
        ("swagger2", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        ("version_4", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        ("missing_info_and_paths", "openapi: 3.0.3\n"),
        (
            "dangling_refs_and_duplicate_ids",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: same\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/user'}\n  /b:\n    get:\n      operationId: same\n      responses: {}\ncomponents:\n  schemas:\n    User: {type: object}\n    Other: {$ref: 'other.yaml#/Thing'}\n",
        ),
        (
            "undeclared_path_param",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /users/{id}:\n    get:\n      responses: {'204': {description: gone}}\n",
        ),
        ("wrong_type_in_known_field", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: 5\n      responses: {}\n"),
    ];
    let mut out = String::new();
    for (name, spec) in cases {
        out.push_str(&format!("=== {name}\n{}\n", diagnostics(spec)));
    }
    insta::assert_snapshot!(out);
}

/// Every truncation of the vendored spec either generates or fails with diagnostics.
#[test]
fn truncated_vendored_spec_never_panics() {
    let spec = include_str!("../../spec/openapi.yaml");
    let lines: Vec<&str> = spec.lines().collect();
    let mut failures = 0;
    for n in (0..lines.len()).step_by(3) {
        let prefix = lines[..n].join("\n");
        if generate(prefix.as_bytes(), &opts()).is_err() {
            failures += 1;
        }
    }
    // The short prefixes lack `info`/`paths` and must be rejected, not half-generated.
    assert!(failures > 0);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let yaml = format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx: {}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(generate(json.as_bytes(), &opts()).is_err());
    assert!(generate(yaml.as_bytes(), &opts()).is_err());
}
