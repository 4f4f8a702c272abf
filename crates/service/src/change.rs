//! Change events: what a committed write changed, told to every replica.
//!
//! Every write records its row changes in the audit log
//! ([`crate::write::Write::record`]); the same call announces each change.
//! On PostgreSQL the announcement is a `pg_notify` inside the write's own
//! transaction: PostgreSQL delivers notifications only when the transaction
//! commits, so a refused or rolled-back write announces nothing, and every
//! replica `LISTEN`s ([`Changes::start`]). On SQLite (one process) the write
//! hands its changes to an in-process channel after it commits.
//!
//! An announcement names the row (entity, key, version, change), never its
//! data. A replica loads the row for its subscribers under their rules, once
//! per distinct rule set, and decides in the same load every filter its
//! subscribers under that rule set watch ([`Changes::watch`]), a few
//! statements however many subscribers and filters ([`Delivery::seen`]). When the listening connection drops, subscribers are
//! told to resynchronize ([`Event::Resync`]) rather than left to miss events.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use entity::RecordType;
use sea_orm::sea_query::{Alias, Expr, IntoIden, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, Iden, Iterable,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use tokio::sync::{OnceCell, broadcast};

use crate::access::RuleSet;
use crate::query::filter::{self, Filter, Filterable};
use crate::{Actor, Error, Result};

mod feed;
pub use feed::*;

/// The PostgreSQL channel changes are announced on.
pub const CHANNEL: &str = "partners_changes";

/// Deliveries a subscriber may fall behind by before it is told to resync.
const BACKLOG: usize = 4096;

/// What happened to a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Updated,
    StatusChanged,
    Deleted,
}

impl ChangeKind {
    /// The change an audited write action makes.
    pub fn of(action: crate::write::Action) -> ChangeKind {
        use crate::write::Action;
        match action {
            Action::Create => ChangeKind::Created,
            Action::Update => ChangeKind::Updated,
            Action::StatusChange => ChangeKind::StatusChanged,
            Action::Delete => ChangeKind::Deleted,
        }
    }
}

/// One committed change of one row: what an announcement carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub record: RecordType,
    pub id: i64,
    /// The row's version after the change (before it, for a delete).
    pub version: Option<i32>,
    pub kind: ChangeKind,
}

/// The announcement as sent: names and numbers only.
#[derive(Serialize, Deserialize)]
struct Payload {
    entity: String,
    key: i64,
    version: Option<i32>,
    change: ChangeKind,
}

impl Change {
    /// The `pg_notify` payload.
    pub fn payload(&self) -> String {
        serde_json::to_string(&Payload {
            entity: self.record.audit_name().to_owned(),
            key: self.id,
            version: self.version,
            change: self.kind,
        })
        .unwrap_or_default()
    }

    /// A payload back as a change; `None` for anything else on the channel.
    pub fn from_payload(text: &str) -> Option<Change> {
        let p: Payload = serde_json::from_str(text).ok()?;
        Some(Change {
            record: RecordType::from_audit_name(&p.entity)?,
            id: p.key,
            version: p.version,
            kind: p.change,
        })
    }
}

/// What a replica tells its subscribers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Changed(Change),
    /// Changes may have been missed (the listening connection dropped, or a
    /// subscriber fell behind): reload what you show.
    Resync,
}

/// A changed row as one subscriber may see it.
#[derive(Clone, Debug)]
pub enum Seen<T> {
    /// The row as it is now, decided for the subscriber.
    Row(T),
    /// The row was deleted, and the subscriber could see it before.
    Deleted,
}

/// What one load decided for one rule set: the row as the rule set sees it
/// (`None`: it may not see it), and which of the watched filters it passes.
struct Loaded<T, F> {
    seen: Option<Seen<T>>,
    passes: HashMap<F, bool>,
}

type Outcome<T, F> = std::result::Result<Arc<Loaded<T, F>>, Arc<Error>>;
type Loads<T, F> = HashMap<RuleSet, Arc<OnceCell<Outcome<T, F>>>>;

/// One event on its way to a replica's subscribers, with the rows loaded for
/// them so far: one load per rule set, which also decides every filter the
/// subscribers under that rule set watch with, shared by all of them.
pub struct Delivery {
    pub event: Event,
    watching: Arc<Watching>,
    loads: Mutex<HashMap<TypeId, Box<dyn Any + Send>>>,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("event", &self.event)
            .finish_non_exhaustive()
    }
}

impl Delivery {
    pub fn new(event: Event) -> Delivery {
        Delivery::watched(event, Arc::default())
    }

    fn watched(event: Event, watching: Arc<Watching>) -> Delivery {
        Delivery {
            event,
            watching,
            loads: Mutex::new(HashMap::new()),
        }
    }

