//! Reading a request body: at most [`MAX_BODY_BYTES`], never stalled for
//! longer than the body timeout, and parsed as one operation or a batch.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::Request;
use serde::Deserialize;

use super::response::{self, error_body};

/// A request body as a list of operations; the message says what is wrong
/// without naming internal types or echoing the body.
pub(super) fn operations(body: &[u8]) -> Result<(Vec<Request>, bool), String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Operations {
        Batch(Vec<Request>),
        Single(Box<Request>),
    }
    match serde_json::from_slice::<Operations>(body) {
        Ok(Operations::Single(request)) => Ok((vec![*request], false)),
        Ok(Operations::Batch(requests)) => Ok((requests, true)),
        Err(_) => Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                Err(err) if err.is_syntax() || err.is_eof() => format!(
                    "the request body is not valid JSON (line {}, column {})",
                    err.line(),
                    err.column()
                ),
                Err(_) => "the request body nests JSON too deep".to_owned(),
                Ok(_) => "the request body must be a GraphQL request: an object with a `query` string (and optional `operationName`, `variables`, `extensions` objects), or a list of them".to_owned(),
            },
        ),
    }
}

/// Largest request body (bytes).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Reads a request body of at most [`MAX_BODY_BYTES`], giving up when no byte
/// arrives for `idle`: a client trickling its body holds a connection no
/// longer than that (408, and the connection is closed).
pub(super) async fn read_body(
    mut payload: web::Payload,
    req: &HttpRequest,
    idle: Duration,
) -> Result<web::Bytes, HttpResponse> {
    use futures_util::StreamExt;
    let too_large = || {
        HttpResponse::PayloadTooLarge()
            .content_type(response::JSON)
            .body(error_body(
                &format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
                "LIMIT_EXCEEDED",
            ))
    };
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::with_capacity(announced.unwrap_or(1024).min(64 * 1024));
    loop {
        match tokio::time::timeout(idle, payload.next()).await {
            Err(_) => {
                tracing::info!("request body stalled; answered 408 and closed");
                return Err(HttpResponse::RequestTimeout()
                    .force_close()
                    .content_type(response::JSON)
                    .body(error_body(
                        &format!(
                            "the request body stalled: no byte arrived for {} (REQUEST_BODY_TIMEOUT)",
                            humantime::format_duration(idle)
                        ),
                        "LIMIT_EXCEEDED",
                    )));
            }
            Ok(None) => return Ok(body.freeze()),
            Ok(Some(Err(_))) => {
                return Err(HttpResponse::BadRequest()
                    .force_close()
                    .content_type(response::JSON)
                    .body(error_body(
                        "the request body could not be read",
                        "BAD_USER_INPUT",
                    )));
            }
            Ok(Some(Ok(chunk))) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
        }
    }
}
