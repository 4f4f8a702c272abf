//! Fields of study (ISCED-F 2013 broad, narrow and detailed fields): reference data.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(field_of_study, FieldOfStudyOrderField {
    Code => Code,
    Name => Name,
}, key = Code, default = Code);

/// Agreements covering the field.
pub static AGREEMENTS: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::field_of_study::Relation::AgreementFields,
        entity::agreement_field::Relation::Agreement,
    )
});
/// Programs in the field.
pub static PROGRAMS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::field_of_study::Relation::Programs));
/// Joint units working in the field.
pub static JOINT_UNITS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::field_of_study::Relation::JointUnits));

impl crate::query::filter::Filterable for entity::field_of_study::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::FIELD_OF_STUDY
    }
}
