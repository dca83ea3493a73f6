//! Schemas -> types.
//!
//! `classify` decides what a schema is. A use site turns a definition into a new named type
//! (named from its context); a component turns it into the body of its reserved type.

use super::Lowerer;
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::spec::normalize::{EXT_NULL, EXT_TYPE_UNION};
use crate::spec::pointer::join;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// A schema at a use site: its type, whether `null` is allowed, and its own docs.
#[derive(Clone, Debug)]
pub(crate) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
    pub docs: Docs,
    pub read_only: bool,
    pub write_only: bool,
    pub default: Option<serde_json::Value>,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Lowered { ty, nullable: false, docs: Docs::default(), read_only: false, write_only: false, default: None }
    }
}

/// What a schema is, before deciding whether it needs a name.
enum Shape {
    /// Expressible without a new named type.
    Inline(TypeRef),
    /// Needs a named type of its own.
    Def(TypeKind),
}

/// A property's schema in an [`ObjectView`].
type PropSchema<'s> = Cow<'s, ReferenceOr<Box<Schema>>>;

/// A merged view of an object schema (used for `allOf`).
#[derive(Clone, Default)]
pub(crate) struct ObjectView<'s> {
    /// Each property's schema, borrowed from the schema being lowered, or owned when the view
    /// outlives it (members of `allOf` read from the JSON document), and its pointer.
    props: IndexMap<String, (PropSchema<'s>, String)>,
    /// Earlier schemas of a property that `allOf` members define more than once (a member that
    /// narrows another's object property, or adds to it), in member order; the last one is in
    /// `props`. The value must satisfy them all, so they are merged (see
    /// [`Lowerer::lower_merged_property`]).
    earlier: IndexMap<String, Vec<(PropSchema<'s>, String)>>,
    required: BTreeSet<String>,
    /// Properties that a `required`-only member of `oneOf`/`anyOf` names but no schema declares
    /// (GitHub's Pages body: `anyOf: [..., {required: [public]}]`), with the member's pointer:
    /// optional fields of any JSON value, since a value may hold them.
    named: Vec<(String, String)>,
    additional: Option<(AdditionalProperties, String)>,
    description: Option<String>,
}

impl ObjectView<'_> {
    fn into_owned(self) -> ObjectView<'static> {
        ObjectView {
            props: self.props.into_iter().map(|(k, (p, ptr))| (k, (Cow::Owned(p.into_owned()), ptr))).collect(),
            earlier: self
                .earlier
                .into_iter()
                .map(|(k, defs)| (k, defs.into_iter().map(|(p, ptr)| (Cow::Owned(p.into_owned()), ptr)).collect()))
                .collect(),
            required: self.required,
            named: self.named,
            additional: self.additional,
            description: self.description,
        }
    }
}

/// The `allOf` view of a reference, kept for its next use.
pub(crate) type CachedView = ObjectView<'static>;

/// The data of an `allOf` member that only annotates (a description, a title, `nullable`,
/// examples): it does not change what the value is.
fn annotation_only(m: &ReferenceOr<Schema>) -> Option<&SchemaData> {
    match m {
        ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(a), schema_data })
            if *a == openapiv3::AnySchema::default() =>
        {
            Some(schema_data)
        }
        _ => None,
    }
}

fn is_empty_schema(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default())
        && !s.schema_data.nullable
        && s.schema_data.extensions.is_empty()
}

impl<'a> Lowerer<'a> {
    /// A schema's docs, charged (see [`Lowerer::charge`]): they are copied for each use.
    pub(crate) fn docs_of(&mut self, data: &SchemaData, ptr: &str) -> Docs {
        let text = super::text_units(data.title.as_deref()) + super::text_units(data.description.as_deref());
        if !self.charge(text, ptr) {
            return Docs::default();
        }
        Docs {
            title: data.title.clone(),
            description: data.description.clone(),
            example: data.example.as_ref().and_then(|ex| self.copy(ex, ptr)),
            deprecated: data.deprecated,
        }
    }

    /// Gives every component schema its type (a placeholder until [`Lowerer::lower_components`]
    /// fills it) and its name, before any schema is lowered.
    pub(crate) fn reserve_components(&mut self) {
        let Some(components) = &self.doc.components else { return };
        for name in components.schemas.keys() {
            let id = self.new_type(
                name,
                &join("/components/schemas", name),
                Docs::default(),
                TypeKind::Alias(TypeRef::Json),
            );
            self.component_ids.insert(["#/components/schemas/", name].concat(), id);
        }
    }

