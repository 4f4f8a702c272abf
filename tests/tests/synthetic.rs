//! Synthetic data: the sizes asked for, well-formed, and the same every time.

use demo::synthetic::{self, Scale};
use e2e::{TestDb, sql_ids};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index(0).expect("a count")
}

#[tokio::test]
async fn small_scale_loads_the_asked_sizes_with_well_formed_rows() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    Migrator::up(&db, None).await.expect("migrate");
    let mut calls = 0;
    let summary = demo::synthetic(&db, Scale::Small, &mut |_, _| calls += 1)
        .await
        .expect("load");
    assert!(calls > 0, "progress is reported");
    let sizes = Scale::Small.sizes();
    for (table, expected) in [
        ("organizations", sizes.organizations),
        ("people", sizes.people),
        ("events", sizes.events),
        ("agreements", sizes.agreements),
        ("programs", sizes.programs),
        ("students", sizes.students),
        ("joint_units", sizes.joint_units),
        ("visits", sizes.visits),
    ] {
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
            expected as i64,
            "{table}"
        );
    }
    assert_eq!(summary.students, sizes.students as u64);
    // 2–4 parties with one lead, 1–3 fields per agreement.
    let bad_parties = count(&db, "SELECT COUNT(*) FROM agreements a WHERE
        (SELECT COUNT(*) FROM agreement_parties p WHERE p.agreement_id = a.id) NOT BETWEEN 2 AND 4
        OR (SELECT COUNT(*) FROM agreement_parties p WHERE p.agreement_id = a.id AND p.role = 'lead') <> 1").await;
    assert_eq!(bad_parties, 0);
    let bad_fields = count(
        &db,
        "SELECT COUNT(*) FROM agreements a WHERE
        (SELECT COUNT(*) FROM agreement_fields f WHERE f.agreement_id = a.id) NOT BETWEEN 1 AND 3",
    )
    .await;
    assert_eq!(bad_fields, 0);
    // A second load is refused and writes nothing.
    assert!(
        demo::synthetic(&db, Scale::Small, &mut |_, _| {})
            .await
            .is_err()
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM organizations").await,
        sizes.organizations as i64
    );
    // Later inserts without an id get fresh ids (PostgreSQL sequences were moved on).
    db.execute_unprepared("INSERT INTO countries (code, name) VALUES ('XX', 'Testland')")
        .await
        .expect("insert a country");
    db.execute_unprepared(
        "INSERT INTO organizations (kind, name, country_code, is_home) VALUES ('company', 'New Co', 'XX', false)",
    )
    .await
    .expect("insert without an id");
    let ids = sql_ids(&db, "SELECT id FROM organizations WHERE name = 'New Co'").await;
    assert_eq!(ids, vec![sizes.organizations as i64 + 1]);
}

#[test]
fn the_same_rows_every_time_and_large_is_the_asked_size() {
    let (a, b) = (
        synthetic::dataset(Scale::Small),
        synthetic::dataset(Scale::Small),
    );
    assert_eq!(a.organizations, b.organizations);
    assert_eq!(a.students, b.students);
    assert_eq!(a.agreement_parties, b.agreement_parties);
    let large = Scale::Large.sizes();
    assert_eq!(
        (
            large.organizations,
            large.people,
            large.events,
            large.agreements
        ),
        (10_000, 20_000, 500, 50_000)
    );
    assert_eq!(
        (
            large.programs,
            large.students,
            large.joint_units,
            large.visits
        ),
        (30_000, 200_000, 2_000, 20_000)
    );
}
