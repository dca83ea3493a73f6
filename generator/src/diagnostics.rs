//! Located problems and warnings, reported all at once.
//!
//! Every phase pushes into one [`Diagnostics`] list instead of returning on the first problem,
//! so a user fixing a spec sees everything that is wrong in one run.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on with a documented fallback (for example `serde_json::Value`).
    Warning,
    /// Generation cannot produce a crate.
    Error,
}

/// One problem, located by a JSON pointer into the input document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer (RFC 6901) into the document as the user wrote it, without the leading `#`.
    pub pointer: String,
    pub message: String,
    pub hint: Option<String>,
    /// 1-based line and column where the parser knows them.
    pub line_col: Option<(usize, usize)>,
    /// The stable code of the kind of problem (`E004`; see [`CODES`]), set by the phase that
    /// found it.
    pub code: Option<&'static str>,
    /// The file the pointer is in when it is not the spec: the configuration file, whose keys
    /// are named by pointers too (`/replace/0/schema`).
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
            line_col: None,
            code: None,
            file: None,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(pointer, message) }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line_col = Some((line, col));
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// `error` or `warning`.
    pub fn level(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The diagnostic as one JSON object (`--message-format json`): `file`, `line`, `column`
    /// (`null` when unknown), `pointer` (with its `#`), `severity`, `code`, `message`, `hint`.
    pub fn to_json(&self, file: &str) -> serde_json::Value {
        serde_json::json!({
            "file": self.file.as_deref().unwrap_or(file),
            "line": self.line_col.map(|(l, _)| l),
            "column": self.line_col.map(|(_, c)| c),
            "pointer": format!("#{}", self.pointer),
            "severity": self.level(),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        })
    }

    /// As [`Diagnostic::render`], with an excerpt of `source` and a caret under the spot when
    /// the line is known, drawn by `annotate-snippets` (`color`: with ANSI styles, for a
    /// terminal).
    pub fn render_excerpt(&self, file: &str, source: &str, color: bool) -> String {
        let file = self.file.as_deref().unwrap_or(file);
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let title_text = format!("#{}: {}", self.pointer, self.message);
        let mut title = level.primary_title(title_text.as_str());
        if let Some(code) = self.code {
            title = title.id(code);
        }
        let hint = self.hint.as_deref().map(|h| Group::with_title(Level::HELP.secondary_title(h)));
        let excerpt = self.line_col.and_then(|(line, col)| excerpt(source, line, col));
        let mut report = vec![match &excerpt {
            Some(ex) => title.element(
                Snippet::source(ex.text.as_str())
                    .line_start(ex.first_line)
                    .path(file)
                    .annotation(AnnotationKind::Primary.span(ex.span.clone())),
            ),
            // Without an excerpt, the place alone (`--> spec.yaml:3:5`).
            None => {
                let mut origin = annotate_snippets::Origin::path(file);
                if let Some((line, col)) = self.line_col {
                    origin = origin.line(line).char_column(col);
                }
                title.element(origin)
            }
        }];
        report.extend(hint);
        let mut out = renderer.render(&report).to_string();
        out.push('\n');
        out
    }

    /// Renders as `FILE:LINE:COL: #/pointer: severity: message` plus an indented hint line
    /// (`file` is the spec's name, used unless the diagnostic is in another file).
    pub fn render(&self, file: &str) -> String {
        let mut out = String::from(self.file.as_deref().unwrap_or(file));
        if let Some((line, col)) = self.line_col {
            out.push_str(&format!(":{line}:{col}"));
        }
        out.push_str(&format!(": #{}: {}: {}", self.pointer, self.level(), self.message));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  hint: {hint}"));
        }
        out
    }
}

/// Lines around a spot of a source text, and the bytes of the spot within them.
struct Excerpt {
    text: String,
    first_line: usize,
    span: std::ops::Range<usize>,
}

/// Lines of context shown before the line of a diagnostic.
const CONTEXT_LINES: usize = 2;

