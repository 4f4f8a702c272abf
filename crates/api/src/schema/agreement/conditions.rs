//! Cooperation conditions as a write gives them, and their enums.

use async_graphql::{Enum, ID, InputObject, Result};
use service::agreement::conditions::{Condition, Language, Subject};

use super::NodeType;
use crate::schema::error::GqlResult;
use crate::schema::input::row_id;

/// Who moves, and why (EWP's mobility specifications).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::cooperation_condition::MobilityType")]
pub enum MobilityType {
    /// Students studying at the receiving organization.
    StudentStudies,
    /// Students in a traineeship.
    StudentTraineeship,
    /// Staff teaching.
    StaffTeaching,
    /// Staff training.
    StaffTraining,
}

/// A level of the Common European Framework of Reference for Languages.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::cooperation_condition_language::CefrLevel")]
pub enum CefrLevel {
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

/// A subject area of a cooperation condition.
#[derive(InputObject)]
pub struct SubjectAreaInput {
    /// An ISCED-F code.
    pub field_code: String,
    /// What the area means here, in words.
    pub clarification: Option<String>,
}

/// A language recommended to those sent.
#[derive(InputObject)]
pub struct LanguageRequirementInput {
    /// ISO 639-1.
    pub language: String,
    pub cefr_level: CefrLevel,
}

/// What an agreement grants in one direction.
#[derive(InputObject)]
pub struct CooperationConditionInput {
    pub mobility_type: MobilityType,
    /// A party of the agreement.
    pub sending_organization_id: ID,
    /// Another party of the agreement.
    pub receiving_organization_id: ID,
    /// `2024/2025`.
    pub first_academic_year: String,
    /// `2026/2027`; not before the first.
    pub last_academic_year: String,
    /// At least 1.
    pub mobilities_per_year: i32,
    /// Student mobility: months per academic year, all students together
    /// (positive, at most two decimals).
    pub total_months_per_year: Option<f64>,
    /// Staff mobility: days per academic year, all staff together.
    pub total_days_per_year: Option<f64>,
    /// Student mobility only; default false.
    pub blended: Option<bool>,
    /// Student mobility only: EQF levels 1–8.
    pub eqf_levels: Option<Vec<i32>>,
    pub subject_areas: Option<Vec<SubjectAreaInput>>,
    pub languages: Option<Vec<LanguageRequirementInput>>,
}

/// The service's conditions from the inputs (global ids decoded).
pub fn conditions(input: Vec<CooperationConditionInput>) -> Result<Vec<Condition>> {
    input
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = |global: &ID, name: &str| {
                row_id(
                    global,
                    NodeType::Organization,
                    &format!("cooperationConditions[{i}].{name}"),
                )
                .gql()
            };
            Ok(Condition {
                mobility_type: c.mobility_type.into(),
                sending_organization_id: id(&c.sending_organization_id, "sendingOrganizationId")?,
                receiving_organization_id: id(
                    &c.receiving_organization_id,
                    "receivingOrganizationId",
                )?,
                first_academic_year: c.first_academic_year,
                last_academic_year: c.last_academic_year,
                mobilities_per_year: c.mobilities_per_year,
                total_months_per_year: c.total_months_per_year,
                total_days_per_year: c.total_days_per_year,
                blended: c.blended.unwrap_or(false),
                eqf_levels: c.eqf_levels.unwrap_or_default(),
                subject_areas: c
                    .subject_areas
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| Subject {
                        field_code: s.field_code,
                        clarification: s.clarification,
                    })
                    .collect(),
                languages: c
                    .languages
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| Language {
                        language: l.language,
                        cefr_level: l.cefr_level.into(),
                    })
                    .collect(),
            })
        })
        .collect()
}
