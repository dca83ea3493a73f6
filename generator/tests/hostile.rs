//! Hostile specs: spec text written to run code through doctests, to put HTML in the README,
//! to break the build with control characters, or to add keys, tables or lines to `Cargo.toml`
//! and the file headers. Each spec under `tests/hostile/` is generated and what comes out is
//! read back the way rustdoc, cargo and rustc read it:
//!
//! - every `.rs` file parses (`syn`); every doc comment, joined and unindented as rustdoc does,
//!   is parsed with rustdoc's markdown parser: no indented code block, every fenced block is
//!   `text` or a known non-Rust language, no raw HTML; only attributes the generator writes;
//! - the README has no raw HTML but its header comment, and its only Rust blocks are the
//!   generator's two examples;
//! - `Cargo.toml` parses as TOML and has only the keys and tables the generator writes;
//! - no file holds a control character (but newline and tab), a bidi control or a zero-width
//!   character;
//! - the header of every file is its two lines, whatever the spec's file name.
//!
//! `tests/tests/hostile_crate.rs` (workspace tests) builds a generated crate and runs its
//! doctests.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use sdkgen::{emit, generate, GenerateOptions};
use std::path::{Path, PathBuf};
use syn::visit::{self, Visit};

/// Info strings rustdoc never compiles, that the hostile specs may keep.
const NON_RUST: [&str; 3] = ["text", "json", "toml"];

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn options(label: &str) -> GenerateOptions {
    GenerateOptions { command: "sdkgen generate".into(), spec_label: label.into(), ..Default::default() }
}

fn generate_spec(name: &str, label: &str) -> Vec<(String, String)> {
    let bytes = std::fs::read(hostile_dir().join(name)).expect("the hostile spec is readable");
    match generate(&bytes, &options(label)) {
        Ok(g) => g.files,
        Err(d) => panic!("{name} does not generate:\n{}", d.render(name)),
    }
}

/// Rustdoc's unindenting of a doc comment (every line sugared `///`): the smallest run of
/// leading spaces and tabs among lines that are not blank is removed from each of them.
fn unindent(lines: &[String]) -> String {
    let blank = |l: &str| l.chars().all(char::is_whitespace);
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let min = lines.iter().filter(|l| !blank(l)).map(|l| indent(l)).min().unwrap_or(0);
    lines.iter().map(|l| if blank(l) { l.as_str() } else { &l[min..] }).collect::<Vec<_>>().join("\n")
}

/// The options rustdoc parses markdown with (`main_body_opts`), and a footnote syntax.
fn rustdoc_options(footnotes: Options) -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | footnotes
}

/// What is wrong with markdown as rustdoc reads it: runnable code blocks and raw HTML. Both
/// footnote syntaxes pulldown-cmark knows, in case rustdoc uses the other. A README
/// (`allow_rust` > 0) may have that many `rust,no_run` blocks (the generator's examples).
fn markdown_problems(doc: &str, allow_rust: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for footnotes in [Options::ENABLE_FOOTNOTES, Options::ENABLE_OLD_FOOTNOTES] {
        let mut rust = 0;
        for (event, range) in Parser::new_ext(doc, rustdoc_options(footnotes)).into_offset_iter() {
            let at = &doc[range.clone()];
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    problems.push(format!("indented code block (a doctest): {at:?}"))
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if !NON_RUST.contains(&&*info) => {
                    if info.as_ref() == "rust,no_run" && rust < allow_rust {
                        rust += 1;
                    } else {
                        problems.push(format!("code block `{info}` (rustdoc may run it): {at:?}"));
                    }
                }
                // As a browser reads a URL: without tabs and line breaks, in any case.
                Event::Start(Tag::Link { dest_url: url, .. } | Tag::Image { dest_url: url, .. })
                    if ["javascript:", "vbscript:", "data:"].iter().any(|s| {
                        url.chars()
                            .filter(|c| !c.is_ascii_whitespace())
                            .collect::<String>()
                            .to_ascii_lowercase()
                            .starts_with(s)
                    }) =>
                {
                    problems.push(format!("a link to a script: {at:?}"))
                }
                // The README's header, the generator's own HTML comment on line 1 (checked apart).
                Event::Html(html) if allow_rust > 0 && range.start == 0 && html.starts_with("<!-- @generated") => {}
                Event::Html(html) | Event::InlineHtml(html) => problems.push(format!("raw HTML: {html:?}")),
                _ => {}
            }
        }
    }
    problems
}

