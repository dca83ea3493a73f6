//! `README.md` of the generated crate. It is also the crate-level documentation
//! (`#![doc = include_str!("../README.md")]`), so its quick start is a doctest that compiles
//! with the crate. Spec text in it goes through `docs` (see its policy): the description is
//! sanitized markdown, the title and versions are inline text, and parameter examples in the
//! quick start are Rust string literals.

use super::docs::{code_span, inline, sanitize};
use super::EmitOptions;
use crate::ir::{Api, Operation, ParamLocation, TypeKind, TypeRef};

/// The arguments of a call to `op` in an example, when all its required inputs are strings or
/// files (string literals from the parameters' examples or names; files read from a path).
fn example_args(op: &Operation) -> Option<Vec<String>> {
    if op.body.as_ref().is_some_and(|b| b.required && b.parts.is_empty()) {
        return None;
    }
    let params = param_args(op)?.into_iter().map(Some);
    let parts = op.body.iter().flat_map(|b| &b.parts).filter(|p| p.required).map(|p| match p.ty {
        TypeRef::String => Some(proc_macro2::Literal::string(&p.api_name).to_string()),
        TypeRef::Bytes => Some("FilePart::from_path(\"report.pdf\")?".to_string()),
        _ => None,
    });
    params.chain(parts).collect()
}

/// The required parameters of `op` as arguments of an example, when all are strings.
fn param_args(op: &Operation) -> Option<Vec<String>> {
    let params = op.params.iter().filter(|p| p.required).map(|p| {
        (p.ty == TypeRef::String && p.location != ParamLocation::Cookie).then(|| {
            let example = p.docs.example.as_ref().and_then(|e| e.as_str()).unwrap_or(&p.api_name);
            proc_macro2::Literal::string(example).to_string()
        })
    });
    params.collect()
}

/// The operation the quick start calls: the first GET whose required inputs are all strings.
fn quick_start_operation(api: &Api) -> Option<(&Operation, Vec<String>)> {
    let simple = |op: &Operation| op.body.as_ref().is_none_or(|b| !b.required).then(|| example_args(op)).flatten();
    let gets = api.operations.iter().filter(|op| op.method == crate::ir::Method::Get);
    gets.chain(&api.operations).find_map(|op| Some((op, simple(op)?)))
}

/// `client.op(args)` (or `client.namespace().op(args)`): the call of an operation in an example.
fn call(api: &Api, op: &Operation, args: &[String]) -> String {
    format!("client.{}({})", api.call_path(op), args.join(", "))
}

/// Example lines that await a call and print its response.
fn awaited(api: &Api, op: &Operation, args: &[String]) -> String {
    format!("let response = {}.await?;\nprintln!(\"{{response:?}}\");\n", call(api, op, args))
}

/// A doctest that builds a client and runs `body` (lines of Rust).
fn example(api: &Api, lib: &str, imports: &str, body: &str) -> String {
    let client = if api.security_schemes.is_empty() {
        "let client = Client::unauthenticated();"
    } else {
        "let client = Client::new(std::env::var(\"API_KEY\")?);"
    };
    format!(
        "```rust,no_run\nuse {lib}::{imports};\n\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n{client}\n{body}# Ok(())\n# }}\n```"
    )
}

fn quick_start(api: &Api, lib: &str) -> String {
    let call = quick_start_operation(api).map(|(op, args)| awaited(api, op, &args)).unwrap_or_default();
    example(api, lib, "Client", &call)
}

