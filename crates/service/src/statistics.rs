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
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

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

const AGREEMENT_IN_FORCE: &str = "a.status = 'active' AND a.signed_on <= $1
    AND (a.starts_on IS NULL OR a.starts_on <= $1) AND (a.ends_on IS NULL OR a.ends_on >= $1)";

/// Partner organizations as of $1: `o` with its country.
///
/// The home organizations' ids are written into the statement: the home
/// university is party to nearly every agreement, and only a literal lets the
/// planner see that skew (a join on `is_home` makes PostgreSQL expect a handful
/// of rows and pick nested loops, several times slower at scale).
async fn partners_sql(db: &impl ConnectionTrait) -> Result<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM organizations WHERE is_home ORDER BY id",
        ))
        .await?;
    let ids = rows
        .iter()
        .map(|r| r.try_get_by_index::<i64>(0).map(|id| id.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let home = if ids.is_empty() {
        "NULL".to_owned()
    } else {
        ids.join(", ")
    };
    Ok(format!(
        "SELECT DISTINCT o.id, o.country_code FROM organizations o
         JOIN agreement_parties p ON p.organization_id = o.id
         JOIN agreements a ON a.id = p.agreement_id
         WHERE NOT o.is_home AND {AGREEMENT_IN_FORCE}
           AND EXISTS (SELECT 1 FROM agreement_parties hp
                       WHERE hp.agreement_id = a.id AND hp.organization_id IN ({home}))"
    ))
}

/// International students as of $1.
const INTERNATIONAL_STUDENTS: &str = "SELECT s.id, s.nationality FROM students s
    JOIN organizations h ON h.id = s.host_organization_id
    WHERE s.status = 'enrolled' AND s.enrolled_on <= $1
      AND (s.leaves_on IS NULL OR s.leaves_on > $1) AND s.nationality <> h.country_code";

const PROGRAM_RUNNING: &str = "starts_on <= $1 AND (ends_on IS NULL OR ends_on > $1)";

const UNIT_OPEN: &str = "established_on <= $1 AND (closed_on IS NULL OR $1 < closed_on)";

/// One row of a group-by: a key and how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupCount {
    pub key: String,
    pub count: u64,
}

/// Runs `sql` written with PostgreSQL placeholders (`$1`, …) on either backend.
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        // SQLite numbers its parameters `?1`, `?2`, …
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

