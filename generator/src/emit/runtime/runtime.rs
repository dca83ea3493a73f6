//! Request plumbing shared by every operation: URL building, parameter encoding, credentials,
//! sending and decoding. Operations call these helpers instead of repeating them.
//!
//! Credentials go where the operation's security scheme says (`Auth`), their headers marked
//! sensitive; the HTTP client keeps them on the request's origin (redirects to other origins are
//! not followed, no `Referer` is sent: see the `client` module's docs).
//!
//! Every generated crate carries the same helpers and a given API uses a subset of them, so
//! unused ones are allowed here rather than trimmed per API.
#![allow(dead_code)]

use crate::client::{is_sensitive_header, Client};
use crate::error::{ApiError, Error, RawResponse};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

/// `application/x-www-form-urlencoded` keeps only `*-._` and alphanumerics as they are.
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// What a cookie's name or value may not hold as it is (RFC 6265 `cookie-octet`: no controls,
/// space, `"`, `,`, `;` or `\\`, and nothing beyond ASCII), and `%`, so that the encoding can be
/// undone: those are percent-encoded. The `,` between the values of a `form` cookie is written
/// as it is.
const COOKIE: &AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

/// A cookie's name or value, percent-encoded where [`COOKIE`] says.
fn encode_cookie(text: &str) -> String {
    utf8_percent_encode(text, COOKIE).to_string()
}

/// Everything but RFC 3986 unreserved characters is encoded in a path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request path: `template` (`/users/{id}`) with each `{...}` replaced by the next of
/// `params`, percent-encoded as one segment. Lowering checked that the template names a
/// parameter in each `{...}`, in order; one left without a value stays as written.
///
/// A parameter that is `.` or `..` cannot be sent: URLs read such a segment, even
/// percent-encoded, as a step to the same or the parent path, so the request would reach
/// another resource. It is an invalid request instead.
pub(crate) fn path(template: &str, params: &[&dyn ParamText]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut params = params.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |i| open + i + 1);
        out.push_str(&rest[..open]);
        match params.next() {
            Some(param) => {
                let value = param.encoded().unwrap_or_else(|| encode_path(&param.param_text()));
                if value == "." || value == ".." {
                    return Err(format!("the path parameter value `{value}` would be read as a relative path step"));
                }
                out.push_str(&value);
            }
            None => out.push_str(&rest[open..close]),
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    Ok(out)
}

/// How a value is written in a path, query string or header.
pub(crate) trait ParamText {
    fn param_text(&self) -> String;
    /// Path text already encoded (a styled parameter, see [`styled`]), written as it is.
    fn encoded(&self) -> Option<String> {
        None
    }
}

/// A parameter value as a builder holds it: a value (a [`ParamText`] or an array), or an
/// optional one (`Option`), given when it is `Some`. One call writes either.
pub(crate) trait Given {
    type Value: ?Sized;
    fn given(&self) -> Option<&Self::Value>;
}

impl<T: ParamText + ?Sized> Given for T {
    type Value = T;
    fn given(&self) -> Option<&T> {
        Some(self)
    }
}

impl<T> Given for Vec<T> {
    type Value = Vec<T>;
    fn given(&self) -> Option<&Vec<T>> {
        Some(self)
    }
}

impl<T: Given> Given for Option<T> {
    type Value = T::Value;
    fn given(&self) -> Option<&T::Value> {
        self.as_ref().and_then(Given::given)
    }
}

/// A path parameter written by [`styled`] with its values encoded and its delimiters kept.
pub(crate) struct Encoded(pub(crate) String);

impl ParamText for Encoded {
    fn param_text(&self) -> String {
        self.0.clone()
    }
    fn encoded(&self) -> Option<String> {
        Some(self.0.clone())
    }
}

/// How a path, header or cookie parameter is written (OpenAPI `style`; headers are `simple`,
/// cookies `form`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Style {
    /// `blue`, `blue,black`, `R,100,G,200` (exploded: `R=100,G=200`)
    Simple,
    /// `.blue`, `.blue,black` (exploded: `.blue.black`), `.R,100,G,200` (`.R=100.G=200`)
    Label,
    /// `;color=blue`, `;color=blue,black` (`;color=blue;color=black`), `;color=R,100,G,200`
    /// (`;R=100;G=200`)
    Matrix,
}

/// A parameter value as OpenAPI serializes it: one text, an array's texts, or an object's
/// properties (those that are `null` left out).
pub(crate) enum Parts {
    One(String),
    List(Vec<String>),
    Pairs(Vec<(String, String)>),
}

impl Parts {
    pub(crate) fn one<T: ParamText + ?Sized>(value: &T) -> Self {
        Parts::One(value.param_text())
    }
    pub(crate) fn list<T: ParamText>(values: &[T]) -> Self {
        Parts::List(values.iter().map(ParamText::param_text).collect())
    }
    /// Any other value, through its JSON form (an object's properties in the order the type
    /// writes them: a struct's declaration order).
    pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        let Ok(text) = serde_json::to_string(value) else { return Parts::One(String::new()) };
        if let Ok(InOrder(pairs)) = serde_json::from_str::<InOrder>(&text) {
            return Parts::Pairs(pairs.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), value_text(v))).collect());
        }
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Array(items)) => Parts::List(items.iter().map(value_text).collect()),
            Ok(other) => Parts::One(value_text(&other)),
            Err(_) => Parts::One(String::new()),
        }
    }
}

