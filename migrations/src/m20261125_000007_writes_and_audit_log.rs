//! What writes need: the link from a renewed agreement to its predecessor, the
//! uniqueness rules the service reports as `CONFLICT` (kept by the database as
//! well, so two concurrent writers cannot both pass), and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::helpers::{create_indexes, id, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorSub,
    ActorRole,
    Action,
    EntityType,
    EntityKey,
    Before,
    After,
}

const UNIQUE_ROR_ID: &str = "organizations_ror_id_key";
const UNIQUE_NAME: &str = "organizations_country_code_lower_name_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // SQLite cannot add a foreign key with sea-query's ALTER TABLE, but it
        // accepts a REFERENCES clause on a new nullable column.
        let predecessor = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "ALTER TABLE agreements ADD COLUMN predecessor_id bigint NULL \
                 CONSTRAINT agreements_predecessor_id_fkey REFERENCES agreements (id)"
            }
            _ => {
                "ALTER TABLE agreements ADD COLUMN predecessor_id integer NULL \
                 CONSTRAINT agreements_predecessor_id_fkey REFERENCES agreements (id)"
            }
        };
        db.execute_unprepared(predecessor).await?;
        // One successor per agreement.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX agreements_predecessor_id_key ON agreements (predecessor_id)",
        )
        .await?;
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {UNIQUE_ROR_ID} ON organizations (ror_id)"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {UNIQUE_NAME} ON organizations (country_code, lower(name))"
        ))
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id(AuditLog::Id))
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::ActorSub).text().not_null())
                    .col(ColumnDef::new(AuditLog::ActorRole).text().not_null())
                    .col(ColumnDef::new(AuditLog::Action).text().not_null())
                    .col(ColumnDef::new(AuditLog::EntityType).text().not_null())
                    .col(ColumnDef::new(AuditLog::EntityKey).text().not_null())
                    .col(ColumnDef::new(AuditLog::Before).json().null())
                    .col(ColumnDef::new(AuditLog::After).json().null())
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            [
                index(AuditLog::Table, [AuditLog::EntityType, AuditLog::EntityKey]),
                index(AuditLog::Table, [AuditLog::At, AuditLog::Id]),
                index(AuditLog::Table, [AuditLog::ActorSub]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).if_exists().take())
            .await?;
        let db = manager.get_connection();
        for name in [UNIQUE_NAME, UNIQUE_ROR_ID, "agreements_predecessor_id_key"] {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        db.execute_unprepared("ALTER TABLE agreements DROP COLUMN predecessor_id")
            .await?;
        Ok(())
    }
}
