//! The descriptions of the types the API shows.

use entity::NodeType;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveEnum, EntityTrait, Iterable};

use super::{Aggregates, Description, Field, GroupKey, Of, Variant};
use crate::query::aggregate::Part;

/// A key of `groups(by:)`.
const fn key<E: EntityTrait>(
    name: &'static str,
    column: E::Column,
    part: Part,
    row: Option<NodeType>,
) -> GroupKey<E> {
    GroupKey {
        name,
        column,
        part,
        row,
    }
}
use crate::access;
use crate::query::resource::Resource;

const fn f<E: EntityTrait>(name: &'static str, doc: &'static str, of: Of<E>) -> Field<E> {
    Field {
        name,
        doc,
        of,
        only: None,
    }
}

/// A field of one object type of an interface.
const fn on<E: EntityTrait>(
    ty: &'static str,
    name: &'static str,
    doc: &'static str,
    of: Of<E>,
) -> Field<E> {
    Field {
        name,
        doc,
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
    doc: "A country or territory (ISO 3166-1).",
    plural: "countries",
    root: "countries",
    root_doc: "Countries and territories (ISO 3166-1).",
    node: Some(NodeType::Country),
    key: co::Column::Code,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[co::Column::Name, co::Column::Region],
        counts: &[co::Column::Region],
        numbers: &[],
        keys: &[key("Region", co::Column::Region, Part::Value, None)],
    },
    order: <co::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f(
            "code",
            "ISO 3166-1 alpha-2 code.",
            Of::Trimmed(co::Column::Code),
        ),
        f("name", "Short English name.", Of::Column(co::Column::Name)),
        f(
            "region",
            "UN M49 sub-region.",
            Of::Column(co::Column::Region),
        ),
        f(
            "organizations",
            "Organizations located in the country.",
            Of::Page(&crate::country::ORGANIZATIONS, NodeType::Organization),
        ),
        f(
            "people",
            "People of this nationality.",
            Of::Page(&crate::country::PEOPLE, NodeType::Person),
        ),
        f(
            "students",
            "Students of this nationality.",
            Of::Page(&crate::country::STUDENTS, NodeType::Student),
        ),
    ],
};

pub static FIELD_OF_STUDY: Description<fs::Entity> = Description {
    name: "FieldOfStudy",
    doc: "A field of education and training (ISCED-F 2013).",
    plural: "fields of study",
    root: "fieldsOfStudy",
    root_doc: "Fields of education and training (ISCED-F 2013).",
    node: Some(NodeType::FieldOfStudy),
    key: fs::Column::Code,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[fs::Column::Code, fs::Column::Name],
        counts: &[fs::Column::BroadCode],
        numbers: &[],
        keys: &[key("BroadCode", fs::Column::BroadCode, Part::Value, None)],
    },
    order: <fs::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f(
            "code",
            "The ISCED-F code: 2 digits (broad), 3 (narrow) or 4 (detailed).",
            Of::Trimmed(fs::Column::Code),
        ),
        f("name", "English name.", Of::Column(fs::Column::Name)),
        f(
            "level",
            "Broad, narrow or detailed.",
            Of::Computed(fs::Column::Code, "FieldLevel!", level),
        ),
        f(
            "broadField",
            "The broad field this field belongs to.",
            Of::ToOne(fs::Column::BroadCode, NodeType::FieldOfStudy),
        ),
        f(
            "agreements",
            "Agreements covering the field.",
            Of::Page(&crate::field_of_study::AGREEMENTS, NodeType::Agreement),
        ),
        f(
            "programs",
            "Programs in the field.",
            Of::Page(&crate::field_of_study::PROGRAMS, NodeType::Program),
        ),
        f(
            "jointUnits",
            "Joint units working in the field.",
            Of::Page(&crate::field_of_study::JOINT_UNITS, NodeType::JointUnit),
        ),
    ],
};

