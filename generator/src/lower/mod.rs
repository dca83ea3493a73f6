//! Phase 4: the `openapiv3` document -> the IR.
//!
//! Order matters and is fixed: (1) every component schema gets a `TypeId` and a name before any
//! schema is converted, so references resolve regardless of order; (2) component schemas are
//! converted; (3) operations are converted, creating inline types as they go; (4) generic
//! envelopes are finalized; (5) the cycle pass boxes recursive fields; (6) request/response usage
//! is propagated.
//!
//! Steps (2) and (3) run in parts (runs of component schemas, the operations) converted at the
//! same time, put together as a single pass in that order would have made them: see
//! [`lower_document`].

mod cycles;
mod dedup;
mod features;
mod operations;

mod schema;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ApiInfo, Operation, SecurityKind, SecurityScheme, Server, TypeDef, TypeId, TypeKind, TypeRef, TypeStore};
use crate::naming::Scope;
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, HashMap};

/// Names the generated crate reserves in its `types` module.
const RESERVED_TYPE_NAMES: &[&str] = &[];

/// The first provisional id: the types a part of the lowering creates are numbered from here
/// until they get their place in the store (see [`lower_document`]). No store comes near it.
const PROVISIONAL: usize = usize::MAX / 2;

/// How many component schemas one part of the lowering converts: small enough that the parts
/// even out between the workers, large enough that putting them together costs nothing in
/// comparison.
const SCHEMAS_PER_PART: usize = 8;

/// The component schemas as reserved before anything is lowered (see
/// [`schema::reserve_components`]).
pub(crate) struct Reserved {
    /// `#/components/schemas/Name` -> its type.
    pub(crate) ids: HashMap<String, TypeId>,
    /// The Rust name of each component type, by id.
    pub(crate) names: Vec<String>,
}

pub(crate) struct Lowerer<'a> {
    pub(crate) doc: &'a OpenAPI,
    /// The normalized document as JSON, to resolve references that point outside components.
    pub(crate) raw: &'a serde_json::Value,
    pub(crate) components: &'a Reserved,
    /// The types created here, from id [`Lowerer::first_id`] on.
    pub(crate) types: TypeStore,
    /// The id of `types.defs[0]`.
    pub(crate) first_id: usize,
    /// Claims the Rust name of each new type. `None` in a part of the lowering: a name depends
    /// on every name claimed before it, so a part leaves the name it would claim in
    /// `rust_name`, and the names are claimed when the parts are put together, in order.
    pub(crate) type_names: Option<Scope>,
    /// What the component schemas converted here turned out to be: id, docs and kind, put in
    /// their reserved types when the parts are put together.
    pub(crate) bodies: Vec<(TypeId, crate::ir::Docs, TypeKind)>,
    /// Lowered schemas at other pointers that were the target of a `$ref`.
    pub(crate) ref_cache: HashMap<String, schema::Lowered>,
    /// Refs being lowered right now (guards against reference loops outside components).
    pub(crate) in_progress: Vec<String>,
    /// Generic envelopes: component id -> the open properties used as type parameters.
    pub(crate) generic_envelopes: BTreeMap<TypeId, Vec<String>>,
    pub(crate) diags: Diagnostics,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a OpenAPI, raw: &'a serde_json::Value, components: &'a Reserved) -> Self {
        Lowerer {
            doc,
            raw,
            components,
            types: TypeStore::default(),
            first_id: PROVISIONAL,
            type_names: None,
            bodies: Vec::new(),
            ref_cache: HashMap::new(),
            in_progress: Vec::new(),
            generic_envelopes: BTreeMap::new(),
            diags: Diagnostics::default(),
        }
    }

    /// Converts one part: a run of component schemas, or every operation.
    fn lower_part(&mut self, part: &Part) -> Vec<Operation> {
        match part {
            Part::Components(run) => {
                self.lower_components(run.clone());
                Vec::new()
            }
            Part::Operations => self.lower_operations(),
        }
    }
}

