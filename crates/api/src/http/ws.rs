//! GraphQL over WebSocket at `/graphql`: the `graphql-transport-ws` protocol
//! (graphql-ws's PROTOCOL.md), with the close codes it prescribes.
//!
//! Every operation takes the path an HTTP request takes: persisted queries,
//! the guard's bounds, async-graphql's validation, and `schema::finish` (field
//! errors in place, codes) on every event. The caller is authenticated once,
//! by the token in `connection_init`'s payload (`{"Authorization": "Bearer
//! …"}`, the key in any case) or else in the upgrade request's
//! `Authorization` header; a bad token closes the socket with 4403, and a
//! token that expires while connected closes it then.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, Session};
use async_graphql::Request;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{Value as Json, json};
use service::Actor;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use super::persisted::{Prepared, operation_type, prepare};
use super::response::{Answer, Reply, refused, reply_json};
use super::{GraphqlState, execute, finish, new_request_id, resolvable};
use crate::schema::RequestId;
use guard::Refusal;

mod outbox;
use outbox::*;
mod operation;
use operation::*;
mod feeds;
pub use feeds::*;
mod sockets;
pub use sockets::Sockets;
use sockets::{SocketSlot, Subscribed};

/// The subprotocol spoken.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// Longest wait for `connection_init` after the upgrade.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings an idle client, and how long it waits for any
/// sign of life before it closes the connection.
const HEARTBEAT: Duration = Duration::from_secs(30);
const SILENCE: Duration = Duration::from_secs(75);
/// Most operations running at once on one connection.
pub const MAX_OPERATIONS: usize = 100;
/// Largest message accepted (bytes).
const MAX_MESSAGE: usize = 256 * 1024;

/// The bounds of WebSocket connections (README, "Limits").
#[derive(Clone, Debug)]
pub struct Limits {
    /// Origins a browser may open a socket from; `None` checks no origin
    /// (development). An empty list admits only the server's own origin.
    pub origins: Option<Vec<String>>,
    /// Most sockets open at once from one client address.
    pub sockets_per_address: usize,
    /// Highest total cost of the operations running at once on one socket.
    pub max_cost: u64,
    /// Most bytes of answers waiting to be sent on one socket.
    pub max_queued_bytes: usize,
}

/// Whether the upgrade's `Origin` may open a socket: no header (not a
/// browser), an allowed origin, or the server's own host.
fn origin_allowed(limits: &Limits, req: &HttpRequest) -> bool {
    let Some(allowed) = &limits.origins else {
        return true;
    };
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if allowed
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let host = req.connection_info().host().to_owned();
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(&host))
}

/// Whether a request asks to upgrade to WebSocket.
pub fn is_upgrade(req: &actix_web::dev::RequestHead) -> bool {
    req.headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// `GET /graphql` with `Upgrade: websocket`.
pub async fn upgrade(
    state: web::Data<GraphqlState>,
    req: HttpRequest,
    body: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let offered = req
        .headers()
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == PROTOCOL);
    if !offered {
        return Ok(HttpResponse::BadRequest()
            .content_type(super::response::JSON)
            .body(super::response::error_body(
                "WebSocket clients must speak graphql-transport-ws (Sec-WebSocket-Protocol)",
                "BAD_USER_INPUT",
            )));
    }
    let state = state.into_inner();
    if !origin_allowed(&state.ws, &req) {
        return Ok(HttpResponse::Forbidden()
            .content_type(super::response::JSON)
            .body(super::response::error_body(
                "this origin may not open a WebSocket to the API (CORS_ORIGINS)",
                "FORBIDDEN",
            )));
    }
    let Some(slot) = Sockets::open(&state, super::client_address(&state, &req)) else {
        return Ok(HttpResponse::TooManyRequests()
            .content_type(super::response::JSON)
            .body(
                serde_json::json!({ "errors": [{
                    "message": format!(
                        "this address has {} WebSockets open, the most allowed (WS_MAX_SOCKETS_PER_ADDRESS); close one",
                        state.ws.sockets_per_address
                    ),
                    "extensions": { "code": "LIMIT_EXCEEDED", "limit": "WS_MAX_SOCKETS_PER_ADDRESS" },
                }] })
                .to_string(),
            ));
    };
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}").to_owned());
    let request_id = new_request_id(req.headers());
    let (response, session, stream) = actix_ws::handle_with_protocols(&req, body, &[PROTOCOL])?;
    let stream = stream
        .max_frame_size(MAX_MESSAGE)
        .aggregate_continuations()
        .max_continuation_size(MAX_MESSAGE);
    let connection = Connection {
        stopping: state.stopping.subscribe(),
        budget: Arc::new(Budget::default()),
        slot,
        state,
        session,
        authorization,
        request_id,
        actor: None,
        init: false,
        operations: Arc::new(Mutex::new(HashMap::new())),
    };
    actix_web::rt::spawn(connection.run(stream));
    Ok(response)
}

