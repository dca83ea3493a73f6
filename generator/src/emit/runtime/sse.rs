//! Server-sent events: the streaming calls of operations whose responses are event streams.
//!
//! An operation's builder has `stream()` when its success response is offered as
//! `text/event-stream` (or the API description declares a stream otherwise). Awaiting it sends
//! the request and, once a success status arrives, returns an [`EventStream`] of the
//! operation's event type; an error status is the operation's usual [`Error`].
//!
//! The body is read chunk by chunk as it arrives and parsed as the HTML standard's
//! `text/event-stream` format: lines end with CRLF, LF or CR; a blank line ends an event;
//! `data` lines are joined with newlines; `event`, `id` and `retry` fields are kept; comment
//! lines (`:`) and unknown fields are skipped; a leading byte order mark is dropped; an event
//! that the end of the stream cuts short is discarded. Each event's `data` is decoded into the
//! event type (JSON, or kept as text for `String` events); a `data` of `[DONE]` ends the stream.
//!
//! A stream has no total timeout (an ordinary call has the client's, 60 s by default): the
//! client's read timeout (5 minutes by default) bounds the wait for the response and for each
//! next chunk, so a stalled connection ends the stream with an error.
#![allow(dead_code)]

use crate::error::{Error, RawResponse};
use crate::runtime::{Received, ResponseFuture, SendError};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The longest event (its `data` lines and the line being read) a stream accepts: a server that
/// never ends a line or an event cannot make the client hold more than this.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// An item of an [`EventStream`] that is not an event.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// An event whose `data` does not decode into the event type. The stream goes on.
    Decode {
        /// The event's `event` field (its type), when it had one.
        event: Option<String>,
        /// The event's `data`, as received.
        data: String,
        /// What the decoder found wrong.
        source: serde_json::Error,
    },
    /// Reading the stream failed (the connection broke, or no bytes came within the client's
    /// read timeout). The stream ends.
    Transport(reqwest::Error),
    /// An event or a line longer than [`MAX_EVENT_BYTES`]. The stream ends.
    TooLarge,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Decode { event, data, source } => {
                let snippet: String = data.chars().take(512).collect();
                match event {
                    Some(event) => write!(f, "could not decode a `{event}` event ({source}): {snippet}"),
                    None => write!(f, "could not decode an event ({source}): {snippet}"),
                }
            }
            StreamError::Transport(e) => write!(f, "reading the event stream failed: {e}"),
            StreamError::TooLarge => write!(f, "an event is larger than {MAX_EVENT_BYTES} bytes"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Decode { source, .. } => Some(source),
            StreamError::Transport(e) => Some(e),
            StreamError::TooLarge => None,
        }
    }
}

/// One event as parsed, before its `data` is decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ServerEvent {
    /// The `event` field; `None` for the default type (`message`).
    pub(crate) event: Option<String>,
    /// The `data` lines, joined with `\n`.
    pub(crate) data: String,
    /// The last event id at this event (ids carry over to the events after them).
    pub(crate) id: Option<String>,
}

/// The `text/event-stream` parser: bytes in, as they arrive, complete events out.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// The line read so far.
    line: Vec<u8>,
    /// The last chunk ended with CR: an LF starting the next one belongs to that line end.
    after_cr: bool,
    /// Whether a line was completed yet (a byte order mark can only start the first).
    started: bool,
    data: String,
    /// Whether a `data` field was seen in the event being read (its data may be empty).
    has_data: bool,
    event: Option<String>,
    /// The last `retry` field (the reconnection time the server asks for, in milliseconds).
    retry: Option<u64>,
    last_id: Option<String>,
}