/// A JSON object's properties in the order they are written (`serde_json::Map` sorts them).
struct InOrder(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for InOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = InOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<InOrder, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(InOrder(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// Text for a path segment: everything but unreserved characters percent-encoded.
pub(crate) fn encode_path(text: &str) -> String {
    utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

/// Text for a header: as it is.
pub(crate) fn verbatim(text: &str) -> String {
    text.to_string()
}

/// `name` with the value `parts` in `style` (the OpenAPI specification's table of style
/// examples), each name and value passed through `encode`, the delimiters kept.
pub(crate) fn styled(name: &str, parts: &Parts, style: Style, explode: bool, encode: fn(&str) -> String) -> String {
    let pair = |k: &str, v: &str, eq: &str| format!("{}{eq}{}", encode(k), encode(v));
    let joined = |items: Vec<String>, sep: &str| items.join(sep);
    let flat = |pairs: &[(String, String)]| -> Vec<String> {
        pairs.iter().flat_map(|(k, v)| [encode(k), encode(v)]).collect()
    };
    let list = |items: &[String]| -> Vec<String> { items.iter().map(|v| encode(v)).collect() };
    let name = encode(name);
    match (style, parts) {
        (Style::Simple, Parts::One(v)) => encode(v),
        (Style::Simple, Parts::List(items)) => joined(list(items), ","),
        (Style::Simple, Parts::Pairs(pairs)) if explode => {
            joined(pairs.iter().map(|(k, v)| pair(k, v, "=")).collect(), ",")
        }
        (Style::Simple, Parts::Pairs(pairs)) => joined(flat(pairs), ","),
        (Style::Label, Parts::One(v)) => format!(".{}", encode(v)),
        (Style::Label, Parts::List(items)) => format!(".{}", joined(list(items), if explode { "." } else { "," })),
        (Style::Label, Parts::Pairs(pairs)) if explode => {
            format!(".{}", joined(pairs.iter().map(|(k, v)| pair(k, v, "=")).collect(), "."))
        }
        (Style::Label, Parts::Pairs(pairs)) => format!(".{}", joined(flat(pairs), ",")),
        (Style::Matrix, Parts::One(v)) => format!(";{name}={}", encode(v)),
        (Style::Matrix, Parts::List(items)) if items.is_empty() => format!(";{name}"),
        (Style::Matrix, Parts::List(items)) if explode => {
            items.iter().map(|v| format!(";{name}={}", encode(v))).collect()
        }
        (Style::Matrix, Parts::List(items)) => format!(";{name}={}", joined(list(items), ",")),
        (Style::Matrix, Parts::Pairs(pairs)) if explode => pairs.iter().map(|(k, v)| format!(";{}", pair(k, v, "="))).collect(),
        (Style::Matrix, Parts::Pairs(pairs)) => format!(";{name}={}", joined(flat(pairs), ",")),
    }
}

/// The cookies of a `form` cookie parameter: `name=blue`, `name=blue,black` (exploded: one
/// cookie per value), `name=R,100,G,200` (exploded: `R=100`, `G=200`).
/// Names and values are percent-encoded where a cookie cannot hold them ([`COOKIE`]).
fn cookie_pairs(name: &str, parts: &Parts, explode: bool) -> Vec<(String, String)> {
    let list = |items: &mut dyn Iterator<Item = &String>| items.map(|v| encode_cookie(v)).collect::<Vec<_>>().join(",");
    match parts {
        Parts::One(v) => vec![(name.to_string(), encode_cookie(v))],
        Parts::List(items) if explode => items.iter().map(|v| (name.to_string(), encode_cookie(v))).collect(),
        Parts::List(items) => vec![(name.to_string(), list(&mut items.iter()))],
        Parts::Pairs(pairs) if explode => pairs.iter().map(|(k, v)| (encode_cookie(k), encode_cookie(v))).collect(),
        Parts::Pairs(pairs) => vec![(name.to_string(), list(&mut pairs.iter().flat_map(|(k, v)| [k, v])))],
    }
}

macro_rules! param_text_via_to_string {
    ($($t:ty),*) => {
        $(impl ParamText for $t {
            fn param_text(&self) -> String {
                self.to_string()
            }
        })*
    };
}
param_text_via_to_string!(String, str, bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, serde_json::Number);

impl ParamText for chrono::DateTime<chrono::Utc> {
    fn param_text(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ParamText for chrono::NaiveDate {
    fn param_text(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ParamText for serde_json::Value {
    fn param_text(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl<T: ParamText + ?Sized> ParamText for &T {
    fn param_text(&self) -> String {
        (**self).param_text()
    }
    fn encoded(&self) -> Option<String> {
        (**self).encoded()
    }
}

impl<T: ParamText> ParamText for Box<T> {
    fn param_text(&self) -> String {
        (**self).param_text()
    }
    fn encoded(&self) -> Option<String> {
        (**self).encoded()
    }
}


/// A JSON value as parameter text (strings unquoted).
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `name[key]...=value` pairs for nested objects (deepObject).
fn deep_pairs(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                deep_pairs(&format!("{prefix}[{k}]"), child, out);
            }
        }
        serde_json::Value::Array(items) => {
            // Members that are containers keep their index, so each one's fields stay together.
            for (i, child) in items.iter().enumerate() {
                let key = match child {
                    serde_json::Value::Object(_) | serde_json::Value::Array(_) => format!("{prefix}[{i}]"),
                    _ => format!("{prefix}[]"),
                };
                deep_pairs(&key, child, out);
            }
        }
        serde_json::Value::Null => {}
        other => out.push((prefix.to_string(), value_text(other))),
    }
}

/// Keys of form fields keep the brackets of `deepObject` names (`metadata[order_id]`) as they
/// are, as the OpenAPI examples spell them; servers read both spellings alike.
const FORM_KEY: &AsciiSet = &FORM.remove(b'[').remove(b']');

/// How one property of a form body is written: its wire name, `style`/`explode`, and whether its
/// `contentType` is JSON (the value is then sent as its JSON text). Properties without a rule
/// are `style: form`, `explode: true`.
pub(crate) type FormRule = (&'static str, FormStyle, bool);

/// The `style` (and `explode`) of a form property or of an object-valued query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormStyle {
    /// Arrays repeat the name (`a=1&a=2`); an object's members are fields of their own (`x=1&y=2`).
    FormExplode,
    /// `a=1,2`; an object is `a=x,1,y,2`.
    Form,
    /// `a=1%202`
    SpaceDelimited,
    /// `a=1|2`
    PipeDelimited,
    /// `a[x]=1&a[y][z]=2`, arrays as `a[]=1&a[]=2` (or `a[0][x]=1` for arrays of objects and
    /// arrays, whose members must stay together), at any depth.
    DeepObject,
}

/// The fields of a form body: each property written per its rule (see [`FormStyle`]), properties
/// and object members in key order, array items in order. `null` and absent values are not sent;
/// an object or array nested where the style has no spelling for it (below the first level of
/// `form`) is sent as its JSON text.
pub(crate) fn form_pairs(map: &serde_json::Map<String, serde_json::Value>, rules: &[FormRule]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, value) in map {
        let (style, json) =
            rules.iter().find(|(k, ..)| k == name).map_or((FormStyle::FormExplode, false), |(_, s, j)| (*s, *j));
        if value.is_null() {
            continue;
        }
        if json {
            out.push((name.clone(), value.to_string()));
            continue;
        }
        field_pairs(name, value, style, &mut out);
    }
    out
}

/// The pairs of one form field or query parameter `name` (not `null`), written per `style`
/// (see [`FormStyle`]); what the style does not spell (below the first level of `form`) is its
/// JSON text.
fn field_pairs(name: &str, value: &serde_json::Value, style: FormStyle, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let sep = match style {
        FormStyle::SpaceDelimited => " ",
        FormStyle::PipeDelimited => "|",
        _ => ",",
    };
    match (style, value) {
        (FormStyle::DeepObject, Value::Object(_) | Value::Array(_)) => deep_pairs(name, value, out),
        (FormStyle::FormExplode, Value::Array(items)) => {
            out.extend(items.iter().filter(|v| !v.is_null()).map(|v| (name.to_string(), value_text(v))))
        }
        (FormStyle::FormExplode, Value::Object(members)) => {
            out.extend(members.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), value_text(v))))
        }
        (_, Value::Array(items)) => {
            out.push((name.to_string(), items.iter().map(value_text).collect::<Vec<_>>().join(sep)))
        }
        (_, Value::Object(members)) => {
            let items = members.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), value_text(v)]);
            out.push((name.to_string(), items.collect::<Vec<_>>().join(sep)));
        }
        (_, scalar) => out.push((name.to_string(), value_text(scalar))),
    }
}

/// A file to upload as a part of a `multipart/form-data` body: its bytes, and the file name and
/// content type sent with them: `FilePart::new(bytes).file_name("report.pdf")`, or
/// `FilePart::from_path(path)?`, which takes the file name from the path.
#[derive(Clone)]
pub struct FilePart {
    bytes: bytes::Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A part holding `bytes`, with no file name (servers often require one: see
    /// [`FilePart::file_name`]) and the content type the API description gives, or
    /// `application/octet-stream`.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// Reads a file; its name (the last component of `path`) is the part's file name.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let part = FilePart::new(std::fs::read(path)?);
        Ok(match path.file_name().and_then(|n| n.to_str()) {
            Some(name) => part.file_name(name),
            None => part,
        })
    }

    /// The file name sent with the part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type` (instead of the one the API description gives).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl std::fmt::Debug for FilePart {
    /// The size, name and type: not the contents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<bytes::Bytes> for FilePart {
    fn from(bytes: bytes::Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

/// The parts of a `multipart/form-data` body, in order, kept as data so that a retried request
/// sends them again.
#[derive(Default)]
pub(crate) struct Multipart {
    parts: Vec<PartData>,
    /// Why the body cannot be sent: a part that could not be encoded.
    invalid: Option<String>,
}

struct PartData {
    name: &'static str,
    bytes: bytes::Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Multipart::default()
    }

    /// Replaces the parts named `name` with one text part.
    pub(crate) fn set_text(&mut self, name: &'static str, value: &dyn ParamText) {
        self.parts.retain(|p| p.name != name);
        self.text(name, value, None);
    }

    /// A text part (a value with a text form), with the content type the description gives.
    pub(crate) fn text(&mut self, name: &'static str, value: &dyn ParamText, content_type: Option<&'static str>) {
        let bytes = bytes::Bytes::from(value.param_text());
        self.parts.push(PartData { name, bytes, file_name: None, content_type: content_type.map(str::to_string) });
    }

    /// A JSON part: the value's JSON text, `application/json` unless the description says
    /// otherwise. A value that cannot be encoded makes the request invalid (see
    /// [`Request::multipart_body`]).
    pub(crate) fn json<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&'static str>,
    ) {
        match serde_json::to_vec(value) {
            Ok(text) => {
                let content_type = Some(content_type.unwrap_or("application/json").to_string());
                self.parts.push(PartData { name, bytes: text.into(), file_name: None, content_type });
            }
            Err(e) => {
                self.invalid.get_or_insert_with(|| format!("the part `{name}` cannot be encoded as JSON: {e}"));
            }
        }
    }

    /// A file part; its own content type wins over the description's, then `application/octet-stream`.
    pub(crate) fn file(&mut self, name: &'static str, file: &FilePart, content_type: Option<&'static str>) {
        let content_type = file
            .content_type
            .clone()
            .or(content_type.map(str::to_string))
            .or_else(|| Some("application/octet-stream".to_string()));
        let (bytes, file_name) = (file.bytes.clone(), file.file_name.clone());
        self.parts.push(PartData { name, bytes, file_name, content_type });
    }

