//! Stripe's own spec, through the generated methods only, against a loopback server: a customer
//! created with nested metadata and address (the server checks the exact form body Stripe
//! reads), customers listed across three pages with one `items()` stream, and a card read as
//! the card member of the `external_account` union.

use corpus_stripe_3_0::types::{
    ExternalAccount, PostAccountsBodyBusinessProfileSupportAddress as Address, PostCustomersBody,
    PostCustomersBodyAddress, PostCustomersBodyMetadata,
};
use corpus_stripe_3_0::Client;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn customer(id: &str) -> Value {
    json!({"id": id, "object": "customer", "created": 1700000000, "livemode": false})
}

#[tokio::test]
async fn create_a_customer_with_nested_metadata_and_address() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .and(header("authorization", "Basic c2tfdGVzdF8xMjM6"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "address[city]=Paris&address[country]=FR&address[line1]=1%20Rue%20de%20Rivoli\
             &email=jenny%40example.com&expand[]=tax&metadata[order_id]=6735&name=Jenny%20Rosen",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer("cus_new")))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).credential("sk_test_123").build().unwrap();
    let body = PostCustomersBody::default()
        .name("Jenny Rosen")
        .email("jenny@example.com")
        .address(PostCustomersBodyAddress::Object(
            Address::default().city("Paris").country("FR").line1("1 Rue de Rivoli"),
        ))
        .metadata(PostCustomersBodyMetadata::Object([("order_id".to_string(), "6735".to_string())].into()))
        .expand(vec!["tax".into()]);
    let created = client.post_customers().body(body).await.unwrap();
    assert_eq!(created.id, "cus_new");
}

#[tokio::test]
async fn list_customers_across_three_pages() {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(move |req: &Request| {
            let query = req.url.query().unwrap_or("").to_string();
            record.lock().unwrap().push(query.clone());
            let (ids, more) = match query.as_str() {
                "limit=2" => (vec!["cus_1", "cus_2"], true),
                "limit=2&starting_after=cus_2" => (vec!["cus_3", "cus_4"], true),
                "limit=2&starting_after=cus_4" => (vec!["cus_5"], false),
                other => panic!("unexpected query {other}"),
            };
            let data: Vec<Value> = ids.into_iter().map(customer).collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"object": "list", "data": data, "has_more": more, "url": "/v1/customers"}))
        })
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).credential("sk_test_123").build().unwrap();
    let mut customers = client.get_customers().limit(2).items();
    let mut ids = Vec::new();
    while let Some(c) = customers.next().await {
        ids.push(c.unwrap().id);
    }
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    assert_eq!(seen.lock().unwrap().len(), 3);
}

/// Stripe's `external_account` is an untagged union of `bank_account` and `card`, told apart by
/// their constant `object`: a card is a card (not a bank account whose `object` is unknown).
#[tokio::test]
async fn an_external_account_card_is_a_card() {
    // Stripe's card object as its API reference shows it.
    let card = json!({
        "id": "card_1MvoiELkdIwHu7ixOeFh4LuT", "object": "card", "address_city": null, "address_country": null,
        "address_line1": null, "address_line1_check": null, "address_line2": null, "address_state": null,
        "address_zip": null, "address_zip_check": null, "brand": "Visa", "country": "US",
        "customer": "cus_NhD8HD2bY8dP3V", "cvc_check": "pass", "dynamic_last4": null, "exp_month": 4,
        "exp_year": 2024, "fingerprint": "mToisGZ01V71BCos", "funding": "credit", "last4": "4242",
        "metadata": {}, "name": null, "tokenization_method": null, "wallet": null
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/accounts/acct_1/external_accounts/card_1MvoiELkdIwHu7ixOeFh4LuT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(card))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).credential("sk_test_123").build().unwrap();
    let account = client
        .get_accounts_account_external_accounts_id("acct_1", "card_1MvoiELkdIwHu7ixOeFh4LuT")
        .await
        .unwrap();
    let ExternalAccount::Card(card) = account else { panic!("not a card: {account:?}") };
    assert_eq!((card.brand.as_str(), card.last4.as_str(), card.exp_year), ("Visa", "4242", 2024));
}
