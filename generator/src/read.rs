//! Between validation and lowering: the validated document -> normalized (see
//! [`crate::normalize`]) and read into the `openapiv3` model that lowering converts.
//!
//! Both run in jobs shared by one worker per core. Component schemas, the bulk of large specs,
//! are read by [`schema_or_ref`] instead of through `openapiv3`'s `Deserialize` impls, which
//! copy every schema's JSON once per level of nesting (serde buffers untagged and flattened
//! data); the values are the same.

use crate::diagnostics::{self, Diagnostics};
use crate::{normalize, PhaseTimes};
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringType, Type,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::time::Instant;

/// How many component schemas (or path items) one normalize or parse job takes: small enough
/// that the workers finish at about the same time, large enough that taking a job costs
/// nothing in comparison.
const ENTRIES_PER_JOB: usize = 4;

/// Normalizes the validated document in place and reads it into the `openapiv3` model, in jobs
/// shared by one worker per core (a schema or a path item normalizes and reads by itself as it
/// does within the document):
///
/// 1. normalizing: the document without its component schemas is one job, each run of
///    [`ENTRIES_PER_JOB`] schemas another. The warnings go to `diags` in the order normalizing
///    the whole document gives them.
/// 2. reading: the runs of schemas and of path items are jobs, and so is the rest of the
///    document (see [`parse_in_jobs`] for what else it is read without).
///
/// `None` when any part fails to read: the caller then reads the whole document in one pass,
/// which names the failure.
pub(crate) fn normalize_and_parse(doc: &mut Value, diags: &mut Diagnostics, times: &mut PhaseTimes) -> Option<openapiv3::OpenAPI> {
    let mut schemas = set_aside(doc, &["components", "schemas"], Value::Object(Map::new()));
    normalize_in_jobs(doc, schemas.as_mut(), diags, times);
    let paths = set_aside(doc, &["paths"], Value::Object(Map::new()));
    let examples = set_aside(doc, &["components", "examples"], Value::Object(Map::new()));
    let webhooks = set_aside(doc, &[normalize::EXT_WEBHOOKS], Value::Null);
    let parsed = parse_in_jobs(doc, schemas.as_ref(), paths.as_ref(), examples.as_ref());
    put_back(doc, &[normalize::EXT_WEBHOOKS], webhooks);
    put_back(doc, &["components", "examples"], examples);
    put_back(doc, &["paths"], paths);
    put_back(doc, &["components", "schemas"], schemas);
    parsed
}

/// Takes the value at `path` out of `doc`, leaving `empty` in its place, when it is a mapping
/// (any value when `empty` is `null`).
fn set_aside(doc: &mut Value, path: &[&str], empty: Value) -> Option<Value> {
    let slot = path.iter().try_fold(doc, |v, key| v.get_mut(key))?;
    (slot.is_object() || empty.is_null()).then(|| std::mem::replace(slot, empty))
}

/// Puts a value [`set_aside`] took back in its place.
fn put_back(doc: &mut Value, path: &[&str], value: Option<Value>) {
    if let (Some(slot), Some(value)) = (path.iter().try_fold(doc, |v, key| v.get_mut(key)), value) {
        *slot = value;
    }
}