    /// The `reqwest` form for one attempt (the bytes are shared, not copied).
    fn to_form(&self) -> Result<reqwest::multipart::Form, SendError> {
        let mut form = reqwest::multipart::Form::new();
        for p in &self.parts {
            let len = p.bytes.len() as u64;
            let mut part = reqwest::multipart::Part::stream_with_length(p.bytes.clone(), len);
            if let Some(name) = &p.file_name {
                part = part.file_name(name.clone());
            }
            if let Some(content_type) = &p.content_type {
                part = part.mime_str(content_type).map_err(|_| {
                    SendError::InvalidRequest(format!("the part `{}` has an invalid content type `{content_type}`", p.name))
                })?;
            }
            form = form.part(p.name, part);
        }
        Ok(form)
    }
}

/// Code run around every attempt of every call, added with
/// [`ClientBuilder::hook`](crate::ClientBuilder::hook): to log requests, add a header computed
/// per request (a token from a cache that another task refreshes, a signature), or read rate
/// limits from responses. Both methods do nothing by default.
///
/// Hooks see requests as they are sent, credentials included: a hook that logs headers should
/// skip the sensitive ones (`HeaderValue::is_sensitive`), as this crate's `Debug` output does.
pub trait Hook: Send + Sync {
    /// Before an attempt is sent, with the request as it will go out (its credentials, headers,
    /// body and timeout set): may change it.
    fn before_send(&self, call: &CallInfo, request: &mut reqwest::Request) {
        let _ = (call, request);
    }

    /// When an attempt gets a response, before its body is read (so a streaming call's too).
    fn after_receive(&self, call: &CallInfo, status: reqwest::StatusCode, headers: &reqwest::header::HeaderMap) {
        let _ = (call, status, headers);
    }
}

/// The call a [`Hook`] is called for.
#[derive(Clone, Debug)]
pub struct CallInfo {
    operation: &'static str,
    method: reqwest::Method,
    path: &'static str,
    attempt: u32,
}

