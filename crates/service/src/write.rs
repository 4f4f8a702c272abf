//! Writes: who may write, one transaction per write, optimistic concurrency,
//! referential safety, the audit trail, and the validation rules every domain
//! module shares.
//!
//! A write runs in one transaction (`BEGIN IMMEDIATE` on SQLite, so writers
//! queue instead of failing on lock upgrades) and is recorded in `audit_log` in
//! that same transaction: either the change and its record are both there, or
//! neither is.

use chrono::{NaiveDate, Utc};
use futures_util::future::BoxFuture;
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, UnionType};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IdenStatic, IntoActiveModel, PrimaryKeyTrait, QueryFilter,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde::Serialize;
use serde_json::Value as Json;

use entity::{Record, RecordType};

use crate::resource::Resource;

use crate::{Actor, Error, Result, Role};

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
        })
    }

    /// The time every timestamp of this write carries.
    pub fn now(&self) -> chrono::DateTime<Utc> {
        self.now
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Appends the audit record of this write.
    pub async fn record(
        &self,
        action: Action,
        entity_type: RecordType,
        key: i64,
        before: Option<Json>,
        after: Option<Json>,
    ) -> Result<()> {
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
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
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

struct VersionColumns<C> {
    id: C,
    version: C,
    created_at: C,
    updated_at: C,
}

fn version_columns<E: EntityTrait>() -> VersionColumns<E::Column> {
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
            table: crate::resource::table_name(&def.to_tbl),
            column: crate::resource::column_name(&def.to_col),
            label,
        }
    }
}

// ---- create, update, delete --------------------------------------------------

/// The model of an active model.
pub type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// A table the generic create / update / delete handle: how a change applies
/// to a row, what makes the result valid, and what the audit log keeps of it.
pub trait Edit: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send + Sync + 'static {
    /// The fields a client may set: `None` leaves a field as it is,
    /// `Some(None)` clears a nullable one.
    type Changes: Send;
    /// Who refers to a row of this table; a delete is refused while any of
    /// them holds a reference.
    fn references() -> Vec<Reference> {
        Vec::new()
    }
    /// Sets the given fields (normalized: trimmed, canonical case).
    fn apply(&mut self, changes: Self::Changes) -> Result<()>;
    /// Checks the whole row as it would be written (`id` is `None` on create).
    fn check(&mut self, w: &Write, id: Option<i64>) -> impl Future<Output = Result<()>> + Send;
    /// The row as the audit log keeps it: its columns, plus the join rows it
    /// owns (an agreement's parties, …) where it has any.
    fn audit_snapshot(w: &Write, row: &ModelOf<Self>) -> impl Future<Output = Result<Json>> + Send
    where
        ModelOf<Self>: Row + Sync,
    {
        let _ = w;
        let json = snapshot(row);
        async move { Ok(json) }
    }
}

/// Writes the join rows a row owns (its parties, partners, …) inside the
/// write, after the row itself; `id` is the row's.
pub trait Owned: for<'a> FnOnce(&'a Write, i64) -> BoxFuture<'a, Result<()>> + Send {}

impl<F> Owned for F where F: for<'a> FnOnce(&'a Write, i64) -> BoxFuture<'a, Result<()>> + Send {}

/// For rows that own no join rows.
pub fn nothing_owned(_: &Write, _: i64) -> BoxFuture<'_, Result<()>> {
    Box::pin(async { Ok(()) })
}

/// Creates a row from `changes`, records it, and returns it.
pub async fn create<A>(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: A::Changes,
) -> Result<<A::Entity as Resource>::Seen>
where
    A: Edit,
    A::Entity: Resource,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let w = Write::begin(db, actor, Permission::Write).await?;
    let row = create_in::<A>(&w, changes, nothing_owned).await?;
    w.commit().await?;
    crate::resource::seen_one::<A::Entity>(db, actor, row).await
}