/// Step 1 of [`normalize_and_parse`]: `doc` without its component schemas, and the schemas.
fn normalize_in_jobs(doc: &mut Value, schemas: Option<&mut Value>, diags: &mut Diagnostics, times: &mut PhaseTimes) {
    use std::sync::Mutex;
    enum Job<'j, 'd> {
        Rest(&'j mut Value),
        Schemas(&'j mut [(&'d String, &'d mut Value)]),
    }
    let mut entries: Vec<(&String, &mut Value)> =
        schemas.and_then(Value::as_object_mut).into_iter().flatten().collect();
    // Each job is taken once, by one worker; the lock only hands its part over.
    let jobs: Vec<Mutex<Job<'_, '_>>> =
        std::iter::once(Job::Rest(doc)).chain(entries.chunks_mut(ENTRIES_PER_JOB).map(Job::Schemas)).map(Mutex::new).collect();
    let done = crate::run_jobs(&jobs, |job| {
        let mut job = job.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let t = Instant::now();
        let mut found = Diagnostics::default();
        // Where among the rest's warnings the schemas' go.
        let mut schemas_at = None;
        match &mut *job {
            Job::Rest(doc) => schemas_at = Some(normalize::normalize_around_schemas(doc, &mut found)),
            Job::Schemas(run) => {
                for (name, schema) in run.iter_mut() {
                    normalize::walk_schema(schema, &diagnostics::join("/components/schemas", name), &mut found);
                }
            }
        }
        (t.elapsed(), found, schemas_at)
    });
    let mut after_schemas = Diagnostics::default();
    for (normalizing, mut found, schemas_at) in done {
        times.normalize += normalizing;
        if let Some(at) = schemas_at {
            after_schemas = found.split_off(at);
        }
        diags.extend(found);
    }
    diags.extend(after_schemas);
}

/// Step 2 of [`normalize_and_parse`]: `doc` without its component schemas, path items and
/// examples, and those, as [`normalize_and_parse`] set them aside.
///
/// Lowering reads two parts of the document from the JSON, not from the model: the component
/// examples (looked up by reference) and the webhooks (`x-webhooks`, an extension, which any
/// JSON value is). Together a fifth of GitHub's spec, each would be copied twice; the model
/// has no component examples and a `null` webhooks extension instead. Whether the examples
/// read is still decided as reading them decides it (see [`examples_read`]).
fn parse_in_jobs(
    doc: &Value,
    schemas: Option<&Value>,
    paths: Option<&Value>,
    examples: Option<&Value>,
) -> Option<openapiv3::OpenAPI> {
    use openapiv3::PathItem;
    type Entries<'d> = Vec<(&'d String, &'d Value)>;
    enum Job<'d> {
        Rest,
        Schemas(&'d [(&'d String, &'d Value)]),
        Paths(&'d [(&'d String, &'d Value)]),
    }
    enum Done {
        Rest(Option<Box<openapiv3::OpenAPI>>),
        Schemas(Option<Vec<(String, ReferenceOr<Schema>)>>),
        Paths(Option<Vec<(String, ReferenceOr<PathItem>)>>),
    }
    fn read<T: DeserializeOwned>(run: &[(&String, &Value)]) -> Option<Vec<(String, T)>> {
        run.iter().map(|(name, value)| Some(((*name).clone(), T::deserialize(*value).ok()?))).collect()
    }
    fn entries(v: Option<&Value>) -> Entries<'_> {
        v.and_then(Value::as_object).into_iter().flatten().collect()
    }
    let schema_entries = entries(schemas);
    // `Paths` reads the keys starting with `/` as path items and the `x-` keys as extensions;
    // other keys are ignored.
    let path_entries: Entries<'_> = entries(paths).into_iter().filter(|(key, _)| key.starts_with('/')).collect();
    let jobs: Vec<Job<'_>> = std::iter::once(Job::Rest)
        .chain(path_entries.chunks(ENTRIES_PER_JOB).map(Job::Paths))
        .chain(schema_entries.chunks(ENTRIES_PER_JOB).map(Job::Schemas))
        .collect();
    let done = crate::run_jobs(&jobs, |job| match job {
        Job::Rest => Done::Rest(
            <openapiv3::OpenAPI as serde::Deserialize>::deserialize(doc)
                .ok()
                .filter(|_| examples.is_none_or(examples_read))
                .map(Box::new),
        ),
        Job::Schemas(run) => Done::Schemas(run.iter().map(|(name, value)| Some(((*name).clone(), schema_or_ref(value).ok()?))).collect()),
        Job::Paths(run) => Done::Paths(read(run)),
    });
    let mut rest = None;
    let mut split_off = indexmap::IndexMap::with_capacity(schema_entries.len());
    let mut path_items = indexmap::IndexMap::with_capacity(path_entries.len());
    let mut complete = true;
    for part in done {
        match part {
            Done::Rest(parsed) => rest = parsed,
            Done::Schemas(Some(run)) => split_off.extend(run),
            Done::Paths(Some(run)) => path_items.extend(run),
            Done::Schemas(None) | Done::Paths(None) => complete = false,
        }
    }
    let mut parsed = *rest.filter(|_| complete)?;
    if let Some(paths) = paths.and_then(Value::as_object) {
        parsed.paths.paths = path_items;
        parsed.paths.extensions =
            paths.iter().filter(|(key, _)| key.starts_with("x-")).map(|(key, value)| (key.clone(), value.clone())).collect();
    }
    if schemas.is_some() {
        parsed.components.as_mut()?.schemas = split_off;
    }
    Some(parsed)
}

/// Whether `components.examples` (a mapping) reads into the `openapiv3` model. An entry reads
/// when it is a mapping with a string `$ref` (a reference), or a mapping whose `summary`,
/// `description` and `externalValue` are strings or `null` where present (an example: its
/// `value` is any JSON, other keys are ignored). Any other entry is read to find out.
fn examples_read(examples: &Value) -> bool {
    let plain = |entry: &Value| {
        let Some(entry) = entry.as_object() else { return false };
        let text = |key: &str| matches!(entry.get(key), None | Some(Value::Null | Value::String(_)));
        matches!(entry.get("$ref"), Some(Value::String(_))) || (text("summary") && text("description") && text("externalValue"))
    };
    let reads = |entry: &Value| by_serde::<ReferenceOr<openapiv3::Example>>(entry).is_ok();
    examples.as_object().is_some_and(|entries| entries.values().all(|entry| plain(entry) || reads(entry)))
}

/// A value that does not read into the model as serde would read it. The reader below leaves
/// anything unusual to serde, so this means serde reports an error there; which one is named
/// when the whole document is read again (see `run_pipeline`).
#[derive(Debug)]
pub(crate) struct Unread;

/// What serde reads from `value` as a `T`: what the reader below falls back on.
fn by_serde<T: DeserializeOwned>(value: &Value) -> Result<T, Unread> {
    T::deserialize(value).map_err(|_| Unread)
}

/// Reads a schema, or a reference to one, as `ReferenceOr<Schema>`'s `Deserialize` impl
/// (`openapiv3` 2.2, on serde's buffered data) reads it, in one pass over the mapping's keys.
/// Only a mapping is read here; where anything does not read (a field of the wrong kind, a
/// `$ref` that is not a string), the whole value is left to serde, which decides.
pub(crate) fn schema_or_ref(value: &Value) -> Result<ReferenceOr<Schema>, Unread> {
    let Value::Object(fields) = value else { return by_serde(value) };
    let mut data = SchemaData::default();
    let mut raw = Keywords::default();
    for (key, field) in fields {
        let read = match key.as_str() {
            // A reference is tried first: a mapping with a string `$ref` is one, whatever else
            // it holds.
            "$ref" => {
                return match field {
                    Value::String(reference) => Ok(ReferenceOr::Reference { reference: reference.clone() }),
                    _ => by_serde(value),
                }
            }
            // `SchemaData`.
            "nullable" => field.as_bool().map(|b| data.nullable = b),
            "readOnly" => field.as_bool().map(|b| data.read_only = b),
            "writeOnly" => field.as_bool().map(|b| data.write_only = b),
            "deprecated" => field.as_bool().map(|b| data.deprecated = b),
            "externalDocs" => by_serde(field).ok().map(|d| data.external_docs = d),
            "example" => {
                data.example = json(field);
                Some(())
            }
            "title" => text(field).map(|t| data.title = t),
            "description" => text(field).map(|t| data.description = t),
            "discriminator" => by_serde(field).ok().map(|d| data.discriminator = d),
            "default" => {
                data.default = json(field);
                Some(())
            }
            // The keywords `SchemaKind` is made of.
            "type" => text(field).map(|t| raw.typ = t),
            "pattern" => text(field).map(|t| raw.pattern = t),
            "multipleOf" => number(field).map(|n| raw.multiple_of = n),
            "exclusiveMinimum" => flag(field).map(|b| raw.exclusive_minimum = b),
            "exclusiveMaximum" => flag(field).map(|b| raw.exclusive_maximum = b),
            "minimum" => number(field).map(|n| raw.minimum = n),
            "maximum" => number(field).map(|n| raw.maximum = n),
            "properties" => properties(field).map(|p| raw.properties = p),
            "required" => texts(field).map(|t| raw.required = t),
            "additionalProperties" => additional(field).map(|a| raw.additional_properties = a),
            "minProperties" => count(field).map(|n| raw.min_properties = n),
            "maxProperties" => count(field).map(|n| raw.max_properties = n),
            "items" => boxed_schema(field).map(|s| raw.items = s),
            "minItems" => count(field).map(|n| raw.min_items = n),
            "maxItems" => count(field).map(|n| raw.max_items = n),
            "uniqueItems" => flag(field).map(|b| raw.unique_items = b),
            "enum" => values(field).map(|v| raw.enumeration = v),
            "format" => text(field).map(|t| raw.format = t),
            "minLength" => count(field).map(|n| raw.min_length = n),
            "maxLength" => count(field).map(|n| raw.max_length = n),
            "oneOf" => schemas(field).map(|s| raw.one_of = s),
            "allOf" => schemas(field).map(|s| raw.all_of = s),
            "anyOf" => schemas(field).map(|s| raw.any_of = s),
            "not" => boxed_schema(field).map(|s| raw.not = s.map(|s| Box::new(unbox(s)))),
            // `SchemaData`'s extensions; other keys are ignored.
            key if key.starts_with("x-") => {
                data.extensions.insert(key.to_string(), field.clone());
                Some(())
            }
            _ => Some(()),
        };
        if read.is_none() {
            return by_serde(value);
        }
    }
    Ok(ReferenceOr::Item(Schema { schema_data: data, schema_kind: raw.kind() }))
}

// What a present field reads as: `None` when it does not read. A `null` reads as an absent
// optional field (`Some(None)`).

fn json(field: &Value) -> Option<Value> {
    (!field.is_null()).then(|| field.clone())
}

fn text(field: &Value) -> Option<Option<String>> {
    match field {
        Value::Null => Some(None),
        Value::String(s) => Some(Some(s.clone())),
        _ => None,
    }
}

fn flag(field: &Value) -> Option<Option<bool>> {
    match field {
        Value::Null => Some(None),
        Value::Bool(b) => Some(Some(*b)),
        _ => None,
    }
}

fn number(field: &Value) -> Option<Option<serde_json::Number>> {
    match field {
        Value::Null => Some(None),
        Value::Number(n) => Some(Some(n.clone())),
        _ => None,
    }
}

/// A `usize`: a non-negative integer (serde reads no float as one).
fn count(field: &Value) -> Option<Option<usize>> {
    match field {
        Value::Null => Some(None),
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()).map(Some),
        _ => None,
    }
}

fn texts(field: &Value) -> Option<Option<Vec<String>>> {
    match field {
        Value::Null => Some(None),
        Value::Array(items) => items.iter().map(|item| item.as_str().map(str::to_string)).collect::<Option<_>>().map(Some),
        _ => None,
    }
}

fn values(field: &Value) -> Option<Option<Vec<Value>>> {
    match field {
        Value::Null => Some(None),
        Value::Array(items) => Some(Some(items.clone())),
        _ => None,
    }
}

fn boxed(schema: ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    }
}

