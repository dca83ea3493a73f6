//! The `webhook` module of the generated crate (behind the `webhooks` feature): the event enum,
//! decoded by the webhook's name, and the re-exports of the shared webhook runtime
//! (`webhook/signature.rs`, `webhook/event.rs`).

use super::docs::{code_span, doc_attrs};
use super::{ident, ty, StdNames, TyCtx};
use crate::ir::{Api, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Module docs: what the module holds and how a request becomes an event. Written here, with
/// intra-doc links; the one piece of spec text, a webhook's name, is a code span.
fn module_docs(api: &Api) -> TokenStream {
    let mut lines = vec![
        "Webhooks: verifying their signatures ([`HmacSha256Verifier`]) and decoding their payloads.".to_string(),
        String::new(),
        "Compiled with the `webhooks` cargo feature.".to_string(),
    ];
    if let Some(first) = api.webhooks.first() {
        lines.extend([
            String::new(),
            format!(
                "[`WebhookEvent::parse`] decodes a body by the name of the webhook in the API description (such as {}; every name is in [`WebhookEvent::NAMES`]).",
                code_span(&first.api_name)
            ),
            "How a request names its webhook is the API's choice: a header, a field of the body, or both. GitHub, for example, sends `X-GitHub-Event: pull_request` and the body's `action` field `opened` for the webhook named `pull-request-opened`: the name is the header, then `-` and the body's `action` when it has one, with every `_` written `-`.".to_string(),
            String::new(),
            "Verify the signature over the raw body first, then parse. A name the API does not declare is [`WebhookError::UnknownEvent`] (answer `2xx` anyway if the API adds events over time, so that it does not retry them), a body that does not match is [`WebhookError::Decode`].".to_string(),
        ]);
    }
    let lines = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #![doc = #lines] )* }
}

pub(crate) fn emit_webhook_module(api: &Api) -> TokenStream {
    let docs = module_docs(api);
    let signature = quote! {
        mod signature;
        pub use signature::{parse_unix_seconds, Encoding, HmacSha256Verifier, SignatureError, DEFAULT_TOLERANCE};
    };
    if api.webhooks.is_empty() {
        return quote! { #docs #signature };
    }
    let names = StdNames::new(std::iter::empty());
    // A payload that is not a named type may be written with the short std names.
    let imports = api.webhooks.iter().any(|h| !matches!(h.payload, TypeRef::Named(..))).then(|| names.imports());
    let cx = TyCtx { store: &api.types, names: &names, qualify: true, generics: &[], in_serde: false };
    let boxed = names.path("Box");
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut name_arms = Vec::new();
    let mut name_list = Vec::new();
    for hook in &api.webhooks {
        let variant = ident(&hook.variant);
        let payload = ty(&hook.payload, cx);
        let name = Literal::string(&hook.api_name);
        let mut text = format!("The {} webhook ({}).", code_span(&hook.api_name), hook.method.as_str());
        super::docs::push_paragraph(&mut text, hook.summary.as_deref());
        super::docs::push_paragraph(&mut text, hook.description.as_deref());
        let doc = doc_attrs(&text);
        let deprecated = hook.deprecated.then(|| quote!(#[deprecated]));
        variants.push(quote! { #doc #deprecated #variant(#boxed<#payload>) });
        arms.push(quote! { #name => event::decode(#name, body).map(WebhookEvent::#variant) });
        name_arms.push(quote! { WebhookEvent::#variant(_) => #name });
        name_list.push(name);
    }
    quote! {
        #docs
        #imports
        mod event;
        #signature
        pub use event::WebhookError;
        use crate::types;

        /// A webhook the API sends, decoded from its body by [`WebhookEvent::parse`]. Payloads
        /// are boxed: they differ much in size.
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #( #variants ),*
        }

        impl WebhookEvent {
            /// The name of every webhook, as [`WebhookEvent::parse`] takes it.
            pub const NAMES: &'static [&'static str] = &[#( #name_list ),*];

            /// Decodes the JSON `body` of the webhook called `name` in the API description.
            ///
            /// # Errors
            ///
            /// [`WebhookError::UnknownEvent`] when the API declares no webhook called `name`,
            /// [`WebhookError::Decode`] when the body is not that webhook's JSON.
            pub fn parse(name: &str, body: &[u8]) -> Result<Self, WebhookError> {
                match name {
                    #( #arms, )*
                    _ => Err(WebhookError::UnknownEvent { name: name.to_owned() }),
                }
            }

            /// The webhook's name in the API description.
            pub fn name(&self) -> &'static str {
                match self {
                    #( #name_arms, )*
                }
            }
        }
    }
}
