//! `cargo xtask bench [SPEC...]`, `cargo xtask bench --compile SPEC` and `cargo xtask bench --peers`.
//!
//! Generation: for each spec, a child process (this binary, built in release) runs the whole
//! pipeline and reports per-phase times and its peak memory; another child only reads and
//! parses the file into a generic `serde_json::Value` (the floor). Both are timed as whole
//! processes in the same run, so the ratio compares like with like on a noisy machine.
//!
//! Compilation: generates the crate, builds its dependencies once, then times a clean build of
//! the crate alone and an incremental rebuild after touching one file, with rustc's peak RSS.
//!
//! Peers (`--peers [--runs N] [SPEC..]`, default the GitHub spec of the corpus): N whole-process
//! generations of `sdkgen generate` (this binary in release) and of OpenAPI Generator's `rust`
//! target, alternating, each into a fresh temp dir, with the wall time and the peak RSS of each
//! process tree (through `bench-peak`). The peer comes from PyPI: the `openapi-generator-cli`
//! wheel bundles the generator's jar and runs it with the `java` on PATH. On a fresh Debian:
//!
//! ```text
//! apt-get update && apt-get install -y default-jre-headless pipx
//! pipx install openapi-generator-cli==7.26.0   # or `pip install` into any Python >= 3.10
//! export PATH="$HOME/.local/bin:$PATH"
//! openapi-generator-cli version                # 7.26.0
//! ```
//!
//! The peer runs with `--skip-validate-spec`: its validator rejects 4 of the corpus's 18 specs
//! (Anthropic's lacks `info.version`, Directus has a non-object JSON body...), and skipping it only
//! makes the peer faster (GitHub: about 15%).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Peak resident memory of this process so far, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Largest resident set of any waited-for descendant, in KiB (rustc under cargo).
fn children_peak_rss_kib() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the pointer it is given.
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) } == 0;
    if ok {
        // SAFETY: initialised by the successful call above.
        unsafe { usage.assume_init() }.ru_maxrss.max(0) as u64
    } else {
        0
    }
}

/// `xtask bench-peak FILE PROGRAM ARGS..`: runs the program, waits for it, and writes the peak
/// RSS in KiB of the largest process it waited for into FILE. Run as a fresh process per
/// measurement, because `RUSAGE_CHILDREN` only ever grows within one process.
pub fn peak(args: &[String]) -> ExitCode {
    let (Some(file), Some(program)) = (args.first(), args.get(1)) else { return ExitCode::from(2) };
    let status = match Command::new(program).args(&args[2..]).status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{program}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(file, children_peak_rss_kib().to_string()) {
        eprintln!("{file}: {e}");
        return ExitCode::FAILURE;
    }
    if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The child side: `xtask bench-child floor|generate SPEC OUT`. Prints one line of
/// `key=value` pairs on stdout.
pub fn child(args: &[String]) -> ExitCode {
    let (Some(mode), Some(spec)) = (args.first(), args.get(1)) else { return ExitCode::from(2) };
    let t = Instant::now();
    let bytes = match std::fs::read(spec) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let read = t.elapsed();
    match mode.as_str() {
        "floor" => {
            let value: Result<sdkgen_floor::Value, String> = sdkgen_floor::parse(&bytes);
            let ok = value.is_ok();
            drop(value);
            println!("total_ms={:.3} read_ms={:.3} peak_kib={} ok={ok}", ms(t.elapsed()), ms(read), peak_rss_kib());
        }
        "generate" => {
            let out = PathBuf::from(args.get(2).cloned().unwrap_or_else(|| "target/bench/out".into()));
            let opts = sdkgen::GenerateOptions {
                command: "sdkgen generate".into(),
                spec_label: spec.clone(),
                ..Default::default()
            };
            let g = match sdkgen::generate(&bytes, &opts) {
                Ok(g) => g,
                Err(d) => {
                    eprint!("{}", d.render(spec));
                    return ExitCode::FAILURE;
                }
            };
            let w = Instant::now();
            if let Err(e) = sdkgen::output::write_files(&out, &g.files) {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
            let write = w.elapsed();
            let x = &g.times;
            println!(
                "total_ms={:.3} read_ms={:.3} load_ms={:.3} validate_ms={:.3} normalize_ms={:.3} parse_ms={:.3} lower_ms={:.3} emit_ms={:.3} format_ms={:.3} emit_format_wall_ms={:.3} write_ms={:.3} peak_kib={} operations={} types={} bytes_out={}",
                ms(t.elapsed()),
                ms(read),
                ms(x.load),
                ms(x.validate),
                ms(x.normalize),
                ms(x.parse),
                ms(x.lower),
                ms(x.emit),
                ms(x.format),
                ms(x.emit_format_wall),
                ms(write),
                peak_rss_kib(),
                g.operations,
                g.types,
                g.files.iter().map(|f| f.1.len()).sum::<usize>()
            );
        }
        _ => return ExitCode::from(2),
    }
    ExitCode::SUCCESS
}

/// The floor parser: JSON with serde_json, YAML with serde_yaml, into a generic value.
mod sdkgen_floor {
    pub type Value = serde_json::Value;
    pub fn parse(bytes: &[u8]) -> Result<Value, String> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if first == Some(b'{') {
            serde_json::from_slice(bytes).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_slice::<serde_yaml::Value>(bytes).map_err(|e| e.to_string()).map(|_| Value::Null)
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn parse_kv(line: &str) -> Vec<(String, String)> {
    line.split_whitespace().filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn get<'a>(kv: &'a [(String, String)], key: &str) -> &'a str {
    kv.iter().find(|(k, _)| k == key).map_or("-", |(_, v)| v.as_str())
}

fn release_binary() -> Result<PathBuf, String> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(crate::root())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building xtask in release failed".into());
    }
    Ok(crate::root().join("target/release/xtask"))
}

/// Runs a child and returns its wall time and its `key=value` report.
fn run_child(bin: &Path, args: &[&str]) -> Result<(Duration, Vec<(String, String)>), String> {
    let t = Instant::now();
    let out = Command::new(bin).arg("bench-child").args(args).output().map_err(|e| e.to_string())?;
    let wall = t.elapsed();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("failed").to_string());
    }
    Ok((wall, parse_kv(&String::from_utf8_lossy(&out.stdout))))
}

