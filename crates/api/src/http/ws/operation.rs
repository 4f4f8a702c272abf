//! One operation of a socket: run through the same gates and execution as HTTP, its answer sent.

use super::*;

/// Runs one operation and reports it on the session.
#[allow(clippy::too_many_arguments)]
pub(super) async fn operation(
    state: Arc<GraphqlState>,
    mut outbox: Outbox,
    id: String,
    prepared: Prepared,
    actor: Actor,
    request_id: RequestId,
    operations: Operations,
    held: Held,
    address: Option<std::net::IpAddr>,
) {
    let client = super::super::client_key(&actor, address);
    let sent = run_operation(
        &state,
        &mut outbox,
        &id,
        prepared,
        actor,
        &request_id,
        &client,
    )
    .await;
    drop(held);
    let finished = operations
        .lock()
        .map(|mut ops| ops.remove(&id).is_some())
        .unwrap_or(false);
    // `complete` only for an operation the client has not completed itself.
    if matches!(sent, Ok(Ended::Completed)) && finished {
        let _ = outbox
            .text(json!({ "type": "complete", "id": id }).to_string())
            .await;
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ended {
    /// Every result was sent: `complete` follows.
    Completed,
    /// An `error` message ended it.
    Failed,
}

pub(super) async fn run_operation(
    state: &Arc<GraphqlState>,
    session: &mut Outbox,
    id: &str,
    prepared: Prepared,
    actor: Actor,
    request_id: &RequestId,
    client: &str,
) -> Result<Ended, actix_ws::Closed> {
    let ty = operation_type(&prepared.doc, prepared.request.operation_name.as_deref());
    if ty != Some(OperationType::Subscription) {
        let started = std::time::Instant::now();
        let (answer, summary) =
            execute(state, vec![Ok(prepared)], false, actor, request_id, client).await;
        log_operation(request_id, id, started.elapsed(), &summary);
        let Answer::Single(reply) = answer else {
            return Ok(Ended::Failed);
        };
        return send_result(state, session, id, &reply, request_id).await;
    }
    let Prepared { request, doc, .. } = prepared;
    let started = std::time::Instant::now();
    let (name, kind) = crate::metrics::operation_of(&doc, request.operation_name.as_deref());
    if root_fields(&doc, request.operation_name.as_deref()) != 1 {
        state
            .meters
            .operation(&name, kind, "bad_user_input", started.elapsed());
        let refusal =
            Refusal::bad_input("a subscription selects exactly one root field (GraphQL 5.2.3.1)");
        let (_, body) = reply_json(state, &Reply::from(refused(refusal)), request_id);
        send_error(session, id, &body).await?;
        return Ok(Ended::Failed);
    }
    let role = super::super::role_name(&actor);
    let (_feed, mut events) = state.feeds.join(state, request, doc, &actor, request_id);
    state.meters.operation(&name, kind, "ok", started.elapsed());
    let summary = super::super::Summary {
        operation: name,
        kind: kind.as_str(),
        role,
        outcome: "ok".to_owned(),
        statements: 0,
    };
    log_operation(request_id, id, started.elapsed(), &summary);
    let _running = Subscribed::new(&state.sockets);
    loop {
        match events.recv().await {
            Ok(Published::Next(body)) => send_next(session, id, &body).await?,
            Ok(Published::Error(body)) => {
                send_error(session, id, &body).await?;
                return Ok(Ended::Failed);
            }
            Ok(Published::End) | Err(RecvError::Closed) => return Ok(Ended::Completed),
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "a subscriber fell behind its feed");
                let body = json!({ "data": null, "errors": [{
                    "message": format!("{missed} events were not delivered: this connection fell behind; reload what you show"),
                    "extensions": { "code": "UNAVAILABLE" },
                }] });
                send_next(session, id, body.to_string().as_bytes()).await?;
            }
        }
    }
}

/// The response keys at the root of the selected operation, fragments
/// expanded: a subscription must have exactly one.
pub(super) fn root_fields(doc: &ExecutableDocument, operation_name: Option<&str>) -> usize {
    use async_graphql::parser::types::{Selection, SelectionSet};
    pub(super) fn collect<'a>(
        doc: &'a ExecutableDocument,
        set: &'a SelectionSet,
        keys: &mut std::collections::HashSet<&'a str>,
        depth: usize,
    ) {
        // Fragments cannot cycle in a validated document; the bound keeps an
        // unvalidated one from recursing without end.
        if depth > 16 {
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    keys.insert(field.node.response_key().node.as_str());
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                        collect(doc, &fragment.node.selection_set.node, keys, depth + 1);
                    }
                }
                Selection::InlineFragment(inline) => {
                    collect(doc, &inline.node.selection_set.node, keys, depth + 1);
                }
            }
        }
    }
    let Some((set, _)) = crate::schema::order::operation(doc, operation_name) else {
        return 0;
    };
    let mut keys = std::collections::HashSet::new();
    collect(doc, set, &mut keys, 0);
    keys.len()
}

/// The line an operation over a WebSocket ends with (a subscription: once it
/// runs), as an HTTP request's: the socket's request id, the client's id of
/// the operation, and what the summary says. Never a value or a token.
fn log_operation(
    request_id: &RequestId,
    operation_id: &str,
    elapsed: std::time::Duration,
    summary: &super::super::Summary,
) {
    // The client names it: kept short.
    let operation_id: String = operation_id.chars().take(64).collect();
    tracing::info!(
        target: "api::request",
        request_id = %request_id.0,
        operation_id,
        path = "/graphql",
        transport = "websocket",
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        operation = %summary.operation,
        operation_type = summary.kind,
        role = summary.role,
        outcome = %summary.outcome,
        statements = summary.statements,
        "operation"
    );
}
