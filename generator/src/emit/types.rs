//! `src/types.rs`: one Rust type per IR type, in the order of the type store (component schemas
//! in document order, then inline types in the order lowering met them).

use super::docs::{code_span, doc_attrs, paragraphs};
use super::{cfg_features, ident, ty, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The types with indices in `range`; the first piece also carries the module docs and imports.
pub(crate) fn emit_types(api: &Api, names: &StdNames, range: std::ops::Range<usize>, first: bool) -> TokenStream {
    let items = api.types.defs[range].iter().map(|def| emit_type(def, &api.types, names));
    let head = first.then(|| {
        let imports = names.imports();
        quote! {
            //! Request and response types of the API.
            #imports
        }
    });
    quote! {
        #head
        #( #items )*
    }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    let mut text = paragraphs([def.docs.title.as_deref(), def.docs.description.as_deref()]);
    if text.is_empty() {
        text = if def.origin.starts_with("/components/schemas/") && !def.origin[20..].contains('/') {
            format!("The `{}` schema.", def.api_name.replace('`', "'"))
        } else {
            String::new()
        };
    }
    if let Some(ex) = &def.docs.example {
        text = paragraphs([Some(text.as_str()), Some(&example_doc(ex))]);
    }
    let origin = format!("Defined at {}.", code_span(&format!("#{}", def.origin)));
    text = paragraphs([Some(text.as_str()), Some(&origin)]);
    let deprecated = def.docs.deprecated.then(|| quote!(#[deprecated]));
    let docs = doc_attrs(&text);
    quote!(#docs #deprecated)
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

fn emit_type(def: &TypeDef, store: &TypeStore, names: &StdNames) -> TokenStream {
    let name = ident(&def.rust_name);
    let cfg = cfg_features(&def.features);
    let docs = type_docs(def);
    let docs = quote!(#cfg #docs);
    let cx = TyCtx { store, names, qualify: false, generics: &def.generics, in_serde: true };
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, cx, docs, &cfg),
        TypeKind::Enum(e) => emit_enum(&name, e, docs, names, &cfg),
        TypeKind::Union(u) => emit_union(&name, u, def.serializes(), cx, docs, &cfg),
        TypeKind::Outcomes(variants) => {
            let cx = TyCtx { in_serde: false, ..cx };
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let vdocs = doc_attrs(v.docs.description.as_deref().unwrap_or("A response with this status."));
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
    }
}

fn field_docs(f: &Field) -> TokenStream {
    let mut text = paragraphs([f.docs.title.as_deref(), f.docs.description.as_deref()]);
    if text.is_empty() {
        text = format!("The `{}` property.", f.api_name.replace('`', "'"));
    }
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server.".to_string());
    }
    if f.write_only {
        notes.push("Write-only: never returned by the server.".to_string());
    }
    if let Some(d) = &f.default {
        notes.push(format!("Default: {}.", code_span(&serde_json::to_string(d).unwrap_or_default())));
    }
    if let Some(ex) = &f.docs.example {
        notes.push(example_doc(ex));
    }
    for n in &notes {
        text = paragraphs([Some(text.as_str()), Some(n.as_str())]);
    }
    let deprecated = f.docs.deprecated.then(|| quote!(#[deprecated]));
    let docs = doc_attrs(&text);
    quote!(#docs #deprecated)
}

/// How a field is written, from its required/nullable combination.
enum Presence {
    /// `T`
    Required,
    /// `Option<T>`, `null` decodes to `None`, a missing field is an error.
    RequiredNullable,
    /// `Option<T>`, absent and (for responses) `null` decode to `None`.
    Optional,
    /// `Option<Option<T>>`: absent, `null` and a value stay distinct (request types).
    OptionalNullable,
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
            let mut inner = f.ty.clone();
            let mut nullable = f.nullable;
            if let TypeRef::Option(t) = inner {
                inner = *t;
                nullable = true;
            }
            if inner == TypeRef::Json {
                // `Value` holds `null` itself.
                nullable = false;
            }
            // A read-only field is never sent and a write-only field never received: in a type
            // used both ways they cannot be required.
            let required = f.required && !(f.read_only && def.in_request) && !(f.write_only && def.in_response);
            let presence = match (required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, true) if def.in_request => Presence::OptionalNullable,
                (false, _) => Presence::Optional,
            };
            if matches!(presence, Presence::Required | Presence::RequiredNullable) {
                all_optional = false;
            }
            let t = ty(&inner, cx);
            let option = cx.names.path("Option");
            let field_ty = match presence {
                Presence::Required => t,
                Presence::RequiredNullable | Presence::Optional => quote!(#option<#t>),
                Presence::OptionalNullable => quote!(#option<#option<#t>>),
            };
            let fdocs = field_docs(f);
            if by_macro {
                let key = Literal::string(&f.api_name);
                let kind = match presence {
                    Presence::Required | Presence::RequiredNullable => quote!(Required),
                    Presence::Optional => quote!(Optional),
                    Presence::OptionalNullable => quote!(OptionalNullable),
                };
                wire.push(quote!(#fname: #key #kind));
                return quote! { #fdocs pub #fname: #field_ty };
            }
            let rename = (f.rust_name.trim_start_matches("r#") != f.api_name).then(|| {
                let api = &f.api_name;
                quote!(rename = #api,)
            });
            let is_none = format!("{}::is_none", cx.names.path_str("Option"));
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
    let received = received_marker(def.serializes());
    if by_macro {
        return quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, #default)]
            pub struct #name {
                #( #fields ),*
            }

            #cfg

            crate::runtime::serde_struct!(#received #name { #( #wire ),* });
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
        pub struct #name #generics {
            #( #fields ),* #sep
            #additional
        }
    }
}

fn emit_enum(name: &proc_macro2::Ident, e: &Enum, docs: TokenStream, names: &StdNames, cfg: &TokenStream) -> TokenStream {
    let (string, result) = (names.path("String"), names.path("Result"));
    let (ser, de) = (names.path("Serialize"), names.path("Deserialize"));
    let mut scope = crate::naming::Scope::new();
    for v in &e.variants {
        scope.claim(&v.rust_name);
    }
    let unknown = ident(&scope.claim("Unknown"));
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let d = doc_attrs(&code_span(&v.api_name));
        quote!(#d #vname)
    });
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
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants, )*
            /// A value this version of the client does not know; kept as sent.
            #unknown(#string),
        }

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

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> #result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        #cfg

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #cfg

        impl #ser for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #cfg

        impl<'de> #de<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                crate::runtime::deserialize_enum(deserializer)
            }
        }

        #cfg

        impl crate::runtime::ParamText for #name {
            fn param_text(&self) -> #string {
                self.as_str().to_string()
            }
        }
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

fn emit_union(
    name: &proc_macro2::Ident,
    u: &Union,
    serializes: bool,
    cx: TyCtx<'_>,
    docs: TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let received = received_marker(serializes);
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
            let text = paragraphs([v.docs.title.as_deref(), v.docs.description.as_deref()]);
            let text = if text.is_empty() { format!("A `{}` value.", v.rust_name) } else { text };
            let d = doc_attrs(&text);
            quote!(#d #vname(#t))
        })
        .collect();
    let names: Vec<proc_macro2::Ident> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    match &u.tagging {
        Tagging::Untagged => {
            quote! {
                #docs
                #[derive(Clone, Debug, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #variants, )*
                }

                #cfg

                crate::runtime::serde_untagged!(#received #name { #( #names ),* });
            }
        }
        Tagging::Internal { property } => {
            // The discriminator selects the variant; the variant type decodes the whole object
            // (tag included, since the variant schemas declare it). An unknown tag is kept as
            // JSON so that a subtype the server adds later does not make the response fail.
            let mut scope = crate::naming::Scope::new();
            for v in &u.variants {
                scope.claim(&v.rust_name);
            }
            let unknown = ident(&scope.claim("Unknown"));
            let arms = u.variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let tags = v.tags.iter().map(|t| Literal::string(t));
                quote!(#( #option::Some(#tags) )|* => crate::runtime::decode_variant(value).map(Self::#vname))
            });
            let prop = Literal::string(property);
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
                crate::runtime::serialize_untagged!(#name { #( #names, )* #unknown });

                #cfg

                impl<'de> #de<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                        let (tag, value) = crate::runtime::split_tag(deserializer, #prop)?;
                        match tag.as_deref() {
                            #( #arms, )*
                            _ => Ok(Self::#unknown(value)),
                        }
                    }
                }
            }
        }
    }
}
