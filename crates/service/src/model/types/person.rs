//! People.

use super::*;
use entity::person as pe;

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
    order: <pe::Entity as Resource>::order_fields,
    filters: &[
        by("id", pe::Column::Id),
        by("fullName", pe::Column::FullName),
        by("email", pe::Column::Email),
        by("title", pe::Column::Title),
        by("nationality", pe::Column::Nationality),
        one("organization", pe::Relation::Organization),
        one("nationalityCountry", pe::Relation::Country),
        many::<_, entity::visit::Entity>("visits", &crate::person::VISITS),
        many::<_, entity::agreement::Entity>("signedAgreements", &crate::person::SIGNED_AGREEMENTS),
    ],
    filter_name: None,
    writes: Some(&Writes {
        what: "a person",
        new: "A new person.",
        create: "Creates a person.",
        ops: &Generic::<entity::person::ActiveModel>::OPS,
    }),
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
