//! Request ids: taken from `X-Request-Id` when it is a plain token, else
//! fresh; echoed on every answer and carried into the logs.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

use super::response::{MediaType, error_body};
use crate::schema::RequestId;

/// The id of a request: the client's `x-request-id` when it is a plain token,
/// else a fresh one. It is logged with every line of the request, returned on
/// every response, and with internal errors, so a report can be matched to
/// the log. [`with_request_id`] sets it on each request first.
pub fn new_request_id(headers: &header::HeaderMap) -> RequestId {
    let given = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .filter(|v| {
            v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    RequestId(given.map_or_else(|| format!("{:032x}", fastrand::u128(..)), str::to_owned))
}

pub(super) fn request_id(req: &HttpRequest) -> RequestId {
    req.extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(|| new_request_id(req.headers()))
}

/// Middleware: every response carries `x-request-id`, and a refusal on
/// `/graphql` that actix made itself (405, 413, a failed extractor) becomes a
/// GraphQL-shaped JSON error with an `extensions.code`.
pub async fn with_request_id(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let id = new_request_id(req.headers());
    req.extensions_mut().insert(id.clone());
    let graphql = req.path() == "/graphql";
    let state = req
        .app_data::<actix_web::web::Data<super::GraphqlState>>()
        .cloned();
    let in_flight = state
        .as_ref()
        .filter(|_| graphql)
        .map(|state| state.meters.in_flight());
    let started = std::time::Instant::now();
    let path = req.path().to_owned();
    let span = tracing::info_span!(
        "request",
        otel.name = %format!("{} {}", req.method(), path),
        otel.kind = "server",
        request_id = %id.0,
        operation = tracing::field::Empty,
        operation_type = tracing::field::Empty,
        role = tracing::field::Empty,
        outcome = tracing::field::Empty,
        status = tracing::field::Empty,
    );
    crate::telemetry::continue_trace(&span, req.headers());
    let res = {
        use tracing::Instrument;
        next.call(req).instrument(span.clone()).await?
    };
    drop(in_flight);
    let status = res.status();
    if let Some(state) = &state {
        state.meters.http_status(status.as_u16());
        let summary = res.request().extensions().get::<super::Summary>().cloned();
        let summary = match summary {
            Some(summary) => Some(summary),
            // Refused before an operation was read (or upgraded to a WebSocket).
            None if graphql && status != StatusCode::SWITCHING_PROTOCOLS => {
                let outcome = status_code(status).to_ascii_lowercase();
                state.meters.operation(
                    "",
                    crate::metrics::OperationType::Unknown,
                    &outcome,
                    started.elapsed(),
                );
                Some(super::Summary {
                    kind: "unknown",
                    role: "",
                    outcome,
                    ..super::Summary::default()
                })
            }
            None => None,
        };
        span.record("status", status.as_u16());
        if let Some(summary) = &summary {
            span.record("operation", summary.operation.as_str());
            span.record("operation_type", summary.kind);
            span.record("role", summary.role);
            span.record("outcome", summary.outcome.as_str());
        }
        log_request(&id, &path, status, started.elapsed(), summary.as_ref());
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let mut res = if graphql && (status.is_client_error() || status.is_server_error()) && !is_json {
        let code = status_code(status);
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than 1 MiB",
            StatusCode::METHOD_NOT_ALLOWED => "use GET or POST",
            StatusCode::UNAUTHORIZED => "authentication failed",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "the request body must be application/json",
            StatusCode::SERVICE_UNAVAILABLE => "service unavailable",
            s if s.is_server_error() => "internal error",
            _ => "the request is malformed",
        };
        let mut rewritten = HttpResponse::build(status);
        if status == StatusCode::METHOD_NOT_ALLOWED {
            rewritten.insert_header((header::ALLOW, "GET, POST"));
        }
        let rewritten = rewritten
            .content_type(MediaType::Json.content_type())
            .body(error_body(message, code));
        res.into_response(rewritten).map_into_right_body()
    } else {
        res.map_into_left_body()
    };
    if !res.headers().contains_key("x-request-id")
        && let Ok(value) = header::HeaderValue::from_str(&id.0)
    {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// The error code a refusal with `status` carries.
fn status_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT => "LIMIT_EXCEEDED",
        StatusCode::UNAUTHORIZED => "UNAUTHENTICATED",
        StatusCode::FORBIDDEN => "FORBIDDEN",
        StatusCode::TOO_MANY_REQUESTS => "RATE_LIMITED",
        StatusCode::SERVICE_UNAVAILABLE => "UNAVAILABLE",
        s if s.is_server_error() => "INTERNAL",
        _ => "BAD_USER_INPUT",
    }
}

/// The line that ends a request: its id, path, status and duration, and for
/// `/graphql` its operation, type, role, outcome and SQL statements. Never a
/// variable's value, a token or personal data. Scrapes and probes log at
/// debug level.
fn log_request(
    id: &RequestId,
    path: &str,
    status: StatusCode,
    elapsed: std::time::Duration,
    summary: Option<&super::Summary>,
) {
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    let status = status.as_u16();
    match summary {
        Some(summary) => tracing::info!(
            target: "api::request",
            request_id = %id.0,
            path,
            status,
            duration_ms,
            operation = %summary.operation,
            operation_type = summary.kind,
            role = summary.role,
            outcome = %summary.outcome,
            statements = summary.statements,
            "request"
        ),
        None => tracing::debug!(
            target: "api::request",
            request_id = %id.0,
            path,
            status,
            duration_ms,
            "request"
        ),
    }
}
