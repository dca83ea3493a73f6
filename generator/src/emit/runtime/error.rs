//! Errors returned by every operation.

use std::fmt;

/// How many bytes of a response body error messages show.
const SNIPPET_LEN: usize = 512;

/// The error of an API call. `E` is the operation's documented error body.
///
/// Every variant that saw a response keeps its status, headers and raw body, so nothing the
/// server said is lost. Responses are boxed to keep `Result`s small on the happy path.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The server answered with an error response documented in the API description.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the API description does not document.
    UnexpectedStatus(Box<RawResponse>),
    /// The response body did not match the documented type.
    Decode {
        /// The response that could not be decoded.
        response: Box<RawResponse>,
        /// What the decoder found wrong.
        source: serde_json::Error,
    },
    /// The request never got a complete response (connection, TLS, timeout, body read).
    Transport(reqwest::Error),
    /// The request could not be built (for example an invalid base URL or header value).
    InvalidRequest(String),
}

/// A documented error response, decoded into its type.
#[derive(Debug)]
pub struct ApiError<E> {
    /// The decoded error body.
    pub body: E,
    /// The response it was decoded from.
    pub response: RawResponse,
}

/// A response as received: status, headers and body bytes.
#[derive(Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The complete response body.
    pub body: bytes::Bytes,
}

impl RawResponse {
    /// The request id the server assigned, from the common request-id headers.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The body as JSON, when it is JSON: an error the API description does not document can
    /// still be read (`Error::UnexpectedStatus(raw) => raw.json()`).
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The API's own message, when the body is JSON in a common error shape: `message`,
    /// `error.message`, `error` (a string), `detail`, `error_description`, `errors[0].message`
    /// or `title`.
    pub fn message(&self) -> Option<String> {
        let body = self.json()?;
        let text = |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_str).map(str::to_string);
        text(body.get("message"))
            .or_else(|| text(body.get("error").and_then(|e| e.get("message"))))
            .or_else(|| text(body.get("error")))
            .or_else(|| text(body.get("detail")))
            .or_else(|| text(body.get("error_description")))
            .or_else(|| text(body.get("errors").and_then(|e| e.get(0)).and_then(|e| e.get("message"))))
            .or_else(|| text(body.get("title")))
            .filter(|m| !m.trim().is_empty())
    }

    /// What an error message shows of the body: the API's message when it has one in a common
    /// shape ([`RawResponse::message`]), else the body text cut to a readable length.
    fn summary(&self) -> String {
        match self.message() {
            Some(mut m) => {
                if m.len() > SNIPPET_LEN {
                    let end = (0..=SNIPPET_LEN).rev().find(|i| m.is_char_boundary(*i)).unwrap_or(0);
                    m.truncate(end);
                    m.push_str("...");
                }
                m
            }
            None => self.body_snippet(),
        }
    }

    /// The body as text, lossily decoded, cut to a readable length.
    pub fn body_snippet(&self) -> String {
        let end = self.body.len().min(SNIPPET_LEN);
        let mut text = String::from_utf8_lossy(&self.body[..end]).into_owned();
        if self.body.len() > SNIPPET_LEN {
            text.push_str(&format!("... ({} bytes in all)", self.body.len()));
        }
        text
    }
}

/// The request id in common request-id headers.
pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers are shown by name only: a proxy may echo credentials back in them.
        let names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &names)
            .field("body", &self.body_snippet())
            .finish()
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.response().map(|r| r.status)
    }

    /// The response, when the server answered.
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Error::Api(e) => Some(&e.response),
            Error::UnexpectedStatus(r) | Error::Decode { response: r, .. } => Some(&**r),
            Error::Transport(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The documented error body, when the server sent one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    /// The request id the server assigned, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.response().and_then(RawResponse::request_id)
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        crate::runtime::SendError::from(e).into()
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "the API returned {}: {}", e.response.status, e.response.summary())?,
            Error::UnexpectedStatus(r) => write!(f, "unexpected status {}: {}", r.status, r.summary())?,
            Error::Decode { response, source } => write!(
                f,
                "could not decode the {} response ({source}): {}",
                response.status,
                response.body_snippet()
            )?,
            Error::Transport(e) => write!(f, "request failed: {e}")?,
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}")?,
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}
