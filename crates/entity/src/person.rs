//! `people`: contacts — staff of an organization, signatories of agreements,
//! visitors.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub email: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub title: Option<String>,
    pub organization_id: Option<i64>,
    #[sea_orm(column_type = "Char(Some(2))", nullable)]
    pub nationality: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organization the person works for.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::Nationality",
        to = "super::country::Column::Code"
    )]
    Country,
    /// Agreement parties the person signed for.
    #[sea_orm(has_many = "super::agreement_party::Entity")]
    SignedParties,
    #[sea_orm(has_many = "super::visit::Entity")]
    Visits,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::country::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Country.def()
    }
}

impl Related<super::agreement_party::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SignedParties.def()
    }
}

impl Related<super::visit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Visits.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
