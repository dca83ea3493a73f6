//! `$ref`s to other files, bundled into the document.
//!
//! The spec is untrusted: a reference reads only regular files inside the spec's folder tree
//! (or a folder the user allowed), at most [`MAX_READ_BYTES`] in all, and copies at most
//! [`MAX_COPIED_VALUES`] values into the document. A reference that breaks a rule is a located
//! error that names the reference and never shows the file's content.

use super::load::{kind_of, MAX_DEPTH};
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// How many levels of non-schema references (a parameter file that refers to another, ...) are
/// inlined before the chain is called cyclic.
const MAX_INLINE_DEPTH: usize = 32;

/// Bytes read from other files, all files together (a file is read once however often it is
/// referenced).
pub const MAX_READ_BYTES: u64 = 64 << 20;

/// Values (JSON nodes, a string one more per 64 bytes: `spec::count_values`) copied out of other
/// files into the document, all references together: references that fan out (a file referring
/// to another twice, that one to the next twice, ...) would otherwise copy exponentially many.
/// GitHub's whole spec counts 283,000.
pub const MAX_COPIED_VALUES: usize = 1_000_000;

/// Where `$ref`s may read files.
#[derive(Clone, Copy, Debug)]
pub struct Files<'a> {
    /// The spec's directory: references are resolved against it, and files anywhere below it
    /// may be read.
    pub base_dir: &'a Path,
    /// Further directories whose files may be read (`--allow-ref DIR`).
    pub allowed: &'a [PathBuf],
}

/// Brings `$ref`s to other local files (`other.yaml#/Thing`, `schemas/pet.json`) into `doc`,
/// resolving paths against `files.base_dir` (the directory of the spec) and, inside a referenced
/// file, against that file's directory. A referenced schema becomes a component schema of `doc`
/// (named after the last segment of its pointer, or the file name) and the reference points to
/// it, so shared and recursive schemas stay one type; anything else (a parameter, a response, a
/// path item) is copied in place, and must be a mapping. Every reference that cannot be
/// resolved, or is refused, is reported at the `$ref` in `doc` that led to it. Returns the
/// files read, sorted (a build script asks cargo to watch them).
pub fn bundle_external_refs(doc: &mut Value, files: Files<'_>, diags: &mut Diagnostics) -> Vec<PathBuf> {
    // A spec whose references are all local (`#/...`) has nothing to bundle: the rewrite below
    // would leave it as it is, so skip its walk (it builds a pointer for every node).
    if !has_external_ref(doc, 0) {
        return Vec::new();
    }
    // `Path::parent` of a bare file name is the empty path, which is the current directory.
    let dir = if files.base_dir.as_os_str().is_empty() { Path::new(".") } else { files.base_dir };
    let base = std::fs::canonicalize(dir).ok();
    let mut roots: Vec<PathBuf> = base.iter().cloned().collect();
    roots.extend(files.allowed.iter().filter_map(|dir| std::fs::canonicalize(dir).ok()));
    let mut b = Bundler {
        canonical: std::collections::HashMap::new(),
        files: std::collections::HashMap::new(),
        imported: std::collections::HashMap::new(),
        taken: doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default(),
        pending: Vec::new(),
        added: Vec::new(),
        base,
        roots,
        read_bytes: 0,
        copied: 0,
        over_budget: false,
        diags,
    };
    let main = Origin::Main(files.base_dir.to_path_buf());
    b.rewrite(doc, Ctx { origin: &main, in_schema: false, site: None, inlined: 0 }, "", 0);
    // Imported schemas are rewritten from a work list, not recursively: a long chain of schemas
    // that refer to the next cannot exhaust the stack.
    while let Some((name, file, site, mut schema)) = b.pending.pop() {
        let origin = Origin::File(file);
        b.rewrite(&mut schema, Ctx { origin: &origin, in_schema: true, site: Some(&site), inlined: 0 }, "", 0);
        b.added.push((name, schema));
    }
    let mut read: Vec<PathBuf> = b.files.iter().filter(|(_, v)| v.is_some()).map(|(p, _)| p.clone()).collect();
    read.sort();
    if b.added.is_empty() {
        return read;
    }
    b.added.sort_by(|x, y| x.0.cmp(&y.0));
    let Some(root) = doc.as_object_mut() else { return read };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else { return read };
    let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    if let Some(schemas) = schemas.as_object_mut() {
        for (name, schema) in b.added.drain(..) {
            schemas.insert(name, schema);
        }
    }
    read
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
    Main(PathBuf),
    File(PathBuf),
}

