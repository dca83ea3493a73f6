//! Webhook signatures: HMAC-SHA256 over content the API defines, compared in constant time.
//!
//! The same for every API (copied into each generated crate, behind the `webhooks` feature, and
//! re-exported by the `webhook` module); [`HmacSha256Verifier`] says how to use it.

use crate::Secret;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far a signed timestamp may be from the current time unless configured: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The length of an HMAC-SHA256 in bytes.
const SIGNATURE_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// How a signature's bytes are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// 64 hex digits, either case.
    Hex,
    /// Base64, standard or URL-safe alphabet, with or without padding.
    Base64,
}

/// The signing key, never shown by `Debug`.
#[derive(Clone)]
struct Key(Vec<u8>);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Verifies HMAC-SHA256 webhook signatures, compared in constant time.
///
/// APIs sign webhooks in different ways; the verifier is configured with what differs:
///
/// - what is signed: the caller passes the signed content in pieces, hashed in order
///   (`[timestamp, b".", body]`), so nothing is copied;
/// - how the signature is written: hex (the default) or base64 ([`Encoding`]), after an optional
///   prefix such as `sha256=` or `v1=` ([`HmacSha256Verifier::prefix`]), possibly several in one
///   header separated by a character ([`HmacSha256Verifier::separator`]; any one matching is
///   enough, for secret rotation);
/// - whether a timestamp is signed: [`HmacSha256Verifier::verify_timestamped`] also checks that
///   it is within a tolerance of the current time ([`DEFAULT_TOLERANCE`], 5 minutes).
///
/// | API | signature | signed content |
/// | --- | --- | --- |
/// | GitHub | `X-Hub-Signature-256: sha256=<hex>` | the body |
/// | Slack | `X-Slack-Signature: v0=<hex>` | `v0:<timestamp>:<body>` |
/// | Standard Webhooks | `webhook-signature: v1,<base64> ...` (key: the base64 secret decoded) | `<id>.<timestamp>.<body>` |
///
/// GitHub's, for example:
///
/// ```ignore
/// let verifier = HmacSha256Verifier::new(secret).prefix("sha256=");
/// verifier.verify(signature_header, &[body])?;
/// ```
///
/// Verify the raw body bytes, before any parsing: JSON that was parsed and written again does
/// not verify. `Debug` output never shows the key. Cheap to clone; build one per secret and
/// share it.
#[derive(Clone, Debug)]
pub struct HmacSha256Verifier {
    key: Key,
    prefix: String,
    encoding: Encoding,
    separator: Option<char>,
    tolerance: Duration,
}

impl HmacSha256Verifier {
    /// A verifier whose key is the secret's text as bytes (what most APIs show in their
    /// dashboard), reading one hex signature without prefix, with the [`DEFAULT_TOLERANCE`].
    ///
    /// An empty secret is accepted here but makes every verification fail with
    /// [`SignatureError::EmptySecret`], so an unset configuration value cannot become a key
    /// anyone can sign with.
    pub fn new(secret: impl Into<Secret>) -> Self {
        HmacSha256Verifier::from_key_bytes(secret.into().expose().as_bytes().to_vec())
    }

