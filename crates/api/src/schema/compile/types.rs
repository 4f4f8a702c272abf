//! Each object type's fields in `service::query::json` terms, mirroring its
//! resolvers: a stored column, a mapped enum, a global id, a related row, a
//! list or a page. A field missing here sends the request to the resolvers.

use std::borrow::Cow;

use async_graphql::Positioned;
use async_graphql::parser::types::{Field as GqlField, SelectionSet};
use async_graphql::{ID, Pos};
use entity::NodeType;
use sea_orm::{ActiveEnum, Condition, Iterable};
use service::access;
use service::query::json::{self, Field, Nested, Object};

use super::activity::{event, events, joint_unit, joint_units, visit, visits};
use super::{Cx, Types, connection, enum_names, key};
use crate::schema::agreement::{
    AgreementAggregate, AgreementFilter, AgreementKind, AgreementOrder, AgreementStatus, PartyRole,
};
use crate::schema::country::{CountryAggregate, CountryFilter, CountryOrder};
use crate::schema::field_of_study::{FieldOfStudyAggregate, FieldOfStudyFilter, FieldOfStudyOrder};
use crate::schema::id;
use crate::schema::organization::{
    OrganizationAggregate, OrganizationFilter, OrganizationKind, OrganizationOrder,
};
use crate::schema::person::{PersonAggregate, PersonFilter, PersonOrder};
use crate::schema::program::{ProgramAggregate, ProgramFilter, ProgramKind, ProgramOrder};
use crate::schema::student::{
    DegreeLevel, StudentAggregate, StudentFilter, StudentOrder, StudentStatus,
};

use entity::{agreement, agreement_party, country, field_of_study, organization, person};
use entity::{program, student};

/// A root field of `Query`.
pub(super) fn root(cx: &Cx<'_>, field: &GqlField) -> Option<Nested> {
    use entity::organization::OrganizationKind as Kind;
    let of_kind = |kind| service::organization::of_kind(kind);
    match field.name.node.as_str() {
        "organizations" => organizations(cx, field)?.root(cx, Condition::all()),
        "universities" => organizations(cx, field)?.root(cx, of_kind(Kind::University)),
        "companies" => organizations(cx, field)?.root(cx, of_kind(Kind::Company)),
        "institutes" => organizations(cx, field)?.root(cx, of_kind(Kind::Institute)),
        "agreements" => agreements(cx, field)?.root(cx, Condition::all()),
        "programs" => programs(cx, field)?.root(cx, Condition::all()),
        "students" => students(cx, field)?.root(cx, Condition::all()),
        "people" => people(cx, field)?.root(cx, Condition::all()),
        "countries" => countries(cx, field)?.root(cx, Condition::all()),
        "fieldsOfStudy" => fields_of_study(cx, field)?.root(cx, Condition::all()),
        "events" => events(cx, field)?.root(cx, Condition::all()),
        "jointUnits" => joint_units(cx, field)?.root(cx, Condition::all()),
        "visits" => visits(cx, field)?.root(cx, Condition::all()),
        "auditLog" => super::audit::audit_log(cx, field)?.root(cx, Condition::all()),
        "node" => {
            let global: ID = cx.arg(field, "id")?;
            node(cx, &global, &field.selection_set.node)
        }
        "viewer" => viewer(cx, &field.selection_set.node),
        "statistics" => super::statistics::statistics(cx, field),
        "nodes" => {
            let ids: Vec<ID> = cx.arg(field, "ids")?;
            let mut rows = Vec::with_capacity(ids.len());
            for global in &ids {
                rows.push(node(cx, global, &field.selection_set.node)?);
            }
            json::list(rows)
        }
        _ => None,
    }
}

/// The GraphQL name of an enum value.
pub(super) fn name_of<G: async_graphql::EnumType + PartialEq>(value: G) -> Option<String> {
    G::items()
        .iter()
        .find(|item| item.value == value)
        .map(|item| item.name.to_owned())
}

