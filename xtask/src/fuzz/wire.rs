//! What the server must receive for a call's arguments: each parameter serialized per its
//! `style` and `explode` as the OpenAPI specification's table of style examples spells them
//! (RFC 6570 for path parameters), and the fields of a form body and the parts of a multipart
//! body. Written from the document as written, independently of the generated runtime, which is
//! what the check compares against.
//!
//! Values nested deeper than one level (an object inside an array parameter) have no spelling
//! in the styles. Where such a value is a whole query, cookie or form field, it is sent as its
//! JSON text (the runtime's documented spelling), compared by value; where it would be joined
//! with others (a path, a header, a list not exploded), the argument gets no expectation
//! (`None`, counted as unchecked), and its call is still made.

use serde_json::{json, Value};

/// Where an argument of a generated method goes.
#[derive(Clone, Debug)]
pub enum Arg {
    Path {
        name: String,
        style: String,
        explode: bool,
    },
    Query {
        name: String,
        style: String,
        explode: bool,
    },
    Header {
        name: String,
        explode: bool,
    },
    Cookie {
        name: String,
        explode: bool,
    },
    /// The JSON body.
    Json,
    /// The form body, with its `encoding` object (by property: `style`, `explode`, `contentType`).
    Form {
        encoding: Value,
    },
    /// A text or binary body (`binary`: the method takes bytes), with the media types the body
    /// offers (the client sends one of them as its `Content-Type`).
    Raw {
        binary: bool,
        media: Vec<String>,
    },
    /// A multipart part; `file` for binary data, `list` for an array of files (one part each).
    Part {
        name: String,
        file: bool,
        list: bool,
    },
}

impl Arg {
    /// The parameter of a Parameter Object as written (`style` and `explode` with their
    /// defaults per location).
    pub fn param(param: &Value) -> Option<Arg> {
        let name = param.get("name")?.as_str()?.to_string();
        let location = param.get("in")?.as_str()?;
        let default_style = match location {
            "query" | "cookie" => "form",
            _ => "simple",
        };
        let style = param.get("style").and_then(Value::as_str).unwrap_or(default_style).to_string();
        let explode = param.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        Some(match location {
            "path" => Arg::Path { name, style, explode },
            "query" => Arg::Query { name, style, explode },
            "header" => Arg::Header { name, explode },
            "cookie" => Arg::Cookie { name, explode },
            _ => return None,
        })
    }
}

/// A scalar's text (`null` as nothing); `None` for an object or array.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => Some(String::new()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        _ => None,
    }
}

/// An item of an array or a member of an object: a scalar's text, or a nested object or array
/// as its JSON text (marked, see [`json_text`]).
fn item_text(v: &Value) -> String {
    text(v).unwrap_or_else(|| json_text(v))
}

/// Whether a text is a nested value's JSON text, which cannot be joined with others.
fn nested(t: &str) -> bool {
    t.starts_with('\u{1}')
}

/// A parameter value as OpenAPI sees it: one text, an array's texts or an object's
/// properties (those that are `null` left out, as undefined).
enum Parts {
    One(String),
    List(Vec<String>),
    Pairs(Vec<(String, String)>),
}

impl Parts {
    /// Whether an item or member is a nested value.
    fn nested(&self) -> bool {
        match self {
            Parts::One(t) => nested(t),
            Parts::List(items) => items.iter().any(|t| nested(t)),
            Parts::Pairs(pairs) => pairs.iter().any(|(_, t)| nested(t)),
        }
    }
}

fn parts(v: &Value) -> Option<Parts> {
    Some(match v {
        Value::Array(items) => Parts::List(items.iter().map(item_text).collect()),
        Value::Object(members) => {
            Parts::Pairs(members.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), item_text(v))).collect())
        }
        other => Parts::One(text(other)?),
    })
}