    /// The changed row of `E` as `actor` may see it, if it passes `filter`
    /// (applied to the row after the change; for a delete, to the row as it
    /// was). `None`: this subscriber hears nothing of the change.
    pub async fn seen<E: Filterable>(
        &self,
        db: &DatabaseConnection,
        actor: &Actor,
        filter: Option<&Filter>,
    ) -> Result<Option<Seen<E::Seen>>> {
        let Event::Changed(change) = &self.event else {
            return Ok(None);
        };
        let rules = RuleSet::of(actor);
        let cell = {
            let mut loads = self.loads.lock().unwrap_or_else(|e| e.into_inner());
            let typed = loads
                .entry(TypeId::of::<E>())
                .or_insert_with(|| Box::new(Loads::<E::Seen, Filter>::new()));
            let Some(typed) = typed.downcast_mut::<Loads<E::Seen, Filter>>() else {
                return Err(Error::Internal(sea_orm::DbErr::Custom(
                    "change loads of the wrong type".to_owned(),
                )));
            };
            Arc::clone(typed.entry(rules.clone()).or_default())
        };
        let outcome = cell
            .get_or_init(|| async {
                let mut filters = self.watching.filters::<E>(&rules);
                if let Some(filter) = filter
                    && !filters.contains(filter)
                {
                    filters.push(filter.clone());
                }
                load::<E>(db, actor, &filters, change)
                    .await
                    .map(Arc::new)
                    .map_err(Arc::new)
            })
            .await;
        let loaded = match outcome {
            Ok(loaded) => loaded,
            Err(err) => return Err(Error::Internal(sea_orm::DbErr::Custom(err.to_string()))),
        };
        let Some(seen) = &loaded.seen else {
            return Ok(None);
        };
        let passes = match filter {
            None => true,
            Some(filter) => match loaded.passes.get(filter) {
                Some(passes) => *passes,
                // Watched after this change's load began: decided alone.
                None => {
                    let one = std::slice::from_ref(filter);
                    decide::<E>(db, actor, one, change)
                        .await?
                        .get(filter)
                        .copied()
                        .unwrap_or(false)
                }
            },
        };
        Ok(passes.then(|| seen.clone()))
    }
}

/// Loads a changed row (or decides a deleted one) for one rule set, and
/// decides `filters` on it.
async fn load<E: Filterable>(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[Filter],
    change: &Change,
) -> Result<Loaded<E::Seen, Filter>> {
    let nothing = || Loaded {
        seen: None,
        passes: HashMap::new(),
    };
    let seen = if change.kind == ChangeKind::Deleted {
        let visible = was_visible::<E>(db, actor, Condition::all(), change).await?;
        if !visible {
            return Ok(nothing());
        }
        Seen::Deleted
    } else {
        let row = E::find()
            .filter(E::visible(actor))
            .filter(E::key_column().eq(change.id))
            .one(db)
            .await?;
        let Some(row) = row else {
            return Ok(nothing());
        };
        Seen::Row(crate::query::read::seen_one::<E>(db, actor, row).await?)
    };
    let passes = decide::<E>(db, actor, filters, change).await?;
    Ok(Loaded {
        seen: Some(seen),
        passes,
    })
}

/// Most filters decided by one statement.
const FILTERS_PER_STATEMENT: usize = 250;
/// Most values one statement binds (below SQLite's and PostgreSQL's bounds).
const VALUES_PER_STATEMENT: usize = 20_000;

/// Which of `filters` the changed row passes (as it is now; for a delete,
/// as it was): one column per filter, a few statements however many filters.
async fn decide<E: Filterable>(
    db: &DatabaseConnection,
    actor: &Actor,
    filters: &[Filter],
    change: &Change,
) -> Result<HashMap<Filter, bool>> {
    let backend = db.get_database_backend();
    let mut passes = HashMap::with_capacity(filters.len());
    let mut batch: Vec<(&Filter, sea_orm::Condition)> = Vec::new();
    let mut values = 0;
    for filter in filters {
        // Filters were checked when they were watched: a filter that no
        // longer compiles passes nothing.
        let Ok(condition) = filter::compile::<E>(backend, actor, Some(filter), None) else {
            passes.insert(filter.clone(), false);
            continue;
        };
        let bound = backend
            .build(
                Query::select()
                    .expr(Expr::val(1))
                    .cond_where(condition.clone()),
            )
            .values
            .map_or(0, |v| v.0.len());
        if !batch.is_empty()
            && (batch.len() >= FILTERS_PER_STATEMENT || values + bound > VALUES_PER_STATEMENT)
        {
            decide_batch::<E>(db, &std::mem::take(&mut batch), change, &mut passes).await?;
            values = 0;
        }
        values += bound;
        batch.push((filter, condition));
    }
    if !batch.is_empty() {
        decide_batch::<E>(db, &batch, change, &mut passes).await?;
    }
    Ok(passes)
}

