//! Verifying and deduplicating the webhooks Peeker sends.
//!
//! Hand-written: `cargo xtask regen` never touches this file.
//!
//! Behind the `webhooks` cargo feature (off by default), with the `hmac` and `sha2` crates it
//! needs: `peeker-partner-api = { version = "1", features = ["webhooks"] }`.
//!
//! Peeker POSTs signed JSON events to the URL registered in the
//! [Partner portal](https://app.peeker.com/partner/webhooks). The API description says:
//!
//! - every request carries `Peeker-Signature: v1=<hex HMAC-SHA256>`, computed with the shared
//!   secret over the string `<timestamp>.<event_id>.<body>`;
//! - delivery is at-least-once, with up to 5 retries over 24 hours, so one event can arrive
//!   several times: dedupe on `Peeker-Event-Id` for at least 24 hours.
//!
//! # Assumptions
//!
//! The API description does not say everything a verifier needs. This module assumes:
//!
//! - **The timestamp header is `Peeker-Timestamp`, in Unix seconds** ([`TIMESTAMP_HEADER`]).
//!   The description does not name it. If Peeker's Webhooks page names another header or
//!   format, read the three values yourself and call [`WebhookVerifier::verify`], which takes
//!   them explicitly. The timestamp is signed exactly as received (the header text).
//! - **The HMAC key is the secret's bytes as shown in the portal** (not base64-decoded).
//! - **Every delivery attempt is signed with a fresh timestamp.** If Peeker re-sends a retry
//!   with its original timestamp, the default 5-minute tolerance rejects retries older than
//!   that: raise it with [`WebhookVerifier::with_tolerance`] to cover the 24-hour retry
//!   window and rely on [`EventDeduplicator`] against replays.
//! - **Event ids contain no `.`** (they look like `evt_01HZX`). An id with a `.` is rejected,
//!   as it would make the signed string ambiguous (bytes could move between the id and the
//!   body without changing the signature).
//!
//! # Handling a webhook
//!
//! 1. Read the **raw** body bytes. Verify them before parsing: JSON that was parsed and
//!    re-encoded does not verify.
//! 2. Verify with [`WebhookVerifier::verify_headers`] (or [`WebhookVerifier::parse_event`]).
//!    On an error, answer `400`/`401` and do nothing else.
//! 3. Dedupe on the event id ([`EventDeduplicator`], or a shared store when several
//!    processes receive webhooks).
//! 4. Answer `2xx` once the event is processed or durably queued; any other answer makes
//!    Peeker retry.
//!
//! The header map is `http::HeaderMap`, the type `axum`, `hyper` and `reqwest` share.
//!
//! The HMAC itself is the generated [`crate::webhook::HmacSha256Verifier`] (hex `v1=` entries
//! separated by commas, over `<timestamp>.<event_id>.<body>`); this module adds what is
//! Peeker's: the headers, the event id and deduplication.
//!
//! ```
//! use peeker_partner_api::webhooks::{EventDeduplicator, WebhookVerifier};
//! use reqwest::header::{HeaderMap, HeaderValue};
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//!
//! let verifier = WebhookVerifier::new("whsec_example");
//! let mut dedupe = EventDeduplicator::new();
//!
//! // What Peeker would send (signature computed independently, with Python's `hmac`).
//! let body = br#"{"id":"evt_01HZX","type":"order.completed"}"#;
//! let mut headers = HeaderMap::new();
//! headers.insert(
//!     "Peeker-Signature",
//!     HeaderValue::from_static(
//!         "v1=e9d3073a22aa51c738416d92f75af6410e0563aee73f5822a17234baec15c423",
//!     ),
//! );
//! headers.insert("Peeker-Timestamp", HeaderValue::from_static("1700000000"));
//! headers.insert("Peeker-Event-Id", HeaderValue::from_static("evt_01HZX"));
//!
//! // A real handler calls `verify_headers`, which uses the current time; this sample was
//! // signed at a fixed time.
//! let now = UNIX_EPOCH + Duration::from_secs(1_700_000_030);
//! let verified = verifier.verify_headers_at(&headers, body, now)?;
//! assert_eq!(verified.event_id, "evt_01HZX");
//! if dedupe.first_delivery(&verified.event_id, SystemTime::now()) {
//!     // Process the event.
//! }
//! # Ok::<(), peeker_partner_api::webhooks::WebhookError>(())
//! ```

