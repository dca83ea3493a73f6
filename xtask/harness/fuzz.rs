// The checks of `cargo xtask fuzz`, copied into a generated crate as part of `tests/fuzz.rs`
// (after a line that imports the crate's `types` module, and before the generated `cases`
// function that names each case's Rust type). Not compiled in the workspace.
//
// Each case is a schema of the spec and the Rust type the generator gave it; the values are
// random JSON the schema allows, written by the xtask into `tests/fuzz-values.json`. Every value
// must decode into the type (as the crate decodes a response: parsed into a `Value` first) and
// re-encode to the same JSON up to the normalisations `same` allows. Failures go to
// `fuzz-report.json` in the crate's folder, which the xtask reads and classifies.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

struct Checker {
    /// Per case, in the order of `cases`: the values to check.
    values: Vec<Vec<Value>>,
    /// Per operation called, in the order of `calls`: `{"status", "response", "args"}`.
    calls: Vec<Vec<Value>>,
    failures: Vec<Value>,
    checked: usize,
    called: usize,
}

/// An argument of a generated method, from its JSON value.
fn arg<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    T::deserialize(value.clone()).map_err(|e| format!("the argument {value} does not decode: {e}"))
}

/// An optional parameter's value: unset when it is `null`.
fn opt<T: DeserializeOwned>(value: &Value) -> Result<Option<T>, String> {
    if value.is_null() {
        Ok(None)
    } else {
        arg(value).map(Some)
    }
}

/// A file part's bytes: the text of its value.
fn file_arg(value: &Value) -> Vec<u8> {
    value.as_str().unwrap_or_default().as_bytes().to_vec()
}

/// The files of a part that is a list of files: each item's text.
fn files_arg(value: &Value) -> Vec<Vec<u8>> {
    value.as_array().into_iter().flatten().map(file_arg).collect()
}

/// A call's result that is bytes, as the text the server sent (UTF-8 by construction).
fn bytes_text(value: &[u8]) -> Result<Option<Value>, String> {
    match std::str::from_utf8(value) {
        Ok(text) => Ok(Some(Value::String(text.to_string()))),
        Err(e) => Err(format!("the bytes returned are not the bytes sent: {e}")),
    }
}

/// A call's result as JSON, to compare with the response sent.
fn encoded<T: Serialize>(value: &T) -> Result<Option<Value>, String> {
    serde_json::to_value(value).map(Some).map_err(|e| format!("the result does not encode: {e}"))
}

/// Pins the output type of a call's `async` block.
async fn run(call: impl std::future::Future<Output = Result<Option<Value>, String>>) -> Result<Option<Value>, String> {
    call.await
}

/// The loopback server answers every request with the status and body of `call`: JSON, the
/// bytes of a text (`raw`), or nothing (no `media`), with the response's media type.
async fn serve(server: &wiremock::MockServer, call: &Value) {
    server.reset().await;
    let status = call["status"].as_u64().unwrap_or(200) as u16;
    let mut template = wiremock::ResponseTemplate::new(status);
    if let Some(media) = call["media"].as_str() {
        let body = match call["response"].as_str() {
            Some(text) if call["raw"] == true => text.as_bytes().to_vec(),
            _ => serde_json::to_vec(&call["response"]).expect("JSON encodes"),
        };
        template = template.set_body_raw(body, media);
    }
    wiremock::Mock::given(wiremock::matchers::any()).respond_with(template).mount(server).await;
}

/// Runs each value of operation `$op` through the generated method: the server answers with the
/// value's response, `$call` (an expression of `args`, the values of the required arguments)
/// calls the method and gives the result as JSON when it is the response's type.
macro_rules! call {
    ($checker:ident, $server:ident, $op:literal, |$args:ident| $call:expr) => {
        for (index, value) in std::mem::take(&mut $checker.calls[$op]).into_iter().enumerate() {
            serve($server, &value).await;
            let $args = value["args"].as_array().cloned().unwrap_or_default();
            let result = run(async { $call }).await;
            let received = $server.received_requests().await.unwrap_or_default();
            let sent = match received.last() {
                Some(request) => compare_request(request, &value["expect"]),
                None => Err("the server received no request".to_string()),
            };
            $checker.judge($op, index, &value["response"], result, sent);
        }
    };
}

impl Checker {
    fn check<T: DeserializeOwned + Serialize>(&mut self, case: usize) {
        let values = std::mem::take(&mut self.values[case]);
        for (index, value) in values.into_iter().enumerate() {
            self.checked += 1;
            let decoded = match T::deserialize(value.clone()) {
                Ok(decoded) => decoded,
                Err(e) => {
                    self.failures.push(json!({"case": case, "index": index, "kind": "decode", "error": e.to_string()}));
                    continue;
                }
            };
            let encoded = match serde_json::to_value(&decoded) {
                Ok(encoded) => encoded,
                Err(e) => {
                    self.failures.push(json!({"case": case, "index": index, "kind": "encode", "error": e.to_string()}));
                    continue;
                }
            };
            if let Some((path, sent, back)) = difference(&value, &encoded, String::new()) {
                self.failures.push(json!({
                    "case": case, "index": index, "kind": "roundtrip",
                    "path": path, "sent": sent, "back": back,
                }));
            }
        }
    }
}