/// `viewer`: who the token says the caller is.
fn viewer(cx: &Cx<'_>, set: &SelectionSet) -> Option<Nested> {
    use crate::schema::viewer::ViewerRole;
    use json::Fixed;
    let actor = cx.actor;
    let mut fields = Vec::new();
    for f in cx.fields(set, Types::Exactly(&["Viewer"]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "__typename" => Fixed::Text(Some("Viewer".to_owned())),
            "sub" => Fixed::Text(actor.sub.clone()),
            "role" => match actor.role {
                Some(role) => Fixed::Text(Some(name_of(ViewerRole::from(role))?)),
                None => Fixed::Text(None),
            },
            "organization" => match actor.organization_id {
                Some(id) => Fixed::Nested(json::by_key(
                    actor,
                    service::query::resource::Key::Id(id),
                    organization(cx, &f.selection_set.node)?,
                )),
                None => Fixed::Text(None),
            },
            _ => return None,
        };
        fields.push((key(f), value));
    }
    json::fixed(fields)
}

/// `FieldOfStudy.level` from the code's length, as the resolver decides it.
fn field_level(code: sea_orm::sea_query::Expr) -> sea_orm::sea_query::Expr {
    use crate::schema::field_of_study::FieldLevel;
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let name = |level| Expr::val(name_of(level).unwrap_or_default());
    let length = || Expr::from(Func::cust("length").arg(Func::cust("rtrim").arg(code.clone())));
    Expr::case(length().eq(2), name(FieldLevel::Broad))
        .case(length().eq(3), name(FieldLevel::Narrow))
        .finally(name(FieldLevel::Detailed))
        .into()
}

/// `node(id:)`: the row of the id's type, or `null`.
fn node(cx: &Cx<'_>, global: &ID, set: &SelectionSet) -> Option<Nested> {
    let (ty, key) = id::decode(global, "id").ok()?;
    node_of(cx, ty, key, set)
}

/// The row of type `ty` with key `key`, or `null`.
pub(super) fn node_of(
    cx: &Cx<'_>,
    ty: NodeType,
    key: service::query::resource::Key,
    set: &SelectionSet,
) -> Option<Nested> {
    Some(match ty {
        NodeType::Agreement => json::by_key(cx.actor, key, agreement(cx, set)?),
        NodeType::Organization => json::by_key(cx.actor, key, organization(cx, set)?),
        NodeType::Person => json::by_key(cx.actor, key, person(cx, set)?),
        NodeType::Program => json::by_key(cx.actor, key, program(cx, set)?),
        NodeType::Student => json::by_key(cx.actor, key, student(cx, set)?),
        NodeType::Country => json::by_key(cx.actor, key, country(cx, set)?),
        NodeType::FieldOfStudy => json::by_key(cx.actor, key, field_of_study(cx, set)?),
        NodeType::Event => json::by_key(cx.actor, key, event(cx, set)?),
        NodeType::JointUnit => json::by_key(cx.actor, key, joint_unit(cx, set)?),
        NodeType::Visit => json::by_key(cx.actor, key, visit(cx, set)?),
    })
}

/// An object of `E` over a selection: `field` translates each selected field
/// (`None`: the whole request goes to the resolvers).
pub(super) fn object<E: sea_orm::EntityTrait>(
    cx: &Cx<'_>,
    set: &SelectionSet,
    types: Types<'_>,
    field: impl Fn(&GqlField, Pos) -> Option<Field<E>>,
) -> Option<Object<E>> {
    object_of(&cx.fields(set, types)?, field)
}

