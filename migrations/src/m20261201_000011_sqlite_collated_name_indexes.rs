//! On SQLite, the indexes that serve text in the people's order: each name
//! or title with the `unicode` collation the service registers on its
//! connections (`service::query::page::UNICODE_COLLATION`), then the id, as
//! the pages' `ORDER BY … COLLATE unicode, id` reads them. (PostgreSQL's
//! columns carry their ICU collation, and their indexes with them.)
//!
//! A connection that has not registered the collation can still read the
//! file, but cannot write the rows of these tables (SQLite must keep the
//! index in order): write through the API, or register a collation named
//! `unicode` in your SQLite client.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column, key) of the names and titles pages order by, with the
/// key that ends the order.
const NAMES: &[(&str, &str, &str)] = &[
    ("countries", "name", "code"),
    ("fields_of_study", "name", "code"),
    ("organizations", "name", "id"),
    ("people", "full_name", "id"),
    ("events", "name", "id"),
    ("agreements", "title", "id"),
    ("programs", "name", "id"),
    ("students", "full_name", "id"),
    ("joint_units", "name", "id"),
];

fn name(table: &str, column: &str) -> String {
    format!("{table}_{column}_unicode_idx")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, column, key) in NAMES {
            db.execute_unprepared(&format!(
                r#"CREATE INDEX IF NOT EXISTS "{}" ON "{table}" ("{column}" COLLATE unicode, "{key}")"#,
                name(table, column)
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, column, _) in NAMES {
            db.execute_unprepared(&format!(
                r#"DROP INDEX IF EXISTS "{}""#,
                name(table, column)
            ))
            .await?;
        }
        Ok(())
    }
}
