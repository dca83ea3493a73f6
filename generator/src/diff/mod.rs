//! Spec diffing: what changed between two versions of an API description, whether each change
//! breaks users of the generated client, and which version bump the crate needs.
//!
//! Every change is judged from the client's side, twice:
//!
//! - **wire**: does a client generated from the old spec keep working against a server that
//!   implements the new one? (A new required parameter: no. A new response field: yes.)
//! - **Rust**: does code written against the old generated crate still compile against the new
//!   one? (A new required field of a request struct: no, its constructor takes it. A new
//!   optional field, or a new value of a string enum: yes, structs are `#[non_exhaustive]` and
//!   built with setters, and enums have an `Unknown` catch-all.)
//!
//! The spec-level walk (`walk`) finds the changes and decides the wire side from where the
//! changed element is used (sent, received, or both, following `$ref`s through `reach`). The
//! Rust side is not guessed per rule: both versions are lowered to the IR, the public Rust
//! surface of each is listed (`surface`), and a change breaks Rust exactly when an item it
//! covers (its *claims*) is removed or changes signature, or a new item is one that existing
//! code must handle (a field of a struct users build, a variant of an exhaustive enum, a
//! positional argument). Rust differences that no spec change explains (a generated name taken
//! by a new schema, a type that is now also sent in requests) are reported on their own.
//!
//! A change inside a shared component is reported once, at the component, with the operations
//! it reaches. Output is sorted (breaking first, then by place), so it is deterministic.

mod canon;
mod ignore;
mod reach;
mod render;
mod surface;
mod walk;

pub use ignore::{Ignore, Rule, IGNORE_FILE};
pub use render::{Format, RenderOptions};

use crate::diagnostics::Diagnostics;
use crate::ir::Api;
use canon::{Canon, Side};
use reach::{OpKey, Reach};
use serde_json::Value;
use std::collections::BTreeMap;
use surface::Delta;
use walk::{Claim, Pending, Walker};

/// One version of a spec, loaded for comparison: the normalized document and its IR.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The document after `normalize` (3.0 form), which keeps what the IR does not model.
    pub raw: Value,
    /// What the generator makes of it (Rust names, which fields are required arguments...).
    pub api: Api,
    /// What the generator would warn about, and what the diff set aside to read the spec at
    /// all (see [`crate::spec::read_lenient`]).
    pub warnings: Diagnostics,
}

impl Spec {
    /// Loads, validates, normalizes and lowers a spec, as `generate` does (without emitting),
    /// through the same front, leniently: what a comparison can do without (a duplicate
    /// `operationId`) is a warning in [`Spec::warnings`] rather than a refusal.
    ///
    /// # Errors
    ///
    /// The located problems that keep the spec from being compared.
    pub fn load(bytes: &[u8]) -> Result<Spec, Diagnostics> {
        Self::load_with(bytes, None)
    }

    /// As [`Spec::load`], resolving `$ref`s to other files against `base_dir` (the spec's own
    /// directory), as `GenerateOptions::base_dir` does.
    ///
    /// # Errors
    ///
    /// The located problems that keep the spec from generating a crate.
    pub fn load_with(bytes: &[u8], base_dir: Option<&std::path::Path>) -> Result<Spec, Diagnostics> {
        let files = base_dir.map(|base_dir| crate::spec::bundle::Files { base_dir, allowed: &[] });
        let mut front = crate::spec::read_lenient(bytes, files)?;
        let api = crate::lower::lower_document(&front.parsed, &front.doc, &mut front.diags);
        if front.diags.has_errors() {
            return Err(front.diags);
        }
        Ok(Spec { raw: front.doc, api, warnings: front.diags })
    }

    /// `info.version` as the spec writes it.
    pub fn version(&self) -> String {
        self.raw.pointer("/info/version").and_then(Value::as_str).unwrap_or("?").to_string()
    }
}

