//! What other systems call our rows: an organization's identifiers (ROR,
//! SCHAC, Erasmus code, PIC, …) and its names in several languages; each
//! party's own identifier and code for an agreement (EWP's `iia-id`,
//! `iia-code`); and what an agreement grants, as EWP inter-institutional
//! agreements say it: cooperation conditions with their subject areas and
//! language requirements.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{create_indexes, drop_tables, enum_text, fk, id, index};
use crate::m20261125_000001_create_reference_tables::FieldsOfStudy;
use crate::m20261125_000002_create_organizations_and_people::Organizations;
use crate::m20261125_000003_create_events_and_agreements::{AgreementParties, Agreements};

const SCHEMES: &[&str] = &[
    "ror", "schac", "erasmus", "pic", "wikidata", "isni", "grid", "fundref",
];
const NAME_KINDS: &[&str] = &["display", "label", "acronym", "alias"];
const MOBILITY_TYPES: &[&str] = &[
    "student_studies",
    "student_traineeship",
    "staff_teaching",
    "staff_training",
];
const CEFR_LEVELS: &[&str] = &["a1", "a2", "b1", "b2", "c1", "c2"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationIdentifiers {
    Table,
    OrganizationId,
    Scheme,
    Value,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationNames {
    Table,
    OrganizationId,
    Position,
    Value,
    Lang,
    Kind,
}

#[derive(DeriveIden, Clone, Copy)]
enum CooperationConditions {
    Table,
    Id,
    AgreementId,
    MobilityType,
    SendingOrganizationId,
    ReceivingOrganizationId,
    FirstAcademicYear,
    LastAcademicYear,
    MobilitiesPerYear,
    TotalMonthsPerYear,
    TotalDaysPerYear,
    Blended,
    EqfLevels,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum CooperationConditionSubjects {
    Table,
    ConditionId,
    FieldCode,
    Clarification,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum CooperationConditionLanguages {
    Table,
    ConditionId,
    Language,
    CefrLevel,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum Iia {
    IiaId,
    IiaCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use FieldsOfStudy as F;
        use Organizations as O;

        use OrganizationIdentifiers as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_integer(I::OrganizationId))
                    .col(enum_text(I::Table, I::Scheme, SCHEMES))
                    .col(text(I::Value))
                    .primary_key(
                        Index::create()
                            .col(I::OrganizationId)
                            .col(I::Scheme)
                            .col(I::Value),
                    )
                    .foreign_key(
                        fk(I::Table, I::OrganizationId, O::Table, O::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;

        use OrganizationNames as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(big_integer(N::OrganizationId))
                    .col(integer(N::Position))
                    .col(text(N::Value))
                    .col(text(N::Lang))
                    .col(enum_text(N::Table, N::Kind, NAME_KINDS))
                    .primary_key(Index::create().col(N::OrganizationId).col(N::Position))
                    .foreign_key(
                        fk(N::Table, N::OrganizationId, O::Table, O::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;

        let parties = AgreementParties::Table;
        manager
            .alter_table(
                Table::alter()
                    .table(parties)
                    .add_column(text_null(Iia::IiaId))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(parties)
                    .add_column(text_null(Iia::IiaCode))
                    .take(),
            )
            .await?;

        use CooperationConditions as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(id(C::Id))
                    .col(big_integer(C::AgreementId))
                    .col(enum_text(C::Table, C::MobilityType, MOBILITY_TYPES))
                    .col(big_integer(C::SendingOrganizationId))
                    .col(big_integer(C::ReceivingOrganizationId))
                    .col(string_len(C::FirstAcademicYear, 9))
                    .col(string_len(C::LastAcademicYear, 9))
                    .col(integer(C::MobilitiesPerYear))
                    .col(double_null(C::TotalMonthsPerYear))
                    .col(double_null(C::TotalDaysPerYear))
                    .col(boolean(C::Blended).default(false))
                    // A JSON array of EQF levels (1–8), ascending: `[6,7]`.
                    .col(ColumnDef::new(C::EqfLevels).json().not_null())
                    .col(integer(C::Position))
                    .foreign_key(
                        fk(C::Table, C::AgreementId, Agreements::Table, Agreements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(C::Table, C::SendingOrganizationId, O::Table, O::Id))
                    .foreign_key(&mut fk(
                        C::Table,
                        C::ReceivingOrganizationId,
                        O::Table,
                        O::Id,
                    ))
                    .take(),
            )
            .await?;

        use CooperationConditionSubjects as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(big_integer(S::ConditionId))
                    .col(string_len(S::FieldCode, 4))
                    .col(text_null(S::Clarification))
                    .col(integer(S::Position))
                    .primary_key(Index::create().col(S::ConditionId).col(S::FieldCode))
                    .foreign_key(
                        fk(S::Table, S::ConditionId, C::Table, C::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(S::Table, S::FieldCode, F::Table, F::Code))
                    .take(),
            )
            .await?;

        use CooperationConditionLanguages as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(big_integer(L::ConditionId))
                    .col(string_len(L::Language, 2))
                    .col(enum_text(L::Table, L::CefrLevel, CEFR_LEVELS))
                    .col(integer(L::Position))
                    .primary_key(Index::create().col(L::ConditionId).col(L::Language))
                    .foreign_key(
                        fk(L::Table, L::ConditionId, C::Table, C::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;

        create_indexes(
            manager,
            [
                // organization_id leads the primary keys of both; a value is
                // unique within its scheme.
                index(I::Table, [I::Scheme, I::Value]).unique().take(),
                index(N::Table, [N::Value]),
                index(
                    parties,
                    [
                        AgreementParties::OrganizationId.into_iden(),
                        Iia::IiaId.into_iden(),
                    ],
                )
                .unique()
                .take(),
                index(C::Table, [C::AgreementId, C::Position]),
                index(C::Table, [C::SendingOrganizationId]),
                index(C::Table, [C::ReceivingOrganizationId]),
                index(S::Table, [S::FieldCode]),
            ],
        )
        .await?;
        crate::helpers::create_trigram_indexes(manager, &[("organization_names", "value")]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::helpers::drop_trigram_indexes(manager, &[("organization_names", "value")]).await?;
        drop_tables(
            manager,
            [
                CooperationConditionLanguages::Table.into_iden(),
                CooperationConditionSubjects::Table.into_iden(),
                CooperationConditions::Table.into_iden(),
                OrganizationNames::Table.into_iden(),
                OrganizationIdentifiers::Table.into_iden(),
            ],
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("agreement_parties_organization_id_iia_id_idx")
                    .table(AgreementParties::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        for column in [Iia::IiaCode, Iia::IiaId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AgreementParties::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
