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

/// Agreements, parties, fields and programs are well formed.
async fn check_integrity(db: &DatabaseConnection) -> TestResult {
    let zero = [
        (
            "agreements with fewer than two parties or not exactly one lead",
            "SELECT COUNT(*) FROM agreements a WHERE \
             (SELECT COUNT(*) FROM agreement_parties p WHERE p.agreement_id = a.id) < 2 \
             OR (SELECT COUNT(*) FROM agreement_parties p \
                 WHERE p.agreement_id = a.id AND p.role = 'lead') <> 1",
        ),
        (
            "agreements without 1 to 3 fields",
            "SELECT COUNT(*) FROM agreements a WHERE \
             (SELECT COUNT(*) FROM agreement_fields f WHERE f.agreement_id = a.id) \
             NOT BETWEEN 1 AND 3",
        ),
        (
            "agreement fields that are not detailed (4-digit) codes",
            "SELECT COUNT(*) FROM agreement_fields WHERE LENGTH(field_code) <> 4",
        ),
        (
            "signatories who do not belong to their party",
            "SELECT COUNT(*) FROM agreement_parties p JOIN people s ON s.id = p.signatory_id \
             WHERE s.organization_id IS NULL OR s.organization_id <> p.organization_id",
        ),
        (
            "signed agreements without signatories",
            "SELECT COUNT(*) FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id \
             WHERE a.status IN ('active', 'expired', 'terminated') AND p.signatory_id IS NULL",
        ),
        (
            "programs without field, language or capacity",
            "SELECT COUNT(*) FROM programs WHERE field_code IS NULL OR capacity IS NULL \
             OR LENGTH(language_code) <> 2",
        ),
        (
            "joint units not hosted by the home university",
            "SELECT COUNT(*) FROM joint_units j JOIN organizations o \
             ON o.id = j.host_organization_id WHERE NOT o.is_home",
        ),
        (
            "people with the wrong nationality for their organization",
            "SELECT COUNT(*) FROM people p JOIN organizations o ON o.id = p.organization_id \
             WHERE p.nationality <> o.country_code",
        ),
    ];
    for (what, sql) in zero {
        assert_eq!(int(db, sql).await?, 0, "{what}");
    }
    assert_eq!(
        int(db, "SELECT COUNT(DISTINCT kind) FROM agreements").await?,
        6,
        "every agreement kind"
    );
    assert_eq!(
        int(db, "SELECT COUNT(DISTINCT status) FROM agreements").await?,
        5,
        "every agreement status"
    );
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM agreements a WHERE \
             (SELECT COUNT(*) FROM agreement_parties p WHERE p.agreement_id = a.id) > 2"
        )
        .await?
            > 0,
        "multi-party agreements"
    );
    let years = texts(
        db,
        "SELECT DISTINCT SUBSTR(CAST(signed_on AS TEXT), 1, 4) FROM agreements \
         WHERE signed_on IS NOT NULL",
    )
    .await?;
    assert!(
        years.len() >= 15,
        "signing dates spread over the years: {years:?}"
    );
    Ok(())
}

/// One of the story's agreements: `(id, status, event_id)`, found by a party
/// organization (name pattern), kind and signing date.
async fn story_agreement(
    db: &DatabaseConnection,
    organization: &str,
    kind: &str,
    signed_on: &str,
) -> TestResult<(i64, String, Option<i64>)> {
    let found = rows(
        db,
        &format!(
            "SELECT CAST(a.id AS TEXT), a.status, CAST(a.event_id AS TEXT) \
             FROM agreements a \
             JOIN agreement_parties p ON p.agreement_id = a.id \
             JOIN organizations o ON o.id = p.organization_id \
             WHERE o.name LIKE '{organization}' AND a.kind = '{kind}' \
               AND CAST(a.signed_on AS TEXT) LIKE '{signed_on}'"
        ),
        3,
    )
    .await?;
    assert_eq!(
        found.len(),
        1,
        "one {kind} with {organization} signed {signed_on}"
    );
    let row = found.first().ok_or("no agreement")?;
    let field = |i: usize| row.get(i).cloned().unwrap_or_default();
    let id = field(0).parse()?;
    let event = field(2);
    let event = if event.is_empty() {
        None
    } else {
        Some(event.parse()?)
    };
    Ok((id, field(1), event))
}

/// The parties of an agreement: `(organization, role, signatory, signatory title)`.
async fn parties(db: &DatabaseConnection, agreement: i64) -> TestResult<Vec<Vec<String>>> {
    rows(
        db,
        &format!(
            "SELECT o.name, p.role, s.full_name, s.title \
             FROM agreement_parties p \
             JOIN organizations o ON o.id = p.organization_id \
             LEFT JOIN people s ON s.id = p.signatory_id \
             WHERE p.agreement_id = {agreement} ORDER BY p.role, o.name"
        ),
        4,
    )
    .await
}

async fn fields(db: &DatabaseConnection, agreement: i64) -> TestResult<Vec<String>> {
    texts(
        db,
        &format!(
            "SELECT field_code FROM agreement_fields WHERE agreement_id = {agreement} \
             ORDER BY field_code"
        ),
    )
    .await
}

