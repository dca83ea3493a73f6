//! `cargo xtask fuzz [DIR] [--only NAME,..] [--seed N] [--values K]`: random values that the
//! spec allows, decoded by the generated crate and re-encoded.
//!
//! For each real-world spec (the corpus of `cargo xtask corpus`, in DIR, default
//! `~/.cache/sdkgen-corpus`) the crate is generated, and the cases are read from the generator's
//! IR: every component schema with a type of its own, and every JSON request and response body
//! of every operation, each with the Rust type the generator gave it
//! (`sdkgen::emit::external_type`) and its direction (a response's values never hold
//! `writeOnly` properties, a request's never `readOnly` ones; a component is received when a
//! response uses it).
//! For each case, K values (default 20) are made from the schema as the document writes it
//! (`values.rs`, seeded by `--seed`, default 1), never from the IR. The crate gets a test,
//! `tests/fuzz.rs` (the checks are `xtask/harness/fuzz.rs`), that decodes every value into its
//! type the way a response is decoded, re-encodes it and compares (numbers by value, date-times
//! by instant, a member set to `null` as an absent one); the crate is built with every feature
//! (`full-serde` gives received types their `Serialize`).
//!
//! Every operation is also called through its generated method (its required path, query,
//! header and cookie parameters, JSON, form, text or binary body and multipart parts, files and
//! lists of files too, made from their schemas; its optional query, header and cookie
//! parameters set through the builder's setters in every other value set and left unset in the
//! rest) against a loopback server that answers with a
//! value of a success response (JSON if one is, else text or bytes, else no body) in the
//! response's media type; the result must decode (and equal the value when the method returns
//! that response's type), and the request the server received must carry what `wire.rs` says
//! the spec's styles and encodings make of the arguments. Operations that cannot be called
//! (a response of server-sent events only, a required argument the document does not give a
//! schema) are counted by reason. Webhook payloads are
//! cases too, and are also parsed by `webhook::WebhookEvent::parse` under the webhook's name.
//!
//! The crates go to the scratch workspace of `cargo xtask corpus` (`corpus/` in the target
//! directory), so the two share one dependency build. Failures are grouped by kind and message
//! and printed with an example each; the whole list, with the values, is
//! `corpus/<crate>/fuzz-report.json`.
//! The exit status is 1 when a value fails or a crate does not build.

mod values;
mod wire;

use sdkgen::ir::{Api, BodyFormat, StatusSpec, TypeKind, TypeRef};
use sdkgen::spec::pointer::join;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask fuzz [DIR] [--only NAME,..] [--seed N] [--values K] [--no-run]";

/// How many calls one function of the generated test makes.
const CALLS_PER_FUNCTION: usize = 24;

/// The checks copied into every crate's `tests/fuzz.rs`.
const HARNESS: &str = include_str!("../harness/fuzz.rs");

/// A schema of the spec and the Rust type the generator gave it.
struct Case {
    /// JSON pointer to the schema in the document.
    pointer: String,
    /// The Rust type, as `tests/fuzz.rs` names it.
    ty: String,
    /// The values are received (responses, and types used in responses or nowhere), else sent.
    received: bool,
    /// The webhook whose payload this is: its values are also decoded by
    /// `webhook::WebhookEvent::parse` under its name.
    webhook: Option<String>,
}

/// An operation called through its generated method against the loopback server.
struct Call {
    /// The `Client` method.
    method: String,
    /// The path template.
    path: String,
    /// The schema (pointer) and Rust type of each argument, in order, and where it goes: the
    /// method's (required) arguments, then the optional parameters.
    args: Vec<(String, String)>,
    kinds: Vec<wire::Arg>,
    /// The builder's setter of each optional parameter (`None` for the method's arguments).
    setters: Vec<Option<String>>,
    /// The success response the server sends: its status and schema.
    status: u16,
    response: String,
    /// How the server sends it.
    reply: Reply,
    /// Whether the call's result is the response's type (then compared with what was sent).
    compare: bool,
}

/// The body of the loopback server's answer to a call.
#[derive(Clone, Debug, PartialEq)]
enum Reply {
    /// A JSON value, with the response's media type.
    Json(String),
    /// Text or bytes (the UTF-8 of a string the schema allows), with the response's media type;
    /// `binary` when the method returns bytes.
    Raw { media: String, binary: bool },
    /// No body (a `204`, or a response that documents none).
    Empty,
}