/// Inside a write: inserts a checked row and what it owns, and records it.
pub async fn create_in<A>(w: &Write, changes: A::Changes, owned: impl Owned) -> Result<ModelOf<A>>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let columns = version_columns::<A::Entity>();
    let mut am = A::default();
    am.set(columns.version, 1.into());
    am.set(columns.created_at, w.now.into());
    am.set(columns.updated_at, w.now.into());
    am.apply(changes)?;
    am.check(w, None).await?;
    let row = am.insert(&w.txn).await?;
    owned(w, row.key()).await?;
    let after = A::audit_snapshot(w, &row).await?;
    w.record(
        Action::Create,
        <ModelOf<A> as Record>::TYPE,
        row.key(),
        None,
        Some(after),
    )
    .await?;
    Ok(row)
}

/// Applies `changes` to row `id` if the client saw its current `version`,
/// records the change, and returns the new row.
pub async fn update<A>(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    changes: A::Changes,
) -> Result<<A::Entity as Resource>::Seen>
where
    A: Edit,
    A::Entity: Resource,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let w = Write::begin(db, actor, Permission::Write).await?;
    let edit = |_: &ModelOf<A>, am: &mut A| am.apply(changes);
    let row = change_in::<A>(&w, id, version, Action::Update, edit, nothing_owned).await?;
    w.commit().await?;
    crate::resource::seen_one::<A::Entity>(db, actor, row).await
}

/// Inside a write: changes row `id` if the client saw its current `version`
/// (`edit` sees the row before and sets the new values), rewrites what it
/// owns, checks the result and records the change as `action`.
pub async fn change_in<A>(
    w: &Write,
    id: i64,
    version: i32,
    action: Action,
    edit: impl FnOnce(&ModelOf<A>, &mut A) -> Result<()> + Send,
    owned: impl Owned,
) -> Result<ModelOf<A>>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let before = load_for_change::<A::Entity>(w, id, version).await?;
    let before_json = A::audit_snapshot(w, &before).await?;
    let mut am = before.clone().into_active_model();
    edit(&before, &mut am)?;
    am.check(w, Some(id)).await?;
    let after = update_row(w, am, &before).await?;
    owned(w, id).await?;
    let after_json = A::audit_snapshot(w, &after).await?;
    w.record(
        action,
        <ModelOf<A> as Record>::TYPE,
        id,
        Some(before_json),
        Some(after_json),
    )
    .await?;
    Ok(after)
}

/// Deletes row `id` if the client saw its current `version` and nothing
/// refers to it (join rows owned by it go with it), and records the deletion.
pub async fn delete<A>(db: &DatabaseConnection, actor: &Actor, id: i64, version: i32) -> Result<()>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let w = Write::begin(db, actor, Permission::Delete).await?;
    let before = load_for_change::<A::Entity>(&w, id, version).await?;
    let before_json = A::audit_snapshot(&w, &before).await?;
    let what = <ModelOf<A> as Record>::TYPE.audit_name().replace('_', " ");
    ensure_unreferenced(&w, &what, id, &A::references()).await?;
    delete_row::<A::Entity>(&w, &before).await?;
    w.record(
        Action::Delete,
        <ModelOf<A> as Record>::TYPE,
        id,
        Some(before_json),
        None,
    )
    .await?;
    w.commit().await
}

/// Declares the change set of a table and its `apply` (the body of
/// [`Edit::apply`]): each field is `Option<T>` ("leave as is" when `None`),
/// and a field may name a normalizer `fn(T) -> Result<T>`.
#[macro_export]
macro_rules! changes {
    ($(#[$meta:meta])* $name:ident for $am:ty { $($field:ident : $ty:ty $(=> $norm:expr)?),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $(pub $field: Option<$ty>,)*
        }

        impl $name {
            /// Sets the given fields of `am`, normalized.
            pub fn apply_to(self, am: &mut $am) -> $crate::Result<()> {
                $(
                    if let Some(value) = self.$field {
                        $(let value = ($norm)(value)?;)?
                        am.$field = sea_orm::ActiveValue::Set(value);
                    }
                )*
                Ok(())
            }
        }
    };
}

