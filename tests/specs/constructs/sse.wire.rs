//! Streaming calls through the generated methods only, against a loopback server that writes
//! the event stream in pieces (one event split across two writes with a pause between them,
//! comment lines, multi-line data, CRLF line ends, `[DONE]`); the plain call beside them; an
//! error status before the stream; a `data` that does not decode; the client's total timeout,
//! which must not cut a stream, and its read timeout, which ends a stalled one.

use fixture_sse::types::{ChatRequest, MessageRequest, MessageStreamEvent};
use fixture_sse::{Client, Error, StreamError};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

/// What the server writes after the request: the response as pieces, with a pause before each.
struct Script {
    pieces: Vec<(Duration, Vec<u8>)>,
}

impl Script {
    fn new() -> Self {
        Script { pieces: Vec::new() }
    }

    fn write(mut self, text: &str) -> Self {
        self.pieces.push((Duration::ZERO, text.as_bytes().to_vec()));
        self
    }

    fn after(mut self, pause: Duration, text: &str) -> Self {
        self.pieces.push((pause, text.as_bytes().to_vec()));
        self
    }
}

const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";

/// Serves one request on a loopback port with `script` (on a thread of its own, so that the
/// pauses are real waits between TCP writes), and sends the request's text back.
fn serve(script: Script) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let request = read_request(&mut socket);
        tx.send(request).unwrap();
        for (pause, bytes) in script.pieces {
            std::thread::sleep(pause);
            if socket.write_all(&bytes).and_then(|()| socket.flush()).is_err() {
                return;
            }
        }
    });
    (base, rx)
}

/// Reads the request head and its `content-length` body.
fn read_request(socket: &mut std::net::TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).unwrap();
        assert!(n > 0, "the client closed the connection early");
        bytes.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length = text[..head_end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
                .unwrap_or(0usize);
            if bytes.len() >= head_end + 4 + length {
                return text;
            }
        }
    }
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).no_retries().build().unwrap()
}

fn chat_request() -> ChatRequest {
    ChatRequest::new("hi")
}

#[tokio::test]
async fn chat_stream_in_pieces() {
    let (base, request) = serve(
        Script::new()
            .write(SSE_HEAD)
            .write(": keep-alive comment\r\n\r\n")
            .write("data: {\"id\": \"c1\", \"delta\": \"Hel\"}\r\n\r\n")
            // One event split across two TCP writes, in the middle of its JSON, with a pause.
            .write("data: {\"id\": \"c1\",")
            .after(Duration::from_millis(150), " \"delta\": \"lo\"}\r\n\r\n")
            // Multi-line data: the lines are joined with a newline, which JSON reads as space.
            .write("data: {\"id\": \"c1\",\r\ndata: \"delta\": \"!\"}\r\n\r\n")
            .write("data: [DONE]\r\n\r\n")
            // Nothing after `[DONE]` is read.
            .write("data: {\"id\": \"after\", \"delta\": \"x\"}\r\n\r\n"),
    );
    let client = client(&base);
    let mut events = client.create_chat(chat_request()).stream().await.unwrap();
    let request = request.recv().unwrap();
    assert!(request.starts_with("POST /chat "), "{request}");
    let lower = request.to_ascii_lowercase();
    assert!(lower.contains("\r\naccept: text/event-stream\r\n"), "{request}");
    let body = &request[request.find("\r\n\r\n").unwrap() + 4..];
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body, serde_json::json!({"prompt": "hi", "stream": true}), "the streaming call sets `stream: true`");
    assert_eq!(events.status().as_u16(), 200);

    let mut text = String::new();
    while let Some(chunk) = events.next_event().await {
        let chunk = chunk.unwrap();
        assert_eq!(chunk.id, "c1");
        text.push_str(&chunk.delta);
    }
    assert_eq!(text, "Hello!");
    assert!(events.next_event().await.is_none(), "an ended stream stays ended");
}

