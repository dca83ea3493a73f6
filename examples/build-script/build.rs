//! Generates the pet store client into `OUT_DIR` from `spec/pets.yaml` and the `spec/sdkgen.toml`
//! next to it; cargo reruns this when either changes.

fn main() {
    if let Err(e) = sdkgen::Generator::new("spec/pets.yaml").generate() {
        // Every problem, located in the spec or the configuration, then a failed build.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
