//! Before a request runs: persisted-query lookup (APQ), the guard, and
//! whether the selected operation writes.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Value};

use super::GraphqlState;
use super::response::{MediaType, reject};
use guard::Refusal;

/// What an operation not on the allow-list is told.
const NOT_PERSISTED: &str = "only persisted operations may run on this server";

/// In allow-list mode, the operation with its text from the list, or the
/// refusal when it is not on it.
fn allowed(state: &GraphqlState, request: Request) -> Result<Request, Refusal> {
    match &state.allow_list {
        None => Ok(request),
        Some(list) => list
            .admit(request)
            .ok_or_else(|| Refusal::forbidden(NOT_PERSISTED)),
    }
}

/// True when `refusal` is the allow-list's (HTTP answers it with 403).
pub(super) fn is_not_persisted(refusal: &Refusal) -> bool {
    refusal.code == "FORBIDDEN" && refusal.message == NOT_PERSISTED
}

pub(super) fn not_persisted(media: MediaType) -> HttpResponse {
    reject(StatusCode::FORBIDDEN, media, NOT_PERSISTED, "FORBIDDEN")
}

/// An operation that passed the guard.
pub(super) struct Prepared {
    pub(super) request: Request,
    /// The parsed document (the resolvers' path hands async-graphql a copy).
    pub(super) doc: Arc<ExecutableDocument>,
    /// Set once async-graphql has validated the remembered document (`None`
    /// when the text is not remembered).
    pub(super) valid: Option<Arc<AtomicBool>>,
    pub(super) cost: guard::Tally,
    /// The operation to run is a mutation or subscription.
    pub(super) writes: bool,
    /// The hash to remember the text under once it has validated (APQ).
    pub(super) remember: Option<String>,
}

/// Automatic persisted queries: texts by their SHA-256, remembered only
/// once they have validated, and at most [`Persisted::PER_CLIENT`] a minute
/// for each client, so that no one client can flush what the others rely on.
pub struct Persisted {
    texts: Mutex<lru::LruCache<String, String>>,
    clients: Mutex<std::collections::HashMap<String, (std::time::Instant, u32)>>,
}

impl Persisted {
    /// Texts remembered at most.
    pub const CAPACITY: usize = 1024;
    /// Texts one client may have remembered a minute; more still run, and
    /// are sent again the next time.
    pub const PER_CLIENT: u32 = 30;
    /// Clients tracked at most (the table is emptied when it fills).
    const CLIENTS: usize = 10_000;

    pub fn new() -> Self {
        Persisted {
            texts: Mutex::new(lru::LruCache::new(
                std::num::NonZeroUsize::new(Self::CAPACITY).unwrap_or(std::num::NonZeroUsize::MIN),
            )),
            clients: Mutex::new(std::collections::HashMap::new()),
        }
    }

    pub(super) fn get(&self, hash: &str) -> Option<String> {
        self.texts.lock().ok()?.get(hash).cloned()
    }

    /// Remembers `query` under `hash` for `client`, within its share.
    pub(super) fn remember(&self, client: &str, hash: String, query: &str) {
        let Ok(mut texts) = self.texts.lock() else {
            return;
        };
        if texts.contains(&hash) {
            texts.promote(&hash);
            return;
        }
        let now = std::time::Instant::now();
        {
            let Ok(mut clients) = self.clients.lock() else {
                return;
            };
            if clients.len() >= Self::CLIENTS {
                clients.clear();
            }
            let (since, count) = clients.entry(client.to_owned()).or_insert((now, 0));
            if now.duration_since(*since) >= std::time::Duration::from_secs(60) {
                *since = now;
                *count = 0;
            }
            if *count >= Self::PER_CLIENT {
                tracing::info!(
                    "a client registers persisted queries faster than its share; not remembered"
                );
                return;
            }
            *count += 1;
        }
        texts.put(hash, query.to_owned());
    }
}

impl Default for Persisted {
    fn default() -> Self {
        Self::new()
    }
}

pub(super) fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Automatic persisted queries (Apollo's protocol): a request names its text
/// by SHA-256, and sends the text once when the server does not know it. The
/// text is resolved here, before the guard, and remembered only once it has
/// validated ([`Persisted::remember`]). Returns the hash to remember the
/// text under.
pub(super) fn persisted(
    state: &GraphqlState,
    request: &mut Request,
) -> Result<Option<String>, Refusal> {
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
        let known = state.persisted.get(&hash);
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
pub(super) fn selects_write(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    matches!(
        operation_type(doc, operation_name),
        Some(OperationType::Mutation | OperationType::Subscription)
    )
}

/// The type of the operation a request selects, if it selects one.
pub(super) fn operation_type(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<OperationType> {
    match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        _ => None,
    }
}

/// The gate every operation passes, whatever transport brought it (HTTP
/// POST and GET, WebSocket): the allow-list, persisted-query lookup, parsing
/// and the guard's bounds and cost. Nothing runs before this passes.
pub(super) fn prepare(state: &GraphqlState, request: Request) -> Result<Prepared, Refusal> {
    let mut request = allowed(state, request)?;
    let remember = persisted(state, &mut request)?;
    if request.query.trim().is_empty() {
        return Err(Refusal::bad_input("the `query` parameter is required"));
    }
    let (doc, valid) = state.documents.parse(&state.guard, &request.query)?;
    state
        .guard
        .check_variables(&doc, request.operation_name.as_deref(), &request.variables)?;
    let cost = state.guard.check(&doc, &request.variables)?;
    let writes = selects_write(&doc, request.operation_name.as_deref());
    Ok(Prepared {
        request,
        doc,
        valid,
        cost,
        writes,
        remember,
    })
}

/// Parsed documents by their text, so that a client sending the same
/// operation again (as clients do) is not parsed again, each with whether
/// async-graphql has validated it (validation depends on the document and
/// the schema only; the guard checks every request with its variables, and
/// every request reads the database).
pub struct Documents {
    parsed: Mutex<lru::LruCache<String, Remembered>>,
}

/// A parsed document and whether async-graphql has validated it.
type Remembered = (Arc<ExecutableDocument>, Arc<AtomicBool>);

impl Documents {
    /// Documents remembered at most.
    pub const CAPACITY: usize = 256;
    /// Longest text remembered (bytes): larger documents are parsed each time,
    /// which bounds the memory the cache can hold.
    pub const LONGEST: usize = 8 * 1024;

    pub fn new() -> Self {
        Documents {
            parsed: Mutex::new(lru::LruCache::new(
                std::num::NonZeroUsize::new(Self::CAPACITY).expect("non-zero"),
            )),
        }
    }

    /// The parsed `query`: remembered, or parsed by the guard; with its
    /// validated flag when remembered.
    pub fn parse(
        &self,
        guard: &guard::Guard,
        query: &str,
    ) -> Result<(Arc<ExecutableDocument>, Option<Arc<AtomicBool>>), Refusal> {
        if let Some((doc, valid)) = self
            .parsed
            .lock()
            .ok()
            .and_then(|mut c| c.get(query).cloned())
        {
            return Ok((doc, Some(valid)));
        }
        let doc = Arc::new(guard.parse(query)?);
        if query.len() <= Self::LONGEST
            && let Ok(mut cache) = self.parsed.lock()
        {
            let valid = Arc::new(AtomicBool::new(false));
            cache.put(query.to_owned(), (Arc::clone(&doc), Arc::clone(&valid)));
            return Ok((doc, Some(valid)));
        }
        Ok((doc, None))
    }
}

impl Default for Documents {
    fn default() -> Self {
        Self::new()
    }
}
