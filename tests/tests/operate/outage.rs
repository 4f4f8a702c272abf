//! PostgreSQL made unreachable under a request loop: every request is
//! answered within the acquire timeout, 503 with `Retry-After` and
//! `UNAVAILABLE` (none hangs, none is a 500), `/readyz` says 503, and the
//! same process serves again within 5 s of the database coming back.

use std::time::{Duration, Instant};

use e2e::{TestDb, TestServer};
use sea_orm::ConnectionTrait;

/// Runs `sql` as the server's administrator (outside the test database).
async fn admin(sql: &str) {
    let url = e2e::postgres_admin_url().expect("PostgreSQL");
    let db = sea_orm::Database::connect(url.as_str())
        .await
        .expect("connect as the administrator");
    db.execute_unprepared(sql).await.expect(sql);
    let _ = db.close().await;
}

/// The database name in a PostgreSQL URL.
fn database_name(url: &str) -> String {
    let path = url.rsplit('/').next().unwrap_or_default();
    path.split('?').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_unreachable_database_is_answered_503_and_the_process_recovers() {
    let db = TestDb::new().await;
    if !db.is_postgres() {
        // An embedded SQLite file cannot become unreachable; the suite's
        // PostgreSQL run (CI runs both) proves this.
        return;
    }
    let name = database_name(&db.url);
    let acquire = Duration::from_secs(2);
    let server = TestServer::start_on(db, true, |config| {
        config.database_acquire_timeout = acquire;
    })
    .await;
    let token = e2e::token(service::Role::Staff, None);
    let query = "{ organizations(first: 1) { nodes { name } } }";
    let (status, body) = server.post_as(&token, query, serde_json::json!({})).await;
    assert_eq!(status, 200, "{body}");

    // A request loop runs throughout: before, during and after the outage.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let looping = tokio::spawn({
        let client = server.client.clone();
        let url = server.url.clone();
        let stop = std::sync::Arc::clone(&stop);
        async move {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                let status = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .json(&serde_json::json!({ "query": query }))
                    .send()
                    .await
                    .map(|r| r.status().as_u16());
                seen.push((status.ok(), started.elapsed()));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            seen
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    admin(&format!(
        "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
    ))
    .await;
    admin(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .await;
    // A loop of requests while the database is away: each answered in time,
    // each a 503 with Retry-After and UNAVAILABLE (anonymous and with a
    // token, whose claims may need the database).
    let down = Instant::now();
    for i in 0..6 {
        let mut request = server
            .client
            .post(&server.url)
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json")
            .json(&serde_json::json!({ "query": query }));
        if i % 2 == 1 {
            request = request.bearer_auth(&token);
        }
        let started = Instant::now();
        let response = request.send().await.expect("an answer");
        let took = started.elapsed();
        assert!(
            took <= acquire + Duration::from_secs(1),
            "request {i} took {took:?}"
        );
        assert_eq!(response.status(), 503, "request {i}");
        let retry = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        assert!(retry.is_some_and(|s| s >= 1), "Retry-After: {retry:?}");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(
            e2e::error_codes(&body),
            vec!["UNAVAILABLE".to_owned()],
            "{body}"
        );
    }
    let ready = server
        .client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 503);
    assert!(down.elapsed() < Duration::from_secs(30));

    admin(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true")).await;
    let back = Instant::now();
    loop {
        let (status, body) = server.post_as(&token, query, serde_json::json!({})).await;
        if status == 200 && body.get("errors").is_none() {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "not serving {:?} after the database came back: {status} {body}",
            back.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ready = server
        .client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = looping.await.expect("the loop");
    // Every request of the loop was answered in time: 200 or 503, never
    // a 500, never a dropped connection.
    for (status, took) in &seen {
        assert!(matches!(status, Some(200 | 503)), "{seen:?}");
        assert!(*took <= acquire + Duration::from_secs(1), "{seen:?}");
    }
    assert!(seen.iter().any(|(s, _)| *s == Some(503)), "{seen:?}");
    assert!(
        seen.last().is_some_and(|(s, _)| *s == Some(200)),
        "{seen:?}"
    );
}
