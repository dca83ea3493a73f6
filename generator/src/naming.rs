//! Naming: the only module that turns spec spellings into Rust identifiers.
//!
//! Every identifier in the output comes from here, so case conversion (heck's, on the words
//! `words` spells out), keyword escaping, symbol spelling and collision handling are decided in
//! one place and table-tested.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust's keywords, strict and reserved (a `match`: every field and type name is looked up).
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
            | "union"
    )
}

/// Keywords that cannot be raw identifiers (`r#self` is invalid), so they get a `_` suffix.
fn is_not_raw(ident: &str) -> bool {
    matches!(ident, "self" | "Self" | "super" | "crate" | "extern" | "_")
}

/// The word a symbol stands for wherever it appears (`-` and `.` depend on their neighbours and
/// are handled by the callers).
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => " plus ",
        '*' => " star ",
        '@' => " at ",
        '#' => " hash ",
        '%' => " percent ",
        '&' => " and ",
        '=' => " eq ",
        '<' => " lt ",
        '>' => " gt ",
        '!' => " not ",
        '~' => " tilde ",
        _ => return None,
    })
}

/// Splits a spec name into words, spelling out symbols that carry meaning (`+1` -> `plus 1`,
/// a leading `-1` -> `minus 1`) so that `reactions-+1` and `reactions--1` stay distinct. The
/// result is ASCII letters, digits and spaces only: identifiers must stay portable and readable.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut prev: Option<char> = None;
    for (i, c) in raw.char_indices() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            // Whether a digit follows: an ASCII digit is one byte, and no other character's
            // encoding holds that byte.
            let next_digit = raw.as_bytes().get(i + c.len_utf8()).is_some_and(u8::is_ascii_digit);
            match c {
                '-' if next_digit && !prev.is_some_and(char::is_alphanumeric) => out.push_str(" minus "),
                '.' if next_digit && prev.is_some_and(|p| p.is_ascii_digit()) => out.push_str(" point "),
                c => out.push_str(symbol_word(c).unwrap_or(" ")),
            }
        }
        prev = Some(c);
    }
    out
}

/// `UpperCamelCase` for types and variants.
pub fn type_ident(raw: &str) -> String {
    let camel = words(raw).to_upper_camel_case();
    let camel = if camel.is_empty() { "Value".to_string() } else { camel };
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) { format!("V{camel}") } else { camel };
    escape_keyword(camel)
}

/// `snake_case` for fields, methods and parameters.
pub fn value_ident(raw: &str) -> String {
    let snake = words(raw).to_snake_case();
    let snake = if snake.is_empty() { "value".to_string() } else { snake };
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) { format!("_{snake}") } else { snake };
    escape_keyword(snake)
}

