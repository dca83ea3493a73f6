//! End-to-end tests of the generated `peeker-partner-api` client against a loopback
//! `wiremock` server.

use chrono::{TimeZone, Utc};
use peeker_partner_api::types::{ErrorEnvelopeErrorCode, UserSequencerClientId, UserSequencerProvider, UserStatus};
use peeker_partner_api::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "pk_test_abc";

/// The `user` example of `components/responses/UserResponse` in spec/openapi.yaml.
fn spec_user_example() -> Value {
    json!({
        "data": {
            "id": "usr_01HZX0C6Z3K4M5N6P7Q8R9S0",
            "email": "alex@acme.com",
            "first_name": "Alex",
            "last_name": "Rivera",
            "status": "active",
            "sequencer": {
                "provider": "smartlead",
                "client_id": 366903
            },
            "created_at": "2026-05-08T12:00:00Z"
        }
    })
}

/// The spec example with `sequencer.client_id` replaced (or removed when `None`).
fn user_with_client_id(client_id: Option<Value>) -> Value {
    let mut body = spec_user_example();
    let seq = body["data"]["sequencer"].as_object_mut().unwrap();
    match client_id {
        Some(v) => {
            seq.insert("client_id".to_string(), v);
        }
        None => {
            seq.remove("client_id");
        }
    }
    body
}

fn client_for(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).credential(KEY).build().expect("client builds")
}

async fn serve_any(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET")).respond_with(response).mount(server).await;
}

// 1. Happy path: request shape and the typed, decoded result.
#[tokio::test]
async fn get_user_200_decodes_spec_example() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_01HZX"))
        .and(header("Authorization", "Bearer pk_test_abc"))
        // The media type the operation decodes, so a server offering several sends JSON.
        .and(header("Accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let client = client_for(&server);
    let envelope = client.get_user("usr_01HZX").await.expect("200 decodes");
    let user = envelope.data;

    assert_eq!(user.id, "usr_01HZX0C6Z3K4M5N6P7Q8R9S0");
    assert_eq!(user.email.as_deref(), Some("alex@acme.com"));
    assert_eq!(user.first_name.as_deref(), Some("Alex"));
    assert_eq!(user.last_name.as_deref(), Some("Rivera"));
    assert_eq!(user.status, UserStatus::Active);
    assert_eq!(user.sequencer.provider, UserSequencerProvider::Smartlead);
    match &user.sequencer.client_id {
        Some(UserSequencerClientId::Number(n)) => {
            assert_eq!(n.to_string(), "366903");
            assert_eq!(n.as_u64(), Some(366903));
        }
        other => panic!("expected client_id Number(366903), got {other:?}"),
    }
    let reserialized = serde_json::to_string(&user.sequencer.client_id).unwrap();
    assert_eq!(reserialized, "366903");
    assert_eq!(user.created_at, Utc.with_ymd_and_hms(2026, 5, 8, 12, 0, 0).unwrap());
    server.verify().await;
}

/// The status and headers of a successful call come with its body on request, and a documented
/// error is the same error either way.
#[tokio::test]
async fn with_response_keeps_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_01HZX"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(spec_user_example())
                .insert_header("x-request-id", "req_42")
                .insert_header("x-ratelimit-remaining", "99"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let response = client.get_user("usr_01HZX").send().with_response().await.expect("200 decodes");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("req_42"));
    assert_eq!(response.header("X-RateLimit-Remaining"), Some("99"));
    assert!(format!("{response:?}").contains("x-ratelimit-remaining"));
    assert_eq!(response.into_body().data.id, "usr_01HZX0C6Z3K4M5N6P7Q8R9S0");

    let err = client.get_user("usr_missing").send().with_response().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn get_user_send_matches_into_future() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_01HZX"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_user_example()))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let a = client.get_user("usr_01HZX").send().await.unwrap();
    let b = client.get_user("usr_01HZX").await.unwrap();
    assert_eq!(a, b);
    // Round trip: the decoded envelope re-serializes to the example.
    assert_eq!(serde_json::to_value(&a).unwrap(), spec_user_example());
}

