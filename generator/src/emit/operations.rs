//! `src/operations.rs` (one `Client` method per operation) and `src/builder.rs` (one request
//! builder per operation). Both are emitted in pieces of consecutive operations, so that large
//! APIs are emitted and formatted on several threads: `operations.rs` as one `impl Client` block
//! per piece, `builder.rs` as top-level items.
//!
//! Every per-operation function is `#[inline]`: the crate itself then compiles none of them, and
//! a program compiles only the operations it calls (in its own crate, where it calls them).
//!
//! Required parameters are method arguments; optional ones are builder setters, so adding an
//! optional parameter to the spec never breaks callers. A builder is sent with `.send().await`
//! or simply `.await` (it implements `IntoFuture`).

use super::docs::{code_span, paragraphs};
use super::syntax::{self, Arg, Attr, Expr, FnItem, Impl, ImplItem, Item, Pat, Stmt, Struct, Ty};
use super::{StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The names in scope in both files: builders share `builder.rs` with the std names, so a
/// builder called `String` shadows it (and `operations.rs` spells it the same way).
fn std_names(api: &Api) -> StdNames {
    StdNames::new(api.operations.iter().map(|op| op.type_name.as_str()))
}

/// The header of `src/operations.rs`: module docs and imports.
pub(crate) fn client_methods_header(api: &Api) -> TokenStream {
    let imports = std_names(api).imports();
    quote! {
        //! The API's operations: `Client` methods. Each returns the operation's request
        //! builder (see [`builder`](crate::builder)).

        use crate::client::Client;
        #[allow(unused_imports)]
        use crate::builder;
        #[allow(unused_imports)]
        use crate::types;
        #imports
    }
}

/// A piece of `src/operations.rs`: the `impl Client` block of the operations in `range`.
pub(crate) fn client_methods(api: &Api, range: std::ops::Range<usize>) -> Result<String, String> {
    let names = std_names(api);
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: false };
    let methods = api.operations[range].iter().map(|op| ImplItem::Fn(method(op, cx))).collect();
    items_text(&[Item::Impl(Impl { attrs: Vec::new(), lifetimes: Vec::new(), trait_: None, self_ty: Ty::path("Client"), items: methods })])
}

/// The header of `src/builder.rs`: module docs and imports.
pub(crate) fn builders_header(api: &Api) -> TokenStream {
    let imports = std_names(api).imports();
    quote! {
        //! Request builders, one per operation. Set optional parameters, then `.await` (or
        //! `.send().await`) to perform the call.

        #[allow(unused_imports)]
        use crate::runtime::{self, Auth, ParamText, Request, ResponseFuture};
        #[allow(unused_imports)]
        use crate::client::Client;
        #[allow(unused_imports)]
        use crate::error::{Error, RawResponse};
        #[allow(unused_imports)]
        use crate::types;
        #imports
    }
}

/// A piece of `src/builder.rs`: the builders of the operations in `range`.
pub(crate) fn builders(api: &Api, range: std::ops::Range<usize>) -> Result<String, String> {
    let names = std_names(api);
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: false };
    let items: Vec<Item> = api.operations[range].iter().flat_map(|op| builder(api, op, cx)).collect();
    items_text(&items)
}

/// Items laid out as their final text, or (when the text writers are off, to compare the two)
/// formatted from their tokens.
fn items_text(items: &[Item]) -> Result<String, String> {
    if super::text_enabled() {
        return Ok(Item::layout_all(items));
    }
    let mut source = String::new();
    for item in items {
        item.source(&mut source);
        source.push('\n');
    }
    let tokens = source.parse().map_err(|e| format!("the syntax tree wrote invalid Rust: {e}"))?;
    crate::format::format_rust_chunked(tokens, crate::format::CHUNK_ITEMS)
}

/// A string literal's text, as `proc_macro2` writes it (printable ASCII other than `"` and `\`
/// is written as it is; anything else goes through `proc_macro2` for its escapes).
fn lit(s: &str) -> String {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\') {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        out
    } else {
        Literal::string(s).to_string()
    }
}

/// `#[cfg(feature = "..")]` of an operation's code, as an attribute line (none when the crate
/// has a single feature).
fn op_cfg(op: &Operation) -> Vec<Attr> {
    if op.feature.is_empty() {
        Vec::new()
    } else {
        vec![Attr::Line(format!("#[cfg(feature = {})]", lit(&op.feature)))]
    }
}