impl Origin {
    fn dir(&self) -> &Path {
        match self {
            Origin::Main(dir) => dir,
            Origin::File(file) => file.parent().unwrap_or(Path::new(".")),
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
    /// Paths as referenced -> canonical (or why not), looked up once.
    canonical: std::collections::HashMap<PathBuf, Result<PathBuf, String>>,
    /// Loaded files by canonical path (`None`: could not be read; reported once).
    files: std::collections::HashMap<PathBuf, Option<Value>>,
    /// (file, pointer) of an imported schema -> its local reference.
    imported: std::collections::HashMap<(PathBuf, String), String>,
    /// Component schema names in use.
    taken: std::collections::BTreeSet<String>,
    /// Imported schemas whose own references are still to be rewritten: name, file, site, schema.
    pending: Vec<(String, PathBuf, String, Value)>,
    /// Imported schemas to add to `#/components/schemas`.
    added: Vec<(String, Value)>,
    /// The spec's directory, canonical: files are named relative to it in messages.
    base: Option<PathBuf>,
    /// The directories (canonical) whose files may be read: the spec's and the allowed ones.
    roots: Vec<PathBuf>,
    /// Bytes read so far (at most [`MAX_READ_BYTES`]).
    read_bytes: u64,
    /// Values copied so far (at most [`MAX_COPIED_VALUES`]).
    copied: usize,
    /// The copy budget ran out (reported once; later references are left alone).
    over_budget: bool,
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
        if self.over_budget {
            return None;
        }
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
            // Canonical: `..`, symbolic links and percent-encoded dots are resolved before the
            // path is compared with the folders that may be read.
            let canonical = match self.canonical.get(&path) {
                Some(known) => known.clone(),
                None => {
                    let found = std::fs::canonicalize(&path).map_err(|e| e.to_string());
                    self.canonical.insert(path.clone(), found.clone());
                    found
                }
            };
            let file = match canonical {
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
            };
            if !self.roots.iter().any(|root| file.starts_with(root)) {
                self.diags.push(
                    Diagnostic::error(
                        site,
                        format!("`$ref: {r}` leads outside the spec's folder (to `{}`); it is not read", file.display()),
                    )
                    .with_hint(
                        "a spec may refer only to files in its own folder and below; to allow another folder, pass `--allow-ref DIR` (`GenerateOptions::allow_ref`)",
                    ),
                );
                return None;
            }
            file
        };
        let key = (file.clone(), fragment.to_string());
        if ctx.in_schema {
            if let Some(local) = self.imported.get(&key) {
                return Some(Resolved::Ref(local.clone()));
            }
        }
        let remaining = MAX_COPIED_VALUES - self.copied;
        let loaded = self.load(&file, r, site)?;
        // Checked before anything is copied: what the reference leads to, and its size.
        let found = crate::spec::pointer::resolve(loaded, &format!("#{fragment}")).map(|target| {
            let fits = if ctx.in_schema { target.is_object() || target.is_boolean() } else { target.is_object() };
            (fits, kind_of(target), super::count_values(target, remaining))
        });
        let shown = self.show(&file);
        let size = match found {
            None => {
                self.diags.push(
                    Diagnostic::error(site, format!("`$ref: {r}`: `{shown}` has nothing at `#{fragment}`")).with_hint(
                        "the part after `#` is a JSON pointer into that file, such as `#/components/schemas/Pet`",
                    ),
                );
                return None;
            }
            Some((false, kind, _)) => {
                let expected = if ctx.in_schema { "a schema (a mapping)" } else { "a mapping" };
                self.diags.push(
                    Diagnostic::error(site, format!("`$ref: {r}` leads to {kind} in `{shown}`, expected {expected}"))
                        .with_hint(
                            "a reference stands for an object (a schema, a parameter, a response, ...), never for text such as a `description`",
                        ),
                );
                return None;
            }
            Some((true, _, size)) if size > remaining => {
                self.over_budget = true;
                self.diags.push(
                    Diagnostic::error(
                        site,
                        format!("`$ref: {r}`: the references to other files copy more than {MAX_COPIED_VALUES} values into the spec"),
                    )
                    .with_hint("references that fan out (a file referring to another several times, and so on) multiply; refer to shared parts as schemas, or bundle the spec"),
                );
                return None;
            }
            Some((true, _, size)) => size,
        };
        self.copied += size;
        let mut target = self
            .files
            .get(&file)
            .and_then(Option::as_ref)
            .and_then(|loaded| crate::spec::pointer::resolve(loaded, &format!("#{fragment}")))
            .cloned()
            .expect("invariant: the target was found above");
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

    /// The file's document, read and parsed once. Only regular files are read, and only while
    /// the files read so far stay within [`MAX_READ_BYTES`]; problems never show the content.
    fn load(&mut self, file: &Path, r: &str, site: &str) -> Option<&Value> {
        if !self.files.contains_key(file) {
            let shown = self.show(file);
            let loaded = match self.read(file) {
                Err(problem) => {
                    self.diags.push(Diagnostic::error(site, format!("`$ref: {r}`: `{shown}` {problem}")).with_hint(
                        format!(
                            "references read regular files only (no devices, pipes or folders), {} MiB in all",
                            MAX_READ_BYTES >> 20
                        ),
                    ));
                    None
                }
                Ok(bytes) => match load_any(&bytes) {
                    Ok(v) => Some(v),
                    Err(d) => {
                        let first = d.iter().next().map(|d| d.message.clone()).unwrap_or_default();
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

    /// The bytes of a regular file, counted against [`MAX_READ_BYTES`]; else what is wrong.
    fn read(&mut self, file: &Path) -> Result<Vec<u8>, String> {
        use std::io::Read;
        // Devices (`/dev/zero`, `/dev/stdin`), pipes and folders are refused before they are
        // opened: opening a pipe blocks until something writes to it.
        let meta = std::fs::metadata(file).map_err(|e| format!("cannot be read: {e}"))?;
        if meta.is_dir() {
            return Err("is a folder, not a file".into());
        }
        if !meta.is_file() {
            return Err("is not a regular file (a device, a pipe or a socket)".into());
        }
        let left = MAX_READ_BYTES - self.read_bytes;
        let too_big = || {
            let (size, limit) = (meta.len() as f64 / f64::from(1 << 20), MAX_READ_BYTES >> 20);
            format!("is too large ({size:.1} MiB): the files read through `$ref`s may have {limit} MiB in all")
        };
        if meta.len() > left {
            return Err(too_big());
        }
        let f = std::fs::File::open(file).map_err(|e| format!("cannot be read: {e}"))?;
        if !f.metadata().is_ok_and(|m| m.is_file()) {
            return Err("is not a regular file (a device, a pipe or a socket)".into());
        }
        let mut bytes = Vec::new();
        // A file that grows while it is read stops at the limit too.
        f.take(left + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot be read: {e}"))?;
        if bytes.len() as u64 > left {
            return Err(too_big());
        }
        self.read_bytes += bytes.len() as u64;
        Ok(bytes)
    }

    /// `file` relative to the spec's directory when it is inside it.
    fn show(&self, file: &Path) -> String {
        let relative = self.base.as_deref().and_then(|b| file.strip_prefix(b).ok());
        relative.unwrap_or(file).display().to_string()
    }

    /// A component name for an imported schema: the pointer's last segment, else the file stem,
    /// spelled with letters, digits, `_`, `-` and `.` only, and not yet used.
    fn claim_name(&mut self, fragment: &str, file: &Path) -> String {
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
