//! Wire tests for the Sent.dm seed (`GET /v3/users/{userId}`): the `x-api-key` header, the
//! optional `x-profile-id` header, and one envelope type for 200, 403, 404 and 500 next to a
//! 401 with no body.

use fixture_sentdm::types::{GetUserError, UserResponse};
use fixture_sentdm::{Client, Error, RetryPolicy};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sent_test_key";
const USER_ID: &str = "880e8400-e29b-41d4-a716-446655440003";
const USER_PATH: &str = "/v3/users/880e8400-e29b-41d4-a716-446655440003";
const PROFILE_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// Attempts the test client makes for a retryable response (GET is idempotent, so a 5xx is
/// retried; a 4xx other than 429 never is).
const ATTEMPTS: u32 = 3;

/// A client with the default retry rules but millisecond backoffs, so retries are fast and
/// the number of requests is exact.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credential(KEY)
        .retry(RetryPolicy {
            max_attempts: ATTEMPTS,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .expect("the client builds")
}

/// The seed's 200 example, verbatim.
fn user_example() -> serde_json::Value {
    json!({
        "success": true,
        "data": {
            "id": "880e8400-e29b-41d4-a716-446655440003",
            "email": "admin@acme.com",
            "name": "John Admin",
            "role": "admin",
            "status": "active",
            "invited_at": "2025-09-11T21:50:49.7678114+00:00",
            "last_login_at": "2026-03-11T19:50:49.7679424+00:00",
            "created_at": "2025-09-11T21:50:49.7680182+00:00",
            "updated_at": "2026-03-10T21:50:49.7680612+00:00"
        },
        "error": null,
        "meta": {"request_id": "req_7X9zKp2jDw", "timestamp": "2026-03-11T21:50:49.7681011+00:00", "version": "v3"}
    })
}

fn error_example(code: &str, message: &str, timestamp: &str) -> serde_json::Value {
    json!({
        "success": false,
        "data": null,
        "error": {
            "code": code,
            "message": message,
            "details": null,
            "doc_url": format!("https://docs.sent.dm/errors/{code}")
        },
        "meta": {"request_id": "req_7X9zKp2jDw", "timestamp": timestamp, "version": "v3"}
    })
}

/// The error for one response `status`, checking how many requests were made for it.
async fn error_for(status: u16, body: Option<serde_json::Value>, requests: u64) -> Error<GetUserError> {
    let server = MockServer::start().await;
    let response = match body {
        Some(b) => ResponseTemplate::new(status).set_body_json(b),
        None => ResponseTemplate::new(status),
    };
    Mock::given(method("GET")).and(path(USER_PATH)).respond_with(response).expect(requests).mount(&server).await;
    client(&server).get_user(USER_ID).await.expect_err("an error status")
}

/// The envelope of a documented error status, checked to be `Error::Api` with that status.
fn api_body(err: Error<GetUserError>, status: u16) -> GetUserError {
    match err {
        Error::Api(api) => {
            assert_eq!(api.response.status.as_u16(), status);
            api.body
        }
        other => panic!("expected Error::Api for {status}, got {other:?}"),
    }
}

fn assert_error_envelope(envelope: &UserResponse, code: &str, message: &str) {
    assert_eq!(envelope.success, Some(false));
    assert_eq!(envelope.data, None);
    let error = envelope.error.as_ref().expect("error is present");
    assert_eq!(error.code.as_deref(), Some(code));
    assert_eq!(error.message.as_deref(), Some(message));
    assert_eq!(error.details, None);
    assert_eq!(error.doc_url.as_deref(), Some(format!("https://docs.sent.dm/errors/{code}").as_str()));
    let meta = envelope.meta.as_ref().expect("meta is present");
    assert_eq!(meta.request_id.as_deref(), Some("req_7X9zKp2jDw"));
    assert_eq!(meta.version.as_deref(), Some("v3"));
}

#[tokio::test]
async fn get_user_sends_api_key_and_profile_headers_and_decodes_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("x-api-key", KEY))
        .and(header("x-profile-id", PROFILE_ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let envelope = client(&server).get_user(USER_ID).x_profile_id(PROFILE_ID).await.expect("the 200 example decodes");

    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), USER_PATH);
    assert_eq!(req.url.query(), None, "the key goes in a header, not the query");
    let keys: Vec<_> = req.headers.get_all("x-api-key").iter().collect();
    assert_eq!(keys, [KEY], "exactly one x-api-key header");
    let profiles: Vec<_> = req.headers.get_all("x-profile-id").iter().collect();
    assert_eq!(profiles, [PROFILE_ID], "exactly one x-profile-id header");
    assert!(req.headers.get("authorization").is_none(), "no bearer for an apiKey scheme");

    assert_eq!(envelope.success, Some(true));
    assert_eq!(envelope.error, None, "`error: null` decodes as None");
    let user = envelope.data.as_ref().expect("data is present");
    assert_eq!(user.id.as_deref(), Some(USER_ID));
    assert_eq!(user.email.as_deref(), Some("admin@acme.com"));
    assert_eq!(user.name.as_deref(), Some("John Admin"));
    assert_eq!(user.role.as_deref(), Some("admin"));
    assert_eq!(user.status.as_deref(), Some("active"));
    // Seven fractional digits: sub-microsecond precision survives.
    let invited = user.invited_at.expect("invited_at is present");
    assert_eq!(invited.to_rfc3339(), "2025-09-11T21:50:49.767811400+00:00");
    assert!(user.last_login_at.is_some());
    assert!(user.created_at.is_some_and(|c| c > invited));
    assert!(user.updated_at.is_some());
    let meta = envelope.meta.as_ref().expect("meta is present");
    assert_eq!(meta.request_id.as_deref(), Some("req_7X9zKp2jDw"));
    assert_eq!(meta.version.as_deref(), Some("v3"));
    assert!(meta.timestamp.is_some());
}

