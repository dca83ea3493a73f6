//! A spec is untrusted input: the files it refers to are read only inside its own folder tree
//! (or a folder the user allows), only regular files and within a size limit, never shown in a
//! diagnostic, and every expansion (server variables, references across files, YAML nesting,
//! `allOf`, examples, components used from many places) stops at a limit with a located error.
//!
//! The adversarial inputs run in full: the limits are what make them finish (no test measures
//! time; README "Security" states the limits, and the report of issue 14 the times).

use sdkgen::diagnostics::Diagnostics;
use sdkgen::{generate, GenerateOptions, Generated};
use std::path::{Path, PathBuf};

/// In every file outside the spec's folder: it must reach no generated file and no message.
const SECRET: &str = "sk_live_7f3e9c_TOP_SECRET";

/// A fresh folder `hostile_input/NAME` with `tree/` (the spec's folder) and `outside/` (a
/// sibling holding a parameter file with the secret).
fn folders(name: &str) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile_input").join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("tree")).expect("temp dir");
    std::fs::create_dir_all(root.join("outside")).expect("temp dir");
    let param = format!("name: q\nin: query\ndescription: '{SECRET}'\nschema: {{type: string}}\n");
    std::fs::write(root.join("outside/param.yaml"), param).expect("written");
    (root.join("tree"), root.join("outside"))
}

fn opts(tree: &Path) -> GenerateOptions {
    GenerateOptions {
        command: "sdkgen generate".into(),
        spec_label: "spec.yaml".into(),
        base_dir: Some(tree.to_path_buf()),
        ..Default::default()
    }
}

/// A spec whose one operation has the parameter `$ref: r` (at `PARAM_REF`, line 7).
fn param_ref(r: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '{r}'\n      responses: {{'204': {{description: ok}}}}\n"
    )
}
const PARAM_REF: &str = "/paths/~1a/get/parameters/0/$ref";

/// The generated files and every diagnostic, as one text (what a user could ever see).
fn everything(result: &Result<Generated, Diagnostics>) -> String {
    match result {
        Ok(g) => {
            let files: String = g.files.iter().map(|(path, text)| format!("{path}\n{text}\n")).collect();
            format!("{files}{}", g.diagnostics.render("spec.yaml"))
        }
        Err(d) => d.render("spec.yaml"),
    }
}

/// Asserts that generation failed with an error at `pointer` (placed in the spec) whose
/// message contains `needle`, and that the secret shows nowhere.
fn refused(result: &Result<Generated, Diagnostics>, pointer: &str, needle: &str) {
    let text = everything(result);
    assert!(!text.contains(SECRET), "the secret leaked:\n{text}");
    let Err(diags) = result else { panic!("generated, expected an error at {pointer}:\n{text}") };
    let found = diags.iter().find(|d| d.pointer == pointer && d.message.contains(needle));
    let found = found.unwrap_or_else(|| panic!("no error at {pointer} with `{needle}`:\n{text}"));
    assert!(found.line_col.is_some(), "not placed: {found:?}");
}

/// Asserts that generation failed with a located error whose message contains `needle`.
fn limited(result: &Result<Generated, Diagnostics>, needle: &str) {
    let Err(diags) = result else { panic!("generated, expected `{needle}`") };
    assert!(diags.iter().any(|d| d.message.contains(needle) && d.line_col.is_some()), "{diags}");
}

#[test]
fn an_absolute_path_is_not_read() {
    let (tree, outside) = folders("absolute");
    let spec = param_ref(&outside.join("param.yaml").display().to_string());
    refused(&generate(spec.as_bytes(), &opts(&tree)), PARAM_REF, "leads outside the spec's folder");
    refused(&generate(param_ref("/etc/passwd").as_bytes(), &opts(&tree)), PARAM_REF, "leads outside");
}

