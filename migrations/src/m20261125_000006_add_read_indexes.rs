//! Indexes for the reads the API serves most: keyset pages in the common orders,
//! common filters, and (PostgreSQL) trigram indexes for `search:` / `contains`.

use sea_orm_migration::prelude::*;

use crate::helpers::{create_indexes, create_trigram_indexes, drop_trigram_indexes, index};

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(manager, btree_indexes()).await?;
        create_trigram_indexes(manager, TRIGRAM).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_trigram_indexes(manager, TRIGRAM).await?;
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