/// One spec's line of the table.
#[derive(Default)]
struct Row {
    spec: String,
    operations: usize,
    types: usize,
    cases: usize,
    values: usize,
    /// Operations called, and calls made.
    operations_called: usize,
    calls: usize,
    /// Why operations were not called, with counts.
    not_called: BTreeMap<String, (usize, String)>,
    /// Calls whose request is only partly checked (a value with no spelling in its style).
    unchecked: usize,
    skipped: usize,
    /// Why values were not made, with counts.
    skips: BTreeMap<String, usize>,
    checked: Option<usize>,
    called: Option<usize>,
    failures: Vec<Failure>,
    error: Option<String>,
}

struct Failure {
    /// The case, or (for failures of calls) the operation.
    case: usize,
    call: bool,
    kind: String,
    /// The error, or where the re-encoded value differs.
    detail: String,
    value: Value,
}

struct Options {
    dir: PathBuf,
    only: Option<Vec<String>>,
    seed: u64,
    values: usize,
    run: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options { dir: crate::corpus::default_dir(), only: None, seed: 1, values: 20, run: true };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            it.next().and_then(|v| v.parse().ok()).ok_or_else(|| format!("{name} takes a number"))
        };
        match a.as_str() {
            "--only" => o.only = it.next().map(|v| v.split(',').map(str::to_string).collect()),
            "--seed" => o.seed = number("--seed")?,
            "--values" => o.values = number("--values")? as usize,
            "--no-run" => o.run = false,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            other => o.dir = PathBuf::from(other),
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> ExitCode {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("fuzz: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let specs = match crate::corpus::specs(&o.dir, o.only.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return ExitCode::FAILURE;
        }
    };
    let scratch = crate::corpus::scratch_dir();
    let mut rows = Vec::new();
    let mut crates = Vec::new();
    for spec in &specs {
        let (row, cases, calls) = prepare(spec, &scratch, &o);
        if row.error.is_none() {
            crates.push(crate_name(spec));
        }
        rows.push((row, cases, calls));
    }
    if o.run && !crates.is_empty() {
        let manifest = crate::scratch_manifest(&crates);
        let _ = std::fs::write(scratch.join("Cargo.toml"), manifest);
        if !scratch.join("Cargo.lock").exists() {
            let _ = std::fs::copy(crate::root().join("Cargo.lock"), scratch.join("Cargo.lock"));
        }
        for (spec, (row, cases, calls)) in specs.iter().zip(rows.iter_mut()) {
            if row.error.is_none() {
                check(&scratch, &crate_name(spec), row, cases, calls);
            }
        }
    }
    report(&rows)
}

/// `corpus-petstore-3-1` for `petstore-3.1.json` (the crate names of `cargo xtask corpus`).
fn crate_name(spec: &Path) -> String {
    let file = spec.file_name().unwrap_or_default().to_string_lossy();
    let stem = file.rsplit_once('.').map_or(&*file, |(s, _)| s).replace('.', "-");
    format!("corpus-{stem}")
}