#[test]
fn dot_dot_does_not_leave_the_tree() {
    let (tree, _) = folders("dot_dot");
    for r in [
        "../outside/param.yaml",
        "sub/../../outside/param.yaml",
        "%2e%2e/outside/param.yaml",
        "%2E%2E%2Foutside%2Fparam.yaml",
    ] {
        std::fs::create_dir_all(tree.join("sub")).expect("temp dir");
        refused(&generate(param_ref(r).as_bytes(), &opts(&tree)), PARAM_REF, "leads outside the spec's folder");
    }
    // `..` that stays inside the tree is fine.
    std::fs::write(tree.join("p.yaml"), "name: q\nin: query\nschema: {type: string}\n").expect("written");
    generate(param_ref("sub/../p.yaml").as_bytes(), &opts(&tree)).unwrap_or_else(|d| panic!("{d}"));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_tree_is_not_followed() {
    let (tree, outside) = folders("symlink");
    std::os::unix::fs::symlink(outside.join("param.yaml"), tree.join("link.yaml")).expect("symlink");
    std::os::unix::fs::symlink(&outside, tree.join("dir")).expect("symlink");
    for r in ["link.yaml", "dir/param.yaml"] {
        refused(&generate(param_ref(r).as_bytes(), &opts(&tree)), PARAM_REF, "leads outside the spec's folder");
    }
}

#[test]
fn dev_zero_is_not_read() {
    let (tree, _) = folders("dev_zero");
    refused(&generate(param_ref("/dev/zero").as_bytes(), &opts(&tree)), PARAM_REF, "leads outside");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", tree.join("zero")).expect("symlink");
        refused(&generate(param_ref("zero").as_bytes(), &opts(&tree)), PARAM_REF, "leads outside");
    }
}

