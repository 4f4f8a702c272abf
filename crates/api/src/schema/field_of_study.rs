//! Fields of study (ISCED-F 2013).

use async_graphql::Enum;

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
