//! Spec prose -> rustdoc that renders and never fails `cargo doc -D warnings` or a doctest.
//!
//! Spec text is CommonMark written for a web page. In rustdoc, a fenced or indented block is a
//! doctest, `[name]` is an intra-doc link, `<tag>` is HTML and a bare URL is a lint warning.
//! `sanitize` neutralizes each of these while keeping the text readable.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for a block of markdown (one attribute per line).
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = sanitize(text);
    let lines = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
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

/// An inline code span for arbitrary text (backticks inside are handled by a longer fence).
pub fn code_span(text: &str) -> String {
    let mut fence = String::from("`");
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Makes markdown safe for rustdoc.
///
/// Lines are written to one buffer, each followed by a line break (the breaks after trailing
/// empty lines are trimmed at the end): every type and field has a doc comment, so this runs
/// tens of thousands of times for a large API.
pub fn sanitize(text: &str) -> String {
    let text: std::borrow::Cow<str> = if text.contains('\r') { text.replace("\r\n", "\n").into() } else { text.into() };
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence: Option<&str> = None;
    let mut in_indented = false;
    let mut prev_blank = true;
    let mut in_list = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
            out.push_str(line.trim_end());
            out.push('\n');
            prev_blank = false;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // `` ` `` and `~` are ASCII: bytes are chars.
            let fence = &trimmed[..trimmed.bytes().take_while(|b| matches!(b, b'`' | b'~')).count()];
            let lang = trimmed[fence.len()..].trim();
            // Every code block is text to rustdoc unless it names a non-Rust language.
            let lang = if lang.is_empty() || lang == "rust" { "text" } else { lang };
            out.push_str(&line[..line.len() - trimmed.len()]);
            out.push_str(fence);
            out.push_str(lang);
            out.push('\n');
            in_fence = Some(fence);
            prev_blank = false;
            continue;
        }
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            if in_indented {
                out.push_str("```\n");
                in_indented = false;
            }
            out.push('\n');
            prev_blank = true;
            continue;
        }
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        let is_list_item = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
            || (digits > 0 && trimmed[digits..].starts_with(". "));
        if is_list_item && indent < 4 {
            in_list = true;
        } else if indent == 0 {
            in_list = false;
        }
        if !in_indented && indent >= 4 && prev_blank && !in_list {
            // An indented code block: fence it as text so it is shown, not compiled.
            out.push_str("```text\n");
            in_indented = true;
        }
        if in_indented {
            // Four columns of indentation off; all of it when it is not four bytes (tabs,
            // other Unicode spaces).
            out.push_str(line.get(4.min(indent)..).unwrap_or(trimmed).trim_end());
        } else {
            escape_inline(line.trim_end(), &mut out);
        }
        out.push('\n');
        prev_blank = false;
    }
    if in_indented {
        out.push_str("```\n");
    }
    if in_fence.is_some() {
        out.push_str("```\n");
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
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"' || c == '\'')
                .unwrap_or(rest.len());
            let mut url = &rest[..end];
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
            '>' if out[start..].trim().is_empty() => out.push('>'),
            '>' => out.push_str("&gt;"),
            '[' => {
                // `[text](target)` stays a link; any other bracket is escaped so rustdoc does
                // not read it as an intra-doc link.
                let close = matching_bracket(rest);
                match close {
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
    use super::sanitize;

    /// Indentation of Unicode spaces in an indented block (a panic before).
    #[test]
    fn unicode_indentation() {
        assert_eq!(sanitize("a\n\n\u{3000}\u{3000}x"), "a\n\n```text\nx\n```");
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
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "input: {input:?}");
        }
    }
}
