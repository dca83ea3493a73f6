#[test]
fn replay() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/artifacts/pipeline");
    let mut msgs = std::collections::BTreeMap::<String, Vec<String>>::new();
    std::panic::set_hook(Box::new(|_| {}));
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let r = std::panic::catch_unwind(|| {
            let _ = sdkgen::generate(&data, &Default::default());
            if let Ok(mut doc) = sdkgen::load::load_document(&data) {
                let shapes = sdkgen::validate::shape_diagnostics(&doc);
                if shapes.has_errors() {
                    sdkgen::normalize::normalize(&mut doc, &mut Default::default());
                    if serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok() {
                        panic!("shape errors for a document openapiv3 reads:\n{}", shapes.render("fuzz.yaml"));
                    }
                }
            }
        });
        if let Err(p) = r {
            let m = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            let key: String = m.lines().nth(1).unwrap_or(&m).split(": error:").nth(1).unwrap_or(&m).chars().take(70).collect();
            msgs.entry(key).or_default().push(format!("{} {}", path.file_name().unwrap().to_string_lossy(), m.chars().take(300).collect::<String>()));
        }
    }
    for (k, v) in &msgs { eprintln!("[{}] x{}: {}\n", k, v.len(), v[0]); }
    eprintln!("groups: {}", msgs.len());
}
