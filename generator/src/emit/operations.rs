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

use super::docs::{code_span, doc_attrs, paragraphs};
use super::{cfg_features, ident, ty, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The names in scope in both files: builders share `builder.rs` with the std names, so a
/// builder called `String` shadows it (and `operations.rs` spells it the same way).
fn std_names(api: &Api) -> StdNames {
    StdNames::new(api.operations.iter().map(|op| op.type_name.as_str()))
}

/// `src/operations.rs`, the piece for the operations in `range` (the first piece has the header).
pub(crate) fn emit_client_methods(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let names = std_names(api);
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: false };
    let methods = api.operations[range.clone()].iter().map(|op| emit_method(op, cx));
    let header = (range.start == 0).then(|| {
        let imports = names.imports();
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
    });
    quote! {
        #header

        impl Client {
            #( #methods )*
        }
    }
}

/// `src/builder.rs`, the piece for the operations in `range` (the first piece has the header).
pub(crate) fn emit_builders(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let names = std_names(api);
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: false };
    let builders = api.operations[range.clone()].iter().map(|op| emit_builder(api, op, cx));
    let header = (range.start == 0).then(|| {
        let imports = names.imports();
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
    });
    quote! {
        #header

        #( #builders )*
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

/// The argument type of a parameter and how it is stored (`impl Into<String>` for strings).
fn arg_type(t: &TypeRef, cx: TyCtx<'_>) -> (TokenStream, TokenStream, bool) {
    let stored = ty(t, cx);
    if *t == TypeRef::String {
        let string = cx.names.path("String");
        (quote!(impl Into<#string>), stored, true)
    } else {
        (stored.clone(), stored, false)
    }
}

fn success_and_error(op: &Operation, cx: TyCtx<'_>) -> (TokenStream, TokenStream) {
    (ty(&op.success_type, cx), ty(&op.error_type, cx))
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

fn emit_method(op: &Operation, cx: TyCtx<'_>) -> TokenStream {
    let name = ident(&op.rust_name);
    let builder = ident(&op.type_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for i in required_args(op) {
        let p = &op.params[i];
        let pname = ident(&p.rust_name);
        let (arg, _, into) = arg_type(&p.ty, cx);
        args.push(quote!(#pname: #arg));
        inits.push(if into { quote!(#pname: #pname.into()) } else { quote!(#pname) });
    }
    for p in op.params.iter().filter(|p| !p.required) {
        let pname = ident(&p.rust_name);
        inits.push(quote!(#pname: None));
    }
    if let Some(b) = &op.body {
        let t = ty(&b.ty, cx);
        if b.required {
            args.push(quote!(body: #t));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    let docs = doc_attrs(&method_docs(op));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let cfg = op_cfg(op);
    quote! {
        #cfg
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self, #( #args ),*) -> builder::#builder<'_> {
            builder::#builder { client: self, #( #inits, )* }
        }
    }
}

fn auth_list(api: &Api, op: &Operation) -> TokenStream {
    let items = op.security.iter().filter_map(|name| {
        let scheme = api.security_schemes.iter().find(|s| &s.api_name == name)?;
        Some(match &scheme.kind {
            SecurityKind::Bearer | SecurityKind::OAuth2 => quote!(Auth::Bearer),
            SecurityKind::Basic => quote!(Auth::Basic),
            SecurityKind::ApiKey { location, name } => {
                let lit = Literal::string(name);
                match location {
                    ParamLocation::Query => quote!(Auth::Query(#lit)),
                    ParamLocation::Cookie => quote!(Auth::Cookie(#lit)),
                    _ => quote!(Auth::Header(#lit)),
                }
            }
        })
    });
    quote!(&[#( #items ),*])
}

/// The feature condition of an operation's code (none when the crate has a single feature).
fn op_cfg(op: &Operation) -> TokenStream {
    if op.feature.is_empty() {
        quote!()
    } else {
        cfg_features(std::slice::from_ref(&op.feature))
    }
}

fn emit_builder(api: &Api, op: &Operation, cx: TyCtx<'_>) -> TokenStream {
    let cfg = op_cfg(op);
    let name = ident(&op.type_name);
    let (ok_ty, err_ty) = success_and_error(op, cx);

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let pname = ident(&p.rust_name);
        let (arg, stored, into) = arg_type(&p.ty, cx);
        if p.required {
            fields.push(quote!(#pname: #stored));
        } else {
            let option = cx.names.path("Option");
            fields.push(quote!(#pname: #option<#stored>));
            let value = if into { quote!(value.into()) } else { quote!(value) };
            let desc = p.docs.description.clone().unwrap_or_else(|| format!("Sets the `{}` {} parameter.", p.api_name, p.location.as_str()));
            let d = doc_attrs(&desc);
            let deprecated = p.docs.deprecated.then(|| quote!(#[deprecated]));
            setters.push(quote! {
                #d
                #deprecated
                #[inline]
                pub fn #pname(mut self, value: #arg) -> Self {
                    self.#pname = Some(#value);
                    self
                }
            });
        }
    }
    if let Some(b) = &op.body {
        let t = ty(&b.ty, cx);
        if b.required {
            fields.push(quote!(body: #t));
        } else {
            let option = cx.names.path("Option");
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

    // The path: literal parts and encoded parameters.
    let mut fmt = String::new();
    let mut fmt_args = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(s) => fmt.push_str(&s.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let pname = ident(&p.rust_name);
                fmt.push_str("{}");
                if has_param_text(&p.ty, cx.store) {
                    fmt_args.push(quote!(runtime::encode_path(&this.#pname.param_text())));
                } else {
                    fmt_args.push(quote!(runtime::encode_path(&runtime::JsonText(&this.#pname).param_text())));
                }
            }
        }
    }
    let path = if fmt_args.is_empty() {
        let lit = Literal::string(&fmt.replace("{{", "{").replace("}}", "}"));
        quote!(#lit)
    } else {
        let lit = Literal::string(&fmt);
        quote!(&format!(#lit, #( #fmt_args ),*))
    };

    let mut stmts = Vec::new();
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let pname = ident(&p.rust_name);
        let api = Literal::string(&p.api_name);
        let value = quote!(value);
        let write = match (&p.location, &p.ty) {
            (ParamLocation::Query, TypeRef::Vec(inner)) if has_param_text(inner, cx.store) => {
                let (explode, sep) = match p.style {
                    ParamStyle::Form { explode } => (explode, ","),
                    ParamStyle::SpaceDelimited => (false, " "),
                    ParamStyle::PipeDelimited => (false, "|"),
                    _ => (true, ","),
                };
                quote!(request.query_array(#api, #value, #explode, #sep);)
            }
            (ParamLocation::Query, t) if !has_param_text(t, cx.store) => {
                let style = match p.style {
                    ParamStyle::Form { explode: true } => quote!(FormExplode),
                    ParamStyle::DeepObject => quote!(DeepObject),
                    _ => quote!(Form),
                };
                quote!(request.query_object(#api, #value, runtime::ObjectStyle::#style);)
            }
            (loc, t) => {
                let text = if has_param_text(t, cx.store) {
                    quote!(#value)
                } else {
                    quote!(&runtime::JsonText(#value))
                };
                match loc {
                    ParamLocation::Query => quote!(request.query(#api, #text);),
                    ParamLocation::Header => quote!(request.header(#api, #text);),
                    _ => quote!(request.cookie(#api, #text);),
                }
            }
        };
        stmts.push(if p.required {
            quote! { let value = &this.#pname; #write }
        } else {
            quote! { if let Some(value) = &this.#pname { #write } }
        });
    }
    if let Some(b) = &op.body {
        let ct = Literal::string(&b.media_type);
        let write = match b.format {
            BodyFormat::Json => quote!(request.json_body(body).map_err(Error::InvalidRequest)?;),
            BodyFormat::FormUrlEncoded => quote!(request.form_body(body).map_err(Error::InvalidRequest)?;),
            BodyFormat::Text => quote!(request.raw_body(#ct, body.clone().into_bytes());),
            BodyFormat::Binary | BodyFormat::Multipart => quote!(request.raw_body(#ct, body.to_vec());),
        };
        stmts.push(if b.required {
            quote! { let body = &this.body; #write }
        } else {
            quote! { if let Some(body) = &this.body { #write } }
        });
    }

    let method = match op.method {
        Method::Get => quote!(GET),
        Method::Put => quote!(PUT),
        Method::Post => quote!(POST),
        Method::Delete => quote!(DELETE),
        Method::Options => quote!(OPTIONS),
        Method::Head => quote!(HEAD),
        Method::Patch => quote!(PATCH),
        Method::Trace => quote!(TRACE),
    };
    let auth = auth_list(api, op);
    let arms = status_arms(op, cx);
    let result = cx.names.path("Result");
    let mutability = if stmts.is_empty() { quote!() } else { quote!(mut) };
    let debug_text = Literal::string(&format!("{} {{ .. }}", op.type_name));
    let builder_doc = doc_attrs(&format!("Request builder for [`Client::{}`](crate::Client::{}).", op.rust_name.trim_start_matches("r#"), op.rust_name.trim_start_matches("r#")));

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
        impl ::std::fmt::Debug for #name<'_> {
            /// The operation only: parameter values can be credentials, and are not printed.
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#debug_text)
            }
        }

        #cfg
        impl<'a> #name<'a> {
            #( #setters )*

            /// Sends the request and decodes the response (the same as awaiting the builder).
            #[inline]
            pub fn send(self) -> ResponseFuture<'a, #ok_ty, #err_ty> {
                // Building the request and decoding the response are plain functions: the
                // future holds only the exchange in flight.
                #[inline]
                fn request(this: #name<'_>) -> #result<Request<'_>, Error<#err_ty>> {
                    let #mutability request = Request::new(this.client, ::reqwest::Method::#method, #path).auth(#auth);
                    #( #stmts )*
                    Ok(request)
                }
                #[inline]
                fn decode(raw: RawResponse) -> #result<#ok_ty, Error<#err_ty>> {
                    match raw.status.as_u16() {
                        #( #arms )*
                    }
                }
                ResponseFuture::new(request(self), decode)
            }
        }

        #cfg
        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = #result<#ok_ty, Error<#err_ty>>;
            type IntoFuture = ResponseFuture<'a, #ok_ty, #err_ty>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

fn status_pattern(s: &StatusSpec) -> TokenStream {
    match s {
        StatusSpec::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusSpec::Range(d) => {
            let lo = Literal::u16_unsuffixed(d * 100);
            let hi = Literal::u16_unsuffixed(d * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusSpec::Default => quote!(_),
    }
}

/// How a response body is read from `raw`: the expression and whether it can fail (JSON, with a
/// `serde_json::Error`). Every JSON read is `runtime::json::<T>`, shared by all operations.
fn body_expr(body: Option<&ResponseBody>) -> Option<(TokenStream, bool)> {
    match body.map(|b| (&b.format, &b.ty)) {
        None | Some((_, TypeRef::Unit)) => None,
        Some((BodyFormat::Text, _)) => Some((quote!(runtime::text(&raw)), false)),
        Some((BodyFormat::Binary | BodyFormat::Multipart, _)) => Some((quote!(raw.body.clone()), false)),
        Some(_) => Some((quote!(runtime::json(&raw)), true)),
    }
}

/// One status arm's expression. `wrap` turns the body value `v` into the function's result
/// (`Ok(..)`, or `Err(runtime::api_error(raw, ..))`); nothing in an arm is generic over the
/// arm's own types, so no function is compiled per status.
fn arm_expr(body: Option<&ResponseBody>, wrap: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    match body_expr(body) {
        None => wrap(quote!(())),
        Some((read, false)) => {
            let wrapped = wrap(quote!(v));
            quote!({ let v = #read; #wrapped })
        }
        Some((read, true)) => {
            let wrapped = wrap(quote!(v));
            quote!(match #read {
                Ok(v) => #wrapped,
                Err(e) => Err(runtime::decode_error(raw, e)),
            })
        }
    }
}

fn status_arms(op: &Operation, cx: TyCtx<'_>) -> Vec<TokenStream> {
    let mut arms: Vec<(u8, TokenStream, TokenStream)> = Vec::new();
    let rank = |s: &StatusSpec| match s {
        StatusSpec::Code(_) => 0,
        StatusSpec::Range(_) => 1,
        StatusSpec::Default => 2,
    };
    let outcome_variant = |t: &TypeRef, r: &Response| -> Option<(TokenStream, bool)> {
        let TypeRef::Named(id, _) = t else { return None };
        let TypeKind::Outcomes(variants) = &cx.store.get(*id).kind else { return None };
        // Outcome variants are in response order: successes and errors each have their own enum.
        let idx = op
            .success
            .iter()
            .position(|s| std::ptr::eq(s, r))
            .or_else(|| op.errors.iter().position(|s| std::ptr::eq(s, r)))?;
        let v = &variants[idx];
        let vname = ident(&v.rust_name);
        let tyname = ty(t, cx);
        Some((quote!(#tyname::#vname), v.ty == TypeRef::Unit))
    };
    for r in &op.success {
        let pat = status_pattern(&r.status);
        let expr = match outcome_variant(&op.success_type, r) {
            Some((variant, true)) => quote!(Ok(#variant)),
            Some((variant, false)) => arm_expr(r.body.as_ref(), |v| quote!(Ok(#variant(#v)))),
            None => arm_expr(r.body.as_ref(), |v| quote!(Ok(#v))),
        };
        arms.push((rank(&r.status), pat, expr));
    }
    for r in &op.errors {
        let pat = status_pattern(&r.status);
        let expr = match outcome_variant(&op.error_type, r) {
            Some((variant, true)) => quote!(Err(runtime::api_error(raw, #variant))),
            Some((variant, false)) => arm_expr(r.body.as_ref(), |v| quote!(Err(runtime::api_error(raw, #variant(#v))))),
            None => arm_expr(r.body.as_ref(), |v| quote!(Err(runtime::api_error(raw, #v)))),
        };
        arms.push((rank(&r.status), pat, expr));
    }
    arms.sort_by_key(|(r, _, _)| *r);
    // Statuses of one rank handled alike share an arm (`401 | 403 | 404 => ..`): codes do not
    // overlap, and neither do the ranges of a rank.
    let mut merged: Vec<(u8, Vec<TokenStream>, TokenStream, String)> = Vec::new();
    for (rank, pat, expr) in arms {
        let text = expr.to_string();
        match merged.iter_mut().find(|(r, _, _, t)| *r == rank && *t == text) {
            Some(arm) => arm.1.push(pat),
            None => merged.push((rank, vec![pat], expr, text)),
        }
    }
    let has_default = op.success.iter().chain(&op.errors).any(|r| r.status == StatusSpec::Default);
    let mut out: Vec<TokenStream> =
        merged.into_iter().map(|(_, pats, expr, _)| quote!(#( #pats )|* => #expr,)).collect();
    if !has_default {
        out.push(quote!(_ => Err(runtime::unexpected(raw)),));
    }
    out
}
