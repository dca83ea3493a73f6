//! Wire tests for the ProductBridge seed (`POST /api/external/v1/users/retrieve`): the API key
//! travels in the JSON body, never in an HTTP header, and the documented errors are typed.
//!
//! Note: `RetrieveUserRequest` is `properties` + `oneOf: [{required: [user_id]}, {required:
//! [email]}]`. The generator currently ignores properties beside `oneOf` (it warns), so the
//! request type is an untagged enum of two `serde_json::Value` variants and the body is
//! written as JSON here.

use fixture_productbridge::types::{
    RetrieveUserError, RetrieveUserRequest, ValidationErrorLocItem,
};
use fixture_productbridge::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PATH: &str = "/api/external/v1/users/retrieve";

/// A client that has a credential configured: the operation declares no security, so it
/// must never be sent.
fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).credential("must-not-be-sent").build().expect("the client builds")
}

fn by_email() -> RetrieveUserRequest {
    RetrieveUserRequest::new("pb_test_key").email("sally@acme.example.com")
}

async fn error_for(status: u16, body: serde_json::Value) -> Error<RetrieveUserError> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).retrieve_user(by_email()).await.expect_err("an error status")
}

#[tokio::test]
async fn retrieve_by_email_sends_key_in_body_without_auth_header_and_decodes_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"api_key": "pb_test_key", "email": "sally@acme.example.com"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "ff3c3ef8-b8cd-cd15-01ba-orguser000001",
            "user_id": "bb3c3ef8-b8cd-cd15-01ba-useruser0001",
            "email": "sally@acme.example.com",
            "name": "Sally Doe",
            "avatar_url": "https://acme.example.com/avatars/sally.png",
            "portal_role": "end_user",
            "company_name": "Acme Inc",
            "customer_status": "paying",
            "created_at": "2026-04-01T08:00:00.000Z"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let user = client(&server).retrieve_user(by_email()).await.expect("the 200 example decodes");

    let requests = server.received_requests().await.expect("requests are recorded");
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), PATH);
    assert_eq!(req.url.query(), None);
    assert!(req.headers.get("authorization").is_none(), "no Authorization header: {:?}", req.headers);
    assert!(req.headers.get("x-api-key").is_none());
    let sent: serde_json::Value = serde_json::from_slice(&req.body).expect("the body is JSON");
    let sent = sent.as_object().expect("the body is an object");
    assert_eq!(sent.get("api_key"), Some(&json!("pb_test_key")));
    assert_eq!(sent.get("email"), Some(&json!("sally@acme.example.com")));
    assert!(!sent.contains_key("user_id"), "user_id must not be sent: {sent:?}");
    assert_eq!(sent.len(), 2);
    let raw_body = String::from_utf8_lossy(&req.body);
    assert!(!raw_body.contains("must-not-be-sent"), "the client credential leaked: {raw_body}");

    assert_eq!(user.id.as_deref(), Some("ff3c3ef8-b8cd-cd15-01ba-orguser000001"));
    assert_eq!(user.user_id.as_deref(), Some("bb3c3ef8-b8cd-cd15-01ba-useruser0001"));
    assert_eq!(user.email.as_deref(), Some("sally@acme.example.com"));
    assert_eq!(user.name.as_deref(), Some("Sally Doe"));
    assert_eq!(user.avatar_url.as_deref(), Some("https://acme.example.com/avatars/sally.png"));
    assert_eq!(user.portal_role.as_deref(), Some("end_user"));
    assert_eq!(user.company_name.as_deref(), Some("Acme Inc"));
    assert_eq!(user.customer_status.as_deref(), Some("paying"));
    let created = user.created_at.expect("created_at is present");
    assert_eq!(created.to_rfc3339(), "2026-04-01T08:00:00+00:00");
}

#[tokio::test]
async fn retrieve_by_user_id_sends_user_id_and_no_email() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(body_json(json!({"api_key": "pb_test_key", "user_id": "bb3c3ef8-b8cd-cd15-01ba-useruser0001"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"user_id": "bb3c3ef8-b8cd-cd15-01ba-useruser0001"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = RetrieveUserRequest::new("pb_test_key").user_id("bb3c3ef8-b8cd-cd15-01ba-useruser0001");
    let user = client(&server).retrieve_user(body).await.expect("200 decodes");
    assert_eq!(user.user_id.as_deref(), Some("bb3c3ef8-b8cd-cd15-01ba-useruser0001"));
    assert_eq!(user.email, None);
    assert_eq!(user.created_at, None);
}

#[tokio::test]
async fn invalid_api_key_401_decodes_into_unauthorized() {
    let err = error_for(401, json!({"detail": {"error": "invalid api_key"}})).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    match err {
        Error::Api(api) => {
            assert_eq!(api.response.status.as_u16(), 401);
            match api.body {
                RetrieveUserError::Unauthorized(body) => assert_eq!(body.detail.error, "invalid api_key"),
                other => panic!("expected Unauthorized, got {other:?}"),
            }
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn user_not_found_404_decodes_into_not_found() {
    let err = error_for(404, json!({"detail": {"error": "user not found"}})).await;
    match err.api_body() {
        Some(RetrieveUserError::NotFound(body)) => assert_eq!(body.detail.error, "user not found"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(matches!(err, Error::Api(ref api) if api.response.status.as_u16() == 404), "{err:?}");
}

#[tokio::test]
async fn validation_422_decodes_into_unprocessable_entity() {
    let err = error_for(
        422,
        json!({"detail": [{"loc": ["body", 0, "email"], "msg": "provide exactly one of user_id or email", "type": "value_error"}]}),
    )
    .await;
    let body = match err {
        Error::Api(api) => {
            assert_eq!(api.response.status.as_u16(), 422);
            api.body
        }
        other => panic!("expected Error::Api, got {other:?}"),
    };
    let RetrieveUserError::UnprocessableEntity(validation) = body else {
        panic!("expected UnprocessableEntity, got {body:?}");
    };
    let detail = validation.detail.expect("detail is present");
    assert_eq!(detail.len(), 1);
    assert_eq!(
        detail[0].loc,
        vec![
            ValidationErrorLocItem::String("body".into()),
            ValidationErrorLocItem::Integer(0),
            ValidationErrorLocItem::String("email".into()),
        ]
    );
    assert_eq!(detail[0].msg, "provide exactly one of user_id or email");
    assert_eq!(detail[0].r#type, "value_error");
}

#[tokio::test]
async fn a_401_without_the_detail_envelope_is_a_decode_error() {
    // `detail` and `detail.error` are required, so a different shape must not pass as typed.
    let err = error_for(401, json!({"error": "invalid api_key"})).await;
    match err {
        Error::Decode { response, .. } => assert_eq!(response.status.as_u16(), 401),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}