fn unbox(schema: ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(*schema),
    }
}

fn boxed_schema(field: &Value) -> Option<Option<ReferenceOr<Box<Schema>>>> {
    match field {
        Value::Null => Some(None),
        _ => schema_or_ref(field).ok().map(|s| Some(boxed(s))),
    }
}

fn schemas(field: &Value) -> Option<Option<Vec<ReferenceOr<Schema>>>> {
    match field {
        Value::Null => Some(None),
        Value::Array(items) => items.iter().map(|item| schema_or_ref(item).ok()).collect::<Option<_>>().map(Some),
        _ => None,
    }
}

fn properties(field: &Value) -> Option<Option<indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>>> {
    match field {
        Value::Null => Some(None),
        Value::Object(entries) => {
            entries.iter().map(|(name, schema)| Some((name.clone(), boxed(schema_or_ref(schema).ok()?)))).collect::<Option<_>>().map(Some)
        }
        _ => None,
    }
}

/// `AdditionalProperties` is untagged: a boolean, else a schema.
fn additional(field: &Value) -> Option<Option<AdditionalProperties>> {
    match field {
        Value::Null => Some(None),
        Value::Bool(b) => Some(Some(AdditionalProperties::Any(*b))),
        _ => schema_or_ref(field).ok().map(|s| Some(AdditionalProperties::Schema(Box::new(s)))),
    }
}

