//! Organization names are unique within a country ignoring case, the same on
//! both databases: a `name_key` column holds the name's Unicode case folding
//! (computed by the service, which writes it with every name and fills it at
//! start-up for rows that have none), and the unique index is on it. The
//! index it replaces compared `lower(name)`, which is Unicode-aware on
//! PostgreSQL but ASCII-only on SQLite ("UNIVERSITÄT LEIPZIG" beside
//! "Universität Leipzig" was refused on one and accepted on the other).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD: &str = "organizations_country_code_lower_name_key";
const NEW: &str = "organizations_country_code_name_key_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE organizations ADD COLUMN name_key text NULL")
            .await?;
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {OLD}"))
            .await?;
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {NEW} ON organizations (country_code, name_key)"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {NEW}"))
            .await?;
        db.execute_unprepared("ALTER TABLE organizations DROP COLUMN name_key")
            .await?;
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {OLD} ON organizations (country_code, lower(name))"
        ))
        .await?;
        Ok(())
    }
}
