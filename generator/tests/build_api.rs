//! `sdkgen::Generator`, the build-script API: what it writes, the inputs cargo is told to watch
//! (the spec, its configuration, every file a `$ref` read) and its errors.

use sdkgen::{BuildError, Generator};

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Zoo API, version: 1.0.0}
paths:
  /animals:
    get:
      operationId: listAnimals
      tags: [animals]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas/animal.yaml#/Animal"}
"##;

#[test]
fn writes_a_module_and_names_every_input() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (spec_dir, out) = (dir.path().join("spec"), dir.path().join("out"));
    std::fs::create_dir_all(spec_dir.join("schemas")).expect("created");
    std::fs::create_dir_all(&out).expect("created");
    std::fs::write(spec_dir.join("zoo.yaml"), SPEC).expect("written");
    std::fs::write(
        spec_dir.join("schemas/animal.yaml"),
        "Animal:\n  type: object\n  properties:\n    name: {type: string}\n",
    )
    .expect("written");
    std::fs::write(spec_dir.join("sdkgen.toml"), "[package]\nname = \"zoo\"\n").expect("written");

    let output = Generator::new(spec_dir.join("zoo.yaml"))
        .out_dir(&out)
        .cargo_instructions(false)
        .generate()
        .expect("generates");
    assert_eq!(output.module, "zoo");
    let names: Vec<String> =
        output.inputs.iter().map(|p| p.file_name().expect("a file").to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["zoo.yaml", "sdkgen.toml", "animal.yaml"]);

    let wrapper = std::fs::read_to_string(&output.module_file).expect("the module file");
    assert!(wrapper.contains("pub mod zoo;") && wrapper.contains("#[path = "), "{wrapper}");
    let types = std::fs::read_to_string(out.join("zoo/src/types.rs")).expect("types.rs");
    assert!(types.contains("pub struct Animal"), "{types}");
    // The crate's own paths are the module's, and features are decided.
    assert!(types.contains("crate::zoo::runtime::"), "{types}");
    assert!(!types.contains("feature ="), "{types}");
    let lib = std::fs::read_to_string(out.join("zoo/src/lib.rs")).expect("lib.rs");
    assert!(!lib.contains("include_str!"), "no README doctests in the module's docs: {lib}");
}

#[test]
fn problems_are_reported_located() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let spec = dir.path().join("zoo.yaml");
    std::fs::write(&spec, SPEC.replace("schemas/animal.yaml#/Animal", "#/components/schemas/Gone")).expect("written");
    let err = Generator::new(&spec).out_dir(dir.path()).cargo_instructions(false).generate().expect_err("broken");
    let BuildError::Diagnostics { diagnostics, .. } = &err else { panic!("{err}") };
    assert!(diagnostics.has_errors());
    let text = err.to_string();
    assert!(text.contains(":13:") && text.contains("#/paths/~1animals/get/responses/200"), "{text}");

    std::fs::write(dir.path().join("sdkgen.toml"), "[packages]\n").expect("written");
    let err = Generator::new(&spec).out_dir(dir.path()).cargo_instructions(false).generate().expect_err("bad config");
    assert!(err.to_string().contains("sdkgen.toml:1:"), "{err}");
}

/// A configuration built in code is checked like a parsed one: an invalid derive is a located
/// error, not a panic while emitting.
#[test]
fn configurations_built_in_code_are_checked() {
    let config = sdkgen::Config {
        types: vec![sdkgen::config::TypeRule {
            pattern: "*".into(),
            derives: vec!["not a path(".into()],
            attributes: vec![],
        }],
        ..Default::default()
    };
    let opts = sdkgen::GenerateOptions { config, ..Default::default() };
    let diags =
        sdkgen::generate(SPEC.replace("{$ref: \"schemas/animal.yaml#/Animal\"}", "{type: object}").as_bytes(), &opts)
            .expect_err("an invalid derive");
    let d = diags.iter().find(|d| d.code == Some("E011")).expect("the configuration's error");
    assert_eq!((d.pointer.as_str(), d.file.as_deref()), ("/types/0/derives/0", Some("sdkgen.toml")));
}