impl CallInfo {
    /// The operation's id in the API description (`operationId`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        &self.method
    }

    /// The path template, parameters unfilled (`/users/{id}`).
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// Which attempt this is: 1, then 2 and on for retries.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// How a security scheme carries the credential.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Auth {
    Bearer,
    Basic,
    Header(&'static str),
    Query(&'static str),
    Cookie(&'static str),
}

/// A request being assembled by an operation.
pub(crate) struct Request<'a> {
    client: &'a Client,
    /// The operation's id and path template, for hooks and tracing.
    operation: &'static str,
    template: &'static str,
    method: reqwest::Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(String, String)>,
    body: Option<Body>,
    auth: &'static [Auth],
    /// A streaming call: the body is read as it arrives, with no total timeout.
    streaming: bool,
    /// Options the caller set for this call (see [`ResponseFuture::header`] and the others).
    options: CallOptions,
    /// Why the request cannot be sent, if it cannot (the first problem met while building it):
    /// the call then fails with [`Error::InvalidRequest`] without sending anything.
    invalid: Option<String>,
}

/// Per-call options: extra headers, a total timeout, an idempotency key.
#[derive(Default)]
struct CallOptions {
    headers: Vec<(String, String)>,
    timeout: Option<std::time::Duration>,
    /// Sent as `Idempotency-Key` on every attempt; makes retrying a `POST` or `PATCH` safe.
    idempotency_key: Option<String>,
}

/// A response as the exchange left it: read whole, or (a streaming call's success) with its
/// body still to be read.
pub(crate) enum Received {
    Complete(RawResponse),
    Streaming(reqwest::Response),
}

impl Received {
    fn status(&self) -> reqwest::StatusCode {
        match self {
            Received::Complete(raw) => raw.status,
            Received::Streaming(response) => response.status(),
        }
    }

    fn headers(&self) -> &reqwest::header::HeaderMap {
        match self {
            Received::Complete(raw) => &raw.headers,
            Received::Streaming(response) => response.headers(),
        }
    }
}

/// A request body, kept so that every attempt can send it again.
enum Body {
    Bytes(&'static str, Vec<u8>),
    Multipart(Multipart),
}

impl<'a> Request<'a> {
    /// A request for the operation `id` to the path `template` (`/users/{id}`, also its name in
    /// hooks and tracing spans) with its parameters (see [`path`]).
    pub(crate) fn new(
        client: &'a Client,
        method: reqwest::Method,
        id: &'static str,
        template: &'static str,
        params: &[&dyn ParamText],
    ) -> Self {
        let (path, invalid) = match path(template, params) {
            Ok(path) => (path, None),
            Err(e) => (String::new(), Some(e)),
        };
        Request {
            client,
            operation: id,
            template,
            method,
            url: format!("{}{}", client.base_url, path),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            auth: &[],
            streaming: false,
            options: CallOptions::default(),
            invalid,
        }
    }

    /// Marks the request as one that cannot be sent (the first reason is kept).
    fn fail(&mut self, why: String) {
        self.invalid.get_or_insert(why);
    }

    /// Why the request cannot be sent, if it cannot (taken: the call reports it).
    pub(crate) fn take_invalid(&mut self) -> Option<String> {
        self.invalid.take()
    }

    /// The security schemes the operation accepts, in order of preference.
    pub(crate) fn auth(mut self, schemes: &'static [Auth]) -> Self {
        self.auth = schemes;
        self
    }

    /// The media types the operation decodes (the `Accept` header), in order of preference.
    pub(crate) fn accept(mut self, media_types: &'static str) -> Self {
        self.headers.push(("Accept", media_types.to_string()));
        self
    }

    /// A query parameter, when it is given (see [`Given`]).
    #[inline]
    pub(crate) fn query<V: Given + ?Sized>(&mut self, name: &str, value: &V)
    where
        V::Value: ParamText,
    {
        if let Some(value) = value.given() {
            self.query_text(name, &value);
        }
    }

    fn query_text(&mut self, name: &str, value: &dyn ParamText) {
        self.query.push((name.to_string(), value.param_text()));
    }

    /// An array in a query string, when it is given: `explode` repeats the name, otherwise
    /// values are joined.
    pub(crate) fn query_array<V: Given + ?Sized, T: ParamText>(&mut self, name: &str, values: &V, explode: bool, sep: &str)
    where
        V::Value: AsRef<[T]>,
    {
        let Some(values) = values.given() else { return };
        if explode {
            for v in values.as_ref() {
                self.query_text(name, v);
            }
        } else {
            let joined: Vec<String> = values.as_ref().iter().map(ParamText::param_text).collect();
            self.query.push((name.to_string(), joined.join(sep)));
        }
    }

    /// An object (or any non-scalar) query parameter, spelled per `style` as a form field of the
    /// same style is (an array of objects exploded: the name repeated, each object its JSON text);
    /// `null` is not sent.
    pub(crate) fn query_object<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: FormStyle) {
        let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        if value.is_null() {
            return;
        }
        field_pairs(name, &value, style, &mut self.query);
    }

    /// A header parameter, when it is given.
    #[inline]
    pub(crate) fn header<V: Given + ?Sized>(&mut self, name: &'static str, value: &V)
    where
        V::Value: ParamText,
    {
        if let Some(value) = value.given() {
            self.headers.push((name, value.param_text()));
        }
    }

    /// A cookie parameter, when it is given.
    #[inline]
    pub(crate) fn cookie<V: Given + ?Sized>(&mut self, name: &'static str, value: &V)
    where
        V::Value: ParamText,
    {
        if let Some(value) = value.given() {
            self.cookies.push((name.to_string(), encode_cookie(&value.param_text())));
        }
    }

    /// An array or object cookie parameter (`form` style).
    pub(crate) fn cookie_styled(&mut self, name: &'static str, parts: &Parts, explode: bool) {
        self.cookies.extend(cookie_pairs(name, parts, explode));
    }

    /// Encodes a JSON body (a body that cannot be encoded makes the request invalid, saying why).
    pub(crate) fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::Bytes("application/json", bytes)),
            Err(e) => self.fail(format!("the request body cannot be encoded as JSON: {e}")),
        }
    }

    /// Encodes an object as `application/x-www-form-urlencoded`, each property as its `encoding`
    /// entry in `rules` says (see [`form_pairs`]).
    pub(crate) fn form_body<T: Serialize + ?Sized>(&mut self, body: &T, rules: &[FormRule]) {
        let map = match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => return self.fail("a form body must be an object".to_string()),
            Err(e) => return self.fail(format!("the request body cannot be form-encoded: {e}")),
        };
        let encoded: Vec<String> = form_pairs(&map, rules)
            .iter()
            .map(|(k, v)| format!("{}={}", utf8_percent_encode(k, FORM_KEY), utf8_percent_encode(v, FORM)))
            .collect();
        self.body = Some(Body::Bytes("application/x-www-form-urlencoded", encoded.join("&").into_bytes()));
    }

    pub(crate) fn raw_body(&mut self, content_type: &'static str, bytes: Vec<u8>) {
        self.body = Some(Body::Bytes(content_type, bytes));
    }

    /// A `multipart/form-data` body (the boundary is chosen and written by `reqwest`); a part
    /// that could not be encoded makes the request invalid.
    pub(crate) fn multipart_body(&mut self, mut form: Multipart) {
        if let Some(why) = form.invalid.take() {
            self.fail(why);
        }
        self.body = Some(Body::Multipart(form));
    }

    /// Sets a boolean field of the body to `true` (`stream: true`, which asks the API for an
    /// event stream): a property of a JSON object body (with no body yet, the body is
    /// `{"name": true}`), or a text part `true` of a multipart body.
    pub(crate) fn body_flag(&mut self, name: &'static str) {
        let mut object = match &mut self.body {
            None => serde_json::Map::new(),
            Some(Body::Multipart(form)) => return form.set_text(name, &"true"),
            Some(Body::Bytes(_, bytes)) => match serde_json::from_slice(bytes) {
                Ok(serde_json::Value::Object(object)) => object,
                _ => return self.fail(format!("`{name}: true` can only be set in a JSON object or multipart body")),
            },
        };
        object.insert(name.to_string(), serde_json::Value::Bool(true));
        self.json_body(&object)
    }

    /// Sends the request as a streaming call, retrying as [`Request::send`] does: a success
    /// response is returned with its body unread, any other is read whole. The request accepts
    /// `text/event-stream` only, and has no total timeout (see the `sse` module).
    pub(crate) fn open_stream(mut self) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Received, SendError>> + Send + 'a>> {
        self.streaming = true;
        self.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("accept"));
        self.headers.push(("Accept", "text/event-stream".to_string()));
        let span = self.span();
        Box::pin(instrument(self.send_with_retries(), span))
    }

    /// The `tracing` span of a call: its operation, method and path template, then the attempt
    /// and status as they come. No URL, header or body: nothing that may carry a credential.
    #[cfg(feature = "tracing")]
    fn span(&self) -> tracing::Span {
        tracing::info_span!(
            "api_call",
            operation = self.operation,
            method = %self.method,
            path = self.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    }

    #[cfg(not(feature = "tracing"))]
    fn span(&self) -> NoSpan {
        NoSpan
    }

    /// Sends the request, retrying per the client's [`RetryPolicy`](crate::RetryPolicy), and
    /// reads the whole response.
    ///
    /// One boxed future for every operation: the operations' own futures stay small and the
    /// retry loop is compiled once, whatever the operation's types.
    pub(crate) fn send(self) -> Exchange<'a> {
        let span = self.span();
        Box::pin(instrument(
            async move {
                match self.send_with_retries().await? {
                    Received::Complete(raw) => Ok(raw),
                    // Only streaming calls leave a body unread.
                    Received::Streaming(response) => read_whole(response).await,
                }
            },
            span,
        ))
    }

    async fn send_with_retries(self) -> Result<Received, SendError> {
        let policy = &self.client.retry;
        // A `POST` or `PATCH` is safe to send again when it carries an idempotency key: the
        // server then applies it once.
        let idempotent =
            !matches!(self.method, reqwest::Method::POST | reqwest::Method::PATCH) || self.options.idempotency_key.is_some();
        let mut attempt = 1;
        let mut refreshed = false;
        loop {
            let outcome = self.send_once(attempt).await;
            #[cfg(feature = "tracing")]
            {
                let span = tracing::Span::current();
                span.record("attempt", attempt);
                match &outcome {
                    Ok(received) => {
                        span.record("status", received.status().as_u16());
                    }
                    // The error has no URL (`SendError::from`), so no query-string key.
                    Err(SendError::Transport(e)) => tracing::debug!(attempt, error = %e, "attempt failed"),
                    Err(SendError::InvalidRequest(e)) => tracing::debug!(attempt, error = %e, "invalid request"),
                }
            }
            // An OAuth2 token the API no longer takes: fetch a new one and try once more, beside
            // the retry policy's attempts.
            if let (Ok(received), Some(oauth), false) = (&outcome, &self.client.oauth, refreshed) {
                if received.status().as_u16() == 401 && matches!(self.auth.first(), Some(Auth::Bearer)) {
                    oauth.forget();
                    refreshed = true;
                    attempt += 1;
                    continue;
                }
            }
            let last = attempt >= policy.max_attempts.max(1) + u32::from(refreshed);
            let wait = match &outcome {
                Ok(raw) if raw.status().as_u16() == 429 || (idempotent && raw.status().is_server_error()) => {
                    match retry_after(raw.headers()) {
                        Some(wait) if wait > policy.max_retry_after => None,
                        Some(wait) => Some(wait),
                        None => Some(backoff(policy, attempt)),
                    }
                }
                Err(SendError::Transport(_)) if idempotent => Some(backoff(policy, attempt)),
                _ => None,
            };
            match wait {
                Some(wait) if !last => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }

    async fn send_once(&self, attempt: u32) -> Result<Received, SendError> {
        let mut url = reqwest::Url::parse(&self.url)
            .map_err(|e| SendError::InvalidRequest(format!("invalid URL `{}`: {e}", self.url)))?;
        let mut headers = Vec::new();
        let mut cookies = self.cookies.clone();
        let mut query = self.query.clone();
        let mut bearer = None;
        let mut basic = None;
        let mut credential_header = None;
        if let (Some(secret), Some(name)) = (&self.client.credential, &self.client.credential_header) {
            let mut value = reqwest::header::HeaderValue::from_str(secret.expose())
                .map_err(|_| SendError::InvalidRequest("the credential is not a valid header value".to_string()))?;
            value.set_sensitive(true);
            credential_header = Some((name.clone(), value));
        } else if let (Some(oauth), Some(Auth::Bearer)) = (&self.client.oauth, self.auth.first()) {
            bearer = Some(oauth.token(self.client).await?);
        } else if let (Some(secret), Some(scheme)) = (&self.client.credential, self.auth.first()) {
            let key = secret.expose().to_string();
            match *scheme {
                Auth::Bearer => bearer = Some(key),
                Auth::Basic => basic = Some(key),
                Auth::Header(name) => headers.push((name, key)),
                Auth::Query(name) => query.push((name.to_string(), key)),
                Auth::Cookie(name) => cookies.push((name.to_string(), key)),
            }
        }
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &query {
                pairs.append_pair(k, v);
            }
        }
        let mut req = self.client.http.request(self.method.clone(), url);
        for (name, value) in self.headers.iter().cloned().chain(headers) {
            req = with_header(req, name, value);
        }
        if !cookies.is_empty() {
            let cookie: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = with_header(req, "cookie", cookie.join("; "));
        }
        if let Some(key) = &self.options.idempotency_key {
            req = with_header(req, "Idempotency-Key", key.clone());
        }
        for (name, value) in &self.options.headers {
            req = with_header(req, name, value.clone());
        }
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        if let Some(user_pass) = basic {
            let (user, pass) = user_pass.split_once(':').unwrap_or((&user_pass, ""));
            req = req.basic_auth(user, Some(pass));
        }
        match &self.body {
            Some(Body::Bytes(content_type, bytes)) => {
                req = req.header(reqwest::header::CONTENT_TYPE, *content_type).body(bytes.clone());
            }
            Some(Body::Multipart(form)) => req = req.multipart(form.to_form()?),
            None => {}
        }
        // The whole exchange of an ordinary call is bounded; a stream only by the client's read
        // timeout, between chunks.
        if let (false, Some(timeout)) = (self.streaming, self.options.timeout.or(self.client.timeout)) {
            req = req.timeout(timeout);
        }
        if let Some((name, value)) = credential_header {
            req = req.header(name, value);
        }
        let response = if self.client.hooks.is_empty() {
            req.send().await?
        } else {
            let call = CallInfo { operation: self.operation, method: self.method.clone(), path: self.template, attempt };
            let mut request = req.build()?;
            for hook in &self.client.hooks {
                hook.before_send(&call, &mut request);
            }
            let response = self.client.http.execute(request).await?;
            for hook in &self.client.hooks {
                hook.after_receive(&call, response.status(), response.headers());
            }
            response
        };
        if self.streaming && response.status().is_success() {
            return Ok(Received::Streaming(response));
        }
        read_whole(response).await.map(Received::Complete)
    }
}

/// `future` inside `span` (with the `tracing` feature).
#[cfg(feature = "tracing")]
fn instrument<F: std::future::Future>(future: F, span: tracing::Span) -> tracing::instrument::Instrumented<F> {
    tracing::Instrument::instrument(future, span)
}

/// The span of a call without the `tracing` feature: none.
#[cfg(not(feature = "tracing"))]
struct NoSpan;

/// `future` as it is (without the `tracing` feature).
#[cfg(not(feature = "tracing"))]
fn instrument<F: std::future::Future>(future: F, _span: NoSpan) -> F {
    future
}