/// Generates the crate of `spec`, its cases and their values, into the scratch workspace.
fn prepare(spec: &Path, scratch: &Path, o: &Options) -> (Row, Vec<Case>, Vec<Call>) {
    let file = spec.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let mut row = Row { spec: file.clone(), ..Row::default() };
    let name = crate_name(spec);
    let bytes = match std::fs::read(spec) {
        Ok(b) => b,
        Err(e) => {
            row.error = Some(e.to_string());
            return (row, Vec::new(), Vec::new());
        }
    };
    let generated = match sdkgen::generate(&bytes, &crate::corpus::options(&file, &name)) {
        Ok(g) => g,
        Err(d) => {
            row.error = Some(d.render(&file).lines().next().unwrap_or_default().to_string());
            return (row, Vec::new(), Vec::new());
        }
    };
    // The values are made from the document as written (3.0 or 3.1), not from what the
    // generator normalized; only its sloppy but clear spellings are repaired as the generator
    // repairs them (`spec::repair`: a path key with a query string, `allOf` as a mapping), so
    // that the IR's pointers find their place (Anthropic's `/v1/files/{file_id}?beta=true` is
    // the operation at `/v1/files/{file_id}`).
    let doc = match sdkgen::spec::load::load_document(&bytes) {
        Ok((mut doc, _)) => {
            sdkgen::spec::repair::repair(&mut doc, &mut sdkgen::diagnostics::Diagnostics::default());
            doc
        }
        Err(d) => {
            row.error = Some(d.render(&file).lines().next().unwrap_or_default().to_string());
            return (row, Vec::new(), Vec::new());
        }
    };
    row.operations = generated.operations;
    row.types = generated.types;
    let cases = cases(&generated.api, &doc);
    row.cases = cases.len();
    let mut all = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        // One stream per case, so that a case's values do not depend on the cases before it.
        let mut values =
            values::Values::new(&doc, o.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i as u64, case.received);
        let mut made = Vec::with_capacity(o.values);
        for _ in 0..o.values {
            match values.value_at(&case.pointer) {
                Ok(v) => made.push(v),
                Err(skip) => {
                    row.skipped += 1;
                    let why = match skip {
                        values::Skip::Impossible(why) => why,
                        values::Skip::TooLarge => "deeper or larger than the limits".to_string(),
                    };
                    *row.skips.entry(why).or_default() += 1;
                }
            }
        }
        row.values += made.len();
        all.push(Value::Array(made));
    }
    let (calls, not_called) = calls(&generated.api, &doc);
    row.operations_called = calls.len();
    row.not_called = not_called;
    let mut all_calls = Vec::with_capacity(calls.len());
    for (i, call) in calls.iter().enumerate() {
        let seed = o.seed.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ i as u64;
        let (mut received, mut sent) = (values::Values::new(&doc, seed, true), values::Values::new(&doc, seed, false));
        let mut made = Vec::with_capacity(o.values);
        for set in 0..o.values {
            let response = match &call.reply {
                Reply::Json(_) => received.value_at(&call.response),
                Reply::Raw { .. } => received.text_at(&call.response, false),
                Reply::Empty => Ok(Value::Null),
            };
            let args: Result<Vec<Value>, _> = call
                .args
                .iter()
                .zip(&call.kinds)
                .zip(&call.setters)
                .map(|(((pointer, _), kind), setter)| {
                    // Every other value set leaves the optional parameters unset (`null`).
                    if setter.is_some() && set % 2 == 0 {
                        return Ok(Value::Null);
                    }
                    // Header values are text a header can carry (visible ASCII); cookie
                    // values hold what the client must percent-encode too.
                    let field = match kind {
                        wire::Arg::Header { .. } => values::Field::Header,
                        wire::Arg::Cookie { .. } => values::Field::Cookie,
                        _ => values::Field::Any,
                    };
                    sent.field = field;
                    let v = match kind {
                        // A text or binary body, or a file part: the text of a value.
                        wire::Arg::Raw { .. } => sent.text_at(pointer, false),
                        wire::Arg::Part { file: true, list, .. } => sent.text_at(pointer, *list),
                        _ => sent.value_at(pointer),
                    };
                    sent.field = values::Field::Any;
                    v
                })
                .collect();
            if let (Ok(response), Ok(args)) = (response, args) {
                // A required parameter that is `null` is not sent at all; the check does not
                // model it. An optional one that is `null` is left unset.
                let required = call.setters.iter().map(Option::is_none);
                if args
                    .iter()
                    .zip(&call.kinds)
                    .zip(required)
                    .any(|((v, k), r)| r && v.is_null() && !matches!(k, wire::Arg::Json))
                {
                    continue;
                }
                let expect = wire::expect(&call.path, &call.kinds, &args);
                // The client refuses a path segment `.` or `..` (a string, or an empty one in
                // `label` style): a relative step of the URL would change the path
                // (`runtime.rs` says why).
                if expect["path"].as_str().is_some_and(|p| p.split('/').any(|s| s == "." || s == "..")) {
                    continue;
                }
                let (media, raw) = match &call.reply {
                    Reply::Json(media) => (Value::from(media.as_str()), false),
                    Reply::Raw { media, .. } => (Value::from(media.as_str()), true),
                    Reply::Empty => (Value::Null, false),
                };
                if wire::unchecked(&expect) {
                    row.unchecked += 1;
                }
                made.push(serde_json::json!({
                    "status": call.status, "media": media, "raw": raw, "response": response, "args": args,
                    "expect": expect,
                }));
            }
        }
        row.calls += made.len();
        all_calls.push(Value::Array(made));
    }
    let mut files = generated.files;
    let krate = name.replace('-', "_");
    let checks: String = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let parse = c.webhook.as_ref().map_or(String::new(), |name| {
                format!(
                    "    c.webhook({i}, |body| {krate}::webhook::WebhookEvent::parse({name:?}, body).map(|_| ()).map_err(|e| e.to_string()));\n"
                )
            });
            format!("{parse}    c.check::<{}>({i});\n", c.ty)
        })
        .collect();
    let call_rows: Vec<String> = calls
        .iter()
        .enumerate()
        .map(|(i, call)| {
            let args: Vec<String> =
                call.args
                    .iter()
                    .zip(&call.kinds)
                    .enumerate()
                    .filter(|(j, _)| call.setters[*j].is_none())
                    .map(|(j, ((_, ty), kind))| match kind {
                        // `impl Into<FilePart>` takes the bytes; a binary body is `Bytes`.
                        wire::Arg::Part { file: true, list: false, .. } => format!("file_arg(&args[{j}])"),
                        wire::Arg::Raw { binary: true, .. } => format!("file_arg(&args[{j}]).into()"),
                        wire::Arg::Part { file: true, list: true, .. } => {
                            format!("files_arg(&args[{j}]).into_iter().map(Into::into).collect()")
                        }
                        _ => format!("arg::<{ty}>(&args[{j}])?"),
                    })
                    .collect();
            let result = match &call.reply {
                _ if !call.compare => "Ok(None)",
                Reply::Raw { binary: true, .. } => "bytes_text(&result)",
                _ => "encoded(&result)",
            };
            let set: String = call
                .setters
                .iter()
                .zip(&call.args)
                .enumerate()
                .filter_map(|(j, (setter, (_, ty)))| {
                    let setter = setter.as_ref()?;
                    Some(format!(
                        "        let request = match opt::<{ty}>(&args[{j}])? {{ Some(v) => request.{setter}(v), None => request }};\n"
                    ))
                })
                .collect();
            format!(
                "    call!(c, server, {i}, |args| {{\n        let request = client.{}({});\n{set}        \
                 let result = request.await.map_err(|e| e.to_string())?;\n        {result}\n    }});\n",
                call.method,
                args.join(", ")
            )
        })
        .collect();
    // The calls in functions of a few each: one `async` function over hundreds of calls
    // (Kubernetes' 843 operations) takes rustc many minutes and gigabytes to compile.
    let chunks: Vec<&[String]> = call_rows.chunks(CALLS_PER_FUNCTION).collect();
    let chunk_fns: String = chunks
        .iter()
        .enumerate()
        .map(|(k, rows)| {
            format!(
                "async fn calls_{k}(c: &mut Checker, server: &wiremock::MockServer, client: &{krate}::Client) {{\n{}}}\n\n",
                rows.concat()
            )
        })
        .collect();
    let chunk_calls: String =
        (0..chunks.len()).map(|k| format!("    calls_{k}(c, server, &client).await;\n")).collect();
    let test = format!(
        "// Written by `cargo xtask fuzz`.\n#![allow(unused_imports, unused_variables, dead_code, deprecated, clippy::all)]\nuse {krate}::types;\n\n\
         {HARNESS}\nfn cases(c: &mut Checker) {{\n{checks}}}\n\n\
         {chunk_fns}async fn calls(c: &mut Checker, server: &wiremock::MockServer) {{\n    \
         let client = {krate}::Client::builder().base_url(server.uri()).credential(\"test\").build().expect(\"a client\");\n\
         {chunk_calls}}}\n"
    );
    if let Some((_, manifest)) = files.iter_mut().find(|(rel, _)| rel == "Cargo.toml") {
        crate::corpus::add_dev_dependencies(manifest);
    }
    files.push(("tests/fuzz.rs".to_string(), test));
    let values = serde_json::json!({"cases": all, "calls": all_calls});
    files.push(("tests/fuzz-values.json".to_string(), values.to_string()));
    if let Err(e) = sdkgen::output::write_files(&scratch.join(&name), &files) {
        row.error = Some(e.to_string());
    }
    (row, cases, calls)
}