/// RFC 3986 unreserved characters stay, everything else is percent-encoded (RFC 6570's
/// expansion of a value).
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoded text (`+` a space, as in a query).
fn decode(text: &str) -> String {
    sdkgen::spec::pointer::percent_decode(&text.replace('+', " ")).into_owned()
}

/// A path parameter's text in the path, encoded, its delimiters kept.
fn path_value(name: &str, style: &str, explode: bool, v: &Value) -> Option<String> {
    let p = parts(v)?;
    if p.nested() {
        return None;
    }
    let e = |s: &String| encode(s);
    let name = encode(name);
    let pairs_eq = |pairs: &[(String, String)], sep: &str| {
        pairs.iter().map(|(k, v)| format!("{}={}", e(k), e(v))).collect::<Vec<_>>().join(sep)
    };
    let flat = |pairs: &[(String, String)]| pairs.iter().flat_map(|(k, v)| [e(k), e(v)]).collect::<Vec<_>>().join(",");
    let list = |items: &[String], sep: &str| items.iter().map(e).collect::<Vec<_>>().join(sep);
    Some(match (style, &p) {
        ("simple", Parts::One(v)) => e(v),
        ("simple", Parts::List(items)) => list(items, ","),
        ("simple", Parts::Pairs(pairs)) if explode => pairs_eq(pairs, ","),
        ("simple", Parts::Pairs(pairs)) => flat(pairs),
        ("label", Parts::One(v)) => format!(".{}", e(v)),
        ("label", Parts::List(items)) => format!(".{}", list(items, if explode { "." } else { "," })),
        ("label", Parts::Pairs(pairs)) if explode => format!(".{}", pairs_eq(pairs, ".")),
        ("label", Parts::Pairs(pairs)) => format!(".{}", flat(pairs)),
        ("matrix", Parts::One(v)) => format!(";{name}={}", e(v)),
        ("matrix", Parts::List(items)) if items.is_empty() => format!(";{name}"),
        ("matrix", Parts::List(items)) if explode => items.iter().map(|v| format!(";{name}={}", e(v))).collect(),
        ("matrix", Parts::List(items)) => format!(";{name}={}", list(items, ",")),
        ("matrix", Parts::Pairs(pairs)) if explode => {
            pairs.iter().map(|(k, v)| format!(";{}={}", e(k), e(v))).collect()
        }
        ("matrix", Parts::Pairs(pairs)) => format!(";{name}={}", flat(pairs)),
        _ => return None,
    })
}

/// A query parameter's pairs, decoded.
fn query_pairs(name: &str, style: &str, explode: bool, v: &Value) -> Option<Vec<(String, String)>> {
    if style == "deepObject" {
        let mut out = Vec::new();
        deep(name, v, &mut out);
        return Some(out);
    }
    let sep = match style {
        "spaceDelimited" => " ",
        "pipeDelimited" => "|",
        _ => ",",
    };
    Some(match parts(v)? {
        Parts::One(t) => vec![(name.to_string(), t)],
        Parts::List(items) if explode && style == "form" => items.into_iter().map(|t| (name.to_string(), t)).collect(),
        Parts::Pairs(pairs) if explode && style == "form" => pairs,
        p if p.nested() => return None,
        Parts::List(items) => vec![(name.to_string(), items.join(sep))],
        Parts::Pairs(pairs) => {
            vec![(name.to_string(), pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(sep))]
        }
    })
}

/// `name[key]=value` pairs (deepObject), nested objects by their keys, arrays of values as
/// `name[]`, arrays of containers by index (the runtime's documented spelling where OpenAPI has
/// none).
fn deep(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                deep(&format!("{prefix}[{k}]"), child, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let key = if child.is_object() || child.is_array() {
                    format!("{prefix}[{i}]")
                } else {
                    format!("{prefix}[]")
                };
                deep(&key, child, out);
            }
        }
        Value::Null => {}
        other => out.push((prefix.to_string(), text(other).unwrap_or_default())),
    }
}