    /// Converts every component schema into the body of its reserved type.
    pub(crate) fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else { return };
        for (name, schema) in &components.schemas {
            if self.spent() {
                return;
            }
            let id = self.component_ids[&["#/components/schemas/", name].concat()];
            let ptr = join("/components/schemas", name);
            let rust_name = self.types.get(id).rust_name.clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.lower_reference(reference, &ptr);
                    self.types.get_mut(id).kind = TypeKind::Alias(wrap_nullable(target.ty, target.nullable));
                }
                ReferenceOr::Item(schema) => {
                    let (shape, nullable) = self.classify(schema, &rust_name, &ptr);
                    let kind = match shape {
                        Shape::Def(kind) if !nullable => kind,
                        Shape::Def(kind) => {
                            // A nullable named shape: the definition gets its own name, and the
                            // component becomes `Option<...>` of it.
                            let inner_name = [rust_name.as_str(), "Value"].join(" ");
                            let inner = self.new_type(&inner_name, &ptr, Docs::default(), kind);
                            TypeKind::Alias(TypeRef::Option(Box::new(TypeRef::Named(inner, vec![]))))
                        }
                        Shape::Inline(ty) => TypeKind::Alias(wrap_nullable(ty, nullable)),
                    };
                    let docs = self.docs_of(&schema.schema_data, &ptr);
                    let def = self.types.get_mut(id);
                    def.docs = docs;
                    def.kind = kind;
                }
            }
        }
    }

    /// The use of an inline schema's shape: inline as it is, a new type, or the body of the type
    /// reserved for it when it was met again inside itself (recursion by reference).
    fn place(&mut self, shape: Shape, reserved: Option<TypeId>, hint: &str, ptr: &str, docs: &Docs) -> TypeRef {
        match (shape, reserved) {
            (Shape::Inline(ty), None) => ty,
            (Shape::Def(kind), None) => TypeRef::Named(self.new_type(hint, ptr, docs.clone(), kind), vec![]),
            (shape, Some(id)) => {
                let def = self.types.get_mut(id);
                def.docs = docs.clone();
                def.kind = match shape {
                    Shape::Def(kind) => kind,
                    Shape::Inline(ty) => TypeKind::Alias(ty),
                };
                TypeRef::Named(id, vec![])
            }
        }
    }

    /// Creates a new named type from a context hint such as "User sequencer".
    pub(crate) fn new_type(&mut self, hint: &str, origin: &str, docs: Docs, kind: TypeKind) -> TypeId {
        self.charge(1 + super::text_units(Some(hint)) + super::text_units(Some(origin)), origin);
        let rust_name = self.type_names.claim(&naming::type_ident(hint));
        let id = TypeId(self.types.defs.len());
        self.types.defs.push(TypeDef {
            id,
            api_name: hint.to_string(),
            rust_name,
            origin: origin.to_string(),
            docs,
            kind,
            generics: vec![],
            in_request: false,
            in_response: false,
            features: vec![],
            merged_into: None,
            derives: vec![],
            attributes: vec![],
        });
        id
    }

    /// Lowers a schema at a use site. `hint` names a new type if one is needed.
    pub(crate) fn lower_use(&mut self, schema: &ReferenceOr<Schema>, hint: &str, ptr: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_reference(reference, ptr),
            ReferenceOr::Item(s) => self.lower_item(s, hint, ptr),
        }
    }

    pub(crate) fn lower_boxed_use(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_reference(reference, ptr),
            ReferenceOr::Item(s) => self.lower_item(s, hint, ptr),
        }
    }

    /// Lowers an inline schema. A schema met again inside itself (an inline `allOf` that merges
    /// a component whose properties hold that same `allOf`: the merged copy would contain
    /// another copy, without end) is a reference to the one type made for it, never expanded
    /// again.
    fn lower_item(&mut self, s: &Schema, hint: &str, ptr: &str) -> Lowered {
        if let Some(slot) = self.inline_stack.iter().position(|(p, _, _)| p == ptr) {
            let id = match self.inline_stack[slot].2 {
                Some(id) => id,
                None => {
                    let name = self.inline_stack[slot].1.clone();
                    let id = self.new_type(&name, ptr, Docs::default(), TypeKind::Alias(TypeRef::Json));
                    self.inline_stack[slot].2 = Some(id);
                    id
                }
            };
            return Lowered { nullable: s.schema_data.nullable, ..Lowered::plain(TypeRef::Named(id, vec![])) };
        }
        self.inline_stack.push((ptr.to_string(), hint.to_string(), None));
        let (shape, nullable) = self.classify(s, hint, ptr);
        let reserved = self.inline_stack.pop().and_then(|(_, _, id)| id);
        let mut docs = self.docs_of(&s.schema_data, ptr);
        if docs.description.is_none() {
            // `allOf: [$ref X, {description: ...}]`: the description is the use's.
            if let SchemaKind::AllOf { all_of } = &s.schema_kind {
                if let Some(annotation) = all_of.iter().filter_map(annotation_only).find(|d| d.description.is_some()) {
                    docs = self.docs_of(annotation, ptr);
                }
            }
        }
        let ty = self.place(shape, reserved, hint, ptr, &docs);
        Lowered {
            ty,
            nullable,
            docs,
            read_only: s.schema_data.read_only,
            write_only: s.schema_data.write_only,
            default: s.schema_data.default.as_ref().and_then(|d| self.copy(d, ptr)),
        }
    }

    /// Resolves a `$ref`. Component schemas map to their reserved type; any other local pointer
    /// is lowered once, named after its last pointer segments, and cached.
    pub(crate) fn lower_reference(&mut self, reference: &str, ptr: &str) -> Lowered {
        if let Some(id) = self.component_ids.get(reference) {
            let nullable = self.component_is_nullable(reference);
            return Lowered { nullable, ..Lowered::plain(TypeRef::Named(*id, vec![])) };
        }
        if let Some(hit) = self.ref_cache.get(reference) {
            return hit.clone();
        }
        if self.in_progress.iter().any(|r| r == reference) || self.in_progress.len() > 64 {
            self.diags.warn(
                ptr,
                format!(
                    "`$ref: {reference}` refers back to itself outside `#/components/schemas`; typed as any JSON value"
                ),
            );
            return Lowered::plain(TypeRef::Json);
        }
        let Some(target) = crate::spec::pointer::resolve(self.raw, reference) else {
            // Validation reports dangling references; this is only reached for refs the
            // normalizer created, which always resolve.
            return Lowered::plain(TypeRef::Json);
        };
        let schema: Schema = match serde_json::from_value(target.clone()) {
            Ok(s) => s,
            Err(e) => {
                self.diags.warn(
                    ptr,
                    format!("`$ref: {reference}` does not point to a schema ({e}); typed as any JSON value"),
                );
                return Lowered::plain(TypeRef::Json);
            }
        };
        let hint: String = reference
            .rsplit('/')
            .filter(|s| !s.is_empty() && *s != "schema" && *s != "properties" && *s != "items")
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" ");
        self.in_progress.push(reference.to_string());
        let lowered = self.lower_item(&schema, &hint, reference.trim_start_matches('#'));
        self.in_progress.pop();
        self.ref_cache.insert(reference.to_string(), lowered.clone());
        lowered
    }

    fn component_is_nullable(&self, reference: &str) -> bool {
        let name = reference.trim_start_matches("#/components/schemas/");
        self.doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .and_then(|s| s.as_item())
            .is_some_and(|s| s.schema_data.nullable)
    }

    fn resolve_component(&self, reference: &str) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        self.doc.components.as_ref()?.schemas.get(name)?.as_item()
    }

    /// Decides the shape of a schema. Returns the shape and whether `null` is allowed.
    fn classify(&mut self, s: &Schema, hint: &str, ptr: &str) -> (Shape, bool) {
        let data = &s.schema_data;
        let mut nullable = data.nullable;
        if data.extensions.get(EXT_NULL).and_then(|v| v.as_bool()) == Some(true) {
            return (Shape::Inline(TypeRef::Json), true);
        }
        let shape = match &s.schema_kind {
            SchemaKind::Type(t) => self.classify_type(t, hint, ptr),
            SchemaKind::OneOf { one_of } => self.classify_union(one_of, s, hint, &join(ptr, "oneOf"), &mut nullable),
            SchemaKind::AnyOf { any_of } => self.classify_union(any_of, s, hint, &join(ptr, "anyOf"), &mut nullable),
            SchemaKind::AllOf { all_of } => self.classify_all_of(all_of, None, hint, ptr, &mut nullable),
            SchemaKind::Not { .. } => {
                self.diags.warn(join(ptr, "not"), "`not` cannot be expressed as a Rust type; typed as any JSON value");
                Shape::Inline(TypeRef::Json)
            }
            SchemaKind::Any(a) => self.classify_any(a, s, hint, ptr, &mut nullable),
        };
        (shape, nullable)
    }

    fn classify_type(&mut self, t: &Type, hint: &str, ptr: &str) -> Shape {
        match t {
            Type::String(st) => {
                let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return Shape::Def(self.string_enum(&values, false, ptr));
                }
                Shape::Inline(match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
                    _ => TypeRef::String,
                })
            }
            Type::Number(n) => Shape::Inline(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F64,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "decimal" => TypeRef::Number,
                _ => TypeRef::F64,
            }),
            Type::Integer(i) => Shape::Inline(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => TypeRef::I64,
                VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
                    "int8" => TypeRef::I8,
                    "int16" => TypeRef::I16,
                    "uint8" => TypeRef::U8,
                    "uint16" => TypeRef::U16,
                    "uint32" => TypeRef::U32,
                    "uint64" | "uint" => TypeRef::U64,
                    _ => TypeRef::I64,
                },
                VariantOrUnknownOrEmpty::Empty => TypeRef::I64,
            }),
            Type::Boolean(_) => Shape::Inline(TypeRef::Bool),
            Type::Array(a) => Shape::Inline(self.array_of(a.items.as_ref(), hint, ptr)),
            Type::Object(o) => {
                let mut view = ObjectView::default();
                for (name, prop) in &o.properties {
                    view.props.insert(name.clone(), (Cow::Borrowed(prop), join(&join(ptr, "properties"), name)));
                }
                view.required = o.required.iter().cloned().collect();
                view.additional = o.additional_properties.clone().map(|a| (a, join(ptr, "additionalProperties")));
                self.object_shape(view, hint, ptr)
            }
        }
    }

    fn array_of(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, hint: &str, ptr: &str) -> TypeRef {
        match items {
            None => TypeRef::Vec(Box::new(TypeRef::Json)),
            Some(items) => {
                let item = self.lower_boxed_use(items, &[hint, "Item"].join(" "), &join(ptr, "items"));
                TypeRef::Vec(Box::new(wrap_nullable(item.ty, item.nullable)))
            }
        }
    }

    /// A string enum of `values`; `any_string` when the schema allows other strings too.
    fn string_enum(&mut self, values: &[String], any_string: bool, ptr: &str) -> TypeKind {
        if !self.charge(values.iter().map(|v| 1 + super::text_units(Some(v))).sum(), ptr) {
            return TypeKind::Alias(TypeRef::String);
        }
        let mut scope = Scope::new();
        let mut seen = BTreeSet::new();
        let variants = values
            .iter()
            .filter(|v| seen.insert(v.as_str()))
            .map(|v| EnumVariant { api_name: v.clone(), rust_name: scope.claim(&naming::type_ident(v)) })
            .collect();
        TypeKind::Enum(Enum { variants, open: true, any_string })
    }

    /// Turns a merged object view into a shape: a map, a free-form object or a struct. `ptr` is
    /// the object schema's (or the `allOf`'s).
    fn object_shape(&mut self, view: ObjectView<'_>, hint: &str, ptr: &str) -> Shape {
        let additional = match &view.additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Schema(s), aptr)) => {
                let v = self.lower_use(s, &[hint, "Value"].join(" "), aptr);
                Some(wrap_nullable(v.ty, v.nullable))
            }
        };
        if view.props.is_empty() {
            return Shape::Inline(match additional {
                Some(TypeRef::Json) | None => TypeRef::JsonObject,
                Some(v) => TypeRef::Map(Box::new(v)),
            });
        }
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let mut fields = Vec::new();
        for (name, (prop, pptr)) in &view.props {
            if !self.charge(1 + super::text_units(Some(name)) + super::text_units(Some(pptr)), pptr) {
                return Shape::Inline(TypeRef::Json);
            }
            let hint = [hint, name].join(" ");
            let lowered = match view.earlier.get(name) {
                Some(earlier) => self.lower_merged_property(earlier, (prop, pptr), &hint),
                None => self.lower_boxed_use(prop, &hint, pptr),
            };
            fields.push(Field {
                api_name: name.clone(),
                rust_name: scope.claim(&naming::value_ident(name)),
                ty: lowered.ty,
                required: view.required.contains(name),
                nullable: lowered.nullable,
                docs: lowered.docs,
                read_only: lowered.read_only,
                write_only: lowered.write_only,
                default: lowered.default,
                origin: pptr.clone(),
            });
        }
        // A required property no schema declares may hold any value (OpenAI's events require
        // `response_id` without declaring it): a struct that dropped it would lose it, so it is
        // a field of any JSON value. With `additionalProperties` the map keeps it; with
        // `additionalProperties: false` no object is valid, and there is nothing to keep.
        if view.additional.is_none() {
            for name in view.required.iter().filter(|r| !view.props.contains_key(*r)) {
                let rptr = join(ptr, "required");
                if !self.charge(1 + super::text_units(Some(name)), &rptr) {
                    return Shape::Inline(TypeRef::Json);
                }
                self.diags
                    .warn(&rptr, format!("`{name}` is required but no schema declares it; typed as any JSON value"));
                fields.push(Field {
                    api_name: name.clone(),
                    rust_name: scope.claim(&naming::value_ident(name)),
                    ty: TypeRef::Json,
                    required: true,
                    nullable: false,
                    docs: Docs::default(),
                    read_only: false,
                    write_only: false,
                    default: None,
                    origin: rptr,
                });
            }
            for (name, rptr) in &view.named {
                if view.props.contains_key(name) || view.required.contains(name) {
                    continue;
                }
                if !self.charge(1 + super::text_units(Some(name)), rptr) {
                    return Shape::Inline(TypeRef::Json);
                }
                self.diags.warn(
                    rptr,
                    format!("`{name}` is required by this member but no schema declares it; an optional field of any JSON value"),
                );
                fields.push(Field {
                    api_name: name.clone(),
                    rust_name: scope.claim(&naming::value_ident(name)),
                    ty: TypeRef::Json,
                    required: false,
                    nullable: false,
                    docs: Docs::default(),
                    read_only: false,
                    write_only: false,
                    default: None,
                    origin: rptr.clone(),
                });
            }
        }
        Shape::Def(TypeKind::Struct(Struct { fields, additional }))
    }

    /// A property that `allOf` members define more than once (`earlier`, then `last`): its value
    /// satisfies every definition. Object schemas are merged like the members themselves (a
    /// struct of every definition's properties: GitHub's webhooks narrow `issue.user` in a second
    /// member that lists only some of them); when one definition alone has properties (the
    /// others only say `type: object`), the property is that one; scalars of one kind are the
    /// definition that says the most (an `enum`, a `format`); anything else (unions, arrays) is
    /// the last definition. `null` is allowed when every definition allows it.
    fn lower_merged_property(
        &mut self,
        earlier: &[(PropSchema<'_>, String)],
        last: (&PropSchema<'_>, &String),
        hint: &str,
    ) -> Lowered {
        let defs: Vec<(&ReferenceOr<Box<Schema>>, &str)> =
            earlier.iter().map(|(s, p)| (&**s, p.as_str())).chain([(&**last.0, last.1.as_str())]).collect();
        // Values of one scalar kind: the definition that says the most (as for an `allOf` of
        // scalars).
        let members: Vec<ReferenceOr<Schema>> = defs.iter().map(|(s, _)| unbox(s)).collect();
        if let Some(i) = self.scalar_all_of(&members) {
            return self.lower_boxed_use(defs[i].0, hint, defs[i].1);
        }
        let mut views = Vec::with_capacity(defs.len());
        for (member, (_, ptr)) in members.iter().zip(&defs) {
            match self.object_view_of(member, ptr, 0) {
                Some(view) => views.push(view),
                None => return self.lower_boxed_use(last.0, hint, last.1),
            }
        }
        let nullable = defs.iter().all(|(schema, _)| match schema {
            ReferenceOr::Reference { reference } => self.component_is_nullable(reference),
            ReferenceOr::Item(s) => s.schema_data.nullable,
        });
        let shaping: Vec<usize> =
            (0..views.len()).filter(|i| !views[*i].props.is_empty() || views[*i].additional.is_some()).collect();
        match shaping.as_slice() {
            [] => return Lowered { nullable, ..self.lower_boxed_use(last.0, hint, last.1) },
            [one] => return Lowered { nullable, ..self.lower_boxed_use(defs[*one].0, hint, defs[*one].1) },
            _ => {}
        }
        let ptr = last.1.as_str();
        if let Some(slot) = self.inline_stack.iter().position(|(p, _, _)| p == ptr) {
            // Met again inside itself: the one type made for it (as in `lower_item`).
            let id = match self.inline_stack[slot].2 {
                Some(id) => id,
                None => {
                    let name = self.inline_stack[slot].1.clone();
                    let id = self.new_type(&name, ptr, Docs::default(), TypeKind::Alias(TypeRef::Json));
                    self.inline_stack[slot].2 = Some(id);
                    id
                }
            };
            return Lowered { nullable, ..Lowered::plain(TypeRef::Named(id, vec![])) };
        }
        let mut merged = ObjectView::default();
        for view in views {
            merge_views(&mut merged, view);
        }
        self.inline_stack.push((ptr.to_string(), hint.to_string(), None));
        let shape = self.object_shape(merged, hint, ptr);
        let reserved = self.inline_stack.pop().and_then(|(_, _, id)| id);
        let (docs, read_only, write_only) = match last.0.as_ref() {
            ReferenceOr::Item(s) => {
                (self.docs_of(&s.schema_data, ptr), s.schema_data.read_only, s.schema_data.write_only)
            }
            ReferenceOr::Reference { .. } => (Docs::default(), false, false),
        };
        let ty = self.place(shape, reserved, hint, ptr, &docs);
        Lowered { ty, nullable, docs, read_only, write_only, default: None }
    }

    fn classify_any(
        &mut self,
        a: &openapiv3::AnySchema,
        s: &Schema,
        hint: &str,
        ptr: &str,
        nullable: &mut bool,
    ) -> Shape {
        if !a.all_of.is_empty() {
            // `required` beside `allOf` (`{allOf: [$ref A], required: [x]}`) makes `x` required
            // in the merged object, so it is part of the schema's own view.
            let own = if a.properties.is_empty() && a.additional_properties.is_none() && a.required.is_empty() {
                None
            } else {
                Some(self.any_object_view(a, ptr))
            };
            return self.classify_all_of(&a.all_of, own, hint, ptr, nullable);
        }
        let constraint_only = |members: &[ReferenceOr<Schema>]| {
            !members.is_empty()
                && members.iter().all(|m| {
                    matches!(m, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(b), .. })
                        if b.properties.is_empty() && b.typ.is_none() && b.all_of.is_empty() && b.one_of.is_empty()
                            && b.any_of.is_empty() && b.items.is_none() && b.enumeration.is_empty()
                            && b.additional_properties.is_none())
                })
        };
        if !a.properties.is_empty() && (constraint_only(&a.one_of) || constraint_only(&a.any_of)) {
            // `oneOf: [{required: [a]}, {required: [b]}]` beside properties only says which
            // properties must be present together: the type is the object itself, and the rule
            // is the server's to enforce (the schema's description usually states it).
            self.warn_unsatisfiable_members(a, ptr);
            let mut view = self.any_object_view(a, ptr);
            for (key, members) in [("oneOf", &a.one_of), ("anyOf", &a.any_of)] {
                for (i, member) in members.iter().enumerate() {
                    let ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(m), .. }) = member else { continue };
                    let at = join(&join(&join(ptr, key), &i.to_string()), "required");
                    for name in m.required.iter().filter(|r| !a.properties.contains_key(*r)) {
                        if !view.named.iter().any(|(n, _)| n == name) {
                            view.named.push((name.clone(), at.clone()));
                        }
                    }
                }
            }
            return self.object_shape(view, hint, ptr);
        }
        if !a.one_of.is_empty() || !a.any_of.is_empty() {
            if !a.properties.is_empty() {
                self.diags
                    .warn(ptr, "properties beside oneOf/anyOf are not merged into the variants; they are ignored");
            }
            let (members, key) = if a.one_of.is_empty() { (&a.any_of, "anyOf") } else { (&a.one_of, "oneOf") };
            return self.classify_union(members, s, hint, &join(ptr, key), nullable);
        }
        // Object keywords beside another declared `type` (GitHub's `hook-delivery` payload:
        // `type: string, additionalProperties: true`) do not make an object: the type wins.
        let other_type = a.typ.as_deref().is_some_and(|t| t != "object");
        if other_type && (!a.properties.is_empty() || a.additional_properties.is_some()) {
            self.diags.push(
                crate::diagnostics::Diagnostic::warning(
                    ptr,
                    format!("`properties`/`additionalProperties` beside `type: {}` are ignored: a value of that type has no properties", a.typ.as_deref().unwrap_or_default()),
                )
                .with_code("W001"),
            );
        }
        if !other_type
            && (!a.properties.is_empty() || a.additional_properties.is_some() || a.typ.as_deref() == Some("object"))
        {
            let view = self.any_object_view(a, ptr);
            return self.object_shape(view, hint, ptr);
        }
        if a.items.is_some() || a.typ.as_deref() == Some("array") {
            return Shape::Inline(self.array_of(a.items.as_ref(), hint, ptr));
        }
        if !a.enumeration.is_empty() {
            let strings: Vec<String> = a.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
            if strings.len() == a.enumeration.iter().filter(|v| !v.is_null()).count() && !strings.is_empty() {
                return Shape::Def(self.string_enum(&strings, false, ptr));
            }
        }
        match a.typ.as_deref() {
            Some("string") => Shape::Inline(match a.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("binary") => TypeRef::Bytes,
                _ => TypeRef::String,
            }),
            Some("integer") => Shape::Inline(TypeRef::I64),
            Some("number") => Shape::Inline(TypeRef::F64),
            Some("boolean") => Shape::Inline(TypeRef::Bool),
            _ => Shape::Inline(TypeRef::Json),
        }
    }

    /// A `required`-only member of `oneOf`/`anyOf` that names a property the object neither
    /// declares nor allows (`additionalProperties: false`) matches no value (GitHub's campaign
    /// body requires `secret_scanning_alerts` in one member but does not declare it): the type
    /// cannot hold that property, which the spec most likely forgot to declare.
    fn warn_unsatisfiable_members(&mut self, a: &openapiv3::AnySchema, ptr: &str) {
        if a.additional_properties != Some(AdditionalProperties::Any(false)) {
            return;
        }
        for (key, members) in [("oneOf", &a.one_of), ("anyOf", &a.any_of)] {
            for (i, member) in members.iter().enumerate() {
                let ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(m), .. }) = member else { continue };
                for name in m.required.iter().filter(|r| !a.properties.contains_key(*r)) {
                    let at = join(&join(&join(ptr, key), &i.to_string()), "required");
                    self.diags.warn(
                        at,
                        format!(
                            "requires `{name}`, which is not a property of the object while `additionalProperties` is false: no value matches this member, and the type has no `{name}`"
                        ),
                    );
                }
            }
        }
    }

    fn any_object_view<'s>(&self, a: &'s openapiv3::AnySchema, ptr: &str) -> ObjectView<'s> {
        let mut view = ObjectView::default();
        for (name, prop) in &a.properties {
            view.props.insert(name.clone(), (Cow::Borrowed(prop), join(&join(ptr, "properties"), name)));
        }
        view.required = a.required.iter().cloned().collect();
        view.additional = a.additional_properties.clone().map(|ap| (ap, join(ptr, "additionalProperties")));
        view
    }

    /// `allOf`: a generic envelope instantiation, a single member, or a merged struct.
    fn classify_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: Option<ObjectView<'_>>,
        hint: &str,
        ptr: &str,
        nullable: &mut bool,
    ) -> Shape {
        if own.as_ref().is_none_or(|o| o.props.is_empty() && o.additional.is_none()) {
            if let Some(i) = self.scalar_all_of(members) {
                // `allOf` of values of one kind (two strings, a string and its format): that
                // value, as its most specific member says it.
                let m = self.lower_use(&members[i], hint, &join(&join(ptr, "allOf"), &i.to_string()));
                *nullable |= m.nullable;
                return Shape::Inline(m.ty);
            }
        }
        // `required` alone beside the members: a merged struct only when it makes a member's
        // optional property required; otherwise the schema is what its members make it (a
        // `$ref`'s type, a generic envelope), as without it.
        let own = match own {
            Some(o) if o.props.is_empty() && o.additional.is_none() => {
                let mut members_view = ObjectView::default();
                let mut viewable = true;
                for (i, m) in members.iter().enumerate() {
                    match self.object_view_of(m, &join(&join(ptr, "allOf"), &i.to_string()), 0) {
                        Some(v) => merge_views(&mut members_view, v),
                        None => viewable = false,
                    }
                }
                let tightens =
                    o.required.iter().any(|r| members_view.props.contains_key(r) && !members_view.required.contains(r));
                (viewable && tightens).then_some(o)
            }
            other => other,
        };
        if own.is_none() {
            // `allOf: [$ref X, {description: ...}]` (every AWS spec writes a property's docs this
            // way): the one member that says what the value is.
            let mut shaping = members.iter().enumerate().filter(|(_, m)| annotation_only(m).is_none());
            if let (Some((i, member)), None) = (shaping.next(), shaping.next()) {
                for m in members.iter().filter_map(annotation_only) {
                    *nullable |= m.nullable;
                }
                let m = self.lower_use(member, hint, &join(&join(ptr, "allOf"), &i.to_string()));
                *nullable |= m.nullable;
                return Shape::Inline(m.ty);
            }
            if let Some(shape) = self.generic_instantiation(members, hint, ptr) {
                return shape;
            }
            if members.len() == 1 {
                let m = self.lower_use(&members[0], hint, &join(&join(ptr, "allOf"), "0"));
                *nullable |= m.nullable;
                return Shape::Inline(m.ty);
            }
        }
        let mut merged = own.unwrap_or_default();
        let mut view = ObjectView::default();
        for (i, m) in members.iter().enumerate() {
            let mptr = join(&join(ptr, "allOf"), &i.to_string());
            match self.object_view_of(m, &mptr, 0) {
                Some(v) => merge_views(&mut view, v),
                None => {
                    self.diags.warn(
                        &mptr,
                        "an allOf member that is not an object cannot be merged into a struct; it is ignored",
                    );
                }
            }
        }
        merge_views(&mut view, std::mem::take(&mut merged));
        self.object_shape(view, hint, ptr)
    }

    /// When every member of an `allOf` is a value of one scalar kind (string, number, integer,
    /// boolean) or only constrains (no `type`, no properties), the member that says the most
    /// (an `enum`, else a `format`, else the first typed one).
    fn scalar_all_of(&self, members: &[ReferenceOr<Schema>]) -> Option<usize> {
        let mut kind = None;
        let mut best: Option<(usize, u8)> = None;
        for (i, m) in members.iter().enumerate() {
            let s = match m {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { reference } => self.resolve_component(reference)?,
            };
            let (this, rank) = match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => (
                    "string",
                    if !st.enumeration.is_empty() {
                        2
                    } else {
                        u8::from(!matches!(st.format, VariantOrUnknownOrEmpty::Empty))
                    },
                ),
                SchemaKind::Type(Type::Number(n)) => {
                    ("number", u8::from(!matches!(n.format, VariantOrUnknownOrEmpty::Empty)))
                }
                SchemaKind::Type(Type::Integer(n)) => {
                    ("integer", u8::from(!matches!(n.format, VariantOrUnknownOrEmpty::Empty)))
                }
                SchemaKind::Type(Type::Boolean(_)) => ("boolean", 0),
                SchemaKind::Any(a)
                    if a.typ.is_none()
                        && a.properties.is_empty()
                        && a.items.is_none()
                        && a.additional_properties.is_none()
                        && a.all_of.is_empty()
                        && a.one_of.is_empty()
                        && a.any_of.is_empty()
                        && a.enumeration.is_empty() =>
                {
                    continue
                }
                _ => return None,
            };
            if kind.replace(this).is_some_and(|k| k != this) {
                return None;
            }
            if best.is_none_or(|(_, r)| rank > r) {
                best = Some((i, rank));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The object view of an allOf member, following references and nested allOf.
    ///
    /// The view of a reference is computed once: it does not depend on where the reference is
    /// used, only whether the limit of 32 levels is reached does, so it is kept with the number
    /// of levels its computation went below the reference, and used again wherever that many
    /// levels are left (members that refer to the same schemas twice would otherwise take time
    /// exponential in the depth). Failures are not kept: they stop at once and warn each time.
    fn object_view_of(&mut self, m: &ReferenceOr<Schema>, ptr: &str, depth: usize) -> Option<ObjectView<'static>> {
        match m {
            ReferenceOr::Reference { reference } => {
                if depth > 32 {
                    self.diags.warn(ptr, "allOf chain is too deep or cyclic to merge");
                    return None;
                }
                if let Some((view, height)) = self.all_of_views.get(reference) {
                    if depth + height <= 32 {
                        self.all_of_deepest = self.all_of_deepest.max(depth + height);
                        let view = view.clone();
                        // A copy of the merged properties for each use.
                        return self.charge(view.props.len(), ptr).then_some(view);
                    }
                }
                let outer = std::mem::replace(&mut self.all_of_deepest, depth);
                let target_ptr = reference.trim_start_matches('#');
                let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
                let view = match schemas.and_then(|entries| super::parsed_component(entries, "schemas", reference)) {
                    Some(schema) => self.schema_object_view(schema, target_ptr, depth + 1),
                    None => crate::spec::pointer::resolve(self.raw, reference)
                        .and_then(|target| self.copy(target, ptr))
                        .and_then(|target| serde_json::from_value::<Schema>(target).ok())
                        .and_then(|schema| self.schema_object_view(&schema, target_ptr, depth + 1)),
                };
                let deepest = self.all_of_deepest;
                self.all_of_deepest = outer.max(deepest);
                if let Some(view) = &view {
                    self.all_of_views.insert(reference.clone(), (view.clone(), deepest - depth));
                }
                view
            }
            ReferenceOr::Item(s) => self.schema_object_view(s, ptr, depth),
        }
    }

    /// The object view of a schema that is an allOf member (see [`Lowerer::object_view_of`]).
    fn schema_object_view(&mut self, s: &Schema, ptr: &str, depth: usize) -> Option<ObjectView<'static>> {
        if depth > 32 {
            self.diags.warn(ptr, "allOf chain is too deep or cyclic to merge");
            return None;
        }
        self.all_of_deepest = self.all_of_deepest.max(depth);
        let mut view = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                let mut v = ObjectView::default();
                for (name, prop) in &o.properties {
                    v.props.insert(name.clone(), (Cow::Owned(prop.clone()), join(&join(ptr, "properties"), name)));
                }
                v.required = o.required.iter().cloned().collect();
                v.additional = o.additional_properties.clone().map(|a| (a, join(ptr, "additionalProperties")));
                v
            }
            SchemaKind::Any(a) => {
                let mut v = self.any_object_view(a, ptr).into_owned();
                for (i, sub) in a.all_of.iter().enumerate() {
                    let sub = self.object_view_of(sub, &join(&join(ptr, "allOf"), &i.to_string()), depth + 1)?;
                    merge_views(&mut v, sub);
                }
                if !a.one_of.is_empty() || !a.any_of.is_empty() || a.items.is_some() {
                    return None;
                }
                v
            }
            SchemaKind::AllOf { all_of } => {
                let mut v = ObjectView::default();
                for (i, sub) in all_of.iter().enumerate() {
                    let sub = self.object_view_of(sub, &join(&join(ptr, "allOf"), &i.to_string()), depth + 1)?;
                    merge_views(&mut v, sub);
                }
                v
            }
            _ => return None,
        };
        if view.description.is_none() {
            view.description = s.schema_data.description.clone();
        }
        Some(view)
    }

    /// `allOf: [$ref Envelope, {properties: {data: X}}]` where `Envelope.data` is an empty schema
    /// becomes `Envelope<X>`: one generic type instead of one merged copy per response.
    fn generic_instantiation(&mut self, members: &[ReferenceOr<Schema>], hint: &str, ptr: &str) -> Option<Shape> {
        if members.len() != 2 {
            return None;
        }
        let (ref_idx, reference) = members.iter().enumerate().find_map(|(i, m)| match m {
            ReferenceOr::Reference { reference } => Some((i, reference)),
            _ => None,
        })?;
        let refinement = members[1 - ref_idx].as_item()?;
        let envelope = self.resolve_component(reference)?;
        let id = *self.component_ids.get(reference)?;
        let SchemaKind::Type(Type::Object(env)) = &envelope.schema_kind else { return None };
        let open: Vec<String> = env
            .properties
            .iter()
            .filter(|(_, p)| p.as_item().is_some_and(|s| is_empty_schema(s)))
            .map(|(k, _)| k.clone())
            .collect();
        if open.is_empty() || env.additional_properties.is_some() {
            return None;
        }
        let (props, required) = match &refinement.schema_kind {
            SchemaKind::Type(Type::Object(o)) if o.additional_properties.is_none() => (&o.properties, &o.required),
            SchemaKind::Any(a)
                if a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.additional_properties.is_none()
                    && a.items.is_none() =>
            {
                (&a.properties, &a.required)
            }
            _ => return None,
        };
        if props.is_empty()
            || !props.keys().all(|k| open.contains(k))
            || !required.iter().all(|r| env.required.contains(r))
            || refinement.schema_data.nullable
        {
            return None;
        }
        let mut args = Vec::new();
        for name in &open {
            match props.get(name) {
                Some(p) => {
                    let pptr = join(&join(&join(&join(ptr, "allOf"), &(1 - ref_idx).to_string()), "properties"), name);
                    let l = self.lower_boxed_use(p, &[hint, name].join(" "), &pptr);
                    args.push(wrap_nullable(l.ty, l.nullable));
                }
                None => args.push(TypeRef::Json),
            }
        }
        self.generic_envelopes.insert(id, open);
        Some(Shape::Inline(TypeRef::Named(id, args)))
    }

    /// Makes every envelope used generically a generic type: its open properties become `T`.
    pub(crate) fn finish_generics(&mut self) {
        for (id, open) in std::mem::take(&mut self.generic_envelopes) {
            let params: Vec<GenericParam> = open
                .iter()
                .map(|p| GenericParam {
                    rust_name: if open.len() == 1 { "T".into() } else { format!("T{}", naming::type_ident(p)) },
                    property: p.clone(),
                })
                .collect();
            let def = self.types.get_mut(id);
            if let TypeKind::Struct(st) = &mut def.kind {
                for f in &mut st.fields {
                    if let Some(i) = open.iter().position(|p| *p == f.api_name) {
                        f.ty = TypeRef::Param(i);
                    }
                }
                def.generics = params;
            }
        }
    }

    fn classify_union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        parent: &Schema,
        hint: &str,
        ptr: &str,
        nullable: &mut bool,
    ) -> Shape {
        let type_union = parent.schema_data.extensions.get(EXT_TYPE_UNION).and_then(|v| v.as_bool()) == Some(true);
        if members.is_empty() {
            return Shape::Inline(TypeRef::Json);
        }
        if members.len() == 1 {
            let m = self.lower_use(&members[0], hint, &join(ptr, "0"));
            *nullable |= m.nullable;
            return Shape::Inline(m.ty);
        }
        // All members string enums (or plain strings): one open enum.
        let mut enum_values = Vec::new();
        let mut all_string_like = true;
        // A member that is any string: the enum's values constrain nothing.
        let mut any_string = false;
        for m in members {
            let s = match m {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { reference } => self.resolve_component(reference),
            };
            match s.map(|s| &s.schema_kind) {
                Some(SchemaKind::Type(Type::String(st)))
                    if matches!(st.format, VariantOrUnknownOrEmpty::Empty) || !st.enumeration.is_empty() =>
                {
                    // Members that are references are read again for each union.
                    let size = st.enumeration.iter().flatten().map(|v| 1 + super::text_units(Some(v))).sum();
                    if !self.charge(size, ptr) {
                        return Shape::Inline(TypeRef::Json);
                    }
                    enum_values.extend(st.enumeration.iter().flatten().cloned());
                    any_string |= st.enumeration.is_empty();
                }
                _ => all_string_like = false,
            }
        }
        if all_string_like && !enum_values.is_empty() && !type_union {
            return Shape::Def(self.string_enum(&enum_values, any_string, ptr));
        }

        let tagging = match &parent.schema_data.discriminator {
            Some(d) => Tagging::Internal { property: d.property_name.clone() },
            None => Tagging::Untagged,
        };
        // Mapping keys by target (a reference or a bare schema name), in mapping order.
        let mut by_target: std::collections::HashMap<&str, Vec<(usize, &String)>> = Default::default();
        for (n, (key, target)) in parent.schema_data.discriminator.iter().flat_map(|d| &d.mapping).enumerate() {
            by_target.entry(target.as_str()).or_default().push((n, key));
        }
        let discriminator = parent.schema_data.discriminator.as_ref().map(|d| d.property_name.as_str());
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        let names = member_names(members, discriminator);
        for (i, m) in members.iter().enumerate() {
            let mptr = join(ptr, &i.to_string());
            if !self.charge(1, &mptr) {
                return Shape::Inline(TypeRef::Json);
            }
            let fallback = names[i].as_str();
            let l = if type_union {
                // `[string, number]`: keep numbers exactly as sent.
                match m.as_item().map(|s| &s.schema_kind) {
                    Some(SchemaKind::Type(Type::Number(_))) => Lowered::plain(TypeRef::Number),
                    _ => self.lower_use(m, &[hint, fallback].join(" "), &mptr),
                }
            } else {
                self.lower_use(m, &[hint, fallback].join(" "), &mptr)
            };
            *nullable |= l.nullable;
            let (tags, schema_name) = match (&parent.schema_data.discriminator, m) {
                (Some(_), ReferenceOr::Reference { reference }) => {
                    // Mapping values are references or bare schema names.
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    let mut found: Vec<(usize, &String)> =
                        by_target.get(reference.as_str()).cloned().unwrap_or_default();
                    if name != reference {
                        found.extend(by_target.get(name).into_iter().flatten());
                    }
                    found.sort_unstable();
                    // Each variant copies its keys (charged: a mapping may name one schema often).
                    let size = found.iter().map(|(_, key)| 1 + super::text_units(Some(key))).sum();
                    if !self.charge(size, &mptr) {
                        return Shape::Inline(TypeRef::Json);
                    }
                    // Without a mapping entry, `lower::unions` infers the tag (the member's
                    // constant tag property, else the schema name).
                    (found.into_iter().map(|(_, key)| key.clone()).collect(), Some(name.to_string()))
                }
                _ => (vec![], None),
            };
            variants.push(UnionVariant {
                rust_name: scope.claim(&naming::type_ident(fallback)),
                ty: l.ty,
                tags,
                docs: l.docs,
                schema_name,
                guard: Default::default(),
            });
        }
        Shape::Def(TypeKind::Union(Union { variants, tagging }))
    }
}