/// Every doc comment of a file, as the lines of its `#[doc]` attributes, and the paths of the
/// attributes that are not docs.
#[derive(Default)]
struct Docs {
    docs: Vec<Vec<String>>,
    attributes: Vec<String>,
}

impl Docs {
    fn attrs(&mut self, attrs: &[syn::Attribute]) {
        let mut lines = Vec::new();
        for attr in attrs {
            if !attr.path().is_ident("doc") {
                self.attributes
                    .push(attr.path().segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"));
                continue;
            }
            match &attr.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => lines.push(s.value()),
                    // `#![doc = include_str!("../README.md")]`: the README is read on its own.
                    syn::Expr::Macro(m) if m.mac.path.is_ident("include_str") => {}
                    other => panic!("a doc attribute the generator does not write: {}", quote::quote!(#other)),
                },
                other => panic!("a doc attribute the generator does not write: {}", quote::quote!(#other)),
            }
        }
        if !lines.is_empty() {
            self.docs.push(lines);
        }
    }
}

macro_rules! visit_attrs {
    ($($method:ident: $node:ty),* $(,)?) => {
        impl<'ast> Visit<'ast> for Docs {
            $(fn $method(&mut self, node: &'ast $node) {
                self.attrs(&node.attrs);
                visit::$method(self, node);
            })*
        }
    };
}

visit_attrs!(
    visit_file: syn::File,
    visit_item_const: syn::ItemConst,
    visit_item_enum: syn::ItemEnum,
    visit_item_extern_crate: syn::ItemExternCrate,
    visit_item_fn: syn::ItemFn,
    visit_item_foreign_mod: syn::ItemForeignMod,
    visit_item_impl: syn::ItemImpl,
    visit_item_macro: syn::ItemMacro,
    visit_item_mod: syn::ItemMod,
    visit_item_static: syn::ItemStatic,
    visit_item_struct: syn::ItemStruct,
    visit_item_trait: syn::ItemTrait,
    visit_item_trait_alias: syn::ItemTraitAlias,
    visit_item_type: syn::ItemType,
    visit_item_union: syn::ItemUnion,
    visit_item_use: syn::ItemUse,
    visit_impl_item_const: syn::ImplItemConst,
    visit_impl_item_fn: syn::ImplItemFn,
    visit_impl_item_type: syn::ImplItemType,
    visit_impl_item_macro: syn::ImplItemMacro,
    visit_trait_item_const: syn::TraitItemConst,
    visit_trait_item_fn: syn::TraitItemFn,
    visit_trait_item_type: syn::TraitItemType,
    visit_field: syn::Field,
    visit_variant: syn::Variant,
    visit_local: syn::Local,
    visit_stmt_macro: syn::StmtMacro,
    visit_expr_macro: syn::ExprMacro,
);

/// The attributes the generator writes outside the shared runtime.
const ATTRIBUTES: [&str; 15] = [
    "allow",
    "cfg",
    "cfg_attr",
    "deprecated",
    "derive",
    "forbid",
    "inline",
    "must_use",
    "non_exhaustive",
    "serde",
    "test",
    "warn",
    "doc",
    "automatically_derived",
    "rustfmt::skip",
];

fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The generator's own lines at the top of a file: two comment lines (and a blank line).
fn check_header(path: &str, content: &str, problems: &mut Vec<String>) {
    let lines: Vec<&str> = content.lines().collect();
    let ok = match path {
        "README.md" => {
            lines[0].starts_with("<!-- @generated by `sdkgen generate` from ")
                && lines[0].ends_with(" -->")
                && lines[0].matches("-->").count() == 1
                && !lines[0][4..].contains('<')
                && lines[1].is_empty()
        }
        "Cargo.toml" => {
            lines[0].starts_with("# @generated by `sdkgen generate` from ")
                && lines[1] == "# Do not edit: change the spec or the generator and regenerate."
                && lines[2].is_empty()
                && lines[3] == "[package]"
        }
        _ => {
            lines[0].starts_with("// @generated by `sdkgen generate` from ")
                && lines[1] == "// Do not edit: change the spec or the generator and regenerate."
                && lines[2].is_empty()
        }
    };
    if !ok {
        problems.push(format!(
            "{path}: the header is not the generator's two lines:\n{}",
            lines[..4.min(lines.len())].join("\n")
        ));
    }
}

/// `Cargo.toml` read by a TOML parser: only the generator's tables and keys.
fn check_manifest(content: &str, problems: &mut Vec<String>) {
    let manifest: toml::Table = match content.parse() {
        Ok(t) => t,
        Err(e) => return problems.push(format!("Cargo.toml is not TOML: {e}\n{content}")),
    };
    let keys = |t: &toml::Table| t.keys().cloned().collect::<Vec<_>>();
    if keys(&manifest) != ["dependencies", "dev-dependencies", "features", "package"] {
        problems.push(format!("Cargo.toml tables: {:?}", keys(&manifest)));
    }
    let package = manifest["package"].as_table().expect("[package] is a table");
    let expected = [
        "categories",
        "description",
        "documentation",
        "edition",
        "keywords",
        "license",
        "metadata",
        "name",
        "readme",
        "rust-version",
        "version",
    ];
    if keys(package) != expected {
        problems.push(format!("[package] keys: {:?}", keys(package)));
    }
    let dependencies = manifest["dependencies"].as_table().expect("[dependencies] is a table");
    let mut expected = vec![
        "bytes",
        "chrono",
        "futures-core",
        "percent-encoding",
        "reqwest",
        "rustls",
        "serde",
        "serde_json",
        "tokio",
        "tracing",
    ];
    // The `webhook` module's crates, behind the generator's `webhooks` feature.
    let webhooks = manifest["features"].get("webhooks").is_some();
    if webhooks {
        expected.extend(["hmac", "sha2"]);
        expected.sort_unstable();
    }
    if keys(dependencies) != expected {
        problems.push(format!("[dependencies]: {:?}", keys(dependencies)));
    }
    let dev = manifest["dev-dependencies"].as_table().expect("[dev-dependencies] is a table");
    if keys(dev) != ["tokio"] {
        problems.push(format!("[dev-dependencies]: {:?}", keys(dev)));
    }
    for (name, enables) in manifest["features"].as_table().expect("[features] is a table") {
        let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let enables = enables.as_array().expect("a feature is a list");
        let generator_owned = (name == "webhooks"
            && enables.iter().all(|e| ["dep:hmac", "dep:sha2"].contains(&e.as_str().unwrap_or(""))))
            || (name == "tracing" && enables.iter().all(|e| e.as_str() == Some("dep:tracing")));
        if !generator_owned && (!valid || enables.iter().any(|e| e.as_str().is_none_or(|e| e.contains(['/', ':'])))) {
            problems.push(format!("feature {name:?} = {enables:?}"));
        }
    }
}

/// Everything wrong with a generated crate's files.
fn problems(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, content) in files {
        if let Some(c) = content.chars().find(|c| forbidden_char(*c)) {
            problems.push(format!("{path}: holds the character {c:?}"));
        }
        check_header(path, content, &mut problems);
        if path == "Cargo.toml" {
            check_manifest(content, &mut problems);
        } else if path == "README.md" {
            // The generator's own examples: the quick start, the hook, the synchronous one, and
            // one for each of request bodies, pages, uploads, streaming and webhooks the API has
            // (their sections come after the quick start; spec text comes before it).
            let own = content.split_once("\n## Quick start\n").map_or("", |(_, rest)| rest);
            let sections = ["## Request bodies", "## Pages", "## File uploads", "## Streaming", "## Webhooks"];
            let examples = 3 + sections.iter().filter(|h| own.contains(&format!("\n{h}\n"))).count();
            problems.extend(markdown_problems(content, examples).into_iter().map(|p| format!("README.md: {p}")));
        } else if path.ends_with(".rs") {
            let file = match syn::parse_file(content) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(format!("{path}: does not parse as Rust: {e}"));
                    continue;
                }
            };
            if emit::is_runtime_file(path) {
                continue;
            }
            let mut docs = Docs::default();
            docs.visit_file(&file);
            for doc in &docs.docs {
                let text = unindent(doc);
                problems.extend(markdown_problems(&text, 0).into_iter().map(|p| format!("{path}: {p} in\n{text}")));
            }
            for attr in docs.attributes.iter().filter(|a| !ATTRIBUTES.contains(&a.as_str())) {
                problems.push(format!("{path}: attribute #[{attr}]"));
            }
        }
    }
    problems
}

