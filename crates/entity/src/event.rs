//! `events`: partnership weeks, salons, signing ceremonies… An event may be
//! an activity of a parent event.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What kind of event this is; stored as lowercase text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    PartnershipWeek,
    AcademicSalon,
    PromotionMeeting,
    Matchmaking,
    CampusTour,
    SigningCeremony,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub kind: EventKind,
    pub parent_event_id: Option<i64>,
    pub organizer_id: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub location: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The event this one is an activity of.
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentEventId",
        to = "Column::Id"
    )]
    ParentEvent,
    /// Events whose parent is this one.
    #[sea_orm(has_many = "Entity", via_rel = "Relation::ParentEvent")]
    Activities,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizerId",
        to = "super::organization::Column::Id"
    )]
    Organizer,
    /// Agreements signed at (or prepared for) this event.
    #[sea_orm(has_many = "super::agreement::Entity")]
    Agreements,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizer.def()
    }
}

impl Related<super::agreement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agreements.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