use crate::webhook::{HmacSha256Verifier, SignatureError};
use crate::Secret;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header carrying the signatures: `v1=<hex HMAC-SHA256>`, possibly several separated by
/// commas.
pub const SIGNATURE_HEADER: &str = "Peeker-Signature";

/// The header carrying the event id, the key to dedupe deliveries on.
pub const EVENT_ID_HEADER: &str = "Peeker-Event-Id";

/// The header assumed to carry the signed timestamp, in Unix seconds.
///
/// **An assumption:** the API description signs `<timestamp>.<event_id>.<body>` but does not
/// name the header carrying `<timestamp>`. If Peeker sends it elsewhere, call
/// [`WebhookVerifier::verify`] with the value.
pub const TIMESTAMP_HEADER: &str = "Peeker-Timestamp";

/// How far a webhook's timestamp may be from the current time unless configured: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// How long [`EventDeduplicator`] remembers an event id unless configured: 24 hours, the
/// minimum the API description asks for.
pub const DEFAULT_DEDUPE_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// The prefix of the signatures this module verifies; other schemes (such as `v0`) are ignored.
const SCHEME_PREFIX: &str = "v1=";

/// Verifies that a webhook request comes from Peeker, unaltered and recent.
///
/// Built from the shared secret registered in the Partner portal. The secret is held by a
/// [`HmacSha256Verifier`], so `Debug` output never shows it. Cheap to clone; share one per process.
///
/// Verification checks, in order: the headers are present and well-formed, one of the `v1`
/// signatures is the HMAC-SHA256 of `<timestamp>.<event_id>.<body>` (compared in constant
/// time), and the timestamp is within the tolerance of the current time. A
/// [`WebhookError::StaleTimestamp`] or [`WebhookError::FutureTimestamp`] therefore means the
/// signature was genuine but the timing was not.
#[derive(Clone, Debug)]
pub struct WebhookVerifier {
    signature: HmacSha256Verifier,
}

impl WebhookVerifier {
    /// A verifier for the given signing secret, with the [`DEFAULT_TOLERANCE`] of 5 minutes.
    ///
    /// An empty secret is accepted here but makes every verification fail with
    /// [`WebhookError::EmptySecret`], so an unset configuration value cannot turn into a key
    /// anyone can sign with.
    pub fn new(secret: impl Into<Secret>) -> Self {
        let signature =
            HmacSha256Verifier::new(secret).prefix(SCHEME_PREFIX).separator(',').tolerance(DEFAULT_TOLERANCE);
        WebhookVerifier { signature }
    }

