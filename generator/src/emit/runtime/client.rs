//! The client: connection settings and credentials shared by every operation.
//!
//! # Security
//!
//! - **Redirects stay within the origin.** A redirect is followed only when its target has the
//!   scheme, host and port of the request it answers (at most 10 in a row); a redirect to any
//!   other origin is not followed, and the `3xx` response is returned as the operation's result
//!   (usually [`Error::UnexpectedStatus`], whose headers keep the `Location`). A redirect policy
//!   only sees URLs, not the request's headers, so it cannot tell whether a request carries a
//!   credential, nor strip one that `reqwest` does not know about (an API key in a custom header
//!   or in the query string): never following across origins is what keeps every credential (the
//!   security schemes' headers, query parameters and cookies, and sensitive default headers) on
//!   the origin it was meant for. An operation whose response points elsewhere (a download on
//!   another host, say) gets that response and can follow the `Location` deliberately.
//! - **No `Referer`.** The client never sends one: on a redirect it would carry the previous URL,
//!   query string (and so a query-string API key) included.
//! - **Sensitive headers.** Default headers that look like credentials (see
//!   [`ClientBuilder::default_header`]) are marked sensitive (`HeaderValue::set_sensitive`), and so
//!   are the security schemes' headers on every request.
//! - **Redacted `Debug`.** [`Secret`], [`ClientBuilder`] and [`Client`] never show a credential
//!   in their `Debug` output: the credential and sensitive headers print as `<redacted>`, and so
//!   does a password in the base URL.
//!
//! These hold for the HTTP clients this crate builds, and for one built from
//! [`Client::http_builder`] (unless the program replaces its redirect policy or turns `Referer`
//! back on). An HTTP client built otherwise and passed to [`ClientBuilder::http_client`] follows
//! its own policy.