/// The operations called through their generated methods: those whose required arguments are
/// parameters with a schema (path, query, header, cookie), a JSON, form, text or binary body, or
/// multipart parts (files and lists of files too), with a success response: JSON (preferred),
/// text or bytes, or none.
fn calls(api: &Api, doc: &Value) -> (Vec<Call>, BTreeMap<String, (usize, String)>) {
    let mut out = Vec::new();
    // By reason: how many, and the first operation (its pointer).
    let mut skips: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut skip = |why: &str, at: &str| skips.entry(why.to_string()).or_insert((0, at.to_string())).0 += 1;
    'ops: for op in &api.operations {
        let json = |r: &&sdkgen::ir::Response| {
            r.body.as_ref().is_some_and(|b| b.format == BodyFormat::Json && b.ty != TypeRef::Unit)
        };
        // A response of server-sent events only is read by the streaming call, not this one.
        let Some(r) = op
            .success
            .iter()
            .find(json)
            .or_else(|| op.success.iter().find(|r| r.body.is_some()))
            .or_else(|| op.success.iter().find(|r| r.events.is_none()))
        else {
            let why = if op.success.is_empty() {
                "no success response documented"
            } else {
                "no success response other than server-sent events"
            };
            skip(why, &op.origin);
            continue;
        };
        let status = match r.status {
            StatusSpec::Code(c) => c,
            _ => 200,
        };
        let (response_ptr, reply) = match &r.body {
            Some(body) => {
                let pointer = join(&join(&join(&r.origin, "content"), &body.media_type), "schema");
                // A wildcard (`*/*`, `image/*`) is no content type a server sends.
                let media = match body.format {
                    _ if !body.media_type.contains('*') => body.media_type.clone(),
                    BodyFormat::Json => "application/json".to_string(),
                    _ => "application/octet-stream".to_string(),
                };
                let reply = match body.format {
                    BodyFormat::Json if body.ty != TypeRef::Unit => Reply::Json(media),
                    BodyFormat::Text => Reply::Raw { media, binary: false },
                    BodyFormat::Binary => Reply::Raw { media, binary: true },
                    _ => Reply::Empty,
                };
                (pointer, reply)
            }
            None => (String::new(), Reply::Empty),
        };
        let (mut args, mut kinds) = (Vec::new(), Vec::new());
        for p in op.params.iter().filter(|p| p.required) {
            let pointer = join(&p.origin, "schema");
            let Some(kind) = doc.pointer(&p.origin).and_then(wire::Arg::param) else {
                skip("a required parameter not read from the document", &p.origin);
                continue 'ops;
            };
            if doc.pointer(&pointer).is_none() {
                skip("a required parameter without a schema", &p.origin);
                continue 'ops;
            }
            args.push((pointer, sdkgen::emit::external_type(api, &p.ty)));
            kinds.push(kind);
        }
        if let Some(body) = &op.body {
            let schema = join(&body.origin, "schema");
            if !body.parts.is_empty() {
                // Multipart: the required parts are arguments (after the parameters).
                for part in body.parts.iter().filter(|p| p.required) {
                    let Some(pointer) = property(doc, &schema, &part.api_name) else {
                        skip("a required part that is not a property of the body's schema", &body.origin);
                        continue 'ops;
                    };
                    let (file, list) = match &part.ty {
                        TypeRef::Bytes => (true, false),
                        TypeRef::Vec(inner) if **inner == TypeRef::Bytes => (true, true),
                        _ => (false, false),
                    };
                    let ty = if file { String::new() } else { sdkgen::emit::external_type(api, &part.ty) };
                    args.push((pointer, ty));
                    kinds.push(wire::Arg::Part { name: part.api_name.clone(), file, list });
                }
            } else if body.required {
                let kind = match body.format {
                    BodyFormat::Json => wire::Arg::Json,
                    BodyFormat::FormUrlEncoded => wire::Arg::Form {
                        encoding: doc
                            .pointer(&join(&body.origin, "encoding"))
                            .cloned()
                            .unwrap_or(Value::Object(Default::default())),
                    },
                    BodyFormat::Text | BodyFormat::Binary => wire::Arg::Raw {
                        binary: body.format == BodyFormat::Binary,
                        media: media_types(doc, &body.origin),
                    },
                    BodyFormat::Multipart => {
                        skip("a multipart body without parts", &body.origin);
                        continue 'ops;
                    }
                };
                args.push((schema, sdkgen::emit::external_type(api, &body.ty)));
                kinds.push(kind);
            }
        }
        // Optional parameters with a schema, by their setters (named as the generator names
        // them): each value set either leaves them unset or sets them all.
        let mut setters = vec![None; args.len()];
        let optional = op.params.iter().filter(|p| !p.required).map(|p| p.rust_name.as_str());
        let parts = op.body.iter().flat_map(|b| &b.parts).filter(|p| !p.required).map(|p| p.rust_name.as_str());
        let names = sdkgen::naming::builder_setter_names(optional.chain(parts));
        for (p, setter) in op.params.iter().filter(|p| !p.required).zip(names) {
            let pointer = join(&p.origin, "schema");
            let Some(kind) = doc.pointer(&p.origin).and_then(wire::Arg::param) else { continue };
            if doc.pointer(&pointer).is_none() {
                continue;
            }
            args.push((pointer, sdkgen::emit::external_type(api, &p.ty)));
            kinds.push(kind);
            setters.push(Some(setter));
        }
        let compare = match &reply {
            Reply::Empty => false,
            _ => op.success.len() == 1 && r.body.as_ref().is_some_and(|b| op.success_type == b.ty),
        };
        out.push(Call {
            method: op.rust_name.clone(),
            path: op.path.clone(),
            args,
            kinds,
            setters,
            status,
            response: response_ptr,
            reply,
            compare,
        });
    }
    (out, skips)
}

