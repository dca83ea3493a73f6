//! Wire tests for the Credira seed (`GET /users/{id}` under the `/v1` server path): bearer auth,
//! the success envelope and the error envelope with its upper-case code.

use fixture_credira::types::ErrorCode;
use fixture_credira::{Client, Error};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "cr_test_key";
const USER_PATH: &str = "/v1/users/user_123456789";

/// The documented server is `https://api.credira.com/v1`: the test server keeps that base path.
fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v1/", server.uri())).credential(KEY).build().expect("the client builds")
}

/// The seed's 200 example, verbatim.
fn user_example() -> serde_json::Value {
    json!({
        "success": true,
        "data": {
            "id": "user_123456789",
            "email": "john.doe@company.com",
            "name": "John Doe",
            "company": "Acme Corporation",
            "role": "billing_manager",
            "department": "finance",
            "phone": "+1234567890",
            "account_id": "acc_789123456",
            "status": "active",
            "created_time": "2024-01-15T10:30:00Z",
            "last_login": "2024-01-20T09:15:00Z",
            "permissions": ["calls:read", "calls:write", "emails:read", "emails:write", "callouts:read", "callouts:write"],
            "activity_stats": {
                "total_calls_made": 45,
                "total_emails_sent": 120,
                "total_callouts_created": 8,
                "last_activity": "2024-01-20T09:15:00Z"
            },
            "metadata": {"subscription_plan": "premium", "timezone": "America/New_York", "language": "en"}
        },
        "meta": {"timestamp": "2024-01-15T10:30:00Z", "request_id": "req_123456789"}
    })
}

fn error_example(code: &str, message: &str) -> serde_json::Value {
    json!({
        "success": false,
        "error": {"code": code, "message": message},
        "meta": {"timestamp": "2024-01-15T10:30:00Z", "request_id": "req_123456789"}
    })
}

#[tokio::test]
async fn get_user_sends_bearer_and_decodes_the_success_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .and(header("authorization", "Bearer cr_test_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_example()))
        .expect(1)
        .mount(&server)
        .await;

    let envelope = client(&server).get_user("user_123456789").await.expect("the 200 example decodes");

    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), USER_PATH);
    assert_eq!(req.url.query(), None);
    assert_eq!(req.headers.get_all("authorization").iter().count(), 1);

    assert_eq!(envelope.success, Some(true));
    let meta = envelope.meta.as_ref().expect("meta is present");
    assert_eq!(meta.request_id.as_deref(), Some("req_123456789"));
    assert_eq!(meta.timestamp.map(|t| t.to_rfc3339()).as_deref(), Some("2024-01-15T10:30:00+00:00"));

    let user = envelope.data.as_ref().expect("data is present");
    assert_eq!(user.id.as_deref(), Some("user_123456789"));
    assert_eq!(user.email.as_deref(), Some("john.doe@company.com"));
    assert_eq!(user.name.as_deref(), Some("John Doe"));
    assert_eq!(user.company.as_deref(), Some("Acme Corporation"));
    assert_eq!(user.role.as_deref(), Some("billing_manager"));
    assert_eq!(user.department.as_deref(), Some("finance"));
    assert_eq!(user.phone.as_deref(), Some("+1234567890"));
    assert_eq!(user.account_id.as_deref(), Some("acc_789123456"));
    assert_eq!(user.status.as_deref(), Some("active"));
    assert_eq!(user.created_time.map(|t| t.to_rfc3339()).as_deref(), Some("2024-01-15T10:30:00+00:00"));
    assert_eq!(user.last_login.map(|t| t.to_rfc3339()).as_deref(), Some("2024-01-20T09:15:00+00:00"));
    let permissions = user.permissions.as_ref().expect("permissions are present");
    assert_eq!(permissions.len(), 6);
    assert_eq!(permissions[0], "calls:read");
    assert_eq!(permissions[5], "callouts:write");

    let stats = user.activity_stats.as_ref().expect("activity_stats is present");
    assert_eq!(stats.total_calls_made, Some(45));
    assert_eq!(stats.total_emails_sent, Some(120));
    assert_eq!(stats.total_callouts_created, Some(8));
    assert_eq!(stats.last_activity, user.last_login);

    let metadata = user.metadata.as_ref().expect("metadata is present");
    assert_eq!(metadata.subscription_plan.as_deref(), Some("premium"));
    assert_eq!(metadata.timezone.as_deref(), Some("America/New_York"));
    assert_eq!(metadata.language.as_deref(), Some("en"));
    assert!(metadata.additional_properties.is_empty(), "{:?}", metadata.additional_properties);
}

#[tokio::test]
async fn metadata_keeps_keys_beyond_the_declared_ones() {
    let server = MockServer::start().await;
    let mut body = user_example();
    body["data"]["metadata"]["beta_features"] = json!(["ai_callouts"]);
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;

    let envelope = client(&server).get_user("user_123456789").await.expect("200 decodes");
    let metadata = envelope.data.and_then(|u| u.metadata).expect("metadata is present");
    assert_eq!(metadata.subscription_plan.as_deref(), Some("premium"));
    assert_eq!(metadata.additional_properties.len(), 1);
    assert_eq!(metadata.additional_properties.get("beta_features"), Some(&json!(["ai_callouts"])));
}

#[tokio::test]
async fn not_found_404_decodes_the_error_envelope_with_its_code() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_example("NOT_FOUND", "User not found")))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).get_user("user_missing").await.expect_err("404 is an error");
    let api = match err {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(api.response.status.as_u16(), 404);
    assert_eq!(api.body.success, Some(false));
    let error = api.body.error.as_ref().expect("error is present");
    assert_eq!(error.code, Some(ErrorCode::NotFound));
    assert_eq!(error.code.as_ref().map(ErrorCode::as_str), Some("NOT_FOUND"));
    assert_eq!(error.message.as_deref(), Some("User not found"));
    let meta = api.body.meta.as_ref().expect("meta is present");
    assert_eq!(meta.request_id.as_deref(), Some("req_123456789"));
}

#[tokio::test]
async fn each_documented_error_status_decodes_its_code() {
    let cases = [
        (400, "INVALID_REQUEST", ErrorCode::InvalidRequest),
        (401, "UNAUTHORIZED", ErrorCode::Unauthorized),
        (403, "FORBIDDEN", ErrorCode::Forbidden),
    ];
    for (status, code, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(USER_PATH))
            .respond_with(ResponseTemplate::new(status).set_body_json(error_example(code, "nope")))
            .mount(&server)
            .await;
        let err = client(&server).get_user("user_123456789").await.expect_err("an error status");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let body = err.api_body().unwrap_or_else(|| panic!("{status}: expected Error::Api, got {err:?}"));
        assert_eq!(body.error.as_ref().and_then(|e| e.code.clone()), Some(expected), "{status}");
    }
}

#[tokio::test]
async fn a_lower_case_code_is_not_mistaken_for_a_known_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(USER_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_example("not_found", "User not found")))
        .mount(&server)
        .await;
    let err = client(&server).get_user("user_123456789").await.expect_err("404 is an error");
    let code = err.api_body().and_then(|b| b.error.as_ref()).and_then(|e| e.code.clone());
    assert_eq!(code, Some(ErrorCode::Unknown("not_found".into())));
}
