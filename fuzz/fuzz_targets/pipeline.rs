//! The whole pipeline on arbitrary bytes: load -> validate -> normalize -> parse -> lower -> emit
//! -> format. It must never panic; every Rust file of an accepted input must parse; every
//! diagnostic's position must lie inside the input; the shape checks must never reject what the
//! parser reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen::{generate, GenerateOptions};

fuzz_target!(|data: &[u8]| {
    let opts =
        GenerateOptions { command: "sdkgen generate".into(), spec_label: "fuzz.yaml".into(), ..Default::default() };
    // Lines as YAML counts them: `\r\n`, `\r` and `\n` end a line.
    let lines = 1 + data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    let diagnostics = match generate(data, &opts) {
        Ok(generated) => {
            for (path, content) in &generated.files {
                if path.ends_with(".rs") {
                    if let Err(e) = syn::parse_file(content) {
                        panic!("generated {path} does not parse as Rust: {e}\n{content}");
                    }
                }
            }
            generated.diagnostics
        }
        Err(diagnostics) => diagnostics,
    };
    for d in diagnostics.iter() {
        if let Some((line, col)) = d.line_col {
            assert!(line >= 1 && line <= lines && col >= 1, "{d:?} is outside the input ({lines} lines)");
        }
    }
    let _ = diagnostics.render("fuzz.yaml");

    // The shape checks only name problems the parser would also refuse: never an error for a
    // document that `openapiv3` reads after normalizing.
    if let Ok((mut doc, _)) = sdkgen::spec::load::load_document(data) {
        let shapes = sdkgen::spec::validate::shape_diagnostics(&doc);
        if shapes.has_errors() {
            sdkgen::spec::normalize::normalize(&mut doc, &mut Default::default());
            if serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok() {
                panic!("shape errors for a document openapiv3 reads:\n{}", shapes.render("fuzz.yaml"));
            }
        }
    }
});
