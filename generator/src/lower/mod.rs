//! Phase 4: the `openapiv3` document -> the IR.
//!
//! Order matters and is fixed: (1) every component schema gets a `TypeId` and a name before any
//! schema is converted, so references resolve regardless of order; (2) component schemas are
//! converted; (3) operations are converted, creating inline types as they go; (4) generic
//! envelopes are finalized; (5) the cycle pass boxes recursive fields; (6) request/response usage
//! is propagated.

mod cycles;
mod operations;
mod schema;

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
    /// Generic envelopes: component id -> the open properties used as type parameters.
    pub(crate) generic_envelopes: BTreeMap<TypeId, Vec<String>>,
    pub(crate) diags: &'a mut Diagnostics,
}

/// Lowers a validated, normalized document into the IR.
pub fn lower_document(doc: &OpenAPI, raw: &serde_json::Value, diags: &mut Diagnostics) -> Api {
    let mut l = Lowerer {
        doc,
        raw,
        types: TypeStore::default(),
        type_names: Scope::with_reserved(RESERVED_TYPE_NAMES),
        component_ids: HashMap::new(),
        ref_cache: HashMap::new(),
        in_progress: Vec::new(),
        generic_envelopes: BTreeMap::new(),
        diags,
    };
    if let Some(serde_json::Value::Object(hooks)) = raw.get(crate::normalize::EXT_WEBHOOKS) {
        for name in hooks.keys() {
            l.diags.warn(
                crate::diagnostics::join("/webhooks", name),
                "webhooks are read but not generated yet: no payload types or handlers are emitted for them",
            );
        }
    }
    l.reserve_components();
    l.lower_components();
    let operations = l.lower_operations();
    l.finish_generics();
    cycles::box_cycles(&mut l.types);
    let mut api = Api {
        info: lower_info(doc, raw),
        servers: lower_servers(doc),
        security_schemes: l.lower_security_schemes(),
        types: l.types,
        operations,
    };
    operations::mark_usage(&mut api);
    api
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
    }
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
