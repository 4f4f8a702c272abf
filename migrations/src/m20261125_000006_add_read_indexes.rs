//! Indexes for the reads the API serves most: keyset pages in the common orders,
//! common filters, and (PostgreSQL) trigram indexes for `search:` / `contains`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::helpers::{create_indexes, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, columns) of the B-tree indexes; the id ends each keyset order.
const BTREE: &[(&str, &[&str])] = &[
    ("organizations", &["name", "id"]),
    ("organizations", &["kind", "id"]),
    ("people", &["full_name", "id"]),
    ("events", &["kind", "starts_on"]),
    ("events", &["starts_on", "id"]),
    ("agreements", &["signed_on", "id"]),
    ("agreements", &["title", "id"]),
    ("agreements", &["kind", "id"]),
    ("programs", &["kind", "language_code"]),
    ("programs", &["name", "id"]),
    ("students", &["full_name", "id"]),
    ("students", &["status", "enrolled_on"]),
    ("joint_units", &["established_on", "id"]),
    ("visits", &["starts_on", "id"]),
];

/// (table, column) of the trigram indexes (PostgreSQL only).
const TRIGRAM: &[(&str, &str)] = &[
    ("organizations", "name"),
    ("people", "full_name"),
    ("events", "name"),
    ("agreements", "title"),
    ("programs", "name"),
    ("students", "full_name"),
];

fn btree_indexes() -> Vec<IndexCreateStatement> {
    BTREE
        .iter()
        .map(|(table, cols)| index(Alias::new(*table), cols.iter().map(|c| Alias::new(*c))))
        .collect()
}

fn btree_name(table: &str, cols: &[&str]) -> String {
    format!("{table}_{}_idx", cols.join("_"))
}

fn trigram_name(table: &str, col: &str) -> String {
    format!("{table}_{col}_trgm_idx")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(manager, btree_indexes()).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                .await?;
            for (table, col) in TRIGRAM {
                let name = trigram_name(table, col);
                db.execute_unprepared(&format!(
                    "CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({col} gin_trgm_ops)"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            for (table, col) in TRIGRAM {
                manager
                    .drop_index(
                        Index::drop()
                            .name(trigram_name(table, col))
                            .if_exists()
                            .to_owned(),
                    )
                    .await?;
            }
        }
        for (table, cols) in BTREE {
            manager
                .drop_index(
                    Index::drop()
                        .name(btree_name(table, cols))
                        .table(Alias::new(*table))
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
