//! The client the build script generated, against a loopback server: the configuration's
//! rename, replacement, derive and excluded tag are what the crate compiles with.

use build_script_example::{types, Client};
use std::collections::{BTreeMap, HashSet};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().credential("test-key").base_url(server.uri()).build().expect("a client")
}

#[tokio::test]
async fn renamed_method_lists_pets_with_the_added_derives() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("kind", "cat"))
        .and(header("authorization", "Bearer test-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"id": 1, "name": "Tom", "kind": "cat"},
            {"id": 1, "name": "Tom", "kind": "cat"},
            {"id": 2, "name": "Felix"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    // `listPets` is `all_pets` (`[rename.methods]`).
    let pets = client(&server).all_pets().kind("cat").await.expect("the pets");
    assert_eq!(pets.len(), 3);
    // `Pet` derives `Eq` and `Hash` (`[[types]]`): a set of them drops the repeat.
    let unique: HashSet<types::Pet> = pets.into_iter().collect();
    assert_eq!(unique.len(), 2);
}

#[tokio::test]
async fn replaced_schema_is_the_users_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(serde_json::json!({"name": "Rex", "metadata": {"owner": "ann"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 7, "name": "Rex"})))
        .expect(1)
        .mount(&server)
        .await;
    // `Metadata` is a `BTreeMap<String, String>` (`[[replace]]`).
    let metadata: types::Metadata = BTreeMap::from([("owner".to_string(), "ann".to_string())]);
    let body = types::NewPet::new("Rex").metadata(metadata);
    let pet = client(&server).create_pet(body).await.expect("created");
    assert_eq!((pet.id, pet.name.as_str()), (7, "Rex"));
}

#[tokio::test]
async fn documented_errors_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(422).set_body_json(serde_json::json!({"message": "name is empty"})))
        .mount(&server)
        .await;
    let body = types::NewPet::new("");
    match client(&server).create_pet(body).await {
        Err(build_script_example::pets::Error::Api(e)) => assert_eq!(e.body.message, "name is empty"),
        other => panic!("expected the documented error, got {other:?}"),
    }
}

/// `[operations] exclude-tags = ["admin"]`: the admin operation is not generated.
#[test]
fn excluded_tag_has_no_method() {
    let operations = include_str!(concat!(env!("OUT_DIR"), "/pets/src/operations.rs"));
    assert!(operations.contains("fn create_pet"), "the module holds the other operations");
    assert!(!operations.contains("reset_store"), "the admin operation is left out");
}
