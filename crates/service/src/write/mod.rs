//! Writes: who may write, one transaction per write, optimistic concurrency,
//! referential safety, the audit trail, and the validation rules every domain
//! module shares.
//!
//! A write runs in one transaction (`BEGIN IMMEDIATE` on SQLite, so writers
//! queue instead of failing on lock upgrades) and is recorded in `audit_log` in
//! that same transaction: either the change and its record are both there, or
//! neither is.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, UnionType};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IdenStatic, IntoActiveModel, PrimaryKeyTrait, QueryFilter,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde::Serialize;
use serde_json::Value as Json;

use entity::{Record, RecordType};

use crate::change::{Change, ChangeKind};
use crate::{Actor, Error, Result, Role};

mod crud;
mod input;
mod validate;

pub use crud::*;
pub use input::*;
pub use validate::*;

/// What a write needs the actor to be allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Create and update: staff and admins.
    Write,
    /// Delete: admins only.
    Delete,
}

/// What a write did, as recorded in the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Create,
    Update,
    Delete,
    StatusChange,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::StatusChange => "status_change",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Action::Create,
            Action::Update,
            Action::Delete,
            Action::StatusChange,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// Refuses actors who may not write: anonymous callers must sign in, partners
/// and (for deletes) staff are forbidden.
pub fn authorize(actor: &Actor, permission: Permission) -> Result<()> {
    match (actor.role, permission) {
        (None, _) => Err(Error::Unauthenticated(
            "sign in with a staff or admin token to make changes".to_owned(),
        )),
        (Some(Role::Admin), _) | (Some(Role::Staff), Permission::Write) => Ok(()),
        (Some(Role::Staff), Permission::Delete) => Err(Error::Forbidden(
            "only admins may delete records".to_owned(),
        )),
        (Some(Role::Partner), _) => Err(Error::Forbidden(
            "partners may read their records but not change them".to_owned(),
        )),
    }
}

/// A row the write layer handles: its audit name, key and version.
/// A row the generic write path changes: a record (its type, id and
/// version, from the entity registry) that the audit log can store.
pub trait Row: Record + Serialize {
    /// The surrogate id.
    fn key(&self) -> i64 {
        self.id()
    }
}

impl<T: Record + Serialize> Row for T {}

/// The row as the audit log stores it.
pub fn snapshot<T: Serialize>(row: &T) -> Json {
    serde_json::to_value(row).unwrap_or(Json::Null)
}

/// One write in progress: its transaction, the actor, and its clock.
pub struct Write {
    pub txn: DatabaseTransaction,
    sub: String,
    role: &'static str,
    now: chrono::DateTime<Utc>,
    /// Changes to announce when the write commits (SQLite; PostgreSQL
    /// announces inside the transaction), and the database they belong to.
    pending: std::sync::Mutex<Vec<Change>>,
    database: String,
}

impl Write {
    /// Checks the actor's permission and opens the transaction.
    pub async fn begin(
        db: &DatabaseConnection,
        actor: &Actor,
        permission: Permission,
    ) -> Result<Self> {
        authorize(actor, permission)?;
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        let role = match actor.role {
            Some(Role::Admin) => "admin",
            Some(Role::Staff) => "staff",
            Some(Role::Partner) => "partner",
            None => "anonymous",
        };
        Ok(Write {
            txn,
            sub: actor.sub.clone().unwrap_or_default(),
            role,
            now: Utc::now(),
            pending: std::sync::Mutex::new(Vec::new()),
            database: crate::change::identity(db),
        })
    }