impl Parser {
    /// Reads a chunk; complete events are added to `out`. `Err` when an event or a line
    /// exceeds [`MAX_EVENT_BYTES`].
    pub(crate) fn push(&mut self, chunk: &[u8], out: &mut VecDeque<ServerEvent>) -> Result<(), StreamError> {
        let mut rest = chunk;
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        while let Some(end) = rest.iter().position(|b| *b == b'\n' || *b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out);
            self.line = line;
            self.line.clear();
            let skip = match rest.get(end + 1) {
                Some(b'\n') if rest[end] == b'\r' => 2,
                None if rest[end] == b'\r' => {
                    self.after_cr = true;
                    1
                }
                _ => 1,
            };
            rest = &rest[end + skip..];
            self.check_size()?;
        }
        self.line.extend_from_slice(rest);
        self.check_size()
    }

    fn check_size(&self) -> Result<(), StreamError> {
        if self.line.len() + self.data.len() > MAX_EVENT_BYTES {
            Err(StreamError::TooLarge)
        } else {
            Ok(())
        }
    }

    fn line_done(&mut self, line: &[u8], out: &mut VecDeque<ServerEvent>) {
        let mut line = line;
        if !self.started {
            self.started = true;
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (field, value) = match line.iter().position(|b| *b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.has_data = true;
                self.data.push_str(&value);
            }
            b"event" => self.event = Some(value.into_owned()),
            b"id" if !value.contains('\0') => self.last_id = Some(value.into_owned()),
            b"retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
    }

    /// A blank line: the event read so far is complete (an event without `data` is dropped,
    /// as browsers do, but its `id` counts).
    fn dispatch(&mut self, out: &mut VecDeque<ServerEvent>) {
        let event = self.event.take().filter(|e| !e.is_empty());
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        out.push_back(ServerEvent { event, data: std::mem::take(&mut self.data), id: self.last_id.clone() });
    }

}

/// Decodes an event's JSON `data` into `T` (read into a `serde_json::Value` first, as response
/// bodies are).
pub(crate) fn json<T: DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str::<serde_json::Value>(data).and_then(T::deserialize)
}

/// An event's `data` as text (events typed as strings).
pub(crate) fn text(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_string())
}

/// The read of the next chunk in flight: it owns the response and gives it back.
type Read = Pin<Box<dyn Future<Output = (reqwest::Response, reqwest::Result<Option<bytes::Bytes>>)> + Send>>;

enum ReadState {
    Idle(reqwest::Response),
    Reading(Read),
    Done,
}

/// The events of one streaming call, decoded into `T` as they arrive: a
/// [`futures_core::Stream`] of `Result<T, StreamError>`, also readable without any stream
/// library through [`EventStream::next_event`].
///
/// A `data` that does not decode is a [`StreamError::Decode`] item, and the stream goes on; a
/// transport error is the last item. The stream ends when the server closes it or sends
/// `data: [DONE]`. Dropping it closes the connection.
#[must_use = "a stream does nothing unless its events are read"]
pub struct EventStream<T> {
    state: ReadState,
    parser: Parser,
    ready: VecDeque<ServerEvent>,
    /// The id in force at the last event returned (the parser may have read further).
    last_id: Option<String>,
    decode: fn(&str) -> Result<T, serde_json::Error>,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
}

impl<T> EventStream<T> {
    pub(crate) fn new(response: reqwest::Response, decode: fn(&str) -> Result<T, serde_json::Error>) -> Self {
        EventStream {
            status: response.status(),
            headers: response.headers().clone(),
            state: ReadState::Idle(response),
            parser: Parser::default(),
            ready: VecDeque::new(),
            last_id: None,
            decode,
        }
    }

