//! Form bodies as the server receives them: every row of the OpenAPI specification's
//! serialization table for `application/x-www-form-urlencoded` (the `color` examples: a string,
//! an array and an object, in each style), a property sent as JSON text (`contentType`), and a
//! Stripe-style create whose nested objects and arrays are `deepObject`. Object members are
//! written in key order (the order of a `serde_json::Map`), array items in their order.

use fixture_forms::types::{PostCustomersBody, PostCustomersBodyAddress, PostCustomersBodyItemsItem, Rgb, Styles};
use fixture_forms::Client;
use std::sync::{Arc, Mutex};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that records the body of every `POST` to `route` and answers `status` with `body`.
async fn recording_server(route: &str, status: u16, body: &str) -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let answer = body.to_string();
    Mock::given(method("POST"))
        .and(path(route))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(move |req: &Request| {
            record.lock().unwrap().push(String::from_utf8(req.body.clone()).unwrap());
            ResponseTemplate::new(status).set_body_raw(answer.clone(), "application/json")
        })
        .mount(&server)
        .await;
    (server, seen)
}

fn colors() -> Vec<String> {
    vec!["blue".into(), "black".into(), "brown".into()]
}

fn rgb() -> Rgb {
    Rgb::default().r(100).g(200).b(150)
}

/// One property set at a time, so each row of the table is checked alone.
#[tokio::test]
async fn each_style_of_the_openapi_table() {
    let cases: Vec<(Styles, &str)> = vec![
        (Styles::default().plain("blue"), "plain=blue"),
        // form, explode: true (the default)
        (Styles::default().array_explode(colors()), "array_explode=blue&array_explode=black&array_explode=brown"),
        (Styles::default().object_explode(rgb()), "B=150&G=200&R=100"),
        // form, explode: false
        (Styles::default().array_form(colors()), "array_form=blue%2Cblack%2Cbrown"),
        (Styles::default().object_form(rgb()), "object_form=B%2C150%2CG%2C200%2CR%2C100"),
        // spaceDelimited, pipeDelimited
        (Styles::default().array_space(colors()), "array_space=blue%20black%20brown"),
        (Styles::default().array_pipe(colors()), "array_pipe=blue%7Cblack%7Cbrown"),
        // deepObject
        (Styles::default().object_deep(rgb()), "object_deep[B]=150&object_deep[G]=200&object_deep[R]=100"),
        // contentType: application/json
        (Styles::default().settings(rgb()), "settings=%7B%22B%22%3A150%2C%22G%22%3A200%2C%22R%22%3A100%7D"),
        (Styles::default(), ""),
    ];
    let (server, seen) = recording_server("/styles", 204, "").await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    for (body, _) in &cases {
        client.post_styles(body.clone()).await.unwrap();
    }
    let seen = seen.lock().unwrap().clone();
    let expected: Vec<&str> = cases.iter().map(|(_, e)| *e).collect();
    assert_eq!(seen, expected);
}

/// A Stripe-style create: nested objects and arrays at any depth as `deepObject`, arrays of
/// strings as `name[]`, arrays of objects with their index, scalars and enums as text, unset
/// properties not sent.
#[tokio::test]
async fn nested_deep_objects_as_stripe_reads_them() {
    let (server, seen) = recording_server("/v1/customers", 200, r#"{"id":"cus_123"}"#).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let body = PostCustomersBody::default()
        .name("Jenny Rosen")
        .email("jenny+1@example.com")
        .address(PostCustomersBodyAddress::default().line1("1 Main St").city("Paris"))
        .metadata([("order_id".to_string(), "6735".to_string())].into_iter().collect())
        .expand(vec!["tax".into(), "invoice_settings.default_payment_method".into()])
        .items(vec![
            PostCustomersBodyItemsItem::default().price("price_1").quantity(2),
            PostCustomersBodyItemsItem::default().price("price_2"),
        ])
        .balance(-500)
        .tax_exempt(fixture_forms::types::PostCustomersBodyTaxExempt::Reverse);
    let created = client.post_customers(body).await.unwrap();
    assert_eq!(created.id, "cus_123");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![[
            "address[city]=Paris",
            "address[line1]=1%20Main%20St",
            "balance=-500",
            "email=jenny%2B1%40example.com",
            "expand[]=tax",
            "expand[]=invoice_settings.default_payment_method",
            "items[0][price]=price_1",
            "items[0][quantity]=2",
            "items[1][price]=price_2",
            "metadata[order_id]=6735",
            "name=Jenny%20Rosen",
            "tax_exempt=reverse",
        ]
        .join("&")]
    );
}