/// An object of `E` with the collected fields `fields`.
fn object_of<E: sea_orm::EntityTrait>(
    fields: &[Cow<'_, Positioned<GqlField>>],
    field: impl Fn(&GqlField, Pos) -> Option<Field<E>>,
) -> Option<Object<E>> {
    let mut out = Vec::new();
    for f in fields {
        out.push((key(&f.node), field(&f.node, f.pos)?));
    }
    Object::new(out)
}

/// The row of `table` that the parent's column `column` names (a group's
/// key), with the selection `set`; `None` for a table without a translation.
pub(super) fn row_at(
    cx: &Cx<'_>,
    table: &str,
    column: &'static str,
    set: &SelectionSet,
) -> Option<Nested> {
    let actor = cx.actor;
    Some(match table {
        "organizations" => json::one_at(actor, column, organization(cx, set)?),
        "countries" => json::one_at(actor, column, country(cx, set)?),
        "agreements" => json::one_at(actor, column, agreement(cx, set)?),
        "people" => json::one_at(actor, column, person(cx, set)?),
        "programs" => json::one_at(actor, column, program(cx, set)?),
        "students" => json::one_at(actor, column, student(cx, set)?),
        "fields_of_study" => json::one_at(actor, column, field_of_study(cx, set)?),
        "events" => json::one_at(actor, column, event(cx, set)?),
        "joint_units" => json::one_at(actor, column, joint_unit(cx, set)?),
        _ => return None,
    })
}

/// The row of `E` that the column `foreign_key` of `P` names, shown by `build`.
pub(super) fn one<P: sea_orm::EntityTrait, E: service::query::resource::Resource>(
    cx: &Cx<'_>,
    f: &GqlField,
    foreign_key: P::Column,
    build: fn(&Cx<'_>, &SelectionSet) -> Option<Object<E>>,
) -> Option<Field<P>> {
    let object = build(cx, &f.selection_set.node)?;
    Some(Field::Nested(json::one(cx.actor, foreign_key, object)))
}

/// A field restricted by a field rule: the column where the actor may read
/// it, a refusal (`null` and `FORBIDDEN` at its path) on the other rows.
fn restricted<E: sea_orm::EntityTrait>(
    cx: &Cx<'_>,
    rule: access::Field,
    column: E::Column,
    at: Pos,
) -> Field<E> {
    match access::Readable::of(cx.actor, rule) {
        None => Field::Column(column),
        Some(readable) => {
            let message = access::refusal(rule);
            Field::Restricted(column, readable, cx.refusal(message, at))
        }
    }
}

fn organizations(
    cx: &Cx<'_>,
    field: &GqlField,
) -> Option<super::ConnectionArgs<organization::Entity>> {
    connection::<_, _, OrganizationFilter, OrganizationAggregate>(
        cx,
        field,
        OrganizationOrder::sort,
        "OrganizationConnection",
        organization,
    )
}

pub(super) fn agreements(
    cx: &Cx<'_>,
    field: &GqlField,
) -> Option<super::ConnectionArgs<agreement::Entity>> {
    connection::<_, _, AgreementFilter, AgreementAggregate>(
        cx,
        field,
        AgreementOrder::sort,
        "AgreementConnection",
        agreement,
    )
}

fn programs(cx: &Cx<'_>, field: &GqlField) -> Option<super::ConnectionArgs<program::Entity>> {
    connection::<_, _, ProgramFilter, ProgramAggregate>(
        cx,
        field,
        ProgramOrder::sort,
        "ProgramConnection",
        program,
    )
}

fn students(cx: &Cx<'_>, field: &GqlField) -> Option<super::ConnectionArgs<student::Entity>> {
    connection::<_, _, StudentFilter, StudentAggregate>(
        cx,
        field,
        StudentOrder::sort,
        "StudentConnection",
        student,
    )
}

fn people(cx: &Cx<'_>, field: &GqlField) -> Option<super::ConnectionArgs<person::Entity>> {
    connection::<_, _, PersonFilter, PersonAggregate>(
        cx,
        field,
        PersonOrder::sort,
        "PersonConnection",
        person,
    )
}

fn countries(cx: &Cx<'_>, field: &GqlField) -> Option<super::ConnectionArgs<country::Entity>> {
    connection::<_, _, CountryFilter, CountryAggregate>(
        cx,
        field,
        CountryOrder::sort,
        "CountryConnection",
        country,
    )
}

fn fields_of_study(
    cx: &Cx<'_>,
    field: &GqlField,
) -> Option<super::ConnectionArgs<field_of_study::Entity>> {
    connection::<_, _, FieldOfStudyFilter, FieldOfStudyAggregate>(
        cx,
        field,
        FieldOfStudyOrder::sort,
        "FieldOfStudyConnection",
        field_of_study,
    )
}

/// The GraphQL type each organization kind is shown as.
fn organization_type(kind: organization::OrganizationKind) -> &'static str {
    use organization::OrganizationKind as Kind;
    match kind {
        Kind::University => "University",
        Kind::Company => "Company",
        Kind::Institute => "Institute",
    }
}

/// An organization: its fields are the same for every kind unless a
/// fragment names a kind (`... on Company { industry }`); then each row is
/// answered with the fields of its kind.
pub(super) fn organization(
    cx: &Cx<'_>,
    set: &SelectionSet,
) -> Option<Object<organization::Entity>> {
    use organization::OrganizationKind as Kind;
    let mut kinds = Vec::new();
    for kind in Kind::iter() {
        let types = [organization_type(kind), "Organization", "Node"];
        kinds.push((kind, cx.fields(set, Types::Exactly(&types))?));
    }
    type Fields<'f> = [Cow<'f, Positioned<GqlField>>];
    let same = |a: &Fields<'_>, b: &Fields<'_>| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| match (x, y) {
                (Cow::Borrowed(x), Cow::Borrowed(y)) => std::ptr::eq(*x, *y),
                // Merged fields: the kinds are told apart (the same answer,
                // planned per kind).
                _ => false,
            })
    };
    if kinds.iter().all(|(_, fields)| same(fields, &kinds[0].1)) {
        return object_of(&kinds[0].1, |f, _| organization_field(cx, f));
    }
    let mut variants = Vec::new();
    for (kind, fields) in kinds {
        variants.push((
            kind.to_value(),
            object_of(&fields, |f, _| organization_field(cx, f))?,
        ));
    }
    Object::per_row(organization::Column::Kind, variants)
}

