//! Agreements and their parties.

use super::*;
use crate::agreement::balance;
use crate::model::Argument;
use entity::agreement as ag;
use entity::agreement_party as ap;
use entity::cooperation_condition as cc;
use entity::cooperation_condition_language as cl;

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
    order: <ag::Entity as Resource>::order_fields,
    filters: &[
        by("id", ag::Column::Id),
        by("title", ag::Column::Title),
        by("kind", ag::Column::Kind),
        by("status", ag::Column::Status),
        by("signedOn", ag::Column::SignedOn),
        by("startsOn", ag::Column::StartsOn),
        by("endsOn", ag::Column::EndsOn),
        by("summary", ag::Column::Summary),
        one("event", ag::Relation::Event),
        many::<_, ap::Entity>("parties", &crate::agreement::PARTIES),
        many::<_, entity::field_of_study::Entity>(
            "fieldsOfStudy",
            &crate::agreement::FIELDS_OF_STUDY,
        ),
        many::<_, entity::program::Entity>("programs", &crate::agreement::PROGRAMS),
        many::<_, entity::student::Entity>("students", &crate::agreement::STUDENTS),
        many::<_, entity::joint_unit::Entity>("jointUnits", &crate::agreement::JOINT_UNITS),
    ],
    filter_name: None,
    writes: None,
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
            Of::Rows(&Rows {
                table: "agreement_parties",
                fk: "agreement_id",
                order: &["role", "organization_id"],
                ty: "AgreementParty",
                argument: None,
            }),
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
        f(
            "cooperationConditions",
            "What it grants, as an EWP inter-institutional agreement says it: who sends how many people of what kind to whom, in which academic years.",
            Of::Rows(&Rows {
                table: "cooperation_conditions",
                fk: "agreement_id",
                order: &["position"],
                ty: "CooperationCondition",
                argument: None,
            }),
        ),
        f(
            "mobilityBalance",
            "How much of each cooperation condition in force in an academic year that year has used, and how the two directions compare. A mobility belongs to the academic year (1 September to 31 August) it starts in: the agreement's students from the sending organization at the receiving one (withdrawn ones aside), and its visits by the sending organization's people to the receiving one.",
            Of::Rows(&Rows {
                table: "cooperation_conditions",
                fk: "agreement_id",
                order: &["position"],
                ty: "MobilityBalance",
                argument: Some(&ACADEMIC_YEAR),
            }),
        ),
        f(
            "ewpIia",
            "The agreement as an EWP IIAs API v7 `iias-get-response` document (XML) with its `iia-hash`: for staff, admins and the agreement's partners; `null` with `BAD_USER_INPUT` saying why for an agreement that is not between two organizations with SCHAC codes.",
            Of::Derived(access::Field::AgreementEwpIia),
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
    order: Vec::new,
    filters: &[
        by("role", ap::Column::Role),
        one("organization", ap::Relation::Organization),
        one("signatory", ap::Relation::Signatory),
    ],
    filter_name: Some("Party"),
    writes: None,
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
        f(
            "iiaId",
            "The party's own identifier for the agreement (EWP's `iia-id`); the home party's is a UUID made with the agreement.",
            Of::Column(ap::Column::IiaId),
        ),
        f(
            "iiaCode",
            "The party's own code for the agreement (EWP's `iia-code`).",
            Of::Column(ap::Column::IiaCode),
        ),
    ],
};

