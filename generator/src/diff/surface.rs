//! The public Rust API of a generated crate, as a flat set of items read from the IR.
//!
//! Every item has a key (types by their Rust name, as user code names them; members under their
//! type; operation items by method and path), a signature (what user code depends on; any
//! difference is a compile break for code that uses the item), and the canonical pointer it
//! comes from, which is how a spec-level change claims the Rust consequences that lie under it.
//! A type whose name changes while its origin stays is a *rename*: one change at the type, and
//! uses of it elsewhere are compared as if the new name had always been used.
//!
//! What the generated code looks like, and so what is an item (see `emit/`):
//! - a `Client` method per operation, whose positional arguments are the required parameters in
//!   order and then a required body; optional parameters and an optional body are builder
//!   setters; the method returns a builder whose `send` yields `Result<Success, Error<E>>`;
//! - a struct per object schema with `pub` fields, `#[non_exhaustive]`; a type users send has a
//!   constructor `new` taking its required fields (`Default` when every field is optional) and a
//!   setter per field, so a new optional field breaks nobody and a new required one breaks the
//!   calls of `new`;
//! - string enums are `#[non_exhaustive]` with an `Unknown(String)` catch-all, so a new value is
//!   no break; `oneOf` unions and per-status outcome enums are exhaustive, so a new variant is.

use super::canon::{Canon, Side};
use super::reach::OpKey;
use crate::ir::*;
use crate::naming::Scope;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub key: String,
    /// The type or operation the item belongs to (its key).
    pub parent: Option<String>,
    /// For members of a type: the type's canonical origin.
    pub parent_origin: Option<String>,
    /// Canonical pointer of the spec element the item is generated from.
    pub origin: String,
    /// The pointer as the document writes it (for locating unexplained changes).
    pub at: String,
    /// `GET /users/{id}` for items of an operation.
    pub op: Option<String>,
    /// What user code depends on.
    pub sig: String,
    /// How to name the item in a message: "field `User::email`".
    pub label: String,
    /// The signature with Rust names, for messages.
    pub show: String,
    /// Whether adding this item to an existing parent breaks user code (a field of a struct
    /// users construct, a variant of an exhaustive enum, a positional argument).
    pub add_breaks: bool,
    /// The Rust name, for type items.
    pub type_name: Option<String>,
}

impl Item {
    pub fn is_type(&self) -> bool {
        self.type_name.is_some()
    }
}

pub(crate) type Surface = BTreeMap<String, Item>;

struct Ctx<'a> {
    api: &'a Api,
}

impl Ctx<'_> {
    /// A type as user code writes it (paths left out).
    fn show(&self, t: &TypeRef, generics: &[GenericParam]) -> String {
        self.render(t, generics, false)
    }

    /// A type for comparison: generated types are marked `@Name`, so renaming them never
    /// touches the fixed names of the runtime (`Error`, `Result`).
    fn sig(&self, t: &TypeRef, generics: &[GenericParam]) -> String {
        self.render(t, generics, true)
    }

    fn render(&self, t: &TypeRef, generics: &[GenericParam], mark: bool) -> String {
        let r = |t: &TypeRef| self.render(t, generics, mark);
        match t {
            TypeRef::Named(id, args) => {
                let name = format!("{}{}", if mark { "@" } else { "" }, self.api.types.get(*id).rust_name);
                if args.is_empty() {
                    name
                } else {
                    format!("{name}<{}>", args.iter().map(r).collect::<Vec<_>>().join(", "))
                }
            }
            TypeRef::Param(i) => generics.get(*i).map_or("T".to_string(), |g| g.rust_name.clone()),
            TypeRef::Bool => "bool".into(),
            TypeRef::I8 => "i8".into(),
            TypeRef::I16 => "i16".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::U8 => "u8".into(),
            TypeRef::U16 => "u16".into(),
            TypeRef::U32 => "u32".into(),
            TypeRef::U64 => "u64".into(),
            TypeRef::F32 => "f32".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::Number => "serde_json::Number".into(),
            TypeRef::String => "String".into(),
            TypeRef::DateTime => "DateTime<Utc>".into(),
            TypeRef::Date => "NaiveDate".into(),
            TypeRef::Bytes => "Bytes".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::JsonObject => "serde_json::Map<String, Value>".into(),
            TypeRef::Vec(i) => format!("Vec<{}>", r(i)),
            TypeRef::Map(i) => format!("BTreeMap<String, {}>", r(i)),
            TypeRef::Option(i) => format!("Option<{}>", r(i)),
            TypeRef::Box(i) => format!("Box<{}>", r(i)),
            TypeRef::Unit => "()".into(),
        }
    }
}

fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) | TypeKind::Outcomes(_) => "enum",
        TypeKind::Alias(_) | TypeKind::External(_) => "type",
    }
}

/// The name the catch-all variant gets after the named ones (as the emitter claims it).
fn catch_all(names: impl Iterator<Item = String>) -> String {
    let mut scope = Scope::new();
    for n in names {
        scope.claim(&n);
    }
    scope.claim("Unknown")
}

fn status_key(s: &StatusSpec) -> String {
    match s {
        StatusSpec::Code(c) => c.to_string(),
        StatusSpec::Range(d) => format!("{d}XX"),
        StatusSpec::Default => "default".into(),
    }
}

/// Builds the surface of one side.
pub(crate) fn build(api: &Api, side: Side, canon: &Canon<'_>, labels: &dyn Fn(&OpKey) -> String) -> Surface {
    // Type keys: outcome enums belong to their operation; every other type is named by its
    // canonical origin (numbered when several types share one origin).
    let mut outcome_of: BTreeMap<usize, (OpKey, &'static str)> = BTreeMap::new();
    for op in &api.operations {
        let key = OpKey::new(&op.method.as_str().to_ascii_lowercase(), &op.path);
        for (t, which) in [(&op.success_type, "success"), (&op.error_type, "error")] {
            if let TypeRef::Named(id, _) = t {
                if matches!(api.types.get(*id).kind, TypeKind::Outcomes(_)) {
                    outcome_of.insert(id.0, (key.clone(), which));
                }
            }
        }
    }
    let mut keys = Vec::with_capacity(api.types.defs.len());
    let mut origins = Vec::with_capacity(api.types.defs.len());
    for def in &api.types.defs {
        let origin = canon.ptr(side, &def.origin);
        let (key, origin) = match outcome_of.get(&def.id.0) {
            Some((op, which)) => (format!("op:{}:outcomes:{which}", op.id()), format!("{origin}/responses")),
            None => (format!("type:{}", def.rust_name), origin),
        };
        keys.push(key);
        origins.push(origin);
    }
    let cx = Ctx { api };
    let mut out = Surface::new();
    let mut add = |item: Item| {
        out.insert(item.key.clone(), item);
    };

    for def in &api.types.defs {
        let tkey = keys[def.id.0].clone();
        let origin = origins[def.id.0].clone();
        let op_label = outcome_of.get(&def.id.0).map(|(op, _)| labels(op));
        let g = &def.generics;
        // A type merged into an identical one is used exactly like it: list its shape.
        // (A type can be merged into one that is itself merged: a shared enum's site into the
        // first site, which `dedup` merged into an identical component.)
        let mut shape = def;
        for _ in 0..8 {
            match shape.merged_into {
                Some(t) => shape = api.types.get(t),
                None => break,
            }
        }
        let generics = if g.is_empty() {
            String::new()
        } else {
            format!("<{}>", g.iter().map(|p| p.rust_name.as_str()).collect::<Vec<_>>().join(", "))
        };
        let head = format!("{} {}{generics}", kind_word(&shape.kind), def.rust_name);
        let (sig, show) = match &shape.kind {
            TypeKind::Alias(t) => (format!("{head} = {}", cx.sig(t, g)), format!("{head} = {}", cx.show(t, g))),
            _ => (head.clone(), head.clone()),
        };
        let base = Item {
            key: tkey.clone(),
            parent: None,
            parent_origin: None,
            origin: origin.clone(),
            at: def.origin.clone(),
            op: op_label.clone(),
            sig,
            label: format!("type `{}`", def.rust_name),
            show,
            add_breaks: false,
            type_name: Some(def.rust_name.clone()),
        };
        let type_origin = origin.clone();
        let member =
            |key: String, origin: String, at: String, sig: String, label: String, show: String, add_breaks: bool| {
                Item {
                    key,
                    parent: Some(tkey.clone()),
                    parent_origin: Some(type_origin.clone()),
                    origin,
                    at,
                    op: op_label.clone(),
                    sig,
                    label,
                    show,
                    add_breaks,
                    type_name: None,
                }
            };
        match &shape.kind {
            TypeKind::Struct(s) => {
                let mut all_optional = true;
                for f in &s.fields {
                    let (inner, presence) = f.presence(def);
                    let (t, required) = (presence.wrap(inner), presence.is_required());
                    if required {
                        all_optional = false;
                    }
                    let at = match f.origin.strip_prefix(shape.origin.as_str()) {
                        Some(rest) if shape.id != def.id => format!("{}{rest}", def.origin),
                        _ => f.origin.clone(),
                    };
                    add(member(
                        format!("{tkey}.field:{}", f.api_name),
                        canon.ptr(side, &at),
                        at.clone(),
                        format!("{}: {}", f.rust_name, cx.sig(&t, g)),
                        format!("field `{}::{}`", def.rust_name, f.rust_name),
                        cx.show(&t, g),
                        def.in_request && required,
                    ));
                }
                if let Some(a) = &s.additional {
                    let at = format!("{}/additionalProperties", def.origin);
                    add(member(
                        format!("{tkey}.field:*"),
                        format!("{origin}/additionalProperties"),
                        at,
                        format!("additional_properties: BTreeMap<String, {}>", cx.sig(a, g)),
                        format!("field `{}::additional_properties`", def.rust_name),
                        format!("BTreeMap<String, {}>", cx.show(a, g)),
                        false,
                    ));
                }
                if all_optional {
                    add(member(
                        format!("{tkey}.derive:Default"),
                        origin.clone(),
                        def.origin.clone(),
                        "Default".into(),
                        format!("`impl Default for {}`", def.rust_name),
                        "Default".into(),
                        false,
                    ));
                }
            }
            TypeKind::Enum(e) => {
                for v in &e.variants {
                    add(member(
                        format!("{tkey}.variant:{}", v.api_name),
                        origin.clone(),
                        def.origin.clone(),
                        v.rust_name.clone(),
                        format!("variant `{}::{}`", def.rust_name, v.rust_name),
                        v.rust_name.clone(),
                        !e.open,
                    ));
                }
                let unknown = catch_all(e.variants.iter().map(|v| v.rust_name.clone()));
                add(member(
                    format!("{tkey}.variant:*"),
                    origin.clone(),
                    def.origin.clone(),
                    unknown.clone(),
                    format!("catch-all variant `{}::{unknown}`", def.rust_name),
                    unknown,
                    false,
                ));
            }
            TypeKind::Union(u) => {
                for v in &u.variants {
                    add(member(
                        format!("{tkey}.variant:{}", v.rust_name),
                        origin.clone(),
                        def.origin.clone(),
                        format!("{}({})", v.rust_name, cx.sig(&v.ty, g)),
                        format!("variant `{}::{}`", def.rust_name, v.rust_name),
                        format!("{}({})", v.rust_name, cx.show(&v.ty, g)),
                        true,
                    ));
                }
                if matches!(u.tagging, Tagging::Internal { .. }) {
                    let unknown = catch_all(u.variants.iter().map(|v| v.rust_name.clone()));
                    add(member(
                        format!("{tkey}.variant:*"),
                        origin.clone(),
                        def.origin.clone(),
                        unknown.clone(),
                        format!("catch-all variant `{}::{unknown}`", def.rust_name),
                        unknown,
                        false,
                    ));
                }
            }
            TypeKind::Outcomes(_) | TypeKind::Alias(_) | TypeKind::External(_) => {}
        }
        add(base);
    }

    for op in &api.operations {
        let key = OpKey::new(&op.method.as_str().to_ascii_lowercase(), &op.path);
        let id = key.id();
        let label = labels(&key);
        let op_origin = canon.ptr(side, &op.origin);
        let item =
            |k: &str, origin: String, at: String, sig: String, lbl: String, show: String, add_breaks: bool| Item {
                key: format!("op:{id}:{k}"),
                parent: Some(format!("op:{id}:fn")),
                parent_origin: None,
                origin,
                at,
                op: Some(label.clone()),
                sig,
                label: lbl,
                show,
                add_breaks,
                type_name: None,
            };
        let method = format!("`Client::{}`", op.rust_name);
        let mut fn_item = item(
            "fn",
            op_origin.clone(),
            op.origin.clone(),
            format!("fn {}(..) -> builder::{}", op.rust_name, op.type_name),
            format!("method {method}"),
            format!("fn {}(..) -> builder::{}", op.rust_name, op.type_name),
            false,
        );
        fn_item.parent = None;
        add(fn_item);

        // Positional arguments: what a call depends on is the type at each position, not the
        // argument's name. Path parameters are identified by their place in the template (a
        // renamed path variable is the same argument), the others by location and name.
        let mut position = 0;
        let mut path_index = 0;
        for p in op.params.iter().filter(|p| p.required) {
            let id_key = if p.location == ParamLocation::Path {
                path_index += 1;
                format!("arg:path#{}", path_index - 1)
            } else {
                format!("arg:{}:{}", p.location.as_str(), p.api_name)
            };
            add(item(
                &id_key,
                canon.ptr(side, &p.origin),
                p.origin.clone(),
                format!("#{position} {}", cx.sig(&p.ty, &[])),
                format!("argument `{}` of {method}", p.rust_name),
                format!("{}: {} (argument {})", p.rust_name, cx.show(&p.ty, &[]), position + 1),
                true,
            ));
            position += 1;
        }
        // Multipart parts are arguments (required) and setters (optional) in the body's place.
        let parts = op.body.iter().flat_map(|b| b.parts.iter().map(move |p| (b, p)));
        let part_origin = |b: &RequestBody, p: &Part| {
            crate::spec::pointer::join(&crate::spec::pointer::join(&b.origin, "schema/properties"), &p.api_name)
        };
        for (b, p) in parts.clone().filter(|(_, p)| p.required) {
            add(item(
                &format!("arg:part:{}", p.api_name),
                canon.ptr(side, &part_origin(b, p)),
                part_origin(b, p),
                format!("#{position} {}", cx.sig(&p.ty, &[])),
                format!("argument `{}` of {method}", p.rust_name),
                format!("{}: {} (argument {})", p.rust_name, cx.show(&p.ty, &[]), position + 1),
                true,
            ));
            position += 1;
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.required && b.parts.is_empty()) {
            add(item(
                "arg:body",
                canon.ptr(side, &b.origin),
                b.origin.clone(),
                format!("#{position} {}", cx.sig(&b.ty, &[])),
                format!("argument `body` of {method}"),
                format!("body: {} (argument {})", cx.show(&b.ty, &[]), position + 1),
                true,
            ));
        }
        let builder = &op.type_name;
        for p in op.params.iter().filter(|p| !p.required) {
            add(item(
                &format!("setter:{}", p.rust_name),
                canon.ptr(side, &p.origin),
                p.origin.clone(),
                format!("{}({})", p.rust_name, cx.sig(&p.ty, &[])),
                format!("builder method `{builder}::{}`", p.rust_name),
                format!("{}({})", p.rust_name, cx.show(&p.ty, &[])),
                false,
            ));
        }
        for (b, p) in parts.filter(|(_, p)| !p.required) {
            add(item(
                &format!("setter:{}", p.rust_name),
                canon.ptr(side, &part_origin(b, p)),
                part_origin(b, p),
                format!("{}({})", p.rust_name, cx.sig(&p.ty, &[])),
                format!("builder method `{builder}::{}`", p.rust_name),
                format!("{}({})", p.rust_name, cx.show(&p.ty, &[])),
                false,
            ));
        }
        if let Some(b) = op.body.as_ref().filter(|b| !b.required && b.parts.is_empty()) {
            add(item(
                "setter:body",
                canon.ptr(side, &b.origin),
                b.origin.clone(),
                format!("body({})", cx.sig(&b.ty, &[])),
                format!("builder method `{builder}::body`"),
                format!("body({})", cx.show(&b.ty, &[])),
                false,
            ));
        }
        let ret = |canon_form: bool| {
            let r = |t: &TypeRef| if canon_form { cx.sig(t, &[]) } else { cx.show(t, &[]) };
            format!("Result<{}, Error<{}>>", r(&op.success_type), r(&op.error_type))
        };
        add(item(
            "returns",
            format!("{op_origin}/responses"),
            op.origin.clone(),
            ret(true),
            format!("the result of {method}"),
            ret(false),
            false,
        ));
        if let Some(stream) = &op.stream {
            let sig = |canon_form: bool| {
                let r = |t: &TypeRef| if canon_form { cx.sig(t, &[]) } else { cx.show(t, &[]) };
                format!("stream() -> Result<EventStream<{}>, Error<{}>>", r(&stream.item), r(&op.error_type))
            };
            add(item(
                "stream",
                canon.ptr(side, &stream.origin),
                stream.origin.clone(),
                sig(true),
                format!("streaming call `{builder}::stream`", builder = op.type_name),
                sig(false),
                false,
            ));
        }
        // Outcome variants, keyed by status.
        for (t, which, responses) in [(&op.success_type, "success", &op.success), (&op.error_type, "error", &op.errors)]
        {
            let TypeRef::Named(tid, _) = t else { continue };
            let def = api.types.get(*tid);
            let TypeKind::Outcomes(variants) = &def.kind else { continue };
            for (v, r) in variants.iter().zip(responses.iter()) {
                let status = status_key(&r.status);
                let (sig, show) = if v.ty == TypeRef::Unit {
                    (v.rust_name.clone(), v.rust_name.clone())
                } else {
                    (
                        format!("{}({})", v.rust_name, cx.sig(&v.ty, &[])),
                        format!("{}({})", v.rust_name, cx.show(&v.ty, &[])),
                    )
                };
                let mut it = item(
                    &format!("outcomes:{which}:{status}"),
                    format!("{op_origin}/responses/{status}"),
                    r.origin.clone(),
                    sig,
                    format!("variant `{}::{}`", def.rust_name, v.rust_name),
                    show,
                    true,
                );
                it.parent = Some(format!("op:{id}:outcomes:{which}"));
                add(it);
            }
        }
    }
    out
}

/// One difference between two surfaces.
#[derive(Clone, Debug)]
pub(crate) struct Delta {
    pub old: Option<Item>,
    pub new: Option<Item>,
    /// Whether code written against the old crate stops compiling.
    pub breaks: bool,
    /// Whether the item comes or goes with what it belongs to (a whole type or operation is
    /// new or removed).
    pub whole: bool,
}

impl Delta {
    pub fn item(&self) -> &Item {
        self.new.as_ref().or(self.old.as_ref()).expect("invariant: a delta has at least one side")
    }

    /// How the delta reads in a message.
    pub fn describe(&self) -> String {
        match (&self.old, &self.new) {
            // The arguments and result of a method say nothing the method does not.
            (Some(o), None) if (self.whole && o.key.contains(":arg:")) || o.key.ends_with(":returns") => String::new(),
            (Some(o), None) => format!("{} is removed", o.label),
            (None, Some(n)) if self.breaks && (n.key.contains(".variant:") || n.key.contains(":outcomes:")) => {
                format!("new {} (exhaustive matches must handle it)", n.label)
            }
            (None, Some(n)) if self.breaks && n.key.contains(":arg:") => {
                format!("new {} (calls must pass it)", n.label)
            }
            (None, Some(n)) if self.breaks => format!("new {} (`new` takes it)", n.label),
            // The arguments and result of a new method say nothing the method does not.
            (None, Some(n)) if (self.whole && n.key.contains(":arg:")) || n.key.ends_with(":returns") => String::new(),
            (None, Some(n)) => format!("new {}", n.label),
            (Some(o), Some(n)) if o.type_name.is_some() && o.type_name != n.type_name => {
                format!("{} is renamed to `{}`", o.label, n.type_name.as_deref().unwrap_or_default())
            }
            (Some(o), Some(n)) if o.label != n.label => format!("{} is renamed to {}", o.label, n.label),
            (Some(o), Some(n)) => format!("{} changes from `{}` to `{}`", n.label, o.show, n.show),
            (None, None) => String::new(),
        }
    }
}

impl Delta {
    /// [`Delta::describe`], never empty: why a breaking delta breaks.
    pub fn reason(&self) -> String {
        let d = self.describe();
        if !d.is_empty() {
            return d;
        }
        match (&self.old, &self.new) {
            (Some(o), None) => format!("{} is removed", o.label),
            (None, Some(n)) => format!("new {}", n.label),
            (Some(o), Some(n)) => format!("{} changes from `{}` to `{}`", n.label, o.show, n.show),
            (None, None) => "an item changes".into(),
        }
    }
}

/// Replaces the marked (`@Name`) generated type names by `names`.
fn rename_idents(text: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut marked = false;
    let flush = |word: &mut String, out: &mut String, marked: bool| {
        let renamed = if marked { names.get(word.as_str()) } else { None };
        out.push_str(renamed.map_or(word.as_str(), String::as_str));
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out, marked);
            marked = c == '@';
            out.push(c);
        }
    }
    flush(&mut word, &mut out, marked);
    out
}