fn organization_field(cx: &Cx<'_>, f: &GqlField) -> Option<Field<organization::Entity>> {
    use organization::Column as C;
    use service::organization as links;
    let id = C::Id;
    Some(match f.name.node.as_str() {
        "__typename" => Field::Mapped(
            C::Kind,
            organization::OrganizationKind::iter()
                .map(|kind| (kind.to_value(), organization_type(kind).to_owned()))
                .collect(),
        ),
        "id" => Field::GlobalId(NodeType::Organization.name(), C::Id),
        "name" => Field::Column(C::Name),
        "kind" => Field::Mapped(
            C::Kind,
            enum_names::<OrganizationKind, organization::OrganizationKind>(),
        ),
        "shortName" => Field::Column(C::ShortName),
        "countryCode" => Field::Column(C::CountryCode),
        "country" => one(cx, f, C::CountryCode, country)?,
        "city" => Field::Column(C::City),
        "website" => Field::Column(C::Website),
        "foundedYear" => Field::Column(C::FoundedYear),
        "rorId" => Field::Column(C::RorId),
        "isHome" => Field::Column(C::IsHome),
        "description" => Field::Column(C::Description),
        "version" => Field::Column(C::Version),
        "agreements" => Field::Nested(agreements(cx, f)?.child(cx, *links::AGREEMENTS, id)?),
        "people" => Field::Nested(people(cx, f)?.child(cx, *links::PEOPLE, id)?),
        "programs" => Field::Nested(programs(cx, f)?.child(cx, *links::PROGRAMS, id)?),
        "students" => Field::Nested(students(cx, f)?.child(cx, *links::STUDENTS, id)?),
        "homeStudents" => Field::Nested(students(cx, f)?.child(cx, *links::HOME_STUDENTS, id)?),
        "organizedEvents" => {
            Field::Nested(events(cx, f)?.child(cx, *links::ORGANIZED_EVENTS, id)?)
        }
        "jointUnits" => Field::Nested(joint_units(cx, f)?.child(cx, *links::JOINT_UNITS, id)?),
        "partnerJointUnits" => {
            Field::Nested(joint_units(cx, f)?.child(cx, *links::PARTNER_JOINT_UNITS, id)?)
        }
        "visits" => Field::Nested(visits(cx, f)?.child(cx, *links::VISITS, id)?),
        // Companies only (validation keeps it to `... on Company`).
        "industry" => Field::Column(C::Industry),
        "createdAt" => Field::DateTime(C::CreatedAt),
        "updatedAt" => Field::DateTime(C::UpdatedAt),
        _ => return None,
    })
}