// ---- validation ------------------------------------------------------------

/// Longest name or title accepted.
pub const MAX_NAME: usize = 300;
/// Longest free text accepted (summaries, descriptions).
pub const MAX_TEXT: usize = 10_000;
/// Most entries of a list in one input (parties, fields of study, partners).
pub const MAX_LIST: usize = 50;

/// Refuses a list longer than [`MAX_LIST`].
pub fn list_size<T>(field: &str, items: &[T]) -> Result<()> {
    if items.len() > MAX_LIST {
        return Err(Error::bad_input(
            field,
            format!("`{field}` holds at most {MAX_LIST} entries"),
        ));
    }
    Ok(())
}

/// A required text: trimmed, not empty, not too long.
pub fn name(field: &str, value: String) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::bad_input(
            field,
            format!("`{field}` must not be empty"),
        ));
    }
    if value.chars().count() > MAX_NAME {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is longer than {MAX_NAME} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// An optional text: trimmed, an empty one is no value.
pub fn text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is longer than {max} characters"),
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// An e-mail address in the usual `local@domain` form.
pub fn email(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 254)? else {
        return Ok(None);
    };
    let options = email_address::Options::default().without_display_text();
    let has_dot = value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.contains('.'));
    if email_address::EmailAddress::parse_with_options(&value, options).is_err() || !has_dot {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is not an e-mail address"),
        ));
    }
    Ok(Some(value))
}

/// An absolute `http` or `https` URL.
pub fn web_url(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 2000)? else {
        return Ok(None);
    };
    match url::Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(Some(value))
        }
        _ => Err(Error::bad_input(
            field,
            format!("`{field}` must be an absolute http(s) URL"),
        )),
    }
}

/// A Research Organization Registry id: `0` + six base-32 characters + a
/// two-digit checksum, bare or as `https://ror.org/…`; stored in the URL form.
pub fn ror_id(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 100)? else {
        return Ok(None);
    };
    let lower = value.to_ascii_lowercase();
    let id = ["https://ror.org/", "http://ror.org/", "ror.org/"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower)
        .to_owned();
    let bytes = id.as_bytes();
    let valid = bytes.len() == 9
        && bytes[0] == b'0'
        && bytes[1..7]
            .iter()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_lowercase() && !b"ilou".contains(b)))
        && bytes[7..].iter().all(u8::is_ascii_digit);
    if !valid {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is not a ROR id (like `https://ror.org/03cve4549` or `03cve4549`)"),
        ));
    }
    Ok(Some(format!("https://ror.org/{id}")))
}

/// An ISO 639-1 language code, stored in lower case.
pub fn language(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 10)? else {
        return Ok(None);
    };
    let code = value.to_ascii_lowercase();
    if isolang::Language::from_639_1(&code).is_none() {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is not an ISO 639-1 language code"),
        ));
    }
    Ok(Some(code))
}

/// `earlier` must not come after `later` when both are given. Each is
/// `(field, value, changed by this write)`; the error names the field the
/// write changed (the later one when both or neither changed).
pub fn date_order(
    earlier: (&str, Option<NaiveDate>, bool),
    later: (&str, Option<NaiveDate>, bool),
) -> Result<()> {
    if let ((earlier_field, Some(a), earlier_changed), (later_field, Some(b), later_changed)) =
        (earlier, later)
        && a > b
    {
        let blamed = if earlier_changed && !later_changed {
            earlier_field
        } else {
            later_field
        };
        return Err(Error::bad_input(
            blamed,
            format!("`{later_field}` must not be before `{earlier_field}`"),
        ));
    }
    Ok(())
}