/// A part of the lowering, converted by itself.
enum Part {
    /// The component schemas at these indices.
    Components(std::ops::Range<usize>),
    Operations,
}

/// Lowers a validated, normalized document into the IR.
///
/// A single pass converts the component schemas in order, then the operations. Here runs of
/// component schemas and the operations are parts, converted at the same time by one worker
/// per core, each into its own list of new types (with provisional ids and no names yet), its
/// own warnings and its own cache of schemas reached by `$ref` outside
/// `#/components/schemas`. The parts are then put together in the order of a single pass:
/// their types are numbered and named in the order they were created, their warnings follow
/// each other. The one thing a single pass shares between parts is that cache: a schema two
/// parts reach by `$ref` is lowered once, by the first, and reused by the second. So a part
/// that lowered such a schema itself is dropped and converted again once the parts before it
/// are in place, with their cache, as a single pass would.
pub fn lower_document(doc: &OpenAPI, raw: &serde_json::Value, diags: &mut Diagnostics) -> Api {
    let at = raw.as_object().map_or("/webhooks", crate::normalize::webhooks_pointer);
    if let Some(serde_json::Value::Object(hooks)) = raw.get(crate::normalize::EXT_WEBHOOKS) {
        for name in hooks.keys() {
            diags.warn(
                crate::diagnostics::join(at, name),
                "webhooks are read but not generated yet: no payload types or handlers are emitted for them",
            );
        }
    }
    let mut types = TypeStore::default();
    let mut type_names = Scope::with_reserved(RESERVED_TYPE_NAMES);
    let components = schema::reserve_components(doc, &mut types, &mut type_names);
    let count = components.names.len();
    let mut parts: Vec<Part> =
        (0..count).step_by(SCHEMAS_PER_PART).map(|start| Part::Components(start..count.min(start + SCHEMAS_PER_PART))).collect();
    parts.push(Part::Operations);
    // The operations are the largest part: they start first (the results keep the parts' order).
    let order: Vec<usize> = std::iter::once(parts.len() - 1).chain(0..parts.len() - 1).collect();
    let mut lowered = crate::run_jobs(&order, |&i| {
        let mut l = Lowerer::new(doc, raw, &components);
        let operations = l.lower_part(&parts[i]);
        (l, operations)
    });
    // `run_jobs` returns the results in the order of `order`: the operations first.
    lowered.rotate_left(1);

    let mut l = Lowerer::new(doc, raw, &components);
    l.types = types;
    l.first_id = 0;
    l.type_names = Some(type_names);
    l.diags = std::mem::take(diags);
    // Room for everything the parts made, at once (the store grows by megabytes).
    l.types.defs.reserve(lowered.iter().map(|(done, _)| done.types.defs.len()).sum());
    let mut operations = Vec::with_capacity(lowered.iter().map(|(_, ops)| ops.len()).sum());
    for (part, (done, ops)) in parts.iter().zip(lowered) {
        let (mut done, ops) = if done.ref_cache.keys().any(|k| l.ref_cache.contains_key(k)) {
            // Converted again after the parts before it, with what they cached.
            let mut again = Lowerer::new(doc, raw, &components);
            again.first_id = l.types.defs.len();
            again.ref_cache = std::mem::take(&mut l.ref_cache);
            let ops = again.lower_part(part);
            (again, ops)
        } else {
            (done, ops)
        };
        l.put_in_place(&mut done, ops, &mut operations);
    }
    l.finish_generics();
    l.share_inline_enums();
    cycles::box_cycles(&mut l.types);
    let mut api = Api {
        info: lower_info(doc, raw),
        servers: lower_servers(doc),
        security_schemes: l.lower_security_schemes(),
        types: l.types,
        operations,
        features: vec![],
    };
    *diags = l.diags;
    operations::mark_usage(&mut api);
    let replaced = dedup::merge_identical(&mut api.types);
    crate::join(move || drop(replaced), || features::assign(&mut api));
    api
}