/// Reads a whole response.
async fn read_whole(response: reqwest::Response) -> Result<RawResponse, SendError> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok(RawResponse { status, headers, body })
}

/// Adds a header to a request, marked sensitive when it carries a credential
/// ([`is_sensitive_header`]: the security schemes' headers, cookies and the like).
fn with_header(req: reqwest::RequestBuilder, name: &str, value: String) -> reqwest::RequestBuilder {
    match reqwest::header::HeaderValue::from_str(&value) {
        Ok(mut header) => {
            header.set_sensitive(is_sensitive_header(name));
            req.header(name, header)
        }
        // `reqwest` reports the invalid value when the request is sent.
        Err(_) => req.header(name, value),
    }
}

/// The exchange in flight, boxed: the same type for every operation.
type Exchange<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<RawResponse, SendError>> + Send + 'a>>;

/// The future of one call (what `.await` on a request builder, or its `send()`, runs): it
/// resolves to the decoded response or an [`Error`]. Dropping it cancels the call.
///
/// One type for every operation, with no `async` state machine of its own: the request is built
/// when it is created, and the response is decoded by the operation's plain decoding function.
#[must_use = "a call does nothing until it is awaited"]
pub struct ResponseFuture<'a, T, E> {
    state: CallState<'a, T, E>,
}

enum CallState<'a, T, E> {
    /// Built, not sent yet: the per-call options can still change it.
    Ready(Box<Request<'a>>, Decode<T, E>),
    Sending(Exchange<'a>, Decode<T, E>),
    /// The request could not be built; the error is returned on the first poll.
    Invalid(Box<Error<E>>),
    Done,
}

impl<'a, T, E> ResponseFuture<'a, T, E> {
    /// The call of `request`, whose response `decode` reads: a plain function, a `match` on the
    /// status whose arms are the calls below ([`ok_json`] and the others), shared by the
    /// operations that handle their statuses alike.
    pub(crate) fn new(mut request: Request<'a>, decode: fn(RawResponse) -> Result<T, Error<E>>) -> Self {
        let state = match request.take_invalid() {
            None => CallState::Ready(Box::new(request), decode),
            Some(why) => CallState::Invalid(Box::new(Error::InvalidRequest(why))),
        };
        ResponseFuture { state }
    }

    /// The request and decoder of a call not sent yet, or why it cannot be sent (for a streaming
    /// call made from the same request, see `StreamFuture`).
    pub(crate) fn into_request(self) -> Result<(Request<'a>, Decode<T, E>), Error<E>> {
        match self.state {
            CallState::Ready(request, decode) => Ok((*request, decode)),
            CallState::Invalid(e) => Err(*e),
            // Only `poll` moves the state on, and it takes the future by `Pin<&mut>`.
            CallState::Sending(..) | CallState::Done => {
                Err(Error::InvalidRequest("the call was already sent".to_string()))
            }
        }
    }

    /// Changes the request before it is sent (a call that could not be built stays as it is).
    fn configure(mut self, change: impl FnOnce(&mut CallOptions)) -> Self {
        if let CallState::Ready(request, _) = &mut self.state {
            change(&mut request.options);
        }
        self
    }

    /// Sends an extra header with this call (after the operation's own headers): for example
    /// Stripe's `Stripe-Account`. A header that carries credentials is marked sensitive.
    pub fn header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let header = (name.into(), value.into());
        self.configure(|o| o.headers.push(header))
    }

    /// A total timeout for this call's every attempt, instead of the client's.
    pub fn timeout(self, timeout: std::time::Duration) -> Self {
        self.configure(|o| o.timeout = Some(timeout))
    }

    /// Sends `key` as `Idempotency-Key` on every attempt of this call, and retries it like an
    /// idempotent one (on `5xx` and connection failures too, per the client's
    /// [`RetryPolicy`](crate::RetryPolicy)): the server applies a key once.
    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
        let key = key.into();
        self.configure(|o| o.idempotency_key = Some(key))
    }

    /// [`idempotency_key`](Self::idempotency_key) with a new random key, made now and reused by
    /// every retry of this call.
    pub fn idempotent(self) -> Self {
        self.idempotency_key(random_key())
    }
}

/// A random key in the UUID v4 layout, for idempotency keys: 122 random bits from the
/// process's randomly seeded hashers (enough to never repeat, no extra crate).
fn random_key() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bits = [0u64; 2];
    for (i, word) in bits.iter_mut().enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_usize(i);
        if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            hasher.write_u128(now.as_nanos());
        }
        *word = hasher.finish();
    }
    let (hi, lo) = ((bits[0] & !0xf000) | 0x4000, (bits[1] & !(0b11 << 62)) | (0b10 << 62));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

impl<T, E> std::fmt::Debug for ResponseFuture<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            CallState::Ready(..) => "ready",
            CallState::Sending(..) => "sending",
            CallState::Invalid(_) => "invalid request",
            CallState::Done => "done",
        };
        f.debug_struct("ResponseFuture").field("state", &state).finish()
    }
}

/// How an operation decodes its response.
type Decode<T, E> = fn(RawResponse) -> Result<T, Error<E>>;

/// A finished exchange: the response and the operation's decoder, or why there is no response.
type Exchanged<T, E> = Result<(RawResponse, Decode<T, E>), Error<E>>;

impl<'a, T, E> ResponseFuture<'a, T, E> {
    /// The call, resolving to the decoded body together with the response's status and
    /// headers (rate limits, `Location`, the request id): `builder.send().with_response().await`.
    pub fn with_response(self) -> WithResponse<'a, T, E> {
        WithResponse { call: self }
    }

    /// The response and the operation's decoder, once the exchange is over.
    fn poll_exchange(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Exchanged<T, E>> {
        if matches!(self.state, CallState::Ready(..)) {
            if let CallState::Ready(request, decode) = std::mem::replace(&mut self.state, CallState::Done) {
                self.state = CallState::Sending(request.send(), decode);
            }
        }
        let sent = match &mut self.state {
            CallState::Sending(exchange, _) => match exchange.as_mut().poll(cx) {
                std::task::Poll::Pending => return std::task::Poll::Pending,
                std::task::Poll::Ready(sent) => Some(sent),
            },
            _ => None,
        };
        std::task::Poll::Ready(match (std::mem::replace(&mut self.state, CallState::Done), sent) {
            (CallState::Sending(_, decode), Some(Ok(raw))) => Ok((raw, decode)),
            (_, Some(Err(e))) => Err(e.into()),
            (CallState::Invalid(e), _) => Err(*e),
            _ => panic!("a ResponseFuture was polled after it completed"),
        })
    }
}

impl<T, E> std::future::Future for ResponseFuture<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        self.get_mut().poll_exchange(cx).map(|done| done.and_then(|(raw, decode)| decode(raw)))
    }
}

/// A call that resolves to a [`Response`]: see [`ResponseFuture::with_response`].
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct WithResponse<'a, T, E> {
    call: ResponseFuture<'a, T, E>,
}

impl<T, E> std::future::Future for WithResponse<'_, T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        self.get_mut().call.poll_exchange(cx).map(|done| {
            let (raw, decode) = done?;
            let (status, headers) = (raw.status, raw.headers.clone());
            decode(raw).map(|body| Response { status, headers, body })
        })
    }
}

/// A successful response: its decoded body, status and headers.
#[derive(Clone)]
pub struct Response<T> {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The request id the server assigned, from the common request-id headers.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }

    /// A header's value, when it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The decoded body.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Headers are shown by name only: a proxy may echo credentials back in them.
        let names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Response").field("status", &self.status).field("headers", &names).field("body", &self.body).finish()
    }
}

/// The pages of a list operation, as a stream: each page is requested when the stream reaches
/// it (see the operation's `pages()`). The stream ends after the last page, or after an error.
///
/// Read it with [`Pages::next`], or as a [`futures_core::Stream`] (`futures::StreamExt` and
/// `TryStreamExt` then add `try_collect`, `take`, ...).
#[must_use = "a stream does nothing until it is read"]
pub struct Pages<'a, B, T, E> {
    /// The next request, when no page is in flight.
    next: Option<B>,
    /// The request whose page is in flight (kept to build the one after it).
    current: Option<(B, ResponseFuture<'a, T, E>)>,
    follow: fn(&B, &T) -> Option<B>,
}

