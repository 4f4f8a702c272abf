//! `statistics(asOf:)` against an oracle written from DESIGN.md's
//! definitions: the rows are read plainly and every figure and group-by is
//! computed here, in Rust, as of several dates — not with the service's SQL.
//! The figures are public: every role gets the same answer.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use e2e::{TestServer, token};
use serde_json::{Value, json};
use service::Role;

use super::rows;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn optional_date(text: &Option<String>) -> Option<NaiveDate> {
    text.as_deref().map(date)
}

fn text(value: &Option<String>) -> String {
    value.clone().expect("a value").trim_end().to_owned()
}

struct Agreement {
    status: String,
    kind: String,
    signed_on: Option<NaiveDate>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    parties: Vec<i64>,
}

struct Student {
    status: String,
    nationality: String,
    host: i64,
    enrolled_on: NaiveDate,
    leaves_on: Option<NaiveDate>,
}

struct Program {
    has_agreement: bool,
    kind: String,
    language: Option<String>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

struct Unit {
    established_on: NaiveDate,
    closed_on: Option<NaiveDate>,
}

/// The rows the definitions read.
struct Data {
    /// Each organization's country and whether it is a home organization.
    organizations: HashMap<i64, (String, bool)>,
    agreements: Vec<Agreement>,
    students: Vec<Student>,
    programs: Vec<Program>,
    units: Vec<Unit>,
    /// Each visit's person and first day.
    visits: Vec<(i64, NaiveDate)>,
}

impl Data {
    async fn read(db: &sea_orm::DatabaseConnection) -> Data {
        let id = |v: &Option<String>| text(v).parse::<i64>().expect("an id");
        let organizations = rows(
            db,
            "SELECT CAST(id AS TEXT), country_code, CASE WHEN is_home THEN '1' ELSE '0' END FROM organizations",
        )
        .await
        .iter()
        .map(|r| (id(&r[0]), (text(&r[1]), text(&r[2]) == "1")))
        .collect();
        let mut parties: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in rows(
            db,
            "SELECT CAST(agreement_id AS TEXT), CAST(organization_id AS TEXT) FROM agreement_parties",
        )
        .await
        {
            parties.entry(id(&r[0])).or_default().push(id(&r[1]));
        }
        let agreements = rows(
            db,
            "SELECT CAST(id AS TEXT), status, kind, CAST(signed_on AS TEXT), CAST(starts_on AS TEXT),
                    CAST(ends_on AS TEXT) FROM agreements",
        )
        .await
        .iter()
        .map(|r| Agreement {
            status: text(&r[1]),
            kind: text(&r[2]),
            signed_on: optional_date(&r[3]),
            starts_on: optional_date(&r[4]),
            ends_on: optional_date(&r[5]),
            parties: parties.remove(&id(&r[0])).unwrap_or_default(),
        })
        .collect();
        let students = rows(
            db,
            "SELECT status, nationality, CAST(host_organization_id AS TEXT), CAST(enrolled_on AS TEXT),
                    CAST(leaves_on AS TEXT) FROM students",
        )
        .await
        .iter()
        .map(|r| Student {
            status: text(&r[0]),
            nationality: text(&r[1]),
            host: id(&r[2]),
            enrolled_on: date(&text(&r[3])),
            leaves_on: optional_date(&r[4]),
        })
        .collect();
        let programs = rows(
            db,
            "SELECT CAST(agreement_id AS TEXT), kind, language_code, CAST(starts_on AS TEXT),
                    CAST(ends_on AS TEXT) FROM programs",
        )
        .await
        .iter()
        .map(|r| Program {
            has_agreement: r[0].is_some(),
            kind: text(&r[1]),
            language: r[2].as_deref().map(|l| l.trim_end().to_owned()),
            starts_on: date(&text(&r[3])),
            ends_on: optional_date(&r[4]),
        })
        .collect();
        let units = rows(
            db,
            "SELECT CAST(established_on AS TEXT), CAST(closed_on AS TEXT) FROM joint_units",
        )
        .await
        .iter()
        .map(|r| Unit {
            established_on: date(&text(&r[0])),
            closed_on: optional_date(&r[1]),
        })
        .collect();
        let visits = rows(
            db,
            "SELECT CAST(person_id AS TEXT), CAST(starts_on AS TEXT) FROM visits",
        )
        .await
        .iter()
        .map(|r| (id(&r[0]), date(&text(&r[1]))))
        .collect();
        Data {
            organizations,
            agreements,
            students,
            programs,
            units,
            visits,
        }
    }

    fn is_home(&self, org: i64) -> bool {
        self.organizations[&org].1
    }

    /// In force on `on`: active, signed by then, started (or without a
    /// start), not ended.
    fn in_force(a: &Agreement, on: NaiveDate) -> bool {
        a.status == "active"
            && a.signed_on.is_some_and(|d| d <= on)
            && a.starts_on.is_none_or(|d| d <= on)
            && a.ends_on.is_none_or(|d| d >= on)
    }

    /// Non-home organizations party to an agreement in force that a home
    /// organization is party to.
    fn partners(&self, on: NaiveDate) -> BTreeSet<i64> {
        let mut out = BTreeSet::new();
        for a in self.agreements.iter().filter(|a| Self::in_force(a, on)) {
            if a.parties.iter().any(|p| self.is_home(*p)) {
                out.extend(a.parties.iter().filter(|p| !self.is_home(**p)));
            }
        }
        out
    }

    /// Enrolled on `on` with a nationality other than the host's country.
    fn international(&self, on: NaiveDate) -> Vec<&Student> {
        self.students
            .iter()
            .filter(|s| {
                s.status == "enrolled"
                    && s.enrolled_on <= on
                    && s.leaves_on.is_none_or(|d| d > on)
                    && s.nationality != self.organizations[&s.host].0
            })
            .collect()
    }

