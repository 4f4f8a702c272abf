//! Dashboard statistics and group-bys, computed by SQL aggregates as of a date.
//!
//! Definitions (DESIGN.md, read strictly as of the date asked):
//! - an agreement is **in force** when it is `active`, signed on or before the
//!   date, started (or without a start) and not ended (`ends_on` on or after it);
//! - a **partner** is a non-home organization that is a party to an agreement in
//!   force that a home organization is also party to;
//! - an **international student** is `enrolled` (enrolled on or before the date,
//!   not left: `leaves_on` after it, or none) with a nationality other than the
//!   host organization's country;
//! - a **collaborative program** is a program tied to an agreement and running
//!   on the date (started, not ended: `ends_on` after it, or none);
//! - an **English-taught major** is a running `degree_major` program taught in
//!   `en`;
//! - a **joint unit** counts while `established_on <= date < closed_on`;
//! - **visiting experts** in a year are the distinct people with a visit starting
//!   in that year.
//!
//! The figures are public and count over all rows, so no function here takes
//! an actor: `access::rule` holds that exception (`Field::Statistics`)
//! with its reason.

use chrono::NaiveDate;
use sea_orm::Value;

use crate::Result;
use crate::query::aggregate::GroupSort;
use crate::query::page::Direction;

/// The records whose writes can move the figures (people and events feed
/// none of them): a change to one of these is a reason to recompute.
pub const SOURCES: &[entity::RecordType] = &[
    entity::RecordType::Organization,
    entity::RecordType::Agreement,
    entity::RecordType::Program,
    entity::RecordType::Student,
    entity::RecordType::JointUnit,
    entity::RecordType::Visit,
];

/// Partner organizations as of $1, with their countries.
///
/// Each agreement in force is read once with its parties, and keeps its
/// non-home parties when one of them is a home organization (a window over
/// the agreement's parties). Asking instead whether a home organization is
/// party (`EXISTS … is_home`) lets PostgreSQL expect a handful of home
/// parties where there is one per agreement, and pick nested loops five
/// times slower at scale; this form needs no such estimate (and no ids
/// read beforehand), on both databases.
const PARTNERS: &str = "SELECT DISTINCT id, country_code FROM (
    SELECT o.id, o.country_code, o.is_home,
           max(CASE WHEN o.is_home THEN 1 ELSE 0 END) OVER (PARTITION BY p.agreement_id) AS with_home
    FROM agreements a
    JOIN agreement_parties p ON p.agreement_id = a.id
    JOIN organizations o ON o.id = p.organization_id
    WHERE a.status = 'active' AND a.signed_on <= $1
      AND (a.starts_on IS NULL OR a.starts_on <= $1) AND (a.ends_on IS NULL OR a.ends_on >= $1)
  ) x WHERE with_home = 1 AND NOT is_home";

/// International students as of $1.
const INTERNATIONAL_STUDENTS: &str = "SELECT s.id, s.nationality FROM students s
    JOIN organizations h ON h.id = s.host_organization_id
    WHERE s.status = 'enrolled' AND s.enrolled_on <= $1
      AND (s.leaves_on IS NULL OR s.leaves_on > $1) AND s.nationality <> h.country_code";

const PROGRAM_RUNNING: &str = "starts_on <= $1 AND (ends_on IS NULL OR ends_on > $1)";

const UNIT_OPEN: &str = "established_on <= $1 AND (closed_on IS NULL OR $1 < closed_on)";

/// A figure's SQL, which the one statement embeds:
/// text with PostgreSQL's placeholders (`$1`, …), and their values.
#[derive(Clone, Debug, PartialEq)]
pub struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    fn new(text: impl Into<String>, values: Vec<Value>) -> Self {
        Sql {
            text: text.into(),
            values,
        }
    }
}

/// Which groups of a group-by, in which order: at most `first`, ordered by
/// `order` (empty: largest first); ties are broken by the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub first: u64,
    pub order: Vec<(GroupSort, Direction)>,
}

/// Most rows a group-by returns.
const MAX_GROUPS: i32 = 1000;

impl Cut {
    /// At most `first` groups (`first` is `LIMIT_EXCEEDED` past
    /// [`MAX_GROUPS`], `BAD_USER_INPUT` below zero), in `order`.
    pub fn new(first: i32, order: Vec<(GroupSort, Direction)>) -> crate::Result<Cut> {
        if first < 0 {
            return Err(crate::Error::bad_input(
                "first",
                "`first` must not be negative",
            ));
        }
        if first > MAX_GROUPS {
            return Err(crate::Error::limit(
                "first",
                "MAX_GROUPS",
                format!("`first` may be at most {MAX_GROUPS}"),
            ));
        }
        Ok(Cut {
            first: u64::try_from(first).unwrap_or(0),
            order,
        })
    }

    /// The `ORDER BY` of a group-by over `k` (the key) and `n` (the count).
    pub fn order_by(&self) -> String {
        let sorts = if self.order.is_empty() {
            &[(GroupSort::Count, Direction::Desc)][..]
        } else {
            &self.order[..]
        };
        let mut terms: Vec<&str> = Vec::new();
        for (sort, direction) in sorts {
            let term = match (sort, direction) {
                (GroupSort::Count, Direction::Asc) => "n ASC",
                (GroupSort::Count, Direction::Desc) => "n DESC",
                (GroupSort::Key, Direction::Asc) => "k ASC",
                (GroupSort::Key, Direction::Desc) => "k DESC",
            };
            if !terms.iter().any(|t| t[..1] == term[..1]) {
                terms.push(term);
            }
        }
        if !terms.iter().any(|t| t.starts_with('k')) {
            terms.push("k ASC");
        }
        terms.join(", ")
    }
}