async fn check_story(db: &DatabaseConnection) -> TestResult {
    assert_eq!(
        int(
            db,
            "SELECT COUNT(*) FROM organizations WHERE is_home \
             AND name = 'Shanghai Polytechnic University' AND kind = 'university' \
             AND founded_year = 1960 AND city = 'Shanghai' AND country_code = 'CN' \
             AND short_name = 'SSPU' AND website IS NOT NULL AND description IS NOT NULL"
        )
        .await?,
        1,
        "Shanghai Polytechnic University"
    );

    // The 2024 Global Partnership Week and its activities.
    let week = int(
        db,
        "SELECT e.id FROM events e JOIN organizations o ON o.id = e.organizer_id \
         WHERE e.kind = 'partnership_week' AND e.starts_on = '2024-04-01' \
         AND e.ends_on = '2024-04-05' AND o.is_home",
    )
    .await?;
    let activity_kinds = texts(
        db,
        &format!("SELECT kind FROM events WHERE parent_event_id = {week}"),
    )
    .await?;
    let count = |kind: &str| activity_kinds.iter().filter(|k| *k == kind).count();
    assert!(count("academic_salon") >= 2, "academic salons");
    for kind in [
        "promotion_meeting",
        "matchmaking",
        "campus_tour",
        "signing_ceremony",
    ] {
        assert!(count(kind) >= 1, "{kind} during the week");
    }
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM events WHERE kind = 'partnership_week'"
        )
        .await?
            >= 2,
        "earlier partnership weeks"
    );

    // TechProtect: founder, research agreement of the week, decade-long teaching partnership.
    let kienle = rows(
        db,
        "SELECT p.title, p.nationality, o.kind, o.country_code, o.industry \
         FROM people p JOIN organizations o ON o.id = p.organization_id \
         WHERE p.full_name = 'Armin Kienle' AND o.name = 'TechProtect GmbH'",
        5,
    )
    .await?;
    assert_eq!(
        kienle,
        vec![vec![
            "Founder and Managing Director".to_owned(),
            "DE".to_owned(),
            "company".to_owned(),
            "DE".to_owned(),
            "Electronic waste recycling and IT asset disposition".to_owned(),
        ]],
        "Armin Kienle of TechProtect GmbH"
    );
    let (research, status, event) = story_agreement(
        db,
        "TechProtect GmbH",
        "cooperation_agreement",
        "2024-04-03",
    )
    .await?;
    assert_eq!(status, "active");
    assert_eq!(event, Some(week), "signed during the week");
    let research_parties = parties(db, research).await?;
    assert_eq!(research_parties.len(), 2);
    let lead = research_parties.first().ok_or("lead")?;
    assert_eq!(
        lead.first().map(String::as_str),
        Some("Shanghai Polytechnic University")
    );
    assert_eq!(lead.get(1).map(String::as_str), Some("lead"));
    assert!(lead.get(2).is_some_and(|s| !s.is_empty()), "SPU signatory");
    let partner = research_parties.get(1).ok_or("partner")?;
    assert_eq!(
        partner,
        &vec![
            "TechProtect GmbH".to_owned(),
            "partner".to_owned(),
            "Armin Kienle".to_owned(),
            "Founder and Managing Director".to_owned(),
        ]
    );
    let research_fields = fields(db, research).await?;
    for code in ["0521", "0712"] {
        assert!(
            research_fields.iter().any(|f| f == code),
            "e-waste field {code}"
        );
    }
    let (teaching, status, _) =
        story_agreement(db, "TechProtect GmbH", "teaching_partnership", "2014-%").await?;
    assert_eq!(status, "active", "the teaching partnership is still active");
    assert_eq!(
        int(
            db,
            &format!(
                "SELECT COUNT(*) FROM agreements WHERE id = {teaching} \
                 AND (ends_on IS NULL OR ends_on >= {AS_OF})"
            )
        )
        .await?,
        1
    );

    // The University of Rousse: MoU of the week.
    let (rousse, status, event) = story_agreement(
        db,
        "University of Rousse%",
        "memorandum_of_understanding",
        "2024-04-03",
    )
    .await?;
    assert_eq!(status, "active");
    assert_eq!(event, Some(week), "signed during the week");
    let rousse_parties = parties(db, rousse).await?;
    assert_eq!(rousse_parties.len(), 2);
    assert!(
        rousse_parties
            .iter()
            .all(|p| p.get(2).is_some_and(|s| !s.is_empty())),
        "both parties have signatories"
    );
    assert!(fields(db, rousse).await?.iter().any(|f| f == "0413"));
    assert_eq!(
        int(
            db,
            "SELECT COUNT(*) FROM organizations WHERE name LIKE 'University of Rousse%' \
             AND country_code = 'BG' AND city = 'Ruse' AND kind = 'university'"
        )
        .await?,
        1
    );

    // TU Dublin: signed the week before, not an agreement of the week.
    let (dublin, status, event) = story_agreement(
        db,
        "Technological University Dublin",
        "cooperation_agreement",
        "2024-03-26",
    )
    .await?;
    assert_eq!(status, "active");
    assert_ne!(event, Some(week));
    if let Some(event) = event {
        assert_eq!(
            int(
                db,
                &format!(
                    "SELECT COUNT(*) FROM events WHERE id = {event} \
                     AND kind = 'signing_ceremony' AND parent_event_id IS NULL"
                )
            )
            .await?,
            1,
            "the Dublin signing ceremony"
        );
    }
    assert_eq!(
        fields(db, dublin).await?,
        vec!["0612".to_owned(), "0613".to_owned()]
    );
    assert_eq!(parties(db, dublin).await?.len(), 2);
    assert_eq!(
        int(
            db,
            "SELECT COUNT(*) FROM organizations WHERE name = 'Technological University Dublin' \
             AND country_code = 'IE' AND city = 'Dublin'"
        )
        .await?,
        1
    );

    // The week's agreements are exactly the TechProtect and Rousse ones.
    let mut of_the_week = texts(
        db,
        &format!("SELECT CAST(id AS TEXT) FROM agreements WHERE event_id = {week} ORDER BY id"),
    )
    .await?;
    of_the_week.sort();
    let mut expected = vec![research.to_string(), rousse.to_string()];
    expected.sort();
    assert_eq!(of_the_week, expected, "agreements of the week");
    Ok(())
}

