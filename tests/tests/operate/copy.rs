//! `api copy`: SQLite → PostgreSQL → SQLite of the demo data answers every
//! README and DESIGN example identically, keeps global ids, versions and the
//! audit log; a non-empty target, a target at another version and an
//! unreadable source are refused with nothing written. (Without PostgreSQL,
//! the middle hop is a second SQLite file.)

use e2e::{TestDb, TestServer};
use serde_json::{Value, json};

const EVERY_ID: &str = r#"query Ids {
  organizations(first: 100, orderBy: [{ field: NAME, direction: ASC }]) { nodes { id version } }
  agreements(first: 100) { nodes { id version parties { organization { id } } } }
  auditLog(first: 100) { totalCount nodes { at action entityType entityId before after actor { sub role } } }
}"#;

/// Every answer a server gives, as an admin and anonymously.
async fn answers(server: &TestServer) -> Vec<Value> {
    let variables = json!({ "id": e2e::global_id("Agreement", 1) });
    let mut out = Vec::new();
    for query in e2e::example_queries().into_iter().chain([EVERY_ID]) {
        out.push(server.post(query, variables.clone()).await);
        out.push(server.post_anonymous(query, variables.clone()).await);
    }
    out
}

/// A new, empty database on the backend of the middle hop.
async fn middle() -> TestDb {
    TestDb::new().await
}

async fn sqlite() -> TestDb {
    let path = std::env::temp_dir().join(format!(
        "e2e_copy_{}_{:08x}.db",
        std::process::id(),
        fastrand::u32(..)
    ));
    TestDb::sqlite_at(path)
}

async fn copy(from: &TestDb, to: &TestDb) -> Result<api::copy::Copied, String> {
    api::copy::copy(
        &from.url,
        &to.url,
        std::time::Duration::from_secs(5),
        &mut api::copy::Quiet,
    )
    .await
}

#[tokio::test]
async fn sqlite_to_postgres_and_back_answers_the_same_and_keeps_ids_and_the_audit_log() {
    let source = TestServer::start_on(sqlite().await, true, |_| {}).await;
    // Writes: rows with versions above 1, and entries in the audit log.
    let created = source
        .data(
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id version } } }",
            json!({ "i": { "fullName": "Copied Person", "email": "copied@example.org" } }),
        )
        .await;
    let person = created["createPerson"]["person"]["id"].clone();
    source
        .data(
            "mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { person { version } } }",
            json!({ "i": { "id": person, "version": 1, "title": "Dr." } }),
        )
        .await;
    let expected = answers(&source).await;
    let audit = &expected[expected.len() - 2]["data"]["auditLog"];
    assert_eq!(audit["totalCount"], 2, "{}", expected[expected.len() - 2]);

    let middle_db = middle().await;
    let copied = copy(&source.db, &middle_db)
        .await
        .expect("copy to the middle");
    assert_eq!(copied.tables.len(), service::copy::TABLES.len());
    assert!(copied.rows() > 1000, "{copied:?}");
    let middle = TestServer::start_on(middle_db, true, |_| {}).await;
    let seen = answers(&middle).await;
    for (i, (a, b)) in expected.iter().zip(&seen).enumerate() {
        assert_eq!(a, b, "answer {i} differs after the first copy");
    }
    // A new row continues after the copied ids.
    let next = middle
        .data(
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }",
            json!({ "i": { "fullName": "After the copy" } }),
        )
        .await;
    assert!(
        e2e::raw_id(&next["createPerson"]["person"]["id"]) > e2e::raw_id(&person),
        "{next}"
    );
    // A non-empty target is refused, and nothing is written.
    let before = service::copy::count(&middle.db.connect().await, "people")
        .await
        .expect("count");
    let refused = copy(&source.db, &middle.db).await.expect_err("not empty");
    assert!(refused.contains("is not empty"), "{refused}");
    let after = service::copy::count(&middle.db.connect().await, "people")
        .await
        .expect("count");
    assert_eq!(before, after);

    // And back, into a new SQLite file: the same answers again (the row
    // made in the middle included in the audit log).
    let back_db = sqlite().await;
    copy(&middle.db, &back_db).await.expect("copy back");
    let back = TestServer::start_on(back_db, true, |_| {}).await;
    let again = answers(&back).await;
    let middle_now = answers(&middle).await;
    for (i, (a, b)) in middle_now.iter().zip(&again).enumerate() {
        assert_eq!(a, b, "answer {i} differs after the copy back");
    }
}

#[tokio::test]
async fn unreadable_sources_and_targets_at_another_version_are_refused_with_nothing_written() {
    // A source that does not exist.
    let target = sqlite().await;
    let missing = std::env::temp_dir().join(format!("e2e_missing_{:08x}.db", fastrand::u32(..)));
    let missing = TestDb::sqlite_at(missing);
    let refused = copy(&missing, &target).await.expect_err("no source");
    assert!(refused.contains("does not exist"), "{refused}");
    assert!(
        !std::path::Path::new(
            target
                .url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap_or_default()
        )
        .exists()
    );

    // A source that is not this API's database.
    let stranger = sqlite().await;
    stranger
        .connect()
        .await
        .execute_unprepared("CREATE TABLE something (id INTEGER)")
        .await
        .expect("a table");
    let refused = copy(&stranger, &target).await.expect_err("a stranger");
    assert!(refused.contains("no database of this API"), "{refused}");

    // A target one migration behind.
    let source = TestServer::start_on(sqlite().await, true, |_| {}).await;
    let behind = middle().await;
    let db = behind.connect().await;
    use migration::MigratorTrait;
    migration::Migrator::up(&db, None).await.expect("migrate");
    let last = migration::Migrator::migrations()
        .last()
        .map(|m| m.name().to_owned())
        .expect("migrations");
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(&format!(
        "DELETE FROM seaql_migrations WHERE version = '{last}'"
    ))
    .await
    .expect("forget the last migration");
    let refused = copy(&source.db, &behind)
        .await
        .expect_err("another version");
    assert!(refused.contains("another migration version"), "{refused}");
    assert_eq!(
        service::copy::count(&db, "organizations")
            .await
            .expect("count"),
        0
    );
}
