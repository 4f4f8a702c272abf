//! The audit log: one entry per successful write (admins only).

use async_graphql::{Enum, ID, InputObject, Json, Object, Result, SimpleObject};
use entity::audit_log as model;
use service::write::Action;

use entity::RecordType;

use super::id::encode_id;
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

impl AuditAction {
    /// The action as the log stores it.
    fn parse(stored: &str) -> Option<AuditAction> {
        Some(match Action::parse(stored)? {
            Action::Create => AuditAction::Create,
            Action::Update => AuditAction::Update,
            Action::Delete => AuditAction::Delete,
            Action::StatusChange => AuditAction::StatusChange,
        })
    }
}

/// Who made a change.
#[derive(SimpleObject)]
pub struct AuditActor {
    /// The token's subject.
    pub sub: String,
    pub role: Option<ViewerRole>,
}

/// One successful write: who, when, what, and the row before and after.
pub struct AuditEntry(pub model::Model);

impl From<model::Model> for AuditEntry {
    fn from(m: model::Model) -> Self {
        AuditEntry(m)
    }
}

/// One successful write: who, when, what, and the row before and after.
#[Object]
impl AuditEntry {
    /// When the write was made (the start of its transaction).
    async fn at(&self) -> DateTime {
        self.0.at.into()
    }
    /// Who made it.
    async fn actor(&self) -> AuditActor {
        let role = match self.0.actor_role.as_str() {
            "admin" => Some(ViewerRole::from(service::Role::Admin)),
            "staff" => Some(ViewerRole::from(service::Role::Staff)),
            "partner" => Some(ViewerRole::from(service::Role::Partner)),
            _ => None,
        };
        AuditActor {
            sub: self.0.actor_sub.clone(),
            role,
        }
    }
    /// What it did.
    async fn action(&self) -> Option<AuditAction> {
        AuditAction::parse(&self.0.action)
    }
    /// The kind of record changed.
    async fn entity_type(&self) -> Option<AuditEntityType> {
        RecordType::from_audit_name(&self.0.entity_type).map(AuditEntityType::from)
    }
    /// The global id of the record changed (it may no longer exist).
    async fn entity_id(&self) -> Option<ID> {
        let record = RecordType::from_audit_name(&self.0.entity_type)?;
        let key = self.0.entity_key.parse().ok()?;
        Some(encode_id(record.node(), key))
    }
    /// The record before the write (null for a create), with the database's column names.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }
    /// The record after the write (null for a delete).
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
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

impl super::filter::IntoService for AuditLogFilter {
    type Service = service::audit::AuditFilter;

    fn into_service(self, path: &str) -> Result<Self::Service, service::Error> {
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
