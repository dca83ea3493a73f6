//! Operations -> IR operations: parameters, bodies, responses, security.

use super::schema::wrap_nullable;
use super::Lowerer;
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::spec::normalize::EXT_ITEM_SCHEMA;
use crate::spec::pointer::join;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, StatusCode};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// Method names the generated `Client` already has.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "http_builder",
    "http_client",
    "retry_policy",
    "unauthenticated",
    "environment",
    "clone",
    "fmt",
];

/// Headers the HTTP client writes itself: a parameter cannot set them.
const HTTP_HEADERS: &[&str] = &["content-length", "host", "transfer-encoding", "connection", "te", "upgrade"];

/// Fields and methods every request builder may have besides its parameters' setters: a
/// parameter or part never takes them (reserved whether or not this operation has them, so a
/// name does not change when an operation becomes paginated or streaming).
const BUILDER_METHODS: &[&str] = &["client", "body", "send", "self_", "pages", "items", "stream", "into_future"];

/// The boolean request-body property that asks for an event stream (OpenAI, Anthropic).
const STREAM_FLAG: &str = "stream";

/// The operation extension that declares an event stream the responses do not:
/// `x-sdkgen-stream: {event: '#/components/schemas/MessageStreamEvent'}`.
pub const EXT_STREAM: &str = "x-sdkgen-stream";

/// Names the `builder` module imports (see `emit::operations`): a builder may not take them.
pub(crate) const BUILDER_MODULE_NAMES: &[&str] =
    &["Auth", "Client", "Error", "ParamText", "RawResponse", "Request", "ResponseFuture", "StreamFuture"];

