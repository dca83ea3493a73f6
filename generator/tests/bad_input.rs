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
    check_placed(spec.as_bytes());
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
        (
            "dangling_ref_in_default_response",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        default: {$ref: '#/components/responses/Problem'}\n",
        ),
        ("wrong_types_everywhere", WRONG_TYPES),
        ("wrong_types_json", WRONG_TYPES_JSON),
        ("swagger_2_habits", SWAGGER_HABITS),
        ("shapes_only_the_parser_knows", PARSER_ONLY),
        ("all_of_cycles", ALL_OF_CYCLES),
        ("recursion_is_boxed", RECURSION),
        ("names_only_symbols", SYMBOL_NAMES),
        ("yaml_merge_keys_and_anchors", ANCHORS),
        // Found by the fuzz target's check that the shape checks never reject what the parser
        // reads: keys among responses that are not status codes (the parser drops them), a
        // parameter with both `schema` and `content`, a path without its leading `/`.
        (
            "fuzz_responses_keys_that_are_not_status_codes",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '204': {description: ok}\n        description: gone\n        required: true\n        '20': {description: x}\n        2xx: {description: fine}\n",
        ),
        (
            "fuzz_parameter_with_schema_and_content",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: a, in: query, schema: {type: string}, content: text}\n        - {name: b, in: query, content: {text/plain: {schema: {type: string}}}, schema: 5}\n      responses: {'204': {description: ok}}\n",
        ),
        (
            "fuzz_path_without_slash",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  a/b:\n    get:\n      parameters: [{name: x, in: query, explode: 'yes'}]\n      responses: {'204': {description: ok}}\n",
        ),
        // Found by the `pipeline` fuzz target: positions past the end of the input.
        ("fuzz_json_ends_after_a_newline", "{\"openapi\": \"3.0.3\",\n"),
        ("fuzz_yaml_error_at_end_of_input", "t:\n    [[[[[iexamkoext/plainor"),
        ("fuzz_lone_anchor", "&all"),
        ("fuzz_carriage_returns", "[[\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\n[\r\r\r\r\r\r\r\r\r\r\r\r\n"),
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
    let yaml = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx: {}{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(generate(json.as_bytes(), &opts()).is_err());
    assert!(generate(yaml.as_bytes(), &opts()).is_err());
}

/// Many wrong types at once: each is reported, each at its own line.
const WRONG_TYPES: &str = "openapi: 3.0.3
info: {title: t, version: '1', description: 5, license: {url: 'https://x'}}
servers:
  - url: 42
paths:
  /a:
    summary: [x]
    get:
      tags: [ok, 7]
      deprecated: 'yes'
      parameters:
        - name: q
          in: query
          required: 'true'
          schema: {type: integer, minimum: '1', maxLength: -1}
        - {name: h, in: header}
        - {name: s, in: query, style: sideways, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, 3]
                properties:
                  id: {type: 5}
                  tags: {type: array, items: string}
                  more: {allOf: {$ref: '#/components/schemas/U'}}
components:
  schemas:
    U: {type: object, nullable: 1, properties: 7}
";

const WRONG_TYPES_JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "enum": "a,b"}}],
                           "responses": {"200": {"description": 200}}}}},
  "components": {"schemas": {"A": {"properties": {"x": {"format": 3}}}}}
}"#;

/// Swagger 2.0 spellings inside an OpenAPI 3 document.
const SWAGGER_HABITS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      parameters:
        - {name: body, in: body, schema: {type: object}}
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    basic: {type: basic}
    mtls: {type: mutualTLS}
  schemas:
    A:
      type: object
      properties:
        id: {type: string, required: true}
        pair: {type: array, items: [{type: string}, {type: integer}]}
";

/// Shapes this generator's own checks do not look at; the parser's errors are narrowed to the
/// smallest failing part, and every failing part is reported.
const PARSER_ONLY: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /b:
    get:
      responses:
        '200': {description: ok, links: {x: {operationId: 5}}}
components:
  examples:
    E: {summary: [1]}
";

const ALL_OF_CYCLES: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  schemas:
    A: {allOf: [{$ref: '#/components/schemas/B'}]}
    B: {allOf: [{$ref: '#/components/schemas/A'}]}
    C:
      allOf:
        - $ref: '#/components/schemas/D'
        - {type: object, properties: {c: {type: string}}}
    D:
      allOf:
        - $ref: '#/components/schemas/C'
        - {type: object, properties: {d: {type: string}}}
    Alias: {$ref: '#/components/schemas/Alias'}
