//! `organization_names`: an organization's names in several languages (its
//! display name, labels in other languages, acronyms, aliases), in the
//! order they were given. Deleted with the organization.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a name is; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The name shown by default.
    Display,
    /// The name in a language.
    Label,
    /// A short form.
    Acronym,
    /// Another name it is known by.
    Alias,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organization_names")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    /// The name's place among the organization's names (from 0).
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub value: String,
    /// A BCP 47 language tag (`zh-Hans`, `bg`, `ga`).
    pub lang: String,
    pub kind: NameKind,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
