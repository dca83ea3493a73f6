//! Webhook verification and deduplication of the generated crate (`webhooks.rs`, hand-written).
//!
//! The expected signatures are computed independently of the crate, with Python's `hmac`
//! module, and hard-coded: the commands are next to each constant.

use peeker_partner_api::webhooks::{
    EventDeduplicator, VerifiedWebhook, WebhookError, WebhookVerifier, DEFAULT_DEDUPE_WINDOW, DEFAULT_TOLERANCE,
    EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use reqwest::header::{HeaderMap, HeaderValue};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "whsec_test";
const TIMESTAMP: &str = "1700000000";
const EVENT_ID: &str = "evt_01";
const BODY: &str = r#"{"id":"evt_01","type":"order.completed","data":{"order_id":"ord_01"}}"#;

/// HMAC-SHA256 of `1700000000.evt_01.<BODY>` with `whsec_test`:
///
/// ```text
/// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000.evt_01.{\"id\":\"evt_01\",\"type\":\"order.completed\",\"data\":{\"order_id\":\"ord_01\"}}", hashlib.sha256).hexdigest())'
/// ```
const GOOD_SIG: &str = "5acb89d8d632c2d09e9ea5f7d8b916408320c2857dc56ac83ab8f3a7ab7a5005";

/// The same message signed with another secret, `whsec_old` (a rotated-out key):
///
/// ```text
/// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_old", b"1700000000.evt_01.{\"id\":\"evt_01\",\"type\":\"order.completed\",\"data\":{\"order_id\":\"ord_01\"}}", hashlib.sha256).hexdigest())'
/// ```
const OLD_SECRET_SIG: &str = "435fbc0bf1ddf1ec107055b0a300ec90111368971b751f3fc9d1c1e4637b100a";

/// Unix seconds as a `SystemTime`.
fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// 30 seconds after the sample was signed.
fn now() -> SystemTime {
    at(1_700_000_030)
}

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(SECRET)
}

fn headers(signature: &str, timestamp: &str, event_id: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(signature).unwrap());
    headers.insert(TIMESTAMP_HEADER, HeaderValue::from_str(timestamp).unwrap());
    headers.insert(EVENT_ID_HEADER, HeaderValue::from_str(event_id).unwrap());
    headers
}

fn good_header() -> String {
    format!("v1={GOOD_SIG}")
}

#[test]
fn header_names_and_defaults() {
    assert_eq!(SIGNATURE_HEADER, "Peeker-Signature");
    assert_eq!(EVENT_ID_HEADER, "Peeker-Event-Id");
    assert_eq!(TIMESTAMP_HEADER, "Peeker-Timestamp");
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    assert_eq!(DEFAULT_DEDUPE_WINDOW, Duration::from_secs(86_400));
    assert_eq!(verifier().tolerance(), DEFAULT_TOLERANCE);
    assert_eq!(EventDeduplicator::new().window(), DEFAULT_DEDUPE_WINDOW);
}

#[test]
fn good_signature_verifies() {
    let v = verifier();
    v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap();

    let verified = v.verify_headers_at(&headers(&good_header(), TIMESTAMP, EVENT_ID), BODY.as_bytes(), now()).unwrap();
    assert_eq!(verified.event_id, EVENT_ID);
    assert_eq!(verified.timestamp, 1_700_000_000);
    assert_eq!(verified.signed_at(), at(1_700_000_000));
}

#[test]
fn uppercase_hex_and_spaces_around_entries_verify() {
    let header = format!(" v1={} ", GOOD_SIG.to_uppercase());
    verifier().verify_at(&header, TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap();
}

#[test]
fn header_names_are_case_insensitive() {
    let mut map = HeaderMap::new();
    map.insert("peeker-signature", HeaderValue::from_str(&good_header()).unwrap());
    map.insert("PEEKER-TIMESTAMP", HeaderValue::from_static(TIMESTAMP));
    map.insert("peeker-event-id", HeaderValue::from_static(EVENT_ID));
    verifier().verify_headers_at(&map, BODY.as_bytes(), now()).unwrap();
}

#[test]
fn verify_against_the_real_clock_rejects_an_old_sample() {
    // `verify` uses the current time; the sample is from November 2023.
    let err = verifier().verify(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::StaleTimestamp { .. }), "{err:?}");
    let err = verifier().verify_headers(&headers(&good_header(), TIMESTAMP, EVENT_ID), BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::StaleTimestamp { .. }), "{err:?}");
}