/// The media types a request body offers (the keys of its `content`), given the pointer of the
/// one the generator chose.
fn media_types(doc: &Value, media: &str) -> Vec<String> {
    let content = media.rsplit_once('/').map_or(media, |(content, _)| content);
    doc.pointer(content).and_then(Value::as_object).map(|c| c.keys().cloned().collect()).unwrap_or_default()
}

/// The pointer to property `name` of the object schema at `pointer` (through `$ref`s).
fn property(doc: &Value, pointer: &str, name: &str) -> Option<String> {
    let mut pointer = pointer.to_string();
    for _ in 0..16 {
        let schema = doc.pointer(&pointer)?;
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => pointer = sdkgen::spec::pointer::percent_decode(target.strip_prefix('#')?).into_owned(),
            None => {
                let at = join(&join(&pointer, "properties"), name);
                return doc.pointer(&at).is_some().then_some(at);
            }
        }
    }
    None
}

/// The cases of an API: its component schemas that have a type of their own, and the JSON
/// request and response bodies of its operations, each schema with its type and direction once.
fn cases(api: &Api, doc: &Value) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut add = |pointer: String, ty: &TypeRef, received: bool| {
        // A schema that is only a `$ref` is the case of its target.
        let mut pointer = pointer;
        while let Some(target) = doc.pointer(&pointer).and_then(|s| s.get("$ref")).and_then(Value::as_str) {
            if doc.pointer(&pointer).and_then(Value::as_object).is_some_and(|o| o.len() > 1) {
                break;
            }
            match target.strip_prefix('#') {
                Some(t) if doc.pointer(t).is_some() && t != pointer => pointer = t.to_string(),
                _ => break,
            }
        }
        if doc.pointer(&pointer).is_none() {
            return;
        }
        let ty = sdkgen::emit::external_type(api, ty);
        if seen.insert((pointer.clone(), ty.clone(), received)) {
            out.push(Case { pointer, ty, received, webhook: None });
        }
    };
    // A nullable component is an alias of `Option` of a type defined at the same place
    // (`ModelIdsCompaction = Option<ModelIdsCompactionValue>`): the alias is the schema's type.
    let mut inner = std::collections::BTreeSet::new();
    for def in api.types.iter() {
        if let TypeKind::Alias(t) = &def.kind {
            let mut named = std::collections::BTreeSet::new();
            t.all_names(&mut named);
            inner.extend(named.into_iter().filter(|id| api.types.get(*id).origin == def.origin));
        }
    }
    for def in api.types.iter() {
        let component = def.origin.strip_prefix("/components/schemas/").is_some_and(|n| !n.contains('/'));
        if component && !inner.contains(&def.id) && !matches!(def.kind, TypeKind::Outcomes(_) | TypeKind::External(_)) {
            add(def.origin.clone(), &TypeRef::Named(def.id, vec![]), def.in_response || !def.in_request);
        }
    }
    // Webhook payloads, received (and parsed by the webhook's name, below).
    let mut webhooks = Vec::new();
    for hook in &api.webhooks {
        let body = resolved(doc, &join(&hook.origin, "requestBody"));
        let Some(schema) = body.and_then(|b| json_schema(doc, &b)) else { continue };
        webhooks.push((schema, hook));
    }
    for op in &api.operations {
        // A JSON request body: what a client may send (a type users also decode, in tests or
        // proxies).
        if let Some(body) = op.body.as_ref().filter(|b| b.format == BodyFormat::Json && b.ty != TypeRef::Unit) {
            add(join(&body.origin, "schema"), &body.ty, false);
        }
        for r in op.success.iter().chain(&op.errors) {
            let Some(body) = r.body.as_ref().filter(|b| b.format == BodyFormat::Json && b.ty != TypeRef::Unit) else {
                continue;
            };
            add(join(&join(&join(&r.origin, "content"), &body.media_type), "schema"), &body.ty, true);
        }
    }
    for (schema, hook) in webhooks {
        let ty = sdkgen::emit::external_type(api, &hook.payload);
        out.push(Case { pointer: schema, ty, received: true, webhook: Some(hook.api_name.clone()) });
    }
    out
}

