//! An operation that documents only failures still succeeds on a 2XX status (the spec's
//! silence is a located warning, not an "unexpected status" on every call): its body is
//! ignored, or, after a documented redirect, returned as bytes.

use fixture_undocumented_success::types::DeletePetError;
use fixture_undocumented_success::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    (server, client)
}

#[tokio::test]
async fn a_2xx_status_is_the_success_its_body_ignored() {
    let (server, client) = client().await;
    Mock::given(method("DELETE")).and(path("/pets/7")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("DELETE"))
        .and(path("/pets/8"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"deleted\": true}"))
        .mount(&server)
        .await;
    let () = client.delete_pet("7").await.unwrap();
    let () = client.delete_pet("8").await.unwrap();
    // The documented failures are still errors with their bodies.
    Mock::given(method("DELETE"))
        .and(path("/pets/9"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "no such pet"})))
        .mount(&server)
        .await;
    match client.delete_pet("9").await {
        Err(Error::Api(e)) => match &e.body {
            DeletePetError::NotFound(problem) => assert_eq!(problem.message, "no such pet"),
            other => panic!("expected the 404's body, got {other:?}"),
        },
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

#[tokio::test]
async fn after_a_documented_redirect_the_body_is_bytes() {
    let (server, client) = client().await;
    let archive = format!("{}/archives/r.tar.gz", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/r/tarball"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", archive.as_str()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/archives/r.tar.gz"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0x1f, 0x8b, 0x08]))
        .mount(&server)
        .await;
    let bytes = client.download_tarball("r").await.unwrap();
    assert_eq!(bytes.as_ref(), [0x1f, 0x8b, 0x08]);
}
