//! `cooperation_condition_subjects`: the subject areas (ISCED-F) of a
//! cooperation condition, each with an optional clarification.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "cooperation_condition_subjects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub condition_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub field_code: String,
    pub clarification: Option<String>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cooperation_condition::Entity",
        from = "Column::ConditionId",
        to = "super::cooperation_condition::Column::Id",
        on_delete = "Cascade"
    )]
    Condition,
    #[sea_orm(
        belongs_to = "super::field_of_study::Entity",
        from = "Column::FieldCode",
        to = "super::field_of_study::Column::Code"
    )]
    FieldOfStudy,
}

impl Related<super::cooperation_condition::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Condition.def()
    }
}

impl Related<super::field_of_study::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FieldOfStudy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
