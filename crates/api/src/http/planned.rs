//! Queries answered by one statement (`schema::compile`): a document's
//! first run validated without running, then every run planned, and the
//! plan remembered for the next run of the same request by the same caller.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use service::Actor;
use service::query::json::Written;

use super::GraphqlState;
use super::response::Reply;
use crate::schema::{self, RequestId};

/// A planned operation: its statement written out, and where its refusals,
/// derived values and failures go.
pub struct Plan {
    written: Written,
    refusals: Arc<[schema::compile::Refusal]>,
    roots: Vec<(String, async_graphql::Pos)>,
    derived: Vec<(service::access::Field, async_graphql::Pos)>,
}

/// Plans by everything that decides them: the caller (role, organization,
/// subject), the day (`statistics` is as of today unless asked), the
/// operation's name, its variables and its text. Planning and writing the
/// SQL took a fifth of the server's time on a small read (BENCHMARKS.md,
/// session 22); a client sends the same operation again and again.
pub struct Plans {
    remembered: Mutex<lru::LruCache<String, Arc<Plan>>>,
}

impl Plans {
    /// Plans remembered at most.
    pub const CAPACITY: usize = 512;
    /// Longest SQL remembered (bytes): with the capacity, this bounds the
    /// memory the plans hold (16 MiB).
    pub const LONGEST: usize = 32 * 1024;

