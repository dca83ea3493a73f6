//! The client's extension points against a loopback server: `Client::from_env`, a credential
//! in a header the user names, hooks that change requests and see responses (the `tracing`
//! feature: `peeker_tracing.rs`).

use peeker_partner_api::{CallInfo, Client, Hook, API_KEY_ENV, BASE_URL_ENV};
use serde_json::json;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "pk_test_hooks_4f2a9c";

fn user() -> serde_json::Value {
    json!({"data": {
        "id": "usr_1",
        "email": "a@b.c",
        "first_name": null,
        "last_name": null,
        "status": "active",
        "sequencer": {"provider": "smartlead", "client_id": 366903},
        "created_at": "2026-05-08T12:00:00Z"
    }})
}

async fn server_expecting(name: &str, value: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_1"))
        .and(header(name, value))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()).insert_header("x-ratelimit-remaining", "41"))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[test]
fn the_variables_are_named_after_the_crate() {
    assert_eq!(API_KEY_ENV, "PEEKER_PARTNER_API_KEY");
    assert_eq!(BASE_URL_ENV, "PEEKER_PARTNER_BASE_URL");
}

/// The only test that sets these variables (the process environment is shared by the tests).
#[tokio::test]
async fn from_env_reads_the_key_and_the_base_url() {
    let server = server_expecting("authorization", &format!("Bearer {KEY}")).await;
    std::env::remove_var(API_KEY_ENV);
    let err = Client::from_env().unwrap_err().to_string();
    assert!(err.contains(API_KEY_ENV), "{err}");
    std::env::set_var(API_KEY_ENV, KEY);
    std::env::set_var(BASE_URL_ENV, server.uri());
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), server.uri());
    assert!(!format!("{client:?}").contains(KEY));
    client.get_user("usr_1").await.unwrap();
    std::env::remove_var(API_KEY_ENV);
    std::env::remove_var(BASE_URL_ENV);
}

#[tokio::test]
async fn a_credential_header_replaces_the_schemes() {
    let server = server_expecting("x-api-key", KEY).await;
    let client =
        Client::builder().base_url(server.uri()).credential(KEY).credential_header("x-api-key").build().unwrap();
    assert!(!format!("{client:?}").contains(KEY), "{client:?}");
    client.get_user("usr_1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none(), "the bearer scheme is not used too");
}

/// Adds a header per request and records what it saw.
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hook for Recorder {
    fn before_send(&self, call: &CallInfo, request: &mut reqwest::Request) {
        request
            .headers_mut()
            .insert("x-request-tag", format!("{}-{}", call.operation(), call.attempt()).parse().unwrap());
        self.seen.lock().unwrap().push(format!("send {} {} {}", call.method(), call.path(), call.attempt()));
    }

    fn after_receive(&self, call: &CallInfo, status: reqwest::StatusCode, headers: &reqwest::header::HeaderMap) {
        let remaining = headers.get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()).unwrap_or("-");
        self.seen.lock().unwrap().push(format!("received {} {} {remaining}", call.operation(), status.as_u16()));
    }
}

#[tokio::test]
async fn a_hook_adds_a_header_and_sees_the_response() {
    let server = server_expecting("x-request-tag", "getUser-1").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client =
        Client::builder().base_url(server.uri()).credential(KEY).hook(Recorder { seen: seen.clone() }).build().unwrap();
    let user = client.get_user("usr_1").await.unwrap();
    assert_eq!(user.data.id, "usr_1");
    assert_eq!(*seen.lock().unwrap(), ["send GET /users/{id} 1", "received getUser 200 41"]);
}
