//! Fields of study (ISCED-F 2013).

use async_graphql::{Enum, Result};

use super::agreement::AgreementManyFilter;
use super::filter::{StringFilter, filter_input, many_filter};
use super::joint_unit::JointUnitManyFilter;
use super::program::ProgramManyFilter;

/// The level of an ISCED-F 2013 field.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldLevel {
    /// A broad field (two digits, e.g. `06`).
    Broad,
    /// A narrow field (three digits, e.g. `061`).
    Narrow,
    /// A detailed field (four digits, e.g. `0613`).
    Detailed,
}

/// A field of education and training (ISCED-F 2013).
pub struct FieldOfStudy;

many_filter!(
    FieldOfStudyManyFilter,
    FieldOfStudyFilter,
    "fields of study"
);
filter_input! {
    /// Which fields of study to return.
    FieldOfStudyFilter => service::field_of_study::FieldOfStudyFilter {
        id {}
        fields {
            code: StringFilter,
            name: StringFilter,
            broad_code: StringFilter,
        }
        one {}
        many {
            agreements: AgreementManyFilter,
            programs: ProgramManyFilter,
            joint_units: JointUnitManyFilter,
        }
    }
}
