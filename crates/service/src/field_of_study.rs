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

crate::filter_type! {
    /// Which fields of study to return.
    FieldOfStudyFilter for field_of_study {
        fields {
            code: String => Code,
            name: String => Name,
            broad_code: String => BroadCode,
        }
        to_one {}
        to_many {
            agreements: crate::agreement::AgreementFilter => agreement (AGREEMENTS, Code),
            programs: crate::program::ProgramFilter => program (PROGRAMS, Code),
            joint_units: crate::joint_unit::JointUnitFilter => joint_unit (JOINT_UNITS, Code),
        }
    }
}

impl crate::query::filter::Filterable for entity::field_of_study::Entity {
    type Filter = FieldOfStudyFilter;

    fn filter_condition(
        filter: &FieldOfStudyFilter,
        scope: &crate::query::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }
}