/// The excerpt for 1-based `line` and `col` (in characters): up to [`CONTEXT_LINES`] lines
/// before it and the line itself; the span is the word at the column (a key or a value up to
/// the next space, `:` or `,`), at least one character. `None` when the text has no such line.
fn excerpt(source: &str, line: usize, col: usize) -> Option<Excerpt> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let first_line = line.saturating_sub(CONTEXT_LINES).max(1);
    let lines: Vec<&str> = source.lines().skip(first_line - 1).take(line + 1 - first_line).collect();
    if lines.len() != line + 1 - first_line {
        return None;
    }
    // Very long lines (a minified JSON spec is one line) are cut around the spot.
    let target = *lines.last()?;
    let start_in_line = target.char_indices().nth(col.saturating_sub(1)).map_or(target.len(), |(i, _)| i);
    let before: usize = lines[..lines.len() - 1].iter().map(|l| l.len() + 1).sum();
    let (mut text, shift) = if target.len() > MAX_EXCERPT_LINE {
        let from = floor_char(target, start_in_line.saturating_sub(MAX_EXCERPT_LINE / 2));
        let to = floor_char(target, (from + MAX_EXCERPT_LINE).min(target.len()));
        (target[from..to].to_string(), from)
    } else {
        (lines.join("\n"), 0)
    };
    let base = if shift > 0 { 0 } else { before };
    let first_line = if shift > 0 { line } else { first_line };
    let start = base + start_in_line - shift;
    let rest = &text[start.min(text.len())..];
    let len = rest.find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '}' | ']')).unwrap_or(rest.len());
    let len = if len == 0 { rest.chars().next().map_or(0, char::len_utf8) } else { len };
    if text.is_empty() {
        text.push(' ');
    }
    let start = start.min(text.len());
    Some(Excerpt { span: start..(start + len).min(text.len()), text, first_line })
}

/// Longest line an excerpt shows whole.
const MAX_EXCERPT_LINE: usize = 160;

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The stable codes of diagnostics, by the phase that finds them, and what each means. The
/// list is documented in `generator/DIAGNOSTICS.md`; a code is never reused for another kind.
pub const CODES: &[(&str, &str)] = &[
    ("E001", "a file cannot be read (the spec, the configuration, an output file)"),
    ("E002", "the spec is not YAML or JSON, or exceeds a limit while reading it"),
    ("E003", "a `$ref` to another file is refused or cannot be read"),
    ("E004", "the document is not a valid OpenAPI 3.0 or 3.1 description"),
    ("E005", "a field does not have the shape OpenAPI defines"),
    ("E006", "the spec expands past a limit of lowering"),
    ("E007", "internal error (a bug in sdkgen: please report it)"),
    ("E010", "the configuration file is not valid TOML, or has an unknown key"),
    ("E011", "a configuration value is invalid or names nothing in the spec"),
    ("E020", "the output directory cannot be written"),
    ("E021", "`sdkgen check`: the output directory is stale"),
    (
        "W001",
        "a construct is read tolerantly or ignored (a number without a JSON form, a response key that is not a status)",
    ),
    ("W002", "a 3.1 construct the generator does not model is ignored for typing"),
    ("W003", "a construct the generator does not model is generated by a fallback"),
    ("W004", "a configuration entry matches nothing in the spec"),
    ("W005", "a value the spec does not state is taken from elsewhere in it (the docs site relative links point to)"),
];

/// The diagnostics kept: a spec can have a problem in every one of its nodes, and each message
/// names its place (the largest real specs have a few hundred warnings). Later ones are counted.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// An ordered list of diagnostics collected across phases (the first [`MAX_DIAGNOSTICS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// How many more there were, and whether one of them was an error.
    omitted: usize,
    omitted_error: bool,
    /// Paths the front renamed (`spec::repair`): a pointer under the new name is reported
    /// under the name as written.
    renamed: Vec<(String, String)>,
}

impl Diagnostics {
    /// Reports every later diagnostic under `now` (a pointer) at `written` instead.
    pub fn renamed(&mut self, now: String, written: String) {
        self.renamed.push((now, written));
    }