#[test]
fn tampered_body_is_rejected() {
    let tampered = BODY.replace("ord_01", "ord_02");
    let err = verifier().verify_at(&good_header(), TIMESTAMP, EVENT_ID, tampered.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");

    // One byte more (trailing newline, as a re-encoding might add) is enough.
    let extended = format!("{BODY}\n");
    let err = verifier().verify_at(&good_header(), TIMESTAMP, EVENT_ID, extended.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
}

#[test]
fn tampered_event_id_is_rejected() {
    let err = verifier().verify_at(&good_header(), TIMESTAMP, "evt_02", BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");

    let err = verifier()
        .verify_headers_at(&headers(&good_header(), TIMESTAMP, "evt_02"), BODY.as_bytes(), now())
        .unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
}

#[test]
fn tampered_timestamp_is_rejected() {
    // Still within the tolerance of `now`, so only the signature can catch it.
    let err = verifier().verify_at(&good_header(), "1700000001", EVENT_ID, BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
}

#[test]
fn moving_bytes_between_event_id_and_body_is_rejected() {
    // `1700000000.evt_01.{...}` also splits as event id `evt_01.{"id":"evt_01"...` and a
    // shorter body; an id with `.` is refused so the signed string has one reading only.
    let (head, rest) = BODY.split_at(10);
    let shifted_id = format!("{EVENT_ID}.{head}");
    let err = verifier().verify_at(&good_header(), TIMESTAMP, &shifted_id, rest.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::MalformedEventId), "{err:?}");
}

#[test]
fn wrong_secret_is_rejected() {
    let err = WebhookVerifier::new("whsec_other")
        .verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now())
        .unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");

    // The old secret's signature does not verify under the new secret, and vice versa.
    let err =
        verifier().verify_at(&format!("v1={OLD_SECRET_SIG}"), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
    WebhookVerifier::new("whsec_old")
        .verify_at(&format!("v1={OLD_SECRET_SIG}"), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now())
        .unwrap();
}

#[test]
fn empty_secret_never_verifies() {
    let err =
        WebhookVerifier::new("").verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::EmptySecret), "{err:?}");
}

#[test]
fn stale_timestamp_is_rejected() {
    let v = verifier();
    // Exactly at the tolerance: accepted.
    v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_700_000_300)).unwrap();
    // One second beyond: rejected, with the age.
    let err = v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_700_000_301)).unwrap_err();
    assert!(matches!(err, WebhookError::StaleTimestamp { age_secs: 301 }), "{err:?}");

    // A larger tolerance accepts it (for example if retries keep their original timestamp).
    let lenient = verifier().with_tolerance(Duration::from_secs(25 * 3600));
    assert_eq!(lenient.tolerance(), Duration::from_secs(25 * 3600));
    lenient.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_700_000_301)).unwrap();
}

#[test]
fn future_timestamp_is_rejected() {
    let v = verifier();
    v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_699_999_700)).unwrap();
    let err = v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_699_999_699)).unwrap_err();
    assert!(matches!(err, WebhookError::FutureTimestamp { ahead_secs: 301 }), "{err:?}");
}

#[test]
fn a_bad_signature_is_reported_as_a_mismatch_not_as_stale() {
    // Timing errors are only reported for genuine signatures.
    let wrong = format!("v1={}", "0".repeat(64));
    let err = verifier().verify_at(&wrong, TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_800_000_000)).unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
}