fn escape_keyword(ident: String) -> String {
    if is_not_raw(&ident) {
        format!("{ident}_")
    } else if is_keyword(&ident) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The ASCII words of `text`, lower-cased and joined by `-` (apostrophes dropped, so "GitHub's"
/// is one word): crate and feature names, typed by people.
pub fn kebab_words(text: &str) -> String {
    let cleaned: String = text.chars().filter(|c| *c != '\'' && *c != '\u{2019}').collect();
    let words: Vec<String> = cleaned
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// The crate name (`kebab-case`) for a title such as "Peeker Partner API": its ASCII words,
/// lower-cased, symbols dropped (crate names are typed by people; `plus`/`not` would surprise).
/// Always a valid crate name ([`crate_name_problem`]): `api-client-..` when it would start with a
/// digit or be a keyword or a standard crate, and cut to 64 characters at a word.
pub fn crate_name(title: &str) -> String {
    let name = kebab_words(title);
    let name = cut_at_word(&name, MAX_CRATE_NAME);
    if name.is_empty() {
        "api-client".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) || is_reserved_crate_name(name) {
        format!("api-client-{}", cut_at_word(name, MAX_CRATE_NAME - "api-client-".len()))
    } else {
        name.to_string()
    }
}

/// `name` (ASCII words joined by `-`) cut to at most `max` characters, at a word when it can.
fn cut_at_word(name: &str, max: usize) -> &str {
    if name.len() <= max {
        return name;
    }
    &name[..name[..=max].rfind('-').unwrap_or(max)]
}

/// The longest crate name crates.io accepts.
const MAX_CRATE_NAME: usize = 64;

/// A Rust keyword or a crate of the standard library: cargo refuses the first as a crate name,
/// and `use std::Client` would not name the second.
fn is_reserved_crate_name(name: &str) -> bool {
    let name = name.replace('-', "_");
    is_keyword(&name) || is_not_raw(&name) || matches!(name.as_str(), "std" | "core" | "alloc" | "proc_macro" | "test")
}

/// Why `name` cannot be the generated crate's name, or `None` when it can: an ASCII letter, then
/// ASCII letters, digits, `-` and `_`, at most 64 characters, neither a Rust keyword nor a crate
/// of the standard library.
pub fn crate_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > MAX_CRATE_NAME {
        Some("a crate name has 1 to 64 characters")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("a crate name starts with an ASCII letter")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some("a crate name holds only ASCII letters, digits, `-` and `_`")
    } else if is_reserved_crate_name(name) {
        Some("a crate name is not a Rust keyword or a crate of the standard library")
    } else {
        None
    }
}

/// One namespace (a module's types, a struct's fields, an enum's variants). Names are handed out
/// in call order; a collision gets the smallest free numeric suffix, so the result is
/// deterministic for a deterministic call order.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// Per suffixed base, the suffix to try next: every smaller one was taken when tried, and
    /// names are never released, so this keeps `claim` linear when thousands of names collide
    /// (an enum of 20,000 non-ASCII values all spelled `Value`).
    next_suffix: std::collections::BTreeMap<String, usize>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| s.to_string()).collect(), next_suffix: Default::default() }
    }

    /// Claims `candidate`, or `candidate2`, `candidate3`, ... (with `_` for snake case).
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.taken.insert(candidate.to_string()) {
            return candidate.to_string();
        }
        let base = candidate.trim_start_matches("r#");
        // An escaped type keyword (`Self_`) takes its number without the `_`: `Self_2` is not
        // upper camel case, `Self2` is.
        let camel = base.chars().next().is_some_and(char::is_uppercase);
        let base = if camel { base.trim_end_matches('_') } else { base };
        let sep = if base.contains('_') || base.chars().next().is_some_and(|c| c.is_lowercase() || c == '_') {
            "_"
        } else {
            ""
        };
        let key = format!("{base}{sep}");
        let next = self.next_suffix.entry(key.clone()).or_insert(2);
        loop {
            let name = format!("{key}{next}");
            *next += 1;
            if self.taken.insert(name.clone()) {
                return name;
            }
        }
    }
}

/// Methods a request type's setter must not take: its constructor, and the by-value or
/// by-reference methods of the traits generated types implement or that std brings into scope
/// for every type, which a setter of that name would shadow in method calls (`x.clone()`).
// Also the methods of std's operator and conversion traits, which clippy's
// `should_implement_trait` refuses as inherent methods (Kubernetes' capabilities: `add`, `drop`).
const RESERVED_SETTERS: &[&str] = &[
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
    "deref",
    "deref_mut",
    "drop",
    "index",
    "index_mut",
    "from_iter",
    "from_str",
    "into_iter",
    "next",
    "new",
    "default",
    "clone",
    "clone_from",
    "clone_into",
    "eq",
    "ne",
    "fmt",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "to_string",
    "borrow",
    "borrow_mut",
    "as_ref",
    "as_mut",
    "serialize",
    "deserialize",
    "type_id",
    "hash",
    "cmp",
    "partial_cmp",
    "max",
    "min",
    "clamp",
    "lt",
    "le",
    "gt",
    "ge",
];

/// The setter names of a request type's fields, in field order: the field's own name, or
/// `set_<name>` where that would be a reserved method (then numbered if still taken).
pub fn setter_names<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    setter_names_avoiding(fields, RESERVED_SETTERS)
}

/// The setter names of a request builder's optional parameters: the parameter's own name, or
/// `set_<name>` where it is a binary operator's method (`sub`: a `fn sub(self, value) -> Self`
/// reads as `std::ops::Sub`). A builder has no trait methods to shadow (it is not `Ord`, and
/// `From::from` takes no `self`), so `from`, `max` or `into` stay as written.
pub fn builder_setter_names<'a>(params: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    setter_names_avoiding(params, &RESERVED_SETTERS[..OPERATOR_METHODS])
}