    /// A verifier with a key given as bytes, for APIs whose secret is an encoded key (Standard
    /// Webhooks' `whsec_<base64>` is the base64 of the key).
    pub fn from_key_bytes(key: impl Into<Vec<u8>>) -> Self {
        HmacSha256Verifier {
            key: Key(key.into()),
            prefix: String::new(),
            encoding: Encoding::Hex,
            separator: None,
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Signatures are written after this prefix (`sha256=`, `v1=`); entries with another
    /// prefix are ignored (other schemes). Case-sensitive.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How signatures are written ([`Encoding::Hex`] unless set).
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The signature header may hold several entries separated by `separator` (`,` or ` `),
    /// each trimmed of spaces. One valid signature among them is enough; entries of other
    /// schemes and malformed entries beside a well-formed one are ignored.
    pub fn separator(mut self, separator: char) -> Self {
        self.separator = Some(separator);
        self
    }

    /// How far (in whole seconds) a signed timestamp may be from the current time, in either
    /// direction. Older requests are rejected as replays; requests from the future point at a
    /// wrong clock.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The configured timestamp tolerance.
    pub fn current_tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks that one of the signatures in `signature_header` is the HMAC-SHA256 of the
    /// concatenation of `signed` (compared in constant time).
    ///
    /// # Errors
    ///
    /// A [`SignatureError`] saying what is wrong; do not process the request.
    pub fn verify(&self, signature_header: &str, signed: &[&[u8]]) -> Result<(), SignatureError> {
        if self.key.0.is_empty() {
            return Err(SignatureError::EmptySecret);
        }
        let candidates = self.parse_signatures(signature_header)?;
        let mac = self.mac(signed);
        // `verify_slice` compares in constant time; it consumes the MAC, hence the clones.
        if candidates.iter().any(|candidate| mac.clone().verify_slice(candidate).is_ok()) {
            Ok(())
        } else {
            Err(SignatureError::SignatureMismatch)
        }
    }

    /// [`HmacSha256Verifier::verify`], then checks that `timestamp` (Unix seconds in ASCII
    /// digits, part of what the API signs) is within the tolerance of the current time. Returns
    /// the timestamp.
    ///
    /// # Errors
    ///
    /// A [`SignatureError`]; the timing errors ([`SignatureError::StaleTimestamp`],
    /// [`SignatureError::FutureTimestamp`]) only for genuine signatures.
    pub fn verify_timestamped(
        &self,
        signature_header: &str,
        signed: &[&[u8]],
        timestamp: &str,
    ) -> Result<u64, SignatureError> {
        self.verify_timestamped_at(signature_header, signed, timestamp, SystemTime::now())
    }

    /// [`HmacSha256Verifier::verify_timestamped`] with an explicit current time, for tests and
    /// replays of recorded requests.
    ///
    /// # Errors
    ///
    /// As [`HmacSha256Verifier::verify_timestamped`].
    pub fn verify_timestamped_at(
        &self,
        signature_header: &str,
        signed: &[&[u8]],
        timestamp: &str,
        now: SystemTime,
    ) -> Result<u64, SignatureError> {
        if self.key.0.is_empty() {
            return Err(SignatureError::EmptySecret);
        }
        let timestamp_secs = parse_unix_seconds(timestamp)?;
        self.verify(signature_header, signed)?;
        let now_secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let tolerance = self.tolerance.as_secs();
        if now_secs >= timestamp_secs {
            let age_secs = now_secs - timestamp_secs;
            if age_secs > tolerance {
                return Err(SignatureError::StaleTimestamp { age_secs });
            }
        } else {
            let ahead_secs = timestamp_secs - now_secs;
            if ahead_secs > tolerance {
                return Err(SignatureError::FutureTimestamp { ahead_secs });
            }
        }
        Ok(timestamp_secs)
    }

    /// The signature of `signed`, written as this verifier reads it (prefix and encoding), to
    /// test a webhook handler with requests signed like the API's.
    pub fn sign(&self, signed: &[&[u8]]) -> String {
        let bytes = self.mac(signed).finalize().into_bytes();
        let encoded = match self.encoding {
            Encoding::Hex => bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            Encoding::Base64 => encode_base64(&bytes),
        };
        [self.prefix.as_str(), &encoded].concat()
    }

    fn mac(&self, signed: &[&[u8]]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key.0).expect("invariant: HMAC accepts keys of any length");
        for piece in signed {
            mac.update(piece);
        }
        mac
    }

    /// The well-formed signatures of a header value; none at all is
    /// [`SignatureError::MalformedSignature`].
    fn parse_signatures(&self, header: &str) -> Result<Vec<[u8; SIGNATURE_LEN]>, SignatureError> {
        // Without a separator no character splits: the header is one entry.
        let separator = self.separator;
        let signatures: Vec<[u8; SIGNATURE_LEN]> = header
            .split(|c| Some(c) == separator)
            .filter_map(|entry| {
                let value = entry.trim().strip_prefix(self.prefix.as_str())?;
                match self.encoding {
                    Encoding::Hex => decode_hex(value.trim()),
                    Encoding::Base64 => decode_base64(value.trim()),
                }
            })
            .collect();
        if signatures.is_empty() {
            Err(SignatureError::MalformedSignature)
        } else {
            Ok(signatures)
        }
    }
}

/// Unix seconds written as ASCII digits only (no sign, no spaces, no fraction).
///
/// # Errors
///
/// [`SignatureError::MalformedTimestamp`].
pub fn parse_unix_seconds(timestamp: &str) -> Result<u64, SignatureError> {
    if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::MalformedTimestamp);
    }
    timestamp.parse().map_err(|_| SignatureError::MalformedTimestamp)
}

