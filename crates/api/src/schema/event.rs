//! Partnership events and their activities.

use async_graphql::{Enum, ID, Result};

use super::id::NodeType;
use super::scalars::Date;

/// What kind of event.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::event::EventKind")]
pub enum EventKind {
    /// A partnership week such as the Global Partnership Week.
    PartnershipWeek,
    /// An academic salon.
    AcademicSalon,
    /// An overseas project promotional meeting.
    PromotionMeeting,
    /// Matchmaking of cooperative projects.
    Matchmaking,
    /// A campus tour.
    CampusTour,
    /// A signing ceremony.
    SigningCeremony,
    /// Anything else.
    Other,
}

/// An event where partnerships are made, or one of its activities.
pub struct Event;

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined};
use service::event::EventChanges;

use super::input::{keep_or_set, map, nullable, nullable_id, opt_row_id, row_id};

/// A new event.
#[derive(InputObject)]
pub struct CreateEventInput {
    pub name: String,
    pub kind: EventKind,
    /// The event this one is an activity of.
    pub parent_event_id: Option<ID>,
    pub organizer_id: ID,
    pub starts_on: Date,
    /// Not before `startsOn`.
    pub ends_on: Date,
    pub location: Option<String>,
}

impl CreateEventInput {
    fn changes(self) -> Result<EventChanges, service::Error> {
        Ok(EventChanges {
            name: Some(self.name),
            kind: Some(self.kind.into()),
            parent_event_id: Some(opt_row_id(
                self.parent_event_id.as_ref(),
                NodeType::Event,
                "parentEventId",
            )?),
            organizer_id: Some(row_id(
                &self.organizer_id,
                NodeType::Organization,
                "organizerId",
            )?),
            starts_on: Some(self.starts_on.0),
            ends_on: Some(self.ends_on.0),
            location: Some(self.location),
        })
    }
}

/// Changes to an event: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdateEventInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub name: MaybeUndefined<String>,
    pub kind: MaybeUndefined<EventKind>,
    pub parent_event_id: MaybeUndefined<ID>,
    pub organizer_id: MaybeUndefined<ID>,
    pub starts_on: MaybeUndefined<Date>,
    pub ends_on: MaybeUndefined<Date>,
    pub location: MaybeUndefined<String>,
}

impl UpdateEventInput {
    fn split(self) -> Result<(i64, i32, EventChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Event, "id")?;
        let changes = EventChanges {
            name: keep_or_set(self.name, "name")?,
            kind: map(keep_or_set(self.kind, "kind")?),
            parent_event_id: nullable_id(self.parent_event_id, NodeType::Event, "parentEventId")?,
            organizer_id: keep_or_set(self.organizer_id, "organizerId")?
                .map(|id| row_id(&id, NodeType::Organization, "organizerId"))
                .transpose()?,
            starts_on: keep_or_set(self.starts_on, "startsOn")?.map(|d| d.0),
            ends_on: keep_or_set(self.ends_on, "endsOn")?.map(|d| d.0),
            location: nullable(self.location),
        };
        Ok((id, self.version, changes))
    }
}

super::mutation::crud_mutations! {
    EventMutation for entity::event::ActiveModel as NodeType::Event, Event in EventPayload.event;
    create_event(CreateEventInput) "Creates an event.";
    update_event(UpdateEventInput) "Changes an event.";
    delete_event(DeleteEventInput -> DeleteEventPayload) "an event";
}
