//! Partnership events (weeks, salons, signing ceremonies) and their activities.

use crate::resource::Link;

crate::resource!(event, EventOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
}, key = Id, default = Id);

/// The activities (child events) of an event.
pub const ACTIVITIES: Link = Link::Column("parent_event_id");
/// Agreements signed at the event.
pub const AGREEMENTS: Link = Link::Column("event_id");

crate::filter_type! {
    /// Which events to return.
    EventFilter for event {
        fields {
            id: i64 => Id,
            name: String => Name,
            kind: entity::event::EventKind => Kind,
            starts_on: chrono::NaiveDate => StartsOn,
            ends_on: chrono::NaiveDate => EndsOn,
            location: String => Location,
        }
        to_one {
            parent_event: EventFilter => event (ParentEventId = Id),
            organizer: crate::organization::OrganizationFilter => organization (OrganizerId = Id),
        }
        to_many {
            activities: EventFilter => event (ACTIVITIES, Id),
            agreements: crate::agreement::AgreementFilter => agreement (AGREEMENTS, Id),
        }
    }
}

impl crate::filter::Filterable for entity::event::Entity {
    type Filter = EventFilter;

    fn filter_condition(
        filter: &EventFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }

    fn search_columns(_actor: &crate::Actor) -> Vec<entity::event::Column> {
        use entity::event::Column;
        vec![Column::Name, Column::Location]
    }
}