    /// The time every timestamp of this write carries.
    pub fn now(&self) -> chrono::DateTime<Utc> {
        self.now
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Appends the audit record of this write and announces the change to
    /// subscribers once the write commits (`crate::change`).
    pub async fn record(
        &self,
        action: Action,
        entity_type: RecordType,
        key: i64,
        before: Option<Json>,
        after: Option<Json>,
    ) -> Result<()> {
        let version = |json: &Option<Json>| {
            json.as_ref()
                .and_then(|j| j.get("version"))
                .and_then(Json::as_i64)
                .and_then(|v| i32::try_from(v).ok())
        };
        if let Some(after) = &after {
            crate::search::refresh(&self.txn, entity_type, key, after).await?;
            if entity_type == RecordType::Organization {
                crate::organization::keep_name_key(&self.txn, key, after).await?;
            }
        }
        let change = Change {
            record: entity_type,
            id: key,
            version: version(&after).or_else(|| version(&before)),
            kind: ChangeKind::of(action),
        };
        entity::audit_log::ActiveModel {
            at: ActiveValue::Set(self.now),
            actor_sub: ActiveValue::Set(self.sub.clone()),
            actor_role: ActiveValue::Set(self.role.to_owned()),
            action: ActiveValue::Set(action.as_str().to_owned()),
            entity_type: ActiveValue::Set(entity_type.audit_name().to_owned()),
            entity_key: ActiveValue::Set(key.to_string()),
            before: ActiveValue::Set(before),
            after: ActiveValue::Set(after),
            ..Default::default()
        }
        .insert(&self.txn)
        .await?;
        let backend = self.txn.get_database_backend();
        if backend == sea_orm::DbBackend::Postgres {
            // Delivered by PostgreSQL when (and only if) the transaction commits.
            self.txn
                .execute_raw(sea_orm::Statement::from_sql_and_values(
                    backend,
                    "SELECT pg_notify($1, $2)",
                    [crate::change::CHANNEL.into(), change.payload().into()],
                ))
                .await?;
        } else {
            self.pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(change);
        }
        Ok(())
    }

    /// A write inside this one (a savepoint), by the same actor at the same
    /// time: dropping it undoes what it did; [`Write::keep`] makes it part
    /// of this write.
    pub async fn nested(&self) -> Result<Write> {
        Ok(Write {
            txn: sea_orm::TransactionTrait::begin(&self.txn).await?,
            sub: self.sub.clone(),
            role: self.role,
            now: self.now,
            pending: std::sync::Mutex::new(Vec::new()),
            database: self.database.clone(),
        })
    }

    /// Keeps what a [`Write::nested`] write did as part of this one: its
    /// changes are announced when this one commits.
    pub async fn keep(&self, nested: Write) -> Result<()> {
        nested.txn.commit().await?;
        let pending = nested
            .pending
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(pending);
        Ok(())
    }

    /// Undoes the write (and announces nothing).
    pub async fn rollback(self) -> Result<()> {
        self.txn.rollback().await?;
        Ok(())
    }

    /// Commits the write, then announces its changes (SQLite).
    pub async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        let pending = self.pending.into_inner().unwrap_or_else(|e| e.into_inner());
        if !pending.is_empty() {
            crate::change::announce_local(&self.database, pending);
        }
        Ok(())
    }
}

/// The row to change, if the client saw its current version.
pub async fn load_for_change<E>(w: &Write, id: i64, version: i32) -> Result<E::Model>
where
    E: EntityTrait,
    E::Model: Row,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let row = E::find_by_id(id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| not_found(<E::Model as Record>::TYPE.audit_name()))?;
    if row.version() != version {
        return Err(stale(
            <E::Model as Record>::TYPE.audit_name(),
            id,
            row.version(),
            version,
        ));
    }
    Ok(row)
}

fn stale(what: &str, _id: i64, current: i32, given: i32) -> Error {
    let what = what.replace('_', " ");
    Error::Conflict {
        message: format!(
            "the {what} was changed by someone else: its version is {current}, you sent {given}; reload it and apply your change again"
        ),
        current_version: Some(current),
    }
}

/// `NOT_FOUND` for a row of `what` (an audit entity name).
fn not_found(what: &str) -> Error {
    Error::NotFound(format!("the {}", what.replace('_', " ")))
}

/// Inside a write: holds the row `before` (for the rest of the transaction) if
/// it still has the version the client saw, for writes that depend on a row
/// without changing it (a renewal depends on its predecessor).
pub async fn hold<E>(w: &Write, before: &E::Model) -> Result<()>
where
    E: EntityTrait,
    E::Model: Row,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let (id, version) = (before.key(), before.version());
    let columns = version_columns::<E>();
    let held = E::update_many()
        .col_expr(columns.version, Expr::col(columns.version))
        .filter(columns.id.eq(id))
        .filter(columns.version.eq(version))
        .exec(&w.txn)
        .await?;
    if held.rows_affected == 0 {
        return Err(concurrent::<E>(w, id, version).await);
    }
    Ok(())
}

/// Writes the changed columns of `am` (plus `version + 1` and `updated_at`)
/// only if the row still has the version the client saw, and returns the new
/// row. Losing the race to a concurrent writer is a `CONFLICT`.
pub async fn update_row<A>(
    w: &Write,
    mut am: A,
    before: &<A::Entity as EntityTrait>::Model,
) -> Result<<A::Entity as EntityTrait>::Model>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: Row + IntoActiveModel<A> + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
    <A::Entity as EntityTrait>::Column: ColumnTrait,
{
    let (id, version) = (before.key(), before.version());
    let columns = version_columns::<A::Entity>();
    am.set(columns.version, (version + 1).into());
    am.set(columns.updated_at, w.now.into());
    let update = <A::Entity as EntityTrait>::update_many()
        .set(am)
        .filter(columns.id.eq(id))
        .filter(columns.version.eq(version));
    // One statement where the database returns the updated row.
    if w.txn.support_returning() {
        return match update.exec_with_returning(&w.txn).await?.pop() {
            Some(row) => Ok(row),
            None => Err(concurrent::<A::Entity>(w, id, version).await),
        };
    }
    if update.exec(&w.txn).await?.rows_affected == 0 {
        return Err(concurrent::<A::Entity>(w, id, version).await);
    }
    <A::Entity as EntityTrait>::find_by_id(id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| not_found(<<A::Entity as EntityTrait>::Model as Record>::TYPE.audit_name()))
}