/// How many names at the start of [`RESERVED_SETTERS`] are the methods of `std::ops` traits
/// that take `self` and one value.
const OPERATOR_METHODS: usize = 12;

fn setter_names_avoiding<'a>(fields: impl IntoIterator<Item = &'a str>, reserved: &[&str]) -> Vec<String> {
    let fields: Vec<&str> = fields.into_iter().collect();
    let mut scope = Scope::with_reserved(reserved);
    // A field's own name comes first: `set_x` only takes what no field is called.
    let plain: Vec<bool> = fields.iter().map(|f| !reserved.contains(f)).collect();
    for (f, plain) in fields.iter().zip(&plain) {
        if *plain {
            scope.taken.insert(f.to_string());
        }
    }
    fields
        .iter()
        .zip(plain)
        .map(|(f, plain)| if plain { f.to_string() } else { scope.claim(&format!("set_{f}")) })
        .collect()
}

/// Methods a namespace handle's method must not take: those of the traits the handle implements
/// (`Clone`, `Copy`, `Debug`) or that std implements for every type (`Into`, `Borrow`, `Any`), which
/// it would shadow, and the `&self` methods of std traits that clippy's `should_implement_trait`
/// asks to implement instead. Operator methods (`add`, `not`) take `self` by value in their
/// traits, so a `&self` method of that name is fine (GitHub's `enterprise-team-memberships/add`).
const RESERVED_NAMESPACE_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "clone_into",
    "to_owned",
    "fmt",
    "into",
    "try_into",
    "from",
    "try_from",
    "borrow",
    "borrow_mut",
    "type_id",
    "as_ref",
    "as_mut",
    "deref",
    "deref_mut",
    "hash",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "index",
    "index_mut",
    "to_string",
    "default",
    "from_str",
    "from_iter",
    "into_iter",
    "drop",
];

/// Whether a method of a namespace handle may not take `name` (see [`RESERVED_NAMESPACE_METHODS`]).
pub fn is_reserved_namespace_method(name: &str) -> bool {
    RESERVED_NAMESPACE_METHODS.contains(&name)
}

/// A scope for the methods of one namespace handle.
pub fn namespace_method_scope() -> Scope {
    Scope::with_reserved(RESERVED_NAMESPACE_METHODS)
}

/// The words of a spec name in snake case, before keyword escaping (`repos/get-by-id` ->
/// `repos_get_by_id`).
fn snake_words(raw: &str) -> String {
    words(raw).to_snake_case()
}

/// The method of an operation in its tag's namespace (`[client] namespaces = "tags"`): its
/// `operationId` in snake case, without the tag's words where it starts with them
/// (`repos/create-for-authenticated-user` under `repos` -> `create_for_authenticated_user`,
/// `listPets` under `pets` -> `list_pets`). Depends on nothing but the two names, so no other
/// operation can change it (collisions aside).
pub fn tag_method(tag: &str, operation_id: &str) -> String {
    let (tag, op) = (snake_words(tag), snake_words(operation_id));
    let rest =
        op.strip_prefix(tag.as_str()).and_then(|r| r.strip_prefix('_')).filter(|r| !tag.is_empty() && !r.is_empty());
    value_ident(rest.unwrap_or(&op))
}

/// A path segment that names an API version (`v1`, `v2beta1`) rather than a resource.
fn is_version_segment(seg: &str) -> bool {
    let mut chars = seg.chars();
    chars.next().is_some_and(|c| c == 'v' || c == 'V')
        && chars.next().is_some_and(|c| c.is_ascii_digit())
        && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}

fn is_param_segment(seg: &str) -> bool {
    seg.starts_with('{') && seg.ends_with('}')
}

/// The singular of an English plural noun, by its ending, on the last word of a snake-case
/// name (`sources` -> `source`, `tax_ids` -> `tax_id`, `entries` -> `entry`, `boxes` -> `box`);
/// a word that does not look plural is kept (`status`, `address`, `balance`).
pub fn singular(snake: &str) -> String {
    let (head, last) = match snake.rfind('_') {
        Some(i) => (&snake[..=i], &snake[i + 1..]),
        None => ("", snake),
    };
    let one = if last == "people" {
        "person".to_string()
    } else if last.len() > 3 && last.ends_with("ies") {
        format!("{}y", &last[..last.len() - 3])
    } else if ["sses", "shes", "ches", "xes", "zes"].iter().any(|e| last.ends_with(e)) {
        last[..last.len() - 2].to_string()
    } else if last.len() > 1 && last.ends_with('s') && !["ss", "us", "is"].iter().any(|e| last.ends_with(e)) {
        last[..last.len() - 1].to_string()
    } else {
        last.to_string()
    };
    format!("{head}{one}")
}

