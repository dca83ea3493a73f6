//! The generated client never panics on what a server sends: every body becomes a value or a
//! typed `Error`. `peeker_e2e.rs` covers the documented cases (the spec example, a documented
//! 404, a wrong type for `id`, non-JSON/truncated/empty 200 bodies, `client_id` variants); this
//! file covers what a misbehaving or newer server sends besides.

use peeker_partner_api::types::{ErrorEnvelopeErrorCode, UserSequencerClientId, UserSequencerProvider, UserStatus};
use peeker_partner_api::{Client, Error};
use serde_json::{json, Value};
use std::io::{Read, Write};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn user() -> Value {
    json!({"data": {
        "id": "usr_1", "status": "active", "created_at": "2026-05-08T12:00:00Z",
        "sequencer": {"provider": "smartlead", "client_id": 366903}
    }})
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .credential("pk_test_abc")
        .no_retries()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client builds")
}

/// Serves `response` to every request and returns what `get_user` made of it.
async fn get_user_with(
    response: ResponseTemplate,
) -> Result<
    peeker_partner_api::types::SuccessEnvelope<peeker_partner_api::types::User>,
    Error<peeker_partner_api::types::ErrorEnvelope>,
> {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    client(&server.uri()).get_user("usr_1").await
}

fn json_body(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn raw_body(status: u16, body: impl Into<Vec<u8>>, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), content_type)
}

