//! Search people can use: every searchable table keeps its searched text
//! folded (lower-case ASCII words; the service folds it on every write and
//! folds rows that have none at start-up) in `search_primary` (names) and
//! `search_secondary` (the rest). On PostgreSQL both are trigram-indexed, so
//! a word-prefix `LIKE '% term%'` reads the index.

use sea_orm_migration::prelude::*;

use crate::helpers::{create_trigram_indexes, drop_trigram_indexes};

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

/// Every (table, searched column).
fn searched() -> Vec<(&'static str, &'static str)> {
    TABLES
        .iter()
        .flat_map(|table| COLUMNS.iter().map(move |col| (*table, *col)))
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, col) in searched() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new(col)).text().null())
                        .to_owned(),
                )
                .await?;
        }
        create_trigram_indexes(manager, &searched()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_trigram_indexes(manager, &searched()).await?;
        for (table, col) in searched() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(col))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
