//! The client leaks no credential: for every kind of security scheme (bearer, basic, API key in a
//! header, the query string or a cookie) and for credential-like default headers, a redirect to
//! another origin (here the same host on another port) is not followed, so the second server
//! never sees the credential, in a header, the query string, a cookie or a `Referer`; a redirect
//! within the origin is still followed, without a `Referer`. And `Debug` output of the builder
//! and the client shows no credential.

use fixture_security_schemes::{Client, ClientBuilder, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The credential every test sends.
const SECRET: &str = "s3cr3t-credential-0451";
/// The basic credential `partner:SECRET`, and its base64 form as sent in `Authorization`.
const BASIC: &str = "partner:s3cr3t-credential-0451";
const BASIC_BASE64: &str = "cGFydG5lcjpzM2NyM3QtY3JlZGVudGlhbC0wNDUx";

/// The first server (the API), whose every `GET` answers `307` with the same path and query on
/// `target` (as a server that moved to another host would), and the second server, which
/// accepts anything.
async fn api_moved_to_another_origin() -> (MockServer, MockServer) {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&elsewhere).await;
    let api = MockServer::start().await;
    let target = elsewhere.uri();
    Mock::given(method("GET"))
        .respond_with(move |req: &Request| {
            let mut location = format!("{target}{}", req.url.path());
            if let Some(query) = req.url.query() {
                location.push('?');
                location.push_str(query);
            }
            ResponseTemplate::new(307).insert_header("location", location.as_str())
        })
        .mount(&api)
        .await;
    assert_ne!(api.address().port(), elsewhere.address().port());
    (api, elsewhere)
}

fn client(api: &MockServer, configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
    configure(Client::builder().base_url(api.uri()).no_retries()).build().unwrap()
}

/// The call stopped at the API's redirect: its result is that `307` response, the second server
/// got no request, and (checked first, for a clear message) none of what it got carries the
/// credential in any form, nor a `Referer`.
async fn assert_not_followed<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, Error<E>>,
    api: &MockServer,
    elsewhere: &MockServer,
) {
    let received = elsewhere.received_requests().await.unwrap();
    for req in &received {
        let url = req.url.as_str();
        assert!(!url.contains(SECRET), "the credential reached the other origin in the URL: {url}");
        for (name, value) in &req.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            assert!(
                !value.contains(SECRET) && !value.contains(BASIC_BASE64),
                "the credential reached the other origin in `{name}: {value}`"
            );
        }
        for name in ["authorization", "x-api-key", "x-partner-token", "cookie", "referer"] {
            assert!(req.headers.get(name).is_none(), "the other origin got a `{name}` header: {:?}", req.headers);
        }
    }
    assert!(received.is_empty(), "a redirect to another origin was followed: {received:?}");
    assert_eq!(api.received_requests().await.unwrap().len(), 1);
    let err = result.expect_err("the redirect is the result");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err:?}");
    let location = err.response().and_then(|r| r.headers.get("location")).expect("the Location is kept");
    assert!(location.to_str().unwrap().starts_with(&elsewhere.uri()), "{location:?}");
}

#[tokio::test]
async fn a_bearer_token_is_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let client = client(&api, |b| b.credential(SECRET));
    let result = client.with_oauth().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

#[tokio::test]
async fn a_basic_credential_is_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let client = client(&api, |b| b.credential(BASIC));
    let result = client.with_basic().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

#[tokio::test]
async fn a_header_api_key_is_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let client = client(&api, |b| b.credential(SECRET));
    let result = client.with_header_key().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

#[tokio::test]
async fn a_query_api_key_is_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let client = client(&api, |b| b.credential(SECRET));
    let result = client.with_query_key().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

#[tokio::test]
async fn a_cookie_api_key_is_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let client = client(&api, |b| b.credential(SECRET));
    let result = client.with_cookie_key().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

/// Credentials set as default headers, on an operation without security: still not sent on.
#[tokio::test]
async fn credential_default_headers_are_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let client = client(&api, |b| b.default_header("X-API-Key", SECRET).default_header("X-Partner-Token", SECRET));
    let result = client.public_endpoint().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

