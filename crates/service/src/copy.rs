//! Copying every table from one database to another (SQLite ↔ PostgreSQL):
//! reference data, records with their ids and versions, their join rows, and
//! the audit log, so that every global id stays valid. The caller checks the
//! two databases (versions, emptiness) and owns the target's transaction;
//! this module moves rows in batches, parents before children.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Iterable,
    PaginatorTrait, PrimaryKeyToColumn, QueryOrder, Statement,
};

use crate::Result;

/// Rows read and written at a time.
pub const BATCH: u64 = 500;

/// Every table the copy moves, parents before the tables that refer to them.
/// Reference data (countries, fields of study) comes first: migrations load
/// it into every new database, and the copy replaces it with the source's.
pub const TABLES: &[&str] = &[
    "countries",
    "fields_of_study",
    "organizations",
    "people",
    "events",
    "agreements",
    "agreement_parties",
    "agreement_fields",
    "programs",
    "students",
    "joint_units",
    "joint_unit_partners",
    "visits",
    "organization_identifiers",
    "organization_names",
    "cooperation_conditions",
    "cooperation_condition_subjects",
    "cooperation_condition_languages",
    "audit_log",
];

/// The tables migrations fill (reference data).
pub const REFERENCE: &[&str] = &["countries", "fields_of_study"];

/// Tables whose `id` a sequence hands out (PostgreSQL).
const SEQUENCED: &[&str] = &[
    "organizations",
    "people",
    "events",
    "agreements",
    "programs",
    "students",
    "joint_units",
    "visits",
    "cooperation_conditions",
    "audit_log",
];

fn count_statement(backend: DbBackend, table: &str) -> Statement {
    Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM \"{table}\""))
}

/// The rows of `table`.
pub async fn count(db: &impl ConnectionTrait, table: &str) -> Result<u64> {
    let row = db
        .query_one_raw(count_statement(db.get_database_backend(), table))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Every table of `db`, migrations' own included, as the database lists them.
async fn all_tables(db: &DatabaseConnection) -> Result<Vec<String>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut names = rows
        .iter()
        .map(|row| row.try_get::<String>("", "name"))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    names.sort();
    Ok(names)
}

/// The tables of `db` (besides migrations' own), as the database lists them.
pub async fn tables(db: &DatabaseConnection) -> Result<Vec<String>> {
    let mut names = all_tables(db).await?;
    names.retain(|name| name != MIGRATIONS);
    Ok(names)
}

/// sea-orm-migration's table of applied migrations.
const MIGRATIONS: &str = "seaql_migrations";

/// The migrations applied to `db`, or `None` when it has no migrations
/// table (read, never created: the migrator's own listing would create it).
pub async fn applied_migrations(
    db: &DatabaseConnection,
) -> Result<Option<std::collections::BTreeSet<String>>> {
    if !all_tables(db).await?.iter().any(|t| t == MIGRATIONS) {
        return Ok(None);
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT version FROM {MIGRATIONS}"),
        ))
        .await?;
    let versions = rows
        .iter()
        .map(|row| row.try_get::<String>("", "version"))
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(versions))
}

/// Copies every table of `from` into `to` (a transaction on the target,
/// whose reference rows it replaces), telling `progress` each table's rows
/// copied so far. Returns the rows copied per table.
pub async fn copy_all<C: ConnectionTrait>(
    from: &DatabaseConnection,
    to: &C,
    progress: &mut (dyn FnMut(&'static str, u64) + Send),
) -> Result<Vec<(&'static str, u64)>> {
    use entity::*;
    for table in REFERENCE.iter().rev() {
        to.execute_unprepared(&format!("DELETE FROM \"{table}\""))
            .await?;
    }
    let mut copied = Vec::with_capacity(TABLES.len());
    macro_rules! copy {
        ($($table:literal => $module:ident),+ $(,)?) => {$(
            let rows = table::<$module::Entity, C>(from, to, &mut |n| progress($table, n)).await?;
            copied.push(($table, rows));
        )+};
    }
    copy!(
        "countries" => country,
        "fields_of_study" => field_of_study,
        "organizations" => organization,
        "people" => person,
    );
    let rows = events(from, to, &mut |n| progress("events", n)).await?;
    copied.push(("events", rows));
    copy!(
        "agreements" => agreement,
        "agreement_parties" => agreement_party,
        "agreement_fields" => agreement_field,
        "programs" => program,
        "students" => student,
        "joint_units" => joint_unit,
        "joint_unit_partners" => joint_unit_partner,
        "visits" => visit,
        "organization_identifiers" => organization_identifier,
        "organization_names" => organization_name,
        "cooperation_conditions" => cooperation_condition,
        "cooperation_condition_subjects" => cooperation_condition_subject,
        "cooperation_condition_languages" => cooperation_condition_language,
        "audit_log" => audit_log,
    );
    debug_assert_eq!(
        copied.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        TABLES.to_vec()
    );
    Ok(copied)
}

/// Copies the rows of `E`, in batches by primary key.
async fn table<E, C>(
    from: &DatabaseConnection,
    to: &C,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<u64>
where
    E: EntityTrait,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
    C: ConnectionTrait,
{
    let mut select = E::find();
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    let mut pages = select.paginate(from, BATCH);
    let mut done = 0;
    while let Some(rows) = pages.fetch_and_next().await? {
        done += insert::<E, C>(to, rows).await?;
        progress(done);
    }
    Ok(done)
}

/// Inserts `rows` as they are (ids, versions and all).
async fn insert<E, C>(to: &C, rows: Vec<E::Model>) -> Result<u64>
where
    E: EntityTrait,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E>,
    C: ConnectionTrait,
{
    let n = rows.len() as u64;
    if n == 0 {
        return Ok(0);
    }
    let models = rows.into_iter().map(|row| {
        // Every column set, the key included.
        let model: E::ActiveModel = sea_orm::IntoActiveModel::into_active_model(row);
        model.reset_all()
    });
    E::insert_many(models).exec_without_returning(to).await?;
    Ok(n)
}

/// Events refer to their parent event: parents are written first.
async fn events<C: ConnectionTrait>(
    from: &DatabaseConnection,
    to: &C,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<u64> {
    use entity::event;
    let mut left = event::Entity::find()
        .order_by_asc(event::Column::Id)
        .all(from)
        .await?;
    let mut written = std::collections::HashSet::new();
    let mut done = 0;
    while !left.is_empty() {
        let (ready, waiting): (Vec<_>, Vec<_>) = left.into_iter().partition(|row| {
            row.parent_event_id
                .is_none_or(|parent| written.contains(&parent))
        });
        if ready.is_empty() {
            return Err(crate::Error::bad_input(
                "from",
                "the source's events refer to parents in a cycle or to missing parents",
            ));
        }
        written.extend(ready.iter().map(|row| row.id));
        for batch in ready.chunks(BATCH as usize) {
            done += insert::<event::Entity, C>(to, batch.to_vec()).await?;
            progress(done);
        }
        left = waiting;
    }
    Ok(done)
}

/// After the rows are in: PostgreSQL's sequences continue after the highest
/// copied id (a new row must not take a copied one's id).
pub async fn fix_sequences<C: ConnectionTrait>(to: &C) -> Result<()> {
    if to.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in SEQUENCED {
        to.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), \
             COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics of the copied tables.
pub async fn analyze(db: &DatabaseConnection) -> Result<()> {
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}
