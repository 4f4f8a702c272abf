//! GraphQL over HTTP as the spec asks: POST and GET at `/graphql`, the response
//! media type negotiated from `Accept`, 400 for request errors under
//! `application/graphql-response+json`, 405 for mutations over GET, 415 for POST
//! bodies that are not JSON.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerError, Value};
use serde::{Deserialize, Serialize};
use service::Actor;

use crate::allowlist::AllowList;
use crate::auth::{AuthError, Authenticator, ClaimsChecks};
use crate::guard::{Guard, Refusal};
use crate::schema::{self, AppSchema, AppState, RequestId};
use tracing::Instrument;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// What the handlers share.
pub struct GraphqlState {
    pub schema: AppSchema,
    /// When set, only these operations run.
    pub allow_list: Option<AllowList>,
    pub auth: Authenticator,
    pub app: AppState,
    /// Most operations accepted in one batched POST.
    pub max_batch: usize,
    /// The bounds every document passes before it runs.
    pub guard: Guard,
    /// Automatic persisted queries: operation texts by their SHA-256.
    pub persisted: std::sync::Mutex<lru::LruCache<String, String>>,
    /// Token claims checked against the database, remembered briefly.
    pub claims: ClaimsChecks,
    /// Longest a request may run.
    pub request_timeout: Duration,
    /// Largest response body.
    pub max_response_bytes: usize,
    /// Most errors in one response.
    pub max_errors: usize,
    /// Counters for `/metrics`.
    pub stats: HttpStats,
}

/// What happened to requests, for `/metrics`.
#[derive(Debug, Default)]
pub struct HttpStats {
    /// Refused by a bound before running.
    pub refused: AtomicU64,
    /// Stopped at `REQUEST_TIMEOUT`.
    pub timed_out: AtomicU64,
    /// Dropped because the client went away.
    pub cancelled: AtomicU64,
    /// Answers refused for their size.
    pub too_large: AtomicU64,
}

/// Persisted-query texts remembered at most.
pub const PERSISTED_QUERIES: usize = 1024;

/// The response media type chosen from `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type: the acceptable type with the highest quality,
/// `application/graphql-response+json` winning ties; `application/json` when the
/// header is missing or only wildcards match. `None` when nothing acceptable.
fn negotiate(req: &HttpRequest) -> Option<MediaType> {
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

fn error_body(message: &str, code: &str) -> String {
    serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })
        .to_string()
}

fn reject(status: StatusCode, media: MediaType, message: &str, code: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(media.content_type())
        .body(error_body(message, code))
}

/// True for errors raised before execution (parse, validation, variables): the
/// response then has no data and no error has a path.
fn is_request_error(resp: &Response) -> bool {
    resp.data == Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty())
}

/// A response as sent: no `data` for request errors, at most `max_errors`
/// errors (the rest summed up in one more).
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<std::borrow::Cow<'a, ServerError>>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, Value>,
}

impl<'a> Body<'a> {
    fn of(resp: &'a Response, max_errors: usize) -> Self {
        let mut errors: Vec<_> = resp
            .errors
            .iter()
            .take(max_errors)
            .map(std::borrow::Cow::Borrowed)
            .collect();
        if resp.errors.len() > max_errors {
            let more = Refusal::limit(
                "MAX_ERRORS",
                format!(
                    "{} more errors were left out of this response",
                    resp.errors.len() - max_errors
                ),
            );
            errors.push(std::borrow::Cow::Owned(more.into_server_error()));
        }
        Body {
            data: (!is_request_error(resp)).then_some(&resp.data),
            errors,
            extensions: &resp.extensions,
        }
    }
}