/// Exactly `2 * SIGNATURE_LEN` hex digits (either case) as bytes.
fn decode_hex(text: &str) -> Option<[u8; SIGNATURE_LEN]> {
    fn nibble(digit: u8) -> Option<u8> {
        match digit {
            b'0'..=b'9' => Some(digit - b'0'),
            b'a'..=b'f' => Some(digit - b'a' + 10),
            b'A'..=b'F' => Some(digit - b'A' + 10),
            _ => None,
        }
    }
    let digits = text.as_bytes();
    if digits.len() != 2 * SIGNATURE_LEN {
        return None;
    }
    let mut out = [0u8; SIGNATURE_LEN];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 (standard or URL-safe, padding optional) of exactly `SIGNATURE_LEN` bytes.
fn decode_base64(text: &str) -> Option<[u8; SIGNATURE_LEN]> {
    fn sextet(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    // 32 bytes are 43 digits and one `=`.
    let digits = text.strip_suffix('=').unwrap_or(text).as_bytes();
    if digits.len() != 43 {
        return None;
    }
    let mut out = [0u8; SIGNATURE_LEN];
    let (mut acc, mut bits, mut at) = (0u32, 0u32, 0usize);
    for &c in digits {
        acc = (acc << 6) | sextet(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            *out.get_mut(at)? = (acc >> bits) as u8;
            at += 1;
            acc &= (1 << bits) - 1;
        }
    }
    // The two bits left over must be zero (one encoding per value).
    (at == SIGNATURE_LEN && acc == 0).then_some(out)
}

fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Why a signature was rejected. No message shows the key or a computed signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The verifier's key is empty, which would let anyone sign.
    EmptySecret,
    /// The signature header has no well-formed entry (prefix and encoding as configured).
    MalformedSignature,
    /// The timestamp is not Unix seconds written as ASCII digits.
    MalformedTimestamp,
    /// No signature matches: another secret, altered content, or a request not from the API.
    SignatureMismatch,
    /// The signature is genuine but older than the tolerance: a replay, a long-delayed
    /// delivery or a wrong clock.
    StaleTimestamp {
        /// How many seconds before the verification time the request was signed.
        age_secs: u64,
    },
    /// The signature is genuine but its timestamp is further in the future than the tolerance.
    FutureTimestamp {
        /// How many seconds after the verification time the request claims to be signed.
        ahead_secs: u64,
    },
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::EmptySecret => f.write_str("the webhook signing secret is empty"),
            SignatureError::MalformedSignature => {
                f.write_str("the webhook signature header has no well-formed signature")
            }
            SignatureError::MalformedTimestamp => {
                f.write_str("the webhook timestamp is not Unix seconds in ASCII digits")
            }
            SignatureError::SignatureMismatch => f.write_str(
                "the webhook signature does not match: check the signing secret and that the raw body \
                 bytes are verified, before any parsing",
            ),
            SignatureError::StaleTimestamp { age_secs } => write!(
                f,
                "the webhook was signed {age_secs} s ago, beyond the allowed tolerance: a replayed or \
                 long-delayed request, or a wrong clock"
            ),
            SignatureError::FutureTimestamp { ahead_secs } => write!(
                f,
                "the webhook timestamp is {ahead_secs} s in the future, beyond the allowed tolerance: \
                 check the clock and that the timestamp is in seconds"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}
