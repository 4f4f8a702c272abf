//! Events, joint units and visits in the one statement's terms.

use async_graphql::parser::types::{Field as GqlField, SelectionSet};
use entity::NodeType;
use entity::{event, joint_unit, visit};
use service::query::json::{self, Field, Object};

use super::types::{agreement, agreements, field_of_study, one, organization, person};
use super::{ConnectionArgs, Cx, Types, connection, enum_names};
use crate::schema::event::{EventAggregate, EventFilter, EventKind, EventOrder};
use crate::schema::joint_unit::{
    JointUnitAggregate, JointUnitFilter, JointUnitKind, JointUnitOrder,
};
use crate::schema::visit::{VisitAggregate, VisitFilter, VisitOrder};

pub(super) fn events(cx: &Cx<'_>, field: &GqlField) -> Option<ConnectionArgs<event::Entity>> {
    connection::<_, _, EventFilter, EventAggregate>(
        cx,
        field,
        EventOrder::sort,
        "EventConnection",
        event,
    )
}

pub(super) fn joint_units(
    cx: &Cx<'_>,
    field: &GqlField,
) -> Option<ConnectionArgs<joint_unit::Entity>> {
    connection::<_, _, JointUnitFilter, JointUnitAggregate>(
        cx,
        field,
        JointUnitOrder::sort,
        "JointUnitConnection",
        joint_unit,
    )
}

pub(super) fn visits(cx: &Cx<'_>, field: &GqlField) -> Option<ConnectionArgs<visit::Entity>> {
    connection::<_, _, VisitFilter, VisitAggregate>(
        cx,
        field,
        VisitOrder::sort,
        "VisitConnection",
        visit,
    )
}

pub(super) fn event(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<event::Entity>> {
    use event::Column as C;
    use service::event as links;
    let id = C::Id;
    super::types::object(cx, set, Types::Exactly(&["Event", "Node"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Event".to_owned()),
            "id" => Field::GlobalId(NodeType::Event.name(), C::Id),
            "name" => Field::Column(C::Name),
            "kind" => Field::Mapped(C::Kind, enum_names::<EventKind, event::EventKind>()),
            "startsOn" => Field::Column(C::StartsOn),
            "endsOn" => Field::Column(C::EndsOn),
            "location" => Field::Column(C::Location),
            "version" => Field::Column(C::Version),
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            "parentEvent" => one(cx, f, C::ParentEventId, event)?,
            "organizer" => one(cx, f, C::OrganizerId, organization)?,
            "activities" => Field::Nested(events(cx, f)?.child(cx, *links::ACTIVITIES, id)?),
            "agreements" => Field::Nested(agreements(cx, f)?.child(cx, *links::AGREEMENTS, id)?),
            _ => return None,
        })
    })
}

pub(super) fn joint_unit(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<joint_unit::Entity>> {
    use joint_unit::Column as C;
    super::types::object(cx, set, Types::Exactly(&["JointUnit", "Node"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("JointUnit".to_owned()),
            "id" => Field::GlobalId(NodeType::JointUnit.name(), C::Id),
            "name" => Field::Column(C::Name),
            "kind" => Field::Mapped(
                C::Kind,
                enum_names::<JointUnitKind, joint_unit::JointUnitKind>(),
            ),
            "establishedOn" => Field::Column(C::EstablishedOn),
            "closedOn" => Field::Column(C::ClosedOn),
            "version" => Field::Column(C::Version),
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            "hostOrganization" => one(cx, f, C::HostOrganizationId, organization)?,
            "agreement" => one(cx, f, C::AgreementId, agreement)?,
            "fieldOfStudy" => one(cx, f, C::FieldCode, field_of_study)?,
            "partners" => Field::Nested(json::children(
                cx.actor,
                *service::joint_unit::PARTNERS,
                C::Id,
                organization(cx, &f.selection_set.node)?,
                cx.dialect,
            )?),
            _ => return None,
        })
    })
}

pub(super) fn visit(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<visit::Entity>> {
    use visit::Column as C;
    super::types::object(cx, set, Types::Exactly(&["Visit", "Node"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Visit".to_owned()),
            "id" => Field::GlobalId(NodeType::Visit.name(), C::Id),
            "purpose" => Field::Column(C::Purpose),
            "startsOn" => Field::Column(C::StartsOn),
            "endsOn" => Field::Column(C::EndsOn),
            "version" => Field::Column(C::Version),
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            "person" => one(cx, f, C::PersonId, person)?,
            "hostOrganization" => one(cx, f, C::HostOrganizationId, organization)?,
            _ => return None,
        })
    })
}