    /// Sets how far (in whole seconds) a webhook's timestamp may be from the current time,
    /// in either direction. Older webhooks are rejected as replays; webhooks from the future
    /// point at a wrong clock.
    ///
    /// Raise it if Peeker turns out to keep the original timestamp on retries (see the
    /// [module documentation](crate::webhooks)).
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.signature = self.signature.tolerance(tolerance);
        self
    }

    /// The configured timestamp tolerance.
    pub fn tolerance(&self) -> Duration {
        self.signature.current_tolerance()
    }

    /// Verifies a webhook from its three signed parts against the current time.
    ///
    /// - `signature_header`: the `Peeker-Signature` header value, `v1=<hex>` or several such
    ///   entries separated by commas (any valid one is enough, for secret rotation).
    /// - `timestamp`: the signed timestamp exactly as received, in Unix seconds.
    /// - `event_id`: the `Peeker-Event-Id` header value.
    /// - `body`: the raw request body, before any parsing.
    ///
    /// Use this when the timestamp does not come in [`TIMESTAMP_HEADER`], or when your
    /// framework hands you headers in another shape than a `HeaderMap`.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what is wrong; do not process the event.
    pub fn verify(
        &self,
        signature_header: &str,
        timestamp: &str,
        event_id: &str,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        self.verify_at(signature_header, timestamp, event_id, body, SystemTime::now())
    }

    /// [`WebhookVerifier::verify`] with an explicit current time, for tests and replays of
    /// recorded requests.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what is wrong; do not process the event.
    pub fn verify_at(
        &self,
        signature_header: &str,
        timestamp: &str,
        event_id: &str,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        self.check(signature_header, timestamp, event_id, body, now).map(|_| ())
    }

    /// Verifies a webhook request from its headers ([`SIGNATURE_HEADER`],
    /// [`TIMESTAMP_HEADER`], [`EVENT_ID_HEADER`]) and raw body, against the current time.
    ///
    /// Several `Peeker-Signature` header lines are treated like one comma-separated list.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what is wrong; do not process the event.
    pub fn verify_headers(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<VerifiedWebhook, WebhookError> {
        self.verify_headers_at(headers, body, SystemTime::now())
    }

    /// [`WebhookVerifier::verify_headers`] with an explicit current time, for tests and
    /// replays of recorded requests.
    ///
    /// # Errors
    ///
    /// A [`WebhookError`] saying what is wrong; do not process the event.
    pub fn verify_headers_at(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<VerifiedWebhook, WebhookError> {
        let mut signatures = Vec::new();
        for value in headers.get_all(SIGNATURE_HEADER) {
            signatures.push(value.to_str().map_err(|_| WebhookError::MalformedSignature)?);
        }
        if signatures.is_empty() {
            return Err(WebhookError::MissingHeader(SIGNATURE_HEADER));
        }
        let signature_header = signatures.join(",");
        let timestamp = header_text(headers, TIMESTAMP_HEADER, WebhookError::MalformedTimestamp)?;
        let event_id = header_text(headers, EVENT_ID_HEADER, WebhookError::MalformedEventId)?;
        let timestamp_secs = self.check(&signature_header, timestamp, event_id, body, now)?;
        Ok(VerifiedWebhook { event_id: event_id.to_string(), timestamp: timestamp_secs })
    }

    /// Verifies a webhook request like [`WebhookVerifier::verify_headers`], then decodes its
    /// body as JSON into `T` (for example a `serde_json::Value`, or your own event enum).
    ///
    /// # Errors
    ///
    /// A [`WebhookError`]: [`WebhookError::InvalidPayload`] when the request is authentic but
    /// its body does not decode as `T`.
    pub fn parse_event<T: serde::de::DeserializeOwned>(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<(VerifiedWebhook, T), WebhookError> {
        let verified = self.verify_headers(headers, body)?;
        let event = serde_json::from_slice(body).map_err(WebhookError::InvalidPayload)?;
        Ok((verified, event))
    }

    /// Verifies everything and returns the timestamp in Unix seconds.
    fn check(
        &self,
        signature_header: &str,
        timestamp: &str,
        event_id: &str,
        body: &[u8],
        now: SystemTime,
    ) -> Result<u64, WebhookError> {
        // The event id first: it must split `<timestamp>.<event_id>.<body>` one way only.
        check_event_id(event_id)?;
        let signed: [&[u8]; 5] = [timestamp.as_bytes(), b".", event_id.as_bytes(), b".", body];
        self.signature.verify_timestamped_at(signature_header, &signed, timestamp, now).map_err(|e| match e {
            SignatureError::EmptySecret => WebhookError::EmptySecret,
            SignatureError::MalformedTimestamp => WebhookError::MalformedTimestamp,
            SignatureError::StaleTimestamp { age_secs } => WebhookError::StaleTimestamp { age_secs },
            SignatureError::FutureTimestamp { ahead_secs } => WebhookError::FutureTimestamp { ahead_secs },
            SignatureError::SignatureMismatch => WebhookError::SignatureMismatch,
            // `MalformedSignature`, and any reason a later version adds.
            _ => WebhookError::MalformedSignature,
        })
    }
}

/// A header's value as text: [`WebhookError::MissingHeader`] when absent, `malformed` when it
/// is not visible ASCII.
fn header_text<'a>(
    headers: &'a reqwest::header::HeaderMap,
    name: &'static str,
    malformed: WebhookError,
) -> Result<&'a str, WebhookError> {
    headers.get(name).ok_or(WebhookError::MissingHeader(name))?.to_str().map_err(|_| malformed)
}

