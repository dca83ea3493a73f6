//! `cargo test` fails when `generated/` is stale, exactly like `cargo xtask check`.

#[test]
fn generated_crate_is_fresh() {
    let stale = xtask::stale_vendored().expect("the vendored spec generates");
    assert!(
        stale.is_empty(),
        "generated/ is stale ({} files: {:?}); run `cargo xtask regen` and commit",
        stale.len(),
        stale
    );
}

#[test]
fn generation_is_deterministic() {
    let a = xtask::generate_vendored().expect("generates");
    let b = xtask::generate_vendored().expect("generates");
    assert_eq!(a.files, b.files);
}

#[test]
fn vendored_spec_is_the_seed_verbatim() {
    let root = xtask::root();
    let seed = std::fs::read_to_string(root.join("../shared/seeds/000_1e2ae72c58d42e70.txt"));
    let Ok(seed) = seed else {
        // The seed lives beside the repository on developer machines and in CI; a clone
        // elsewhere has only the vendored copy, which the other tests cover.
        return;
    };
    let start = seed.find("````yaml").expect("seed has a yaml fence");
    let body_start = start + seed[start..].find('\n').expect("fence line ends") + 1;
    let body_end = body_start + seed[body_start..].find("\n````").expect("closing fence") + 1;
    let vendored = std::fs::read_to_string(root.join("spec/openapi.yaml")).expect("vendored spec");
    assert_eq!(vendored, &seed[body_start..body_end]);
}