/// The pointer of the object at `pointer`, through a `$ref`.
fn resolved(doc: &Value, pointer: &str) -> Option<String> {
    let mut pointer = pointer.to_string();
    for _ in 0..16 {
        match doc.pointer(&pointer)?.get("$ref").and_then(Value::as_str) {
            Some(target) => pointer = sdkgen::spec::pointer::percent_decode(target.strip_prefix('#')?).into_owned(),
            None => return Some(pointer),
        }
    }
    None
}

/// The schema of a request body's JSON media type.
fn json_schema(doc: &Value, body: &str) -> Option<String> {
    let content = doc.pointer(&join(body, "content"))?.as_object()?;
    let media = content.keys().find(|m| BodyFormat::of_media_type(m).1 == BodyFormat::Json)?;
    let schema = join(&join(&join(body, "content"), media), "schema");
    doc.pointer(&schema).is_some().then_some(schema)
}

/// Builds the crate's `tests/fuzz.rs` and runs it; reads its report into `row`.
fn check(scratch: &Path, name: &str, row: &mut Row, cases: &[Case], calls: &[Call]) {
    eprintln!(
        "fuzz: {name}: {} cases, {} values; {} operations, {} calls",
        row.cases, row.values, row.operations_called, row.calls
    );
    let start = Instant::now();
    let report_file = scratch.join(name).join("fuzz-report.json");
    // A report left by an earlier run must not pass for this one's.
    let _ = std::fs::remove_file(&report_file);
    let out = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--all-features", "-p", name, "--test", "fuzz"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        // The test runs unoptimized: Stripe's calls (one `async` function over 389 operations)
        // and its deepest values need more than the test thread's 2 MiB of stack.
        .env("RUST_MIN_STACK", (256usize << 20).to_string())
        .output();
    let report: Option<Value> = std::fs::read_to_string(&report_file).ok().and_then(|t| serde_json::from_str(&t).ok());
    match (out, report) {
        (Err(e), _) => row.error = Some(e.to_string()),
        (Ok(o), None) => {
            let text = String::from_utf8_lossy(&o.stderr);
            eprintln!("{text}");
            row.error =
                Some(text.lines().find(|l| l.starts_with("error")).unwrap_or("the test did not run").to_string());
        }
        (Ok(_), Some(report)) => {
            row.checked = report["checked"].as_u64().map(|n| n as usize);
            row.called = report["called"].as_u64().map(|n| n as usize);
            let values: Value = std::fs::read_to_string(scratch.join(name).join("tests/fuzz-values.json"))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            for f in report["failures"].as_array().into_iter().flatten() {
                let call = f.get("call").is_some();
                let case = f[if call { "call" } else { "case" }].as_u64().unwrap_or(0) as usize;
                let index = f["index"].as_u64().unwrap_or(0) as usize;
                let kind = f["kind"].as_str().unwrap_or("?").to_string();
                let detail = match kind.as_str() {
                    "roundtrip" | "call-roundtrip" => {
                        format!("at `{}`: sent {} got {}", f["path"].as_str().unwrap_or(""), f["sent"], f["back"])
                    }
                    _ => f["error"].as_str().unwrap_or("").to_string(),
                };
                let list = if call { "calls" } else { "cases" };
                let value = values[list].get(case).and_then(|v| v.get(index)).cloned().unwrap_or(Value::Null);
                row.failures.push(Failure { case, call, kind, detail, value });
            }
            // The failures with their values, for a closer look.
            let full: Vec<Value> = row
                .failures
                .iter()
                .map(|f| {
                    let (schema, ty) = describe(f, cases, calls);
                    serde_json::json!({"schema": schema, "type": ty, "kind": f.kind, "detail": f.detail, "value": f.value})
                })
                .collect();
            let _ = std::fs::write(&report_file, serde_json::to_string_pretty(&full).unwrap_or_default());
        }
    }
    eprintln!("fuzz: {name}: checked in {:.1?}", start.elapsed());
}