impl<'a, B, T, E> Pages<'a, B, T, E>
where
    B: Clone + std::future::IntoFuture<IntoFuture = ResponseFuture<'a, T, E>>,
{
    pub(crate) fn new(first: B, follow: fn(&B, &T) -> Option<B>) -> Self {
        Pages { next: Some(first), current: None, follow }
    }

    /// The next page: `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<T, Error<E>>>> {
        use std::future::Future;
        if self.current.is_none() {
            let Some(request) = self.next.take() else {
                return std::task::Poll::Ready(None);
            };
            let call = request.clone().into_future();
            self.current = Some((request, call));
        }
        let Some((request, call)) = &mut self.current else {
            return std::task::Poll::Ready(None);
        };
        let page = match std::pin::Pin::new(call).poll(cx) {
            std::task::Poll::Pending => return std::task::Poll::Pending,
            std::task::Poll::Ready(page) => page,
        };
        if let Ok(page) = &page {
            self.next = (self.follow)(request, page);
        }
        self.current = None;
        std::task::Poll::Ready(Some(page))
    }
}

impl<'a, B, T, E> futures_core::Stream for Pages<'a, B, T, E>
where
    B: Clone + Unpin + std::future::IntoFuture<IntoFuture = ResponseFuture<'a, T, E>>,
{
    type Item = Result<T, Error<E>>;

    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

impl<B, T, E> std::fmt::Debug for Pages<'_, B, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("in_flight", &self.current.is_some()).field("done", &self.is_done()).finish()
    }
}

impl<B, T, E> Pages<'_, B, T, E> {
    fn is_done(&self) -> bool {
        self.next.is_none() && self.current.is_none()
    }
}

/// The items of every page of a list operation, as a stream (see the operation's `items()`).
#[must_use = "a stream does nothing until it is read"]
pub struct Items<'a, B, T, I, E> {
    pages: Pages<'a, B, T, E>,
    buffered: std::collections::VecDeque<I>,
    items: fn(T) -> Vec<I>,
}

impl<'a, B, T, I, E> Items<'a, B, T, I, E>
where
    B: Clone + std::future::IntoFuture<IntoFuture = ResponseFuture<'a, T, E>>,
{
    pub(crate) fn new(pages: Pages<'a, B, T, E>, items: fn(T) -> Vec<I>) -> Self {
        Items { pages, buffered: Default::default(), items }
    }

    /// The next item: `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<I, Error<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<I, Error<E>>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return std::task::Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                std::task::Poll::Pending => return std::task::Poll::Pending,
                std::task::Poll::Ready(None) => return std::task::Poll::Ready(None),
                std::task::Poll::Ready(Some(Err(e))) => return std::task::Poll::Ready(Some(Err(e))),
                std::task::Poll::Ready(Some(Ok(page))) => self.buffered.extend((self.items)(page)),
            }
        }
    }
}

impl<'a, B, T, I, E> futures_core::Stream for Items<'a, B, T, I, E>
where
    B: Clone + Unpin + std::future::IntoFuture<IntoFuture = ResponseFuture<'a, T, E>>,
    I: Unpin,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<B, T, I, E> std::fmt::Debug for Items<'_, B, T, I, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").field("buffered", &self.buffered.len()).field("pages", &self.pages).finish()
    }
}

/// Whether a page's cursor for the next page means there is none: empty (Kubernetes' `continue`
/// at the end), or the cursor of the page just read (a server that would loop forever).
pub(crate) fn is_last_cursor<T: ParamText + PartialEq>(cursor: &T, current: Option<&T>) -> bool {
    cursor.param_text().is_empty() || current == Some(cursor)
}

/// Why a request got no response: the part of [`Error`] that does not depend on the operation.
pub(crate) enum SendError {
    Transport(reqwest::Error),
    InvalidRequest(String),
}

impl From<reqwest::Error> for SendError {
    fn from(e: reqwest::Error) -> Self {
        // The URL can carry an API key in its query string: never keep it in an error.
        SendError::Transport(e.without_url())
    }
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::InvalidRequest(msg) => Error::InvalidRequest(msg),
        }
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<std::time::Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    let at = u64::try_from(date.timestamp()).ok()?;
    // A date in the past means "now"; the date has whole seconds, so round up by one to never
    // retry early.
    Some(std::time::Duration::from_secs(at.saturating_sub(now) + u64::from(at > now)))
}

/// Exponential backoff with full jitter: a random wait in `[0, min(max, initial * 2^(n-1))]`.
fn backoff(policy: &crate::RetryPolicy, attempt: u32) -> std::time::Duration {
    use std::hash::{BuildHasher, Hasher};
    let ceiling = policy
        .initial_backoff
        .saturating_mul(1u32 << (attempt - 1).min(16))
        .min(policy.max_backoff);
    // RandomState is seeded randomly per process and instance: enough for jitter, no extra crate.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(attempt);
    let fraction = (hasher.finish() % 1_000_001) as f64 / 1_000_000.0;
    ceiling.mul_f64(fraction)
}

/// Decodes a JSON body into `T`: generic over the body's type only, so one copy serves every
/// operation and status that returns `T`.
///
/// The body is read into a `serde_json::Value` first and the type is decoded from that, so each
/// generated type's decoder is compiled for that one input type only.
pub(crate) fn json<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, serde_json::Error> {
    serde_json::from_slice::<serde_json::Value>(&raw.body).and_then(T::deserialize)
}

/// A text body.
pub(crate) fn text(raw: &RawResponse) -> String {
    String::from_utf8_lossy(&raw.body).into_owned()
}

/// A body that does not match its documented type: the error keeps the whole response.
pub(crate) fn decode_error<E>(raw: RawResponse, source: serde_json::Error) -> Error<E> {
    Error::Decode { response: Box::new(raw), source }
}

/// A documented error response: its decoded body, and the response.
pub(crate) fn api_error<E>(raw: RawResponse, body: E) -> Error<E> {
    Error::Api(Box::new(ApiError { body, response: raw }))
}

/// A status the API description does not document.
pub(crate) fn unexpected<E>(raw: RawResponse) -> Error<E> {
    Error::UnexpectedStatus(Box::new(raw))
}

// One status arm of an operation's `decode`, each a single call: the arms of every operation are
// these few functions (generic over the body's and the error's types only), so the generated
// code spells each arm once, as `200 => runtime::ok_json(raw)`.

/// A success whose body is the JSON of `T`.
#[inline]
pub(crate) fn ok_json<T: DeserializeOwned, E>(raw: RawResponse) -> Result<T, Error<E>> {
    ok_json_as(raw, |v: T| v)
}

/// A success whose body is the JSON of `B`, made the result by `into` (an outcome's variant).
#[inline]
pub(crate) fn ok_json_as<B: DeserializeOwned, T, E>(raw: RawResponse, into: impl FnOnce(B) -> T) -> Result<T, Error<E>> {
    match json(&raw) {
        Ok(v) => Ok(into(v)),
        Err(e) => Err(decode_error(raw, e)),
    }
}

/// A documented error whose body is the JSON of `E`.
#[inline]
pub(crate) fn err_json<T, E: DeserializeOwned>(raw: RawResponse) -> Result<T, Error<E>> {
    err_json_as(raw, |v: E| v)
}

/// A documented error whose body is the JSON of `B`, made the error's body by `into`.
#[inline]
pub(crate) fn err_json_as<B: DeserializeOwned, T, E>(raw: RawResponse, into: impl FnOnce(B) -> E) -> Result<T, Error<E>> {
    match json(&raw) {
        Ok(v) => Err(api_error(raw, into(v))),
        Err(e) => Err(decode_error(raw, e)),
    }
}

/// An error whose body the spec does not document, read as the JSON of `E` when it is one (see
/// [`assumed_error_as`]).
#[inline]
pub(crate) fn assumed_error<T, E: DeserializeOwned>(raw: RawResponse) -> Result<T, Error<E>> {
    assumed_error_as(raw, |v: E| v)
}

/// An error whose body the spec does not document, read as the JSON of `B` when it is one (the
/// `[client] default-error-schema`); any other body leaves the status unexpected (an HTML page
/// from a proxy is no decode error).
#[inline]
pub(crate) fn assumed_error_as<B: DeserializeOwned, T, E>(raw: RawResponse, into: impl FnOnce(B) -> E) -> Result<T, Error<E>> {
    match json(&raw) {
        Ok(v) => Err(api_error(raw, into(v))),
        Err(_) => Err(unexpected(raw)),
    }
}