/// `#[doc]` lines for a block of markdown, as [`doc_attrs`](super::docs::doc_attrs) writes them.
fn docs(text: &str) -> Vec<Attr> {
    super::docs::sanitize(text)
        .lines()
        .map(|l| Attr::Doc(if l.is_empty() { String::new() } else { format!(" {l}") }))
        .collect()
}

fn line(text: &str) -> Attr {
    Attr::Line(text.to_string())
}

/// A type reference as a syntax-tree type (what [`ty`](super::ty) writes as tokens).
fn syn_ty(t: &TypeRef, cx: TyCtx<'_>) -> Ty {
    let n = |short: &str| cx.names.name(short);
    match t {
        TypeRef::Named(id, args) => {
            let name = &cx.store.get(*id).rust_name;
            let path = if cx.qualify { format!("types::{name}") } else { name.clone() };
            Ty::generic(path, args.iter().map(|a| syn_ty(a, cx)).collect())
        }
        TypeRef::Param(i) => Ty::path(cx.generics.get(*i).map(|g| g.rust_name.as_str()).unwrap_or("T")),
        TypeRef::Bool => Ty::path("bool"),
        TypeRef::I8 => Ty::path("i8"),
        TypeRef::I16 => Ty::path("i16"),
        TypeRef::I32 => Ty::path("i32"),
        TypeRef::I64 => Ty::path("i64"),
        TypeRef::U8 => Ty::path("u8"),
        TypeRef::U16 => Ty::path("u16"),
        TypeRef::U32 => Ty::path("u32"),
        TypeRef::U64 => Ty::path("u64"),
        TypeRef::F32 => Ty::path("f32"),
        TypeRef::F64 => Ty::path("f64"),
        TypeRef::Number => Ty::path(n("Number")),
        TypeRef::String => Ty::path(n("String")),
        TypeRef::DateTime => Ty::generic(n("DateTime"), vec![Ty::path(n("Utc"))]),
        TypeRef::Date => Ty::path(n("NaiveDate")),
        TypeRef::Bytes if cx.in_serde => Ty::path(n("String")),
        TypeRef::Bytes => Ty::path("::bytes::Bytes"),
        TypeRef::Json => Ty::path(n("Value")),
        TypeRef::JsonObject => Ty::generic(n("Map"), vec![Ty::path(n("String")), Ty::path(n("Value"))]),
        TypeRef::Vec(inner) => Ty::generic(n("Vec"), vec![syn_ty(inner, cx)]),
        TypeRef::Map(inner) => Ty::generic(n("BTreeMap"), vec![Ty::path(n("String")), syn_ty(inner, cx)]),
        TypeRef::Option(inner) => Ty::generic(n("Option"), vec![syn_ty(inner, cx)]),
        TypeRef::Box(inner) => Ty::generic(n("Box"), vec![syn_ty(inner, cx)]),
        TypeRef::Unit => Ty::Unit,
    }
}

/// Whether the runtime can write a value of this type as parameter text directly.
fn has_param_text(t: &TypeRef, store: &TypeStore) -> bool {
    match t {
        TypeRef::Named(id, _) => match &store.get(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => has_param_text(inner, store),
            _ => false,
        },
        TypeRef::Bool
        | TypeRef::I8
        | TypeRef::I16
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U8
        | TypeRef::U16
        | TypeRef::U32
        | TypeRef::U64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Number
        | TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Json => true,
        TypeRef::Box(inner) => has_param_text(inner, store),
        _ => false,
    }
}

/// The argument type of a parameter, how it is stored, and whether the argument is converted
/// with `.into()` (`impl Into<String>` for strings).
fn arg_type(t: &TypeRef, cx: TyCtx<'_>) -> (Ty, Ty, bool) {
    let stored = syn_ty(t, cx);
    if *t == TypeRef::String {
        (Ty::Impl(Box::new(Ty::generic("Into", vec![stored.clone()]))), stored, true)
    } else {
        (stored.clone(), stored, false)
    }
}