/// What a comparison does besides comparing: how to write it, what to leave out, what to accept.
/// The entry of every front end (`cargo xtask diff`, the `sdkgen diff` command).
#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    pub render: RenderOptions,
    /// Changes accepted by an ignore file (listed as ignored, not counted).
    pub ignore: Option<Ignore>,
}

/// Compares two specs, applies the ignore file and renders the report. The headings name the
/// specs' versions unless `opts.render` names them.
pub fn run(old: &Spec, new: &Spec, opts: &DiffOptions) -> (Report, String) {
    let mut report = diff(old, new);
    if let Some(ignore) = &opts.ignore {
        ignore.apply(&mut report);
    }
    let mut render = opts.render.clone();
    render.versions.get_or_insert_with(|| (old.version(), new.version()));
    let text = report.render(&render);
    (report, text)
}

/// What kind of change. The string forms (`operation-added`) are the `kind` of the JSON output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    /// Became deprecated, or stopped being deprecated.
    OperationDeprecated,
    /// `operationId` changed (the generated method name follows it).
    OperationRenamed,
    /// Another method or path with the same `operationId` (so the same generated method).
    OperationMoved,
    ParameterAdded,
    ParameterRemoved,
    ParameterRequiredChanged,
    /// Same name, another `in`.
    ParameterLocationChanged,
    /// `style` or `explode` changed.
    ParameterStyleChanged,
    /// A path variable renamed in place.
    ParameterRenamed,
    RequestBodyAdded,
    RequestBodyRemoved,
    RequestBodyRequiredChanged,
    MediaTypeAdded,
    MediaTypeRemoved,
    ResponseAdded,
    ResponseRemoved,
    /// A response header added, removed, or made required or optional.
    HeaderAdded,
    HeaderRemoved,
    HeaderRequiredChanged,
    /// A callback of an operation (a request the server makes to the client).
    CallbackAdded,
    CallbackRemoved,
    WebhookAdded,
    WebhookRemoved,
    /// The type of a schema changed (including a `$ref` to another schema, or an `enum`
    /// restriction added or dropped).
    TypeChanged,
    FormatChanged,
    NullableChanged,
    PropertyAdded,
    PropertyRemoved,
    PropertyRequiredChanged,
    EnumValueAdded,
    EnumValueRemoved,
    AdditionalPropertiesChanged,
    AllOfMemberAdded,
    AllOfMemberRemoved,
    /// A `oneOf` or `anyOf` alternative added.
    OneOfMemberAdded,
    OneOfMemberRemoved,
    DiscriminatorChanged,
    SchemaAdded,
    SchemaRemoved,
    /// A component schema renamed with its content unchanged.
    SchemaRenamed,
    SecuritySchemeAdded,
    SecuritySchemeRemoved,
    SecuritySchemeChanged,
    /// The schemes an operation (or the whole API) accepts changed.
    SecurityChanged,
    ServerAdded,
    ServerRemoved,
    DefaultServerChanged,
    /// A generated Rust name changed with no change at that place in the spec.
    RustNameChanged,
    /// Other generated Rust API changes with no change at that place in the spec.
    RustApiChanged,
    /// `deprecated` toggled on a parameter or schema.
    DeprecatedChanged,
    /// Descriptions and summaries.
    DocsChanged,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OperationAdded => "operation-added",
            Kind::OperationRemoved => "operation-removed",
            Kind::OperationDeprecated => "operation-deprecated",
            Kind::OperationRenamed => "operation-renamed",
            Kind::OperationMoved => "operation-moved",
            Kind::ParameterAdded => "parameter-added",
            Kind::ParameterRemoved => "parameter-removed",
            Kind::ParameterRequiredChanged => "parameter-required-changed",
            Kind::ParameterLocationChanged => "parameter-location-changed",
            Kind::ParameterStyleChanged => "parameter-style-changed",
            Kind::ParameterRenamed => "parameter-renamed",
            Kind::RequestBodyAdded => "request-body-added",
            Kind::RequestBodyRemoved => "request-body-removed",
            Kind::RequestBodyRequiredChanged => "request-body-required-changed",
            Kind::MediaTypeAdded => "media-type-added",
            Kind::MediaTypeRemoved => "media-type-removed",
            Kind::ResponseAdded => "response-added",
            Kind::ResponseRemoved => "response-removed",
            Kind::HeaderAdded => "header-added",
            Kind::HeaderRemoved => "header-removed",
            Kind::HeaderRequiredChanged => "header-required-changed",
            Kind::CallbackAdded => "callback-added",
            Kind::CallbackRemoved => "callback-removed",
            Kind::WebhookAdded => "webhook-added",
            Kind::WebhookRemoved => "webhook-removed",
            Kind::TypeChanged => "type-changed",
            Kind::FormatChanged => "format-changed",
            Kind::NullableChanged => "nullable-changed",
            Kind::PropertyAdded => "property-added",
            Kind::PropertyRemoved => "property-removed",
            Kind::PropertyRequiredChanged => "property-required-changed",
            Kind::EnumValueAdded => "enum-value-added",
            Kind::EnumValueRemoved => "enum-value-removed",
            Kind::AdditionalPropertiesChanged => "additional-properties-changed",
            Kind::AllOfMemberAdded => "all-of-member-added",
            Kind::AllOfMemberRemoved => "all-of-member-removed",
            Kind::OneOfMemberAdded => "one-of-member-added",
            Kind::OneOfMemberRemoved => "one-of-member-removed",
            Kind::DiscriminatorChanged => "discriminator-changed",
            Kind::SchemaAdded => "schema-added",
            Kind::SchemaRemoved => "schema-removed",
            Kind::SchemaRenamed => "schema-renamed",
            Kind::SecuritySchemeAdded => "security-scheme-added",
            Kind::SecuritySchemeRemoved => "security-scheme-removed",
            Kind::SecuritySchemeChanged => "security-scheme-changed",
            Kind::SecurityChanged => "security-changed",
            Kind::ServerAdded => "server-added",
            Kind::ServerRemoved => "server-removed",
            Kind::DefaultServerChanged => "default-server-changed",
            Kind::RustNameChanged => "rust-name-changed",
            Kind::RustApiChanged => "rust-api-changed",
            Kind::DeprecatedChanged => "deprecated-changed",
            Kind::DocsChanged => "docs-changed",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The semver level of a change, or of a whole diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing users can observe in the API: docs, deprecations, equivalent rewrites.
    Patch,
    /// Additions that break nobody.
    Minor,
    /// Breaks users on the wire or in Rust.
    Major,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

