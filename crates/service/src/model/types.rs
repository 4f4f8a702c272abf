//! The descriptions of the types the API shows.

use entity::NodeType;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveEnum, EntityTrait, Iterable};

use super::{Description, Field, Of};
use crate::access;

const fn f<E: EntityTrait>(name: &'static str, of: Of<E>) -> Field<E> {
    Field {
        name,
        of,
        only: None,
    }
}

/// A field of one object type of an interface.
const fn on<E: EntityTrait>(ty: &'static str, name: &'static str, of: Of<E>) -> Field<E> {
    Field {
        name,
        of,
        only: Some(ty),
    }
}

/// The stored values of enum `A`.
fn stored<A: ActiveEnum<Value = String> + Iterable>() -> Vec<String> {
    A::iter().map(|v| v.to_value()).collect()
}

/// `FieldOfStudy.level` from the code's length: two digits a broad field,
/// three a narrow one, four a detailed one.
fn level(code: Expr) -> Expr {
    let length = || Expr::from(Func::cust("length").arg(Func::cust("rtrim").arg(code.clone())));
    Expr::case(length().eq(2), Expr::val("BROAD"))
        .case(length().eq(3), Expr::val("NARROW"))
        .finally(Expr::val("DETAILED"))
        .into()
}

use entity::{agreement as ag, agreement_party as ap, country as co, event as ev};
use entity::{field_of_study as fs, joint_unit as ju, organization as og, person as pe};
use entity::{program as pr, student as st, visit as vi};

pub static COUNTRY: Description<co::Entity> = Description {
    name: "Country",
    root: "countries",
    node: Some(NodeType::Country),
    key: co::Column::Code,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("code", Of::Trimmed(co::Column::Code)),
        f("name", Of::Column(co::Column::Name)),
        f("region", Of::Column(co::Column::Region)),
        f(
            "organizations",
            Of::Page(&crate::country::ORGANIZATIONS, NodeType::Organization),
        ),
        f(
            "people",
            Of::Page(&crate::country::PEOPLE, NodeType::Person),
        ),
        f(
            "students",
            Of::Page(&crate::country::STUDENTS, NodeType::Student),
        ),
    ],
};

pub static FIELD_OF_STUDY: Description<fs::Entity> = Description {
    name: "FieldOfStudy",
    root: "fieldsOfStudy",
    node: Some(NodeType::FieldOfStudy),
    key: fs::Column::Code,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("code", Of::Trimmed(fs::Column::Code)),
        f("name", Of::Column(fs::Column::Name)),
        f("level", Of::Computed(fs::Column::Code, level)),
        f(
            "broadField",
            Of::ToOne(fs::Column::BroadCode, NodeType::FieldOfStudy),
        ),
        f(
            "agreements",
            Of::Page(&crate::field_of_study::AGREEMENTS, NodeType::Agreement),
        ),
        f(
            "programs",
            Of::Page(&crate::field_of_study::PROGRAMS, NodeType::Program),
        ),
        f(
            "jointUnits",
            Of::Page(&crate::field_of_study::JOINT_UNITS, NodeType::JointUnit),
        ),
    ],
};

