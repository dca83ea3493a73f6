//! The output formats: text for a terminal, markdown for a changelog or a PR comment, JSON for
//! tools (its schema: `diff/report.schema.json`, also in `Report::JSON_SCHEMA`), GitHub Actions
//! annotations for CI logs, and JUnit XML for CI test reports (one failing test case per breaking
//! change).
//!
//! Human-readable output is grouped (breaking, additions, other changes; within each, per
//! operation or component, in the report's order), and every list that grows with the spec is
//! cut with a count: the operations a shared change reaches, and the entries of a long group.

use super::{Change, Level, Report};
use serde_json::json;

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Json,
    /// `::error`/`::notice` workflow commands, one line per change.
    GithubActions,
    /// JUnit XML: a test suite per operation or component, a test case per change, failing when
    /// it breaks users (see [`Report::render`]).
    Junit,
}

impl Format {
    /// `text`, `markdown` (or `md`), `json`, `github`, `junit`.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "markdown" | "md" => Format::Markdown,
            "json" => Format::Json,
            "github" | "github-actions" => Format::GithubActions,
            "junit" => Format::Junit,
            _ => return None,
        })
    }
}

/// How a report is written.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub format: Format,
    /// Only breaking changes (ignored ones are still listed, as ignored).
    pub only_breaking: bool,
    /// The markdown heading; by default `API changes: OLD -> NEW` with the specs' versions.
    pub title: Option<String>,
    /// `info.version` of each spec, for headings.
    pub versions: Option<(String, String)>,
}

/// How many operations an entry names before it counts the rest.
const REACHES_SHOWN: usize = 3;
/// How many entries of one group (an operation or component) are written before a count;
/// breaking changes are always written in full.
const PER_GROUP: usize = 25;

fn shown_per_group(section: &str) -> usize {
    if section == "Breaking changes" {
        usize::MAX
    } else {
        PER_GROUP
    }
}

