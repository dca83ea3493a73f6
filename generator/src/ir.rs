//! The one intermediate representation between the OpenAPI document and the emitted Rust.
//!
//! Lowering fills it, emitting reads it. Every node keeps the spec's spelling (`api_name`), the
//! Rust spelling (`rust_name`, decided once by [`crate::naming`]) and where it came from
//! (`origin`, a JSON pointer into the input document).

use std::collections::BTreeSet;

/// Index of a type in [`TypeStore`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The cargo feature of the types no operation reaches (off by default).
pub const UNREFERENCED_FEATURE: &str = "unreferenced-schemas";

/// The cargo feature that gives types that are only received a `Serialize` impl too (by default
/// a type implements `Serialize` only when it is sent, or when no operation uses it).
pub const FULL_SERDE_FEATURE: &str = "full-serde";

/// The cargo feature of the `webhook` module: the webhook event enum, the types only webhooks
/// use, and signature verification with its optional dependencies. Off by default, unless the API
/// has webhooks and no operations.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// The feature that adds a `tracing` span per call (reserved like the others).
pub const TRACING_FEATURE: &str = "tracing";

/// An internal cargo feature that any feature of `members` turns on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureGroup {
    pub name: String,
    pub members: Vec<String>,
}

/// The whole API, ready to emit.
#[derive(Clone, Debug, Default)]
pub struct Api {
    pub info: ApiInfo,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    pub types: TypeStore,
    pub operations: Vec<Operation>,
    /// The webhooks the API sends (`webhooks`, or the `x-webhooks` extension), in document order.
    pub webhooks: Vec<Webhook>,
    /// Cargo features of the generated crate, one per tag, in order (see `lower::features`);
    /// [`WEBHOOKS_FEATURE`] when some types only webhooks use.
    pub features: Vec<String>,
    /// Internal features that stand for a large set of [`features`](Self::features) (`__types-..`,
    /// each on when any feature of its set is): a type reached by many features names its group
    /// rather than every feature (see `lower::features`).
    pub feature_groups: Vec<FeatureGroup>,
    /// The crate holds the types only, no client (`types-only` in `sdkgen.toml`): no operations
    /// or webhooks, every type always compiled.
    pub types_only: bool,
    /// The groups of operations that are reached through a handle on `Client`
    /// (`client.customers().retrieve(id)`), in the order of their first operation; empty unless
    /// `[client] namespaces` asks for them (see `lower::namespaces`).
    pub namespaces: Vec<Namespace>,
    /// The type every undocumented error body decodes into (`[client] default-error-schema`).
    pub default_error: Option<TypeId>,
}

/// A namespace: the handle `Client::#rust_name()` returns, whose methods are its operations.
#[derive(Clone, Debug)]
pub struct Namespace {
    /// The tag or path segment, as the spec spells it.
    pub api_name: String,
    /// The `Client` method that returns the handle (snake case).
    pub rust_name: String,
    /// The handle's type, in the `namespace` module.
    pub type_name: String,
    /// The tag's description, when the namespace is a tag that has one.
    pub description: Option<String>,
}

/// A webhook: a request the API sends to its users, decoded by the webhook's name.
#[derive(Clone, Debug)]
pub struct Webhook {
    /// The webhook's name in the spec (its key under `webhooks`).
    pub api_name: String,
    pub method: Method,
    /// The variant of the event enum.
    pub variant: String,
    /// The JSON payload's type.
    pub payload: TypeRef,
    /// Examples of the payload documented in the spec, by name (tested like response examples).
    pub examples: Vec<(String, serde_json::Value)>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// JSON pointer to the webhook's operation, as written (`/webhooks/{name}/post`).
    pub origin: String,
}