fn is_plural(snake: &str) -> bool {
    singular(snake) != snake
}

/// The namespace (the path segment, as written) and the method of an operation grouped by
/// path (`[client] namespaces = "paths"`), or `None` when the path names no resource (`/`, or a
/// parameter first). The namespace is the first segment after version segments (`v1`); the
/// method is a verb for the HTTP method and what the rest of the path addresses, then the rest's
/// words (a collection's name made singular where one item is meant):
///
/// | path (after the namespace) | GET | POST | DELETE |
/// | --- | --- | --- | --- |
/// | `/customers` (plural) | `list` | `create` | `delete` |
/// | `/balance` (singular) | `retrieve` | `update` | `delete` |
/// | `/customers/{customer}` | `retrieve` | `update` | `delete` |
/// | `../{customer}/sources` | `list_sources` | `create_source` | `delete_sources` |
/// | `../{customer}/sources/{id}` | `retrieve_source` | `update_source` | `delete_source` |
/// | `../{invoice}/pay` (singular: an action) | `retrieve_pay` | `pay` | `delete_pay` |
/// | `/customers/search` (after a literal) | `search` | `search` | `delete_search` |
///
/// `PUT` is `replace`, `PATCH` `update`, other methods their own name. The name depends only
/// on the method and the path, so adding an operation renames no other (collisions aside).
pub fn path_method(method: &str, path: &str) -> Option<(String, String)> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let start = segs.iter().position(|s| !is_version_segment(s))?;
    let ns = segs[start];
    if is_param_segment(ns) || snake_words(ns).is_empty() {
        return None;
    }
    let rest = &segs[start + 1..];
    let method = method.to_ascii_lowercase();
    // The literal segments after the namespace; one followed by a parameter names one item.
    let mut object: Vec<String> = Vec::new();
    for (i, seg) in rest.iter().enumerate() {
        if is_param_segment(seg) {
            continue;
        }
        let w = snake_words(seg);
        if w.is_empty() {
            continue;
        }
        object.push(if rest.get(i + 1).is_some_and(|s| is_param_segment(s)) { singular(&w) } else { w });
    }
    let named = |verb: &str, words: &[String]| {
        let mut all = vec![verb.to_string()];
        all.extend(words.iter().cloned());
        all.join("_")
    };
    let other = |m: &str| match m {
        "put" => "replace",
        "patch" => "update",
        "delete" => "delete",
        _ => "",
    };
    let name = match rest.last() {
        None => {
            let plural = is_plural(&snake_words(ns));
            match method.as_str() {
                "get" if plural => "list".to_string(),
                "get" => "retrieve".to_string(),
                "post" if plural => "create".to_string(),
                "post" => "update".to_string(),
                m if !other(m).is_empty() => other(m).to_string(),
                m => m.to_string(),
            }
        }
        Some(last) if is_param_segment(last) => {
            let verb = match method.as_str() {
                "get" => "retrieve",
                "post" => "update",
                m if !other(m).is_empty() => other(m),
                m => m,
            };
            named(verb, &object)
        }
        Some(_) => {
            let end = object.pop()?;
            let after_param = rest.len() >= 2 && is_param_segment(rest[rest.len() - 2]);
            let mut with_end = object.clone();
            if is_plural(&end) {
                match method.as_str() {
                    "get" => named("list", &[object, vec![end]].concat()),
                    "post" => named("create", &[object, vec![singular(&end)]].concat()),
                    m => {
                        with_end.push(end);
                        named(if other(m).is_empty() { m } else { other(m) }, &with_end)
                    }
                }
            } else {
                match method.as_str() {
                    "get" if after_param => {
                        with_end.push(end);
                        named("retrieve", &with_end)
                    }
                    "get" | "post" => named(&end, &object),
                    m => {
                        with_end.push(end);
                        named(if other(m).is_empty() { m } else { other(m) }, &with_end)
                    }
                }
            }
        }
    };
    Some((ns.to_string(), value_ident(&name)))
}

