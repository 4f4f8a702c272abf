//! Agreements, their parties and fields of study.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::agreement as model;

use super::error::GqlResult;
use super::event::EventFilter;
use super::field_of_study::FieldOfStudyManyFilter;
use super::filter::{DateFilter, StringFilter, enum_filter, filter_input, many_filter};
use super::id::NodeType;
use super::joint_unit::JointUnitManyFilter;
use super::organization::OrganizationFilter;
use super::person::PersonFilter;
use super::program::ProgramManyFilter;
use super::scalars::Date;
use super::student::StudentManyFilter;

mod writes;

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

/// An agreement signed with partner organizations.
pub struct Agreement;

/// A party to an agreement: an organization, its role and who signed for it.
pub struct AgreementParty;

enum_filter!(
    AgreementKindFilter,
    AgreementKind,
    entity::agreement::AgreementKind
);
enum_filter!(
    AgreementStatusFilter,
    AgreementStatus,
    entity::agreement::AgreementStatus
);
enum_filter!(
    PartyRoleFilter,
    PartyRole,
    entity::agreement_party::PartyRole
);
many_filter!(AgreementManyFilter, AgreementFilter, "agreements");
many_filter!(PartyManyFilter, PartyFilter, "parties");
filter_input! {
    /// Which agreements to return.
    AgreementFilter => service::agreement::AgreementFilter {
        id { id: Agreement }
        fields {
            title: StringFilter,
            kind: AgreementKindFilter,
            status: AgreementStatusFilter,
            signed_on: DateFilter,
            starts_on: DateFilter,
            ends_on: DateFilter,
            summary: StringFilter,
        }
        one { event: EventFilter }
        many {
            parties: PartyManyFilter,
            fields_of_study: FieldOfStudyManyFilter,
            programs: ProgramManyFilter,
            students: StudentManyFilter,
            joint_units: JointUnitManyFilter,
        }
    }
}
filter_input! {
    /// Which parties of an agreement match.
    PartyFilter => service::agreement::PartyFilter {
        id {}
        fields { role: PartyRoleFilter }
        one {
            organization: OrganizationFilter,
            signatory: PersonFilter,
        }
        many {}
    }
}
