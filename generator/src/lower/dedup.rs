//! One Rust type per distinct shape.
//!
//! Large specs repeat the same object many times: GitHub's describes a "links" object 229
//! times, inline, each copy becoming its own struct with its own serde impls. This pass finds
//! types that would be emitted identically apart from their name and type-level docs, keeps
//! one (a component's, else the shortest name: [`representative`]) and makes every other copy a
//! `pub type` alias of it. Every name
//! users know stays valid; the compiler sees one definition.
//!
//! Two types are identical when their kind, fields (wire and Rust names, flags, field docs
//! apart from examples),
//! request/response usage and referenced types are, where references are compared after
//! merging. Merging runs to a fixed point, so nested copies merge from the leaves up. Types in
//! a reference cycle are compared by identity at the cycle and merge only when the cycle
//! itself is shared. Generic envelopes and operations' outcome enums are never merged.

use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef, TypeStore, UnionVariant};
use std::collections::HashMap;
use std::fmt::Write;

/// Returns how many types became aliases.
pub(crate) fn merge_identical(types: &mut TypeStore) -> usize {
    let n = types.defs.len();
    // Each type's shape apart from the types it references (interned), and those references in
    // order: a merge only changes what the references resolve to.
    let mut interned: HashMap<String, usize> = HashMap::new();
    let shapes: Vec<Option<(usize, Vec<TypeId>)>> = types
        .defs
        .iter()
        .map(|def| {
            let mut refs = Vec::new();
            let text = shape_key(def, &mut refs)?;
            let next = interned.len();
            Some((*interned.entry(text).or_insert(next), refs))
        })
        .collect();
    drop(interned);
    // Merging to a fixed point, type by type: a type's key is computed again only when a type
    // its references resolve to is merged (rounds over all types would take time quadratic in
    // the length of a chain of copies that merge one after the other). The result does not
    // depend on the order: the coarsest merging where equal keys mean one type, each class kept
    // as its first type.
    let mut canon: Vec<usize> = (0..n).collect();
    let mut owner: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
    let mut keys: Vec<Option<(usize, Vec<usize>)>> = vec![None; n];
    // The types whose keys go through each type (the type itself, or an alias on the way), and
    // the last one added (a type that refers to another many times is added once).
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut last_user: Vec<usize> = vec![usize::MAX; n];
    // Types to key (again), each queued once at a time.
    let mut dirty: std::collections::VecDeque<usize> = (0..n).collect();
    let mut queued = vec![true; n];
    while let Some(i) = dirty.pop_front() {
        queued[i] = false;
        let Some((shape, refs)) = &shapes[i] else { continue };
        if canon[i] != i {
            continue;
        }
        let mut resolved = Vec::with_capacity(refs.len());
        for id in refs {
            resolved.push(resolve(types, &mut canon, *id, |on_the_way| {
                if std::mem::replace(&mut last_user[on_the_way], i) != i {
                    users[on_the_way].push(i);
                }
            }));
        }
        let key = (*shape, resolved);
        if keys[i].as_ref() == Some(&key) {
            continue;
        }
        if let Some(old) = keys[i].take() {
            if owner.get(&old) == Some(&i) {
                owner.remove(&old);
            }
        }
        let first = *owner.entry(key.clone()).or_insert(i);
        if first == i {
            keys[i] = Some(key);
            continue;
        }
        let (keep, gone) = (first.min(i), first.max(i));
        canon[gone] = keep;
        keys[gone] = None;
        keys[keep] = Some(key.clone());
        owner.insert(key, keep);
        for user in std::mem::take(&mut users[gone]) {
            if !std::mem::replace(&mut queued[user], true) {
                dirty.push_back(user);
            }
        }
    }
    // Each class is written once, as the type of its most general place (see `representative`),
    // and its other names are aliases of it.
    let mut best: Vec<usize> = (0..n).collect();
    for i in 0..n {
        let r = root(&mut canon, i);
        if representative(&types.defs[i]) < representative(&types.defs[best[r]]) {
            best[r] = i;
        }
    }
    let mut merged = 0;
    for i in 0..n {
        let target = best[root(&mut canon, i)];
        if target != i {
            types.defs[i].kind = TypeKind::Alias(TypeRef::Named(TypeId(target), vec![]));
            types.defs[i].merged_into = Some(TypeId(target));
            merged += 1;
        }
    }
    merged
}

/// Which type of a class of identical types is written as the type, the others being its
/// aliases (the smallest key): one a component schema defines, else the one with the shortest
/// name, else the first in store order. Every name of the class denotes the same type either
/// way, so the choice is what rustdoc and compiler messages show: the shortest name is the most
/// general place (`CustomerAddress` rather than `PostAccountsBodyBusinessProfileSupportAddress`,
/// Stripe's first operation), and an operation added earlier in the document does not take it
/// over unless its name is shorter.
pub(crate) fn representative(def: &TypeDef) -> (bool, usize, TypeId) {
    (!def.origin.starts_with("/components/"), def.rust_name.len(), def.id)
}

