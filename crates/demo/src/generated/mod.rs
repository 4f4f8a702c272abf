//! The generated part of the demo data: partner organizations around the
//! story, their agreements, programs, joint units, students and visits.
//!
//! The figures of the Dashboard (DESIGN.md) hold exactly, as of 2024-04-03:
//! 171 partner organizations in 38 countries, 148 collaborative programs,
//! 170 international students from 27 countries, 20 joint units (14 at the
//! end of 2020), 6 English-taught majors, 74 visiting experts in 2023.
//! Rows that must not count are there too: organizations whose agreements are
//! expired, terminated, not signed yet, starting later or without a home
//! party; Chinese, graduated, withdrawn, applied and later-enrolled students;
//! a joint unit closed in 2018 and one opened after the date; majors in Chinese;
//! visits in other years and a second 2023 visit of some experts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use entity::agreement::{AgreementKind, AgreementStatus};
use entity::agreement_party::PartyRole;
use entity::event::EventKind;
use entity::joint_unit::JointUnitKind;
use entity::organization::OrganizationKind;
use entity::program::ProgramKind;
use entity::student::{DegreeLevel, StudentStatus};

use crate::dataset::{
    AS_OF, Builder, NewAgreement, SNAPSHOT, add_days, add_years, min_date, pick, random_date, ymd,
};
use crate::names::{self, CountryNames, INSTITUTE_PATTERNS, INSTITUTE_TOPICS, SECTORS};
use crate::plan::{PLAN, subject};
use crate::story::{SPU_LOCATION, SPU_NAME, Story};

mod agreements;
mod events;
mod organizations;
mod programs;
mod students;
mod terms;
mod units;
mod visits;

use agreements::*;
use events::*;
use organizations::*;
use programs::*;
use students::*;
use terms::*;
use units::*;
use visits::*;

/// A subject for the middle of a sentence.
fn field_phrase(code: &str) -> String {
    subject(code).to_lowercase()
}

/// The earliest plausible founding year of an organization in the country.
fn earliest_founding(country: &str) -> i32 {
    match country {
        "AE" => 1976,
        "LA" => 1996,
        "SG" | "MY" => 1955,
        "KE" | "VN" | "MA" | "MN" | "NP" => 1956,
        "NG" | "PK" => 1948,
        "KR" => 1946,
        "ID" => 1950,
        "KZ" | "TR" => 1934,
        "CO" => 1930,
        "UZ" | "BR" => 1920,
        "TH" => 1917,
        "MX" => 1910,
        "EG" => 1908,
        "ZA" | "AU" | "IN" | "AR" => 1900,
        "NZ" => 1897,
        "CL" => 1888,
        _ => 1870,
    }
}

/// An active agreement SPU is party to, with what its programs need.
#[derive(Debug, Clone)]
struct ActiveAgreement {
    id: i64,
    kind: AgreementKind,
    /// The partner's name, or the consortium's.
    label: String,
    partners: Vec<i64>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    fields: Vec<&'static str>,
}

/// One of SPU's own degree majors still taught, with its language.
struct Major {
    id: i64,
    language: &'static str,
}

/// A program SPU hosts under an agreement, for placing students.
#[derive(Debug, Clone, Copy)]
struct Placement {
    program: i64,
    agreement: i64,
    home: i64,
    kind: ProgramKind,
}

/// Runs every generation step after the story.
pub fn build(b: &mut Builder, story: &Story) {
    let partners = partner_organizations(b, story);
    let non_partners = non_partner_organizations(b);
    other_events(b, story, &partners);
    let (active, primary) = partner_agreements(b, story, &partners);
    non_partner_agreements(b, story, &non_partners);
    let majors = spu_majors(b, story);
    super::story::programs(b, story);
    let placements = collaborative_programs(b, story, &active);
    joint_units(b, story, &partners, &primary);
    students(b, story, &majors, &placements);
    visits(b, story);
    b.date_organizations();
}
