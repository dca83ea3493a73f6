//! Schemas: one node of each version side by side (type, format, nullability, enum values,
//! properties and `required`, `additionalProperties`, array items, `allOf`/`oneOf`/`anyOf`
//! members, discriminator), recursively, with the wire consequence decided by where the schema is
//! used (`Site::dir`) and the Rust surface the change may move (its claims).

use super::effective::{self, Flow};
use super::*;

/// What kind of value a schema describes, for detecting a change of type.
fn shape(v: &Value) -> String {
    if flag(v, EXT_NULL) {
        return "null".into();
    }
    if let Some(t) = text(v, "type") {
        return t.into();
    }
    let has = |k: &str| v.get(k).is_some();
    // `additionalProperties` beside a union constrains its object alternatives: still a union.
    let union = has("oneOf") || has("anyOf");
    if has("properties") || (has("additionalProperties") && !union) {
        "object".into()
    } else if has("items") {
        "array".into()
    } else if has("oneOf") || has("anyOf") {
        if flag(v, EXT_TYPE_UNION) {
            "type union".into()
        } else {
            "union".into()
        }
    } else if has("allOf") {
        "object".into()
    } else if has("enum") {
        "enum".into()
    } else if has("not") {
        "not".into()
    } else {
        "any".into()
    }
}

fn shape_words(s: &str) -> String {
    match s {
        "any" => "any value".into(),
        "union" => "a oneOf/anyOf union".into(),
        "type union" => "a union of types".into(),
        "enum" => "an enum".into(),
        other => code(other),
    }
}

/// A schema as used: single-member `allOf`/`anyOf`/`oneOf` wrappers (how normalizing keeps
/// keywords beside a `$ref`, and how 3.1 writes a nullable reference) are looked through.
struct Eff<'v> {
    v: &'v Value,
    /// The pointer of the schema as written (where node-level changes are reported).
    outer: String,
    /// The pointer of the unwrapped schema.
    ptr: String,
    nullable: bool,
    deprecated: bool,
    description: Option<&'v str>,
}

/// Looks through single-member wrappers, except a keyword in `keep` (kept when the other version
/// has the same keyword with another number of members: then the members are compared).
fn unwrap<'v>(doc: &'v Value, at: At<'v>, keep: &[&str]) -> Eff<'v> {
    let mut e = Eff {
        v: at.v,
        outer: at.ptr.clone(),
        ptr: at.ptr,
        nullable: flag(at.v, "nullable"),
        deprecated: flag(at.v, "deprecated"),
        description: text(at.v, "description"),
    };
    for _ in 0..8 {
        let structural = ["type", "properties", "items", "enum", "additionalProperties", "$ref"];
        if structural.iter().any(|k| e.v.get(*k).is_some()) {
            break;
        }
        let single: Vec<&str> = ["allOf", "anyOf", "oneOf"].into_iter().filter(|k| e.v.get(*k).is_some()).collect();
        if single.len() != 1 || arr(e.v, single[0]).len() != 1 || keep.contains(&single[0]) {
            break;
        }
        let member = &arr(e.v, single[0])[0];
        e.ptr = join(&join(&e.ptr, single[0]), "0");
        e.v = member;
        e.nullable |= flag(member, "nullable");
        e.deprecated |= flag(member, "deprecated");
        if e.description.is_none() && member.get("$ref").is_none() {
            e.description = text(member, "description");
        }
    }
    if let Some(name) = canon::schema_ref(e.v) {
        let target = doc.pointer(&join("/components/schemas", &name));
        e.nullable |= target.is_some_and(|t| flag(t, "nullable"));
    }
    e
}

/// `additionalProperties` as the generator reads it.
#[derive(PartialEq)]
enum Extra<'v> {
    Absent,
    Denied,
    Any,
    Schema(&'v Value),
}

fn extra(v: &Value) -> Extra<'_> {
    match v.get("additionalProperties") {
        None => Extra::Absent,
        Some(Value::Bool(false)) => Extra::Denied,
        Some(Value::Bool(true)) => Extra::Any,
        Some(Value::Object(m)) if m.is_empty() => Extra::Any,
        Some(s) => Extra::Schema(s),
    }
}