/// The names of a union's members, none of them from its position: a `$ref` by the schema it
/// names; an inline member by [`variant_name`] (its tag value, else its kind, ...). Inline members
/// that would share a name (two untagged objects, two strings, an `allOf` that extends a member's
/// schema) are each named by their own content: the `title`, else (objects) the kind and the
/// first property, else (strings) the kind and the `format`; the first of these that the others
/// alike do not share. Only members alike in all of these are numbered, in order. So inserting a
/// member renames no other, except that a member alone of its kind (`Object`) is qualified
/// (`ObjectId`) once another of its kind joins it.
fn member_names(members: &[ReferenceOr<Schema>], discriminator: Option<&str>) -> Vec<String> {
    let base: Vec<String> = members
        .iter()
        .map(|m| match m {
            ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or("Variant").to_string(),
            ReferenceOr::Item(s) => variant_name(s, discriminator),
        })
        .collect();
    let key = |n: &str| naming::type_ident(n);
    let usable = |t: &&str| t.chars().any(char::is_alphanumeric);
    // The qualified names a member could take, in order of preference.
    let candidates = |i: usize| -> [Option<String>; 3] {
        let Some(s) = members[i].as_item() else { return [None, None, None] };
        let title = s.schema_data.title.as_deref().filter(usable).map(str::to_string);
        let first = object_properties(s)
            .and_then(|ps| ps.into_iter().find(|p| usable(&p.as_str())))
            .map(|p| format!("{} {p}", base[i]));
        let format = match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => match &st.format {
                VariantOrUnknownOrEmpty::Item(f) => Some(format!("{} {f:?}", base[i])),
                VariantOrUnknownOrEmpty::Unknown(f) if usable(&f.as_str()) => Some(format!("{} {f}", base[i])),
                _ => None,
            },
            _ => None,
        };
        [title, first, format]
    };
    // Linear in the members (a union may list thousands): each name's key and each candidate's
    // are computed once, and a candidate is free when no other member alike has its key.
    let keys: Vec<String> = base.iter().map(|b| key(b)).collect();
    let mut alike: HashMap<&str, usize> = HashMap::new();
    for k in &keys {
        *alike.entry(k.as_str()).or_default() += 1;
    }
    // Per member alike another: its candidates, each as (key, name).
    type Candidates = [Option<(String, String)>; 3];
    let qualified: Vec<Option<Candidates>> = (0..members.len())
        .map(|i| (alike[keys[i].as_str()] > 1).then(|| candidates(i).map(|c| c.map(|n| (key(&n), n)))))
        .collect();
    // (the members' shared key, the candidate's position, the candidate's key) -> how many have it.
    let mut taken: HashMap<(&str, usize, &str), usize> = HashMap::new();
    for (i, q) in qualified.iter().enumerate() {
        for (c, candidate) in q.iter().flatten().enumerate() {
            if let Some((k, _)) = candidate {
                *taken.entry((keys[i].as_str(), c, k.as_str())).or_default() += 1;
            }
        }
    }
    let mut names = base.clone();
    for (i, name) in names.iter_mut().enumerate() {
        let Some(mine) = &qualified[i] else { continue };
        if members[i].as_item().is_none() {
            continue;
        }
        let pick = (0..3).find_map(|c| {
            let (k, n) = mine[c].as_ref()?;
            (taken[&(keys[i].as_str(), c, k.as_str())] == 1).then(|| n.clone())
        });
        if let Some(pick) = pick {
            *name = pick;
        }
    }
    names
}