/// A message from the client.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Json>,
    },
    Ping {},
    Pong {},
    Subscribe {
        id: String,
        payload: Box<Request>,
    },
    Complete {
        id: String,
    },
}

/// Running operations by id: each can be stopped.
type Operations = Arc<Mutex<HashMap<String, tokio::task::AbortHandle>>>;

struct Connection {
    /// Changes when the server begins to stop.
    stopping: tokio::sync::watch::Receiver<bool>,
    budget: Arc<Budget>,
    /// Counts this socket against its address while it is open.
    slot: SocketSlot,
    state: Arc<GraphqlState>,
    session: Session,
    /// The upgrade request's `Authorization` header.
    authorization: Option<String>,
    request_id: RequestId,
    /// Set by an accepted `connection_init`.
    actor: Option<Actor>,
    init: bool,
    operations: Operations,
}

/// Why the server closes a connection.
fn close(code: u16, reason: &str) -> CloseReason {
    CloseReason {
        code: CloseCode::from(code),
        description: Some(reason.to_owned()),
    }
}

impl Connection {
    async fn run(mut self, mut stream: actix_ws::AggregatedMessageStream) {
        let started = tokio::time::Instant::now();
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.tick().await;
        let mut heard = started;
        let mut expires: Option<tokio::time::Instant> = None;
        let mut stopping = self.stopping.clone();
        let reason = loop {
            let deadline = match (self.init, expires) {
                (false, _) => Some(started + INIT_TIMEOUT),
                (true, at) => at,
            };
            let timeout = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                message = stream.recv() => {
                    heard = tokio::time::Instant::now();
                    let message = match message {
                        Some(Ok(message)) => message,
                        Some(Err(_)) => break Some(close(4400, "Invalid message received")),
                        None => break None,
                    };
                    match self.handle(message, &mut expires).await {
                        Ok(()) => {}
                        Err(reason) => break reason,
                    }
                }
                _ = stopping.wait_for(|stopping| *stopping) => {
                    break Some(close(1001, "the server is going away; reconnect"));
                }
                () = timeout => {
                    break Some(if self.init {
                        close(4403, "Forbidden: the token has expired")
                    } else {
                        close(4408, "Connection initialisation timeout")
                    });
                }
                _ = heartbeat.tick() => {
                    if heard.elapsed() > SILENCE {
                        break Some(close(1001, "no sign of life from the client"));
                    }
                    if self.session.ping(b"").await.is_err() {
                        break None;
                    }
                }
            }
        };
        let running: Vec<_> = self
            .operations
            .lock()
            .map(|mut ops| ops.drain().map(|(_, op)| op).collect())
            .unwrap_or_default();
        for op in running {
            op.abort();
        }
        let _ = self.session.close(reason).await;
    }

    /// Handles one message; `Err` closes the connection (with the reason, if any).
    async fn handle(
        &mut self,
        message: AggregatedMessage,
        expires: &mut Option<tokio::time::Instant>,
    ) -> Result<(), Option<CloseReason>> {
        let text = match message {
            AggregatedMessage::Text(text) => text,
            AggregatedMessage::Binary(_) => {
                return Err(Some(close(4400, "Invalid message received")));
            }
            AggregatedMessage::Ping(bytes) => {
                return self.session.pong(&bytes).await.map_err(|_| None);
            }
            AggregatedMessage::Pong(_) => return Ok(()),
            AggregatedMessage::Close(_) => return Err(None),
        };
        let Ok(message) = serde_json::from_str::<ClientMessage>(&text) else {
            return Err(Some(close(4400, "Invalid message received")));
        };
        match message {
            ClientMessage::ConnectionInit { payload } => {
                if self.init {
                    return Err(Some(close(4429, "Too many initialisation requests")));
                }
                self.init = true;
                let (actor, until) = self.authenticate(payload.as_ref()).await?;
                *expires = until;
                self.actor = Some(actor);
                self.send(&json!({ "type": "connection_ack" })).await
            }
            ClientMessage::Ping {} => self.send(&json!({ "type": "pong" })).await,
            ClientMessage::Pong {} => Ok(()),
            ClientMessage::Subscribe { id, payload } => {
                let Some(actor) = self.actor.clone() else {
                    return Err(Some(close(4401, "Unauthorized")));
                };
                self.subscribe(id, *payload, actor).await
            }
            ClientMessage::Complete { id } => {
                if let Some(op) = self.operations.lock().ok().and_then(|mut o| o.remove(&id)) {
                    op.abort();
                }
                Ok(())
            }
        }
    }

    /// The actor of the token in the init payload, else of the upgrade's
    /// header, and when its token expires; a bad token closes with 4403.
    async fn authenticate(
        &self,
        payload: Option<&Json>,
    ) -> Result<(Actor, Option<tokio::time::Instant>), Option<CloseReason>> {
        let forbidden = |why: &str| Some(close(4403, &format!("Forbidden: {why}")));
        let mut given = payload
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .filter(|(key, _)| key.eq_ignore_ascii_case("authorization"));
        let from_payload = given
            .next()
            .map(|(_, value)| value.as_str().map(str::to_owned));
        // Two spellings of the key are two credentials, refused as two
        // `Authorization` headers are: which one counts is never guessed.
        if given.next().is_some() {
            return Err(forbidden("Authorization is given more than once"));
        }
        let header = match from_payload {
            Some(Some(token)) => Some(token),
            Some(None) => return Err(forbidden("Authorization must be a string")),
            None => self.authorization.clone(),
        };
        let (actor, exp) = self
            .state
            .auth
            .actor_until(header.as_deref())
            .map_err(|e| forbidden(&e.to_string()))?;
        let actor = match self.state.claims.verify(&self.state.app.db, actor).await {
            Ok(actor) => actor,
            Err(crate::auth::AuthError::Unavailable) => {
                return Err(Some(close(1011, "service unavailable")));
            }
            Err(e) => return Err(forbidden(&e.to_string())),
        };
        let expires = exp.map(|exp| {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            // The leeway HTTP grants on `exp` holds here too.
            let left = (exp + crate::auth::LEEWAY_SECS).saturating_sub(now);
            tokio::time::Instant::now() + Duration::from_secs(left)
        });
        Ok((actor, expires))
    }

    async fn send(&mut self, message: &Json) -> Result<(), Option<CloseReason>> {
        self.session
            .text(message.to_string())
            .await
            .map_err(|_| None)
    }

    /// Starts an operation: a subscription streams its events, a query or
    /// mutation answers once; either ends with `complete` (or `error`). The
    /// operation passes the gate HTTP requests pass (allow-list, persisted
    /// queries, the guard) before it is registered, and holds its cost
    /// against the socket's budget while it runs.
    async fn subscribe(
        &mut self,
        id: String,
        request: Request,
        actor: Actor,
    ) -> Result<(), Option<CloseReason>> {
        if self.operations.lock().is_ok_and(|o| o.contains_key(&id)) {
            return Err(Some(close(
                4409,
                &format!("Subscriber for {id} already exists"),
            )));
        }
        let running = self.operations.lock().map_or(0, |o| o.len());
        // An operation takes from the caller's bucket as an HTTP request does.
        let limited = self.state.rate.check(&actor, self.slot.address).err();
        let refusal = match prepare(&self.state, request) {
            _ if let Some(wait) = limited => Refusal {
                code: "RATE_LIMITED",
                limit: None,
                field: None,
                message: format!(
                    "too many requests from this caller (RATE_LIMIT_AUTHENTICATED, RATE_LIMIT_ANONYMOUS); try again in {} s",
                    super::rate::retry_after(wait)
                ),
            },
            // Operations only leave the map concurrently, never join it: the
            // count can only have dropped since.
            _ if running >= MAX_OPERATIONS => Refusal::limit(
                "MAX_OPERATIONS",
                format!("a connection may run at most {MAX_OPERATIONS} operations at once"),
            ),
            Err(refusal) => refusal,
            Ok(prepared) => match self
                .budget
                .hold(prepared.cost.values, self.state.ws.max_cost)
            {
                None => Refusal::limit(
                    "WS_MAX_COST",
                    format!(
                        "the operations running on this connection may together cost at most {}; wait for some to end, or open another connection",
                        self.state.ws.max_cost
                    ),
                ),
                Some(held) => return self.start(id, prepared, actor, held),
            },
        };
        self.state.meters.operation(
            "",
            crate::metrics::OperationType::Unknown,
            refusal.code,
            Duration::ZERO,
        );
        let reply = Reply::from(refused(refusal));
        let (_, body) = reply_json(&self.state, &reply, &self.request_id);
        let mut outbox = self.outbox();
        send_error(&mut outbox, &id, &body).await.map_err(|_| None)
    }

    fn outbox(&self) -> Outbox {
        Outbox {
            session: self.session.clone(),
            budget: Arc::clone(&self.budget),
            max: self.state.ws.max_queued_bytes,
        }
    }

    /// Registers and spawns an admitted operation.
    fn start(
        &mut self,
        id: String,
        prepared: Prepared,
        actor: Actor,
        held: Held,
    ) -> Result<(), Option<CloseReason>> {
        // Checked and registered under one lock: the operation removes itself
        // when it ends, which it may do before `spawn` returns.
        let mut operations = self.operations.lock().unwrap_or_else(|e| e.into_inner());
        if operations.contains_key(&id) {
            return Err(Some(close(
                4409,
                &format!("Subscriber for {id} already exists"),
            )));
        }
        let task = tokio::spawn(operation(
            Arc::clone(&self.state),
            self.outbox(),
            id.clone(),
            prepared,
            actor,
            self.request_id.clone(),
            Arc::clone(&self.operations),
            held,
            self.slot.address,
        ));
        operations.insert(id, task.abort_handle());
        Ok(())
    }
}