/// A header's value (`simple`).
fn header_value(explode: bool, v: &Value) -> Option<String> {
    Some(match parts(v)? {
        p if p.nested() => return None,
        Parts::One(t) => t,
        Parts::List(items) => items.join(","),
        Parts::Pairs(pairs) if explode => pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        Parts::Pairs(pairs) => pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(","),
    })
}

/// A cookie parameter's cookies (`form`).
fn cookie_pairs(name: &str, explode: bool, v: &Value) -> Option<Vec<(String, String)>> {
    Some(match parts(v)? {
        Parts::One(t) => vec![(name.to_string(), t)],
        Parts::List(items) if explode => items.into_iter().map(|t| (name.to_string(), t)).collect(),
        Parts::Pairs(pairs) if explode => pairs,
        p if p.nested() => return None,
        Parts::List(items) => vec![(name.to_string(), items.join(","))],
        Parts::Pairs(pairs) => {
            vec![(name.to_string(), pairs.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(","))]
        }
    })
}

/// The fields of a form body (decoded): each property per its `encoding` entry (default `form`,
/// exploded); a JSON `contentType` sends the JSON text; `null` properties are not sent.
fn form_fields(body: &Value, encoding: &Value) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, v) in body.as_object()? {
        if v.is_null() {
            continue;
        }
        let rule = encoding.get(name);
        let json_type =
            rule.and_then(|r| r.get("contentType")).and_then(Value::as_str).is_some_and(|c| c.contains("json"));
        if json_type {
            out.push((name.clone(), json_text(v)));
            continue;
        }
        let style = rule.and_then(|r| r.get("style")).and_then(Value::as_str).unwrap_or("form");
        let explode = rule.and_then(|r| r.get("explode")).and_then(Value::as_bool).unwrap_or(style == "form");
        out.extend(query_pairs(name, style, explode, v)?);
    }
    Some(out)
}

/// A JSON value's text, marked so the check compares it as JSON.
fn json_text(v: &Value) -> String {
    format!("\u{1}json:{v}")
}

/// What the server must receive for `args` (their values in order) of an operation at `path`
/// (the template): `{"path", "query", "headers", "cookies", "body"}`, each `null` when it
/// cannot be said (see the module docs).
pub fn expect(path: &str, kinds: &[Arg], args: &[Value]) -> Value {
    // A fragment in the template (Box's `/files/{file_id}#add_shared_link`, which tells
    // operations on one path apart) is never sent.
    let path = path.split('#').next().unwrap_or(path);
    // A query in the template (Anthropic's `/v1/messages?beta=true`) is sent as query pairs.
    let (path, literal) = path.split_once('?').unwrap_or((path, ""));
    let mut url = Some(path.to_string());
    let literal: Vec<(String, String)> = literal
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let (mut query, mut headers, mut cookies) = (Some(literal), Some(Vec::new()), Some(Vec::new()));
    let mut body = Value::Null;
    let mut multipart = Vec::new();
    for (kind, v) in kinds.iter().zip(args) {
        // An optional parameter left unset is not sent.
        if v.is_null() && matches!(kind, Arg::Query { .. } | Arg::Header { .. } | Arg::Cookie { .. }) {
            continue;
        }
        match kind {
            Arg::Path { name, style, explode } => {
                url = match (url, path_value(name, style, *explode, v)) {
                    (Some(u), Some(text)) => Some(u.replace(&format!("{{{name}}}"), &text)),
                    _ => None,
                };
            }
            Arg::Query { name, style, explode } => match (&mut query, query_pairs(name, style, *explode, v)) {
                (Some(q), Some(pairs)) => q.extend(pairs),
                _ => query = None,
            },
            Arg::Header { name, explode } => match (&mut headers, header_value(*explode, v)) {
                (Some(h), Some(text)) => h.push((name.to_ascii_lowercase(), text)),
                _ => headers = None,
            },
            Arg::Cookie { name, explode } => match (&mut cookies, cookie_pairs(name, *explode, v)) {
                (Some(c), Some(pairs)) => c.extend(pairs),
                _ => cookies = None,
            },
            Arg::Json => body = json!({"json": v}),
            Arg::Form { encoding } => body = json!({"form": form_fields(v, encoding)}),
            Arg::Raw { media, .. } => {
                body = json!({"raw": v.as_str().unwrap_or_default(), "content_types": media});
            }
            Arg::Part { name, file, .. } => {
                let texts: Vec<String> = match v {
                    Value::Array(items) if *file => {
                        items.iter().map(|i| i.as_str().unwrap_or_default().to_string()).collect()
                    }
                    _ if *file => vec![v.as_str().unwrap_or_default().to_string()],
                    Value::Array(items) if items.iter().all(|i| text(i).is_some() && !i.is_null()) => {
                        items.iter().filter_map(text).collect()
                    }
                    Value::Null => Vec::new(),
                    other => vec![text(other).unwrap_or_else(|| json_text(other))],
                };
                multipart.extend(texts.into_iter().map(|t| json!([name, t])));
            }
        }
    }
    if !multipart.is_empty() {
        body = json!({"multipart": multipart});
    }
    json!({"path": url, "query": query, "headers": headers, "cookies": cookies, "body": body})
}

