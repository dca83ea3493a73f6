//! The `sdkgen` binary: `sdkgen generate --spec FILE --out DIR [--name CRATE]`.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    sdkgen::cli::run(&args)
}