pub static ORGANIZATION: Description<og::Entity> = Description {
    name: "Organization",
    doc: "A partner (or the home) organization: a university, company or institute.",
    plural: "organizations",
    root: "organizations",
    root_doc: "All organizations: universities, companies and institutes.",
    node: Some(NodeType::Organization),
    key: og::Column::Id,
    variants: Some((
        og::Column::Kind,
        &[
            Variant {
                stored: "university",
                name: "University",
                root: "universities",
                root_doc: "Universities.",
                doc: "A university or college.",
            },
            Variant {
                stored: "company",
                name: "Company",
                root: "companies",
                root_doc: "Companies.",
                doc: "A company.",
            },
            Variant {
                stored: "institute",
                name: "Institute",
                root: "institutes",
                root_doc: "Research institutes and other institutions.",
                doc: "A research institute or other institution.",
            },
        ],
    )),
    interfaces: &["Organization", "Node"],
    aggregates: Aggregates {
        values: &[og::Column::Name, og::Column::City, og::Column::FoundedYear],
        counts: &[
            og::Column::Kind,
            og::Column::CountryCode,
            og::Column::City,
            og::Column::FoundedYear,
            og::Column::Industry,
        ],
        numbers: &[og::Column::FoundedYear],
        keys: &[
            key("Kind", og::Column::Kind, Part::Value, None),
            key(
                "Country",
                og::Column::CountryCode,
                Part::Value,
                Some(NodeType::Country),
            ),
            key("City", og::Column::City, Part::Value, None),
            key("FoundedYear", og::Column::FoundedYear, Part::Value, None),
            key("Industry", og::Column::Industry, Part::Value, None),
            key("IsHome", og::Column::IsHome, Part::Value, None),
        ],
    },
    order: <og::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("name", "The full name.", Of::Column(og::Column::Name)),
        f(
            "kind",
            "University, company or institute.",
            Of::Enum(
                og::Column::Kind,
                "OrganizationKind",
                stored::<og::OrganizationKind>,
            ),
        ),
        f(
            "shortName",
            "A short name or acronym.",
            Of::Column(og::Column::ShortName),
        ),
        f(
            "countryCode",
            "ISO 3166-1 alpha-2 code of the country.",
            Of::Column(og::Column::CountryCode),
        ),
        f(
            "country",
            "The country the organization is in.",
            Of::ToOne(og::Column::CountryCode, NodeType::Country),
        ),
        f(
            "city",
            "The city of its seat.",
            Of::Column(og::Column::City),
        ),
        f("website", "Its website.", Of::Column(og::Column::Website)),
        f(
            "foundedYear",
            "The year it was founded.",
            Of::Column(og::Column::FoundedYear),
        ),
        f(
            "rorId",
            "Its Research Organization Registry id.",
            Of::Column(og::Column::RorId),
        ),
        f(
            "isHome",
            "True for the university running this system.",
            Of::Column(og::Column::IsHome),
        ),
        f(
            "description",
            "A description.",
            Of::Column(og::Column::Description),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(og::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(og::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(og::Column::UpdatedAt),
        ),
        f(
            "agreements",
            "Agreements it is a party to.",
            Of::Page(&crate::organization::AGREEMENTS, NodeType::Agreement),
        ),
        f(
            "people",
            "People working for it.",
            Of::Page(&crate::organization::PEOPLE, NodeType::Person),
        ),
        f(
            "organizedEvents",
            "Events it organizes.",
            Of::Page(&crate::organization::ORGANIZED_EVENTS, NodeType::Event),
        ),
        f(
            "programs",
            "Programs it hosts.",
            Of::Page(&crate::organization::PROGRAMS, NodeType::Program),
        ),
        f(
            "students",
            "Students it hosts.",
            Of::Page(&crate::organization::STUDENTS, NodeType::Student),
        ),
        f(
            "homeStudents",
            "Students whose home organization it is.",
            Of::Page(&crate::organization::HOME_STUDENTS, NodeType::Student),
        ),
        f(
            "jointUnits",
            "Joint units it hosts.",
            Of::Page(&crate::organization::JOINT_UNITS, NodeType::JointUnit),
        ),
        f(
            "partnerJointUnits",
            "Joint units it is a partner of.",
            Of::Page(
                &crate::organization::PARTNER_JOINT_UNITS,
                NodeType::JointUnit,
            ),
        ),
        f(
            "visits",
            "Visits it hosts.",
            Of::Page(&crate::organization::VISITS, NodeType::Visit),
        ),
        on(
            "Company",
            "industry",
            "The industry the company works in.",
            Of::Column(og::Column::Industry),
        ),
    ],
};

pub static AGREEMENT: Description<ag::Entity> = Description {
    name: "Agreement",
    doc: "An agreement signed with partner organizations.",
    plural: "agreements",
    root: "agreements",
    root_doc: "Agreements.",
    node: Some(NodeType::Agreement),
    key: ag::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            ag::Column::Title,
            ag::Column::SignedOn,
            ag::Column::StartsOn,
            ag::Column::EndsOn,
            ag::Column::Summary,
        ],
        counts: &[
            ag::Column::Kind,
            ag::Column::Status,
            ag::Column::EventId,
            ag::Column::SignedOn,
            ag::Column::Summary,
        ],
        numbers: &[],
        keys: &[
            key("Kind", ag::Column::Kind, Part::Value, None),
            key("Status", ag::Column::Status, Part::Value, None),
            key(
                "Event",
                ag::Column::EventId,
                Part::Value,
                Some(NodeType::Event),
            ),
            key("SignedOnYear", ag::Column::SignedOn, Part::Year, None),
            key("SignedOnMonth", ag::Column::SignedOn, Part::Month, None),
            key("StartsOnYear", ag::Column::StartsOn, Part::Year, None),
            key("EndsOnYear", ag::Column::EndsOn, Part::Year, None),
        ],
    },
    order: <ag::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f(
            "title",
            "Title of the agreement.",
            Of::Column(ag::Column::Title),
        ),
        f(
            "kind",
            "What kind of agreement.",
            Of::Enum(
                ag::Column::Kind,
                "AgreementKind",
                stored::<ag::AgreementKind>,
            ),
        ),
        f(
            "status",
            "Where it is in its lifecycle.",
            Of::Enum(
                ag::Column::Status,
                "AgreementStatus",
                stored::<ag::AgreementStatus>,
            ),
        ),
        f(
            "signedOn",
            "When it was signed.",
            Of::Column(ag::Column::SignedOn),
        ),
        f(
            "startsOn",
            "When it comes into force.",
            Of::Column(ag::Column::StartsOn),
        ),
        f("endsOn", "When it ends.", Of::Column(ag::Column::EndsOn)),
        f(
            "summary",
            "What it is about.",
            Of::Restricted(ag::Column::Summary, access::Field::AgreementSummary),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(ag::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(ag::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(ag::Column::UpdatedAt),
        ),
        f(
            "event",
            "The event where it was signed.",
            Of::ToOne(ag::Column::EventId, NodeType::Event),
        ),
        f(
            "predecessor",
            "The agreement this one renews.",
            Of::ToOne(ag::Column::PredecessorId, NodeType::Agreement),
        ),
        f(
            "successor",
            "The agreement that renews this one.",
            Of::First(&crate::agreement::SUCCESSOR, NodeType::Agreement),
        ),
        f(
            "parties",
            "The parties (organizations, their roles and signatories), lead first.",
            Of::Parties,
        ),
        f(
            "fieldsOfStudy",
            "The fields of study it covers.",
            Of::List(&crate::agreement::FIELDS_OF_STUDY, NodeType::FieldOfStudy),
        ),
        f(
            "programs",
            "Programs created by the agreement.",
            Of::Page(&crate::agreement::PROGRAMS, NodeType::Program),
        ),
        f(
            "students",
            "Students who came under the agreement.",
            Of::Page(&crate::agreement::STUDENTS, NodeType::Student),
        ),
        f(
            "jointUnits",
            "Joint units founded by the agreement.",
            Of::Page(&crate::agreement::JOINT_UNITS, NodeType::JointUnit),
        ),
    ],
};

