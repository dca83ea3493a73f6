//! Recursive `allOf` trees go both ways through the generated method: `Not` and `And` are
//! `Expression`s (not empty merged copies), `Key` is the `Key` string, and `Node.child` is the
//! one merged type, which holds another of itself.

use fixture_recursive_all_of::types::{Expression, Stored};
use fixture_recursive_all_of::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn statement_trees_and_merged_recursion_round_trip() {
    let server = MockServer::start().await;
    let filter = json!({"And": [{"Key": "a"}, {"Not": {"Or": [{"Key": "b"}, {"Not": {"Key": "c"}}]}}]});
    let tree = json!({"name": "root", "child": {"name": "one", "depth": 1, "child": {"name": "two", "depth": 2}}});
    Mock::given(method("POST"))
        .and(path("/filter"))
        .and(body_json(&filter))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"filter": filter, "tree": tree})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let sent: Expression = serde_json::from_value(filter.clone()).unwrap();
    let stored: Stored = client.put_filter(sent).await.unwrap();
    assert_eq!(serde_json::to_value(&stored.filter).unwrap(), filter);
    let and = stored.filter.and.as_ref().unwrap();
    let not = and[1].not.as_ref().unwrap();
    assert_eq!(not.or.as_ref().unwrap()[1].not.as_ref().unwrap().key.as_deref(), Some("c"));
    // `Node` is only received: compared field by field (it has `Serialize` only with the
    // `full-serde` feature).
    let root = stored.tree.as_ref().unwrap();
    let child = root.child.as_ref().unwrap();
    let grandchild = child.child.as_ref().unwrap();
    assert_eq!((root.name.as_str(), child.name.as_str(), child.depth), ("root", "one", Some(1)));
    assert_eq!((grandchild.name.as_str(), grandchild.depth, grandchild.child.is_none()), ("two", Some(2), true));
}