/// One change between two specs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    /// A JSON pointer into the new document (the old one for removals), or `METHOD /path`.
    pub location: String,
    /// An old client breaks against the new server.
    pub wire: bool,
    /// Code written against the old generated crate stops compiling.
    pub rust: bool,
    pub level: Level,
    /// What changed and where, and why it breaks (or what it adds).
    pub message: String,
    /// The operations a change in a shared component reaches (`GET /users/{id}`); empty for
    /// changes that are not in a shared component.
    pub reaches: Vec<String>,
    /// Listed but not counted: matched by the ignore file.
    pub ignored: bool,
}

impl Change {
    fn new(kind: Kind, location: String, wire: bool, rust: bool, level: Level, message: String) -> Change {
        Change { kind, location, wire, rust, level, message, reaches: vec![], ignored: false }
    }

    /// Breaks users (and is not ignored).
    pub fn breaking(&self) -> bool {
        (self.wire || self.rust) && !self.ignored
    }

    /// A stable identity of the change across runs and spec versions: 12 hex digits of the
    /// SHA-256 of its kind and location (what an ignore file names).
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{}\n{}", self.kind.as_str(), self.location).as_bytes());
        digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
    }

    /// What the change belongs to, for grouping: `GET /pets`, `schema Pet`, or `API`.
    pub fn group(&self) -> String {
        if !self.location.starts_with('/') {
            return match self.location.split_once(' ') {
                Some((m, p)) if crate::spec::METHODS.iter().any(|x| x.eq_ignore_ascii_case(m)) => {
                    format!("{m} {p}")
                }
                _ => "API".into(),
            };
        }
        let toks = canon::tokens(&self.location);
        match toks.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["paths", path, method, ..] if crate::spec::METHODS.contains(&method) => {
                format!("{} {path}", method.to_ascii_uppercase())
            }
            ["paths", path, ..] => path.to_string(),
            ["webhooks" | "x-webhooks", name, ..] => format!("webhook {name}"),
            ["components", "schemas", name, ..] => format!("schema {name}"),
            ["components", "parameters", name, ..] => format!("parameter {name}"),
            ["components", "requestBodies", name, ..] => format!("request body {name}"),
            ["components", "responses", name, ..] => format!("response {name}"),
            ["components", "headers", name, ..] => format!("header {name}"),
            ["components", "securitySchemes", name, ..] => format!("security scheme {name}"),
            _ => "API".into(),
        }
    }
}

