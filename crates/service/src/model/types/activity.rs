//! Events, joint units and visits.

use super::*;
use entity::event as ev;
use entity::joint_unit as ju;
use entity::visit as vi;

pub static EVENT: Description<ev::Entity> = Description {
    name: "Event",
    doc: "An event where partnerships are made, or one of its activities.",
    plural: "events",
    root: "events",
    root_doc: "Events and their activities.",
    node: Some(NodeType::Event),
    key: ev::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            ev::Column::Name,
            ev::Column::StartsOn,
            ev::Column::EndsOn,
            ev::Column::Location,
        ],
        counts: &[
            ev::Column::Kind,
            ev::Column::OrganizerId,
            ev::Column::Location,
        ],
        numbers: &[],
        keys: &[
            key("Kind", ev::Column::Kind, Part::Value, None),
            key(
                "Organizer",
                ev::Column::OrganizerId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "ParentEvent",
                ev::Column::ParentEventId,
                Part::Value,
                Some(NodeType::Event),
            ),
            key("Location", ev::Column::Location, Part::Value, None),
            key("StartsOnYear", ev::Column::StartsOn, Part::Year, None),
            key("StartsOnMonth", ev::Column::StartsOn, Part::Month, None),
        ],
    },
    order: <ev::Entity as Resource>::order_fields,
    filters: &[
        by("id", ev::Column::Id),
        by("name", ev::Column::Name),
        by("kind", ev::Column::Kind),
        by("startsOn", ev::Column::StartsOn),
        by("endsOn", ev::Column::EndsOn),
        by("location", ev::Column::Location),
        one("parentEvent", ev::Relation::ParentEvent),
        one("organizer", ev::Relation::Organizer),
        many::<_, ev::Entity>("activities", &crate::event::ACTIVITIES),
        many::<_, entity::agreement::Entity>("agreements", &crate::event::AGREEMENTS),
    ],
    filter_name: None,
    writes: Some(&Writes {
        what: "an event",
        new: "A new event.",
        create: "Creates an event.",
        ops: &Generic::<entity::event::ActiveModel>::OPS,
    }),
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("name", "Name of the event.", Of::Column(ev::Column::Name)),
        f(
            "kind",
            "What kind of event.",
            Of::Enum(ev::Column::Kind, "EventKind", stored::<ev::EventKind>),
        ),
        f("startsOn", "First day.", Of::Column(ev::Column::StartsOn)),
        f("endsOn", "Last day.", Of::Column(ev::Column::EndsOn)),
        f(
            "location",
            "Where it takes place.",
            Of::Column(ev::Column::Location),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(ev::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(ev::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(ev::Column::UpdatedAt),
        ),
        f(
            "parentEvent",
            "The event this one is an activity of.",
            Of::ToOne(ev::Column::ParentEventId, NodeType::Event),
        ),
        f(
            "organizer",
            "The organization that organizes it.",
            Of::ToOne(ev::Column::OrganizerId, NodeType::Organization),
        ),
        f(
            "activities",
            "The activities of this event (academic salons, meetings, tours…).",
            Of::Page(&crate::event::ACTIVITIES, NodeType::Event),
        ),
        f(
            "agreements",
            "Agreements signed at the event.",
            Of::Page(&crate::event::AGREEMENTS, NodeType::Agreement),
        ),
    ],
};