#[tokio::test]
async fn without_the_setter_no_profile_header_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let envelope = client(&server).get_user(USER_ID).await.expect("200 decodes");
    assert_eq!(envelope.success, Some(true));

    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].headers.get("x-profile-id").is_none(),
        "x-profile-id must be absent: {:?}",
        requests[0].headers
    );
    assert_eq!(requests[0].headers.get("x-api-key").map(|v| v.as_bytes()), Some(KEY.as_bytes()));
}

#[tokio::test]
async fn forbidden_403_decodes_into_the_typed_error() {
    let message = "You do not have access to this organization or profile";
    let err = error_for(403, Some(error_example("AUTH_004", message, "2026-03-11T21:50:49.7681058+00:00")), 1).await;
    let GetUserError::Forbidden(envelope) = api_body(err, 403) else {
        panic!("403 must be GetUserError::Forbidden");
    };
    assert_error_envelope(&envelope, "AUTH_004", message);
}

#[tokio::test]
async fn not_found_404_decodes_into_the_typed_error() {
    let err =
        error_for(404, Some(error_example("RESOURCE_006", "User not found", "2026-03-11T21:50:49.7681065+00:00")), 1)
            .await;
    let GetUserError::NotFound(envelope) = api_body(err, 404) else {
        panic!("404 must be GetUserError::NotFound");
    };
    assert_error_envelope(&envelope, "RESOURCE_006", "User not found");
}

#[tokio::test]
async fn internal_error_500_is_retried_then_decodes_into_the_typed_error() {
    let message = "An unexpected error occurred. Please contact support with request ID: req_7X9zKp2jDw";
    let err = error_for(
        500,
        Some(error_example("INTERNAL_001", message, "2026-03-11T21:50:49.7681072+00:00")),
        ATTEMPTS.into(),
    )
    .await;
    let GetUserError::InternalServerError(envelope) = api_body(err, 500) else {
        panic!("500 must be GetUserError::InternalServerError");
    };
    assert_error_envelope(&envelope, "INTERNAL_001", message);
}

#[tokio::test]
async fn error_details_object_is_kept() {
    let mut body = error_example("RESOURCE_006", "User not found", "2026-03-11T21:50:49.7681065+00:00");
    body["error"]["details"] = json!({"user_id": USER_ID});
    let err = error_for(404, Some(body), 1).await;
    let GetUserError::NotFound(envelope) = api_body(err, 404) else {
        panic!("404 must be GetUserError::NotFound");
    };
    let details = envelope.error.and_then(|e| e.details).expect("details are present");
    assert_eq!(details.get("user_id"), Some(&json!(USER_ID)));
}

#[tokio::test]
async fn unauthorized_401_with_empty_body_is_an_api_error() {
    let err = error_for(401, None, 1).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    match err {
        Error::Api(api) => {
            assert_eq!(api.response.status.as_u16(), 401);
            assert!(api.response.body.is_empty());
            assert_eq!(api.body, GetUserError::Unauthorized);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}