/// A date column's value and whether this write changes it, for [`date_order`].
pub fn date_of(
    field: &'static str,
    value: &ActiveValue<NaiveDate>,
) -> (&'static str, Option<NaiveDate>, bool) {
    (field, value.try_as_ref().copied(), value.is_set())
}

/// [`date_of`] for a nullable date column.
pub fn opt_date_of(
    field: &'static str,
    value: &ActiveValue<Option<NaiveDate>>,
) -> (&'static str, Option<NaiveDate>, bool) {
    (field, value.try_as_ref().copied().flatten(), value.is_set())
}

/// The value of a column that must be set on create.
pub fn required<'a, T>(field: &str, value: &'a ActiveValue<T>) -> Result<&'a T>
where
    T: Into<sea_orm::Value>,
{
    value
        .try_as_ref()
        .ok_or_else(|| Error::bad_input(field, format!("`{field}` is required")))
}

/// The current value of a column of a row being created or changed.
pub fn value<T>(value: &ActiveValue<T>) -> Option<&T>
where
    T: Into<sea_orm::Value>,
{
    value.try_as_ref()
}

/// True when the write gives this column a new value.
pub fn changed<T>(value: &ActiveValue<T>) -> bool
where
    T: Into<sea_orm::Value>,
{
    value.is_set()
}

/// The row `id` of `E`, or `BAD_USER_INPUT` naming `field`.
pub async fn referenced<E>(w: &Write, field: &str, id: i64) -> Result<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| Error::bad_input(field, format!("`{field}` names no existing record")))
}

/// A country code that exists (ISO 3166-1 alpha-2), in upper case.
pub async fn country(w: &Write, field: &str, code: &str) -> Result<String> {
    let code = code.trim().to_ascii_uppercase();
    known_code::<entity::country::Entity>(w, field, code, "an ISO 3166-1 country code").await
}

/// A field-of-study code that exists (ISCED-F 2013).
pub async fn field_of_study(w: &Write, field: &str, code: &str) -> Result<String> {
    let code = code.trim().to_owned();
    known_code::<entity::field_of_study::Entity>(w, field, code, "an ISCED-F field of study code")
        .await
}

/// `code` if it is the key of a row of the reference table `E`.
async fn known_code<E>(w: &Write, field: &str, code: String, what: &str) -> Result<String>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    match E::find_by_id(code.clone()).one(&w.txn).await? {
        Some(_) => Ok(code),
        None => Err(Error::bad_input(field, format!("`{field}` is not {what}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ror_ids_are_accepted_bare_or_as_urls_and_stored_as_urls() {
        for given in [
            "03cve4549",
            "https://ror.org/03cve4549",
            "ror.org/03cve4549",
            "HTTPS://ROR.ORG/03CVE4549",
        ] {
            assert_eq!(
                ror_id("rorId", Some(given.to_owned())).expect(given),
                Some("https://ror.org/03cve4549".to_owned()),
                "{given}"
            );
        }
    }

    #[test]
    fn malformed_ror_ids_are_refused_naming_the_field() {
        // Wrong length, not starting with 0, excluded letters (i, l, o, u), letters in the checksum.
        for given in [
            "0abcd23",
            "1abcd2345",
            "0abcd234567",
            "0ibcd2345",
            "0abcd23ab",
        ] {
            let err = ror_id("rorId", Some(given.to_owned())).expect_err(given);
            assert_eq!(err.field(), Some("rorId"));
            assert!(!err.to_string().contains(given), "no echo: {err}");
        }
        assert_eq!(ror_id("rorId", Some("  ".to_owned())).expect("blank"), None);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Kassel  ".to_owned()).expect("ok"), "Kassel");
        assert!(name("name", "   ".to_owned()).is_err());
        assert!(name("name", "x".repeat(MAX_NAME + 1)).is_err());
        assert!(list_size("parties", &[0; MAX_LIST]).is_ok());
        assert!(list_size("parties", &[0; MAX_LIST + 1]).is_err());
    }
}