    /// The next item, or `None` at the end of the stream.
    pub async fn next_event(&mut self) -> Option<Result<T, StreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_event(cx)).await
    }

    /// The id of the last event returned (its `id` field, which later events keep), to resume
    /// a stream where the API supports `Last-Event-ID`.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref().filter(|id| !id.is_empty())
    }

    /// The reconnection time the server asked for (its last `retry` field).
    pub fn retry(&self) -> Option<std::time::Duration> {
        self.parser.retry.map(std::time::Duration::from_millis)
    }

    /// The status of the response.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The headers of the response.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, StreamError>>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                self.last_id = event.id;
                if event.data == "[DONE]" {
                    self.state = ReadState::Done;
                    self.ready.clear();
                    return Poll::Ready(None);
                }
                let item = (self.decode)(&event.data).map_err(|source| StreamError::Decode {
                    event: event.event,
                    data: event.data,
                    source,
                });
                return Poll::Ready(Some(item));
            }
            match std::mem::replace(&mut self.state, ReadState::Done) {
                ReadState::Done => return Poll::Ready(None),
                ReadState::Idle(mut response) => {
                    self.state = ReadState::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                ReadState::Reading(mut read) => match read.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = ReadState::Reading(read);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        if let Err(e) = self.parser.push(&chunk, &mut self.ready) {
                            self.ready.clear();
                            return Poll::Ready(Some(Err(e)));
                        }
                        self.state = ReadState::Idle(response);
                    }
                    // The end: an event without its blank line is incomplete, and dropped.
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(e))) => {
                        // The URL can carry an API key in its query string: never keep it.
                        return Poll::Ready(Some(Err(StreamError::Transport(e.without_url()))));
                    }
                },
            }
        }
    }
}

impl<T> futures_core::Stream for EventStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            ReadState::Idle(_) | ReadState::Reading(_) => "open",
            ReadState::Done => "ended",
        };
        f.debug_struct("EventStream").field("status", &self.status).field("state", &state).finish_non_exhaustive()
    }
}

/// The exchange of a streaming call in flight, boxed (one type for every operation).
type Opening<'a> = Pin<Box<dyn Future<Output = Result<Received, SendError>> + Send + 'a>>;

/// The future of a streaming call (what `.stream()` on a request builder returns): it sends the
/// request and resolves to the [`EventStream`] once a success status arrives, or to the
/// operation's [`Error`] (a documented error status decodes as for the plain call). Dropping
/// it cancels the call.
#[must_use = "a call does nothing until it is awaited"]
pub struct StreamFuture<'a, T, E> {
    state: OpenState<'a, T, E>,
}

/// The operation's decoder of a response that is not a stream: `Err` for a documented error.
type Errors<E> = Box<dyn FnOnce(RawResponse) -> Result<(), Error<E>> + Send>;

enum OpenState<'a, T, E> {
    Sending(Opening<'a>, Errors<E>, fn(&str) -> Result<T, serde_json::Error>),
    /// The request could not be built; the error is returned on the first poll.
    Invalid(Box<Error<E>>),
    Done,
}

impl<'a, T, E: 'static> StreamFuture<'a, T, E> {
    /// The plain `call` (`send()`) as a streaming call: the same request, with `flag: true` set
    /// in its body when the API asks for events that way (see `Request::body_flag`). A
    /// response whose status is not a success decodes as the plain call's does; `decode` decodes
    /// one event's `data`.
    pub(crate) fn new<O: 'static>(
        call: ResponseFuture<'a, O, E>,
        flag: Option<&'static str>,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> Self {
        let state = match call.into_request() {
            Ok((mut request, errors)) => {
                if let Some(flag) = flag {
                    request.body_flag(flag);
                }
                match request.take_invalid() {
                    None => {
                        let errors: Errors<E> = Box::new(move |raw| errors(raw).map(|_| ()));
                        OpenState::Sending(request.open_stream(), errors, decode)
                    }
                    Some(why) => OpenState::Invalid(Box::new(Error::InvalidRequest(why))),
                }
            }
            Err(e) => OpenState::Invalid(Box::new(e)),
        };
        StreamFuture { state }
    }
}

impl<T, E> fmt::Debug for StreamFuture<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            OpenState::Sending(..) => "sending",
            OpenState::Invalid(_) => "invalid request",
            OpenState::Done => "done",
        };
        f.debug_struct("StreamFuture").field("state", &state).finish()
    }
}

