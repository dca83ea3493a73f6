//! `src/types.rs`: one Rust type per IR type, in the order of the type store (component schemas
//! in document order, then inline types in the order lowering met them).
//!
//! The file is emitted in pieces of consecutive types (see `emit::plan_crate`), each formatted
//! on its own.

use super::docs::{code_span, doc_attrs, is_blank, paragraphs, push_paragraph, trusted_doc_attrs};
use super::{cfg_features, ident, ty, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The types with indices in `range`; the first piece also carries the module docs and imports.
pub(crate) fn emit_types(api: &Api, names: &StdNames, range: std::ops::Range<usize>, first: bool) -> TokenStream {
    let mut tokens = TokenStream::new();
    if first {
        let imports = names.imports();
        tokens.extend(quote! {
            //! Request and response types of the API.
            #imports
        });
    }
    for def in &api.types.defs[range] {
        tokens.extend(emit_type(def, &api.types, names, !api.types_only));
    }
    tokens
}

/// A row of `serde_struct!`: `field: "wire" Required`.
fn wire_row(rust_name: &str, api_name: &str, kind: &str) -> TokenStream {
    let (fname, key, kind_id) = (ident(rust_name), Literal::string(api_name), format_ident!("{}", kind));
    quote!(#fname: #key #kind_id)
}

/// `#cfg crate::runtime::#mac!(received Name { rows });`.
fn table_macro(
    cfg: &TokenStream,
    mac: &str,
    received: bool,
    name: &proc_macro2::Ident,
    rows: &[TokenStream],
) -> TokenStream {
    let mac = format_ident!("{}", mac);
    let received = received_marker(!received);
    quote!(#cfg crate::runtime::#mac!(#received #name { #( #rows ),* });)
}

fn type_docs(def: &TypeDef) -> TokenStream {
    let text = type_doc_text(def);
    let deprecated = def.docs.deprecated.then(|| quote!(#[deprecated]));
    let docs = doc_attrs(&text);
    quote!(#docs #deprecated)
}

/// The text of a type's doc comment.
fn type_doc_text(def: &TypeDef) -> String {
    let mut text = paragraphs([def.docs.title.as_deref(), def.docs.description.as_deref()]);
    if is_blank(&text) && def.origin.starts_with("/components/schemas/") && !def.origin[20..].contains('/') {
        text = format!("The {} schema.", code_span(&def.api_name.replace('`', "'")));
    }
    if let Some(ex) = &def.docs.example {
        push_paragraph(&mut text, Some(&example_doc(ex)));
    }
    push_paragraph(&mut text, Some(&format!("Defined at {}.", code_span(&format!("#{}", def.origin)))));
    text
}

pub(crate) fn example_doc(ex: &serde_json::Value) -> String {
    let compact = serde_json::to_string(ex).unwrap_or_default();
    if compact.len() <= 80 && !compact.contains('`') {
        format!("Example: {}", code_span(&compact))
    } else {
        let pretty = serde_json::to_string_pretty(ex).unwrap_or_default();
        format!("Example:\n\n```json\n{pretty}\n```")
    }
}

/// A type's items: its definition and the impls it needs.
fn emit_type(def: &TypeDef, store: &TypeStore, names: &StdNames, client: bool) -> TokenStream {
    let cx = TyCtx { store, names, qualify: false, generics: &def.generics, in_serde: true };
    let name = ident(&def.rust_name);
    let cfg = cfg_features(&def.features);
    let docs = type_docs(def);
    let extra = configured_attributes(def);
    let docs = quote!(#cfg #docs #extra);
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, cx, docs, &cfg),
        TypeKind::Enum(e) => emit_enum(def, e, docs, names, &cfg, client),
        TypeKind::Union(u) => emit_union(def, u, cx, docs, &cfg),
        TypeKind::Outcomes(variants) => {
            let cx = TyCtx { in_serde: false, ..cx };
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let vdocs = doc_attrs(outcome_doc(v));
                if v.ty == TypeRef::Unit {
                    quote!(#vdocs #vname)
                } else {
                    let t = ty(&v.ty, cx);
                    quote!(#vdocs #vname(#t))
                }
            });
            quote! {
                #docs
                #[derive(Clone, Debug, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #( #vs, )* }
            }
        }
        TypeKind::Alias(target) => {
            let t = ty(target, cx);
            quote! { #docs pub type #name = #t; }
        }
        TypeKind::External(path) => {
            let t: TokenStream = path.parse().expect("invariant: the configuration checked the replacement type");
            quote! { #docs pub type #name = #t; }
        }
    }
}

/// The derives and attributes `sdkgen.toml` adds to the type (checked when the configuration
/// was applied: each derive a path, each attribute one outer attribute).
fn configured_attributes(def: &TypeDef) -> TokenStream {
    let parse = |s: &str| -> TokenStream { s.parse().expect("invariant: the configuration checked its attributes") };
    let derives = def.derives.iter().map(|d| parse(d));
    let derive = (!def.derives.is_empty()).then(|| quote!(#[derive(#( #derives ),*)]));
    let attributes = def.attributes.iter().map(|a| parse(a));
    quote!(#derive #( #attributes )*)
}

/// The doc text of an outcome (a response status).
fn outcome_doc(v: &UnionVariant) -> &str {
    v.docs.description.as_deref().filter(|d| !is_blank(d)).unwrap_or("A response with this status.")
}

/// The doc text of a variant of a union.
fn union_variant_doc(v: &UnionVariant) -> String {
    let text = paragraphs([v.docs.title.as_deref(), v.docs.description.as_deref()]);
    if is_blank(&text) {
        format!("A `{}` value.", v.rust_name)
    } else {
        text
    }
}

fn field_docs(f: &Field) -> TokenStream {
    let text = field_doc_text(f);
    let deprecated = f.docs.deprecated.then(|| quote!(#[deprecated]));
    let docs = doc_attrs(&text);
    quote!(#docs #deprecated)
}

/// The text of a field's doc comment.
fn field_doc_text(f: &Field) -> String {
    let mut text = paragraphs([f.docs.title.as_deref(), f.docs.description.as_deref()]);
    if is_blank(&text) {
        text = format!("The {} property.", code_span(&f.api_name.replace('`', "'")));
    }
    if f.read_only {
        push_paragraph(&mut text, Some("Read-only: set by the server."));
    }
    if f.write_only {
        push_paragraph(&mut text, Some("Write-only: never returned by the server."));
    }
    if let Some(d) = &f.default {
        push_paragraph(
            &mut text,
            Some(&format!("Default: {}.", code_span(&serde_json::to_string(d).unwrap_or_default()))),
        );
    }
    if let Some(ex) = &f.docs.example {
        push_paragraph(&mut text, Some(&example_doc(ex)));
    }
    text
}

fn emit_struct(def: &TypeDef, s: &Struct, cx: TyCtx<'_>, docs: TokenStream, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.rust_name);
    // Plain structs implement serde through `runtime::serde_struct!` (a few lines per field once
    // expanded); generic envelopes and structs that keep unknown properties use the derive.
    let by_macro = s.additional.is_none() && def.generics.is_empty();
    let mut all_optional = true;
    let mut wire = Vec::new();
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.rust_name);
            let (inner, presence) = f.presence(def);
            all_optional &= !presence.is_required();
            let field_ty = ty(&presence.wrap(inner), cx);
            let fdocs = field_docs(f);
            if by_macro {
                let kind = presence.table_kind();
                wire.push(wire_row(&f.rust_name, &f.api_name, kind));
                return quote! { #fdocs pub #fname: #field_ty };
            }
            let rename = (f.rust_name.trim_start_matches("r#") != f.api_name).then(|| {
                let api = &f.api_name;
                quote!(rename = #api,)
            });
            let is_none = format!("{}::is_none", cx.names.name("Option"));
            let attrs = match presence {
                Presence::Required => rename.map(|r| quote!(#[serde(#r)])),
                Presence::RequiredNullable => {
                    Some(quote!(#[serde(#rename deserialize_with = "crate::runtime::required_nullable")]))
                }
                Presence::Optional => Some(quote!(#[serde(#rename default, skip_serializing_if = #is_none)])),
                Presence::OptionalNullable => Some(
                    quote!(#[serde(#rename default, skip_serializing_if = #is_none, deserialize_with = "crate::runtime::double_option")]),
                ),
            };
            quote! { #fdocs #attrs pub #fname: #field_ty }
        })
        .collect();
    let additional = s.additional.as_ref().map(|a| {
        let t = ty(a, cx);
        let (map, string) = (cx.names.path("BTreeMap"), cx.names.path("String"));
        quote! {
            /// Properties not declared in the schema, by name.
            #[serde(flatten)]
            pub additional_properties: #map<#string, #t>
        }
    });
    let default = all_optional.then(|| quote!(Default,));
    let generics = if def.generics.is_empty() {
        quote!()
    } else {
        let ps = def.generics.iter().map(|g| format_ident!("{}", g.rust_name));
        let value = cx.names.path("Value");
        quote!(<#( #ps = #value ),*>)
    };
    let sep = additional.as_ref().map(|_| quote!(,));
    let generic_doc = if def.generics.is_empty() {
        quote!()
    } else {
        let text = def
            .generics
            .iter()
            .map(|g| format!("`{}` is the type of {}.", g.rust_name, code_span(&g.property)))
            .collect::<Vec<_>>()
            .join(" ");
        let text = format!("Generic envelope: {text} It defaults to any JSON value.");
        let d = doc_attrs(&text);
        quote!(#[doc = ""] #d)
    };
    let build = def.in_request.then(|| build_impl(def, s, cx, cfg, all_optional));
    if by_macro {
        let table = table_macro(cfg, "serde_struct", !def.serializes(), &name, &wire);
        return quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, #default)]
            #[non_exhaustive]
            pub struct #name {
                #( #fields ),*
            }

            #table
            #build
        };
    }
    let (ser, de) = (cx.names.path("Serialize"), cx.names.path("Deserialize"));
    let full_serde = crate::ir::FULL_SERDE_FEATURE;
    let derive_ser = if def.serializes() {
        quote!(#[derive(#ser)])
    } else {
        quote!(#[cfg_attr(feature = #full_serde, derive(#ser))])
    };
    quote! {
        #docs
        #generic_doc
        #[derive(Clone, Debug, PartialEq, #default #de)]
        #derive_ser
        #[non_exhaustive]
        pub struct #name #generics {
            #( #fields ),* #sep
            #additional
        }

        #build
    }
}

/// The constructor and setters of a type users send: `new` takes the required fields (none
/// when the type has `Default`), a setter per other field that is sent takes its value. With
/// them the struct can be `#[non_exhaustive]`, so a new optional property is not a breaking
/// change. Both are `#[inline]`: the crate compiles no code for them until a program calls them.
fn build_impl(def: &TypeDef, s: &Struct, cx: TyCtx<'_>, cfg: &TokenStream, has_default: bool) -> TokenStream {
    let name = ident(&def.rust_name);
    let option = cx.names.path("Option");
    let setter_names = crate::naming::setter_names(s.fields.iter().map(|f| f.rust_name.as_str()));
    let (mut args, mut inits, mut setters) = (Vec::new(), Vec::new(), Vec::new());
    for (f, setter) in s.fields.iter().zip(&setter_names) {
        let fname = ident(&f.rust_name);
        let (inner, presence) = f.presence(def);
        let deprecated = f.docs.deprecated.then(|| quote!(#[deprecated]));
        let field = code_span(f.rust_name.trim_start_matches("r#"));
        let (arg, into) = match presence {
            Presence::Required | Presence::Optional => {
                let (arg, _, into) = super::arg_type(&inner, cx);
                (arg, into)
            }
            // `None` sends `null`.
            Presence::RequiredNullable | Presence::OptionalNullable => {
                let t = ty(&inner, cx);
                (quote!(#option<#t>), false)
            }
        };
        let value = if into { quote!(value.into()) } else { quote!(value) };
        if presence.is_required() && !has_default {
            args.push(quote!(#fname: #arg));
            inits.push(if into { quote!(#fname: #fname.into()) } else { quote!(#fname) });
        } else {
            inits.push(quote!(#fname: None));
        }
        // The server sets a read-only field: nothing to send.
        if f.read_only {
            continue;
        }
        let stored = match presence {
            Presence::Optional | Presence::OptionalNullable => quote!(Some(#value)),
            Presence::Required | Presence::RequiredNullable => value,
        };
        let nullable = matches!(presence, Presence::RequiredNullable | Presence::OptionalNullable)
            .then_some(" `None` sends `null`.")
            .unwrap_or_default();
        let doc = doc_attrs(&format!("Sets the {field} field.{nullable}"));
        let setter = ident(setter);
        setters.push(quote! {
            #doc
            #deprecated
            #[inline]
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#fname = #stored;
                self
            }
        });
    }
    if s.additional.is_some() {
        inits.push(quote!(additional_properties: ::std::default::Default::default()));
    }
    let generics = def.generics.iter().map(|g| format_ident!("{}", g.rust_name)).collect::<Vec<_>>();
    let generics = (!generics.is_empty()).then(|| quote!(<#( #generics ),*>));
    let new = (!has_default).then(|| {
        let doc = doc_attrs("A value with the required fields; set the others with the setters.");
        quote! {
            #doc
            #[inline]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits ),* }
            }
        }
    });
    if new.is_none() && setters.is_empty() {
        return quote!();
    }
    quote! {
        #cfg
        #[allow(deprecated)]
        impl #generics #name #generics {
            #new
            #( #setters )*
        }
    }
}

fn emit_enum(
    def: &TypeDef,
    e: &Enum,
    docs: TokenStream,
    names: &StdNames,
    cfg: &TokenStream,
    client: bool,
) -> TokenStream {
    let name = &ident(&def.rust_name);
    let string = names.path("String");
    let unknown = ident(&unknown_variant(e));
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let d = trusted_doc_attrs(&code_span(&v.api_name));
        quote!(#d #vname)
    });
    let impls = enum_impls(name, e, &unknown, cfg, client);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
            /// A value this version of the client does not know; kept as sent.
            #unknown(#string),
        }

        #impls
    }
}

/// The name of an open enum's catch-all variant (`Unknown`, unless a value has that name).
fn unknown_variant(e: &Enum) -> String {
    let mut scope = crate::naming::Scope::new();
    for v in &e.variants {
        scope.claim(&v.rust_name);
    }
    scope.claim("Unknown")
}

/// A string enum's impls: `as_str` and `From<&str>` (its table of values), and what follows
/// from them, the same for every enum (`runtime::string_enum!`).
fn enum_impls(
    name: &proc_macro2::Ident,
    e: &Enum,
    unknown: &proc_macro2::Ident,
    cfg: &TokenStream,
    client: bool,
) -> TokenStream {
    // How the client writes the enum as a parameter (a types-only crate has no client).
    let param_text = client.then(|| quote!(, param_text));
    let to_str = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let lit = Literal::string(&v.api_name);
        quote!(Self::#vname => #lit)
    });
    let from_str = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let lit = Literal::string(&v.api_name);
        quote!(#lit => Self::#vname)
    });
    quote! {
        #cfg

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #to_str, )*
                    Self::#unknown(value) => value,
                }
            }
        }

        #cfg

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #from_str, )*
                    other => Self::#unknown(other.to_string()),
                }
            }
        }

        #cfg
        crate::runtime::string_enum!(#name #param_text);
    }
}

/// `received` before a table macro's type name: its `Serialize` impl needs `full-serde`.
fn received_marker(serializes: bool) -> TokenStream {
    if serializes {
        quote!()
    } else {
        quote!(received)
    }
}

/// The struct type whose declared properties an untagged union counts (`WireKeys`).
fn keyed_type(ty_ref: &TypeRef, cx: TyCtx<'_>) -> Option<TokenStream> {
    match ty_ref {
        TypeRef::Box(inner) => keyed_type(inner, cx),
        TypeRef::Named(_, args) if args.is_empty() => Some(ty(ty_ref, cx)),
        _ => None,
    }
}

/// A variant's row in `serde_untagged!` and `decode_shared_tag!`: `Member(Type) "property" =
/// "constant"`, what is checked before and after reading a value as the member (see
/// `lower::unions`).
fn guarded_row(v: &UnionVariant, name: &proc_macro2::Ident, cx: TyCtx<'_>) -> TokenStream {
    let keys = v.guard.keyed.then(|| keyed_type(&v.ty, cx)).flatten().map(|t| quote!((#t)));
    let fixed = v.guard.fixed.iter().map(|(k, c)| {
        let (k, c) = (Literal::string(k), Literal::string(c));
        quote!(#k = #c)
    });
    quote!(#name #keys #( #fixed )*)
}

/// Whether `t` is a struct that declares `property` and does not require it.
fn optional_property(store: &TypeStore, t: &TypeRef, property: &str) -> bool {
    optional_property_within(store, t, property, 0)
}

/// [`optional_property`], where a union makes it optional when one of its members does
/// (OpenAI's `Item`, whose `InputMessage` leaves `type` out), down to a fixed depth of nested
/// unions.
fn optional_property_within(store: &TypeStore, t: &TypeRef, property: &str, depth: usize) -> bool {
    const MAX_DEPTH: usize = 8;
    match t {
        TypeRef::Box(inner) => optional_property_within(store, inner, property, depth),
        TypeRef::Named(id, _) => match &store.get(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.api_name == property && !f.required),
            TypeKind::Alias(target) => optional_property_within(store, target, property, depth),
            TypeKind::Union(u) if depth < MAX_DEPTH => {
                u.variants.iter().any(|v| optional_property_within(store, &v.ty, property, depth + 1))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether `t` is a union (through boxes and aliases).
fn is_union(store: &TypeStore, t: &TypeRef) -> bool {
    match t {
        TypeRef::Box(inner) => is_union(store, inner),
        TypeRef::Named(id, _) => match &store.get(*id).kind {
            TypeKind::Union(_) => true,
            TypeKind::Alias(target) => is_union(store, target),
            _ => false,
        },
        _ => false,
    }
}

/// Whether values of `t` keep a property named `property`: a struct that declares it (or keeps
/// undeclared properties in its map), a union (its members decide), any JSON object.
fn declares_property(store: &TypeStore, t: &TypeRef, property: &str) -> bool {
    match t {
        TypeRef::Box(inner) | TypeRef::Option(inner) => declares_property(store, inner, property),
        TypeRef::Named(id, _) => match &store.get(*id).kind {
            TypeKind::Struct(s) => s.additional.is_some() || s.fields.iter().any(|f| f.api_name == property),
            TypeKind::Alias(target) => declares_property(store, target, property),
            TypeKind::Union(_) | TypeKind::External(_) => true,
            TypeKind::Enum(_) | TypeKind::Outcomes(_) => false,
        },
        TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) => true,
        _ => false,
    }
}

fn emit_union(def: &TypeDef, u: &Union, cx: TyCtx<'_>, docs: TokenStream, cfg: &TokenStream) -> TokenStream {
    let name = &ident(&def.rust_name);
    let serializes = def.serializes();
    let full_serde = crate::ir::FULL_SERDE_FEATURE;
    let serialize_cfg = (!serializes).then(|| quote!(#[cfg(feature = #full_serde)]));
    let de = cx.names.path("Deserialize");
    let (value, result, option) = (cx.names.path("Value"), cx.names.path("Result"), cx.names.path("Option"));
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let vname = ident(&v.rust_name);
            let t = ty(&v.ty, cx);
            let d = doc_attrs(&union_variant_doc(v));
            quote!(#d #vname(#t))
        })
        .collect();
    let names: Vec<proc_macro2::Ident> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    match &u.tagging {
        Tagging::Untagged => {
            // `Member(Type) "property" = "constant"`: what `serde_untagged!` checks before and
            // after reading a value as the member (see `lower::unions`).
            let rows: Vec<TokenStream> = u.variants.iter().zip(&names).map(|(v, n)| guarded_row(v, n, cx)).collect();
            let table = table_macro(cfg, "serde_untagged", !serializes, name, &rows);
            quote! {
                #docs
                #[derive(Clone, Debug, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #variants, )*
                }

                #table
            }
        }
        Tagging::Internal { property } => {
            // The discriminator selects the variant; the variant type decodes the whole object
            // (tag included, when the variant schema declares it). An unknown tag is kept as
            // JSON so that a subtype the server adds later does not make the response fail.
            let mut scope = crate::naming::Scope::new();
            for v in &u.variants {
                scope.claim(&v.rust_name);
            }
            let unknown = ident(&scope.claim("Unknown"));
            // One arm per set of variants that claim the same tags: a tag that selects one
            // variant decodes it; a tag that several claim is read as `serde_untagged!` reads
            // those variants (see `lower::unions`).
            let mut claims: Vec<(&str, Vec<usize>)> = Vec::new();
            for (i, v) in u.variants.iter().enumerate() {
                for t in &v.tags {
                    match claims.iter_mut().find(|(c, _)| c == t) {
                        Some((_, who)) => who.push(i),
                        None => claims.push((t, vec![i])),
                    }
                }
            }
            let mut arms: Vec<(Vec<&str>, Vec<usize>)> = Vec::new();
            for (t, who) in claims {
                match arms.iter_mut().find(|(_, w)| *w == who) {
                    Some((tags, _)) => tags.push(t),
                    None => arms.push((vec![t], who)),
                }
            }
            let arms = arms.iter().map(|(tags, who)| {
                let tags = tags.iter().map(|t| Literal::string(t));
                let decode = match who.as_slice() {
                    [one] => {
                        let vname = &names[*one];
                        quote!(crate::runtime::decode_variant(value).map(Self::#vname))
                    }
                    several => {
                        let rows = several.iter().map(|&i| guarded_row(&u.variants[i], &names[i], cx));
                        quote!(crate::runtime::decode_shared_tag!(value, #name { #( #rows ),* }))
                    }
                };
                quote!(#( #option::Some(#tags) )|* => #decode)
            });
            // A value without the discriminator may still be a variant whose type makes it
            // optional (OpenAI's `EasyInputMessage` leaves `type` out); else it is kept as sent.
            // Members that are unions come last: one reads any object (as its own `Unknown`
            // when nothing else), so it is chosen only when no struct member declares the
            // whole value.
            let mut untagged: Vec<(&UnionVariant, &proc_macro2::Ident)> =
                u.variants.iter().zip(&names).filter(|(v, _)| optional_property(cx.store, &v.ty, property)).collect();
            untagged.sort_by_key(|(v, _)| is_union(cx.store, &v.ty));
            let untagged: Vec<TokenStream> = untagged.into_iter().map(|(v, n)| guarded_row(v, n, cx)).collect();
            let absent = (!untagged.is_empty()).then(|| {
                quote!(#option::None => crate::runtime::decode_shared_tag!(value, #name { #( #untagged ),* } else #unknown),)
            });
            let prop = Literal::string(property);
            // A variant whose type does not declare the tag property (the discriminator is
            // only on the union) is written with its first tag added, so that the object on
            // the wire still names its variant.
            let rows = u.variants.iter().zip(&names).map(|(v, n)| match v.tags.first() {
                Some(tag) if !declares_property(cx.store, &v.ty, property) => {
                    let tag = Literal::string(tag);
                    quote!(#n #prop = #tag)
                }
                _ => quote!(#n),
            });
            let unknown_doc = doc_attrs(&format!(
                "An object whose {} this version of the client does not know; kept as sent.",
                code_span(property)
            ));
            quote! {
                #docs
                #[derive(Clone, Debug, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #variants, )*
                    #unknown_doc
                    #unknown(#value),
                }

                #cfg
                #serialize_cfg
                crate::runtime::serialize_tagged!(#name { #( #rows, )* #unknown });

                #cfg

                impl<'de> #de<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        let (tag, value) = crate::runtime::split_tag(deserializer, #prop)?;
                        match tag.as_deref() {
                            #( #arms, )*
                            #absent
                            _ => Ok(Self::#unknown(value)),
                        }
                    }
                }
            }
        }
    }
}