    pub fn push(&mut self, mut d: Diagnostic) {
        for (now, written) in &self.renamed {
            if let Some(rest) = d.pointer.strip_prefix(now.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    d.pointer = format!("{written}{rest}");
                    break;
                }
            }
        }
        if self.items.len() < MAX_DIAGNOSTICS {
            self.items.push(d);
            return;
        }
        // Full: an error takes the place of the last warning kept (errors are what stop a run,
        // so none is hidden behind a thousand warnings); otherwise it is only counted.
        let last_warning = self.items.iter().rposition(|k| k.severity == Severity::Warning);
        match last_warning {
            Some(i) if d.severity == Severity::Error => {
                self.items.remove(i);
                self.items.push(d);
            }
            _ => self.omitted_error |= d.severity == Severity::Error,
        }
        self.omitted += 1;
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::error(pointer, message));
    }

    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    pub fn has_errors(&self) -> bool {
        self.omitted_error || self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Warning)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.renamed.extend(other.renamed);
        for d in other.items {
            self.push(d);
        }
        self.omitted += other.omitted;
        self.omitted_error |= other.omitted_error;
    }

    /// How many diagnostics past [`MAX_DIAGNOSTICS`] were counted but not kept.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Gives every diagnostic without a code the code of its severity.
    pub fn set_codes(&mut self, error: &'static str, warning: &'static str) {
        for d in self.items.iter_mut().filter(|d| d.code.is_none()) {
            d.code = Some(match d.severity {
                Severity::Error => error,
                Severity::Warning => warning,
            });
        }
    }

    /// Names `file` as the file of every diagnostic that names none yet.
    pub fn set_file(&mut self, file: &str) {
        for d in self.items.iter_mut().filter(|d| d.file.is_none()) {
            d.file = Some(file.to_string());
        }
    }

    /// The diagnostics in the spec that have no position in it yet.
    pub fn unplaced_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut().filter(|d| d.line_col.is_none() && d.file.is_none())
    }

    /// The diagnostics in `file` (not the spec) that have no position yet.
    pub fn unplaced_in_mut<'a>(&'a mut self, file: &'a str) -> impl Iterator<Item = &'a mut Diagnostic> + 'a {
        self.items.iter_mut().filter(move |d| d.line_col.is_none() && d.file.as_deref() == Some(file))
    }

    /// All diagnostics, one per line (hints indented below), in the order they were found.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render(file));
            out.push('\n');
        }
        if self.omitted > 0 {
            out.push_str(&format!(
                "{file}: and {} more problems (the first {MAX_DIAGNOSTICS} are shown)\n",
                self.omitted
            ));
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("<spec>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DIAGNOSTICS.md lists exactly the codes of [`CODES`], with their meanings.
    #[test]
    fn the_codes_are_documented() {
        let doc = include_str!("../DIAGNOSTICS.md");
        let rows: Vec<(&str, &str)> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| ")?.split_once(" | "))
            .filter(|(code, _)| code.len() == 4 && code[1..].bytes().all(|b| b.is_ascii_digit()))
            .map(|(code, rest)| (code, rest.trim_end_matches(" |")))
            .collect();
        assert_eq!(rows, CODES);
    }

    #[test]
    fn excerpts_put_a_caret_under_the_spot() {
        let source = "openapi: 3.0.3\ninfo:\n  title: T\n  version: 1\npaths:\n  /a: 7\n";
        let d = Diagnostic::error("/paths/~1a", "a path item is a mapping").with_code("E005").at(6, 7);
        let out = d.render_excerpt("api.yaml", source, false);
        assert!(out.contains("error[E005]: #/paths/~1a: a path item is a mapping"), "{out}");
        assert!(out.contains("--> api.yaml:6:7"), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        let at = lines.iter().position(|l| l.ends_with("  /a: 7")).expect("the line is shown");
        assert_eq!(lines[at + 1].find('^'), lines[at].find("7"), "{out}");
        // Without a known line, the place alone.
        let out = Diagnostic::warning("/x", "m").render_excerpt("api.yaml", source, false);
        assert!(out.contains("--> api.yaml") && !out.contains('^'), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_spot() {
        let source = format!("{{\"a\": \"{}\", \"paths\": 1}}", "x".repeat(1000));
        let col = source.find("\"paths\"").expect("present") + 1;
        let d = Diagnostic::error("/paths", "not a mapping").at(1, col);
        let out = d.render_excerpt("api.json", &source, false);
        assert!(out.lines().all(|l| l.len() < 300), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
    }
}