/// Every change between two specs, breaking first, then by place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    /// The bump the generated crate needs: `Major` when anything breaks, `Minor` for additions,
    /// else `Patch` (also for an empty diff, where no release is needed at all).
    pub fn semver(&self) -> Level {
        self.changes.iter().filter(|c| !c.ignored).map(|c| c.level).max().unwrap_or(Level::Patch)
    }

    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(Change::breaking)
    }

    /// How many changes break users on the wire (not counting ignored ones).
    pub fn wire_breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking() && c.wire).count()
    }
}

/// The next version after `version` for a change of `level`, with Cargo's rules for 0.x
/// (`0.y.z`: breaking bumps `y`, anything else `z`; `0.0.z`: always `z`). `None` when `version`
/// is not `X.Y.Z`.
pub fn bump_version(version: &str, level: Level) -> Option<String> {
    let core = version.split(['-', '+']).next()?;
    let parts: Vec<u64> = core.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [x, y, z] = parts[..] else { return None };
    Some(match (x, y, level) {
        (0, 0, _) => format!("0.0.{}", z + 1),
        (0, _, Level::Major) => format!("0.{}.0", y + 1),
        (0, _, _) => format!("0.{y}.{}", z + 1),
        (_, _, Level::Major) => format!("{}.0.0", x + 1),
        (_, _, Level::Minor) => format!("{x}.{}.0", y + 1),
        (_, _, Level::Patch) => format!("{x}.{y}.{}", z + 1),
    })
}

