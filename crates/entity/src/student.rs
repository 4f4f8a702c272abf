//! `students`: students at a host organization, with their home
//! organization, program and the agreement they came under.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The degree the student studies for; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DegreeLevel {
    Bachelor,
    Master,
    Doctorate,
    NonDegree,
    Exchange,
}

/// Where the student is in their studies; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StudentStatus {
    Applied,
    Enrolled,
    Graduated,
    Withdrawn,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "students")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub email: Option<String>,
    pub date_of_birth: Option<Date>,
    #[sea_orm(column_type = "Char(Some(2))")]
    pub nationality: String,
    pub home_organization_id: Option<i64>,
    pub host_organization_id: i64,
    pub program_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub degree_level: DegreeLevel,
    pub status: StudentStatus,
    pub enrolled_on: Date,
    pub leaves_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::Nationality",
        to = "super::country::Column::Code"
    )]
    Country,
    /// The organization the student comes from.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::HomeOrganizationId",
        to = "super::organization::Column::Id"
    )]
    HomeOrganization,
    /// The organization the student studies at.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::HostOrganizationId",
        to = "super::organization::Column::Id"
    )]
    HostOrganization,
    #[sea_orm(
        belongs_to = "super::program::Entity",
        from = "Column::ProgramId",
        to = "super::program::Column::Id"
    )]
    Program,
    #[sea_orm(
        belongs_to = "super::agreement::Entity",
        from = "Column::AgreementId",
        to = "super::agreement::Column::Id"
    )]
    Agreement,
}

impl Related<super::country::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Country.def()
    }
}

impl Related<super::program::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Program.def()
    }
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreement.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