pub static ORGANIZATION: Description<og::Entity> = Description {
    name: "Organization",
    root: "organizations",
    node: Some(NodeType::Organization),
    key: og::Column::Id,
    variants: Some((
        og::Column::Kind,
        &[
            ("university", "University", "universities"),
            ("company", "Company", "companies"),
            ("institute", "Institute", "institutes"),
        ],
    )),
    interfaces: &["Organization", "Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("name", Of::Column(og::Column::Name)),
        f(
            "kind",
            Of::Enum(og::Column::Kind, stored::<og::OrganizationKind>),
        ),
        f("shortName", Of::Column(og::Column::ShortName)),
        f("countryCode", Of::Column(og::Column::CountryCode)),
        f(
            "country",
            Of::ToOne(og::Column::CountryCode, NodeType::Country),
        ),
        f("city", Of::Column(og::Column::City)),
        f("website", Of::Column(og::Column::Website)),
        f("foundedYear", Of::Column(og::Column::FoundedYear)),
        f("rorId", Of::Column(og::Column::RorId)),
        f("isHome", Of::Column(og::Column::IsHome)),
        f("description", Of::Column(og::Column::Description)),
        f("version", Of::Column(og::Column::Version)),
        on("Company", "industry", Of::Column(og::Column::Industry)),
        f("createdAt", Of::Instant(og::Column::CreatedAt)),
        f("updatedAt", Of::Instant(og::Column::UpdatedAt)),
        f(
            "agreements",
            Of::Page(&crate::organization::AGREEMENTS, NodeType::Agreement),
        ),
        f(
            "people",
            Of::Page(&crate::organization::PEOPLE, NodeType::Person),
        ),
        f(
            "programs",
            Of::Page(&crate::organization::PROGRAMS, NodeType::Program),
        ),
        f(
            "students",
            Of::Page(&crate::organization::STUDENTS, NodeType::Student),
        ),
        f(
            "homeStudents",
            Of::Page(&crate::organization::HOME_STUDENTS, NodeType::Student),
        ),
        f(
            "organizedEvents",
            Of::Page(&crate::organization::ORGANIZED_EVENTS, NodeType::Event),
        ),
        f(
            "jointUnits",
            Of::Page(&crate::organization::JOINT_UNITS, NodeType::JointUnit),
        ),
        f(
            "partnerJointUnits",
            Of::Page(
                &crate::organization::PARTNER_JOINT_UNITS,
                NodeType::JointUnit,
            ),
        ),
        f(
            "visits",
            Of::Page(&crate::organization::VISITS, NodeType::Visit),
        ),
    ],
};

pub static AGREEMENT: Description<ag::Entity> = Description {
    name: "Agreement",
    root: "agreements",
    node: Some(NodeType::Agreement),
    key: ag::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("title", Of::Column(ag::Column::Title)),
        f(
            "kind",
            Of::Enum(ag::Column::Kind, stored::<ag::AgreementKind>),
        ),
        f(
            "status",
            Of::Enum(ag::Column::Status, stored::<ag::AgreementStatus>),
        ),
        f("signedOn", Of::Column(ag::Column::SignedOn)),
        f("startsOn", Of::Column(ag::Column::StartsOn)),
        f("endsOn", Of::Column(ag::Column::EndsOn)),
        f(
            "summary",
            Of::Restricted(ag::Column::Summary, access::Field::AgreementSummary),
        ),
        f("version", Of::Column(ag::Column::Version)),
        f("createdAt", Of::Instant(ag::Column::CreatedAt)),
        f("updatedAt", Of::Instant(ag::Column::UpdatedAt)),
        f(
            "predecessor",
            Of::ToOne(ag::Column::PredecessorId, NodeType::Agreement),
        ),
        f(
            "successor",
            Of::First(&crate::agreement::SUCCESSOR, NodeType::Agreement),
        ),
        f("event", Of::ToOne(ag::Column::EventId, NodeType::Event)),
        f("parties", Of::Parties),
        f(
            "fieldsOfStudy",
            Of::List(&crate::agreement::FIELDS_OF_STUDY, NodeType::FieldOfStudy),
        ),
        f(
            "jointUnits",
            Of::Page(&crate::agreement::JOINT_UNITS, NodeType::JointUnit),
        ),
        f(
            "programs",
            Of::Page(&crate::agreement::PROGRAMS, NodeType::Program),
        ),
        f(
            "students",
            Of::Page(&crate::agreement::STUDENTS, NodeType::Student),
        ),
    ],
};