/// The keywords `openapiv3` reads a schema's kind from (its private `RawAnySchema`).
#[derive(Default)]
struct Keywords {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<serde_json::Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<serde_json::Number>,
    maximum: Option<serde_json::Number>,
    properties: Option<indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

/// The values of an enum as `T`s (`null` as `None`); `None` when a value is not a `T`.
fn enum_values<T>(values: &Option<Vec<Value>>, as_t: impl Fn(&Value) -> Option<T>) -> Option<Vec<Option<T>>> {
    let Some(values) = values else { return Some(Vec::new()) };
    values.iter().map(|v| if v.is_null() { Some(None) } else { as_t(v).map(Some) }).collect()
}

impl Keywords {
    /// The kind `openapiv3` makes of these keywords (its `SchemaKind` `Deserialize` impl): a
    /// typed schema when the type's own keywords are all there is and the enum values (and, for
    /// integers, the bounds) have the type's kind; a lone `oneOf`, `allOf`, `anyOf` or `not`;
    /// otherwise a schema of any kind, with every keyword.
    fn kind(self) -> SchemaKind {
        let k = self;
        let numbers = k.multiple_of.is_none() && k.exclusive_minimum.is_none() && k.exclusive_maximum.is_none() && k.minimum.is_none() && k.maximum.is_none();
        let objects = k.properties.is_none() && k.required.is_none() && k.additional_properties.is_none() && k.min_properties.is_none() && k.max_properties.is_none();
        let arrays = k.items.is_none() && k.min_items.is_none() && k.max_items.is_none() && k.unique_items.is_none();
        let lengths = k.min_length.is_none() && k.max_length.is_none();
        let compositions = k.one_of.is_none() && k.all_of.is_none() && k.any_of.is_none() && k.not.is_none();
        let f64s = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        let integer = |n: &Option<serde_json::Number>| n.as_ref().is_none_or(serde_json::Number::is_i64);
        let i64s = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_i64);
        let typed = |t: Type| SchemaKind::Type(t);
        match k.typ.as_deref() {
            Some("string") if numbers && objects && arrays && compositions => {
                if let Some(enumeration) = enum_values(&k.enumeration, |v| v.as_str().map(str::to_string)) {
                    return typed(Type::String(StringType {
                        format: k.format.into(),
                        pattern: k.pattern,
                        enumeration,
                        min_length: k.min_length,
                        max_length: k.max_length,
                    }));
                }
            }
            Some("number") if k.pattern.is_none() && objects && arrays && lengths && compositions => {
                if let Some(enumeration) = enum_values(&k.enumeration, Value::as_f64) {
                    return typed(Type::Number(NumberType {
                        format: k.format.into(),
                        multiple_of: f64s(&k.multiple_of),
                        exclusive_minimum: k.exclusive_minimum.unwrap_or_default(),
                        exclusive_maximum: k.exclusive_maximum.unwrap_or_default(),
                        minimum: f64s(&k.minimum),
                        maximum: f64s(&k.maximum),
                        enumeration,
                    }));
                }
            }
            Some("integer")
                if k.pattern.is_none()
                    && objects
                    && arrays
                    && lengths
                    && compositions
                    && integer(&k.multiple_of)
                    && integer(&k.minimum)
                    && integer(&k.maximum) =>
            {
                if let Some(enumeration) = enum_values(&k.enumeration, Value::as_i64) {
                    return typed(Type::Integer(IntegerType {
                        format: k.format.into(),
                        multiple_of: i64s(&k.multiple_of),
                        exclusive_minimum: k.exclusive_minimum.unwrap_or_default(),
                        exclusive_maximum: k.exclusive_maximum.unwrap_or_default(),
                        minimum: i64s(&k.minimum),
                        maximum: i64s(&k.maximum),
                        enumeration,
                    }));
                }
            }
            Some("boolean") if k.pattern.is_none() && numbers && objects && arrays && k.format.is_none() && lengths && compositions => {
                if let Some(enumeration) = enum_values(&k.enumeration, Value::as_bool) {
                    return typed(Type::Boolean(BooleanType { enumeration }));
                }
            }
            Some("object")
                if k.pattern.is_none() && numbers && arrays && k.enumeration.is_none() && k.format.is_none() && lengths && compositions =>
            {
                return typed(Type::Object(ObjectType {
                    properties: k.properties.unwrap_or_default(),
                    required: k.required.unwrap_or_default(),
                    additional_properties: k.additional_properties,
                    min_properties: k.min_properties,
                    max_properties: k.max_properties,
                }));
            }
            Some("array")
                if k.pattern.is_none() && numbers && objects && k.enumeration.is_none() && k.format.is_none() && lengths && compositions =>
            {
                return typed(Type::Array(ArrayType {
                    items: k.items,
                    min_items: k.min_items,
                    max_items: k.max_items,
                    unique_items: k.unique_items.unwrap_or_default(),
                }));
            }
            None if k.pattern.is_none() && numbers && objects && arrays && k.enumeration.is_none() && k.format.is_none() && lengths => {
                match (&k.one_of, &k.all_of, &k.any_of, &k.not) {
                    (Some(_), None, None, None) => return SchemaKind::OneOf { one_of: k.one_of.unwrap_or_default() },
                    (None, Some(_), None, None) => return SchemaKind::AllOf { all_of: k.all_of.unwrap_or_default() },
                    (None, None, Some(_), None) => return SchemaKind::AnyOf { any_of: k.any_of.unwrap_or_default() },
                    (None, None, None, Some(_)) => {
                        if let Some(not) = k.not {
                            return SchemaKind::Not { not };
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        SchemaKind::Any(AnySchema {
            multiple_of: f64s(&k.multiple_of),
            minimum: f64s(&k.minimum),
            maximum: f64s(&k.maximum),
            typ: k.typ,
            pattern: k.pattern,
            exclusive_minimum: k.exclusive_minimum,
            exclusive_maximum: k.exclusive_maximum,
            properties: k.properties.unwrap_or_default(),
            required: k.required.unwrap_or_default(),
            additional_properties: k.additional_properties,
            min_properties: k.min_properties,
            max_properties: k.max_properties,
            items: k.items,
            min_items: k.min_items,
            max_items: k.max_items,
            unique_items: k.unique_items,
            enumeration: k.enumeration.unwrap_or_default(),
            format: k.format,
            min_length: k.min_length,
            max_length: k.max_length,
            one_of: k.one_of.unwrap_or_default(),
            all_of: k.all_of.unwrap_or_default(),
            any_of: k.any_of.unwrap_or_default(),
            not: k.not,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A 3.1 document with something to normalize, and to warn about, before, among and after
    /// the component schemas (more of them than one job reads).
    fn document() -> serde_json::Value {
        let mut schemas = serde_json::Map::new();
        let mut paths = serde_json::Map::new();
        paths.insert(
            "/a".into(),
            json!({"get": {"parameters": [{"name": "p", "in": "query", "schema": {"type": "object", "patternProperties": {}}}]}}),
        );
        // `Paths` keeps `x-` keys as extensions and ignores other keys that are not paths.
        paths.insert("x-paths".into(), json!({"any": ["json"]}));
        paths.insert("ignored".into(), json!(5));
        for i in 0..40 {
            schemas.insert(format!("S{i}"), json!({"type": ["string", "null"], "if": {"const": i}}));
            let media = json!({"application/json": {"schema": {"const": i, "else": {}}}});
            paths.insert(format!("/p{i}"), json!({"get": {"responses": {"200": {"description": "ok", "content": media}}}}));
        }
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "webhooks": {"hook": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$defs": {}}}}}}}},
            "components": {
                "examples": {"E": {"summary": "s", "value": {"big": [1, 2, 3]}}, "F": {"$ref": "#/components/examples/E"}},
                "schemas": schemas,
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"examples": [1], "then": {}}}},
                "responses": {"R": {"content": {"application/json": {"schema": {"else": {}}}}}}
            }
        })
    }

    #[test]
    fn normalizing_in_jobs_is_normalizing_the_whole_document() {
        let mut whole = document();
        let mut expected = Diagnostics::default();
        normalize::normalize(&mut whole, &mut expected);
        assert!(expected.len() > 80, "{expected}");
        assert!(expected.iter().any(|d| d.pointer.starts_with("/paths/~1p3")), "{expected}");

        let mut doc = document();
        let mut diags = Diagnostics::default();
        let parsed = normalize_and_parse(&mut doc, &mut diags, &mut PhaseTimes::default());
        assert_eq!(diags, expected);
        assert_eq!(doc, whole);
        // The model as reading the whole document gives it, but for the parts set aside.
        let mut read: openapiv3::OpenAPI = serde::Deserialize::deserialize(&whole).unwrap();
        assert_eq!(read.components.as_mut().map(|c| std::mem::take(&mut c.examples).len()), Some(2));
        assert!(read.extensions.get(normalize::EXT_WEBHOOKS).is_some_and(|w| w.is_object()));
        read.extensions.insert(normalize::EXT_WEBHOOKS.into(), serde_json::Value::Null);
        assert_eq!(parsed, Some(read));
    }

    /// Examples are read or not as the `openapiv3` model reads them.
    #[test]
    fn examples_read_as_the_model_reads_them() {
        let shapes = [
            json!({}),
            json!({"summary": "s", "description": null, "externalValue": "u", "value": [1], "x-a": 1, "other": {}}),
            json!({"$ref": "#/x"}),
            json!({"$ref": "#/x", "summary": 5}),
            json!({"$ref": 5}),
            json!({"$ref": 5, "summary": "s"}),
            json!({"summary": 5}),
            json!({"description": []}),
            json!({"externalValue": {}}),
            json!({"value": null}),
            json!(["#/x"]),
            json!(["#/x", 1]),
            json!("#/x"),
            json!(null),
            json!(5),
        ];
        for shape in shapes {
            let model = <openapiv3::ReferenceOr<openapiv3::Example> as serde::Deserialize>::deserialize(&shape).is_ok();
            assert_eq!(examples_read(&json!({"E": shape})), model, "{shape}");
        }
    }

    #[test]
    fn a_part_that_does_not_read_leaves_the_whole_document_normalized() {
        let schema = |doc: &mut serde_json::Value| doc["components"]["schemas"]["S30"]["properties"] = json!([]);
        let path = |doc: &mut serde_json::Value| doc["paths"]["/p30"]["get"]["parameters"] = json!({});
        let example = |doc: &mut serde_json::Value| doc["components"]["examples"]["F"] = json!({"summary": 5});
        for break_it in [schema, path, example] {
            let mut whole = document();
            break_it(&mut whole);
            let mut expected = Diagnostics::default();
            normalize::normalize(&mut whole, &mut expected);
            assert!(<openapiv3::OpenAPI as serde::Deserialize>::deserialize(&whole).is_err());

            let mut doc = document();
            break_it(&mut doc);
            let mut diags = Diagnostics::default();
            assert!(normalize_and_parse(&mut doc, &mut diags, &mut PhaseTimes::default()).is_none());
            assert_eq!(diags, expected);
            assert_eq!(doc, whole);
        }
    }

    /// What `openapiv3` reads from a value as a schema (or a reference to one).
    fn by_openapiv3(value: &Value) -> Option<ReferenceOr<Schema>> {
        <ReferenceOr<Schema> as serde::Deserialize>::deserialize(value).ok()
    }

    #[test]
    fn schemas_read_as_openapiv3_reads_them() {
        let cases = [
            json!({"$ref": "#/components/schemas/A", "title": 5}),
            json!({"title": 5, "$ref": "#/components/schemas/A"}),
            json!({"$ref": 5, "type": "string"}),
            json!(["#/components/schemas/A"]),
            json!("#/components/schemas/A"),
            json!(true),
            json!(null),
            json!({}),
            json!({"type": "string", "enum": ["a", null, "b"], "format": "date-time", "pattern": "^a", "minLength": 1}),
            json!({"type": "string", "enum": ["a", 1]}),
            json!({"type": "string", "minimum": 1}),
            json!({"type": "number", "enum": [1, 2.5, null], "multipleOf": 0.5, "exclusiveMinimum": true, "format": "float"}),
            json!({"type": "integer", "minimum": 1.5}),
            json!({"type": "integer", "enum": [1, 18446744073709551615u64]}),
            json!({"type": "integer", "format": "int32", "maximum": -3, "multipleOf": 2}),
            json!({"type": "boolean", "enum": [true, null]}),
            json!({"type": "boolean", "format": "x"}),
            json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/b"}}, "required": ["a"], "additionalProperties": false}),
            json!({"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 1}),
            json!({"type": "object", "additionalProperties": ["#/x"]}),
            json!({"type": "object", "additionalProperties": "x"}),
            json!({"type": "object", "required": ["a", 1]}),
            json!({"type": "object", "enum": [{}]}),
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": true}),
            json!({"type": "array", "items": null, "maxItems": -1}),
            json!({"type": "array", "minItems": 1.0}),
            json!({"type": "null"}),
            json!({"oneOf": [{"type": "string"}, {"$ref": "#/a"}]}),
            json!({"oneOf": [{"type": "string"}], "anyOf": [{}]}),
            json!({"allOf": [{}], "properties": {"a": {}}}),
            json!({"anyOf": [], "description": null}),
            json!({"not": {"type": "string"}}),
            json!({"not": {"type": "string"}, "type": "string"}),
            json!({"properties": {"a": {"nullable": true}}, "discriminator": {"propertyName": "a", "mapping": {"x": "#/a"}}}),
            json!({"discriminator": {"mapping": {}}}),
            json!({"nullable": null}),
            json!({"nullable": true, "readOnly": true, "writeOnly": false, "deprecated": true, "title": "t", "example": null, "default": [1]}),
            json!({"externalDocs": {"url": "u"}, "x-a": {"b": [1]}, "x-b": null, "other": 1}),
            json!({"externalDocs": {"description": "no url"}}),
            json!({"type": ["string"]}),
            json!({"type": "string", "items": {"title": 5}}),
            json!({"properties": {"a": {"title": 5}}, "$ref": "#/a"}),
        ];
        for case in cases {
            assert_eq!(schema_or_ref(&case).ok(), by_openapiv3(&case), "{case}");
        }
    }

    /// Every component schema of the vendored spec and of the test specs reads alike.
    #[test]
    fn spec_schemas_read_as_openapiv3_reads_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![root.join("spec/openapi.yaml")];
        let mut dirs = vec![root.join("tests/specs")];
        while let Some(dir) = dirs.pop() {
            for path in std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()) {
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == "yaml") {
                    files.push(path);
                }
            }
        }
        let mut read = 0;
        for file in files {
            let Ok(mut doc) = crate::load::load_document(&std::fs::read(&file).unwrap()) else { continue };
            normalize::normalize(&mut doc, &mut Diagnostics::default());
            for (name, schema) in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten() {
                assert_eq!(schema_or_ref(schema).ok(), by_openapiv3(schema), "{} {name}", file.display());
                read += 1;
            }
        }
        assert!(read > 80, "{read}");
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        /// Any small JSON value (what a field of the wrong kind may hold).
        fn leaf() -> BoxedStrategy<Value> {
            prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                prop::sample::select(vec![json!(0), json!(3), json!(-2), json!(u64::MAX), json!(1.5), json!(2.0)]),
                prop::sample::select(vec!["string", "integer", "date-time", "int32", "float", "#/a", "u"]).prop_map(Value::from),
                Just(json!([1])),
                Just(json!({"a": 1})),
            ]
            .boxed()
        }

        /// A value for `key`: mostly of the kind the keyword wants, sometimes any value.
        fn field(key: &'static str, wanted: BoxedStrategy<Value>) -> BoxedStrategy<(String, Value)> {
            prop_oneof![4 => wanted, 1 => leaf()].prop_map(move |v| (key.to_string(), v)).boxed()
        }

        fn schema_like() -> impl Strategy<Value = Value> {
            let flag = || any::<bool>().prop_map(Value::Bool).boxed();
            let text = |options: Vec<&'static str>| prop::sample::select(options).prop_map(Value::from).boxed();
            let number = || prop::sample::select(vec![json!(0), json!(3), json!(-2), json!(u64::MAX), json!(1.5), json!(2.0)]).boxed();
            let count = || prop::sample::select(vec![json!(0), json!(3), json!(-1), json!(1.5)]).boxed();
            let types = vec!["string", "number", "integer", "boolean", "object", "array", "null"];
            let formats = vec!["date-time", "date", "binary", "int32", "int64", "float", "double", "decimal", "email"];
            let empty = Just(Value::Object(Map::new())).boxed();
            empty.prop_recursive(4, 64, 6, move |schema| {
                let schemas = prop::collection::vec(schema.clone(), 0..3).prop_map(Value::Array).boxed();
                let properties = prop::collection::vec((prop::sample::select(vec!["a", "b", "c"]), schema.clone()), 0..3)
                    .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
                    .boxed();
                let enumeration = prop::collection::vec(leaf(), 0..3).prop_map(Value::Array).boxed();
                let required = prop::collection::vec(prop_oneof![4 => Just(json!("a")), 1 => leaf()], 0..3).prop_map(Value::Array).boxed();
                let fields = prop_oneof![
                    1 => field("$ref", text(vec!["#/components/schemas/A"])),
                    1 => field("nullable", flag()),
                    1 => field("readOnly", flag()),
                    1 => field("writeOnly", flag()),
                    1 => field("deprecated", flag()),
                    1 => field("externalDocs", prop::sample::select(vec![json!({"url": "u"}), json!({"description": "d"})]).boxed()),
                    1 => field("example", leaf()),
                    1 => field("title", text(vec!["t"])),
                    1 => field("description", text(vec!["d"])),
                    1 => field("discriminator", prop::sample::select(vec![json!({"propertyName": "a"}), json!({"mapping": {}})]).boxed()),
                    1 => field("default", leaf()),
                    4 => field("type", text(types.clone())),
                    1 => field("pattern", text(vec!["^a"])),
                    1 => field("multipleOf", number()),
                    1 => field("exclusiveMinimum", flag()),
                    1 => field("exclusiveMaximum", flag()),
                    1 => field("minimum", number()),
                    1 => field("maximum", number()),
                    2 => field("properties", properties),
                    1 => field("required", required),
                    1 => field("additionalProperties", prop_oneof![flag(), schema.clone()].boxed()),
                    1 => field("minProperties", count()),
                    1 => field("maxProperties", count()),
                    2 => field("items", schema.clone()),
                    1 => field("minItems", count()),
                    1 => field("maxItems", count()),
                    1 => field("uniqueItems", flag()),
                    2 => field("enum", enumeration),
                    2 => field("format", text(formats.clone())),
                    1 => field("minLength", count()),
                    1 => field("maxLength", count()),
                    1 => field("oneOf", schemas.clone()),
                    1 => field("allOf", schemas.clone()),
                    1 => field("anyOf", schemas),
                    1 => field("not", schema),
                    1 => field("x-a", leaf()),
                    1 => field("other", leaf()),
                ];
                prop::collection::vec(fields, 0..5).prop_map(|entries| Value::Object(entries.into_iter().collect()))
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]
            #[test]
            fn schema_like_values_read_as_openapiv3_reads_them(value in schema_like()) {
                prop_assert_eq!(schema_or_ref(&value).ok(), by_openapiv3(&value), "{}", value);
            }
        }
    }
}