#[derive(Clone, Debug, Default)]
pub struct ApiInfo {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub source_version: String,
    pub license: Option<String>,
    /// API key prefixes that name an environment (`pk_live_` -> "live"), read from the
    /// security schemes' descriptions and examples.
    pub key_environments: Vec<KeyEnvironment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyEnvironment {
    pub prefix: String,
    /// `live`, `test`, `sandbox`, ...
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Server {
    /// The URL with server variables replaced by their defaults.
    pub url: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityScheme {
    pub api_name: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
    pub origin: String,
    /// For OAuth2 with a `clientCredentials` flow: its token URL (absolute, resolved against the
    /// first server) and scopes, so that the client can fetch and refresh tokens itself.
    pub client_credentials: Option<(String, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, query parameter or cookie, under the given name.
    ApiKey { location: ParamLocation, name: String },
    /// OAuth2 / OpenID Connect: the caller supplies an access token, sent as a bearer token.
    OAuth2,
    /// A client certificate presented in the TLS handshake (3.1 `mutualTLS`): set once on the
    /// client builder (`identity`), nothing in the request.
    MutualTls,
}

/// All named types, in a deterministic order (the order lowering created them).
#[derive(Clone, Debug, Default)]
pub struct TypeStore {
    pub defs: Vec<TypeDef>,
}

impl Api {
    /// How an example calls `op` on a `client`: `customers().retrieve` in a namespace, else the
    /// method's name.
    pub fn call_path(&self, op: &Operation) -> String {
        match op.namespace.and_then(|i| self.namespaces.get(i)) {
            Some(ns) => format!("{}().{}", ns.rust_name, op.rust_name),
            None => op.rust_name.clone(),
        }
    }

    /// Whether an operation has a streaming call (the generated crate then has the `sse` module).
    pub fn has_streams(&self) -> bool {
        self.operations.iter().any(|op| op.stream.is_some())
    }

    /// The features any of which compiles `def` (a group stands for its members); empty: always
    /// compiled.
    pub fn features_of<'a>(&'a self, def: &'a TypeDef) -> Vec<&'a str> {
        def.features
            .iter()
            .flat_map(|f| match self.feature_groups.iter().find(|g| g.name == *f) {
                Some(g) => g.members.iter().map(String::as_str).collect(),
                None => vec![f.as_str()],
            })
            .collect()
    }

    /// The features on by default: one per tag, without [`UNREFERENCED_FEATURE`], and
    /// [`WEBHOOKS_FEATURE`] only for an API with webhooks and no operations (then it is the API).
    pub fn default_features(&self) -> Vec<&str> {
        let mut on: Vec<&str> = self
            .features
            .iter()
            .map(String::as_str)
            .filter(|f| *f != UNREFERENCED_FEATURE && *f != WEBHOOKS_FEATURE)
            .collect();
        if self.operations.is_empty() && !self.webhooks.is_empty() {
            on.push(WEBHOOKS_FEATURE);
        }
        on
    }
}

impl TypeStore {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.0]
    }

    pub fn iter(&self) -> impl Iterator<Item = &TypeDef> {
        self.defs.iter()
    }
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub id: TypeId,
    /// The schema name in the spec (component key), or the context it was derived from.
    pub api_name: String,
    pub rust_name: String,
    /// JSON pointer to the schema.
    pub origin: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// Generic parameters (set when the type is used as a generic envelope, see `lower`).
    pub generics: Vec<GenericParam>,
    /// Whether values of this type are sent to the server (request bodies and parameters).
    pub in_request: bool,
    /// Whether values of this type come from the server.
    pub in_response: bool,
    /// The cargo features any of which compiles this type; empty: always compiled.
    pub features: Vec<String>,
    /// Set when this type had the same shape as an earlier one and became an alias of it
    /// (`kind` is then `Alias(Named(target))`; see `lower::dedup`).
    pub merged_into: Option<TypeId>,
    /// Derives and attributes the configuration adds to the type's definition (`[[types]]` in
    /// `sdkgen.toml`): each a derivable path (`Hash`) or an outer attribute (`#[doc(alias = "x")]`).
    pub derives: Vec<String>,
    pub attributes: Vec<String>,
}

/// How a struct field is written, from its required/nullable combination (the one place that
/// decides it: the emitter and the spec diff's surface both read it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// `T`
    Required,
    /// `Option<T>`, `null` decodes to `None`, a missing field is an error.
    RequiredNullable,
    /// `Option<T>`, absent and (for responses) `null` decode to `None`.
    Optional,
    /// `Option<Option<T>>`: absent, `null` and a value stay distinct (request types).
    OptionalNullable,
}

impl Presence {
    /// Whether the field must be present (a struct with one has no `Default`).
    pub fn is_required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }
    /// How many `Option`s wrap the field's type.
    pub fn option_depth(self) -> usize {
        match self {
            Presence::Required => 0,
            Presence::RequiredNullable | Presence::Optional => 1,
            Presence::OptionalNullable => 2,
        }
    }
    /// The field's kind in a `serde_struct!` table row.
    pub fn table_kind(self) -> &'static str {
        match self {
            Presence::Required | Presence::RequiredNullable => "Required",
            Presence::Optional => "Optional",
            Presence::OptionalNullable => "OptionalNullable",
        }
    }
    /// The field's Rust type, from its type without the `Option`s.
    pub fn wrap(self, inner: TypeRef) -> TypeRef {
        (0..self.option_depth()).fold(inner, |t, _| TypeRef::Option(Box::new(t)))
    }
}

