//! GraphQL over HTTP as the spec asks: POST and GET at `/graphql`, the response
//! media type negotiated from `Accept`, 400 for request errors under
//! `application/graphql-response+json`, 405 for mutations over GET, 415 for POST
//! bodies that are not JSON.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, BatchResponse, Request, Response, Value};
use serde::Deserialize;
use service::Actor;

use crate::allowlist::AllowList;
use crate::auth::{AuthError, Authenticator};
use crate::schema::read_only::ReadOnly;
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
}

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

fn response_json(resp: &Response) -> serde_json::Value {
    let mut body = serde_json::to_value(resp).unwrap_or_else(|_| serde_json::json!({}));
    if is_request_error(resp)
        && let Some(object) = body.as_object_mut()
    {
        object.remove("data");
    }
    body
}

fn respond(media: MediaType, batch: BatchResponse, id: &RequestId) -> HttpResponse {
    let (status, body) = match &batch {
        BatchResponse::Single(resp) => {
            let status = if media == MediaType::GraphqlResponse && is_request_error(resp) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            (status, response_json(resp))
        }
        BatchResponse::Batch(resps) => (
            StatusCode::OK,
            serde_json::Value::Array(resps.iter().map(response_json).collect()),
        ),
    };
    HttpResponse::build(status)
        .content_type(media.content_type())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-request-id", id.0.clone()))
        .body(body.to_string())
}

/// The actor the request's credentials stand for.
fn authenticate(state: &GraphqlState, req: &HttpRequest) -> Result<Actor, AuthError> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    state.auth.actor(header)
}

/// 401 for a credential that does not verify.
fn unauthenticated(media: MediaType, err: &AuthError) -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
        .content_type(media.content_type())
        .body(error_body(&err.to_string(), "UNAUTHENTICATED"))
}

/// The id of a request: the client's `x-request-id` when it is a plain token,
/// else a fresh one. It is logged with every line of the request and returned
/// with internal errors, so a report can be matched to the log.
fn request_id(req: &HttpRequest) -> RequestId {
    let given = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .filter(|v| {
            v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    RequestId(given.map_or_else(|| format!("{:032x}", fastrand::u128(..)), str::to_owned))
}

/// In allow-list mode, the batch with each operation's text from the list;
/// `None` when an operation is not on it.
fn admit(state: &GraphqlState, batch: BatchRequest) -> Option<BatchRequest> {
    let Some(list) = &state.allow_list else {
        return Some(batch);
    };
    match batch {
        BatchRequest::Single(r) => list.admit(r).map(BatchRequest::Single),
        BatchRequest::Batch(rs) => rs
            .into_iter()
            .map(|r| list.admit(r))
            .collect::<Option<Vec<_>>>()
            .map(BatchRequest::Batch),
    }
}

fn not_persisted(media: MediaType) -> HttpResponse {
    reject(
        StatusCode::FORBIDDEN,
        media,
        "only persisted operations may run on this server",
        "FORBIDDEN",
    )
}

async fn execute(
    state: &GraphqlState,
    batch: BatchRequest,
    actor: Actor,
    id: &RequestId,
) -> BatchResponse {
    // Every operation gets its own DataLoader (and so its own batches).
    let prepare = |request: Request| {
        let (actor, loader) = schema::request_data(&state.app, actor.clone());
        request.data(actor).data(loader).data(id.clone())
    };
    let batch = match batch {
        BatchRequest::Single(request) => BatchRequest::Single(prepare(request)),
        BatchRequest::Batch(requests) => {
            BatchRequest::Batch(requests.into_iter().map(prepare).collect())
        }
    };
    let span = tracing::info_span!("request", id = %id.0);
    state.schema.execute_batch(batch).instrument(span).await
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
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(err) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                &format!("the request body is not a GraphQL request: {err}"),
                "BAD_USER_INPUT",
            );
        }
    };
    let missing_query =
        |r: &Request| r.query.trim().is_empty() && !r.extensions.contains_key("persistedQuery");
    let any_missing = match &batch {
        BatchRequest::Single(request) => missing_query(request),
        BatchRequest::Batch(requests) => requests.iter().any(missing_query),
    };
    if any_missing {
        return reject(
            StatusCode::BAD_REQUEST,
            media,
            "the `query` parameter is required",
            "BAD_USER_INPUT",
        );
    }
    if let BatchRequest::Batch(requests) = &batch {
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
    }
    let actor = match authenticate(&state, &req) {
        Ok(actor) => actor,
        Err(err) => return unauthenticated(media, &err),
    };
    let Some(batch) = admit(&state, batch) else {
        return not_persisted(media);
    };
    let id = request_id(&req);
    respond(media, execute(&state, batch, actor, &id).await, &id)
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

/// True when the operation the request selects is a mutation (or subscription).
fn is_write(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
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
    if query
        .as_deref()
        .is_some_and(|q| is_write(q, params.operation_name.as_deref()))
    {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "POST"))
            .content_type(media.content_type())
            .body(error_body(
                "mutations and subscriptions must use POST",
                "BAD_USER_INPUT",
            ));
    }
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
    let mut request = Request::new(query.unwrap_or_default()).data(ReadOnly);
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
    let actor = match authenticate(&state, &req) {
        Ok(actor) => actor,
        Err(err) => return unauthenticated(media, &err),
    };
    let Some(batch) = admit(&state, BatchRequest::Single(request)) else {
        return not_persisted(media);
    };
    let id = request_id(&req);
    respond(media, execute(&state, batch, actor, &id).await, &id)
}