impl Checker {
    /// Each value of case `case` (a webhook's payload), as a request body, parsed by the
    /// webhook's name: it must decode.
    fn webhook(&mut self, case: usize, parse: impl Fn(&[u8]) -> Result<(), String>) {
        for (index, value) in self.values[case].iter().enumerate() {
            let body = serde_json::to_vec(value).expect("JSON encodes");
            if let Err(error) = parse(&body) {
                self.failures.push(json!({"case": case, "index": index, "kind": "webhook", "error": error}));
            }
        }
    }

    fn judge(
        &mut self,
        op: usize,
        index: usize,
        response: &Value,
        result: Result<Option<Value>, String>,
        sent: Result<(), String>,
    ) {
        self.called += 1;
        if let (Ok(_), Err(error)) = (&result, sent) {
            self.failures.push(json!({"call": op, "index": index, "kind": "call-request", "error": error}));
        }
        match result {
            Err(error) => self.failures.push(json!({"call": op, "index": index, "kind": "call", "error": error})),
            Ok(Some(back)) => {
                if let Some((path, sent, back)) = difference(response, &back, String::new()) {
                    self.failures.push(json!({
                        "call": op, "index": index, "kind": "call-roundtrip", "path": path, "sent": sent, "back": back,
                    }));
                }
            }
            Ok(None) => {}
        }
    }
}

/// Whether the request the server received carries what `expect` (written by the xtask from
/// the spec's styles) says: the path (encodings of unreserved characters and hex case aside),
/// the query pairs, headers and cookies of the arguments (decoded; others may be present, such
/// as a credential), and the body (JSON by value, form fields, multipart parts by name).
fn compare_request(request: &wiremock::Request, expect: &Value) -> Result<(), String> {
    if let Some(path) = expect["path"].as_str() {
        let (got, want) = (normal_path(request.url.path()), normal_path(path));
        if got != want {
            return Err(format!("path: sent `{want}` received `{got}`"));
        }
    }
    let pairs = |v: &Value| -> Vec<(String, String)> { serde_json::from_value(v.clone()).unwrap_or_default() };
    if expect["query"].is_array() {
        let got: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        contains("query", &got, &pairs(&expect["query"]))?;
    }
    if expect["headers"].is_array() {
        for (name, want) in pairs(&expect["headers"]) {
            let got: Vec<&str> = request.headers.get_all(name.as_str()).iter().filter_map(|v| v.to_str().ok()).collect();
            if !got.iter().any(|g| same_text(g, &want)) {
                return Err(format!("header `{name}`: sent `{want:?}` received `{got:?}`"));
            }
        }
    }
    if expect["cookies"].is_array() {
        let got: Vec<(String, String)> = request
            .headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('=').map(|(k, v)| (cookie_decode(k), cookie_decode(v))))
            .collect();
        contains("cookies", &got, &pairs(&expect["cookies"]))?;
    }
    let body = &expect["body"];
    if let Some(want) = body.get("json") {
        let got: Value = serde_json::from_slice(&request.body).map_err(|e| format!("the JSON body does not parse: {e}"))?;
        if let Some((path, sent, back)) = difference(want, &got, String::new()) {
            return Err(format!("JSON body at `{path}`: sent `{sent}` received `{back}`"));
        }
    }
    if let Some(want) = body.get("form").filter(|f| f.is_array()) {
        let text = String::from_utf8_lossy(&request.body);
        let got: Vec<(String, String)> = text
            .split('&')
            .filter(|f| !f.is_empty())
            .map(|f| {
                let (k, v) = f.split_once('=').unwrap_or((f, ""));
                (form_decode(k), form_decode(v))
            })
            .collect();
        contains("form", &got, &pairs(want))?;
    }
    if let Some(want) = body.get("raw").and_then(Value::as_str) {
        if request.body != want.as_bytes() {
            let got = String::from_utf8_lossy(&request.body);
            return Err(format!("raw body: sent `{want:?}` received `{got:?}`"));
        }
        let essence = |t: &str| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let got = request.headers.get("content-type").and_then(|v| v.to_str().ok()).map(essence).unwrap_or_default();
        let offered: Vec<String> =
            body["content_types"].as_array().into_iter().flatten().filter_map(Value::as_str).map(essence).collect();
        // `*/*` or `image/*` offered: any type of that range.
        let allowed = offered.iter().any(|t| {
            *t == got || t == "*/*" || t.strip_suffix("/*").is_some_and(|range| got.starts_with(&format!("{range}/")))
        });
        if !allowed {
            return Err(format!("raw body: content type `{got}` is none of `{offered:?}`"));
        }
    }
    if let Some(want) = body.get("multipart") {
        let got = multipart_fields(request)?;
        contains("multipart", &got, &pairs(want))?;
    }
    Ok(())
}

