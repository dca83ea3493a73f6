//! The configuration file, `sdkgen.toml`: what the generated crate is and what it holds beyond
//! what the spec says. Every key is documented, with an example, in `generator/CONFIG.md` (a
//! test parses that file's examples with this module).
//!
//! A setting is added in one place: a field of [`Config`] (or of one of its tables), read here
//! with serde (`deny_unknown_fields`, so a misspelt key is an error at its line), and applied by
//! [`Config::apply_to_document`] (before lowering), [`Config::apply_to_types`] (after the types
//! are lowered) or [`Config::package_settings`] (the crate's manifest). Every problem is a
//! [`Diagnostic`] whose pointer names the key in the file (`/replace/0/schema`) and whose line
//! and column are found by [`Config::locate`].

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::{ModuleFeature, PackageSettings};
use crate::ir::{Api, TypeDef, TypeKind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The file name looked for next to the spec.
pub const FILE_NAME: &str = "sdkgen.toml";

/// The whole file. Every table and key is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Generate only the types of the component schemas: no client, operations or webhooks, and
    /// only `serde`, `serde_json` and `chrono` as dependencies.
    #[serde(default)]
    pub types_only: bool,
    /// `[package]`: the crate's metadata.
    #[serde(default)]
    pub package: Package,
    /// `[dependencies]`: more dependencies of the generated crate (for replacement types and
    /// hand-written modules), as in a Cargo.toml.
    #[serde(default)]
    pub dependencies: BTreeMap<String, Dependency>,
    /// `[operations]`: which operations are generated.
    #[serde(default)]
    pub operations: Operations,
    /// `[[replace]]`: schemas whose type the user supplies.
    #[serde(default)]
    pub replace: Vec<Replace>,
    /// `[[types]]`: derives and attributes added to the types a pattern matches.
    #[serde(default)]
    pub types: Vec<TypeRule>,
    /// `[rename]`: other names for methods and types.
    #[serde(default)]
    pub rename: Rename,
    /// `[client]`: how the client's methods are grouped, and how undocumented errors decode.
    #[serde(default)]
    pub client: ClientSettings,
    /// `[docs]`: where the spec's relative links point.
    #[serde(default)]
    pub docs: DocsSettings,
    /// Where the configuration was read from (its name in messages) and its text (to place
    /// problems found while applying it).
    #[serde(skip)]
    pub source: Option<(String, String)>,
}

/// `[package]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// The crate name (else derived from `info.title`); the command line's `--name` wins.
    pub name: Option<String>,
    /// The crate version (else `info.version` when it is `X.Y.Z`); `--crate-version` wins.
    pub version: Option<String>,
    pub description: Option<String>,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub license: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// Hand-written modules in `src/` (files the generator never writes), declared `pub mod`.
    #[serde(default)]
    pub modules: Vec<String>,
    /// Emit the `webhook` module even when the spec has no webhooks (for hand-written modules
    /// built on its signature verifier).
    #[serde(default)]
    pub webhook_module: bool,
    /// `[[package.features]]`: features, off by default, for hand-written modules.
    #[serde(default)]
    pub features: Vec<Feature>,
}

/// `[[package.features]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Feature {
    pub name: String,
    #[serde(default)]
    pub modules: Vec<String>,
    /// Names of `[dependencies]` entries the feature enables (declared `optional = true`).
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// Examples in `examples/` that need the feature.
    #[serde(default)]
    pub examples: Vec<String>,
}

/// A dependency: a version requirement, or a table.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Dependency {
    Version(String),
    Detailed(DetailedDependency),
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DetailedDependency {
    pub version: Option<String>,
    pub path: Option<String>,
    /// The crate's name on crates.io when the dependency is renamed.
    pub package: Option<String>,
    #[serde(default)]
    pub features: Vec<String>,
    pub default_features: Option<bool>,
    #[serde(default)]
    pub optional: bool,
}

/// `[operations]`: an operation is generated when no `include` list is set or one of them
/// names it (by a tag or its `operationId`), and no `exclude` list names it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Operations {
    #[serde(default)]
    pub include_tags: Vec<String>,
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// `operationId`s (or, for operations without one, the derived name: `get_users_by_id`).
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// `[[replace]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Replace {
    /// A component schema's name (`Money`), or a JSON pointer to any schema that becomes a
    /// type (`#/components/schemas/Money`).
    pub schema: String,
    /// The Rust type used instead (`my_money::Money`, `uuid::Uuid`).
    #[serde(rename = "type")]
    pub rust_type: String,
    /// The crate the type comes from, added to `[dependencies]` (leave it out for `std` types
    /// or crates `[dependencies]` declares): `{ name = "uuid", version = "1", features = ["serde"] }`.
    #[serde(rename = "crate")]
    pub krate: Option<CrateDependency>,
}