#[test]
fn malformed_signature_headers_are_rejected() {
    let cases = [
        String::new(),
        GOOD_SIG.to_string(),                         // no `v1=`
        format!("v0={GOOD_SIG}"),                     // unknown scheme only
        format!("V1={GOOD_SIG}"),                     // schemes are case-sensitive
        format!("v1={}", GOOD_SIG.replace('a', "g")), // not hex
        format!("v1={}", &GOOD_SIG[..62]),            // too short
        format!("v1={GOOD_SIG}00"),                   // too long
        format!("v1={}", &GOOD_SIG[..63]),            // odd length
        "v1=".to_string(),                            // empty
        format!("v1:{GOOD_SIG}"),                     // wrong separator
        format!("sha256={GOOD_SIG}"),                 // another scheme
        ",,,".to_string(),
    ];
    for header in cases {
        let err = verifier().verify_at(&header, TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap_err();
        assert!(matches!(err, WebhookError::MalformedSignature), "{header:?}: {err:?}");
    }
}

#[test]
fn malformed_timestamps_are_rejected() {
    for timestamp in ["", "abc", "+1700000000", "-1700000000", " 1700000000", "1700000000.5", "99999999999999999999999"]
    {
        let err = verifier().verify_at(&good_header(), timestamp, EVENT_ID, BODY.as_bytes(), now()).unwrap_err();
        assert!(matches!(err, WebhookError::MalformedTimestamp), "{timestamp:?}: {err:?}");
    }
}

#[test]
fn malformed_event_ids_are_rejected() {
    for event_id in ["", "evt 01", "evt.01", "évt_01"] {
        let err = verifier().verify_at(&good_header(), TIMESTAMP, event_id, BODY.as_bytes(), now()).unwrap_err();
        assert!(matches!(err, WebhookError::MalformedEventId), "{event_id:?}: {err:?}");
    }
}

#[test]
fn missing_headers_are_named() {
    let full = headers(&good_header(), TIMESTAMP, EVENT_ID);
    for name in [SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_ID_HEADER] {
        let mut map = full.clone();
        map.remove(name);
        let err = verifier().verify_headers_at(&map, BODY.as_bytes(), now()).unwrap_err();
        assert!(matches!(err, WebhookError::MissingHeader(n) if n == name), "{name}: {err:?}");
        assert!(err.to_string().contains(name), "{err}");
    }
    let err = verifier().verify_headers_at(&HeaderMap::new(), BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::MissingHeader(_)), "{err:?}");
}

#[test]
fn non_ascii_header_values_are_malformed() {
    let opaque = HeaderValue::from_bytes(b"\xff\xfe").unwrap();
    let mut map = headers(&good_header(), TIMESTAMP, EVENT_ID);
    map.insert(SIGNATURE_HEADER, opaque.clone());
    let err = verifier().verify_headers_at(&map, BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::MalformedSignature), "{err:?}");

    let mut map = headers(&good_header(), TIMESTAMP, EVENT_ID);
    map.insert(TIMESTAMP_HEADER, opaque.clone());
    let err = verifier().verify_headers_at(&map, BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::MalformedTimestamp), "{err:?}");

    let mut map = headers(&good_header(), TIMESTAMP, EVENT_ID);
    map.insert(EVENT_ID_HEADER, opaque);
    let err = verifier().verify_headers_at(&map, BODY.as_bytes(), now()).unwrap_err();
    assert!(matches!(err, WebhookError::MalformedEventId), "{err:?}");
}