";

/// Recursion a type can represent: generated (boxed), no diagnostics.
const RECURSION: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /tree:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      required: [value]
      properties:
        value: {type: string}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        either: {oneOf: [{$ref: '#/components/schemas/Node'}, {$ref: '#/components/schemas/Leaf'}]}
    Leaf:
      type: object
      properties:
        up: {$ref: '#/components/schemas/Node'}
";

/// Names that are empty or only symbols still make distinct, valid identifiers.
const SYMBOL_NAMES: &str = "openapi: 3.1.0
info: {title: '!!!', version: '1'}
paths:
  /!!!:
    get:
      operationId: '!!!'
      parameters:
        - {name: '', in: query, schema: {type: string}}
        - {name: '!!!', in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/!!!'}
  /???:
    get:
      operationId: '???'
      responses: {'204': {description: none}}
components:
  schemas:
    '!!!':
      type: object
      properties:
        '': {type: string}
        '!!!': {type: string}
        '???': {type: integer}
        '-': {type: string, enum: ['', '!', '?', '-', '--', '+', '_', '__']}
    '???': {type: string}
    '': {type: integer}
";

/// Anchors, aliases and merge keys: problems inside merged content are located at the nearest
/// node the file spells out.
const ANCHORS: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - &p {name: q, in: query, schema: {type: string, maxLength: x}}
        - *p
        - {<<: *p, name: r}
      responses: {'204': {description: ok}}
";

/// The identifiers the symbol-only names got: distinct, and valid Rust.
#[test]
fn symbol_names_make_distinct_identifiers() {
    let g = generate(SYMBOL_NAMES.as_bytes(), &opts()).expect("generates");
    let names: Vec<&str> = g.api.types.defs.iter().map(|d| d.rust_name.as_str()).collect();
    let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    for (path, content) in &g.files {
        if path.ends_with(".rs") {
            syn::parse_file(content).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}

/// 20,000 enum values, also when all of them collide on one identifier, generate in seconds.
#[test]
fn enormous_enums_generate() {
    let distinct = |i: u32| format!("value_{i}");
    let colliding = |i: u32| char::from_u32(0x4e00 + i).expect("CJK block").to_string();
    let cases: [(&str, &dyn Fn(u32) -> String); 2] = [("distinct", &distinct), ("colliding", &colliding)];
    for (label, value) in cases {
        let values: String = (0..20_000).map(|i| format!("        - '{}'\n", value(i))).collect();
        let spec = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n        - {{name: k, in: query, schema: {{$ref: '#/components/schemas/Big'}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Big:\n      type: string\n      enum:\n{values}"
        );
        let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{label}: {d}"));
        let variants = match &g.api.types.defs[0].kind {
            sdkgen::ir::TypeKind::Enum(e) => e.variants.len(),
            other => panic!("{label}: {other:?}"),
        };
        assert_eq!(variants, 20_000, "{label}");
    }
}

fn external(name: &str) -> (Vec<u8>, GenerateOptions) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/external");
    let bytes = std::fs::read(dir.join(name)).expect("fixture exists");
    (bytes, GenerateOptions { base_dir: Some(dir), ..opts() })
}

/// `$ref`s to files next to the spec are resolved: schemas become components (shared and
/// recursive ones stay one type), parameters, responses and path items are copied in place.
#[test]
fn references_to_other_files_are_resolved() {
    let (bytes, opts) = external("api.yaml");
    let g = generate(&bytes, &opts).unwrap_or_else(|d| panic!("{}", d.render("api.yaml")));
    let mut types: Vec<(&str, &str)> =
        g.api.types.defs.iter().map(|d| (d.api_name.as_str(), d.rust_name.as_str())).collect();
    types.sort_unstable();
    let ops: Vec<(&str, usize)> = g.api.operations.iter().map(|o| (o.rust_name.as_str(), o.params.len())).collect();
    insta::assert_snapshot!(format!(
        "types: {types:?}\noperations (name, parameters): {ops:?}\nwarnings:\n{}",
        g.diagnostics.render("api.yaml")
    ));
    for (path, content) in &g.files {
        if path.ends_with(".rs") {
            syn::parse_file(content).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    // Without a directory to resolve against, the same references are located errors.
    let err = generate(&bytes, &opts_without_dir()).unwrap_err().render("api.yaml");
    assert!(err.contains("points to another document"), "{err}");
}

fn opts_without_dir() -> GenerateOptions {
    GenerateOptions { base_dir: None, ..opts() }
}

#[test]
fn references_to_other_files_that_fail_are_located() {
    let (bytes, opts) = external("broken.yaml");
    let text = match generate(&bytes, &opts) {
        Ok(_) => panic!("broken.yaml generated"),
        Err(d) => d.render("broken.yaml"),
    };
    // Paths differ per machine: keep the file names only.
    let dir = std::fs::canonicalize(opts.base_dir.as_ref().expect("set")).expect("exists");
    let text = text
        .replace(&format!("{}/", dir.display()), "")
        .replace(&format!("{}/", opts.base_dir.expect("set").display()), "");
    insta::assert_snapshot!(text);
}

/// Every byte-prefix of a JSON spec, and of every fixture with one byte flipped in a few places,
/// generates or fails with diagnostics placed inside the input (a small, deterministic cousin of
/// the `pipeline` fuzz target).
#[test]
fn cut_and_flipped_specs_never_panic() {
    let json = include_str!("../../fuzz/seeds/small.json");
    for n in 0..json.len() {
        let prefix = &json.as_bytes()[..n];
        check_placed(prefix);
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/constructs");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("fixtures").flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "yaml")) {
        let bytes = std::fs::read(file).expect("readable");
        for (i, flip) in [(7usize, b'\t'), (13, b'{'), (29, b':'), (101, b'-'), (211, b'"'), (307, b'['), (401, b' ')] {
            let mut mutated = bytes.clone();
            let at = (i * 7919) % mutated.len().max(1);
            if let Some(b) = mutated.get_mut(at) {
                *b = flip;
            }
            check_placed(&mutated);
        }
    }
}

fn check_placed(bytes: &[u8]) {
    // Lines as YAML counts them: `\r\n`, `\r` and `\n` end a line.
    let lines = 1 + bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    let diags = match generate(bytes, &opts()) {
        Ok(g) => g.diagnostics,
        Err(d) => d,
    };
    for d in diags.iter() {
        if let Some((line, col)) = d.line_col {
            assert!(
                line >= 1 && line <= lines && col >= 1,
                "{d:?} outside {lines} lines of {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// A chain of 3,000 schemas across files is imported without recursion; parameters that refer
/// to each other in a loop are an error, not a hang.
#[test]
fn long_and_cyclic_file_reference_chains() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad_input_chains");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut common = String::from("components:\n  schemas:\n");
    for i in 0..3000 {
        common.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
    }
    common.push_str("    S3000: {type: string}\n");
    std::fs::write(dir.join("chain.yaml"), common).expect("written");
    std::fs::write(dir.join("a.yaml"), "$ref: 'b.yaml'\n").expect("written");
    std::fs::write(dir.join("b.yaml"), "$ref: 'a.yaml'\n").expect("written");
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: 'chain.yaml#/components/schemas/S0'}}}\n";
    let opts = GenerateOptions { base_dir: Some(dir.clone()), ..opts() };
    let g = generate(spec.as_bytes(), &opts).unwrap_or_else(|d| panic!("{d}"));
    assert!(g.types >= 3000, "{}", g.types);

    let looped = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: 'a.yaml'}]\n      responses: {'204': {description: ok}}\n";
    let err = generate(looped.as_bytes(), &opts).unwrap_err().render("spec.yaml");
    assert!(
        err.contains("spec.yaml:6:21: #/paths/~1a/get/parameters/0/$ref: error:") && err.contains("(a cycle?)"),
        "{err}"
    );
}

/// A webhook that cannot be modeled (here, one without a body) gets a warning that points where
/// it is written, the 3.1 `webhooks` or the `x-webhooks` extension of 3.0 documents (GitHub's).
#[test]
fn webhook_warnings_point_where_the_webhooks_are_written() {
    let hooks = "  push:\n    post:\n      responses: {'200': {description: ok}}\n";
    for (head, key) in [("openapi: 3.0.3", "x-webhooks"), ("openapi: 3.1.0", "webhooks")] {
        let spec = format!("{head}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n{key}:\n{hooks}");
        let generated = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{}", d.render("spec.yaml")));
        let warning = generated
            .diagnostics
            .warnings()
            .find(|d| d.message.contains("the webhook has no request body"))
            .unwrap_or_else(|| panic!("{key}: no webhook warning"));
        assert_eq!(warning.pointer.trim_start_matches('#'), format!("/{key}/push/post"));
        assert_eq!(warning.line_col.map(|(line, _)| line), Some(6), "{key}");
    }
}
