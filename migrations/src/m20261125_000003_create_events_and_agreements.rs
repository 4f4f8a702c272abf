//! Events (with sub-events), agreements, the organizations party to them and
//! the fields of study they cover.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{audit, create_indexes, drop_tables, enum_text, fk, id, index};
use crate::m20261125_000001_create_reference_tables::FieldsOfStudy;
use crate::m20261125_000002_create_organizations_and_people::{Organizations, People};

const EVENT_KINDS: &[&str] = &[
    "partnership_week",
    "academic_salon",
    "promotion_meeting",
    "matchmaking",
    "campus_tour",
    "signing_ceremony",
    "other",
];
const AGREEMENT_KINDS: &[&str] = &[
    "cooperation_agreement",
    "memorandum_of_understanding",
    "student_exchange",
    "joint_program",
    "research_collaboration",
    "teaching_partnership",
];
const AGREEMENT_STATUSES: &[&str] = &[
    "draft",
    "under_negotiation",
    "active",
    "expired",
    "terminated",
];
const PARTY_ROLES: &[&str] = &["lead", "partner"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Events {
    Table,
    Id,
    Name,
    Kind,
    ParentEventId,
    OrganizerId,
    StartsOn,
    EndsOn,
    Location,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Agreements {
    Table,
    Id,
    Title,
    Kind,
    Status,
    SignedOn,
    StartsOn,
    EndsOn,
    Summary,
    EventId,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum AgreementParties {
    Table,
    AgreementId,
    OrganizationId,
    Role,
    SignatoryId,
}

#[derive(DeriveIden, Clone, Copy)]
enum AgreementFields {
    Table,
    AgreementId,
    FieldCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Organizations as O;

        use Events as E;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(E::Table)
                        .col(id(E::Id))
                        .col(text(E::Name))
                        .col(enum_text(E::Table, E::Kind, EVENT_KINDS))
                        .col(big_integer_null(E::ParentEventId))
                        .col(big_integer(E::OrganizerId))
                        .col(date(E::StartsOn))
                        .col(date(E::EndsOn))
                        .col(text_null(E::Location)),
                )
                .foreign_key(&mut fk(E::Table, E::ParentEventId, E::Table, E::Id))
                .foreign_key(&mut fk(E::Table, E::OrganizerId, O::Table, O::Id))
                .take(),
            )
            .await?;

        use Agreements as A;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(A::Table)
                        .col(id(A::Id))
                        .col(text(A::Title))
                        .col(enum_text(A::Table, A::Kind, AGREEMENT_KINDS))
                        .col(enum_text(A::Table, A::Status, AGREEMENT_STATUSES))
                        .col(date_null(A::SignedOn))
                        .col(date_null(A::StartsOn))
                        .col(date_null(A::EndsOn))
                        .col(text_null(A::Summary))
                        .col(big_integer_null(A::EventId)),
                )
                .foreign_key(&mut fk(A::Table, A::EventId, E::Table, E::Id))
                .take(),
            )
            .await?;

        use AgreementParties as AP;
        manager
            .create_table(
                Table::create()
                    .table(AP::Table)
                    .col(big_integer(AP::AgreementId))
                    .col(big_integer(AP::OrganizationId))
                    .col(enum_text(AP::Table, AP::Role, PARTY_ROLES))
                    .col(big_integer_null(AP::SignatoryId))
                    .primary_key(Index::create().col(AP::AgreementId).col(AP::OrganizationId))
                    .foreign_key(
                        fk(AP::Table, AP::AgreementId, A::Table, A::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(AP::Table, AP::OrganizationId, O::Table, O::Id))
                    .foreign_key(&mut fk(
                        AP::Table,
                        AP::SignatoryId,
                        People::Table,
                        People::Id,
                    ))
                    .take(),
            )
            .await?;

        use AgreementFields as AF;
        use FieldsOfStudy as F;
        manager
            .create_table(
                Table::create()
                    .table(AF::Table)
                    .col(big_integer(AF::AgreementId))
                    .col(string_len(AF::FieldCode, 4))
                    .primary_key(Index::create().col(AF::AgreementId).col(AF::FieldCode))
                    .foreign_key(
                        fk(AF::Table, AF::AgreementId, A::Table, A::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(AF::Table, AF::FieldCode, F::Table, F::Code))
                    .take(),
            )
            .await?;

        create_indexes(
            manager,
            [
                index(E::Table, [E::ParentEventId]),
                index(E::Table, [E::OrganizerId]),
                index(A::Table, [A::EventId]),
                index(A::Table, [A::Status, A::SignedOn]),
                // agreement_id leads the primary key of both join tables.
                index(AP::Table, [AP::OrganizationId]),
                index(AP::Table, [AP::SignatoryId]),
                index(AF::Table, [AF::FieldCode]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                AgreementFields::Table.into_iden(),
                AgreementParties::Table.into_iden(),
                Agreements::Table.into_iden(),
                Events::Table.into_iden(),
            ],
        )
        .await
    }
}