/// The namespaces the operations are grouped in (`[client] namespaces`), when there are any.
fn namespaces_section(api: &Api) -> Option<String> {
    if api.namespaces.is_empty() {
        return None;
    }
    let flat = api.operations.iter().filter(|op| op.namespace.is_none()).count();
    let mut out = format!(
        "\n\n## Namespaces\n\nThe operations are grouped: `Client` has a method per namespace that returns its handle (it borrows the client and costs nothing to make), whose methods are the operations and return the same request builders. {} namespaces{}:\n\n",
        api.namespaces.len(),
        match flat {
            0 => String::new(),
            1 => "; 1 operation is a method of `Client` itself".to_string(),
            n => format!("; {n} operations are methods of `Client` itself"),
        }
    );
    for (i, ns) in api.namespaces.iter().enumerate() {
        let count = api.operations.iter().filter(|op| op.namespace == Some(i)).count();
        out.push_str(&format!(
            "- [{}](crate::namespace::{}): {}, {count} operation{}\n",
            code_span(&format!("client.{}()", ns.rust_name)),
            ns.type_name,
            code_span(&ns.api_name),
            if count == 1 { "" } else { "s" }
        ));
    }
    out.truncate(out.trim_end().len());
    Some(out)
}

/// How list operations are read page by page, with an example when one can be written.
fn pages_section(api: &Api, lib: &str) -> Option<String> {
    let paged = api.operations.iter().filter(|op| op.pagination.is_some());
    let count = paged.clone().count();
    if count == 0 {
        return None;
    }
    let mut out = format!(
        "\n\n## Pages\n\n{count} list operation{} return their results in pages. Their request builders have `items()`, a stream of every item of every page, and `pages()`, a stream of whole pages; each page is requested when the stream reaches it, the next one selected as the API does (a cursor, the last item's id, page numbers or offsets). Read them with `.next().await`, or as a `futures::Stream`.",
        if count == 1 { "" } else { "s" }
    );
    if let Some((op, args)) = paged.clone().find_map(|op| Some((op, example_args(op)?))) {
        let body = format!(
            "let mut items = {}.items();\nwhile let Some(item) = items.next().await {{\n    println!(\"{{:?}}\", item?);\n}}\n",
            call(api, op, &args)
        );
        out.push_str("\n\n");
        out.push_str(&example(api, lib, "Client", &body));
    }
    Some(out)
}

/// How files are uploaded, with an example when one can be written.
fn uploads_section(api: &Api, lib: &str) -> Option<String> {
    let uploads = api.operations.iter().filter(|op| op.body.as_ref().is_some_and(|b| !b.parts.is_empty()));
    let first = uploads.clone().next()?;
    let mut out = String::from(
        "\n\n## File uploads\n\n`multipart/form-data` operations take their parts as arguments (required) and builder setters (optional). A file is a `FilePart`: bytes with a file name and content type (`FilePart::new(bytes).file_name(\"a.pdf\")`, or `FilePart::from_path(path)?`); text, numbers and enums are text parts, objects JSON parts.",
    );
    let (op, args) = uploads.clone().find_map(|op| Some((op, example_args(op)?))).unwrap_or((first, Vec::new()));
    if !args.is_empty() || op.body.iter().flat_map(|b| &b.parts).all(|p| !p.required) {
        out.push_str("\n\n");
        out.push_str(&example(api, lib, "{Client, FilePart}", &awaited(api, op, &args)));
    }
    Some(out)
}

