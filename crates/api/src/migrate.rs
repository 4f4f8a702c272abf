//! Migrating is the binary's job (the service knows nothing of migrations):
//! applying pending migrations at start-up and the `migrate` command's helper.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Runs `work` with SQLite's foreign-key checks off (on this connection),
/// so that migrations may drop tables other tables refer to; on again after.
/// Use a pool of one connection: the switch holds per connection.
/// PostgreSQL needs nothing of the kind (`DROP … CASCADE`).
pub async fn with_foreign_keys_deferred<T, E>(
    db: &DatabaseConnection,
    work: impl std::future::Future<Output = std::result::Result<T, E>>,
) -> std::result::Result<T, E>
where
    E: From<sea_orm::DbErr>,
{
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    if sqlite {
        db.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    }
    let outcome = work.await;
    if sqlite {
        db.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    }
    outcome
}

/// Applies every pending migration. On PostgreSQL they run in one
/// transaction that first takes an advisory lock, so replicas starting
/// together migrate one after the other (the second finds nothing to do).
pub async fn up(db: &DatabaseConnection) -> service::Result<()> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        Migrator::up(db, None).await?;
        return Ok(());
    }
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await?;
    Ok(())
}

/// The advisory lock key migrations hold on PostgreSQL ("partners" in ASCII).
const MIGRATION_LOCK: i64 = 0x7061_7274_6e65_7273;

/// For the `migrate` command, whose pool has one connection: holds the
/// migration lock on that connection until the process ends, so that what
/// the command reads before and after migrating is not raced by a replica
/// or another `migrate` (SQLite: nothing to do, writers queue anyway).
pub async fn hold_lock(db: &DatabaseConnection) -> service::Result<()> {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            .await?;
    }
    Ok(())
}