// 2. Documented 404 error.
#[tokio::test]
async fn get_user_404_is_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_missing"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req_123")
                .set_body_json(json!({"error": {"code": "not_found", "message": "No user"}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client_for(&server).get_user("usr_missing").await.expect_err("404 is an error");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.request_id(), Some("req_123"));
    let display = err.to_string();
    assert!(display.contains("404"), "display: {display}");
    assert!(display.contains("req_123"), "display: {display}");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.body.error.code, ErrorEnvelopeErrorCode::NotFound);
            assert_eq!(api.body.error.message, "No user");
            assert_eq!(api.body.error.field, None);
            assert_eq!(api.response.status.as_u16(), 404);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(err.api_body().is_some());
}

// 3. Unknown enum value in an error code is kept, not rejected.
#[tokio::test]
async fn unknown_error_code_decodes_to_unknown_variant() {
    let server = MockServer::start().await;
    serve_any(
        &server,
        ResponseTemplate::new(404).set_body_json(json!({"error": {"code": "brand_new_code", "message": "New"}})),
    )
    .await;

    let err = client_for(&server).get_user("usr_x").await.unwrap_err();
    match err {
        Error::Api(api) => {
            assert_eq!(api.body.error.code, ErrorEnvelopeErrorCode::Unknown("brand_new_code".to_string()));
            assert_eq!(api.body.error.code.as_str(), "brand_new_code");
            assert_eq!(api.body.error.message, "New");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// 4. Undocumented status.
#[tokio::test]
async fn undocumented_500_is_unexpected_status() {
    let server = MockServer::start().await;
    serve_any(&server, ResponseTemplate::new(500).set_body_string("boom")).await;

    let err = client_for(&server).get_user("usr_x").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    match &err {
        Error::UnexpectedStatus(raw) => {
            assert_eq!(raw.status.as_u16(), 500);
            assert_eq!(&raw.body[..], b"boom");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert!(err.to_string().contains("500"));
    assert!(err.to_string().contains("boom"));
}

// 4b. An undocumented status whose body is JSON in a common error shape: `Display` shows the
// API's own message, and the body can be read as JSON.
#[tokio::test]
async fn undocumented_401_shows_the_api_message() {
    let server = MockServer::start().await;
    let body = json!({"error": {"message": "Incorrect API key provided: sk-...", "type": "invalid_request_error"}});
    serve_any(&server, ResponseTemplate::new(401).set_body_json(&body)).await;

    let err = client_for(&server).get_user("usr_x").await.unwrap_err();
    assert_eq!(err.to_string(), "unexpected status 401 Unauthorized: Incorrect API key provided: sk-...");
    match &err {
        Error::UnexpectedStatus(raw) => {
            assert_eq!(raw.json(), Some(body));
            assert_eq!(raw.message().as_deref(), Some("Incorrect API key provided: sk-..."));
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    // Other shapes: a top-level message, FastAPI's `detail`, a list of errors; plain text has none.
    for (body, message) in [
        (r#"{"message":"Bad credentials"}"#, Some("Bad credentials")),
        (r#"{"detail":"Not authenticated"}"#, Some("Not authenticated")),
        (r#"{"errors":[{"message":"quota exceeded"}]}"#, Some("quota exceeded")),
        (r#"{"error":"invalid_grant"}"#, Some("invalid_grant")),
        ("boom", None),
    ] {
        let raw = peeker_partner_api::RawResponse {
            status: reqwest::StatusCode::UNAUTHORIZED,
            headers: Default::default(),
            body: body.as_bytes().to_vec().into(),
        };
        assert_eq!(raw.message().as_deref(), message, "{body}");
    }
}

// 5a. A 200 whose JSON body does not match the type.
#[tokio::test]
async fn mismatched_200_body_is_decode_error() {
    let server = MockServer::start().await;
    let body = r#"{"data": {"id": 5}}"#;
    serve_any(&server, ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    let err = client_for(&server).get_user("usr_x").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    match &err {
        Error::Decode { response, source } => {
            assert_eq!(response.status.as_u16(), 200);
            assert_eq!(&response.body[..], body.as_bytes());
            assert!(source.is_data(), "source: {source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
}

// 5b. A 200 with non-JSON or truncated bodies.
#[tokio::test]
async fn non_json_and_truncated_200_bodies_are_decode_errors() {
    for body in ["<html>oops</html>", r#"{"data": {"id": "usr_"#, ""] {
        let server = MockServer::start().await;
        serve_any(&server, ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
        let err = client_for(&server).get_user("usr_x").await.unwrap_err();
        match &err {
            Error::Decode { response, source } => {
                assert_eq!(response.status.as_u16(), 200, "body {body:?}");
                assert_eq!(&response.body[..], body.as_bytes(), "body {body:?}");
                assert!(source.is_syntax() || source.is_eof(), "body {body:?}: {source}");
            }
            other => panic!("body {body:?}: expected Error::Decode, got {other:?}"),
        }
    }
}

// 6. `sequencer.client_id` is required but nullable.
#[tokio::test]
async fn client_id_null_decodes_to_none() {
    let server = MockServer::start().await;
    serve_any(&server, ResponseTemplate::new(200).set_body_json(user_with_client_id(Some(Value::Null)))).await;
    let user = client_for(&server).get_user("usr_x").await.unwrap().data;
    assert_eq!(user.sequencer.client_id, None);
}

#[tokio::test]
async fn client_id_string_decodes_to_string_variant() {
    let server = MockServer::start().await;
    serve_any(&server, ResponseTemplate::new(200).set_body_json(user_with_client_id(Some(json!("366903"))))).await;
    let user = client_for(&server).get_user("usr_x").await.unwrap().data;
    assert_eq!(user.sequencer.client_id, Some(UserSequencerClientId::String("366903".to_string())));
    assert_eq!(serde_json::to_string(&user.sequencer.client_id).unwrap(), r#""366903""#);
}

#[tokio::test]
async fn client_id_missing_is_decode_error() {
    let server = MockServer::start().await;
    serve_any(&server, ResponseTemplate::new(200).set_body_json(user_with_client_id(None))).await;
    let result = client_for(&server).get_user("usr_x").await;
    match result {
        Err(Error::Decode { response, source }) => {
            assert_eq!(response.status.as_u16(), 200);
            assert!(source.to_string().contains("client_id"), "source should name the missing field: {source}");
        }
        Ok(env) => panic!("a missing required field was accepted: client_id = {:?}", env.data.sequencer.client_id),
        Err(other) => panic!("expected Error::Decode, got {other:?}"),
    }
}

// 7. Path parameters are percent-encoded as one segment.
#[tokio::test]
async fn path_parameter_is_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/a%2Fb%20c"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let result = client_for(&server).get_user("a/b c").await;
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].url.path(), "/users/a%2Fb%20c");
    result.expect("the encoded path matched the mock");
}

// 8. The credential never shows in Debug output.
#[tokio::test]
async fn client_debug_redacts_key() {
    let client = Client::builder().base_url("http://127.0.0.1:1").credential(KEY).build().unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY), "debug output leaks the key: {debug}");
    assert!(!debug.contains("abc"), "debug output leaks the key: {debug}");
    let debug_alt = format!("{client:#?}");
    assert!(!debug_alt.contains(KEY));
    let builder_debug = format!("{:?}", Client::builder().credential(KEY));
    assert!(!builder_debug.contains(KEY), "builder debug leaks: {builder_debug}");
}

// 9. Connection failure.
#[tokio::test]
async fn closed_port_is_transport_error_without_key() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder().base_url(format!("http://127.0.0.1:{port}")).credential(KEY).build().unwrap();
    let err = client.get_user("usr_01HZX").await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "got {err:?}");
    assert_eq!(err.status(), None);
    assert_eq!(err.request_id(), None);
    let display = err.to_string();
    let debug = format!("{err:?}");
    assert!(!display.contains(KEY), "display leaks key: {display}");
    assert!(!debug.contains(KEY), "debug leaks key: {debug}");
}

// 10. No credential, no Authorization header.
#[tokio::test]
async fn no_credential_sends_no_authorization_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_01HZX"))
        .and(|req: &Request| !req.headers.contains_key("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec_user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let result = client.get_user("usr_01HZX").await;

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(
        received[0].headers.get("authorization").is_none(),
        "unexpected Authorization header: {:?}",
        received[0].headers.get("authorization")
    );
    result.expect("request without credential succeeds");
}
