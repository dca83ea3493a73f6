//! Anthropic's own spec, through the generated methods only, against a loopback server: a message
//! streamed as typed events (the spec declares the stream only by a `stream` flag and the
//! `MessageStreamEvent` union, which the generator detects), an event type the client does not
//! know kept as `Unknown`, and the streaming call setting `stream: true` itself.

use corpus_anthropic_3_1::types::{ContentBlockDeltaEventDelta, CreateMessageParams, MessageStreamEvent};
use corpus_anthropic_3_1::Client;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_message_streamed_as_typed_events() {
    let delta = |text: &str| json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}});
    let events = format!(
        "event: content_block_delta\ndata: {}\n\nevent: ping\ndata: {{\"type\": \"ping\"}}\n\nevent: content_block_delta\ndata: {}\n\nevent: message_stop\ndata: {{\"type\": \"message_stop\"}}\n\n",
        delta("Hel"),
        delta("lo")
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(header("accept", "text/event-stream"))
        .and(body_partial_json(json!({"model": "claude-sonnet-4-5", "stream": true})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let body: CreateMessageParams = serde_json::from_value(json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Hi"}]
    }))
    .unwrap();
    let mut events = client.messages_post(body).stream().await.unwrap();
    let mut text = String::new();
    let mut kinds = Vec::new();
    while let Some(event) = events.next_event().await {
        match event.unwrap() {
            MessageStreamEvent::ContentBlockDeltaEvent(e) => {
                kinds.push("delta");
                match e.delta {
                    ContentBlockDeltaEventDelta::TextContentBlockDelta(t) => text.push_str(&t.text),
                    other => panic!("another delta: {other:?}"),
                }
            }
            MessageStreamEvent::Unknown(v) => kinds.push(if v["type"] == "ping" { "ping" } else { "unknown" }),
            MessageStreamEvent::MessageStopEvent(_) => kinds.push("stop"),
            other => panic!("unexpected event: {other:?}"),
        }
    }
    assert_eq!(text, "Hello");
    assert_eq!(kinds, ["delta", "ping", "delta", "stop"]);
}
