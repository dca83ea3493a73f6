//! Spec text -> text that is safe wherever the generated crate carries it. Every piece of spec
//! text that reaches the crate goes through this module.
//!
//! # Policy
//!
//! An API description is untrusted input: a vendor's published file, a file from an archive.
//! Its text reaches doc comments (rendered by rustdoc, and compiled and run as doctests by
//! `cargo test`), the README (which is the crate docs, and which crates.io renders too),
//! `Cargo.toml`, string literals and the `@generated` header of every file. So:
//!
//! - **Characters.** [`clean`] removes the C0 and C1 control characters but line feed and tab,
//!   DEL, the bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the
//!   zero-width and invisible characters (U+200B-U+200D, U+2060-U+2064, U+FEFF) and Unicode
//!   tags (U+E0000-U+E007F); a carriage return (alone or before a line feed) and U+2028/U+2029
//!   end a line. Every other function here starts with it. Where spec text becomes a Rust string
//!   literal, `quote`'s `Literal::string` writes Rust escapes for all of these; TOML strings
//!   escape them ([`toml_string`]); a file name in a header has them replaced ([`label`]).
//! - **No runnable doctest comes from the spec** ([`sanitize`]). The markdown is parsed with
//!   `pulldown-cmark`, the parser and version rustdoc uses, with rustdoc's options and after the
//!   unindenting rustdoc applies to a doc comment, so code blocks are found exactly where
//!   rustdoc finds them. A fenced block (backticks or tildes, whatever its info string) keeps its
//!   info string only when that is one of [`LANGUAGES`], languages rustdoc never compiles, and
//!   gets `text` otherwise; an indented block (spaces or tabs, at the top, in a list item, a
//!   quote or a footnote) becomes a fenced `text` block; a fence left open at the end of the
//!   text is closed. Names quoted in docs ([`code_span`]) are one line, so they open no block.
//! - **No raw HTML.** The tags of prose in HTML blocks and inline HTML become markdown
//!   ([`html_to_markdown`]: `p`, `br`, `code`, `strong`, `em`, lists, headings, and `a` with
//!   an absolute `http(s)` target); every other tag is escaped (`<` as `&lt;`), and so is any other `<` outside code,
//!   but for autolinks (`<https://...>`). What the conversion writes is parsed and checked again
//!   like the rest. A link or image to a script
//!   (`javascript:`, `vbscript:`, `data:`, however spelled) is text.
//! - **Links work where the docs are read.** A relative link (`/docs/guides/x`, `../y`) would
//!   point into docs.rs (a fragment alone, `#section`, stays: it points into the same page).
//!   Lowering makes each absolute against the API's docs site when one is known, and keeps the
//!   text only of the others and of a link with a scheme other than `http(s)` and `mailto`
//!   (an intra-doc path such as `Foo::bar` included: the spec's text names no Rust item)
//!   ([`resolve_links`], `lower::links`); the sanitizer keeps the text only of an HTML link
//!   still relative. The generator's own intra-doc links do not go through lowering and stay.
//!   Outside code, `[text]`
//!   without a link target is escaped (not an intra-doc link) and bare URLs become autolinks.
//! - **Checked, with a fallback.** The result is parsed again, with both footnote syntaxes and
//!   a block after it; if it still holds raw HTML, a script link, a code block that is neither
//!   `text` nor one of [`LANGUAGES`], or leaves a block open that would swallow what follows
//!   (the rest of the README), the whole text becomes one `text` block (with a fence longer
//!   than any run of backticks in it), which renders the text as written and runs nothing.
//! - **Inline places** (the README's title and versions: [`inline`], [`code_span`]): one line,
//!   every `<` escaped or inside a code span.
//! - **`Cargo.toml`**: spec text is only ever a TOML basic string with TOML escapes
//!   ([`toml_string`]), so it never adds a key or a table; names cargo reads (crate, features)
//!   come from `naming`.

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use quote::quote;
use std::borrow::Cow;
use std::ops::Range;

/// Info strings a code block from the spec keeps: languages rustdoc never compiles (an info
/// string that is one unknown word is not Rust to rustdoc). Any other info string, including
/// none, becomes `text`.
#[rustfmt::skip]
pub const LANGUAGES: &[&str] = &[
    "text", "plain", "plaintext", "console", "json", "json5", "jsonc", "yaml", "yml", "toml", "xml", "html",
    "css", "http", "sh", "bash", "shell", "zsh", "powershell", "javascript", "js", "typescript", "ts",
    "python", "py", "ruby", "go", "java", "kotlin", "swift", "csharp", "php", "sql", "graphql", "markdown",
    "md", "diff", "ini", "csv", "curl",
];

/// The options rustdoc parses docs with (`main_body_opts` in librustdoc), footnotes apart.
fn options(footnotes: Options) -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | footnotes
}

/// `#[doc = "..."]` attributes for a block of markdown (one attribute per line).
pub fn doc_attrs(text: &str) -> TokenStream {
    trusted_doc_attrs(&sanitize(text))
}