/// A writer that refuses to grow past its limit: a response too large to
/// send is never built whole.
struct Capped {
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

/// What a request produced: one response or a batch of them.
enum Answer {
    Single(Response),
    Batch(Vec<Response>),
}

/// A response of one error raised before anything ran.
fn refused(refusal: Refusal) -> Response {
    Response::from_errors(vec![refusal.into_server_error()])
}

fn respond(state: &GraphqlState, media: MediaType, answer: Answer, id: &RequestId) -> HttpResponse {
    let (status, serialized) = {
        let mut out = Capped {
            buf: Vec::with_capacity(1024),
            max: state.max_response_bytes,
        };
        match &answer {
            Answer::Single(resp) => {
                let status = if media == MediaType::GraphqlResponse && is_request_error(resp) {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::OK
                };
                let written = serde_json::to_writer(&mut out, &Body::of(resp, state.max_errors));
                (status, written.map(|()| out.buf))
            }
            Answer::Batch(resps) => {
                let bodies: Vec<_> = resps
                    .iter()
                    .map(|r| Body::of(r, state.max_errors))
                    .collect();
                let written = serde_json::to_writer(&mut out, &bodies);
                (StatusCode::OK, written.map(|()| out.buf))
            }
        }
    };
    let (status, body) = match serialized {
        Ok(body) => (status, body),
        Err(_) => {
            state.stats.too_large.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(request_id = %id.0, "response refused: larger than MAX_RESPONSE_BYTES");
            let refusal = Refusal::limit(
                "MAX_RESPONSE_BYTES",
                format!(
                    "the answer would be larger than {} bytes; ask for smaller pages or fewer fields",
                    state.max_response_bytes
                ),
            );
            let resp = refused(refusal);
            let status = if media == MediaType::GraphqlResponse {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            let body = serde_json::to_vec(&Body::of(&resp, state.max_errors)).unwrap_or_default();
            (status, body)
        }
    };
    HttpResponse::build(status)
        .content_type(media.content_type())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-request-id", id.0.clone()))
        .body(body)
}

/// The actor the request's credentials stand for.
async fn authenticate(state: &GraphqlState, req: &HttpRequest) -> Result<Actor, AuthError> {
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

/// 401 for a credential that does not verify.
fn unauthenticated(media: MediaType, err: &AuthError) -> HttpResponse {
    if *err == AuthError::Unavailable {
        return reject(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            "service unavailable",
            "UNAVAILABLE",
        );
    }
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
        .content_type(media.content_type())
        .body(error_body(&err.to_string(), "UNAUTHENTICATED"))
}

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

fn request_id(req: &HttpRequest) -> RequestId {
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
    let res = next.call(req).await?;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let mut res = if graphql && (status.is_client_error() || status.is_server_error()) && !is_json {
        let (code, message) = match status {
            StatusCode::PAYLOAD_TOO_LARGE => {
                ("LIMIT_EXCEEDED", "the request body is larger than 1 MiB")
            }
            StatusCode::METHOD_NOT_ALLOWED => ("BAD_USER_INPUT", "use GET or POST"),
            StatusCode::UNAUTHORIZED => ("UNAUTHENTICATED", "authentication failed"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "BAD_USER_INPUT",
                "the request body must be application/json",
            ),
            s if s.is_server_error() => ("INTERNAL", "internal error"),
            _ => ("BAD_USER_INPUT", "the request is malformed"),
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

/// In allow-list mode, the operations with their texts from the list; `None`
/// when an operation is not on it.
fn admit(state: &GraphqlState, requests: Vec<Request>) -> Option<Vec<Request>> {
    let Some(list) = &state.allow_list else {
        return Some(requests);
    };
    requests.into_iter().map(|r| list.admit(r)).collect()
}

fn not_persisted(media: MediaType) -> HttpResponse {
    reject(
        StatusCode::FORBIDDEN,
        media,
        "only persisted operations may run on this server",
        "FORBIDDEN",
    )
}

/// An operation that passed the guard.
struct Prepared {
    request: Request,
    cost: u64,
    /// The operation to run is a mutation or subscription.
    writes: bool,
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Automatic persisted queries (Apollo's protocol): a request names its text
/// by SHA-256, and sends the text once when the server does not know it. The
/// text is resolved here, before the guard, and remembered only once it has
/// passed the guard. Returns the hash to remember the text under.
fn persisted(state: &GraphqlState, request: &mut Request) -> Result<Option<String>, Refusal> {
    let Some(extension) = request.extensions.remove("persistedQuery") else {
        return Ok(None);
    };
    let invalid = || {
        Refusal::bad_input("the `persistedQuery` extension must be `{ version: 1, sha256Hash }`")
    };
    let Value::Object(fields) = extension else {
        return Err(invalid());
    };
    if fields.get("version") != Some(&Value::from(1)) {
        return Err(invalid());
    }
    let Some(Value::String(hash)) = fields.get("sha256Hash") else {
        return Err(invalid());
    };
    let hash = hash.to_ascii_lowercase();
    if request.query.is_empty() {
        let known = state
            .persisted
            .lock()
            .ok()
            .and_then(|mut cache| cache.get(&hash).cloned());
        return match known {
            Some(query) => {
                request.query = query;
                Ok(None)
            }
            None => Err(Refusal::bad_input("PersistedQueryNotFound")),
        };
    }
    if sha256_hex(&request.query) != hash {
        return Err(Refusal::bad_input("provided sha does not match query"));
    }
    Ok(Some(hash))
}

/// True when the operation the request selects is a mutation or subscription.
fn selects_write(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    let ty = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    };
    matches!(
        ty,
        Some(OperationType::Mutation | OperationType::Subscription)
    )
}

/// Resolves, parses and checks one operation: nothing runs before this passes.
fn prepare(state: &GraphqlState, mut request: Request) -> Result<Prepared, Refusal> {
    let remember = persisted(state, &mut request)?;
    if request.query.trim().is_empty() {
        return Err(Refusal::bad_input("the `query` parameter is required"));
    }
    let doc = state.guard.parse(&request.query)?;
    let cost = state.guard.check(&doc, &request.variables)?;
    if let Some(hash) = remember
        && let Ok(mut cache) = state.persisted.lock()
    {
        cache.put(hash, request.query.clone());
    }
    let writes = selects_write(&doc, request.operation_name.as_deref());
    request.set_parsed_query(doc);
    Ok(Prepared {
        request,
        cost,
        writes,
    })
}

/// Counts a request the client abandoned: actix drops the handler's future
/// when the connection closes, and with it everything the request was doing.
struct InFlight<'a> {
    stats: &'a HttpStats,
    done: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.stats.cancelled.fetch_add(1, Ordering::Relaxed);
            tracing::info!("request cancelled: the client went away");
        }
    }
}

/// Runs the prepared operations, one after another, within `REQUEST_TIMEOUT`.
async fn execute(
    state: &GraphqlState,
    items: Vec<Result<Prepared, Refusal>>,
    batch: bool,
    actor: Actor,
    id: &RequestId,
) -> Answer {
    let mut in_flight = InFlight {
        stats: &state.stats,
        done: false,
    };
    let work = async {
        let mut responses = Vec::with_capacity(items.len());
        for item in items {
            let response = match item {
                Ok(prepared) => {
                    // Every operation gets its own DataLoader (and so its own batches).
                    let (actor, loader) = schema::request_data(&state.app, actor.clone());
                    let request = prepared.request.data(actor).data(loader).data(id.clone());
                    state.schema.execute(request).await
                }
                Err(refusal) => {
                    state.stats.refused.fetch_add(1, Ordering::Relaxed);
                    refused(refusal)
                }
            };
            responses.push(response);
        }
        responses
    };
    let span = tracing::info_span!("request", id = %id.0);
    let outcome = tokio::time::timeout(state.request_timeout, work.instrument(span)).await;
    in_flight.done = true;
    let mut responses = match outcome {
        Ok(responses) => responses,
        Err(_) => {
            state.stats.timed_out.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(request_id = %id.0, "request stopped at REQUEST_TIMEOUT");
            let refusal = Refusal::limit(
                "REQUEST_TIMEOUT",
                format!(
                    "the request ran longer than {} and was stopped; ask for less",
                    humantime::format_duration(state.request_timeout)
                ),
            );
            return Answer::Single(refused(refusal));
        }
    };
    if batch {
        Answer::Batch(responses)
    } else {
        Answer::Single(responses.pop().unwrap_or_default())
    }
}

/// Prepares the operations, refuses a batch over its total cost, then runs them.
async fn run(
    state: &GraphqlState,
    media: MediaType,
    requests: Vec<Request>,
    via: Via,
    actor: Actor,
    req: &HttpRequest,
) -> HttpResponse {
    let id = request_id(req);
    let items: Vec<_> = requests.into_iter().map(|r| prepare(state, r)).collect();
    // GET runs queries only, whether named by text or by a persisted hash:
    // the document, parsed once, tells.
    if via == Via::Get && matches!(items.first(), Some(Ok(Prepared { writes: true, .. }))) {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "POST"))
            .content_type(media.content_type())
            .body(error_body(
                "mutations and subscriptions must use POST",
                "BAD_USER_INPUT",
            ));
    }
    let batch = via == Via::Batch;
    if batch {
        let total = items
            .iter()
            .filter_map(|i| i.as_ref().ok())
            .fold(0u64, |sum, p| sum.saturating_add(p.cost));
        if let Err(refusal) = state.guard.check_batch(total) {
            state.stats.refused.fetch_add(1, Ordering::Relaxed);
            return respond(state, media, Answer::Single(refused(refusal)), &id);
        }
    }
    let answer = execute(state, items, batch, actor, &id).await;
    respond(state, media, answer, &id)
}

/// How the operations came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// One operation by POST.
    Post,
    /// A batch by POST.
    Batch,
    /// One operation by GET: queries only.
    Get,
}

/// A request body as a list of operations; the message says what is wrong
/// without naming internal types or echoing the body.
fn operations(body: &[u8]) -> Result<(Vec<Request>, bool), String> {
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

/// `POST /graphql`.
pub async fn post(
    state: web::Data<GraphqlState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return reject(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "Accept must allow application/graphql-response+json or application/json",
            "BAD_USER_INPUT",
        );
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(JSON) {
        return reject(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "the request body must be application/json",
            "BAD_USER_INPUT",
        );
    }
    let (requests, batch) = match operations(&body) {
        Ok(parsed) => parsed,
        Err(message) => {
            return reject(StatusCode::BAD_REQUEST, media, &message, "BAD_USER_INPUT");
        }
    };
    let missing_query =
        |r: &Request| r.query.trim().is_empty() && !r.extensions.contains_key("persistedQuery");
    if requests.iter().any(missing_query) {
        return reject(
            StatusCode::BAD_REQUEST,
            media,
            "the `query` parameter is required",
            "BAD_USER_INPUT",
        );
    }
    if requests.is_empty() {
        return reject(
            StatusCode::BAD_REQUEST,
            media,
            "the batch is empty",
            "BAD_USER_INPUT",
        );
    }
    if requests.len() > state.max_batch {
        return reject(
            StatusCode::BAD_REQUEST,
            media,
            &format!("a batch may hold at most {} operations", state.max_batch),
            "LIMIT_EXCEEDED",
        );
    }
    let actor = match authenticate(&state, &req).await {
        Ok(actor) => actor,
        Err(err) => return unauthenticated(media, &err),
    };
    let Some(requests) = admit(&state, requests) else {
        return not_persisted(media);
    };
    let via = if batch { Via::Batch } else { Via::Post };
    run(&state, media, requests, via, actor, &req).await
}

/// The parameters of a GET request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// A GET parameter that must hold a JSON object (or null) when present.
fn json_object_param(raw: Option<String>) -> Result<Option<serde_json::Value>, ()> {
    match raw.map(|raw| serde_json::from_str::<serde_json::Value>(&raw)) {
        None => Ok(None),
        Some(Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Null))) => Ok(Some(v)),
        Some(_) => Err(()),
    }
}

