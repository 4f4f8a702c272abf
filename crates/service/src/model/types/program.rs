//! Programs.

use super::*;
use entity::program as pr;

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
    order: <pr::Entity as Resource>::order_fields,
    filters: &[
        by("id", pr::Column::Id),
        by("name", pr::Column::Name),
        by("kind", pr::Column::Kind),
        by("languageCode", pr::Column::LanguageCode),
        by("startsOn", pr::Column::StartsOn),
        by("endsOn", pr::Column::EndsOn),
        by("capacity", pr::Column::Capacity),
        one("agreement", pr::Relation::Agreement),
        one("hostOrganization", pr::Relation::HostOrganization),
        one("fieldOfStudy", pr::Relation::FieldOfStudy),
        many::<_, entity::student::Entity>("students", &crate::program::STUDENTS),
    ],
    filter_name: None,
    writes: Some(&Writes {
        what: "a program",
        new: "A new program.",
        create: "Creates a program.",
        ops: &Generic::<entity::program::ActiveModel>::OPS,
    }),
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
