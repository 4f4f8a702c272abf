//! `agreements`: cooperation agreements, MoUs, exchange and joint-program
//! agreements, with the organizations party to them and the fields covered.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of agreement this is; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    CooperationAgreement,
    MemorandumOfUnderstanding,
    StudentExchange,
    JointProgram,
    ResearchCollaboration,
    TeachingPartnership,
}

/// Where the agreement is in its life; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    Draft,
    UnderNegotiation,
    Active,
    Expired,
    Terminated,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    /// NULL while a draft or under negotiation.
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    pub event_id: Option<i64>,
    /// The agreement this one renews.
    pub predecessor_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The event the agreement was signed at.
    #[sea_orm(
        belongs_to = "super::event::Entity",
        from = "Column::EventId",
        to = "super::event::Column::Id"
    )]
    Event,
    /// The agreement this one renews.
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::PredecessorId",
        to = "Column::Id"
    )]
    Predecessor,
    /// Agreements that renew this one.
    #[sea_orm(has_many = "Entity", via_rel = "Relation::Predecessor")]
    Renewals,
    #[sea_orm(has_many = "super::agreement_party::Entity")]
    Parties,
    #[sea_orm(has_many = "super::agreement_field::Entity")]
    Fields,
    #[sea_orm(has_many = "super::program::Entity")]
    Programs,
    #[sea_orm(has_many = "super::student::Entity")]
    Students,
    #[sea_orm(has_many = "super::joint_unit::Entity")]
    JointUnits,
    /// What it grants (EWP cooperation conditions).
    #[sea_orm(has_many = "super::cooperation_condition::Entity")]
    CooperationConditions,
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl Related<super::agreement_party::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Parties.def()
    }
}

impl Related<super::agreement_field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Fields.def()
    }
}

/// The organizations party to the agreement, through `agreement_parties`.
impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        super::agreement_party::Relation::Organization.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::agreement_party::Relation::Agreement.def().rev())
    }
}

/// The fields of study the agreement covers, through `agreement_fields`.
impl Related<super::field_of_study::Entity> for Entity {
    fn to() -> RelationDef {
        super::agreement_field::Relation::FieldOfStudy.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::agreement_field::Relation::Agreement.def().rev())
    }
}

impl Related<super::program::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Programs.def()
    }
}

impl Related<super::student::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Students.def()
    }
}

impl Related<super::joint_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointUnits.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
