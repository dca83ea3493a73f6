//! How unions tell their members apart, decided once every type is lowered.
//!
//! Real APIs rarely follow the letter of the discriminator object: OpenAI's tool calls declare
//! `discriminator: {propertyName: type}` with no `mapping`, and each member says its tag as a
//! `const` (or a single-value `enum`) of `type`, not by its schema name. Stripe's unions have no
//! discriminator at all, and their members differ by a constant `object` property. So:
//!
//! - **Tagged unions.** A member's tag values are the discriminator's `mapping` keys that name
//!   it; without one, the constant values of its tag property (its enum's values, or the tags of
//!   a member that is itself a union on the same property); without those, its schema name (the
//!   OpenAPI default). A value may select more than one member (OpenAI's `InputItem` has two
//!   members of `type: message`, an input and an output message): the decoder then reads it as
//!   an untagged union of those members would (below). A union with a member left without a tag
//!   is decoded untagged, with a warning.
//! - **Untagged unions** ([`VariantGuard`]). A member is tried only when each of its constant
//!   properties is absent, `null` or the constant (an open single-value enum would otherwise
//!   read any string as `Unknown`, and a Stripe card would decode as a bank account). Of the
//!   members that read the value, the first that declares every property of the value wins; when
//!   none does, the one that leaves the fewest undeclared (the rest of the value would be lost
//!   otherwise). Members are kept in the spec's order, which breaks ties.

use crate::diagnostics::Diagnostics;
use crate::ir::{Tagging, TypeDef, TypeId, TypeKind, TypeRef, TypeStore, VariantGuard};
use std::collections::BTreeSet;

/// How deep a member that is itself a union (or an alias) is followed for its tags.
const MAX_NESTING: usize = 8;

/// Fills in the tags of tagged unions and the guards of every union's members.
pub(crate) fn resolve(types: &mut TypeStore, diags: &mut Diagnostics) {
    for i in 0..types.defs.len() {
        let TypeKind::Union(u) = &types.defs[i].kind else { continue };
        let guards: Vec<VariantGuard> = u.variants.iter().map(|v| guard(types, &v.ty)).collect();
        let tags = match &u.tagging {
            Tagging::Internal { property } => Some(infer_tags(types, &types.defs[i], property)),
            Tagging::Untagged => None,
        };
        let def = &mut types.defs[i];
        let origin = def.origin.clone();
        let TypeKind::Union(u) = &mut def.kind else { continue };
        for (v, g) in u.variants.iter_mut().zip(guards) {
            v.guard = g;
        }
        let Some(tags) = tags else { continue };
        let untagged: Vec<&str> =
            u.variants.iter().zip(&tags).filter(|(_, t)| t.is_empty()).map(|(v, _)| v.rust_name.as_str()).collect();
        if untagged.is_empty() {
            for (v, t) in u.variants.iter_mut().zip(tags) {
                v.tags = t;
            }
            continue;
        }
        let Tagging::Internal { property } = &u.tagging else { continue };
        diags.warn(
            origin,
            format!(
                "discriminator `{property}`: no tag value of its own for {} (no `mapping` entry, no constant `{property}` and no schema name); the union is decoded by trying each member in order",
                untagged.join(", ")
            ),
        );
        u.tagging = Tagging::Untagged;
    }
}

/// The tag values of each member of the tagged union `def` (empty when none is known).
fn infer_tags(types: &TypeStore, def: &TypeDef, property: &str) -> Vec<Vec<String>> {
    let TypeKind::Union(u) = &def.kind else { return vec![] };
    let mut out = Vec::new();
    for v in &u.variants {
        let candidates = if !v.tags.is_empty() {
            v.tags.clone()
        } else {
            let inferred = tag_values(types, &v.ty, property, 0);
            if inferred.is_empty() {
                v.schema_name.iter().cloned().collect()
            } else {
                inferred
            }
        };
        let mut own = BTreeSet::new();
        out.push(candidates.into_iter().filter(|t| own.insert(t.clone())).collect());
    }
    out
}

/// The named type a use refers to, through boxes, aliases and merged copies.
fn named(types: &TypeStore, ty: &TypeRef, depth: usize) -> Option<TypeId> {
    match ty {
        TypeRef::Box(inner) => named(types, inner, depth),
        TypeRef::Named(id, _) if depth < MAX_NESTING => match &types.get(*id).kind {
            TypeKind::Alias(target) => named(types, target, depth + 1).or(Some(*id)),
            _ => Some(*id),
        },
        _ => None,
    }
}

/// The values of an enum type (through boxes, options and aliases).
fn enum_values<'t>(types: &'t TypeStore, ty: &TypeRef) -> Option<Vec<&'t str>> {
    enum_of(types, ty).map(|e| e.variants.iter().map(|v| v.api_name.as_str()).collect())
}

/// The enum a type is (through boxes, options and aliases).
fn enum_of<'t>(types: &'t TypeStore, ty: &TypeRef) -> Option<&'t crate::ir::Enum> {
    let inner = match ty {
        TypeRef::Option(t) => t,
        other => other,
    };
    let id = named(types, inner, 0)?;
    match &types.get(id).kind {
        TypeKind::Enum(e) => Some(e),
        _ => None,
    }
}

/// The values of `property` that select a member of type `ty`: the values of its enum, or the
/// tags of a union on the same property.
fn tag_values(types: &TypeStore, ty: &TypeRef, property: &str, depth: usize) -> Vec<String> {
    let Some(id) = named(types, ty, depth) else { return vec![] };
    match &types.get(id).kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.api_name == property)
            .and_then(|f| enum_values(types, &f.ty))
            .map(|values| values.into_iter().map(str::to_string).collect())
            .unwrap_or_default(),
        TypeKind::Union(u) if depth < MAX_NESTING => match &u.tagging {
            Tagging::Internal { property: p } if p == property => u
                .variants
                .iter()
                .flat_map(|v| {
                    if v.tags.is_empty() {
                        tag_values(types, &v.ty, property, depth + 1)
                    } else {
                        v.tags.clone()
                    }
                })
                .collect(),
            _ => vec![],
        },
        _ => vec![],
    }
}

/// What an untagged union checks of a value before reading it as a member of type `ty`.
fn guard(types: &TypeStore, ty: &TypeRef) -> VariantGuard {
    let Some(id) = named(types, ty, 0) else { return VariantGuard::default() };
    let def = types.get(id);
    let TypeKind::Struct(s) = &def.kind else { return VariantGuard::default() };
    // A single-value enum that the schema lets be any string (Stripe's
    // `anyOf: [{type: string, maxLength: 22}, {enum: [""]}]`) constrains nothing.
    let fixed = s
        .fields
        .iter()
        .filter_map(|f| {
            let e = enum_of(types, &f.ty)?;
            match e.variants.as_slice() {
                [only] if !e.any_string => Some((f.api_name.clone(), only.api_name.clone())),
                _ => None,
            }
        })
        .collect();
    // Structs with extra properties keep every key; generic envelopes use the derive.
    let keyed = s.additional.is_none() && def.generics.is_empty();
    VariantGuard { fixed, keyed }
}
