//! Answers: the negotiated media type, request-error bodies, the JSON body
//! written with a size cap, and the status code a result gets.

use std::sync::atomic::Ordering;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use async_graphql::{Response, ServerError, Value};
use serde::Serialize;
use service::Actor;

use super::GraphqlState;

pub(super) const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
pub(super) const JSON: &str = "application/json";
use crate::auth::AuthError;
use crate::schema::RequestId;
use guard::Refusal;

/// The response media type chosen from `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    pub(super) fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type: the acceptable type with the highest quality,
/// `application/graphql-response+json` winning ties; `application/json` when the
/// header is missing or only wildcards match. `None` when nothing acceptable.
pub(super) fn negotiate(req: &HttpRequest) -> Option<MediaType> {
    let Some(accept) = req.headers().get(header::ACCEPT) else {
        return Some(MediaType::Json);
    };
    let accept = accept.to_str().ok()?;
    if accept.trim().is_empty() {
        return Some(MediaType::Json);
    }
    let mut best: Option<(f32, u8, MediaType)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if quality <= 0.0 {
            continue;
        }
        // Rank: explicit graphql-response+json > explicit json > wildcard (json).
        let (rank, media) = match range.as_str() {
            GRAPHQL_RESPONSE => (3, MediaType::GraphqlResponse),
            JSON => (2, MediaType::Json),
            "application/*" | "*/*" => (1, MediaType::Json),
            _ => continue,
        };
        if best.is_none_or(|(q, r, _)| quality > q || (quality == q && rank > r)) {
            best = Some((quality, rank, media));
        }
    }
    best.map(|(_, _, media)| media)
}

pub(super) fn error_body(message: &str, code: &str) -> String {
    serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })
        .to_string()
}

pub(super) fn reject(
    status: StatusCode,
    media: MediaType,
    message: &str,
    code: &str,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(media.content_type())
        .body(error_body(message, code))
}

/// True for errors raised before execution (parse, validation, variables): the
/// response then has no data and no error has a path.
pub(super) fn is_request_error(resp: &Response) -> bool {
    resp.data == Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty())
}

/// A field error refusing a field the caller may not read.
pub(super) fn is_forbidden(error: &async_graphql::ServerError) -> bool {
    !error.path.is_empty()
        && error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .is_some_and(|code| *code == Value::from("FORBIDDEN"))
}

/// A response as sent: no `data` for request errors, at most `max_errors`
/// errors (the rest summed up in one more).
#[derive(Serialize)]
pub(super) struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<std::borrow::Cow<'a, ServerError>>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, Value>,
}

impl<'a> Body<'a> {
    fn of(resp: &'a Response, max_errors: usize) -> Self {
        // Resolvers finish in any order: the errors kept are the first in
        // the order of the answer, the same on every run.
        let mut ordered: Vec<_> = resp.errors.iter().collect();
        if resp.errors.len() > 1 {
            ordered.sort_by_cached_key(|e| position(&resp.data, &e.path));
        }
        let errors = capped(ordered.into_iter(), max_errors);
        Body {
            data: (!is_request_error(resp)).then_some(&resp.data),
            errors,
            extensions: &resp.extensions,
        }
    }
}

/// At most `max` errors, and one that says how many more were left out.
fn capped<'a>(
    errors: impl ExactSizeIterator<Item = &'a ServerError>,
    max: usize,
) -> Vec<std::borrow::Cow<'a, ServerError>> {
    let total = errors.len();
    let mut kept: Vec<_> = errors.take(max).map(std::borrow::Cow::Borrowed).collect();
    if total > max {
        kept.push(std::borrow::Cow::Owned(left_out(total - max)));
    }
    kept
}

/// The error that says `more` errors were left out of a response.
fn left_out(more: usize) -> ServerError {
    Refusal::limit(
        "MAX_ERRORS",
        format!("{more} more errors were left out of this response"),
    )
    .into_server_error()
}

/// Where `path` lies in the answer `data`, as the index of each step (a
/// key's place in its object, an item's in its list): errors sort in the
/// order their fields are answered. Steps past the answer count as last.
fn position(data: &Value, path: &[async_graphql::PathSegment]) -> Vec<usize> {
    use async_graphql::PathSegment;
    let mut at = Some(data);
    path.iter()
        .map(|step| {
            let (index, next) = match (at, step) {
                (Some(Value::Object(map)), PathSegment::Field(name)) => map
                    .get_index_of(name.as_str())
                    .map_or((usize::MAX, None), |i| (i, map.get(name.as_str()))),
                (Some(Value::List(items)), PathSegment::Index(i)) => (*i, items.get(*i)),
                (_, PathSegment::Index(i)) => (*i, None),
                _ => (usize::MAX, None),
            };
            at = next;
            index
        })
        .collect()
}

