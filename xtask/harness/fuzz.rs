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

/// A call's result as JSON, to compare with the response sent.
fn encoded<T: Serialize>(value: &T) -> Result<Option<Value>, String> {
    serde_json::to_value(value).map(Some).map_err(|e| format!("the result does not encode: {e}"))
}

/// Pins the output type of a call's `async` block.
async fn run(call: impl std::future::Future<Output = Result<Option<Value>, String>>) -> Result<Option<Value>, String> {
    call.await
}

/// The loopback server answers every request with the status and body of `call`.
async fn serve(server: &wiremock::MockServer, call: &Value) {
    server.reset().await;
    let status = call["status"].as_u64().unwrap_or(200) as u16;
    let body = serde_json::to_vec(&call["response"]).expect("JSON encodes");
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(server)
        .await;
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
            $checker.judge($op, index, &value["response"], result);
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
    fn judge(&mut self, op: usize, index: usize, response: &Value, result: Result<Option<Value>, String>) {
        self.called += 1;
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