#[test]
fn dev_stdin_is_not_read() {
    let (tree, _) = folders("dev_stdin");
    let result = generate(param_ref("/dev/stdin").as_bytes(), &opts(&tree));
    // Where /dev/stdin leads depends on how the test runs (a terminal, a pipe, /dev/null):
    // outside the tree, or nowhere that can be named.
    let text = everything(&result);
    assert!(text.contains("leads outside") || text.contains("cannot read"), "{text}");
    refused(&result, PARAM_REF, "/dev/stdin");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_tree_is_not_opened() {
    let (tree, _) = folders("fifo");
    let made = std::process::Command::new("mkfifo").arg(tree.join("fifo.yaml")).status().expect("mkfifo runs");
    assert!(made.success());
    // Opening a FIFO blocks until something writes to it: this returns only if it is not opened.
    refused(&generate(param_ref("fifo.yaml").as_bytes(), &opts(&tree)), PARAM_REF, "is not a regular file");
}

#[test]
fn a_directory_is_not_read() {
    let (tree, _) = folders("directory");
    std::fs::create_dir_all(tree.join("schemas.yaml")).expect("temp dir");
    refused(&generate(param_ref("schemas.yaml").as_bytes(), &opts(&tree)), PARAM_REF, "is a folder, not a file");
}

#[test]
fn files_larger_than_the_limit_are_not_read() {
    let (tree, _) = folders("oversized");
    // Sparse files: their size is known without writing (or reading) their bytes.
    let sized = |name: &str, mib: u64| {
        let f = std::fs::File::create(tree.join(name)).expect("created");
        f.set_len(mib << 20).expect("sized");
    };
    sized("huge.yaml", 65);
    refused(&generate(param_ref("huge.yaml").as_bytes(), &opts(&tree)), PARAM_REF, "is too large");
    // 40 MiB and 40 MiB: the second file passes the limit for all files together.
    sized("a.yaml", 40);
    sized("b.yaml", 40);
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'a.yaml'\n        - $ref: 'b.yaml'\n      responses: {'204': {description: ok}}\n";
    refused(&generate(spec.as_bytes(), &opts(&tree)), "/paths/~1a/get/parameters/1/$ref", "64 MiB in all");
}

/// A `$ref` where the spec wants text (`description`) would copy a file's text into the crate's
/// docs: a file in the tree that is not a mapping is never inlined, and a mapping where text is
/// wanted is a shape error that does not show it either.
#[test]
fn a_reference_in_prose_copies_no_file_into_the_crate() {
    let (tree, _) = folders("prose");
    std::fs::write(tree.join(".env"), format!("API_TOKEN={SECRET}\n")).expect("written");
    std::fs::write(tree.join("notes.md"), format!("# Notes\n\nThe key is {SECRET}.\n")).expect("written");
    std::fs::write(tree.join("creds.yaml"), format!("token: {SECRET}\n")).expect("written");
    let spec = |description: &str| {
        format!(
            "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: {description}\npaths:\n  /a:\n    get:\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    for file in [".env", "notes.md"] {
        let result = generate(spec(&format!("{{$ref: '{file}'}}")).as_bytes(), &opts(&tree));
        refused(&result, "/info/description/$ref", "expected a mapping");
    }
    let result = generate(spec("{$ref: 'creds.yaml'}").as_bytes(), &opts(&tree));
    refused(&result, "/info/description", "expected a string");
    // The same files as schemas or parameters: still no text and no content in messages.
    let result = generate(param_ref(".env").as_bytes(), &opts(&tree));
    refused(&result, PARAM_REF, "leads to a string");
}

/// `--allow-ref DIR` widens the tree: the sibling folder's parameter is read; devices and
/// pipes stay refused there too.
#[test]
fn allow_ref_widens_the_tree() {
    let (tree, outside) = folders("allow_ref");
    let spec = param_ref("../outside/param.yaml");
    let widened = GenerateOptions { allow_ref: vec![outside.clone()], ..opts(&tree) };
    let g = generate(spec.as_bytes(), &widened).unwrap_or_else(|d| panic!("{d}"));
    assert!(everything(&Ok(g)).contains(SECRET), "the allowed parameter's description is documented");
    // Through the command line.
    let spec_file = tree.join("spec.yaml");
    std::fs::write(&spec_file, &spec).expect("written");
    let out = tree.join("../out");
    let arg = |p: &Path| p.display().to_string();
    let args = ["generate", "--spec", &arg(&spec_file), "--out", &arg(&out), "--allow-ref", &arg(&outside)];
    let code = sdkgen::cli::run(&args.map(String::from));
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    assert!(std::fs::read_to_string(out.join("src/operations.rs")).expect("written").contains(SECRET));

    #[cfg(unix)]
    {
        let dev = GenerateOptions { allow_ref: vec!["/dev".into()], ..opts(&tree) };
        refused(&generate(param_ref("/dev/zero").as_bytes(), &dev), PARAM_REF, "is not a regular file");
        let fifo = outside.join("fifo.yaml");
        assert!(std::process::Command::new("mkfifo").arg(fifo).status().expect("mkfifo runs").success());
        let pipe = param_ref("../outside/fifo.yaml");
        refused(&generate(pipe.as_bytes(), &widened), PARAM_REF, "is not a regular file");
    }
}

/// Defaults that name other variables are substituted once, not again (40 variables doubling
/// each other would be 2^40 bytes); a URL that still grows too long is a located error.
#[test]
fn server_variables_expand_once_and_within_a_limit() {
    let mut vars = String::new();
    for i in 0..40 {
        vars.push_str(&format!("        v{i}: {{default: '{{v{}}}{{v{}}}'}}\n", i + 1, i + 1));
    }
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers:\n  - url: 'https://{{v0}}.example.com'\n    variables:\n{vars}        v40: {{default: x}}\npaths: {{}}\n"
    );
    let (tree, _) = folders("servers");
    let g = generate(spec.as_bytes(), &opts(&tree)).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(g.api.servers[0].url, "https://{v1}{v1}.example.com");

    let url = "{a}".repeat(3000);
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nservers:\n  - url: 'https://example.com'\n  - url: 'https://{url}'\n    variables:\n      a: {{default: '{}'}}\npaths: {{}}\n",
        "x".repeat(2000)
    );
    refused(&generate(spec.as_bytes(), &opts(&tree)), "/servers/1/url", "longer than 4096 bytes");
}