impl Lowerer<'_> {
    /// Puts what `part` (a part converted by itself, or again after the parts before it) made
    /// after everything already here: its types get their ids and names, the component schemas
    /// it converted their bodies, its operations follow `operations`, its warnings and cache
    /// follow the ones here.
    fn put_in_place(&mut self, part: &mut Lowerer<'_>, ops: Vec<Operation>, operations: &mut Vec<Operation>) {
        let first = self.types.defs.len();
        let renumber = |id: TypeId| if id.0 >= PROVISIONAL { TypeId(id.0 - PROVISIONAL + first) } else { id };
        let names = self.type_names.as_mut().expect("invariant: the whole store names its types");
        for mut def in std::mem::take(&mut part.types.defs) {
            renumber_def(&mut def, &renumber);
            def.rust_name = names.claim(&def.rust_name);
            self.types.defs.push(def);
        }
        for (id, docs, mut kind) in std::mem::take(&mut part.bodies) {
            renumber_kind(&mut kind, &renumber);
            let def = self.types.get_mut(id);
            def.docs = docs;
            def.kind = kind;
        }
        for mut op in ops {
            renumber_operation(&mut op, &renumber);
            operations.push(op);
        }
        for (key, mut hit) in std::mem::take(&mut part.ref_cache) {
            renumber_ref(&mut hit.ty, &renumber);
            self.ref_cache.insert(key, hit);
        }
        self.generic_envelopes.append(&mut part.generic_envelopes);
        self.diags.extend(std::mem::take(&mut part.diags));
    }
}

/// Gives every type reference in `t` its final id.
fn renumber_ref(t: &mut TypeRef, renumber: &impl Fn(TypeId) -> TypeId) {
    match t {
        TypeRef::Named(id, args) => {
            *id = renumber(*id);
            args.iter_mut().for_each(|a| renumber_ref(a, renumber));
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => renumber_ref(inner, renumber),
        _ => {}
    }
}

/// Gives a type a part created, and every type it refers to, its final id. Every field is
/// named (no `..`), so that a field added to the IR is not forgotten here.
fn renumber_def(def: &mut TypeDef, renumber: &impl Fn(TypeId) -> TypeId) {
    let TypeDef { id, api_name: _, rust_name: _, origin: _, docs: _, kind, generics: _, in_request: _, in_response: _, features: _, merged_into } =
        def;
    *id = renumber(*id);
    if let Some(target) = merged_into {
        *target = renumber(*target);
    }
    renumber_kind(kind, renumber);
}

/// Gives every type a type's definition refers to its final id (see [`renumber_def`]).
fn renumber_kind(kind: &mut TypeKind, renumber: &impl Fn(TypeId) -> TypeId) {
    use crate::ir::{Enum, Field, Struct, Union, UnionVariant};
    let variants = match kind {
        TypeKind::Struct(Struct { fields, additional }) => {
            for Field { ty, api_name: _, rust_name: _, required: _, nullable: _, docs: _, read_only: _, write_only: _, default: _, origin: _ } in fields {
                renumber_ref(ty, renumber);
            }
            if let Some(additional) = additional {
                renumber_ref(additional, renumber);
            }
            return;
        }
        TypeKind::Union(Union { variants, tagging: _ }) | TypeKind::Outcomes(variants) => variants,
        TypeKind::Alias(t) => return renumber_ref(t, renumber),
        TypeKind::Enum(Enum { variants: _, open: _ }) => return,
    };
    for UnionVariant { ty, rust_name: _, tags: _, docs: _ } in variants {
        renumber_ref(ty, renumber);
    }
}

/// Gives every type an operation refers to its final id (see [`renumber_def`]).
fn renumber_operation(op: &mut Operation, renumber: &impl Fn(TypeId) -> TypeId) {
    use crate::ir::{Param, RequestBody, Response, ResponseBody};
    let Operation {
        params,
        body,
        success,
        errors,
        success_type,
        error_type,
        api_name: _,
        rust_name: _,
        type_name: _,
        method: _,
        path: _,
        path_parts: _,
        summary: _,
        description: _,
        deprecated: _,
        tags: _,
        security: _,
        feature: _,
        origin: _,
    } = op;
    for Param { ty, api_name: _, rust_name: _, location: _, required: _, style: _, docs: _, origin: _ } in params {
        renumber_ref(ty, renumber);
    }
    if let Some(RequestBody { ty, media_type: _, format: _, required: _, description: _, origin: _ }) = body {
        renumber_ref(ty, renumber);
    }
    for Response { body, status: _, description: _, origin: _ } in success.iter_mut().chain(errors) {
        if let Some(ResponseBody { ty, media_type: _, format: _, examples: _ }) = body {
            renumber_ref(ty, renumber);
        }
    }
    renumber_ref(success_type, renumber);
    renumber_ref(error_type, renumber);
}

/// The component a local reference names, as the whole document was parsed, when the
/// reference is a plain `#/components/{section}/{name}` (nothing escaped or percent-encoded)
/// and the component is not itself a reference. Reading the referenced JSON node again would
/// give the same value (the document was parsed from that node, the same way), at the cost of
/// a copy of the node and a parse per use; `None` leaves the other references to that.
pub(crate) fn parsed_component<'d, T>(entries: &'d indexmap::IndexMap<String, openapiv3::ReferenceOr<T>>, section: &str, reference: &str) -> Option<&'d T> {
    let name = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    if name.contains(['~', '%', '/']) {
        return None;
    }
    entries.get(name)?.as_item()
}

