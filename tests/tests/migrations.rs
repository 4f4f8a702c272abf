//! Migrations go up, all the way down, and up again on each backend.

use e2e::TestDb;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count rows")
        .expect("one row");
    row.try_get("", "n").expect("a count")
}

#[tokio::test]
async fn up_down_up_leaves_the_full_schema_and_reference_data() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;

    Migrator::up(&db, None).await.expect("first up");
    assert_eq!(count(&db, "countries").await, 249);
    assert_eq!(count(&db, "fields_of_study").await, 120);
    let applied = Migrator::get_applied_migrations(&db).await.expect("status");
    assert_eq!(applied.len(), Migrator::migrations().len());

    Migrator::down(&db, None).await.expect("down");
    assert!(
        Migrator::get_applied_migrations(&db)
            .await
            .expect("status")
            .is_empty()
    );
    let gone = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM organizations",
        ))
        .await;
    assert!(gone.is_err(), "tables must be dropped by down");

    Migrator::up(&db, None).await.expect("second up");
    assert_eq!(count(&db, "countries").await, 249);
    assert_eq!(count(&db, "organizations").await, 0);

    Migrator::fresh(&db).await.expect("fresh");
    assert_eq!(count(&db, "countries").await, 249);
    db.close().await.expect("close");
}

/// An organization written before identifiers existed (its ROR id in
/// `ror_id` alone, bare or as the URL) gets its ROR identifier, as a write
/// would have made it; one whose id another already holds keeps its row.
#[tokio::test]
async fn ror_ids_from_before_identifiers_become_identifiers() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    let before = Migrator::migrations().len() as u32 - 1;
    Migrator::up(&db, Some(before))
        .await
        .expect("up to the one before");
    let backend = db.get_database_backend();
    let run = |sql: &str| db.execute_raw(Statement::from_string(backend, sql.to_owned()));
    for (id, name, ror) in [
        (1, "Bare", "'02as5yg64'"),
        (2, "Url", "'https://ror.org/01g09ef73'"),
        (3, "Twin", "'01g09ef73'"),
        (4, "None", "NULL"),
    ] {
        run(&format!(
            "INSERT INTO organizations (id, kind, name, country_code, ror_id, is_home, version, created_at, updated_at)
             VALUES ({id}, 'university', '{name}', 'CN', {ror}, false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        .await
        .expect("an organization from before");
    }
    Migrator::up(&db, None).await.expect("the last migration");
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT organization_id AS id, value FROM organization_identifiers WHERE scheme = 'ror' ORDER BY organization_id",
        ))
        .await
        .expect("identifiers");
    let found: Vec<(i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "id").expect("id"),
                r.try_get("", "value").expect("value"),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (1, "https://ror.org/02as5yg64".to_owned()),
            (2, "https://ror.org/01g09ef73".to_owned()),
        ]
    );
    db.close().await.expect("close");
}