/// The `crate` of a replacement.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrateDependency {
    pub name: String,
    #[serde(flatten)]
    pub dependency: DetailedDependency,
}

/// `[[types]]`: a pattern and what the types it matches get.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypeRule {
    /// Which types (see [`Pattern`]).
    #[serde(rename = "match")]
    pub pattern: String,
    /// Derive macros (`Hash`, `Eq`, `serde_with::SerializeDisplay`).
    #[serde(default)]
    pub derives: Vec<String>,
    /// Outer attributes, written as in Rust (`#[doc(alias = "pet")]`).
    #[serde(default)]
    pub attributes: Vec<String>,
}

/// `[client]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientSettings {
    /// How operations are grouped into namespaces on `Client`.
    #[serde(default)]
    pub namespaces: Namespaces,
    /// A component schema's name: the body of every error status an operation documents no body
    /// for (and of any other `4XX` and `5XX` status, where the operation has no `default`).
    pub default_error_schema: Option<String>,
}

/// `[docs]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocsSettings {
    /// The absolute `http(s)` URL that relative links in the spec's text are read against
    /// (`https://platform.openai.com` for OpenAI's `/docs/guides/..`); see `lower::links`.
    pub link_base: Option<String>,
}

/// `[client] namespaces`: where an operation's method lives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Namespaces {
    /// Every method on `Client`, named after its `operationId` (`client.get_customers_customer(id)`).
    #[default]
    None,
    /// One namespace per first tag, the tag's words taken off the start of the `operationId`
    /// (`client.repos().create_for_authenticated_user(..)`); untagged operations stay on `Client`.
    Tags,
    /// One namespace per first resource segment of the path (after a version such as `v1`), the
    /// method named from the HTTP method and the rest of the path
    /// (`client.customers().retrieve(customer)`); see `naming::path_method`.
    Paths,
}

/// `[rename]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rename {
    /// `operationId` -> the `Client` method's name (snake case).
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    /// Component schema name (or generated Rust name) -> the type's Rust name (upper camel case).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

/// Which types a `[[types]]` or `match` pattern selects, as prost-build's path matchers do:
/// exact, suffix or prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// `*`: every type.
    All,
    /// `Pet`: the type whose component name or Rust name is `Pet`.
    Exact(String),
    /// `*Response`: types whose Rust name ends with `Response`.
    Suffix(String),
    /// `Pet*`: types whose Rust name starts with `Pet`.
    Prefix(String),
    /// `#/components/schemas/Pet`: the type defined at that pointer and those defined inside it
    /// (its inline properties, or every type under `#/paths/~1pets`).
    Pointer(String),
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, &'static str> {
        let t = text.trim();
        if t == "*" {
            return Ok(Pattern::All);
        }
        if let Some(p) = t.strip_prefix('#') {
            return if p.is_empty() || p.starts_with('/') {
                Ok(Pattern::Pointer(p.trim_end_matches('/').to_string()))
            } else {
                Err("a pointer pattern is `#/` and a JSON pointer (`#/components/schemas/Pet`)")
            };
        }
        let (body, kind): (&str, fn(String) -> Pattern) = match (t.strip_prefix('*'), t.strip_suffix('*')) {
            (Some(s), _) => (s, Pattern::Suffix),
            (None, Some(p)) => (p, Pattern::Prefix),
            (None, None) => (t, Pattern::Exact),
        };
        if body.is_empty() || body.contains('*') {
            return Err("a pattern is `*`, a name, `*Suffix`, `Prefix*` or `#/json/pointer`");
        }
        Ok(kind(body.to_string()))
    }

    pub fn matches(&self, def: &TypeDef) -> bool {
        let component = def.origin.strip_prefix("/components/schemas/").filter(|n| !n.contains('/'));
        match self {
            Pattern::All => true,
            Pattern::Exact(n) => {
                def.rust_name == *n || component.is_some_and(|c| c == crate::spec::pointer::escape_token(n))
            }
            Pattern::Suffix(s) => def.rust_name.ends_with(s.as_str()),
            Pattern::Prefix(p) => def.rust_name.starts_with(p.as_str()),
            Pattern::Pointer(p) => {
                def.origin == *p || (def.origin.starts_with(p.as_str()) && def.origin[p.len()..].starts_with('/'))
            }
        }
    }
}