#[test]
fn one_valid_signature_among_several_is_enough() {
    let v = verifier();
    for header in [
        format!("v1={OLD_SECRET_SIG},v1={GOOD_SIG}"),
        format!("v1={GOOD_SIG},v1={OLD_SECRET_SIG}"),
        format!("v1={OLD_SECRET_SIG}, v1={GOOD_SIG}"),
        format!("v0={OLD_SECRET_SIG},v1={GOOD_SIG}"), // unknown schemes are ignored
        format!("v0=whatever,v1=nothex,v1={GOOD_SIG},"), // so is junk beside a valid entry
    ] {
        v.verify_at(&header, TIMESTAMP, EVENT_ID, BODY.as_bytes(), now())
            .unwrap_or_else(|e| panic!("{header:?}: {e:?}"));
    }
    // Every entry wrong: a mismatch.
    let err = v
        .verify_at(&format!("v1={OLD_SECRET_SIG},v1={}", "1".repeat(64)), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now())
        .unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
    // During rotation the verifier holding the old secret accepts the same header.
    WebhookVerifier::new("whsec_old")
        .verify_at(&format!("v1={GOOD_SIG},v1={OLD_SECRET_SIG}"), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now())
        .unwrap();
}

#[test]
fn several_signature_header_lines_are_one_list() {
    let mut map = headers(&format!("v1={OLD_SECRET_SIG}"), TIMESTAMP, EVENT_ID);
    map.append(SIGNATURE_HEADER, HeaderValue::from_str(&good_header()).unwrap());
    verifier().verify_headers_at(&map, BODY.as_bytes(), now()).unwrap();
}

#[test]
fn debug_of_the_verifier_hides_the_secret() {
    let debug = format!("{:?}", verifier());
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(!debug.contains("whsec"), "{debug}");
    assert!(debug.contains("WebhookVerifier"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
    let pretty = format!("{:#?}", verifier().with_tolerance(Duration::from_secs(60)));
    assert!(!pretty.contains(SECRET), "{pretty}");
}

#[test]
fn errors_never_show_the_secret_or_the_expected_signature() {
    let v = verifier();
    let mut errors: Vec<WebhookError> = vec![
        v.verify_at("v1=00", TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap_err(),
        v.verify_at(&good_header(), "x", EVENT_ID, BODY.as_bytes(), now()).unwrap_err(),
        v.verify_at(&good_header(), TIMESTAMP, "", BODY.as_bytes(), now()).unwrap_err(),
        v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, b"{}", now()).unwrap_err(),
        v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_800_000_000)).unwrap_err(),
        v.verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), at(1_600_000_000)).unwrap_err(),
        v.verify_headers_at(&HeaderMap::new(), BODY.as_bytes(), now()).unwrap_err(),
        WebhookVerifier::new("").verify_at(&good_header(), TIMESTAMP, EVENT_ID, BODY.as_bytes(), now()).unwrap_err(),
    ];
    // The signature a tampered body would need must not leak either (no signing oracle).
    // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000.evt_01.{}", hashlib.sha256).hexdigest())'
    let expected_for_tampered = "131b849423c5ce1ebd38e5f88e3f9f67e094642be0f4d371e3635c6b92595a39";
    errors.push(v.verify_at(&format!("v1={GOOD_SIG}"), TIMESTAMP, EVENT_ID, b"{}", now()).unwrap_err());
    for err in &errors {
        let display = err.to_string();
        let debug = format!("{err:?}");
        for text in [&display, &debug] {
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains(expected_for_tampered), "{text}");
        }
        assert!(display.len() > 20, "an actionable message: {display}");
        let _: &dyn std::error::Error = err;
    }
    assert!(errors[4].to_string().contains("100000000 s ago"), "{}", errors[4]);
    assert!(errors[5].to_string().contains("100000000 s in the future"), "{}", errors[5]);
}

#[test]
fn parse_event_verifies_then_decodes() {
    // A tolerance wide enough for the fixed sample, as `parse_event` uses the real clock.
    let v = verifier().with_tolerance(Duration::from_secs(100 * 365 * 86_400));
    let map = headers(&good_header(), TIMESTAMP, EVENT_ID);
    let (verified, event): (VerifiedWebhook, serde_json::Value) = v.parse_event(&map, BODY.as_bytes()).unwrap();
    assert_eq!(verified.event_id, EVENT_ID);
    assert_eq!(event["data"]["order_id"], "ord_01");

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        missing_field: String,
    }
    let err = v.parse_event::<Wrong>(&map, BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidPayload(_)), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());

    // A forged body fails verification before decoding.
    let err = v.parse_event::<serde_json::Value>(&map, b"{}").unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch), "{err:?}");
}

