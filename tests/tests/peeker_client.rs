//! Client configuration of the generated crate: environment detection from the key prefix,
//! builder settings, and that the key never shows in `Debug` or `Display`.

use peeker_partner_api::{Client, Environment, RetryPolicy, DEFAULT_BASE_URL, DEFAULT_USER_AGENT};
use std::time::Duration;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn environment_comes_from_the_key_prefix() {
    assert_eq!(Client::new("pk_live_123").environment(), Some(Environment::Live));
    assert_eq!(Client::new("pk_test_123").environment(), Some(Environment::Test));
    assert_eq!(Client::new("sk_live_123").environment(), None);
    assert_eq!(Client::unauthenticated().environment(), None);
    assert!(Environment::Live.is_live());
    assert!(!Environment::Test.is_live());
    assert_eq!(Environment::from_key(Environment::Test.key_prefix()), Some(Environment::Test));
}

#[test]
fn defaults_come_from_the_spec() {
    let client = Client::new("pk_test_1");
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    assert_eq!(DEFAULT_BASE_URL, "https://api.peeker.ai/partner/v1");
    assert_eq!(DEFAULT_USER_AGENT, "peeker-partner-api/1.0.0");
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
}

#[test]
fn invalid_configuration_is_an_error_not_a_panic() {
    assert!(Client::builder().base_url("not a url").build().is_err());
    assert!(Client::builder().default_header("bad header", "x").build().is_err());
    assert!(Client::builder().default_header("x-ok", "bad\nvalue").build().is_err());
}

#[tokio::test]
async fn user_agent_and_default_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("user-agent", "my-app/2.0"))
        .and(header("x-tenant", "acme"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"error":{"code":"not_found","message":"x"}}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credential("pk_live_secret_value")
        .user_agent("my-app/2.0")
        .default_header("x-tenant", "acme")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = client.get_user("usr_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    for text in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("pk_live_secret_value"), "the key leaked: {text}");
    }
}

#[tokio::test]
async fn an_injected_http_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-from-injected", "yes"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-injected", "yes".parse().unwrap());
    let http = Client::http_builder().default_headers(headers).build().unwrap();
    let client = Client::builder().base_url(server.uri()).http_client(http).no_retries().build().unwrap();
    let err = client.get_user("usr_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn a_call_is_a_send_future_that_can_be_spawned_or_dropped_unsent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).expect(2).mount(&server).await;
    let client = std::sync::Arc::new(Client::builder().base_url(server.uri()).no_retries().build().unwrap());
    // A call is one `ResponseFuture` type: `Send`, `Debug`, and nothing happens until polled.
    let call = client.get_user("usr_1").send();
    assert!(format!("{call:?}").contains("ready"), "{call:?}");
    drop(client.get_user("usr_dropped").send());
    // A builder's `Debug` names the operation only: parameter values can be credentials.
    assert_eq!(format!("{:?}", client.get_user("usr_secret_value")), "GetUser { .. }");
    let spawned = tokio::spawn({
        let client = client.clone();
        async move { client.get_user("usr_2").await }
    });
    let (a, b) = (call.await, spawned.await.expect("the task ran"));
    for result in [a, b] {
        assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(500));
    }
}
