//! `src/types.rs`: one Rust type per IR type, in the order of the type store (component schemas
//! in document order, then inline types in the order lowering met them).

use super::docs::{code_span, doc_attrs, doc_text, paragraphs};
use super::{cfg_features, ident, text_enabled, ty, StdNames, TyCtx, TEXT_MAX_LINE};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The types with indices in `range`; the first piece also carries the module docs and imports.
pub(crate) fn emit_types(api: &Api, names: &StdNames, range: std::ops::Range<usize>, first: bool) -> TokenStream {
    let cfgs = CfgTexts::default();
    let items = api.types.defs[range].iter().map(|def| emit_type(def, &api.types, names, &cfgs));
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

/// The `#[cfg(..)]` line(s) of each feature set as formatted, for the items written as text
/// (a type's features repeat on each of its impls, and many types share a set).
#[derive(Default)]
struct CfgTexts(std::cell::RefCell<std::collections::HashMap<Vec<String>, Option<std::rc::Rc<str>>>>);

impl CfgTexts {
    /// `None` when the attribute does not format on lines of its own (then tokens are used).
    fn get(&self, features: &[String]) -> Option<std::rc::Rc<str>> {
        if !text_enabled() {
            return None;
        }
        if features.is_empty() {
            return Some("".into());
        }
        if let Some(text) = self.0.borrow().get(features) {
            return text.clone();
        }
        let text = crate::format::attribute_text(cfg_features(features)).ok().map(std::rc::Rc::from);
        self.0.borrow_mut().insert(features.to_vec(), text.clone());
        text
    }
}


/// A row of `serde_struct!`: `field: "wire" Required`, as tokens and as text.
fn wire_row(rust_name: &str, api_name: &str, kind: &str) -> (TokenStream, String) {
    let (fname, key, kind_id) = (ident(rust_name), Literal::string(api_name), format_ident!("{}", kind));
    let text = format!("{rust_name}: {key} {kind}");
    (quote!(#fname: #key #kind_id), text)
}

/// `#cfg crate::runtime::#mac!(received Name { rows });` (the tokens [`table_macro_text`]
/// writes as text).
fn table_macro(cfg: &TokenStream, mac: &str, received: bool, name: &proc_macro2::Ident, rows: &[TokenStream]) -> TokenStream {
    let mac = format_ident!("{}", mac);
    let received = received_marker(!received);
    quote!(#cfg crate::runtime::#mac!(#received #name { #( #rows ),* });)
}

/// `crate::runtime::serde_struct!(received Name {\n    row,\n});` as `format` lays it out
/// (the table macros have one row per line, whatever their length); `None` when the first line
/// is long (prettyplease could break it inside the name).
fn table_macro_text(cfg: &str, mac: &str, received: bool, name: &str, rows: &[String]) -> Option<String> {
    let mut out = String::with_capacity(cfg.len() + 64 + rows.iter().map(|r| r.len() + 7).sum::<usize>());
    out.push_str(cfg);
    let start = out.len();
    out.push_str("crate::runtime::");
    out.push_str(mac);
    out.push_str("!(");
    if received {
        out.push_str("received ");
    }
    out.push_str(name);
    if out.len() - start + 2 > TEXT_MAX_LINE {
        return None;
    }
    if rows.is_empty() {
        out.push_str(" {});\n");
        return Some(out);
    }
    out.push_str(" {\n");
    for row in rows {
        out.push_str("    ");
        out.push_str(row);
        out.push_str(",\n");
    }
    out.push_str("});\n");
    Some(out)
}

/// The impls of a string enum (`as_str`, `From<&str>`, `FromStr`, `Display`, serde,
/// `ParamText`) as formatting their tokens in [`emit_enum`] lays them out; `None` when a line
/// would be long.
fn enum_impls_text(cfg: &str, name: &str, e: &Enum, unknown: &str, names: &StdNames) -> Option<String> {
    use std::fmt::Write;
    // The longest header line; declining here saves writing the rest.
    if "impl ::std::convert::From<&str> for ".len() + name.len() + " {".len() > TEXT_MAX_LINE {
        return None;
    }
    let (string, result) = (names.path_str("String"), names.path_str("Result"));
    let (ser, de) = (names.path_str("Serialize"), names.path_str("Deserialize"));
    let lits: Vec<String> = e.variants.iter().map(|v| Literal::string(&v.api_name).to_string()).collect();
    let mut body = String::with_capacity(1500 + e.variants.len() * 2 * (40 + name.len()));
    // `write!` to a String does not fail.
    let _ = write!(
        body,
        "impl {name} {{\n    /// The value as sent on the wire.\n    pub fn as_str(&self) -> &str {{\n        match self {{\n"
    );
    for (v, lit) in e.variants.iter().zip(&lits) {
        let _ = writeln!(body, "            Self::{} => {lit},", v.rust_name);
    }
    let _ = write!(
        body,
        "            Self::{unknown}(value) => value,\n        }}\n    }}\n}}\n\
         \0impl ::std::convert::From<&str> for {name} {{\n    fn from(value: &str) -> Self {{\n        match value {{\n"
    );
    for (v, lit) in e.variants.iter().zip(&lits) {
        let _ = writeln!(body, "            {lit} => Self::{},", v.rust_name);
    }
    let _ = write!(
        body,
        "            other => Self::{unknown}(other.to_string()),\n        }}\n    }}\n}}\n\
         \0impl ::std::str::FromStr for {name} {{\n    type Err = ::std::convert::Infallible;\n    \
         fn from_str(value: &str) -> {result}<Self, Self::Err> {{\n        Ok(Self::from(value))\n    }}\n}}\n\
         \0impl ::std::fmt::Display for {name} {{\n    \
         fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{\n        \
         f.write_str(self.as_str())\n    }}\n}}\n\
         \0impl {ser} for {name} {{\n    fn serialize<S: ::serde::Serializer>(\n        &self,\n        serializer: S,\n    \
         ) -> {result}<S::Ok, S::Error> {{\n        serializer.serialize_str(self.as_str())\n    }}\n}}\n\
         \0impl<'de> {de}<'de> for {name} {{\n    fn deserialize<D: ::serde::Deserializer<'de>>(\n        \
         deserializer: D,\n    ) -> {result}<Self, D::Error> {{\n        crate::runtime::deserialize_enum(deserializer)\n    \
         }}\n}}\n\
         \0impl crate::runtime::ParamText for {name} {{\n    fn param_text(&self) -> {string} {{\n        \
         self.as_str().to_string()\n    }}\n}}\n"
    );
    if body.lines().any(|line| line.len() > TEXT_MAX_LINE) {
        return None;
    }
    // `\0` marks where each impl after the first starts: each has the type's `#[cfg]`.
    let mut out = String::with_capacity(body.len() + 7 * cfg.len());
    for part in body.split('\0') {
        out.push_str(cfg);
        out.push_str(part);
    }
    Some(out)
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
    paragraphs([Some(text.as_str()), Some(&origin)])
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

fn emit_type(def: &TypeDef, store: &TypeStore, names: &StdNames, cfgs: &CfgTexts) -> TokenStream {
    let cx = TyCtx { store, names, qualify: false, generics: &def.generics, in_serde: true };
    if let TypeKind::Struct(s) = &def.kind {
        if let Some(text) = struct_text(def, s, cx, cfgs) {
            return crate::format::verbatim(&text);
        }
    }
    let name = ident(&def.rust_name);
    let cfg = cfg_features(&def.features);
    let docs = type_docs(def);
    let docs = quote!(#cfg #docs);
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(def, s, cx, docs, &cfg, cfgs),
        TypeKind::Enum(e) => emit_enum(def, e, docs, names, &cfg, cfgs),
        TypeKind::Union(u) => emit_union(def, u, cx, docs, &cfg, cfgs),
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
    text
}


/// A type's tokens as prettyplease prints them, for the simple shapes of field types (paths
/// with generic arguments); `None` for anything else.
pub(super) fn type_text(tokens: TokenStream, out: &mut String) -> Option<()> {
    use proc_macro2::{Spacing, TokenTree};
    let mut colons = 0;
    for tt in tokens {
        match tt {
            TokenTree::Ident(id) => {
                if colons == 1 {
                    return None;
                }
                colons = 0;
                out.push_str(&id.to_string());
            }
            TokenTree::Punct(p) => match p.as_char() {
                ':' => {
                    colons += 1;
                    if colons == 1 && p.spacing() != Spacing::Joint {
                        return None;
                    }
                    if colons == 2 {
                        out.push_str("::");
                    }
                }
                '<' => out.push('<'),
                '>' => out.push('>'),
                ',' => out.push_str(", "),
                _ => return None,
            },
            _ => return None,
        }
    }
    (colons == 0).then_some(())
}

/// A struct serialized through `serde_struct!` (definition and table) as formatting the
/// tokens of [`emit_type`] lays it out; `None` where a line would be long or a shape is not
/// written as text (then tokens are used).
fn struct_text(def: &TypeDef, s: &Struct, cx: TyCtx<'_>, cfgs: &CfgTexts) -> Option<String> {
    if s.additional.is_some() || !def.generics.is_empty() || s.fields.is_empty() {
        return None;
    }
    // The table's first line; declining here saves writing the rest.
    let received = if def.serializes() { "" } else { "received " };
    if "crate::runtime::serde_struct!(".len() + received.len() + def.rust_name.len() + " {".len() > TEXT_MAX_LINE {
        return None;
    }
    let cfg = cfgs.get(&def.features)?;
    let mut out = String::with_capacity(256 * s.fields.len() + 512);
    out.push_str(&cfg);
    doc_text(&type_doc_text(def), "", &mut out)?;
    if def.docs.deprecated {
        out.push_str("#[deprecated]\n");
    }
    let derive_at = out.len();
    let header = format!("pub struct {} {{\n", def.rust_name);
    if header.len() > TEXT_MAX_LINE {
        return None;
    }
    out.push_str(&header);
    let mut all_optional = true;
    let mut rows = Vec::with_capacity(s.fields.len());
    for f in &s.fields {
        let (inner, presence) = f.presence(def);
        doc_text(&field_doc_text(f), "    ", &mut out)?;
        if f.docs.deprecated {
            out.push_str("    #[deprecated]\n");
        }
        let line = out.len();
        out.push_str("    pub ");
        out.push_str(&f.rust_name);
        out.push_str(": ");
        let option = presence.option_depth();
        let option_path = if option > 0 { cx.names.path_str("Option") } else { String::new() };
        for _ in 0..option {
            out.push_str(&option_path);
            out.push('<');
        }
        type_text(ty(&inner, cx), &mut out)?;
        for _ in 0..option {
            out.push('>');
        }
        out.push_str(",\n");
        if out.len() - line > TEXT_MAX_LINE + 1 {
            return None;
        }
        all_optional &= !presence.is_required();
        let kind = presence.table_kind();
        rows.push(format!("{}: {} {kind}", f.rust_name, Literal::string(&f.api_name)));
    }
    out.push_str("}\n");
    let derive = if all_optional {
        "#[derive(Clone, Debug, PartialEq, Default)]\n"
    } else {
        "#[derive(Clone, Debug, PartialEq)]\n"
    };
    out.insert_str(derive_at, derive);
    out.push_str(&table_macro_text(&cfg, "serde_struct", !def.serializes(), &def.rust_name, &rows)?);
    Some(out)
}

fn emit_struct(
    def: &TypeDef,
    s: &Struct,
    cx: TyCtx<'_>,
    docs: TokenStream,
    cfg: &TokenStream,
    cfgs: &CfgTexts,
) -> TokenStream {
    let name = ident(&def.rust_name);
    // Plain structs implement serde through `runtime::serde_struct!` (a few lines per field once
    // expanded); generic envelopes and structs that keep unknown properties use the derive.
    let by_macro = s.additional.is_none() && def.generics.is_empty();
    let mut all_optional = true;
    let mut wire = Vec::new();
    let mut wire_rows = Vec::new();
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
                let (tokens, text) = wire_row(&f.rust_name, &f.api_name, kind);
                wire.push(tokens);
                wire_rows.push(text);
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
        let text = cfgs.get(&def.features).and_then(|cfg| {
            table_macro_text(&cfg, "serde_struct", !def.serializes(), &def.rust_name, &wire_rows)
        });
        let table = match text {
            Some(text) => crate::format::verbatim(&text),
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
    cfgs: &CfgTexts,
) -> TokenStream {
    let name = &ident(&def.rust_name);
    let string = names.path("String");
    let mut scope = crate::naming::Scope::new();
    for v in &e.variants {
        scope.claim(&v.rust_name);
    }
    let unknown_name = scope.claim("Unknown");
    let unknown = ident(&unknown_name);
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.rust_name);
        let d = doc_attrs(&code_span(&v.api_name));
        quote!(#d #vname)
    });
    let text = cfgs
        .get(&def.features)
        .and_then(|cfg| enum_impls_text(&cfg, &def.rust_name, e, &unknown_name, names).map(|impls| (cfg, impls)));
    if let Some((cfg, impls)) = &text {
        if let Some(mut out) = enum_def_text(cfg, def, e, &unknown_name, names) {
            out.push_str(impls);
            return crate::format::verbatim(&out);
        }
    }
    let impls = match text {
        Some((_, impls)) => crate::format::verbatim(&impls),
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

/// A string enum's definition as formatting its tokens in [`emit_enum`] lays it out (after
/// [`enum_impls_text`] accepted the name); `None` when a line would be long.
fn enum_def_text(cfg: &str, def: &TypeDef, e: &Enum, unknown: &str, names: &StdNames) -> Option<String> {
    let mut out = String::with_capacity(cfg.len() + 256 + e.variants.len() * 48);
    out.push_str(cfg);
    doc_text(&type_doc_text(def), "", &mut out)?;
    if def.docs.deprecated {
        out.push_str("#[deprecated]\n");
    }
    out.push_str("#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum ");
    out.push_str(&def.rust_name);
    out.push_str(" {\n");
    for v in &e.variants {
        doc_text(&code_span(&v.api_name), "    ", &mut out)?;
        if 4 + v.rust_name.len() + 1 > TEXT_MAX_LINE {
            return None;
        }
        out.push_str("    ");
        out.push_str(&v.rust_name);
        out.push_str(",\n");
    }
    out.push_str("    /// A value this version of the client does not know; kept as sent.\n    ");
    out.push_str(unknown);
    out.push('(');
    out.push_str(&names.path_str("String"));
    out.push_str("),\n}\n");
    Some(out)
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

fn emit_union(def: &TypeDef, u: &Union, cx: TyCtx<'_>, docs: TokenStream, cfg: &TokenStream, cfgs: &CfgTexts) -> TokenStream {
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
            let text = paragraphs([v.docs.title.as_deref(), v.docs.description.as_deref()]);
            let text = if text.is_empty() { format!("A `{}` value.", v.rust_name) } else { text };
            let d = doc_attrs(&text);
            quote!(#d #vname(#t))
        })
        .collect();
    let names: Vec<proc_macro2::Ident> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    match &u.tagging {
        Tagging::Untagged => {
            let rows: Vec<String> = u.variants.iter().map(|v| v.rust_name.clone()).collect();
            let text = cfgs
                .get(&def.features)
                .and_then(|cfg| table_macro_text(&cfg, "serde_untagged", !serializes, &def.rust_name, &rows));
            let table = match text {
                Some(text) => crate::format::verbatim(&text),
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
    use crate::format::{format_rust, format_rust_chunked, verbatim};

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

    fn names() -> Vec<&'static str> {
        vec![
            "E",
            "SecurityAdvisoryEcosystems",
            "ReposCreateOrUpdateEnvironmentRequestDeploymentBranchPolicyItemsTypeVeryLong",
            "AVeryLongTypeNameThatMakesEveryImplHeaderLongerThanTheLineWidthOfPrettyPleaseXx",
        ]
    }

    /// The text of every writer equals formatting the tokens it stands for, for short and long
    /// names, with and without shadowed std names, `#[cfg]`s of every shape and `received`;
    /// where the writer declines (a long line), tokens are used and nothing is checked.
    #[test]
    fn verbatim_text_equals_formatted_tokens() {
        let _text = crate::emit::text_writers_on();
        let plain = StdNames::new([]);
        let shadowed = StdNames::new(["Result", "String", "Serialize", "Deserialize"]);
        let variant_sets: Vec<Vec<(&str, &str)>> = vec![
            vec![],
            vec![("Rubygems", "rubygems"), ("Npm", "npm"), ("r#match", "match")],
            vec![("Quote", "say \"hi\"\\ \u{e9}\t"), ("Empty", ""), ("Unknown2", "?")],
            vec![("VeryLongVariantNameForAnEnumValueThatIsLong", "a-very-long-wire-value-for-the-enum-value-xxxxxxx")],
        ];
        let mut written = (0, 0);
        for features in feature_sets() {
            let cfgs = CfgTexts::default();
            let cfg = cfg_features(&features);
            let cfg_text = cfgs.get(&features).unwrap();
            for name in names() {
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
                        let unknown = if variants.iter().any(|(r, _)| *r == "Unknown") { "Unknown2" } else { "Unknown" };
                        let tokens = enum_impls(&id, &e, &ident(unknown), std, &cfg);
                        if let Some(text) = enum_impls_text(&cfg_text, name, &e, unknown, std) {
                            assert_eq!(text, format_rust(tokens).unwrap(), "enum {name} {features:?}");
                            written.0 += 1;
                        }
                    }
                }
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
                for fields in &field_sets {
                    for received in [false, true] {
                        let (tokens, rows): (Vec<TokenStream>, Vec<String>) =
                            fields.iter().map(|(r, a, k)| wire_row(r, a, k)).unzip();
                        for mac in ["serde_struct", "serde_untagged"] {
                            let expected = format_rust(table_macro(&cfg, mac, received, &id, &tokens)).unwrap();
                            if let Some(text) = table_macro_text(&cfg_text, mac, received, name, &rows) {
                                assert_eq!(text, expected, "{mac} {name} {features:?} {received}");
                                written.1 += 1;
                            }
                        }
                    }
                }
            }
        }
        // Most shapes are written as text (the checks above are not vacuous).
        assert!(written.0 >= 50 && written.1 >= 150, "{written:?}");
    }

    /// Verbatim items between token items, in runs of any size: the same text as formatting
    /// the tokens they stand for.
    #[test]
    fn verbatim_items_in_chunked_formatting() {
        let _text = crate::emit::text_writers_on();
        let names = StdNames::new([]);
        let cfgs = CfgTexts::default();
        let features = vec!["meta".to_string()];
        let cfg = cfg_features(&features);
        let cfg_text = cfgs.get(&features).unwrap();
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
            mixed.extend(verbatim(&enum_impls_text(&cfg_text, &name, &e, "Unknown", &names).unwrap()));
            let (row, text) = wire_row("a", "a", "Required");
            all_tokens.extend(table_macro(&quote!(), "serde_struct", true, &id, &[row]));
            mixed.extend(verbatim(&table_macro_text("", "serde_struct", true, &name, &[text]).unwrap()));
        }
        let whole = format_rust(all_tokens).unwrap();
        for max in [1, 2, 5, 64] {
            assert_eq!(format_rust_chunked(mixed.clone(), max).unwrap(), whole, "max_items = {max}");
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
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs = vec![SPEC.as_bytes().to_vec(), std::fs::read(root.join("spec/openapi.yaml")).unwrap()];
        let mut dirs = vec![root.join("tests/specs")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml") {
                    specs.push(std::fs::read(path).unwrap());
                }
            }
        }
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
