//! `agreement_fields`: the fields of study an agreement covers. Deleted with
//! the agreement.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "agreement_fields")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: i64,
    #[sea_orm(
        primary_key,
        auto_increment = false,
        column_type = "String(StringLen::N(4))"
    )]
    pub field_code: String,
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
        belongs_to = "super::field_of_study::Entity",
        from = "Column::FieldCode",
        to = "super::field_of_study::Column::Code"
    )]
    FieldOfStudy,
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

impl ActiveModelBehavior for ActiveModel {}
