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

use super::docs::{code_span, doc_attrs, is_blank, item_text, paragraphs, trusted_doc_attrs};
use super::{arg_type, cfg_features, ident, ty, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The names in scope in both files: builders share `builder.rs` with the std names, so a
/// builder called `String` shadows it (and `operations.rs` spells it the same way).
pub(crate) fn std_names(api: &Api) -> StdNames {
    StdNames::new(api.operations.iter().map(|op| op.type_name.as_str()))
}

/// The header of `src/operations.rs`: module docs and imports.
pub(crate) fn client_methods_header(api: &Api, names: &StdNames) -> TokenStream {
    let imports = names.imports();
    // Unused when every operation is in a namespace.
    let client = if api.operations.iter().any(|op| op.namespace.is_none()) {
        quote!(
            use crate::client::Client;
        )
    } else {
        quote!(
            #[allow(unused_imports)]
            use crate::client::Client;
        )
    };
    quote! {
        //! The API's operations: `Client` methods. Each returns the operation's request
        //! builder (see [`builder`](crate::builder)).

        #client
        #[allow(unused_imports)]
        use crate::builder;
        #[allow(unused_imports)]
        use crate::types;
        #imports
    }
}

/// A piece of `src/operations.rs`: the methods of the operations in `range`, an `impl` block
/// per run of operations on the same receiver (`Client`, or a namespace's handle).
pub(crate) fn client_methods(api: &Api, names: &StdNames, range: std::ops::Range<usize>) -> TokenStream {
    let cx = TyCtx { store: &api.types, names, qualify: true, generics: &[], in_serde: false };
    let ops = &api.operations[range];
    let mut out = TokenStream::new();
    for run in ops.chunk_by(|a, b| a.namespace == b.namespace) {
        let namespace = run[0].namespace.and_then(|i| api.namespaces.get(i));
        let methods = run.iter().map(|op| method(op, namespace.is_some(), cx));
        out.extend(match namespace {
            None => quote! {
                impl Client {
                    #( #methods )*
                }
            },
            Some(ns) => {
                let handle = ident(&ns.type_name);
                let cfg = run[0].namespace.map(|i| namespace_cfg(api, i));
                quote! {
                    #cfg
                    impl<'a> crate::namespace::#handle<'a> {
                        #( #methods )*
                    }
                }
            }
        });
    }
    out
}

/// The feature condition of a namespace's handle: the feature of its operations when they all
/// have the same one (as with namespaces by tag), else none.
fn namespace_cfg(api: &Api, i: usize) -> TokenStream {
    let mut ops = api.operations.iter().filter(|op| op.namespace == Some(i));
    match ops.next() {
        Some(first) if !first.feature.is_empty() && ops.all(|op| op.feature == first.feature) => {
            cfg_features(std::slice::from_ref(&first.feature))
        }
        _ => quote!(),
    }
}

/// `src/namespace.rs`: a handle type per namespace, and the `Client` methods that return them.
pub(crate) fn namespace_module(api: &Api) -> TokenStream {
    let mut handles = Vec::new();
    let mut accessors = Vec::new();
    for (i, ns) in api.namespaces.iter().enumerate() {
        let ops: Vec<&Operation> = api.operations.iter().filter(|op| op.namespace == Some(i)).collect();
        let cfg = namespace_cfg(api, i);
        let (handle, accessor) = (ident(&ns.type_name), ident(&ns.rust_name));
        let what = code_span(&ns.api_name);
        let count = if ops.len() == 1 { "1 operation".to_string() } else { format!("{} operations", ops.len()) };
        let methods: Vec<String> =
            ops.iter().map(|op| format!("[`{0}`](Self::{0})", op.rust_name.trim_start_matches("r#"))).collect();
        let summary = format!("The {what} operations of the API ({count}): {}.", methods.join(", "));
        let handle_doc = doc_attrs(&paragraphs([
            Some(summary.as_str()),
            ns.description.as_deref(),
            Some(&format!(
                "Returned by [`Client::{accessor}`](crate::Client::{accessor}); it borrows the client and is free to make, so call it for each request (`client.{accessor}().{}(..)`).",
                ops.first().map_or("..", |op| op.rust_name.trim_start_matches("r#"))
            )),
        ]));
        handles.push(quote! {
            #cfg
            #handle_doc
            #[derive(Clone, Copy, Debug)]
            pub struct #handle<'a> {
                pub(crate) client: &'a Client,
            }
        });
        let accessor_doc =
            trusted_doc_attrs(&format!("The {what} operations ({count}): see [`{0}`]({0}).", ns.type_name));
        accessors.push(quote! {
            #cfg
            #accessor_doc
            #[inline]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        });
    }
    quote! {
        //! The API's operations grouped into namespaces: `Client` has a method per namespace that
        //! returns its handle, whose methods are the operations (`client.customers().retrieve(id)`).

        #[allow(unused_imports)]
        use crate::client::Client;

        #( #handles )*

        impl Client {
            #( #accessors )*
        }
    }
}

/// The header of `src/builder.rs`: module docs and imports.
pub(crate) fn builders_header(api: &Api, names: &StdNames) -> TokenStream {
    let imports = names.imports();
    let sse = api.has_streams().then(|| {
        quote! {
            #[allow(unused_imports)]
            use crate::sse::{self, StreamFuture};
        }
    });
    // The decoders operations share, once each, by name (the same name is the same decoder).
    let cx = TyCtx { store: &api.types, names, qualify: true, generics: &[], in_serde: false };
    let mut decoders = std::collections::BTreeMap::new();
    for op in &api.operations {
        let arms = status_arms(op, cx);
        if let Some(decoder) = shared_decoder_name(&arms) {
            if let std::collections::btree_map::Entry::Vacant(entry) = decoders.entry(decoder.name.clone()) {
                entry.insert(shared_decoder(&decoder, op, &arms, cx));
            }
        }
    }
    let decoders = decoders.into_values();
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
        #sse
        #imports

        #( #decoders )*
    }
}

/// A piece of `src/builder.rs`: the builders of the operations in `range`.
pub(crate) fn builders(api: &Api, names: &StdNames, range: std::ops::Range<usize>) -> TokenStream {
    let cx = TyCtx { store: &api.types, names, qualify: true, generics: &[], in_serde: false };
    // Looked up by name for each operation (an operation may accept every scheme of the API).
    let schemes: Schemes<'_> = api.security_schemes.iter().rev().map(|s| (s.api_name.as_str(), s)).collect();
    api.operations[range]
        .iter()
        .map(|op| builder(&schemes, op, op.namespace.and_then(|i| api.namespaces.get(i)), cx))
        .collect()
}

/// The API's security schemes by name (the first of a name, as a search from the start finds).
type Schemes<'a> = std::collections::HashMap<&'a str, &'a SecurityScheme>;

/// The feature condition of an operation's code (none when the crate has a single feature).
fn op_cfg(op: &Operation) -> TokenStream {
    if op.feature.is_empty() {
        quote!()
    } else {
        cfg_features(std::slice::from_ref(&op.feature))
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
        t if t.is_integer() => true,
        TypeRef::Bool
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

/// The argument type of a multipart part, how it is stored, and whether it is converted with
/// `.into()`: files are [`FilePart`]s (`impl Into<FilePart>` takes bytes too).
fn part_type(p: &Part, cx: TyCtx<'_>) -> (TokenStream, TokenStream, bool) {
    match &p.ty {
        TypeRef::Bytes => (quote!(impl Into<crate::FilePart>), quote!(crate::FilePart), true),
        TypeRef::Vec(inner) if **inner == TypeRef::Bytes => {
            let vec = cx.names.path("Vec");
            (quote!(#vec<crate::FilePart>), quote!(#vec<crate::FilePart>), false)
        }
        t => arg_type(t, cx),
    }
}

/// The builder fields, arguments and setters of an operation's parameters and multipart parts.
struct Input<'a> {
    rust_name: &'a str,
    required: bool,
    /// (argument, stored, converted with `.into()`)
    types: (TokenStream, TokenStream, bool),
    description: String,
    deprecated: bool,
}

fn inputs<'a>(op: &'a Operation, cx: TyCtx<'_>) -> Vec<Input<'a>> {
    let params = op.params.iter().map(|p| Input {
        rust_name: &p.rust_name,
        required: p.required,
        types: arg_type(&p.ty, cx),
        description: p
            .docs
            .description
            .clone()
            .filter(|d| !is_blank(d))
            .unwrap_or_else(|| format!("Sets the {} {} parameter.", code_span(&p.api_name), p.location.as_str())),
        deprecated: p.docs.deprecated,
    });
    let parts = op.body.iter().flat_map(|b| &b.parts).map(|p| Input {
        rust_name: &p.rust_name,
        required: p.required,
        types: part_type(p, cx),
        description: p
            .docs
            .description
            .clone()
            .filter(|d| !is_blank(d))
            .unwrap_or_else(|| format!("Sets the {} part.", code_span(&p.api_name))),
        deprecated: p.docs.deprecated,
    });
    params.chain(parts).collect()
}

/// An operation method's docs: the spec's prose with the route and the parameters (sanitized
/// whole, as markdown the spec wrote), then streaming and the errors, which the generator
/// writes around names and descriptions made safe one by one (`code_span`, and
/// `docs::item_text`: one line each). Its own intra-doc links would otherwise send every
/// operation's docs through the full markdown check.
fn method_docs(op: &Operation) -> TokenStream {
    let route = code_span(&format!("{} {}", op.method.as_str(), op.path));
    let mut text = paragraphs([op.summary.as_deref(), op.description.as_deref(), Some(&route)]);
    let how = |required: bool| if required { "required" } else { "optional, set on the builder" };
    let desc = |d: Option<&str>| d.map(|d| format!(": {}", d.trim())).unwrap_or_default();
    let mut items: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let (name, api) = (code_span(&p.rust_name), code_span(&p.api_name));
            format!(
                "- {name} ({} {api}, {}){}",
                p.location.as_str(),
                how(p.required),
                desc(p.docs.description.as_deref())
            )
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| b.parts.is_empty()) {
        let media_type = code_span(&b.media_type);
        items.push(format!("- `body` ({media_type}, {}){}", how(b.required), desc(b.description.as_deref())));
    }
    for p in op.body.iter().flat_map(|b| &b.parts) {
        let kind = if is_file(&p.ty) { "file part" } else { "part" };
        let (name, api) = (code_span(&p.rust_name), code_span(&p.api_name));
        let (how, desc) = (how(p.required), desc(p.docs.description.as_deref()));
        items.push(format!("- {name} (`multipart/form-data` {kind} {api}, {how}){desc}"));
    }
    if !items.is_empty() {
        let section = format!("# Parameters\n\n{}", items.join("\n"));
        text = paragraphs([Some(text.as_str()), Some(section.as_str())]);
    }
    // The sections the generator writes, each after a blank line.
    let mut own = String::new();
    if let Some(stream) = &op.stream {
        let flag = stream
            .flag
            .as_deref()
            .map(|f| format!(" (it sets {} in the body)", code_span(&format!("{f}: true"))))
            .unwrap_or_default();
        let builder = &op.type_name;
        own.push_str(&format!(
            "\n# Streaming\n\n`.stream().await` on the builder sends the request as a streaming call{flag} and returns \
             its server-sent events as an [`EventStream`](crate::EventStream) (see \
             [`{builder}::stream`](crate::builder::{builder}::stream)).\n"
        ));
    }
    own.push_str("\n# Errors\n\n");
    for r in &op.errors {
        let status = match r.status {
            StatusSpec::Code(c) => c.to_string(),
            StatusSpec::Range(d) => format!("{d}XX"),
            StatusSpec::Default => "any other status".to_string(),
        };
        let desc = if is_blank(&r.description) { String::new() } else { format!(": {}", item_text(&r.description)) };
        own.push_str(&format!("- [`Error::Api`](crate::Error::Api) for {status}{desc}\n"));
    }
    own.push_str(
        "- [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) for an undocumented status\n\
         - [`Error::Decode`](crate::Error::Decode) when a body does not match its documented type\n\
         - [`Error::Transport`](crate::Error::Transport) when no complete response arrives",
    );
    let (text, own) = (doc_attrs(&text), trusted_doc_attrs(&own));
    quote!(#text #own)
}

/// `runtime::Parts` of a parameter value of type `t`: one text, an array's texts, or (any other
/// value) its JSON form.
fn parts_expr(t: &TypeRef, value: TokenStream, cx: TyCtx<'_>) -> TokenStream {
    match t {
        t if has_param_text(t, cx.store) => quote!(runtime::Parts::one(#value)),
        TypeRef::Vec(inner) if has_param_text(inner, cx.store) => quote!(runtime::Parts::list(#value)),
        _ => quote!(runtime::Parts::json(#value)),
    }
}

/// The method of an operation, on `Client` or (`in_namespace`) on its namespace's handle:
/// required parameters (path, then the others, then a required body) are arguments; the rest
/// start unset. A handle's method returns a builder that borrows the client, not the handle, so
/// `client.customers().retrieve(id)` can be kept and sent later.
fn method(op: &Operation, in_namespace: bool, cx: TyCtx<'_>) -> TokenStream {
    let name = ident(&op.rust_name);
    let builder = ident(&op.type_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let inputs = inputs(op, cx);
    for p in inputs.iter().filter(|p| p.required) {
        let pname = ident(p.rust_name);
        let (arg, _, into) = &p.types;
        args.push(quote!(#pname: #arg));
        inits.push(if *into { quote!(#pname: #pname.into()) } else { quote!(#pname) });
    }
    for p in inputs.iter().filter(|p| !p.required) {
        let pname = ident(p.rust_name);
        inits.push(quote!(#pname: None));
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.parts.is_empty()) {
        if b.required {
            let t = ty(&b.ty, cx);
            args.push(quote!(body: #t));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    let cfg = op_cfg(op);
    let docs = method_docs(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let (lifetime, client) = if in_namespace { (quote!('a), quote!(self.client)) } else { (quote!('_), quote!(self)) };
    // Required parameters are arguments: an operation with many path segments (Azure's have up
    // to ten) has that many, which is what the API asks for.
    let many = (args.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #cfg
        #docs
        #deprecated
        #[inline]
        #many
        pub fn #name(&self, #( #args ),*) -> builder::#builder<#lifetime> {
            builder::#builder { client: #client, #( #inits ),* }
        }
    }
}

/// The security schemes an operation accepts, `.auth(&[Auth::..])` (none when it accepts none).
fn auth_list(schemes: &Schemes<'_>, op: &Operation) -> Option<TokenStream> {
    let items = op.security.iter().filter_map(|name| {
        let scheme = schemes.get(name.as_str())?;
        Some(match &scheme.kind {
            // The certificate is the connection's, set on the builder.
            SecurityKind::MutualTls => return None,
            SecurityKind::Bearer | SecurityKind::OAuth2 => quote!(Auth::Bearer),
            SecurityKind::Basic => quote!(Auth::Basic),
            SecurityKind::ApiKey { location, name } => match location {
                ParamLocation::Query => quote!(Auth::Query(#name)),
                ParamLocation::Cookie => quote!(Auth::Cookie(#name)),
                _ => quote!(Auth::Header(#name)),
            },
        })
    });
    let items: Vec<TokenStream> = items.collect();
    (!items.is_empty()).then(|| quote!(.auth(&[#( #items ),*])))
}

/// The statements of `request` that write a parameter or the body into `request`.
fn request_stmts(op: &Operation, cx: TyCtx<'_>) -> Vec<TokenStream> {
    let mut stmts = Vec::new();
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let (pname, api) = (ident(&p.rust_name), p.api_name.as_str());
        // A value or an array of values is written from the field, optional or not
        // (`runtime::Given`: `whole`); the rest from `value`, when the field is given.
        let field = quote!(&self.#pname);
        let (write, whole) = match (&p.location, &p.ty) {
            // `deepObject` arrays are `name[]` pairs, as in objects (`query_object`).
            (ParamLocation::Query, TypeRef::Vec(inner))
                if has_param_text(inner, cx.store) && p.style != ParamStyle::DeepObject =>
            {
                let (explode, sep) = match p.style {
                    ParamStyle::Form { explode } => (explode, ","),
                    ParamStyle::SpaceDelimited => (false, " "),
                    ParamStyle::PipeDelimited => (false, "|"),
                    _ => (true, ","),
                };
                (quote!(request.query_array(#api, #field, #explode, #sep);), true)
            }
            (ParamLocation::Query, t) if !has_param_text(t, cx.store) => {
                let style = match p.style {
                    ParamStyle::Form { explode: true } => quote!(FormExplode),
                    ParamStyle::DeepObject => quote!(DeepObject),
                    _ => quote!(Form),
                };
                (quote!(request.query_object(#api, value, runtime::FormStyle::#style);), false)
            }
            (loc, t) if has_param_text(t, cx.store) => {
                let write = match loc {
                    ParamLocation::Query => quote!(request.query(#api, #field);),
                    ParamLocation::Header => quote!(request.header(#api, #field);),
                    _ => quote!(request.cookie(#api, #field);),
                };
                (write, true)
            }
            (loc, t) => {
                // Arrays and objects by their style (headers `simple`, cookies `form`).
                let parts = parts_expr(t, quote!(value), cx);
                let explode = p.explode;
                let write = match loc {
                    ParamLocation::Header => quote! {
                        request.header(#api, &runtime::styled(#api, &#parts, runtime::Style::Simple, #explode, runtime::verbatim));
                    },
                    _ => quote!(request.cookie_styled(#api, &#parts, #explode);),
                };
                (write, false)
            }
        };
        stmts.push(match (whole, p.required) {
            (true, _) => write,
            (false, true) => quote! { let value = #field; #write },
            (false, false) => quote! { if let Some(value) = #field { #write } },
        });
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.parts.is_empty()) {
        stmts.push(multipart_stmts(b, cx));
    } else if let Some(b) = &op.body {
        let ct = b.media_type.as_str();
        let write = match b.format {
            BodyFormat::Json => quote!(request.json_body(body);),
            BodyFormat::FormUrlEncoded => {
                let rules = b.encoding.iter().map(|(name, e)| {
                    let style = match e.style {
                        ParamStyle::Form { explode: false } => quote!(Form),
                        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
                        ParamStyle::PipeDelimited => quote!(PipeDelimited),
                        ParamStyle::DeepObject => quote!(DeepObject),
                        _ => quote!(FormExplode),
                    };
                    let json =
                        e.content_type.as_deref().is_some_and(|ct| BodyFormat::of_media_type(ct).1 == BodyFormat::Json);
                    quote!((#name, runtime::FormStyle::#style, #json))
                });
                quote!(request.form_body(body, &[#( #rules ),*]);)
            }
            BodyFormat::Text => quote!(request.raw_body(#ct, body.clone().into_bytes());),
            BodyFormat::Binary | BodyFormat::Multipart => quote!(request.raw_body(#ct, body.to_vec());),
        };
        stmts.push(if b.required {
            quote! { let body = &self.body; #write }
        } else {
            quote! { if let Some(body) = &self.body { #write } }
        });
    }
    stmts
}

/// Whether a multipart part is one file or several.
fn is_file(t: &TypeRef) -> bool {
    match t {
        TypeRef::Bytes => true,
        TypeRef::Vec(inner) => **inner == TypeRef::Bytes,
        _ => false,
    }
}

/// The statements that write a multipart body's parts, each as its type says: files, text
/// (values with a text form; arrays repeat the part) or JSON.
fn multipart_stmts(b: &RequestBody, cx: TyCtx<'_>) -> TokenStream {
    let writes = b.parts.iter().map(|p| {
        let (pname, api) = (ident(&p.rust_name), p.api_name.as_str());
        let ct = match &p.content_type {
            Some(ct) => quote!(Some(#ct)),
            None => quote!(None),
        };
        let write = match &p.ty {
            TypeRef::Bytes => quote!(form.file(#api, value, #ct);),
            TypeRef::Vec(inner) if **inner == TypeRef::Bytes => quote!(for v in value { form.file(#api, v, #ct); }),
            t if has_param_text(t, cx.store) => quote!(form.text(#api, value, #ct);),
            TypeRef::Vec(inner) if has_param_text(inner, cx.store) => {
                quote!(for v in value { form.text(#api, v, #ct); })
            }
            _ => quote!(form.json(#api, value, #ct);),
        };
        if p.required {
            quote! { let value = &self.#pname; #write }
        } else {
            quote! { if let Some(value) = &self.#pname { #write } }
        }
    });
    quote! {
        let mut form = runtime::Multipart::new();
        #( #writes )*
        request.multipart_body(form);
    }
}

/// The new request: `Request::new` with the operation's id, its path template and the values
/// of the template's parameters, in order.
fn new_request(op: &Operation, cx: TyCtx<'_>) -> TokenStream {
    let method = format_ident!("{}", op.method.as_str());
    let params = op.path_parts.iter().filter_map(|part| {
        let PathPart::Param(i) = part else { return None };
        let p = &op.params[*i];
        let pname = ident(&p.rust_name);
        let style = match p.style {
            ParamStyle::Label => quote!(Label),
            ParamStyle::Matrix => quote!(Matrix),
            _ => quote!(Simple),
        };
        Some(if has_param_text(&p.ty, cx.store) && p.style == ParamStyle::Simple {
            quote!(&self.#pname)
        } else {
            // Label and matrix styles, arrays and objects: written by their style.
            let (api, explode) = (p.api_name.as_str(), p.explode);
            let parts = parts_expr(&p.ty, quote!(&self.#pname), cx);
            quote!(&runtime::Encoded(runtime::styled(#api, &#parts, runtime::Style::#style, #explode, runtime::encode_path)))
        })
    });
    let (op_id, template) = (op.api_name.as_str(), op.path.as_str());
    quote!(Request::new(self.client, ::reqwest::Method::#method, #op_id, #template, &[#( #params ),*]))
}

/// A builder's items: the struct, its setters and `send`, and its `Debug` and `IntoFuture`
/// (`runtime::builder!`).
fn builder(schemes: &Schemes<'_>, op: &Operation, namespace: Option<&Namespace>, cx: TyCtx<'_>) -> TokenStream {
    let cfg = op_cfg(op);
    let name = ident(&op.type_name);
    let (ok, err) = (ty(&op.success_type, cx), ty(&op.error_type, cx));
    let option = cx.names.path("Option");

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let inputs = inputs(op, cx);
    let optional = inputs.iter().filter(|p| !p.required).map(|p| p.rust_name);
    let mut setter_names = crate::naming::builder_setter_names(optional).into_iter();
    for p in inputs {
        let pname = ident(p.rust_name);
        let (arg, stored, into) = p.types;
        if p.required {
            fields.push(quote!(#pname: #stored));
            continue;
        }
        let setter = ident(&setter_names.next().unwrap_or_default());
        fields.push(quote!(#pname: #option<#stored>));
        let value = if into { quote!(value.into()) } else { quote!(value) };
        let docs = doc_attrs(&p.description);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        setters.push(quote! {
            #docs
            #deprecated
            #[inline]
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#pname = Some(#value);
                self
            }
        });
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.parts.is_empty()) {
        let t = ty(&b.ty, cx);
        if b.required {
            fields.push(quote!(body: #t));
        } else {
            fields.push(quote!(body: #option<#t>));
            setters.push(quote! {
                /// Sets the request body.
                #[inline]
                pub fn body(mut self, value: #t) -> Self {
                    self.body = Some(value);
                    self
                }
            });
        }
    }

    let stmts = request_stmts(op, cx);
    let mutability = (!stmts.is_empty()).then(|| quote!(mut));
    let (new, auth) = (new_request(op, cx), auth_list(schemes, op));
    // The media types the operation decodes, so that a server offering several picks one of them.
    let mut media_types: Vec<&str> = Vec::new();
    for body in op.success.iter().chain(&op.errors).filter_map(|r| r.body.as_ref()) {
        if !media_types.contains(&body.media_type.as_str()) {
            media_types.push(&body.media_type);
        }
    }
    let accept = (!media_types.is_empty()).then(|| {
        let media_types = media_types.join(", ");
        quote!(.accept(#media_types))
    });
    let arms = status_arms(op, cx);
    let decode = match (arms.as_slice(), shared_decoder_name(&arms)) {
        // Every status handled alike (only a `default` response) needs no `match`.
        ([arm], _) if matches!(arm.statuses.as_slice(), [] | [StatusSpec::Default]) => {
            match arm_tokens(op, arm, cx).1 {
                (_, Some(f)) => Decode::Function(f),
                (expr, None) => Decode::Expr(expr),
            }
        }
        (_, Some(decoder)) => {
            let name = ident(&decoder.name);
            Decode::Function(quote!(#name))
        }
        (arms, None) => {
            let arms = arms.iter().map(|arm| {
                let (pattern, (expr, _)) = arm_tokens(op, arm, cx);
                quote!(#pattern => #expr,)
            });
            Decode::Expr(quote!(match raw.status.as_u16() { #( #arms )* }))
        }
    };
    let raw = match &decode {
        Decode::Expr(e) if !mentions(e, "raw") => quote!(_raw),
        _ => quote!(raw),
    };
    let decode = match decode {
        // `|raw| runtime::ok_json(raw)` is the function itself.
        Decode::Function(f) => f,
        Decode::Expr(e) => quote!(|#raw| #e),
    };
    let call = op.stream.as_ref().map(|stream| stream_call(stream, op.body.is_some(), cx, &err));
    let paging = op.pagination.as_ref().map(|p| paging(op, p, cx));
    let method_name = op.rust_name.trim_start_matches("r#");
    let builder_doc = trusted_doc_attrs(&match namespace {
        None => format!("Request builder for [`Client::{method_name}`](crate::Client::{method_name})."),
        Some(ns) => format!(
            "Request builder for [`{0}::{method_name}`](crate::namespace::{0}::{method_name}) (`client.{1}().{method_name}(..)`).",
            ns.type_name, ns.rust_name
        ),
    });
    quote! {
        #cfg
        #builder_doc
        #[derive(Clone)]
        #[must_use = "a request does nothing until it is sent with `.await` or `.send().await`"]
        pub struct #name<'a> {
            pub(crate) client: &'a Client,
            #( pub(crate) #fields, )*
        }

        #cfg
        impl<'a> #name<'a> {
            #( #setters )*

            /// Sends the request and decodes the response (the same as awaiting the builder).
            #[inline]
            pub fn send(self) -> ResponseFuture<'a, #ok, #err> {
                let #mutability request = #new #auth #accept;
                #( #stmts )*
                ResponseFuture::new(request, #decode)
            }

            #call
        }

        #paging

        #cfg
        runtime::builder!(#name, #ok, #err);
    }
}

/// The way from `start` through the fields of `path`: an `Option` of a reference (`by_ref`) or of
/// the value, or (the bool is false) the place itself when no field on the way is optional.
fn field_path(start: TokenStream, path: &[FieldStep], by_ref: bool) -> (TokenStream, bool) {
    let mut e = start;
    let mut optional = false;
    for s in path {
        let f = ident(&s.rust_name);
        let as_ref = by_ref.then(|| quote!(.as_ref()));
        let flatten =
            (s.options == 2).then(|| if by_ref { quote!(.and_then(|v| v.as_ref())) } else { quote!(.flatten()) });
        let amp = by_ref.then(|| quote!(&));
        e = match (optional, s.options) {
            (false, 0) => quote!(#e.#f),
            (false, _) => quote!(#e.#f #as_ref #flatten),
            (true, 0) => quote!(#e.map(|v| #amp v.#f)),
            (true, _) => quote!(#e.and_then(|v| v.#f #as_ref) #flatten),
        };
        optional |= s.options > 0;
    }
    (e, optional)
}

/// `let #name = ..;` binding a reference to the value at `path` from `start`, returning `None`
/// from the function when an optional field on the way is absent.
fn bind_ref(name: &str, start: TokenStream, path: &[FieldStep]) -> TokenStream {
    let name = ident(name);
    if path.is_empty() {
        return quote!(let #name = #start;);
    }
    match field_path(start, path, true) {
        (e, true) => quote!(let #name = #e?;),
        (e, false) => quote!(let #name = &#e;),
    }
}

/// A list operation's `pages()` and `items()`: the next request is this one with the page
/// parameter set from the page just read.
fn paging(op: &Operation, p: &Pagination, cx: TyCtx<'_>) -> TokenStream {
    let cfg = op_cfg(op);
    let name = ident(&op.type_name);
    let (ok, err) = (ty(&op.success_type, cx), ty(&op.error_type, cx));
    let item = ty(&p.item_ty, cx);
    let param = &op.params[p.param];
    let pname = ident(&param.rust_name);
    let bind_items = bind_ref("items", quote!(page), &p.items);
    let more = |has_more: &Option<Vec<FieldStep>>| {
        has_more.as_ref().map(|path| match field_path(quote!(page), path, true) {
            (flag, true) => quote! { if #flag != Some(&true) { return None; } },
            (flag, false) => quote! { if !#flag { return None; } },
        })
    };
    let follow = quote! {
        if runtime::is_last_cursor(cursor, this.#pname.as_ref()) {
            return None;
        }
        let mut next = this.clone();
        next.#pname = Some(cursor.clone());
        Some(next)
    };
    let (how, body) = match &p.kind {
        PageKind::Cursor { cursor, has_more } => {
            let more = more(has_more);
            let cursor = bind_ref("cursor", quote!(page), cursor);
            ("the cursor each page gives for the next one", quote! { #more #cursor #follow })
        }
        PageKind::LastItem { field, has_more } => {
            let more = more(has_more);
            let cursor = bind_ref("cursor", quote!(last), std::slice::from_ref(field));
            ("the last item's id", quote! { #more #bind_items let last = items.last()?; #cursor #follow })
        }
        PageKind::PageNumber | PageKind::Offset => {
            let t = ty(&param.ty, cx);
            let (how, step) = if p.kind == PageKind::PageNumber {
                ("page numbers", quote!(this.#pname.unwrap_or(1).checked_add(1)?))
            } else {
                ("item offsets", quote!(this.#pname.unwrap_or(0).checked_add(#t::try_from(items.len()).ok()?)?))
            };
            let body = quote! {
                #bind_items
                if items.is_empty() {
                    return None;
                }
                let mut next = this.clone();
                next.#pname = Some(#step);
                Some(next)
            };
            (how, body)
        }
    };
    let items = match field_path(quote!(page), &p.items, false) {
        (e, true) => quote!(#e.unwrap_or_default()),
        (e, false) => e,
    };
    let vec = cx.names.path("Vec");
    let option = cx.names.path("Option");
    // `Pages` takes `fn(&B, &T)`: a page that is an array is a `&Vec`.
    let allow_vec = matches!(op.success_type, TypeRef::Vec(_)).then(|| quote!(#[allow(clippy::ptr_arg)]));
    let api = code_span(&param.api_name);
    let pages_doc = doc_attrs(&format!(
        "Every page from this request's on, as a stream: each page is requested when the stream          reaches it, with the {api} parameter set from {how}. A failed page ends the stream after          its error.

Read it with `.next().await`, or as a `futures::Stream`."
    ));
    let items_doc = doc_attrs(
        "Every item of every page from this request's on, as a stream (see [`pages`](Self::pages)).

         Read it with `.next().await`, or as a `futures::Stream`.",
    );
    quote! {
        #cfg
        impl<'a> #name<'a> {
            #pages_doc
            #[inline]
            pub fn pages(self) -> runtime::Pages<'a, Self, #ok, #err> {
                #[inline]
                #allow_vec
                fn next<'a>(this: &#name<'a>, page: &#ok) -> #option<#name<'a>> {
                    #body
                }
                runtime::Pages::new(self, next)
            }

            #items_doc
            #[inline]
            pub fn items(self) -> runtime::Items<'a, Self, #ok, #item, #err> {
                #[inline]
                fn items(page: #ok) -> #vec<#item> {
                    #items
                }
                runtime::Items::new(self.pages(), items)
            }
        }
    }
}

/// Whether `tokens` use the identifier `name`.
fn mentions(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(id) => id == name,
        proc_macro2::TokenTree::Group(g) => mentions(&g.stream(), name),
        _ => false,
    })
}

fn status_pattern(s: &StatusSpec) -> TokenStream {
    match s {
        StatusSpec::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusSpec::Range(d) => {
            let (lo, hi) = (Literal::u16_unsuffixed(d * 100), Literal::u16_unsuffixed(d * 100 + 99));
            quote!(#lo..=#hi)
        }
        StatusSpec::Default => quote!(_),
    }
}

/// How a builder's call decodes its response: the decoding function, or an expression of the
/// response `raw`.
enum Decode {
    Function(TokenStream),
    Expr(TokenStream),
}

/// A status arm's expression, and the function it applies to `raw` when that is all it does.
type ArmExpr = (TokenStream, Option<TokenStream>);

/// What an arm makes of its body: the word for it in a shared decoder's name, and the type it
/// fixes its side of the result to (none: any type, the body being JSON).
type Reads = (&'static str, Option<Fixed>);

/// A type an arm fixes its side of the result to.
#[derive(Clone, Copy, PartialEq)]
enum Fixed {
    Unit,
    Text,
    Bytes,
}

/// What an arm of `arm` makes of `body`. One word is one expression (`arm_expr` without an
/// outcome variant), so arms are merged and decoders shared by their words.
fn reads(body: Option<&ResponseBody>, arm: Arm) -> Reads {
    let ok = matches!(arm, Arm::Ok);
    let pick = |ok_word, err_word, fixed| (if ok { ok_word } else { err_word }, fixed);
    match body.map(|b| (&b.format, &b.ty)) {
        None | Some((_, TypeRef::Unit)) => pick("empty", "err_empty", Some(Fixed::Unit)),
        Some((BodyFormat::Text, _)) => pick("text", "err_text", Some(Fixed::Text)),
        Some((BodyFormat::Binary | BodyFormat::Multipart, _)) => pick("bytes", "err_bytes", Some(Fixed::Bytes)),
        Some(_) => match arm {
            Arm::Ok => ("ok", None),
            Arm::Err => ("err", None),
            Arm::Assumed => ("assumed_err", None),
        },
    }
}

/// One status arm's expression: a single runtime call for a JSON body (`runtime::ok_json(raw)`,
/// `runtime::err_json_as(raw, Outcomes::NotFound)`), the value itself for any other body.
/// `variant` is the outcome enum's variant the body goes into, if the operation has one.
fn arm_expr(body: Option<&ResponseBody>, arm: Arm, variant: Option<TokenStream>) -> ArmExpr {
    let read = match body.map(|b| (&b.format, &b.ty)) {
        None | Some((_, TypeRef::Unit)) => {
            let value = variant.unwrap_or_else(|| quote!(()));
            return match arm {
                Arm::Ok => (quote!(Ok(#value)), None),
                Arm::Err | Arm::Assumed => (quote!(Err(runtime::api_error(raw, #value))), None),
            };
        }
        Some((BodyFormat::Text, _)) => quote!(runtime::text(&raw)),
        Some((BodyFormat::Binary | BodyFormat::Multipart, _)) => quote!(raw.body.clone()),
        Some(_) => {
            let f = match (arm, variant.is_some()) {
                (Arm::Ok, false) => quote!(ok_json),
                (Arm::Ok, true) => quote!(ok_json_as),
                (Arm::Err, false) => quote!(err_json),
                (Arm::Err, true) => quote!(err_json_as),
                (Arm::Assumed, false) => quote!(assumed_error),
                (Arm::Assumed, true) => quote!(assumed_error_as),
            };
            return match variant {
                Some(variant) => (quote!(runtime::#f(raw, #variant)), None),
                None => (quote!(runtime::#f(raw)), Some(quote!(runtime::#f))),
            };
        }
    };
    let value = match variant {
        Some(variant) => quote!(#variant(#read)),
        None => read,
    };
    let expr = match arm {
        Arm::Ok => quote!(Ok(#value)),
        Arm::Err | Arm::Assumed => quote!({
            let body = #value;
            Err(runtime::api_error(raw, body))
        }),
    };
    (expr, None)
}

/// What a status arm makes of its response.
#[derive(Clone, Copy)]
enum Arm {
    /// The operation's success.
    Ok,
    /// `Error::Api`; a JSON body that does not decode is `Error::Decode`.
    Err,
    /// `Error::Api` with the body only assumed (`[client] default-error-schema`): a JSON body that
    /// does not decode leaves the status unexpected.
    Assumed,
}

/// An arm of an operation's status `match`, before its tokens: the statuses it stands for (none
/// for `_`), the response it reads (none: an unexpected status), and, unless the response goes
/// into an outcome enum, what it reads.
struct StatusArm<'o> {
    statuses: Vec<&'o StatusSpec>,
    response: Option<(&'o Response, Arm, bool)>,
    reads: Option<Reads>,
}

/// The arms of an operation's status `match`, in order: codes, then ranges, then `default` (or
/// `_`: an unexpected status). Statuses of one rank handled alike share an arm (`401 | 403 =>`):
/// codes do not overlap, and neither do the ranges of a rank.
fn status_arms<'o>(op: &'o Operation, cx: TyCtx<'_>) -> Vec<StatusArm<'o>> {
    let rank = |s: &StatusSpec| match s {
        StatusSpec::Code(_) => 0u8,
        StatusSpec::Range(_) => 1,
        StatusSpec::Default => 2,
    };
    let is_outcomes =
        |t: &TypeRef| matches!(t, TypeRef::Named(id, _) if matches!(cx.store.get(*id).kind, TypeKind::Outcomes(_)));
    let (ok_outcomes, err_outcomes) = (is_outcomes(&op.success_type), is_outcomes(&op.error_type));
    let mut arms: Vec<(u8, StatusArm<'o>)> = Vec::new();
    let responses = op.success.iter().map(|r| (r, Arm::Ok, ok_outcomes));
    let responses = responses.chain(op.errors.iter().map(|r| {
        let arm = if r.assumed { Arm::Assumed } else { Arm::Err };
        (r, arm, err_outcomes)
    }));
    for (r, arm, outcomes) in responses {
        let reads = (!outcomes).then(|| reads(r.body.as_ref(), arm));
        let rank = rank(&r.status);
        let same =
            arms.iter_mut().find(|(k, a)| *k == rank && reads.is_some() && a.reads.map(|r| r.0) == reads.map(|r| r.0));
        match same {
            Some((_, a)) => a.statuses.push(&r.status),
            None => {
                arms.push((rank, StatusArm { statuses: vec![&r.status], response: Some((r, arm, outcomes)), reads }))
            }
        }
    }
    arms.sort_by_key(|(r, _)| *r);
    let has_default = op.success.iter().chain(&op.errors).any(|r| r.status == StatusSpec::Default);
    let mut out: Vec<StatusArm<'o>> = arms.into_iter().map(|(_, arm)| arm).collect();
    if !has_default {
        out.push(StatusArm { statuses: Vec::new(), response: None, reads: None });
    }
    out
}

/// An arm's pattern and expression.
fn arm_tokens(op: &Operation, arm: &StatusArm<'_>, cx: TyCtx<'_>) -> (TokenStream, ArmExpr) {
    let pattern = match arm.statuses.as_slice() {
        [] | [StatusSpec::Default] => quote!(_),
        statuses => statuses_pattern(statuses),
    };
    let Some((r, kind, outcomes)) = arm.response else {
        return (pattern, (quote!(Err(runtime::unexpected(raw))), None));
    };
    // The outcome enum variant of the response: variants are in response order, successes and
    // errors each in their own enum.
    let variant = outcomes
        .then(|| {
            let t = if matches!(kind, Arm::Ok) { &op.success_type } else { &op.error_type };
            let TypeRef::Named(id, _) = t else { return None };
            let TypeKind::Outcomes(variants) = &cx.store.get(*id).kind else { return None };
            let idx = op
                .success
                .iter()
                .position(|s| std::ptr::eq(s, r))
                .or_else(|| op.errors.iter().position(|s| std::ptr::eq(s, r)))?;
            let (outcomes, variant) = (ty(t, cx), ident(&variants[idx].rust_name));
            Some(quote!(#outcomes::#variant))
        })
        .flatten();
    (pattern, arm_expr(r.body.as_ref(), kind, variant))
}

/// The longest name of a shared decoder: an operation with more statuses than such a name says
/// keeps its own `match`.
const MAX_DECODER_NAME: usize = 64;

/// The name of the decoder an operation shares with every other whose statuses are handled
/// alike, when it has more than one arm and none puts the body into an outcome enum. The name
/// says what each status gives (`ok_2xx_err_4xx_5xx`: the success body for a 2XX status, the
/// error body for a 4XX or 5XX one, any other status unexpected), which is all the decoder is:
/// one name, one definition. `None` when the arms of one side fix it to different types.
fn shared_decoder_name(arms: &[StatusArm<'_>]) -> Option<SharedDecoder> {
    if arms.len() < 2 {
        return None;
    }
    let mut name = String::new();
    let mut sides: Sides = [None, None];
    let mut last_word = None;
    for arm in arms {
        let Some((_, kind, _)) = arm.response else {
            // `_ => unexpected`: what a name leaves unsaid.
            continue;
        };
        let (word, fixed) = arm.reads?;
        let side = &mut sides[usize::from(!matches!(kind, Arm::Ok))];
        if side.is_some_and(|s| s != fixed) {
            return None;
        }
        *side = Some(fixed);
        // Arms that read alike follow each other only across ranks (`err_404_4xx`).
        if last_word != Some(word) {
            if !name.is_empty() {
                name.push('_');
            }
            name.push_str(word);
            last_word = Some(word);
        }
        for status in &arm.statuses {
            match status {
                StatusSpec::Code(c) => name.push_str(&format!("_{c}")),
                StatusSpec::Range(d) => name.push_str(&format!("_{d}xx")),
                StatusSpec::Default => name.push_str("_other"),
            }
        }
    }
    (name.len() <= MAX_DECODER_NAME).then_some(SharedDecoder { name, sides })
}

/// What each side of a result (success, failure) is fixed to by the arms that read it: unread
/// (`None`), a JSON body of any type (`Some(None)`), or a type.
type Sides = [Option<Option<Fixed>>; 2];

/// A shared decoder: its name, and its sides, from which its generics follow.
struct SharedDecoder {
    name: String,
    sides: Sides,
}

/// The definition of the shared decoder of `op`'s `arms`: generic over each side of the result
/// that no arm fixes to a type (`empty_204_err_4xx_5xx` succeeds with `()`).
fn shared_decoder(decoder: &SharedDecoder, op: &Operation, arms: &[StatusArm<'_>], cx: TyCtx<'_>) -> TokenStream {
    let SharedDecoder { name, sides } = decoder;
    let mut generics = Vec::new();
    let [ok, err] = [("T", sides[0]), ("E", sides[1])].map(|(param, side)| match side.flatten() {
        Some(Fixed::Unit) => quote!(()),
        Some(Fixed::Text) => cx.names.path("String"),
        Some(Fixed::Bytes) => quote!(::bytes::Bytes),
        None => {
            let param = ident(param);
            // A side no arm reads is any type; a JSON body, any type it decodes into.
            let bound = (side == Some(None)).then(|| quote!(: ::serde::de::DeserializeOwned));
            generics.push(quote!(#param #bound));
            quote!(#param)
        }
    });
    let result = cx.names.path("Result");
    let arms = arms.iter().map(|arm| {
        let (pattern, (expr, _)) = arm_tokens(op, arm, cx);
        quote!(#pattern => #expr,)
    });
    let f = ident(name);
    quote! {
        #[allow(dead_code)]
        fn #f<#( #generics ),*>(raw: RawResponse) -> #result<#ok, Error<#err>> {
            match raw.status.as_u16() { #( #arms )* }
        }
    }
}

/// The pattern of statuses that share an arm: `401 | 403`, or a range where the codes are
/// consecutive (`403..=405`, as clippy asks).
fn statuses_pattern(statuses: &[&StatusSpec]) -> TokenStream {
    let codes: Vec<u16> =
        statuses.iter().filter_map(|s| if let StatusSpec::Code(c) = s { Some(*c) } else { None }).collect();
    if let (Some(&lo), Some(&hi)) = (codes.iter().min(), codes.iter().max()) {
        // Codes of one arm are distinct: as many as the range holds means all of it.
        if codes.len() == statuses.len() && codes.len() >= 3 && usize::from(hi - lo) + 1 == codes.len() {
            let (lo, hi) = (Literal::u16_unsuffixed(lo), Literal::u16_unsuffixed(hi));
            return quote!(#lo..=#hi);
        }
    }
    // Ranges that follow each other are one (`400..=599`, as clippy asks).
    let mut pats: Vec<TokenStream> = Vec::new();
    let mut run: Option<(u16, u16)> = None;
    let flush = |run: &mut Option<(u16, u16)>, pats: &mut Vec<TokenStream>| {
        if let Some((lo, hi)) = run.take() {
            let (lo, hi) = (Literal::u16_unsuffixed(lo * 100), Literal::u16_unsuffixed(hi * 100 + 99));
            pats.push(quote!(#lo..=#hi));
        }
    };
    for s in statuses {
        match (s, run) {
            (StatusSpec::Range(d), Some((lo, hi))) if *d == hi + 1 => run = Some((lo, *d)),
            (StatusSpec::Range(d), _) => {
                flush(&mut run, &mut pats);
                run = Some((*d, *d));
            }
            (other, _) => {
                flush(&mut run, &mut pats);
                pats.push(status_pattern(other));
            }
        }
    }
    flush(&mut run, &mut pats);
    quote!(#( #pats )|*)
}

/// The builder's `stream()`: the request of `send()` as a streaming call, with the body's
/// `stream` flag set, whose events decode into the stream's item type.
fn stream_call(stream: &EventStream, has_body: bool, cx: TyCtx<'_>, err: &TokenStream) -> TokenStream {
    let item = ty(&stream.item, cx);
    let decode_item = if stream.item == TypeRef::String { quote!(sse::text) } else { quote!(sse::json::<#item>) };
    let (flag, flag_doc) = match &stream.flag {
        Some(flag) => {
            (quote!(Some(#flag)), format!(" It sets {} in the request body.", code_span(&format!("{flag}: true"))))
        }
        // The body has no boolean `stream` (OpenAI's speech has `stream_format`, its transcription
        // a multipart body): the caller asks for events in the body.
        None if has_body => (
            quote!(None),
            " The body is sent as built: set its own option for events if the API needs one.".to_string(),
        ),
        None => (quote!(None), String::new()),
    };
    let item_doc = match &stream.item {
        TypeRef::Named(id, _) => {
            let name = &cx.store.get(*id).rust_name;
            format!("[`{name}`](crate::types::{name})")
        }
        TypeRef::String => "text".to_string(),
        _ => "JSON values".to_string(),
    };
    let docs = doc_attrs(&format!(
        "Sends the request as a streaming call: the response's server-sent events as they arrive, \
         each decoded into {item_doc}.{flag_doc}\n\n\
         Awaiting it returns the [`EventStream`](crate::EventStream) once the server answers with \
         a success status, or the operation's error as `send()` does. The stream has no total \
         timeout (see [`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout))."
    ));
    quote! {
        #docs
        #[inline]
        pub fn stream(self) -> StreamFuture<'a, #item, #err> {
            StreamFuture::new(self.send(), #flag, #decode_item)
        }
    }
}
