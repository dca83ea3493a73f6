//! Relative links in the spec's text, made absolute (the docs policy is `emit::docs`).
//!
//! API descriptions link to their own docs site by path (OpenAI's `/docs/guides/function-calling`,
//! Stripe's `<a href="/docs/connect">`): read on docs.rs, such a link points into docs.rs. The
//! base they are read against is, in order: `[docs] link-base` in `sdkgen.toml`; the document's
//! root `externalDocs.url` (GitHub's `https://docs.github.com/rest/`); the site of its own
//! absolute links under the same paths ([`docs_site`]: OpenAI's, Anthropic's, Stripe's and
//! Asana's relative links are found on their docs sites this way); its `info.contact.url`. The
//! last two are guesses, said in a warning (`W005`). With none, a
//! relative link keeps its text only (`emit::docs::resolve_links`). Every text of the IR that
//! becomes docs goes through [`resolve`], before types are compared for merging, so merged
//! types hold the same text; the generator's own docs (intra-doc links) do not.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::docs::resolve_links;
use crate::ir::{Api, Docs, TypeKind};
use std::collections::HashMap;
use url::Url;

/// `text` as an absolute `http(s)` URL with a host, or `None`.
pub(crate) fn http_url(text: &str) -> Option<Url> {
    Url::parse(text.trim()).ok().filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// Where a base was found, for the warning that says so (`None`: the spec or the
/// configuration names it).
#[derive(Clone, Debug)]
enum Guess {
    /// The origin of the spec's own absolute links under the same paths as its relative ones;
    /// the pointer of a text with a relative link, and the path prefix they share.
    Site(String, String),
    /// `info.contact.url`.
    Contact,
}

/// The base relative links are read against, and how it was found ([`find_base`]).
#[derive(Clone, Debug, Default)]
pub struct LinkBase(Option<(Url, Option<Guess>)>);

/// The base relative links are read against (see the module docs). Found in the whole
/// document: before `drop_unread_paths`, since the paths' texts hold most of the evidence.
pub fn find_base(raw: &serde_json::Value, config: &Config) -> LinkBase {
    LinkBase(base(raw, config))
}

fn base(raw: &serde_json::Value, config: &Config) -> Option<(Url, Option<Guess>)> {
    if let Some(base) = config.docs.link_base.as_deref().and_then(http_url) {
        return Some((base, None));
    }
    let at = |pointer: &str| raw.pointer(pointer).and_then(serde_json::Value::as_str).and_then(http_url);
    if let Some(base) = at("/externalDocs/url") {
        return Some((base, None));
    }
    if let Some((origin, pointer, prefix)) = docs_site(raw) {
        return Some((origin, Some(Guess::Site(pointer, prefix))));
    }
    Some((at("/info/contact/url")?, Some(Guess::Contact)))
}

/// The first `min(2, n - 1)` segments of a path of `n` segments (`docs/guides` of
/// `/docs/guides/x`): the section of the site it is in. `None` for a path of one segment.
fn section(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let take = segments.len().checked_sub(1)?.min(2);
    (take > 0 && segments[..take].iter().all(|s| !s.is_empty())).then(|| segments[..take].join("/"))
}

/// The site the spec's relative links are on, told by its own absolute links: OpenAI's texts
/// link both `/docs/guides/x` and `https://platform.openai.com/docs/guides/y`, so
/// `/docs/guides/x` is on `https://platform.openai.com`. Each relative link votes for the
/// origins whose absolute links share its section ([`section`]); the origin with the most votes
/// wins (the first found on a tie). With it: a pointer to a text with such a relative link, and
/// the section they share.
fn docs_site(raw: &serde_json::Value) -> Option<(Url, String, String)> {
    /// A step of a JSON pointer.
    enum Key<'a> {
        Name(&'a str),
        Index(usize),
    }
    let mut relative: Vec<String> = Vec::new();
    // Section -> the origins of the absolute links in it, in the order first found.
    let mut absolute: HashMap<String, Vec<String>> = HashMap::new();
    // The pointer of the first text with a relative link (built only for it): the walk keeps
    // the keys from the root to the value it is at.
    let mut first: Option<String> = None;
    let mut path: Vec<Key<'_>> = Vec::new();
    let mut stack = vec![(raw, 0usize, Key::Index(0))];
    while let Some((value, depth, key)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        if depth > 0 {
            path.push(key);
        }
        match value {
            // Every link this looks for has a `/` (one search for it rules most texts out).
            serde_json::Value::String(text) if text.contains('/') => {
                let before = relative.len();
                for opener in ["](/", "href=\"/", "href='/"] {
                    for (at, _) in text.match_indices(opener) {
                        relative.extend(section(target(&text[at + opener.len() - 1..])));
                    }
                }
                if relative.len() > before && first.is_none() {
                    first = Some(path.iter().fold(String::new(), |p, k| match k {
                        Key::Name(name) => crate::spec::pointer::join(&p, name),
                        Key::Index(i) => format!("{p}/{i}"),
                    }));
                }
                for scheme in ["https://", "http://"] {
                    for (at, _) in text.match_indices(scheme) {
                        let Some(url) = http_url(target(&text[at..])) else { continue };
                        let Some(section) = section(url.path()) else { continue };
                        let origins = absolute.entry(section).or_default();
                        let origin = url.origin().ascii_serialization();
                        if !origins.contains(&origin) {
                            origins.push(origin);
                        }
                    }
                }
            }
            serde_json::Value::Array(items) => {
                stack.extend(items.iter().enumerate().rev().map(|(i, v)| (v, depth + 1, Key::Index(i))))
            }
            serde_json::Value::Object(map) => {
                stack.extend(map.iter().rev().map(|(k, v)| (v, depth + 1, Key::Name(k.as_str()))))
            }
            _ => {}
        }
    }
    // Origin -> its votes and the first section that voted for it, in the order first found.
    let mut votes: Vec<(&str, usize, &str)> = Vec::new();
    for section in &relative {
        for origin in absolute.get(section).into_iter().flatten() {
            match votes.iter_mut().find(|(o, ..)| o == origin) {
                Some((_, n, _)) => *n += 1,
                None => votes.push((origin, 1, section)),
            }
        }
    }
    let best = votes.iter().rev().max_by_key(|(_, n, _)| *n)?;
    Some((http_url(best.0)?, first.unwrap_or_default(), best.2.to_string()))
}

/// A link target at the start of `text`: up to a quote, a closing parenthesis or bracket, a
/// fragment or query, or whitespace.
fn target(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '>' | ']' | '#' | '?'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Rewrites texts against one base, counting those it changed.
struct Fixer {
    base: Option<Url>,
    changed: usize,
}

impl Fixer {
    fn text(&mut self, text: &mut String) {
        if let Some(absolute) = resolve_links(text, self.base.as_ref()) {
            *text = absolute;
            self.changed += 1;
        }
    }

    fn opt(&mut self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.text(text);
        }
    }

    fn docs(&mut self, docs: &mut Docs) {
        self.opt(&mut docs.title);
        self.opt(&mut docs.description);
    }
}

/// Makes the relative links of every text in `api` absolute, or text when no base is known.
pub(crate) fn resolve(api: &mut Api, base: LinkBase, diags: &mut Diagnostics) {
    let (base, guess) = base.0.map_or((None, None), |(b, g)| (Some(b), g));
    let mut f = Fixer { base, changed: 0 };
    f.opt(&mut api.info.description);
    api.servers.iter_mut().for_each(|s| f.opt(&mut s.description));
    api.security_schemes.iter_mut().for_each(|s| f.opt(&mut s.description));
    api.namespaces.iter_mut().for_each(|n| f.opt(&mut n.description));
    for hook in &mut api.webhooks {
        f.opt(&mut hook.summary);
        f.opt(&mut hook.description);
    }
    for def in &mut api.types.defs {
        f.docs(&mut def.docs);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|x| f.docs(&mut x.docs)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f.docs(&mut v.docs)),
            TypeKind::Outcomes(variants) => variants.iter_mut().for_each(|v| f.docs(&mut v.docs)),
            TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::External(_) => {}
        }
    }
    for op in &mut api.operations {
        f.opt(&mut op.summary);
        f.opt(&mut op.description);
        op.params.iter_mut().for_each(|p| f.docs(&mut p.docs));
        if let Some(body) = &mut op.body {
            f.opt(&mut body.description);
            body.parts.iter_mut().for_each(|p| f.docs(&mut p.docs));
        }
        op.success.iter_mut().chain(&mut op.errors).for_each(|r| f.text(&mut r.description));
    }
    let (Some(guess), Some(base)) = (guess, &f.base) else { return };
    if f.changed == 0 {
        return;
    }
    let (pointer, whence) = match guess {
        Guess::Site(pointer, section) => {
            (pointer, format!("the site of the spec's own absolute links under `/{section}/`"))
        }
        Guess::Contact => {
            ("/info/contact/url".to_string(), "the contact URL, for want of a root `externalDocs.url`".into())
        }
    };
    diags.push(
        Diagnostic::warning(
            pointer,
            format!("relative links in {} descriptions are read against {base}, {whence}", f.changed),
        )
        .with_code("W005")
        .with_hint(
            "if the docs live elsewhere, set `[docs] link-base` in sdkgen.toml (or add `externalDocs` to the spec)",
        ),
    );
}