/// The prefix of the environment variables a generated client reads (`Client::from_env`): the
/// crate name in upper snake case, without a trailing `_API`, `_CLIENT` or `_SDK`
/// (`openai` -> `OPENAI`, `peeker-partner-api` -> `PEEKER_PARTNER`), so that the key's variable
/// is the one the API's users already have (`OPENAI_API_KEY`).
pub fn env_prefix(crate_name: &str) -> String {
    let mut name = crate_name.replace('-', "_").to_ascii_uppercase();
    while let Some(rest) = ["_API", "_CLIENT", "_SDK", "_RS"].iter().find_map(|s| name.strip_suffix(s)) {
        if rest.is_empty() {
            break;
        }
        name = rest.to_string();
    }
    name
}

/// The name an operation without `operationId` gets: method plus the path's words, with
/// parameters as `by_<name>` (`GET /users/{id}/posts` -> `get_users_by_id_posts`).
pub fn derived_operation_name(method: &str, path: &str) -> String {
    let mut parts = vec![method.to_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(p) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parts.push(format!("by {p}"));
        } else {
            parts.push(seg.to_string());
        }
    }
    parts.join(" ")
}

/// A readable variant name for an HTTP status code (`404` -> `NotFound`).
pub fn status_variant(code: u16) -> String {
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_idents() {
        let table = [
            ("User", "User"),
            ("user_status", "UserStatus"),
            ("UserStatus", "UserStatus"),
            ("ErrorEnvelope", "ErrorEnvelope"),
            ("reactions-+1", "ReactionsPlus1"),
            ("reactions--1", "ReactionsMinus1"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("", "Value"),
            ("a b", "AB"),
            ("2fa", "V2fa"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("type", "Type"),
            ("HTTPValidationError", "HttpValidationError"),
            ("x.y-z", "XYZ"),
            ("ümlaut", "Mlaut"),
            ("1.5", "V1Point5"),
        ];
        for (raw, want) in table {
            assert_eq!(type_ident(raw), want, "type_ident({raw:?})");
        }
    }

    #[test]
    fn value_idents() {
        let table = [
            ("userId", "user_id"),
            ("user_id", "user_id"),
            ("type", "r#type"),
            ("self", "self_"),
            ("super", "super_"),
            ("2fa", "_2fa"),
            ("x-profile-id", "x_profile_id"),
            ("user.name", "user_name"),
            ("", "value"),
            ("$ref", "r#ref"),
            ("@type", "at_type"),
            ("getUser", "get_user"),
            ("HTTPServer2Go", "http_server2_go"),
            ("reactions-+1", "reactions_plus_1"),
            ("async", "r#async"),
        ];
        for (raw, want) in table {
            assert_eq!(value_ident(raw), want, "value_ident({raw:?})");
        }
    }

    #[test]
    fn setters_never_shadow_trait_methods() {
        // `add` and `drop` would fail clippy (`should_implement_trait`), `clone` would shadow
        // `Clone::clone`; a field already named `set_clone` keeps its name and the setter of
        // `clone` is numbered.
        assert_eq!(
            setter_names(["add", "name", "clone", "set_clone", "drop", "r#type"]),
            ["set_add", "name", "set_clone_2", "set_clone", "set_drop", "r#type"]
        );
    }

    #[test]
    fn scope_collisions_are_deterministic() {
        let mut s = Scope::new();
        assert_eq!(s.claim("user_id"), "user_id");
        assert_eq!(s.claim("user_id"), "user_id_2");
        assert_eq!(s.claim("user_id"), "user_id_3");
        let mut t = Scope::new();
        assert_eq!(t.claim("UserStatus"), "UserStatus");
        assert_eq!(t.claim("UserStatus"), "UserStatus2");
        // An escaped keyword stays upper camel case when numbered.
        assert_eq!(t.claim("Self_"), "Self_");
        assert_eq!(t.claim("Self_"), "Self2");
        let mut r = Scope::new();
        assert_eq!(r.claim("r#type"), "r#type");
        assert_eq!(r.claim("r#type"), "type_2");
    }

    #[test]
    fn tag_methods_drop_the_tag() {
        let table = [
            ("repos", "repos/create-for-authenticated-user", "create_for_authenticated_user"),
            ("code-scanning", "code-scanning/list-alerts-for-org", "list_alerts_for_org"),
            ("pets", "listPets", "list_pets"),
            ("Chat", "createChatCompletion", "create_chat_completion"),
            ("users", "users", "users"),
            ("meta", "meta/get", "get"),
            ("items", "items_type", "r#type"),
            ("", "getThing", "get_thing"),
        ];
        for (tag, op, want) in table {
            assert_eq!(tag_method(tag, op), want, "tag_method({tag:?}, {op:?})");
        }
    }

    #[test]
    fn path_methods_are_stripe_style() {
        let table = [
            ("GET", "/v1/customers", Some(("customers", "list"))),
            ("POST", "/v1/customers", Some(("customers", "create"))),
            ("GET", "/v1/customers/{customer}", Some(("customers", "retrieve"))),
            ("POST", "/v1/customers/{customer}", Some(("customers", "update"))),
            ("DELETE", "/v1/customers/{customer}", Some(("customers", "delete"))),
            ("GET", "/v1/customers/search", Some(("customers", "search"))),
            ("GET", "/v1/customers/{customer}/sources", Some(("customers", "list_sources"))),
            ("POST", "/v1/customers/{customer}/sources", Some(("customers", "create_source"))),
            ("GET", "/v1/customers/{customer}/sources/{id}", Some(("customers", "retrieve_source"))),
            ("DELETE", "/v1/customers/{customer}/tax_ids/{id}", Some(("customers", "delete_tax_id"))),
            ("POST", "/v1/customers/{customer}/sources/{id}/verify", Some(("customers", "verify_source"))),
            ("DELETE", "/v1/customers/{customer}/discount", Some(("customers", "delete_discount"))),
            ("GET", "/v1/customers/{customer}/cash_balance", Some(("customers", "retrieve_cash_balance"))),
            ("POST", "/v1/invoices/{invoice}/pay", Some(("invoices", "pay"))),
            ("GET", "/v1/invoices/upcoming/lines", Some(("invoices", "list_upcoming_lines"))),
            ("GET", "/v1/balance", Some(("balance", "retrieve"))),
            ("POST", "/v1/account", Some(("account", "update"))),
            ("PUT", "/pets/{id}", Some(("pets", "replace"))),
            ("PATCH", "/pets/{id}", Some(("pets", "update"))),
            ("HEAD", "/pets", Some(("pets", "head"))),
            ("GET", "/v2beta1/entries/{id}/boxes", Some(("entries", "list_boxes"))),
            ("GET", "/", None),
            ("GET", "/{tenant}/users", None),
        ];
        for (method, path, want) in table {
            let got = path_method(method, path);
            let got = got.as_ref().map(|(n, m)| (n.as_str(), m.as_str()));
            assert_eq!(got, want, "path_method({method}, {path})");
        }
        assert_eq!(singular("entries"), "entry");
        assert_eq!(singular("tax_ids"), "tax_id");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("balance"), "balance");
        assert_eq!(singular("people"), "person");
    }

    #[test]
    fn derived_names() {
        assert_eq!(value_ident(&derived_operation_name("GET", "/users/{id}/posts")), "get_users_by_id_posts");
        assert_eq!(value_ident(&derived_operation_name("POST", "/")), "post");
    }

    #[test]
    fn crate_names() {
        assert_eq!(crate_name("Peeker Partner API"), "peeker-partner-api");
        assert_eq!(crate_name("!!!"), "api-client");
        assert_eq!(
            crate_name("GitHub's official OpenAPI spec + Octokit extension"),
            "githubs-official-openapi-spec-octokit-extension"
        );
        assert_eq!(crate_name("2048 API"), "api-client-2048-api");
        assert_eq!(crate_name("fn"), "api-client-fn");
        assert_eq!(crate_name("Self"), "api-client-self");
        assert_eq!(crate_name("STD"), "api-client-std");
        let long = crate_name(&"word ".repeat(40));
        assert!(long.len() <= 64 && long.ends_with("word"), "{long}");
        for name in ["fn", "self", "std", "", "1a", "a b", "a/b", "é"] {
            assert!(crate_name_problem(name).is_some(), "{name:?}");
        }
        for name in ["a", "my-crate_2", "peeker-partner-api", "fn-api"] {
            assert_eq!(crate_name_problem(name), None, "{name:?}");
        }
    }
}