/// Files that refer to the next one twice, 30 deep, would copy 2^30 values.
#[test]
fn references_that_fan_out_stop_at_the_copy_limit() {
    let (tree, _) = folders("fan_out");
    for i in 0..30 {
        let next = format!("{{$ref: 'f{}.yaml'}}", i + 1);
        std::fs::write(tree.join(format!("f{i}.yaml")), format!("a: {next}\nb: {next}\n")).expect("written");
    }
    std::fs::write(tree.join("f30.yaml"), "x: 1\n").expect("written");
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'f0.yaml'}\n";
    refused(&generate(spec.as_bytes(), &opts(&tree)), "/paths/~1a/$ref", "copy more than 1000000 values");
    // Few values, but long strings: 20 levels of a 100 KB string each.
    for i in 0..20 {
        let next = format!("{{$ref: 'f{}.yaml'}}", i + 1);
        let text = format!("a: {next}\nb: {next}\ns: '{}'\n", "y".repeat(100_000));
        std::fs::write(tree.join(format!("f{i}.yaml")), text).expect("written");
    }
    std::fs::write(tree.join("f20.yaml"), "x: 1\n").expect("written");
    refused(&generate(spec.as_bytes(), &opts(&tree)), "/paths/~1a/$ref", "copy more than 1000000 values");
}

/// 100,000 nested `[` (libyaml alone takes time quadratic in that), in the spec and in a
/// referenced file.
#[test]
fn deep_yaml_flow_nesting_is_refused_before_parsing() {
    let (tree, _) = folders("flow");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let spec = format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-deep: {deep}\n");
    let result = generate(spec.as_bytes(), &opts(&tree));
    let Err(diags) = &result else { panic!("generated") };
    let d = diags.iter().next().expect("one error");
    assert!(d.message.contains("nest deeper than 128 levels"), "{d:?}");
    assert_eq!(d.line_col, Some((4, 137)));

    std::fs::write(tree.join("deep.yaml"), format!("x: {deep}\n")).expect("written");
    refused(&generate(param_ref("deep.yaml").as_bytes(), &opts(&tree)), PARAM_REF, "nest deeper than 128 levels");
    // Brackets in scalars are text, however many.
    let text = format!(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: |\n    {0}\n  summary: see {0}\n  termsOfService: '{0}'\npaths: {{}}\n",
        "[".repeat(1000)
    );
    generate(text.as_bytes(), &opts(&tree)).unwrap_or_else(|d| panic!("{d}"));
}

/// YAML aliases of anchors full of aliases: 10 KB that spell 10 million values.
#[test]
fn yaml_aliases_that_multiply_are_refused() {
    let (tree, _) = folders("aliases");
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nx-a0: &a0 [{}]\nx-a1: &a1 [{}]\nx-a2: &a2 [{}]\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{type: array}}, example: *a2}}}}\n",
        vec!["xxxxxxxx"; 1000].join(","),
        vec!["*a0"; 100].join(","),
        vec!["*a1"; 100].join(",")
    );
    limited(&generate(spec.as_bytes(), &opts(&tree)), "anchors and aliases (`*name`) expand to more than");
    // A few aliases are fine.
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx-ok: &ok {description: ok}\npaths:\n  /a:\n    get:\n      responses: {'204': *ok}\n";
    generate(spec.as_bytes(), &opts(&tree)).unwrap_or_else(|d| panic!("{d}"));
}

/// A 170 KB path template with 20,000 parameters under it: every pointer below a key spells the
/// key, so keys are limited (1,024 bytes), and the diagnostics kept too (1,000; a key of 1,000
/// bytes at each of 60 levels over 5,000 errors).
#[test]
fn long_keys_and_many_problems_stay_small() {
    let (tree, _) = folders("long_keys");
    let path: String = (0..20_000).map(|i| format!("/{{p{i}}}")).collect();
    let params: Vec<String> =
        (0..20_000).map(|i| format!("{{\"name\": \"p{i}\", \"in\": \"path\", \"required\": true}}")).collect();
    let spec = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{\"{path}\": {{\"get\": {{\"parameters\": [{}], \"responses\": {{}}}}}}}}}}",
        params.join(", ")
    );
    limited(&generate(spec.as_bytes(), &opts(&tree)), "keys have at most 1024 bytes");

    let mut schema = format!(
        "{{\"type\": \"object\", \"properties\": {{{}}}}}",
        (0..5000).map(|i| format!("\"f{i}\": {{\"type\": 12}}")).collect::<Vec<_>>().join(", ")
    );
    for i in 0..60 {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"{}{i}\": {schema}}}}}", "k".repeat(1000));
    }
    let spec = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"S\": {schema}}}}}}}"
    );
    let result = generate(spec.as_bytes(), &opts(&tree));
    let Err(diags) = &result else { panic!("generated") };
    assert_eq!(diags.len(), sdkgen::diagnostics::MAX_DIAGNOSTICS);
    assert!(diags.omitted() > 0 && diags.iter().all(|d| d.line_col.is_some()));
    assert!(diags.render("spec.json").contains("more problems (the first 1000 are shown)"));
}