/// The declared property names of an object schema (with or without `type: object`).
fn object_properties(s: &Schema) -> Option<Vec<&String>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(o.properties.keys().collect()),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some(a.properties.keys().collect()),
        _ => None,
    }
}

/// The name of an inline union member: for an object, the constant value of its tag property
/// (the discriminator, else `type`, `object` or `kind`); else the kind of value (`String`,
/// `Object`: the names earlier versions gave, kept stable); for an `allOf` that extends a
/// component, that component's name; else its `title`, else the composition it is (`OneOf`,
/// `AllOf`, `Not`, `Any`).
fn variant_name(s: &Schema, discriminator: Option<&str>) -> String {
    let properties = match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&o.properties),
        SchemaKind::Any(a) if !a.properties.is_empty() && a.all_of.is_empty() => Some(&a.properties),
        _ => None,
    };
    if let Some(properties) = properties {
        let constant = |name: &str| match &properties.get(name)?.as_item()?.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => st.enumeration[0].clone(),
            SchemaKind::Any(a) if a.enumeration.len() == 1 => a.enumeration[0].as_str().map(str::to_string),
            _ => None,
        };
        let tag = discriminator.into_iter().chain(["type", "object", "kind"]).find_map(constant);
        if let Some(tag) = tag.filter(|t| t.chars().any(char::is_alphanumeric)) {
            return tag;
        }
    }
    let extends = |all_of: &[ReferenceOr<Schema>]| {
        all_of
            .iter()
            .find_map(|m| match m {
                ReferenceOr::Reference { reference } => reference.rsplit('/').next(),
                ReferenceOr::Item(_) => None,
            })
            .map(str::to_string)
    };
    let title = || s.schema_data.title.clone().filter(|t| t.chars().any(char::is_alphanumeric));
    match &s.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String".into(),
        SchemaKind::Type(Type::Number(_)) => "Number".into(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
        SchemaKind::Type(Type::Boolean(_)) => "Boolean".into(),
        SchemaKind::Type(Type::Array(_)) => "Array".into(),
        SchemaKind::Type(Type::Object(_)) => "Object".into(),
        SchemaKind::AllOf { all_of } => extends(all_of).or_else(title).unwrap_or_else(|| "AllOf".into()),
        SchemaKind::Any(a) if !a.all_of.is_empty() => {
            extends(&a.all_of).or_else(title).unwrap_or_else(|| "AllOf".into())
        }
        _ => title().unwrap_or_else(|| {
            match &s.schema_kind {
                SchemaKind::OneOf { .. } => "OneOf",
                SchemaKind::AnyOf { .. } => "AnyOf",
                SchemaKind::Not { .. } => "Not",
                SchemaKind::Any(a) if !a.properties.is_empty() || a.typ.as_deref() == Some("object") => "Object",
                SchemaKind::Any(a) if !a.one_of.is_empty() => "OneOf",
                SchemaKind::Any(a) if !a.any_of.is_empty() => "AnyOf",
                _ => "Any",
            }
            .into()
        }),
    }
}