/// Whether part of the request `expect` describes could not be said (a value with no spelling in
/// its style): that part goes unchecked.
pub fn unchecked(expect: &Value) -> bool {
    ["path", "query", "headers", "cookies"].iter().any(|k| expect[*k].is_null())
        || expect["body"].get("form").is_some_and(Value::is_null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(param: Value) -> Arg {
        Arg::param(&param).expect("a parameter")
    }

    /// The OpenAPI specification's table of style examples (objects in the order they are written).
    #[test]
    fn styles_follow_the_specification_table() {
        let list = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        let path = |style: &str, explode: bool, v: &Value| {
            let kind = arg(json!({"name": "color", "in": "path", "style": style, "explode": explode}));
            expect("/x/{color}", &[kind], std::slice::from_ref(v))["path"].as_str().unwrap().to_string()
        };
        assert_eq!(path("simple", false, &list), "/x/blue,black,brown");
        assert_eq!(path("simple", true, &object), "/x/R=100,G=200,B=150");
        assert_eq!(path("label", true, &list), "/x/.blue.black.brown");
        assert_eq!(path("label", false, &object), "/x/.R,100,G,200,B,150");
        assert_eq!(path("matrix", true, &list), "/x/;color=blue;color=black;color=brown");
        assert_eq!(path("matrix", false, &json!("a b/c")), "/x/;color=a%20b%2Fc");
        let query = |style: &str, explode: bool, v: &Value| {
            let kind = arg(json!({"name": "color", "in": "query", "style": style, "explode": explode}));
            expect("/x", &[kind], std::slice::from_ref(v))["query"].clone()
        };
        assert_eq!(query("form", true, &list), json!([["color", "blue"], ["color", "black"], ["color", "brown"]]));
        assert_eq!(query("form", false, &object), json!([["color", "R,100,G,200,B,150"]]));
        assert_eq!(query("spaceDelimited", false, &list), json!([["color", "blue black brown"]]));
        assert_eq!(query("pipeDelimited", false, &list), json!([["color", "blue|black|brown"]]));
        assert_eq!(query("deepObject", true, &json!({"R": 100})), json!([["color[R]", "100"]]));
        let header = arg(json!({"name": "X-Color", "in": "header", "explode": true}));
        assert_eq!(
            expect("/x", &[header], std::slice::from_ref(&object))["headers"],
            json!([["x-color", "R=100,G=200,B=150"]])
        );
        let cookie = arg(json!({"name": "color", "in": "cookie", "explode": false}));
        assert_eq!(expect("/x", &[cookie], &[list])["cookies"], json!([["color", "blue,black,brown"]]));
        // A fragment is not part of what is sent; a query in the template is query pairs.
        assert_eq!(expect("/files/{id}#copy", &[], &[])["path"], json!("/files/{id}"));
        let literal = expect("/v1/messages?beta=true&x=a%20b", &[], &[]);
        assert_eq!(
            (&literal["path"], &literal["query"]),
            (&json!("/v1/messages"), &json!([["beta", "true"], ["x", "a b"]]))
        );
    }

    /// An optional parameter left unset (`null`) is expected nowhere in the request.
    #[test]
    fn unset_parameters_are_not_sent() {
        let query = arg(json!({"name": "limit", "in": "query"}));
        let header = arg(json!({"name": "X-Trace", "in": "header"}));
        let cookie = arg(json!({"name": "session", "in": "cookie"}));
        let got = expect("/x", &[query.clone(), header, cookie], &[Value::Null, Value::Null, Value::Null]);
        assert_eq!((&got["query"], &got["headers"], &got["cookies"]), (&json!([]), &json!([]), &json!([])));
        assert!(!unchecked(&got));
        assert_eq!(expect("/x", &[query], &[json!(3)])["query"], json!([["limit", "3"]]));
    }

    #[test]
    fn raw_bodies_and_lists_of_files() {
        let raw = Arg::Raw { binary: true, media: vec!["image/png".into()] };
        assert_eq!(
            expect("/x", &[raw], &[json!("\u{0}ab")])["body"],
            json!({"raw": "\u{0}ab", "content_types": ["image/png"]})
        );
        let photos = Arg::Part { name: "photos".into(), file: true, list: true };
        let title = Arg::Part { name: "title".into(), file: false, list: false };
        let got = expect("/x", &[title, photos], &[json!("t"), json!(["a", ""])]);
        assert_eq!(got["body"], json!({"multipart": [["title", "t"], ["photos", "a"], ["photos", ""]]}));
        assert!(!unchecked(&got));
        // An object inside an array has no spelling in a header: that part goes unchecked.
        let header = arg(json!({"name": "X-A", "in": "header"}));
        assert!(unchecked(&expect("/x", &[header], &[json!([{"a": 1}])])));
    }

    #[test]
    fn nested_values_are_json_text_where_they_are_a_whole_field() {
        let points = json!([{"x": 1}, {"x": 2}]);
        let query = |explode: bool| {
            let kind = arg(json!({"name": "p", "in": "query", "explode": explode}));
            expect("/x", &[kind], std::slice::from_ref(&points))["query"].clone()
        };
        assert_eq!(query(true), json!([["p", "\u{1}json:{\"x\":1}"], ["p", "\u{1}json:{\"x\":2}"]]));
        // Joined with others, a JSON text has no spelling to compare: unchecked.
        assert_eq!(query(false), Value::Null);
        let object = arg(json!({"name": "o", "in": "query"}));
        let got = expect("/x", &[object], &[json!({"corner": {"x": 1}, "label": "a"})]);
        assert_eq!(got["query"], json!([["corner", "\u{1}json:{\"x\":1}"], ["label", "a"]]));
        let path = arg(json!({"name": "id", "in": "path"}));
        assert!(unchecked(&expect("/x/{id}", &[path], &[points])));
    }

    #[test]
    fn form_fields_follow_the_encoding_object() {
        let encoding =
            json!({"tags": {"style": "form", "explode": false}, "meta": {"contentType": "application/json"}});
        let body = json!({"tags": ["a", "b"], "point": {"x": 1}, "meta": {"k": [1]}, "gone": null});
        let got = expect("/x", &[Arg::Form { encoding }], &[body]);
        // `point` exploded into its members, `meta` as JSON text, `gone` not sent.
        assert_eq!(got["body"]["form"], json!([["tags", "a,b"], ["x", "1"], ["meta", "\u{1}json:{\"k\":[1]}"]]));
    }
}