    pub fn new() -> Self {
        Plans {
            remembered: Mutex::new(lru::LruCache::new(
                std::num::NonZeroUsize::new(Self::CAPACITY).expect("non-zero"),
            )),
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Plan>> {
        self.remembered.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, plan: &Arc<Plan>) {
        if plan.written.len() <= Self::LONGEST
            && let Ok(mut remembered) = self.remembered.lock()
        {
            remembered.put(key, Arc::clone(plan));
        }
    }
}

impl Default for Plans {
    fn default() -> Self {
        Self::new()
    }
}

/// What decides the plan of `request` by `actor`, each part prefixed with
/// its length so that no two differ only in where one part ends; `None`
/// for a document too long to remember.
fn plan_key(request: &Request, actor: &Actor) -> Option<String> {
    if request.query.len() > super::Documents::LONGEST {
        return None;
    }
    let variables = serde_json::to_string(&request.variables).ok()?;
    let parts = [
        format!("{:?}", actor.role),
        format!("{:?}", actor.organization_id),
        actor.sub.clone().unwrap_or_default(),
        chrono::Utc::now().date_naive().to_string(),
        request.operation_name.clone().unwrap_or_default(),
        variables,
    ];
    let mut key = String::with_capacity(request.query.len() + 128);
    for part in parts
        .iter()
        .map(String::as_str)
        .chain([request.query.as_str()])
    {
        key.push_str(&part.len().to_string());
        key.push(':');
        key.push_str(part);
    }
    Some(key)
}

/// The dialect queries are answered in as one statement here, if they are.
pub(super) fn plans(state: &GraphqlState) -> Option<service::query::json::Dialect> {
    service::query::json::Dialect::of(state.app.read_db.get_database_backend())
}

/// Validates an operation without running it: the validation errors (a
/// request error, as the resolvers would answer) when it does not pass.
pub(super) async fn validate(
    state: &GraphqlState,
    request: &Request,
    doc: &async_graphql::parser::types::ExecutableDocument,
) -> Result<(), async_graphql::Response> {
    let mut probe =
        async_graphql::Request::new(request.query.clone()).variables(request.variables.clone());
    if let Some(name) = &request.operation_name {
        probe = probe.operation_name(name.clone());
    }
    probe.set_parsed_query(doc.clone());
    let response = state.validator.execute(probe).await;
    if response.errors.is_empty() {
        Ok(())
    } else {
        Err(response)
    }
}

/// The answer of a query as one statement, when the document has been
/// validated and every field translates
/// (`schema::compile`); `None` sends the operation to the schema, which
/// reads it root field by root field through the plan.
pub(super) async fn one_statement(
    state: &GraphqlState,
    doc: &async_graphql::parser::types::ExecutableDocument,
    valid: Option<&std::sync::atomic::AtomicBool>,
    request: &Request,
    actor: &Actor,
    id: &RequestId,
) -> Option<Reply> {
    let dialect = plans(state)?;
    if !valid?.load(Ordering::Relaxed) {
        return None;
    }
    let key = plan_key(request, actor);
    let remembered = key.as_deref().and_then(|key| state.plans.get(key));
    let compiled = match remembered {
        Some(plan) => plan,
        None => match schema::compile::compile(
            doc,
            request.operation_name.as_deref(),
            &request.variables,
            actor,
            state.app.limits,
            dialect,
        ) {
            Ok(compiled) => {
                let plan = Arc::new(Plan {
                    written: Written::new(dialect.backend(), &compiled.statement),
                    refusals: compiled.refusals.into(),
                    roots: compiled.roots,
                    derived: compiled.derived,
                });
                if let Some(key) = key {
                    state.plans.put(key, &plan);
                }
                plan
            }
            Err(schema::compile::NotPlanned::Untranslated) => return None,
            // Not a valid document: refused as validation refuses one.
            Err(schema::compile::NotPlanned::Refused(error)) => {
                let response = async_graphql::Response::from_errors(vec![error]);
                return Some(finished(state, response, doc, request, id));
            }
        },
    };
    // Within the request's share of the pool (and the costly lane's).
    let read = compiled.written.run(&state.app.read_db);
    let data = match service::db::Work::bounded(read).await {
        Ok(data) => data,
        // An internal failure (a table gone, a planner's mistake) is read
        // again root field by root field, so that only the roots it is in
        // fail; an outage or a timeout is answered at once.
        Err(err @ service::Error::Internal(_)) => {
            tracing::error!(error = %err, "one-statement read failed; reading root field by root field");
            return None;
        }
        Err(err) => return Some(failed(state, &err, &compiled.roots, doc, request, id)),
    };
    // Values computed after the statement (an agreement's EWP IIA).
    let Some((data, derived_errors)) =
        schema::compile::place_derived(&state.app.read_db, actor, &compiled.derived, data).await
    else {
        tracing::error!(
            "a one-statement answer's derived values could not be placed; reading root field by root field"
        );
        return None;
    };
    if derived_errors.is_empty()
        && (compiled.refusals.is_empty() || !data.contains(service::query::json::REFUSED))
    {
        return Some(Reply::Data(data));
    }
    let (data, placed) = if compiled.refusals.is_empty()
        || !data.contains(service::query::json::REFUSED)
    {
        (data, schema::compile::Placed::default())
    } else {
        let Some(placed) = schema::compile::place_refusals(&data, &compiled.refusals) else {
            tracing::error!(
                "a one-statement answer's refusals could not be placed; reading root field by root field"
            );
            return None;
        };
        placed
    };
    if derived_errors.is_empty() && !placed.bubbles {
        // The answer is in the document's order and every refused field
        // is nullable, its error `FORBIDDEN` (nothing of `schema::finish`
        // applies): the errors are written from the plan's refusals.
        return Some(Reply::Refused(data, Arc::clone(&compiled.refusals), placed));
    }
    let Some(mut errors) = placed.errors(&compiled.refusals) else {
        tracing::error!("a one-statement answer's refusals are not its plan's");
        return None;
    };
    errors.extend(derived_errors);
    // A field whose arguments are refused: its `null` bubbles up to the
    // nearest nullable field, as the spec says (`schema::finish`, which
    // also places the derived values' errors and gives them their codes).
    let data: serde_json::Value = match serde_json::from_str(&data) {
        Ok(data) => data,
        Err(err) => {
            tracing::error!(error = %err, "a one-statement answer is not JSON");
            return None;
        }
    };
    let data = async_graphql::Value::from_json(data).ok()?;
    let mut response = async_graphql::Response::new(data);
    response.errors = errors;
    Some(finished(state, response, doc, request, id))
}

/// The answer when the statement fails for a reason not its own (a
/// statement timeout, the database unreachable): the service's error at
/// every root field, answered at once (read again root field by root field,
/// it would only wait again), each root's `null` bubbling up as a failed
/// non-null field's does.
fn failed(
    state: &GraphqlState,
    err: &service::Error,
    roots: &[(String, async_graphql::Pos)],
    doc: &async_graphql::parser::types::ExecutableDocument,
    request: &Request,
    id: &RequestId,
) -> Reply {
    let error = schema::error::to_gql(err);
    let errors = roots
        .iter()
        .map(|(key, pos)| {
            let mut error = error.clone().into_server_error(*pos);
            error.path = vec![async_graphql::PathSegment::Field(key.clone())];
            error
        })
        .collect();
    let mut response = async_graphql::Response::new(async_graphql::Value::Object(
        roots
            .iter()
            .map(|(key, _)| (async_graphql::Name::new(key), async_graphql::Value::Null))
            .collect(),
    ));
    response.errors = errors;
    finished(state, response, doc, request, id)
}

/// `response` finished as the schema's are (`schema::finish`: errors in
/// place, `null`s bubbled up, codes and the request's id).
fn finished(
    state: &GraphqlState,
    mut response: async_graphql::Response,
    doc: &async_graphql::parser::types::ExecutableDocument,
    request: &Request,
    id: &RequestId,
) -> Reply {
    super::finish(
        state,
        &mut response,
        doc,
        request.operation_name.as_deref(),
        id,
    );
    Reply::Resolved(response)
}