impl<T, E> Future for StreamFuture<'_, T, E> {
    type Output = Result<EventStream<T>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let sent = match &mut this.state {
            OpenState::Sending(exchange, ..) => match exchange.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(sent) => Some(sent),
            },
            _ => None,
        };
        Poll::Ready(match (std::mem::replace(&mut this.state, OpenState::Done), sent) {
            (OpenState::Sending(_, _, decode), Some(Ok(Received::Streaming(response)))) => {
                Ok(EventStream::new(response, decode))
            }
            // Not a success: the operation's error, or an undocumented status.
            (OpenState::Sending(_, errors, _), Some(Ok(Received::Complete(raw)))) => match errors(raw.clone()) {
                Err(e) => Err(e),
                Ok(()) => Err(Error::UnexpectedStatus(Box::new(raw))),
            },
            (_, Some(Err(e))) => Err(e.into()),
            (OpenState::Invalid(e), _) => Err(*e),
            _ => panic!("a StreamFuture was polled after it completed"),
        })
    }
}

#[cfg(test)]
mod tests {
    //! The parser against the `text/event-stream` format of the HTML standard.

    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<ServerEvent> {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.push(chunk, &mut out).expect("small events");
        }
        out.into_iter().collect()
    }

    fn data(event: &ServerEvent) -> &str {
        &event.data
    }

    #[test]
    fn fields_comments_and_multi_line_data() {
        let mut parser = Parser::default();
        parser.push(b"retry: 1500\n", &mut VecDeque::new()).expect("small");
        assert_eq!(parser.retry, Some(1500));
        let events = parse(&[b": a comment\nevent: add\nid: 7\nretry: 1500\ndata: first\ndata:second\ndata\n\ndata: x\n\n"]);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].event.as_deref(), Some("add"));
        assert_eq!(events[0].id.as_deref(), Some("7"));
        assert_eq!(data(&events[0]), "first\nsecond\n");
        // The id carries over; the type does not.
        assert_eq!(events[1], ServerEvent { event: None, data: "x".into(), id: Some("7".into()) });
    }

    #[test]
    fn every_line_ending() {
        for text in [&b"data: a\r\n\r\ndata: b\r\n\r\n"[..], b"data: a\r\rdata: b\r\r", b"data: a\n\ndata: b\n\n"] {
            let events = parse(&[text]);
            assert_eq!(events.iter().map(data).collect::<Vec<_>>(), ["a", "b"], "{text:?}");
        }
    }

    #[test]
    fn events_split_anywhere() {
        let text = b"\xEF\xBB\xBFevent: e\r\ndata: {\"a\": \"\xC3\xA9\"}\r\n\r\n: ping\r\ndata: 2\r\n\r\n";
        let whole = parse(&[text]);
        assert_eq!(whole.len(), 2);
        assert_eq!(data(&whole[0]), "{\"a\": \"é\"}");
        assert_eq!(whole[0].event.as_deref(), Some("e"));
        for i in 0..text.len() {
            for j in i..text.len() {
                assert_eq!(parse(&[&text[..i], &text[i..j], &text[j..]]), whole, "split at {i} and {j}");
            }
        }
    }

    #[test]
    fn byte_order_mark_only_first() {
        let events = parse(&[b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n"]);
        assert_eq!(events.len(), 1, "the second BOM makes an unknown field");
        assert_eq!(data(&events[0]), "a");
    }

    #[test]
    fn ignored_lines() {
        // No data: no event. Unknown fields, bad retry values and ids with NUL are ignored; a
        // field without a colon has an empty value; only one space after the colon is removed.
        let events = parse(&[b"event: x\n\nfoo: bar\nretry: 1x\nid: a\0b\ndata:  two spaces\n\n"]);
        assert_eq!(events, [ServerEvent { event: None, data: " two spaces".into(), id: None }]);
        assert_eq!(parse(&[b"data\n\n"]), [ServerEvent::default()]);
    }

    #[test]
    fn incomplete_event_is_dropped() {
        assert!(parse(&[b"data: cut short"]).is_empty());
        assert!(parse(&[b"data: cut short\n"]).is_empty());
    }

    #[test]
    fn oversized_event_is_an_error() {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        let line = vec![b'a'; MAX_EVENT_BYTES + 1];
        assert!(matches!(parser.push(&line, &mut out), Err(StreamError::TooLarge)));
    }
}