/// `#[doc = "..."]` attributes for markdown the generator wrote, in which every piece of spec text
/// was already made safe for its place ([`code_span`], [`item_text`]): not parsed again.
///
/// The lines are one attribute: [`DOC_LINE_BREAK`] between them, which the formatter turns
/// back into one `///` line each (`format::format_rust`), so that the lines of a block are not
/// tokenized, parsed and printed one by one (a crate's docs are a large part of its code).
pub fn trusted_doc_attrs(text: &str) -> TokenStream {
    let mut block = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            block.push(DOC_LINE_BREAK);
        }
        if !line.is_empty() {
            block.push(' ');
            if line.contains(DOC_LINE_BREAK) {
                // Not `clean`ed text: the character would split the line.
                block.extend(line.chars().filter(|c| *c != DOC_LINE_BREAK));
            } else {
                block.push_str(line);
            }
        }
    }
    if text.is_empty() {
        return TokenStream::new();
    }
    let block = doc_literal(&block);
    quote!(#[doc = #block])
}

/// The string literal of a doc block: a raw string (`r#"..."#`, with more `#` than follow any
/// `"` in the block), so that the text is written as it is, and read back as it is. Docs are
/// megabytes on large specs, and `syn` reads a literal every time it looks at one (an
/// attribute's value is looked at, parsed, and read again by `prettyplease`): a raw string's
/// value is a slice of its text, an escaped one is unescaped one character at a time.
/// `Literal::string` (escapes) is the fallback, for a block that is no raw string's text.
fn doc_literal(block: &str) -> proc_macro2::Literal {
    let hashes = block
        .match_indices('"')
        .map(|(at, _)| block[at + 1..].bytes().take_while(|&b| b == b'#').count() + 1)
        .max()
        .unwrap_or(0);
    let fence = "#".repeat(hashes);
    let mut repr = String::with_capacity(block.len() + 3 + 2 * hashes);
    repr.push('r');
    repr.push_str(&fence);
    repr.push('"');
    repr.push_str(block);
    repr.push('"');
    repr.push_str(&fence);
    repr.parse().unwrap_or_else(|_| proc_macro2::Literal::string(block))
}

/// Where a line of a doc block ends inside its one `#[doc]` attribute ([`trusted_doc_attrs`]).
/// Docs never hold it otherwise: [`clean`] removes control characters from spec text.
pub const DOC_LINE_BREAK: char = '\u{1}';

/// Spec text for the end of a line the generator writes (a list item of its own): one line,
/// [`sanitize`]d as a paragraph of its own, which is no less safe inside a line; text that
/// the sanitizer can only keep as a block becomes a code span.
pub fn item_text(text: &str) -> String {
    let line = sanitize(one_line(text).trim());
    if line.contains('\n') {
        code_span(text.trim())
    } else {
        line
    }
}

/// Whether `text` says nothing once made safe (empty, white space, or markup alone such as
/// `<p/>`): a doc comment that would come out empty takes its fallback text instead, so every
/// public item stays documented.
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty() || (text.contains('<') || text.contains('&')) && sanitize(text).trim().is_empty()
}

/// Joins paragraphs, skipping empty ones.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut text = String::new();
    for part in parts {
        push_paragraph(&mut text, part);
    }
    text
}

/// Adds a paragraph (trimmed; nothing when empty) to text that [`paragraphs`] joined, without
/// copying the text again.
pub fn push_paragraph(text: &mut String, part: Option<&str>) {
    let Some(part) = part.map(str::trim).filter(|p| !p.is_empty()) else { return };
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(part);
}

/// Characters [`clean`] removes: controls (but line feed, tab and carriage return, which ends a
/// line), DEL, C1 controls, bidi controls, zero-width and invisible characters, Unicode tags.
fn is_removed(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{8}'
            | '\u{b}'..='\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Spec text without the characters the policy removes, lines ending in `\n` only.
pub fn clean(text: &str) -> Cow<'_, str> {
    let plain = |b: &u8| (b' '..=b'~').contains(b) || *b == b'\n' || *b == b'\t';
    if text.as_bytes().iter().all(plain)
        || !text.chars().any(|c| is_removed(c) || matches!(c, '\r' | '\u{2028}' | '\u{2029}'))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Spec text for a place that holds one line: [`clean`], with line breaks as spaces.
pub fn one_line(text: &str) -> Cow<'_, str> {
    match clean(text) {
        Cow::Borrowed(t) if !t.contains('\n') => Cow::Borrowed(t),
        t => Cow::Owned(t.replace('\n', " ")),
    }
}

