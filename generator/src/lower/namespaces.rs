//! Namespaces (`[client] namespaces`): which operations are reached through a handle on
//! `Client` (`client.customers().retrieve(id)`), and the names of the handles and their methods.
//!
//! Every name comes from `naming` and depends only on the operation itself (its first tag and
//! `operationId`, or its method and path), so adding an operation renames no other; a
//! collision in one namespace is numbered in document order. Handles' accessor methods are
//! claimed first, in the order of their spec names (so an operation added on `Client` never
//! takes a namespace's name), then the methods left on `Client`. Builders keep their names
//! (from the `operationId`): they are one module, shared by every namespace.

use super::operations::CLIENT_METHODS;
use crate::config::Namespaces;
use crate::ir::{Api, Namespace};
use crate::naming::{self, Scope};
use std::collections::BTreeMap;

/// Names the `namespace` module holds besides the handles: it imports `Client`.
const NAMESPACE_MODULE_NAMES: &[&str] = &["Client"];

pub(super) fn assign(api: &mut Api, mode: Namespaces, doc: &openapiv3::OpenAPI) {
    if mode == Namespaces::None || api.types_only {
        return;
    }
    // The namespace (spec name) and method of each operation, or `None` to stay on `Client`.
    let placed: Vec<Option<(String, String)>> = api
        .operations
        .iter()
        .map(|op| match mode {
            Namespaces::Tags => op.tags.first().map(|tag| (tag.clone(), naming::tag_method(tag, &op.api_name))),
            Namespaces::Paths => naming::path_method(op.method.as_str(), &op.path),
            Namespaces::None => None,
        })
        .collect();
    // Namespaces in the order of their first operation; names claimed in the order of their
    // spec names.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (ns, _) in placed.iter().flatten() {
        if !index.contains_key(ns.as_str()) {
            index.insert(ns, order.len());
            order.push(ns);
        }
    }
    let mut client_scope = Scope::with_reserved(CLIENT_METHODS);
    let mut type_scope = Scope::with_reserved(NAMESPACE_MODULE_NAMES);
    let mut names: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for ns in index.keys() {
        names.insert(ns, (client_scope.claim(&naming::value_ident(ns)), type_scope.claim(&naming::type_ident(ns))));
    }
    let tag_docs: BTreeMap<&str, &str> =
        doc.tags.iter().filter_map(|t| Some((t.name.as_str(), t.description.as_deref()?))).collect();
    let namespaces: Vec<Namespace> = order
        .iter()
        .map(|ns| {
            let (rust_name, type_name) = names[ns].clone();
            let description = match mode {
                Namespaces::Tags => tag_docs.get(ns).map(|d| d.to_string()),
                _ => None,
            };
            Namespace { api_name: ns.to_string(), rust_name, type_name, description }
        })
        .collect();
    let mut scopes: Vec<Scope> = namespaces.iter().map(|_| naming::namespace_method_scope()).collect();
    for (op, placed) in api.operations.iter_mut().zip(&placed) {
        match placed {
            Some((ns, method)) => {
                let i = index[ns.as_str()];
                op.namespace = Some(i);
                op.rust_name = scopes[i].claim(method);
            }
            None => op.rust_name = client_scope.claim(&naming::value_ident(&op.api_name)),
        }
    }
    api.namespaces = namespaces;
}