/// An HTTP client built from `Client::http_builder` and injected has the same policy.
#[tokio::test]
async fn an_injected_client_from_http_builder_is_not_sent_to_another_origin() {
    let (api, elsewhere) = api_moved_to_another_origin().await;
    let http = Client::http_builder().build().unwrap();
    let client = client(&api, |b| b.http_client(http).credential(SECRET));
    let result = client.with_header_key().await;
    assert_not_followed(result, &api, &elsewhere).await;
}

/// A redirect within the origin is followed: the credential goes along (it is the same server),
/// and no `Referer` is sent.
#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_without_a_referer() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/header-key"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", "/v2/header-key"))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/header-key"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&api)
        .await;
    let client = client(&api, |b| b.credential(SECRET));
    client.with_header_key().await.expect("the redirect was followed");
    let received = api.received_requests().await.unwrap();
    assert_eq!(received.iter().map(|r| r.url.path()).collect::<Vec<_>>(), ["/header-key", "/v2/header-key"]);
    let moved = &received[1];
    assert_eq!(moved.headers.get("x-api-key").map(|v| v.as_bytes()), Some(SECRET.as_bytes()));
    assert!(moved.headers.get("referer").is_none(), "a Referer was sent: {:?}", moved.headers);
}

/// `Debug` of the builder and the client never shows a credential set as a default header
/// (whether it is named as a credential, by a security scheme of the API, or contains a
/// credential word), nor the credential itself or a password in the base URL; other default
/// headers show.
#[test]
fn debug_output_shows_no_credential() {
    let builder = || {
        Client::builder()
            .base_url("http://partner:url-password-0451@127.0.0.1:1")
            .credential(SECRET)
            .default_header("X-API-Key", format!("{SECRET}-api-key"))
            .default_header("x-partner", format!("{SECRET}-scheme-header"))
            .default_header("Authorization", format!("Bearer {SECRET}-authorization"))
            .default_header("Cookie", format!("sid={SECRET}-cookie"))
            .default_header("X-Session-Id", format!("{SECRET}-session"))
            .default_header("X-Upstream-Token", format!("{SECRET}-token"))
            .default_header("X-Tenant", "acme-tenant")
    };
    let client = builder().build().unwrap();
    let texts = [
        format!("{:?}", builder()),
        format!("{:#?}", builder()),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.http_client()),
    ];
    for text in &texts {
        assert!(!text.contains(SECRET), "a credential shows in Debug output: {text}");
        assert!(!text.contains("url-password-0451"), "the base URL's password shows in Debug output: {text}");
    }
    for text in &texts[..4] {
        assert!(text.contains("acme-tenant"), "other default headers show: {text}");
    }
}

/// A token endpoint that hands out `tok_1`, `tok_2`, ... (each valid for `expires_in` seconds)
/// to the client `partner` with secret `SECRET` (HTTP Basic), and an API that takes only the
/// newest token.
async fn oauth_servers(expires_in: u64) -> (MockServer, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let server = MockServer::start().await;
    let issued = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(wiremock::matchers::header("authorization", format!("Basic {BASIC_BASE64}").as_str()))
        .and(wiremock::matchers::body_string("grant_type=client_credentials&scope=read"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"access_token": format!("tok_{n}"), "token_type": "Bearer", "expires_in": expires_in}),
            )
        })
        .mount(&server)
        .await;
    let newest = issued.clone();
    Mock::given(method("GET"))
        .and(path("/oauth"))
        .respond_with(move |req: &Request| {
            let expected = format!("Bearer tok_{}", newest.load(Ordering::SeqCst));
            match req.headers.get("authorization").and_then(|v| v.to_str().ok()) {
                Some(got) if got == expected => ResponseTemplate::new(200).set_body_json(serde_json::json!({"scope": "read"})),
                _ => ResponseTemplate::new(401),
            }
        })
        .mount(&server)
        .await;
    (server, issued)
}

fn oauth_client(server: &MockServer) -> Client {
    client(server, |b| {
        b.client_credentials("partner", SECRET)
            .token_url(format!("{}/token", server.uri()))
            .scope("read")
    })
}

