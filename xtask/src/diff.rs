//! `cargo xtask diff OLD NEW`: what changed between two specs and whether it breaks users, and
//! `cargo xtask regen --bump`: the crate version and changelog entry that follow from the diff
//! against the committed spec.
//!
//! The crate version lives in `generated/CHANGELOG.md` once that file exists: its newest
//! `## X.Y.Z` section is the version `regen` and `check` generate with (see
//! [`crate::vendored_options`]), so a bump survives later plain `regen`s.

use sdkgen::diff::{self, Level, Report, Spec};
use std::path::Path;
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
    let mut flag_value = false;
    for a in args {
        let arg = if flag_value || a.starts_with('-') {
            a.clone()
        } else if let Some(rev) = a.strip_prefix("git:").filter(|r| !r.contains(':')) {
            format!("git:{rev}:{SPEC}")
        } else if a.starts_with("git:") {
            a.clone()
        } else {
            std::path::absolute(a).map_or_else(|_| a.clone(), |p| p.display().to_string())
        };
        // The value of `--format`, `--title`, `--message-format` or `--color` is not a spec.
        flag_value = matches!(a.as_str(), "--format" | "--title" | "--message-format" | "--color");
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
