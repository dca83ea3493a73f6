//! Random JSON values that a schema of the spec allows, read from the document as written
//! (OpenAPI 3.0 or 3.1), never from the generator's IR: the point is to compare what the spec
//! allows with what the generated types accept.
//!
//! What is generated: every `type` (3.1 type arrays and `null`, 3.0 `nullable`), `enum` and
//! `const`, required properties always and optional ones at random (never `writeOnly` ones in
//! values the server sends, nor `readOnly` ones in values a client sends), `additionalProperties` (extra members only where it is `true` or
//! a schema, or the object declares no properties), `allOf` (the members merged into one
//! schema, so a property constrained by two members satisfies both), `oneOf`/`anyOf` (one
//! member, merged with the schema's own keywords), discriminators (the tag set to the mapping
//! key of the chosen member, or its schema name; a schema that inherits a discriminator
//! through `allOf` gets its own name), formats (`date-time`, `date`, `time`, `uuid`, `email`,
//! `uri`, `byte`, `binary`, `int32`/`int64`/`decimal` strings, integer and number widths),
//! `minimum`/`maximum` (both 3.0 and 3.1 exclusive forms), `multipleOf` for integers,
//! `minItems`/`maxItems`, `uniqueItems`, `minLength`/`maxLength`.
//!
//! What is not: `pattern` (strings ignore it), `not`, `minProperties`/`maxProperties`,
//! `patternProperties`, `prefixItems`, and the exclusivity of `oneOf` (a value made from one
//! member may also match another; the union must then still keep it, which is what the check
//! tests). An integer without a format stays in the 64-bit signed range, the generator's
//! documented width.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Map, Value};

/// Deeper than this, a value is given up (a required cycle, or a very deep schema).
const MAX_DEPTH: usize = 24;
/// Below this depth optional properties are left out and arrays take their fewest items, so that
/// recursive schemas end.
const SHALLOW: usize = 6;
/// More JSON nodes than this in one value, and it is given up.
const MAX_NODES: usize = 4000;

/// Why no value was made.
#[derive(Debug)]
pub enum Skip {
    /// The schema's constraints leave nothing (`false`, an empty `enum`, min above max).
    Impossible(String),
    /// The value would be deeper or larger than the limits above.
    TooLarge,
}

/// Where a value is sent, when that limits its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Any,
    /// An HTTP header field: visible ASCII, spaces inside only.
    Header,
    /// A cookie: text with the characters a cookie cannot hold as written too (space, `"`, `,`,
    /// `;`, `\\`, `%`, non-ASCII), which the client percent-encodes.
    Cookie,
}

pub struct Values<'d> {
    /// Where the value goes (strings without a format use the characters it can carry).
    pub field: Field,
    doc: &'d Value,
    /// 3.1 applies the keywords beside a `$ref`; 3.0 ignores them.
    siblings_apply: bool,
    rng: Xoshiro256PlusPlus,
    nodes: usize,
    /// Values the server sends (`writeOnly` properties left out), else values a client sends
    /// (`readOnly` ones left out).
    received: bool,
}

impl<'d> Values<'d> {
    pub fn new(doc: &'d Value, seed: u64, received: bool) -> Self {
        let siblings_apply = doc.get("openapi").and_then(Value::as_str).is_some_and(|v| !v.starts_with("3.0"));
        Values {
            field: Field::Any,
            doc,
            siblings_apply,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            nodes: 0,
            received,
        }
    }

    /// One value of the schema at `pointer` (a JSON pointer into the document).
    pub fn value_at(&mut self, pointer: &str) -> Result<Value, Skip> {
        let schema = self.doc.pointer(pointer).ok_or_else(|| Skip::Impossible(format!("no schema at {pointer}")))?;
        // A component schema is its own context for an inherited discriminator.
        let ctx = pointer.strip_prefix("/components/schemas/").filter(|n| !n.contains('/')).map(unescape);
        self.nodes = 0;
        self.value(schema, 0, ctx.as_deref())
    }