/// Asserts a decode error for a response with `status` that kept the body as sent.
#[track_caller]
fn assert_decode_error<T: std::fmt::Debug>(
    result: Result<T, Error<peeker_partner_api::types::ErrorEnvelope>>,
    status: u16,
    what: &str,
) {
    match result {
        Err(Error::Decode { response, source }) => {
            assert_eq!(response.status.as_u16(), status, "{what}");
            assert!(!source.to_string().is_empty(), "{what}");
        }
        other => panic!("{what}: expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_fields_are_ignored_everywhere() {
    let mut body = user();
    body["data"]["favourite_colour"] = json!("teal");
    body["data"]["sequencer"]["region"] = json!({"nested": [1, 2, {"deep": null}]});
    body["meta"] = json!({"request_id": "req_1"});
    let got = get_user_with(json_body(200, &body)).await.expect("decodes");
    assert_eq!(got.data.id, "usr_1");
    assert_eq!(got.data.status, UserStatus::Active);

    let err = get_user_with(json_body(
        404,
        &json!({"error": {"code": "not_found", "message": "gone", "docs": "https://x"}, "trace": [1]}),
    ))
    .await
    .unwrap_err();
    match err {
        Error::Api(api) => assert_eq!(api.body.error.code, ErrorEnvelopeErrorCode::NotFound),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_enum_values_are_kept_and_sent_back_unchanged() {
    let mut body = user();
    body["data"]["status"] = json!("suspended");
    body["data"]["sequencer"]["provider"] = json!("brand-new-provider");
    let got = get_user_with(json_body(200, &body)).await.expect("decodes");
    assert_eq!(got.data.status, UserStatus::Unknown("suspended".into()));
    assert_eq!(got.data.status.as_str(), "suspended");
    assert!(matches!(&got.data.sequencer.provider, UserSequencerProvider::Unknown(p) if p == "brand-new-provider"));
    // Re-encoding gives back exactly what was received.
    let again = serde_json::to_value(&got).expect("encodes");
    assert_eq!(again["data"]["status"], "suspended");
    assert_eq!(again["data"]["sequencer"]["provider"], "brand-new-provider");
}

#[tokio::test]
async fn enum_values_of_the_wrong_type_are_decode_errors() {
    for (field, value) in [("status", json!(3)), ("status", json!(null)), ("status", json!(["active"]))] {
        let mut body = user();
        body["data"][field] = value.clone();
        assert_decode_error(get_user_with(json_body(200, &body)).await, 200, &format!("{field}: {value}"));
    }
}

#[tokio::test]
async fn wrong_types_are_decode_errors() {
    let cases: Vec<(&str, Value)> = vec![
        ("data is a string", json!({"data": "usr_1"})),
        ("data is null", json!({"data": null})),
        ("data is missing", json!({})),
        ("body is an array", json!([user()])),
        ("body is a number", json!(42)),
        ("body is null", json!(null)),
        ("created_at is not a date", {
            let mut b = user();
            b["data"]["created_at"] = json!("yesterday");
            b
        }),
        ("created_at is a number", {
            let mut b = user();
            b["data"]["created_at"] = json!(1_700_000_000);
            b
        }),
        ("client_id is a boolean", {
            let mut b = user();
            b["data"]["sequencer"]["client_id"] = json!(true);
            b
        }),
        ("sequencer is a list", {
            let mut b = user();
            b["data"]["sequencer"] = json!([]);
            b
        }),
        ("email is a number", {
            let mut b = user();
            b["data"]["email"] = json!(7);
            b
        }),
    ];
    for (what, body) in cases {
        assert_decode_error(get_user_with(json_body(200, &body)).await, 200, what);
    }
}

#[tokio::test]
async fn numbers_beyond_every_primitive_are_values_or_decode_errors() {
    for raw in ["123456789012345678901234567890", "-1e400", "1e400", "0.1e-400", "-0"] {
        let body = format!(
            r#"{{"data": {{"id": "usr_1", "status": "active", "created_at": "2026-05-08T12:00:00Z", "sequencer": {{"provider": "smartlead", "client_id": {raw}}}}}}}"#
        );
        match get_user_with(raw_body(200, body, "application/json")).await {
            Ok(got) => assert!(matches!(got.data.sequencer.client_id, Some(UserSequencerClientId::Number(_))), "{raw}"),
            Err(Error::Decode { .. }) => {}
            Err(other) => panic!("{raw}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn error_bodies_that_do_not_decode_are_typed_errors() {
    let cases: Vec<(&str, ResponseTemplate)> = vec![
        ("html 404", raw_body(404, "<html>Not Found</html>", "text/html")),
        ("empty 404", ResponseTemplate::new(404)),
        ("truncated 404", raw_body(404, r#"{"error": {"code": "not_fo"#, "application/json")),
        ("wrong shape 404", json_body(404, &json!({"error": "not_found"}))),
        ("error code of the wrong type", json_body(404, &json!({"error": {"code": 404, "message": "x"}}))),
    ];
    for (what, response) in cases {
        let err = get_user_with(response).await.unwrap_err();
        match &err {
            Error::Decode { response, .. } => assert_eq!(response.status.as_u16(), 404, "{what}"),
            other => panic!("{what}: expected Error::Decode, got {other:?}"),
        }
        // Every error describes itself without panicking.
        assert!(err.to_string().contains("404"), "{what}: {err}");
        let _ = format!("{err:?}");
    }
}

#[tokio::test]
async fn undocumented_statuses_with_any_body_are_unexpected_status() {
    for (status, body) in
        [(204, Vec::new()), (302, b"moved".to_vec()), (418, vec![0xff, 0xfe, 0x00]), (401, b"{".to_vec())]
    {
        let err = get_user_with(raw_body(status, body.clone(), "application/octet-stream")).await.unwrap_err();
        match &err {
            Error::UnexpectedStatus(raw) => {
                assert_eq!(raw.status.as_u16(), status);
                assert_eq!(&raw.body[..], &body[..]);
            }
            other => panic!("{status}: expected Error::UnexpectedStatus, got {other:?}"),
        }
        let _ = err.to_string();
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_text_are_decode_errors() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("invalid UTF-8", b"{\"data\": {\"id\": \"\xff\xfe\"}}".to_vec(), "application/json"),
        ("binary", (0u8..=255).collect(), "application/octet-stream"),
        ("json as text/plain with trailing garbage", format!("{} trailing", user()).into_bytes(), "text/plain"),
        ("two documents", format!("{}{}", user(), user()).into_bytes(), "application/json"),
        ("only whitespace", b"  \n\t ".to_vec(), "application/json"),
        ("a lone BOM", "\u{feff}".as_bytes().to_vec(), "application/json"),
    ];
    for (what, body, content_type) in cases {
        assert_decode_error(get_user_with(raw_body(200, body, content_type)).await, 200, what);
    }
}

#[tokio::test]
async fn deeply_nested_bodies_never_overflow_the_stack() {
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let body = |extra: &str, client_id: &str| {
        format!(
            r#"{{"data": {{"id": "usr_1", "status": "active", "created_at": "2026-05-08T12:00:00Z", "sequencer": {{"provider": "smartlead", "client_id": {client_id}}}, "extra": {extra}}}}}"#
        )
    };
    // Bodies are read into a `serde_json::Value` before the types decode it, so an unknown field
    // nested past serde_json's recursion limit (128) is a decode error, not a stack overflow.
    assert_decode_error(
        get_user_with(raw_body(200, body(&nested, "1"), "application/json")).await,
        200,
        "deep unknown field",
    );
    // Nested up to the limit, an unknown field is skipped and the rest decodes.
    let shallow = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let got = get_user_with(raw_body(200, body(&shallow, "1"), "application/json")).await.expect("decodes");
    assert_eq!(got.data.id, "usr_1");
    // In an untagged union: a decode error too.
    assert_decode_error(get_user_with(raw_body(200, body("0", &nested), "application/json")).await, 200, "deep union");
    // Unbalanced: a decode error.
    let open = "[".repeat(depth);
    assert_decode_error(get_user_with(raw_body(200, body(&open, "1"), "application/json")).await, 200, "unbalanced");
}

#[tokio::test]
async fn huge_bodies_decode_or_fail_typed() {
    // 20 MB in an unknown field: skipped, the rest decodes.
    let mut body = user();
    body["data"]["blob"] = json!("x".repeat(20 * 1024 * 1024));
    let got = get_user_with(json_body(200, &body)).await.expect("decodes");
    assert_eq!(got.data.id, "usr_1");

    // 20 MB in a known field: kept.
    let mut body = user();
    body["data"]["first_name"] = json!("y".repeat(20 * 1024 * 1024));
    let got = get_user_with(json_body(200, &body)).await.expect("decodes");
    assert_eq!(got.data.first_name.map(|n| n.len()), Some(20 * 1024 * 1024));

    // 20 MB of garbage: a decode error that keeps the body.
    let garbage = vec![b'{'; 20 * 1024 * 1024];
    match get_user_with(raw_body(200, garbage, "application/json")).await {
        Err(Error::Decode { response, .. }) => assert_eq!(response.body.len(), 20 * 1024 * 1024),
        other => panic!("expected Error::Decode, got {:?}", other.map(|_| ())),
    }
}

/// A server that closes the connection before the promised `Content-Length`, or sends no HTTP
/// at all: transport errors.
#[tokio::test]
async fn truncated_and_garbage_connections_are_transport_errors() {
    for reply in [
        &b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"data\": {\"id\""[..],
        &b"this is not HTTP\r\n\r\n"[..],
        &b""[..],
    ] {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let addr = listener.local_addr().expect("has an address");
        let server = std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(reply);
                let _ = stream.flush();
                // Dropping the stream closes the connection mid-response.
            }
        });
        let result = client(&format!("http://{addr}")).get_user("usr_1").await;
        match result {
            Err(Error::Transport(e)) => assert!(!e.to_string().is_empty()),
            other => panic!("reply {:?}: expected Error::Transport, got {other:?}", String::from_utf8_lossy(reply)),
        }
        server.join().expect("server thread");
    }
}