/// A party to an agreement: a row of the join table, with no id.
pub static PARTY: Description<ap::Entity> = Description {
    name: "AgreementParty",
    doc: "A party to an agreement: an organization, its role and who signed for it.",
    plural: "parties",
    root: "",
    root_doc: "",
    node: None,
    key: ap::Column::AgreementId,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates::NONE,
    order: &[],
    fields: &[
        f("__typename", "", Of::TypeName),
        f(
            "role",
            "Lead or partner.",
            Of::Enum(ap::Column::Role, "PartyRole", stored::<ap::PartyRole>),
        ),
        f(
            "organization",
            "The organization.",
            Of::ToOne(ap::Column::OrganizationId, NodeType::Organization),
        ),
        f(
            "signatory",
            "Who signed for the organization.",
            Of::ToOne(ap::Column::SignatoryId, NodeType::Person),
        ),
        f(
            "agreement",
            "The agreement.",
            Of::ToOne(ap::Column::AgreementId, NodeType::Agreement),
        ),
    ],
};

pub static PERSON: Description<pe::Entity> = Description {
    name: "Person",
    doc: "A person: a signatory, a contact, a visiting expert.",
    plural: "people",
    root: "people",
    root_doc: "People: signatories, contacts, visiting experts.",
    node: Some(NodeType::Person),
    key: pe::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[pe::Column::FullName, pe::Column::Title, pe::Column::Email],
        counts: &[
            pe::Column::OrganizationId,
            pe::Column::Nationality,
            pe::Column::Title,
            pe::Column::Email,
        ],
        numbers: &[],
        keys: &[
            key(
                "Organization",
                pe::Column::OrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "Nationality",
                pe::Column::Nationality,
                Part::Value,
                Some(NodeType::Country),
            ),
            key("Title", pe::Column::Title, Part::Value, None),
        ],
    },
    order: <pe::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("fullName", "Full name.", Of::Column(pe::Column::FullName)),
        f(
            "email",
            "E-mail address.",
            Of::Restricted(pe::Column::Email, access::Field::PersonEmail),
        ),
        f(
            "title",
            "Job title or academic title.",
            Of::Column(pe::Column::Title),
        ),
        f(
            "nationalityCode",
            "ISO 3166-1 alpha-2 code of the nationality.",
            Of::Trimmed(pe::Column::Nationality),
        ),
        f(
            "nationality",
            "The country of the person's nationality.",
            Of::ToOne(pe::Column::Nationality, NodeType::Country),
        ),
        f(
            "organization",
            "The organization the person works for.",
            Of::ToOne(pe::Column::OrganizationId, NodeType::Organization),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(pe::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(pe::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(pe::Column::UpdatedAt),
        ),
        f(
            "visits",
            "The person's visits.",
            Of::Page(&crate::person::VISITS, NodeType::Visit),
        ),
        f(
            "signedAgreements",
            "Agreements the person signed for one of the parties.",
            Of::Page(&crate::person::SIGNED_AGREEMENTS, NodeType::Agreement),
        ),
    ],
};