/// The schema of a failure's case and its Rust type (for a call: the response's schema and the
/// method).
fn describe<'a>(f: &Failure, cases: &'a [Case], calls: &'a [Call]) -> (&'a str, String) {
    if f.call {
        (&calls[f.case].response, format!("Client::{}", calls[f.case].method))
    } else {
        (&cases[f.case].pointer, cases[f.case].ty.clone())
    }
}

/// The message of a failure without what varies between values (quoted text, numbers), so
/// failures of one cause fall in one group.
fn cause(f: &Failure) -> String {
    let detail = match f.kind.as_str() {
        "roundtrip" | "call-roundtrip" => {
            let differ = if f.detail.contains("got null") {
                "lost"
            } else if f.detail.contains("sent null") {
                "added"
            } else {
                "changed"
            };
            return format!("{}: a value {differ}", f.kind);
        }
        _ => f.detail.as_str(),
    };
    let mut out = String::new();
    let mut quoted = None;
    for c in detail.chars() {
        match (quoted, c) {
            (None, '`' | '"') => {
                quoted = Some(c);
                out.push(c);
                out.push('_');
            }
            (Some(q), c) if c == q => {
                quoted = None;
                out.push(c);
            }
            (Some(_), _) => {}
            (None, c) if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            (None, c) => out.push(c),
        }
    }
    format!("{}: {}", f.kind, out.split(" at line").next().unwrap_or(&out))
}