/// The traits of a request builder (`builder!(Name, Success, Failure)`): `Debug`, which shows
/// the operation only, because parameter values can be credentials, and `IntoFuture`, so that
/// awaiting the builder is `send()`.
#[allow(unused_macros)]
macro_rules! builder {
    ($name:ident, $ok:ty, $err:ty $(,)?) => {
        impl ::std::fmt::Debug for $name<'_> {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
        impl<'a> ::std::future::IntoFuture for $name<'a> {
            type Output = ::std::result::Result<$ok, $crate::error::Error<$err>>;
            type IntoFuture = $crate::runtime::ResponseFuture<'a, $ok, $err>;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use builder;

// The serde support of the generated types, to the end of the module: all that a crate of the
// types alone (`types-only`) keeps of it (see `emit::TYPES_RUNTIME`).

/// Decodes a string enum through its `From<&str>` (unknown values are kept, never an error).
pub(crate) fn deserialize_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    Ok(T::from(&value))
}

/// What a string enum has from its `as_str` and `From<&str>` (`string_enum!(Name)`): `FromStr`
/// (which never fails: an unknown value is kept), `Display`, `Serialize` and `Deserialize`;
/// with `param_text`, how the client writes it as a parameter.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident $(, $param_text:ident)?) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_enum(deserializer)
            }
        }
        $($crate::runtime::string_enum!(@$param_text $name);)?
    };
    (@param_text $name:ident) => {
        impl $crate::runtime::ParamText for $name {
            fn param_text(&self) -> ::std::string::String {
                self.as_str().to_string()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// Reads a discriminated object: its tag (when it is a string) and the whole object.
pub(crate) fn split_tag<'de, D>(deserializer: D, property: &str) -> Result<(Option<String>, serde_json::Value), D::Error>
where
    D: Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let tag = value.get(property).and_then(serde_json::Value::as_str).map(str::to_string);
    Ok((tag, value))
}

/// Writes a variant of a discriminated union whose type does not declare the discriminator
/// property, with its tag added (see `serialize_tagged!`).
pub(crate) fn serialize_with_tag<T, S>(value: &T, serializer: S, property: &str, tag: &str) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: serde::Serializer,
{
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(object) = &mut json {
        object.entry(property).or_insert_with(|| serde_json::Value::String(tag.to_string()));
    }
    json.serialize(serializer)
}

/// Decodes the variant a discriminator selected.
pub(crate) fn decode_variant<T, E>(value: serde_json::Value) -> Result<T, E>
where
    T: DeserializeOwned,
    E: serde::de::Error,
{
    serde_json::from_value(value).map_err(E::custom)
}

/// For optional, nullable fields of request types: absent -> `None`, `null` -> `Some(None)`.
pub(crate) fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// For required, nullable fields: `null` -> `None`, and a missing field stays an error
/// (serde would otherwise read a missing `Option` field as `None`).
pub(crate) fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

// ---------------------------------------------------------------------------------------------
// Serde impls for generated types.
//
// Struct and union types implement `Serialize`/`Deserialize` through the macros below rather than
// `#[derive]`, which dominates the build time and memory of large APIs. A struct's decoder is one
// non-generic function per type: the object is read into a `serde_json::Value` first, then every
// field is taken out of it by a call that never returns early (the first problem is recorded), and
// one match builds the struct. That keeps the code per field to a call and a pattern, with no
// drop ladder and no generic visitor compiled per input format.

/// The members of one JSON object being read into a struct, and the first problem found.
pub(crate) struct Object {
    members: serde_json::Map<String, serde_json::Value>,
    problem: Option<String>,
}

/// Why an object could not be read as a struct: the first problem, with the path to it.
pub(crate) struct ObjectError(String);

impl Object {
    /// Reads an object through `fields`, the struct's own (non-generic) decoder.
    pub(crate) fn deserialize<'de, D, T>(
        deserializer: D,
        name: &'static str,
        fields: fn(&mut Object) -> Result<T, ObjectError>,
    ) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
    {
        let value = serde_json::Value::deserialize(deserializer)?;
        match value {
            serde_json::Value::Object(members) => {
                fields(&mut Object { members, problem: None }).map_err(|e| serde::de::Error::custom(e.0))
            }
            other => Err(serde::de::Error::custom(format_args!(
                "invalid type: {}, expected an object ({name})",
                unexpected_value(&other)
            ))),
        }
    }

    /// The problem that made a field unreadable.
    pub(crate) fn error(&mut self) -> ObjectError {
        ObjectError(self.problem.take().unwrap_or_else(|| "unreadable object".to_string()))
    }

    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// `None` when the key is absent; `Some(None)` when its value does not read as `T` (the
    /// problem is recorded, prefixed with the key).
    fn take<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<Option<T>> {
        let value = self.members.remove(key)?;
        match T::deserialize(value) {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                self.fail(format!("in `{key}`: {e}"));
                Some(None)
            }
        }
    }
}

/// How serde names a JSON value in an "invalid type" message.
fn unexpected_value(value: &serde_json::Value) -> serde::de::Unexpected<'_> {
    use serde::de::Unexpected;
    match value {
        serde_json::Value::Null => Unexpected::Other("null"),
        serde_json::Value::Bool(b) => Unexpected::Bool(*b),
        serde_json::Value::Number(_) => Unexpected::Other("number"),
        serde_json::Value::String(s) => Unexpected::Str(s),
        serde_json::Value::Array(_) => Unexpected::Seq,
        serde_json::Value::Object(_) => Unexpected::Map,
    }
}

/// A required field (nullable or not): a missing field is an error, the value is always written.
pub(crate) struct Required;

impl Required {
    /// `None` (with the problem recorded) when the field is missing or unreadable.
    pub(crate) fn read<T: DeserializeOwned>(object: &mut Object, key: &'static str) -> Option<T> {
        object.take(key).unwrap_or_else(|| {
            object.fail(format!("missing field `{key}`"));
            None
        })
    }
    pub(crate) fn write<M: serde::ser::SerializeStruct, T: Serialize>(object: &mut ObjectWriter<M>, key: &'static str, value: &T) {
        object.field(key, value);
    }
}

/// An optional field (`Option<T>`): absent and `null` read as `None`, `None` is not written.
pub(crate) struct Optional;

impl Optional {
    /// `Some(None)` when absent or `null`; `None` (with the problem recorded) when unreadable.
    pub(crate) fn read<T: DeserializeOwned>(object: &mut Object, key: &'static str) -> Option<Option<T>> {
        object.take::<Option<T>>(key).unwrap_or(Some(None))
    }
    pub(crate) fn write<M: serde::ser::SerializeStruct, T: Serialize>(
        object: &mut ObjectWriter<M>,
        key: &'static str,
        value: &Option<T>,
    ) {
        match value {
            Some(_) => object.field(key, value),
            None => object.skip(key),
        }
    }
}

/// An optional, nullable field of a request type (`Option<Option<T>>`): absent is `None`,
/// `null` is `Some(None)`, and the two are written back the same way.
pub(crate) struct OptionalNullable;

impl OptionalNullable {
    /// `Some(None)` when absent, `Some(Some(None))` for `null`; `None` when unreadable.
    pub(crate) fn read<T: DeserializeOwned>(object: &mut Object, key: &'static str) -> Option<Option<Option<T>>> {
        match object.take::<Option<T>>(key) {
            None => Some(None),
            Some(read) => read.map(Some),
        }
    }
    pub(crate) fn write<M: serde::ser::SerializeStruct, T: Serialize>(
        object: &mut ObjectWriter<M>,
        key: &'static str,
        value: &Option<T>,
    ) {
        Optional::write(object, key, value);
    }
}

/// A struct being written, and the first error: fields are written by calls that never return
/// early (no `?` per field), and [`ObjectWriter::end`] reports the error.
pub(crate) struct ObjectWriter<M: serde::ser::SerializeStruct> {
    object: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeStruct> ObjectWriter<M> {
    pub(crate) fn new(object: M) -> Self {
        ObjectWriter { object, error: None }
    }
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.object.serialize_field(key, value) {
                self.error = Some(e);
            }
        }
    }
    fn skip(&mut self, key: &'static str) {
        if self.error.is_none() {
            if let Err(e) = self.object.skip_field(key) {
                self.error = Some(e);
            }
        }
    }
    pub(crate) fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.object.end(),
        }
    }
}

/// Reads a value as one variant of an untagged union (the caller tries them in order).
pub(crate) fn variant<T: DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    T::deserialize(value.clone()).ok()
}

/// The properties a struct declares, by wire name (implemented by `serde_struct!`): an untagged
/// union prefers the variant that declares every property of the value.
pub(crate) trait WireKeys {
    const KEYS: &'static [&'static str];
}

/// Whether `value` may be a variant whose properties in `fixed` are constants: each is absent,
/// `null` or that string.
pub(crate) fn admits(value: &serde_json::Value, fixed: &[(&str, &str)]) -> bool {
    fixed.iter().all(|(key, constant)| match value.get(key) {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::String(s)) => s == constant,
        Some(_) => false,
    })
}

/// How many properties of `value` (an object) the variant's struct does not declare (`keys`:
/// its [`WireKeys`], none for a variant that keeps every property): data that reading the
/// value as that variant would drop.
pub(crate) fn undeclared(value: &serde_json::Value, keys: &[&[&str]]) -> usize {
    match (value.as_object(), keys) {
        (Some(members), [keys]) => members.keys().filter(|k| !keys.contains(&k.as_str())).count(),
        _ => 0,
    }
}