pub fn run(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) == Some("--compile") {
        return match args.get(1) {
            Some(spec) => compile(Path::new(spec)),
            None => {
                eprintln!("usage: cargo xtask bench --compile SPEC");
                ExitCode::from(2)
            }
        };
    }
    if args.first().map(String::as_str) == Some("--peers") {
        return peers(&args[1..]);
    }
    let mut specs: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    if specs.is_empty() {
        specs.push(crate::root().join("spec/openapi.yaml"));
        let corpus = crate::corpus::default_dir().join("specs");
        if let Ok(d) = std::fs::read_dir(&corpus) {
            let mut more: Vec<PathBuf> = d.flatten().map(|e| e.path()).collect();
            more.sort();
            specs.extend(more);
        } else {
            eprintln!("bench: no corpus at {} (run `cargo xtask corpus --no-compile` to fetch it)", corpus.display());
        }
    }
    let bin = match release_binary() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("| spec | KB | ops | types | floor ms | generate ms | ratio | load | validate | normalize | parse | lower | emit+format (wall) | write | peak MB |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let out_dir = crate::root().join("target/bench/out");
    for spec in &specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let kb = std::fs::metadata(spec).map(|m| m.len() / 1024).unwrap_or(0);
        let s = spec.to_string_lossy();
        // Best of three for each, alternating, so both see the same machine state.
        let mut best_floor: Option<Duration> = None;
        let mut best_gen: Option<(Duration, Vec<(String, String)>)> = None;
        let mut failed = None;
        for _ in 0..3 {
            match run_child(&bin, &["floor", &s]) {
                Ok((w, _)) => best_floor = Some(best_floor.map_or(w, |b| b.min(w))),
                Err(e) => failed = Some(e),
            }
            let out = out_dir.join(&name);
            match run_child(&bin, &["generate", &s, &out.to_string_lossy()]) {
                Ok((w, kv)) => {
                    if best_gen.as_ref().is_none_or(|(b, _)| w < *b) {
                        best_gen = Some((w, kv));
                    }
                }
                Err(e) => failed = Some(e),
            }
        }
        let (Some(floor), Some((gen, kv))) = (best_floor, best_gen) else {
            println!("| {name} | {kb} | failed: {} |", failed.unwrap_or_default());
            continue;
        };
        let peak_mb = get(&kv, "peak_kib").parse::<f64>().unwrap_or(0.0) / 1024.0;
        println!(
            "| {name} | {kb} | {} | {} | {:.0} | {:.0} | {:.1}x | {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            get(&kv, "operations"),
            get(&kv, "types"),
            ms(floor),
            ms(gen),
            gen.as_secs_f64() / floor.as_secs_f64(),
            round(get(&kv, "load_ms")),
            round(get(&kv, "validate_ms")),
            round(get(&kv, "normalize_ms")),
            round(get(&kv, "parse_ms")),
            round(get(&kv, "lower_ms")),
            round(get(&kv, "emit_format_wall_ms")),
            round(get(&kv, "write_ms")),
            peak_mb
        );
    }
    println!("(ms, best of 3 whole-process runs; floor = read + parse into serde_json::Value / serde_yaml::Value)");
    ExitCode::SUCCESS
}

