//! Programs hosted by an organization (often under an agreement) and the
//! students enrolled at a host organization.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{audit, create_indexes, drop_tables, enum_text, fk, id, index};
use crate::m20261125_000001_create_reference_tables::{Countries, FieldsOfStudy};
use crate::m20261125_000002_create_organizations_and_people::Organizations;
use crate::m20261125_000003_create_events_and_agreements::Agreements;

const PROGRAM_KINDS: &[&str] = &[
    "degree_major",
    "joint_degree",
    "dual_degree",
    "exchange",
    "joint_training",
    "summer_school",
    "research",
];
const DEGREE_LEVELS: &[&str] = &["bachelor", "master", "doctorate", "non_degree", "exchange"];
const STUDENT_STATUSES: &[&str] = &["applied", "enrolled", "graduated", "withdrawn"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Programs {
    Table,
    Id,
    AgreementId,
    HostOrganizationId,
    Name,
    Kind,
    LanguageCode,
    FieldCode,
    StartsOn,
    EndsOn,
    Capacity,
}

#[derive(DeriveIden, Clone, Copy)]
enum Students {
    Table,
    Id,
    FullName,
    Email,
    DateOfBirth,
    Nationality,
    HomeOrganizationId,
    HostOrganizationId,
    ProgramId,
    AgreementId,
    DegreeLevel,
    Status,
    EnrolledOn,
    LeavesOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Agreements as A;
        use FieldsOfStudy as F;
        use Organizations as O;

        use Programs as P;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(P::Table)
                        .col(id(P::Id))
                        .col(big_integer_null(P::AgreementId))
                        .col(big_integer(P::HostOrganizationId))
                        .col(text(P::Name))
                        .col(enum_text(P::Table, P::Kind, PROGRAM_KINDS))
                        .col(char_len(P::LanguageCode, 2))
                        .col(string_len_null(P::FieldCode, 4))
                        .col(date(P::StartsOn))
                        .col(date_null(P::EndsOn))
                        .col(integer_null(P::Capacity)),
                )
                .foreign_key(&mut fk(P::Table, P::AgreementId, A::Table, A::Id))
                .foreign_key(&mut fk(P::Table, P::HostOrganizationId, O::Table, O::Id))
                .foreign_key(&mut fk(P::Table, P::FieldCode, F::Table, F::Code))
                .take(),
            )
            .await?;

        use Students as S;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(S::Table)
                        .col(id(S::Id))
                        .col(text(S::FullName))
                        .col(text_null(S::Email))
                        .col(date_null(S::DateOfBirth))
                        .col(char_len(S::Nationality, 2))
                        .col(big_integer_null(S::HomeOrganizationId))
                        .col(big_integer(S::HostOrganizationId))
                        .col(big_integer_null(S::ProgramId))
                        .col(big_integer_null(S::AgreementId))
                        .col(enum_text(S::Table, S::DegreeLevel, DEGREE_LEVELS))
                        .col(enum_text(S::Table, S::Status, STUDENT_STATUSES))
                        .col(date(S::EnrolledOn))
                        .col(date_null(S::LeavesOn)),
                )
                .foreign_key(&mut fk(
                    S::Table,
                    S::Nationality,
                    Countries::Table,
                    Countries::Code,
                ))
                .foreign_key(&mut fk(S::Table, S::HomeOrganizationId, O::Table, O::Id))
                .foreign_key(&mut fk(S::Table, S::HostOrganizationId, O::Table, O::Id))
                .foreign_key(&mut fk(S::Table, S::ProgramId, P::Table, P::Id))
                .foreign_key(&mut fk(S::Table, S::AgreementId, A::Table, A::Id))
                .take(),
            )
            .await?;

        create_indexes(
            manager,
            [
                index(P::Table, [P::AgreementId]),
                index(P::Table, [P::HostOrganizationId]),
                index(P::Table, [P::FieldCode]),
                index(S::Table, [S::Nationality]),
                index(S::Table, [S::HomeOrganizationId]),
                index(S::Table, [S::HostOrganizationId]),
                index(S::Table, [S::ProgramId]),
                index(S::Table, [S::AgreementId]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [Students::Table.into_iden(), Programs::Table.into_iden()],
        )
        .await
    }
}