/// Compares two versions of a spec.
pub fn diff(old: &Spec, new: &Spec) -> Report {
    let canon = Canon { old: &old.raw, new: &new.raw, renames: renames(&old.raw, &new.raw) };
    let reach = Reach::build(&canon);
    let labels = |k: &OpKey| reach.label(k);
    let mut old_surface = surface::build(&old.api, Side::Old, &canon, &labels);
    surface::rekey_operations(&mut old_surface, &Walker::moved_operations(&canon));
    let new_surface = surface::build(&new.api, Side::New, &canon, &labels);
    let deltas = surface::compare(&old_surface, &new_surface, &surface::same_types(&new.api));

    // The struct each field place belongs to, for `Default` (see below).
    let mut field_parents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for it in old_surface.values().chain(new_surface.values()) {
        if let (true, Some(parent)) = (it.key.contains(".field:"), it.parent.as_deref()) {
            field_parents.entry(it.origin.as_str()).or_default().push(parent);
        }
    }

    let mut walker = Walker::new(&canon, &reach);
    walker.run();
    let mut claimed = vec![false; deltas.len()];
    let mut changes = Vec::new();
    for p in walker.out {
        let mut mine: Vec<usize> =
            (0..deltas.len()).filter(|&i| p.claims.iter().any(|c| claims(c, &deltas[i]))).collect();
        // A struct gains or loses `Default` when its fields' requiredness changes: the change
        // that moved a field owns that too.
        let mut parents: Vec<String> = mine.iter().filter_map(|&i| deltas[i].item().parent.clone()).collect();
        for c in &p.claims {
            if let Claim::At(ptr) | Claim::Under(ptr) = c {
                parents.extend(field_parents.get(ptr.as_str()).into_iter().flatten().map(|p| p.to_string()));
            }
        }
        for (i, d) in deltas.iter().enumerate() {
            let it = d.item();
            if it.key.ends_with(".derive:Default")
                && it.parent.as_ref().is_some_and(|p| parents.contains(p))
                && !mine.contains(&i)
            {
                mine.push(i);
            }
        }
        mine.sort_unstable();
        // An added operation breaks nobody: what it changes in existing items (a shared type now
        // sent in requests) stays unclaimed and is reported at the item.
        if p.kind == Kind::OperationAdded {
            mine.retain(|&i| !deltas[i].breaks);
        }
        for &i in &mine {
            claimed[i] = true;
        }
        let mine: Vec<&Delta> = mine.iter().map(|&i| &deltas[i]).collect();
        changes.push(finish(p, &mine));
    }

    let (ot, nt) = (crate::naming::crate_name(&old.api.info.title), crate::naming::crate_name(&new.api.info.title));
    if ot != nt {
        changes.push(Change::new(
            Kind::RustNameChanged,
            "/info/title".into(),
            false,
            true,
            Level::Major,
            format!(
                "info.title: the crate name derived from it changes from `{ot}` to `{nt}` (unless the crate name is set explicitly). Breaks Rust: dependents name the crate."
            ),
        ));
    }

    // Rust differences no spec change claims, grouped by operation or type.
    let mut groups: BTreeMap<String, Vec<&Delta>> = BTreeMap::new();
    for (d, _) in deltas.iter().zip(&claimed).filter(|(_, c)| !**c) {
        let it = d.item();
        let group = match (&it.op, &it.parent) {
            (Some(op), _) => format!("op:{op}"),
            (None, Some(parent)) => parent.clone(),
            (None, None) => it.key.clone(),
        };
        groups.entry(group).or_default().push(d);
    }
    for (group, ds) in groups {
        changes.push(unexplained(&group, &ds, &old_surface, &new_surface));
    }

    changes.sort_by(|a, b| {
        (b.level, sort_key(&a.location), a.kind, &a.message).cmp(&(a.level, sort_key(&b.location), b.kind, &b.message))
    });
    changes.dedup();
    Report { changes }
}

/// Component schemas removed in the old version and added in the new one with the same
/// content (prose aside, references to each other followed): renames.
fn renames(old: &Value, new: &Value) -> BTreeMap<String, String> {
    let empty = serde_json::Map::new();
    let o = old.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);
    let n = new.pointer("/components/schemas").and_then(Value::as_object).unwrap_or(&empty);
    let removed: Vec<&String> = o.keys().filter(|k| !n.contains_key(*k)).collect();
    let added: Vec<&String> = n.keys().filter(|k| !o.contains_key(*k)).collect();
    let mut out = BTreeMap::new();
    for r in removed {
        for a in &added {
            if out.values().any(|v| v == *a) {
                continue;
            }
            let map = |name: &str| if name == r.as_str() { a.to_string() } else { name.to_string() };
            if strip(&o[r.as_str()], &map) == strip(&n[a.as_str()], &|s: &str| s.to_string()) {
                out.insert(r.clone(), a.to_string());
                break;
            }
        }
    }
    out
}

/// A schema without prose, with component references renamed by `map`.
fn strip(v: &Value, map: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "title" | "example" | "examples" | crate::spec::normalize::EXT_EXAMPLES
                    )
                })
                .map(|(k, v)| {
                    let v = match (k.as_str(), v.as_str().and_then(|r| r.strip_prefix("#/components/schemas/"))) {
                        ("$ref", Some(name)) => Value::String(format!("#/components/schemas/{}", map(name))),
                        _ => strip(v, map),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| strip(i, map)).collect()),
        other => other.clone(),
    }
}

