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
