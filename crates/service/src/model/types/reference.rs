//! Reference data: countries and fields of study.

use super::*;
use entity::country as co;
use entity::field_of_study as fs;

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
    order: <co::Entity as Resource>::order_fields,
    filters: &[
        by("code", co::Column::Code),
        by("name", co::Column::Name),
        by("region", co::Column::Region),
        many::<_, entity::organization::Entity>("organizations", &crate::country::ORGANIZATIONS),
        many::<_, entity::person::Entity>("people", &crate::country::PEOPLE),
        many::<_, entity::student::Entity>("students", &crate::country::STUDENTS),
    ],
    filter_name: None,
    writes: None,
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
    order: <fs::Entity as Resource>::order_fields,
    filters: &[
        by("code", fs::Column::Code),
        by("name", fs::Column::Name),
        by("broadCode", fs::Column::BroadCode),
        many::<_, entity::agreement::Entity>("agreements", &crate::field_of_study::AGREEMENTS),
        many::<_, entity::program::Entity>("programs", &crate::field_of_study::PROGRAMS),
        many::<_, entity::joint_unit::Entity>("jointUnits", &crate::field_of_study::JOINT_UNITS),
    ],
    filter_name: None,
    writes: None,
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
