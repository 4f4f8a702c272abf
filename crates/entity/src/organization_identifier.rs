//! `organization_identifiers`: what other registries call an organization
//! (ROR, SCHAC, Erasmus code, PIC, …), normalized; a value is unique within
//! its scheme. Deleted with the organization.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The registry an identifier comes from; stored as lowercase text.
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
pub enum IdentifierScheme {
    /// Research Organization Registry (`https://ror.org/…`).
    Ror,
    /// SCHAC home organization (EWP's `hei-id`), a domain name.
    Schac,
    /// Erasmus institutional code (`D  BERLIN01`).
    Erasmus,
    /// Participant Identification Code of the EU's funding portal.
    Pic,
    /// Wikidata item (`Q…`).
    Wikidata,
    /// International Standard Name Identifier.
    Isni,
    /// GRID (`grid.…`), retired in favour of ROR.
    Grid,
    /// Crossref Funder Registry id.
    Fundref,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organization_identifiers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub scheme: IdentifierScheme,
    #[sea_orm(primary_key, auto_increment = false)]
    pub value: String,
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