impl Field {
    /// The field's type without the `Option`s its presence adds, and its presence, in `def`.
    pub fn presence(&self, def: &TypeDef) -> (TypeRef, Presence) {
        let mut inner = self.ty.clone();
        let mut nullable = self.nullable;
        if let TypeRef::Option(t) = inner {
            inner = *t;
            nullable = true;
        }
        if inner == TypeRef::Json {
            // `Value` holds `null` itself.
            nullable = false;
        }
        // A read-only field is never sent and a write-only field never received: in a type used
        // both ways they cannot be required.
        let required = self.required && !(self.read_only && def.in_request) && !(self.write_only && def.in_response);
        let presence = match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) if def.in_request => Presence::OptionalNullable,
            (false, _) => Presence::Optional,
        };
        (inner, presence)
    }
}

impl TypeDef {
    /// Whether the type implements `Serialize` without [`FULL_SERDE_FEATURE`]: it is sent, or
    /// no operation uses it. A type that is only received does not need it.
    pub fn serializes(&self) -> bool {
        self.in_request || !self.in_response
    }
}

#[derive(Clone, Debug)]
pub struct GenericParam {
    pub rust_name: String,
    /// The property of the envelope that the parameter types.
    pub property: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<serde_json::Value>,
    pub deprecated: bool,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// `pub type Name = Target;`
    Alias(TypeRef),
    /// The outcomes of one operation, selected by HTTP status (not a serde type).
    Outcomes(Vec<UnionVariant>),
    /// A type the user supplies instead of the schema (`[[replace]]` in `sdkgen.toml`): the
    /// Rust type as written there (`uuid::Uuid`), emitted as `pub type Name = Path;`.
    External(String),
}

#[derive(Clone, Debug, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Extra properties, kept in a flattened map (`additionalProperties` beside `properties`).
    pub additional: Option<TypeRef>,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub api_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub docs: Docs,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<serde_json::Value>,
    pub origin: String,
}

/// A string enum. `open` enums carry an `Unknown(String)` variant for values added later.
#[derive(Clone, Debug)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    pub open: bool,
    /// The schema allows any string, the variants being values it names (Stripe's
    /// `anyOf: [{type: string}, {enum: [""]}]`): no constraint on a value, so a union never
    /// tells its members apart by such a property (`lower::unions`).
    pub any_string: bool,
}

#[derive(Clone, Debug)]
pub struct EnumVariant {
    /// The wire value.
    pub api_name: String,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub tagging: Tagging,
}

#[derive(Clone, Debug)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// For tagged unions: the tag values that select this variant (first one is used to encode).
    /// Lowering fills them from the discriminator's `mapping`, then (`lower::unions`) from the
    /// member's constant tag property, then from `schema_name`.
    pub tags: Vec<String>,
    pub docs: Docs,
    /// The component a `$ref` member names (the implicit tag of a discriminator without a
    /// mapping entry for it).
    pub schema_name: Option<String>,
    /// What an untagged union checks before it reads a value as this variant (see
    /// `lower::unions`).
    pub guard: VariantGuard,
}

/// How an untagged union tells its variants apart, beyond whether the value decodes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VariantGuard {
    /// Properties whose value is fixed (a `const` or single-value `enum`): a value whose
    /// property holds another string is not this variant.
    pub fixed: Vec<(String, String)>,
    /// The variant is a struct decoded by `serde_struct!`, whose declared properties are known:
    /// of the variants that decode a value, the one that leaves the fewest of its properties
    /// undeclared wins.
    pub keyed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tagging {
    /// Tried in order, each member checked by its `VariantGuard` (see `lower::unions`).
    Untagged,
    /// Internally tagged by a discriminator property.
    Internal { property: String },
}

