//! `cooperation_condition_languages`: the languages a cooperation condition
//! recommends (ISO 639-1), each at a CEFR level.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A level of the Common European Framework of Reference for Languages;
/// stored as lowercase text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CefrLevel {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "cooperation_condition_languages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub condition_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub language: String,
    pub cefr_level: CefrLevel,
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
}

impl Related<super::cooperation_condition::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Condition.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
