//! Decoding webhook payloads by the webhook's name (the same for every API; the event enum is
//! generated in the `webhook` module).

use std::fmt;

/// Why a webhook payload was not decoded.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The API declares no webhook of this name.
    UnknownEvent {
        /// The name asked for.
        name: String,
    },
    /// The body is not the JSON the webhook declares.
    Decode {
        /// The webhook's name.
        event: &'static str,
        /// What serde found wrong, with the path to it.
        source: serde_json::Error,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The name comes from the request: written escaped, and cut short.
            WebhookError::UnknownEvent { name } => {
                let shown: String = name.chars().take(100).collect();
                write!(f, "{shown:?} is not a webhook the API declares (see `WebhookEvent::NAMES`)")
            }
            WebhookError::Decode { event, source } => {
                write!(f, "the body of the `{event}` webhook does not decode: {source}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode { source, .. } => Some(source),
            WebhookError::UnknownEvent { .. } => None,
        }
    }
}

/// Decodes a webhook's JSON body into its payload type, through a `serde_json::Value` (as the
/// client decodes responses, so each type's decoder is compiled for that one input).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(event: &'static str, body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice::<serde_json::Value>(body)
        .and_then(T::deserialize)
        .map_err(|source| WebhookError::Decode { event, source })
}