pub(super) fn country(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<country::Entity>> {
    use country::Column as C;
    use service::country as links;
    let code = C::Code;
    object(cx, set, Types::Exactly(&["Country", "Node"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Country".to_owned()),
            "id" => Field::GlobalId(NodeType::Country.name(), C::Code),
            "code" => Field::Trimmed(C::Code),
            "name" => Field::Column(C::Name),
            "region" => Field::Column(C::Region),
            "organizations" => {
                Field::Nested(organizations(cx, f)?.child(cx, *links::ORGANIZATIONS, code)?)
            }
            "people" => Field::Nested(people(cx, f)?.child(cx, *links::PEOPLE, code)?),
            "students" => Field::Nested(students(cx, f)?.child(cx, *links::STUDENTS, code)?),
            _ => return None,
        })
    })
}

pub(super) fn agreement(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<agreement::Entity>> {
    use agreement::Column as C;
    use service::agreement as links;
    let id = C::Id;
    object(cx, set, Types::Exactly(&["Agreement", "Node"]), |f, at| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Agreement".to_owned()),
            "id" => Field::GlobalId(NodeType::Agreement.name(), C::Id),
            "title" => Field::Column(C::Title),
            "kind" => Field::Mapped(
                C::Kind,
                enum_names::<AgreementKind, agreement::AgreementKind>(),
            ),
            "status" => Field::Mapped(
                C::Status,
                enum_names::<AgreementStatus, agreement::AgreementStatus>(),
            ),
            "signedOn" => Field::Column(C::SignedOn),
            "startsOn" => Field::Column(C::StartsOn),
            "endsOn" => Field::Column(C::EndsOn),
            "summary" => restricted(cx, access::Field::AgreementSummary, C::Summary, at),
            "version" => Field::Column(C::Version),
            "predecessor" => one(cx, f, C::PredecessorId, agreement)?,
            "successor" => Field::Nested(json::first_child(
                cx.actor,
                *links::SUCCESSOR,
                id,
                agreement(cx, &f.selection_set.node)?,
                cx.dialect,
            )?),
            "event" => one(cx, f, C::EventId, event)?,
            "jointUnits" => {
                Field::Nested(joint_units(cx, f)?.child(cx, *links::JOINT_UNITS, id)?)
            }
            "parties" => Field::Nested(service::agreement::parties_json(
                cx.actor,
                party(cx, &f.selection_set.node)?,
            )),
            "fieldsOfStudy" => Field::Nested(json::children(
                cx.actor,
                *links::FIELDS_OF_STUDY,
                id,
                field_of_study(cx, &f.selection_set.node)?,
                cx.dialect,
            )?),
            "programs" => Field::Nested(programs(cx, f)?.child(cx, *links::PROGRAMS, id)?),
            "students" => Field::Nested(students(cx, f)?.child(cx, *links::STUDENTS, id)?),
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            _ => return None,
        })
    })
}

fn party(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<agreement_party::Entity>> {
    use agreement_party::Column as C;
    object(cx, set, Types::Exactly(&["AgreementParty"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("AgreementParty".to_owned()),
            "role" => Field::Mapped(
                C::Role,
                enum_names::<PartyRole, agreement_party::PartyRole>(),
            ),
            "organization" => one(cx, f, C::OrganizationId, organization)?,
            "signatory" => one(cx, f, C::SignatoryId, person)?,
            "agreement" => one(cx, f, C::AgreementId, agreement)?,
            _ => return None,
        })
    })
}

pub(super) fn person(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<person::Entity>> {
    use person::Column as C;
    object(cx, set, Types::Exactly(&["Person", "Node"]), |f, at| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Person".to_owned()),
            "id" => Field::GlobalId(NodeType::Person.name(), C::Id),
            "fullName" => Field::Column(C::FullName),
            "email" => restricted(cx, access::Field::PersonEmail, C::Email, at),
            "title" => Field::Column(C::Title),
            "nationalityCode" => Field::Trimmed(C::Nationality),
            "nationality" => one(cx, f, C::Nationality, country)?,
            "organization" => one(cx, f, C::OrganizationId, organization)?,
            "visits" => Field::Nested(visits(cx, f)?.child(cx, *service::person::VISITS, C::Id)?),
            "signedAgreements" => Field::Nested(agreements(cx, f)?.child(
                cx,
                *service::person::SIGNED_AGREEMENTS,
                C::Id,
            )?),
            "version" => Field::Column(C::Version),
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            _ => return None,
        })
    })
}