impl Config {
    /// Reads a configuration file's text. `file` names it in messages.
    ///
    /// # Errors
    ///
    /// The syntax error or unknown key, located (`E010`), or the invalid values (`E011`).
    pub fn parse(text: &str, file: &str) -> Result<Config, Diagnostics> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error("", e.message().to_string()).with_code("E010");
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                d = d.at(line, col);
            }
            let mut diags = Diagnostics::default();
            diags.push(d.with_hint("every key is listed, with an example, in sdkgen's CONFIG.md"));
            diags.set_file(file);
            diags
        })?;
        config.source = Some((file.to_string(), text.to_string()));
        let mut diags = config.check();
        config.place(&mut diags);
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(config)
        }
    }

    /// Reads the file at `path`.
    ///
    /// # Errors
    ///
    /// As [`Config::parse`], and `E001` when the file cannot be read.
    pub fn load(path: &std::path::Path) -> Result<Config, Diagnostics> {
        let file = crate::emit::docs::label(&path.display().to_string());
        let text = std::fs::read_to_string(path).map_err(|e| {
            let mut diags = Diagnostics::default();
            diags.push(Diagnostic::error("", format!("cannot read the configuration: {e}")).with_code("E001"));
            diags.set_file(&file);
            diags
        })?;
        Config::parse(&text, &file)
    }

    /// The name of the file in messages (`sdkgen.toml` when the configuration was not read
    /// from a file).
    pub fn file(&self) -> &str {
        self.source.as_ref().map_or(FILE_NAME, |(f, _)| f)
    }

    /// Names the configuration file in the diagnostics that name no file yet and places them
    /// at the key their pointer names (`/replace/0/schema`).
    pub fn place(&self, diags: &mut Diagnostics) {
        let file = self.file().to_string();
        diags.set_file(&file);
        let Some((_, text)) = &self.source else { return };
        for d in diags.unplaced_in_mut(&file) {
            if let Some(at) = key_offset(text, &d.pointer) {
                d.line_col = Some(line_col(text, at));
            }
        }
    }

    /// Checks what can be checked without the spec: names, versions, patterns, Rust paths.
    pub fn check(&self) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let mut error = |ptr: String, msg: String| diags.push(Diagnostic::error(ptr, msg).with_code("E011"));
        if let Some(name) = &self.package.name {
            if let Some(problem) = crate::naming::crate_name_problem(name) {
                error("/package/name".into(), format!("{name:?} is not a valid crate name: {problem}"));
            }
        }
        if let Some(version) = &self.package.version {
            if let Some(problem) = crate::semver_problem(version) {
                error("/package/version".into(), format!("{version:?} is not a semantic version: {problem}"));
            }
        }
        if let Some(base) = &self.docs.link_base {
            if crate::lower::links::http_url(base).is_none() {
                error("/docs/link-base".into(), format!("{base:?} is not an absolute http(s) URL"));
            }
        }
        if self.package.keywords.len() > 5 {
            error("/package/keywords".into(), "crates.io takes at most 5 keywords".into());
        }
        for (i, m) in self.package.modules.iter().enumerate() {
            if !is_identifier(m) {
                error(format!("/package/modules/{i}"), format!("{m:?} is not a module name"));
            }
        }
        for (i, f) in self.package.features.iter().enumerate() {
            if !is_feature_name(&f.name) {
                error(format!("/package/features/{i}/name"), format!("{:?} is not a feature name", f.name));
            }
            for (j, m) in f.modules.iter().enumerate() {
                if !self.package.modules.contains(m) {
                    error(format!("/package/features/{i}/modules/{j}"), format!("`{m}` is not in `package.modules`"));
                }
            }
            for (j, d) in f.dependencies.iter().enumerate() {
                if !self.dependencies.contains_key(d) {
                    error(
                        format!("/package/features/{i}/dependencies/{j}"),
                        format!("`{d}` is not in `[dependencies]`"),
                    );
                }
            }
        }
        for name in self.dependencies.keys() {
            if crate::naming::crate_name_problem(name).is_some() && !is_feature_name(name) {
                error(
                    format!("/dependencies/{}", crate::spec::pointer::escape_token(name)),
                    format!("{name:?} is not a crate name"),
                );
            }
        }
        for (i, r) in self.replace.iter().enumerate() {
            if syn::parse_str::<syn::Type>(&r.rust_type).is_err() {
                error(format!("/replace/{i}/type"), format!("`{}` is not a Rust type", r.rust_type));
            }
            if r.schema.starts_with('#') && !r.schema.starts_with("#/") {
                error(format!("/replace/{i}/schema"), "a pointer is written `#/components/schemas/Name`".into());
            }
            if let Some(c) = &r.krate {
                if crate::naming::crate_name_problem(&c.name).is_some() {
                    error(format!("/replace/{i}/crate/name"), format!("{:?} is not a crate name", c.name));
                }
            }
        }
        for (i, t) in self.types.iter().enumerate() {
            if let Err(problem) = Pattern::parse(&t.pattern) {
                error(format!("/types/{i}/match"), format!("`{}`: {problem}", t.pattern));
            }
            for (j, d) in t.derives.iter().enumerate() {
                if syn::parse_str::<syn::Path>(d).is_err() {
                    error(format!("/types/{i}/derives/{j}"), format!("`{d}` is not a path to a derive macro"));
                }
            }
            for (j, a) in t.attributes.iter().enumerate() {
                if parse_attribute(a).is_none() {
                    error(
                        format!("/types/{i}/attributes/{j}"),
                        format!("`{a}` is not one outer attribute (`#[name(...)]`)"),
                    );
                }
            }
        }
        for (op, name) in &self.rename.methods {
            if !is_identifier(name) || name.chars().any(|c| c.is_ascii_uppercase()) {
                error(
                    format!("/rename/methods/{}", crate::spec::pointer::escape_token(op)),
                    format!("`{name}` is not a snake_case method name"),
                );
            }
        }
        for (ty, name) in &self.rename.types {
            if !is_identifier(name) || !name.starts_with(|c: char| c.is_ascii_uppercase()) {
                error(
                    format!("/rename/types/{}", crate::spec::pointer::escape_token(ty)),
                    format!("`{name}` is not an UpperCamelCase type name"),
                );
            }
        }
        diags
    }

    /// Drops the operations `[operations]` excludes from the document before lowering.
    /// An entry that names no tag or operation of the spec is a warning (`W004`).
    pub fn apply_to_document(&self, doc: &mut openapiv3::OpenAPI, out: &mut Diagnostics) {
        let mut diags = Diagnostics::default();
        self.filter_operations(doc, &mut diags);
        self.place(&mut diags);
        out.extend(diags);
    }

    fn filter_operations(&self, doc: &mut openapiv3::OpenAPI, diags: &mut Diagnostics) {
        if self.types_only {
            // The types of the component schemas, without the operations' inline types.
            doc.paths.paths.clear();
            doc.extensions.retain(|k, _| k != "x-webhooks");
            return;
        }
        let f = &self.operations;
        if f.include_tags.is_empty() && f.exclude_tags.is_empty() && f.include.is_empty() && f.exclude.is_empty() {
            return;
        }
        let mut seen_tags = std::collections::BTreeSet::new();
        let mut seen_ids = std::collections::BTreeSet::new();
        let including = !f.include_tags.is_empty() || !f.include.is_empty();
        for (path, item) in doc.paths.paths.iter_mut() {
            let openapiv3::ReferenceOr::Item(item) = item else { continue };
            let slots = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("options", &mut item.options),
                ("head", &mut item.head),
                ("patch", &mut item.patch),
                ("trace", &mut item.trace),
            ];
            for (method, slot) in slots {
                let Some(op) = slot else { continue };
                let id = op.operation_id.clone().unwrap_or_else(|| crate::naming::derived_operation_name(method, path));
                seen_tags.extend(op.tags.iter().cloned());
                seen_ids.insert(id.clone());
                let included =
                    !including || f.include.contains(&id) || op.tags.iter().any(|t| f.include_tags.contains(t));
                let excluded = f.exclude.contains(&id) || op.tags.iter().any(|t| f.exclude_tags.contains(t));
                if !included || excluded {
                    *slot = None;
                }
            }
        }
        let lists = [
            ("include-tags", &f.include_tags, &seen_tags),
            ("exclude-tags", &f.exclude_tags, &seen_tags),
            ("include", &f.include, &seen_ids),
            ("exclude", &f.exclude, &seen_ids),
        ];
        for (key, list, seen) in lists {
            for (i, name) in list.iter().enumerate() {
                if !seen.contains(name) {
                    let what = if key.ends_with("tags") { "tag" } else { "operation" };
                    diags.push(
                        Diagnostic::warning(
                            format!("/operations/{key}/{i}"),
                            format!("no {what} of the spec is named `{name}`"),
                        )
                        .with_code("W004"),
                    );
                }
            }
        }
    }

    /// Replacements, derives, attributes and renames, on the lowered types and operations
    /// (before usage, merging and features are decided). Problems are reported at the key of
    /// the configuration (`E011`; `W004` for a pattern that matches nothing).
    pub fn apply_to_types(&self, api: &mut Api, out: &mut Diagnostics) {
        // A configuration built in code rather than parsed has not been checked yet: what the
        // emitter turns into tokens (types, derives, attributes) must be valid first.
        let mut diags = self.check();
        if !diags.has_errors() {
            self.apply_to_types_inner(api, &mut diags);
        }
        self.place(&mut diags);
        out.extend(diags);
    }

    fn apply_to_types_inner(&self, api: &mut Api, diags: &mut Diagnostics) {
        let error = |diags: &mut Diagnostics, ptr: String, msg: String| {
            diags.push(Diagnostic::error(ptr, msg).with_code("E011"));
        };
        let defs = &mut api.types.defs;
        for (i, r) in self.replace.iter().enumerate() {
            let pattern = match r.schema.strip_prefix('#') {
                Some(p) => Pattern::Pointer(p.to_string()),
                None => Pattern::Exact(r.schema.clone()),
            };
            // A pointer names one schema, not those inside it.
            let found: Vec<usize> = defs
                .iter()
                .enumerate()
                .filter(|(_, d)| match &pattern {
                    Pattern::Pointer(p) => d.origin == *p,
                    other => other.matches(d),
                })
                .map(|(i, _)| i)
                .collect();
            match found.as_slice() {
                [one] => defs[*one].kind = TypeKind::External(r.rust_type.clone()),
                [] => error(
                    diags,
                    format!("/replace/{i}/schema"),
                    format!("no schema that becomes a type is named `{}`", r.schema),
                ),
                _ => error(
                    diags,
                    format!("/replace/{i}/schema"),
                    format!("`{}` names several types; use a pointer (`#/components/schemas/...`)", r.schema),
                ),
            }
        }
        for (i, rule) in self.types.iter().enumerate() {
            let Ok(pattern) = Pattern::parse(&rule.pattern) else { continue };
            let mut matched = 0;
            for def in defs.iter_mut().filter(|d| pattern.matches(d)) {
                // Aliases (and replaced types) have no definition of their own to derive on.
                let definable = matches!(
                    def.kind,
                    TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Outcomes(_)
                );
                if !definable {
                    continue;
                }
                matched += 1;
                for d in &rule.derives {
                    if !def.derives.contains(d) {
                        def.derives.push(d.clone());
                    }
                }
                def.attributes.extend(rule.attributes.iter().cloned());
            }
            if matched == 0 {
                diags.push(
                    Diagnostic::warning(
                        format!("/types/{i}/match"),
                        format!("`{}` matches no struct or enum of the spec", rule.pattern),
                    )
                    .with_code("W004"),
                );
            }
        }
        for (from, to) in &self.rename.types {
            let ptr = format!("/rename/types/{}", crate::spec::pointer::escape_token(from));
            let pattern = Pattern::Exact(from.clone());
            let found: Vec<usize> =
                defs.iter().enumerate().filter(|(_, d)| pattern.matches(d)).map(|(i, _)| i).collect();
            let [one] = found.as_slice() else {
                error(diags, ptr, format!("no single type is named `{from}`"));
                continue;
            };
            if defs.iter().any(|d| d.rust_name == *to) {
                error(diags, ptr, format!("a type is already named `{to}`"));
                continue;
            }
            defs[*one].rust_name = to.clone();
        }
        for (from, to) in &self.rename.methods {
            let ptr = format!("/rename/methods/{}", crate::spec::pointer::escape_token(from));
            let Some(at) = api.operations.iter().position(|op| op.api_name == *from) else {
                error(diags, ptr, format!("no operation has the operationId `{from}`"));
                continue;
            };
            // In a namespace only the method is renamed: its builder keeps the `operationId`'s
            // name, which other namespaces' builders share a module with.
            let namespace = api.operations[at].namespace;
            let type_name = match namespace {
                None => crate::naming::type_ident(to),
                Some(_) => api.operations[at].type_name.clone(),
            };
            let taken = api.operations.iter().enumerate().any(|(i, op)| {
                i != at && ((op.namespace == namespace && op.rust_name == *to) || op.type_name == type_name)
            });
            let reserved = match namespace {
                None => {
                    crate::lower::is_reserved_operation_name(to, &type_name)
                        || api.namespaces.iter().any(|n| n.rust_name == *to)
                }
                Some(_) => crate::naming::is_reserved_namespace_method(to),
            };
            if taken || reserved {
                error(diags, ptr, format!("the name `{to}` is taken by another operation or the client"));
                continue;
            }
            api.operations[at].rust_name = to.clone();
            api.operations[at].type_name = type_name;
        }
    }

    /// The crate's metadata and additions, for the emitter.
    pub fn package_settings(&self) -> PackageSettings {
        let p = &self.package;
        let mut dependencies: Vec<String> =
            self.dependencies.iter().map(|(name, d)| dependency_line(name, d)).collect();
        for r in &self.replace {
            if let Some(c) = &r.krate {
                if !self.dependencies.contains_key(&c.name) {
                    let line = dependency_line(&c.name, &Dependency::Detailed(c.dependency.clone()));
                    if !dependencies.contains(&line) {
                        dependencies.push(line);
                    }
                }
            }
        }
        PackageSettings {
            description: p.description.clone(),
            repository: p.repository.clone(),
            homepage: p.homepage.clone(),
            documentation: p.documentation.clone(),
            license: p.license.clone(),
            keywords: p.keywords.clone(),
            categories: p.categories.clone(),
            authors: p.authors.clone(),
            extra_modules: p.modules.clone(),
            extra_dependencies: dependencies,
            module_features: p
                .features
                .iter()
                .map(|f| ModuleFeature {
                    name: f.name.clone(),
                    modules: f.modules.clone(),
                    dependencies: f.dependencies.clone(),
                    examples: f.examples.clone(),
                })
                .collect(),
            webhook_module: p.webhook_module,
        }
    }
}

