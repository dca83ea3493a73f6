//! OpenAI's own spec, through the generated methods only, against a loopback server: a file
//! uploaded with its purpose and bytes (the server reads the multipart body it would get), a
//! chat completion streamed as typed chunks, and tool calls read as their members.

use corpus_openai_3_1::types::{
    ChatCompletionMessageToolCallsItem as ToolCall, CreateChatCompletionRequest, CreateFileRequestPurpose,
};
use corpus_openai_3_1::{Client, FilePart};
use serde_json::json;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn upload_a_file_with_its_purpose() {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(None));
    let record = seen.clone();
    Mock::given(method("POST"))
        .and(path("/files"))
        .and(header("authorization", "Bearer sk-test"))
        .respond_with(move |req: &Request| {
            let content_type = req.headers.get("content-type").unwrap().to_str().unwrap().to_string();
            *record.lock().unwrap() = Some((content_type, req.body.clone()));
            ResponseTemplate::new(200).set_body_json(json!({
                "id": "file-abc", "object": "file", "bytes": 11, "created_at": 1700000000,
                "filename": "train.jsonl", "purpose": "fine-tune", "status": "uploaded"
            }))
        })
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).credential("sk-test").build().unwrap();
    let file = FilePart::new(b"{\"a\":1}\n{}\n".to_vec()).file_name("train.jsonl");
    let stored = client.create_file(file, CreateFileRequestPurpose::FineTune).await.unwrap();
    assert_eq!(stored.id, "file-abc");

    let (content_type, body) = seen.lock().unwrap().clone().expect("the server got the upload");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"train.jsonl\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{{\"a\":1}}\n{{}}\n\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n\
         --{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8(body).unwrap().to_ascii_lowercase(), expected.to_ascii_lowercase());
}

#[tokio::test]
async fn a_chat_completion_streamed_as_typed_chunks() {
    let chunk = |content: &str, finish: Option<&str>| {
        json!({
            "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-4o",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]
        })
    };
    let events = format!(
        "data: {}\n\n: keep-alive\n\ndata: {}\n\ndata: {}\n\ndata: [DONE]\n\n",
        chunk("Hel", None),
        chunk("lo", None),
        chunk("!", Some("stop"))
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(header("accept", "text/event-stream"))
        .and(wiremock::matchers::body_partial_json(json!({"model": "gpt-4o", "stream": true})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).credential("sk-test").build().unwrap();
    let body: CreateChatCompletionRequest =
        serde_json::from_value(json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]})).unwrap();
    let mut chunks = client.create_chat_completion(body).stream().await.unwrap();
    let mut text = String::new();
    let mut finished = None;
    while let Some(chunk) = chunks.next_event().await {
        let chunk = chunk.unwrap();
        assert_eq!(chunk.id, "chatcmpl-1");
        let choice = &chunk.choices[0];
        text.push_str(choice.delta.content.as_deref().unwrap_or(""));
        if let Some(reason) = &choice.finish_reason {
            finished = Some(reason.as_str().to_string());
        }
    }
    assert_eq!(text, "Hello!");
    assert_eq!(finished.as_deref(), Some("stop"));
}

/// OpenAI's tool calls name their member by a constant `type` (the discriminator has no
/// `mapping`): the documented function-calling response decodes into the function member.
#[tokio::test]
async fn tool_calls_decode_into_their_members() {
    // From OpenAI's function-calling example response (`finish_reason: tool_calls`).
    let response = json!({
        "id": "chatcmpl-abc123", "object": "chat.completion", "created": 1699896916, "model": "gpt-4o-mini",
        "choices": [{
            "index": 0, "logprobs": null, "finish_reason": "tool_calls",
            "message": {
                "role": "assistant", "content": null, "refusal": null, "annotations": [],
                "tool_calls": [
                    {"id": "call_abc123", "type": "function",
                     "function": {"name": "get_current_weather", "arguments": "{\n\"location\": \"Boston, MA\"\n}"}},
                    {"id": "call_def456", "type": "custom", "custom": {"name": "run_sql", "input": "select 1"}}
                ]
            }
        }],
        "usage": {"prompt_tokens": 82, "completion_tokens": 17, "total_tokens": 99}
    });
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(response))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).credential("sk-test").build().unwrap();
    let body: CreateChatCompletionRequest =
        serde_json::from_value(json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Weather?"}]}))
            .unwrap();
    let completion = client.create_chat_completion(body).await.unwrap();
    let calls = completion.choices[0].message.tool_calls.as_ref().unwrap();
    let ToolCall::ChatCompletionMessageToolCall(function) = &calls[0] else { panic!("{:?}", calls[0]) };
    assert_eq!((function.id.as_str(), function.function.name.as_str()), ("call_abc123", "get_current_weather"));
    let ToolCall::ChatCompletionMessageCustomToolCall(custom) = &calls[1] else { panic!("{:?}", calls[1]) };
    assert_eq!(custom.custom.input, "select 1");
}
