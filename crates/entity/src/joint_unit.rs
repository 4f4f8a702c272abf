//! `joint_units`: joint laboratories, centers and practice bases, hosted by
//! one organization and run with partner organizations.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of joint unit this is; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum JointUnitKind {
    Laboratory,
    Center,
    PracticeBase,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "joint_units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub kind: JointUnitKind,
    pub host_organization_id: i64,
    pub agreement_id: Option<i64>,
    #[sea_orm(column_type = "String(StringLen::N(4))", nullable)]
    pub field_code: Option<String>,
    pub established_on: Date,
    /// The unit counts while `established_on <= date < closed_on`.
    pub closed_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::HostOrganizationId",
        to = "super::organization::Column::Id"
    )]
    HostOrganization,
    #[sea_orm(
        belongs_to = "super::agreement::Entity",
        from = "Column::AgreementId",
        to = "super::agreement::Column::Id"
    )]
    Agreement,
    #[sea_orm(
        belongs_to = "super::field_of_study::Entity",
        from = "Column::FieldCode",
        to = "super::field_of_study::Column::Code"
    )]
    FieldOfStudy,
    #[sea_orm(has_many = "super::joint_unit_partner::Entity")]
    Partners,
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreement.def()
    }
}

impl Related<super::field_of_study::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FieldOfStudy.def()
    }
}

impl Related<super::joint_unit_partner::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partners.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
