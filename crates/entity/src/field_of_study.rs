//! `fields_of_study`: ISCED-F 2013 fields at all three levels — broad (`06`),
//! narrow (`061`) and detailed (`0613`) — loaded by the migrations.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "fields_of_study")]
pub struct Model {
    #[sea_orm(
        primary_key,
        auto_increment = false,
        column_type = "String(StringLen::N(4))"
    )]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// The broad field: the first two digits of `code`.
    #[sea_orm(column_type = "String(StringLen::N(2))")]
    pub broad_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::agreement_field::Entity")]
    AgreementFields,
    #[sea_orm(has_many = "super::program::Entity")]
    Programs,
    #[sea_orm(has_many = "super::joint_unit::Entity")]
    JointUnits,
}

impl Related<super::agreement_field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AgreementFields.def()
    }
}

/// Agreements covering this field, through `agreement_fields`.
impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        super::agreement_field::Relation::Agreement.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::agreement_field::Relation::FieldOfStudy.def().rev())
    }
}

impl Related<super::program::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Programs.def()
    }
}

impl Related<super::joint_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointUnits.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
