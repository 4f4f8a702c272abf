//! `countries`: ISO 3166-1 countries (reference data loaded by the migrations).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "countries")]
pub struct Model {
    /// ISO 3166-1 alpha-2 code, e.g. `CN`.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Char(Some(2))")]
    pub code: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// UN M49 sub-region, e.g. `Eastern Asia`.
    #[sea_orm(column_type = "Text", nullable)]
    pub region: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::organization::Entity")]
    Organizations,
    /// People by nationality.
    #[sea_orm(has_many = "super::person::Entity")]
    People,
    /// Students by nationality.
    #[sea_orm(has_many = "super::student::Entity")]
    Students,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::People.def()
    }
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Students.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