fn lower_info(doc: &OpenAPI, raw: &serde_json::Value) -> ApiInfo {
    ApiInfo {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        source_version: raw
            .get(crate::normalize::EXT_SOURCE_VERSION)
            .and_then(|v| v.as_str())
            .unwrap_or(&doc.openapi)
            .to_string(),
        license: doc.info.license.as_ref().map(|l| l.name.clone()),
        key_environments: key_environments(doc),
    }
}

/// Words that name an environment inside an API key prefix (`sk_live_`, `pk_test_`).
const ENVIRONMENT_WORDS: &[&str] = &["live", "test", "sandbox", "prod", "production", "staging", "dev"];

/// Key prefixes such as `pk_live_` / `pk_test_` mentioned in the security schemes' text. Only
/// a set of two or more distinct environments sharing one stem counts, so a lone example key
/// does not invent an environment.
fn key_environments(doc: &OpenAPI) -> Vec<crate::ir::KeyEnvironment> {
    let Some(components) = &doc.components else { return vec![] };
    let mut text = String::new();
    for scheme in components.security_schemes.values().filter_map(|s| s.as_item()) {
        let serialized = serde_json::to_string(scheme).unwrap_or_default();
        text.push_str(&serialized);
        text.push(' ');
    }
    let mut found: BTreeMap<String, Vec<crate::ir::KeyEnvironment>> = BTreeMap::new();
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    let mut i = 0;
    while i < bytes.len() {
        if !is_word(bytes[i]) || (i > 0 && is_word(bytes[i - 1])) {
            i += 1;
            continue;
        }
        // stem `_` env `_`
        let stem_end = (i..bytes.len()).find(|&j| !is_word(bytes[j])).unwrap_or(bytes.len());
        if bytes.get(stem_end) == Some(&b'_') {
            let env_start = stem_end + 1;
            let env_end = (env_start..bytes.len()).find(|&j| !bytes[j].is_ascii_alphabetic()).unwrap_or(bytes.len());
            let env = text[env_start..env_end].to_ascii_lowercase();
            if bytes.get(env_end) == Some(&b'_') && ENVIRONMENT_WORDS.contains(&env.as_str()) {
                let stem = text[i..stem_end].to_string();
                let prefix = text[i..=env_end].to_string();
                let list = found.entry(stem).or_default();
                if !list.iter().any(|e| e.prefix == prefix) {
                    list.push(crate::ir::KeyEnvironment { prefix, name: env });
                }
            }
        }
        i = stem_end.max(i + 1);
    }
    found.into_values().find(|envs| envs.len() >= 2).unwrap_or_default()
}

