//! The `tracing` feature: a span per call with the operation, method, path template, attempt
//! and status, which never records the credential. A test binary of its own: the subscriber is
//! the process's global one.

use peeker_partner_api::Client;
use serde_json::json;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "pk_test_tracing_7d1e0b";

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_span_per_call_without_the_credential() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users/usr_1"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "not_found", "message": "no such user"}})),
        )
        .mount(&server)
        .await;
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let client = Client::builder().base_url(server.uri()).credential(KEY).build().unwrap();
    client.get_user("usr_1").await.unwrap_err();
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for expected in
        ["api_call", "operation=\"getUser\"", "method=GET", "path=\"/users/{id}\"", "attempt=1", "status=404"]
    {
        assert!(text.contains(expected), "no {expected} in:\n{text}");
    }
    assert!(!text.contains(KEY), "the credential is recorded:\n{text}");
}
