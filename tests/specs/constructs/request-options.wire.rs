//! Per-request options on the call (`send()`), through the generated methods: an extra header,
//! a timeout shorter than the client's, and an idempotency key sent on every attempt, which
//! makes a `POST` retried on `5xx` (a `POST` without one is not retried).

use fixture_request_options::types::CreateChargeBody;
use fixture_request_options::{Client, Error, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let retry = RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() };
    Client::builder().base_url(server.uri()).retry(retry).build().unwrap()
}

/// A `POST /charges` server answering `503` to the first `failures` attempts, recording each
/// attempt's `Idempotency-Key`.
async fn flaky_server(failures: usize) -> (MockServer, Arc<Mutex<Vec<Option<String>>>>) {
    let server = MockServer::start().await;
    let keys = Arc::new(Mutex::new(Vec::new()));
    let record = keys.clone();
    Mock::given(method("POST"))
        .and(path("/charges"))
        .respond_with(move |req: &Request| {
            let mut keys = record.lock().unwrap();
            keys.push(req.headers.get("idempotency-key").map(|v| v.to_str().unwrap().to_string()));
            if keys.len() <= failures {
                ResponseTemplate::new(503)
            } else {
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ch_1"}))
            }
        })
        .mount(&server)
        .await;
    (server, keys)
}

#[tokio::test]
async fn an_extra_header_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/charges/ch_1"))
        .and(header("stripe-account", "acct_42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ch_1"})))
        .expect(1)
        .mount(&server)
        .await;
    let charge = client(&server).get_charge("ch_1").send().header("Stripe-Account", "acct_42").await.unwrap();
    assert_eq!(charge.id, "ch_1");
}

#[tokio::test]
async fn a_per_request_timeout_ends_a_slow_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ch_1"})).set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    let started = std::time::Instant::now();
    let err = client.get_charge("ch_1").send().timeout(Duration::from_millis(100)).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.is_timeout()), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "the call waited for the response");
    // Without it, the client's timeout (60 s) lets the same call finish.
    assert_eq!(client.get_charge("ch_1").await.unwrap().id, "ch_1");
}

#[tokio::test]
async fn one_idempotency_key_across_three_attempts() {
    let (server, keys) = flaky_server(2).await;
    let charge = client(&server)
        .create_charge(CreateChargeBody::new(500))
        .send()
        .idempotency_key("order-6735")
        .await
        .unwrap();
    assert_eq!(charge.id, "ch_1");
    let keys = keys.lock().unwrap();
    assert_eq!(*keys, vec![Some("order-6735".to_string()); 3]);
}

#[tokio::test]
async fn a_generated_key_is_made_once_and_reused() {
    let (server, keys) = flaky_server(2).await;
    client(&server).create_charge(CreateChargeBody::new(500)).send().idempotent().await.unwrap();
    let keys = keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 3);
    let first = keys[0].clone().expect("a key is sent");
    assert_eq!(first.len(), 36, "{first}");
    assert!(keys.iter().all(|k| k.as_deref() == Some(first.as_str())), "{keys:?}");
    // Another call gets another key.
    let (server, other) = flaky_server(0).await;
    client(&server).create_charge(CreateChargeBody::new(500)).send().idempotent().await.unwrap();
    assert_ne!(other.lock().unwrap()[0].as_deref(), Some(first.as_str()));
}

#[tokio::test]
async fn a_post_without_a_key_is_not_retried_on_5xx() {
    let (server, keys) = flaky_server(2).await;
    let err = client(&server).create_charge(CreateChargeBody::new(500)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(*keys.lock().unwrap(), vec![None]);
}
