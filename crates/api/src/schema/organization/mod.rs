//! Organizations: the `Organization` interface and its `University`, `Company` and
//! `Institute` implementations (chosen by `kind`).

use async_graphql::{Enum, ID, Result};
use entity::organization::{self as org, OrganizationKind as Kind};

use super::agreement::AgreementManyFilter;
use super::country::CountryFilter;
use super::event::EventManyFilter;
use super::filter::{
    BooleanFilter, IntFilter, StringFilter, enum_filter, filter_input, many_filter,
};
use super::id::NodeType;
use super::joint_unit::JointUnitManyFilter;
use super::person::PersonManyFilter;
use super::program::ProgramManyFilter;
use super::student::StudentManyFilter;
use super::visit::VisitManyFilter;

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

enum_filter!(OrganizationKindFilter, OrganizationKind, Kind);
many_filter!(OrganizationManyFilter, OrganizationFilter, "organizations");
filter_input! {
    /// Which organizations to return.
    OrganizationFilter => service::organization::OrganizationFilter {
        id { id: Organization }
        fields {
            name: StringFilter,
            short_name: StringFilter,
            kind: OrganizationKindFilter,
            country_code: StringFilter,
            city: StringFilter,
            website: StringFilter,
            founded_year: IntFilter,
            industry: StringFilter,
            ror_id: StringFilter,
            is_home: BooleanFilter,
        }
        one { country: CountryFilter }
        many {
            agreements: AgreementManyFilter,
            people: PersonManyFilter,
            organized_events: EventManyFilter,
            programs: ProgramManyFilter,
            students: StudentManyFilter,
            home_students: StudentManyFilter,
            joint_units: JointUnitManyFilter,
            partner_joint_units: JointUnitManyFilter,
            visits: VisitManyFilter,
        }
    }
}
