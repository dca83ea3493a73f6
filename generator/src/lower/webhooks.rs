//! Webhooks -> IR webhooks: one payload type and one event per webhook.
//!
//! A webhook (`webhooks` in 3.1, the `x-webhooks` extension in 3.0, both in `x-webhooks` after
//! normalizing) is a path item whose operations the API sends; the request body is the payload.
//! Payload types are named after the webhook (`pull-request-opened` -> `PullRequestOpenedPayload`,
//! with the method when a webhook has several), unless the schema is a `$ref` to a component,
//! which keeps the component's name. The event enum has one variant per webhook, for its first
//! operation with a JSON body (POST first): parsing goes by the webhook's name only.

use super::Lowerer;
use crate::ir::{BodyFormat, Method, RequestBody, TypeRef, Webhook};
use crate::naming::{self, Scope};
use crate::spec::normalize::{webhooks_pointer, EXT_WEBHOOKS};
use crate::spec::pointer::join;
use openapiv3::{PathItem, ReferenceOr};

/// A webhook as read: its name, its path item and the pointer to it as written.
pub(crate) type ReadWebhook = (String, PathItem, String);

/// The webhooks of the document, each read as a path item (a `$ref` is followed within the
/// document), and how many JSON values were copied to read them, for `Lowerer::charge`: many
/// webhooks can refer to one large path item. Reading stops past [`super::MAX_LOWERED`].
pub(crate) fn read(raw: &serde_json::Value, diags: &mut crate::diagnostics::Diagnostics) -> (Vec<ReadWebhook>, usize) {
    let mut copied = 0usize;
    let Some(root) = raw.as_object() else { return (vec![], copied) };
    let Some(serde_json::Value::Object(hooks)) = root.get(EXT_WEBHOOKS) else { return (vec![], copied) };
    let at = webhooks_pointer(root);
    let mut out = Vec::new();
    for (name, item) in hooks {
        let ptr = join(at, name);
        let target = match item.get("$ref").and_then(|r| r.as_str()) {
            Some(reference) => match crate::spec::pointer::resolve(raw, reference) {
                Some(t) => t,
                None => {
                    diags.warn(&ptr, format!("`$ref: {reference}` does not resolve; the webhook is skipped"));
                    continue;
                }
            },
            None => item,
        };
        let left = super::MAX_LOWERED.saturating_sub(copied);
        copied = copied.saturating_add(crate::spec::count_values(target, left));
        if copied > super::MAX_LOWERED {
            break;
        }
        let mut target = target.clone();
        // A path item outside `webhooks` and `components/pathItems` was not normalized: 3.1 makes
        // `responses` optional, `openapiv3` requires it.
        for method in crate::spec::METHODS {
            if let Some(serde_json::Value::Object(op)) = target.get_mut(method) {
                op.entry("responses").or_insert_with(|| serde_json::json!({}));
            }
        }
        match serde_json::from_value::<PathItem>(target) {
            Ok(item) => out.push((name.clone(), item, ptr)),
            Err(e) => diags.warn(&ptr, format!("the webhook is not a valid path item ({e}); it is skipped")),
        }
    }
    (out, copied)
}

impl<'a> Lowerer<'a> {
    /// The examples of a webhook's payload, in the media type lowering chose. A body that is a
    /// `$ref` is read where `lower_request_body` read it: a component, else no examples.
    fn payload_examples(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        lowered: &RequestBody,
    ) -> Vec<(String, serde_json::Value)> {
        let doc: &'a openapiv3::OpenAPI = self.doc;
        let body = match body {
            ReferenceOr::Item(b) => Some(b),
            ReferenceOr::Reference { reference } => doc
                .components
                .as_ref()
                .and_then(|c| super::parsed_component(&c.request_bodies, "requestBodies", reference)),
        };
        match body.and_then(|b| b.content.get(&lowered.media_type)) {
            Some(media) => self.media_examples(media, &lowered.origin),
            None => vec![],
        }
    }

