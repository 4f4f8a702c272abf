//! Agreements and their parties.

use super::*;
use entity::agreement as ag;
use entity::agreement_party as ap;

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
