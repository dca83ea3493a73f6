//! The cycle pass: boxes the fields that make a type contain itself.
//!
//! A struct that holds itself directly (or through `Option`, or through other structs and
//! unions) has infinite size. `Vec` and maps already live on the heap, so only direct edges
//! count. Every edge inside a strongly connected component of the direct-containment graph is
//! boxed, which is enough and keeps boxing away from types that are not recursive.

use crate::ir::{TypeId, TypeKind, TypeRef, TypeStore};
use std::collections::BTreeSet;

pub(crate) fn box_cycles(types: &mut TypeStore) {
    let n = types.defs.len();
    let edges: Vec<BTreeSet<TypeId>> = types.defs.iter().map(|d| direct_edges(&d.kind)).collect();
    let scc = tarjan(n, &edges);
    for i in 0..n {
        let my = scc[i];
        let in_cycle = |id: &TypeId| scc[id.0] == my;
        let recursive = |t: &TypeRef| {
            let mut names = BTreeSet::new();
            t.direct_names(&mut names);
            names.iter().any(in_cycle)
        };
        match &mut types.defs[i].kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    if recursive(&f.ty) {
                        f.ty = boxed(std::mem::replace(&mut f.ty, TypeRef::Unit));
                    }
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    if recursive(&v.ty) {
                        v.ty = boxed(std::mem::replace(&mut v.ty, TypeRef::Unit));
                    }
                }
            }
            TypeKind::Alias(t) => {
                if recursive(t) && matches!(t, TypeRef::Named(..)) {
                    // `type A = B; type B = A;` cannot be boxed into meaning: break it with JSON.
                    *t = TypeRef::Json;
                }
            }
            TypeKind::Enum(_) | TypeKind::Outcomes(_) | TypeKind::External(_) => {}
        }
    }
}

fn boxed(t: TypeRef) -> TypeRef {
    match t {
        TypeRef::Option(inner) => TypeRef::Option(Box::new(boxed(*inner))),
        other => TypeRef::Box(Box::new(other)),
    }
}

fn direct_edges(kind: &TypeKind) -> BTreeSet<TypeId> {
    let mut out = BTreeSet::new();
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| f.ty.direct_names(&mut out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| v.ty.direct_names(&mut out)),
        TypeKind::Alias(t) => t.direct_names(&mut out),
        TypeKind::Enum(_) | TypeKind::Outcomes(_) | TypeKind::External(_) => {}
    }
    out
}

/// Strongly connected components (iterative Tarjan, so deep graphs cannot overflow the stack).
/// Returns the component index of every node; a node on no cycle gets a component of its own,
/// except that a self-loop is detected by the caller through `scc[id] == scc[self]`.
fn tarjan(n: usize, edges: &[BTreeSet<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    let adj: Vec<Vec<usize>> = edges.iter().map(|e| e.iter().map(|t| t.0).collect()).collect();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adj[v].get(*child) {
                *child += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                loop {
                    let w = stack.pop().expect("invariant: v is on the stack");
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}
