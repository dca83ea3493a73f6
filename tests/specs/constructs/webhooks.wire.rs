//! Webhooks of the generated crate: payloads decode into their typed events by name, and
//! signatures verify. Every expected signature is computed independently of the crate and
//! hard-coded (the command or source is next to each).

// The `webhook` module and the types only webhooks use are behind the `webhooks` feature.
#![cfg(feature = "webhooks")]

use fixture_webhooks::types;
use fixture_webhooks::webhook::{
    Encoding, HmacSha256Verifier, SignatureError, WebhookError, WebhookEvent, DEFAULT_TOLERANCE,
};
use std::time::{Duration, UNIX_EPOCH};

const BODY: &str = r#"{"action":"adopted","pet":{"id":7,"name":"Rex"},"adopter":"Ann"}"#;

#[test]
fn a_ref_payload_parses_into_its_event() {
    let event = WebhookEvent::parse("pet-adopted", BODY.as_bytes()).unwrap();
    assert_eq!(event.name(), "pet-adopted");
    let WebhookEvent::PetAdopted(adopted) = event else { panic!("{event:?}") };
    let adopted: types::PetAdopted = *adopted;
    assert_eq!(adopted.pet.id, 7);
    assert_eq!(adopted.pet.name, "Rex");
    assert_eq!(adopted.adopter.as_deref(), Some("Ann"));
}

#[test]
fn an_inline_payload_parses_into_its_event() {
    let body = br#"{"order_id":"ord_1","amount":1250,"customer":{"email":null}}"#;
    let event = WebhookEvent::parse("order.paid", body).unwrap();
    let WebhookEvent::OrderPaid(paid) = &event else { panic!("{event:?}") };
    let paid: &types::OrderPaidPayload = paid;
    assert_eq!(paid.order_id, "ord_1");
    assert_eq!(paid.amount, 1250);
    assert_eq!(WebhookEvent::NAMES, ["pet-adopted", "order.paid"]);
}

#[test]
fn unknown_names_and_bad_bodies_are_typed_errors() {
    let err = WebhookEvent::parse("pet-sold", BODY.as_bytes()).unwrap_err();
    assert!(matches!(&err, WebhookError::UnknownEvent { name } if name == "pet-sold"), "{err:?}");
    assert!(err.to_string().contains("\"pet-sold\""), "{err}");

    // The serde message, with the field, is kept.
    let err = WebhookEvent::parse("order.paid", br#"{"order_id":"ord_1"}"#).unwrap_err();
    assert!(matches!(&err, WebhookError::Decode { event: "order.paid", .. }), "{err:?}");
    assert!(err.to_string().contains("amount"), "{err}");
    assert!(std::error::Error::source(&err).is_some());

    let err = WebhookEvent::parse("order.paid", b"not json").unwrap_err();
    assert!(matches!(&err, WebhookError::Decode { .. }), "{err:?}");
}

/// RFC 4231, test case 2: key `Jefe`, data `what do ya want for nothing?`.
#[test]
fn rfc_4231_case_2() {
    let verifier = HmacSha256Verifier::new("Jefe");
    let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    verifier.verify(expected, &[b"what do ya want for nothing?"]).unwrap();
    // In pieces, and in upper case.
    verifier.verify(&expected.to_uppercase(), &["what do ya ".as_bytes(), "want for nothing?".as_bytes()]).unwrap();
    assert_eq!(
        verifier.verify(expected, &[b"what do ya want for nothing!"]),
        Err(SignatureError::SignatureMismatch)
    );
}

/// GitHub's documented example: secret `It's a Secret to Everybody`, payload `Hello, World!`.
#[test]
fn github_style_prefixed_hex() {
    let verifier = HmacSha256Verifier::new("It's a Secret to Everybody").prefix("sha256=");
    let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    verifier.verify(header, &[b"Hello, World!"]).unwrap();
    assert_eq!(verifier.verify(header, &[b"Hello, World?"]), Err(SignatureError::SignatureMismatch));
    // Without the prefix, or with another one, the header is malformed.
    assert_eq!(
        verifier.verify(&header["sha256=".len()..], &[b"Hello, World!"]),
        Err(SignatureError::MalformedSignature)
    );
    assert_eq!(verifier.verify("sha1=abc", &[b"Hello, World!"]), Err(SignatureError::MalformedSignature));
}

/// `v1=<hex>` entries over `<timestamp>.<body>` with `whsec_test`:
///
/// ```text
/// python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000." + BODY, hashlib.sha256).hexdigest())'
/// ```
const TIMESTAMPED_SIG: &str = "6dcb19274e4e814967f7e74298a87e2a6f97a0416b0fbc78e7529943706dc4db";

#[test]
fn timestamped_signatures_reject_tampering_and_old_timestamps() {
    let verifier = HmacSha256Verifier::new("whsec_test").prefix("v1=").separator(',');
    assert_eq!(verifier.current_tolerance(), DEFAULT_TOLERANCE);
    let header = format!("v0=junk, v1={TIMESTAMPED_SIG}");
    let signed = |body: &'static str| -> [&'static [u8]; 3] { [b"1700000000", b".", body.as_bytes()] };
    let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);

    let ts = verifier.verify_timestamped_at(&header, &signed(BODY), "1700000000", at(1_700_000_030)).unwrap();
    assert_eq!(ts, 1_700_000_000);

    // A tampered body.
    let tampered = BODY.replace("Rex", "Max");
    let tampered: &'static str = Box::leak(tampered.into_boxed_str());
    assert_eq!(
        verifier.verify_timestamped_at(&header, &signed(tampered), "1700000000", at(1_700_000_030)),
        Err(SignatureError::SignatureMismatch)
    );
    // An old timestamp (a replay), and one from the future.
    assert_eq!(
        verifier.verify_timestamped_at(&header, &signed(BODY), "1700000000", at(1_700_000_301)),
        Err(SignatureError::StaleTimestamp { age_secs: 301 })
    );
    assert_eq!(
        verifier.verify_timestamped_at(&header, &signed(BODY), "1700000000", at(1_699_999_000)),
        Err(SignatureError::FutureTimestamp { ahead_secs: 1_000 })
    );
    // A wider tolerance accepts the old one.
    let lenient = verifier.clone().tolerance(Duration::from_secs(3_600));
    lenient.verify_timestamped_at(&header, &signed(BODY), "1700000000", at(1_700_000_301)).unwrap();
    assert_eq!(
        verifier.verify_timestamped_at(&header, &signed(BODY), "17e8", at(1_700_000_030)),
        Err(SignatureError::MalformedTimestamp)
    );
}