/// The variants of an untagged union that read one value: the first that keeps every property
/// of the value wins as soon as it is found, else the one that drops the fewest.
pub(crate) struct Candidates<T> {
    best: Option<(T, usize)>,
}

impl<T> Candidates<T> {
    pub(crate) fn new() -> Self {
        Candidates { best: None }
    }
    /// Records a variant that read the value and left `dropped` properties undeclared; `true`
    /// when it drops nothing (the search can stop).
    pub(crate) fn offer(&mut self, variant: T, dropped: usize) -> bool {
        if self.best.as_ref().is_none_or(|(_, least)| dropped < *least) {
            self.best = Some((variant, dropped));
        }
        dropped == 0
    }
    pub(crate) fn take(self) -> Option<T> {
        self.best.map(|(v, _)| v)
    }
}

/// Reads an untagged union: `variants` returns the variant that reads the value.
pub(crate) fn untagged<'de, D, T>(
    deserializer: D,
    name: &'static str,
    variants: fn(&serde_json::Value) -> Option<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    variants(&value).ok_or_else(|| {
        serde::de::Error::custom(format_args!("data did not match any variant of untagged enum {name}"))
    })
}

/// `Serialize` and `Deserialize` for a struct read from and written as one JSON object:
/// `field: "wire name" Kind` per field, where `Kind` is [`Required`], [`Optional`] or
/// [`OptionalNullable`]. Unknown keys are skipped; of a repeated key, the last value counts (as in
/// `serde_json::Value`). `received Name { .. }` (a type that is only received) implements
/// `Serialize` only with the `full-serde` feature.
#[allow(unused_macros)]
macro_rules! serde_struct {
    (received $name:ident $fields:tt) => {
        $crate::runtime::serde_struct!(@impls [#[cfg(feature = "full-serde")]] $name $fields);
    };
    ($name:ident $fields:tt) => {
        $crate::runtime::serde_struct!(@impls [] $name $fields);
    };
    (@impls [$($serialize_cfg:tt)*] $name:ident { $($field:ident : $key:literal $kind:ident),* $(,)? }) => {
        $($serialize_cfg)*
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                #[allow(unused_mut)]
                let mut object = $crate::runtime::ObjectWriter::new(::serde::Serializer::serialize_struct(
                    serializer,
                    ::std::stringify!($name),
                    <[&str]>::len(&[$($key),*]),
                )?);
                $( $crate::runtime::$kind::write(&mut object, $key, &self.$field); )*
                object.end()
            }
        }

        #[allow(deprecated)]
        impl $crate::runtime::WireKeys for $name {
            const KEYS: &'static [&'static str] = &[$($key),*];
        }

        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                #[allow(deprecated, unreachable_patterns)]
                #[inline]
                fn fields(object: &mut $crate::runtime::Object) -> ::std::result::Result<$name, $crate::runtime::ObjectError> {
                    match ( $( $crate::runtime::$kind::read(object, $key), )* ) {
                        ( $( ::std::option::Option::Some($field), )* ) => ::std::result::Result::Ok($name { $( $field ),* }),
                        _ => ::std::result::Result::Err(object.error()),
                    }
                }
                $crate::runtime::Object::deserialize(deserializer, ::std::stringify!($name), fields)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use serde_struct;

/// `Serialize` for an enum whose variants each wrap one value, written as that value. Rows may
/// carry what `serde_untagged!` reads (ignored here).
#[allow(unused_macros)]
macro_rules! serialize_untagged {
    ($name:ident { $( $variant:ident $( ($keys:ty) )? $( $key:literal = $constant:literal )* ),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    $( Self::$variant(value) => ::serde::Serialize::serialize(value, serializer), )*
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use serialize_untagged;

/// `Serialize` for a discriminated union, one row per variant: each variant is written as its
/// value, and a row `Variant "property" = "tag"` (a variant whose type does not declare the
/// discriminator property) adds the tag to the object when it is not there.
#[allow(unused_macros)]
macro_rules! serialize_tagged {
    ($name:ident { $( $variant:ident $( $key:literal = $tag:literal )? ),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    $( Self::$variant(value) => $crate::runtime::serialize_tagged!(@variant serializer value $( $key = $tag )?), )*
                }
            }
        }
    };
    (@variant $serializer:ident $value:ident) => {
        ::serde::Serialize::serialize($value, $serializer)
    };
    (@variant $serializer:ident $value:ident $key:literal = $tag:literal) => {
        $crate::runtime::serialize_with_tag($value, $serializer, $key, $tag)
    };
}
#[allow(unused_imports)]
pub(crate) use serialize_tagged;

/// Reads `value`, whose discriminator more than one variant of a tagged union claims, with
/// rows as in `serde_untagged!` (`Variant(Struct) "property" = "constant"`): of the variants
/// whose constants admit it and that read it, in declaration order, the first that declares
/// every property of the value wins, else the one that leaves the fewest undeclared. When none
/// reads it, the first variant's error is returned, or with `else Unknown`, the value as sent
/// in that variant (the rows are then the variants that may leave the discriminator out).
#[allow(unused_macros)]
macro_rules! decode_shared_tag {
    ($value:ident, $name:ident { $( $variant:ident $( ($keys:ty) )? $( $key:literal = $constant:literal )* ),* $(,)? } else $unknown:ident) => {{
        let mut found = $crate::runtime::Candidates::new();
        'search: {
            $( $crate::runtime::decode_shared_tag!(@offer found 'search $value $name $variant [$( $keys )?] $( $key = $constant )*); )*
        }
        ::std::result::Result::Ok(found.take().unwrap_or($name::$unknown($value)))
    }};
    ($value:ident, $name:ident { $first:ident $( ($first_keys:ty) )? $( $first_key:literal = $first_constant:literal )* $(, $variant:ident $( ($keys:ty) )? $( $key:literal = $constant:literal )* )* $(,)? }) => {{
        let mut found = $crate::runtime::Candidates::new();
        'search: {
            $crate::runtime::decode_shared_tag!(@offer found 'search $value $name $first [$( $first_keys )?] $( $first_key = $first_constant )*);
            $( $crate::runtime::decode_shared_tag!(@offer found 'search $value $name $variant [$( $keys )?] $( $key = $constant )*); )*
        }
        match found.take() {
            ::std::option::Option::Some(variant) => ::std::result::Result::Ok(variant),
            ::std::option::Option::None => $crate::runtime::decode_variant($value).map($name::$first),
        }
    }};
    (@offer $found:ident $label:lifetime $value:ident $name:ident $variant:ident [$( $keys:ty )?] $( $key:literal = $constant:literal )*) => {
        if $crate::runtime::admits(&$value, &[$( ($key, $constant) ),*]) {
            if let ::std::option::Option::Some(v) = $crate::runtime::variant(&$value) {
                let dropped = $crate::runtime::undeclared(&$value, &[$( <$keys as $crate::runtime::WireKeys>::KEYS )?]);
                if $found.offer($name::$variant(v), dropped) {
                    break $label;
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use decode_shared_tag;

/// `Serialize` and `Deserialize` for an untagged union, one row per variant:
/// `Variant(Struct) "property" = "constant"`. A variant is tried only when each of its constant
/// properties is absent, `null` or that constant; of the variants that read the value, in
/// declaration order, the first that declares every property of the value wins (a variant
/// without `(Struct)` declares everything), else the one that leaves the fewest undeclared.
/// `received Name { .. }`: `Serialize` only with `full-serde`.
#[allow(unused_macros)]
macro_rules! serde_untagged {
    (received $name:ident $variants:tt) => {
        #[cfg(feature = "full-serde")]
        $crate::runtime::serialize_untagged!($name $variants);
        $crate::runtime::serde_untagged!(@deserialize $name $variants);
    };
    ($name:ident $variants:tt) => {
        $crate::runtime::serialize_untagged!($name $variants);
        $crate::runtime::serde_untagged!(@deserialize $name $variants);
    };
    (@deserialize $name:ident { $( $variant:ident $( ($keys:ty) )? $( $key:literal = $constant:literal )* ),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                #[inline]
                fn variants(value: &::serde_json::Value) -> ::std::option::Option<$name> {
                    let mut found = $crate::runtime::Candidates::new();
                    $(
                        if $crate::runtime::admits(value, &[$( ($key, $constant) ),*]) {
                            if let ::std::option::Option::Some(v) = $crate::runtime::variant(value) {
                                let dropped = $crate::runtime::undeclared(value, &[$( <$keys as $crate::runtime::WireKeys>::KEYS )?]);
                                if found.offer($name::$variant(v), dropped) {
                                    return found.take();
                                }
                            }
                        }
                    )*
                    found.take()
                }
                $crate::runtime::untagged(deserializer, ::std::stringify!($name), variants)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use serde_untagged;
