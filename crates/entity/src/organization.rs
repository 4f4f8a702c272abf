//! `organizations`: universities, companies and institutes — the home
//! institution(s) (`is_home`) and their partners.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of organization this is; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    University,
    Company,
    Institute,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: OrganizationKind,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub short_name: Option<String>,
    #[sea_orm(column_type = "Char(Some(2))")]
    pub country_code: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub city: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub website: Option<String>,
    pub founded_year: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub industry: Option<String>,
    /// Research Organization Registry id, e.g. `https://ror.org/03cve4549`.
    #[sea_orm(column_type = "Text", nullable)]
    pub ror_id: Option<String>,
    pub is_home: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::country::Entity",
        from = "Column::CountryCode",
        to = "super::country::Column::Code"
    )]
    Country,
    /// People who work for the organization.
    #[sea_orm(has_many = "super::person::Entity")]
    People,
    /// Events the organization organizes.
    #[sea_orm(has_many = "super::event::Entity")]
    Events,
    #[sea_orm(has_many = "super::agreement_party::Entity")]
    AgreementParties,
    /// Programs the organization hosts.
    #[sea_orm(has_many = "super::program::Entity")]
    Programs,
    /// Students whose home organization this is.
    #[sea_orm(
        has_many = "super::student::Entity",
        via_rel = "Relation::HomeOrganization"
    )]
    HomeStudents,
    /// Students hosted by this organization.
    #[sea_orm(
        has_many = "super::student::Entity",
        via_rel = "Relation::HostOrganization"
    )]
    HostedStudents,
    /// Joint units this organization hosts.
    #[sea_orm(
        has_many = "super::joint_unit::Entity",
        via_rel = "Relation::HostOrganization"
    )]
    HostedJointUnits,
    /// Joint units this organization is a partner of.
    #[sea_orm(has_many = "super::joint_unit_partner::Entity")]
    JointUnitPartners,
    /// Visits hosted by this organization.
    #[sea_orm(has_many = "super::visit::Entity")]
    Visits,
    /// What other registries call it.
    #[sea_orm(has_many = "super::organization_identifier::Entity")]
    Identifiers,
    /// Its names in several languages.
    #[sea_orm(has_many = "super::organization_name::Entity")]
    Names,
}

impl Related<super::country::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Country.def()
    }
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::People.def()
    }
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl Related<super::agreement_party::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AgreementParties.def()
    }
}

/// Agreements the organization is a party to, through `agreement_parties`.
impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        super::agreement_party::Relation::Agreement.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::agreement_party::Relation::Organization.def().rev())
    }
}

impl Related<super::program::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Programs.def()
    }
}

impl Related<super::joint_unit_partner::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointUnitPartners.def()
    }
}

impl Related<super::visit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Visits.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
