//! Indexes that let a page stop after its rows: the directory's organizations
//! of one country by name, and a parent's children in id order (programs of a
//! host organization, students of a program) — what nested pages read per
//! parent. Each replaces the single-column index on its leading column, which
//! it serves as well.

use sea_orm_migration::prelude::*;

use crate::helpers::{replace_indexes, restore_indexes};

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace_indexes(manager, PAGE_INDEXES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        restore_indexes(manager, PAGE_INDEXES).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