impl<'a> Lowerer<'a> {
    pub(crate) fn lower_operations(&mut self) -> Vec<Operation> {
        let mut out = Vec::new();
        let mut method_names = Scope::with_reserved(CLIENT_METHODS);
        let mut builder_names = Scope::with_reserved(BUILDER_MODULE_NAMES);
        let doc: &'a openapiv3::OpenAPI = self.doc;
        let global_security = doc.security.as_ref();
        for (path, item) in doc.paths.iter() {
            let item_ptr = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    self.diags.warn(&item_ptr, "a `$ref` path item is not supported; its operations are skipped");
                    continue;
                }
            };
            for (method, op) in item.iter() {
                if self.spent() {
                    return out;
                }
                let op_ptr = join(&item_ptr, method);
                let api_name = op.operation_id.clone().unwrap_or_else(|| naming::derived_operation_name(method, path));
                let rust_name = method_names.claim(&naming::value_ident(&api_name));
                let type_name = builder_names.claim(&naming::type_ident(&api_name));
                let method = Method::from_key(method);

                let params = self.lower_params(&item.parameters, &op.parameters, &type_name, &item_ptr, &op_ptr);
                let path_parts = self.parse_path(path, &params, &op_ptr);
                let body_hint = [type_name.as_str(), "Body"].join(" ");
                let body = op
                    .request_body
                    .as_ref()
                    .and_then(|b| self.lower_request_body(b, &body_hint, &params, &op_ptr, true));

                let mut success = Vec::new();
                let mut errors = Vec::new();
                let responses_ptr = join(&op_ptr, "responses");
                for (code, resp) in &op.responses.responses {
                    let (status, key) = match code {
                        StatusCode::Code(c) => (StatusSpec::Code(*c), c.to_string()),
                        StatusCode::Range(r) => (StatusSpec::Range(*r), format!("{r}XX")),
                    };
                    let hint = match &status {
                        StatusSpec::Code(200) => [type_name.as_str(), "Response"].join(" "),
                        StatusSpec::Code(c) => [type_name.as_str(), &naming::status_variant(*c), "Response"].join(" "),
                        _ => [type_name.as_str(), &key, "Response"].join(" "),
                    };
                    let mut r = self.lower_response(resp, status.clone(), &hint, &join(&responses_ptr, &key));
                    let bodiless = method == Method::Head || matches!(status, StatusSpec::Code(204 | 205 | 304));
                    if bodiless && r.body.take().is_some() {
                        let why = if method == Method::Head { "a HEAD response" } else { "this status" };
                        self.diags
                            .warn(join(&r.origin, "content"), format!("{why} has no body; the content is ignored"));
                    }
                    let is_success = matches!(status, StatusSpec::Code(200..=299) | StatusSpec::Range(2));
                    if is_success {
                        success.push(r);
                    } else {
                        errors.push(r);
                    }
                }
                if let Some(resp) = &op.responses.default {
                    let r = self.lower_response(
                        resp,
                        StatusSpec::Default,
                        &[type_name.as_str(), "Default Response"].join(" "),
                        &join(&responses_ptr, "default"),
                    );
                    if success.is_empty() {
                        success.push(r);
                    } else {
                        errors.push(r);
                    }
                }
                if success.is_empty() {
                    success.push(self.undocumented_success(&errors, &responses_ptr));
                }
                if let (Some((id, name)), false) = (&self.default_error, method == Method::Head) {
                    assume_default_error(*id, name, &success, &mut errors);
                }
                let success_type =
                    self.outcome_type(&success, &[type_name.as_str(), "Response"].join(" "), &op_ptr, true);
                let error_type = self.outcome_type(&errors, &[type_name.as_str(), "Error"].join(" "), &op_ptr, false);

                let stream = self.lower_stream(op, &success, body.as_ref(), &op_ptr);
                let security = self.op_security(op.security.as_ref().or(global_security), &op_ptr);
                out.push(Operation {
                    api_name,
                    rust_name,
                    type_name,
                    method,
                    path: path.clone(),
                    path_parts,
                    params,
                    body,
                    success,
                    errors,
                    success_type,
                    error_type,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    tags: op.tags.clone(),
                    security,
                    feature: String::new(),
                    namespace: None,
                    stream,
                    pagination: None,
                    origin: op_ptr,
                });
            }
        }
        out
    }

    fn resolve_param(&mut self, p: &'a ReferenceOr<Parameter>, ptr: &str) -> Option<(Cow<'a, Parameter>, String)> {
        match p {
            ReferenceOr::Item(p) => Some((Cow::Borrowed(p), ptr.to_string())),
            ReferenceOr::Reference { reference } => {
                let pointer = reference.trim_start_matches('#').to_string();
                let parameters = self.doc.components.as_ref().map(|c| &c.parameters);
                if let Some(p) =
                    parameters.and_then(|entries| super::parsed_component(entries, "parameters", reference))
                {
                    return Some((Cow::Borrowed(p), pointer));
                }
                let target = crate::spec::pointer::resolve(self.raw, reference)?;
                let target = self.copy(target, ptr)?;
                match serde_json::from_value::<Parameter>(target) {
                    Ok(p) => Some((Cow::Owned(p), pointer)),
                    Err(e) => {
                        self.diags
                            .push(Diagnostic::error(ptr, format!("`$ref: {reference}` is not a valid parameter: {e}")));
                        None
                    }
                }
            }
        }
    }

    fn lower_params(
        &mut self,
        path_level: &'a [ReferenceOr<Parameter>],
        op_level: &'a [ReferenceOr<Parameter>],
        type_name: &str,
        item_ptr: &str,
        op_ptr: &str,
    ) -> Vec<Param> {
        // Operation-level parameters override path-level ones with the same name and location
        // (an overridden one leaves a gap, found by name: operations can have many parameters).
        let mut merged: Vec<Option<(Cow<'a, Parameter>, String)>> = Vec::new();
        for (i, p) in path_level.iter().enumerate() {
            if let Some(p) = self.resolve_param(p, &join(&join(item_ptr, "parameters"), &i.to_string())) {
                merged.push(Some(p));
            }
        }
        let mut by_name: HashMap<(String, std::mem::Discriminant<Parameter>), Vec<usize>> = HashMap::new();
        for (i, slot) in merged.iter().enumerate() {
            if let Some((p, _)) = slot {
                by_name.entry((p.parameter_data_ref().name.clone(), std::mem::discriminant(&**p))).or_default().push(i);
            }
        }
        for (i, p) in op_level.iter().enumerate() {
            if let Some((p, ptr)) = self.resolve_param(p, &join(&join(op_ptr, "parameters"), &i.to_string())) {
                let key = (p.parameter_data_ref().name.clone(), std::mem::discriminant(&*p));
                for same in by_name.remove(&key).unwrap_or_default() {
                    merged[same] = None;
                }
                by_name.insert(key, vec![merged.len()]);
                merged.push(Some((p, ptr)));
            }
        }
        let mut merged: Vec<(Cow<'a, Parameter>, String)> = merged.into_iter().flatten().collect();
        // Path parameters first (in template order is decided by the path), then the rest.
        merged.sort_by_key(|(p, _)| match **p {
            Parameter::Path { .. } => 0,
            Parameter::Query { .. } => 1,
            Parameter::Header { .. } => 2,
            Parameter::Cookie { .. } => 3,
        });
        let mut scope = Scope::with_reserved(BUILDER_METHODS);
        let mut out = Vec::new();
        for (p, ptr) in merged {
            let data = p.parameter_data_ref();
            let text = super::text_units(data.description.as_deref()) + super::text_units(Some(&ptr));
            if !self.charge(1 + text, &ptr) {
                break;
            }
            use openapiv3::{PathStyle, QueryStyle};
            let (location, style) = match &*p {
                Parameter::Path { style, .. } => (
                    ParamLocation::Path,
                    match style {
                        PathStyle::Simple => ParamStyle::Simple,
                        PathStyle::Label => ParamStyle::Label,
                        PathStyle::Matrix => ParamStyle::Matrix,
                    },
                ),
                Parameter::Query { style, .. } => (
                    ParamLocation::Query,
                    match style {
                        QueryStyle::Form => ParamStyle::Form { explode: data.explode.unwrap_or(true) },
                        QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple),
                Parameter::Cookie { .. } => {
                    (ParamLocation::Cookie, ParamStyle::Form { explode: data.explode.unwrap_or(true) })
                }
            };
            let header = (location == ParamLocation::Header).then(|| data.name.to_ascii_lowercase());
            if header.as_deref().is_some_and(|h| ["authorization", "content-type", "accept"].contains(&h)) {
                // OpenAPI says these header parameters are ignored: the credential comes from
                // the security schemes, the media types from the body and the responses.
                let from = if header.as_deref() == Some("authorization") {
                    "the client's credential (`securitySchemes`)"
                } else {
                    "the media types of the body and responses"
                };
                let required = if data.required { "required " } else { "" };
                self.diags.warn(
                    &ptr,
                    format!("{required}header parameter `{}` is not exposed: OpenAPI sets it from {from}", data.name),
                );
                continue;
            }
            if header.as_deref().is_some_and(|h| HTTP_HEADERS.contains(&h)) {
                self.diags.warn(&ptr, format!("`{}` is set by HTTP itself; the parameter is not exposed", data.name));
                continue;
            }
            let hint = [type_name, data.name.as_str()].join(" ");
            let (ty, docs) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let l = self.lower_use(s, &hint, &join(&ptr, "schema"));
                    let mut docs = match s {
                        ReferenceOr::Item(s) => self.docs_of(&s.schema_data, &join(&ptr, "schema")),
                        _ => Docs::default(),
                    };
                    docs.description = data.description.clone().or(docs.description);
                    (wrap_nullable(l.ty, l.nullable && location != ParamLocation::Path), docs)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let ty = match BodyFormat::pick(content).and_then(|(_, m, _)| m.schema.as_ref()) {
                        Some(s) => self.lower_use(s, &hint, &join(&ptr, "content")).ty,
                        None => TypeRef::String,
                    };
                    self.diags.warn(&ptr, "a parameter with `content` is sent as its JSON text");
                    (ty, Docs { description: data.description.clone(), ..Docs::default() })
                }
            };
            // A parameter is text in a URL or header: `format: binary` there is a string.
            let ty = match ty {
                TypeRef::Bytes => {
                    self.diags.warn(&ptr, "a parameter is text: its `format: binary` schema is read as a string");
                    TypeRef::String
                }
                TypeRef::Vec(inner) if *inner == TypeRef::Bytes => {
                    self.diags.warn(&ptr, "a parameter is text: its `format: binary` items are read as strings");
                    TypeRef::Vec(Box::new(TypeRef::String))
                }
                ty => ty,
            };
            let docs = Docs {
                deprecated: data.deprecated.unwrap_or(false),
                example: data.example.as_ref().and_then(|ex| self.copy(ex, &ptr)).or(docs.example),
                ..docs
            };
            out.push(Param {
                api_name: data.name.clone(),
                rust_name: {
                    // A parameter named like a builder method is `name_param`.
                    let name = naming::value_ident(&data.name);
                    let taken = BUILDER_METHODS.contains(&name.as_str()) && name != "self_";
                    scope.claim(&if taken { format!("{name}_param") } else { name })
                },
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                explode: data.explode.unwrap_or(matches!(style, ParamStyle::Form { .. })),
                docs,
                origin: ptr,
            });
        }
        out
    }

    fn parse_path(&mut self, path: &str, params: &[Param], op_ptr: &str) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        let mut used = BTreeSet::new();
        while let Some(start) = rest.find('{') {
            if start > 0 {
                parts.push(PathPart::Literal(rest[..start].to_string()));
            }
            let Some(len) = rest[start..].find('}') else {
                self.diags.push(
                    Diagnostic::error(op_ptr, format!("path template `{path}` has an unclosed `{{`"))
                        .with_hint("path parameters are written `{name}`"),
                );
                parts.push(PathPart::Literal(rest[start..].to_string()));
                return parts;
            };
            let name = &rest[start + 1..start + len];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.api_name == name) {
                Some(i) => {
                    used.insert(i);
                    parts.push(PathPart::Param(i));
                }
                None => self.diags.push(
                    Diagnostic::error(op_ptr, format!("path parameter `{name}` in `{path}` is not declared"))
                        .with_hint(format!(
                            "add a parameter with `name: {name}` and `in: path` to the operation or path item"
                        )),
                ),
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                self.diags.warn(
                    &p.origin,
                    format!("path parameter `{}` does not appear in the path `{path}`; it is not sent", p.api_name),
                );
            }
        }
        parts
    }

    /// A request body: an operation's (`sent`), or a webhook's payload, which the crate
    /// receives. Inline schemas are named from `hint`.
    pub(crate) fn lower_request_body<'b>(
        &mut self,
        body: &'b ReferenceOr<openapiv3::RequestBody>,
        hint: &str,
        params: &[Param],
        op_ptr: &str,
        sent: bool,
    ) -> Option<RequestBody>
    where
        'a: 'b,
    {
        let (body, ptr) = match body {
            ReferenceOr::Item(b) => (Cow::Borrowed(b), join(op_ptr, "requestBody")),
            ReferenceOr::Reference { reference } => {
                let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
                let body = match bodies.and_then(|entries| super::parsed_component(entries, "requestBodies", reference))
                {
                    Some(b) => Cow::Borrowed(b),
                    None => {
                        let target = crate::spec::pointer::resolve(self.raw, reference)?;
                        let target = self.copy(target, op_ptr)?;
                        Cow::Owned(serde_json::from_value(target).ok()?)
                    }
                };
                (body, reference.trim_start_matches('#').to_string())
            }
        };
        if !self.charge(super::text_units(body.description.as_deref()), &ptr) {
            return None;
        }
        let (media_type, media, format) = BodyFormat::pick(&body.content)?;
        let mptr = join(&join(&ptr, "content"), media_type);
        if body.content.len() > 1 {
            let modeled = if sent { "the client sends" } else { "the webhook is decoded as" };
            self.diags
                .warn(join(&ptr, "content"), format!("several media types are offered; {modeled} `{media_type}`"));
        }
        let ty = match (&format, &media.schema) {
            (BodyFormat::Binary, _) => TypeRef::Bytes,
            (BodyFormat::Text, _) => TypeRef::String,
            (_, Some(s)) => {
                let l = self.lower_use(s, hint, &join(&mptr, "schema"));
                wrap_nullable(l.ty, l.nullable)
            }
            (_, None) => TypeRef::Json,
        };
        let encoding = self.lower_encoding(media, &format, &mptr);
        let parts = match format {
            BodyFormat::Multipart => match self.multipart_parts(&ty, &encoding, params) {
                Some(parts) => parts,
                None => {
                    // A webhook's (received) multipart body is reported by its caller.
                    if sent {
                        self.diags.warn(
                            &mptr,
                            "a multipart body without an object schema is sent as raw bytes that the caller encodes",
                        );
                    }
                    Vec::new()
                }
            },
            _ => Vec::new(),
        };
        // A body modelled as bytes is sent as it is, whatever its media type says.
        let format = match format {
            BodyFormat::Multipart if parts.is_empty() => BodyFormat::Binary,
            _ if ty == TypeRef::Bytes => BodyFormat::Binary,
            f => f,
        };
        let ty = if format == BodyFormat::Binary { TypeRef::Bytes } else { ty };
        Some(RequestBody {
            media_type: media_type.clone(),
            format,
            ty,
            required: body.required,
            description: body.description.clone(),
            origin: mptr,
            encoding,
            parts,
        })
    }

    /// The `encoding` entries of a form or multipart body, by property; warns about what is
    /// not sent (per-part headers).
    fn lower_encoding(
        &mut self,
        media: &openapiv3::MediaType,
        format: &BodyFormat,
        mptr: &str,
    ) -> Vec<(String, PropertyEncoding)> {
        if !matches!(format, BodyFormat::FormUrlEncoded | BodyFormat::Multipart) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (name, e) in &media.encoding {
            let ptr = join(&join(mptr, "encoding"), name);
            if !e.headers.is_empty() {
                self.diags.warn(join(&ptr, "headers"), "per-part headers are not sent");
            }
            // `explode` defaults to true for `form` only; openapiv3 reads a missing one as false.
            let explode_given = self.raw.pointer(&join(&ptr, "explode")).and_then(serde_json::Value::as_bool);
            use openapiv3::QueryStyle;
            let style = match e.style {
                None | Some(QueryStyle::Form) => ParamStyle::Form { explode: explode_given.unwrap_or(true) },
                Some(QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                Some(QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                Some(QueryStyle::DeepObject) => ParamStyle::DeepObject,
            };
            out.push((name.clone(), PropertyEncoding { style, content_type: e.content_type.clone() }));
        }
        out
    }

    /// The parts of a multipart body: the properties of its object type, named so that they do
    /// not collide with the operation's parameters. `None` when the body is not an object.
    fn multipart_parts(
        &mut self,
        ty: &TypeRef,
        encoding: &[(String, PropertyEncoding)],
        params: &[Param],
    ) -> Option<Vec<Part>> {
        let mut id = match ty {
            TypeRef::Named(id, _) => *id,
            _ => return None,
        };
        let fields = loop {
            match &self.types.get(id).kind {
                TypeKind::Struct(s) if !s.fields.is_empty() => break s.fields.clone(),
                TypeKind::Alias(TypeRef::Named(next, _)) => id = *next,
                _ => return None,
            }
        };
        let mut reserved: Vec<&str> = BUILDER_METHODS.to_vec();
        reserved.extend(params.iter().map(|p| p.rust_name.as_str()));
        let mut scope = Scope::with_reserved(&reserved);
        let parts = fields
            .into_iter()
            .filter(|f| !f.read_only)
            .map(|f| Part {
                // A part named like a parameter is `name_part`.
                rust_name: scope.claim(&if reserved.contains(&f.rust_name.as_str()) {
                    format!("{}_part", f.rust_name.trim_start_matches("r#"))
                } else {
                    f.rust_name.clone()
                }),
                content_type: encoding.iter().find(|(k, _)| *k == f.api_name).and_then(|(_, e)| e.content_type.clone()),
                api_name: f.api_name,
                ty: f.ty,
                required: f.required && !f.nullable,
                docs: f.docs,
            })
            .collect();
        Some(parts)
    }

    /// The success of an operation that documents none (no 2XX response, no `default`): any
    /// 2XX status, with a located warning. Its body is ignored, unless the operation documents a
    /// redirect: the client follows it, and what the call ends with (a download, typically) is
    /// kept as bytes.
    fn undocumented_success(&mut self, errors: &[Response], responses_ptr: &str) -> Response {
        let redirects = errors
            .iter()
            .any(|r| matches!(r.status, StatusSpec::Code(301 | 302 | 303 | 307 | 308) | StatusSpec::Range(3)));
        let (body, what) = if redirects {
            let body = ResponseBody {
                media_type: "application/octet-stream".to_string(),
                format: BodyFormat::Binary,
                ty: TypeRef::Bytes,
                examples: Vec::new(),
            };
            (Some(body), "after the documented redirect, its body is returned as bytes")
        } else {
            (None, "its body is ignored")
        };
        self.diags.push(
            Diagnostic::warning(
                responses_ptr,
                format!("no success response is documented: any 2XX status is the call's success, and {what}"),
            )
            .with_hint("document the success response (a 2XX status or `default`) to type its body"),
        );
        Response {
            status: StatusSpec::Range(2),
            description: format!("Any 2XX status (the spec documents no success response): {what}."),
            body,
            events: None,
            origin: responses_ptr.to_string(),
            assumed: false,
        }
    }

    fn lower_response(
        &mut self,
        resp: &'a ReferenceOr<openapiv3::Response>,
        status: StatusSpec,
        hint: &str,
        ptr: &str,
    ) -> Response {
        let (resp, ptr, hint) = match resp {
            ReferenceOr::Item(r) => (Cow::Borrowed(r), ptr.to_string(), hint.to_string()),
            ReferenceOr::Reference { reference } => {
                let responses = self.doc.components.as_ref().map(|c| &c.responses);
                let parsed =
                    match responses.and_then(|entries| super::parsed_component(entries, "responses", reference)) {
                        Some(r) => Some(Ok(Cow::Borrowed(r))),
                        None => crate::spec::pointer::resolve(self.raw, reference)
                            .and_then(|t| self.copy(t, ptr))
                            .map(|t| serde_json::from_value::<openapiv3::Response>(t).map(Cow::Owned)),
                    };
                match parsed {
                    Some(Ok(r)) => {
                        let name = reference.rsplit('/').next().unwrap_or(hint).to_string();
                        (r, reference.trim_start_matches('#').to_string(), name)
                    }
                    _ => {
                        return Response {
                            status,
                            description: String::new(),
                            body: None,
                            events: None,
                            origin: ptr.to_string(),
                            assumed: false,
                        };
                    }
                }
            }
        };
        let body = BodyFormat::pick(&resp.content).map(|(media_type, media, format)| {
            let mptr = join(&join(&ptr, "content"), media_type);
            let ty = match (&format, &media.schema) {
                (BodyFormat::Binary, _) | (BodyFormat::Multipart, _) => TypeRef::Bytes,
                (BodyFormat::Text, _) => TypeRef::String,
                (_, Some(s)) => {
                    // A response cached by reference lowers once, so shared responses share a type.
                    let key = ["#", &mptr, "/schema"].concat();
                    if let Some(hit) = self.ref_cache.get(&key) {
                        wrap_nullable(hit.ty.clone(), hit.nullable)
                    } else {
                        let l = self.lower_use(s, &hint, &join(&mptr, "schema"));
                        self.ref_cache.insert(key, l.clone());
                        wrap_nullable(l.ty, l.nullable)
                    }
                }
                (_, None) => TypeRef::Json,
            };
            // A JSON media type whose schema is binary is raw bytes on the wire.
            let format = if ty == TypeRef::Bytes { BodyFormat::Binary } else { format };
            let examples = self.media_examples(media, &mptr);
            ResponseBody { media_type: media_type.clone(), format, ty, examples }
        });
        // A success response offered as server-sent events gets a streaming call too.
        let success = matches!(status, StatusSpec::Code(200..=299) | StatusSpec::Range(2) | StatusSpec::Default);
        let events = match resp.content.iter().find(|(k, _)| is_event_stream(k)) {
            Some((media_type, media)) if success => {
                let mptr = join(&join(&ptr, "content"), media_type);
                Some(self.lower_events(media_type, media, &hint, &mptr))
            }
            _ => None,
        };
        self.charge(super::text_units(Some(&resp.description)), &ptr);
        Response { status, description: resp.description.clone(), body, events, origin: ptr, assumed: false }
    }

    /// The type of one event of a `text/event-stream` media type: its `itemSchema` (OpenAPI
    /// 3.2, kept by normalizing as [`EXT_ITEM_SCHEMA`]), else its `schema`, else any JSON value.
    /// An event's data is text: a binary schema is a `String`.
    fn lower_events(&mut self, media_type: &str, media: &openapiv3::MediaType, hint: &str, mptr: &str) -> ResponseBody {
        let hint = [hint, "Event"].join(" ");
        let item =
            media.extensions.get(EXT_ITEM_SCHEMA).map(|s| serde_json::from_value::<ReferenceOr<Schema>>(s.clone()));
        let (schema, key) = match item {
            Some(Ok(s)) => (Cow::Owned(s), "itemSchema"),
            Some(Err(e)) => {
                self.diags.warn(
                    join(mptr, "itemSchema"),
                    format!("`itemSchema` is not a schema ({e}); events are typed as any JSON value"),
                );
                return events_body(media_type, TypeRef::Json);
            }
            None => match &media.schema {
                Some(s) => (Cow::Borrowed(s), "schema"),
                None => return events_body(media_type, TypeRef::Json),
            },
        };
        // A response used by reference lowers once, as its body does (see `lower_response`).
        let key = ["#", mptr, "/", key].concat();
        let l = match self.ref_cache.get(&key) {
            Some(hit) => hit.clone(),
            None => {
                let l = self.lower_use(&schema, &hint, &key[1..]);
                self.ref_cache.insert(key, l.clone());
                l
            }
        };
        let ty = match wrap_nullable(l.ty, l.nullable) {
            TypeRef::Bytes => TypeRef::String,
            ty => ty,
        };
        events_body(media_type, ty)
    }

    /// The event stream of an operation, found in this order:
    ///
    /// 1. a success response that offers `text/event-stream` (its schema types one event);
    /// 2. the operation's `x-sdkgen-stream: {event: '#/components/schemas/Name'}` extension;
    /// 3. detected (with a warning): the JSON request body has a boolean `stream` property and
    ///    the schema `<Name>StreamEvent` exists, where `Name` is the component schema of the
    ///    JSON success response (Anthropic's `Message` and `MessageStreamEvent`).
    ///
    /// A body with a boolean `stream` and no event type found is a warning. The streaming call
    /// sets that `stream` property to `true` whichever way the stream was found.
    fn lower_stream(
        &mut self,
        op: &'a openapiv3::Operation,
        success: &[Response],
        body: Option<&RequestBody>,
        op_ptr: &str,
    ) -> Option<EventStream> {
        let bool_like = |t: &TypeRef| match t {
            TypeRef::Option(inner) => **inner == TypeRef::Bool,
            t => *t == TypeRef::Bool,
        };
        // A multipart body's flag is a text part (OpenAI's transcriptions).
        let flag = body
            .filter(|b| {
                (b.format == BodyFormat::Json && self.has_stream_flag(&b.ty))
                    || b.parts.iter().any(|p| p.api_name == STREAM_FLAG && bool_like(&p.ty))
            })
            .map(|_| STREAM_FLAG.to_string());
        if let Some((r, events)) = success.iter().find_map(|r| r.events.as_ref().map(|e| (r, e))) {
            let origin = join(&join(&r.origin, "content"), &events.media_type);
            return Some(EventStream { item: events.ty.clone(), flag, source: StreamSource::MediaType, origin });
        }
        if let Some(ext) = op.extensions.get(EXT_STREAM) {
            let ptr = join(op_ptr, EXT_STREAM);
            let reference = ext.get("event").and_then(serde_json::Value::as_str);
            match reference.filter(|r| r.starts_with("#/") && crate::spec::pointer::resolve(self.raw, r).is_some()) {
                Some(reference) => {
                    let l = self.lower_reference(reference, &join(&ptr, "event"));
                    let item = wrap_nullable(l.ty, l.nullable);
                    return Some(EventStream { item, flag, source: StreamSource::Extension, origin: ptr });
                }
                None => self.diags.warn(
                    &ptr,
                    format!("`{EXT_STREAM}` needs `event: '#/components/schemas/Name'`, a reference to the schema of one event; no streaming call is generated"),
                ),
            }
        }
        let flag = flag?;
        let body_ptr = body.map_or_else(|| op_ptr.to_string(), |b| b.origin.clone());
        let response_schema = success.iter().find_map(|r| {
            let b = r.body.as_ref().filter(|b| b.format == BodyFormat::Json)?;
            let TypeRef::Named(id, _) = &b.ty else { return None };
            let def = self.types.get(*id);
            def.origin.starts_with("/components/schemas/").then(|| def.api_name.clone())
        });
        let detected = response_schema
            .map(|name| [name.as_str(), "StreamEvent"].concat())
            .filter(|name| self.component_ids.contains_key(&["#/components/schemas/", name].concat()));
        match detected {
            Some(name) => {
                self.diags.warn(
                    op_ptr,
                    format!("the request body has a boolean `{flag}` property and the schema `{name}` exists: a streaming call yields `{name}` events; say so with `{EXT_STREAM}: {{event: '#/components/schemas/{name}'}}` to silence this"),
                );
                let id = self.component_ids[&["#/components/schemas/", &name].concat()];
                Some(EventStream {
                    item: TypeRef::Named(id, vec![]),
                    flag: Some(flag),
                    source: StreamSource::Detected,
                    origin: op_ptr.to_string(),
                })
            }
            None => {
                self.diags.warn(
                    body_ptr,
                    format!("the request body has a boolean `{flag}` property but no event type is known; no streaming call is generated (declare one with `{EXT_STREAM}: {{event: '#/components/schemas/Name'}}`)"),
                );
                None
            }
        }
    }

    /// Whether a body type is an object with a boolean `stream` property (optional or not).
    fn has_stream_flag(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // Aliases of aliases end: lowering never makes an alias cycle, and the bound is cheap.
        for _ in 0..16 {
            let TypeRef::Named(id, _) = ty else { return false };
            match &self.types.get(*id).kind {
                TypeKind::Alias(inner) => ty = inner,
                TypeKind::Struct(s) => {
                    return s.fields.iter().any(|f| {
                        let bool_like = match &f.ty {
                            TypeRef::Option(inner) => **inner == TypeRef::Bool,
                            t => *t == TypeRef::Bool,
                        };
                        f.api_name == STREAM_FLAG && bool_like
                    })
                }
                _ => return false,
            }
        }
        false
    }

    /// The examples of a media type (`example`, then `examples` by name), copied for each use
    /// (charged); `mptr` points at the media type.
    pub(crate) fn media_examples(
        &mut self,
        media: &openapiv3::MediaType,
        mptr: &str,
    ) -> Vec<(String, serde_json::Value)> {
        let mut examples = Vec::new();
        if let Some(ex) = media.example.as_ref().and_then(|ex| self.copy(ex, mptr)) {
            examples.push(("example".to_string(), ex));
        }
        for (name, ex) in &media.examples {
            let value = match ex {
                ReferenceOr::Item(e) => e.value.as_ref(),
                ReferenceOr::Reference { reference } => {
                    crate::spec::pointer::resolve(self.raw, reference).and_then(|v| v.get("value"))
                }
            };
            let value = value.and_then(|v| self.copy(v, &join(&join(mptr, "examples"), name)));
            if let Some(v) = value {
                examples.push((name.clone(), v));
            }
        }
        examples
    }

    /// The type a set of responses decodes into: the shared type, or an enum keyed by status.
    fn outcome_type(&mut self, responses: &[Response], hint: &str, op_ptr: &str, success: bool) -> TypeRef {
        let tys: Vec<TypeRef> =
            responses.iter().map(|r| r.body.as_ref().map_or(TypeRef::Unit, |b| b.ty.clone())).collect();
        let distinct: BTreeSet<&TypeRef> = tys.iter().collect();
        match distinct.len() {
            0 => TypeRef::Unit,
            1 => tys[0].clone(),
            _ => {
                let mut scope = Scope::new();
                let variants = responses
                    .iter()
                    .zip(tys)
                    .map(|(r, ty)| UnionVariant {
                        rust_name: scope.claim(&match r.status {
                            StatusSpec::Code(c) => naming::status_variant(c),
                            StatusSpec::Range(d) => format!("Status{d}xx"),
                            StatusSpec::Default => "Default".to_string(),
                        }),
                        ty,
                        tags: vec![],
                        docs: Docs {
                            description: Some(r.description.clone()).filter(|d| !d.is_empty()),
                            ..Docs::default()
                        },
                        schema_name: None,
                        guard: Default::default(),
                    })
                    .collect();
                let docs = Docs {
                    description: Some(if success {
                        "The successful responses of the operation, by status.".to_string()
                    } else {
                        "The documented error responses of the operation, by status.".to_string()
                    }),
                    ..Docs::default()
                };
                TypeRef::Named(self.new_type(hint, op_ptr, docs, TypeKind::Outcomes(variants)), vec![])
            }
        }
    }

    /// The schemes an operation accepts, each once, in the order of the requirements (charged:
    /// the global requirements are copied into every operation).
    fn op_security(&mut self, reqs: Option<&Vec<openapiv3::SecurityRequirement>>, op_ptr: &str) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for req in reqs.into_iter().flatten() {
            for name in req.keys() {
                if seen.insert(name) && self.charge(1, op_ptr) {
                    out.push(name.clone());
                }
            }
        }
        out
    }
}

