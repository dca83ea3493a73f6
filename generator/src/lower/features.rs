//! Cargo features per tag, so users of a large API compile only the part they call.
//!
//! Every operation belongs to the feature of its first tag (`other` when untagged). A type is
//! compiled when any feature whose operations reach it is on; a type reached by every feature,
//! or by none (schemas no operation uses, kept under `unreferenced-schemas`), carries no
//! condition beyond that. The tag features are on by default, so the default build is every
//! operation; `unreferenced-schemas` is off by default, and programs that want those types turn
//! it on. Webhooks are one more feature, `webhooks`, off by default (unless the API has nothing
//! else): for GitHub's spec their payloads are about half of all the types.

use crate::ir::{Api, FeatureGroup, TypeId, TypeKind, Union};
use crate::naming::Scope;
use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{FULL_SERDE_FEATURE, TRACING_FEATURE, UNREFERENCED_FEATURE as UNREFERENCED, WEBHOOKS_FEATURE};

fn feature_name(tag: &str) -> String {
    // Feature names are typed by people in Cargo.toml: plain lower-case words with hyphens,
    // starting with a letter.
    let name = crate::naming::kebab_words(tag);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || name.starts_with("api-client") {
        "tag".to_string()
    } else {
        name
    }
}

fn children(api: &Api, id: TypeId) -> BTreeSet<TypeId> {
    let mut next = BTreeSet::new();
    match &api.types.get(id).kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| f.ty.all_names(&mut next));
            if let Some(a) = &s.additional {
                a.all_names(&mut next);
            }
        }
        TypeKind::Union(Union { variants, .. }) | TypeKind::Outcomes(variants) => {
            variants.iter().for_each(|v| v.ty.all_names(&mut next))
        }
        TypeKind::Alias(t) => t.all_names(&mut next),
        TypeKind::Enum(_) | TypeKind::External(_) => {}
    }
    next
}

/// How much work finding which features reach which types may take (a type reached by a feature,
/// a use of a type followed): the product of tags and shared types can be large for a small
/// spec (3,000 tags whose operations all reach one type of 3,000 fields). GitHub's spec takes
/// about 8,000.
pub const MAX_REACH_WORK: usize = 1_000_000;

/// Gives every operation its feature and every type the features that reach it; `Err` with the
/// operation where [`MAX_REACH_WORK`] ran out.
pub(crate) fn assign(api: &mut Api) -> Result<(), String> {
    // A tag named `webhooks` is renamed only in an API that has webhooks, so that other crates
    // keep their feature names.
    let mut reserved = vec!["default", UNREFERENCED, FULL_SERDE_FEATURE, TRACING_FEATURE];
    if !api.webhooks.is_empty() {
        reserved.push(WEBHOOKS_FEATURE);
    }
    let mut scope = Scope::with_reserved(&reserved);
    let mut by_tag: BTreeMap<String, String> = BTreeMap::new();
    let mut features = Vec::new();
    for op in &mut api.operations {
        let tag = op.tags.first().cloned().unwrap_or_else(|| "other".to_string());
        let feature = by_tag
            .entry(tag.clone())
            .or_insert_with(|| {
                let f = scope.claim(&feature_name(&tag));
                features.push(f.clone());
                f
            })
            .clone();
        op.feature = feature;
    }
    if !api.webhooks.is_empty() {
        features.push(WEBHOOKS_FEATURE.to_string());
    }
    // Which features reach each type.
    let mut reach: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.defs.len()];
    let index: BTreeMap<&str, usize> = features.iter().enumerate().map(|(i, f)| (f.as_str(), i)).collect();
    let mut work = 0usize;
    // Feature `f` reaches the types from `roots` (an error at `origin` past the work limit).
    let mut mark = |roots: BTreeSet<TypeId>, f: usize, origin: &str| -> Result<(), String> {
        let mut stack: Vec<TypeId> = roots.into_iter().collect();
        while let Some(id) = stack.pop() {
            work += 1;
            if work > MAX_REACH_WORK {
                return Err(origin.to_string());
            }
            if reach[id.0].insert(f) {
                stack.extend(children(api, id));
            }
        }
        Ok(())
    };
    for op in &api.operations {
        let f = index[op.feature.as_str()];
        let mut roots = BTreeSet::new();
        for p in &op.params {
            p.ty.all_names(&mut roots);
        }
        if let Some(b) = &op.body {
            b.ty.all_names(&mut roots);
        }
        op.success_type.all_names(&mut roots);
        op.error_type.all_names(&mut roots);
        if let Some(stream) = &op.stream {
            stream.item.all_names(&mut roots);
        }
        // The item type of `items()` may be a name the response does not use (an alias that
        // dedup merged into the response's own item type).
        if let Some(pages) = &op.pagination {
            pages.item_ty.all_names(&mut roots);
        }
        mark(roots, f, &op.origin)?;
    }
    if let Some(&f) = index.get(WEBHOOKS_FEATURE) {
        for hook in &api.webhooks {
            let mut roots = BTreeSet::new();
            hook.payload.all_names(&mut roots);
            mark(roots, f, &hook.origin)?;
        }
    }
    let any_unreferenced = reach.iter().any(BTreeSet::is_empty);
    // One feature for the whole API is no choice at all: then nothing is conditional.
    if features.len() + usize::from(any_unreferenced) <= 1 {
        for op in &mut api.operations {
            op.feature.clear();
        }
        return Ok(());
    }
    // Types nothing reaches, and what they use, go under `unreferenced-schemas`.
    let unreferenced = features.len();
    if any_unreferenced {
        let mut stack: Vec<TypeId> = (0..reach.len()).filter(|i| reach[*i].is_empty()).map(TypeId).collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                reach[id.0].insert(unreferenced);
                stack.extend(children(api, id));
            }
        }
        features.push(UNREFERENCED.to_string());
    }
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (def, set) in api.types.defs.iter_mut().zip(&reach) {
        if set.len() == features.len() {
            continue;
        }
        let members: Vec<String> = set.iter().map(|i| features[*i].clone()).collect();
        def.features = if members.len() >= GROUP_MIN { vec![group_name(&mut groups, members)] } else { members };
    }
    api.features = features;
    api.feature_groups = groups.into_iter().map(|(name, members)| FeatureGroup { name, members }).collect();
    Ok(())
}

/// A type reached by this many features or more names the group of its features: the condition
/// `any(feature = "a", ..)` of each of its items would otherwise list them all (Microsoft Graph's
/// types are reached by up to 829 of its 843 features, a quarter of its `types.rs`).
pub const GROUP_MIN: usize = 24;

/// The name of the group of `members` (added to `groups` if new): `__types-` and a hash of the
/// members, so that it stays the same while they do, whatever else the spec changes.
fn group_name(groups: &mut BTreeMap<String, Vec<String>>, members: Vec<String>) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(members.join("\n").as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let base = format!("__types-{hex}");
    // Another set with the same 48 bits of hash takes a number.
    let mut name = base.clone();
    let mut n = 1;
    while let Some(existing) = groups.get(&name) {
        if *existing == members {
            return name;
        }
        n += 1;
        name = format!("{base}-{n}");
    }
    groups.insert(name.clone(), members);
    name
}
