//! Multipart uploads as the server receives them: the boundary in `Content-Type` matches the
//! body, each property is one part (files with their file name and content type, text, repeated
//! parts for arrays, JSON for objects, the `encoding` content types), unset properties are not
//! sent, and a retried request sends the whole body again.

use fixture_multipart::types::{CreateFileRequestPurpose, CreateTranscriptionBodyOptions};
use fixture_multipart::types::CreateTranscriptionBodyTimestampGranularitiesItem as Granularity;
use fixture_multipart::{Client, FilePart, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// One part of a received body: its headers (lowercase names) and content.
#[derive(Debug, PartialEq)]
struct Part {
    disposition: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Splits a `multipart/form-data` body at the boundary its `Content-Type` names.
fn parts(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type}"));
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let mut out = Vec::new();
    let mut rest: &[u8] = &text;
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let start = find(rest, delimiter.as_bytes()).expect("the body starts with the boundary");
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after the boundary");
        let headers_end = find(rest, b"\r\n\r\n").expect("a part's headers end");
        let headers = std::str::from_utf8(&rest[..headers_end]).unwrap();
        let mut part = Part { disposition: String::new(), content_type: None, body: Vec::new() };
        for line in headers.split("\r\n") {
            let (name, value) = line.split_once(": ").unwrap();
            match name.to_ascii_lowercase().as_str() {
                "content-disposition" => part.disposition = value.to_string(),
                "content-type" => part.content_type = Some(value.to_string()),
                other => panic!("unexpected part header {other}"),
            }
        }
        rest = &rest[headers_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("a part ends at the boundary");
        part.body = rest[..end].to_vec();
        out.push(part);
        rest = &rest[end + 2 + delimiter.len()..];
    }
    out
}

/// A server recording each request's content type and body, answering `statuses` in turn
/// (then 200 with `body`).
async fn server(statuses: Vec<u16>, body: &'static str) -> (MockServer, Arc<Mutex<Vec<(String, Vec<u8>)>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    Mock::given(method("POST"))
        .respond_with(move |req: &Request| {
            let mut seen = record.lock().unwrap();
            let content_type = req.headers.get("content-type").unwrap().to_str().unwrap().to_string();
            seen.push((content_type, req.body.clone()));
            let status = statuses.get(seen.len() - 1).copied().unwrap_or(200);
            ResponseTemplate::new(status).set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    (server, seen)
}

#[tokio::test]
async fn a_file_and_an_enum_with_the_description_s_content_types() {
    let (server, seen) = server(vec![], r#"{"id":"file-1","bytes":5,"filename":"notes.txt","purpose":"batch"}"#).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let file = FilePart::new(b"hello".to_vec()).file_name("notes.txt");
    let stored = client.create_file(file, CreateFileRequestPurpose::Batch).await.unwrap();
    assert_eq!(stored.filename, "notes.txt");
    let seen = seen.lock().unwrap();
    let (content_type, body) = &seen[0];
    assert_eq!(
        parts(content_type, body),
        vec![
            Part {
                disposition: r#"form-data; name="file"; filename="notes.txt""#.into(),
                content_type: Some("application/octet-stream".into()),
                body: b"hello".to_vec(),
            },
            Part { disposition: r#"form-data; name="purpose""#.into(), content_type: None, body: b"batch".to_vec() },
        ]
    );
}

#[tokio::test]
async fn every_kind_of_part_and_a_retry_sends_them_again() {
    // 429 is retried for every method: the second attempt must carry the same parts.
    let (server, seen) = server(vec![429], r#"{"text":"hi"}"#).await;
    let retry = RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() };
    let client = Client::builder().base_url(server.uri()).retry(retry).build().unwrap();
    let audio = FilePart::from_path(write_temp("speech.mp3", b"ID3\x00\x01binary")).unwrap();
    let transcript = client
        .create_transcription("proj 1", audio, "whisper-1")
        .file("a query parameter")
        .temperature(0.5)
        .timestamp_granularities(vec![Granularity::Word, Granularity::Segment])
        .attachments(vec![FilePart::new(b"a".to_vec()).file_name("a.bin").content_type("image/png"), b"b".to_vec().into()])
        .options(CreateTranscriptionBodyOptions::default().diarize(true))
        .notes("*loud*")
        .await
        .unwrap();
    assert_eq!(transcript.text, "hi");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "one retry");
    let text = |name: &str, body: &[u8], content_type: Option<&str>| Part {
        disposition: format!(r#"form-data; name="{name}""#),
        content_type: content_type.map(str::to_string),
        body: body.to_vec(),
    };
    let expected = vec![
        Part {
            disposition: r#"form-data; name="file"; filename="speech.mp3""#.into(),
            content_type: Some("audio/mpeg".into()),
            body: b"ID3\x00\x01binary".to_vec(),
        },
        text("model", b"whisper-1", None),
        text("temperature", b"0.5", None),
        text("timestamp_granularities", b"word", None),
        text("timestamp_granularities", b"segment", None),
        Part {
            disposition: r#"form-data; name="attachments"; filename="a.bin""#.into(),
            content_type: Some("image/png".into()),
            body: b"a".to_vec(),
        },
        text("attachments", b"b", Some("application/octet-stream")),
        text("options", br#"{"diarize":true}"#, Some("application/json")),
        text("notes", b"*loud*", Some("text/markdown")),
    ];
    for (content_type, body) in seen.iter() {
        assert_eq!(parts(content_type, body), expected);
    }
    // Each attempt has its own boundary, and the body is whole each time.
    assert_ne!(seen[0].0, seen[1].0);
}

fn write_temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fixture-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