fn lower_servers(doc: &OpenAPI) -> Vec<Server> {
    doc.servers
        .iter()
        .map(|s| {
            let mut url = s.url.clone();
            if let Some(vars) = &s.variables {
                for (name, var) in vars {
                    url = url.replace(&format!("{{{name}}}"), &var.default);
                }
            }
            Server {
                url: url.trim_end_matches('/').to_string(),
                description: s.description.clone(),
            }
        })
        .collect()
}

impl Lowerer<'_> {
    /// Inline string enums with the same values become one shared enum, named after its values
    /// (`ReadOrWrite`); each inline site keeps its contextual name as an alias to it. Real specs
    /// repeat small enums hundreds of times (GitHub: 3152 inline enums, 521 distinct), and
    /// one shared type is both smaller to compile and easier to use.
    fn share_inline_enums(&mut self) {
        let mut groups: BTreeMap<Vec<String>, Vec<crate::ir::TypeId>> = BTreeMap::new();
        for def in &self.types.defs {
            let component = def.origin.starts_with("/components/schemas/") && def.origin[20..].find('/').is_none();
            if let (crate::ir::TypeKind::Enum(e), false) = (&def.kind, component) {
                let values = e.variants.iter().map(|v| v.api_name.clone()).collect();
                groups.entry(values).or_default().push(def.id);
            }
        }
        // Deterministic: groups in the order their first member was created.
        let mut shared: Vec<(Vec<String>, Vec<crate::ir::TypeId>)> = groups.into_iter().filter(|(_, ids)| ids.len() > 1).collect();
        shared.sort_by_key(|(_, ids)| ids[0]);
        for (values, ids) in shared {
            let first = self.types.get(ids[0]);
            let kind = first.kind.clone();
            let readable = values.len() <= 4 && values.iter().map(String::len).sum::<usize>() <= 40;
            let hint = if readable { values.join(" or ") } else { format!("{} values", first.api_name) };
            let docs = crate::ir::Docs {
                description: Some(format!(
                    "One of {}; shared by the {} places in the API that allow exactly these values.",
                    values.iter().map(|v| format!("`{}`", v.replace('`', "'"))).collect::<Vec<_>>().join(", "),
                    ids.len()
                )),
                ..Default::default()
            };
            let origin = first.origin.clone();
            let canonical = self.new_type(&hint, &origin, docs, kind);
            for id in ids {
                self.types.get_mut(id).kind = crate::ir::TypeKind::Alias(crate::ir::TypeRef::Named(canonical, vec![]));
            }
        }
    }

    fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.doc.components else { return vec![] };
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let origin = crate::diagnostics::join("/components/securitySchemes", name);
            let Some(scheme) = scheme.as_item() else {
                self.diags.warn(&origin, "a `$ref` security scheme is not supported; the scheme is ignored");
                continue;
            };
            use openapiv3::SecurityScheme as S;
            let (kind, description) = match scheme {
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SecurityKind::Bearer, description)
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SecurityKind::Basic, description)
                }
                S::HTTP { scheme, .. } => {
                    self.diags.warn(
                        &origin,
                        format!("HTTP auth scheme `{scheme}` is not supported; operations using it are sent without credentials"),
                    );
                    continue;
                }
                S::APIKey { location, name, description, .. } => {
                    use openapiv3::APIKeyLocation as L;
                    let location = match location {
                        L::Header => crate::ir::ParamLocation::Header,
                        L::Query => crate::ir::ParamLocation::Query,
                        L::Cookie => crate::ir::ParamLocation::Cookie,
                    };
                    (SecurityKind::ApiKey { location, name: name.clone() }, description)
                }
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => (SecurityKind::OAuth2, description),
            };
            out.push(SecurityScheme {
                api_name: name.clone(),
                kind,
                description: description.clone(),
                origin,
            });
        }
        out
    }
}
