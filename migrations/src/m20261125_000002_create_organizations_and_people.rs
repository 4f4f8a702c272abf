//! Organizations (universities, companies, institutes) and the people who
//! work for them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{audit, create_indexes, drop_tables, enum_text, fk, id, index};
use crate::m20261125_000001_create_reference_tables::Countries;

const ORGANIZATION_KINDS: &[&str] = &["university", "company", "institute"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Organizations {
    Table,
    Id,
    Kind,
    Name,
    ShortName,
    CountryCode,
    City,
    Website,
    FoundedYear,
    Industry,
    RorId,
    IsHome,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum People {
    Table,
    Id,
    FullName,
    Email,
    Title,
    OrganizationId,
    Nationality,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Organizations as O;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(O::Table)
                        .col(id(O::Id))
                        .col(enum_text(O::Table, O::Kind, ORGANIZATION_KINDS))
                        .col(text(O::Name))
                        .col(text_null(O::ShortName))
                        .col(char_len(O::CountryCode, 2))
                        .col(text_null(O::City))
                        .col(text_null(O::Website))
                        .col(integer_null(O::FoundedYear))
                        .col(text_null(O::Industry))
                        .col(text_null(O::RorId))
                        .col(boolean(O::IsHome).default(false))
                        .col(text_null(O::Description)),
                )
                .foreign_key(&mut fk(
                    O::Table,
                    O::CountryCode,
                    Countries::Table,
                    Countries::Code,
                ))
                .take(),
            )
            .await?;

        use People as P;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(P::Table)
                        .col(id(P::Id))
                        .col(text(P::FullName))
                        .col(text_null(P::Email))
                        .col(text_null(P::Title))
                        .col(big_integer_null(P::OrganizationId))
                        .col(char_len_null(P::Nationality, 2)),
                )
                .foreign_key(&mut fk(P::Table, P::OrganizationId, O::Table, O::Id))
                .foreign_key(&mut fk(
                    P::Table,
                    P::Nationality,
                    Countries::Table,
                    Countries::Code,
                ))
                .take(),
            )
            .await?;

        create_indexes(
            manager,
            [
                // Leads with country_code, so it also serves that foreign key.
                index(O::Table, [O::CountryCode, O::Kind]),
                index(P::Table, [P::OrganizationId]),
                index(P::Table, [P::Nationality]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [People::Table.into_iden(), Organizations::Table.into_iden()],
        )
        .await
    }
}