async fn decide_batch<E: Filterable>(
    db: &DatabaseConnection,
    batch: &[(&Filter, sea_orm::Condition)],
    change: &Change,
    passes: &mut HashMap<Filter, bool>,
) -> Result<()> {
    let mut statement = Query::select();
    for (i, (_, condition)) in batch.iter().enumerate() {
        statement.expr_as(
            Expr::case(condition.clone(), 1).finally(0),
            Alias::new(format!("f{i}")),
        );
    }
    if change.kind == ChangeKind::Deleted {
        statement.from_subquery(before::<E>(db, change), E::default().into_iden());
    } else {
        statement
            .from(E::default())
            .and_where(E::key_column().eq(change.id));
    }
    let row = db.query_one(&statement).await?;
    for (i, (filter, _)) in batch.iter().enumerate() {
        let passed = match &row {
            Some(row) => row.try_get::<i32>("", &format!("f{i}")).unwrap_or(0) == 1,
            None => false,
        };
        passes.insert((*filter).clone(), passed);
    }
    Ok(())
}

/// Filters watched per entity and rule set, with how many subscribers watch
/// each: what a change's load decides for all of them at once.
#[derive(Default)]
pub struct Watching {
    filters: Mutex<HashMap<TypeId, Box<dyn Any + Send>>>,
}

type Watched<F> = HashMap<RuleSet, HashMap<F, usize>>;

impl Watching {
    fn with<E: Filterable, R>(&self, f: impl FnOnce(&mut Watched<Filter>) -> R) -> Option<R> {
        let mut filters = self.filters.lock().unwrap_or_else(|e| e.into_inner());
        let typed = filters
            .entry(TypeId::of::<E>())
            .or_insert_with(|| Box::new(Watched::<Filter>::new()));
        typed.downcast_mut::<Watched<Filter>>().map(f)
    }

    fn filters<E: Filterable>(&self, rules: &RuleSet) -> Vec<Filter> {
        self.with::<E, _>(|w| {
            w.get(rules)
                .map(|f| f.keys().cloned().collect())
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }
}

/// A subscriber's filter, watched until dropped.
pub struct Watch<E: Filterable> {
    watching: Arc<Watching>,
    rules: RuleSet,
    filter: Option<Filter>,
    of: std::marker::PhantomData<fn() -> E>,
}

impl<E: Filterable> Watch<E> {
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }
}

impl<E: Filterable> Drop for Watch<E> {
    fn drop(&mut self) {
        let Some(filter) = self.filter.take() else {
            return;
        };
        self.watching.with::<E, _>(|w| {
            if let Some(filters) = w.get_mut(&self.rules) {
                if let Some(count) = filters.get_mut(&filter) {
                    *count -= 1;
                    if *count == 0 {
                        filters.remove(&filter);
                    }
                }
                if filters.is_empty() {
                    w.remove(&self.rules);
                }
            }
        });
    }
}

/// Whether `actor` could see a deleted row (and it passed the filter): the
/// same rules, applied to the row as the audit log kept it before the delete
/// (the log commits with the delete), so a subscriber hears of the deletion
/// of what it could see and of nothing else.
async fn was_visible<E: Filterable>(
    db: &DatabaseConnection,
    actor: &Actor,
    condition: sea_orm::Condition,
    change: &Change,
) -> Result<bool> {
    let statement = Query::select()
        .expr(Expr::val(1))
        .from_subquery(before::<E>(db, change), E::default().into_iden())
        .cond_where(E::visible(actor))
        .cond_where(condition)
        .to_owned();
    Ok(db.query_one(&statement).await?.is_some())
}

/// The row of a delete as the audit log kept it, as a table of `E`'s columns.
fn before<E: Filterable>(
    db: &DatabaseConnection,
    change: &Change,
) -> sea_orm::sea_query::SelectStatement {
    use entity::audit_log::{Column as A, Entity as AuditLog};
    let table = E::default().table_name().to_owned();
    let mut before = Query::select();
    match db.get_database_backend() {
        DbBackend::Postgres => {
            before.expr(Expr::cust(format!(
                "(json_populate_record(NULL::\"{table}\", \"before\")).*"
            )));
        }
        _ => {
            for column in E::Column::iter() {
                let name = column.to_string();
                before.expr_as(
                    Expr::cust(format!("json_extract(\"before\", '$.{name}')")),
                    Alias::new(name),
                );
            }
        }
    }
    before
        .from(AuditLog)
        .and_where(A::EntityType.eq(change.record.audit_name()))
        .and_where(A::EntityKey.eq(change.id.to_string()))
        .and_where(A::Action.eq(crate::write::Action::Delete.as_str()))
        .order_by(A::Id, Order::Desc)
        .limit(1);
    before
}

#[cfg(test)]
mod tests;