/// `GET /graphql`: queries only.
pub async fn get(state: web::Data<GraphqlState>, req: HttpRequest) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return reject(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "Accept must allow application/graphql-response+json or application/json",
            "BAD_USER_INPUT",
        );
    };
    let params = match web::Query::<GetParams>::from_query(req.query_string()) {
        Ok(params) => params.into_inner(),
        Err(_) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "malformed query string",
                "BAD_USER_INPUT",
            );
        }
    };
    let query = params.query.filter(|q| !q.trim().is_empty());
    let variables = match json_object_param(params.variables) {
        Ok(v) => v,
        Err(()) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "`variables` must be a JSON object",
                "BAD_USER_INPUT",
            );
        }
    };
    let extensions = match json_object_param(params.extensions) {
        Ok(v) => v,
        Err(()) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "`extensions` must be a JSON object",
                "BAD_USER_INPUT",
            );
        }
    };
    // A persisted operation may be named by its hash alone.
    let persisted = matches!(&extensions, Some(serde_json::Value::Object(map)) if map.contains_key("persistedQuery"));
    if query.is_none() && !persisted {
        return reject(
            StatusCode::BAD_REQUEST,
            media,
            "the `query` parameter is required",
            "BAD_USER_INPUT",
        );
    }
    let mut request = Request::new(query.unwrap_or_default());
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = variables {
        request = request.variables(async_graphql::Variables::from_json(variables));
    }
    if let Some(serde_json::Value::Object(map)) = extensions {
        for (key, value) in map {
            if let Ok(value) = Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
    }
    let actor = match authenticate(&state, &req).await {
        Ok(actor) => actor,
        Err(err) => return unauthenticated(media, &err),
    };
    let Some(requests) = admit(&state, vec![request]) else {
        return not_persisted(media);
    };
    run(&state, media, requests, Via::Get, actor, &req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accepting(accept: Option<&str>) -> Option<MediaType> {
        let mut req = TestRequest::default();
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        negotiate(&req.to_http_request())
    }

    #[test]
    fn the_graphql_media_type_wins_ties_and_json_is_the_default() {
        assert_eq!(accepting(None), Some(MediaType::Json));
        assert_eq!(accepting(Some("")), Some(MediaType::Json));
        assert_eq!(accepting(Some("*/*")), Some(MediaType::Json));
        assert_eq!(
            accepting(Some("application/json, application/graphql-response+json")),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            accepting(Some(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(MediaType::Json)
        );
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(accepting(Some("text/html")), None);
        assert_eq!(accepting(Some("application/json;q=0")), None);
    }

    #[test]
    fn request_ids_are_plain_tokens_or_fresh() {
        let mut headers = header::HeaderMap::new();
        let name = header::HeaderName::from_static("x-request-id");
        headers.insert(name.clone(), header::HeaderValue::from_static("trace-42_a"));
        assert_eq!(new_request_id(&headers).0, "trace-42_a");
        headers.insert(name, header::HeaderValue::from_static("evil\"quote"));
        let fresh = new_request_id(&headers).0;
        assert_eq!(fresh.len(), 32);
        assert!(fresh.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