fn method_docs(op: &Operation) -> String {
    let route = code_span(&format!("{} {}", op.method.as_str(), op.path));
    let mut text = paragraphs([op.summary.as_deref(), op.description.as_deref(), Some(&route)]);
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let how = if p.required { "required" } else { "optional, set on the builder" };
            let desc = p.docs.description.as_deref().map(|d| format!(": {}", d.trim())).unwrap_or_default();
            format!("- {} ({} {}, {how}){desc}", code_span(&p.rust_name), p.location.as_str(), code_span(&p.api_name))
        })
        .collect();
    if !params.is_empty() || op.body.is_some() {
        let mut section = String::from("# Parameters\n\n");
        section.push_str(&params.join("\n"));
        if let Some(b) = &op.body {
            let how = if b.required { "required" } else { "optional, set on the builder" };
            let desc = b.description.as_deref().map(|d| format!(": {}", d.trim())).unwrap_or_default();
            section.push_str(&format!("\n- `body` ({}, {how}){desc}", code_span(&b.media_type)));
        }
        text = paragraphs([Some(text.as_str()), Some(section.as_str())]);
    }
    let mut errors = String::from("# Errors\n\n");
    for r in &op.errors {
        let status = match r.status {
            StatusSpec::Code(c) => c.to_string(),
            StatusSpec::Range(d) => format!("{d}XX"),
            StatusSpec::Default => "any other status".to_string(),
        };
        let desc = if r.description.trim().is_empty() { String::new() } else { format!(": {}", r.description.trim()) };
        errors.push_str(&format!("- [`Error::Api`](crate::Error::Api) for {status}{desc}\n"));
    }
    errors.push_str(
        "- [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) for an undocumented status\n\
         - [`Error::Decode`](crate::Error::Decode) when a body does not match its documented type\n\
         - [`Error::Transport`](crate::Error::Transport) when no complete response arrives",
    );
    paragraphs([Some(text.as_str()), Some(errors.as_str())])
}

/// Parameters (and a body) that are method arguments, in order: path, required others, body.
fn required_args(op: &Operation) -> Vec<usize> {
    op.params.iter().enumerate().filter(|(_, p)| p.required).map(|(i, _)| i).collect()
}

fn method(op: &Operation, cx: TyCtx<'_>) -> FnItem {
    let builder = format!("builder::{}", op.type_name);
    let mut args = vec![Arg::Receiver("&self")];
    let mut fields = vec![("client".to_string(), Some(Expr::word("self")))];
    for i in required_args(op) {
        let p = &op.params[i];
        let (arg, _, into) = arg_type(&p.ty, cx);
        args.push(Arg::Typed(p.rust_name.clone(), arg));
        let value = into.then(|| Expr::word(&p.rust_name).method("into", vec![]));
        fields.push((p.rust_name.clone(), value));
    }
    for p in op.params.iter().filter(|p| !p.required) {
        fields.push((p.rust_name.clone(), Some(Expr::word("None"))));
    }
    if let Some(b) = &op.body {
        if b.required {
            args.push(Arg::Typed("body".into(), syn_ty(&b.ty, cx)));
            fields.push(("body".into(), None));
        } else {
            fields.push(("body".into(), Some(Expr::word("None"))));
        }
    }
    let mut attrs = op_cfg(op);
    attrs.extend(docs(&method_docs(op)));
    if op.deprecated {
        attrs.push(line("#[deprecated]"));
    }
    attrs.push(line("#[inline]"));
    FnItem {
        attrs,
        public: true,
        name: op.rust_name.clone(),
        args,
        ret: Some(Ty::generic(builder.clone(), vec![Ty::Lifetime("'_")])),
        body: vec![Stmt::Expr(Expr::Struct(builder, fields))],
    }
}

/// The security schemes an operation accepts, as `&[Auth::..]`.
fn auth_list(api: &Api, op: &Operation) -> Expr {
    let items = op.security.iter().filter_map(|name| {
        let scheme = api.security_schemes.iter().find(|s| &s.api_name == name)?;
        Some(match &scheme.kind {
            SecurityKind::Bearer | SecurityKind::OAuth2 => Expr::word("Auth::Bearer"),
            SecurityKind::Basic => Expr::word("Auth::Basic"),
            SecurityKind::ApiKey { location, name } => {
                let variant = match location {
                    ParamLocation::Query => "Auth::Query",
                    ParamLocation::Cookie => "Auth::Cookie",
                    _ => "Auth::Header",
                };
                Expr::call(variant, vec![Expr::word(lit(name))])
            }
        })
    });
    Expr::Array(items.collect()).reference()
}