use crate::error::Error;
use crate::runtime::SendError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The user agent sent unless one is configured: `<crate>/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A credential. Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

/// When and how often a failed request is sent again.
///
/// A `429 Too Many Requests` is retried for every method (the server did not process it); a
/// `5xx` status or a transport error only for idempotent methods (`GET`, `PUT`, `DELETE`,
/// `HEAD`, `OPTIONS`, `TRACE`), where sending twice cannot do harm. The wait honours
/// `Retry-After` (seconds or an HTTP date) and otherwise backs off exponentially with full
/// jitter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with every further retry.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one returns the error at once.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

/// Redirects followed in a row before the request fails (as `reqwest`'s default policy).
const MAX_REDIRECTS: usize = 10;

/// The redirect policy of the HTTP clients this crate builds: follow a redirect only to the
/// origin (scheme, host and port) of the request, at most [`MAX_REDIRECTS`] in a row; stop at
/// any other, returning the redirect response itself.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        // `previous` holds the URL of every request of the chain so far, the first one included.
        let same_origin = attempt.previous().first().is_some_and(|first| same_origin(first, attempt.url()));
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// Whether two URLs have the same origin: scheme, host and port (a missing port is the scheme's
/// default).
fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// Header names that always carry credentials (lowercase).
const CREDENTIAL_HEADERS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "x-api-key"];

/// A header whose name contains one of these words (in any case) is taken to carry a credential.
const CREDENTIAL_WORDS: [&str; 6] = ["key", "token", "secret", "auth", "session", "password"];

/// Whether a header is treated as a credential: marked sensitive when sent and redacted in
/// `Debug` output. Those are `Authorization`, `Proxy-Authorization`, `Cookie`, `X-API-Key`, every
/// header a security scheme of the API names, and every header whose name contains `key`,
/// `token`, `secret`, `auth`, `session` or `password`, in any case.
pub(crate) fn is_sensitive_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    CREDENTIAL_HEADERS.contains(&name.as_str())
        || crate::SECURITY_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(&name))
        || CREDENTIAL_WORDS.iter().any(|w| name.contains(w))
}

/// Header names and values for `Debug`, sensitive values as `<redacted>`.
struct DebugHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_sensitive_header(name) {
                map.entry(name, &format_args!("<redacted>"));
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// A base URL for `Debug`, its password (if any) redacted.
fn debug_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// The API client. Cheap to clone: clones share one connection pool.
///
/// # Security
///
/// Redirects are followed only within the origin (scheme, host and port) of the request; a
/// redirect to another origin is returned as the response (usually
/// [`Error::UnexpectedStatus`], with its `Location` header), so no credential, in a header, a
/// cookie or the query string, is sent anywhere else. No `Referer` is sent. Default headers that
/// look like credentials are marked sensitive (see [`ClientBuilder::default_header`]), and
/// `Debug` output shows no credential, sensitive header or base-URL password. This holds for
/// the HTTP clients this crate builds and those built from [`Client::http_builder`]; an HTTP
/// client built otherwise and passed to [`ClientBuilder::http_client`] follows its own policy.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) credential: Option<Secret>,
    pub(crate) retry: RetryPolicy,
    /// The total timeout of each ordinary call (none for an injected HTTP client, which keeps
    /// its own); streaming calls have none.
    pub(crate) timeout: Option<Duration>,
    /// The default headers the HTTP client was built with (empty for an injected one), for
    /// `Debug`.
    default_headers: Vec<(String, String)>,
    /// The header the credential goes in on every request, instead of the security schemes.
    pub(crate) credential_header: Option<reqwest::header::HeaderName>,
    /// Called around every attempt of every call.
    pub(crate) hooks: Vec<Arc<dyn crate::Hook>>,
    /// OAuth2 client credentials, exchanged for access tokens as needed.
    pub(crate) oauth: Option<Arc<ClientCredentials>>,
}

/// An OAuth2 client-credentials grant (RFC 6749, section 4.4) and the access token it last
/// gave. The token is fetched before the first call that needs it, and again once it expires
/// (30 seconds early) or after the API answered `401`.
pub(crate) struct ClientCredentials {
    client_id: String,
    client_secret: Secret,
    token_url: String,
    scopes: Vec<String>,
    token: std::sync::Mutex<Option<(Secret, Option<std::time::Instant>)>>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_url", &debug_url(&self.token_url))
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// The current access token, fetched from the token endpoint when there is none or it has
    /// expired.
    pub(crate) async fn token(&self, client: &Client) -> Result<String, SendError> {
        if let Ok(guard) = self.token.lock() {
            if let Some((token, expiry)) = guard.as_ref() {
                if expiry.is_none_or(|e| std::time::Instant::now() < e) {
                    return Ok(token.expose().to_string());
                }
            }
        }
        let url = reqwest::Url::parse(&client.base_url)
            .and_then(|base| base.join(&self.token_url))
            .map_err(|e| SendError::InvalidRequest(format!("invalid OAuth2 token URL `{}`: {e}", debug_url(&self.token_url))))?;
        let mut form = String::from("grant_type=client_credentials");
        if !self.scopes.is_empty() {
            form.push_str("&scope=");
            form.extend(percent_encoding::utf8_percent_encode(&self.scopes.join(" "), percent_encoding::NON_ALPHANUMERIC));
        }
        let mut request = client
            .http
            .post(url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose()))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form);
        if let Some(timeout) = client.timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let token = value.get("access_token").and_then(|t| t.as_str()).filter(|_| status.is_success());
        let Some(token) = token else {
            // The endpoint's own error code (RFC 6749, 5.2), never the body: it may echo secrets.
            let code = value.get("error").and_then(|e| e.as_str()).unwrap_or("no access_token in the response");
            return Err(SendError::InvalidRequest(format!("the OAuth2 token endpoint answered {status}: {code}")));
        };
        let expiry = value.get("expires_in").and_then(|s| s.as_u64()).map(|secs| {
            std::time::Instant::now() + Duration::from_secs(secs.saturating_sub(30).min(u32::MAX as u64))
        });
        if let Ok(mut guard) = self.token.lock() {
            *guard = Some((Secret::new(token), expiry));
        }
        Ok(token.to_string())
    }

    /// Forgets the token (the API rejected it), so that the next call fetches a new one.
    pub(crate) fn forget(&self) {
        if let Ok(mut guard) = self.token.lock() {
            *guard = None;
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The HTTP client's own `Debug` is left out: an injected one may hold credentials
        // (headers not marked sensitive, proxy passwords).
        f.debug_struct("Client")
            .field("base_url", &debug_url(&self.base_url))
            .field("credential", &self.credential)
            .field("default_headers", &DebugHeaders(&self.default_headers))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("credential_header", &self.credential_header)
            .field("hooks", &self.hooks.len())
            .field("oauth", &self.oauth)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the default server with the given credential.
    pub fn new(credential: impl Into<Secret>) -> Self {
        Client::builder()
            .credential(credential)
            .build()
            .expect("invariant: the default configuration is valid")
    }

    /// A client configured from the environment: the credential from the variable named by
    /// [`API_KEY_ENV`](crate::API_KEY_ENV), and the base URL from
    /// [`BASE_URL_ENV`](crate::BASE_URL_ENV) when that is set (the default server otherwise).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the credential's variable is unset, empty or not Unicode,
    /// or the base URL is invalid (the message names the variable, never its value).
    pub fn from_env() -> Result<Self, Error> {
        let key = std::env::var(crate::API_KEY_ENV)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::InvalidRequest(format!("the environment variable `{}` is not set", crate::API_KEY_ENV)))?;
        let mut builder = Client::builder().credential(key);
        if let Some(url) = std::env::var(crate::BASE_URL_ENV).ok().filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// A client without credentials, for operations that need none.
    pub fn unauthenticated() -> Self {
        Client::builder().build().expect("invariant: the default configuration is valid")
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A `reqwest` client builder, for a client to pass to [`ClientBuilder::http_client`].
    ///
    /// It first installs this crate's TLS provider (rustls with `aws-lc-rs`) as the process default,
    /// unless the program installed one: a `reqwest` client built while no provider is installed
    /// panics. It comes with this crate's redirect policy (redirects are followed within the
    /// request's origin only) and sends no `Referer` (see [`Client`](Client#security)).
    pub fn http_builder() -> reqwest::ClientBuilder {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        reqwest::Client::builder().redirect(redirect_policy()).referer(false)
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
}

/// Configures a [`Client`].
///
/// Its `Debug` output shows no credential (see [`Client`](Client#security)).
pub struct ClientBuilder {
    base_url: String,
    credential: Option<Secret>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    user_agent: String,
    default_headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    credential_header: Option<String>,
    hooks: Vec<Arc<dyn crate::Hook>>,
    oauth: Option<(String, Secret)>,
    token_url: Option<String>,
    scopes: Vec<String>,
    identity: Option<reqwest::Identity>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: crate::DEFAULT_BASE_URL.to_string(),
            credential: None,
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(300)),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            default_headers: Vec::new(),
            http: None,
            retry: RetryPolicy::default(),
            credential_header: None,
            hooks: Vec::new(),
            oauth: None,
            token_url: crate::OAUTH2_TOKEN_URL.map(str::to_string),
            scopes: Vec::new(),
            identity: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &debug_url(&self.base_url))
            .field("credential", &self.credential)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &DebugHeaders(&self.default_headers))
            .field("http_client", &self.http.as_ref().map(|_| format_args!("<injected>")))
            .field("retry", &self.retry)
            .field("credential_header", &self.credential_header)
            .field("hooks", &self.hooks.len())
            .field("oauth_client_id", &self.oauth.as_ref().map(|(id, _)| id))
            .field("token_url", &self.token_url.as_deref().map(debug_url))
            .field("scopes", &self.scopes)
            .field("identity", &self.identity.as_ref().map(|_| format_args!("<redacted>")))
            .finish()
    }
}

impl ClientBuilder {
    /// The credential (API key or token) sent as the API's security schemes require.
    pub fn credential(mut self, credential: impl Into<Secret>) -> Self {
        self.credential = Some(credential.into());
        self
    }

    /// Sends the credential in this header on every request, as it is (`x-api-key: <key>`),
    /// instead of as the API's security schemes say: for an API whose description declares no
    /// scheme, or one the crate cannot use. The header is marked sensitive and redacted in
    /// `Debug` output; like every credential it stays within the base URL's origin.
    pub fn credential_header(mut self, name: impl Into<String>) -> Self {
        self.credential_header = Some(name.into());
        self
    }

    /// Authenticates with an OAuth2 client-credentials grant: the client fetches an access token
    /// from the token URL ([`OAUTH2_TOKEN_URL`](crate::OAUTH2_TOKEN_URL), or the one given to
    /// [`ClientBuilder::token_url`]) with this id and secret (HTTP Basic), sends it as a bearer
    /// token, and fetches a new one when it expires or the API answers `401`.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        self.oauth = Some((client_id.into(), client_secret.into()));
        self
    }

    /// The OAuth2 token URL (absolute, or relative to the base URL), instead of the one in the
    /// API description.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// A scope to ask the OAuth2 token endpoint for (none by default: the server's default).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Adds a hook, called around every attempt of every call (see [`Hook`](crate::Hook)), after
    /// the hooks added before it.
    pub fn hook(mut self, hook: impl crate::Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Overrides the base URL (for example a sandbox, a proxy or a test server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// The whole-request timeout of each call (default 60 s), from connecting until the response
    /// is read. Streaming calls (`stream()` on a request builder) have none: their events may
    /// come for as long as the server sends them, and the read timeout bounds the waits. Ignored
    /// with [`ClientBuilder::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The connect timeout (default 10 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest wait for the next bytes of a response (default 5 minutes): for a streaming
    /// call, the wait for the response and between two chunks of its events, the one limit on
    /// a stream that stalls. Ignored with [`ClientBuilder::http_client`].
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `<crate>/<version>`). Ignored with
    /// [`ClientBuilder::http_client`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request. Ignored with [`ClientBuilder::http_client`].
    ///
    /// A header that looks like a credential is marked sensitive (`HeaderValue::set_sensitive`)
    /// and redacted in `Debug` output: `Authorization`, `Proxy-Authorization`, `Cookie`,
    /// `X-API-Key`, every header a security scheme of the API names, and every header whose name
    /// contains `key`, `token`, `secret`, `auth`, `session` or `password`, in any case.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns retries off.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// The client certificate and private key presented in the TLS handshake, for an API that
    /// requires mutual TLS (a `mutualTLS` security scheme):
    /// `reqwest::Identity::from_pem(&pem)` with the PEM-encoded certificate chain and key in one
    /// buffer. With [`ClientBuilder::http_client`], set it on that client instead.
    pub fn identity(mut self, identity: reqwest::Identity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Uses an existing HTTP client (its own timeouts, proxies, headers, redirect policy and
    /// `Referer` setting apply). Build it from [`Client::http_builder`], which keeps redirects
    /// within the request's origin and sends no `Referer`, or install a rustls `CryptoProvider`
    /// before building it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the base URL or a default header is invalid, and
    /// [`Error::Transport`] when the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL `{}`: {e}", debug_url(&self.base_url))))?;
        let credential_header = match &self.credential_header {
            Some(name) => Some(
                reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| Error::InvalidRequest(format!("invalid credential header name `{name}`: {e}")))?,
            ),
            None => None,
        };
        let oauth = match (self.oauth, self.token_url) {
            (Some((client_id, client_secret)), Some(token_url)) => Some(Arc::new(ClientCredentials {
                client_id,
                client_secret,
                token_url,
                scopes: self.scopes,
                token: std::sync::Mutex::new(None),
            })),
            (Some(_), None) => {
                return Err(Error::InvalidRequest(
                    "OAuth2 client credentials need a token URL: the API description has none, set one with `token_url`"
                        .to_string(),
                ))
            }
            (None, _) => None,
        };
        let (http, default_headers, timeout) = match self.http {
            Some(http) => (http, Vec::new(), None),
            None => {
                let mut headers = reqwest::header::HeaderMap::new();
                for (name, value) in &self.default_headers {
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| Error::InvalidRequest(format!("invalid header name `{name}`: {e}")))?;
                    let mut value = reqwest::header::HeaderValue::from_str(value)
                        .map_err(|e| Error::InvalidRequest(format!("invalid value for header `{name}`: {e}")))?;
                    value.set_sensitive(is_sensitive_header(name.as_str()));
                    headers.append(name, value);
                }
                // The process-wide TLS provider: ours unless the program installed its own first.
                let mut builder = Client::http_builder().user_agent(self.user_agent).default_headers(headers);
                // The total timeout is set on each ordinary call (`runtime::Request`), so that it
                // does not cut event streams.
                if let Some(t) = self.connect_timeout {
                    builder = builder.connect_timeout(t);
                }
                if let Some(t) = self.read_timeout {
                    builder = builder.read_timeout(t);
                }
                if let Some(identity) = self.identity {
                    builder = builder.identity(identity);
                }
                (builder.build()?, self.default_headers, self.timeout)
            }
        };
        Ok(Client {
            http,
            base_url: self.base_url,
            credential: self.credential,
            retry: self.retry,
            timeout,
            default_headers,
            credential_header,
            hooks: self.hooks,
            oauth,
        })
    }
}
