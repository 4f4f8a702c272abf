//! GraphQL over HTTP as the spec asks: POST and GET at `/graphql`, the response
//! media type negotiated from `Accept`, 400 for request errors under
//! `application/graphql-response+json`, 405 for mutations over GET, 415 for POST
//! bodies that are not JSON.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use async_graphql::{Request, Value};
use serde::Deserialize;
use service::Actor;

use crate::allowlist::AllowList;
use crate::auth::{Authenticator, ClaimsChecks};
use crate::schema::{self, AppSchema, AppState, RequestId};
use guard::{Guard, Refusal};
use tracing::Instrument;

mod get;
pub use get::*;

pub use body::MAX_BODY_BYTES;
use body::{operations, read_body};

mod body;
mod persisted;
mod planned;
pub mod rate;
mod request_id;
mod response;
pub mod ws;

pub use persisted::{Documents, Persisted};
use persisted::{Prepared, is_not_persisted, not_persisted, prepare};
pub use planned::Plans;
use planned::{one_statement, plans, validate};
use request_id::request_id;
pub use request_id::{new_request_id, with_request_id};
use response::{
    Answer, JSON, MediaType, authenticate, error_body, negotiate, refused, reject, respond,
    unauthenticated,
};

/// What the handlers share.
pub struct GraphqlState {
    pub schema: AppSchema,
    /// Validates a document's first run before it is planned.
    pub validator: AppSchema,
    /// When set, only these operations run.
    pub allow_list: Option<AllowList>,
    pub auth: Authenticator,
    pub app: AppState,
    /// Most operations accepted in one batched POST.
    pub max_batch: usize,
    /// The bounds every document passes before it runs.
    pub guard: Guard,
    /// Parsed documents by their text.
    pub documents: Documents,
    /// Plans by their request and caller.
    pub plans: Plans,
    /// Automatic persisted queries: operation texts by their SHA-256.
    pub persisted: Persisted,
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
    /// Subscriptions running for WebSocket subscribers, shared by those who
    /// ask the same under the same rules.
    pub feeds: ws::Feeds,
    /// The bounds of WebSocket connections.
    pub ws: ws::Limits,
    /// WebSockets open per client address.
    pub sockets: ws::Sockets,
    /// Longest a request body may go without progress.
    pub body_timeout: Duration,
    /// Most pool connections one request holds at once.
    pub connections_per_request: usize,
    /// The share of the pool costly requests run in.
    pub costly: service::db::CostlyLane,
    /// What `/metrics` reports.
    pub meters: crate::metrics::Meters,
    /// `Retry-After` of a 503 while the database is unreachable (seconds).
    pub retry_after_secs: u64,
    /// The callers' token buckets.
    pub rate: rate::RateLimits,
    /// Set when the server begins to stop: WebSockets close with 1001.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

/// The client's address: the peer's, or behind a trusted proxy the one it
/// forwarded for.
pub(crate) fn client_address(state: &GraphqlState, req: &HttpRequest) -> Option<std::net::IpAddr> {
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    let forwarded = (!forwarded.is_empty()).then(|| forwarded.join(","));
    state
        .rate
        .client_address(req.peer_addr().map(|a| a.ip()), forwarded.as_deref())
}

/// The caller, authenticated and within its rate, or the answer refusing
/// it: 401 (503 while the database is down) or 429. A caller whose
/// credentials fail takes from its address's bucket.
async fn admit(
    state: &GraphqlState,
    req: &HttpRequest,
    media: MediaType,
) -> Result<Actor, HttpResponse> {
    let address = client_address(state, req);
    let (actor, refusal) = match authenticate(state, req).await {
        Ok(actor) => (actor, None),
        Err(err) => (
            Actor::anonymous(),
            Some(unauthenticated(state, media, &err)),
        ),
    };
    if let Err(wait) = state.rate.check(&actor, address) {
        return Err(response::rate_limited(media, wait));
    }
    match refusal {
        Some(refusal) => Err(refusal),
        None => Ok(actor),
    }
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
    /// Queries answered by one statement.
    pub one_statement: AtomicU64,
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

/// Ends a request's database work when dropped: after its answer, or when
/// the request is dropped midway (timed out, or its client gone).
struct EndWork {
    work: Arc<service::db::Work>,
    answered: bool,
}

impl Drop for EndWork {
    fn drop(&mut self) {
        self.work.end(self.answered);
    }
}

/// An operation as async-graphql runs it: with the caller, the request id,
/// and the parsed document (the schema's execution needs async-graphql's own
/// copy).
fn resolvable(
    request: Request,
    doc: &async_graphql::parser::types::ExecutableDocument,
    actor: Actor,
    id: &RequestId,
) -> Request {
    let mut request = request.data(actor).data(id.clone());
    request.set_parsed_query(async_graphql::parser::types::ExecutableDocument::clone(doc));
    request
}

/// `schema::finish` with this server's types and the request id.
fn finish(
    state: &GraphqlState,
    response: &mut async_graphql::Response,
    doc: &async_graphql::parser::types::ExecutableDocument,
    operation: Option<&str>,
    id: &RequestId,
) {
    schema::finish(response, doc, operation, state.guard.types(), Some(&id.0));
}

/// What the log line ending a request says of it (never a variable's value,
/// a token or personal data).
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// The (first) operation's name, `""` when anonymous.
    pub operation: String,
    pub kind: &'static str,
    /// `anonymous`, `partner`, `staff` or `admin`.
    pub role: &'static str,
    /// `ok`, or the first error's code in lower case.
    pub outcome: String,
    /// SQL statements the request ran.
    pub statements: u64,
}

/// The role of an actor, for the log and metrics.
pub(crate) fn role_name(actor: &Actor) -> &'static str {
    match actor.role {
        None => "anonymous",
        Some(service::Role::Partner) => "partner",
        Some(service::Role::Staff) => "staff",
        Some(service::Role::Admin) => "admin",
    }
}