/// The peer's command: `PEER generate -g rust -i SPEC -o DIR --skip-validate-spec`.
const PEER: &str = "openapi-generator-cli";

/// Runs `PROGRAM ARGS..` under `bench-peak`, its output into `log`: wall time and peak RSS in KiB.
fn timed_peak(bin: &Path, program: &Path, args: &[&str], log: &Path) -> Result<(Duration, u64), String> {
    let peak_file = log.with_extension("peak-kib");
    let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let t = Instant::now();
    let status = Command::new(bin)
        .arg("bench-peak")
        .arg(&peak_file)
        .arg(program)
        .args(args)
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .status()
        .map_err(|e| e.to_string())?;
    let wall = t.elapsed();
    if !status.success() {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let mut lines =
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.contains(" INFO ") && !l.contains(" WARN "));
        let first = lines.find(|l| l.contains("Exception") || l.to_lowercase().contains("error"));
        return Err(format!("{} (log: {})", first.or(text.lines().last()).unwrap_or("no output"), log.display()));
    }
    let peak = std::fs::read_to_string(&peak_file).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
    Ok((wall, peak))
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    let n = v.len();
    if n.is_multiple_of(2) {
        (v[n / 2 - 1] + v[n / 2]) / 2
    } else {
        v[n / 2]
    }
}

