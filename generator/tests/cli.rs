//! The `sdkgen` binary as a user runs it, in a folder outside the repository: versions and
//! help, exit codes, generation with a configuration file, `diff` as JSON lines, and the
//! excerpt of a broken spec.

use assert_cmd::Command;
use std::path::Path;

fn sdkgen(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("sdkgen").expect("the sdkgen binary");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const SPEC: &str = r##"openapi: 3.0.3
info:
  title: Shop
  version: 2.1.0
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      responses:
        "200":
          description: The orders.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Order"}
  /admin/audit:
    get:
      operationId: getAudit
      tags: [admin]
      responses:
        "200":
          description: The audit log.
          content:
            application/json:
              schema: {type: string}
security:
  - key: []
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Shop-Key}
  schemas:
    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: string}
        total: {$ref: "#/components/schemas/Money"}
    Money:
      type: object
      properties:
        amount: {type: string}
        currency: {type: string}
"##;

const CONFIG: &str = r#"[package]
repository = "https://example.com/shop-client"
keywords = ["shop"]

[[replace]]
schema = "Money"
type = "rust_decimal::Decimal"
crate = { name = "rust_decimal", version = "1", features = ["serde"] }

[[types]]
match = "Order"
derives = ["Eq", "Hash"]

[operations]
exclude-tags = ["admin"]

[rename.methods]
listOrders = "orders"
"#;

