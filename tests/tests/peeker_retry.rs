//! Retries of the generated client against a loopback server: 429 with `Retry-After`
//! (seconds and HTTP date), 5xx backoff for idempotent calls, bounded attempts, and the
//! off-switch. Timing is asserted only as a lower bound ("never before Retry-After"), which a
//! slow machine cannot break.

use peeker_partner_api::{Client, Error, RetryPolicy};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn user(id: &str) -> serde_json::Value {
    json!({"data": {"id": id, "status": "active", "created_at": "2026-05-08T12:00:00Z",
        "sequencer": {"provider": "smartlead", "client_id": null}}})
}

/// Answers the first `throttled` requests of every path with 429 + `Retry-After`, then 200;
/// records when each request arrived.
struct Throttle {
    throttled: usize,
    retry_after: String,
    seen: Arc<Mutex<HashMap<String, Vec<Instant>>>>,
}

impl Respond for Throttle {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_string();
        let mut seen = self.seen.lock().unwrap();
        let times = seen.entry(path.clone()).or_default();
        times.push(Instant::now());
        if times.len() <= self.throttled {
            ResponseTemplate::new(429).insert_header("Retry-After", self.retry_after.as_str())
        } else {
            let id = path.rsplit('/').next().unwrap().to_string();
            ResponseTemplate::new(200).set_body_json(user(&id))
        }
    }
}

async fn throttled_server(
    throttled: usize,
    retry_after: &str,
) -> (MockServer, Arc<Mutex<HashMap<String, Vec<Instant>>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(HashMap::new()));
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(Throttle { throttled, retry_after: retry_after.to_string(), seen: seen.clone() })
        .mount(&server)
        .await;
    (server, seen)
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().base_url(server.uri()).credential("pk_test_x").retry(policy).build().unwrap()
}

#[tokio::test]
async fn burst_of_429s_all_succeed_and_none_is_retried_early() {
    let (server, seen) = throttled_server(1, "1").await;
    let client = client(&server, RetryPolicy::default());
    let calls = (0..12).map(|i| {
        let client = client.clone();
        async move { client.get_user(format!("usr_{i}")).await }
    });
    let results = futures_join_all(calls).await;
    for (i, r) in results.iter().enumerate() {
        let user = r.as_ref().unwrap_or_else(|e| panic!("call {i} failed: {e}"));
        assert_eq!(user.data.id, format!("usr_{i}"));
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 12);
    for (path, times) in seen.iter() {
        assert_eq!(times.len(), 2, "{path}: one 429, one retry");
        let gap = times[1] - times[0];
        assert!(gap >= Duration::from_secs(1), "{path} was retried after {gap:?}, before its Retry-After of 1 s");
    }
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    let secs = at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let date = chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let (server, seen) = throttled_server(1, &date).await;
    let user = client(&server, RetryPolicy::default()).get_user("usr_1").await.expect("retried to success");
    assert_eq!(user.data.id, "usr_1");
    let seen = seen.lock().unwrap();
    let times = &seen["/users/usr_1"];
    assert_eq!(times.len(), 2);
    assert!(std::time::SystemTime::now() >= at, "the retry came before the HTTP date");
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_error_is_kept() {
    let (server, seen) = throttled_server(usize::MAX, "0").await;
    let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
    let err = client(&server, policy).get_user("usr_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(matches!(err, Error::UnexpectedStatus(_)));
    assert_eq!(seen.lock().unwrap()["/users/usr_1"].len(), 3);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let (server, seen) = throttled_server(1, "0").await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    let err = client.get_user("usr_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(seen.lock().unwrap()["/users/usr_1"].len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_not_waited_for() {
    let (server, seen) = throttled_server(1, "3600").await;
    let started = Instant::now();
    let err = client(&server, RetryPolicy::default()).get_user("usr_1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(seen.lock().unwrap()["/users/usr_1"].len(), 1);
    assert!(started.elapsed() < Duration::from_secs(3600));
}

#[tokio::test]
async fn server_errors_on_get_back_off_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("usr_1")))
        .mount(&server)
        .await;
    let policy = RetryPolicy { initial_backoff: Duration::from_millis(10), ..RetryPolicy::default() };
    let user = client(&server, policy).get_user("usr_1").await.expect("third attempt succeeds");
    assert_eq!(user.data.id, "usr_1");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Runs futures concurrently on the current task (no extra dependency).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task ran"));
    }
    out
}