    pub(crate) fn lower_webhooks(&mut self, hooks: &[ReadWebhook]) -> Vec<Webhook> {
        let mut out = Vec::new();
        let mut variants = Scope::new();
        for (name, item, item_ptr) in hooks {
            // POST first (what webhooks use), then the others in `spec::METHODS` order.
            let mut ops: Vec<(&str, &openapiv3::Operation)> = item.iter().collect();
            ops.sort_by_key(|(method, _)| *method != "post");
            let mut modeled = false;
            for &(method, op) in &ops {
                if self.spent() || !self.charge(1 + super::text_units(Some(name)), item_ptr) {
                    return out;
                }
                let op_ptr = join(item_ptr, method);
                let Some(body) = &op.request_body else {
                    self.diags.warn(&op_ptr, "the webhook has no request body; no event is generated for it");
                    continue;
                };
                // The method is part of the name only when the webhook has several.
                let hint = if ops.len() > 1 {
                    [name.as_str(), method, "Payload"].join(" ")
                } else {
                    [name.as_str(), "Payload"].join(" ")
                };
                let Some(lowered) = self.lower_request_body(body, &hint, &[], &op_ptr, false) else { continue };
                let examples = self.payload_examples(body, &lowered);
                let body = lowered;
                if body.format != BodyFormat::Json || body.ty == TypeRef::Bytes {
                    self.diags.warn(
                        &body.origin,
                        format!("the webhook's body is `{}`, not JSON; no event is generated for it", body.media_type),
                    );
                    continue;
                }
                if modeled {
                    self.diags.warn(
                        &op_ptr,
                        format!("`WebhookEvent::parse` reads the webhook `{name}` as its {} operation; this one's payload type is generated, without an event", out.last().map_or("first", |h: &Webhook| h.method.as_str())),
                    );
                    continue;
                }
                modeled = true;
                out.push(Webhook {
                    api_name: name.clone(),
                    method: Method::from_key(method),
                    variant: variants.claim(&naming::type_ident(name)),
                    payload: body.ty,
                    examples,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    origin: op_ptr,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::{generate, GenerateOptions};

    fn lib_and_warnings(spec: &str) -> (crate::ir::Api, String) {
        let g = generate(spec.as_bytes(), &GenerateOptions::default()).expect("the spec generates");
        let warnings = g.diagnostics.render("spec.yaml");
        (g.api, warnings)
    }

    /// Webhooks without a JSON body are located warnings, not events; a webhook with several
    /// operations has a payload type per method and one event.
    #[test]
    fn unmodeled_webhooks_are_located_warnings() {
        let (api, warnings) = lib_and_warnings(
            r#"
openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  no-body:
    post: {responses: {'200': {description: ok}}}
  form:
    post:
      requestBody: {content: {text/plain: {schema: {type: string}}}}
  two:
    post:
      requestBody: {content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
    put:
      requestBody: {content: {application/json: {schema: {type: object, properties: {b: {type: string}}}}}}
"#,
        );
        let names: Vec<_> = api.webhooks.iter().map(|w| (w.api_name.as_str(), w.variant.as_str())).collect();
        assert_eq!(names, [("two", "Two")]);
        assert!(warnings.contains("#/webhooks/no-body/post"), "{warnings}");
        assert!(warnings.contains("#/webhooks/form/post/requestBody/content/text~1plain"), "{warnings}");
        assert!(warnings.contains("#/webhooks/two/put"), "{warnings}");
        let types: Vec<_> = api.types.iter().map(|t| t.rust_name.as_str()).collect();
        assert!(types.contains(&"TwoPostPayload") && types.contains(&"TwoPutPayload"), "{types:?}");
        assert!(!warnings.contains("not generated yet"), "{warnings}");
    }

    /// 3.0's `x-webhooks` are read the same way, warnings point there, a `$ref` path item is
    /// followed (a dangling one is refused by validation), and an API with only webhooks turns the `webhooks` feature on by default.
    #[test]
    fn x_webhooks_refs_and_the_default_feature() {
        let (api, warnings) = lib_and_warnings(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
x-webhooks:
  ping:
    post: {responses: {'200': {description: ok}}}
  shared:
    $ref: '#/x-path-items/shared'
x-path-items:
  shared:
    post:
      requestBody: {content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}
"#,
        );
        let names: Vec<_> = api.webhooks.iter().map(|w| w.api_name.as_str()).collect();
        assert_eq!(names, ["shared"]);
        assert!(warnings.contains("#/x-webhooks/ping/post"), "{warnings}");
        assert_eq!(api.default_features(), [crate::ir::WEBHOOKS_FEATURE]);
    }

    /// Webhooks that all refer to one large path item are charged for each copy: past
    /// `MAX_LOWERED` the spec is refused with a located error instead of growing without bound.
    #[test]
    fn refs_to_one_large_path_item_are_charged() {
        let big = vec!["0"; 5_000].join(",");
        let hooks: String = (0..300).map(|i| format!("  h{i}: {{$ref: '#/x-items/big'}}\n")).collect();
        let spec = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nwebhooks:\n{hooks}x-items:\n  big:\n    x-data: [{big}]\n    post: {{requestBody: {{content: {{application/json: {{schema: {{type: string}}}}}}}}}}\n"
        );
        let err = generate(spec.as_bytes(), &GenerateOptions::default()).expect_err("the copies are too many");
        let rendered = err.render("spec.yaml");
        assert!(rendered.contains("#/webhooks: error: the spec expands to more than"), "{rendered}");
    }
}