#[test]
fn version_and_help_exit_0_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = sdkgen(dir.path()).arg("--version").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), format!("sdkgen {}", env!("CARGO_PKG_VERSION")));
    for args in [&["--help"][..], &["generate", "--help"], &["diff", "--help"]] {
        let out = sdkgen(dir.path()).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Usage: sdkgen"), "{args:?}: {}", stdout(&out));
    }
    for args in [&["generate", "--spec", "a.yaml"][..], &["frobnicate"], &["generate", "--bogus"], &[]] {
        let out = sdkgen(dir.path()).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = sdkgen(dir.path())
        .args(["generate", "--spec", "a.yaml", "--out", "o", "--name", "no spaces"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a valid crate name"), "{}", stderr(&out));
}

#[test]
fn generate_with_a_configuration_next_to_the_spec() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("shop.yaml"), SPEC).expect("written");
    std::fs::write(dir.path().join("sdkgen.toml"), CONFIG).expect("written");
    let out = sdkgen(dir.path()).args(["generate", "--spec", "shop.yaml", "--out", "client"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("shop: 1 operations,"), "{}", stdout(&out));
    let read = |p: &str| std::fs::read_to_string(dir.path().join("client").join(p)).expect(p);

    let manifest: toml::Table = read("Cargo.toml").parse().expect("TOML");
    let package = &manifest["package"];
    assert_eq!(package["repository"].as_str(), Some("https://example.com/shop-client"));
    assert_eq!(package["keywords"].as_array().map(Vec::len), Some(1));
    let decimal = &manifest["dependencies"]["rust_decimal"];
    assert_eq!(decimal["version"].as_str(), Some("1"), "{decimal}");
    // The excluded tag has no feature.
    assert!(manifest["features"].get("admin").is_none(), "{}", manifest["features"]);

    let types = read("src/types.rs");
    assert!(types.contains("pub type Money = rust_decimal::Decimal;"), "{types}");
    let order = types.find("pub struct Order").expect("Order is generated");
    assert!(types[..order].rfind("#[derive(Eq, Hash)]").is_some_and(|at| order - at < 200), "{types}");
    let operations = read("src/operations.rs");
    assert!(operations.contains("pub fn orders("), "{operations}");
    assert!(!operations.contains("audit"), "{operations}");

    // `check` agrees, then finds a changed file.
    let out = sdkgen(dir.path()).args(["check", "--spec", "shop.yaml", "--out", "client"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(dir.path().join("client/src/types.rs"), "// @generated by hand\n").expect("written");
    let out = sdkgen(dir.path())
        .args(["check", "--spec", "shop.yaml", "--out", "client", "--message-format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_str(stdout(&out).lines().next().expect("a line")).expect("JSON");
    assert_eq!(line["code"], "E021");
    assert!(line["file"].as_str().is_some_and(|f| f.ends_with("types.rs")), "{line}");
}

#[test]
fn types_only_is_the_types_without_the_client() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("shop.yaml"), SPEC).expect("written");
    std::fs::write(
        dir.path().join("sdkgen.toml"),
        "types-only = true\n\n[[types]]\nmatch = \"Money\"\nderives = [\"Eq\", \"Hash\"]\n",
    )
    .expect("written");
    let out = sdkgen(dir.path()).args(["generate", "--spec", "shop.yaml", "--out", "types"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut files: Vec<String> = walk(&dir.path().join("types"));
    files.sort();
    assert_eq!(files, ["Cargo.toml", "README.md", "src/lib.rs", "src/runtime.rs", "src/types.rs"]);
    let read = |p: &str| std::fs::read_to_string(dir.path().join("types").join(p)).expect(p);
    let manifest: toml::Table = read("Cargo.toml").parse().expect("TOML");
    let deps: Vec<&String> = manifest["dependencies"].as_table().expect("a table").keys().collect();
    assert_eq!(deps, ["chrono", "serde", "serde_json"]);
    assert!(manifest.get("dev-dependencies").is_none());
    let features: Vec<&String> = manifest["features"].as_table().expect("a table").keys().collect();
    assert_eq!(features, ["full-serde"]);
    let types = read("src/types.rs");
    assert!(types.contains("pub struct Order") && types.contains("pub struct Money"), "{types}");
    assert!(!types.contains("cfg(feature") && !types.contains("ParamText"), "{types}");
    // Every type may be sent: it can be built outside the crate.
    assert!(types.contains("impl Order {") && types.contains("pub fn new("), "{types}");
    let runtime = read("src/runtime.rs");
    assert!(runtime.contains("macro_rules! serde_struct") && !runtime.contains("reqwest"), "{runtime}");
}

/// The files under `dir`, relative, with `/`.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a directory") {
            let path = e.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn configuration_problems_are_located_in_the_configuration() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("shop.yaml"), SPEC).expect("written");
    std::fs::write(dir.path().join("custom.toml"), "[package]\nrepositry = \"https://example.com\"\n")
        .expect("written");
    let out = sdkgen(dir.path())
        .args(["generate", "--spec", "shop.yaml", "--out", "client", "--config", "custom.toml", "--color", "never"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E010]"), "{err}");
    assert!(err.contains("--> custom.toml:2:1"), "{err}");
    assert!(err.contains("repositry"), "{err}");
    assert!(!dir.path().join("client").exists(), "nothing is written");

    // A schema the spec does not have, and a pattern that matches nothing (a warning).
    std::fs::write(
        dir.path().join("custom.toml"),
        "[[types]]\nmatch = \"Nothing*\"\nderives = [\"Hash\"]\n\n[[replace]]\nschema = \"Mony\"\ntype = \"u64\"\n",
    )
    .expect("written");
    let out = sdkgen(dir.path())
        .args([
            "generate",
            "--spec",
            "shop.yaml",
            "--out",
            "client",
            "--config",
            "custom.toml",
            "--message-format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    let found: Vec<(&str, &str, u64)> = lines
        .iter()
        .filter(|l| l.get("code").is_some())
        .map(|l| {
            (l["code"].as_str().unwrap_or(""), l["pointer"].as_str().unwrap_or(""), l["line"].as_u64().unwrap_or(0))
        })
        .collect();
    assert!(found.contains(&("E011", "#/replace/0/schema", 6)), "{found:?}");
    assert!(found.contains(&("W004", "#/types/0/match", 2)), "{found:?}");
    assert!(lines.iter().all(|l| l.get("summary").is_some() || l["file"] == "custom.toml"), "{lines:?}");
}

#[test]
fn a_broken_spec_shows_an_excerpt_with_a_caret() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let spec = SPEC.replace("$ref: \"#/components/schemas/Money\"", "$ref: \"#/components/schemas/Mony\"");
    std::fs::write(dir.path().join("shop.yaml"), &spec).expect("written");
    let out = sdkgen(dir.path()).args(["generate", "--spec", "shop.yaml", "--out", "client"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // Not a terminal: no colors.
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("error[E004]: #/components/schemas/Order/properties/total/$ref:"), "{err}");
    let line = spec.lines().position(|l| l.contains("Mony")).expect("the line") + 1;
    let source = spec.lines().nth(line - 1).expect("the line");
    assert!(err.contains(&format!("--> shop.yaml:{line}:")), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let at = lines.iter().position(|l| l.ends_with(source)).expect("the excerpt");
    let caret = lines[at + 1].find('^').expect("a caret");
    assert_eq!(lines[at].len() - source.len() + source.find("$ref").expect("in the line"), caret, "{err}");
    // With colors asked for, the same with ANSI styles.
    let out = sdkgen(dir.path())
        .args(["generate", "--spec", "shop.yaml", "--out", "client", "--color", "always"])
        .output()
        .expect("runs");
    assert!(stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
    // A JSON spec too.
    let json =
        r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"responses": 5}}}}"#;
    std::fs::write(dir.path().join("t.json"), json).expect("written");
    let out = sdkgen(dir.path()).args(["generate", "--spec", "t.json", "--out", "client"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--> t.json:1:") && err.contains('^'), "{err}");
}

#[test]
fn diff_writes_json_lines_and_fails_on_breaking_changes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff-specs");
    for f in ["peeker-old.yaml", "peeker-new.yaml"] {
        std::fs::copy(specs.join(f), dir.path().join(f)).expect("copied");
    }
    let out = sdkgen(dir.path())
        .args(["diff", "peeker-old.yaml", "peeker-new.yaml", "--message-format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    let (summary, changes) = lines.split_last().expect("lines");
    assert_eq!(summary["summary"]["semver"], "major");
    assert_eq!(summary["summary"]["changes"].as_u64(), Some(changes.len() as u64));
    for c in changes {
        for key in ["file", "line", "column", "pointer", "severity", "code", "message"] {
            assert!(c.get(key).is_some(), "{key} in {c}");
        }
        assert!(c["pointer"].as_str().is_some_and(|p| p.starts_with("#/")), "{c}");
        assert!(c["line"].as_u64().is_some(), "every change is placed: {c}");
        let removed = c["code"].as_str().is_some_and(|k| k.ends_with("-removed"));
        assert_eq!(c["file"], if removed { "peeker-old.yaml" } else { "peeker-new.yaml" }, "{c}");
        assert_eq!(c["severity"], if c["breaking"] == true { "error" } else { "note" }, "{c}");
    }
    assert!(changes.iter().any(|c| c["code"] == "enum-value-removed"), "{changes:?}");

    let out = sdkgen(dir.path())
        .args(["diff", "peeker-old.yaml", "peeker-new.yaml", "--fail-on-breaking", "--format", "markdown"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("## API changes: "), "{}", stdout(&out));
    // Only the breaking ones, as GitHub annotations.
    let out = sdkgen(dir.path())
        .args(["diff", "peeker-old.yaml", "peeker-new.yaml", "--only", "breaking", "--format", "github"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).lines().any(|l| l.starts_with("::error")), "{}", stdout(&out));
    assert!(!stdout(&out).contains("::notice"), "{}", stdout(&out));
    let out = sdkgen(dir.path()).args(["diff", "peeker-new.yaml", "peeker-new.yaml"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).ends_with("No changes.\n"), "{}", stdout(&out));
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for shell in ["bash", "zsh", "fish"] {
        let out = sdkgen(dir.path()).args(["completions", shell]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains("sdkgen") && script.contains("message-format"), "{shell}: {script}");
    }
}
