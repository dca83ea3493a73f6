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
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
            line_col: None,
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

    /// Renders as `FILE:LINE:COL: #/pointer: severity: message` plus an indented hint line.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::from(file);
        if let Some((line, col)) = self.line_col {
            out.push_str(&format!(":{line}:{col}"));
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(": #{}: {level}: {}", self.pointer, self.message));
        if let Some(hint) = &self.hint {
            out.push_str(&format!("\n  hint: {hint}"));
        }
        out
    }
}

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
        } else {
            self.omitted += 1;
            self.omitted_error |= d.severity == Severity::Error;
        }
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

    /// The diagnostics that have no position in the source yet.
    pub fn unplaced_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut().filter(|d| d.line_col.is_none())
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
