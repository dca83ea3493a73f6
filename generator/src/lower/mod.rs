//! Lower: the `openapiv3` document -> the IR.
//!
//! Order matters and is fixed: (1) every component schema gets a `TypeId` and a name before any
//! schema is converted, so references resolve regardless of order; (2) component schemas are
//! converted; (3) operations, then webhooks, are converted, creating inline types as they go; (4) generic
//! envelopes are finalized; (5) inline enums with the same values are one type, one site's; (6) the cycle pass
//! boxes recursive fields; (7) request/response usage is propagated; (8) identical types are
//! merged (`dedup`); (9) unions get their members' tags and guards (`unions`); (10) types get
//! their cargo features (`features`).

mod cycles;
mod dedup;
pub mod features;
pub mod links;
mod namespaces;
mod operations;
mod pagination;
mod schema;
mod unions;
mod webhooks;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ApiInfo, SecurityKind, SecurityScheme, Server, TypeId, TypeStore};
use crate::naming::Scope;
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, HashMap};

/// Names the generated crate reserves in its `types` module.
const RESERVED_TYPE_NAMES: &[&str] = &[];

pub(crate) struct Lowerer<'a> {
    pub(crate) doc: &'a OpenAPI,
    /// The normalized document as JSON, to resolve references that point outside components.
    pub(crate) raw: &'a serde_json::Value,
    pub(crate) types: TypeStore,
    pub(crate) type_names: Scope,
    /// `#/components/schemas/Name` -> its type.
    pub(crate) component_ids: HashMap<String, TypeId>,
    /// Lowered schemas at other pointers that were the target of a `$ref`.
    pub(crate) ref_cache: HashMap<String, schema::Lowered>,
    /// Refs being lowered right now (guards against reference loops outside components).
    pub(crate) in_progress: Vec<String>,
    /// Inline schemas being lowered right now, by pointer, with the hint of their name and the
    /// type reserved for them when one contains itself (see `Lowerer::lower_item`).
    pub(crate) inline_stack: Vec<(String, String, Option<TypeId>)>,
    /// Generic envelopes: component id -> the open properties used as type parameters.
    pub(crate) generic_envelopes: BTreeMap<TypeId, Vec<String>>,
    /// `allOf` member views of references, with how many levels deeper than the reference
    /// their computation went (see `Lowerer::object_view_of`).
    pub(crate) all_of_views: HashMap<String, (schema::CachedView, usize)>,
    /// The deepest level the `allOf` view being computed has reached.
    pub(crate) all_of_deepest: usize,
    /// The type and component name of `[client] default-error-schema`, when it is set.
    pub(crate) default_error: Option<(TypeId, String)>,
    /// What lowering has produced so far, against [`MAX_LOWERED`] (see [`Lowerer::charge`]).
    pub(crate) lowered: usize,
    pub(crate) diags: &'a mut Diagnostics,
}

/// How much lowering may produce: one unit per type, field, variant, enum value and parameter,
/// per JSON value copied (examples, components read from the document), and one more per 64
/// bytes of documentation, names and strings. Components are copied into every place that uses
/// them (a parameter with an inline schema makes new types for each operation, a shared example
/// or description is kept with each response), so a small spec could otherwise expand without
/// bound. GitHub's spec, the largest known, needs 142,000.
pub const MAX_LOWERED: usize = 1_000_000;

impl Lowerer<'_> {
    /// Counts `units` of output made at `ptr`; `false` once [`MAX_LOWERED`] is passed, which is
    /// reported (once) as an error there. Lowering then makes nothing more and stops early.
    pub(crate) fn charge(&mut self, units: usize, ptr: &str) -> bool {
        if self.lowered > MAX_LOWERED {
            return false;
        }
        self.lowered = self.lowered.saturating_add(units);
        if self.lowered <= MAX_LOWERED {
            return true;
        }
        self.diags.push(
            crate::diagnostics::Diagnostic::error(
                ptr,
                format!("the spec expands to more than {MAX_LOWERED} types, fields, copied values and pieces of documentation"),
            )
            .with_hint("each use of a component copies it (a parameter, body or response with an inline schema, a shared example or long description); move inline schemas into `#/components/schemas`"),
        );
        false
    }

    /// Whether the budget of [`Lowerer::charge`] is spent.
    pub(crate) fn spent(&self) -> bool {
        self.lowered > MAX_LOWERED
    }

    /// A copy of `v` (an example, a component read from the JSON document), charged one unit
    /// per value before it is made.
    pub(crate) fn copy(&mut self, v: &serde_json::Value, ptr: &str) -> Option<serde_json::Value> {
        let left = MAX_LOWERED.saturating_sub(self.lowered);
        let values = crate::spec::count_values(v, left);
        self.charge(values, ptr).then(|| v.clone())
    }
}