/// Types that keep their origin (or operation) under another Rust name: old key -> new key,
/// and old name -> new name. A type is the same type when it comes from the same place; failing
/// that, when it has the same name (user code cannot tell where a type came from).
fn type_renames(old: &Surface, new: &Surface) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut keys = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut taken: Vec<&str> = Vec::new();
    for o in old.values().filter(|o| o.is_type()) {
        let same_key = new.get(&o.key).filter(|n| n.origin == o.origin);
        let moved = || {
            new.values().find(|n| {
                n.is_type()
                    && n.key != o.key
                    && n.origin == o.origin
                    && !taken.contains(&n.key.as_str())
                    && old.get(&n.key).is_none_or(|same_name| same_name.origin != n.origin)
            })
        };
        let Some(n) = same_key.or_else(moved).or_else(|| new.get(&o.key)) else { continue };
        taken.push(&n.key);
        if n.key != o.key {
            keys.insert(o.key.clone(), n.key.clone());
        }
        if let (Some(a), Some(b)) = (&o.type_name, &n.type_name) {
            if a != b {
                names.insert(a.clone(), b.clone());
            }
        }
    }
    (keys, names)
}

/// The old surface as if renamed types had always had their new names (except the type items
/// themselves, which keep the old name so the rename shows once).
fn apply_renames(old: &Surface, keys: &BTreeMap<String, String>, names: &BTreeMap<String, String>) -> Surface {
    let rekey = |k: &str| -> String {
        for (from, to) in keys {
            if k == from {
                return to.clone();
            }
            if let Some(rest) = k.strip_prefix(from.as_str()).filter(|r| r.starts_with('.')) {
                return format!("{to}{rest}");
            }
        }
        k.to_string()
    };
    old.values()
        .map(|it| {
            let mut it = it.clone();
            it.key = rekey(&it.key);
            it.parent = it.parent.as_deref().map(rekey);
            it.sig = match (it.is_type(), it.sig.split_once(" = ")) {
                (true, Some((head, target))) => format!("{head} = {}", rename_idents(target, names)),
                (true, None) => it.sig,
                (false, _) => rename_idents(&it.sig, names),
            };
            (it.key.clone(), it)
        })
        .collect()
}

