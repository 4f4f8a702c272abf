//! What the demo's organizations and agreements say to other systems:
//! every university's SCHAC code (the domain of its web site, as EWP's
//! `hei-id`s are), the story's universities' names in their own languages
//! (Shanghai Polytechnic University's in Chinese), and what the agreements
//! between two universities grant (EWP cooperation conditions): the Rousse
//! memorandum's student and staff exchange both ways, TU Dublin's joint
//! training in computing, and for every other student exchange between
//! two universities, two students a year each way for five months each.
//! A visit is made under an agreement when a staff condition covers it (the
//! story's visits between Rousse and Shanghai came before the memorandum's
//! first academic year, so none is).

use chrono::{Datelike, NaiveDate};
use entity::agreement::AgreementKind;
use entity::cooperation_condition::MobilityType;
use entity::cooperation_condition_language::CefrLevel;
use entity::organization::OrganizationKind;
use entity::organization_identifier::IdentifierScheme;
use entity::organization_name::NameKind;
use entity::{
    cooperation_condition as cc, cooperation_condition_language as cl,
    cooperation_condition_subject as cs, organization_identifier as oi, organization_name as on,
};
use serde_json::json;

use crate::dataset::Dataset;
use crate::story::Story;

/// The academic year (`2024/2025`) a date falls in: from September on.
fn academic_year(date: NaiveDate) -> (i32, String) {
    let first = if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    };
    (first, format!("{first}/{}", first + 1))
}

