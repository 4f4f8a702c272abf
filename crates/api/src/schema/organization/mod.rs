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

/// A registry that identifies organizations.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::organization_identifier::IdentifierScheme")]
pub enum IdentifierScheme {
    /// Research Organization Registry (`https://ror.org/00pjdza24`).
    Ror,
    /// SCHAC home organization code, EWP's `hei-id` (`uni-ruse.bg`).
    Schac,
    /// Erasmus institutional code (`D  BERLIN01`).
    Erasmus,
    /// Participant Identification Code of the EU funding portal (nine digits).
    Pic,
    /// Wikidata item (`Q42`).
    Wikidata,
    /// International Standard Name Identifier (16 characters).
    Isni,
    /// GRID (`grid.1001.0`), retired in favour of ROR.
    Grid,
    /// Crossref Funder Registry id (digits).
    Fundref,
}

/// What a name of an organization is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::organization_name::NameKind")]
pub enum NameKind {
    /// The name shown by default (`name`).
    Display,
    /// The name in a language.
    Label,
    /// A short form.
    Acronym,
    /// Another name it is known by.
    Alias,
}

/// A university or college.
pub struct University;

/// A company.
pub struct Company;

/// A research institute or other institution.
pub struct Institute;