fn assert_clean(spec: &str) {
    let files = generate_spec(spec, spec);
    let problems = problems(&files);
    assert!(problems.is_empty(), "{spec}: {} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn no_doctest_comes_from_spec_text() {
    assert_clean("doctests.yaml");
}

#[test]
fn no_raw_html_reaches_the_readme_or_the_docs() {
    assert_clean("html.yaml");
    let files = generate_spec("html.yaml", "html.yaml");
    let readme = &files.iter().find(|(p, _)| p == "README.md").expect("a README").1;
    // Outside code (where a renderer escapes it), no tag is written as it is.
    let mut prose = readme.to_lowercase();
    let code: Vec<_> = Parser::new(readme)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect();
    for range in code.into_iter().rev() {
        prose.replace_range(range, "");
    }
    for tag in ["<script", "<img", "<iframe", "<svg"] {
        assert!(!prose.contains(tag), "the README holds {tag}:\n{readme}");
    }
}

#[test]
fn control_bidi_and_zero_width_characters_are_removed_or_escaped() {
    assert_clean("controls.yaml");
}

#[test]
fn spec_text_adds_no_key_or_table_to_cargo_toml() {
    assert_clean("manifest.yaml");
}

/// Webhook names (in docs, `match` arms and `NAMES`), summaries and descriptions.
#[test]
fn webhook_names_and_docs_are_clean() {
    assert_clean("webhooks.yaml");
    let files = generate_spec("webhooks.yaml", "webhooks.yaml");
    let module = &files.iter().find(|(p, _)| p == "src/webhook.rs").expect("a webhook module").1;
    assert!(module.contains("pub enum WebhookEvent"), "{module}");
}

/// The spec `tests/tests/hostile_crate.rs` builds (workspace tests).
#[test]
fn every_channel_at_once() {
    assert_clean("combined.yaml");
}

/// The quick start is a doctest that `cargo test` compiles: its string literals must be Rust.
#[test]
fn quick_start_literals_are_rust_string_literals() {
    assert_clean("quick_start.yaml");
    let files = generate_spec("quick_start.yaml", "quick_start.yaml");
    let readme = &files.iter().find(|(p, _)| p == "README.md").expect("a README").1;
    let start = readme.find("```rust,no_run\n").expect("a quick start") + "```rust,no_run\n".len();
    let code: String = readme[start..readme[start..].find("\n```").expect("closed") + start]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let file = syn::parse_file(&code).unwrap_or_else(|e| panic!("the quick start is not Rust ({e}):\n{code}"));
    let mut literals = Vec::new();
    struct Strings<'a>(&'a mut Vec<String>);
    impl<'ast> Visit<'ast> for Strings<'_> {
        fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
            self.0.push(s.value());
        }
    }
    Strings(&mut literals).visit_file(&file);
    assert!(literals.contains(&"a\u{8}b\u{c}c\u{1}d\u{7f}e\u{202e}f\"g\\h\n```\ni".to_string()), "{literals:?}");
}