/// One direction of a condition, before it is numbered.
struct Grant {
    kind: MobilityType,
    from: i64,
    to: i64,
    per_year: i32,
    total: f64,
    subject: String,
    clarification: Option<&'static str>,
    language: (&'static str, CefrLevel),
    eqf: &'static [i32],
}

pub fn build(data: &mut Dataset, story: &Story) {
    schac_codes(data);
    registry_ids(data, story);
    names(data, story);
    conditions(data, story);
    visits_under_agreements(data);
}

/// A visit is made under the agreement with a staff condition from the
/// visitor's organization to the host in the visit's academic year.
fn visits_under_agreements(data: &mut Dataset) {
    let staff: Vec<(i64, i64, i64, String, String)> = data
        .cooperation_conditions
        .iter()
        .filter(|c| !c.mobility_type.students())
        .map(|c| {
            (
                c.agreement_id,
                c.sending_organization_id,
                c.receiving_organization_id,
                c.first_academic_year.clone(),
                c.last_academic_year.clone(),
            )
        })
        .collect();
    let organization_of: std::collections::HashMap<i64, Option<i64>> = data
        .people
        .iter()
        .map(|p| (p.id, p.organization_id))
        .collect();
    for visit in &mut data.visits {
        let Some(Some(from)) = organization_of.get(&visit.person_id) else {
            continue;
        };
        let year = academic_year(visit.starts_on).1;
        visit.agreement_id = staff
            .iter()
            .find(|(_, sending, receiving, first, last)| {
                sending == from
                    && *receiving == visit.host_organization_id
                    && (first.as_str()..=last.as_str()).contains(&year.as_str())
            })
            .map(|(agreement, ..)| *agreement);
    }
}

/// Each university's SCHAC code: its web site's host without `www.`.
fn schac_codes(data: &mut Dataset) {
    let mut taken = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    for org in &data.organizations {
        if org.kind != OrganizationKind::University {
            continue;
        }
        let Some(host) = org
            .website
            .as_deref()
            .and_then(|w| w.split("://").nth(1))
            .map(|h| h.trim_end_matches('/').trim_start_matches("www."))
        else {
            continue;
        };
        let Ok(code) =
            service::organization_identifier::normalize("schac", IdentifierScheme::Schac, host)
        else {
            continue;
        };
        if taken.insert(code.clone()) {
            rows.push(oi::Model {
                organization_id: org.id,
                scheme: IdentifierScheme::Schac,
                value: code,
            });
        }
    }
    data.organization_identifiers.extend(rows);
}

/// The story's universities' public identifiers, as their ROR records
/// (ror-community/ror-records, commit d93fc66) list them: the ROR id and
/// the external ids the record names.
fn registry_ids(data: &mut Dataset, story: &Story) {
    use IdentifierScheme::{Fundref, Grid, Isni, Ror, Wikidata};
    let records: [(i64, [(IdentifierScheme, &str); 5]); 3] = [
        (
            story.spu,
            [
                (Ror, "02as5yg64"),
                (Wikidata, "Q17013222"),
                (Isni, "0000 0000 9194 7697"),
                (Grid, "grid.412535.4"),
                (Fundref, "501100015604"),
            ],
        ),
        (
            story.rousse,
            [
                (Ror, "01g09ef73"),
                (Wikidata, "Q2496153"),
                (Isni, "0000 0001 1421 151X"),
                (Grid, "grid.6977.f"),
                (Fundref, "100017401"),
            ],
        ),
        (
            story.tu_dublin,
            [
                (Ror, "04t0qbt32"),
                (Wikidata, "Q55619051"),
                (Isni, "0000 0004 9524 0153"),
                (Grid, "grid.497880.a"),
                (Fundref, "501100009246"),
            ],
        ),
    ];
    for (organization_id, ids) in records {
        for (scheme, value) in ids {
            let value = service::organization_identifier::normalize("identifiers", scheme, value)
                .expect("a ROR record's identifier passes its scheme's check");
            if scheme == Ror
                && let Some(org) = data
                    .organizations
                    .iter_mut()
                    .find(|o| o.id == organization_id)
            {
                org.ror_id = Some(value.clone());
            }
            data.organization_identifiers.push(oi::Model {
                organization_id,
                scheme,
                value,
            });
        }
    }
}

/// Names of one organization: value, language tag, kind.
type Names = Vec<(String, &'static str, NameKind)>;

/// The story's universities' names in their own languages.
fn names(data: &mut Dataset, story: &Story) {
    let name_of = |id: i64| {
        data.organizations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let sets: [(i64, Names); 3] = [
        (
            story.spu,
            vec![
                (name_of(story.spu), "en", NameKind::Display),
                ("上海第二工业大学".to_owned(), "zh-Hans", NameKind::Label),
                ("上海第二工業大學".to_owned(), "zh-Hant", NameKind::Label),
                ("SSPU".to_owned(), "en", NameKind::Acronym),
            ],
        ),
        (
            story.rousse,
            vec![
                (name_of(story.rousse), "en", NameKind::Display),
                (
                    "Русенски университет „Ангел Кънчев“".to_owned(),
                    "bg",
                    NameKind::Label,
                ),
                ("Ruse University".to_owned(), "en", NameKind::Alias),
            ],
        ),
        (
            story.tu_dublin,
            vec![
                (name_of(story.tu_dublin), "en", NameKind::Display),
                (
                    "Ollscoil Teicneolaíochta Bhaile Átha Cliath".to_owned(),
                    "ga",
                    NameKind::Label,
                ),
                ("TU Dublin".to_owned(), "en", NameKind::Acronym),
            ],
        ),
    ];
    for (organization_id, names) in sets {
        for (position, (value, lang, kind)) in names.into_iter().enumerate() {
            data.organization_names.push(on::Model {
                organization_id,
                position: position as i32,
                value,
                lang: lang.to_owned(),
                kind,
            });
        }
    }
}

/// What the agreements between two universities grant.
fn conditions(data: &mut Dataset, story: &Story) {
    let universities: std::collections::BTreeSet<i64> = data
        .organizations
        .iter()
        .filter(|o| o.kind == OrganizationKind::University)
        .map(|o| o.id)
        .collect();
    let both_ways = |a: i64, b: i64, subject: &str, clarification: Option<&'static str>| {
        vec![
            Grant {
                kind: MobilityType::StudentStudies,
                from: a,
                to: b,
                per_year: 2,
                total: 10.0,
                subject: subject.to_owned(),
                clarification,
                language: ("en", CefrLevel::B2),
                eqf: &[6, 7],
            },
            Grant {
                kind: MobilityType::StudentStudies,
                from: b,
                to: a,
                per_year: 2,
                total: 10.0,
                subject: subject.to_owned(),
                clarification,
                language: ("en", CefrLevel::B2),
                eqf: &[6, 7],
            },
        ]
    };
    let mut grants: Vec<(i64, Vec<Grant>)> = Vec::new();
    for agreement in &data.agreements {
        let parties: Vec<i64> = data
            .agreement_parties
            .iter()
            .filter(|p| p.agreement_id == agreement.id)
            .map(|p| p.organization_id)
            .collect();
        let [a, b] = parties[..] else { continue };
        if !universities.contains(&a) || !universities.contains(&b) {
            continue;
        }
        let list = if agreement.id == story.rousse_mou {
            let mut list = both_ways(
                story.spu,
                story.rousse,
                "0413",
                Some("Innovation and entrepreneurship"),
            );
            for (from, to) in [(story.spu, story.rousse), (story.rousse, story.spu)] {
                list.push(Grant {
                    kind: MobilityType::StaffTeaching,
                    from,
                    to,
                    per_year: 1,
                    total: 5.0,
                    subject: "0413".to_owned(),
                    clarification: None,
                    language: ("en", CefrLevel::B2),
                    eqf: &[],
                });
            }
            list
        } else if agreement.id == story.tu_dublin_training {
            both_ways(story.spu, story.tu_dublin, "0613", Some("Computer science"))
        } else if agreement.kind == AgreementKind::StudentExchange {
            let subject = data
                .agreement_fields
                .iter()
                .find(|f| f.agreement_id == agreement.id)
                .map(|f| f.field_code.clone());
            // The agreement's first field, when it has one.
            both_ways(a, b, subject.as_deref().unwrap_or("0413"), None)
        } else {
            continue;
        };
        grants.push((agreement.id, list));
    }
    let mut next_id = 1i64;
    for (agreement_id, list) in grants {
        let Some(agreement) = data.agreements.iter().find(|a| a.id == agreement_id) else {
            continue;
        };
        let start = agreement
            .starts_on
            .or(agreement.signed_on)
            .unwrap_or(crate::dataset::AS_OF);
        // The first academic year that starts once the agreement is in
        // force (the Rousse memorandum of April 2024: from 2024/2025).
        let first = match academic_year(start).0 {
            year if start == NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(start) => year,
            year => year + 1,
        };
        let first_year = format!("{first}/{}", first + 1);
        let last = match agreement.ends_on {
            Some(end) => academic_year(end).0.max(first),
            None => first + 4,
        };
        for (position, g) in list.into_iter().enumerate() {
            let students = g.kind.students();
            data.cooperation_conditions.push(cc::Model {
                id: next_id,
                agreement_id,
                mobility_type: g.kind,
                sending_organization_id: g.from,
                receiving_organization_id: g.to,
                first_academic_year: first_year.clone(),
                last_academic_year: format!("{last}/{}", last + 1),
                mobilities_per_year: g.per_year,
                total_months_per_year: students.then_some(g.total),
                total_days_per_year: (!students).then_some(g.total),
                blended: false,
                eqf_levels: json!(g.eqf),
                position: position as i32,
            });
            data.cooperation_condition_subjects.push(cs::Model {
                condition_id: next_id,
                field_code: g.subject,
                clarification: g.clarification.map(str::to_owned),
                position: 0,
            });
            data.cooperation_condition_languages.push(cl::Model {
                condition_id: next_id,
                language: g.language.0.to_owned(),
                cefr_level: g.language.1,
                position: 0,
            });
            next_id += 1;
        }
    }
}