/// Files the items of moved operations (old key -> new key) under their new key, so the method
/// is compared with itself.
pub(crate) fn rekey_operations(surface: &mut Surface, moved: &BTreeMap<OpKey, OpKey>) {
    if moved.is_empty() {
        return;
    }
    let prefixes: Vec<(String, String)> =
        moved.iter().map(|(o, n)| (format!("op:{}:", o.id()), format!("op:{}:", n.id()))).collect();
    let rekey = |k: &str| -> String {
        for (from, to) in &prefixes {
            if let Some(rest) = k.strip_prefix(from.as_str()) {
                return format!("{to}{rest}");
            }
        }
        k.to_string()
    };
    *surface = std::mem::take(surface)
        .into_values()
        .map(|mut it| {
            it.key = rekey(&it.key);
            it.parent = it.parent.as_deref().map(rekey);
            (it.key.clone(), it)
        })
        .collect();
}

/// The names that denote one Rust type in a version: each generated name -> the name of the type
/// it is (a type merged into an identical one, or a plain alias such as a shared enum's
/// contextual name, is the type it aliases). Which type of a merged class is written as the
/// `struct` and which as `pub type` aliases follows the store order, so an unrelated addition can
/// change it; user code cannot tell, as every name still denotes the same type.
pub(crate) fn same_types(api: &Api) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for def in &api.types.defs {
        let mut id = def.merged_into.unwrap_or(def.id);
        for _ in 0..8 {
            match &api.types.get(id).kind {
                TypeKind::Alias(TypeRef::Named(t, args))
                    if args.is_empty() && api.types.get(id).generics.is_empty() =>
                {
                    id = *t
                }
                _ => break,
            }
            id = api.types.get(id).merged_into.unwrap_or(id);
        }
        if id != def.id {
            out.insert(def.rust_name.clone(), api.types.get(id).rust_name.clone());
        }
    }
    out
}