/// A spec file name with a newline, a comment end or a control character adds no line to any
/// header (Rust, TOML or Markdown).
#[test]
fn the_spec_label_adds_no_line_to_the_headers() {
    for label in [
        "evil\n[dependencies]\nevil = \"1\"\n.yaml",
        "evil\nfn injected() {}\n.yaml",
        "evil --><script>alert(1)</script><!-- .yaml",
        "evil\r\u{202e}\u{0}\u{1b}[2J.yaml",
    ] {
        let files = generate_spec("quick_start.yaml", label);
        let problems = problems(&files);
        assert!(problems.is_empty(), "label {label:?}: {} problems:\n{}", problems.len(), problems.join("\n"));
    }
}

/// `sdkgen generate` on a spec whose file name holds a newline.
#[test]
fn the_cli_writes_no_line_from_the_spec_file_name() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-file-name");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("evil\n[dependencies]\nevil = \"1\"\n#.yaml");
    std::fs::copy(hostile_dir().join("quick_start.yaml"), &spec).unwrap();
    let out = dir.join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(["generate", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("sdkgen runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let mut files = Vec::new();
    for path in ["Cargo.toml", "README.md", "src/lib.rs", "src/types.rs", "src/operations.rs"] {
        files.push((path.to_string(), std::fs::read_to_string(out.join(path)).unwrap()));
    }
    let problems = problems(&files);
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// `--name` must be a crate name cargo accepts and `--crate-version` semver: else exit 2.
#[test]
fn invalid_names_and_versions_exit_2() {
    let spec = hostile_dir().join("quick_start.yaml");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-names");
    let run = |flag: &str, value: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sdkgen"))
            .args(["check", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args([flag, value])
            .output()
            .expect("sdkgen runs")
    };
    for name in ["../evil", "a\nb", "", "1abc", "fn", "self", "std", "my crate", "é", "a/b", &"a".repeat(65)] {
        let out = run("--name", name);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--name {name:?}: {stderr}");
        assert!(stderr.contains("--name"), "--name {name:?}: {stderr}");
    }
    for version in
        ["1", "1.0", "01.0.0", "1.0.0-", "1.0.0+", "1.0.0\n", "v1.0.0", "1.0.0-01", "99999999999999999999.0.0"]
    {
        let out = run("--crate-version", version);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--crate-version {version:?}: {stderr}");
        assert!(stderr.contains("--crate-version"), "--crate-version {version:?}: {stderr}");
    }
    // Valid ones get as far as comparing with the (missing) output: exit 1, not 2.
    for (flag, value) in [("--name", "my-crate_2"), ("--crate-version", "1.2.3-beta.1+build.5")] {
        let out = run(flag, value);
        assert_eq!(out.status.code(), Some(1), "{flag} {value:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

mod random_markdown {
    use super::{markdown_problems, unindent};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag};
    use sdkgen::emit::docs::sanitize;

    /// Pieces of markdown that open, close or hide blocks, HTML and containers.
    const PIECES: &[&str] = &[
        "```",
        "~~~",
        "````",
        "    ",
        "\t",
        " ",
        "  ",
        "- ",
        "* ",
        "1. ",
        "2) ",
        "> ",
        ">",
        "\n",
        "\n\n",
        "rust",
        "should_panic",
        "json",
        ",",
        "{.rust}",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<div>",
        "<!--",
        "-->",
        "<https://x",
        "https://x.io/a",
        "`",
        "``",
        "\\",
        "[^1]",
        "[^1]: ",
        "[a]",
        "[a](b)",
        "[a]: /u",
        "# ",
        "***",
        "---",
        "|a|b|\n|-|-|\n",
        "&#96;",
        "&lt;",
        "\r",
        "\u{202e}",
        "\u{3000}",
        "x",
        "code();",
        "=",
        "\n    ",
        "\n\t",
        "+ ",
        "10. ",
        "1.\t",
        "-\t",
        ">\t",
        "- > ",
        "~~~~",
        "`````",
        "<b>",
        "</b>",
        "<?x?>",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE x>",
        "<textarea>",
        "<style>",
        "[^a]:\n    ",
        "\\`",
        "<a href='`'>",
    ];

    fn markdown() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// As a doc comment (one `///` line per line, unindented by rustdoc) and inside the
        /// README (followed by its quick start, which must stay a Rust block of its own).
        #[test]
        fn sanitized_markdown_runs_nothing_and_holds_no_html(text in markdown()) {
            let safe = sanitize(&text);
            let lines: Vec<String> = safe.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect();
            let doc = unindent(&lines);
            let problems = markdown_problems(&doc, 0);
            prop_assert!(problems.is_empty(), "{text:?} -> {safe:?}: {problems:?}");
            let readme = format!("<!-- @generated by x -->\n\n# T\n\n{safe}\n\n## Quick start\n\n```rust,no_run\nfn main() {{}}\n```\n");
            let problems = markdown_problems(&readme, 1);
            prop_assert!(problems.is_empty(), "{text:?} -> {safe:?}: {problems:?}");
            let quick_start = "```rust,no_run\nfn main() {}\n```";
            for footnotes in [Options::ENABLE_FOOTNOTES, Options::ENABLE_OLD_FOOTNOTES] {
                let blocks: Vec<&str> = Parser::new_ext(&readme, super::rustdoc_options(footnotes))
                    .into_offset_iter()
                    .filter(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_))))
                    .map(|(_, range)| &readme[range])
                    .collect();
                prop_assert!(blocks.last() == Some(&quick_start), "{:?} -> {:?}: the quick start is not a block of its own: {:?}", text, safe, blocks);
            }
        }
    }
}
