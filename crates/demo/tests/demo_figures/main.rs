//! The demo data set against DESIGN.md: the Dashboard figures as of
//! 2024-04-03, computed here with plain SQL written from the document's
//! definitions (not from the seeder's code), the story's rows, and the
//! loader's promises (one transaction, refuses a second run, same rows every
//! time and on both backends).
//!
//! Runs on a fresh SQLite file; when `TEST_DATABASE_URL` names a PostgreSQL
//! server, also on a freshly created database there (dropped at the end).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

mod databases;
mod story;
use story::*;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const AS_OF: &str = "'2024-04-03'";

/// Partner organizations as of 2024-04-03 (DESIGN.md): non-home organizations
/// party to an agreement that is active on the date — status `active`, signed
/// by then, started by then, not ended before it — and that a home
/// organization is also party to.
const PARTNERS: &str = "
    SELECT DISTINCT o.id, o.country_code
    FROM organizations o
    JOIN agreement_parties p ON p.organization_id = o.id
    JOIN agreements a ON a.id = p.agreement_id
    WHERE NOT o.is_home
      AND a.status = 'active'
      AND a.signed_on <= '2024-04-03'
      AND (a.starts_on IS NULL OR a.starts_on <= '2024-04-03')
      AND (a.ends_on IS NULL OR a.ends_on >= '2024-04-03')
      AND EXISTS (
        SELECT 1 FROM agreement_parties hp
        JOIN organizations h ON h.id = hp.organization_id
        WHERE hp.agreement_id = a.id AND h.is_home)";

/// International students on 2024-04-03: enrolled (and within their dates),
/// of a nationality other than their host organization's country.
const INTERNATIONAL_STUDENTS: &str = "
    SELECT s.id, s.nationality
    FROM students s
    JOIN organizations h ON h.id = s.host_organization_id
    WHERE s.status = 'enrolled'
      AND s.enrolled_on <= '2024-04-03'
      AND (s.leaves_on IS NULL OR s.leaves_on > '2024-04-03')
      AND s.nationality <> h.country_code";

const TABLES: &[&str] = &[
    "organizations",
    "people",
    "events",
    "agreements",
    "agreement_parties",
    "agreement_fields",
    "programs",
    "students",
    "joint_units",
    "joint_unit_partners",
    "visits",
];

fn stmt(db: &DatabaseConnection, sql: &str) -> Statement {
    Statement::from_string(db.get_database_backend(), sql.to_owned())
}

async fn int(db: &DatabaseConnection, sql: &str) -> TestResult<i64> {
    let row = db
        .query_one_raw(stmt(db, sql))
        .await?
        .ok_or_else(|| format!("no row from {sql}"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

async fn texts(db: &DatabaseConnection, sql: &str) -> TestResult<Vec<String>> {
    let rows = db.query_all_raw(stmt(db, sql)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(
            row.try_get_by_index::<Option<String>>(0)?
                .unwrap_or_default(),
        );
    }
    Ok(out)
}

/// Rows of several text columns (cast to text in the SQL).
async fn rows(db: &DatabaseConnection, sql: &str, columns: usize) -> TestResult<Vec<Vec<String>>> {
    let result = db.query_all_raw(stmt(db, sql)).await?;
    let mut out = Vec::with_capacity(result.len());
    for row in result {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(
                row.try_get_by_index::<Option<String>>(i)?
                    .unwrap_or_default(),
            );
        }
        out.push(values);
    }
    Ok(out)
}

fn unique_name(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{prefix}_{}_{nanos}", std::process::id())
}

/// A fresh SQLite file, removed when dropped.
struct SqliteFile(PathBuf);

impl SqliteFile {
    fn new() -> Self {
        SqliteFile(std::env::temp_dir().join(format!("{}.db", unique_name("demo_figures"))))
    }

    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.0.display())
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

async fn fresh(url: &str) -> TestResult<DatabaseConnection> {
    // As the service connects: SQLite's name indexes use its collation.
    let db = Database::connect(service::db::options(url)).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// What must be identical between two seeded databases.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    counts: BTreeMap<&'static str, i64>,
    organizations: Vec<String>,
    people: Vec<String>,
    agreements: Vec<String>,
    students: Vec<String>,
}

async fn snapshot(db: &DatabaseConnection) -> TestResult<Snapshot> {
    let mut counts = BTreeMap::new();
    for table in TABLES {
        counts.insert(
            *table,
            int(db, &format!("SELECT COUNT(*) FROM {table}")).await?,
        );
    }
    Ok(Snapshot {
        counts,
        organizations: texts(db, "SELECT name FROM organizations ORDER BY id").await?,
        people: texts(db, "SELECT full_name FROM people ORDER BY id").await?,
        agreements: texts(
            db,
            "SELECT title || ' ' || status || ' ' || COALESCE(CAST(signed_on AS TEXT), '-') \
             FROM agreements ORDER BY id",
        )
        .await?,
        students: texts(
            db,
            "SELECT full_name || ' ' || nationality || ' ' || status FROM students ORDER BY id",
        )
        .await?,
    })
}

/// Joint units counting on `date`: `established_on <= date < closed_on`.
async fn joint_units_on(db: &DatabaseConnection, date: &str) -> TestResult<i64> {
    int(
        db,
        &format!(
            "SELECT COUNT(*) FROM joint_units \
             WHERE established_on <= {date} AND (closed_on IS NULL OR {date} < closed_on)"
        ),
    )
    .await
}

/// The figures the Dashboard shows, as this test computed them.
struct Figures {
    partner_organizations: i64,
    partner_countries: i64,
    collaborative_programs: i64,
    international_students: i64,
    student_countries: i64,
    joint_units: i64,
    joint_units_2020: i64,
    growth_percent: i64,
    english_taught_majors: i64,
    visiting_experts_2023: i64,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "partnerOrganizations {}, partnerCountries {}, collaborativePrograms {}, \
             internationalStudents {}, studentCountries {}, jointUnits {} ({} at the end of \
             2020, growth {}%), englishTaughtMajors {}, visitingExperts(2023) {}",
            self.partner_organizations,
            self.partner_countries,
            self.collaborative_programs,
            self.international_students,
            self.student_countries,
            self.joint_units,
            self.joint_units_2020,
            self.growth_percent,
            self.english_taught_majors,
            self.visiting_experts_2023,
        )
    }
}

