//! Seeding and checking on SQLite and PostgreSQL.

use super::*;

/// Seeds a fresh database and checks everything; returns its snapshot.
pub(super) async fn seed_and_check(db: &DatabaseConnection) -> TestResult<Snapshot> {
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
pub(super) async fn check_new_ids(db: &DatabaseConnection) -> TestResult {
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
pub(super) fn with_database(base: &str, name: &str) -> TestResult<String> {
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
