//! `src/types.rs`: one Rust type per IR type, in the order of the type store (component schemas
//! in document order, then inline types in the order lowering met them).
//!
//! Most items are written as the final text ([`types_text`]): formatting tokens was most of the
//! cost of generating this file. Tokens remain for the shapes the text writers leave out (see
//! [`item_text`]), formatted in place, and the tests compare the two for every writer.

use super::docs::{code_span, doc_attrs, doc_text, paragraphs, push_paragraph};
use super::layout;
use super::{cfg_features, ident, text_enabled, ty, ty_text, StdNames, TyCtx};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The types with indices in `range` as tokens (the token path of [`types_text`]); the first
/// piece also carries the module docs and imports.
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
        tokens.extend(emit_type(def, &api.types, names));
    }
    tokens
}

/// A piece of `types.rs` as its final text: the types with indices in `range` (the first piece
/// also has the module docs and imports). Items the text writers leave out are formatted from
/// their tokens in place; with the text writers off, the whole piece is.
pub(crate) fn types_text(api: &Api, names: &StdNames, range: std::ops::Range<usize>, first: bool) -> Result<String, String> {
    use crate::format::{format_rust_chunked, CHUNK_ITEMS};
    if !text_enabled() {
        return format_rust_chunked(emit_types(api, names, range, first), CHUNK_ITEMS);
    }
    let mut out = String::new();
    if first {
        let imports = names.imports();
        out = crate::format::format_rust(quote! {
            //! Request and response types of the API.
            #imports
        })?;
    }
    for def in &api.types.defs[range] {
        if cfg_text(&def.features).is_some_and(|cfg| item_text(def, &api.types, names, &cfg, &mut out)) {
            continue;
        }
        out.push_str(&format_rust_chunked(emit_type(def, &api.types, names), CHUNK_ITEMS)?);
    }
    Ok(out)
}

/// A type's `#[cfg(..)]` line(s) as formatted (nothing for a type every feature has), for the
/// items written as text; `None` when text writers are off.
fn cfg_text(features: &[String]) -> Option<String> {
    text_enabled().then(|| {
        let mut text = String::new();
        layout::cfg_attribute(features, &mut text);
        text
    })
}