/// Sends a result as `next`, or as `error` when nothing ran (the document
/// was refused or invalid).
async fn send_result(
    state: &GraphqlState,
    session: &mut Outbox,
    id: &str,
    reply: &Reply,
    request_id: &RequestId,
) -> Result<Ended, actix_ws::Closed> {
    let (request_error, body) = reply_json(state, reply, request_id);
    if request_error {
        send_error(session, id, &body).await?;
        return Ok(Ended::Failed);
    }
    send_next(session, id, &body).await?;
    Ok(Ended::Completed)
}

/// Sends `next` with a result's JSON.
async fn send_next(session: &mut Outbox, id: &str, body: &[u8]) -> Result<(), actix_ws::Closed> {
    let mut message = Vec::with_capacity(body.len() + 48);
    message.extend_from_slice(b"{\"type\":\"next\",\"id\":");
    message.extend_from_slice(json!(id).to_string().as_bytes());
    message.extend_from_slice(b",\"payload\":");
    message.extend_from_slice(body);
    message.push(b'}');
    session
        .text(String::from_utf8(message).unwrap_or_default())
        .await
}

/// Sends `error` with the errors of a response body.
async fn send_error(session: &mut Outbox, id: &str, body: &[u8]) -> Result<(), actix_ws::Closed> {
    let errors = serde_json::from_slice::<Json>(body)
        .ok()
        .and_then(|mut b| b.get_mut("errors").map(Json::take))
        .unwrap_or_else(|| json!([{ "message": "the operation was refused" }]));
    session
        .text(json!({ "type": "error", "id": id, "payload": errors }).to_string())
        .await
}