/// The units of [`MAX_LOWERED`] that documentation text costs.
pub(crate) fn text_units(text: Option<&str>) -> usize {
    text.map_or(0, |t| t.len() / 64)
}

/// Lowers a validated, normalized document into the IR.
pub fn lower_document(doc: &OpenAPI, raw: &serde_json::Value, diags: &mut Diagnostics) -> Api {
    lower_document_with(doc, raw, &crate::config::Config::default(), diags)
}

/// Whether an operation may not take a method name or builder name: the client's own methods
/// and the names the `builder` module imports.
pub(crate) fn is_reserved_operation_name(method: &str, builder: &str) -> bool {
    operations::CLIENT_METHODS.contains(&method) || operations::BUILDER_MODULE_NAMES.contains(&builder)
}

/// As [`lower_document`], with the types and operations customized by a configuration
/// (replacements, derives and attributes, renames: `Config::apply_to_types`) once they are
/// lowered, before usage, merging and features are decided.
pub fn lower_document_with(
    doc: &OpenAPI,
    raw: &serde_json::Value,
    config: &crate::config::Config,
    diags: &mut Diagnostics,
) -> Api {
    lower_document_linked(doc, raw, config, links::find_base(raw, config), diags)
}

/// As [`lower_document_with`], with the base of relative links found beforehand
/// ([`links::find_base`], on the whole document when `raw` has had its unread paths dropped).
pub fn lower_document_linked(
    doc: &OpenAPI,
    raw: &serde_json::Value,
    config: &crate::config::Config,
    link_base: links::LinkBase,
    diags: &mut Diagnostics,
) -> Api {
    // Read before the lowerer exists: it borrows the payloads for as long as the document.
    let (hooks, copied) = webhooks::read(raw, diags);
    let mut l = Lowerer {
        doc,
        raw,
        types: TypeStore::default(),
        type_names: Scope::with_reserved(RESERVED_TYPE_NAMES),
        component_ids: HashMap::new(),
        ref_cache: HashMap::new(),
        in_progress: Vec::new(),
        inline_stack: Vec::new(),
        generic_envelopes: BTreeMap::new(),
        all_of_views: HashMap::new(),
        all_of_deepest: 0,
        default_error: None,
        lowered: 0,
        diags,
    };
    l.reserve_components();
    if let Some(name) = &config.client.default_error_schema {
        match l.component_ids.get(&["#/components/schemas/", name].concat()) {
            Some(id) => l.default_error = Some((*id, name.clone())),
            None if !config.types_only => {
                let mut problems = Diagnostics::default();
                problems.push(
                    crate::diagnostics::Diagnostic::error(
                        "/client/default-error-schema",
                        format!("the spec has no component schema named `{name}`"),
                    )
                    .with_code("E011")
                    .with_hint("name a schema under `#/components/schemas` (OpenAI's `ErrorResponse`)"),
                );
                config.place(&mut problems);
                l.diags.extend(problems);
            }
            None => {}
        }
    }
    l.lower_components();
    let operations = l.lower_operations();
    let at = raw.as_object().map_or("/webhooks", crate::spec::normalize::webhooks_pointer);
    let webhooks = if l.charge(copied, at) { l.lower_webhooks(&hooks) } else { vec![] };
    l.finish_generics();
    l.share_inline_enums();
    let security_schemes = l.lower_security_schemes();
    let default_error = l.default_error.as_ref().map(|(id, _)| *id);
    let mut api = Api {
        info: lower_info(doc, raw),
        servers: lower_servers(doc),
        security_schemes,
        types: l.types,
        operations,
        webhooks,
        features: vec![],
        feature_groups: vec![],
        types_only: config.types_only,
        namespaces: Vec::new(),
        default_error,
    };
    namespaces::assign(&mut api, config.client.namespaces, doc);
    links::resolve(&mut api, link_base, diags);
    config.apply_to_types(&mut api, diags);
    cycles::box_cycles(&mut api.types);
    if api.security_schemes.is_empty() && !api.operations.is_empty() {
        diags.push(
            crate::diagnostics::Diagnostic::warning(
                "/components/securitySchemes",
                "the API declares no security scheme: the generated client sends no credential unless told where",
            )
            .with_hint("if the API takes a key, declare it under components.securitySchemes, or send it with `ClientBuilder::credential_header(\"x-api-key\")` (or a default header) in the generated client"),
        );
    }
    operations::mark_usage(&mut api);
    if api.types_only {
        // Without operations nothing says which way a type goes: a user may send or receive
        // any of them, so each is both (built with `new()` and setters, read and written).
        for def in &mut api.types.defs {
            (def.in_request, def.in_response) = (true, true);
        }
    }
    pagination::mark(&mut api, raw, diags);
    dedup::merge_identical(&mut api.types);
    unions::resolve(&mut api.types, diags);
    if api.types_only {
        // No operations or webhooks reach the types: all of them are the crate.
        api.features.clear();
        api.types.defs.iter_mut().for_each(|d| d.features.clear());
    } else if let Err(at) = features::assign(&mut api) {
        diags.push(
            crate::diagnostics::Diagnostic::error(
                at,
                format!("the operations' tags reach the types more than {} times", features::MAX_REACH_WORK),
            )
            .with_hint("each tag is a cargo feature, and each type names the features that use it: too many tags share too many types"),
        );
    }
    api
}