pub(super) fn field_of_study(
    cx: &Cx<'_>,
    set: &SelectionSet,
) -> Option<Object<field_of_study::Entity>> {
    use field_of_study::Column as C;
    object(
        cx,
        set,
        Types::Exactly(&["FieldOfStudy", "Node"]),
        |f, _| {
            Some(match f.name.node.as_str() {
                "__typename" => Field::Text("FieldOfStudy".to_owned()),
                "id" => Field::GlobalId(NodeType::FieldOfStudy.name(), C::Code),
                "code" => Field::Trimmed(C::Code),
                "level" => Field::Computed(C::Code, field_level),
                "broadField" => one(cx, f, C::BroadCode, field_of_study)?,
                "agreements" => Field::Nested(agreements(cx, f)?.child(
                    cx,
                    *service::field_of_study::AGREEMENTS,
                    C::Code,
                )?),
                "programs" => Field::Nested(programs(cx, f)?.child(
                    cx,
                    *service::field_of_study::PROGRAMS,
                    C::Code,
                )?),
                "jointUnits" => Field::Nested(joint_units(cx, f)?.child(
                    cx,
                    *service::field_of_study::JOINT_UNITS,
                    C::Code,
                )?),
                "name" => Field::Column(C::Name),
                _ => return None,
            })
        },
    )
}

fn program(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<program::Entity>> {
    use program::Column as C;
    let id = C::Id;
    object(cx, set, Types::Exactly(&["Program", "Node"]), |f, _| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Program".to_owned()),
            "id" => Field::GlobalId(NodeType::Program.name(), C::Id),
            "name" => Field::Column(C::Name),
            "kind" => Field::Mapped(C::Kind, enum_names::<ProgramKind, program::ProgramKind>()),
            "languageCode" => Field::Trimmed(C::LanguageCode),
            "startsOn" => Field::Column(C::StartsOn),
            "endsOn" => Field::Column(C::EndsOn),
            "capacity" => Field::Column(C::Capacity),
            "version" => Field::Column(C::Version),
            "agreement" => one(cx, f, C::AgreementId, agreement)?,
            "hostOrganization" => one(cx, f, C::HostOrganizationId, organization)?,
            "fieldOfStudy" => one(cx, f, C::FieldCode, field_of_study)?,
            "students" => {
                Field::Nested(students(cx, f)?.child(cx, *service::program::STUDENTS, id)?)
            }
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            _ => return None,
        })
    })
}

fn student(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<student::Entity>> {
    use student::Column as C;
    object(cx, set, Types::Exactly(&["Student", "Node"]), |f, at| {
        Some(match f.name.node.as_str() {
            "__typename" => Field::Text("Student".to_owned()),
            "id" => Field::GlobalId(NodeType::Student.name(), C::Id),
            "fullName" => Field::Column(C::FullName),
            "email" => restricted(cx, access::Field::StudentEmail, C::Email, at),
            "dateOfBirth" => restricted(cx, access::Field::StudentDateOfBirth, C::DateOfBirth, at),
            "nationalityCode" => Field::Trimmed(C::Nationality),
            "nationality" => one(cx, f, C::Nationality, country)?,
            "degreeLevel" => Field::Mapped(
                C::DegreeLevel,
                enum_names::<DegreeLevel, student::DegreeLevel>(),
            ),
            "status" => Field::Mapped(
                C::Status,
                enum_names::<StudentStatus, student::StudentStatus>(),
            ),
            "enrolledOn" => Field::Column(C::EnrolledOn),
            "leavesOn" => Field::Column(C::LeavesOn),
            "version" => Field::Column(C::Version),
            "homeOrganization" => one(cx, f, C::HomeOrganizationId, organization)?,
            "hostOrganization" => one(cx, f, C::HostOrganizationId, organization)?,
            "program" => one(cx, f, C::ProgramId, program)?,
            "agreement" => one(cx, f, C::AgreementId, agreement)?,
            "createdAt" => Field::DateTime(C::CreatedAt),
            "updatedAt" => Field::DateTime(C::UpdatedAt),
            _ => return None,
        })
    })
}