/// How request bodies are built, with an example when one can be written: an operation whose
/// required parameters are strings and whose JSON body is a struct whose required fields are
/// strings (string literals from the fields' examples or names), with a string setter if any.
fn request_bodies_section(api: &Api, lib: &str) -> Option<String> {
    let body_type = |op: &Operation| -> Option<&crate::ir::TypeDef> {
        let b = op.body.as_ref().filter(|b| b.parts.is_empty() && b.required)?;
        let TypeRef::Named(id, generics) = &b.ty else { return None };
        let def = api.types.get(*id);
        (generics.is_empty() && def.generics.is_empty() && matches!(def.kind, TypeKind::Struct(_))).then_some(def)
    };
    if !api.operations.iter().any(|op| body_type(op).is_some()) {
        return None;
    }
    let mut out = String::from(
        "\n\n## Request bodies\n\nA request type is built with `new`, which takes its required fields (`Default::default()` when it has none), and a setter per other field: `CreateThing::new(\"name\").description(\"text\")`. Fields stay public to read and change. The types are `#[non_exhaustive]`, so a property the API adds later is a new setter and code that builds the type keeps compiling (a new *required* property changes `new`, as it changes what the API accepts). A nullable field's setter takes an `Option`: `None` sends `null`.",
    );
    // The first operation whose example shows a setter, or else the first one.
    let mut candidates = api.operations.iter().filter_map(|op| {
        let def = body_type(op)?;
        let TypeKind::Struct(s) = &def.kind else { return None };
        let mut args = param_args(op)?;
        let literal = |f: &crate::ir::Field| {
            let example = f.docs.example.as_ref().and_then(|e| e.as_str()).unwrap_or(&f.api_name);
            proc_macro2::Literal::string(example).to_string()
        };
        let setters = crate::naming::setter_names(s.fields.iter().map(|f| f.rust_name.as_str()));
        let mut required = Vec::new();
        let mut setter = None;
        for (f, name) in s.fields.iter().zip(&setters) {
            let (inner, presence) = f.presence(def);
            match presence {
                crate::ir::Presence::Required if inner == TypeRef::String => required.push(literal(f)),
                p if p.is_required() => return None,
                crate::ir::Presence::Optional if inner == TypeRef::String && !f.read_only && !f.docs.deprecated => {
                    setter = setter.or(Some(format!(".{name}({})", literal(f))))
                }
                _ => {}
            }
        }
        let constructor = if required.is_empty() && s.fields.iter().all(|f| !f.presence(def).1.is_required()) {
            format!("types::{}::default()", def.rust_name)
        } else {
            format!("types::{}::new({})", def.rust_name, required.join(", "))
        };
        args.push("body".to_string());
        Some((
            setter.is_some(),
            format!("let body = {constructor}{};\n{}", setter.unwrap_or_default(), awaited(api, op, &args)),
        ))
    });
    let first = candidates.next();
    let code = match first {
        Some((false, code)) => Some(candidates.find(|(setter, _)| *setter).map_or(code, |(_, c)| c)),
        other => other.map(|(_, code)| code),
    };
    if let Some(body) = code {
        out.push_str("\n\n");
        out.push_str(&example(api, lib, "{types, Client}", &body));
    }
    Some(out)
}