fn claims(c: &Claim, d: &Delta) -> bool {
    let hit = |it: &surface::Item| match c {
        Claim::Under(p) => canon::is_under(&it.origin, p),
        Claim::At(p) => it.origin == *p,
        Claim::Key(k) => it.key == *k,
        Claim::KeyPrefix(k) => it.key.starts_with(k.as_str()),
        Claim::TypesUnder(p) => it.is_type() && canon::is_under(&it.origin, p),
        Claim::NewUnder(p) => d.old.is_none() && d.whole && canon::is_under(&it.origin, p),
        Claim::GoneUnder(p) => d.new.is_none() && d.whole && canon::is_under(&it.origin, p),
        Claim::Values { at, values } => {
            at.contains(&it.origin) && values.iter().any(|v| it.key.ends_with(&format!(".variant:{v}")))
        }
        Claim::Within { owner, origin } => {
            it.parent_origin.as_deref() == Some(owner.as_str()) && canon::is_under(&it.origin, origin)
        }
        Claim::MembersOf(owner) => it.parent_origin.as_deref() == Some(owner.as_str()),
        Claim::TypeAt(p) => it.is_type() && it.origin == *p,
        Claim::Renamed { to, .. } => mentions(&it.sig, to),
        Claim::FieldNamed { owner, name } => {
            it.parent_origin.as_deref() == Some(owner.as_str()) && it.key.ends_with(&format!(".field:{name}"))
        }
    };
    if let (Claim::Renamed { from, to }, Some(o), Some(n)) = (c, &d.old, &d.new) {
        let starts = |name: &Option<String>, prefix: &str| name.as_deref().is_some_and(|n| n.starts_with(prefix));
        if starts(&o.type_name, from) && starts(&n.type_name, to) {
            return true;
        }
    }
    d.old.as_ref().is_some_and(hit) || d.new.as_ref().is_some_and(hit)
}

/// Whether a signature names the generated type `name` (written `@Name` in signatures).
fn mentions(sig: &str, name: &str) -> bool {
    let needle = format!("@{name}");
    sig.match_indices(&needle)
        .any(|(i, _)| sig[i + needle.len()..].chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '_')))
}

/// Why the breaking deltas break: their descriptions, or when every one is left unsaid (the
/// arguments of a removed method), what each item is. Never empty for a non-empty list.
fn break_reasons(deltas: &[&Delta]) -> String {
    let breaks: Vec<&&Delta> = deltas.iter().filter(|d| d.breaks).collect();
    let said = summarize(&breaks.iter().map(|d| d.describe()).collect::<Vec<_>>());
    if !said.is_empty() {
        return said;
    }
    summarize(&breaks.iter().map(|d| d.reason()).collect::<Vec<_>>())
}

/// At most a few descriptions, then a count.
fn summarize(items: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut unique: Vec<&String> = Vec::new();
    for i in items {
        if !i.is_empty() && !unique.contains(&i) {
            unique.push(i);
        }
    }
    let mut s = unique.iter().take(SHOWN).map(|s| s.as_str()).collect::<Vec<_>>().join("; ");
    if unique.len() > SHOWN {
        s.push_str(&format!("; and {} more", unique.len() - SHOWN));
    }
    s
}

fn finish(p: Pending, deltas: &[&Delta]) -> Change {
    let adds: Vec<String> = deltas.iter().filter(|d| !d.breaks).map(|d| d.describe()).collect();
    let wire = p.wire.is_some();
    let rust = deltas.iter().any(|d| d.breaks);
    let level = if wire || rust {
        Level::Major
    } else if adds.is_empty() {
        p.level
    } else {
        p.level.max(Level::Minor)
    };
    let mut message = format!("{}: {}.", p.at, p.what);
    if let Some(w) = &p.wire {
        message.push_str(&format!(" Breaks the wire: {w}."));
    }
    if rust {
        message.push_str(&format!(" Breaks Rust: {}.", break_reasons(deltas)));
    } else if !summarize(&adds).is_empty() {
        message.push_str(&format!(" Rust: {}.", summarize(&adds)));
    }
    if p.reaches.as_ref().is_some_and(Vec::is_empty) {
        message.push_str(" No operation uses it.");
    }
    let mut c = Change::new(p.kind, p.location, wire, rust, level, message);
    c.reaches = p.reaches.unwrap_or_default();
    c
}

