//! `programs`: degree majors, joint/dual degrees, exchanges, trainings,
//! summer schools and research programs hosted by an organization.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of program this is; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProgramKind {
    DegreeMajor,
    JointDegree,
    DualDegree,
    Exchange,
    JointTraining,
    SummerSchool,
    Research,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The agreement the program runs under, if any.
    pub agreement_id: Option<i64>,
    pub host_organization_id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub kind: ProgramKind,
    /// ISO 639-1 language of instruction, e.g. `en`.
    #[sea_orm(column_type = "Char(Some(2))")]
    pub language_code: String,
    #[sea_orm(column_type = "String(StringLen::N(4))", nullable)]
    pub field_code: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub capacity: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::agreement::Entity",
        from = "Column::AgreementId",
        to = "super::agreement::Column::Id"
    )]
    Agreement,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::HostOrganizationId",
        to = "super::organization::Column::Id"
    )]
    HostOrganization,
    #[sea_orm(
        belongs_to = "super::field_of_study::Entity",
        from = "Column::FieldCode",
        to = "super::field_of_study::Column::Code"
    )]
    FieldOfStudy,
    #[sea_orm(has_many = "super::student::Entity")]
    Students,
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreement.def()
    }
}

/// The host organization (the only organization a program refers to).
impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::HostOrganization.def()
    }
}

impl Related<super::field_of_study::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FieldOfStudy.def()
    }
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Students.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
