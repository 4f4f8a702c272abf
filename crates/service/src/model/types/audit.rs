//! The audit log's description: what its connection aggregates, groups and
//! orders by. Not one of [`super::super::each`]'s types (only admins read
//! it, and nothing relates to it): the entry's own fields — `actor`, the
//! typed `entityId` — are the api's, which declares `AuditEntry`.

use entity::{RecordType, audit_log as al};

use super::*;
use crate::query::aggregate::Part;

/// The actions the log stores.
fn actions() -> Vec<String> {
    use crate::write::Action;
    [
        Action::Create,
        Action::Update,
        Action::Delete,
        Action::StatusChange,
    ]
    .iter()
    .map(|a| a.as_str().to_owned())
    .collect()
}

/// The record types the log stores.
fn entity_types() -> Vec<String> {
    RecordType::every()
        .iter()
        .map(|r| r.audit_name().to_owned())
        .collect()
}

pub static AUDIT_ENTRY: Description<al::Entity> = Description {
    name: "AuditEntry",
    doc: "One successful write: who, when, what, and the row before and after.",
    plural: "audit entries",
    root: "",
    root_doc: "",
    node: None,
    key: al::Column::Id,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates {
        values: &[al::Column::ActorSub, al::Column::EntityType],
        counts: &[
            al::Column::ActorSub,
            al::Column::EntityType,
            al::Column::EntityKey,
        ],
        numbers: &[],
        keys: &[
            key("Action", al::Column::Action, Part::Value, None),
            key("EntityType", al::Column::EntityType, Part::Value, None),
            key("ActorRole", al::Column::ActorRole, Part::Value, None),
        ],
    },
    order: <al::Entity as Resource>::order_fields,
    filters: &[
        by("entityType", al::Column::EntityType),
        by("entityKey", al::Column::EntityKey),
        by("actorSub", al::Column::ActorSub),
        by("action", al::Column::Action),
        by("at", al::Column::At),
    ],
    filter_name: Some("AuditLog"),
    writes: None,
    fields: &[
        f(
            "action",
            "What the write did.",
            Of::Enum(al::Column::Action, "AuditAction", actions),
        ),
        f(
            "entityType",
            "The kind of record written.",
            Of::Enum(al::Column::EntityType, "AuditEntityType", entity_types),
        ),
    ],
};