#[tokio::test]
async fn client_credentials_fetch_one_token_and_reuse_it() {
    assert_eq!(fixture_security_schemes::OAUTH2_TOKEN_URL, Some("https://auth.example.com/token"));
    let (server, issued) = oauth_servers(3600).await;
    let client = oauth_client(&server);
    for _ in 0..3 {
        assert_eq!(client.with_oauth().await.unwrap().scope, "read");
    }
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 1, "one token for three calls");
    let shown = format!("{client:?}");
    assert!(!shown.contains(SECRET) && !shown.contains("tok_1"), "{shown}");
}

#[tokio::test]
async fn client_credentials_refresh_an_expired_or_rejected_token() {
    // `expires_in: 10` is within the 30 seconds' margin: every call fetches a new token.
    let (server, issued) = oauth_servers(10).await;
    let client = oauth_client(&server);
    client.with_oauth().await.unwrap();
    client.with_oauth().await.unwrap();
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 2);
    // A token the API rejects (another client took a newer one) is replaced once, on the 401.
    let (server, issued) = oauth_servers(3600).await;
    let first = oauth_client(&server);
    let second = oauth_client(&server);
    first.with_oauth().await.unwrap();
    second.with_oauth().await.unwrap();
    assert_eq!(first.with_oauth().await.unwrap().scope, "read", "the 401 made it fetch tok_3");
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 3);
}

/// A throwaway self-signed client certificate (P-256) and its key, for `identity`.
const IDENTITY_PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBkjCCATegAwIBAgIUecXX1gf8GjTb43xvRZbuAUPK9SswCgYIKoZIzj0EAwIw\nHTEbMBkGA1UEAwwSc2RrZ2VuIHRlc3QgY2xpZW50MCAXDTI2MTIwNTEyMzUyNloY\nDzIxMjYxMTExMTIzNTI2WjAdMRswGQYDVQQDDBJzZGtnZW4gdGVzdCBjbGllbnQw\nWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASjI6/ejhWZXKjr7XZ/ZaImVikguAKl\nfKjOSMyTWwQg1Dp6wDmS+RodtyQK3Vfwu9I9RHo3lmdtZcrCz/erfTQbo1MwUTAd\nBgNVHQ4EFgQUURDb21LKLiJmyLoM557UTNpbM90wHwYDVR0jBBgwFoAUURDb21LK\nLiJmyLoM557UTNpbM90wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBG\nAiEAnrboMMAJSsSBXPX7XJzdyoBFhOs0rn8a8hvFICcAPC4CIQCBKmjLYSX2Iy1r\nVfvYaHQXtBySez/qfJh9oFaR0CJDjA==\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfEnnRID0OTYk6F4i\n7hlzyhLHIFtz9RQz/HVIltJXUCKhRANCAASjI6/ejhWZXKjr7XZ/ZaImVikguAKl\nfKjOSMyTWwQg1Dp6wDmS+RodtyQK3Vfwu9I9RHo3lmdtZcrCz/erfTQb\n-----END PRIVATE KEY-----\n";

/// A `mutualTLS` scheme is the connection's: the certificate is set once on the builder
/// (redacted in `Debug`), and the request carries no credential for it.
#[tokio::test]
async fn a_client_certificate_is_set_on_the_builder_and_sends_no_header() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/certificate"))
        .respond_with(|req: &Request| {
            let leaked = req.headers.contains_key("authorization")
                || req.headers.contains_key("x-api-key")
                || req.url.query().is_some_and(|q| q.contains(SECRET));
            ResponseTemplate::new(if leaked { 400 } else { 204 })
        })
        .expect(1)
        .mount(&api)
        .await;
    let identity = fixture_security_schemes::reqwest::Identity::from_pem(IDENTITY_PEM.as_bytes()).unwrap();
    let builder = Client::builder().base_url(api.uri()).credential(SECRET).identity(identity);
    let debug = format!("{builder:?}");
    assert!(debug.contains("identity: Some(<redacted>)") && !debug.contains("PRIVATE"), "{debug}");
    let client = builder.build().unwrap();
    client.with_certificate().await.unwrap();
}