/// The group-bys of the statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// International students per nationality (a country code).
    StudentsByNationality,
    /// Partner organizations per country (a code).
    PartnersByCountry,
    /// Agreements signed by the date, per kind.
    AgreementsByKind,
    /// Agreements per status (all agreements: drafts have no signing date).
    AgreementsByStatus,
    /// Agreements signed by the date, per year of signing.
    AgreementsByYear,
    /// Programs running on the date, per kind.
    ProgramsByKind,
    /// Joint units open on the date, per year of establishment.
    JointUnitsByYear,
}

/// The year of a date column, as text, on both backends.
fn year_of(column: &str) -> String {
    format!("SUBSTR(CAST({column} AS TEXT), 1, 4)")
}

/// A group-by's rows: `k` (the key as text; fixed-width codes may carry
/// their padding) and `n`, cut and ordered by `cut`.
pub fn groups_sql(grouping: Grouping, as_of: NaiveDate, cut: &Cut) -> Sql {
    let inner = match grouping {
        Grouping::StudentsByNationality => {
            format!("SELECT nationality AS k FROM ({INTERNATIONAL_STUDENTS}) x")
        }
        Grouping::PartnersByCountry => format!("SELECT country_code AS k FROM ({PARTNERS}) x"),
        Grouping::AgreementsByKind => {
            "SELECT kind AS k FROM agreements WHERE signed_on <= $1".into()
        }
        Grouping::AgreementsByStatus => "SELECT status AS k FROM agreements".into(),
        Grouping::AgreementsByYear => format!(
            "SELECT {} AS k FROM agreements WHERE signed_on <= $1",
            year_of("signed_on")
        ),
        Grouping::ProgramsByKind => {
            format!("SELECT kind AS k FROM programs WHERE {PROGRAM_RUNNING}")
        }
        Grouping::JointUnitsByYear => format!(
            "SELECT {} AS k FROM joint_units WHERE {UNIT_OPEN}",
            year_of("established_on")
        ),
    };
    let values = if grouping == Grouping::AgreementsByStatus {
        Vec::new()
    } else {
        vec![as_of.into()]
    };
    Sql::new(
        format!(
            "SELECT k, COUNT(*) AS n FROM ({inner}) g WHERE k IS NOT NULL
             GROUP BY k ORDER BY {} LIMIT {}",
            cut.order_by(),
            cut.first
        ),
        values,
    )
}

/// Partner organizations and their countries: one row, `n` and `d`.
pub fn partners_sql(as_of: NaiveDate) -> Sql {
    Sql::new(
        format!("SELECT COUNT(*) AS n, COUNT(DISTINCT country_code) AS d FROM ({PARTNERS}) x"),
        vec![as_of.into()],
    )
}

pub fn collaborative_programs_sql(as_of: NaiveDate) -> Sql {
    Sql::new(
        format!(
            "SELECT COUNT(*) FROM programs WHERE agreement_id IS NOT NULL AND {PROGRAM_RUNNING}"
        ),
        vec![as_of.into()],
    )
}

/// International students and their nationalities: one row, `n` and `d`.
pub fn international_students_sql(as_of: NaiveDate) -> Sql {
    Sql::new(
        format!(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT nationality) AS d FROM ({INTERNATIONAL_STUDENTS}) x"
        ),
        vec![as_of.into()],
    )
}

pub fn joint_units_sql(as_of: NaiveDate) -> Sql {
    Sql::new(
        format!("SELECT COUNT(*) FROM joint_units WHERE {UNIT_OPEN}"),
        vec![as_of.into()],
    )
}

/// `round(100 × (units at as_of − units on since_year-12-31) / units then)`
/// (halves away from zero); null when there were no units then.
pub fn joint_units_growth_percent_sql(as_of: NaiveDate, since_year: i32) -> Result<Sql> {
    let Some(base_date) = NaiveDate::from_ymd_opt(since_year, 12, 31) else {
        return Err(crate::Error::bad_input(
            "sinceYear",
            "`sinceYear` is not a valid year",
        ));
    };
    let then = UNIT_OPEN.replace("$1", "$2");
    Ok(Sql::new(
        format!(
            "SELECT CASE WHEN b = 0 THEN NULL ELSE CAST(round(100.0 * (n - b) / b) AS BIGINT) END
             FROM (SELECT (SELECT COUNT(*) FROM joint_units WHERE {UNIT_OPEN}) AS n,
                          (SELECT COUNT(*) FROM joint_units WHERE {then}) AS b) t"
        ),
        vec![as_of.into(), base_date.into()],
    ))
}

pub fn english_taught_majors_sql(as_of: NaiveDate) -> Sql {
    Sql::new(
        format!(
            "SELECT COUNT(*) FROM programs WHERE kind = 'degree_major' AND language_code = 'en' AND {PROGRAM_RUNNING}"
        ),
        vec![as_of.into()],
    )
}

pub fn visiting_experts_sql(year: i32) -> Result<Sql> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(crate::Error::bad_input(
            "year",
            "`year` is not a valid year",
        ));
    };
    Ok(Sql::new(
        "SELECT COUNT(DISTINCT person_id) FROM visits WHERE starts_on >= $1 AND starts_on <= $2",
        vec![from.into(), to.into()],
    ))
}
