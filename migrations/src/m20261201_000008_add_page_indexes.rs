//! Indexes that let a page stop after its rows: the directory's organizations
//! of one country by name, and a parent's children in id order (programs of a
//! host organization, students of a program) — what nested pages read per
//! parent. Each replaces the single-column index on its leading column, which
//! it serves as well.

use sea_orm_migration::prelude::*;

use crate::helpers::{create_indexes, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, columns) of the composite indexes, and the index each replaces.
const PAGE_INDEXES: &[(&str, &[&str], Option<&str>)] = &[
    ("organizations", &["country_code", "name", "id"], None),
    (
        "programs",
        &["host_organization_id", "id"],
        Some("host_organization_id"),
    ),
    ("students", &["program_id", "id"], Some("program_id")),
];

fn name(table: &str, cols: &[&str]) -> String {
    format!("{table}_{}_idx", cols.join("_"))
}

async fn drop(manager: &SchemaManager<'_>, table: &str, cols: &[&str]) -> Result<(), DbErr> {
    manager
        .drop_index(
            Index::drop()
                .name(name(table, cols))
                .table(Alias::new(table))
                .if_exists()
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let created: Vec<IndexCreateStatement> = PAGE_INDEXES
            .iter()
            .map(|(table, cols, _)| index(Alias::new(*table), cols.iter().map(|c| Alias::new(*c))))
            .collect();
        create_indexes(manager, created).await?;
        for (table, _, replaced) in PAGE_INDEXES {
            if let Some(col) = replaced {
                drop(manager, table, &[col]).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let restored: Vec<IndexCreateStatement> = PAGE_INDEXES
            .iter()
            .filter_map(|(table, _, replaced)| {
                replaced.map(|col| index(Alias::new(*table), [Alias::new(col)]))
            })
            .collect();
        create_indexes(manager, restored).await?;
        for (table, cols, _) in PAGE_INDEXES {
            drop(manager, table, cols).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
