//! `cooperation_conditions`: what an agreement grants, as an EWP
//! inter-institutional agreement says it: who sends how many people of what
//! kind to whom, in which academic years. Deleted with the agreement.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Who moves and why; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MobilityType {
    /// Students studying at the receiving organization.
    StudentStudies,
    /// Students in a traineeship.
    StudentTraineeship,
    /// Staff teaching.
    StaffTeaching,
    /// Staff training.
    StaffTraining,
}

impl MobilityType {
    /// Whether students move (months per year), not staff (days per year).
    pub const fn students(self) -> bool {
        matches!(self, Self::StudentStudies | Self::StudentTraineeship)
    }
}

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "cooperation_conditions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub mobility_type: MobilityType,
    pub sending_organization_id: i64,
    pub receiving_organization_id: i64,
    /// `2024/2025`.
    pub first_academic_year: String,
    pub last_academic_year: String,
    pub mobilities_per_year: i32,
    pub total_months_per_year: Option<f64>,
    pub total_days_per_year: Option<f64>,
    pub blended: bool,
    /// A JSON array of EQF levels (1–8), ascending: `[6,7]`.
    #[sea_orm(column_type = "Json")]
    pub eqf_levels: Json,
    /// The condition's place in its agreement (from 0).
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::agreement::Entity",
        from = "Column::AgreementId",
        to = "super::agreement::Column::Id",
        on_delete = "Cascade"
    )]
    Agreement,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::SendingOrganizationId",
        to = "super::organization::Column::Id"
    )]
    Sending,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::ReceivingOrganizationId",
        to = "super::organization::Column::Id"
    )]
    Receiving,
    #[sea_orm(has_many = "super::cooperation_condition_subject::Entity")]
    Subjects,
    #[sea_orm(has_many = "super::cooperation_condition_language::Entity")]
    Languages,
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreement.def()
    }
}

impl Related<super::cooperation_condition_subject::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subjects.def()
    }
}

impl Related<super::cooperation_condition_language::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Languages.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