/// The configured default error schema (`[client] default-error-schema`, type `id`, component
/// `name`) as the body of the error statuses an operation documents without one, and, unless
/// it documents a `default` response, of the `4XX` and `5XX` statuses it does not document.
fn assume_default_error(id: TypeId, name: &str, success: &[Response], errors: &mut Vec<Response>) {
    let body = || ResponseBody {
        media_type: "application/json".to_string(),
        format: BodyFormat::Json,
        ty: TypeRef::Named(id, vec![]),
        examples: Vec::new(),
    };
    for r in errors.iter_mut().filter(|r| r.body.is_none()) {
        r.body = Some(body());
        r.assumed = true;
    }
    if success.iter().chain(errors.iter()).any(|r| r.status == StatusSpec::Default) {
        return;
    }
    for d in [4, 5] {
        if !errors.iter().any(|r| r.status == StatusSpec::Range(d)) {
            errors.push(Response {
                status: StatusSpec::Range(d),
                description: format!(
                    "Any other {d}XX status, when its body is the API's error (`{name}`, the default error schema)."
                ),
                body: Some(body()),
                events: None,
                origin: join("/components/schemas", name),
                assumed: true,
            });
        }
    }
}

/// The event type of a `text/event-stream` media type, as a response body.
fn events_body(media_type: &str, ty: TypeRef) -> ResponseBody {
    ResponseBody { media_type: media_type.to_string(), format: BodyFormat::Text, ty, examples: Vec::new() }
}

