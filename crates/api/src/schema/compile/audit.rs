//! The audit log in the one statement (admins only: anyone else's request
//! is refused, as the service says).

use async_graphql::InputType;
use async_graphql::parser::types::{Field as GqlField, SelectionSet};
use async_graphql_value::ConstValue;
use entity::{RecordType, audit_log};
use sea_orm::IdenStatic;
use service::model::Of;
use service::query::filter::Filter;
use service::query::json::{Field, Object};

use super::types::name_of;
use super::{ConnectionArgs, Cx, Types, connection};
use crate::schema::audit::AuditLogFilter;
use crate::schema::described::enum_names_of;
use crate::schema::viewer::ViewerRole;

pub(super) fn audit_log(
    cx: &Cx<'_>,
    field: &GqlField,
) -> Option<ConnectionArgs<audit_log::Entity>> {
    if let Err(error) = service::audit::authorize_read(cx.actor) {
        let at = super::position(field);
        return Some(ConnectionArgs::Refused(cx.refuse(error, at)?));
    }
    connection(cx, field, &service::model::AUDIT_ENTRY, entry, filter)
}

/// `auditLog(filter:)`: its own criteria, over the log's columns.
fn filter(value: &ConstValue) -> Result<Option<Filter>, service::Error> {
    if value == &ConstValue::Null {
        return Ok(None);
    }
    let given = AuditLogFilter::parse(Some(value.clone())).map_err(|_| {
        service::Error::bad_input("filter", "`filter` is not a valid audit log filter")
    })?;
    Ok(Some(given.into_service("filter")?.into_filter()))
}

fn entry(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<audit_log::Entity>> {
    use audit_log::Column as C;
    super::types::object(cx, set, Types::Exactly(&["AuditEntry"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("AuditEntry".to_owned()),
            "at" => Field::DateTime(C::At),
            "actor" => Field::Nested(actor(cx, &f.selection_set.node)?),
            "action" => Field::Mapped(C::Action, names(C::Action)),
            "entityType" => Field::Mapped(C::EntityType, names(C::EntityType)),
            "entityId" => Field::TypedId(
                C::EntityType,
                C::EntityKey,
                RecordType::every()
                    .iter()
                    .map(|r| (r.audit_name().to_owned(), r.node().name()))
                    .collect(),
            ),
            "before" => Field::Column(C::Before),
            "after" => Field::Column(C::After),
            _ => return None,
        })
    })
}

/// `AuditEntry.actor`: the subject and role written with the entry.
fn actor(cx: &Cx<'_>, set: &SelectionSet) -> Option<service::query::json::Nested> {
    use audit_log::Column as C;
    // As the entries store them (`service::write`) and the resolver reads them.
    let roles = [
        ("admin", service::Role::Admin),
        ("staff", service::Role::Staff),
        ("partner", service::Role::Partner),
    ]
    .into_iter()
    .map(|(stored, role)| Some((stored.to_owned(), name_of(ViewerRole::from(role))?)))
    .collect::<Option<Vec<_>>>()?;
    let object: Object<audit_log::Entity> =
        super::types::object(cx, set, Types::Exactly(&["AuditActor"]), |f, _| {
            Some(match f.name.node.as_str() {
                "__typename" => Field::Text("AuditActor".to_owned()),
                "sub" => Field::Column(C::ActorSub),
                "role" => Field::Mapped(C::ActorRole, roles.clone()),
                _ => return None,
            })
        })?;
    Some(service::query::json::same_row(object))
}

/// The GraphQL names of the stored values of one of the log's enum columns
/// (its description's `Of::Enum`).
fn names(column: audit_log::Column) -> Vec<(String, String)> {
    let enumerated = service::model::AUDIT_ENTRY
        .fields
        .iter()
        .find_map(|f| match f.of {
            Of::Enum(c, _, stored) if c.as_str() == column.as_str() => Some(stored),
            _ => None,
        });
    enumerated.map(enum_names_of).unwrap_or_default()
}