/// Deletes the row if it still has the version the client saw.
pub async fn delete_row<E>(w: &Write, before: &E::Model) -> Result<()>
where
    E: EntityTrait,
    E::Model: Row,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let (id, version) = (before.key(), before.version());
    let columns = version_columns::<E>();
    let result = E::delete_many()
        .filter(columns.id.eq(id))
        .filter(columns.version.eq(version))
        .exec(&w.txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(concurrent::<E>(w, id, version).await);
    }
    Ok(())
}

/// The error for a guarded statement that matched nothing: the row changed
/// or went between our read and our write.
async fn concurrent<E>(w: &Write, id: i64, version: i32) -> Error
where
    E: EntityTrait,
    E::Model: Row,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    match E::find_by_id(id).one(&w.txn).await {
        Ok(Some(row)) => stale(
            <E::Model as Record>::TYPE.audit_name(),
            id,
            row.version(),
            version,
        ),
        Ok(None) => not_found(<E::Model as Record>::TYPE.audit_name()),
        Err(err) => err.into(),
    }
}

pub(crate) struct VersionColumns<C> {
    id: C,
    version: C,
    created_at: C,
    updated_at: C,
}

pub(crate) fn version_columns<E: EntityTrait>() -> VersionColumns<E::Column> {
    use sea_orm::Iterable;
    let find = |name: &str| {
        E::Column::iter()
            .find(|c| c.as_str() == name)
            .unwrap_or_else(|| panic!("{} has no `{name}` column", E::default().table_name()))
    };
    VersionColumns {
        id: find("id"),
        version: find("version"),
        created_at: find("created_at"),
        updated_at: find("updated_at"),
    }
}

/// Runs a `SELECT COUNT(*) …` whose parameters are written `{1}`, `{2}`, …
/// (placed as `$n` on PostgreSQL, `?n` on SQLite) and returns the count.
pub async fn count(w: &Write, sql: &str, params: &[i64]) -> Result<i64> {
    let backend = w.txn.get_database_backend();
    let mut text = sql.to_owned();
    for n in 1..=params.len() {
        let placeholder = match backend {
            sea_orm::DbBackend::Postgres => format!("${n}"),
            _ => format!("?{n}"),
        };
        text = text.replace(&format!("{{{n}}}"), &placeholder);
    }
    let values = params.iter().map(|&p| sea_orm::Value::from(p));
    let row = w
        .txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend, text, values,
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    })
}

/// Refuses to delete a row that others still refer to: `refs` lists
/// `(table, column, what)`; the error names each kind of dependent and how many.
pub async fn ensure_unreferenced(w: &Write, what: &str, id: i64, refs: &[Reference]) -> Result<()> {
    // One statement: a count per kind of reference, tagged with its index.
    let count = |i: usize, table: &str, column: &str| {
        Query::select()
            .expr_as(Expr::val(i as i64), Alias::new("i"))
            .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(column)).eq(id))
            .take()
    };
    let mut refs_iter = refs.iter().enumerate();
    let Some((_, first)) = refs_iter.next() else {
        return Ok(());
    };
    let mut statement = count(0, first.table, first.column);
    for (i, r) in refs_iter {
        statement.union(UnionType::All, count(i, r.table, r.column));
    }
    let mut counts = vec![0i64; refs.len()];
    for row in w.txn.query_all(&statement).await? {
        let i: i64 = row.try_get("", "i")?;
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| counts.get_mut(i)) {
            *slot = row.try_get("", "n")?;
        }
    }
    let found: Vec<String> = refs
        .iter()
        .zip(&counts)
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| format!("{n} {}", r.label))
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::conflict(format!(
            "the {what} cannot be deleted while other records depend on it: {}",
            found.join(", ")
        )))
    }
}

/// Rows of another table that refer to a row: one of the entity's `has_many`
/// relations, and what its rows are called in the refusal of a delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    table: &'static str,
    column: &'static str,
    label: &'static str,
}

impl Reference {
    pub fn new(has_many: impl sea_orm::RelationTrait, label: &'static str) -> Reference {
        let def = has_many.def();
        Reference {
            table: crate::query::resource::table_name(&def.to_tbl),
            column: crate::query::resource::column_name(&def.to_col),
            label,
        }
    }
}