pub static PROGRAM: Description<pr::Entity> = Description {
    name: "Program",
    doc: "A program: a collaborative program, a major, an exchange, a summer school.",
    plural: "programs",
    root: "programs",
    root_doc: "Programs.",
    node: Some(NodeType::Program),
    key: pr::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            pr::Column::Name,
            pr::Column::StartsOn,
            pr::Column::EndsOn,
            pr::Column::Capacity,
        ],
        counts: &[
            pr::Column::Kind,
            pr::Column::HostOrganizationId,
            pr::Column::AgreementId,
            pr::Column::LanguageCode,
            pr::Column::FieldCode,
        ],
        numbers: &[pr::Column::Capacity],
        keys: &[
            key("Kind", pr::Column::Kind, Part::Value, None),
            key(
                "Host",
                pr::Column::HostOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "Agreement",
                pr::Column::AgreementId,
                Part::Value,
                Some(NodeType::Agreement),
            ),
            key("LanguageCode", pr::Column::LanguageCode, Part::Value, None),
            key(
                "FieldOfStudy",
                pr::Column::FieldCode,
                Part::Value,
                Some(NodeType::FieldOfStudy),
            ),
            key("StartsOnYear", pr::Column::StartsOn, Part::Year, None),
        ],
    },
    order: <pr::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("name", "Name of the program.", Of::Column(pr::Column::Name)),
        f(
            "kind",
            "What kind of program.",
            Of::Enum(pr::Column::Kind, "ProgramKind", stored::<pr::ProgramKind>),
        ),
        f(
            "languageCode",
            "ISO 639-1 code of the teaching language.",
            Of::Trimmed(pr::Column::LanguageCode),
        ),
        f("startsOn", "First day.", Of::Column(pr::Column::StartsOn)),
        f(
            "endsOn",
            "Last day, if it ends.",
            Of::Column(pr::Column::EndsOn),
        ),
        f(
            "capacity",
            "How many students it takes.",
            Of::Column(pr::Column::Capacity),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(pr::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(pr::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(pr::Column::UpdatedAt),
        ),
        f(
            "agreement",
            "The agreement that created it (collaborative programs).",
            Of::ToOne(pr::Column::AgreementId, NodeType::Agreement),
        ),
        f(
            "hostOrganization",
            "The organization hosting it.",
            Of::ToOne(pr::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "fieldOfStudy",
            "Its field of study.",
            Of::ToOne(pr::Column::FieldCode, NodeType::FieldOfStudy),
        ),
        f(
            "students",
            "Students enrolled in it.",
            Of::Page(&crate::program::STUDENTS, NodeType::Student),
        ),
    ],
};

pub static STUDENT: Description<st::Entity> = Description {
    name: "Student",
    doc: "A student hosted by an organization.",
    plural: "students",
    root: "students",
    root_doc: "Students.",
    node: Some(NodeType::Student),
    key: st::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            st::Column::FullName,
            st::Column::DateOfBirth,
            st::Column::EnrolledOn,
            st::Column::LeavesOn,
        ],
        counts: &[
            st::Column::Nationality,
            st::Column::HomeOrganizationId,
            st::Column::HostOrganizationId,
            st::Column::ProgramId,
            st::Column::AgreementId,
            st::Column::DegreeLevel,
            st::Column::Status,
            st::Column::Email,
        ],
        numbers: &[],
        keys: &[
            key(
                "Nationality",
                st::Column::Nationality,
                Part::Value,
                Some(NodeType::Country),
            ),
            key("Status", st::Column::Status, Part::Value, None),
            key("DegreeLevel", st::Column::DegreeLevel, Part::Value, None),
            key(
                "HomeOrganization",
                st::Column::HomeOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "HostOrganization",
                st::Column::HostOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "Program",
                st::Column::ProgramId,
                Part::Value,
                Some(NodeType::Program),
            ),
            key(
                "Agreement",
                st::Column::AgreementId,
                Part::Value,
                Some(NodeType::Agreement),
            ),
            key("EnrolledOnYear", st::Column::EnrolledOn, Part::Year, None),
            key("EnrolledOnMonth", st::Column::EnrolledOn, Part::Month, None),
            key("DateOfBirthYear", st::Column::DateOfBirth, Part::Year, None),
        ],
    },
    order: <st::Entity as Resource>::ORDER_FIELDS,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("fullName", "Full name.", Of::Column(st::Column::FullName)),
        f(
            "email",
            "E-mail address.",
            Of::Restricted(st::Column::Email, access::Field::StudentEmail),
        ),
        f(
            "dateOfBirth",
            "Date of birth.",
            Of::Restricted(st::Column::DateOfBirth, access::Field::StudentDateOfBirth),
        ),
        f(
            "nationalityCode",
            "ISO 3166-1 alpha-2 code of the nationality.",
            Of::Trimmed(st::Column::Nationality),
        ),
        f(
            "nationality",
            "The country of the student's nationality.",
            Of::ToOne(st::Column::Nationality, NodeType::Country),
        ),
        f(
            "degreeLevel",
            "The level of study.",
            Of::Enum(
                st::Column::DegreeLevel,
                "DegreeLevel",
                stored::<st::DegreeLevel>,
            ),
        ),
        f(
            "status",
            "Where the student is in their studies.",
            Of::Enum(
                st::Column::Status,
                "StudentStatus",
                stored::<st::StudentStatus>,
            ),
        ),
        f(
            "enrolledOn",
            "When the student enrolled.",
            Of::Column(st::Column::EnrolledOn),
        ),
        f(
            "leavesOn",
            "When the student leaves (or left).",
            Of::Column(st::Column::LeavesOn),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(st::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(st::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(st::Column::UpdatedAt),
        ),
        f(
            "homeOrganization",
            "The organization the student comes from.",
            Of::ToOne(st::Column::HomeOrganizationId, NodeType::Organization),
        ),
        f(
            "hostOrganization",
            "The organization hosting the student.",
            Of::ToOne(st::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "program",
            "The program the student is enrolled in.",
            Of::ToOne(st::Column::ProgramId, NodeType::Program),
        ),
        f(
            "agreement",
            "The agreement the student came under.",
            Of::ToOne(st::Column::AgreementId, NodeType::Agreement),
        ),
    ],
};

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
    order: <ev::Entity as Resource>::ORDER_FIELDS,
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
    order: <ju::Entity as Resource>::ORDER_FIELDS,
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
        counts: &[vi::Column::PersonId, vi::Column::HostOrganizationId],
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
            key("StartsOnYear", vi::Column::StartsOn, Part::Year, None),
            key("StartsOnMonth", vi::Column::StartsOn, Part::Month, None),
        ],
    },
    order: <vi::Entity as Resource>::ORDER_FIELDS,
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
    ],
};
