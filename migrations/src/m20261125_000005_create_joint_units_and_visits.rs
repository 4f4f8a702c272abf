//! Joint units (laboratories, centers, practice bases) with their partner
//! organizations, and visits of people to a host organization.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{audit, create_indexes, drop_tables, enum_text, fk, id, index};
use crate::m20261125_000001_create_reference_tables::FieldsOfStudy;
use crate::m20261125_000002_create_organizations_and_people::{Organizations, People};
use crate::m20261125_000003_create_events_and_agreements::Agreements;

const JOINT_UNIT_KINDS: &[&str] = &["laboratory", "center", "practice_base"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum JointUnits {
    Table,
    Id,
    Name,
    Kind,
    HostOrganizationId,
    AgreementId,
    FieldCode,
    EstablishedOn,
    ClosedOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum JointUnitPartners {
    Table,
    JointUnitId,
    OrganizationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Visits {
    Table,
    Id,
    PersonId,
    HostOrganizationId,
    Purpose,
    StartsOn,
    EndsOn,
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

        use JointUnits as J;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(J::Table)
                        .col(id(J::Id))
                        .col(text(J::Name))
                        .col(enum_text(J::Table, J::Kind, JOINT_UNIT_KINDS))
                        .col(big_integer(J::HostOrganizationId))
                        .col(big_integer_null(J::AgreementId))
                        .col(string_len_null(J::FieldCode, 4))
                        .col(date(J::EstablishedOn))
                        .col(date_null(J::ClosedOn)),
                )
                .foreign_key(&mut fk(J::Table, J::HostOrganizationId, O::Table, O::Id))
                .foreign_key(&mut fk(J::Table, J::AgreementId, A::Table, A::Id))
                .foreign_key(&mut fk(J::Table, J::FieldCode, F::Table, F::Code))
                .take(),
            )
            .await?;

        use JointUnitPartners as JP;
        manager
            .create_table(
                Table::create()
                    .table(JP::Table)
                    .col(big_integer(JP::JointUnitId))
                    .col(big_integer(JP::OrganizationId))
                    .primary_key(Index::create().col(JP::JointUnitId).col(JP::OrganizationId))
                    .foreign_key(
                        fk(JP::Table, JP::JointUnitId, J::Table, J::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(JP::Table, JP::OrganizationId, O::Table, O::Id))
                    .take(),
            )
            .await?;

        use Visits as V;
        manager
            .create_table(
                audit(
                    Table::create()
                        .table(V::Table)
                        .col(id(V::Id))
                        .col(big_integer(V::PersonId))
                        .col(big_integer(V::HostOrganizationId))
                        .col(text_null(V::Purpose))
                        .col(date(V::StartsOn))
                        .col(date(V::EndsOn)),
                )
                .foreign_key(&mut fk(V::Table, V::PersonId, People::Table, People::Id))
                .foreign_key(&mut fk(V::Table, V::HostOrganizationId, O::Table, O::Id))
                .take(),
            )
            .await?;

        create_indexes(
            manager,
            [
                index(J::Table, [J::HostOrganizationId]),
                index(J::Table, [J::AgreementId]),
                index(J::Table, [J::FieldCode]),
                // joint_unit_id leads the primary key.
                index(JP::Table, [JP::OrganizationId]),
                index(V::Table, [V::PersonId]),
                index(V::Table, [V::HostOrganizationId]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                Visits::Table.into_iden(),
                JointUnitPartners::Table.into_iden(),
                JointUnits::Table.into_iden(),
            ],
        )
        .await
    }
}