/// A row of `serde_struct!`, `field: "wire" Required`, as tokens (the text of
/// [`push_wire_row`]).
fn wire_row(rust_name: &str, api_name: &str, kind: &str) -> TokenStream {
    let (fname, key, kind_id) = (ident(rust_name), Literal::string(api_name), format_ident!("{}", kind));
    quote!(#fname: #key #kind_id)
}

/// Adds a row of `serde_struct!` to the rows of [`table_macro_text`].
fn push_wire_row(rows: &mut String, rust_name: &str, api_name: &str, kind: &str) {
    push_row(rows, |row| {
        row.push_str(rust_name);
        row.push_str(": ");
        layout::string_literal(api_name, row);
        row.push(' ');
        row.push_str(kind);
    });
}

/// Adds a row to the rows of [`table_macro_text`]: indented, with its comma and line break.
fn push_row(rows: &mut String, write: impl FnOnce(&mut String)) {
    rows.push_str("    ");
    write(rows);
    rows.push_str(",\n");
}

/// `#cfg crate::runtime::#mac!(received Name { rows });` (the tokens [`table_macro_text`]
/// writes as text).
fn table_macro(cfg: &TokenStream, mac: &str, received: bool, name: &proc_macro2::Ident, rows: &[TokenStream]) -> TokenStream {
    let mac = format_ident!("{}", mac);
    let received = received_marker(!received);
    quote!(#cfg crate::runtime::#mac!(#received #name { #( #rows ),* });)
}

/// `crate::runtime::serde_struct!(received Name {\n    row,\n});` as `format` lays it out
/// (the table macros have one row per line, whatever their length). `rows` is the rows'
/// lines (see [`push_row`]).
fn table_macro_text(cfg: &str, mac: &str, received: bool, name: &str, rows: &str, out: &mut String) {
    out.push_str(cfg);
    out.push_str("crate::runtime::");
    out.push_str(mac);
    out.push_str("!(");
    if received {
        layout::received_name(name, out);
    } else {
        out.push_str(name);
    }
    if rows.is_empty() {
        out.push_str(" {});\n");
    } else {
        out.push_str(" {\n");
        out.push_str(rows);
        out.push_str("});\n");
    }
}

/// The impls of a string enum (`as_str`, `From<&str>`, `FromStr`, `Display`, serde,
/// `ParamText`) as formatting their tokens in [`enum_impls`] lays them out, each after `cfg`.
fn enum_impls_text(cfg: &str, name: &str, e: &Enum, unknown: &str, names: &StdNames, out: &mut String) {
    let (string, result) = (names.path_text("String"), names.path_text("Result"));
    let (ser, de) = (names.path_text("Serialize"), names.path_text("Deserialize"));
    let (mut variant, mut literal) = (String::new(), String::new());
    // The arms of the two matches: `Self::Variant => "value"` and back.
    let arms = |out: &mut String, to_str: bool, variant: &mut String, literal: &mut String| {
        for v in &e.variants {
            variant.clear();
            variant.push_str("Self::");
            variant.push_str(&v.rust_name);
            literal.clear();
            layout::string_literal(&v.api_name, literal);
            if to_str {
                layout::match_arm(variant, literal, out);
            } else {
                layout::match_arm(literal, variant, out);
            }
        }
    };
    out.push_str(cfg);
    out.push_str("impl ");
    out.push_str(name);
    out.push_str(" {\n    /// The value as sent on the wire.\n    pub fn as_str(&self) -> &str {\n        match self {\n");
    arms(out, true, &mut variant, &mut literal);
    out.push_str("            Self::");
    out.push_str(unknown);
    out.push_str("(value) => value,\n        }\n    }\n}\n");
    out.push_str(cfg);
    layout::trait_impl_header("impl ::std::convert::From<&str>", name, out);
    out.push_str("    fn from(value: &str) -> Self {\n        match value {\n");
    arms(out, false, &mut variant, &mut literal);
    out.push_str("            other => Self::");
    out.push_str(unknown);
    out.push_str("(other.to_string()),\n        }\n    }\n}\n");
    out.push_str(cfg);
    layout::trait_impl_header("impl ::std::str::FromStr", name, out);
    out.push_str("    type Err = ::std::convert::Infallible;\n    fn from_str(value: &str) -> ");
    out.push_str(result);
    out.push_str("<Self, Self::Err> {\n        Ok(Self::from(value))\n    }\n}\n");
    out.push_str(cfg);
    layout::trait_impl_header("impl ::std::fmt::Display", name, out);
    out.push_str(
        "    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {\n        \
         f.write_str(self.as_str())\n    }\n}\n",
    );
    out.push_str(cfg);
    layout::trait_impl_header(&format!("impl {ser}"), name, out);
    out.push_str("    fn serialize<S: ::serde::Serializer>(\n        &self,\n        serializer: S,\n    ) -> ");
    out.push_str(result);
    out.push_str("<S::Ok, S::Error> {\n        serializer.serialize_str(self.as_str())\n    }\n}\n");
    out.push_str(cfg);
    layout::trait_impl_header(&format!("impl<'de> {de}<'de>"), name, out);
    out.push_str("    fn deserialize<D: ::serde::Deserializer<'de>>(\n        deserializer: D,\n    ) -> ");
    out.push_str(result);
    out.push_str("<Self, D::Error> {\n        crate::runtime::deserialize_enum(deserializer)\n    }\n}\n");
    out.push_str(cfg);
    layout::trait_impl_header("impl crate::runtime::ParamText", name, out);
    out.push_str("    fn param_text(&self) -> ");
    out.push_str(string);
    out.push_str(" {\n        self.as_str().to_string()\n    }\n}\n");
}

/// Writes a type's items, after `cfg` (its `#[cfg]` as formatted), as formatting the tokens of
/// [`emit_type`] lays them out, and says whether it did (when not, `out` is as it was). Left to
/// tokens: structs with generics or unknown properties (serde's derive), internally tagged
/// unions, and doc text with a carriage return (which a raw string cannot hold).
fn item_text(def: &TypeDef, store: &TypeStore, names: &StdNames, cfg: &str, out: &mut String) -> bool {
    let cx = TyCtx { store, names, qualify: false, generics: &def.generics, in_serde: true };
    let start = out.len();
    let written = match &def.kind {
        TypeKind::Struct(s) => struct_text(def, s, cx, cfg, out),
        TypeKind::Enum(e) => {
            let unknown = unknown_variant(e);
            enum_def_text(cfg, def, e, &unknown, names, out)
                .map(|()| enum_impls_text(cfg, &def.rust_name, e, &unknown, names, out))
        }
        TypeKind::Union(u) if u.tagging == Tagging::Untagged => untagged_union_text(def, u, cx, cfg, out),
        TypeKind::Union(_) => None,
        TypeKind::Outcomes(variants) => outcomes_text(def, variants, TyCtx { in_serde: false, ..cx }, cfg, out),
        TypeKind::Alias(target) => item_head_text(def, cfg, out).map(|()| {
            let mut t = String::new();
            ty_text(target, cx, &mut t);
            layout::type_alias(&def.rust_name, &t, out);
        }),
    };
    if written.is_none() {
        out.truncate(start);
    }
    written.is_some()
}

/// What goes before every type: its `#[cfg]`, doc comment and `#[deprecated]` (the text of
/// `#cfg` and [`type_docs`]).
fn item_head_text(def: &TypeDef, cfg: &str, out: &mut String) -> Option<()> {
    out.push_str(cfg);
    doc_text(&type_doc_text(def), "", out)?;
    if def.docs.deprecated {
        out.push_str("#[deprecated]\n");
    }
    Some(())
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
    if text.is_empty() && def.origin.starts_with("/components/schemas/") && !def.origin[20..].contains('/') {
        text = format!("The `{}` schema.", def.api_name.replace('`', "'"));
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

/// The tokens of a type's items (the shapes [`item_text`] leaves out, and every type when
/// testing the writers).
fn emit_type(def: &TypeDef, store: &TypeStore, names: &StdNames) -> TokenStream {
    let cx = TyCtx { store, names, qualify: false, generics: &def.generics, in_serde: true };
    let name = ident(&def.rust_name);
    let cfg = cfg_features(&def.features);
    let docs = type_docs(def);
    let docs = quote!(#cfg #docs);
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, cx, docs, &cfg),
        TypeKind::Enum(e) => emit_enum(def, e, docs, names, &cfg),
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
    }
}

/// The doc text of an outcome (a response status).
fn outcome_doc(v: &UnionVariant) -> &str {
    v.docs.description.as_deref().unwrap_or("A response with this status.")
}

/// What comes before the name of an enum with tuple variants (outcomes, untagged unions).
const VARIANTS_HEAD: &str = "#[derive(Clone, Debug, PartialEq)]\n#[allow(clippy::large_enum_variant)]\npub enum ";

/// `head Name {` and its line break, or `head Name {}` for an empty body (which
/// [`body_close`] then leaves as it is).
fn body_open(head: &str, name: &str, empty: bool, out: &mut String) {
    out.push_str(head);
    out.push_str(name);
    out.push_str(if empty { " {}\n" } else { " {\n" });
}

/// The `}` of a body [`body_open`] opened.
fn body_close(empty: bool, out: &mut String) {
    if !empty {
        out.push_str("}\n");
    }
}

/// The outcomes of an operation as [`emit_type`] formats them.
fn outcomes_text(def: &TypeDef, variants: &[UnionVariant], cx: TyCtx<'_>, cfg: &str, out: &mut String) -> Option<()> {
    item_head_text(def, cfg, out)?;
    body_open(VARIANTS_HEAD, &def.rust_name, variants.is_empty(), out);
    let mut t = String::new();
    for v in variants {
        doc_text(outcome_doc(v), "    ", out)?;
        if v.ty == TypeRef::Unit {
            out.push_str("    ");
            out.push_str(&v.rust_name);
            out.push_str(",\n");
        } else {
            t.clear();
            ty_text(&v.ty, cx, &mut t);
            layout::tuple_variant(&v.rust_name, &t, out);
        }
    }
    body_close(variants.is_empty(), out);
    Some(())
}

/// The doc text of a variant of a union.
fn union_variant_doc(v: &UnionVariant) -> String {
    let text = paragraphs([v.docs.title.as_deref(), v.docs.description.as_deref()]);
    if text.is_empty() {
        format!("A `{}` value.", v.rust_name)
    } else {
        text
    }
}

/// An untagged union (the enum and its `serde_untagged!` table) as [`emit_union`] formats it.
fn untagged_union_text(def: &TypeDef, u: &Union, cx: TyCtx<'_>, cfg: &str, out: &mut String) -> Option<()> {
    item_head_text(def, cfg, out)?;
    body_open(VARIANTS_HEAD, &def.rust_name, u.variants.is_empty(), out);
    let mut t = String::new();
    let mut rows = String::new();
    for v in &u.variants {
        doc_text(&union_variant_doc(v), "    ", out)?;
        t.clear();
        ty_text(&v.ty, cx, &mut t);
        layout::tuple_variant(&v.rust_name, &t, out);
        push_row(&mut rows, |row| row.push_str(&v.rust_name));
    }
    body_close(u.variants.is_empty(), out);
    table_macro_text(cfg, "serde_untagged", !def.serializes(), &def.rust_name, &rows, out);
    Some(())
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
    if text.is_empty() {
        text = format!("The `{}` property.", f.api_name.replace('`', "'"));
    }
    if f.read_only {
        push_paragraph(&mut text, Some("Read-only: set by the server."));
    }
    if f.write_only {
        push_paragraph(&mut text, Some("Write-only: never returned by the server."));
    }
    if let Some(d) = &f.default {
        push_paragraph(&mut text, Some(&format!("Default: {}.", code_span(&serde_json::to_string(d).unwrap_or_default()))));
    }
    if let Some(ex) = &f.docs.example {
        push_paragraph(&mut text, Some(&example_doc(ex)));
    }
    text
}

/// A struct serialized through `serde_struct!` (definition and table) as [`emit_struct`]
/// formats it; `None` for the structs that use serde's derive (generics, unknown properties).
fn struct_text(def: &TypeDef, s: &Struct, cx: TyCtx<'_>, cfg: &str, out: &mut String) -> Option<()> {
    if s.additional.is_some() || !def.generics.is_empty() {
        return None;
    }
    item_head_text(def, cfg, out)?;
    let derive_at = out.len();
    body_open("pub struct ", &def.rust_name, s.fields.is_empty(), out);
    let mut all_optional = true;
    let mut rows = String::with_capacity(48 * s.fields.len());
    let mut t = String::new();
    for f in &s.fields {
        let (inner, presence) = f.presence(def);
        doc_text(&field_doc_text(f), "    ", out)?;
        if f.docs.deprecated {
            out.push_str("    #[deprecated]\n");
        }
        t.clear();
        let option = cx.names.path_text("Option");
        for _ in 0..presence.option_depth() {
            t.push_str(option);
            t.push('<');
        }
        ty_text(&inner, cx, &mut t);
        for _ in 0..presence.option_depth() {
            t.push('>');
        }
        layout::struct_field(&f.rust_name, &t, out);
        all_optional &= !presence.is_required();
        push_wire_row(&mut rows, &f.rust_name, &f.api_name, presence.table_kind());
    }
    body_close(s.fields.is_empty(), out);
    let derive = if all_optional {
        "#[derive(Clone, Debug, PartialEq, Default)]\n"
    } else {
        "#[derive(Clone, Debug, PartialEq)]\n"
    };
    out.insert_str(derive_at, derive);
    table_macro_text(cfg, "serde_struct", !def.serializes(), &def.rust_name, &rows, out);
    Some(())
}

fn emit_struct(
    def: &TypeDef,
    s: &Struct,
    cx: TyCtx<'_>,
    docs: TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&def.rust_name);
    // Plain structs implement serde through `runtime::serde_struct!` (a few lines per field once
    // expanded); generic envelopes and structs that keep unknown properties use the derive.
    let by_macro = s.additional.is_none() && def.generics.is_empty();
    let mut all_optional = true;
    let mut wire = Vec::new();
    let mut wire_rows = String::new();
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
                push_wire_row(&mut wire_rows, &f.rust_name, &f.api_name, kind);
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
    if by_macro {
        let table = match cfg_text(&def.features) {
            Some(cfg_text) => {
                let mut text = String::new();
                table_macro_text(&cfg_text, "serde_struct", !def.serializes(), &def.rust_name, &wire_rows, &mut text);
                crate::format::verbatim(&text)
            }
            None => table_macro(cfg, "serde_struct", !def.serializes(), &name, &wire),
        };
        return quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, #default)]
            pub struct #name {
                #( #fields ),*
            }

            #table
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

fn emit_enum(
    def: &TypeDef,
    e: &Enum,
    docs: TokenStream,
    names: &StdNames,
    cfg: &TokenStream,
) -> TokenStream {
    let name = &ident(&def.rust_name);
    let string = names.path("String");
    let unknown = ident(&unknown_variant(e));
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let d = doc_attrs(&code_span(&v.api_name));
        quote!(#d #vname)
    });
    let impls = match cfg_text(&def.features) {
        Some(cfg_text) => {
            let mut text = String::new();
            enum_impls_text(&cfg_text, &def.rust_name, e, &unknown.to_string(), names, &mut text);
            crate::format::verbatim(&text)
        }
        None => enum_impls(name, e, &unknown, names, cfg),
    };
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

/// A string enum's definition as formatting its tokens in [`emit_enum`] lays it out.
fn enum_def_text(cfg: &str, def: &TypeDef, e: &Enum, unknown: &str, names: &StdNames, out: &mut String) -> Option<()> {
    item_head_text(def, cfg, out)?;
    out.push_str("#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum ");
    out.push_str(&def.rust_name);
    out.push_str(" {\n");
    for v in &e.variants {
        doc_text(&code_span(&v.api_name), "    ", out)?;
        out.push_str("    ");
        out.push_str(&v.rust_name);
        out.push_str(",\n");
    }
    out.push_str("    /// A value this version of the client does not know; kept as sent.\n");
    layout::tuple_variant(unknown, names.path_text("String"), out);
    out.push_str("}\n");
    Some(())
}

/// The tokens [`enum_impls_text`] writes as text.
fn enum_impls(
    name: &proc_macro2::Ident,
    e: &Enum,
    unknown: &proc_macro2::Ident,
    names: &StdNames,
    cfg: &TokenStream,
) -> TokenStream {
    let (string, result) = (names.path("String"), names.path("Result"));
    let (ser, de) = (names.path("Serialize"), names.path("Deserialize"));
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
            let table = match cfg_text(&def.features) {
                Some(cfg_text) => {
                    let mut rows = String::new();
                    for v in &u.variants {
                        push_row(&mut rows, |row| row.push_str(&v.rust_name));
                    }
                    let mut text = String::new();
                    table_macro_text(&cfg_text, "serde_untagged", !serializes, &def.rust_name, &rows, &mut text);
                    crate::format::verbatim(&text)
                }
                None => {
                    let rows: Vec<TokenStream> = names.iter().map(|n| quote!(#n)).collect();
                    table_macro(cfg, "serde_untagged", !serializes, name, &rows)
                }
            };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{format_rust, format_rust_chunked, verbatim, CHUNK_ITEMS};

    fn feature_sets() -> Vec<Vec<String>> {
        let f = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        vec![
            f(&[]),
            f(&["meta"]),
            f(&["security-advisories", "unreferenced-schemas"]),
            f(&["security-advisories", "dependabot", "unreferenced-schemas"]),
            f(&["a-very-long-feature-name-that-on-its-own-is-almost-as-wide-as-the-whole-line-of-text"]),
        ]
    }

    /// The `#[cfg]` text of a feature set as formatted (not [`super::cfg_text`], which the
    /// end-to-end test turns off while other tests run).
    fn cfg_text(features: &[String]) -> String {
        let mut text = String::new();
        layout::cfg_attribute(features, &mut text);
        text
    }

    /// Type names of every length from 1 to past the margin (the lines that break, and where,
    /// depend on the name's length), and a raw identifier.
    fn names() -> Vec<String> {
        let mut names: Vec<String> = (1..=100).map(|len| format!("N{}", "x".repeat(len - 1))).collect();
        names.push("r#Self_".into());
        names
    }

    /// The text of the enum impls and table macro writers equals formatting the tokens they
    /// stand for, for names and match arms of every length, with and without shadowed std
    /// names, `#[cfg]`s of every shape and `received`.
    #[test]
    fn verbatim_text_equals_formatted_tokens() {
        let _text = crate::emit::text_writers_on();
        let plain = StdNames::new([]);
        let shadowed = StdNames::new(["Result", "String", "Serialize", "Deserialize"]);
        let variant_sets: Vec<Vec<(&str, &str)>> = vec![
            vec![],
            vec![("Rubygems", "rubygems"), ("Npm", "npm"), ("r#match", "match")],
            vec![("Quote", "say \"hi\"\\ \u{e9}\t\u{0}1"), ("Empty", ""), ("Unknown2", "?")],
            vec![("VeryLongVariantNameForAnEnumValueThatIsLong", "a-very-long-wire-value-for-the-enum-value-xxxxxxx")],
        ];
        // Match arms of every length up to past the margin, with short and long names.
        let long_arms: Vec<(String, String)> =
            (1..=80).map(|len| (format!("V{}", "x".repeat(len)), "w".repeat(81 - len))).collect();
        let short_long: Vec<(String, String)> = (1..=80).map(|len| (format!("V{len}"), "w".repeat(len))).collect();
        let variant_sets: Vec<Vec<(&str, &str)>> = variant_sets
            .into_iter()
            .chain([&long_arms, &short_long].map(|vs| vs.iter().map(|(r, a)| (r.as_str(), a.as_str())).collect()))
            .collect();
        let field_sets: Vec<Vec<(&str, &str, &str)>> = vec![
            vec![],
            vec![("r#type", "type", "Required"), ("name", "name", "Optional")],
            vec![
                ("current_user_authorizations_html_url", "current_user_authorizations_html_url", "Required"),
                ("odd", "a \"quoted\", {braced} (key)\\", "OptionalNullable"),
                ("x", "x", "Required"),
            ],
            (0..40).map(|_| ("field_with_a_long_name_number", "field-with-a-long-name", "Optional")).collect(),
        ];
        let mut written = (0, 0);
        for (i, features) in feature_sets().into_iter().enumerate() {
            let cfg = cfg_features(&features);
            let cfg_text = cfg_text(&features);
            // Every length with two feature sets, a few with the others.
            let names: Vec<String> = names().into_iter().filter(|n| i < 2 || n.len() % 17 == 0).collect();
            for name in &names {
                let id = ident(name);
                for std in [&plain, &shadowed] {
                    for variants in &variant_sets {
                        let e = Enum {
                            variants: variants
                                .iter()
                                .map(|(r, a)| EnumVariant { api_name: a.to_string(), rust_name: r.to_string() })
                                .collect(),
                            open: true,
                        };
                        let unknown = unknown_variant(&e);
                        let tokens = enum_impls(&id, &e, &ident(&unknown), std, &cfg);
                        let mut text = String::new();
                        enum_impls_text(&cfg_text, name, &e, &unknown, std, &mut text);
                        assert_eq!(text, format_rust(tokens).unwrap(), "enum {name} {features:?}");
                        written.0 += 1;
                    }
                }
                for fields in &field_sets {
                    for received in [false, true] {
                        let tokens: Vec<TokenStream> = fields.iter().map(|(r, a, k)| wire_row(r, a, k)).collect();
                        let mut rows = String::new();
                        for (r, a, k) in fields {
                            push_wire_row(&mut rows, r, a, k);
                        }
                        for mac in ["serde_struct", "serde_untagged"] {
                            let expected = format_rust(table_macro(&cfg, mac, received, &id, &tokens)).unwrap();
                            let mut text = String::new();
                            table_macro_text(&cfg_text, mac, received, name, &rows, &mut text);
                            assert_eq!(text, expected, "{mac} {name} {features:?} {received}");
                            written.1 += 1;
                        }
                    }
                }
            }
        }
        assert!(written.0 >= 1000 && written.1 >= 3000, "{written:?}");
    }

    /// Verbatim items between token items, in runs of any size: the same text as formatting
    /// the tokens they stand for.
    #[test]
    fn verbatim_items_in_chunked_formatting() {
        let _text = crate::emit::text_writers_on();
        let names = StdNames::new([]);
        let features = vec!["meta".to_string()];
        let cfg = cfg_features(&features);
        let cfg_text = cfg_text(&features);
        let e = Enum { variants: vec![EnumVariant { api_name: "a".into(), rust_name: "A".into() }], open: true };
        let (mut all_tokens, mut mixed) = (TokenStream::new(), TokenStream::new());
        for i in 0..9 {
            let name = format!("Type{i}");
            let id = ident(&name);
            let head = quote! {
                /// A type.
                pub struct #id { pub a: u8 }
            };
            all_tokens.extend(head.clone());
            mixed.extend(head);
            all_tokens.extend(enum_impls(&id, &e, &ident("Unknown"), &names, &cfg));
            let mut text = String::new();
            enum_impls_text(&cfg_text, &name, &e, "Unknown", &names, &mut text);
            mixed.extend(verbatim(&text));
            all_tokens.extend(table_macro(&quote!(), "serde_struct", true, &id, &[wire_row("a", "a", "Required")]));
            let (mut rows, mut text) = (String::new(), String::new());
            push_wire_row(&mut rows, "a", "a", "Required");
            table_macro_text("", "serde_struct", true, &name, &rows, &mut text);
            mixed.extend(verbatim(&text));
        }
        let whole = format_rust(all_tokens).unwrap();
        for max in [1, 2, 5, 64] {
            assert_eq!(format_rust_chunked(mixed.clone(), max).unwrap(), whole, "max_items = {max}");
        }
    }

    /// Field types of every shape (`L` stands for a named type).
    fn field_types(named: TypeId) -> Vec<TypeRef> {
        use TypeRef::*;
        let b = std::boxed::Box::new;
        let l = || Named(named, vec![]);
        vec![
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
            Number,
            String,
            DateTime,
            Date,
            Bytes,
            Json,
            JsonObject,
            Unit,
            l(),
            Option(b(l())),
            Option(b(Json)),
            Vec(b(Option(b(l())))),
            Map(b(Vec(b(l())))),
            Box(b(l())),
            Named(named, vec![l(), Vec(b(Map(b(l()))))]),
            Vec(b(Vec(b(Vec(b(Vec(b(Vec(b(Vec(b(Option(b(l())))))))))))))),
        ]
    }

    /// Doc texts: none, markdown that `sanitize` rewrites, odd characters, a carriage return
    /// (written by tokens only).
    const DOCS: &[Option<&str>] = &[
        None,
        Some("A \"quoted\" `code` <tag> [link] https://x.io/a. \u{e9}\ttab   \n\n    indented\n\n```\ncode\n```\n/// slashes"),
        Some("carriage\rreturn"),
    ];

    fn type_def(id: usize, rust_name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            id: TypeId(id),
            api_name: rust_name.to_lowercase(),
            rust_name: rust_name.to_string(),
            origin: format!("/components/schemas/{}", rust_name.to_lowercase()),
            docs: Docs::default(),
            kind,
            generics: Vec::new(),
            in_request: false,
            in_response: true,
            features: Vec::new(),
            merged_into: None,
        }
    }

    fn field(rust_name: &str, ty: TypeRef, k: usize) -> Field {
        Field {
            api_name: rust_name.trim_start_matches("r#").replace('_', "-"),
            rust_name: rust_name.to_string(),
            ty,
            required: k % 2 == 0,
            nullable: k % 3 == 0,
            docs: Docs {
                description: DOCS[k % 2].map(str::to_string),
                deprecated: k % 5 == 0,
                example: (k % 7 == 0).then(|| serde_json::json!({"a": [1, "`"]})),
                ..Docs::default()
            },
            read_only: k % 4 == 1,
            write_only: k % 6 == 1,
            default: (k % 4 == 0).then(|| serde_json::json!("x")),
            origin: String::new(),
        }
    }

    /// Types of every kind with every variation the writers handle (long names and types that
    /// break lines, raw identifiers, docs, `#[deprecated]`, features, sent and received types,
    /// shadowed std names): [`item_text`] writes what formatting [`emit_type`]'s tokens gives,
    /// and declines only for the shapes left to tokens.
    #[test]
    fn item_text_equals_formatted_tokens() {
        let long = "ALongTypeNameThatPushesEveryLineItIsInPastTheMarginOfPrettyPleaseX";
        let mut store = TypeStore::default();
        store.defs.push(type_def(0, "Pet", TypeKind::Alias(TypeRef::Json)));
        store.defs.push(type_def(1, long, TypeKind::Alias(TypeRef::Json)));
        let field_names = ["id", "r#type", "a_field_name_long_enough_to_push_a_line_past_the_margin_of_eighty"];
        let mut defs = Vec::new();
        for (n, named) in [TypeId(0), TypeId(1)].into_iter().enumerate() {
            let types = field_types(named);
            let fields: Vec<Field> = types
                .iter()
                .enumerate()
                .flat_map(|(k, t)| field_names.iter().enumerate().map(move |(j, f)| field(f, t.clone(), k + j)))
                .collect();
            let variants = |unit: bool| -> Vec<UnionVariant> {
                types
                    .iter()
                    .enumerate()
                    .map(|(k, t)| UnionVariant {
                        rust_name: if k % 3 == 2 { format!("{long}{k}") } else { format!("V{k}") },
                        ty: if unit && k % 4 == 0 { TypeRef::Unit } else { t.clone() },
                        tags: Vec::new(),
                        docs: Docs { description: DOCS[k % 2].map(str::to_string), ..Docs::default() },
                    })
                    .collect()
            };
            defs.push(TypeKind::Struct(Struct { fields, additional: None }));
            defs.push(TypeKind::Struct(Struct::default()));
            defs.push(TypeKind::Union(Union { variants: variants(false), tagging: Tagging::Untagged }));
            defs.push(TypeKind::Outcomes(variants(true)));
            defs.push(TypeKind::Union(Union { variants: Vec::new(), tagging: Tagging::Untagged }));
            defs.push(TypeKind::Outcomes(Vec::new()));
            defs.extend(types.iter().map(|t| TypeKind::Alias(t.clone())));
            if n == 0 {
                let e = |vs: &[(&str, &str)]| {
                    TypeKind::Enum(Enum {
                        variants: vs
                            .iter()
                            .map(|(r, a)| EnumVariant { rust_name: r.to_string(), api_name: a.to_string() })
                            .collect(),
                        open: true,
                    })
                };
                defs.push(e(&[("A", "a"), ("Unknown", "?"), ("r#Self_", "self"), ("Quote", "say \"hi\"\u{e9}\t\0")]));
                defs.push(e(&[("A", "a"), (long, "long")]));
                defs.push(e(&[]));
                defs.push(e(&[("A", "a-wire-value-long-enough-to-make-its-match-arm-longer-than-the-margin-of-eighty")]));
                let fields = vec![field("id", TypeRef::String, 0)];
                defs.push(TypeKind::Struct(Struct { fields, additional: Some(TypeRef::String) }));
                defs.push(TypeKind::Union(Union { variants: Vec::new(), tagging: Tagging::Internal { property: "kind".into() } }));
            }
        }
        let mut checked = 0;
        for (k, kind) in defs.into_iter().enumerate() {
            for (j, name) in ["Short", long].into_iter().enumerate() {
                let mut def = type_def(store.defs.len(), &format!("{name}{k}"), kind.clone());
                def.docs.description = DOCS[(k + j) % DOCS.len()].map(str::to_string);
                def.docs.deprecated = (k + j) % 2 == 0;
                def.in_request = (k + j) % 3 == 0;
                def.features = feature_sets().swap_remove((k + j) % 5);
                store.defs.push(def);
            }
        }
        let plain = StdNames::new([]);
        let shadowed = StdNames::new(STD_NAMES);
        for def in &store.defs[2..] {
            for names in [&plain, &shadowed] {
                let cfg = cfg_text(&def.features);
                let mut text = String::from("kept\n");
                let tokens = emit_type(def, &store, names);
                let expected = format_rust_chunked(tokens, CHUNK_ITEMS).expect(&def.rust_name);
                let written = item_text(def, &store, names, &cfg, &mut text);
                let token_only = def.docs.description.as_deref().is_some_and(|d| d.contains('\r'))
                    || match &def.kind {
                        TypeKind::Struct(s) => s.additional.is_some(),
                        TypeKind::Union(u) => u.tagging != Tagging::Untagged,
                        _ => false,
                    };
                assert_eq!(written, !token_only, "{}", def.rust_name);
                if written {
                    assert_eq!(text.strip_prefix("kept\n"), Some(expected.as_str()), "{}", def.rust_name);
                    checked += 1;
                } else {
                    assert_eq!(text, "kept\n", "a declining writer leaves the text as it was");
                }
            }
        }
        assert!(checked >= 150, "{checked}");
    }

    /// Every std name [`StdNames`] writes, all shadowed by generated types.
    const STD_NAMES: [&str; 14] = [
        "Option",
        "String",
        "Vec",
        "Box",
        "Result",
        "BTreeMap",
        "Value",
        "Map",
        "Number",
        "DateTime",
        "Utc",
        "NaiveDate",
        "Serialize",
        "Deserialize",
    ];

    /// [`ty_text`] is the text of [`ty`]'s tokens, for every shape, qualified or not, in serde
    /// types or not, with and without shadowed std names.
    #[test]
    fn ty_text_equals_tokens() {
        let mut store = TypeStore::default();
        store.defs.push(type_def(0, "Pet", TypeKind::Alias(TypeRef::Json)));
        let generics = vec![GenericParam { rust_name: "Data".into(), property: "data".into() }];
        let types: Vec<TypeRef> =
            field_types(TypeId(0)).into_iter().chain([TypeRef::Param(0), TypeRef::Param(1)]).collect();
        for names in [StdNames::new([]), StdNames::new(STD_NAMES)] {
            for qualify in [false, true] {
                for in_serde in [false, true] {
                    let cx = TyCtx { store: &store, names: &names, qualify, generics: &generics, in_serde };
                    for t in &types {
                        let tokens = ty(t, cx);
                        // Long types break: the alias writer lays them out (its own tests
                        // check it against prettyplease).
                        let expected = format_rust(quote!(pub type X = #tokens;)).unwrap();
                        let (mut text, mut alias) = (String::new(), String::new());
                        ty_text(t, cx, &mut text);
                        layout::type_alias("X", &text, &mut alias);
                        assert_eq!(alias, expected);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod pipeline_tests {
    /// Structs with long names and many fields, `#[cfg]`s of one and of several features,
    /// types only received, request types, empty objects, deprecated types and fields, doc text
    /// with blank lines, trailing spaces, code and carriage returns, enums and untagged unions.
    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: Text Writers, version: 1.0.0 }
paths:
  /a:
    get:
      tags: [alpha]
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/AVeryLongSchemaNameThatKeepsGoingAndGoingUntilTheLineIsLongerThanTheMarginOfTheFormatter' }
    post:
      tags: [alpha, beta, a-rather-long-tag-name-that-makes-the-cfg-attribute-wrap-around]
      operationId: postA
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Either' }
  /b:
    get:
      tags: [beta]
      operationId: getB
      parameters:
        - { name: kind, in: query, schema: { $ref: '#/components/schemas/Kind' } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Received' }
components:
  schemas:
    Pet:
      type: object
      description: "A pet.   \n\nWith a blank line, trailing spaces   \n\n```\ncode\n```\n"
      required: [id, name]
      properties:
        id: { type: integer, format: int64 }
        name: { type: string, description: "carriage\rreturn" }
        tag: { type: string, nullable: true }
        note: { type: string, deprecated: true, default: x, example: y }
        type: { type: string }
        kind: { $ref: '#/components/schemas/Kind' }
        tags: { type: array, items: { type: array, items: { type: string } } }
        when: { type: string, format: date-time }
        map: { type: object, additionalProperties: { type: integer } }
        nested: { type: object, properties: { x: { type: number } } }
        a_field_with_a_name_long_enough_to_push_its_line_past_the_margin_of_eighty: { type: boolean }
        empty: { type: object }
    Received:
      type: object
      deprecated: true
      required: [items]
      properties:
        items: { type: array, items: { $ref: '#/components/schemas/Pet' } }
        extra: { type: object, properties: {}, additionalProperties: false }
        count: { type: integer, nullable: true }
    AVeryLongSchemaNameThatKeepsGoingAndGoingUntilTheLineIsLongerThanTheMarginOfTheFormatter:
      type: object
      properties:
        value: { type: string }
        kind: { type: string, enum: [one, two, a-value-long-enough-to-make-its-match-arm-longer-than-the-margin-xxxxxxxx] }
    Kind:
      type: string
      enum: [cat, dog, "say \"hi\"", Self, unknown]
    Either:
      oneOf:
        - { $ref: '#/components/schemas/Pet' }
        - { $ref: '#/components/schemas/Received' }
        - { type: string }
    Empty:
      type: object
      properties: {}
"##;

    fn generate(spec: &[u8]) -> Vec<(String, String)> {
        let opts = crate::GenerateOptions { command: "sdkgen generate".into(), spec_label: "t".into(), ..Default::default() };
        crate::generate(spec, &opts).map(|g| g.files).unwrap_or_default()
    }

    /// Every file generated with the text writers equals the file generated from tokens only,
    /// for the spec above, the vendored spec and the test specs.
    #[test]
    fn text_writers_equal_tokens_end_to_end() {
        let specs = crate::emit::repo_specs(SPEC.as_bytes().to_vec());
        let with_text: Vec<_> = specs.iter().map(|s| generate(s)).collect();
        let tokens: Vec<_> = crate::emit::tokens_only(|| specs.iter().map(|s| generate(s)).collect());
        assert!(!with_text[0].is_empty(), "the test spec generates");
        for (i, (a, b)) in with_text.iter().zip(&tokens).enumerate() {
            assert_eq!(a.len(), b.len(), "spec {i}");
            for ((fa, ta), (fb, tb)) in a.iter().zip(b) {
                assert_eq!(fa, fb);
                assert!(ta == tb, "spec {i}: {fa} differs");
            }
        }
    }
}