/// A reference to a type where it is used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Named(TypeId, Vec<TypeRef>),
    /// The n-th generic parameter of the enclosing type.
    Param(usize),
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    /// A JSON number kept exactly as sent (integer stays integer).
    Number,
    String,
    DateTime,
    Date,
    /// Raw bytes (binary bodies and `format: binary`).
    Bytes,
    /// Any JSON value.
    Json,
    /// A JSON object with arbitrary keys.
    JsonObject,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// A nullable value inside a container (`[string, null]` items).
    Option(Box<TypeRef>),
    /// Heap indirection that breaks a recursive type (decided by the cycle pass).
    Box(Box<TypeRef>),
    /// No content.
    Unit,
}

impl TypeRef {
    /// Whether this is one of the integer types.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            TypeRef::I8
                | TypeRef::I16
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::U8
                | TypeRef::U16
                | TypeRef::U32
                | TypeRef::U64
        )
    }

    /// The named types this reference mentions directly (not through Vec/Map, which are heap).
    pub fn direct_names(&self, out: &mut BTreeSet<TypeId>) {
        match self {
            TypeRef::Named(id, args) => {
                out.insert(*id);
                for a in args {
                    a.direct_names(out);
                }
            }
            TypeRef::Option(inner) => inner.direct_names(out),
            _ => {}
        }
    }

    /// Every named type this reference mentions, at any depth.
    pub fn all_names(&self, out: &mut BTreeSet<TypeId>) {
        match self {
            TypeRef::Named(id, args) => {
                out.insert(*id);
                for a in args {
                    a.all_names(out);
                }
            }
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => i.all_names(out),
            _ => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The method of a path item's operation key (one of `spec::METHODS`).
    pub fn from_key(key: &str) -> Method {
        match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId`, or the name derived from method and path when the spec has none.
    pub api_name: String,
    pub rust_name: String,
    /// CamelCase name for the request builder and per-operation types.
    pub type_name: String,
    pub method: Method,
    /// The path template as written (`/users/{id}`).
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub success: Vec<Response>,
    pub errors: Vec<Response>,
    /// The Rust type of a successful result.
    pub success_type: TypeRef,
    /// The Rust type of a documented error body.
    pub error_type: TypeRef,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// Security schemes that may authenticate this call (empty: none).
    pub security: Vec<String>,
    /// The cargo feature that compiles this operation (named after its first tag).
    pub feature: String,
    /// The namespace (index into `Api::namespaces`) whose handle has this operation's method;
    /// `None`: the method is on `Client`.
    pub namespace: Option<usize>,
    /// The success response as server-sent events, when the operation offers them (the
    /// builder's `stream()` call; see `lower::operations::lower_stream`).
    pub stream: Option<EventStream>,
    /// How a list operation's responses lead to the next page (see `lower::pagination`).
    pub pagination: Option<Pagination>,
    pub origin: String,
}

/// An operation's success response delivered as server-sent events.
#[derive(Clone, Debug)]
pub struct EventStream {
    /// The type of one event's `data`: decoded as JSON, or kept as text when it is `String`.
    pub item: TypeRef,
    /// The boolean field of the request body (its wire name, `stream`: a JSON property or a
    /// multipart part) that the streaming call sets to `true`; `None` when the body has none.
    pub flag: Option<String>,
    /// How the stream was found.
    pub source: StreamSource,
    /// Where the event type was declared (the media type, the extension or the operation).
    pub origin: String,
}

/// Where an operation's event stream comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamSource {
    /// A `text/event-stream` success response (its `schema`, or `itemSchema`).
    MediaType,
    /// The operation's `x-sdkgen-stream` extension.
    Extension,
    /// Detected: a boolean `stream` in the body and a `<Response>StreamEvent` schema.
    Detected,
}

/// How the pages of a list operation follow each other.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The query parameter (index into `Operation::params`) that selects a page.
    pub param: usize,
    pub kind: PageKind,
    /// The fields from a page to its items array (none: the page is the array).
    pub items: Vec<FieldStep>,
    /// The type of one item.
    pub item_ty: TypeRef,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PageKind {
    /// The next page's cursor is a field of the page (absent or empty at the end), read while
    /// `has_more` (when the page has one) is true.
    Cursor { cursor: Vec<FieldStep>, has_more: Option<Vec<FieldStep>> },
    /// The cursor is a field of the last item (its `id`), while `has_more` is true.
    LastItem { field: FieldStep, has_more: Option<Vec<FieldStep>> },
    /// Page numbers, from 1 (or the one set), while a page has items.
    PageNumber,
    /// An item offset, from 0 (or the one set), while a page has items.
    Offset,
}

/// One field on the way from a value to another, and how many `Option`s wrap it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldStep {
    pub rust_name: String,
    pub options: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// `a=1&a=2` (query), or `1,2` (path/header).
    Form {
        explode: bool,
    },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub api_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub style: ParamStyle,
    /// OpenAPI `explode` (default: true for `form`, false otherwise); how arrays and objects
    /// are written in the path, headers and cookies.
    pub explode: bool,
    pub docs: Docs,
    pub origin: String,
}

/// The media type of server-sent events.
pub const EVENT_STREAM: &str = "text/event-stream";

/// Whether a media type is [`EVENT_STREAM`] (parameters and case aside).
pub fn is_event_stream(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case(EVENT_STREAM)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    FormUrlEncoded,
    Multipart,
    Text,
    Binary,
}

impl BodyFormat {
    /// How a body of this media type is modelled, and its rank among the media types of one
    /// body (the client models the lowest): JSON first, then `+json`, form, multipart, text,
    /// `*/*`, anything else, and `text/event-stream` last.
    pub fn of_media_type(media_type: &str) -> (u8, BodyFormat) {
        let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => (0, BodyFormat::Json),
            e if e.ends_with("+json") || e.ends_with("/json") => (1, BodyFormat::Json),
            "application/x-www-form-urlencoded" => (2, BodyFormat::FormUrlEncoded),
            "multipart/form-data" => (3, BodyFormat::Multipart),
            // An event stream is read as a whole only when nothing else is offered: the
            // streaming call reads it event by event (`Response::events`).
            EVENT_STREAM => (7, BodyFormat::Text),
            e if e.starts_with("text/") => (4, BodyFormat::Text),
            "*/*" => (5, BodyFormat::Json),
            _ => (6, BodyFormat::Binary),
        }
    }

    /// The media type the client models among `media_types` (see [`BodyFormat::of_media_type`]),
    /// with its format; the first of equal rank.
    pub fn pick<'a, T>(media_types: impl IntoIterator<Item = (&'a String, T)>) -> Option<(&'a String, T, BodyFormat)> {
        media_types
            .into_iter()
            .map(|(k, v)| (BodyFormat::of_media_type(k), k, v))
            .min_by_key(|((rank, _), ..)| *rank)
            .map(|((_, format), k, v)| (k, v, format))
    }
}

