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
    failures: Vec<Value>,
    checked: usize,
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

#[test]
fn fuzz() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{dir}/tests/fuzz-values.json")).expect("the xtask wrote the values");
    let values: Vec<Vec<Value>> = serde_json::from_str(&text).expect("the values are JSON");
    let mut checker = Checker { values, failures: Vec::new(), checked: 0 };
    cases(&mut checker);
    let report = json!({"checked": checker.checked, "failures": checker.failures});
    std::fs::write(format!("{dir}/fuzz-report.json"), report.to_string()).expect("the report is written");
    assert!(
        checker.failures.is_empty(),
        "{} of {} values failed (see fuzz-report.json)",
        checker.failures.len(),
        checker.checked
    );
}