async fn scalar(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<u64> {
    let row = db
        .query_one_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// A count and a count of distinct somethings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub count: u64,
    pub distinct: u64,
}

async fn pair(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<Totals> {
    let row = db
        .query_one_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    let (count, distinct): (i64, i64) = match row {
        Some(row) => (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
        None => (0, 0),
    };
    Ok(Totals {
        count: u64::try_from(count).unwrap_or(0),
        distinct: u64::try_from(distinct).unwrap_or(0),
    })
}

/// Which groups of a group-by, in which order: at most `first`, ordered by
/// `order` (empty: largest first); ties are broken by the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub first: u64,
    pub order: Vec<(GroupSort, Direction)>,
}

impl Cut {
    /// The `ORDER BY` of a group-by over `k` (the key) and `n` (the count).
    fn order_by(&self) -> String {
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

async fn groups(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    let sql = format!(
        "SELECT k, COUNT(*) AS n FROM ({sql}) g WHERE k IS NOT NULL
         GROUP BY k ORDER BY {} LIMIT {}",
        cut.order_by(),
        cut.first
    );
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter().map(group_row).collect()
}

fn group_row(row: &QueryResult) -> Result<GroupCount> {
    let key: String = row.try_get("", "k")?;
    let n: i64 = row.try_get("", "n")?;
    Ok(GroupCount {
        key: key.trim_end().to_owned(),
        count: u64::try_from(n).unwrap_or(0),
    })
}

/// The year of a date column, as text, on both backends.
fn year_of(column: &str) -> String {
    format!("SUBSTR(CAST({column} AS TEXT), 1, 4)")
}

/// Statistics are public (DESIGN.md: anonymous callers read them); the actor is
/// taken so that rules can narrow them without changing callers.
///
/// Partner organizations and their countries, in one statement.
pub async fn partners(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Totals> {
    let sql = format!(
        "SELECT COUNT(*), COUNT(DISTINCT country_code) FROM ({}) x",
        partners_sql(db).await?
    );
    pair(db, &sql, vec![as_of.into()]).await
}

pub async fn collaborative_programs(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<u64> {
    let sql = format!(
        "SELECT COUNT(*) FROM programs WHERE agreement_id IS NOT NULL AND {PROGRAM_RUNNING}"
    );
    scalar(db, &sql, vec![as_of.into()]).await
}

/// International students and their nationalities, in one statement.
pub async fn international_students(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Totals> {
    let sql =
        format!("SELECT COUNT(*), COUNT(DISTINCT nationality) FROM ({INTERNATIONAL_STUDENTS}) x");
    pair(db, &sql, vec![as_of.into()]).await
}

pub async fn joint_units(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM joint_units WHERE {UNIT_OPEN}");
    scalar(db, &sql, vec![as_of.into()]).await
}

/// `round(100 × (units at as_of − units on since_year-12-31) / units then)`;
/// `None` when there were no units then.
pub async fn joint_units_growth_percent(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    since_year: i32,
) -> Result<Option<i64>> {
    let Some(base_date) = NaiveDate::from_ymd_opt(since_year, 12, 31) else {
        return Err(crate::Error::bad_input(
            "sinceYear",
            "`sinceYear` is not a valid year",
        ));
    };
    let now = joint_units(db, as_of).await?;
    let base = joint_units(db, base_date).await?;
    if base == 0 {
        return Ok(None);
    }
    let (now, base) = (now as f64, base as f64);
    Ok(Some((100.0 * (now - base) / base).round() as i64))
}

pub async fn english_taught_majors(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<u64> {
    let sql = format!(
        "SELECT COUNT(*) FROM programs WHERE kind = 'degree_major' AND language_code = 'en' AND {PROGRAM_RUNNING}"
    );
    scalar(db, &sql, vec![as_of.into()]).await
}

pub async fn visiting_experts(db: &impl ConnectionTrait, year: i32) -> Result<u64> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(crate::Error::bad_input(
            "year",
            "`year` is not a valid year",
        ));
    };
    scalar(
        db,
        "SELECT COUNT(DISTINCT person_id) FROM visits WHERE starts_on >= $1 AND starts_on <= $2",
        vec![from.into(), to.into()],
    )
    .await
}

/// International students per nationality (country code), largest first.
pub async fn students_by_nationality(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    let sql = format!("SELECT nationality AS k FROM ({INTERNATIONAL_STUDENTS}) x");
    groups(db, &sql, vec![as_of.into()], cut).await
}

/// Partner organizations per country (code), largest first.
pub async fn partners_by_country(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    let sql = format!(
        "SELECT country_code AS k FROM ({}) x",
        partners_sql(db).await?
    );
    groups(db, &sql, vec![as_of.into()], cut).await
}

/// Agreements signed on or before the date, per kind.
pub async fn agreements_by_kind(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    groups(
        db,
        "SELECT kind AS k FROM agreements WHERE signed_on <= $1",
        vec![as_of.into()],
        cut,
    )
    .await
}

/// Agreements per status (all agreements: drafts have no signing date).
pub async fn agreements_by_status(db: &impl ConnectionTrait, cut: &Cut) -> Result<Vec<GroupCount>> {
    groups(db, "SELECT status AS k FROM agreements", Vec::new(), cut).await
}

/// Agreements signed on or before the date, per year of signing.
pub async fn agreements_by_year(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    let sql = format!(
        "SELECT {} AS k FROM agreements WHERE signed_on <= $1",
        year_of("signed_on")
    );
    groups(db, &sql, vec![as_of.into()], cut).await
}

/// Programs running on the date, per kind.
pub async fn programs_by_kind(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    let sql = format!("SELECT kind AS k FROM programs WHERE {PROGRAM_RUNNING}");
    groups(db, &sql, vec![as_of.into()], cut).await
}

/// Joint units open on the date, per year of establishment.
pub async fn joint_units_by_year(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    cut: &Cut,
) -> Result<Vec<GroupCount>> {
    let sql = format!(
        "SELECT {} AS k FROM joint_units WHERE {UNIT_OPEN}",
        year_of("established_on")
    );
    groups(db, &sql, vec![as_of.into()], cut).await
}