/// Each schema merges the next one four times through `allOf`, 15 deep: 4^15 merges unless a
/// merged view is computed once per schema.
#[test]
fn all_of_that_fans_out_is_merged_once_per_schema() {
    let (tree, _) = folders("all_of");
    let mut spec = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/S0'}}}\ncomponents:\n  schemas:\n",
    );
    for i in 0..15 {
        let next = format!("{{$ref: '#/components/schemas/S{}'}}", i + 1);
        spec.push_str(&format!(
            "    S{i}: {{allOf: [{next}, {next}, {next}, {next}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}\n"
        ));
    }
    spec.push_str("    S15: {type: object, properties: {z: {type: string}}}\n");
    let g = generate(spec.as_bytes(), &opts(&tree)).unwrap_or_else(|d| panic!("{d}"));
    let s0 = g.api.types.defs.iter().find(|d| d.api_name == "S0").expect("S0");
    let sdkgen::ir::TypeKind::Struct(s) = &s0.kind else { panic!("{:?}", s0.kind) };
    assert_eq!(s.fields.len(), 16);
}

/// A 3.1 type list that repeats `object` 5,000 times: one branch per distinct type, not a copy
/// of the 1,000 properties per entry.
#[test]
fn a_type_list_is_read_once_per_type() {
    let (tree, _) = folders("type_list");
    let props: Vec<String> = (0..1000).map(|i| format!("f{i}: {{type: string}}")).collect();
    let types = vec!["object, string"; 5000].join(", ");
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S: {{type: [{types}], properties: {{{}}}}}\n",
        props.join(", ")
    );
    let g = generate(spec.as_bytes(), &opts(&tree)).unwrap_or_else(|d| panic!("{d}"));
    let s = g.api.types.defs.iter().find(|d| d.api_name == "S").expect("S");
    let sdkgen::ir::TypeKind::Union(u) = &s.kind else { panic!("{:?}", s.kind) };
    assert_eq!(u.variants.len(), 2);
}

/// Two chains of 25,000 schemas that are copies of each other merge into one, link by link
/// from the leaves up, without a pass over all types per link.
#[test]
fn copies_that_merge_one_after_the_other_merge_in_linear_time() {
    let n = 25_000;
    let mut spec = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n");
    for p in ["A", "B"] {
        spec.push_str(&format!("  /{p}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/{p}0'}}}}}}\n"));
    }
    spec.push_str("components:\n  schemas:\n");
    for p in ["A", "B"] {
        for i in 0..n {
            spec.push_str(&format!(
                "    {p}{i}: {{type: object, properties: {{n: {{$ref: '#/components/schemas/{p}{}'}}}}}}\n",
                i + 1
            ));
        }
        spec.push_str(&format!("    {p}{n}: {{type: object, properties: {{z: {{type: string}}}}}}\n"));
    }
    // Read and lowered only (writing 50,000 types out is not what is tested).
    let front = sdkgen::spec::read(spec.as_bytes(), None).unwrap_or_else(|d| panic!("{d}"));
    let mut diags = front.diags;
    let api = sdkgen::lower::lower_document(&front.parsed, &front.doc, &mut diags);
    let b0 = api.types.defs.iter().find(|d| d.api_name == "B0").expect("B0");
    let a0 = api.types.defs.iter().find(|d| d.api_name == "A0").expect("A0");
    assert_eq!(b0.merged_into, Some(a0.id));
}

// Components are copied into every place that uses them. Each case stops at a limit with an
// error (a test each, so that they run side by side).

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