/// Marks which types are sent (`in_request`) and which are received (`in_response`).
pub(crate) fn mark_usage(api: &mut Api) {
    let mut req = BTreeSet::new();
    let mut resp = BTreeSet::new();
    for op in &api.operations {
        for p in &op.params {
            p.ty.all_names(&mut req);
        }
        if let Some(b) = &op.body {
            b.ty.all_names(&mut req);
        }
        op.success_type.all_names(&mut resp);
        op.error_type.all_names(&mut resp);
        if let Some(stream) = &op.stream {
            stream.item.all_names(&mut resp);
        }
    }
    // Webhook payloads are received (decoded), like responses.
    for hook in &api.webhooks {
        hook.payload.all_names(&mut resp);
    }
    for (set, is_req) in [(req, true), (resp, false)] {
        let mut stack: Vec<TypeId> = set.into_iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let def = api.types.get_mut(id);
            if is_req {
                def.in_request = true;
            } else {
                def.in_response = true;
            }
            let mut next = BTreeSet::new();
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        f.ty.all_names(&mut next);
                    }
                    if let Some(a) = &s.additional {
                        a.all_names(&mut next);
                    }
                }
                TypeKind::Union(Union { variants, .. }) | TypeKind::Outcomes(variants) => {
                    variants.iter().for_each(|v| v.ty.all_names(&mut next))
                }
                TypeKind::Alias(t) => t.all_names(&mut next),
                TypeKind::Enum(_) | TypeKind::External(_) => {}
            }
            stack.extend(next);
        }
    }
}
