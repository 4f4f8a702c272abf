//! The audit log: one entry per successful write (admins only).

use async_graphql::registry::Registry;
use std::borrow::Cow;

use async_graphql::{
    Enum, ID, InputObject, InputType, InputValueError, InputValueResult, Json, Name, OutputType,
    SimpleObject,
};
use async_graphql_value::ConstValue;
use service::write::Action;

use entity::RecordType;

use super::described::{declare_plain, enumeration};
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

/// A kind of record the log covers (`AuditEntityType`: the entity
/// registry's record types, by name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditEntityType(pub RecordType);

impl AuditEntityType {
    /// The GraphQL name of a record type (`JOINT_UNIT`).
    pub fn name(record: RecordType) -> String {
        record.audit_name().to_uppercase()
    }
}

impl InputType for AuditEntityType {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed("AuditEntityType")
    }

    fn create_type_info(registry: &mut Registry) -> String {
        let name = Self::type_name().into_owned();
        let values = RecordType::every().iter().map(|r| (Self::name(*r), None));
        let doc = "The kinds of record the audit log covers.";
        registry
            .types
            .entry(name.clone())
            .or_insert_with(|| enumeration(&name, doc, values));
        name
    }

    fn parse(value: Option<ConstValue>) -> InputValueResult<Self> {
        let given = match &value {
            Some(ConstValue::Enum(name)) => name.as_str(),
            Some(ConstValue::String(name)) => name.as_str(),
            _ => return Err(InputValueError::expected_type(value.unwrap_or_default())),
        };
        RecordType::every()
            .iter()
            .find(|r| Self::name(**r) == given)
            .map(|r| AuditEntityType(*r))
            .ok_or_else(|| InputValueError::custom(format!("no record type `{given}`")))
    }

    fn to_value(&self) -> ConstValue {
        ConstValue::Enum(Name::new(Self::name(self.0)))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
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
    <AuditEntityType as InputType>::create_type_info(registry);
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
            entity_type: self.entity_type.map(|t| t.0),
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