/// An inline code span for arbitrary text, on one line (backticks inside are handled by a
/// longer fence).
pub fn code_span(text: &str) -> String {
    let text = one_line(text);
    let mut fence = String::from("`");
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Spec text for a place inside a line of markdown (the README's title, a sentence): one line,
/// trimmed, every `<` escaped; brackets and bare URLs as [`sanitize`] writes them.
pub fn inline(text: &str) -> String {
    let text = one_line(text).trim().replace('<', "&lt;");
    let mut out = String::with_capacity(text.len());
    escape_inline(&text, &mut out);
    out
}

/// A TOML basic string (quoted) holding `text`, with TOML escapes for quotes, backslashes,
/// control characters and the characters [`clean`] removes from prose.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_removed(c) || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file name as the `@generated` header of a Rust, TOML or Markdown file writes it: every
/// character that could end the line or the comment (`-->`), or hide text, replaced by `_`.
pub fn label(name: &str) -> String {
    name.chars()
        .map(|c| {
            let unsafe_char =
                c.is_control() || is_removed(c) || (c.is_whitespace() && c != ' ') || matches!(c, '<' | '>');
            if unsafe_char {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Makes markdown safe for rustdoc and the README (see the module docs): [`clean`]ed, lines
/// trimmed at the end and unindented as rustdoc unindents a doc comment; code blocks and HTML
/// neutralized; brackets, `<` and bare URLs escaped outside code; checked.
///
/// Text that cannot hold a code block, HTML or an inline link (no fence, `<`, tab, four spaces
/// in a row or `](`: most doc comments of a large API) is escaped line by line without being
/// parsed.
pub fn sanitize(text: &str) -> String {
    let text = prepare(text);
    let may_hold_code = ["```", "~~~", "<", "\t", "    ", "]("].iter().any(|s| text.contains(s));
    if !may_hold_code {
        return escape_outside(&text, &[]);
    }
    if let Some((neutral, blocks)) = neutralize(&text) {
        // Unindented again as rustdoc will (removing a tag can leave every line indented, and a
        // line indented less than before can start a block), so that the check sees what
        // rustdoc sees.
        let out = prepare(&escape_outside(&neutral, &blocks));
        if is_safe(&out) {
            return out;
        }
    }
    as_text_block(&text)
}

/// [`clean`] text, each line trimmed at the end, trailing empty lines dropped and the common
/// indentation of the lines that are not blank removed, as rustdoc does (so at least one line
/// starts with neither a space nor a tab, and rustdoc removes nothing more than the space
/// [`doc_attrs`] adds).
fn prepare(text: &str) -> String {
    let text = clean(text);
    let indent = |l: &str| l.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
    let lines = || text.lines().map(str::trim_end);
    let min = lines().filter(|l| !l.is_empty()).map(indent).min().unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in lines() {
        out.push_str(line.get(min..).unwrap_or(""));
        out.push('\n');
    }
    out.truncate(out.trim_end_matches('\n').len());
    out
}

/// The line of `text` that holds byte `at` starts here.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// A fence of backticks longer than any run of backticks in `text` (at least three).
fn fence_for(text: &str) -> String {
    "`".repeat(longest_run(text, '`').max(2) + 1)
}

/// The whole text as one `text` block, the fallback that is safe by construction.
fn as_text_block(text: &str) -> String {
    let fence = fence_for(text);
    format!("{fence}text\n{text}\n{fence}")
}

/// Both footnote syntaxes pulldown-cmark knows where the text may hold a footnote (they end a
/// footnote's body differently), so the text is made safe under either; else the one rustdoc
/// uses (`ENABLE_FOOTNOTES`).
fn footnote_modes(text: &str) -> &'static [Options] {
    if text.contains("[^") {
        &[Options::ENABLE_FOOTNOTES, Options::ENABLE_OLD_FOOTNOTES]
    } else {
        &[Options::ENABLE_FOOTNOTES]
    }
}

/// A replacement of a byte range of the text.
type Edit = (Range<usize>, String);

/// Rewrites the code blocks and raw HTML that rustdoc's parser finds until it finds none left
/// to rewrite (escaping an HTML block can turn what it held into an indented block), with each
/// footnote syntax in turn: the text and the byte ranges of its code blocks (from the start of
/// their first line), or `None` when a block cannot be rewritten (then the caller falls back).
fn neutralize(text: &str) -> Option<(String, Vec<Range<usize>>)> {
    let modes = footnote_modes(text);
    let mut text = text.to_string();
    let mut blocks = Vec::new();
    // Passes in a row that found nothing to rewrite: one per footnote syntax ends the work.
    let mut unchanged = 0;
    for pass in 0..8 {
        let (edits, found) = edits(&text, modes[pass % modes.len()])?;
        if edits.is_empty() {
            blocks.extend(found);
            unchanged += 1;
            if unchanged == modes.len() {
                blocks.sort_by_key(|b: &Range<usize>| b.start);
                return Some((text, blocks));
            }
            continue;
        }
        (unchanged, blocks) = (0, Vec::new());
        text = apply(&text, edits);
    }
    None
}

/// The rewrites one parse of `text` calls for, and the code blocks it found.
fn edits(text: &str, footnotes: Options) -> Option<(Vec<Edit>, Vec<Range<usize>>)> {
    let mut edits = Vec::new();
    let mut blocks = Vec::new();
    let mut containers = 0usize;
    // The indented block being read, and where each of its pieces of text starts.
    let mut indented_block: Option<(Range<usize>, Vec<usize>)> = None;
    // The `<a>` elements open in the HTML read so far: the target each closes with.
    let mut links: Vec<Option<String>> = Vec::new();
    for (event, range) in Parser::new_ext(text, options(footnotes)).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_)) => containers += 1,
            Event::End(TagEnd::BlockQuote | TagEnd::Item | TagEnd::FootnoteDefinition) => containers -= 1,
            Event::Start(Tag::CodeBlock(kind)) => {
                blocks.push(line_start(text, range.start)..range.end);
                match kind {
                    CodeBlockKind::Fenced(info) => fenced(text, range, &info, containers == 0, &mut edits)?,
                    CodeBlockKind::Indented => indented_block = Some((range, Vec::new())),
                }
            }
            Event::Text(_) => {
                if let Some((_, starts)) = &mut indented_block {
                    starts.push(range.start);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, starts)) = indented_block.take() {
                    indented(text, range, &starts, &mut edits)?;
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. })
                if is_script(&dest_url) && !matches!(link_type, LinkType::Autolink | LinkType::Email) =>
            {
                // `\[` is a bracket, not a link (an autolink's `<` is escaped later).
                let at = range.start + text[range].find('[')?;
                edits.push((at..at, "\\".to_string()));
            }
            Event::Html(_) | Event::InlineHtml(_) if text[range.clone()].contains('<') => {
                let mut markdown = html_to_markdown(&text[range.clone()], &mut links);
                if matches!(event, Event::Html(_)) {
                    // A line of an HTML block starts a line already.
                    markdown = markdown.trim_start_matches('\n').to_string();
                }
                edits.push((range, markdown));
            }
            _ => {}
        }
    }
    Some((edits, blocks))
}

