//! Path, header and cookie parameters are written by their `style` and `explode`: the table is
//! the OpenAPI specification's own style examples (`color` = "blue", ["blue", "black",
//! "brown"] and {"R": 100, "G": 200, "B": 150}), with each parameter's name in place of `color`.

use fixture_param_styles::types::Rgb;
use fixture_param_styles::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn colors() -> Vec<String> {
    ["blue", "black", "brown"].map(String::from).to_vec()
}

fn rgb() -> Rgb {
    Rgb::new(100, 200, 150)
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    (server, client)
}

#[tokio::test]
async fn path_parameters_follow_the_specification_table() {
    let (server, client) = server().await;
    // (style, explode): primitive, array, object, as the specification writes them.
    let table = [
        ("simple", false, ["blue", "blue,black,brown", "R,100,G,200,B,150"]),
        ("simple", true, ["blue", "blue,black,brown", "R=100,G=200,B=150"]),
        ("label", false, [".blue", ".blue,black,brown", ".R,100,G,200,B,150"]),
        ("label", true, [".blue", ".blue.black.brown", ".R=100.G=200.B=150"]),
        ("matrix", false, [";color=blue", ";colors=blue,black,brown", ";rgb=R,100,G,200,B,150"]),
        ("matrix", true, [";color=blue", ";colors=blue;colors=black;colors=brown", ";R=100;G=200;B=150"]),
    ];
    client.simple("blue", colors(), rgb()).await.unwrap();
    client.simple_explode("blue", colors(), rgb()).await.unwrap();
    client.label("blue", colors(), rgb()).await.unwrap();
    client.label_explode("blue", colors(), rgb()).await.unwrap();
    client.matrix("blue", colors(), rgb()).await.unwrap();
    client.matrix_explode("blue", colors(), rgb()).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), table.len());
    for (request, (style, explode, [color, array, object])) in received.iter().zip(table) {
        let kind = if explode { "explode" } else { "plain" };
        assert_eq!(request.url.path(), format!("/{style}/{kind}/{color}/{array}/{object}"));
    }
}

#[tokio::test]
async fn header_parameters_are_simple() {
    let (server, client) = server().await;
    client.headers(colors(), rgb(), rgb()).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let header = |name: &str| received[0].headers.get(name).map(|v| v.to_str().unwrap().to_string());
    assert_eq!(header("x-colors").as_deref(), Some("blue,black,brown"));
    assert_eq!(header("x-rgb").as_deref(), Some("R,100,G,200,B,150"));
    assert_eq!(header("x-rgb-exploded").as_deref(), Some("R=100,G=200,B=150"));
    // The spec's `Authorization` parameter is not one: the client sends no credential here.
    assert_eq!(header("authorization"), None);
}

#[tokio::test]
async fn cookie_parameters_are_form() {
    let (server, client) = server().await;
    client.cookies(colors(), rgb(), vec!["a".into(), "b".into()]).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let cookie = received[0].headers.get("cookie").unwrap().to_str().unwrap();
    assert_eq!(cookie, "colors=blue,black,brown; rgb=R,100,G,200,B,150; tags=a; tags=b");
}

#[tokio::test]
async fn cookie_values_a_cookie_cannot_hold_are_percent_encoded() {
    // A space, `;`, `,`, `%` or a non-ASCII letter would end or split the cookie as written.
    let (server, client) = server().await;
    client.cookies(vec!["a b".into(), "c;d".into()], rgb(), vec!["e,f".into(), "100%é".into()]).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let cookie = received[0].headers.get("cookie").unwrap().to_str().unwrap();
    assert_eq!(cookie, "colors=a%20b,c%3Bd; rgb=R,100,G,200,B,150; tags=e%2Cf; tags=100%25%C3%A9");
}

#[tokio::test]
async fn a_binary_query_parameter_is_text_and_all_of_strings_is_a_string() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"code":"ab"}"#))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    let echoed = client.search("raw bytes", "ab").await.unwrap();
    let code: Option<String> = echoed.code;
    assert_eq!(code.as_deref(), Some("ab"));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), Some("blob=raw+bytes&code=ab"));
}

#[tokio::test]
async fn query_values_nested_below_the_first_level() {
    let (server, client) = server().await;
    let base = fixture_param_styles::types::PalettesBase::default().rgb(rgb());
    client.palettes(vec![rgb(), Rgb::new(1, 2, 3)], vec![Rgb::new(1, 2, 3)], base).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> = received[0].url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    // Exploded: the name repeated, one object's JSON text each (as a form body's field is
    // written; it was one JSON array until `cargo xtask fuzz` compared the two).
    let json = |name: &str| -> Vec<serde_json::Value> {
        pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| serde_json::from_str(v).unwrap()).collect()
    };
    let (a, b) = (serde_json::json!({"R": 100, "G": 200, "B": 150}), serde_json::json!({"R": 1, "G": 2, "B": 3}));
    assert_eq!(json("swatches"), [a, b.clone()]);
    // Not exploded: the items joined, here one object's JSON text.
    assert_eq!(json("pinned"), [b]);
    let mut deep: Vec<String> = pairs.iter().filter(|(k, _)| k.starts_with("base")).map(|(k, v)| format!("{k}={v}")).collect();
    deep.sort();
    assert_eq!(deep, ["base[rgb][B]=150", "base[rgb][G]=200", "base[rgb][R]=100"]);
    assert_eq!(pairs.len(), 6, "{pairs:?}");
}

/// Optional parameters are sent when set and left out when not; a `deepObject` array is
/// `name[]` pairs, as arrays inside a `deepObject` object are (Stripe's `expand[]`).
#[tokio::test]
async fn optional_parameters_and_deep_object_arrays() {
    let (server, client) = server().await;
    let base = || fixture_param_styles::types::PalettesBase::default();
    client.palettes(vec![], vec![], base()).await.unwrap();
    client
        .palettes(vec![], vec![], base())
        .expand(vec!["customer".into(), "".into()])
        .limit(3)
        .x_trace("t-1")
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let pairs = |i: usize| -> Vec<(String, String)> {
        let keep = |k: &str| k == "limit" || k.starts_with("expand");
        received[i].url.query_pairs().filter(|(k, _)| keep(k)).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    };
    assert_eq!(pairs(0), []);
    assert!(received[0].headers.get("x-trace").is_none());
    let want = [("expand[]", "customer"), ("expand[]", ""), ("limit", "3")].map(|(k, v)| (k.to_string(), v.to_string()));
    assert_eq!(pairs(1), want);
    assert_eq!(received[1].headers.get("x-trace").unwrap(), "t-1");
}
