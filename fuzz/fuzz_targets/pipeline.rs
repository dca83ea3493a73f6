//! The whole pipeline on arbitrary bytes: load -> validate -> normalize -> parse -> lower -> emit
//! -> format. It must never panic; every Rust file of an accepted input must parse; no doc
//! comment and no README block may be a doctest the spec chose, raw HTML or a link to a script;
//! no file may hold a control, bidi or zero-width character; every diagnostic's position must
//! lie inside the input; the shape checks must never reject what the parser reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use sdkgen::emit::docs::LANGUAGES;
use sdkgen::{generate, GenerateOptions};

/// Code blocks rustdoc may compile, raw HTML and links to scripts in `doc`, as rustdoc parses it (with either
/// footnote syntax); a README may have its `readme_examples` `rust,no_run` blocks and its
/// header comment.
fn runnable_or_html(doc: &str, readme_examples: usize) -> Option<String> {
    for footnotes in [Options::ENABLE_FOOTNOTES, Options::ENABLE_OLD_FOOTNOTES] {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_SMART_PUNCTUATION
            | footnotes;
        let mut examples = 0;
        for (event, range) in Parser::new_ext(doc, options).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if LANGUAGES.contains(&&*info) => {}
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                    if &*info == "rust,no_run" && examples < readme_examples =>
                {
                    examples += 1
                }
                Event::Html(_) if readme_examples > 0 && range.start == 0 => {}
                Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                    let url: String = dest_url.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                    if ["javascript:", "vbscript:", "data:"].iter().any(|s| url.to_ascii_lowercase().starts_with(s)) {
                        return Some(format!("a link to a script at {:?}", &doc[range]));
                    }
                }
                Event::Start(Tag::CodeBlock(_)) | Event::Html(_) | Event::InlineHtml(_) => {
                    return Some(format!("{event:?} at {:?}", &doc[range]))
                }
                _ => {}
            }
        }
    }
    None
}

/// The doc comments of a formatted file (prettyplease writes them as `///` and `//!` lines;
/// attributes between the lines of one item's docs do not split them), unindented as rustdoc
/// does.
fn doc_comments(file: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in file.lines().map(str::trim_start) {
        if let Some(doc) = line.strip_prefix("///").or_else(|| line.strip_prefix("//!")) {
            lines.push(doc);
        } else if !line.starts_with("#[") && !lines.is_empty() {
            docs.push(unindent(&lines));
            lines.clear();
        }
    }
    if !lines.is_empty() {
        docs.push(unindent(&lines));
    }
    docs
}

fn unindent(lines: &[&str]) -> String {
    let blank = |l: &str| l.chars().all(char::is_whitespace);
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let min = lines.iter().filter(|l| !blank(l)).map(|l| indent(l)).min().unwrap_or(0);
    lines.iter().map(|l| if blank(l) { *l } else { &l[min..] }).collect::<Vec<_>>().join("\n")
}

/// A character that breaks the build or hides text: controls but newline and tab, bidi
/// controls, zero-width characters.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fuzz_target!(|data: &[u8]| {
    let opts =
        GenerateOptions { command: "sdkgen generate".into(), spec_label: "fuzz.yaml".into(), ..Default::default() };
    // Lines as YAML counts them: `\r\n`, `\r` and `\n` end a line.
    let lines = 1 + data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    let diagnostics = match generate(data, &opts) {
        Ok(generated) => {
            for (path, content) in &generated.files {
                if let Some(c) = content.chars().find(|c| forbidden(*c)) {
                    panic!("generated {path} holds {c:?}\n{content}");
                }
                if path.ends_with(".rs") {
                    if let Err(e) = syn::parse_file(content) {
                        panic!("generated {path} does not parse as Rust: {e}\n{content}");
                    }
                    // The shared runtime's docs are the generator's own.
                    let docs = if sdkgen::emit::is_runtime_file(path) { Vec::new() } else { doc_comments(content) };
                    for doc in docs {
                        if let Some(problem) = runnable_or_html(&doc, 0) {
                            panic!("a doc comment of {path} holds {problem}:\n{doc}");
                        }
                    }
                } else if path == "README.md" {
                    if let Some(problem) = runnable_or_html(content, 2) {
                        panic!("README.md holds {problem}:\n{content}");
                    }
                }
            }
            generated.diagnostics
        }
        Err(diagnostics) => diagnostics,
    };
    for d in diagnostics.iter() {
        if let Some((line, col)) = d.line_col {
            assert!(line >= 1 && line <= lines && col >= 1, "{d:?} is outside the input ({lines} lines)");
        }
    }
    let _ = diagnostics.render("fuzz.yaml");

    // The shape checks only name problems the parser would also refuse: never an error for a
    // document that `openapiv3` reads after normalizing.
    if let Ok((mut doc, _)) = sdkgen::spec::load::load_document(data) {
        let shapes = sdkgen::spec::validate::shape_diagnostics(&doc);
        if shapes.has_errors() {
            sdkgen::spec::normalize::normalize(&mut doc, &mut Default::default());
            if serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok() {
                panic!("shape errors for a document openapiv3 reads:\n{}", shapes.render("fuzz.yaml"));
            }
        }
    }
});
