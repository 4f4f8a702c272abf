//! Organizations: universities, companies, institutes.

use super::*;
use entity::organization as og;
use entity::organization_identifier as oi;
use entity::organization_name as on;

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
    order: <og::Entity as Resource>::order_fields,
    filters: &[
        by("id", og::Column::Id),
        by("name", og::Column::Name),
        by("shortName", og::Column::ShortName),
        by("kind", og::Column::Kind),
        by("countryCode", og::Column::CountryCode),
        by("city", og::Column::City),
        by("website", og::Column::Website),
        by("foundedYear", og::Column::FoundedYear),
        by("industry", og::Column::Industry),
        by("rorId", og::Column::RorId),
        by("isHome", og::Column::IsHome),
        one("country", og::Relation::Country),
        many::<_, entity::agreement::Entity>("agreements", &crate::organization::AGREEMENTS),
        many::<_, entity::person::Entity>("people", &crate::organization::PEOPLE),
        many::<_, entity::event::Entity>("organizedEvents", &crate::organization::ORGANIZED_EVENTS),
        many::<_, entity::program::Entity>("programs", &crate::organization::PROGRAMS),
        many::<_, entity::student::Entity>("students", &crate::organization::STUDENTS),
        many::<_, entity::student::Entity>("homeStudents", &crate::organization::HOME_STUDENTS),
        many::<_, entity::joint_unit::Entity>("jointUnits", &crate::organization::JOINT_UNITS),
        many::<_, entity::joint_unit::Entity>(
            "partnerJointUnits",
            &crate::organization::PARTNER_JOINT_UNITS,
        ),
        many::<_, entity::visit::Entity>("visits", &crate::organization::VISITS),
        many::<_, oi::Entity>("identifiers", &crate::organization::IDENTIFIERS),
        many::<_, on::Entity>("names", &crate::organization::NAMES),
    ],
    filter_name: None,
    writes: None,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f(
            "name",
            "The full name; with `lang` (a BCP 47 tag), its name in that language (`zh` finds `zh-Hans`, `zh-Hans-CN` finds `zh-Hans`), else the display name.",
            Of::Localized(og::Column::Name, crate::organization_name::in_language),
        ),
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
        f(
            "identifiers",
            "What other registries call it (ROR, SCHAC, Erasmus code, PIC, …), by scheme.",
            Of::Rows(&Rows {
                table: "organization_identifiers",
                fk: "organization_id",
                order: &["scheme", "value"],
                ty: "OrganizationIdentifier",
                argument: None,
            }),
        ),
        f(
            "names",
            "Its names in several languages (display name, labels, acronyms, aliases), in their order.",
            Of::Rows(&Rows {
                table: "organization_names",
                fk: "organization_id",
                order: &["position"],
                ty: "LocalizedName",
                argument: None,
            }),
        ),
    ],
};

/// An organization's identifier in another registry: a row with no id.
pub static IDENTIFIER: Description<oi::Entity> = Description {
    name: "OrganizationIdentifier",
    doc: "What another registry calls an organization.",
    plural: "identifiers",
    root: "",
    root_doc: "",
    node: None,
    key: oi::Column::OrganizationId,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates::NONE,
    order: Vec::new,
    filters: &[
        by("scheme", oi::Column::Scheme),
        by("value", oi::Column::Value),
    ],
    filter_name: None,
    writes: None,
    fields: &[
        f("__typename", "", Of::TypeName),
        f(
            "scheme",
            "The registry.",
            Of::Enum(
                oi::Column::Scheme,
                "IdentifierScheme",
                stored::<oi::IdentifierScheme>,
            ),
        ),
        f(
            "value",
            "The identifier in its normalized form (a ROR id as its URL).",
            Of::Column(oi::Column::Value),
        ),
    ],
};

/// A name of an organization in a language: a row with no id.
pub static NAME: Description<on::Entity> = Description {
    name: "LocalizedName",
    doc: "A name of an organization in a language.",
    plural: "names",
    root: "",
    root_doc: "",
    node: None,
    key: on::Column::OrganizationId,
    variants: None,
    interfaces: &[],
    aggregates: Aggregates::NONE,
    order: Vec::new,
    filters: &[
        by("value", on::Column::Value),
        by("lang", on::Column::Lang),
        by("kind", on::Column::Kind),
    ],
    filter_name: None,
    writes: None,
    fields: &[
        f("__typename", "", Of::TypeName),
        f("value", "The name.", Of::Column(on::Column::Value)),
        f(
            "lang",
            "Its language, a BCP 47 tag (`zh-Hans`, `bg`).",
            Of::Column(on::Column::Lang),
        ),
        f(
            "kind",
            "What the name is.",
            Of::Enum(on::Column::Kind, "NameKind", stored::<on::NameKind>),
        ),
    ],
};
