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
