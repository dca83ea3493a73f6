//! Wire tests for the Mixpeek seed (`GET /v1/organizations/users/{user_email}`): what the
//! generated client puts on the wire and how it reads the documented responses.

use fixture_mixpeek::types::{UserRole, UserStatus, ValidationErrorLocItem};
use fixture_mixpeek::{Client, Environment, Error, RetryPolicy};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_x";
/// `@` is not an RFC 3986 unreserved character, so the generator percent-encodes it.
const ENCODED_PATH: &str = "/v1/organizations/users/alice%40example.com";

/// Attempts the test client makes for a retryable response (a 5xx to this idempotent GET).
const ATTEMPTS: u32 = 2;

/// A client with the default retry rules but millisecond backoffs.
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
        "created_at": "2025-01-01T00:00:00Z",
        "email": "alice@example.com",
        "internal_id": "int_x1y2z3",
        "metadata": {"department": "ML"},
        "organization_id": "org_demo123",
        "role": "member",
        "status": "active",
        "updated_at": "2025-01-01T00:00:00Z",
        "user_id": "usr_a1b2c3d4e5f6g7h",
        "user_name": "Alice Smith"
    })
}

#[tokio::test]
async fn get_user_sends_the_encoded_email_and_bearer_token_and_decodes_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ENCODED_PATH))
        .and(header("authorization", "Bearer sk_test_x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    assert_eq!(client.environment(), Some(Environment::Test), "an `sk_test_` key targets the test environment");
    let user = client.get_user("alice@example.com").await.expect("the 200 example decodes");

    // What went on the wire: exactly one GET, the encoded path, no query, one bearer header.
    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), ENCODED_PATH);
    assert_eq!(req.url.query(), None);
    let auth: Vec<_> = req.headers.get_all("authorization").iter().collect();
    assert_eq!(auth.len(), 1, "exactly one Authorization header");
    assert_eq!(auth[0], "Bearer sk_test_x");
    assert!(req.body.is_empty(), "a GET carries no body");

    // The typed result.
    assert_eq!(user.internal_id, "int_x1y2z3");
    assert_eq!(user.organization_id, "org_demo123");
    assert_eq!(user.email, "alice@example.com");
    assert_eq!(user.user_name, "Alice Smith");
    assert_eq!(user.user_id.as_deref(), Some("usr_a1b2c3d4e5f6g7h"));
    assert_eq!(user.role, Some(UserRole::Member));
    assert_eq!(user.status, Some(UserStatus::Active));
    let metadata = user.metadata.as_ref().expect("metadata is present");
    assert_eq!(metadata.len(), 1);
    assert_eq!(metadata.get("department"), Some(&json!("ML")));
    let created = user.created_at.expect("created_at is present");
    assert_eq!(created.to_rfc3339(), "2025-01-01T00:00:00+00:00");
    assert_eq!(user.updated_at, Some(created));
    assert_eq!(user.last_login, None);
    assert_eq!(user.namespace_permissions, None);
}

#[tokio::test]
async fn unknown_role_and_status_values_are_kept() {
    let server = MockServer::start().await;
    let mut body = user_example();
    body["role"] = json!("owner");
    body["status"] = json!("archived");
    body["last_login"] = json!(null);
    Mock::given(method("GET"))
        .and(path(ENCODED_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;

    let user = client(&server).get_user("alice@example.com").await.expect("unknown enum values decode");
    assert_eq!(user.role, Some(UserRole::Unknown("owner".into())));
    assert_eq!(user.role.as_ref().map(UserRole::as_str), Some("owner"));
    assert_eq!(user.status, Some(UserStatus::Unknown("archived".into())));
    assert_eq!(user.last_login, None);
}

#[tokio::test]
async fn validation_error_with_mixed_loc_decodes_into_the_typed_422() {
    let server = MockServer::start().await;
    let body = json!({
        "detail": [
            {"loc": ["path", "user_email"], "msg": "value is not a valid email address", "type": "value_error.email"},
            {"loc": ["query", "filters", 2, "field"], "msg": "field required", "type": "missing"}
        ]
    });
    Mock::given(method("GET"))
        .and(path(ENCODED_PATH))
        .respond_with(ResponseTemplate::new(422).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).get_user("alice@example.com").await.expect_err("422 is an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    let api = match err {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(api.response.status.as_u16(), 422);
    let detail = api.body.detail.as_ref().expect("detail is present");
    assert_eq!(detail.len(), 2);
    assert_eq!(
        detail[0].loc,
        vec![ValidationErrorLocItem::String("path".into()), ValidationErrorLocItem::String("user_email".into())]
    );
    assert_eq!(detail[0].msg, "value is not a valid email address");
    assert_eq!(detail[0].r#type, "value_error.email");
    assert_eq!(
        detail[1].loc,
        vec![
            ValidationErrorLocItem::String("query".into()),
            ValidationErrorLocItem::String("filters".into()),
            ValidationErrorLocItem::Integer(2),
            ValidationErrorLocItem::String("field".into()),
        ]
    );
    assert_eq!(detail[1].r#type, "missing");
}

#[tokio::test]
async fn an_undocumented_status_keeps_the_raw_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ENCODED_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .expect(u64::from(ATTEMPTS))
        .mount(&server)
        .await;

    let err = client(&server).get_user("alice@example.com").await.expect_err("503 is an error");
    match err {
        Error::UnexpectedStatus(raw) => {
            assert_eq!(raw.status.as_u16(), 503);
            assert_eq!(&raw.body[..], b"upstream down");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_200_that_does_not_match_user_is_a_decode_error() {
    let server = MockServer::start().await;
    let mut body = user_example();
    body.as_object_mut().expect("an object").remove("internal_id");
    Mock::given(method("GET"))
        .and(path(ENCODED_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;

    let err = client(&server).get_user("alice@example.com").await.expect_err("a required field is missing");
    match err {
        Error::Decode { response, source } => {
            assert_eq!(response.status.as_u16(), 200);
            assert!(source.to_string().contains("internal_id"), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}