/// Non-empty visible ASCII without `.`, so `<timestamp>.<event_id>.<body>` splits one way only.
fn check_event_id(event_id: &str) -> Result<(), WebhookError> {
    let well_formed = !event_id.is_empty() && event_id.bytes().all(|b| b.is_ascii_graphic() && b != b'.');
    if well_formed {
        Ok(())
    } else {
        Err(WebhookError::MalformedEventId)
    }
}

/// A webhook request that passed [`WebhookVerifier::verify_headers`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedWebhook {
    /// The event id (`Peeker-Event-Id`), to dedupe deliveries on.
    pub event_id: String,
    /// When Peeker signed the request, in Unix seconds.
    pub timestamp: u64,
}

impl VerifiedWebhook {
    /// When Peeker signed the request.
    pub fn signed_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.timestamp)
    }
}

/// Why a webhook request was rejected. None of the messages shows the secret or a computed
/// signature.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is absent; holds its name.
    MissingHeader(&'static str),
    /// The signature header has no well-formed `v1=<64 hex digits>` entry.
    MalformedSignature,
    /// The timestamp is not Unix seconds written as ASCII digits.
    MalformedTimestamp,
    /// The event id is empty, not visible ASCII, or contains a `.`.
    MalformedEventId,
    /// The signature is genuine but older than the tolerance: a replay, a long-delayed
    /// delivery or a wrong clock.
    StaleTimestamp {
        /// How many seconds before the verification time the request was signed.
        age_secs: u64,
    },
    /// The signature is genuine but its timestamp is further in the future than the
    /// tolerance: a wrong clock on one side.
    FutureTimestamp {
        /// How many seconds after the verification time the request claims to be signed.
        ahead_secs: u64,
    },
    /// No signature matches: another secret, an altered body, timestamp or event id, or a
    /// request not from Peeker.
    SignatureMismatch,
    /// The verifier was built with an empty secret, which would let anyone sign.
    EmptySecret,
    /// The request is authentic but its body does not decode as the requested type (from
    /// [`WebhookVerifier::parse_event`]).
    InvalidPayload(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => write!(
                f,
                "the webhook request has no `{name}` header: check that it comes from Peeker and \
                 that proxies in front of this server forward the header"
            ),
            WebhookError::MalformedSignature => {
                write!(f, "the `{SIGNATURE_HEADER}` header has no well-formed `v1=<64 hex digits>` signature")
            }
            WebhookError::MalformedTimestamp => write!(
                f,
                "the webhook timestamp is not Unix seconds in ASCII digits (this client assumes \
                 it comes in `{TIMESTAMP_HEADER}`; if Peeker sends it elsewhere, pass it to \
                 `WebhookVerifier::verify` yourself)"
            ),
            WebhookError::MalformedEventId => {
                write!(f, "the webhook event id is empty, not visible ASCII, or contains `.`")
            }
            WebhookError::StaleTimestamp { age_secs } => write!(
                f,
                "the webhook was signed {age_secs} s ago, beyond the allowed tolerance: a replayed \
                 or long-delayed request, or a wrong server clock (check NTP)"
            ),
            WebhookError::FutureTimestamp { ahead_secs } => write!(
                f,
                "the webhook timestamp is {ahead_secs} s in the future, beyond the allowed \
                 tolerance: check the server clock (NTP) and that the timestamp is in seconds"
            ),
            WebhookError::SignatureMismatch => write!(
                f,
                "the webhook signature does not match: check the signing secret configured from \
                 the Partner portal (rotated? other environment?) and that the raw body bytes \
                 are verified, before any parsing or re-encoding"
            ),
            WebhookError::EmptySecret => {
                write!(f, "the webhook signing secret is empty: configure the secret from the Partner portal")
            }
            WebhookError::InvalidPayload(e) => {
                write!(f, "the webhook is authentic but its body does not decode: {e}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::InvalidPayload(e) => Some(e),
            _ => None,
        }
    }
}

/// Remembers the event ids seen within a window, to process each event once although Peeker
/// delivers at least once.
///
/// In memory, for a single process: it holds one entry per event received within the window
/// (24 hours by default) and forgets them on restart. Call it only after verifying the
/// request, so forged requests cannot fill it or mark a real event as seen.
///
/// # Several processes
///
/// When several processes or hosts receive webhooks, or deliveries must stay deduplicated
/// across restarts, keep the ids in a shared store instead, keyed by event id with a
/// time-to-live of at least the window, and claim an id atomically:
///
/// - Redis: `SET peeker:webhook:<event_id> 1 NX EX 86400` answers `OK` only to the first
///   delivery.
/// - SQL: a table with a unique `event_id` and a `received_at` column;
///   `INSERT ... ON CONFLICT (event_id) DO NOTHING` inserts a row only for the first delivery.
///   Delete rows older than the window periodically, and where possible insert in the same
///   transaction as the event's effects, so a failure rolls both back and the retry is
///   processed.
///
/// In memory the same applies with [`EventDeduplicator::forget`]: if processing fails after
/// [`EventDeduplicator::first_delivery`] returned `true`, forget the id and answer with an
/// error, so Peeker's retry is processed.
#[derive(Clone, Debug)]
pub struct EventDeduplicator {
    window: Duration,
    /// When each remembered id was first seen.
    seen: HashMap<String, SystemTime>,
    /// The same entries in the order they were recorded, to evict from the front.
    order: VecDeque<(SystemTime, String)>,
}

impl Default for EventDeduplicator {
    fn default() -> Self {
        EventDeduplicator::new()
    }
}

impl EventDeduplicator {
    /// A deduplicator remembering ids for the [`DEFAULT_DEDUPE_WINDOW`] of 24 hours.
    pub fn new() -> Self {
        EventDeduplicator::with_window(DEFAULT_DEDUPE_WINDOW)
    }

    /// A deduplicator remembering ids for `window`.
    ///
    /// The API description asks for at least 24 hours, as retries span 24 hours; a little
    /// more (say 25 hours) covers a retry sent at the very end of that span.
    pub fn with_window(window: Duration) -> Self {
        EventDeduplicator { window, seen: HashMap::new(), order: VecDeque::new() }
    }

    /// How long ids are remembered.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Whether this is the first delivery of `event_id` within the window ending at `now`:
    /// `true` the first time (and the id is remembered from `now`), `false` for a repeat.
    ///
    /// Forgets ids older than the window first, so memory stays bounded by the events of one
    /// window.
    pub fn first_delivery(&mut self, event_id: &str, now: SystemTime) -> bool {
        self.evict_expired(now);
        if let Some(&seen_at) = self.seen.get(event_id) {
            // Entries recorded out of order (a clock set back) may outlive the eviction pass.
            if !self.expired(seen_at, now) {
                return false;
            }
        }
        self.seen.insert(event_id.to_string(), now);
        self.order.push_back((now, event_id.to_string()));
        true
    }

    /// Forgets `event_id`, so its next delivery counts as the first (for example after its
    /// processing failed). Returns whether it was remembered.
    pub fn forget(&mut self, event_id: &str) -> bool {
        self.seen.remove(event_id).is_some()
    }

    /// How many ids are remembered (including expired ones not yet evicted).
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    fn expired(&self, seen_at: SystemTime, now: SystemTime) -> bool {
        matches!(now.duration_since(seen_at), Ok(age) if age >= self.window)
    }

    fn evict_expired(&mut self, now: SystemTime) {
        while let Some(&(seen_at, _)) = self.order.front() {
            if !self.expired(seen_at, now) {
                break;
            }
            let (seen_at, id) = self.order.pop_front().expect("invariant: front exists");
            // The id may have been forgotten and seen again since; keep the newer entry.
            if self.seen.get(&id) == Some(&seen_at) {
                self.seen.remove(&id);
            }
        }
    }
}
