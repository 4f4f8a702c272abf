//! What an agreement grants: its cooperation conditions, as EWP
//! inter-institutional agreements (IIA v7) state them — who sends how many
//! people of what kind to whom, in which academic years, in which subject
//! areas, with which languages. Written with the agreement (the set is
//! replaced as a whole), checked here.

use std::collections::BTreeSet;

use entity::cooperation_condition::{self as cc, MobilityType};
use entity::cooperation_condition_language::{self as cl, CefrLevel};
use entity::cooperation_condition_subject as cs;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value as Json, json};

use crate::write::{self, Write};
use crate::{Error, Result};

/// A subject area of a condition: an ISCED-F code and what it means here.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    pub field_code: String,
    pub clarification: Option<String>,
}

/// A language recommended at a level.
#[derive(Clone, Debug, PartialEq)]
pub struct Language {
    pub language: String,
    pub cefr_level: CefrLevel,
}

/// A cooperation condition as a write gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub mobility_type: MobilityType,
    pub sending_organization_id: i64,
    pub receiving_organization_id: i64,
    pub first_academic_year: String,
    pub last_academic_year: String,
    pub mobilities_per_year: i32,
    pub total_months_per_year: Option<f64>,
    pub total_days_per_year: Option<f64>,
    pub blended: bool,
    pub eqf_levels: Vec<i32>,
    pub subject_areas: Vec<Subject>,
    pub languages: Vec<Language>,
}