/// The first type of `i`'s class (paths to it are shortened on the way).
fn root(canon: &mut [usize], mut i: usize) -> usize {
    while canon[i] != i {
        canon[i] = canon[canon[i]];
        i = canon[i];
    }
    i
}

/// The type a reference names once merges and plain aliases are seen through; `visit` sees
/// every type on the way (a merge of any of them changes what the reference resolves to).
fn resolve(types: &TypeStore, canon: &mut [usize], id: TypeId, mut visit: impl FnMut(usize)) -> usize {
    let mut i = root(canon, id.0);
    visit(i);
    // Alias chains are short (shared enums); the bound guards against a malformed cycle.
    for _ in 0..8 {
        match &types.defs[i].kind {
            TypeKind::Alias(TypeRef::Named(t, args)) if args.is_empty() => {
                i = root(canon, t.0);
                visit(i);
            }
            _ => break,
        }
    }
    i
}

fn write_ref(out: &mut String, t: &TypeRef, refs: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id, args) => {
            out.push('#');
            refs.push(*id);
            if !args.is_empty() {
                out.push('<');
                for a in args {
                    write_ref(out, a, refs);
                    out.push(',');
                }
                out.push('>');
            }
        }
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => {
            let tag = match t {
                TypeRef::Vec(_) => "V(",
                TypeRef::Map(_) => "M(",
                TypeRef::Option(_) => "O(",
                _ => "B(",
            };
            out.push_str(tag);
            write_ref(out, i, refs);
            out.push(')');
        }
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

fn write_variants(out: &mut String, variants: &[UnionVariant], refs: &mut Vec<TypeId>) {
    for v in variants {
        let _ = write!(out, "|{}:", v.rust_name);
        write_ref(out, &v.ty, refs);
        let _ = write!(out, "{:?}{:?}{:?}", v.tags, v.docs, v.schema_name);
    }
}

// The key's parts are written so that the key spells each part unambiguously (text with its
// length, JSON as its compact text, which delimits itself): equal keys mean equal parts.

fn write_str(out: &mut String, text: &str) {
    let _ = write!(out, "{}:", text.len());
    out.push_str(text);
}

fn write_opt_str(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => {
            out.push('+');
            write_str(out, text);
        }
        None => out.push('-'),
    }
}

/// A JSON value as its compact text, keys in document order (so objects that list the same
/// members in another order differ, as their examples and defaults print differently).
fn write_json(out: &mut String, value: Option<&serde_json::Value>) {
    match value {
        Some(value) => {
            out.push('+');
            out.push_str(&serde_json::to_string(value).unwrap_or_default());
        }
        None => out.push('-'),
    }
}

/// A field's docs, without its example: which types merge (and so which name a field's type is
/// written with) must not change when only an example does (a new timestamp in an example would
/// otherwise split or join types and rename what fields hold). A merged type shows the first
/// type's field examples.
fn write_docs(out: &mut String, docs: &crate::ir::Docs) {
    write_opt_str(out, docs.title.as_deref());
    write_opt_str(out, docs.description.as_deref());
    out.push(if docs.deprecated { '1' } else { '0' });
}

/// Everything the emitted definition depends on except the name, the type-level docs and which
/// types it references (pushed to `refs`, in order, where the text has a `#`); `None` for types
/// that are never merged.
fn shape_key(def: &TypeDef, refs: &mut Vec<TypeId>) -> Option<String> {
    // Types the configuration adds derives or attributes to keep their own definition.
    if !def.generics.is_empty() || !def.derives.is_empty() || !def.attributes.is_empty() {
        return None;
    }
    let mut out = format!("{}{}", u8::from(def.in_request), u8::from(def.in_response));
    match &def.kind {
        // A user's type is never merged (nor is anything merged into it).
        TypeKind::Alias(_) | TypeKind::External(_) => return None,
        TypeKind::Struct(s) => {
            out.push('S');
            for f in &s.fields {
                out.push('|');
                write_str(&mut out, &f.api_name);
                write_str(&mut out, &f.rust_name);
                for flag in [f.required, f.nullable, f.read_only, f.write_only] {
                    out.push(if flag { '1' } else { '0' });
                }
                write_json(&mut out, f.default.as_ref());
                write_docs(&mut out, &f.docs);
                out.push(':');
                write_ref(&mut out, &f.ty, refs);
            }
            if let Some(a) = &s.additional {
                out.push_str("|+");
                write_ref(&mut out, a, refs);
            }
        }
        TypeKind::Enum(e) => {
            let _ = write!(out, "E{}{}", u8::from(e.open), u8::from(e.any_string));
            for v in &e.variants {
                out.push('|');
                write_str(&mut out, &v.api_name);
                write_str(&mut out, &v.rust_name);
            }
        }
        TypeKind::Union(u) => {
            let _ = write!(out, "U{:?}", u.tagging);
            write_variants(&mut out, &u.variants, refs);
        }
        // An operation's outcome enum is matched on by the operation's code: it stays its own.
        TypeKind::Outcomes(_) => return None,
    }
    Some(out)
}