/// Raw HTML as markdown: the tags of prose (`p`, `br`, `a` with an absolute `http(s)` target,
/// `code`, `strong`/`b`, `em`/`i`, lists, headings) become their markdown; a link with a relative
/// target (left relative by [`absolute_links`]) keeps its text only; every other `<` is escaped. `links` carries
/// the open `<a>` elements from one piece of HTML to the next. The result is parsed again like
/// any other text, so a script target it writes is escaped there.
fn html_to_markdown(html: &str, links: &mut Vec<Option<String>>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let end = after.find(['>', '<']).filter(|e| after.as_bytes()[*e] == b'>');
        let Some(end) = end else {
            out.push_str("&lt;");
            rest = after;
            continue;
        };
        let tag = &after[..end];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name_len = body.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(body.len());
        let (name, attrs) = (body[..name_len].to_ascii_lowercase(), &body[name_len..]);
        let markdown = match (name.as_str(), closing) {
            ("p" | "div", false) => Some(String::new()),
            // The end of a piece of HTML is the end of its line: one line break more is a blank line.
            ("p" | "div", true) if after[end + 1..].trim().is_empty() => Some("\n".into()),
            ("p" | "div", true) => Some("\n\n".into()),
            ("br", _) => Some("\n".into()),
            ("code" | "tt", _) => Some("`".into()),
            ("strong" | "b", _) => Some("**".into()),
            ("em" | "i", _) => Some("*".into()),
            ("ul" | "ol", _) => Some("\n".into()),
            ("li", false) => Some("\n- ".into()),
            ("li", true) => Some(String::new()),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => Some("\n\n**".into()),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => Some("**\n\n".into()),
            ("a", false) => {
                let href = attribute(attrs, "href").filter(|h| h.starts_with("https://") || h.starts_with("http://"));
                let start = if href.is_some() { "[" } else { "" };
                links.push(href);
                Some(start.into())
            }
            ("a", true) => Some(match links.pop().flatten() {
                Some(href) => format!("]({})", href.replace(' ', "%20").replace(')', "%29").replace('(', "%28")),
                None => String::new(),
            }),
            _ => None,
        };
        match markdown {
            Some(m) if !name.is_empty() => out.push_str(&m),
            _ => {
                out.push_str("&lt;");
                out.push_str(tag);
                out.push('>');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in a tag's attribute text (`href="..."` or `href='...'`).
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &attrs[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// A fenced block at `range`: its info string becomes its language or `text`; left open at the
/// end of the text (outside any container, which would close it), it is closed.
fn fenced(text: &str, range: Range<usize>, info: &str, top_level: bool, edits: &mut Vec<Edit>) -> Option<()> {
    let block = &text[range.clone()];
    let fence_char = block.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let fence = &block[..block.len() - block.trim_start_matches(fence_char).len()];
    let line_end = block.find('\n').unwrap_or(block.len());
    let language = LANGUAGES.iter().find(|l| **l == info).copied().unwrap_or("text");
    if block[fence.len()..line_end] != *language {
        edits.push((range.start + fence.len()..range.start + line_end, language.to_string()));
    }
    // The last line of a closed block is its closing fence: up to three spaces, then at least as
    // many fence characters as the opening fence.
    let last = block[line_end..].rsplit('\n').next().unwrap_or_default();
    let closing = last.trim_start_matches(' ');
    let closed = line_end < block.len()
        && last.len() - closing.len() <= 3
        && closing.len() >= fence.len()
        && closing.chars().all(|c| c == fence_char);
    if top_level && !closed && range.end == text.len() {
        let newline = if block.ends_with('\n') { "" } else { "\n" };
        edits.push((range.end..range.end, format!("{newline}{fence}")));
    }
    Some(())
}

/// An indented block at `range` (which starts after the four columns of indentation that make
/// it code; `starts` are where its pieces of text start) becomes a fenced `text` block in the
/// same containers: the fence lines and the code lines get the first line's container prefix
/// (list markers as spaces after the first line), without the four columns.
fn indented(text: &str, range: Range<usize>, starts: &[usize], edits: &mut Vec<Edit>) -> Option<()> {
    let start = line_start(text, range.start);
    let mut prefix = String::new();
    for c in text[start..range.start].chars() {
        if c == '\t' {
            prefix.push_str(&" ".repeat(4 - prefix.len() % 4));
        } else {
            prefix.push(c);
        }
    }
    let container = prefix.strip_suffix("    ")?;
    let continuation: String = container.chars().map(|c| if c == '>' { '>' } else { ' ' }).collect();
    let body = &text[range.clone()];
    let fence = fence_for(body);
    edits.push((start..range.start, format!("{container}{fence}text\n{continuation}")));
    let mut line = start;
    for &at in starts {
        let at_line = line_start(text, at);
        if at_line > line {
            edits.push((at_line..at, continuation.clone()));
            line = at_line;
        }
    }
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    edits.push((range.end..range.end, format!("{newline}{continuation}{fence}\n")));
    Some(())
}

/// Whether rustdoc finds no raw HTML and no code block other than `text` or one of
/// [`LANGUAGES`] in `text`, with either footnote syntax, and whether what follows the text (the
/// rest of the README) starts afresh: a block after it is not swallowed by an open one.
fn is_safe(text: &str) -> bool {
    let sentinel = text.len() + 2;
    let sealed = format!("{text}\n\n```sentinel\n```");
    footnote_modes(text).iter().all(|f| {
        let mut found_sentinel = false;
        let clean = Parser::new_ext(&sealed, options(*f)).into_offset_iter().all(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if range.start == sentinel => {
                found_sentinel = &*info == "sentinel";
                true
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => LANGUAGES.contains(&&*info),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => !is_script(&dest_url),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) | Event::Html(_) | Event::InlineHtml(_) => false,
            _ => true,
        });
        clean && found_sentinel
    })
}

/// Whether a link target starts with a scheme (`https:`, `mailto:`, and `Foo:` of `Foo::bar`).
fn is_absolute(url: &str) -> bool {
    let scheme = url.find(':').map_or("", |at| &url[..at]);
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `text` with the targets of its links (markdown inline links and images, and HTML `href`
/// and `src` attributes) made absolute against `base`, an `http(s)` URL; `None` when nothing
/// changes. A markdown link whose target stays relative (no `base`) or has a scheme other than
/// `http`, `https` and `mailto` keeps its text only; a fragment alone (`#section`) is left. A
/// target written in a way this does not find again in the text (escapes, entities) is left
/// for the sanitizer.
pub fn resolve_links(text: &str, base: Option<&url::Url>) -> Option<String> {
    if !text.contains("](") && !text.contains('<') {
        return None;
    }
    let resolve = |target: &str| -> Option<String> {
        let url = base?.join(target).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
        Some(url.as_str().replace('(', "%28").replace(')', "%29"))
    };
    // Kept as written: absolute web and mail links, and fragments.
    let keep = |target: &str| {
        target.is_empty()
            || target.starts_with('#')
            || ["http://", "https://", "mailto:"]
                .iter()
                .any(|s| target.get(..s.len()).is_some_and(|t| t.eq_ignore_ascii_case(s)))
    };
    let mut edits: Vec<Edit> = Vec::new();
    for (event, range) in Parser::new_ext(text, options(Options::ENABLE_FOOTNOTES)).into_offset_iter() {
        match event {
            Event::Start(
                Tag::Link { link_type: LinkType::Inline, dest_url, .. }
                | Tag::Image { link_type: LinkType::Inline, dest_url, .. },
            ) => {
                if keep(&dest_url) {
                    continue;
                }
                let link = &text[range.clone()];
                let Some(close) = link.rfind("](") else { continue };
                let absolute = match (is_absolute(&dest_url), resolve(&dest_url)) {
                    (false, Some(absolute)) => absolute,
                    _ => {
                        // Its text only: `[` (or `![`) and `](target)` go.
                        let open = if link.starts_with('!') { 2 } else { 1 };
                        edits.push((range.start..range.start + open, String::new()));
                        edits.push((range.start + close..range.end, String::new()));
                        continue;
                    }
                };
                let after = &link[close + 2..];
                let target = after.trim_start();
                let target_at = range.start + close + 2 + (after.len() - target.len());
                let (start, target) = match target.strip_prefix('<') {
                    Some(rest) => (target_at + 1, rest),
                    None => (target_at, target),
                };
                if target.starts_with(&*dest_url) {
                    edits.push((start..start + dest_url.len(), absolute));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let html = &text[range.clone()];
                let lower = html.to_ascii_lowercase();
                for name in ["href=", "src="] {
                    for (at, _) in lower.match_indices(name) {
                        let value_at = at + name.len();
                        let Some(quote) = html[value_at..].chars().next().filter(|c| *c == '"' || *c == '\'') else {
                            continue;
                        };
                        let value = &html[value_at + 1..];
                        let Some(end) = value.find(quote) else { continue };
                        let target = &value[..end];
                        if keep(target) || is_absolute(target) {
                            continue;
                        }
                        if let Some(absolute) = resolve(target) {
                            let start = range.start + value_at + 1;
                            edits.push((start..start + end, absolute.replace('"', "%22").replace('\'', "%27")));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some(apply(text, edits))
}

/// `text` with `edits` made, in order of position. An edit that overlaps the one before it is
/// left out (HTML around a block: the sanitizer's next pass sees it again).
fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len() + 64 * edits.len());
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at || text.get(range.clone()).is_none() {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether a link target runs a script (`javascript:`, `vbscript:`, `data:`), as a browser reads
/// it: in any case, without the tabs and line breaks it drops.
fn is_script(url: &str) -> bool {
    let url: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).take(11).collect();
    let url = url.to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|s| url.starts_with(s))
}

/// The lines of `text` with [`escape_inline`] applied outside the code blocks at `blocks`.
fn escape_outside(text: &str, blocks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut blocks = blocks.iter().peekable();
    let mut at = 0;
    for line in text.split('\n') {
        while blocks.peek().is_some_and(|b| b.end <= at) {
            blocks.next();
        }
        if blocks.peek().is_some_and(|b| b.start <= at) {
            out.push_str(line);
        } else {
            escape_inline(line, &mut out);
        }
        out.push('\n');
        at += line.len() + 1;
    }
    out.truncate(out.trim_end_matches('\n').len());
    out
}

/// Escapes one line outside code, appending it to `out`: HTML-looking `<...>`, bare URLs and
/// `[text]` without a link target. Code spans are kept as written.
fn escape_inline(line: &str, out: &mut String) {
    // What this line (or link text) has written so far starts here.
    let start = out.len();
    let mut rest = line;
    // Bytes that can start something to keep or escape; a run of other text is copied whole
    // (these are ASCII, so a run always ends on a char boundary).
    let special = |b: u8| matches!(b, b'`' | b'h' | b'<' | b'>' | b'[' | b']');
    while !rest.is_empty() {
        if !special(rest.as_bytes()[0]) {
            let run = rest.bytes().position(special).unwrap_or(rest.len());
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        if rest.starts_with('`') {
            let ticks = rest.chars().take_while(|c| *c == '`').count();
            let fence = &rest[..ticks];
            if let Some(end) = rest[ticks..].find(fence) {
                let span_end = ticks + end + ticks;
                out.push_str(&rest[..span_end]);
                rest = &rest[span_end..];
                continue;
            }
            out.push_str(fence);
            rest = &rest[ticks..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let preceded_by_link = out[start..].ends_with("](") || out[start..].ends_with('<');
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '>' | '"' | '\''))
                .unwrap_or(rest.len());
            let mut url = &rest[..end];
            // Up to a `<` or `>` that an earlier step escaped.
            if let Some(i) = ["&lt;", "&gt;"].iter().filter_map(|e| url.find(e)).min() {
                url = &url[..i];
            }
            while url.ends_with(['.', ',', ';', ':']) {
                url = &url[..url.len() - 1];
            }
            if preceded_by_link {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().expect("invariant: rest is not empty");
        match c {
            '<' => {
                // Keep autolinks we can recognise; everything else is text, not HTML.
                if rest[1..].starts_with("http://") || rest[1..].starts_with("https://") {
                    if let Some(end) = rest.find('>') {
                        out.push_str(&rest[..=end]);
                        rest = &rest[end + 1..];
                        continue;
                    }
                }
                out.push_str("&lt;");
            }
            // A quote marker stays where the line so far is container syntax (`>`, `> >`,
            // `- >`, `1. >`): escaping it would change the blocks the text was checked as.
            '>' if out[start..]
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '>' | '-' | '*' | '+' | '.' | ')' | '0'..='9')) =>
            {
                out.push('>')
            }
            '>' => out.push_str("&gt;"),
            '[' => {
                // `[text](target)` stays a link, and `[^note]` a footnote (its definition is a
                // block); any other bracket is escaped so rustdoc does not read it as an
                // intra-doc link.
                let close = matching_bracket(rest);
                let footnote = rest[1..].starts_with('^')
                    && close.is_some_and(|end| !rest[1..end].contains(|c: char| c.is_whitespace() || "<[".contains(c)));
                match close {
                    Some(end) if footnote => {
                        out.push_str(&rest[..=end]);
                        rest = &rest[end + 1..];
                        continue;
                    }
                    Some(end) if rest[end + 1..].starts_with('(') => {
                        out.push('[');
                        escape_inline(&rest[1..end], out);
                        out.push(']');
                        rest = &rest[end + 1..];
                        continue;
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A doc block's literal reads back as the block, whatever quotes and `#` it holds: a raw
    /// string with enough `#`, or (for text no raw string can hold) an escaped one.
    #[test]
    fn doc_literals_read_back_as_written() {
        let long_fence = format!("\"{}", "#".repeat(300));
        for block in
            ["plain", "say \"hi\" \\ there", "r#\"x\"# and \"## too", "\u{1} two\u{1} lines", &long_fence, "a\rb"]
        {
            let literal = doc_literal(block);
            let read: syn::LitStr = syn::parse2(quote!(#literal)).expect("a string literal");
            assert_eq!(read.value(), block);
            let raw = literal.to_string().starts_with('r');
            assert_eq!(raw, !block.contains('\r') && block != long_fence, "{block:?}: {literal}");
        }
    }

    /// Indentation of Unicode spaces is not indentation to CommonMark (a panic before).
    #[test]
    fn unicode_indentation() {
        assert_eq!(sanitize("a\n\n\u{3000}\u{3000}x"), "a\n\n\u{3000}\u{3000}x");
    }

    #[test]
    fn table() {
        let cases = [
            ("plain text", "plain text"),
            ("see https://x.io/a.", "see <https://x.io/a>."),
            ("[Portal](https://x.io)", "[Portal](https://x.io)"),
            ("[Auth](/authentication) now", "[Auth](/authentication) now"),
            ("a [note] here", "a \\[note\\] here"),
            ("Bearer pk_test_<your-key>", "Bearer pk_test_&lt;your-key&gt;"),
            ("`a <b> [c]`", "`a <b> [c]`"),
            ("```\nfn x() {}\n```", "```text\nfn x() {}\n```"),
            ("para\n\n    indented code", "para\n\n```text\nindented code\n```"),
            ("- item\n\n    continued", "- item\n\n    continued"),
            ("```json\n{}\n```", "```json\n{}\n```"),
            ("<https://x.io>", "<https://x.io>"),
            ("> quote", "> quote"),
            ("> > nested", "> > nested"),
            // Every info string but a known language is `text`.
            ("```should_panic\nx\n```", "```text\nx\n```"),
            ("```json,no_run\n{}\n```", "```text\n{}\n```"),
            ("``` rust\nx\n```", "```text\nx\n```"),
            ("```rus&#116;\nx\n```", "```text\nx\n```"),
            ("~~~rust,ignore\nx\n~~~", "~~~text\nx\n~~~"),
            ("````\nx\n``````", "````text\nx\n``````"),
            // Indented code anywhere becomes a fenced block in the same place.
            ("a\n\n\tcode\n\tmore", "a\n\n```text\ncode\nmore\n```"),
            ("a\n\n    one\n\n      two", "a\n\n```text\none\n\n  two\n```"),
            ("- item\n\n      code", "- item\n\n  ```text\n  code\n  ```"),
            ("> q\n>\n>     code\n>     more", "> q\n>\n> ```text\n> code\n> more\n> ```"),
            ("1.     code", "1. ```text\n   code\n   ```"),
            ("# H\n    code", "# H\n```text\ncode\n```"),
            ("a\n\n    ```rust\n    x\n    ```", "a\n\n````text\n```rust\nx\n```\n````"),
            // Unindented first, as rustdoc does: this is a fenced block.
            ("    ```rust\n    x\n    ```", "```text\nx\n```"),
            // A fence left open is closed.
            ("```\nunclosed", "```text\nunclosed\n```"),
            ("- ```rust\n  x", "- ```text\n  x"),
            // Raw HTML is text, but for the tags of prose, which become markdown.
            ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
            ("\\`<b>`", "\\`**`"),
            (
                "<p>Creates a <a href=\"/docs/connect\">Connect</a> <code>account</code>, see <a href=\"https://stripe.com/docs/api\">the API</a>.</p>\n<p>Second.</p>",
                "Creates a Connect `account`, see [the API](https://stripe.com/docs/api).\n\nSecond.",
            ),
            ("a <strong>b</strong> <em>c</em><br>d", "a **b** *c*\nd"),
            ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
            ("<a href=\"javascript:alert(1)\">x</a>", "x"),
            ("<a href='https://x.io/a b'>x</a> <img src=x onerror=y>", "[x](https://x.io/a%20b) &lt;img src=x onerror=y&gt;"),
            ("<pre>\n\n    x\n\n</pre>", "&lt;pre&gt;\n\n```text\nx\n```\n\n&lt;/pre&gt;"),
            // Links to scripts are text.
            ("[x](javascript:alert(1))", "\\[x](javascript:alert(1))"),
            ("[x](&#106;avascript:alert(1))", "\\[x](&#106;avascript:alert(1))"),
            ("![x](data:text/html,x)", "!\\[x](data:text/html,x)"),
            ("[x](\njavascript:alert(1))", "\\[x](\njavascript:alert(1))"),
            ("[x](<java\tscript:alert(1)>)", "\\[x](&lt;java\tscript:alert(1)&gt;)"),
            ("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"),
            ("[ok](crate::Error::Api) [ok](#a) [ok](e://x)", "[ok](crate::Error::Api) [ok](#a) [ok](e://x)"),
            ("see the [guide](\n  <https://x.io/a>\n  ).", "see the [guide](\n  <https://x.io/a>\n  )."),
            // Characters.
            ("a\r\nb\rc\0\u{202e}d\u{200b}", "a\nb\ncd"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn relative_links_made_absolute() {
        let openai = url::Url::parse("https://platform.openai.com").unwrap();
        let github = url::Url::parse("https://docs.github.com/rest/").unwrap();
        let cases: &[(Option<&url::Url>, &str, Option<&str>)] = &[
            (
                Some(&openai),
                "See the [guide](/docs/guides/text-to-speech#voices).",
                Some("See the [guide](https://platform.openai.com/docs/guides/text-to-speech#voices)."),
            ),
            (Some(&github), "[apps](apps/x) [up](../y)", Some("[apps](https://docs.github.com/rest/apps/x) [up](https://docs.github.com/y)")),
            (Some(&openai), "[a](</docs/a b>)", Some("[a](<https://platform.openai.com/docs/a%20b>)")),
            (Some(&openai), "[x](/a_(b))", Some("[x](https://platform.openai.com/a_%28b%29)")),
            (
                Some(&openai),
                "<p>A <a href=\"/docs/connect\">Connect</a> <img src='logo.png'> <a href=\"https://x.io/\">x</a></p>",
                Some("<p>A <a href=\"https://platform.openai.com/docs/connect\">Connect</a> <img src='https://platform.openai.com/logo.png'> <a href=\"https://x.io/\">x</a></p>"),
            ),
            // Absolute targets, fragments, code and link-free text are left alone.
            (Some(&openai), "[a](https://x.io/b) [m](mailto:a@b.c) [s](#section) `[c](/d)` plain", None),
            (Some(&openai), "```\n[c](/d)\n```", None),
            // Another scheme (a script, an intra-doc path) is text; so is a relative link
            // without a base, and an image its alt text.
            (Some(&openai), "[x](javascript:alert(1)) [y](Foo::bar)", Some("x y")),
            (None, "see [the guide](/docs/x), [API](https://x.io), ![logo](img/l.png)", Some("see the guide, [API](https://x.io), logo")),
            (None, "[a `b`](../c \"t\") [s](#s)", Some("a `b` [s](#s)")),
            // HTML without a base is left to the sanitizer (its text only).
            (None, "<a href=\"/x\">x</a>", None),
        ];
        for (base, input, want) in cases {
            assert_eq!(resolve_links(input, *base).as_deref(), *want, "input: {input:?}");
        }
        // What the sanitizer makes of the result keeps the absolute links.
        let html = resolve_links("<a href=\"/docs/connect\">Connect</a>", Some(&openai)).unwrap();
        assert_eq!(sanitize(&html), "[Connect](https://platform.openai.com/docs/connect)");
    }

    #[test]
    fn other_places() {
        assert_eq!(code_span("a\n\n```rust"), "````a  ```rust````");
        assert_eq!(code_span("x`y"), "``x`y``");
        assert_eq!(inline(" T <script>\n[x] "), "T &lt;script&gt; \\[x\\]");
        assert_eq!(toml_string("a\"\n\\\u{7f}\u{202e}"), r#""a\"\n\\\u007F\u202E""#);
        assert_eq!(label("a\nb --> <c>\u{202e}.yaml"), "a_b --_ _c__.yaml");
        assert_eq!(clean("ok"), Cow::Borrowed("ok"));
    }

    /// Spec text at the end of a generated line stays one line, as safe as in a paragraph of
    /// its own: markup escaped, and what only a block could hold (a code block) a code span.
    #[test]
    fn item_text_is_one_safe_line() {
        assert_eq!(item_text("Not found"), "Not found");
        assert_eq!(item_text("a <script>x</script>\n[b] c"), "a &lt;script&gt;x&lt;/script&gt; \\[b\\] c");
        let code = item_text("```rust\nfn main() {}");
        assert!(!code.contains('\n') && code.starts_with('`'), "{code}");
        // Text, not a link.
        assert_eq!(item_text("a [link](javascript:alert(1))"), "a \\[link](javascript:alert(1))");
    }
}