async fn check_figures(db: &DatabaseConnection) -> TestResult<Figures> {
    // Partner organizations and countries.
    let partner_organizations = int(db, &format!("SELECT COUNT(*) FROM ({PARTNERS}) x")).await?;
    let partner_countries = int(
        db,
        &format!("SELECT COUNT(DISTINCT country_code) FROM ({PARTNERS}) x"),
    )
    .await?;
    assert_eq!(partner_organizations, 171, "partner organizations");
    assert_eq!(partner_countries, 38, "partner countries");
    let partner_country_list = texts(
        db,
        &format!("SELECT DISTINCT country_code FROM ({PARTNERS}) x ORDER BY country_code"),
    )
    .await?;
    for code in ["DE", "BG", "IE", "RU", "FR", "KZ"] {
        assert!(
            partner_country_list.iter().any(|c| c == code),
            "partner country {code}"
        );
    }
    assert!(
        !partner_country_list.iter().any(|c| c == "CN"),
        "no partner in CN"
    );
    let regions = int(
        db,
        &format!(
            "SELECT COUNT(DISTINCT c.region) FROM ({PARTNERS}) x \
             JOIN countries c ON c.code = x.country_code"
        ),
    )
    .await?;
    assert!(
        regions >= 12,
        "partner countries span the world ({regions} regions)"
    );
    let non_partners = int(
        db,
        &format!(
            "SELECT COUNT(*) FROM organizations \
             WHERE NOT is_home AND id NOT IN (SELECT id FROM ({PARTNERS}) x)"
        ),
    )
    .await?;
    assert!(
        (15..=25).contains(&non_partners),
        "non-partner organizations: {non_partners}"
    );
    // The definition matters: some of them are party to agreements that do not count.
    for condition in [
        "a.status IN ('expired', 'terminated')",
        "a.status IN ('draft', 'under_negotiation')",
        "a.status = 'active'",
    ] {
        let n = int(
            db,
            &format!(
                "SELECT COUNT(DISTINCT o.id) FROM organizations o \
                 JOIN agreement_parties p ON p.organization_id = o.id \
                 JOIN agreements a ON a.id = p.agreement_id \
                 WHERE NOT o.is_home AND {condition} \
                   AND o.id NOT IN (SELECT id FROM ({PARTNERS}) x)"
            ),
        )
        .await?;
        assert!(n > 0, "non-partners with agreements where {condition}");
    }
    assert_eq!(
        int(db, "SELECT COUNT(*) FROM organizations WHERE is_home").await?,
        1,
        "one home organization"
    );

    // Collaborative programs: tied to an agreement (and running on the date).
    let collaborative_programs = int(
        db,
        "SELECT COUNT(*) FROM programs WHERE agreement_id IS NOT NULL",
    )
    .await?;
    assert_eq!(collaborative_programs, 148, "collaborative programs");
    let running = int(
        db,
        &format!(
            "SELECT COUNT(*) FROM programs WHERE agreement_id IS NOT NULL \
             AND starts_on <= {AS_OF} AND (ends_on IS NULL OR ends_on > {AS_OF})"
        ),
    )
    .await?;
    assert_eq!(running, 148, "collaborative programs running on the date");
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM programs WHERE agreement_id IS NULL"
        )
        .await?
            > 0,
        "programs without an agreement"
    );

    // International students.
    let international_students = int(
        db,
        &format!("SELECT COUNT(*) FROM ({INTERNATIONAL_STUDENTS}) x"),
    )
    .await?;
    let student_countries = int(
        db,
        &format!("SELECT COUNT(DISTINCT nationality) FROM ({INTERNATIONAL_STUDENTS}) x"),
    )
    .await?;
    assert_eq!(international_students, 170, "international students");
    assert_eq!(student_countries, 27, "student countries");
    let nationalities = texts(
        db,
        &format!("SELECT DISTINCT nationality FROM ({INTERNATIONAL_STUDENTS}) x"),
    )
    .await?;
    for code in ["RU", "DE", "FR", "KZ"] {
        assert!(
            nationalities.iter().any(|c| c == code),
            "students from {code}"
        );
    }
    // Students that must not count are there.
    for (what, condition) in [
        (
            "home-country students",
            "s.status = 'enrolled' AND s.nationality = h.country_code",
        ),
        ("graduates", "s.status = 'graduated'"),
        ("withdrawn", "s.status = 'withdrawn'"),
        ("applicants", "s.status = 'applied'"),
        (
            "enrolled after the date",
            "s.status = 'enrolled' AND s.enrolled_on > '2024-04-03'",
        ),
    ] {
        let n = int(
            db,
            &format!(
                "SELECT COUNT(*) FROM students s JOIN organizations h \
                 ON h.id = s.host_organization_id WHERE {condition}"
            ),
        )
        .await?;
        assert!(n > 0, "{what}");
    }

    // Joint units and their growth since 2020.
    let joint_units = joint_units_on(db, AS_OF).await?;
    let joint_units_2020 = joint_units_on(db, "'2020-12-31'").await?;
    assert_eq!(joint_units, 20, "joint units");
    assert_eq!(joint_units_2020, 14, "joint units at the end of 2020");
    let growth = 100.0 * (joint_units - joint_units_2020) as f64 / joint_units_2020 as f64;
    let growth_percent = growth.round() as i64;
    assert_eq!(growth_percent, 43, "joint units growth since 2020");
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM joint_units WHERE closed_on < '2020-01-01'"
        )
        .await?
            > 0,
        "a unit closed before 2020"
    );
    assert!(
        int(
            db,
            &format!("SELECT COUNT(*) FROM joint_units WHERE established_on > {AS_OF}")
        )
        .await?
            > 0,
        "a unit established after the date"
    );
    assert_eq!(
        int(db, "SELECT COUNT(DISTINCT kind) FROM joint_units").await?,
        3,
        "laboratories, centers and practice bases"
    );
    assert_eq!(
        int(
            db,
            &format!(
                "SELECT COUNT(*) FROM joint_unit_partners \
                 WHERE organization_id NOT IN (SELECT id FROM ({PARTNERS}) x)"
            )
        )
        .await?,
        0,
        "joint unit partners are partner organizations"
    );

    // English-taught majors.
    let english_taught_majors = int(
        db,
        "SELECT COUNT(*) FROM programs WHERE kind = 'degree_major' AND language_code = 'en'",
    )
    .await?;
    assert_eq!(english_taught_majors, 6, "English-taught majors");
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM programs WHERE kind = 'degree_major' AND language_code = 'zh'"
        )
        .await?
            > 0,
        "majors taught in Chinese"
    );

    // Visiting experts in 2023: distinct people with a visit starting that year.
    let in_2023 = "starts_on >= '2023-01-01' AND starts_on <= '2023-12-31'";
    let visiting_experts_2023 = int(
        db,
        &format!("SELECT COUNT(DISTINCT person_id) FROM visits WHERE {in_2023}"),
    )
    .await?;
    assert_eq!(visiting_experts_2023, 74, "visiting experts in 2023");
    assert!(
        int(db, &format!("SELECT COUNT(*) FROM visits WHERE {in_2023}")).await?
            > visiting_experts_2023,
        "some experts visited twice in 2023"
    );
    assert!(
        int(
            db,
            &format!("SELECT COUNT(*) FROM visits WHERE NOT ({in_2023})")
        )
        .await?
            > 0,
        "visits in other years"
    );

    Ok(Figures {
        partner_organizations,
        partner_countries,
        collaborative_programs,
        international_students,
        student_countries,
        joint_units,
        joint_units_2020,
        growth_percent,
        english_taught_majors,
        visiting_experts_2023,
    })
}