#[test]
fn dedupe_first_duplicate_and_after_expiry() {
    let mut dedupe = EventDeduplicator::new();
    assert!(dedupe.is_empty());
    let t0 = at(1_700_000_000);
    assert!(dedupe.first_delivery("evt_01", t0));
    assert!(!dedupe.first_delivery("evt_01", t0 + Duration::from_secs(60)));
    assert!(dedupe.first_delivery("evt_02", t0 + Duration::from_secs(60)));
    // A retry near the end of the window is still a duplicate.
    assert!(!dedupe.first_delivery("evt_01", t0 + DEFAULT_DEDUPE_WINDOW - Duration::from_secs(1)));
    assert_eq!(dedupe.len(), 2);
    // Once the window has passed, the id is forgotten (and evicted).
    assert!(dedupe.first_delivery("evt_01", t0 + DEFAULT_DEDUPE_WINDOW));
    assert_eq!(dedupe.len(), 2);
    // ... and is remembered again from then on.
    assert!(!dedupe.first_delivery("evt_01", t0 + DEFAULT_DEDUPE_WINDOW + Duration::from_secs(1)));
}

#[test]
fn dedupe_evicts_expired_entries() {
    let window = Duration::from_secs(100);
    let mut dedupe = EventDeduplicator::with_window(window);
    assert_eq!(dedupe.window(), window);
    let t0 = at(1_000);
    for i in 0..50 {
        assert!(dedupe.first_delivery(&format!("evt_{i}"), t0 + Duration::from_secs(i)));
    }
    assert_eq!(dedupe.len(), 50);
    // At t0 + 120, the 21 ids seen at or before t0 + 20 have expired.
    assert!(dedupe.first_delivery("evt_new", t0 + Duration::from_secs(120)));
    assert_eq!(dedupe.len(), 30);
    assert!(!dedupe.first_delivery("evt_49", t0 + Duration::from_secs(120)));
    // Everything expires eventually.
    assert!(dedupe.first_delivery("evt_last", t0 + Duration::from_secs(1_000)));
    assert_eq!(dedupe.len(), 1);
}

#[test]
fn dedupe_forget_lets_a_retry_through() {
    let mut dedupe = EventDeduplicator::default();
    let t0 = at(1_700_000_000);
    assert!(dedupe.first_delivery("evt_01", t0));
    // Processing failed: forget, so Peeker's retry is processed.
    assert!(dedupe.forget("evt_01"));
    assert!(!dedupe.forget("evt_01"));
    let t1 = t0 + Duration::from_secs(3_600);
    assert!(dedupe.first_delivery("evt_01", t1));
    // The stale queue entry from t0 must not evict the entry from t1 when it expires.
    assert!(!dedupe.first_delivery("evt_01", t0 + DEFAULT_DEDUPE_WINDOW + Duration::from_secs(1)));
    assert!(dedupe.first_delivery("evt_01", t1 + DEFAULT_DEDUPE_WINDOW));
}

#[test]
fn dedupe_survives_a_clock_set_back() {
    let mut dedupe = EventDeduplicator::with_window(Duration::from_secs(100));
    assert!(dedupe.first_delivery("evt_a", at(1_000)));
    // The clock jumps back: an earlier time is still a duplicate, never an error.
    assert!(!dedupe.first_delivery("evt_a", at(900)));
    assert!(dedupe.first_delivery("evt_b", at(900)));
    // evt_b (recorded at 900, behind evt_a in order) expires at 1000 even though evt_a,
    // ahead of it in the queue, does not expire until 1100.
    assert!(dedupe.first_delivery("evt_b", at(1_050)));
    assert!(!dedupe.first_delivery("evt_a", at(1_050)));
}