/// A shared example (many values, or one long string) in 2,000 responses of distinct types.
#[test]
fn a_shared_example_stops_at_the_lowering_limit() {
    let (tree, _) = folders("lowering-example");
    let example = format!("[{}]", vec![format!("'{}'", "x".repeat(100)); 2000].join(","));
    let mut spec = format!("{HEAD}paths:\n");
    for i in 0..2000 {
        spec.push_str(&format!("  /a{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/S{i}'}}, examples: {{e: {{$ref: '#/components/examples/Big'}}}}}}}}\n"));
    }
    spec.push_str(&format!("components:\n  examples:\n    Big: {{value: {example}}}\n  schemas:\n"));
    for i in 0..2000 {
        spec.push_str(&format!("    S{i}: {{type: array, items: {{type: string, title: s{i}}}}}\n"));
    }
    limited(&generate(spec.as_bytes(), &opts(&tree)), "expands to more than");
    // One value, but a long one: a 1 MB string.
    let big = format!("'{}'", "x".repeat(1_000_000));
    limited(&generate(spec.replace(&example, &big).as_bytes(), &opts(&tree)), "expands to more than");
}

/// A parameter with an inline schema of 1,000 properties in 2,000 operations.
#[test]
fn a_shared_parameter_schema_stops_at_the_lowering_limit() {
    let (tree, _) = folders("lowering-parameter");
    let props: Vec<String> = (0..1000).map(|i| format!("f{i}: {{type: string}}")).collect();
    let mut spec = format!("{HEAD}paths:\n");
    for i in 0..2000 {
        spec.push_str(&format!("  /a{i}:\n    get:\n      parameters: [{{$ref: '#/components/parameters/P'}}]\n      responses: {{'204': {{description: ok}}}}\n"));
    }
    spec.push_str(&format!(
        "components:\n  parameters:\n    P: {{name: q, in: query, schema: {{type: object, properties: {{{}}}}}}}\n",
        props.join(", ")
    ));
    limited(&generate(spec.as_bytes(), &opts(&tree)), "expands to more than");
}

/// 1,000 security requirements applying to 5,000 operations.
#[test]
fn shared_security_requirements_stop_at_the_lowering_limit() {
    let (tree, _) = folders("lowering-security");
    let mut spec = format!("{HEAD}security:\n");
    spec.extend((0..1000).map(|k| format!("  - s{k}: []\n")));
    spec.push_str("paths:\n");
    spec.extend((0..5000).map(|i| format!("  /a{i}:\n    get:\n      responses: {{'204': {{description: ok}}}}\n")));
    spec.push_str("components:\n  securitySchemes:\n");
    spec.extend((0..1000).map(|k| format!("    s{k}: {{type: apiKey, in: header, name: X-K{k}}}\n")));
    limited(&generate(spec.as_bytes(), &opts(&tree)), "expands to more than");
}

/// 3,000 tags whose operations share 3,000 types.
#[test]
fn tags_sharing_types_stop_at_the_feature_limit() {
    let (tree, _) = folders("lowering-tags");
    let mut spec = format!("{HEAD}paths:\n");
    spec.extend((0..3000).map(|i| format!("  /a{i}:\n    get:\n      tags: [t{i}]\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}}}}}}}\n")));
    spec.push_str("components:\n  schemas:\n    Lonely: {type: object, properties: {z: {type: string}}}\n    A:\n      type: object\n      properties:\n");
    spec.extend((0..3000).map(|j| format!("        b{j}: {{$ref: '#/components/schemas/B{j}'}}\n")));
    spec.extend((0..3000).map(|j| format!("    B{j}: {{type: object, properties: {{x{j}: {{type: string}}}}}}\n")));
    limited(&generate(spec.as_bytes(), &opts(&tree)), "tags reach the types more than");
}

/// A union listing one schema 10,000 times, with 10,000 discriminator values copied into it.
#[test]
fn discriminator_values_copied_into_a_variant_stop_at_the_lowering_limit() {
    let (tree, _) = folders("lowering-discriminator");
    let mut spec = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    U:\n      oneOf:\n");
    spec.extend((0..10_000).map(|_| "        - $ref: '#/components/schemas/V'\n".to_string()));
    spec.push_str("      discriminator:\n        propertyName: kind\n        mapping:\n");
    spec.extend((0..10_000).map(|i| format!("          k{i}: '#/components/schemas/V'\n")));
    spec.push_str("    V: {type: object, properties: {kind: {type: string}}}\n");
    limited(&generate(spec.as_bytes(), &opts(&tree)), "expands to more than");
}
