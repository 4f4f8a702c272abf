//! The plan of the generated part, kept as data in `data/plan.toml`: how many
//! partners per country, how many international students per nationality,
//! and the other figures of the Dashboard the generator must meet.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::names::keep;

/// The whole of `data/plan.toml`, its text kept for the process.
#[derive(Debug)]
pub struct Plan {
    /// Collaborative programs in all (the story's three included).
    pub collaborative_programs: usize,
    /// Distinct people with a visit starting in 2023.
    pub visiting_experts_2023: usize,
    /// Fields of study SPU cooperates in (ISCED-F detailed codes).
    pub spu_fields: Vec<&'static str>,
    /// Partner organizations per country, in order.
    pub partners: Vec<(&'static str, usize)>,
    /// International students per nationality, in order.
    pub students: Vec<(&'static str, usize)>,
    /// The subject each field stands for; `other` for the rest.
    subjects: BTreeMap<String, &'static str>,
}

/// The owned form read from the file; its text is kept for the process.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    collaborative_programs: usize,
    visiting_experts_2023: usize,
    spu_fields: Vec<String>,
    partners: Vec<(String, usize)>,
    students: Vec<(String, usize)>,
    subjects: BTreeMap<String, String>,
}

pub static PLAN: LazyLock<Plan> = LazyLock::new(|| {
    let file: PlanFile = toml::from_str(include_str!("../data/plan.toml"))
        .unwrap_or_else(|e| panic!("data/plan.toml: {e}"));
    Plan {
        collaborative_programs: file.collaborative_programs,
        visiting_experts_2023: file.visiting_experts_2023,
        spu_fields: file.spu_fields.into_iter().map(keep).collect(),
        partners: file
            .partners
            .into_iter()
            .map(|(c, n)| (keep(c), n))
            .collect(),
        students: file
            .students
            .into_iter()
            .map(|(c, n)| (keep(c), n))
            .collect(),
        subjects: file
            .subjects
            .into_iter()
            .map(|(c, s)| (c, keep(s)))
            .collect(),
    }
});

/// The subject a field stands for in titles and program names.
pub fn subject(code: &str) -> &'static str {
    let subjects = &PLAN.subjects;
    subjects
        .get(code)
        .or_else(|| subjects.get("other"))
        .copied()
        .unwrap_or("Engineering")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn is_field_code(code: &str) -> bool {
        code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn the_plan_meets_the_dashboard_figures() {
        let partners: usize = PLAN.partners.iter().map(|(_, n)| n).sum();
        let countries: BTreeSet<_> = PLAN.partners.iter().map(|(c, _)| c).collect();
        assert_eq!((partners, countries.len()), (171, 38));
        assert_eq!(countries.len(), PLAN.partners.len(), "one line per country");
        let students: usize = PLAN.students.iter().map(|(_, n)| n).sum();
        let nationalities: BTreeSet<_> = PLAN.students.iter().map(|(c, _)| c).collect();
        assert_eq!((students, nationalities.len()), (170, 27));
        assert_eq!(PLAN.collaborative_programs, 148);
        assert!(PLAN.visiting_experts_2023 > 70);
    }

    #[test]
    fn every_planned_country_has_name_material() {
        for (code, _) in PLAN.partners.iter().chain(&PLAN.students) {
            assert!(crate::names::country(code).is_some(), "{code}");
        }
    }

    #[test]
    fn fields_are_isced_codes_with_subjects() {
        assert!(PLAN.spu_fields.iter().all(|f| is_field_code(f)));
        for field in &PLAN.spu_fields {
            assert_ne!(
                subject(field),
                subject("9999"),
                "{field} has its own subject"
            );
        }
        assert_eq!(subject("0613"), "Software Engineering");
        assert_eq!(subject("9999"), "Engineering");
    }
}
