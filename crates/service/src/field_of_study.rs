//! Fields of study (ISCED-F 2013 broad, narrow and detailed fields): reference data.

use crate::resource::Link;

crate::resource!(field_of_study, FieldOfStudyOrderField {
    Code => Code,
    Name => Name,
}, key = Code, default = Code);

/// Agreements covering the field.
pub const AGREEMENTS: Link = Link::Via {
    table: "agreement_fields",
    child_fk: "agreement_id",
    parent_fk: "field_code",
};
/// Programs in the field.
pub const PROGRAMS: Link = Link::Column("field_code");
/// Joint units working in the field.
pub const JOINT_UNITS: Link = Link::Column("field_code");

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

impl crate::filter::Filterable for entity::field_of_study::Entity {
    type Filter = FieldOfStudyFilter;

    fn filter_condition(
        filter: &FieldOfStudyFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }
}
