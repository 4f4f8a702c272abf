//! Search people can use: every searchable table keeps its searched text
//! folded (lower-case ASCII words; the service folds it on every write and
//! folds rows that have none at start-up) in `search_primary` (names) and
//! `search_secondary` (the rest). On PostgreSQL both are trigram-indexed, so
//! a word-prefix `LIKE '% term%'` reads the index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "organizations",
    "people",
    "events",
    "agreements",
    "programs",
    "students",
];

const COLUMNS: &[&str] = &["search_primary", "search_secondary"];

fn trigram_name(table: &str, col: &str) -> String {
    format!("{table}_{col}_trgm_idx")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            for col in COLUMNS {
                manager
                    .alter_table(
                        Table::alter()
                            .table(Alias::new(*table))
                            .add_column(ColumnDef::new(Alias::new(*col)).text().null())
                            .to_owned(),
                    )
                    .await?;
            }
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            for table in TABLES {
                for col in COLUMNS {
                    let name = trigram_name(table, col);
                    db.execute_unprepared(&format!(
                        "CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({col} gin_trgm_ops)"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            for col in COLUMNS {
                if manager.get_database_backend() == DbBackend::Postgres {
                    manager
                        .drop_index(
                            Index::drop()
                                .name(trigram_name(table, col))
                                .if_exists()
                                .to_owned(),
                        )
                        .await?;
                }
                manager
                    .alter_table(
                        Table::alter()
                            .table(Alias::new(*table))
                            .drop_column(Alias::new(*col))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
