//! Each pagination convention followed to the end through `pages()` and `items()`: the next
//! request is the previous one with the page parameter set (the other parameters kept), the
//! stream ends at the last page, an error ends it after the error, and a server that answers
//! the same cursor again does not make the stream loop.

use fixture_pagination::Client;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering `GET route` with `answer(query pairs)`, recording every query string.
async fn server(
    route: &str,
    answer: impl Fn(&[(String, String)]) -> (u16, Value) + Send + Sync + 'static,
) -> (MockServer, Client, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(move |req: &Request| {
            record.lock().unwrap().push(req.url.query().unwrap_or("").to_string());
            let pairs: Vec<(String, String)> = req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            let (status, body) = answer(&pairs);
            ResponseTemplate::new(status).set_body_json(body)
        })
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    (server, client, seen)
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn customers(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

#[tokio::test]
async fn stripe_three_pages_by_the_last_item_id() {
    let (_server, client, seen) = server("/v1/customers", |q| {
        let (data, more) = match get(q, "starting_after") {
            None => (customers(&["cus_1", "cus_2"]), true),
            Some("cus_2") => (customers(&["cus_3", "cus_4"]), true),
            Some("cus_4") => (customers(&["cus_5"]), false),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        (200, json!({"object": "list", "data": data, "has_more": more, "url": "/v1/customers"}))
    })
    .await;
    let mut items = client.list_customers().limit(2).items();
    let mut ids = Vec::new();
    while let Some(customer) = items.next().await {
        ids.push(customer.unwrap().id);
    }
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    assert_eq!(*seen.lock().unwrap(), ["limit=2", "limit=2&starting_after=cus_2", "limit=2&starting_after=cus_4"]);
    // Ended: reading again asks nothing more.
    assert!(items.next().await.is_none());
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn openai_pages_by_last_id_while_has_more() {
    let (_server, client, seen) = server("/files", |q| match get(q, "after") {
        None => (200, json!({"data": customers(&["f1", "f2"]), "first_id": "f1", "last_id": "f2", "has_more": true})),
        Some("f2") => (200, json!({"data": customers(&["f3"]), "first_id": "f3", "last_id": "f3", "has_more": false})),
        Some(other) => panic!("unexpected cursor {other}"),
    })
    .await;
    let mut pages = client.list_files().pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.data.len(), 2);
    let second = pages.next().await.unwrap().unwrap();
    assert_eq!(second.last_id.as_deref(), Some("f3"));
    assert!(pages.next().await.is_none());
    assert_eq!(*seen.lock().unwrap(), ["", "after=f2"]);
}

#[tokio::test]
async fn kubernetes_continue_token_until_it_is_empty() {
    let (_server, client, seen) = server("/api/v1/pods", |q| match get(q, "continue") {
        None => (200, json!({"items": customers(&["a"]), "metadata": {"continue": "tok1"}})),
        Some("tok1") => (200, json!({"items": customers(&["b"]), "metadata": {"continue": "tok2"}})),
        Some("tok2") => (200, json!({"items": customers(&["c"]), "metadata": {"continue": ""}})),
        Some(other) => panic!("unexpected token {other}"),
    })
    .await;
    let mut items = client.list_pods().limit(1).items();
    let mut names = Vec::new();
    while let Some(pod) = items.next().await {
        names.push(pod.unwrap().id);
    }
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(*seen.lock().unwrap(), ["limit=1", "continue=tok1&limit=1", "continue=tok2&limit=1"]);
}

#[tokio::test]
async fn github_page_numbers_until_an_empty_page() {
    let (_server, client, seen) = server("/repos", |q| {
        assert_eq!(get(q, "per_page"), Some("2"), "every page keeps the other parameters");
        match get(q, "page") {
            None | Some("1") => (200, customers(&["r1", "r2"])),
            Some("2") => (200, customers(&["r3"])),
            Some(_) => (200, json!([])),
        }
    })
    .await;
    let mut items = client.list_repos().per_page(2).items();
    let mut names = Vec::new();
    while let Some(repo) = items.next().await {
        names.push(repo.unwrap().id);
    }
    assert_eq!(names, ["r1", "r2", "r3"]);
    assert_eq!(*seen.lock().unwrap(), ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_it() {
    let (_server, client, seen) = server("/events", |q| match get(q, "offset") {
        None => (200, json!({"results": customers(&["e1", "e2"]), "total": 9})),
        Some("2") => (400, json!({"message": "offset too large"})),
        Some(other) => panic!("unexpected offset {other}"),
    })
    .await;
    let mut items = client.list_events().items();
    assert_eq!(items.next().await.unwrap().unwrap().id, "e1");
    assert_eq!(items.next().await.unwrap().unwrap().id, "e2");
    match items.next().await {
        Some(Err(fixture_pagination::Error::Api(e))) => assert_eq!(e.body.message, "offset too large"),
        other => panic!("expected the page's error, got {other:?}"),
    }
    assert!(items.next().await.is_none());
    assert_eq!(*seen.lock().unwrap(), ["", "offset=2"]);
}

#[tokio::test]
async fn a_server_repeating_its_cursor_does_not_loop() {
    let (_server, client, seen) = server("/api/v1/pods", |_| (200, json!({"items": customers(&["a"]), "metadata": {"continue": "same"}})))
        .await;
    let mut pages = client.list_pods().pages();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        page.unwrap();
        count += 1;
    }
    assert_eq!(count, 2, "the first page, then the page its cursor named, which names itself again");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

/// The streams are `futures_core::Stream`s too.
#[tokio::test]
async fn pages_are_a_futures_stream() {
    fn assert_stream<S: futures_core::Stream>(_: &S) {}
    let (_server, client, _seen) = server("/repos", |_| (200, json!([]))).await;
    let items = client.list_repos().items();
    assert_stream(&items);
}

#[tokio::test]
async fn declared_with_the_extension() {
    let (_server, client, seen) = server("/audit", |q| match get(q, "pageKey") {
        None => (200, json!({"entries": customers(&["x1"]), "recent": [], "paging": {"nextKey": "k2", "more": true}})),
        Some("k2") => (200, json!({"entries": customers(&["x2"]), "recent": [], "paging": {"nextKey": "k3", "more": false}})),
        Some(other) => panic!("unexpected key {other}"),
    })
    .await;
    let mut items = client.list_audit_entries().items();
    let mut ids = Vec::new();
    while let Some(entry) = items.next().await {
        ids.push(entry.unwrap().id);
    }
    assert_eq!(ids, ["x1", "x2"]);
    assert_eq!(*seen.lock().unwrap(), ["", "pageKey=k2"]);
}
