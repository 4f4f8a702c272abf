//! Text sorts as people read it: on PostgreSQL, the names and titles a list
//! can be ordered (or `min`/`max`-ed, or grouped) by take ICU's root
//! collation, `und-x-icu` — letters first, accents and case second — so that
//! "Hochschule für Technik" comes before "Hochschule Ulm" and "Technische
//! Universität" before "TechProtect". Their indexes (the directory's
//! `(country_code, name, id)`, the trigram indexes) are rebuilt with the
//! column and serve the new order.
//!
//! SQLite has no ICU: the service registers a collation on every connection
//! it opens and names it in its `ORDER BY` (see `service::query::page`); the
//! schema there stays plain, so that any SQLite client can still open the file.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column) of the text that lists order by.
const ORDERED_TEXT: &[(&str, &str)] = &[
    ("countries", "name"),
    ("fields_of_study", "name"),
    ("organizations", "name"),
    ("organizations", "city"),
    ("people", "full_name"),
    ("people", "title"),
    ("events", "name"),
    ("agreements", "title"),
    ("programs", "name"),
    ("students", "full_name"),
    ("joint_units", "name"),
];

async fn collate(manager: &SchemaManager<'_>, collation: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    for (table, column) in ORDERED_TEXT {
        db.execute_unprepared(&format!(
            r#"ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text COLLATE "{collation}""#
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        collate(manager, "und-x-icu").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        collate(manager, "default").await
    }
}
