//! Organizations: the `Organization` interface and its `University`, `Company` and
//! `Institute` implementations (chosen by `kind`).

use async_graphql::{Enum, ID, Result};
use entity::organization::{self as org};

use super::id::NodeType;

mod writes;

pub use writes::*;

/// What an organization is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::organization::OrganizationKind")]
pub enum OrganizationKind {
    /// A university or college.
    University,
    /// A company.
    Company,
    /// A research institute or other institution.
    Institute,
}

/// A partner (or the home) organization: a university, company or institute.
pub struct Organization;

/// A university or college.
pub struct University;

/// A company.
pub struct Company;

/// A research institute or other institution.
pub struct Institute;
