//! Path parameters on the wire: each is percent-encoded as one segment (a `/` or space inside a
//! value does not start a new segment), in place between the literal parts of the path.

use fixture_path_param_names::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn parameters_are_encoded_between_the_literal_parts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/a%2Fb%20c.%E2%82%AC/parts/-7"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"item_id":"a/b c.€","part_id":-7}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    let part = client.get_part("a/b c.€", -7).await.unwrap();
    assert_eq!((part.item_id.as_str(), part.part_id), ("a/b c.€", -7));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.path(), "/items/a%2Fb%20c.%E2%82%AC/parts/-7");
}

/// URLs read a `.` or `..` segment, even percent-encoded, as a relative step: such a value is
/// an invalid request, and nothing is sent.
#[tokio::test]
async fn a_dot_segment_value_is_an_invalid_request() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    for value in [".", ".."] {
        match client.get_part(value, 0).await {
            Err(Error::InvalidRequest(msg)) => assert!(msg.contains("relative path step"), "{msg}"),
            other => panic!("{value}: {other:?}"),
        }
    }
    client.get_part("...", 0).await.unwrap_err();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "only `...` is sent");
    assert_eq!(received[0].url.path(), "/items/.../parts/0");
}
