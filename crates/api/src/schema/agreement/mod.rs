//! Agreements, their parties and fields of study.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::agreement as model;

use super::error::GqlResult;
use super::id::NodeType;
use super::scalars::Date;

mod conditions;
mod writes;

pub use conditions::*;
pub use writes::*;

/// What kind of agreement.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::agreement::AgreementKind")]
pub enum AgreementKind {
    /// A cooperation agreement.
    CooperationAgreement,
    /// A memorandum of understanding.
    MemorandumOfUnderstanding,
    /// A student exchange agreement.
    StudentExchange,
    /// A joint program agreement.
    JointProgram,
    /// A research collaboration.
    ResearchCollaboration,
    /// A teaching partnership.
    TeachingPartnership,
}

/// Where an agreement is in its lifecycle.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::agreement::AgreementStatus")]
pub enum AgreementStatus {
    /// Being drafted.
    Draft,
    /// Being negotiated with the partners.
    UnderNegotiation,
    /// Signed and in force.
    Active,
    /// Ran out.
    Expired,
    /// Ended early.
    Terminated,
}

/// The role of a party to an agreement.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::agreement_party::PartyRole")]
pub enum PartyRole {
    /// The party leading the agreement.
    Lead,
    /// A partner.
    Partner,
}

/// A party to an agreement: an organization, its role and who signed for it.
pub struct AgreementParty;
