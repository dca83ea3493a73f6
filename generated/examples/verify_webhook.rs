//! Verifies a (hard-coded) webhook request the way an HTTP handler would.
//!
//! ```text
//! cargo run -p peeker-partner-api --example verify_webhook
//! ```
//!
//! In a server, pass the request's headers and raw body bytes to
//! [`WebhookVerifier::verify_headers`], which checks against the current time, and keep one
//! verifier and one deduplicator for the whole process.

use peeker_partner_api::webhooks::{EventDeduplicator, WebhookError, WebhookVerifier};
use reqwest::header::{HeaderMap, HeaderValue};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The sample: secret `whsec_example`, signed at Unix time 1700000000. The signature was
/// computed independently:
///
/// ```text
/// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_example", b"1700000000.evt_01HZX.{\"id\":\"evt_01HZX\",\"type\":\"order.completed\"}", hashlib.sha256).hexdigest())'
/// ```
const SECRET: &str = "whsec_example";
const SIGNATURE: &str = "v1=e9d3073a22aa51c738416d92f75af6410e0563aee73f5822a17234baec15c423";
const BODY: &[u8] = br#"{"id":"evt_01HZX","type":"order.completed"}"#;

/// What a handler does: verify, dedupe, then process. Returns the HTTP status to answer.
fn handle(
    verifier: &WebhookVerifier,
    dedupe: &mut EventDeduplicator,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> u16 {
    let verified = match verifier.verify_headers_at(headers, body, now) {
        Ok(verified) => verified,
        Err(e) => {
            eprintln!("rejected webhook: {e}");
            return match e {
                WebhookError::MissingHeader(_)
                | WebhookError::MalformedSignature
                | WebhookError::MalformedTimestamp
                | WebhookError::MalformedEventId => 400,
                _ => 401,
            };
        }
    };
    if !dedupe.first_delivery(&verified.event_id, now) {
        println!("{}: already processed, acknowledging the retry", verified.event_id);
        return 200;
    }
    let event: serde_json::Value = match serde_json::from_slice(body) {
        Ok(event) => event,
        Err(e) => {
            eprintln!("authentic but undecodable webhook {}: {e}", verified.event_id);
            dedupe.forget(&verified.event_id);
            return 400;
        }
    };
    println!("{}: processing {} event", verified.event_id, event["type"]);
    200
}

fn main() {
    let verifier = WebhookVerifier::new(SECRET);
    let mut dedupe = EventDeduplicator::new();
    let mut headers = HeaderMap::new();
    headers.insert("Peeker-Signature", HeaderValue::from_static(SIGNATURE));
    headers.insert("Peeker-Timestamp", HeaderValue::from_static("1700000000"));
    headers.insert("Peeker-Event-Id", HeaderValue::from_static("evt_01HZX"));
    // The sample was signed at a fixed time: verify as if it arrived 2 seconds later.
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_002);

    assert_eq!(handle(&verifier, &mut dedupe, &headers, BODY, now), 200);
    // Peeker delivers at least once: the same event again is acknowledged, not reprocessed.
    assert_eq!(handle(&verifier, &mut dedupe, &headers, BODY, now), 200);
    // An altered body fails verification.
    let tampered = br#"{"id":"evt_01HZX","type":"order.cancelled"}"#;
    assert_eq!(handle(&verifier, &mut dedupe, &headers, tampered, now), 401);
    // So does the genuine request replayed an hour later.
    let later = now + Duration::from_secs(3_600);
    assert_eq!(handle(&verifier, &mut dedupe, &headers, BODY, later), 401);
}
