//! `$ref`s to other files, bundled into the document.

use super::load::MAX_DEPTH;
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::{Map, Value};

/// How many levels of non-schema references (a parameter file that refers to another, ...) are
/// inlined before the chain is called cyclic.
const MAX_INLINE_DEPTH: usize = 32;

/// Brings `$ref`s to other local files (`other.yaml#/Thing`, `schemas/pet.json`) into `doc`,
/// resolving paths against `base_dir` (the directory of the spec) and, inside a referenced file,
/// against that file's directory. A referenced schema becomes a component schema of `doc`
/// (named after the last segment of its pointer, or the file name) and the reference points to
/// it, so shared and recursive schemas stay one type; anything else (a parameter, a response, a
/// path item) is copied in place. Every reference that cannot be resolved is reported at the
/// `$ref` in `doc` that led to it.
pub fn bundle_external_refs(doc: &mut Value, base_dir: &std::path::Path, diags: &mut Diagnostics) {
    // A spec whose references are all local (`#/...`) has nothing to bundle: the rewrite below
    // would leave it as it is, so skip its walk (it builds a pointer for every node).
    if !has_external_ref(doc, 0) {
        return;
    }
    let mut b = Bundler {
        files: std::collections::HashMap::new(),
        imported: std::collections::HashMap::new(),
        taken: doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default(),
        pending: Vec::new(),
        added: Vec::new(),
        base: std::fs::canonicalize(base_dir).ok(),
        diags,
    };
    let main = Origin::Main(base_dir.to_path_buf());
    b.rewrite(doc, Ctx { origin: &main, in_schema: false, site: None, inlined: 0 }, "", 0);
    // Imported schemas are rewritten from a work list, not recursively: a long chain of schemas
    // that refer to the next cannot exhaust the stack.
    while let Some((name, file, site, mut schema)) = b.pending.pop() {
        let origin = Origin::File(file);
        b.rewrite(&mut schema, Ctx { origin: &origin, in_schema: true, site: Some(&site), inlined: 0 }, "", 0);
        b.added.push((name, schema));
    }
    if b.added.is_empty() {
        return;
    }
    b.added.sort_by(|x, y| x.0.cmp(&y.0));
    let Some(root) = doc.as_object_mut() else { return };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else { return };
    let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    if let Some(schemas) = schemas.as_object_mut() {
        for (name, schema) in b.added.drain(..) {
            schemas.insert(name, schema);
        }
    }
}

/// Whether any `$ref` string within `MAX_DEPTH` levels of `v` names another file (does not
/// start with `#`): a superset of the references [`bundle_external_refs`] resolves.
fn has_external_ref(v: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Object(map) => map.iter().any(|(k, child)| match child {
            Value::String(r) => k == "$ref" && !r.starts_with('#'),
            _ => has_external_ref(child, depth + 1),
        }),
        Value::Array(items) => items.iter().any(|item| has_external_ref(item, depth + 1)),
        _ => false,
    }
}

/// Where a value being rewritten comes from: the spec itself (refs starting with `#` are already
/// local), or another file (whose `#` refs point into that file).
enum Origin {
    Main(std::path::PathBuf),
    File(std::path::PathBuf),
}

impl Origin {
    fn dir(&self) -> &std::path::Path {
        match self {
            Origin::Main(dir) => dir,
            Origin::File(file) => file.parent().unwrap_or(std::path::Path::new(".")),
        }
    }
}

/// What is known about the value being rewritten.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    origin: &'a Origin,
    /// Inside a schema: references are schemas, `default`/`enum`/... are data.
    in_schema: bool,
    /// For content from another file: the main document's `$ref` that brought it in (where its
    /// problems are reported).
    site: Option<&'a str>,
    /// How many non-schema references were copied in place on the way here.
    inlined: usize,
}