/// The first calendar year of an academic year written `2024/2025` (two
/// consecutive years), or why it is not one.
pub fn academic_year(field: &str, value: &str) -> Result<i32> {
    let refuse = || {
        Error::bad_input(
            field,
            format!("`{field}` is not an academic year: two consecutive years, like `2024/2025`"),
        )
    };
    let (first, second) = value.trim().split_once('/').ok_or_else(refuse)?;
    let year = |s: &str| {
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    match (year(first), year(second)) {
        (Some(a), Some(b)) if b == a + 1 && a >= 1900 => Ok(a),
        _ => Err(refuse()),
    }
}

/// A positive amount with at most two decimals (EWP's months and days).
fn amount(field: &str, value: Option<f64>) -> Result<Option<f64>> {
    let Some(value) = value else { return Ok(None) };
    let cents = value * 100.0;
    if !value.is_finite()
        || value <= 0.0
        || value > 10_000.0
        || (cents - cents.round()).abs() > 1e-6
    {
        return Err(Error::bad_input(
            field,
            format!("`{field}` must be a positive number with at most two decimals"),
        ));
    }
    Ok(Some(value))
}

/// Checks what can be checked without the database and normalizes: the
/// years, the amounts each kind of mobility has, the levels, languages and
/// subject areas. `field` names the list in errors.
pub fn check(field: &str, conditions: Vec<Condition>) -> Result<Vec<Condition>> {
    write::list_size(field, &conditions)?;
    let mut out = Vec::with_capacity(conditions.len());
    for (i, mut c) in conditions.into_iter().enumerate() {
        let at = |name: &str| format!("{field}[{i}].{name}");
        if c.sending_organization_id == c.receiving_organization_id {
            return Err(Error::bad_input(
                at("receivingOrganizationId"),
                "a condition sends from one party to another; `sendingOrganizationId` and `receivingOrganizationId` are the same",
            ));
        }
        let first = academic_year(&at("firstAcademicYear"), &c.first_academic_year)?;
        let last = academic_year(&at("lastAcademicYear"), &c.last_academic_year)?;
        if last < first {
            return Err(Error::bad_input(
                at("lastAcademicYear"),
                "`lastAcademicYear` comes before `firstAcademicYear`",
            ));
        }
        c.first_academic_year = format!("{first}/{}", first + 1);
        c.last_academic_year = format!("{last}/{}", last + 1);
        if !(1..=10_000).contains(&c.mobilities_per_year) {
            return Err(Error::bad_input(
                at("mobilitiesPerYear"),
                "`mobilitiesPerYear` must be between 1 and 10000",
            ));
        }
        c.total_months_per_year = amount(&at("totalMonthsPerYear"), c.total_months_per_year)?;
        c.total_days_per_year = amount(&at("totalDaysPerYear"), c.total_days_per_year)?;
        if c.mobility_type.students() {
            if c.total_days_per_year.is_some() {
                return Err(Error::bad_input(
                    at("totalDaysPerYear"),
                    "student mobility counts months (`totalMonthsPerYear`), not days",
                ));
            }
        } else {
            if c.total_months_per_year.is_some() {
                return Err(Error::bad_input(
                    at("totalMonthsPerYear"),
                    "staff mobility counts days (`totalDaysPerYear`), not months",
                ));
            }
            if c.blended {
                return Err(Error::bad_input(
                    at("blended"),
                    "blended mobility is for students",
                ));
            }
            if !c.eqf_levels.is_empty() {
                return Err(Error::bad_input(
                    at("eqfLevels"),
                    "study levels (`eqfLevels`) are for student mobility",
                ));
            }
        }
        let levels: BTreeSet<i32> = c.eqf_levels.iter().copied().collect();
        if levels.iter().any(|l| !(1..=8).contains(l)) {
            return Err(Error::bad_input(at("eqfLevels"), "EQF levels are 1 to 8"));
        }
        c.eqf_levels = levels.into_iter().collect();
        write::list_size(&at("subjectAreas"), &c.subject_areas)?;
        write::list_size(&at("languages"), &c.languages)?;
        let mut codes = BTreeSet::new();
        for (k, s) in c.subject_areas.iter_mut().enumerate() {
            let name = at(&format!("subjectAreas[{k}].clarification"));
            s.clarification = write::text(&name, s.clarification.take(), write::MAX_NAME)?;
            s.field_code = s.field_code.trim().to_owned();
            if !codes.insert(s.field_code.clone()) {
                return Err(Error::bad_input(
                    at(&format!("subjectAreas[{k}].fieldCode")),
                    "the subject area is already listed",
                ));
            }
        }
        let mut languages = BTreeSet::new();
        for (k, l) in c.languages.iter_mut().enumerate() {
            let name = at(&format!("languages[{k}].language"));
            l.language = write::language(&name, Some(l.language.clone()))?.unwrap_or_default();
            if l.language.is_empty() || !languages.insert(l.language.clone()) {
                return Err(Error::bad_input(
                    name,
                    "each language once, as an ISO 639-1 code",
                ));
            }
        }
        out.push(c);
    }
    Ok(out)
}

/// Replaces the conditions of agreement `id` (checked by [`check`]) unless
/// `fresh`, checking the subject areas' codes as it goes.
pub async fn replace(w: &Write, id: i64, conditions: &[Condition], fresh: bool) -> Result<()> {
    if !fresh {
        cc::Entity::delete_many()
            .filter(cc::Column::AgreementId.eq(id))
            .exec(&w.txn)
            .await?;
    }
    for (i, c) in conditions.iter().enumerate() {
        let row = cc::ActiveModel {
            agreement_id: Set(id),
            mobility_type: Set(c.mobility_type),
            sending_organization_id: Set(c.sending_organization_id),
            receiving_organization_id: Set(c.receiving_organization_id),
            first_academic_year: Set(c.first_academic_year.clone()),
            last_academic_year: Set(c.last_academic_year.clone()),
            mobilities_per_year: Set(c.mobilities_per_year),
            total_months_per_year: Set(c.total_months_per_year),
            total_days_per_year: Set(c.total_days_per_year),
            blended: Set(c.blended),
            eqf_levels: Set(json!(c.eqf_levels)),
            position: Set(i as i32),
            ..Default::default()
        }
        .insert(&w.txn)
        .await?;
        for (k, s) in c.subject_areas.iter().enumerate() {
            let field = format!("cooperationConditions[{i}].subjectAreas[{k}].fieldCode");
            let code = write::field_of_study(w, &field, &s.field_code).await?;
            cs::ActiveModel {
                condition_id: Set(row.id),
                field_code: Set(code),
                clarification: Set(s.clarification.clone()),
                position: Set(k as i32),
            }
            .insert(&w.txn)
            .await?;
        }
        for (k, l) in c.languages.iter().enumerate() {
            cl::ActiveModel {
                condition_id: Set(row.id),
                language: Set(l.language.clone()),
                cefr_level: Set(l.cefr_level),
                position: Set(k as i32),
            }
            .insert(&w.txn)
            .await?;
        }
    }
    Ok(())
}

/// Every condition of agreement `id` sends from one of its parties to
/// another (checked after both are written, whichever of them changed).
pub async fn check_parties(w: &Write, id: i64) -> Result<()> {
    let parties: BTreeSet<i64> = entity::agreement_party::Entity::find()
        .filter(entity::agreement_party::Column::AgreementId.eq(id))
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|p| p.organization_id)
        .collect();
    let conditions = cc::Entity::find()
        .filter(cc::Column::AgreementId.eq(id))
        .order_by_asc(cc::Column::Position)
        .all(&w.txn)
        .await?;
    for (i, c) in conditions.iter().enumerate() {
        for (name, org) in [
            ("sendingOrganizationId", c.sending_organization_id),
            ("receivingOrganizationId", c.receiving_organization_id),
        ] {
            if !parties.contains(&org) {
                return Err(Error::bad_input(
                    format!("cooperationConditions[{i}].{name}"),
                    "the organization is not a party to the agreement",
                ));
            }
        }
    }
    Ok(())
}