/// `this.name`.
fn this_field(name: &str) -> Expr {
    Expr::word("this").field(name)
}

/// The statements of `request` that write a parameter or the body into `request`.
fn request_stmts(op: &Operation, cx: TyCtx<'_>) -> Vec<Stmt> {
    let mut stmts = Vec::new();
    let request = || Expr::word("request");
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let api = Expr::word(lit(&p.api_name));
        let value = Expr::word("value");
        let write = match (&p.location, &p.ty) {
            (ParamLocation::Query, TypeRef::Vec(inner)) if has_param_text(inner, cx.store) => {
                let (explode, sep) = match p.style {
                    ParamStyle::Form { explode } => (explode, ","),
                    ParamStyle::SpaceDelimited => (false, " "),
                    ParamStyle::PipeDelimited => (false, "|"),
                    _ => (true, ","),
                };
                request().method("query_array", vec![api, value, Expr::word(explode.to_string()), Expr::word(lit(sep))])
            }
            (ParamLocation::Query, t) if !has_param_text(t, cx.store) => {
                let style = match p.style {
                    ParamStyle::Form { explode: true } => "FormExplode",
                    ParamStyle::DeepObject => "DeepObject",
                    _ => "Form",
                };
                request().method("query_object", vec![api, value, Expr::word(format!("runtime::ObjectStyle::{style}"))])
            }
            (loc, t) => {
                let text = if has_param_text(t, cx.store) { value } else { Expr::call("runtime::JsonText", vec![value]).reference() };
                let name = match loc {
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                    _ => "cookie",
                };
                request().method(name, vec![api, text])
            }
        };
        let field = this_field(&p.rust_name).reference();
        if p.required {
            stmts.push(Stmt::Let("value".into(), field));
            stmts.push(Stmt::Semi(write));
        } else {
            stmts.push(Stmt::Expr(Expr::IfLet(Pat::TupleStruct("Some".into(), vec![Pat::Word("value".into())]), Box::new(field), vec![Stmt::Semi(write)])));
        }
    }
    if let Some(b) = &op.body {
        let ct = Expr::word(lit(&b.media_type));
        let body = || Expr::word("body");
        let write = match b.format {
            BodyFormat::Json => request().method("json_body", vec![body()]).method("map_err", vec![Expr::word("Error::InvalidRequest")]).try_(),
            BodyFormat::FormUrlEncoded => request().method("form_body", vec![body()]).method("map_err", vec![Expr::word("Error::InvalidRequest")]).try_(),
            BodyFormat::Text => request().method("raw_body", vec![ct, body().method("clone", vec![]).method("into_bytes", vec![])]),
            BodyFormat::Binary | BodyFormat::Multipart => request().method("raw_body", vec![ct, body().method("to_vec", vec![])]),
        };
        let field = this_field("body").reference();
        if b.required {
            stmts.push(Stmt::Let("body".into(), field));
            stmts.push(Stmt::Semi(write));
        } else {
            stmts.push(Stmt::Expr(Expr::IfLet(Pat::TupleStruct("Some".into(), vec![Pat::Word("body".into())]), Box::new(field), vec![Stmt::Semi(write)])));
        }
    }
    stmts
}

/// The request path: a literal, or `&runtime::path(pieces, params)?` for a path with parameters.
fn path_expr(op: &Operation, cx: TyCtx<'_>) -> Expr {
    let mut pieces = vec![String::new()];
    let mut params = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(s) => pieces.last_mut().expect("invariant: pieces start non-empty").push_str(s),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let field = this_field(&p.rust_name).reference();
                params.push(if has_param_text(&p.ty, cx.store) { field } else { Expr::call("runtime::JsonText", vec![field]).reference() });
                pieces.push(String::new());
            }
        }
    }
    if params.is_empty() {
        return Expr::word(lit(&pieces[0]));
    }
    let pieces = Expr::Array(pieces.iter().map(|p| Expr::word(lit(p))).collect()).reference();
    Expr::call("runtime::path", vec![pieces, Expr::Array(params).reference()]).try_().reference()
}

