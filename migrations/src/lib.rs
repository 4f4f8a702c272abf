//! Schema migrations and reference data (countries, ISCED-F fields of study).
//!
//! The same migrations run on SQLite and PostgreSQL: tables, CHECKs, foreign
//! keys and indexes are built with sea-query's portable schema builder.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261125_000001_create_reference_tables;
mod m20261125_000002_create_organizations_and_people;
mod m20261125_000003_create_events_and_agreements;
mod m20261125_000004_create_programs_and_students;
mod m20261125_000005_create_joint_units_and_visits;
mod m20261125_000006_add_read_indexes;
mod m20261125_000007_writes_and_audit_log;
mod m20261201_000008_add_page_indexes;
mod m20261201_000009_locale_aware_text_order;
mod m20261201_000010_add_search_text;
mod m20261201_000011_sqlite_collated_name_indexes;
mod m20261206_000012_organization_name_keys;
mod m20261206_000013_child_page_indexes;
mod m20261207_000014_interoperability;
mod m20261208_000015_visit_agreements;
mod m20261208_000016_ror_identifiers;

/// Applies (and rolls back) the migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_reference_tables::Migration),
            Box::new(m20261125_000002_create_organizations_and_people::Migration),
            Box::new(m20261125_000003_create_events_and_agreements::Migration),
            Box::new(m20261125_000004_create_programs_and_students::Migration),
            Box::new(m20261125_000005_create_joint_units_and_visits::Migration),
            Box::new(m20261125_000006_add_read_indexes::Migration),
            Box::new(m20261125_000007_writes_and_audit_log::Migration),
            Box::new(m20261201_000008_add_page_indexes::Migration),
            Box::new(m20261201_000009_locale_aware_text_order::Migration),
            Box::new(m20261201_000010_add_search_text::Migration),
            Box::new(m20261201_000011_sqlite_collated_name_indexes::Migration),
            Box::new(m20261206_000012_organization_name_keys::Migration),
            Box::new(m20261206_000013_child_page_indexes::Migration),
            Box::new(m20261207_000014_interoperability::Migration),
            Box::new(m20261208_000015_visit_agreements::Migration),
            Box::new(m20261208_000016_ror_identifiers::Migration),
        ]
    }
}