pub static JOINT_UNIT: Description<ju::Entity> = Description {
    name: "JointUnit",
    doc: "An international joint laboratory, center or practice base.",
    plural: "joint units",
    root: "jointUnits",
    root_doc: "Joint laboratories, centers and practice bases.",
    node: Some(NodeType::JointUnit),
    key: ju::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            ju::Column::Name,
            ju::Column::EstablishedOn,
            ju::Column::ClosedOn,
        ],
        counts: &[
            ju::Column::Kind,
            ju::Column::HostOrganizationId,
            ju::Column::AgreementId,
            ju::Column::FieldCode,
        ],
        numbers: &[],
        keys: &[
            key("Kind", ju::Column::Kind, Part::Value, None),
            key(
                "Host",
                ju::Column::HostOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "Agreement",
                ju::Column::AgreementId,
                Part::Value,
                Some(NodeType::Agreement),
            ),
            key(
                "FieldOfStudy",
                ju::Column::FieldCode,
                Part::Value,
                Some(NodeType::FieldOfStudy),
            ),
            key(
                "EstablishedOnYear",
                ju::Column::EstablishedOn,
                Part::Year,
                None,
            ),
        ],
    },
    order: <ju::Entity as Resource>::order_fields,
    filters: &[
        by("id", ju::Column::Id),
        by("name", ju::Column::Name),
        by("kind", ju::Column::Kind),
        by("establishedOn", ju::Column::EstablishedOn),
        by("closedOn", ju::Column::ClosedOn),
        one("hostOrganization", ju::Relation::HostOrganization),
        one("agreement", ju::Relation::Agreement),
        one("fieldOfStudy", ju::Relation::FieldOfStudy),
        many::<_, entity::organization::Entity>("partners", &crate::joint_unit::PARTNERS),
    ],
    filter_name: None,
    writes: Some(&Writes {
        what: "a joint unit",
        new: "A new joint laboratory, center or practice base, with its partners.",
        create: "Creates a joint unit with its partners, atomically.",
        ops: &Generic::<entity::joint_unit::ActiveModel>::OPS,
    }),
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("name", "Name of the unit.", Of::Column(ju::Column::Name)),
        f(
            "kind",
            "Laboratory, center or practice base.",
            Of::Enum(
                ju::Column::Kind,
                "JointUnitKind",
                stored::<ju::JointUnitKind>,
            ),
        ),
        f(
            "establishedOn",
            "When it was established.",
            Of::Column(ju::Column::EstablishedOn),
        ),
        f(
            "closedOn",
            "When it closed, if it did.",
            Of::Column(ju::Column::ClosedOn),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(ju::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(ju::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(ju::Column::UpdatedAt),
        ),
        f(
            "hostOrganization",
            "The organization hosting it.",
            Of::ToOne(ju::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "agreement",
            "The agreement that founded it.",
            Of::ToOne(ju::Column::AgreementId, NodeType::Agreement),
        ),
        f(
            "fieldOfStudy",
            "Its field of study.",
            Of::ToOne(ju::Column::FieldCode, NodeType::FieldOfStudy),
        ),
        f(
            "partners",
            "The partner organizations.",
            Of::List(&crate::joint_unit::PARTNERS, NodeType::Organization),
        ),
    ],
};

pub static VISIT: Description<vi::Entity> = Description {
    name: "Visit",
    doc: "A visit of an expert to an organization.",
    plural: "visits",
    root: "visits",
    root_doc: "Visits of experts.",
    node: Some(NodeType::Visit),
    key: vi::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            vi::Column::Purpose,
            vi::Column::StartsOn,
            vi::Column::EndsOn,
        ],
        counts: &[
            vi::Column::PersonId,
            vi::Column::HostOrganizationId,
            vi::Column::AgreementId,
        ],
        numbers: &[],
        keys: &[
            key(
                "Person",
                vi::Column::PersonId,
                Part::Value,
                Some(NodeType::Person),
            ),
            key(
                "Host",
                vi::Column::HostOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "Agreement",
                vi::Column::AgreementId,
                Part::Value,
                Some(NodeType::Agreement),
            ),
            key("StartsOnYear", vi::Column::StartsOn, Part::Year, None),
            key("StartsOnMonth", vi::Column::StartsOn, Part::Month, None),
        ],
    },
    order: <vi::Entity as Resource>::order_fields,
    filters: &[
        by("id", vi::Column::Id),
        by("purpose", vi::Column::Purpose),
        by("startsOn", vi::Column::StartsOn),
        by("endsOn", vi::Column::EndsOn),
        one("person", vi::Relation::Person),
        one("hostOrganization", vi::Relation::HostOrganization),
        one("agreement", vi::Relation::Agreement),
    ],
    filter_name: None,
    writes: Some(&Writes {
        what: "a visit",
        new: "A new visit of an expert.",
        create: "Records a visit.",
        ops: &Generic::<entity::visit::ActiveModel>::OPS,
    }),
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f(
            "purpose",
            "Why the expert came.",
            Of::Column(vi::Column::Purpose),
        ),
        f("startsOn", "First day.", Of::Column(vi::Column::StartsOn)),
        f("endsOn", "Last day.", Of::Column(vi::Column::EndsOn)),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(vi::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(vi::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(vi::Column::UpdatedAt),
        ),
        f(
            "person",
            "The visiting expert.",
            Of::ToOne(vi::Column::PersonId, NodeType::Person),
        ),
        f(
            "hostOrganization",
            "The organization visited.",
            Of::ToOne(vi::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "agreement",
            "The agreement the visit was made under (staff mobility counts against its cooperation conditions).",
            Of::ToOne(vi::Column::AgreementId, NodeType::Agreement),
        ),
    ],
};
