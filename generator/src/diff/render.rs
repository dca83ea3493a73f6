//! The three output formats: text for a terminal, markdown for a changelog or a PR comment,
//! and JSON for tools (`{"semver": ..., "changes": [{kind, location, breaking, message}]}`).

use super::{Change, Level, Report};
use serde_json::json;

/// The three groups every human-readable output uses, in order.
fn groups(report: &Report) -> [(&'static str, Vec<&Change>); 3] {
    let pick = |f: &dyn Fn(&Change) -> bool| report.changes.iter().filter(|c| f(c)).collect::<Vec<_>>();
    [
        ("Breaking changes", pick(&|c| c.breaking())),
        ("Additions", pick(&|c| !c.breaking() && c.level == Level::Minor)),
        ("Other changes", pick(&|c| !c.breaking() && c.level == Level::Patch)),
    ]
}

fn impact(c: &Change) -> &'static str {
    match (c.wire, c.rust) {
        (true, true) => "wire, Rust",
        (true, false) => "wire",
        (false, true) => "Rust",
        (false, false) => "",
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `1 breaking change, 2 additions, 0 other changes`.
fn counts(report: &Report) -> String {
    let [(_, b), (_, a), (_, o)] = groups(report);
    format!(
        "{}, {}, {}",
        count(b.len(), "breaking change", "breaking changes"),
        count(a.len(), "addition", "additions"),
        count(o.len(), "other change", "other changes")
    )
}

impl Report {
    /// Grouped, readable text.
    pub fn render_text(&self) -> String {
        if self.changes.is_empty() {
            return "No changes.\n".into();
        }
        let zero = match self.semver() {
            Level::Major => " (a minor bump for a 0.x crate)",
            Level::Minor => " (a patch bump for a 0.x crate)",
            Level::Patch => "",
        };
        let mut out = format!("{}. Semver: {}{zero}.\n", counts(self), self.semver().as_str());
        for (title, changes) in groups(self) {
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{title} ({})\n", changes.len()));
            for c in changes {
                let tag = impact(c);
                let tag = if tag.is_empty() { String::new() } else { format!(" [{tag}]") };
                out.push_str(&format!("  {}{tag} at {}\n      {}\n", c.kind, c.location, c.message));
            }
        }
        out
    }

    /// A markdown section headed `## {title}`: a changelog entry or a PR comment.
    pub fn render_markdown(&self, title: &str) -> String {
        let mut out = format!("## {title}\n\n");
        if self.changes.is_empty() {
            out.push_str("No changes to the API.\n");
            return out;
        }
        out.push_str(&format!("Semver: **{}**. {}.\n", self.semver().as_str(), counts(self)));
        for (heading, changes) in groups(self) {
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {heading}\n\n"));
            for c in changes {
                let tag = impact(c);
                let tag = if tag.is_empty() { String::new() } else { format!("**{tag}** · ") };
                out.push_str(&format!("- {tag}{} (`{}` at `{}`)\n", c.message, c.kind, c.location));
            }
        }
        out
    }

    /// `{"semver": "major"|"minor"|"patch", "changes": [{"kind", "location", "breaking", "message"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "semver": self.semver().as_str(),
            "changes": self.changes.iter().map(|c| json!({
                "kind": c.kind.as_str(),
                "location": c.location,
                "breaking": c.breaking(),
                "message": c.message,
            })).collect::<Vec<_>>(),
        })
    }

    /// The JSON form, pretty-printed, with a final newline.
    pub fn render_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.to_json()).expect("invariant: JSON values always serialize");
        s.push('\n');
        s
    }
}