/// A builder's items: the struct, its `Debug`, its setters and `send`, and `IntoFuture`.
fn builder(api: &Api, op: &Operation, cx: TyCtx<'_>) -> Vec<Item> {
    let cfg = op_cfg(op);
    let name = &op.type_name;
    let (ok, err) = (syn_ty(&op.success_type, cx), syn_ty(&op.error_type, cx));
    let (result, option) = (cx.names.name("Result"), cx.names.name("Option"));
    let self_ty = |lifetime: &'static str| Ty::generic(name.clone(), vec![Ty::Lifetime(lifetime)]);
    let with_err = |t: Ty| Ty::generic(result, vec![t, Ty::generic("Error", vec![err.clone()])]);

    let mut fields = vec![("client".to_string(), Ty::Ref(Some("'a"), false, Box::new(Ty::path("Client"))))];
    let mut setters = Vec::new();
    let setter = |attrs: Vec<Attr>, name: &str, arg: Ty, value: Expr| {
        ImplItem::Fn(FnItem {
            attrs,
            public: true,
            name: name.to_string(),
            args: vec![Arg::Receiver("mut self"), Arg::Typed("value".into(), arg)],
            ret: Some(Ty::path("Self")),
            body: vec![
                Stmt::Semi(Expr::Assign(Box::new(Expr::word("self").field(name)), Box::new(Expr::call("Some", vec![value])))),
                Stmt::Expr(Expr::word("self")),
            ],
        })
    };
    for p in &op.params {
        let (arg, stored, into) = arg_type(&p.ty, cx);
        if p.required {
            fields.push((p.rust_name.clone(), stored));
        } else {
            fields.push((p.rust_name.clone(), Ty::generic(option, vec![stored])));
            let value = if into { Expr::word("value").method("into", vec![]) } else { Expr::word("value") };
            let desc = p.docs.description.clone().unwrap_or_else(|| format!("Sets the `{}` {} parameter.", p.api_name, p.location.as_str()));
            let mut attrs = docs(&desc);
            if p.docs.deprecated {
                attrs.push(line("#[deprecated]"));
            }
            attrs.push(line("#[inline]"));
            setters.push(setter(attrs, &p.rust_name, arg, value));
        }
    }
    if let Some(b) = &op.body {
        let t = syn_ty(&b.ty, cx);
        if b.required {
            fields.push(("body".into(), t));
        } else {
            fields.push(("body".into(), Ty::generic(option, vec![t.clone()])));
            let attrs = vec![Attr::Doc(" Sets the request body.".into()), line("#[inline]")];
            setters.push(setter(attrs, "body", t, Expr::word("value")));
        }
    }

    let stmts = request_stmts(op, cx);
    let binding = if stmts.is_empty() { "request" } else { "mut request" };
    let new = Expr::call(
        "Request::new",
        vec![this_field("client"), Expr::word(format!("::reqwest::Method::{}", op.method.as_str())), path_expr(op, cx)],
    );
    let mut request_body = vec![Stmt::Let(binding.into(), new.method("auth", vec![auth_list(api, op)]))];
    request_body.extend(stmts);
    request_body.push(Stmt::Expr(Expr::call("Ok", vec![Expr::word("request")])));
    let inline = || vec![line("#[inline]")];
    let request = FnItem {
        attrs: inline(),
        public: false,
        name: "request".into(),
        args: vec![Arg::Typed("this".into(), self_ty("'_"))],
        ret: Some(with_err(Ty::generic("Request", vec![Ty::Lifetime("'_")]))),
        body: request_body,
    };
    let decode = FnItem {
        attrs: inline(),
        public: false,
        name: "decode".into(),
        args: vec![Arg::Typed("raw".into(), Ty::path("RawResponse"))],
        ret: Some(with_err(ok.clone())),
        body: vec![Stmt::Expr(Expr::Match(
            Box::new(Expr::word("raw").field("status").method("as_u16", vec![])),
            status_arms(op, cx),
        ))],
    };
    let future = Ty::generic("ResponseFuture", vec![Ty::Lifetime("'a"), ok.clone(), err.clone()]);
    let mut items = setters;
    items.push(ImplItem::Fn(FnItem {
        attrs: vec![Attr::Doc(" Sends the request and decodes the response (the same as awaiting the builder).".into()), line("#[inline]")],
        public: true,
        name: "send".into(),
        args: vec![Arg::Receiver("self")],
        ret: Some(future.clone()),
        body: vec![
            Stmt::Item(request),
            Stmt::Item(decode),
            Stmt::Expr(Expr::call("ResponseFuture::new", vec![Expr::call("request", vec![Expr::word("self")]), Expr::word("decode")])),
        ],
    }));

    let with = |extra: Vec<Attr>| cfg.iter().cloned().chain(extra).collect::<Vec<_>>();
    let method_name = op.rust_name.trim_start_matches("r#");
    let mut struct_attrs = docs(&format!("Request builder for [`Client::{method_name}`](crate::Client::{method_name})."));
    struct_attrs.push(line("#[derive(Clone)]"));
    struct_attrs.push(line("#[must_use = \"a request does nothing until it is sent with `.await` or `.send().await`\"]"));
    vec![
        Item::Struct(Struct { attrs: with(struct_attrs), name: name.clone(), lifetimes: vec!["'a"], fields }),
        Item::Impl(Impl {
            attrs: cfg.clone(),
            lifetimes: Vec::new(),
            trait_: Some("::std::fmt::Debug"),
            self_ty: self_ty("'_"),
            items: vec![ImplItem::Fn(FnItem {
                attrs: vec![Attr::Doc(" The operation only: parameter values can be credentials, and are not printed.".into()), line("#[inline]")],
                public: false,
                name: "fmt".into(),
                args: vec![
                    Arg::Receiver("&self"),
                    Arg::Typed("f".into(), Ty::Ref(None, true, Box::new(Ty::generic("::std::fmt::Formatter", vec![Ty::Lifetime("'_")])))),
                ],
                ret: Some(Ty::path("::std::fmt::Result")),
                body: vec![Stmt::Expr(Expr::word("f").method("write_str", vec![Expr::word(lit(&format!("{name} {{ .. }}")))]))],
            })],
        }),
        Item::Impl(Impl { attrs: cfg.clone(), lifetimes: vec!["'a"], trait_: None, self_ty: self_ty("'a"), items }),
        Item::Impl(Impl {
            attrs: cfg.clone(),
            lifetimes: vec!["'a"],
            trait_: Some("::std::future::IntoFuture"),
            self_ty: self_ty("'a"),
            items: vec![
                ImplItem::Type("Output", with_err(ok)),
                ImplItem::Type("IntoFuture", future),
                ImplItem::Fn(FnItem {
                    attrs: inline(),
                    public: false,
                    name: "into_future".into(),
                    args: vec![Arg::Receiver("self")],
                    ret: Some(Ty::path("Self::IntoFuture")),
                    body: vec![Stmt::Expr(Expr::word("self").method("send", vec![]))],
                }),
            ],
        }),
    ]
}

