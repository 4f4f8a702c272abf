//! Partnership events (weeks, salons, signing ceremonies) and their activities.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(event, EventOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
    OrganizerName => one(OrganizerId, organization, Id, Name),
}, key = Id, default = Id);

/// The activities (child events) of an event.
pub static ACTIVITIES: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::event::Relation::Activities));
/// Agreements signed at the event.
pub static AGREEMENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::event::Relation::Agreements));

impl crate::query::filter::Filterable for entity::event::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::EVENT
    }
}

// ---- writes ----------------------------------------------------------------

use entity::event::{ActiveModel, EventKind};

use crate::write::{self, Edit, MAX_NAME, Reference, Write};

crate::changes! {
    /// The fields of an event a write sets.
    EventChanges for ActiveModel as input {
        name: String => |v| write::name("name", v),
        kind: EventKind,
        /// The event this one is an activity of.
        parent_event_id: Option<i64> as Event,
        organizer_id: i64 as Organization,
        starts_on: chrono::NaiveDate,
        /// Not before `startsOn`.
        ends_on: chrono::NaiveDate,
        location: Option<String> => |v| write::text("location", v, MAX_NAME),
    }
}

/// Deepest chain of activities followed when checking for cycles.
const MAX_NESTING: usize = 100;

impl Edit for ActiveModel {
    type Changes = EventChanges;
    fn references() -> Vec<Reference> {
        vec![
            Reference::new(entity::event::Relation::Activities, "activities"),
            Reference::new(
                entity::event::Relation::Agreements,
                "agreements signed at it",
            ),
        ]
    }

    fn apply(&mut self, changes: EventChanges) -> crate::Result<()> {
        changes.apply_to(self)
    }

    async fn check(&mut self, w: &Write, id: Option<i64>) -> crate::Result<()> {
        write::required("name", &self.name)?;
        write::required("kind", &self.kind)?;
        let organizer = *write::required("organizerId", &self.organizer_id)?;
        write::required("startsOn", &self.starts_on)?;
        write::required("endsOn", &self.ends_on)?;
        write::date_order(
            write::date_of("startsOn", &self.starts_on),
            write::date_of("endsOn", &self.ends_on),
        )?;
        if write::changed(&self.organizer_id) {
            write::referenced::<entity::organization::Entity>(w, "organizerId", organizer).await?;
        }
        if write::changed(&self.parent_event_id)
            && let Some(Some(parent)) = write::value(&self.parent_event_id)
        {
            // The parent must exist and must not descend from this event.
            let mut next = Some(*parent);
            for _ in 0..MAX_NESTING {
                let Some(ancestor) = next else { break };
                if Some(ancestor) == id {
                    return Err(crate::Error::bad_input(
                        "parentEventId",
                        "an event cannot be its own parent or ancestor",
                    ));
                }
                next = write::referenced::<entity::event::Entity>(w, "parentEventId", ancestor)
                    .await?
                    .parent_event_id;
            }
        }
        Ok(())
    }
}