/// What the crate's cargo features switch, when it has any.
fn features_section(api: &Api, opts: &EmitOptions) -> String {
    let tags: Vec<&str> = api.default_features().into_iter().filter(|f| *f != crate::ir::WEBHOOKS_FEATURE).collect();
    let unreferenced = api.features.iter().any(|f| f == crate::ir::UNREFERENCED_FEATURE);
    let modules = &opts.package.module_features;
    let mut out = String::from("\n\n## Cargo features\n\n");
    if !tags.is_empty() {
        out.push_str(&format!(
            "Each tag of the API is a feature, all on by default ({}). To compile only what a program calls, turn the defaults off and name its tags:\n\n```toml\n{} = {{ version = \"{}\", default-features = false, features = [{}] }}\n```\n\n",
            tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
            opts.crate_name,
            opts.crate_version,
            tags.iter().take(2).map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
        ));
    }
    if unreferenced {
        out.push_str("`unreferenced-schemas` (off by default) adds the types of schemas that no operation uses.\n\n");
    }
    if !api.feature_groups.is_empty() {
        out.push_str("The features whose names start with `__types-` are internal: each is turned on by the tag features that use a set of types, so that those types need not list every such tag. Do not name them.\n\n");
    }
    out.push_str(&format!(
        "`{}` (off by default) records a `tracing` span per call (see Hooks and tracing).\n\n",
        crate::ir::TRACING_FEATURE
    ));
    out.push_str(&format!(
        "`{}` (off by default) adds `Serialize` to the types that are only received. Without it, a type implements `Serialize` only when requests send it (every type implements `Deserialize`), which keeps the build smaller.\n\n",
        crate::ir::FULL_SERDE_FEATURE
    ));
    let webhooks = crate::ir::WEBHOOKS_FEATURE;
    if super::has_webhook_module(api, opts) {
        let on = if api.default_features().contains(&webhooks) { "on" } else { "off" };
        let events = if api.webhooks.is_empty() {
            String::new()
        } else {
            format!(
                ", `webhook::WebhookEvent`, which decodes the {} webhooks the API sends by their names, and the types only they use",
                api.webhooks.len()
            )
        };
        out.push_str(&format!(
            "`{webhooks}` ({on} by default) adds the `webhook` module: signature verification (`webhook::HmacSha256Verifier`){events}.\n\n"
        ));
    }
    for m in modules {
        let names = m.modules.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
        let plural = if m.modules.len() == 1 { "" } else { "s" };
        if m.name == webhooks && super::has_webhook_module(api, opts) {
            // The same feature as the `webhook` module's, described above.
            out.truncate(out.trim_end().len());
            out.push_str(&format!(" It also adds the {names} module{plural}.\n\n"));
        } else {
            out.push_str(&format!("`{}` (off by default) adds the {names} module{plural}.\n\n", m.name));
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// What the streaming calls do, and which operations have one (nothing for an API without).
fn streaming_section(api: &Api, lib: &str) -> String {
    let ops: Vec<String> = api
        .operations
        .iter()
        .filter_map(|op| {
            let stream = op.stream.as_ref()?;
            let item = match &stream.item {
                TypeRef::Named(id, _) => format!("{} events", code_span(&api.types.get(*id).rust_name)),
                TypeRef::String => "text events".to_string(),
                _ => "JSON events".to_string(),
            };
            Some(format!("- {} ({item})\n", code_span(&api.call_path(op))))
        })
        .collect();
    if ops.is_empty() {
        return String::new();
    }
    let example = streaming_example(api, lib).unwrap_or_default();
    format!(
        "## Streaming\n\nOperations that answer with server-sent events have a second call: `.stream().await` on the request builder returns an `EventStream` of the operation's event type (a `futures_core::Stream`, also read with `next_event().await`), or the operation's usual error when the status is not a success. Each event's `data` is decoded as it arrives; `data: [DONE]` ends the stream; an event that does not decode is a `StreamError::Decode` item (with the raw text) and the stream goes on. A streaming call has no total timeout: `ClientBuilder::read_timeout` (5 minutes by default) bounds the wait for the response and for each next chunk.\n\n{}\n{example}",
        ops.concat()
    )
}

/// How a received webhook is checked and decoded, with a compiled example (nothing for an API
/// without webhooks).
fn webhooks_section(api: &Api, lib: &str) -> String {
    let Some(first) = api.webhooks.first() else { return String::new() };
    let name = proc_macro2::Literal::string(&first.api_name).to_string();
    format!(
        "## Webhooks\n\nWith the `{feature}` feature, `webhook::WebhookEvent::parse(name, body)` decodes a webhook the API sends into its typed event, by the webhook's name in the API description ({count} names: `WebhookEvent::NAMES`); an unknown name or a body that does not match is a `WebhookError`. `webhook::HmacSha256Verifier` checks an HMAC-SHA256 signature (hex or base64, a prefix such as `sha256=`, several signatures in one header, a timestamp tolerance) in constant time: verify the raw body before parsing it.\n\n```rust,no_run\n# #[cfg(feature = \"{feature}\")]\n# fn example(body: &[u8], signature: &str) -> Result<(), Box<dyn std::error::Error>> {{\nuse {lib}::webhook::{{HmacSha256Verifier, WebhookEvent}};\n\nlet verifier = HmacSha256Verifier::new(std::env::var(\"WEBHOOK_SECRET\")?).prefix(\"sha256=\");\nverifier.verify(signature, &[body])?;\nlet event = WebhookEvent::parse({name}, body)?;\nprintln!(\"{{}}\", event.name());\n# Ok(())\n# }}\n# fn main() {{}}\n```\n\n",
        feature = crate::ir::WEBHOOKS_FEATURE,
        count = api.webhooks.len(),
    )
}

/// A compiled example of a streaming call, when one of them takes only strings and a body of a
/// named type (the body is the example function's argument: it is built as for the plain call).
fn streaming_example(api: &Api, lib: &str) -> Option<String> {
    api.operations.iter().filter(|op| op.stream.is_some()).find_map(|op| {
        let mut args = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| (p.ty == TypeRef::String && p.location != ParamLocation::Cookie).then(|| format!("{:?}", p.api_name)))
            .collect::<Option<Vec<String>>>()?;
        let mut inputs = String::from("client: Client");
        match &op.body {
            Some(b) if b.required && b.parts.is_empty() => {
                let TypeRef::Named(id, generics) = &b.ty else { return None };
                if !generics.is_empty() {
                    return None;
                }
                inputs.push_str(&format!(", body: types::{}", api.types.get(*id).rust_name));
                args.push("body".to_string());
            }
            Some(b) if b.required => return None,
            _ => {}
        }
        Some(format!(
            "```rust,no_run\nuse {lib}::{{types, Client}};\n\n# async fn example({inputs}) -> Result<(), Box<dyn std::error::Error>> {{\nlet mut events = {}.stream().await?;\nwhile let Some(event) = events.next_event().await {{\n    println!(\"{{:?}}\", event?);\n}}\n# Ok(())\n# }}\n```\n\n",
            call(api, op, &args)
        ))
    })
}

/// The README of a crate of the types alone (`types-only`).
pub(crate) fn types_readme(api: &Api, opts: &EmitOptions) -> String {
    let lib = opts.crate_name.replace('-', "_");
    let title = inline(&api.info.title);
    let mut out = format!("# {title}: types\n\n");
    out.push_str(&format!(
        "The types of the schemas of version {} of the {title}, generated from its OpenAPI {} description: one Rust type per component schema, read and written as JSON with `serde`, without a client.\n\n",
        code_span(&api.info.version),
        inline(&api.info.source_version)
    ));
    if let Some(d) = &api.info.description {
        out.push_str(&sanitize(d.trim()));
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "```toml\n[dependencies]\n{} = \"{}\"\n```\n\nThe types are in [`types`](crate::types) (`{lib}::types`). String enums keep values this version does not know (`Unknown`).\n",
        opts.crate_name, opts.crate_version
    ));
    out
}

pub(crate) fn readme(api: &Api, opts: &EmitOptions) -> String {
    let lib = opts.crate_name.replace('-', "_");
    let title = inline(&api.info.title);
    let mut out = format!("# {title}\n\n");
    out.push_str(&format!(
        "An async Rust client for version {} of the {title}, generated from its OpenAPI {} description.\n\n",
        code_span(&api.info.version),
        inline(&api.info.source_version)
    ));
    if let Some(d) = &api.info.description {
        out.push_str(&sanitize(d.trim()));
        out.push_str("\n\n");
    }
    out.push_str("## Quick start\n\n");
    out.push_str(&format!(
        "```toml\n[dependencies]\n{} = \"{}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n",
        opts.crate_name, opts.crate_version
    ));
    out.push_str(&quick_start(api, &lib));
    out.extend(namespaces_section(api));
    out.extend(request_bodies_section(api, &lib));
    out.extend(pages_section(api, &lib));
    out.extend(uploads_section(api, &lib));
    out.push_str(&features_section(api, opts));
    out.push_str("\n\n## Errors\n\nEvery call returns `Result<T, Error<E>>`. `Error::Api` carries the decoded error body the API documents for that status (`E`) with the status, headers and raw body; `Error::UnexpectedStatus` an undocumented status; `Error::Decode` a body that does not match its documented type (with the body kept); `Error::Transport` a request that got no complete response. `Display` shows the API's own message when the body has one in a common shape (`message`, `error.message`, `detail`, ...), and `RawResponse::json()` reads an undocumented JSON error body. `Error::request_id()` returns the server's request id when it sent one. Credentials never appear in `Debug` output or errors.");
    if let Some(id) = api.default_error {
        let name = &api.types.get(id).rust_name;
        out.push_str(&format!(
            " An error status whose body the API description does not document (and any other `4XX` or `5XX` status of an operation without a `default` response) is decoded as the API's error type, [`types::{name}`](crate::types::{name}): `Error::Api`, with the raw body kept; a body that is not one stays `Error::UnexpectedStatus`."
        ));
    }
    out.push_str("\n\n");
    out.push_str("## Status and headers\n\n`.send().with_response().await` resolves to a `Response<T>`: the decoded body with the response's status and headers (`response.request_id()`, `response.header(\"x-ratelimit-remaining\")`, `response.into_body()`).\n\n");
    out.push_str(&streaming_section(api, &lib));
    out.push_str(&webhooks_section(api, &lib));
    out.push_str("## Per-call options\n\n`send()` returns the call before it is sent: `.header(name, value)` adds a header (for example an account or tenant header), `.timeout(duration)` bounds this call instead of the client's timeout, and `.idempotency_key(key)` (or `.idempotent()`, with a random key made once) sends `Idempotency-Key` on every attempt and lets a `POST` or `PATCH` be retried like an idempotent call.\n\n");
    out.push_str(&format!(
        "## Credentials and the environment\n\n`Client::from_env()` reads the credential from `{lib_upper}_API_KEY` and, when set, the base URL from `{lib_upper}_BASE_URL` (the names are `API_KEY_ENV` and `BASE_URL_ENV`). The credential is sent as the API's security schemes say{schemes}; `ClientBuilder::credential_header(\"x-api-key\")` sends it in a header of your choice instead, for an API whose description does not say.{mtls}\n\n",
        lib_upper = crate::naming::env_prefix(&opts.crate_name),
        schemes = if api.security_schemes.is_empty() { " (this API's description declares none, so by default no credential is sent)" } else { "" },
        mtls = if api.security_schemes.iter().any(|s| s.kind == crate::ir::SecurityKind::MutualTls) {
            " This API authenticates clients by certificate (mutual TLS): pass yours with `ClientBuilder::identity(reqwest::Identity::from_pem(&pem)?)`, the certificate chain and private key in one PEM buffer."
        } else {
            ""
        },
    ));
    out.push_str(&format!(
        "## Hooks and tracing\n\nA `Hook` added with `ClientBuilder::hook` is called before every attempt of every call, with the request as it will be sent (it may add or change headers: a token refreshed elsewhere, a signature), and when a response arrives (status and headers: rate limits, request ids). With the `tracing` feature, each call is a `tracing` span `api_call` with the operation id, method, path template, attempt and status; URLs, headers and bodies are not recorded, so neither are credentials.\n\n```rust,no_run\nuse {lib}::{{reqwest, CallInfo, Client, Hook}};\n\nstruct RequestTag;\n\nimpl Hook for RequestTag {{\n    fn before_send(&self, call: &CallInfo, request: &mut reqwest::Request) {{\n        let tag = format!(\"{{}}-{{}}\", call.operation(), call.attempt());\n        if let Ok(value) = tag.parse() {{\n            request.headers_mut().insert(\"x-request-tag\", value);\n        }}\n    }}\n}}\n\n# fn main() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = Client::builder().hook(RequestTag).build()?;\n# let _ = client;\n# Ok(())\n# }}\n```\n\n"
    ));
    out.push_str("## Retries\n\n`429 Too Many Requests` is retried for every call, `5xx` and connection failures for idempotent methods, waiting as `Retry-After` says (seconds or an HTTP date) or backing off exponentially with jitter. Configure with `ClientBuilder::retry(RetryPolicy { .. })`, or turn off with `ClientBuilder::no_retries()`.\n\n");
    out.push_str(&format!(
        "## From synchronous code\n\nThe client is async. From synchronous code, run calls on a Tokio runtime:\n\n```rust,no_run\nfn main() -> Result<(), Box<dyn std::error::Error>> {{\n    let runtime = tokio::runtime::Runtime::new()?;\n    let client = {lib}::Client::builder().build()?;\n    runtime.block_on(async {{\n        // client.some_operation(...).await\n        let _ = &client;\n    }});\n    Ok(())\n}}\n```\n"
    ));
    out
}