/// Every item whose signature differs, that is missing on one side, or that is new. `same`:
/// [`same_types`] of the new version; signatures are compared with the types they name, not the
/// spelling: an old signature names `A`, a new one `B`, and `A` is the same type as `B` in the
/// new crate, so code written with `A` still compiles.
pub(crate) fn compare(old: &Surface, new: &Surface, same: &BTreeMap<String, String>) -> Vec<Delta> {
    let (keys, names) = type_renames(old, new);
    let old = apply_renames(old, &keys, &names);
    let mut out = Vec::new();
    let differs = |a: &str, b: &str| a != b && rename_idents(a, same) != rename_idents(b, same);
    for (k, o) in &old {
        match new.get(k) {
            None => {
                let whole = o.is_type() || o.parent.as_ref().is_some_and(|p| !new.contains_key(p));
                out.push(Delta { old: Some(o.clone()), new: None, breaks: true, whole })
            }
            Some(n) if differs(&n.sig, &o.sig) => {
                out.push(Delta { old: Some(o.clone()), new: Some(n.clone()), breaks: true, whole: false })
            }
            Some(_) => {}
        }
    }
    for (k, n) in new {
        if !old.contains_key(k) {
            let parent_existed = n.parent.as_ref().is_some_and(|p| old.contains_key(p));
            out.push(Delta {
                old: None,
                new: Some(n.clone()),
                breaks: n.add_breaks && parent_existed,
                whole: n.is_type() || !parent_existed,
            });
        }
    }
    out.sort_by(|a, b| a.item().key.cmp(&b.item().key));
    out
}