/// A cooperation condition of an agreement: a row with no id of its own.
pub static CONDITION: Description<cc::Entity> = Description {
    name: "CooperationCondition",
    doc: "What an agreement grants in one direction: who sends how many people of what kind to whom, in which academic years (an EWP mobility specification).",
    plural: "cooperation conditions",
    root: "",
    root_doc: "",
    node: None,
    key: cc::Column::Id,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates::NONE,
    order: Vec::new,
    filters: &[],
    filter_name: None,
    writes: None,
    fields: &[
        f("__typename", "", Of::TypeName),
        f(
            "mobilityType",
            "Who moves, and why.",
            Of::Enum(
                cc::Column::MobilityType,
                "MobilityType",
                stored::<cc::MobilityType>,
            ),
        ),
        f(
            "sending",
            "The party that sends.",
            Of::ToOne(cc::Column::SendingOrganizationId, NodeType::Organization),
        ),
        f(
            "receiving",
            "The party that receives.",
            Of::ToOne(cc::Column::ReceivingOrganizationId, NodeType::Organization),
        ),
        f(
            "firstAcademicYear",
            "The first academic year it applies to (`2024/2025`).",
            Of::Column(cc::Column::FirstAcademicYear),
        ),
        f(
            "lastAcademicYear",
            "The last academic year it applies to.",
            Of::Column(cc::Column::LastAcademicYear),
        ),
        f(
            "mobilitiesPerYear",
            "How many people may be sent each academic year.",
            Of::Column(cc::Column::MobilitiesPerYear),
        ),
        f(
            "totalMonthsPerYear",
            "Months of mobility per academic year, all students together (student mobility).",
            Of::Column(cc::Column::TotalMonthsPerYear),
        ),
        f(
            "totalDaysPerYear",
            "Days of mobility per academic year, all staff together (staff mobility).",
            Of::Column(cc::Column::TotalDaysPerYear),
        ),
        f(
            "blended",
            "Whether students may take it as blended mobility (short physical stay with a virtual part).",
            Of::Column(cc::Column::Blended),
        ),
        f(
            "eqfLevels",
            "The study levels (European Qualifications Framework, 1–8) of the students sent; empty: any.",
            Of::Json(cc::Column::EqfLevels, "[Int!]!"),
        ),
        f(
            "subjectAreas",
            "The subject areas (ISCED-F) it covers.",
            Of::List(
                &crate::agreement::CONDITION_SUBJECTS,
                NodeType::FieldOfStudy,
            ),
        ),
        f(
            "languages",
            "The languages recommended, each at a CEFR level.",
            Of::Rows(&Rows {
                table: "cooperation_condition_languages",
                fk: "condition_id",
                order: &["position"],
                ty: "LanguageRequirement",
                argument: None,
            }),
        ),
    ],
};

/// A language a cooperation condition recommends: a row with no id.
pub static CONDITION_LANGUAGE: Description<cl::Entity> = Description {
    name: "LanguageRequirement",
    doc: "A language recommended to those sent, at a CEFR level.",
    plural: "languages",
    root: "",
    root_doc: "",
    node: None,
    key: cl::Column::ConditionId,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates::NONE,
    order: Vec::new,
    filters: &[],
    filter_name: None,
    writes: None,
    fields: &[
        f("__typename", "", Of::TypeName),
        f(
            "language",
            "The language (ISO 639-1).",
            Of::Column(cl::Column::Language),
        ),
        f(
            "cefrLevel",
            "The recommended level (Common European Framework of Reference for Languages).",
            Of::Enum(cl::Column::CefrLevel, "CefrLevel", stored::<cl::CefrLevel>),
        ),
    ],
};

/// The academic year a balance is asked for.
static ACADEMIC_YEAR: Argument = Argument {
    name: crate::agreement::balance::ARGUMENT,
    ty: "String!",
    doc: "The academic year, like `2024/2025`.",
    rows: crate::agreement::balance::in_force,
};

/// A cooperation condition's balance in an academic year.
pub static BALANCE: Description<cc::Entity> = Description {
    name: "MobilityBalance",
    doc: "How much of a cooperation condition an academic year has used.",
    plural: "mobility balances",
    root: "",
    root_doc: "",
    node: None,
    key: cc::Column::Id,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates::NONE,
    order: Vec::new,
    filters: &[],
    filter_name: None,
    writes: None,
    fields: &[
        f("__typename", "", Of::TypeName),
        f(
            "condition",
            "The cooperation condition.",
            Of::Same("CooperationCondition"),
        ),
        f(
            "allowed",
            "The mobilities it allows per academic year.",
            Of::Column(cc::Column::MobilitiesPerYear),
        ),
        f(
            "used",
            "People sent in its direction under the agreement in the year.",
            Of::Figure(
                "Int",
                balance::COLUMNS,
                balance::used,
                access::Field::MobilityBalance,
            ),
        ),
        f(
            "remaining",
            "Mobilities left in the year (`allowed - used`): below zero when more were sent than it allows.",
            Of::Figure(
                "Int",
                balance::COLUMNS,
                balance::remaining,
                access::Field::MobilityBalance,
            ),
        ),
        f(
            "oppositeUsed",
            "People sent the other way (receiving to sending) under the agreement in the year, students for a student condition, staff for a staff one.",
            Of::Figure(
                "Int",
                balance::COLUMNS,
                balance::opposite,
                access::Field::MobilityBalance,
            ),
        ),
        f(
            "balance",
            "`used - oppositeUsed`: above zero when this direction sent more.",
            Of::Figure(
                "Int",
                balance::COLUMNS,
                balance::balance,
                access::Field::MobilityBalance,
            ),
        ),
    ],
};