/// The keys under an operation that lowering reads from the JSON document rather than from its
/// parsed form: the pagination extension, and `encoding` (whose `explode` `openapiv3` reads as
/// `false` when it is missing, where the default is `true` for `form`).
pub(crate) const READ_FROM_JSON: [&str; 2] = [pagination::EXTENSION, "encoding"];

/// Drops from `raw` the path items lowering never reads as JSON, once the document is parsed:
/// lowering reads operations from their parsed form, and the JSON only for what that form loses
/// ([`READ_FROM_JSON`]) and to resolve references. The paths are most of a large spec
/// (Microsoft Graph's: 42 of 47 MB), and the parsed form, the JSON and the IR are never needed
/// all at once otherwise. Nothing is dropped when any string in the document points into
/// `#/paths` (a reference, or the event of a streaming extension), which lowering may resolve.
pub fn drop_unread_paths(raw: &mut serde_json::Value) {
    /// Whether any object key (`key`) or string (`string`) under `v` is a hit.
    fn any(v: &serde_json::Value, key: &dyn Fn(&str) -> bool, string: &dyn Fn(&str) -> bool) -> bool {
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(map) => {
                    if map.keys().any(|k| key(k)) {
                        return true;
                    }
                    stack.extend(map.values());
                }
                serde_json::Value::Array(items) => stack.extend(items),
                serde_json::Value::String(s) if string(s) => return true,
                _ => {}
            }
        }
        false
    }
    let into_paths =
        |s: &str| s.strip_prefix('#').is_some_and(|p| crate::spec::pointer::percent_decode(p).starts_with("/paths"));
    if any(raw, &|_| false, &into_paths) {
        return;
    }
    let Some(paths) = raw.get_mut("paths").and_then(serde_json::Value::as_object_mut) else { return };
    paths.retain(|_, item| any(item, &|k| READ_FROM_JSON.contains(&k), &|_| false));
}

/// The component a local reference names, as the whole document was parsed, when the
/// reference is a plain `#/components/{section}/{name}` (nothing escaped or percent-encoded)
/// and the component is not itself a reference. Reading the referenced JSON node again would
/// give the same value (the document was parsed from that node, the same way), at the cost of
/// a copy of the node and a parse per use; `None` leaves the other references to that.
pub(crate) fn parsed_component<'d, T>(
    entries: &'d indexmap::IndexMap<String, openapiv3::ReferenceOr<T>>,
    section: &str,
    reference: &str,
) -> Option<&'d T> {
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
            .get(crate::spec::normalize::EXT_SOURCE_VERSION)
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
            let default = |name: &str| Some(s.variables.as_ref()?.get(name)?.default.as_str());
            // `validate` refused URLs that grow too long.
            let url = crate::spec::server_url(&s.url, default).unwrap_or_default();
            Server { url: url.trim_end_matches('/').to_string(), description: s.description.clone() }
        })
        .collect()
}