/// A writer that refuses to grow past its limit: a response too large to
/// send is never built whole.
pub(super) struct Capped {
    buf: Vec<u8>,
    max: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + bytes.len() > self.max {
            return Err(std::io::Error::other("response too large"));
        }
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One operation's result: a response from the resolvers, or the `data`
/// object's JSON text from a one-statement read (no errors by construction).
pub(super) enum Reply {
    Resolved(Response),
    /// A one-statement answer's `data` (JSON text).
    Data(String),
    /// A one-statement answer's `data` with the refused fields placed, in
    /// the answer's order: their errors are written from the plan's
    /// refusals.
    Refused(
        String,
        std::sync::Arc<[crate::schema::compile::Refusal]>,
        crate::schema::compile::Placed,
    ),
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        Reply::Resolved(response)
    }
}

impl Reply {
    /// `ok`, or the code of the first error (in lower case), for `/metrics`
    /// and the request's log line.
    pub(super) fn outcome(&self) -> String {
        let code = |error: &ServerError| {
            error
                .extensions
                .as_ref()
                .and_then(|e| e.get("code"))
                .and_then(|code| match code {
                    Value::String(code) => Some(code.to_ascii_lowercase()),
                    _ => None,
                })
                .unwrap_or_else(|| "internal".to_owned())
        };
        match self {
            Reply::Data(_) => "ok".to_owned(),
            Reply::Refused(_, refusals, placed) => placed
                .first()
                .and_then(|n| refusals.get(n))
                .map_or_else(|| "ok".to_owned(), |refusal| code(&refusal.error)),
            Reply::Resolved(resp) => resp.errors.first().map_or_else(|| "ok".to_owned(), code),
        }
    }

    fn is_request_error(&self) -> bool {
        matches!(self, Reply::Resolved(resp) if is_request_error(resp))
    }

    /// Nothing was read or written because the database could not be
    /// reached: every error is `UNAVAILABLE` and no field has a value.
    fn unavailable(&self) -> bool {
        let Reply::Resolved(resp) = self else {
            return false;
        };
        let empty = match &resp.data {
            Value::Null => true,
            Value::Object(fields) => fields.values().all(|v| *v == Value::Null),
            _ => false,
        };
        empty
            && !resp.errors.is_empty()
            && resp.errors.iter().all(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|e| e.get("code"))
                    .is_some_and(|code| *code == Value::from("UNAVAILABLE"))
            })
    }

    /// Writes the body of this reply.
    fn write(&self, out: &mut Capped, max_errors: usize) -> std::io::Result<()> {
        use std::io::Write;
        match self {
            Reply::Resolved(resp) => {
                serde_json::to_writer(&mut *out, &Body::of(resp, max_errors)).map_err(Into::into)
            }
            Reply::Data(data) => {
                out.write_all(b"{\"data\":")?;
                write_compact(out, data.as_bytes())?;
                out.write_all(b"}")
            }
            // `place` wrote the answer compact already.
            Reply::Refused(data, refusals, placed) => {
                out.write_all(b"{\"data\":")?;
                out.write_all(data.as_bytes())?;
                out.write_all(b",\"errors\":[")?;
                let written = placed.write_json(refusals, out, max_errors)?;
                if placed.len() > written {
                    if written > 0 {
                        out.write_all(b",")?;
                    }
                    serde_json::to_writer(&mut *out, &left_out(placed.len() - written))?;
                }
                out.write_all(b"]}")
            }
        }
    }
}

/// Copies JSON text without the whitespace between tokens (PostgreSQL's
/// `json` output spaces its separators), so that the answer reads as the
/// resolvers write it.
fn write_compact(out: &mut Capped, json: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, &byte) in json.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
        } else if matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
            out.write_all(&json[start..i])?;
            start = i + 1;
        }
    }
    out.write_all(&json[start..])
}

/// What a request produced: one reply or a batch of them.
pub(super) enum Answer {
    Single(Reply),
    Batch(Vec<Reply>),
}

/// A response of one error raised before anything ran.
pub(super) fn refused(refusal: Refusal) -> Response {
    Response::from_errors(vec![refusal.into_server_error()])
}

