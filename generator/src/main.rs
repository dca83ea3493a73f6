//! The `sdkgen` binary: `sdkgen generate --spec FILE --out DIR [--name CRATE]`.

/// Generation allocates and frees millions of small tokens and syn nodes: mimalloc does that in
/// about two thirds of glibc malloc's time.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    #[cfg(feature = "mimalloc")]
    sdkgen::configure_allocator();
    let args: Vec<String> = std::env::args().skip(1).collect();
    sdkgen::cli::run(&args)
}