/// Standard Webhooks: key `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw` (the base64 after `whsec_`
/// decoded), `v1,<base64>` entries separated by spaces, over `<id>.<timestamp>.<body>`:
///
/// ```text
/// python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), b"msg_01.1700000000." + BODY, hashlib.sha256).digest()).decode())'
/// ```
#[test]
fn base64_signatures_with_a_decoded_key() {
    // The key's bytes, decoded from base64 by hand (the test has no base64 crate).
    let key: [u8; 24] = [
        0x31, 0xf2, 0x90, 0xf6, 0xbf, 0x06, 0x29, 0x8a, 0xab, 0x4f, 0x08, 0xd4, 0x3c, 0x3f, 0x08, 0x2c, 0xf6, 0x48,
        0xa3, 0x62, 0xda, 0x2d, 0xa4, 0xb0,
    ];
    let verifier = HmacSha256Verifier::from_key_bytes(key).prefix("v1,").encoding(Encoding::Base64).separator(' ');
    let header = "v1,bm90IHRoaXMgb25l v1,fkUfUFuX/bzjVgy2w+qKqHCaQ+hSwOt2yGdKN0lf0Z4=";
    let signed: [&[u8]; 5] = [b"msg_01", b".", b"1700000000", b".", BODY.as_bytes()];
    verifier.verify(header, &signed).unwrap();
    // The URL-safe alphabet and no padding decode the same.
    verifier.verify("v1,fkUfUFuX_bzjVgy2w-qKqHCaQ-hSwOt2yGdKN0lf0Z4", &signed).unwrap();
    assert_eq!(verifier.sign(&signed), "v1,fkUfUFuX/bzjVgy2w+qKqHCaQ+hSwOt2yGdKN0lf0Z4=");
    let tampered: [&[u8]; 5] = [b"msg_02", b".", b"1700000000", b".", BODY.as_bytes()];
    assert_eq!(verifier.verify(header, &tampered), Err(SignatureError::SignatureMismatch));
}

#[test]
fn an_empty_secret_never_verifies_and_debug_hides_the_key() {
    let verifier = HmacSha256Verifier::new("");
    let sig = verifier.sign(&[b"x"]);
    assert_eq!(verifier.verify(&sig, &[b"x"]), Err(SignatureError::EmptySecret));
    let debug = format!("{:?}", HmacSha256Verifier::new("whsec_test"));
    assert!(!debug.contains("whsec_test") && debug.contains("redacted"), "{debug}");
}