    fn running(p: &Program, on: NaiveDate) -> bool {
        p.starts_on <= on && p.ends_on.is_none_or(|d| d > on)
    }

    fn units_open(&self, on: NaiveDate) -> Vec<&Unit> {
        self.units
            .iter()
            .filter(|u| u.established_on <= on && u.closed_on.is_none_or(|d| on < d))
            .collect()
    }

    /// What `statistics(asOf: on)` answers to [`QUERY`].
    fn figures(&self, on: NaiveDate) -> Value {
        let partners = self.partners(on);
        let partner_countries: BTreeSet<&str> = partners
            .iter()
            .map(|p| self.organizations[p].0.as_str())
            .collect();
        let international = self.international(on);
        let nationalities: BTreeSet<&str> = international
            .iter()
            .map(|s| s.nationality.as_str())
            .collect();
        let units = self.units_open(on).len() as i64;
        let end_of_2020 = NaiveDate::from_ymd_opt(2020, 12, 31).expect("a date");
        let then = self.units_open(end_of_2020).len() as i64;
        let growth =
            (then > 0).then(|| (100.0 * (units - then) as f64 / then as f64).round() as i64);
        let experts: BTreeSet<i64> = self
            .visits
            .iter()
            .filter(|(_, d)| d.year() == 2023)
            .map(|(p, _)| *p)
            .collect();
        let signed: Vec<&Agreement> = self
            .agreements
            .iter()
            .filter(|a| a.signed_on.is_some_and(|d| d <= on))
            .collect();
        let running: Vec<&Program> = self
            .programs
            .iter()
            .filter(|p| Self::running(p, on))
            .collect();
        let country = |code: &str| json!({ "code": code });
        let name = |stored: &str| json!(stored.to_uppercase());
        let year = |text: &str| json!(text.parse::<i32>().expect("a year"));
        json!({
            "asOf": on.to_string(),
            "partnerOrganizations": partners.len(),
            "partnerCountries": partner_countries.len(),
            "collaborativePrograms": running.iter().filter(|p| p.has_agreement).count(),
            "internationalStudents": international.len(),
            "studentCountries": nationalities.len(),
            "jointUnits": units,
            "jointUnitsGrowthPercent": growth,
            "englishTaughtMajors": running
                .iter()
                .filter(|p| p.kind == "degree_major" && p.language.as_deref() == Some("en"))
                .count(),
            "visitingExperts": experts.len(),
            "studentsByNationality": groups(
                international.iter().map(|s| s.nationality.clone()), "country", country),
            "partnersByCountry": groups(
                partners.iter().map(|p| self.organizations[p].0.clone()), "country", country),
            "agreementsByKind": groups(signed.iter().map(|a| a.kind.clone()), "kind", name),
            "agreementsByStatus": groups(
                self.agreements.iter().map(|a| a.status.clone()), "status", name),
            "agreementsByYear": groups(
                signed.iter().filter_map(|a| a.signed_on).map(|d| d.year().to_string()),
                "year", year),
            "programsByKind": groups(running.iter().map(|p| p.kind.clone()), "kind", name),
            "jointUnitsByYear": groups(
                self.units_open(on).iter().map(|u| u.established_on.year().to_string()),
                "year", year),
        })
    }
}

/// A group-by's rows: most first, ties by the stored key.
fn groups(keys: impl Iterator<Item = String>, field: &str, shown: impl Fn(&str) -> Value) -> Value {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    let mut rows: Vec<(String, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Value::Array(
        rows.into_iter()
            .map(|(key, count)| json!({ field: shown(&key), "count": count }))
            .collect(),
    )
}

const QUERY: &str = r#"query($on: Date!) { statistics(asOf: $on) {
  asOf partnerOrganizations partnerCountries collaborativePrograms internationalStudents
  studentCountries jointUnits jointUnitsGrowthPercent(sinceYear: 2020) englishTaughtMajors
  visitingExperts(year: 2023)
  studentsByNationality(first: 1000) { country { code } count }
  partnersByCountry(first: 1000) { country { code } count }
  agreementsByKind(first: 1000) { kind count }
  agreementsByStatus(first: 1000) { status count }
  agreementsByYear(first: 1000) { year count }
  programsByKind(first: 1000) { kind count }
  jointUnitsByYear(first: 1000) { year count }
} }"#;

#[tokio::test]
async fn every_statistic_answers_what_the_definitions_say() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let data = Data::read(&db).await;
    let bearers = [
        None,
        Some(token(Role::Partner, Some(2))),
        Some(token(Role::Staff, None)),
        Some(token(Role::Admin, None)),
    ];
    // Before any data, the end of the growth's base year, the story's day,
    // and a day to come.
    for on in ["1990-01-01", "2020-12-31", "2024-04-03", "2030-06-30"] {
        let expected = data.figures(date(on));
        for bearer in &bearers {
            let variables = json!({ "on": on });
            let body = match bearer {
                Some(bearer) => server.post_as(bearer, QUERY, variables).await.1,
                None => server.post_anonymous(QUERY, variables).await,
            };
            assert!(body.get("errors").is_none(), "{on}: {body}");
            assert_eq!(
                body["data"]["statistics"],
                expected,
                "as of {on}, as {}",
                if bearer.is_some() {
                    "a holder of a token"
                } else {
                    "anonymous"
                }
            );
        }
    }
    // The story's figures (DESIGN.md) are what the definitions give.
    let story = data.figures(date("2024-04-03"));
    assert_eq!(story["partnerOrganizations"], 171);
    assert_eq!(story["jointUnitsGrowthPercent"], 43);
}