/// Runs the prepared operations, one after another, within `REQUEST_TIMEOUT`.
async fn execute(
    state: &GraphqlState,
    items: Vec<Result<Prepared, Refusal>>,
    batch: bool,
    actor: Actor,
    id: &RequestId,
    client: &str,
) -> (Answer, Summary) {
    let started = std::time::Instant::now();
    let labels: Vec<_> = items
        .iter()
        .map(|item| match item {
            Ok(prepared) => crate::metrics::operation_of(
                &prepared.doc,
                prepared.request.operation_name.as_deref(),
            ),
            Err(_) => (String::new(), crate::metrics::OperationType::Unknown),
        })
        .collect();
    let mut summary = Summary {
        operation: labels.first().map(|(n, _)| n.clone()).unwrap_or_default(),
        kind: labels.first().map_or("unknown", |(_, k)| k.as_str()),
        role: role_name(&actor),
        ..Summary::default()
    };
    let mut in_flight = InFlight {
        stats: &state.stats,
        done: false,
    };
    // The request's database work: its statements stop when the request
    // ends, however it ends (the guard ends it when dropped).
    let priced: u64 = items
        .iter()
        .filter_map(|item| item.as_ref().ok())
        .map(|prepared| prepared.cost.work)
        .sum();
    let db_work =
        service::db::Work::new(state.connections_per_request, state.costly.for_work(priced));
    let ending = EndWork {
        work: Arc::clone(&db_work),
        answered: false,
    };
    let work = async {
        let mut responses = Vec::with_capacity(items.len());
        for item in items {
            let response = match item {
                Ok(Prepared {
                    request,
                    doc,
                    valid,
                    writes,
                    remember,
                    ..
                }) => {
                    // The text is remembered for its hash once it has
                    // validated.
                    let remember = remember.map(|hash| (hash, request.query.clone()));
                    let remember = |state: &GraphqlState| {
                        if let Some((hash, query)) = remember {
                            state.persisted.remember(client, hash, &query);
                        }
                    };
                    let first_run = std::sync::atomic::AtomicBool::new(false);
                    let valid = match (valid.as_deref(), writes) {
                        (Some(valid), _) if valid.load(Ordering::Relaxed) => Some(valid),
                        // A query's first run: validated here, then planned.
                        (valid, false) if plans(state).is_some() => {
                            match validate(state, &request, &doc).await {
                                Ok(()) => {
                                    if let Some(valid) = valid {
                                        valid.store(true, Ordering::Relaxed);
                                    }
                                    first_run.store(true, Ordering::Relaxed);
                                    Some(valid.unwrap_or(&first_run))
                                }
                                Err(mut response) => {
                                    finish(
                                        state,
                                        &mut response,
                                        &doc,
                                        request.operation_name.as_deref(),
                                        id,
                                    );
                                    responses.push(response.into());
                                    continue;
                                }
                            }
                        }
                        (valid, _) => valid,
                    };
                    if let Some(reply) =
                        one_statement(state, &doc, valid, &request, &actor, id).await
                    {
                        state.stats.one_statement.fetch_add(1, Ordering::Relaxed);
                        remember(state);
                        responses.push(reply);
                        continue;
                    }
                    let operation = request.operation_name.clone();
                    let request = resolvable(request, &doc, actor.clone(), id);
                    let mut response = state.schema.execute(request).await;
                    finish(state, &mut response, &doc, operation.as_deref(), id);
                    if !response::is_request_error(&response) {
                        remember(state);
                    }
                    // Valid, and answered as planned: refused fields are
                    // the only errors a statement places itself.
                    if response.errors.iter().all(response::is_forbidden)
                        && let Some(valid) = valid
                    {
                        valid.store(true, Ordering::Relaxed);
                    }
                    response
                }
                Err(refusal) => {
                    state.stats.refused.fetch_add(1, Ordering::Relaxed);
                    refused(refusal)
                }
            };
            responses.push(response.into());
        }
        responses
    };
    let span = tracing::info_span!("operation", request_id = %id.0);
    let outcome =
        tokio::time::timeout(state.request_timeout, db_work.scope(work.instrument(span))).await;
    in_flight.done = true;
    summary.statements = db_work.statements();
    let mut ending = ending;
    ending.answered = outcome.is_ok();
    drop(ending);
    let elapsed = started.elapsed();
    let mut responses = match outcome {
        Ok(responses) => {
            for ((name, kind), reply) in labels.iter().zip(&responses) {
                let outcome = reply.outcome();
                state.meters.operation(name, *kind, &outcome, elapsed);
                if summary.outcome.is_empty() || summary.outcome == "ok" {
                    summary.outcome = outcome;
                }
            }
            responses
        }
        Err(_) => {
            for (name, kind) in &labels {
                state
                    .meters
                    .operation(name, *kind, "limit_exceeded", elapsed);
            }
            state.stats.timed_out.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(request_id = %id.0, "request stopped at REQUEST_TIMEOUT");
            let refusal = Refusal::limit(
                "REQUEST_TIMEOUT",
                format!(
                    "the request ran longer than {} and was stopped; ask for less",
                    humantime::format_duration(state.request_timeout)
                ),
            );
            summary.outcome = "limit_exceeded".to_owned();
            return (Answer::Single(refused(refusal).into()), summary);
        }
    };
    let answer = if batch {
        Answer::Batch(responses)
    } else {
        Answer::Single(
            responses
                .pop()
                .unwrap_or_else(|| async_graphql::Response::default().into()),
        )
    };
    (answer, summary)
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
    // In allow-list mode, an operation not on the list refuses the request
    // as a whole, with 403.
    if items
        .iter()
        .any(|item| item.as_ref().is_err_and(is_not_persisted))
    {
        state.stats.refused.fetch_add(1, Ordering::Relaxed);
        return not_persisted(media);
    }
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
            .fold(guard::Tally::default(), |sum, p| sum + p.cost);
        if let Err(refusal) = state.guard.check_batch(total) {
            state.stats.refused.fetch_add(1, Ordering::Relaxed);
            return respond(state, media, Answer::Single(refused(refusal).into()), &id);
        }
    }
    let client = client_key(&actor, client_address(state, req));
    let (answer, summary) = execute(state, items, batch, actor, &id, &client).await;
    req.extensions_mut().insert(summary);
    respond(state, media, answer, &id)
}

/// Who a client is, for its shares of what the server keeps for all: its
/// token's subject, else its address.
pub(super) fn client_key(actor: &Actor, address: Option<std::net::IpAddr>) -> String {
    match (&actor.sub, address) {
        (Some(sub), _) => format!("sub:{sub}"),
        (None, Some(address)) => format!("ip:{address}"),
        (None, None) => "anonymous".to_owned(),
    }
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

/// The refusal of a request whose `Accept` allows none of our media types.
fn not_acceptable() -> HttpResponse {
    reject(
        StatusCode::NOT_ACCEPTABLE,
        MediaType::Json,
        "Accept must allow application/graphql-response+json or application/json",
        "BAD_USER_INPUT",
    )
}

/// `POST /graphql`.
pub async fn post(
    state: web::Data<GraphqlState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
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
    let body = match read_body(payload, &req, state.body_timeout).await {
        Ok(body) => body,
        Err(response) => return response,
    };
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
    let actor = match admit(&state, &req, media).await {
        Ok(actor) => actor,
        Err(refusal) => return refusal,
    };
    let via = if batch { Via::Batch } else { Via::Post };
    run(&state, media, requests, via, actor, &req).await
}

#[cfg(test)]
mod tests;