/// One `[dependencies]` line: `name = "1"` or `name = { version = "1", ... }`.
fn dependency_line(name: &str, d: &Dependency) -> String {
    use crate::emit::docs::toml_string;
    let value = match d {
        Dependency::Version(v) => toml_string(v),
        Dependency::Detailed(d) => {
            let mut parts = Vec::new();
            if let Some(p) = &d.package {
                parts.push(format!("package = {}", toml_string(p)));
            }
            if let Some(v) = &d.version {
                parts.push(format!("version = {}", toml_string(v)));
            }
            if let Some(p) = &d.path {
                parts.push(format!("path = {}", toml_string(p)));
            }
            if let Some(df) = d.default_features {
                parts.push(format!("default-features = {df}"));
            }
            if !d.features.is_empty() {
                let fs: Vec<String> = d.features.iter().map(|f| toml_string(f)).collect();
                parts.push(format!("features = [{}]", fs.join(", ")));
            }
            if d.optional {
                parts.push("optional = true".into());
            }
            format!("{{ {} }}", parts.join(", "))
        }
    };
    format!("{name} = {value}")
}

/// One outer attribute, or `None`.
fn parse_attribute(text: &str) -> Option<()> {
    struct Outer;
    impl syn::parse::Parse for Outer {
        fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
            let attrs = syn::Attribute::parse_outer(input)?;
            if attrs.len() == 1 && input.is_empty() {
                Ok(Outer)
            } else {
                Err(input.error("one attribute"))
            }
        }
    }
    syn::parse_str::<Outer>(text).ok().map(|_| ())
}

