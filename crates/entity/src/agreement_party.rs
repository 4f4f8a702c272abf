//! `agreement_parties`: an organization's part in an agreement (lead or
//! partner) and who signed for it. Deleted with the agreement.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The organization's role in the agreement; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Lead,
    Partner,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "agreement_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    pub role: PartyRole,
    pub signatory_id: Option<i64>,
    /// The party's own identifier for the agreement (EWP's `iia-id`); the
    /// home party's is a UUID made when the agreement is created.
    pub iia_id: Option<String>,
    /// The party's own human-readable code for it (EWP's `iia-code`).
    pub iia_code: Option<String>,
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
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    /// The person who signed for the organization.
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::SignatoryId",
        to = "super::person::Column::Id"
    )]
    Signatory,
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreement.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Signatory.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