#[tokio::test]
async fn detected_stream_of_a_tagged_union_with_ids_and_a_bad_event() {
    let (base, request) = serve(
        Script::new()
            .write(SSE_HEAD)
            .write("event: message_start\nid: 1\ndata: {\"type\": \"message_start\", \"message\": {\"id\": \"m1\", \"text\": \"\"}}\n\n")
            .write("event: ping\ndata: {\"type\": \"ping\"}\n\n")
            .write("event: text_delta\ndata: {\"type\": \"text_delta\"}\n\n")
            .write("event: text_delta\nid: 2\ndata: {\"type\": \"text_delta\", \"text\": \"hey\"}\n\n")
            .write("event: message_stop\ndata: {\"type\": \"message_stop\"}\n\n")
            // The server closes without `[DONE]`: the stream ends there.
    );
    let client = client(&base);
    let body = MessageRequest::new("hi").stream(false);
    let mut events = client.create_message(body).stream().await.unwrap();
    let request = request.recv().unwrap();
    assert!(request.contains("\"stream\":true"), "the flag is overwritten: {request}");

    let Some(Ok(MessageStreamEvent::MessageStart(start))) = events.next_event().await else { panic!("a start") };
    assert_eq!(start.message.id, "m1");
    assert_eq!(events.last_event_id(), Some("1"));
    // A tag the union does not know is its `Unknown` variant.
    let Some(Ok(MessageStreamEvent::Unknown(ping))) = events.next_event().await else { panic!("a ping") };
    assert_eq!(ping["type"], "ping");
    // An event that does not decode is an error item that keeps the raw text; the stream goes on.
    match events.next_event().await {
        Some(Err(StreamError::Decode { event, data, .. })) => {
            assert_eq!(event.as_deref(), Some("text_delta"));
            assert_eq!(data, "{\"type\": \"text_delta\"}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let Some(Ok(MessageStreamEvent::TextDelta(delta))) = events.next_event().await else { panic!("a delta") };
    assert_eq!(delta.text, "hey");
    assert_eq!(events.last_event_id(), Some("2"));
    assert!(matches!(events.next_event().await, Some(Ok(MessageStreamEvent::MessageStop(_)))));
    assert!(events.next_event().await.is_none());
}

#[tokio::test]
async fn text_events_and_a_renamed_parameter() {
    let (base, request) = serve(
        Script::new()
            .write(SSE_HEAD)
            .write("data: first line\ndata: second line\n\n")
            .write("data: not JSON: kept as text\n\n"),
    );
    let client = client(&base);
    // The `stream` query parameter's setter is `stream_param`: `stream()` is the streaming call.
    let events = client.tail_logs().stream_param("app").stream().await.unwrap();
    assert!(request.recv().unwrap().starts_with("GET /logs?stream=app "));
    // The stream owns its connection: it can move to another task.
    let lines = tokio::spawn(async move {
        // Read through `futures_core::Stream`, as stream combinators do.
        let mut events = std::pin::pin!(events);
        let mut lines = Vec::new();
        while let Some(line) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(events.as_mut(), cx)).await {
            lines.push(line.unwrap());
        }
        lines
    });
    assert_eq!(lines.await.unwrap(), ["first line\nsecond line", "not JSON: kept as text"]);
}

#[tokio::test]
async fn item_schema_events() {
    let (base, _request) = serve(Script::new().write(SSE_HEAD).write("data: {\"symbol\": \"ABC\", \"price\": 1.5}\n\n"));
    let mut events = client(&base).watch_ticks().stream().await.unwrap();
    let tick = events.next_event().await.unwrap().unwrap();
    assert_eq!((tick.symbol.as_str(), tick.price), ("ABC", 1.5));
}

#[tokio::test]
async fn error_status_before_the_stream_is_the_operations_error() {
    let body = "{\"message\": \"prompt too long\"}";
    let response = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let (base, _request) = serve(Script::new().write(&response));
    match client(&base).create_chat(chat_request()).stream().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.body.message, "prompt too long");
            assert_eq!(e.response.status.as_u16(), 400);
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
    // An undocumented status is `UnexpectedStatus`, as for the plain call.
    let (base, _request) = serve(Script::new().write("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));
    assert!(matches!(client(&base).create_chat(chat_request()).stream().await, Err(Error::UnexpectedStatus(_))));
}

#[tokio::test]
async fn the_plain_call_is_unchanged() {
    let body = "{\"id\": \"c1\", \"text\": \"Hello!\"}";
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let (base, request) = serve(Script::new().write(&response));
    let chat = client(&base).create_chat(chat_request()).await.unwrap();
    assert_eq!(chat.text, "Hello!");
    let request = request.recv().unwrap();
    assert!(request.to_ascii_lowercase().contains("\r\naccept: application/json\r\n"), "{request}");
    assert!(request.ends_with("{\"prompt\":\"hi\"}"), "no stream flag: {request}");
}

#[tokio::test]
async fn the_total_timeout_does_not_cut_a_stream() {
    let mut script = Script::new().write(SSE_HEAD);
    for i in 0..5 {
        script = script.after(Duration::from_millis(100), &format!("data: {{\"id\": \"{i}\", \"delta\": \".\"}}\n\n"));
    }
    let (base, _request) = serve(script);
    let client = Client::builder().base_url(base).no_retries().timeout(Duration::from_millis(250)).build().unwrap();
    let mut events = client.create_chat(chat_request()).stream().await.unwrap();
    let mut n = 0;
    while let Some(event) = events.next_event().await {
        event.unwrap();
        n += 1;
    }
    assert_eq!(n, 5, "the stream outlived the 250 ms total timeout");
}

#[tokio::test]
async fn the_read_timeout_ends_a_stalled_stream() {
    let (base, _request) = serve(
        Script::new()
            .write(SSE_HEAD)
            .write("data: {\"id\": \"c1\", \"delta\": \"a\"}\n\n")
            .after(Duration::from_secs(3), "data: {\"id\": \"c1\", \"delta\": \"late\"}\n\n"),
    );
    let client = Client::builder().base_url(base).no_retries().read_timeout(Duration::from_millis(300)).build().unwrap();
    let mut events = client.create_chat(chat_request()).stream().await.unwrap();
    assert_eq!(events.next_event().await.unwrap().unwrap().delta, "a");
    match events.next_event().await {
        Some(Err(e @ StreamError::Transport(_))) => assert!(e.to_string().contains("event stream"), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(events.next_event().await.is_none(), "a transport error ends the stream");
}