/// The conditions of agreement `id` as the audit log keeps them.
pub async fn snapshot(db: &impl sea_orm::ConnectionTrait, id: i64) -> Result<Json> {
    let conditions = cc::Entity::find()
        .filter(cc::Column::AgreementId.eq(id))
        .order_by_asc(cc::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<i64> = conditions.iter().map(|c| c.id).collect();
    let subjects = cs::Entity::find()
        .filter(cs::Column::ConditionId.is_in(ids.clone()))
        .order_by_asc(cs::Column::Position)
        .all(db)
        .await?;
    let languages = cl::Entity::find()
        .filter(cl::Column::ConditionId.is_in(ids))
        .order_by_asc(cl::Column::Position)
        .all(db)
        .await?;
    let list = conditions
        .into_iter()
        .map(|c| {
            let mut value = write::snapshot(&c);
            if let Json::Object(map) = &mut value {
                map.remove("agreement_id");
                map.remove("id");
                let of = |s: &&cs::Model| s.condition_id == c.id;
                map.insert(
                    "subject_areas".to_owned(),
                    subjects
                        .iter()
                        .filter(of)
                        .map(|s| json!({ "field_code": s.field_code, "clarification": s.clarification }))
                        .collect(),
                );
                map.insert(
                    "languages".to_owned(),
                    languages
                        .iter()
                        .filter(|l| l.condition_id == c.id)
                        .map(|l| json!({ "language": l.language, "cefr_level": l.cefr_level }))
                        .collect(),
                );
            }
            value
        })
        .collect();
    Ok(Json::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition() -> Condition {
        Condition {
            mobility_type: MobilityType::StudentStudies,
            sending_organization_id: 1,
            receiving_organization_id: 2,
            first_academic_year: "2024/2025".to_owned(),
            last_academic_year: "2026/2027".to_owned(),
            mobilities_per_year: 2,
            total_months_per_year: Some(10.0),
            total_days_per_year: None,
            blended: false,
            eqf_levels: vec![7, 6, 6],
            subject_areas: vec![Subject {
                field_code: " 0413 ".to_owned(),
                clarification: Some(" Management ".to_owned()),
            }],
            languages: vec![Language {
                language: "EN".to_owned(),
                cefr_level: CefrLevel::B2,
            }],
        }
    }

    fn refused(c: Condition, field: &str) {
        let error = check("cooperationConditions", vec![c]).expect_err("refused");
        assert_eq!(error.code(), "BAD_USER_INPUT");
        match error {
            Error::BadUserInput { field: f, .. } => {
                assert_eq!(f, format!("cooperationConditions[0].{field}"))
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn academic_years_are_two_consecutive_years() {
        assert_eq!(academic_year("y", "2024/2025").ok(), Some(2024));
        assert!(academic_year("y", "2024/2026").is_err());
        assert!(academic_year("y", "2024-2025").is_err());
        assert!(academic_year("y", "24/25").is_err());
        assert!(academic_year("y", "2025/2024").is_err());
    }

    #[test]
    fn a_valid_condition_is_normalized() {
        let checked = check("cooperationConditions", vec![condition()]).expect("valid");
        assert_eq!(checked[0].eqf_levels, [6, 7]);
        assert_eq!(checked[0].subject_areas[0].field_code, "0413");
        assert_eq!(
            checked[0].subject_areas[0].clarification.as_deref(),
            Some("Management")
        );
        assert_eq!(checked[0].languages[0].language, "en");
    }

    #[test]
    fn each_rule_names_its_field() {
        refused(
            Condition {
                receiving_organization_id: 1,
                ..condition()
            },
            "receivingOrganizationId",
        );
        refused(
            Condition {
                last_academic_year: "2023/2024".to_owned(),
                ..condition()
            },
            "lastAcademicYear",
        );
        refused(
            Condition {
                first_academic_year: "2024/2026".to_owned(),
                ..condition()
            },
            "firstAcademicYear",
        );
        refused(
            Condition {
                mobilities_per_year: 0,
                ..condition()
            },
            "mobilitiesPerYear",
        );
        refused(
            Condition {
                total_months_per_year: Some(2.555),
                ..condition()
            },
            "totalMonthsPerYear",
        );
        refused(
            Condition {
                total_days_per_year: Some(5.0),
                ..condition()
            },
            "totalDaysPerYear",
        );
        refused(
            Condition {
                eqf_levels: vec![9],
                ..condition()
            },
            "eqfLevels",
        );
        let staff = Condition {
            mobility_type: MobilityType::StaffTeaching,
            total_months_per_year: None,
            total_days_per_year: Some(8.0),
            eqf_levels: Vec::new(),
            ..condition()
        };
        assert!(check("c", vec![staff.clone()]).is_ok());
        refused(
            Condition {
                total_months_per_year: Some(1.0),
                ..staff.clone()
            },
            "totalMonthsPerYear",
        );
        refused(
            Condition {
                blended: true,
                ..staff.clone()
            },
            "blended",
        );
        refused(
            Condition {
                eqf_levels: vec![6],
                ..staff
            },
            "eqfLevels",
        );
        let mut twice = condition();
        twice.languages.push(Language {
            language: "en".to_owned(),
            cefr_level: CefrLevel::C1,
        });
        refused(twice, "languages[1].language");
        let mut unknown = condition();
        unknown.languages[0].language = "xx".to_owned();
        refused(unknown, "languages[0].language");
    }
}