/// The three groups every human-readable output uses, in order, and the ignored changes.
fn groups(report: &Report, only_breaking: bool) -> [(&'static str, Vec<&Change>); 4] {
    let pick = |f: &dyn Fn(&Change) -> bool| report.changes.iter().filter(|c| f(c)).collect::<Vec<_>>();
    let all = !only_breaking;
    [
        ("Breaking changes", pick(&|c| c.breaking())),
        ("Additions", pick(&|c| all && !c.ignored && !c.breaking() && c.level == Level::Minor)),
        ("Other changes", pick(&|c| all && !c.ignored && !c.breaking() && c.level == Level::Patch)),
        ("Ignored", pick(&|c| c.ignored)),
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

/// `1 breaking change (1 on the wire, 0 in Rust), 2 additions, 0 other changes`.
fn counts(report: &Report) -> String {
    let [(_, b), (_, a), (_, o), (_, i)] = groups(report, false);
    let wire = b.iter().filter(|c| c.wire).count();
    let rust = b.iter().filter(|c| c.rust).count();
    let mut s = format!(
        "{} ({wire} on the wire, {rust} in Rust), {}, {}",
        count(b.len(), "breaking change", "breaking changes"),
        count(a.len(), "addition", "additions"),
        count(o.len(), "other change", "other changes")
    );
    if !i.is_empty() {
        s.push_str(&format!(", {} ignored", i.len()));
    }
    s
}

/// ` Reaches GET /a, GET /b, GET /c and 140 more.`
fn reaches(c: &Change) -> String {
    if c.reaches.is_empty() {
        return String::new();
    }
    let shown = c.reaches.iter().take(REACHES_SHOWN).cloned().collect::<Vec<_>>().join(", ");
    match c.reaches.len().saturating_sub(REACHES_SHOWN) {
        0 => format!(" Reaches {shown}."),
        more => format!(" Reaches {shown} and {more} more operation{}.", if more == 1 { "" } else { "s" }),
    }
}

/// Changes by what they belong to (an operation, a component), in first-seen order.
fn by_group<'r>(changes: &[&'r Change]) -> Vec<(String, Vec<&'r Change>)> {
    let mut out: Vec<(String, Vec<&'r Change>)> = Vec::new();
    for c in changes {
        let g = c.group();
        match out.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(c),
            None => out.push((g, vec![c])),
        }
    }
    out
}

impl Report {
    /// The JSON Schema of [`Report::to_json`].
    pub const JSON_SCHEMA: &'static str = include_str!("report.schema.json");

    /// The report in the chosen format.
    pub fn render(&self, opts: &RenderOptions) -> String {
        match opts.format {
            Format::Text => self.text(opts),
            Format::Markdown => {
                let title = opts.title.clone().unwrap_or_else(|| match &opts.versions {
                    Some((o, n)) => format!("API changes: {o} -> {n}"),
                    None => "API changes".into(),
                });
                self.markdown(&title, opts.only_breaking)
            }
            Format::Json => {
                let mut s =
                    serde_json::to_string_pretty(&self.json(opts)).expect("invariant: JSON values always serialize");
                s.push('\n');
                s
            }
            Format::GithubActions => self.github(opts),
            Format::Junit => self.junit(opts),
        }
    }

    /// Grouped, readable text.
    pub fn render_text(&self) -> String {
        self.text(&RenderOptions::default())
    }

    fn text(&self, opts: &RenderOptions) -> String {
        let mut out = String::new();
        if let Some((o, n)) = &opts.versions {
            out.push_str(&format!("{o} -> {n}\n"));
        }
        if self.changes.is_empty() {
            out.push_str("No changes.\n");
            return out;
        }
        let zero = match self.semver() {
            Level::Major => " (a minor bump for a 0.x crate)",
            Level::Minor => " (a patch bump for a 0.x crate)",
            Level::Patch => "",
        };
        out.push_str(&format!("{}. Semver: {}{zero}.\n", counts(self), self.semver().as_str()));
        for (title, changes) in groups(self, opts.only_breaking) {
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{title} ({})\n", changes.len()));
            let limit = shown_per_group(title);
            for (group, cs) in by_group(&changes) {
                out.push_str(&format!("  {group}\n"));
                for c in cs.iter().take(limit) {
                    let tag = impact(c);
                    let tag = if tag.is_empty() { String::new() } else { format!(" [{tag}]") };
                    out.push_str(&format!(
                        "    {}{tag} at {} ({})\n        {}{}\n",
                        c.kind,
                        c.location,
                        c.fingerprint(),
                        c.message,
                        reaches(c)
                    ));
                }
                if cs.len() > limit {
                    out.push_str(&format!("    ... and {} more here\n", cs.len() - limit));
                }
            }
        }
        out
    }

    /// A markdown section headed `## {title}`: a changelog entry or a PR comment.
    pub fn render_markdown(&self, title: &str) -> String {
        self.markdown(title, false)
    }

    fn markdown(&self, title: &str, only_breaking: bool) -> String {
        let mut out = format!("## {title}\n\n");
        if self.changes.is_empty() {
            out.push_str("No changes to the API.\n");
            return out;
        }
        out.push_str(&format!("Semver: **{}**. {}.\n", self.semver().as_str(), counts(self)));
        for (heading, changes) in groups(self, only_breaking) {
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {heading}\n"));
            let limit = shown_per_group(heading);
            for (group, cs) in by_group(&changes) {
                out.push_str(&format!("\n#### {}\n\n", group.replace('`', "'")));
                for c in cs.iter().take(limit) {
                    let tag = impact(c);
                    let tag = if tag.is_empty() { String::new() } else { format!("**{tag}** · ") };
                    out.push_str(&format!(
                        "- {tag}{}{} (`{}` at `{}`, `{}`)\n",
                        c.message,
                        reaches(c),
                        c.kind,
                        c.location,
                        c.fingerprint()
                    ));
                }
                if cs.len() > limit {
                    out.push_str(&format!(
                        "- ... and {} more changes here (all in the JSON output)\n",
                        cs.len() - limit
                    ));
                }
            }
        }
        if self.changes.iter().any(|c| matches!(c.kind, super::Kind::RustApiChanged | super::Kind::RustNameChanged)) {
            out.push_str(
                "\nRust-only entries (`rust-api-changed`, `rust-name-changed`) follow from changes elsewhere: a generated name now taken or freed, or a type now sent in requests or no longer.\n",
            );
        }
        out
    }

    /// The JSON form (schema: [`Report::JSON_SCHEMA`]).
    pub fn to_json(&self) -> serde_json::Value {
        self.json(&RenderOptions::default())
    }

    fn json(&self, opts: &RenderOptions) -> serde_json::Value {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .filter(|c| !opts.only_breaking || c.breaking() || c.ignored)
            .map(|c| {
                json!({
                    "kind": c.kind.as_str(),
                    "location": c.location,
                    "group": c.group(),
                    "fingerprint": c.fingerprint(),
                    "breaking": c.breaking(),
                    "wire_breaking": c.wire,
                    "rust_breaking": c.rust,
                    "level": c.level.as_str(),
                    "ignored": c.ignored,
                    "reaches": c.reaches,
                    "message": c.message,
                })
            })
            .collect();
        let mut out = json!({
            "semver": self.semver().as_str(),
            "breaking": self.changes.iter().filter(|c| c.breaking()).count(),
            "wire_breaking": self.changes.iter().filter(|c| c.breaking() && c.wire).count(),
            "rust_breaking": self.changes.iter().filter(|c| c.breaking() && c.rust).count(),
            "changes": changes,
        });
        if let Some((o, n)) = &opts.versions {
            out["versions"] = json!({"old": o, "new": n});
        }
        out
    }

    /// The JSON form, pretty-printed, with a final newline.
    pub fn render_json(&self) -> String {
        self.render(&RenderOptions { format: Format::Json, ..RenderOptions::default() })
    }

    /// GitHub Actions workflow commands: `::error` for breaking changes, `::notice` for the rest
    /// (with `only_breaking`, breaking ones only).
    fn github(&self, opts: &RenderOptions) -> String {
        // Workflow command data escapes `%`, CR and LF.
        let esc = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
        let mut out = String::new();
        for c in &self.changes {
            if c.ignored || (opts.only_breaking && !c.breaking()) {
                continue;
            }
            let level = if c.breaking() { "error" } else { "notice" };
            let title = format!("{} ({})", c.kind, impact(c)).replace([',', ':'], " ");
            out.push_str(&format!("::{level} title={}::{}{}\n", esc(&title), esc(&c.message), esc(&reaches(c))));
        }
        out
    }

    /// JUnit XML, as CI systems read test reports (GitLab's, Jenkins', Azure's, GitHub actions
    /// that publish test results): the report is a `testsuites` element named after the specs'
    /// versions, with a `testsuite` per operation or component (the groups of the other formats)
    /// and a `testcase` per change. A breaking change is a failing test case (`failure`, its
    /// `type` the change's kind, its text the message, where it breaks and its fingerprint); an
    /// ignored one is `skipped`; the others pass. With `only_breaking`, only breaking (and
    /// ignored) changes are test cases. Nothing is cut: a CI report lists every change.
    fn junit(&self, opts: &RenderOptions) -> String {
        use quick_xml::events::{BytesDecl, BytesText, Event};
        // XML 1.0 cannot carry most control characters, even escaped.
        let clean = |s: &str| -> String {
            s.chars().map(|c| if c.is_control() && !matches!(c, '\t' | '\n' | '\r') { '\u{fffd}' } else { c }).collect()
        };
        let shown: Vec<&Change> =
            self.changes.iter().filter(|c| !opts.only_breaking || c.breaking() || c.ignored).collect();
        let failures = |cs: &[&Change]| cs.iter().filter(|c| c.breaking()).count().to_string();
        let skipped = |cs: &[&Change]| cs.iter().filter(|c| c.ignored).count().to_string();
        let name = match &opts.versions {
            Some((o, n)) => format!("API changes: {o} -> {n}"),
            None => "API changes".into(),
        };
        let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
        let written = (|| -> std::io::Result<()> {
            w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
            w.create_element("testsuites")
                .with_attributes([
                    ("name", clean(&name).as_str()),
                    ("tests", shown.len().to_string().as_str()),
                    ("failures", failures(&shown).as_str()),
                    ("errors", "0"),
                    ("skipped", skipped(&shown).as_str()),
                ])
                .write_inner_content(|w| {
                    for (group, changes) in by_group(&shown) {
                        let group = clean(&group);
                        w.create_element("testsuite")
                            .with_attributes([
                                ("name", group.as_str()),
                                ("tests", changes.len().to_string().as_str()),
                                ("failures", failures(&changes).as_str()),
                                ("errors", "0"),
                                ("skipped", skipped(&changes).as_str()),
                            ])
                            .write_inner_content(|w| {
                                for c in changes {
                                    let case = w.create_element("testcase").with_attributes([
                                        ("name", clean(&format!("{} {}", c.kind.as_str(), c.location)).as_str()),
                                        ("classname", group.as_str()),
                                    ]);
                                    if c.ignored {
                                        case.write_inner_content(|w| {
                                            w.create_element("skipped")
                                                .with_attribute(("message", clean(&c.message).as_str()))
                                                .write_empty()
                                                .map(drop)
                                        })?;
                                    } else if c.breaking() {
                                        let text = format!(
                                            "{}{}\nbreaks: {}\nlocation: {}\nfingerprint: {}",
                                            c.message,
                                            reaches(c),
                                            impact(c),
                                            c.location,
                                            c.fingerprint()
                                        );
                                        case.write_inner_content(|w| {
                                            w.create_element("failure")
                                                .with_attributes([
                                                    ("message", clean(&c.message).as_str()),
                                                    ("type", c.kind.as_str()),
                                                ])
                                                .write_text_content(BytesText::new(&clean(&text)))
                                                .map(drop)
                                        })?;
                                    } else {
                                        case.write_empty()?;
                                    }
                                }
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })();
        written.expect("invariant: writing XML into memory cannot fail");
        let mut out = String::from_utf8(w.into_inner()).expect("invariant: the XML is written from strings");
        out.push('\n');
        out
    }
}