/// Seeds a fresh database and checks everything; returns its snapshot.
async fn seed_and_check(db: &DatabaseConnection) -> TestResult<Snapshot> {
    assert!(demo::is_empty(db).await?, "fresh database");
    let summary = demo::demo(db).await?;
    assert!(!demo::is_empty(db).await?);
    let figures = check_figures(db).await?;
    eprintln!("{:?} figures: {figures}", db.get_database_backend());
    check_integrity(db).await?;
    check_story(db).await?;
    let before = snapshot(db).await?;
    assert_eq!(
        Some(&i64::try_from(summary.organizations)?),
        before.counts.get("organizations")
    );
    assert_eq!(
        Some(&i64::try_from(summary.visits)?),
        before.counts.get("visits")
    );
    eprintln!("{:?} rows: {:?}", db.get_database_backend(), before.counts);

    // A second load is refused and writes nothing.
    assert!(demo::demo(db).await.is_err(), "second demo load");
    let after = snapshot(db).await?;
    assert_eq!(before, after, "nothing written by the refused load");
    Ok(before)
}

/// New rows without explicit ids get fresh ids after the seeded ones.
async fn check_new_ids(db: &DatabaseConnection) -> TestResult {
    let max = int(db, "SELECT MAX(id) FROM organizations").await?;
    db.execute_unprepared(
        "INSERT INTO organizations (kind, name, country_code) \
         VALUES ('company', 'Sequence Check Ltd', 'GB')",
    )
    .await?;
    let id = int(
        db,
        "SELECT id FROM organizations WHERE name = 'Sequence Check Ltd'",
    )
    .await?;
    assert!(id > max, "new id {id} after {max}");
    Ok(())
}

#[tokio::test]
async fn demo_data_on_sqlite() -> TestResult {
    let first = SqliteFile::new();
    let db = fresh(&first.url()).await?;
    let snapshot_a = seed_and_check(&db).await?;

    let second = SqliteFile::new();
    let other = fresh(&second.url()).await?;
    demo::demo(&other).await?;
    let snapshot_b = snapshot(&other).await?;
    assert_eq!(
        snapshot_a, snapshot_b,
        "two fresh databases get the same rows"
    );

    check_new_ids(&db).await?;
    db.close().await?;
    other.close().await?;
    Ok(())
}

/// `base` with its database name replaced by `name`.
fn with_database(base: &str, name: &str) -> TestResult<String> {
    let (url, query) = match base.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (base, None),
    };
    let scheme_end = url.find("://").map(|i| i + 3).ok_or("not a URL")?;
    let path_start = url[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(url.len());
    let mut out = format!("{}/{name}", &url[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

#[tokio::test]
async fn demo_data_on_postgres() -> TestResult {
    let Ok(server_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL run skipped");
        return Ok(());
    };
    let server = Database::connect(&server_url).await?;
    if server.get_database_backend() != DbBackend::Postgres {
        return Err("TEST_DATABASE_URL must name a PostgreSQL server".into());
    }
    let name = unique_name("demo_figures");
    server
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;

    let outcome = async {
        let db = fresh(&with_database(&server_url, &name)?).await?;
        let result = async {
            let on_postgres = seed_and_check(&db).await?;
            check_new_ids(&db).await?;
            // The same rows as on SQLite.
            let file = SqliteFile::new();
            let sqlite = fresh(&file.url()).await?;
            demo::demo(&sqlite).await?;
            let on_sqlite = snapshot(&sqlite).await?;
            sqlite.close().await?;
            assert_eq!(
                on_postgres, on_sqlite,
                "PostgreSQL and SQLite get the same rows"
            );
            TestResult::Ok(())
        }
        .await;
        db.close().await?;
        result
    }
    .await;

    server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await?;
    server.close().await?;
    outcome
}