fn status_pattern(s: &StatusSpec) -> Pat {
    Pat::Word(match s {
        StatusSpec::Code(c) => c.to_string(),
        StatusSpec::Range(d) => format!("{}..={}", d * 100, d * 100 + 99),
        StatusSpec::Default => "_".to_string(),
    })
}

/// How a response body is read from `raw`: the expression and whether it can fail (JSON, with a
/// `serde_json::Error`). Every JSON read is `runtime::json::<T>`, shared by all operations.
fn body_expr(body: Option<&ResponseBody>) -> Option<(Expr, bool)> {
    let raw = || Expr::word("raw");
    match body.map(|b| (&b.format, &b.ty)) {
        None | Some((_, TypeRef::Unit)) => None,
        Some((BodyFormat::Text, _)) => Some((Expr::call("runtime::text", vec![raw().reference()]), false)),
        Some((BodyFormat::Binary | BodyFormat::Multipart, _)) => Some((raw().field("body").method("clone", vec![]), false)),
        Some(_) => Some((Expr::call("runtime::json", vec![raw().reference()]), true)),
    }
}

/// One status arm's expression. `wrap` turns the body value `v` into the function's result
/// (`Ok(..)`, or `Err(runtime::api_error(raw, ..))`); nothing in an arm is generic over the
/// arm's own types, so no function is compiled per status.
fn arm_expr(body: Option<&ResponseBody>, wrap: impl Fn(Expr) -> Expr) -> Expr {
    match body_expr(body) {
        None => wrap(Expr::word("()")),
        Some((read, false)) => Expr::Block(vec![Stmt::Let("v".into(), read), Stmt::Expr(wrap(Expr::word("v")))]),
        Some((read, true)) => Expr::Match(
            Box::new(read),
            vec![
                (Pat::TupleStruct("Ok".into(), vec![Pat::Word("v".into())]), wrap(Expr::word("v"))),
                (
                    Pat::TupleStruct("Err".into(), vec![Pat::Word("e".into())]),
                    Expr::call("Err", vec![Expr::call("runtime::decode_error", vec![Expr::word("raw"), Expr::word("e")])]),
                ),
            ],
        ),
    }
}