    /// The text of a value of the schema at `pointer`, for a text or binary body or a file
    /// part: a string as it is, another value as its JSON text (and any text when there is no
    /// schema); with `list` (an array of files), each item's text.
    pub fn text_at(&mut self, pointer: &str, list: bool) -> Result<Value, Skip> {
        let value = match self.doc.pointer(pointer) {
            Some(_) => self.value_at(pointer)?,
            None => {
                self.nodes = 0;
                self.text(&Map::new())?
            }
        };
        let text = |v: Value| match v {
            Value::String(_) => v,
            other => Value::String(other.to_string()),
        };
        Ok(match value {
            Value::Array(items) if list => Value::Array(items.into_iter().map(text).collect()),
            other => text(other),
        })
    }

    fn resolve(&self, reference: &str) -> Result<&'d Value, Skip> {
        self.doc
            .pointer(&sdkgen::spec::pointer::percent_decode(reference.strip_prefix('#').unwrap_or(reference)))
            .ok_or_else(|| Skip::Impossible(format!("unresolved $ref {reference}")))
    }

    fn value(&mut self, schema: &Value, depth: usize, ctx: Option<&str>) -> Result<Value, Skip> {
        if depth > MAX_DEPTH || self.nodes > MAX_NODES {
            return Err(Skip::TooLarge);
        }
        self.nodes += 1;
        let mut fixes = Vec::new();
        let flat = self.flatten(schema, ctx, depth, &mut fixes)?;
        let mut value = self.plain(&flat, depth)?;
        if let Value::Object(object) = &mut value {
            for (property, tag) in fixes {
                // A member whose own tag property is a constant other than the tag (OpenAI's
                // `type: {enum: [message]}` without a mapping) allows only its constant.
                if self.allows(&flat, &property, &tag, depth)? {
                    object.insert(property, Value::String(tag));
                }
            }
        }
        Ok(value)
    }

    /// The schema without `$ref`, `allOf`, `oneOf` and `anyOf`: references followed, `allOf`
    /// members merged, one `oneOf`/`anyOf` member chosen and merged. `fixes` collects the
    /// discriminator tags to set on the object made from it.
    fn flatten(
        &mut self,
        schema: &Value,
        ctx: Option<&str>,
        depth: usize,
        fixes: &mut Vec<(String, String)>,
    ) -> Result<Map<String, Value>, Skip> {
        if depth > MAX_DEPTH {
            return Err(Skip::TooLarge);
        }
        let object = match schema {
            Value::Bool(true) => return Ok(Map::new()),
            Value::Bool(false) => return Err(Skip::Impossible("schema `false`".into())),
            Value::Object(o) => o,
            _ => return Ok(Map::new()),
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(reference)?;
            let name = component_name(reference);
            let mut flat = self.flatten(target, name.as_deref().or(ctx), depth + 1, fixes)?;
            if self.siblings_apply {
                let mut rest = object.clone();
                rest.remove("$ref");
                let rest = self.flatten(&Value::Object(rest), ctx, depth + 1, fixes)?;
                flat = merge(flat, rest);
            }
            return Ok(flat);
        }
        let mut base = object.clone();
        let all_of = base.remove("allOf");
        let one_of = base.remove("oneOf");
        let any_of = base.remove("anyOf");
        for member in all_of.as_ref().and_then(Value::as_array).into_iter().flatten() {
            let flat = self.flatten_member(member, ctx, depth, fixes)?;
            base = merge(base, flat);
        }
        let choices = one_of.as_ref().or(any_of.as_ref()).and_then(Value::as_array).filter(|c| !c.is_empty());
        let discriminator = base.get("discriminator").cloned();
        if let Some(choices) = choices {
            // A member no value satisfies beside the schema's own keywords (GitHub's campaign
            // body: `oneOf: [{required: [a]}, {required: [b]}]` where `b` is not a declared
            // property and `additionalProperties` is `false`) is never chosen: a value must
            // satisfy every constraint. The members are tried in a random order.
            let mut order: Vec<usize> = (0..choices.len()).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, self.rng.random_range(0..=i));
            }
            let mut found = None;
            for i in order {
                let chosen = &choices[i];
                let name = chosen.get("$ref").and_then(Value::as_str).and_then(component_name);
                let mut member_fixes = Vec::new();
                let flat = match self.flatten(chosen, name.as_deref().or(ctx), depth + 1, &mut member_fixes) {
                    Ok(flat) => flat,
                    Err(Skip::Impossible(_)) => continue,
                    Err(e) => return Err(e),
                };
                let merged = merge(base.clone(), flat);
                if undeclared_required(&merged).is_none() {
                    found = Some((chosen, merged, member_fixes));
                    break;
                }
            }
            let Some((chosen, merged, member_fixes)) = found else {
                return Err(Skip::Impossible("no oneOf/anyOf member is satisfiable beside the schema".into()));
            };
            base = merged;
            fixes.extend(member_fixes);
            if let Some(d) = &discriminator {
                if let (Some(property), Some(reference)) =
                    (d.get("propertyName").and_then(Value::as_str), chosen.get("$ref").and_then(Value::as_str))
                {
                    fixes.push((property.to_string(), tag_of(d, reference)));
                }
            }
        } else if let (Some(d), Some(ctx)) = (&discriminator, ctx) {
            // A discriminator without members (inherited through `allOf`, or the base schema
            // itself): the tag names the schema being made.
            if let Some(property) = d.get("propertyName").and_then(Value::as_str) {
                fixes.push((property.to_string(), tag_of(d, &format!("#/components/schemas/{ctx}"))));
            }
        }
        base.remove("discriminator");
        Ok(base)
    }

    /// Whether the property `name` of a flattened object schema admits the string `tag`: its
    /// `const` or `enum`, when it has one, holds it.
    fn allows(&mut self, flat: &Map<String, Value>, name: &str, tag: &str, depth: usize) -> Result<bool, Skip> {
        let Some(schema) = flat.get("properties").and_then(|p| p.get(name)) else { return Ok(true) };
        let property = self.flatten(schema, None, depth + 1, &mut Vec::new())?;
        let tag = Value::String(tag.to_string());
        Ok(match (property.get("const"), property.get("enum").and_then(Value::as_array)) {
            (Some(c), _) => *c == tag,
            (None, Some(values)) => values.contains(&tag),
            (None, None) => true,
        })
    }

    /// An `allOf` member: like [`Values::flatten`], except that a parent whose `oneOf` lists the
    /// schema being made (`Cat: allOf: [Pet]`, `Pet: oneOf: [Cat, Dog]`) is merged without its
    /// `oneOf`, which would lead back here.
    fn flatten_member(
        &mut self,
        member: &Value,
        ctx: Option<&str>,
        depth: usize,
        fixes: &mut Vec<(String, String)>,
    ) -> Result<Map<String, Value>, Skip> {
        let target = match member.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.resolve(reference)?,
            None => member,
        };
        let lists_ctx = |key: &str| {
            target.get(key).and_then(Value::as_array).is_some_and(|choices| {
                choices.iter().any(|c| {
                    c.get("$ref").and_then(Value::as_str).and_then(component_name).as_deref() == ctx && ctx.is_some()
                })
            })
        };
        if lists_ctx("oneOf") || lists_ctx("anyOf") {
            let mut parent = target.as_object().cloned().unwrap_or_default();
            parent.remove("oneOf");
            parent.remove("anyOf");
            return self.flatten(&Value::Object(parent), ctx, depth + 1, fixes);
        }
        self.flatten(member, ctx, depth + 1, fixes)
    }

    /// A value of a flattened schema.
    fn plain(&mut self, s: &Map<String, Value>, depth: usize) -> Result<Value, Skip> {
        if let Some(c) = s.get("const") {
            return Ok(c.clone());
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if s.get("type").and_then(Value::as_array).is_some_and(Vec::is_empty) {
            // `allOf` members of different types (`merge` keeps the common ones).
            return Err(Skip::Impossible("allOf members of types nothing satisfies".into()));
        }
        let nullable = s.get("nullable") == Some(&Value::Bool(true)) || types.contains(&"null");
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            if values.is_empty() {
                return Err(Skip::Impossible("an empty enum".into()));
            }
            return Ok(values[self.rng.random_range(0..values.len())].clone());
        }
        let non_null: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
        if (nullable && self.rng.random_bool(0.2)) || (non_null.is_empty() && !types.is_empty()) {
            return Ok(Value::Null);
        }
        let ty = if non_null.is_empty() {
            if s.contains_key("properties") || s.contains_key("additionalProperties") || s.contains_key("required") {
                "object"
            } else if s.contains_key("items") {
                "array"
            } else {
                return Ok(self.any(depth));
            }
        } else {
            non_null[self.rng.random_range(0..non_null.len())]
        };
        match ty {
            "object" => self.object(s, depth),
            "array" => self.array(s, depth),
            "string" => self.string(s),
            "integer" => self.integer(s),
            "number" => self.number(s),
            "boolean" => Ok(Value::Bool(self.rng.random_bool(0.5))),
            _ => Ok(self.any(depth)),
        }
    }

    fn object(&mut self, s: &Map<String, Value>, depth: usize) -> Result<Value, Skip> {
        if let Some(name) = undeclared_required(s) {
            return Err(Skip::Impossible(format!(
                "required `{name}` is not a property and additionalProperties is false"
            )));
        }
        let required: Vec<&str> =
            s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut out = Map::new();
        let properties = s.get("properties").and_then(Value::as_object);
        for (name, schema) in properties.into_iter().flatten() {
            // A property only the other side sends is absent, even when required (OpenAPI:
            // `required` then applies to that side only).
            let hidden = if self.received { "writeOnly" } else { "readOnly" };
            let one_way = schema.get(hidden) == Some(&Value::Bool(true))
                || schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| self.resolve(r).ok())
                    .is_some_and(|t| t.get(hidden) == Some(&Value::Bool(true)));
            let include = if one_way {
                false
            } else if required.contains(&name.as_str()) {
                true
            } else {
                depth < SHALLOW && self.rng.random_bool(0.5)
            };
            if include {
                let value = self.value(schema, depth + 1, None)?;
                out.insert(name.clone(), value);
            }
        }
        // Required properties the object does not declare: any value.
        for name in &required {
            if !out.contains_key(*name) && !properties.is_some_and(|p| p.contains_key(*name)) {
                let value = self.any(depth + 1);
                out.insert((*name).to_string(), value);
            }
        }
        let extra = match s.get("additionalProperties") {
            Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(Value::Bool(true)),
            Some(schema @ Value::Object(_)) => Some(schema.clone()),
            _ if properties.is_none_or(Map::is_empty) => Some(Value::Bool(true)),
            _ => None,
        };
        if let Some(schema) = extra {
            let count = if depth < SHALLOW { self.rng.random_range(0..3) } else { 0 };
            for _ in 0..count {
                let name = format!("extra_{}", self.rng.random_range(0..1000u32));
                if properties.is_some_and(|p| p.contains_key(&name)) || out.contains_key(&name) {
                    continue;
                }
                let value = self.value(&schema, depth + 1, None)?;
                out.insert(name, value);
            }
        }
        self.nodes += out.len();
        Ok(Value::Object(out))
    }

    fn array(&mut self, s: &Map<String, Value>, depth: usize) -> Result<Value, Skip> {
        let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s.get("maxItems").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
        if min > max {
            return Err(Skip::Impossible("minItems above maxItems".into()));
        }
        let spread = if depth < SHALLOW { 3 } else { 0 };
        let count = self.rng.random_range(min..=max.min(min + spread));
        let items = s.get("items").cloned().unwrap_or(Value::Bool(true));
        let unique = s.get("uniqueItems") == Some(&Value::Bool(true));
        let mut out: Vec<Value> = Vec::with_capacity(count);
        let mut tries = 0;
        while out.len() < count {
            let value = self.value(&items, depth + 1, None)?;
            if unique && out.contains(&value) {
                tries += 1;
                if tries > 8 {
                    if out.len() >= min {
                        break;
                    }
                    return Err(Skip::Impossible("uniqueItems with too few distinct values".into()));
                }
                continue;
            }
            out.push(value);
        }
        Ok(Value::Array(out))
    }

    fn string(&mut self, s: &Map<String, Value>) -> Result<Value, Skip> {
        let text = match s.get("format").and_then(Value::as_str).unwrap_or("") {
            "date-time" => self.date_time(),
            "date" => self.date(),
            "time" => format!(
                "{:02}:{:02}:{:02}",
                self.rng.random_range(0..24),
                self.rng.random_range(0..60),
                self.rng.random_range(0..60)
            ),
            "uuid" => {
                let b: u128 = self.rng.random();
                let h = format!("{b:032x}");
                format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
            }
            "email" => format!("user{}@example.com", self.rng.random_range(0..1000)),
            "uri" | "url" | "uri-reference" => format!("https://example.com/{}", self.rng.random_range(0..1000)),
            "hostname" => "example.com".to_string(),
            "ipv4" => format!("10.0.{}.{}", self.rng.random_range(0..256), self.rng.random_range(0..256)),
            "byte" => ["", "AA==", "aGVsbG8=", "3q2+7w=="][self.rng.random_range(0..4)].to_string(),
            "int32" | "int64" | "integer" => self.rng.random_range(-1_000_000i64..1_000_000).to_string(),
            "decimal" | "double" | "float" | "number" => {
                format!("{}.{:02}", self.rng.random_range(-10_000i64..10_000), self.rng.random_range(0..100))
            }
            _ => return self.text(s),
        };
        Ok(Value::String(text))
    }

    /// A string of the length the schema asks, from a set of ordinary and awkward characters.
    fn text(&mut self, s: &Map<String, Value>) -> Result<Value, Skip> {
        const CHARS: &[char] = &[
            'a', 'b', 'z', 'A', 'Z', '0', '9', ' ', '_', '-', '.', '"', '\\', '/', '\n', '\t', 'é', '漢', '🦀', '\u{0}',
        ];
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
        if min > max {
            return Err(Skip::Impossible("minLength above maxLength".into()));
        }
        const HEADER: &[char] =
            &['a', 'b', 'z', 'A', 'Z', '0', '9', ' ', '_', '-', '.', '"', '\\', '/', ',', ';', '=', '%'];
        const COOKIE: &[char] =
            &['a', 'b', 'z', 'A', 'Z', '0', '9', '_', '-', '.', '/', '=', '%', ':', '+', ' ', ';', ',', '"', '\\', 'é'];
        let chars = match self.field {
            Field::Any => CHARS,
            Field::Header => HEADER,
            Field::Cookie => COOKIE,
        };
        let len = self.rng.random_range(min..=max.min(min + 12));
        let mut text: String = (0..len).map(|_| chars[self.rng.random_range(0..chars.len())]).collect();
        if self.field == Field::Header && text.trim() != text {
            // A field value's leading and trailing spaces are not part of it (RFC 9110).
            let trimmed = text.trim();
            text = format!("{trimmed}{}", "x".repeat(len - trimmed.chars().count()));
        }
        Ok(Value::String(text))
    }

    fn date(&mut self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.rng.random_range(1900..2200),
            self.rng.random_range(1..13),
            self.rng.random_range(1..29)
        )
    }

    /// RFC 3339, with or without fractional seconds, in UTC (`Z`) or at an offset.
    fn date_time(&mut self) -> String {
        let date = self.date();
        let time = format!(
            "{:02}:{:02}:{:02}",
            self.rng.random_range(0..24),
            self.rng.random_range(0..60),
            self.rng.random_range(0..60)
        );
        let fraction = match self.rng.random_range(0..3) {
            0 => String::new(),
            1 => format!(".{:03}", self.rng.random_range(0..1000)),
            _ => format!(".{:09}", self.rng.random_range(0..1_000_000_000)),
        };
        let offset = match self.rng.random_range(0..3) {
            0 => "Z".to_string(),
            1 => "+00:00".to_string(),
            _ => format!(
                "{}{:02}:{:02}",
                if self.rng.random_bool(0.5) { '+' } else { '-' },
                self.rng.random_range(0..14),
                [0, 30, 45][self.rng.random_range(0..3)]
            ),
        };
        format!("{date}T{time}{fraction}{offset}")
    }

    fn integer(&mut self, s: &Map<String, Value>) -> Result<Value, Skip> {
        let (lo, hi): (i128, i128) = match s.get("format").and_then(Value::as_str).unwrap_or("") {
            "int8" => (i8::MIN.into(), i8::MAX.into()),
            "int16" => (i16::MIN.into(), i16::MAX.into()),
            "int32" => (i32::MIN.into(), i32::MAX.into()),
            "uint8" => (0, u8::MAX.into()),
            "uint16" => (0, u16::MAX.into()),
            "uint32" => (0, u32::MAX.into()),
            "uint64" | "uint" => (0, u64::MAX.into()),
            _ => (i64::MIN.into(), i64::MAX.into()),
        };
        let (min, max) = bounds(s);
        let lo = min.map_or(lo, |m| lo.max(m.ceil() as i128));
        let hi = max.map_or(hi, |m| hi.min(m.floor() as i128));
        // `exclusiveMinimum: true` (3.0) next to `minimum`, or a number (3.1).
        let lo = if exclusive(s, "exclusiveMinimum", "minimum") == Some(lo as f64) { lo + 1 } else { lo };
        let hi = if exclusive(s, "exclusiveMaximum", "maximum") == Some(hi as f64) { hi - 1 } else { hi };
        if lo > hi {
            return Err(Skip::Impossible("no integer between minimum and maximum".into()));
        }
        let step = s.get("multipleOf").and_then(Value::as_u64).filter(|m| *m > 1).map(i128::from);
        let n = match self.rng.random_range(0..10) {
            0 => lo,
            1 => hi,
            2..=5 => self.rng.random_range(lo..=hi),
            _ => self.rng.random_range(lo.max(-100)..=hi.min(100).max(lo.max(-100))),
        };
        let n = match step {
            Some(step) => {
                let k = n.div_euclid(step) * step;
                if k >= lo {
                    k
                } else {
                    k + step
                }
            }
            None => n,
        };
        if n > hi {
            return Err(Skip::Impossible("no multiple between minimum and maximum".into()));
        }
        Ok(match (i64::try_from(n), u64::try_from(n)) {
            (Ok(v), _) => json!(v),
            (_, Ok(v)) => json!(v),
            _ => json!(n as f64),
        })
    }

    fn number(&mut self, s: &Map<String, Value>) -> Result<Value, Skip> {
        let (min, max) = bounds(s);
        let (lo, hi) = (min.unwrap_or(-1e9), max.unwrap_or(1e9));
        if lo > hi {
            return Err(Skip::Impossible("minimum above maximum".into()));
        }
        let ex_lo = exclusive(s, "exclusiveMinimum", "minimum").is_some();
        let ex_hi = exclusive(s, "exclusiveMaximum", "maximum").is_some();
        for _ in 0..16 {
            let x: f64 = match self.rng.random_range(0..5) {
                // Integers, written without a fraction.
                0 => {
                    self.rng.random_range(lo.max(-1000.0).ceil() as i64..=hi.min(1000.0).max(lo).floor() as i64) as f64
                }
                // Few decimal digits.
                1 => (self.rng.random_range(lo..=hi) * 100.0).round() / 100.0,
                // Full precision: the shortest text of a random double in range.
                2 => self.rng.random_range(lo..=hi),
                3 => min.unwrap_or(0.0),
                _ => max.unwrap_or(0.5),
            };
            let inside = x >= lo && x <= hi && !(ex_lo && Some(x) == min) && !(ex_hi && Some(x) == max);
            if inside && x.is_finite() {
                return Ok(if x.fract() == 0.0 && x.abs() < 1e15 { json!(x as i64) } else { json!(x) });
            }
        }
        Err(Skip::Impossible("no number found between minimum and maximum".into()))
    }

    /// Any JSON value (a schema without a type).
    fn any(&mut self, depth: usize) -> Value {
        self.nodes += 1;
        match self.rng.random_range(0..if depth < SHALLOW { 7 } else { 5 }) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.random_bool(0.5)),
            2 => json!(self.rng.random_range(-1000..1000)),
            3 => json!(self.rng.random_range(-1000.0..1000.0)),
            4 => Value::String(["", "x", "any text", "é🦀"][self.rng.random_range(0..4)].to_string()),
            5 => Value::Array((0..self.rng.random_range(0..3)).map(|_| self.any(depth + 1)).collect()),
            _ => Value::Object(
                (0..self.rng.random_range(0..3)).map(|i| (format!("key{i}"), self.any(depth + 1))).collect(),
            ),
        }
    }
}