/// `bench --peers [--runs N] [SPEC..]`: sdkgen against OpenAPI Generator's `rust` target.
fn peers(args: &[String]) -> ExitCode {
    let mut runs = 3;
    let mut specs = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--runs" {
            match it.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0) {
                Some(n) => runs = n,
                None => {
                    eprintln!("usage: cargo xtask bench --peers [--runs N] [SPEC..]");
                    return ExitCode::from(2);
                }
            }
        } else {
            specs.push(PathBuf::from(arg));
        }
    }
    if specs.is_empty() {
        specs.push(crate::corpus::default_dir().join("specs/github-rest-3.0.json"));
    }
    let version = match Command::new(PEER).arg("version").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        other => {
            let why = match other {
                Ok(out) => String::from_utf8_lossy(&out.stderr).trim().lines().last().unwrap_or("failed").to_string(),
                Err(e) => e.to_string(),
            };
            eprintln!(
                "bench: `{PEER} version`: {why}\n\
                 OpenAPI Generator is not installed; it needs a JRE (apt) and its jar (PyPI's package bundles it):\n  \
                 apt-get update && apt-get install -y default-jre-headless pipx\n  \
                 pipx install openapi-generator-cli==7.26.0 && export PATH=\"$HOME/.local/bin:$PATH\""
            );
            return ExitCode::FAILURE;
        }
    };
    let bin = match release_binary() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let logs = crate::root().join("target/bench/peers");
    if let Err(e) = std::fs::create_dir_all(&logs) {
        eprintln!("bench: {}: {e}", logs.display());
        return ExitCode::FAILURE;
    }
    let mut ok = true;
    println!("| spec | KB | sdkgen ms | {PEER} {version} ms | ratio | sdkgen peak MB | peer peak MB |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for spec in &specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let kb = std::fs::metadata(spec).map(|m| m.len() / 1024).unwrap_or(0);
        // (times, largest peak KiB, last error) of sdkgen, then of the peer.
        let mut results = [(Vec::new(), 0, None), (Vec::new(), 0, None)];
        for run in 0..runs {
            for (i, result) in results.iter_mut().enumerate() {
                let out = std::env::temp_dir().join(format!("sdkgen-bench-{}-{name}-{i}-{run}", std::process::id()));
                let _ = std::fs::remove_dir_all(&out);
                let (s, o) = (spec.to_string_lossy(), out.to_string_lossy());
                let (program, args, log) = if i == 0 {
                    (bin.as_path(), vec!["generate", "--spec", &s, "--out", &o], format!("{name}.sdkgen.log"))
                } else {
                    let args = vec!["generate", "-g", "rust", "-i", &s, "-o", &o, "--skip-validate-spec"];
                    (Path::new(PEER), args, format!("{name}.peer.log"))
                };
                let measured = timed_peak(&bin, program, &args, &logs.join(log));
                let _ = std::fs::remove_dir_all(&out);
                match measured {
                    Ok((wall, peak)) => {
                        result.0.push(wall);
                        result.1 = result.1.max(peak);
                    }
                    Err(e) => result.2 = Some(e),
                }
            }
        }
        let cells = results.each_ref().map(|(times, peak, err)| match err {
            Some(e) => (format!("failed: {e}"), "-".to_string()),
            None => (format!("{:.0}", ms(median(times))), format!("{:.0}", *peak as f64 / 1024.0)),
        });
        let ratio = match &results {
            [(ours, _, None), (theirs, _, None)] => {
                format!("{:.1}x", median(theirs).as_secs_f64() / median(ours).as_secs_f64())
            }
            _ => {
                ok = false;
                "-".into()
            }
        };
        let [(our_ms, our_mb), (their_ms, their_mb)] = cells;
        println!("| {name} | {kb} | {our_ms} | {their_ms} | {ratio} | {our_mb} | {their_mb} |");
    }
    println!(
        "(median of {runs} whole-process runs each, alternating, each into a fresh temp dir; the peer with \
         --skip-validate-spec; ratio = peer / sdkgen; peak MB = the largest process of the tree (the JVM for the \
         peer), the largest of the runs)"
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn round(v: &str) -> String {
    v.parse::<f64>().map_or_else(|_| v.to_string(), |f| format!("{f:.0}"))
}

/// Clean and incremental build of one generated crate, dependencies built beforehand.
fn compile(spec: &Path) -> ExitCode {
    let bytes = match std::fs::read(spec) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e}", spec.display());
            return ExitCode::FAILURE;
        }
    };
    let dir = crate::root().join("target/bench/compile");
    let opts = sdkgen::GenerateOptions {
        crate_name: Some("bench-crate".into()),
        command: "sdkgen generate".into(),
        spec_label: spec.to_string_lossy().into_owned(),
        ..Default::default()
    };
    let generated = match sdkgen::generate(&bytes, &opts) {
        Ok(g) => g,
        Err(d) => {
            eprint!("{}", d.render(&spec.to_string_lossy()));
            return ExitCode::FAILURE;
        }
    };
    let crate_dir = dir.join("bench-crate");
    if let Err(e) = sdkgen::output::write_files(&crate_dir, &generated.files) {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    let _ = std::fs::write(dir.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"bench-crate\"]\n");
    if !dir.join("Cargo.lock").exists() {
        let _ = std::fs::copy(crate::root().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
    // Each cargo run goes through `xtask bench-peak`, so its peak RSS is its own.
    let peak_file = dir.join("peak-kib");
    let exe = std::env::current_exe().map_err(|e| e.to_string());
    let cargo_peak = |args: &[&str]| -> Result<(Duration, u64), String> {
        let t = Instant::now();
        let status = Command::new(exe.clone()?)
            .arg("bench-peak")
            .arg(&peak_file)
            .arg(env!("CARGO"))
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .status()
            .map_err(|e| e.to_string())?;
        let elapsed = t.elapsed();
        if !status.success() {
            return Err(format!("cargo {} failed", args.join(" ")));
        }
        let peak = std::fs::read_to_string(&peak_file).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
        Ok((elapsed, peak))
    };
    let cargo = |args: &[&str]| cargo_peak(args).map(|(t, _)| t);
    // Dependencies first (not measured), then the crate alone from clean, for the default
    // features and for all of them.
    let measure = |features: &[&str]| -> Result<(Duration, u64, Duration), String> {
        let mut args = vec!["build", "--quiet", "-p", "bench-crate"];
        args.extend_from_slice(features);
        cargo(&args)?;
        cargo(&["clean", "--quiet", "-p", "bench-crate"])?;
        let (clean, clean_peak) = cargo_peak(&args)?;
        let lib = crate_dir.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, format!("{text}\n")).map_err(|e| e.to_string())?;
        let incremental = cargo(&args)?;
        std::fs::write(&lib, text).map_err(|e| e.to_string())?;
        Ok((clean, clean_peak, incremental))
    };
    println!("| spec | operations | types | features | clean build (deps built) | incremental (touch lib.rs) | rustc peak RSS |\n| --- | --- | --- | --- | --- | --- | --- |");
    for (label, features) in [("default", &[][..]), ("all", &["--all-features"][..])] {
        match measure(features) {
            Ok((clean, peak, incremental)) => println!(
                "| {} | {} | {} | {label} | {:.1} s | {:.1} s | {:.0} MB |",
                spec.file_name().unwrap_or_default().to_string_lossy(),
                generated.operations,
                generated.types,
                clean.as_secs_f64(),
                incremental.as_secs_f64(),
                peak as f64 / 1024.0
            ),
            Err(e) => {
                eprintln!("bench: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("(rustc peak RSS: the largest process of the clean build itself; dev profile)");
    ExitCode::SUCCESS
}
