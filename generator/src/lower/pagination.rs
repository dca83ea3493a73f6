//! List operations whose responses come in pages: which query parameter selects the next page,
//! where the next page's position is read, and where the items are.
//!
//! Found from the parameters and the response type alone, by the conventions real APIs use:
//!
//! | the next page is selected by | read from | for example |
//! |---|---|---|
//! | a cursor parameter (`cursor`, `page_token`, `continue`, `after`, ...) | a field of the page (`next_cursor`, `next_page_token`, `metadata.continue`, `last_id`), while a `has_more` flag (if any) is true | Kubernetes, OpenAI, Anthropic, Slack |
//! | `starting_after` / `after` / `after_id` | the `id` of the last item, while `has_more` is true | Stripe |
//! | `page` (an integer) | the page number plus one, while a page has items | GitHub |
//! | `offset` / `skip` (an integer) | the offset plus the items read, while a page has items | |
//!
//! Runs after usage marking: how many `Option`s wrap each field depends on it.
//!
//! An API that follows none of them declares its pagination on the operation, with fields named
//! as on the wire (dots for nested fields):
//!
//! ```yaml
//! x-sdkgen-pagination:
//!   param: pageKey          # the query parameter that selects a page
//!   kind: cursor            # cursor | lastItem | page | offset
//!   cursor: paging.nextKey  # cursor: the page's field holding the next cursor
//!   field: key              # lastItem: the item's field holding the cursor (default `id`)
//!   hasMore: paging.more    # optional: a boolean that is false on the last page
//!   items: results          # optional: the items array (default: found as above)
//! ```
//!
//! A declaration that does not fit the operation is a located warning, and the operation gets
//! no pagination.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::*;

/// Query parameters that take a cursor read from the previous page.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continue",
    "continuation_token",
    "continuationToken",
    "after",
    "after_id",
    "starting_after",
    "page_after",
    "marker",
];

/// Parameters whose cursor can also be the last item's `id` (Stripe's `starting_after`).
const LAST_ID_PARAMS: &[&str] = &["starting_after", "after", "after_id"];

/// Fields of a page holding the next page's cursor, best first.
const CURSOR_FIELDS: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continue",
    "continuation_token",
    "continuationToken",
    "cursor",
    "last_id",
];

/// Objects of a page where cursors and flags are also looked for (`metadata.continue`).
const META_FIELDS: &[&str] = &["metadata", "meta", "pagination", "response_metadata", "page_info", "paging"];

/// Fields holding a page's items, best first (otherwise: the only array field).
const ITEM_FIELDS: &[&str] = &["data", "items", "results", "entries", "records", "values", "list"];

const HAS_MORE_FIELDS: &[&str] = &["has_more", "hasMore", "has_next", "hasNext"];

/// A step from a value to one of its fields.
fn step(f: &Field, def: &TypeDef) -> (FieldStep, TypeRef) {
    let (inner, presence) = f.presence(def);
    (FieldStep { rust_name: f.rust_name.clone(), options: presence.option_depth() }, inner)
}

