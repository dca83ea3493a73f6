//! Calls through namespaces (`[client] namespaces = "paths"`) reach the operation's route, and
//! errors the spec documents no body for decode into the default error schema
//! (`default-error-schema = "Error"`), with the raw body kept and the API's message shown; a
//! body that is not one stays an unexpected status.

use fixture_namespaces_paths::types::DeleteCustomersCustomerError;
use fixture_namespaces_paths::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).credential("sk_test").no_retries().build().unwrap()
}

fn error_body(message: &str) -> serde_json::Value {
    serde_json::json!({"error": {"message": message, "type": "invalid_request_error"}})
}

#[tokio::test]
async fn a_namespaced_method_calls_its_route() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "cus_1", "name": "Ada"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    // The builder borrows the client, not the handle: it can be kept and sent later.
    let call = client.customers().retrieve("cus_1");
    let customer = call.await.unwrap();
    assert_eq!(customer.id, "cus_1");
    assert_eq!(customer.name.as_deref(), Some("Ada"));
}

#[tokio::test]
async fn an_action_and_a_nested_item_have_their_own_routes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/invoices/in_1/pay"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_1/sources/src_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "src_1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client.invoices().pay("in_1").await.unwrap();
    let source = client.customers().retrieve_source("cus_1", "src_1").await.unwrap();
    assert_eq!(source.id.as_deref(), Some("src_1"));
}

#[tokio::test]
async fn an_undocumented_401_is_the_default_error_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_body("Invalid API key provided")))
        .mount(&server)
        .await;
    let err = client(&server).customers().retrieve("cus_1").await.unwrap_err();
    let shown = err.to_string();
    let Error::Api(api) = err else { panic!("a typed error, got {shown}") };
    assert_eq!(api.response.status.as_u16(), 401);
    assert_eq!(api.body.error.message, "Invalid API key provided");
    assert_eq!(api.body.error.r#type.as_deref(), Some("invalid_request_error"));
    // The raw bytes are kept.
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&api.response.body).unwrap(), error_body("Invalid API key provided"));
    assert!(shown.contains("401") && shown.contains("Invalid API key provided"), "{shown}");
}

#[tokio::test]
async fn a_documented_status_without_a_body_is_the_default_error_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("No such customer: 'cus_2'")))
        .mount(&server)
        .await;
    let err = client(&server).customers().retrieve("cus_2").await.unwrap_err();
    assert_eq!(err.api_body().map(|b| b.error.message.as_str()), Some("No such customer: 'cus_2'"));
}

#[tokio::test]
async fn documented_error_bodies_keep_their_type_beside_the_default() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!({"conflict": "has invoices"})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/customers/cus_2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(error_body("Forbidden")))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.customers().delete("cus_1").await.unwrap_err();
    let Some(DeleteCustomersCustomerError::Conflict(c)) = err.api_body() else { panic!("{err}") };
    assert_eq!(c.conflict.as_deref(), Some("has invoices"));
    let err = client.customers().delete("cus_2").await.unwrap_err();
    let Some(DeleteCustomersCustomerError::Status4xx(e)) = err.api_body() else { panic!("{err}") };
    assert_eq!(e.error.message, "Forbidden");
}

#[tokio::test]
async fn a_body_that_is_not_the_error_schema_stays_unexpected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;
    let err = client(&server).customers().retrieve("cus_1").await.unwrap_err();
    let Error::UnexpectedStatus(raw) = err else { panic!("{err}") };
    assert_eq!(raw.status.as_u16(), 502);
    assert_eq!(&raw.body[..], b"<html>Bad gateway</html>");
}