/// A party to an agreement: a row of the join table, with no id.
pub static PARTY: Description<ap::Entity> = Description {
    name: "AgreementParty",
    root: "",
    node: None,
    key: ap::Column::AgreementId,
    variants: None,
    interfaces: &[],
    fields: &[
        f("__typename", Of::TypeName),
        f("role", Of::Enum(ap::Column::Role, stored::<ap::PartyRole>)),
        f(
            "organization",
            Of::ToOne(ap::Column::OrganizationId, NodeType::Organization),
        ),
        f(
            "signatory",
            Of::ToOne(ap::Column::SignatoryId, NodeType::Person),
        ),
        f(
            "agreement",
            Of::ToOne(ap::Column::AgreementId, NodeType::Agreement),
        ),
    ],
};

pub static PERSON: Description<pe::Entity> = Description {
    name: "Person",
    root: "people",
    node: Some(NodeType::Person),
    key: pe::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("fullName", Of::Column(pe::Column::FullName)),
        f(
            "email",
            Of::Restricted(pe::Column::Email, access::Field::PersonEmail),
        ),
        f("title", Of::Column(pe::Column::Title)),
        f("nationalityCode", Of::Trimmed(pe::Column::Nationality)),
        f(
            "nationality",
            Of::ToOne(pe::Column::Nationality, NodeType::Country),
        ),
        f(
            "organization",
            Of::ToOne(pe::Column::OrganizationId, NodeType::Organization),
        ),
        f("version", Of::Column(pe::Column::Version)),
        f("createdAt", Of::Instant(pe::Column::CreatedAt)),
        f("updatedAt", Of::Instant(pe::Column::UpdatedAt)),
        f("visits", Of::Page(&crate::person::VISITS, NodeType::Visit)),
        f(
            "signedAgreements",
            Of::Page(&crate::person::SIGNED_AGREEMENTS, NodeType::Agreement),
        ),
    ],
};

pub static PROGRAM: Description<pr::Entity> = Description {
    name: "Program",
    root: "programs",
    node: Some(NodeType::Program),
    key: pr::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("name", Of::Column(pr::Column::Name)),
        f(
            "kind",
            Of::Enum(pr::Column::Kind, stored::<pr::ProgramKind>),
        ),
        f("languageCode", Of::Trimmed(pr::Column::LanguageCode)),
        f("startsOn", Of::Column(pr::Column::StartsOn)),
        f("endsOn", Of::Column(pr::Column::EndsOn)),
        f("capacity", Of::Column(pr::Column::Capacity)),
        f("version", Of::Column(pr::Column::Version)),
        f("createdAt", Of::Instant(pr::Column::CreatedAt)),
        f("updatedAt", Of::Instant(pr::Column::UpdatedAt)),
        f(
            "agreement",
            Of::ToOne(pr::Column::AgreementId, NodeType::Agreement),
        ),
        f(
            "hostOrganization",
            Of::ToOne(pr::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "fieldOfStudy",
            Of::ToOne(pr::Column::FieldCode, NodeType::FieldOfStudy),
        ),
        f(
            "students",
            Of::Page(&crate::program::STUDENTS, NodeType::Student),
        ),
    ],
};

pub static STUDENT: Description<st::Entity> = Description {
    name: "Student",
    root: "students",
    node: Some(NodeType::Student),
    key: st::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("fullName", Of::Column(st::Column::FullName)),
        f(
            "email",
            Of::Restricted(st::Column::Email, access::Field::StudentEmail),
        ),
        f(
            "dateOfBirth",
            Of::Restricted(st::Column::DateOfBirth, access::Field::StudentDateOfBirth),
        ),
        f("nationalityCode", Of::Trimmed(st::Column::Nationality)),
        f(
            "nationality",
            Of::ToOne(st::Column::Nationality, NodeType::Country),
        ),
        f(
            "degreeLevel",
            Of::Enum(st::Column::DegreeLevel, stored::<st::DegreeLevel>),
        ),
        f(
            "status",
            Of::Enum(st::Column::Status, stored::<st::StudentStatus>),
        ),
        f("enrolledOn", Of::Column(st::Column::EnrolledOn)),
        f("leavesOn", Of::Column(st::Column::LeavesOn)),
        f("version", Of::Column(st::Column::Version)),
        f("createdAt", Of::Instant(st::Column::CreatedAt)),
        f("updatedAt", Of::Instant(st::Column::UpdatedAt)),
        f(
            "homeOrganization",
            Of::ToOne(st::Column::HomeOrganizationId, NodeType::Organization),
        ),
        f(
            "hostOrganization",
            Of::ToOne(st::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "program",
            Of::ToOne(st::Column::ProgramId, NodeType::Program),
        ),
        f(
            "agreement",
            Of::ToOne(st::Column::AgreementId, NodeType::Agreement),
        ),
    ],
};