/// A Rust-only change: surface differences no spec change claims.
fn unexplained(group: &str, ds: &[&Delta], old: &surface::Surface, new: &surface::Surface) -> Change {
    let first = ds[0].item();
    let (location, at) = match group.strip_prefix("op:") {
        Some(op) => (op.to_string(), op.to_string()),
        None => {
            let head = new.get(group).or_else(|| old.get(group)).unwrap_or(first);
            (head.at.clone(), head.label.clone())
        }
    };
    let renames_only = ds.iter().all(|d| match (&d.old, &d.new) {
        (Some(o), Some(n)) if o.is_type() => o.sig.split_whitespace().skip(2).eq(n.sig.split_whitespace().skip(2)),
        (Some(o), Some(n)) => o.show == n.show && o.label != n.label,
        _ => false,
    });
    let adds: Vec<String> = ds.iter().filter(|d| !d.breaks).map(|d| d.describe()).collect();
    let rust = ds.iter().any(|d| d.breaks);
    // Why (a generated name now taken or freed, a type now sent in requests or no longer) is
    // said once, in the kind's documentation and the output's notes, not in every entry.
    let mut message = format!(
        "{at}: the generated Rust {} from changes elsewhere in the spec.",
        if renames_only { "names change" } else { "API changes" }
    );
    if rust {
        message.push_str(&format!(" Breaks Rust: {}.", break_reasons(ds)));
    }
    if !summarize(&adds).is_empty() {
        message.push_str(&format!(" Rust: {}.", summarize(&adds)));
    }
    Change::new(
        if renames_only { Kind::RustNameChanged } else { Kind::RustApiChanged },
        location,
        false,
        rust,
        if rust { Level::Major } else { Level::Minor },
        message,
    )
}

/// Orders locations: document-wide places, then operations by path and method (with what is
/// inside them), then components.
fn sort_key(location: &str) -> (u8, String, usize, String) {
    let method_index =
        |m: &str| crate::spec::METHODS.iter().position(|x| x.eq_ignore_ascii_case(m)).map_or(0, |i| i + 1);
    if let Some(rest) = location.strip_prefix('/') {
        let toks = canon::tokens(location);
        return match toks.first().map(String::as_str) {
            Some("paths") if toks.len() >= 2 => {
                let m = toks.get(2).map_or(0, |m| method_index(m));
                (1, canon::template(&toks[1]), m, rest.to_string())
            }
            Some("components") if toks.get(1).map(String::as_str) != Some("securitySchemes") => {
                (2, String::new(), 0, rest.to_string())
            }
            _ => (0, String::new(), 0, rest.to_string()),
        };
    }
    match location.split_once(' ') {
        Some((m, path)) => (1, canon::template(path), method_index(m), String::new()),
        None => (0, String::new(), 0, location.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(bump_version("1.2.3", Level::Major).as_deref(), Some("2.0.0"));
        assert_eq!(bump_version("1.2.3", Level::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(bump_version("1.2.3", Level::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(bump_version("0.4.1", Level::Major).as_deref(), Some("0.5.0"));
        assert_eq!(bump_version("0.4.1", Level::Minor).as_deref(), Some("0.4.2"));
        assert_eq!(bump_version("0.0.7", Level::Major).as_deref(), Some("0.0.8"));
        assert_eq!(bump_version("1.0.0-beta.1", Level::Patch).as_deref(), Some("1.0.1"));
        assert_eq!(bump_version("v1", Level::Patch), None);
    }
}