fn is_identifier(s: &str) -> bool {
    syn::parse_str::<syn::Ident>(s).is_ok()
}

fn is_feature_name(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// 1-based line and column (in characters) of byte `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The byte offset of the key (or array element) a pointer into the configuration names, as
/// `toml_edit` parsed it; its nearest located ancestor when it has no span of its own.
fn key_offset(text: &str, pointer: &str) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let mut node = Node::Table(doc.as_table());
    let mut best = None;
    for seg in pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")) {
        let (span, next) = node.child(&seg);
        best = span.or(best);
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    best
}

/// A place in a parsed TOML document.
#[derive(Clone, Copy)]
enum Node<'a> {
    Table(&'a toml_edit::Table),
    Item(&'a toml_edit::Item),
    Value(&'a toml_edit::Value),
}

impl<'a> Node<'a> {
    /// The start of the child named `seg` (its key, or the element itself), and the child.
    fn child(self, seg: &str) -> (Option<usize>, Option<Node<'a>>) {
        use toml_edit::{Item, Value};
        let index = || seg.parse::<usize>().ok();
        match self {
            Node::Table(t) => (t.key(seg).and_then(|k| k.span()).map(|s| s.start), t.get(seg).map(Node::Item)),
            Node::Item(Item::Table(t)) => Node::Table(t).child(seg),
            Node::Item(Item::ArrayOfTables(a)) => match index().and_then(|i| a.get(i)) {
                Some(t) => (t.span().map(|s| s.start), Some(Node::Table(t))),
                None => (None, None),
            },
            Node::Item(Item::Value(v)) => Node::Value(v).child(seg),
            Node::Value(Value::InlineTable(t)) => {
                (t.key(seg).and_then(|k| k.span()).map(|s| s.start), t.get(seg).map(Node::Value))
            }
            Node::Value(Value::Array(a)) => match index().and_then(|i| a.get(i)) {
                Some(v) => (v.span().map(|s| s.start), Some(Node::Value(v))),
                None => (None, None),
            },
            _ => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(Pattern::parse("*"), Ok(Pattern::All));
        assert_eq!(Pattern::parse("Pet"), Ok(Pattern::Exact("Pet".into())));
        assert_eq!(Pattern::parse("*Response"), Ok(Pattern::Suffix("Response".into())));
        assert_eq!(Pattern::parse("Pet*"), Ok(Pattern::Prefix("Pet".into())));
        assert_eq!(Pattern::parse("#/components/schemas/Pet"), Ok(Pattern::Pointer("/components/schemas/Pet".into())));
        assert!(Pattern::parse("a*b*").is_err());
        assert!(Pattern::parse("#components").is_err());
    }

    #[test]
    fn unknown_keys_are_located_errors() {
        let text = "[package]\nname = \"x\"\nhompage = \"https://example.com\"\n";
        let diags = Config::parse(text, "sdkgen.toml").expect_err("an unknown key");
        let d = diags.iter().next().expect("one diagnostic");
        assert_eq!(d.code, Some("E010"));
        assert_eq!(d.line_col, Some((3, 1)), "{d:?}");
        assert!(d.message.contains("hompage"), "{}", d.message);
    }

    #[test]
    fn invalid_values_are_located_at_their_key() {
        let text = "[[replace]]\nschema = \"Money\"\ntype = \"not a type!\"\n\n[[types]]\nmatch = \"a*b*\"\n";
        let diags = Config::parse(text, "sdkgen.toml").expect_err("invalid values");
        let found: Vec<_> = diags.iter().map(|d| (d.pointer.as_str(), d.line_col)).collect();
        assert_eq!(found, [("/replace/0/type", Some((3, 1))), ("/types/0/match", Some((6, 1)))], "{diags}");
    }

    /// Every example of CONFIG.md is a valid configuration.
    #[test]
    fn documented_examples_parse() {
        let doc = include_str!("../CONFIG.md");
        let blocks: Vec<&str> =
            doc.split("```toml\n").skip(1).map(|b| b.split("```").next().expect("a closed block")).collect();
        for text in &blocks {
            Config::parse(text, "CONFIG.md").unwrap_or_else(|d| panic!("{d}\n{text}"));
        }
        assert_eq!(blocks.len(), 8, "an example per table and for `types-only`");
    }

    #[test]
    fn dependency_lines() {
        let c = Config::parse(
            "[dependencies]\nuuid = { version = \"1\", features = [\"serde\"] }\nmoney = \"0.3\"\n\n[[replace]]\nschema = \"Id\"\ntype = \"ids::Id\"\ncrate = { name = \"ids\", path = \"../ids\" }\n",
            "sdkgen.toml",
        )
        .expect("valid");
        assert_eq!(
            c.package_settings().extra_dependencies,
            ["money = \"0.3\"", "uuid = { version = \"1\", features = [\"serde\"] }", "ids = { path = \"../ids\" }"]
        );
    }
}
