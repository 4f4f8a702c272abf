//! The audit log: one entry per successful write (admins only).

use async_graphql::registry::Registry;
use async_graphql::{Enum, ID, InputObject, Json, OutputType, SimpleObject};
use service::write::Action;

use entity::RecordType;

use super::described::declare_plain;
pub use super::registry::AuditEntityType;
use super::scalars::DateTime;
use super::viewer::ViewerRole;

/// What a write did.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    StatusChange,
}

impl From<AuditAction> for Action {
    fn from(a: AuditAction) -> Self {
        match a {
            AuditAction::Create => Action::Create,
            AuditAction::Update => Action::Update,
            AuditAction::Delete => Action::Delete,
            AuditAction::StatusChange => Action::StatusChange,
        }
    }
}

/// Who made a change.
#[derive(SimpleObject)]
pub struct AuditActor {
    /// The token's subject.
    pub sub: String,
    pub role: Option<ViewerRole>,
}

/// Registers `AuditEntry` (the plan answers it, `compile::audit`) and the
/// types its fields answer in.
pub fn declare(registry: &mut Registry) -> String {
    <AuditActor as OutputType>::create_type_info(registry);
    <AuditAction as OutputType>::create_type_info(registry);
    <AuditEntityType as OutputType>::create_type_info(registry);
    <DateTime as OutputType>::create_type_info(registry);
    <Json<serde_json::Value> as OutputType>::create_type_info(registry);
    let fields = [
        (
            "at",
            "When the write was made (the start of its transaction).",
            "DateTime!",
        ),
        ("actor", "Who made it.", "AuditActor!"),
        ("action", "What it did.", "AuditAction"),
        (
            "entityType",
            "The kind of record changed.",
            "AuditEntityType",
        ),
        (
            "entityId",
            "The global id of the record changed (it may no longer exist).",
            "ID",
        ),
        (
            "before",
            "The record before the write (null for a create), with the database's column names.",
            "JSON",
        ),
        (
            "after",
            "The record after the write (null for a delete).",
            "JSON",
        ),
    ];
    declare_plain(
        registry,
        "AuditEntry",
        "One successful write: who, when, what, and the row before and after.",
        &fields,
    )
}

/// Which audit entries to return; every given criterion must hold.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Entries about this record (any node's global id).
    pub entity_id: Option<ID>,
    /// Entries about records of this kind.
    pub entity_type: Option<AuditEntityType>,
    /// Entries by this token subject.
    pub actor_sub: Option<String>,
    /// Entries of these actions.
    pub actions: Option<Vec<AuditAction>>,
    /// Entries at or after this time.
    pub since: Option<DateTime>,
    /// Entries before this time.
    pub until: Option<DateTime>,
}

impl AuditLogFilter {
    /// The criteria in the service's terms; `path` is for errors.
    pub fn into_service(self, path: &str) -> Result<service::audit::AuditFilter, service::Error> {
        let mut filter = service::audit::AuditFilter {
            entity_type: self.entity_type.map(RecordType::from),
            actor_sub: self.actor_sub,
            actions: self
                .actions
                .unwrap_or_default()
                .into_iter()
                .map(Action::from)
                .collect(),
            since: self.since.map(|t| t.0),
            until: self.until.map(|t| t.0),
            ..Default::default()
        };
        if let Some(id) = self.entity_id {
            let field = format!("{path}.entityId");
            let (node, key) = super::id::decode(&id, &field)?;
            let not_covered = || {
                service::Error::bad_input(
                    &field,
                    "the audit log does not cover this kind of record",
                )
            };
            filter.entity_type = Some(node.record().ok_or_else(not_covered)?);
            filter.entity_key = Some(key.id().ok_or_else(not_covered)?);
        }
        Ok(filter)
    }
}