/// A cookie's name or value as sent, its percent-encoding undone (the client encodes what a
/// cookie cannot hold as written).
fn cookie_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// A path with percent-encoded unreserved characters decoded and the other escapes in upper case.
fn normal_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
                i += 3;
                continue;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

fn form_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " ")).decode_utf8_lossy().into_owned()
}

/// Two texts alike: equal, numbers of one value, date-times of one instant, or (the xtask marks
/// them `\u{1}json:`) JSON texts of one value.
fn same_text(got: &str, want: &str) -> bool {
    if let Some(json) = want.strip_prefix("\u{1}json:") {
        return match (serde_json::from_str::<Value>(got), serde_json::from_str::<Value>(json)) {
            (Ok(g), Ok(w)) => difference(&w, &g, String::new()).is_none(),
            _ => false,
        };
    }
    if got == want {
        return true;
    }
    if let (Ok(g), Ok(w)) = (got.parse::<f64>(), want.parse::<f64>()) {
        return g == w;
    }
    matches!(
        (chrono::DateTime::parse_from_rfc3339(got), chrono::DateTime::parse_from_rfc3339(want)),
        (Ok(p), Ok(q)) if p == q
    )
}

/// Every pair of `want` is in `got` (as many times as it is in `want`).
fn contains(what: &str, got: &[(String, String)], want: &[(String, String)]) -> Result<(), String> {
    let mut left: Vec<&(String, String)> = got.iter().collect();
    for (k, v) in want {
        match left.iter().position(|(gk, gv)| gk == k && same_text(gv, v)) {
            Some(i) => {
                left.remove(i);
            }
            None => return Err(format!("{what}: sent `{k}={v:?}`, received `{got:?}`")),
        }
    }
    Ok(())
}

/// The parts of a `multipart/form-data` body: (name, content as text).
fn multipart_fields(request: &wiremock::Request) -> Result<Vec<(String, String)>, String> {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .ok_or_else(|| format!("not a multipart body: {content_type}"))?
        .trim_matches('"');
    let body = String::from_utf8_lossy(&request.body);
    let mut out = Vec::new();
    for part in body.split(&format!("--{boundary}")).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let (head, content) = part.split_once("\r\n\r\n").ok_or("a part without headers")?;
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        let name = head
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .and_then(|l| l.split(';').find_map(|p| p.trim().strip_prefix("name=")))
            .map(|n| n.trim_matches('"').to_string())
            .ok_or("a part without a name")?;
        out.push((name, content.to_string()));
    }
    Ok(out)
}

/// The first place where `a` (sent) and `b` (re-encoded) differ beyond the normalisations: numbers
/// compare by value, date-times by instant, an object member set to `null` equals an absent one.
fn difference(a: &Value, b: &Value, path: String) -> Option<(String, Value, Value)> {
    let differ = || Some((path.clone(), a.clone(), b.clone()));
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x != y && x.as_f64() != y.as_f64()).then(differ).flatten(),
        (Value::String(x), Value::String(y)) => {
            let same_instant = matches!(
                (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)),
                (Ok(p), Ok(q)) if p == q
            );
            (x != y && !same_instant).then(differ).flatten()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| difference(p, q, format!("{path}/{i}")))
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            keys.into_iter().find_map(|k| {
                let inner = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => difference(p, q, inner),
                    (Some(p), None) | (None, Some(p)) if p.is_null() => None,
                    (p, q) => Some((inner, p.cloned().unwrap_or(Value::Null), q.cloned().unwrap_or(Value::Null))),
                }
            })
        }
        _ => (a != b).then(differ).flatten(),
    }
}

#[tokio::test]
async fn fuzz() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{dir}/tests/fuzz-values.json")).expect("the xtask wrote the values");
    let mut all: Value = serde_json::from_str(&text).expect("the values are JSON");
    let lists = |v: Value| -> Vec<Vec<Value>> { serde_json::from_value(v).expect("lists of values") };
    let (values, made_calls) = (lists(all["cases"].take()), lists(all["calls"].take()));
    let mut checker = Checker { values, calls: made_calls, failures: Vec::new(), checked: 0, called: 0 };
    cases(&mut checker);
    let server = wiremock::MockServer::start().await;
    calls(&mut checker, &server).await;
    let report = json!({"checked": checker.checked, "called": checker.called, "failures": checker.failures});
    std::fs::write(format!("{dir}/fuzz-report.json"), report.to_string()).expect("the report is written");
    assert!(
        checker.failures.is_empty(),
        "{} of {} values and {} calls failed (see fuzz-report.json)",
        checker.failures.len(),
        checker.checked,
        checker.called
    );
}