impl Lowerer<'_> {
    /// Inline string enums with the same values become one type: the site with the shortest
    /// name (as `dedup` picks, [`dedup::representative`]) is the `enum`, and every other site is
    /// a `pub type` alias of it (`TypeDef::merged_into`, as
    /// `dedup` merges identical types), so each keeps the name its location gives it. Real specs
    /// repeat small enums hundreds of times (GitHub: 3152 inline enums, 521 distinct), and one
    /// shared type is both smaller to compile and easier to use.
    ///
    /// No name comes from the values: a name such as `UserOrAssistant` would change when the
    /// API adds a value (`UserOrAssistantOrSystem`), a Rust break for a change that breaks no
    /// client on the wire. Which site is the `enum` changes only when a site with a shorter name
    /// is added; every name still denotes the same type, so user code cannot tell.
    fn share_inline_enums(&mut self) {
        // An enum that constrains nothing (`Enum::any_string`) is not one that does, whatever
        // its values: unions tell their members apart by the latter only.
        let mut groups: BTreeMap<(bool, Vec<String>), Vec<crate::ir::TypeId>> = BTreeMap::new();
        for def in &self.types.defs {
            let component = def.origin.starts_with("/components/schemas/") && def.origin[20..].find('/').is_none();
            if let (crate::ir::TypeKind::Enum(e), false) = (&def.kind, component) {
                let values = e.variants.iter().map(|v| v.api_name.clone()).collect();
                groups.entry((e.any_string, values)).or_default().push(def.id);
            }
        }
        for ids in groups.into_values().filter(|ids| ids.len() > 1) {
            let first = ids
                .iter()
                .copied()
                .min_by_key(|&id| dedup::representative(self.types.get(id)))
                .expect("invariant: groups have members");
            for &id in ids.iter().filter(|&&id| id != first) {
                let def = self.types.get_mut(id);
                def.kind = crate::ir::TypeKind::Alias(crate::ir::TypeRef::Named(first, vec![]));
                def.merged_into = Some(first);
            }
        }
    }

    fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.doc.components else { return vec![] };
        let mut out = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let origin = crate::spec::pointer::join("/components/securitySchemes", name);
            let Some(scheme) = scheme.as_item() else {
                self.diags.warn(&origin, "a `$ref` security scheme is not supported; the scheme is ignored");
                continue;
            };
            use openapiv3::SecurityScheme as S;
            let mut client_credentials = None;
            let (kind, description) = match scheme {
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SecurityKind::Bearer, description)
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SecurityKind::Basic, description)
                }
                S::HTTP { scheme, description, .. } if scheme == crate::spec::normalize::MUTUAL_TLS_SCHEME => {
                    (SecurityKind::MutualTls, description)
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
                S::OAuth2 { description, flows, .. } => {
                    if let Some(flow) = &flows.client_credentials {
                        client_credentials =
                            Some((flow.token_url.clone(), flow.scopes.keys().cloned().collect::<Vec<_>>()));
                    }
                    (SecurityKind::OAuth2, description)
                }
                S::OpenIDConnect { description, .. } => (SecurityKind::OAuth2, description),
            };
            out.push(SecurityScheme {
                api_name: name.clone(),
                kind,
                description: description.clone(),
                origin,
                client_credentials,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Path items are dropped unless lowering reads them as JSON; none is when a string points
    /// into `#/paths` (percent-encoded or not).
    #[test]
    fn drop_unread_paths_keeps_what_lowering_reads() {
        let form = json!({"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
            "schema": {"type": "object"}, "encoding": {"a": {"explode": false}}}}}}});
        let paged = json!({"get": {"x-sdkgen-pagination": {"param": "page", "kind": "page"}}});
        let plain = json!({"get": {"responses": {"200": {"description": "ok"}}}});
        let mut doc = json!({"openapi": "3.0.3", "paths": {"/form": form, "/paged": paged, "/plain": plain}});
        super::drop_unread_paths(&mut doc);
        let kept: Vec<&String> = doc["paths"].as_object().expect("paths").keys().collect();
        assert_eq!(kept, ["/form", "/paged"]);

        for reference in ["#/paths/~1plain/get", "#/%70aths/~1plain/get"] {
            let mut doc = json!({"openapi": "3.0.3", "paths": {"/plain": plain, "/other": {
                "get": {"x-sdkgen-stream": {"event": reference}}}}});
            let before = doc.clone();
            super::drop_unread_paths(&mut doc);
            assert_eq!(doc, before, "{reference}");
        }
    }
}
