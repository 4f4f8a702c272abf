//! A visit may be made under an agreement (`visits.agreement_id`), as a
//! student may: staff mobility counts against an agreement's cooperation
//! conditions (`Agreement.mobilityBalance`) only when it says so.
//!
//! SQLite cannot drop a column a foreign key uses, so there the way down
//! keeps the column (the visits table itself goes with an earlier
//! migration's way down) and the way up adds it only where it is missing.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "visits_agreement_id_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        if !(backend == DbBackend::Sqlite && has_column(db).await?) {
            let key = match backend {
                DbBackend::Postgres => "bigint",
                _ => "integer",
            };
            db.execute_unprepared(&format!(
                "ALTER TABLE visits ADD COLUMN agreement_id {key} NULL \
                 CONSTRAINT visits_agreement_id_fkey REFERENCES agreements (id)"
            ))
            .await?;
        }
        db.execute_unprepared(&format!(
            "CREATE INDEX IF NOT EXISTS {INDEX} ON visits (agreement_id)"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {INDEX}"))
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("ALTER TABLE visits DROP COLUMN agreement_id")
                .await?;
        } else {
            db.execute_unprepared("UPDATE visits SET agreement_id = NULL")
                .await?;
        }
        Ok(())
    }
}

/// Whether SQLite's `visits` already has the column (kept by a way down).
async fn has_column(db: &SchemaManagerConnection<'_>) -> Result<bool, DbErr> {
    let found = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT 1 FROM pragma_table_info('visits') WHERE name = 'agreement_id'",
        ))
        .await?;
    Ok(found.is_some())
}