/// The body of an answer refused for its size, counted and logged.
fn too_large(state: &GraphqlState, id: &RequestId) -> Vec<u8> {
    state.stats.too_large.fetch_add(1, Ordering::Relaxed);
    tracing::warn!(request_id = %id.0, "response refused: larger than MAX_RESPONSE_BYTES");
    let refusal = Refusal::limit(
        "MAX_RESPONSE_BYTES",
        format!(
            "the answer would be larger than {} bytes; ask for smaller pages or fewer fields",
            state.max_response_bytes
        ),
    );
    serde_json::to_vec(&Body::of(&refused(refusal), state.max_errors)).unwrap_or_default()
}

/// The JSON of one reply (within `MAX_RESPONSE_BYTES`, else the refusal), and
/// whether it is a request error (nothing ran): what a WebSocket sends as the
/// payload of `next`, or of `error`.
pub(super) fn reply_json(state: &GraphqlState, reply: &Reply, id: &RequestId) -> (bool, Vec<u8>) {
    let mut out = Capped {
        buf: Vec::with_capacity(1024),
        max: state.max_response_bytes,
    };
    match reply.write(&mut out, state.max_errors) {
        Ok(()) => (reply.is_request_error(), out.buf),
        Err(_) => (true, too_large(state, id)),
    }
}

/// What a request produced: one reply or a batch of them.
pub(super) fn respond(
    state: &GraphqlState,
    media: MediaType,
    answer: Answer,
    id: &RequestId,
) -> HttpResponse {
    if let Answer::Single(reply) = &answer
        && reply.unavailable()
    {
        return unavailable(media, state.retry_after_secs);
    }
    let (status, serialized) = {
        let mut out = Capped {
            buf: Vec::with_capacity(1024),
            max: state.max_response_bytes,
        };
        match &answer {
            Answer::Single(reply) => {
                let status = if media == MediaType::GraphqlResponse && reply.is_request_error() {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::OK
                };
                let written = reply.write(&mut out, state.max_errors);
                (status, written.map(|()| out.buf))
            }
            Answer::Batch(replies) => {
                let written = (|| {
                    use std::io::Write;
                    out.write_all(b"[")?;
                    for (i, reply) in replies.iter().enumerate() {
                        if i > 0 {
                            out.write_all(b",")?;
                        }
                        reply.write(&mut out, state.max_errors)?;
                    }
                    out.write_all(b"]")
                })();
                (StatusCode::OK, written.map(|()| out.buf))
            }
        }
    };
    let (status, body) = match serialized {
        Ok(body) => (status, body),
        Err(_) => {
            let status = if media == MediaType::GraphqlResponse {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            (status, too_large(state, id))
        }
    };
    HttpResponse::build(status)
        .content_type(media.content_type())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-request-id", id.0.clone()))
        .body(body)
}

/// The actor the request's credentials stand for.
pub(super) async fn authenticate(
    state: &GraphqlState,
    req: &HttpRequest,
) -> Result<Actor, AuthError> {
    let mut headers = req.headers().get_all(header::AUTHORIZATION);
    let header = headers.next().map(|v| v.to_str().unwrap_or("\u{0}"));
    if headers.next().is_some() {
        return Err(AuthError::Invalid(
            "send one Authorization header, not several",
        ));
    }
    let actor = state.auth.actor(header)?;
    state.claims.verify(&state.app.db, actor).await
}

/// 503 while the database cannot be reached: nothing ran, and the client
/// may try again after `retry_after` seconds.
pub(super) fn unavailable(media: MediaType, retry_after: u64) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type(media.content_type())
        .insert_header((header::RETRY_AFTER, retry_after.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(error_body(
            "the service is unavailable (its database cannot be reached); try again later",
            "UNAVAILABLE",
        ))
}

/// 429 for a caller whose bucket is empty, with the whole seconds until it
/// holds a request again.
pub(super) fn rate_limited(media: MediaType, wait: std::time::Duration) -> HttpResponse {
    let seconds = super::rate::retry_after(wait);
    HttpResponse::TooManyRequests()
        .content_type(media.content_type())
        .insert_header((header::RETRY_AFTER, seconds.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(error_body(
            &format!(
                "too many requests from this caller (RATE_LIMIT_AUTHENTICATED, RATE_LIMIT_ANONYMOUS); try again in {seconds} s"
            ),
            "RATE_LIMITED",
        ))
}

/// 401 for a credential that does not verify.
pub(super) fn unauthenticated(
    state: &GraphqlState,
    media: MediaType,
    err: &AuthError,
) -> HttpResponse {
    if *err == AuthError::Unavailable {
        return unavailable(media, state.retry_after_secs);
    }
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
        .content_type(media.content_type())
        .body(error_body(&err.to_string(), "UNAUTHENTICATED"))
}