struct Bundler<'d> {
    /// Loaded files by canonical path (`None`: could not be read; reported once).
    files: std::collections::HashMap<std::path::PathBuf, Option<Value>>,
    /// (file, pointer) of an imported schema -> its local reference.
    imported: std::collections::HashMap<(std::path::PathBuf, String), String>,
    /// Component schema names in use.
    taken: std::collections::BTreeSet<String>,
    /// Imported schemas whose own references are still to be rewritten: name, file, site, schema.
    pending: Vec<(String, std::path::PathBuf, String, Value)>,
    /// Imported schemas to add to `#/components/schemas`.
    added: Vec<(String, Value)>,
    /// The spec's directory, canonical: files are named relative to it in messages.
    base: Option<std::path::PathBuf>,
    diags: &'d mut Diagnostics,
}

impl Bundler<'_> {
    /// Rewrites every reference inside `v`, whose pointer in the main document is `ptr` (unused
    /// for content from another file) at nesting `depth`.
    fn rewrite(&mut self, v: &mut Value, ctx: Ctx<'_>, ptr: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let main = ctx.site.is_none();
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let r = r.clone();
                    match self.resolve(&r, ctx, &crate::spec::pointer::join(ptr, "$ref")) {
                        Some(Resolved::Ref(local)) => {
                            map.insert("$ref".into(), Value::String(local));
                        }
                        Some(Resolved::Inline(value)) => {
                            *v = value;
                            return;
                        }
                        None => {}
                    }
                }
                for (k, child) in map.iter_mut() {
                    // Schema values (`default`, `enum`, ...) are data; `default` among
                    // responses is a response.
                    let data = matches!(k.as_str(), "example" | "enum" | "const") || (k == "default" && ctx.in_schema);
                    if k == "$ref" || data || k.starts_with("x-") {
                        continue;
                    }
                    let child_ptr = if main { crate::spec::pointer::join(ptr, k) } else { String::new() };
                    if k == "examples" && !ctx.in_schema {
                        // Example objects may be references; their values are data.
                        if let Value::Object(exs) = child {
                            for (name, ex) in exs.iter_mut() {
                                let Some(Value::String(r)) = ex.get("$ref") else { continue };
                                let r = r.clone();
                                let ex_ptr =
                                    if main { crate::spec::pointer::join(&child_ptr, name) } else { String::new() };
                                let here = crate::spec::pointer::join(&ex_ptr, "$ref");
                                match self.resolve(&r, Ctx { in_schema: false, ..ctx }, &here) {
                                    Some(Resolved::Ref(local)) => ex["$ref"] = Value::String(local),
                                    Some(Resolved::Inline(value)) => *ex = value,
                                    None => {}
                                }
                            }
                        }
                        continue;
                    }
                    let in_schema = ctx.in_schema || k == "schema" || k == "schemas";
                    self.rewrite(child, Ctx { in_schema, ..ctx }, &child_ptr, depth + 1);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let item_ptr = if main { crate::spec::pointer::join(ptr, &i.to_string()) } else { String::new() };
                    self.rewrite(item, ctx, &item_ptr, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// What a reference becomes; `None` leaves it as it is (already local, or reported).
    /// `here` is the reference's pointer in the main document (when it is in the main document).
    fn resolve(&mut self, r: &str, ctx: Ctx<'_>, here: &str) -> Option<Resolved> {
        let site = ctx.site.unwrap_or(here);
        let (file_part, fragment) = r.split_once('#').unwrap_or((r, ""));
        let file = if file_part.is_empty() {
            match ctx.origin {
                // A local reference of the spec itself.
                Origin::Main(_) => return None,
                Origin::File(file) => file.clone(),
            }
        } else {
            if file_part.contains("://") {
                self.diags.push(
                    Diagnostic::error(site, format!("`$ref: {r}` points to a remote document, which is not fetched"))
                        .with_hint("download it next to the spec and refer to it by a relative path, or bundle the spec (for example `redocly bundle`)"),
                );
                return None;
            }
            let path = ctx.origin.dir().join(&*super::pointer::percent_decode(file_part));
            match std::fs::canonicalize(&path) {
                Ok(p) => p,
                Err(e) => {
                    self.diags.push(
                        Diagnostic::error(site, format!("`$ref: {r}`: cannot read `{}`: {e}", path.display()))
                            .with_hint(
                                "references to other files are resolved relative to the file that contains them",
                            ),
                    );
                    return None;
                }
            }
        };
        let key = (file.clone(), fragment.to_string());
        if ctx.in_schema {
            if let Some(local) = self.imported.get(&key) {
                return Some(Resolved::Ref(local.clone()));
            }
        }
        let loaded = self.load(&file, r, site)?;
        let Some(mut target) = crate::spec::pointer::resolve(loaded, &format!("#{fragment}")).cloned() else {
            self.diags.push(
                Diagnostic::error(site, format!("`$ref: {r}`: `{}` has nothing at `#{fragment}`", self.show(&file)))
                    .with_hint(
                        "the part after `#` is a JSON pointer into that file, such as `#/components/schemas/Pet`",
                    ),
            );
            return None;
        };
        if ctx.in_schema {
            let name = self.claim_name(fragment, &file);
            let local = format!("#/components/schemas/{name}");
            // Registered before its content is rewritten, so recursive schemas find themselves.
            self.imported.insert(key, local.clone());
            self.pending.push((name, file, site.to_string(), target));
            return Some(Resolved::Ref(local));
        }
        if ctx.inlined >= MAX_INLINE_DEPTH {
            self.diags.push(Diagnostic::error(
                site,
                format!(
                    "`$ref: {r}`: references between files nest more than {MAX_INLINE_DEPTH} levels deep (a cycle?)"
                ),
            ));
            return None;
        }
        let origin = Origin::File(file);
        let inner = Ctx { origin: &origin, in_schema: false, site: Some(site), inlined: ctx.inlined + 1 };
        self.rewrite(&mut target, inner, "", 0);
        Some(Resolved::Inline(target))
    }

    fn load(&mut self, file: &std::path::Path, r: &str, site: &str) -> Option<&Value> {
        if !self.files.contains_key(file) {
            let loaded = match std::fs::read(file) {
                Err(e) => {
                    self.diags
                        .push(Diagnostic::error(site, format!("`$ref: {r}`: cannot read `{}`: {e}", self.show(file))));
                    None
                }
                Ok(bytes) => match load_any(&bytes) {
                    Ok(v) => Some(v),
                    Err(d) => {
                        let first = d.iter().next().map(|d| d.message.clone()).unwrap_or_default();
                        let shown = self.show(file);
                        self.diags
                            .push(Diagnostic::error(site, format!("`$ref: {r}`: `{shown}` does not load: {first}")));
                        None
                    }
                },
            };
            self.files.insert(file.to_path_buf(), loaded);
        }
        self.files.get(file)?.as_ref()
    }

    /// `file` relative to the spec's directory when it is inside it.
    fn show(&self, file: &std::path::Path) -> String {
        let relative = self.base.as_deref().and_then(|b| file.strip_prefix(b).ok());
        relative.unwrap_or(file).display().to_string()
    }

    /// A component name for an imported schema: the pointer's last segment, else the file stem,
    /// spelled with letters, digits, `_`, `-` and `.` only, and not yet used.
    fn claim_name(&mut self, fragment: &str, file: &std::path::Path) -> String {
        let last =
            fragment.rsplit('/').next().filter(|s| !s.is_empty()).map(|s| s.replace("~1", "/").replace("~0", "~"));
        let raw =
            last.unwrap_or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        let mut base: String = raw
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' })
            .collect();
        if base.is_empty() {
            base = "Schema".into();
        }
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }
}

enum Resolved {
    Ref(String),
    Inline(Value),
}

/// A referenced file: a document of any shape (a lone schema is a mapping, but need not be an
/// OpenAPI document).
fn load_any(bytes: &[u8]) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::default();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let mut d = Diagnostics::default();
        d.error("", format!("not valid UTF-8 (at byte {})", e.valid_up_to()));
        d
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = super::load::parse_text(text, &mut diags);
    match value {
        Some(v) if !diags.has_errors() => Ok(v),
        _ => Err(diags),
    }
}