fn report(rows: &[(Row, Vec<Case>, Vec<Call>)]) -> ExitCode {
    println!("| spec | operations | types | cases | values | skipped | operations called | calls | failures |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut failed = false;
    for (r, ..) in rows {
        let failures = match (&r.error, r.checked) {
            (Some(_), _) => "NOT RUN".to_string(),
            (None, None) => "not run".to_string(),
            (None, Some(_)) => r.failures.len().to_string(),
        };
        failed |= r.error.is_some() || !r.failures.is_empty();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.spec, r.operations, r.types, r.cases, r.values, r.skipped, r.operations_called, r.calls, failures
        );
    }
    for (r, cases, calls) in rows {
        if let Some(e) = &r.error {
            println!("{}: {e}", r.spec);
        }
        for (why, n) in &r.skips {
            println!("{}: {n} values not made: {why}", r.spec);
        }
        for (why, (n, at)) in &r.not_called {
            println!("{}: {n} operations not called: {why} (e.g. #{at})", r.spec);
        }
        if r.unchecked > 0 {
            println!(
                "{}: {} calls with part of the request unchecked (a value with no spelling in its style)",
                r.spec, r.unchecked
            );
        }
        let mut groups: BTreeMap<String, Vec<&Failure>> = BTreeMap::new();
        for f in &r.failures {
            groups.entry(cause(f)).or_default().push(f);
        }
        for (cause, fs) in &groups {
            let first = fs[0];
            let (schema, ty) = describe(first, cases, calls);
            let mut schemas: Vec<(bool, usize)> = fs.iter().map(|f| (f.call, f.case)).collect();
            schemas.sort_unstable();
            schemas.dedup();
            println!("{}: {} failures, {} schemas: {cause}", r.spec, fs.len(), schemas.len());
            println!("    e.g. #{schema} as {ty}: {}", first.detail);
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