fn extra_words(e: &Extra<'_>) -> &'static str {
    match e {
        Extra::Absent => "not declared",
        Extra::Denied => "`false`",
        Extra::Any => "`true`",
        Extra::Schema(_) => "a schema",
    }
}

/// The `enum` (or `const`) values of a schema.
fn enum_values(v: &Value) -> Option<Vec<Value>> {
    if let Some(c) = v.get(EXT_CONST) {
        return Some(vec![c.clone()]);
    }
    v.get("enum").and_then(Value::as_array).cloned()
}

impl<'a, 'c> Walker<'a, 'c> {
    // ----- schemas --------------------------------------------------------------------------

    fn place(site: &Site, path: &SPath) -> String {
        match (&site.schema, path.0.is_empty()) {
            (Some(name), true) => format!("schema {}", code(name)),
            (Some(name), false) => format!("schema {}", code(&format!("{name}.{}", path.0))),
            (None, true) => site.label.clone(),
            (None, false) => format!("{} field {}", site.label, code(&path.0)),
        }
    }

    /// Claims of a change at one schema node (both versions' pointers, and the use site's own
    /// items when the node is the top of the site).
    fn node_claims(
        &self,
        o: &Eff<'_>,
        n: &Eff<'_>,
        site: &Site,
        depth: usize,
        subtree: bool,
        inherit: &[Claim],
    ) -> Vec<Claim> {
        let mut c = inherit.to_vec();
        for p in [self.co(&o.outer), self.co(&o.ptr), self.cn(&n.outer), self.cn(&n.ptr)] {
            c.push(if subtree { Claim::Under(p) } else { Claim::At(p) });
        }
        if depth == 0 {
            c.extend(site.top.iter().cloned());
        }
        c
    }

    /// Compares one schema. `inherit`: claims of the enclosing Rust item when this schema has no
    /// item of its own (array items, map values and union members are written inside the type
    /// of the field, argument or variant that holds them).
    pub(super) fn schema(&mut self, o: At<'c>, n: At<'c>, site: &Site, path: &SPath, depth: usize, inherit: &[Claim]) {
        if depth > 48 || !self.seen.insert((o.ptr.clone(), n.ptr.clone())) {
            return;
        }
        let keep = |a: &Value, b: &Value| -> Vec<&'static str> {
            ["allOf", "anyOf", "oneOf"]
                .into_iter()
                .filter(|k| arr(a, k).len() == 1 && b.get(*k).is_some() && arr(b, k).len() != 1)
                .collect()
        };
        let (keep_o, keep_n) = (keep(o.v, n.v), keep(n.v, o.v));
        let mut oe = unwrap(self.old(), o, &keep_o);
        let mut ne = unwrap(self.new_doc(), n, &keep_n);
        let place = Self::place(site, path);
        let location = ne.outer.clone();
        let dir = site.dir;

        if oe.nullable != ne.nullable {
            let now = ne.nullable;
            let wire = if now {
                (dir.response && self.null_breaks_old_client(&oe, path))
                    .then(|| "the old client cannot decode `null` here".to_string())
            } else {
                dir.request.then(|| "the old client may send `null`, which the new server rejects".to_string())
            };
            let claims = self.node_claims(&oe, &ne, site, depth, false, inherit);
            self.push(
                Kind::NullableChanged,
                location.clone(),
                place.clone(),
                if now { "becomes nullable".into() } else { "is no longer nullable".into() },
                wire,
                Level::Patch,
                claims,
                site.reaches.clone(),
            );
        }
        if oe.deprecated != ne.deprecated {
            self.push(
                Kind::DeprecatedChanged,
                location.clone(),
                place.clone(),
                if ne.deprecated { "deprecated".into() } else { "no longer deprecated".into() },
                None,
                Level::Patch,
                vec![],
                site.reaches.clone(),
            );
        }
        if oe.description != ne.description {
            self.docs(location.clone(), place.clone(), "description changed".into(), site.reaches.clone());
        }

        // References to component schemas.
        let (mut o_name, mut n_name) = (None, None);
        match (canon::schema_ref(oe.v), canon::schema_ref(ne.v)) {
            (Some(a), Some(b)) => {
                if self.canon.schema_name(Side::Old, &a) != b {
                    let claims = self.node_claims(&oe, &ne, site, depth, true, inherit);
                    // Retargeted to a schema that accepts the same values in the direction of
                    // use (the same shape, or a superset with optional extras): no wire change.
                    let same_values = self.compatible(oe.v, ne.v, dir);
                    self.push(
                        Kind::TypeChanged,
                        location,
                        place,
                        format!(
                            "changes from schema {} to schema {}{}",
                            code(&a),
                            code(&b),
                            if same_values { " (which accepts the same values here)" } else { "" }
                        ),
                        (!same_values).then(|| {
                            Self::type_wire(
                                dir,
                                &format!("schema {}", code(&a)),
                                &format!("schema {}", code(&b)),
                                false,
                                false,
                            )
                        }),
                        Level::Patch,
                        claims,
                        site.reaches.clone(),
                    );
                }
                return;
            }
            (Some(a), None) if self.wraps(ne.v, &a, Side::Old) => {
                // `$ref X` became `allOf: [$ref X, ...]`: the members added are the change.
                self.members_of(
                    "allOf",
                    std::slice::from_ref(oe.v),
                    arr(ne.v, "allOf"),
                    &oe,
                    &ne,
                    site,
                    path,
                    depth,
                    inherit,
                );
                return;
            }
            (None, Some(b)) if self.wraps(oe.v, &b, Side::New) => {
                // `allOf: [$ref X, ...]` became `$ref X`: the members removed are the change.
                self.members_of(
                    "allOf",
                    arr(oe.v, "allOf"),
                    std::slice::from_ref(ne.v),
                    &oe,
                    &ne,
                    site,
                    path,
                    depth,
                    inherit,
                );
                return;
            }
            (Some(a), None) => {
                let ptr = join("/components/schemas", &a);
                if let Some(t) = self.old().pointer(&ptr) {
                    oe.v = t;
                    oe.ptr = ptr;
                }
                o_name = Some(format!("schema {}", code(&a)));
            }
            (None, Some(b)) => {
                let ptr = join("/components/schemas", &b);
                if let Some(t) = self.new_doc().pointer(&ptr) {
                    ne.v = t;
                    ne.ptr = ptr;
                }
                n_name = Some(format!("schema {}", code(&b)));
            }
            (None, None) => {}
        }
        // Other local references: compared by content.
        for (e, doc) in [(&mut oe, self.canon.old), (&mut ne, self.canon.new)] {
            for _ in 0..8 {
                let Some(r) = e.v.get("$ref").and_then(Value::as_str) else { break };
                let Some((t, p)) = canon::resolve(doc, r) else { break };
                e.v = t;
                e.ptr = p;
            }
        }

        let (so, sn) = (shape(oe.v), shape(ne.v));
        if so != sn {
            let claims = self.node_claims(&oe, &ne, site, depth, true, inherit);
            // Judged by values: a sent type widened to a union that contains it, a received one
            // narrowed to one of its alternatives, `integer` to `number`, anything to any value.
            let widening = (so == "integer" && sn == "number")
                || sn == "any"
                || effective::compatible(self.old(), oe.v, self.new_doc(), ne.v, Flow::Request);
            let narrowing = (so == "number" && sn == "integer")
                || so == "any"
                || effective::compatible(self.old(), oe.v, self.new_doc(), ne.v, Flow::Response);
            let from = o_name.unwrap_or_else(|| shape_words(&so));
            let to = n_name.unwrap_or_else(|| shape_words(&sn));
            self.push(
                Kind::TypeChanged,
                location,
                place,
                format!("type changes from {from} to {to}"),
                Self::type_wire_opt(dir, &from, &to, widening, narrowing),
                Level::Patch,
                claims,
                site.reaches.clone(),
            );
            return;
        }

        let (of, nf) = (text(oe.v, "format"), text(ne.v, "format"));
        if of != nf {
            let words = |f: Option<&str>| f.map_or("none".to_string(), code);
            // A format that keeps the Rust type (`integer` -> `int64`) changes no value sent or read.
            let typ = text(ne.v, "type");
            let same_rust =
                effective::scalar(typ, of).is_some() && effective::scalar(typ, of) == effective::scalar(typ, nf);
            let widening = same_rust
                || matches!(
                    (of, nf),
                    (Some("int32"), Some("int64")) | (Some("float"), Some("double")) | (Some(_), None)
                );
            let narrowing = same_rust
                || matches!(
                    (of, nf),
                    (Some("int64"), Some("int32")) | (Some("double"), Some("float")) | (None, Some(_))
                );
            let claims = self.node_claims(&oe, &ne, site, depth, true, inherit);
            self.push(
                Kind::FormatChanged,
                location.clone(),
                place.clone(),
                format!("format changes from {} to {}", words(of), words(nf)),
                Self::type_wire_opt(
                    dir,
                    &format!("format {}", words(of)),
                    &format!("format {}", words(nf)),
                    widening,
                    narrowing,
                ),
                Level::Patch,
                claims,
                site.reaches.clone(),
            );
        }

        self.enums(&oe, &ne, site, path, depth, inherit);
        let props_inherit: &[Claim] = if path.is_all_of_member() { inherit } else { &[] };
        self.properties(&oe, &ne, site, path, depth, props_inherit);
        self.additional(&oe, &ne, site, path, depth, inherit);

        if let (Some(oi), Some(ni)) = (oe.v.get("items"), ne.v.get("items")) {
            let o_at = At { v: oi, ptr: join(&oe.ptr, "items") };
            let n_at = At { v: ni, ptr: join(&ne.ptr, "items") };
            let holder = self.node_claims(&oe, &ne, site, depth, false, inherit);
            self.schema(o_at, n_at, site, &path.suffix("[]"), depth + 1, &holder);
        }

        for key in ["allOf", "oneOf", "anyOf"] {
            self.members(key, &oe, &ne, site, path, depth, inherit);
        }

        if oe.v.get("discriminator") != ne.v.get("discriminator") {
            // A mapping that only gains entries follows members added, which claim their variants.
            let breaks = self.discriminator_breaks(&oe, &ne);
            let claims = if breaks { self.node_claims(&oe, &ne, site, depth, false, inherit) } else { vec![] };
            let prop = |e: &Eff<'_>| {
                e.v.pointer("/discriminator/propertyName").and_then(Value::as_str).map_or("none".to_string(), code)
            };
            self.push(
                Kind::DiscriminatorChanged,
                location,
                place,
                if breaks {
                    format!("discriminator changes (property {} -> {}, or its mapping)", prop(&oe), prop(&ne))
                } else {
                    "discriminator mapping gains entries".to_string()
                },
                breaks.then(|| "values are told apart by a different tag".into()),
                Level::Patch,
                claims,
                site.reaches.clone(),
            );
        }
    }

    /// Whether values of the old schema and the new one are accepted alike in the direction of
    /// use (both directions for a schema that is sent and received).
    fn compatible(&self, o: &Value, n: &Value, dir: Dir) -> bool {
        (!dir.request || effective::compatible(self.old(), o, self.new_doc(), n, Flow::Request))
            && (!dir.response || effective::compatible(self.old(), o, self.new_doc(), n, Flow::Response))
            && (dir.request || dir.response)
    }

    /// Whether `v` is an `allOf` with a `$ref` to the component `name` (of the other side).
    fn wraps(&self, v: &Value, name: &str, other: Side) -> bool {
        let side = if other == Side::Old { Side::New } else { Side::Old };
        let target = self.canon.schema_name(other, name);
        arr(v, "allOf").iter().any(|m| canon::schema_ref(m).is_some_and(|r| self.canon.schema_name(side, &r) == target))
    }

    /// A discriminator change breaks the wire when the tag property changes, or a value the old
    /// client knows now means another schema (or nothing); a mapping that only gains entries
    /// (for new members, reported on their own) does not.
    fn discriminator_breaks(&self, o: &Eff<'_>, n: &Eff<'_>) -> bool {
        let prop = |e: &Eff<'_>| e.v.pointer("/discriminator/propertyName").cloned();
        if prop(o) != prop(n) {
            return true;
        }
        let mapping = |e: &Eff<'_>, side: Side| -> BTreeMap<String, String> {
            e.v.pointer("/discriminator/mapping")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            let target = v.as_str().unwrap_or_default();
                            let name = target.rsplit('/').next().unwrap_or(target);
                            (k.clone(), self.canon.schema_name(side, name))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (om, nm) = (mapping(o, Side::Old), mapping(n, Side::New));
        om.iter().any(|(k, v)| nm.get(k) != Some(v))
    }

    /// Whether the old client fails on `null` at this node: a required, non-`Option` field.
    fn null_breaks_old_client(&self, o: &Eff<'_>, path: &SPath) -> bool {
        // A property: the old client's field is `Option<T>` when the property was optional,
        // and `Option` decodes `null` as `None`. The parent's `required` decides.
        if path.0.is_empty() || path.0.ends_with("[]") || path.0.ends_with("{}") || path.0.ends_with(']') {
            return true;
        }
        let toks = canon::tokens(&o.outer);
        if toks.len() >= 2 && toks[toks.len() - 2] == "properties" {
            let name = &toks[toks.len() - 1];
            let parent = canon::pointer(&toks[..toks.len() - 2]);
            if let Some(p) = self.old().pointer(&parent) {
                return arr(p, "required").iter().any(|r| r.as_str() == Some(name));
            }
        }
        true
    }

    fn type_wire(dir: Dir, from: &str, to: &str, widening: bool, narrowing: bool) -> String {
        Self::type_wire_opt(dir, from, to, widening, narrowing)
            .unwrap_or_else(|| format!("values change from {from} to {to}"))
    }

    /// A type or format change breaks requests unless the new server accepts more (widening),
    /// and responses unless the new server sends less (narrowing).
    fn type_wire_opt(dir: Dir, from: &str, to: &str, widening: bool, narrowing: bool) -> Option<String> {
        let mut why = Vec::new();
        if dir.request && !widening {
            why.push(format!("the new server expects {to} where the old client sends {from}"));
        }
        if dir.response && !narrowing {
            why.push(format!("the old client expects {from} where the new server sends {to}"));
        }
        (!why.is_empty()).then(|| why.join("; "))
    }

    fn enums(&mut self, oe: &Eff<'c>, ne: &Eff<'c>, site: &Site, path: &SPath, depth: usize, inherit: &[Claim]) {
        let (ov, nv) = (enum_values(oe.v), enum_values(ne.v));
        if ov == nv {
            return;
        }
        let place = Self::place(site, path);
        let location = ne.outer.clone();
        let dir = site.dir;
        match (ov, nv) {
            (None, Some(values)) => {
                let claims = self.node_claims(oe, ne, site, depth, true, inherit);
                let vals: Vec<String> = values.iter().map(json_text).collect();
                self.push(
                    Kind::TypeChanged,
                    location,
                    place,
                    format!("restricted to the values {}", list_some(&vals)),
                    dir.request.then(|| "the old client may send other values, which the new server rejects".into()),
                    Level::Patch,
                    claims,
                    site.reaches.clone(),
                );
            }
            (Some(values), None) => {
                let claims = self.node_claims(oe, ne, site, depth, true, inherit);
                let vals: Vec<String> = values.iter().map(json_text).collect();
                self.push(
                    Kind::TypeChanged,
                    location,
                    place,
                    format!("no longer restricted to the values {}", list_some(&vals)),
                    None,
                    Level::Patch,
                    claims,
                    site.reaches.clone(),
                );
            }
            (Some(o), Some(n)) => {
                let removed: Vec<String> = o.iter().filter(|v| !n.contains(v)).map(json_text).collect();
                let added: Vec<String> = n.iter().filter(|v| !o.contains(v)).map(json_text).collect();
                let at = vec![self.co(&oe.outer), self.co(&oe.ptr), self.cn(&ne.outer), self.cn(&ne.ptr)];
                let wire_values = |vs: &[Value], other: &[Value]| -> Vec<String> {
                    let mut out: Vec<String> = vs
                        .iter()
                        .filter(|v| !other.contains(v))
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                        .collect();
                    out.push("*".into());
                    out
                };
                let removed_claims = vec![Claim::Values { at: at.clone(), values: wire_values(&o, &n) }];
                let added_claims = vec![Claim::Values { at, values: wire_values(&n, &o) }];
                if !removed.is_empty() {
                    self.push(
                        Kind::EnumValueRemoved,
                        location.clone(),
                        place.clone(),
                        format!(
                            "enum value{} {} removed",
                            if removed.len() > 1 { "s" } else { "" },
                            list_some(&removed)
                        ),
                        dir.request.then(|| "the old client may send it, and the new server rejects it".into()),
                        Level::Patch,
                        removed_claims,
                        site.reaches.clone(),
                    );
                }
                if !added.is_empty() {
                    self.push(
                        Kind::EnumValueAdded,
                        location,
                        place,
                        format!(
                            "enum value{} {} added{}",
                            if added.len() > 1 { "s" } else { "" },
                            list_some(&added),
                            if dir.response { " (the old client reads unknown values as `Unknown`)" } else { "" }
                        ),
                        None,
                        Level::Minor,
                        added_claims,
                        site.reaches.clone(),
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn properties(&mut self, oe: &Eff<'c>, ne: &Eff<'c>, site: &Site, path: &SPath, depth: usize, inherit: &[Claim]) {
        let op = oe.v.get("properties").and_then(Value::as_object).unwrap_or(&EMPTY);
        let np = ne.v.get("properties").and_then(Value::as_object).unwrap_or(&EMPTY);
        let required = |v: &Value, name: &str| arr(v, "required").iter().any(|r| r.as_str() == Some(name));
        let place = Self::place(site, path);
        let dir = site.dir;
        // Adding the first or removing the last property turns a map into a struct or back.
        let owner: Vec<Claim> = [self.co(&oe.outer), self.co(&oe.ptr), self.cn(&ne.outer), self.cn(&ne.ptr)]
            .into_iter()
            .map(Claim::TypeAt)
            .collect();
        // Structs that merge this component with `allOf` (and may override a property while
        // inheriting whether it is required).
        let mergers: Vec<String> = match (&site.schema, path.0.is_empty()) {
            (Some(name), true) => self.mergers.get(name).into_iter().flatten().cloned().collect(),
            _ => vec![],
        };
        let merged = |name: &str| -> Vec<Claim> {
            mergers.iter().map(|m| Claim::FieldNamed { owner: m.clone(), name: name.to_string() }).collect()
        };
        let mut names: Vec<&String> = op.keys().collect();
        names.extend(np.keys().filter(|k| !op.contains_key(*k)));
        for name in names {
            let optr = join(&join(&oe.ptr, "properties"), name);
            let nptr = join(&join(&ne.ptr, "properties"), name);
            match (op.get(name), np.get(name)) {
                (None, Some(p)) => {
                    let req = required(ne.v, name);
                    let read_only = flag(canon::deref(self.new_doc(), p), "readOnly") || flag(p, "readOnly");
                    self.push(
                        Kind::PropertyAdded,
                        nptr.clone(),
                        place.clone(),
                        format!("{} property {} added", if req { "required" } else { "optional" }, code(name)),
                        // Required before through an `allOf` member (flattened): still sent.
                        (dir.request
                            && req
                            && !read_only
                            && !effective::object(self.old(), oe.v).required.contains(name))
                        .then(|| "the new server rejects requests without it".into()),
                        Level::Minor,
                        owner.iter().cloned().chain([Claim::Under(self.cn(&nptr))]).collect(),
                        site.reaches.clone(),
                    );
                }
                (Some(p), None) => {
                    let req = required(oe.v, name);
                    let write_only = flag(canon::deref(self.old(), p), "writeOnly") || flag(p, "writeOnly");
                    let mut why = Vec::new();
                    // Moved into an `allOf` member and still required there: still received.
                    let still = effective::object(self.new_doc(), ne.v);
                    if dir.response && req && !write_only && !still.required.contains(name) {
                        why.push("the old client requires it in responses".to_string());
                    }
                    if dir.request && extra(ne.v) == Extra::Denied && !still.props.contains_key(name) {
                        why.push("the new server rejects requests that still send it".to_string());
                    }
                    self.push(
                        Kind::PropertyRemoved,
                        optr.clone(),
                        place.clone(),
                        format!("{} property {} removed", if req { "required" } else { "optional" }, code(name)),
                        (!why.is_empty()).then(|| why.join("; ")),
                        Level::Patch,
                        owner.iter().cloned().chain([Claim::Under(self.co(&optr))]).collect(),
                        site.reaches.clone(),
                    );
                }
                (Some(o), Some(n)) => {
                    let (own_was, own_now) = (required(oe.v, name), required(ne.v, name));
                    if own_was != own_now {
                        // In an `allOf` member, what the composed schema requires (beside the
                        // `allOf`, or in another member) counts too: the effective change.
                        let composed = path.is_all_of_member().then(|| self.composed_required.last()).flatten();
                        let was = own_was || composed.is_some_and(|c| c.0.contains(name));
                        let now = own_now || composed.is_some_and(|c| c.1.contains(name));
                        let read_only = flag(canon::deref(self.new_doc(), n), "readOnly") || flag(n, "readOnly");
                        let write_only = flag(canon::deref(self.old(), o), "writeOnly") || flag(o, "writeOnly");
                        let wire = if was == now {
                            None
                        } else if now {
                            (dir.request && !read_only)
                                .then(|| "the new server rejects requests without it".to_string())
                        } else {
                            (dir.response && !write_only)
                                .then(|| "the old client fails on responses without it".to_string())
                        };
                        self.push(
                            Kind::PropertyRequiredChanged,
                            nptr.clone(),
                            place.clone(),
                            format!(
                                "property {} becomes {}{}",
                                code(name),
                                if own_now { "required" } else { "optional" },
                                if was == now { " here (the composed schema still requires it)" } else { "" }
                            ),
                            wire,
                            Level::Patch,
                            [Claim::At(self.co(&optr)), Claim::At(self.cn(&nptr))]
                                .into_iter()
                                .chain(merged(name))
                                .collect(),
                            site.reaches.clone(),
                        );
                    }
                    self.schema(
                        At { v: o, ptr: optr },
                        At { v: n, ptr: nptr },
                        site,
                        &path.prop(name),
                        depth + 1,
                        inherit,
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn additional(&mut self, oe: &Eff<'c>, ne: &Eff<'c>, site: &Site, path: &SPath, depth: usize, inherit: &[Claim]) {
        let (oa, na) = (extra(oe.v), extra(ne.v));
        match (&oa, &na) {
            (Extra::Schema(os), Extra::Schema(ns)) => {
                let o_at = At { v: os, ptr: join(&oe.ptr, "additionalProperties") };
                let n_at = At { v: ns, ptr: join(&ne.ptr, "additionalProperties") };
                // A map's values are typed in the field that holds the map, or in the
                // `additional_properties` field of a struct.
                let mut holder = self.node_claims(oe, ne, site, depth, false, inherit);
                holder.push(Claim::At(self.co(&join(&oe.ptr, "additionalProperties"))));
                holder.push(Claim::At(self.cn(&join(&ne.ptr, "additionalProperties"))));
                self.schema(o_at, n_at, site, &path.suffix("{}"), depth + 1, &holder);
            }
            _ if oa == na => {}
            _ => {
                let mut claims = self.node_claims(oe, ne, site, depth, false, inherit);
                claims.push(Claim::Under(self.co(&join(&oe.ptr, "additionalProperties"))));
                claims.push(Claim::Under(self.cn(&join(&ne.ptr, "additionalProperties"))));
                // A client generated from the old schema sends extra properties only when it
                // declared them (`true` or a schema: a map of extras); without, it sends only the
                // declared properties, and one the new schema drops is `property-removed`.
                let denies = na == Extra::Denied && matches!(oa, Extra::Any | Extra::Schema(_));
                self.push(
                    Kind::AdditionalPropertiesChanged,
                    join(&ne.outer, "additionalProperties"),
                    Self::place(site, path),
                    format!("additionalProperties changes from {} to {}", extra_words(&oa), extra_words(&na)),
                    (site.dir.request && denies)
                        .then(|| "the new server rejects properties it does not declare".into()),
                    Level::Patch,
                    claims,
                    site.reaches.clone(),
                );
            }
        }
    }

    fn member_words(key: &str) -> String {
        if let Some(r) = key.strip_prefix("ref:") {
            format!("schema {}", code(r.rsplit('/').next().unwrap_or(r)))
        } else if let Some(t) = key.strip_prefix("type:") {
            format!("inline {}", code(t))
        } else if let Some(t) = key.strip_prefix("title:") {
            format!("inline {}", code(t))
        } else if let Some(b) = key.strip_prefix("allOf:") {
            format!("inline extension of {}", code(b))
        } else if let Some(v) = key.strip_prefix("value:") {
            format!("value {}", code(v))
        } else if let Some(t) = key.strip_prefix("tag:") {
            format!("inline {}", code(t))
        } else {
            format!("inline member {key}")
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn members(
        &mut self,
        key: &str,
        oe: &Eff<'c>,
        ne: &Eff<'c>,
        site: &Site,
        path: &SPath,
        depth: usize,
        inherit: &[Claim],
    ) {
        self.members_of(key, arr(oe.v, key), arr(ne.v, key), oe, ne, site, path, depth, inherit);
    }

    /// Compares the members `om` and `nm` of a composition (`allOf`, `oneOf`, `anyOf`), matched by
    /// identity (the schema a member names, its tag value, title or type), not position.
    #[allow(clippy::too_many_arguments)]
    fn members_of(
        &mut self,
        key: &str,
        om: &'c [Value],
        nm: &'c [Value],
        oe: &Eff<'c>,
        ne: &Eff<'c>,
        site: &Site,
        path: &SPath,
        depth: usize,
        inherit: &[Claim],
    ) {
        if om.is_empty() && nm.is_empty() {
            return;
        }
        let ok = self.canon.member_keys(Side::Old, om);
        let nk = self.canon.member_keys(Side::New, nm);
        let place = Self::place(site, path);
        let dir = site.dir;
        let all_of = key == "allOf";
        let tagged = ne.v.get("discriminator").is_some();
        let string_enum_union = |doc: &Value, ms: &[Value]| {
            ms.iter().all(|m| {
                let m = canon::deref(doc, m);
                text(m, "type") == Some("string") && (m.get("enum").is_some() || m.get("format").is_none())
            })
        };
        let required_of = |doc: &Value, m: &Value| -> Vec<String> {
            let m = canon::deref(doc, m);
            arr(m, "required").iter().filter_map(|r| r.as_str().map(code)).collect()
        };
        // Union members are written in the variants of the union's type, and the properties of
        // an `allOf` member may be the type arguments of a generic envelope: both are written
        // where the composed schema is held.
        let holder = self.node_claims(oe, ne, site, depth, false, inherit);
        let mut base = self.node_claims(oe, ne, site, depth, false, inherit);
        for p in [self.co(&oe.outer), self.co(&oe.ptr), self.cn(&ne.outer), self.cn(&ne.ptr)] {
            base.push(Claim::NewUnder(p.clone()));
            if all_of {
                base.push(Claim::MembersOf(p));
            }
        }
        for (i, k) in ok.iter().enumerate() {
            let optr = join(&join(&oe.ptr, key), &i.to_string());
            match nk.iter().position(|x| x == k) {
                Some(j) => {
                    let nptr = join(&join(&ne.ptr, key), &j.to_string());
                    let at = path.member(key, &Self::member_words(k).replace('`', ""));
                    if all_of {
                        let composed = (
                            effective::object(self.old(), oe.v).required,
                            effective::object(self.new_doc(), ne.v).required,
                        );
                        self.composed_required.push(composed);
                    }
                    self.schema(
                        At { v: &om[i], ptr: optr },
                        At { v: &nm[j], ptr: nptr },
                        site,
                        &at,
                        depth + 1,
                        &holder,
                    );
                    if all_of {
                        self.composed_required.pop();
                    }
                }
                None => {
                    let mut claims = base.clone();
                    claims.push(Claim::Under(self.co(&optr)));
                    let wire = if all_of {
                        // Properties the new schema still requires (beside the `allOf`, or in
                        // another member) are still sent.
                        let still = effective::object(self.new_doc(), ne.v).required;
                        let req: Vec<String> = required_of(self.old(), &om[i])
                            .into_iter()
                            .filter(|r| !still.contains(r.trim_matches('`')))
                            .collect();
                        (dir.response && !req.is_empty())
                            .then(|| format!("the old client requires its properties {}", list(&req)))
                    } else {
                        // Values of the alternative that another new member still accepts (its
                        // object, widened) are not rejected.
                        let accepted = effective::compatible(self.old(), &om[i], self.new_doc(), ne.v, Flow::Request);
                        (dir.request && !accepted).then(|| {
                            "the old client may send values of that alternative, which the new server rejects"
                                .to_string()
                        })
                    };
                    if let Some(r) = canon::schema_ref(&om[i]) {
                        let origin = self.co(&join("/components/schemas", &r));
                        claims.push(Claim::Within { owner: self.co(&oe.outer), origin });
                    }
                    self.push(
                        if all_of { Kind::AllOfMemberRemoved } else { Kind::OneOfMemberRemoved },
                        optr,
                        place.clone(),
                        format!("{key} member {} removed", Self::member_words(k)),
                        wire,
                        Level::Patch,
                        claims,
                        site.reaches.clone(),
                    );
                }
            }
        }
        for (j, k) in nk.iter().enumerate() {
            if ok.contains(k) {
                continue;
            }
            let nptr = join(&join(&ne.ptr, key), &j.to_string());
            let mut claims = base.clone();
            claims.push(Claim::Under(self.cn(&nptr)));
            let wire = if all_of {
                let before = effective::object(self.old(), oe.v).required;
                let req: Vec<String> = required_of(self.new_doc(), &nm[j])
                    .into_iter()
                    .filter(|r| !before.contains(r.trim_matches('`')))
                    .collect();
                (dir.request && !req.is_empty())
                    .then(|| format!("the new server requires its properties {}", list(&req)))
            } else {
                let open = tagged || string_enum_union(self.new_doc(), nm);
                // An untagged union decodes a value by any member that reads it: when an old
                // member reads every value of the new one (GitHub's issue events, whose looser
                // members read any event), the old client still decodes it.
                let accepted = effective::compatible(self.old(), oe.v, self.new_doc(), &nm[j], Flow::Response);
                (dir.response && !open && !accepted)
                    .then(|| "the old client cannot decode values of the new alternative".to_string())
            };
            if let Some(r) = canon::schema_ref(&nm[j]) {
                let origin = self.cn(&join("/components/schemas", &r));
                claims.push(Claim::Within { owner: self.cn(&ne.outer), origin });
            }
            self.push(
                if all_of { Kind::AllOfMemberAdded } else { Kind::OneOfMemberAdded },
                nptr,
                place.clone(),
                format!("{key} member {} added", Self::member_words(k)),
                wire,
                Level::Minor,
                claims,
                site.reaches.clone(),
            );
        }
    }
}