pub static EVENT: Description<ev::Entity> = Description {
    name: "Event",
    root: "events",
    node: Some(NodeType::Event),
    key: ev::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("name", Of::Column(ev::Column::Name)),
        f("kind", Of::Enum(ev::Column::Kind, stored::<ev::EventKind>)),
        f("startsOn", Of::Column(ev::Column::StartsOn)),
        f("endsOn", Of::Column(ev::Column::EndsOn)),
        f("location", Of::Column(ev::Column::Location)),
        f("version", Of::Column(ev::Column::Version)),
        f("createdAt", Of::Instant(ev::Column::CreatedAt)),
        f("updatedAt", Of::Instant(ev::Column::UpdatedAt)),
        f(
            "parentEvent",
            Of::ToOne(ev::Column::ParentEventId, NodeType::Event),
        ),
        f(
            "organizer",
            Of::ToOne(ev::Column::OrganizerId, NodeType::Organization),
        ),
        f(
            "activities",
            Of::Page(&crate::event::ACTIVITIES, NodeType::Event),
        ),
        f(
            "agreements",
            Of::Page(&crate::event::AGREEMENTS, NodeType::Agreement),
        ),
    ],
};

pub static JOINT_UNIT: Description<ju::Entity> = Description {
    name: "JointUnit",
    root: "jointUnits",
    node: Some(NodeType::JointUnit),
    key: ju::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("name", Of::Column(ju::Column::Name)),
        f(
            "kind",
            Of::Enum(ju::Column::Kind, stored::<ju::JointUnitKind>),
        ),
        f("establishedOn", Of::Column(ju::Column::EstablishedOn)),
        f("closedOn", Of::Column(ju::Column::ClosedOn)),
        f("version", Of::Column(ju::Column::Version)),
        f("createdAt", Of::Instant(ju::Column::CreatedAt)),
        f("updatedAt", Of::Instant(ju::Column::UpdatedAt)),
        f(
            "hostOrganization",
            Of::ToOne(ju::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "agreement",
            Of::ToOne(ju::Column::AgreementId, NodeType::Agreement),
        ),
        f(
            "fieldOfStudy",
            Of::ToOne(ju::Column::FieldCode, NodeType::FieldOfStudy),
        ),
        f(
            "partners",
            Of::List(&crate::joint_unit::PARTNERS, NodeType::Organization),
        ),
    ],
};

pub static VISIT: Description<vi::Entity> = Description {
    name: "Visit",
    root: "visits",
    node: Some(NodeType::Visit),
    key: vi::Column::Id,
    variants: None,
    interfaces: &["Node"],
    fields: &[
        f("__typename", Of::TypeName),
        f("id", Of::Id),
        f("purpose", Of::Column(vi::Column::Purpose)),
        f("startsOn", Of::Column(vi::Column::StartsOn)),
        f("endsOn", Of::Column(vi::Column::EndsOn)),
        f("version", Of::Column(vi::Column::Version)),
        f("createdAt", Of::Instant(vi::Column::CreatedAt)),
        f("updatedAt", Of::Instant(vi::Column::UpdatedAt)),
        f("person", Of::ToOne(vi::Column::PersonId, NodeType::Person)),
        f(
            "hostOrganization",
            Of::ToOne(vi::Column::HostOrganizationId, NodeType::Organization),
        ),
    ],
};