#[derive(Clone, Debug)]
pub struct RequestBody {
    pub media_type: String,
    pub format: BodyFormat,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    pub origin: String,
    /// Form bodies: how each property with an `encoding` entry is written (the others are
    /// `style: form`, `explode: true`), by wire name.
    pub encoding: Vec<(String, PropertyEncoding)>,
    /// Multipart bodies: one part per property of the body's object schema. The builder takes
    /// them as arguments (required) and setters (optional) instead of a body value.
    pub parts: Vec<Part>,
}

/// How one property of a form or multipart body is written (its `encoding` entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyEncoding {
    /// `style` and `explode` (form bodies only; `Form { explode: true }` by default).
    pub style: ParamStyle,
    /// `contentType`: a form property sent as JSON text when it names JSON; a multipart part's
    /// `Content-Type`.
    pub content_type: Option<String>,
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub struct Part {
    pub api_name: String,
    /// The builder field, argument and setter (unique among the operation's parameters).
    pub rust_name: String,
    /// The property's type: binary data (`Bytes`, or `Vec<Bytes>` for several files) is a file
    /// part; values with a text form are text parts, the rest JSON parts.
    pub ty: TypeRef,
    pub required: bool,
    pub content_type: Option<String>,
    pub docs: Docs,
}

/// The status a response is declared for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusSpec {
    Code(u16),
    /// `4XX` and friends: the first digit.
    Range(u16),
    Default,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: StatusSpec,
    pub description: String,
    /// `None`: no body is documented.
    pub body: Option<ResponseBody>,
    /// The `text/event-stream` content of the response, if offered: `ty` is one event's data.
    pub events: Option<ResponseBody>,
    pub origin: String,
    /// The body is the configured default error schema, not one the spec documents: a body
    /// that does not decode into it leaves the status unexpected rather than a decode error.
    pub assumed: bool,
}

#[derive(Clone, Debug)]
pub struct ResponseBody {
    pub media_type: String,
    pub format: BodyFormat,
    pub ty: TypeRef,
    /// Examples documented for this response, by name (used by tests and docs).
    pub examples: Vec<(String, serde_json::Value)>,
}