fn status_arms(op: &Operation, cx: TyCtx<'_>) -> Vec<(Pat, Expr)> {
    let rank = |s: &StatusSpec| match s {
        StatusSpec::Code(_) => 0u8,
        StatusSpec::Range(_) => 1,
        StatusSpec::Default => 2,
    };
    // The outcome enum variant of a response, and whether it carries no body.
    let outcome_variant = |t: &TypeRef, r: &Response| -> Option<(String, bool)> {
        let TypeRef::Named(id, _) = t else { return None };
        let TypeKind::Outcomes(variants) = &cx.store.get(*id).kind else { return None };
        // Outcome variants are in response order: successes and errors each have their own enum.
        let idx = op
            .success
            .iter()
            .position(|s| std::ptr::eq(s, r))
            .or_else(|| op.errors.iter().position(|s| std::ptr::eq(s, r)))?;
        let v = &variants[idx];
        let mut path = String::new();
        syntax::Ty::source_of(&syn_ty(t, cx), &mut path);
        Some((format!("{path}::{}", v.rust_name), v.ty == TypeRef::Unit))
    };
    let api_error = |e: Expr| Expr::call("Err", vec![Expr::call("runtime::api_error", vec![Expr::word("raw"), e])]);
    let mut arms: Vec<(u8, Pat, Expr)> = Vec::new();
    for r in &op.success {
        let expr = match outcome_variant(&op.success_type, r) {
            Some((variant, true)) => Expr::call("Ok", vec![Expr::word(variant)]),
            Some((variant, false)) => arm_expr(r.body.as_ref(), |v| Expr::call("Ok", vec![Expr::call(variant.clone(), vec![v])])),
            None => arm_expr(r.body.as_ref(), |v| Expr::call("Ok", vec![v])),
        };
        arms.push((rank(&r.status), status_pattern(&r.status), expr));
    }
    for r in &op.errors {
        let expr = match outcome_variant(&op.error_type, r) {
            Some((variant, true)) => api_error(Expr::word(variant)),
            Some((variant, false)) => arm_expr(r.body.as_ref(), |v| api_error(Expr::call(variant.clone(), vec![v]))),
            None => arm_expr(r.body.as_ref(), api_error),
        };
        arms.push((rank(&r.status), status_pattern(&r.status), expr));
    }
    arms.sort_by_key(|(r, _, _)| *r);
    // Statuses of one rank handled alike share an arm (`401 | 403 | 404 => ..`): codes do not
    // overlap, and neither do the ranges of a rank.
    let mut merged: Vec<(u8, Vec<Pat>, Expr, String)> = Vec::new();
    for (rank, pat, expr) in arms {
        let text = syntax::Expr::source_of(&expr);
        match merged.iter_mut().find(|(r, _, _, t)| *r == rank && *t == text) {
            Some(arm) => arm.1.push(pat),
            None => merged.push((rank, vec![pat], expr, text)),
        }
    }
    let has_default = op.success.iter().chain(&op.errors).any(|r| r.status == StatusSpec::Default);
    let mut out: Vec<(Pat, Expr)> = merged
        .into_iter()
        .map(|(rank, mut pats, expr, _)| {
            let pat = if pats.len() == 1 { pats.remove(0) } else { Pat::Or(pats, rank == 1) };
            (pat, expr)
        })
        .collect();
    if !has_default {
        out.push((Pat::Word("_".into()), Expr::call("Err", vec![Expr::call("runtime::unexpected", vec![Expr::word("raw")])])));
    }
    out
}

#[cfg(test)]
mod tests {
    /// The literal writer's fast path writes what `proc_macro2` writes.
    #[test]
    fn literals_equal_proc_macro2() {
        let mut samples: Vec<String> = (0u8..=127).map(|b| format!("a{}b", b as char)).collect();
        samples.extend(["", "/repos/{owner}", "é", "tab\there", "quote\"", "back\\slash", "\u{7f}", "~ !"].map(String::from));
        for s in samples {
            assert_eq!(super::lit(&s), proc_macro2::Literal::string(&s).to_string(), "{s:?}");
        }
    }
}