/// A property's schema as an `allOf` member.
fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
    }
}

fn merge_views<'s>(into: &mut ObjectView<'s>, mut from: ObjectView<'s>) {
    let is_empty = |schema: &PropSchema<'_>| matches!(&**schema, ReferenceOr::Item(s) if is_empty_schema(s));
    for (name, (schema, ptr)) in from.props {
        let from_earlier = from.earlier.shift_remove(&name).unwrap_or_default();
        let Some(slot) = into.props.get_mut(&name) else {
            if !from_earlier.is_empty() {
                into.earlier.insert(name.clone(), from_earlier);
            }
            into.props.insert(name, (schema, ptr));
            continue;
        };
        // Every definition of the property in member order, the last in `props` (in the
        // property's first place): an empty schema adds nothing, and one written twice alike
        // counts once (at its last place).
        let existing = std::mem::replace(slot, (schema, ptr));
        let mut defs = into.earlier.shift_remove(&name).unwrap_or_default();
        defs.push(existing);
        defs.extend(from_earlier);
        defs.retain(|(s, _)| !is_empty(s));
        if is_empty(&slot.0) {
            if let Some(last) = defs.pop() {
                *slot = last;
            }
        }
        let mut unique: Vec<(PropSchema<'s>, String)> = Vec::with_capacity(defs.len());
        for def in defs.into_iter().rev() {
            if *def.0 != *slot.0 && !unique.iter().any(|(s, _)| **s == *def.0) {
                unique.push(def);
            }
        }
        unique.reverse();
        if !unique.is_empty() {
            into.earlier.insert(name, unique);
        }
    }
    into.required.extend(from.required);
    if from.additional.is_some() {
        into.additional = from.additional;
    }
    if into.description.is_none() {
        into.description = from.description;
    }
}

pub(crate) fn wrap_nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && !matches!(ty, TypeRef::Option(_) | TypeRef::Json) {
        TypeRef::Option(Box::new(ty))
    } else {
        ty
    }
}