/// `minimum` and `maximum`, and 3.1's numeric `exclusiveMinimum`/`exclusiveMaximum`.
fn bounds(s: &Map<String, Value>) -> (Option<f64>, Option<f64>) {
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    let min = match (num("minimum"), num("exclusiveMinimum")) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let max = match (num("maximum"), num("exclusiveMaximum")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (min, max)
}

/// The bound that is exclusive, if `key` makes one: 3.0's `true` next to `bound`, or 3.1's number.
fn exclusive(s: &Map<String, Value>, key: &str, bound: &str) -> Option<f64> {
    match s.get(key)? {
        Value::Bool(true) => s.get(bound).and_then(Value::as_f64),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// A property an object schema requires but neither declares nor allows as an additional one
/// (`additionalProperties: false`): no value satisfies the schema.
fn undeclared_required(s: &Map<String, Value>) -> Option<&str> {
    if s.get("additionalProperties") != Some(&Value::Bool(false)) {
        return None;
    }
    let properties = s.get("properties").and_then(Value::as_object);
    s.get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|name| !properties.is_some_and(|p| p.contains_key(*name)))
}

/// The tag of a discriminated member: its key in the `mapping`, else its schema name.
fn tag_of(discriminator: &Value, reference: &str) -> String {
    let name = component_name(reference).unwrap_or_default();
    let mapping = discriminator.get("mapping").and_then(Value::as_object);
    mapping
        .and_then(|m| {
            m.iter().find_map(|(k, v)| {
                let v = v.as_str()?;
                (v == reference || v == name || component_name(v).as_deref() == Some(name.as_str())).then(|| k.clone())
            })
        })
        .unwrap_or(name)
}

/// `User` for `#/components/schemas/User`.
fn component_name(reference: &str) -> Option<String> {
    reference.strip_prefix("#/components/schemas/").filter(|n| !n.contains('/')).map(unescape)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Two flattened schemas as one (their `allOf`): properties of both (one constrained by both
/// becomes an `allOf` of the two), `required` of both, the narrower bounds, the common `enum`
/// values and types, `nullable` only when both are, `additionalProperties: false` when either
/// says so; other keywords from the first that has them.
fn merge(mut a: Map<String, Value>, b: Map<String, Value>) -> Map<String, Value> {
    if a.is_empty() {
        return b;
    }
    let b_nullable = b.get("nullable") == Some(&Value::Bool(true));
    for (key, vb) in b {
        let Some(va) = a.remove(&key) else {
            if key != "nullable" {
                a.insert(key, vb);
            }
            continue;
        };
        let merged = match key.as_str() {
            "properties" => {
                let (mut pa, pb) =
                    (va.as_object().cloned().unwrap_or_default(), vb.as_object().cloned().unwrap_or_default());
                for (name, sb) in pb {
                    let both = match pa.remove(&name) {
                        Some(sa) => json!({"allOf": [sa, sb]}),
                        None => sb,
                    };
                    pa.insert(name, both);
                }
                Value::Object(pa)
            }
            "required" => {
                let mut all: Vec<Value> = va.as_array().cloned().unwrap_or_default();
                for r in vb.as_array().into_iter().flatten() {
                    if !all.contains(r) {
                        all.push(r.clone());
                    }
                }
                Value::Array(all)
            }
            "enum" => {
                let other = vb.as_array().cloned().unwrap_or_default();
                Value::Array(va.as_array().into_iter().flatten().filter(|v| other.contains(v)).cloned().collect())
            }
            "type" => {
                let list = |v: &Value| -> Vec<String> {
                    match v {
                        Value::String(s) => vec![s.clone()],
                        Value::Array(a) => a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect(),
                        _ => Vec::new(),
                    }
                };
                let (ta, tb) = (list(&va), list(&vb));
                // An integer is a number.
                let common: Vec<String> = ta
                    .iter()
                    .filter_map(|t| {
                        if tb.contains(t) {
                            Some(t.clone())
                        } else if (t == "number" && tb.iter().any(|u| u == "integer"))
                            || (t == "integer" && tb.iter().any(|u| u == "number"))
                        {
                            Some("integer".to_string())
                        } else {
                            None
                        }
                    })
                    .collect();
                json!(common)
            }
            "nullable" => Value::Bool(va == Value::Bool(true) && vb == Value::Bool(true)),
            "items" => json!({"allOf": [va, vb]}),
            "additionalProperties" => match (&va, &vb) {
                (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
                (Value::Object(_), Value::Object(_)) => json!({"allOf": [va, vb]}),
                (Value::Object(_), _) => va,
                _ => vb,
            },
            "minimum" | "minLength" | "minItems" | "exclusiveMinimum" if va.is_number() && vb.is_number() => {
                if va.as_f64() >= vb.as_f64() {
                    va
                } else {
                    vb
                }
            }
            "maximum" | "maxLength" | "maxItems" | "exclusiveMaximum" if va.is_number() && vb.is_number() => {
                if va.as_f64() <= vb.as_f64() {
                    va
                } else {
                    vb
                }
            }
            _ => va,
        };
        a.insert(key, merged);
    }
    // `nullable` on one side only: the other side does not allow `null`.
    if !b_nullable {
        a.remove("nullable");
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` values of `#/components/schemas/S` in a 3.1 document with these schemas.
    fn values(schemas: Value, received: bool, count: usize) -> Vec<Result<Value, Skip>> {
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": schemas}});
        let mut v = Values::new(&doc, 7, received);
        (0..count).map(|_| v.value_at("/components/schemas/S")).collect()
    }

    fn ok(results: Vec<Result<Value, Skip>>) -> Vec<Value> {
        results.into_iter().map(|r| r.expect("a value")).collect()
    }

    #[test]
    fn a_seed_gives_the_same_values() {
        let schemas =
            json!({"S": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "number"}}}});
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": schemas}});
        let draw = |seed| {
            let mut v = Values::new(&doc, seed, true);
            (0..20).map(|_| v.value_at("/components/schemas/S").unwrap()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn type_arrays_and_bounds_are_kept() {
        let schemas = json!({"S": {"type": ["integer", "null"], "minimum": 3, "exclusiveMaximum": 9}});
        let all = ok(values(schemas, true, 300));
        assert!(all.iter().any(Value::is_null));
        let ints: Vec<i64> = all.iter().filter_map(Value::as_i64).collect();
        assert!(ints.iter().all(|n| (3..9).contains(n)), "{ints:?}");
        assert!(ints.contains(&3) && ints.contains(&8), "{ints:?}");
    }

    #[test]
    fn all_of_merges_members_and_refuses_what_nothing_satisfies() {
        let schemas = json!({
            "S": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"required": ["name"], "properties": {"name": {"type": "string", "maxLength": 2}}}]},
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "format": "int32"}, "name": {"minLength": 1}}},
        });
        for v in ok(values(schemas, true, 100)) {
            assert!(v["id"].is_i64(), "{v}");
            let name = v["name"].as_str().expect("required by the second member");
            assert!((1..=2).contains(&name.chars().count()), "{v}");
        }
        let impossible = json!({"S": {"allOf": [{"type": "string"}, {"type": "integer"}]}});
        assert!(values(impossible, true, 5).iter().all(|r| matches!(r, Err(Skip::Impossible(_)))));
    }

    #[test]
    fn discriminated_members_carry_their_tag() {
        let schemas = json!({
            "S": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Fish"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
            },
            "Cat": {"type": "object", "properties": {"meow": {"type": "boolean"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
            // Its own constant wins over the schema name (the name would not be valid here).
            "Fish": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "fish"}}},
        });
        let tags: BTreeSetOf =
            ok(values(schemas, true, 100)).iter().map(|v| v["kind"].as_str().unwrap().to_string()).collect();
        assert_eq!(tags.into_iter().collect::<Vec<_>>(), ["Dog", "cat", "fish"]);
    }

    type BTreeSetOf = std::collections::BTreeSet<String>;

    /// GitHub's campaign body: the second member requires a property the closed object does
    /// not declare, so only the first member's values exist.
    #[test]
    fn unsatisfiable_members_are_not_chosen() {
        let schemas = json!({"S": {
            "type": "object",
            "additionalProperties": false,
            "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}},
            "oneOf": [{"required": ["a"]}, {"required": ["secret"]}],
        }});
        for v in ok(values(schemas, false, 50)) {
            assert!(v.get("a").is_some() && v.get("secret").is_none(), "{v}");
        }
        let none = json!({"S": {
            "type": "object",
            "additionalProperties": false,
            "oneOf": [{"required": ["x"]}, {"required": ["y"]}],
        }});
        assert!(values(none, true, 5).iter().all(|r| matches!(r, Err(Skip::Impossible(_)))));
    }

    #[test]
    fn one_way_properties_follow_the_direction() {
        let schemas = json!({"S": {
            "type": "object",
            "required": ["id", "secret"],
            "properties": {"id": {"type": "string", "readOnly": true}, "secret": {"type": "string", "writeOnly": true}},
        }});
        for v in ok(values(schemas.clone(), true, 20)) {
            assert!(v.get("id").is_some() && v.get("secret").is_none(), "{v}");
        }
        for v in ok(values(schemas, false, 20)) {
            assert!(v.get("id").is_none() && v.get("secret").is_some(), "{v}");
        }
    }
}