/// The struct a type is, through aliases and boxes, with generic arguments substituted into its
/// fields' types.
fn struct_of<'s>(t: &TypeRef, store: &'s TypeStore) -> Option<(&'s TypeDef, Vec<(&'s Field, TypeRef)>)> {
    match t {
        TypeRef::Box(inner) => struct_of(inner, store),
        TypeRef::Named(id, args) => {
            let def = store.get(*id);
            match &def.kind {
                TypeKind::Alias(target) => struct_of(target, store),
                TypeKind::Struct(s) => Some((def, s.fields.iter().map(|f| (f, substitute(&f.ty, args))).collect())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `t` with the generic parameters replaced by `args`.
fn substitute(t: &TypeRef, args: &[TypeRef]) -> TypeRef {
    match t {
        TypeRef::Param(i) => args.get(*i).cloned().unwrap_or(TypeRef::Json),
        TypeRef::Named(id, inner) => TypeRef::Named(*id, inner.iter().map(|a| substitute(a, args)).collect()),
        TypeRef::Vec(i) => TypeRef::Vec(Box::new(substitute(i, args))),
        TypeRef::Map(i) => TypeRef::Map(Box::new(substitute(i, args))),
        TypeRef::Option(i) => TypeRef::Option(Box::new(substitute(i, args))),
        TypeRef::Box(i) => TypeRef::Box(Box::new(substitute(i, args))),
        other => other.clone(),
    }
}

/// A field of `t` named one of `names` (in their order of preference), with its type; also
/// looked for one level down in the `META_FIELDS` objects when `nested`.
fn find_field(t: &TypeRef, names: &[&str], nested: bool, store: &TypeStore) -> Option<(Vec<FieldStep>, TypeRef)> {
    let (def, fields) = struct_of(t, store)?;
    for name in names {
        if let Some((f, ty)) = fields.iter().find(|(f, _)| f.api_name == *name) {
            let (s, _) = step(f, def);
            return Some((vec![s], strip(ty)));
        }
    }
    if nested {
        for meta in META_FIELDS {
            let Some((f, ty)) = fields.iter().find(|(f, _)| f.api_name == *meta) else { continue };
            if let Some((mut path, found)) = find_field(&strip(ty), names, false, store) {
                let (s, _) = step(f, def);
                path.insert(0, s);
                return Some((path, found));
            }
        }
    }
    None
}

/// A type without the `Option` a nullable type adds.
fn strip(t: &TypeRef) -> TypeRef {
    match t {
        TypeRef::Option(inner) => strip(inner),
        other => other.clone(),
    }
}

/// Where a page's items are: the page itself when it is an array, or its items field.
fn items_of(page: &TypeRef, store: &TypeStore) -> Option<(Vec<FieldStep>, TypeRef)> {
    if let TypeRef::Vec(item) = page {
        return Some((vec![], (**item).clone()));
    }
    if let Some((path, TypeRef::Vec(item))) = find_field(page, ITEM_FIELDS, false, store) {
        return Some((path, *item));
    }
    // The only array field.
    let (def, fields) = struct_of(page, store)?;
    let mut arrays = fields.iter().filter(|(_, t)| matches!(strip(t), TypeRef::Vec(_)));
    let (f, t) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let TypeRef::Vec(item) = strip(t) else { return None };
    Some((vec![step(f, def).0], *item))
}

/// The pagination of one operation, if it follows one of the conventions.
pub(crate) fn detect(op: &Operation, store: &TypeStore) -> Option<Pagination> {
    if op.method != Method::Get {
        return None;
    }
    let page = &op.success_type;
    let (items, item_ty) = items_of(page, store)?;
    let query = |names: &[&str]| {
        names.iter().find_map(|name| {
            op.params.iter().position(|p| {
                p.location == ParamLocation::Query
                    && !p.required
                    && p.api_name == *name
                    && !matches!(p.ty, TypeRef::Option(_))
            })
        })
    };
    let has_more = find_field(page, HAS_MORE_FIELDS, true, store).filter(|(_, t)| *t == TypeRef::Bool).map(|(p, _)| p);
    if let Some(param) = query(CURSOR_PARAMS) {
        let cursor_ty = op.params[param].ty.clone();
        if let Some((cursor, _)) = find_field(page, CURSOR_FIELDS, true, store).filter(|(_, t)| *t == cursor_ty) {
            return Some(Pagination { param, kind: PageKind::Cursor { cursor, has_more }, items, item_ty });
        }
        if LAST_ID_PARAMS.contains(&op.params[param].api_name.as_str()) && has_more.is_some() {
            if let Some((mut id, _)) = find_field(&item_ty, &["id"], false, store).filter(|(_, t)| *t == cursor_ty) {
                let field = id.pop()?;
                return Some(Pagination { param, kind: PageKind::LastItem { field, has_more }, items, item_ty });
            }
        }
        return None;
    }
    if let Some(param) = query(&["page"]).filter(|i| op.params[*i].ty.is_integer()) {
        return Some(Pagination { param, kind: PageKind::PageNumber, items, item_ty });
    }
    if let Some(param) = query(&["offset", "skip"]).filter(|i| op.params[*i].ty.is_integer()) {
        return Some(Pagination { param, kind: PageKind::Offset, items, item_ty });
    }
    None
}

/// The extension that declares an operation's pagination.
pub const EXTENSION: &str = "x-sdkgen-pagination";

/// Marks every list operation with its pagination: declared with [`EXTENSION`] (read from the
/// operation's JSON in `raw`), or detected.
pub(crate) fn mark(api: &mut Api, raw: &serde_json::Value, diags: &mut Diagnostics) {
    for i in 0..api.operations.len() {
        let op = &api.operations[i];
        let declared = raw.pointer(&op.origin).and_then(|o| o.get(EXTENSION));
        let found = match declared {
            Some(d) => declare(op, d, &api.types).unwrap_or_else(|why| {
                diags.push(
                    Diagnostic::warning(crate::spec::pointer::join(&op.origin, EXTENSION), why)
                        .with_hint("see the generator's README: `param`, `kind` (cursor, lastItem, page, offset), `cursor`, `field`, `hasMore`, `items`"),
                );
                None
            }),
            None => detect(op, &api.types),
        };
        api.operations[i].pagination = found;
    }
}

/// The steps of a dotted path of wire names from `t`, with the type at its end.
fn path_of(t: &TypeRef, path: &str, store: &TypeStore) -> Result<(Vec<FieldStep>, TypeRef), String> {
    let mut steps = Vec::new();
    let mut at = t.clone();
    for name in path.split('.') {
        let (def, fields) =
            struct_of(&at, store).ok_or_else(|| format!("`{path}`: `{name}` is not a field of an object"))?;
        let (f, ty) =
            fields.iter().find(|(f, _)| f.api_name == name).ok_or_else(|| format!("`{path}`: no field `{name}`"))?;
        steps.push(step(f, def).0);
        at = strip(ty);
    }
    Ok((steps, at))
}

/// The pagination an [`EXTENSION`] object declares, or why it does not fit the operation.
fn declare(op: &Operation, d: &serde_json::Value, store: &TypeStore) -> Result<Option<Pagination>, String> {
    let text = |key: &str| d.get(key).and_then(serde_json::Value::as_str);
    let name = text("param").ok_or("`param` (the query parameter that selects a page) is missing")?;
    let param = op
        .params
        .iter()
        .position(|p| p.location == ParamLocation::Query && !p.required && p.api_name == name)
        .ok_or_else(|| format!("`{name}` is not an optional query parameter of the operation"))?;
    let param_ty = op.params[param].ty.clone();
    let page = &op.success_type;
    let (items, item_ty) = match text("items") {
        Some(path) => match path_of(page, path, store)? {
            (steps, TypeRef::Vec(item)) => (steps, *item),
            _ => return Err(format!("`items`: `{path}` is not an array")),
        },
        None => items_of(page, store).ok_or("the response has no items array: name it with `items`")?,
    };
    let has_more = match text("hasMore") {
        Some(path) => match path_of(page, path, store)? {
            (steps, TypeRef::Bool) => Some(steps),
            _ => return Err(format!("`hasMore`: `{path}` is not a boolean")),
        },
        None => None,
    };
    let kind = match text("kind").unwrap_or("cursor") {
        "cursor" => {
            let path = text("cursor").ok_or("`cursor` (the page's field holding the next cursor) is missing")?;
            let (cursor, ty) = path_of(page, path, store)?;
            if ty != param_ty {
                return Err(format!("`cursor`: `{path}` does not have the type of the parameter `{name}`"));
            }
            PageKind::Cursor { cursor, has_more }
        }
        "lastItem" => {
            let path = text("field").unwrap_or("id");
            let (mut steps, ty) = path_of(&item_ty, path, store)?;
            if ty != param_ty || steps.len() != 1 {
                return Err(format!("`field`: `{path}` is not a field of the items with the type of `{name}`"));
            }
            let field = steps.pop().ok_or("`field` is empty")?;
            PageKind::LastItem { field, has_more }
        }
        kind @ ("page" | "offset") => {
            if !param_ty.is_integer() {
                return Err(format!("`{name}` is not an integer parameter"));
            }
            if kind == "page" {
                PageKind::PageNumber
            } else {
                PageKind::Offset
            }
        }
        other => return Err(format!("unknown `kind: {other}` (cursor, lastItem, page or offset)")),
    };
    Ok(Some(Pagination { param, kind, items, item_ty }))
}
