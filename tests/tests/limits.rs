//! Limits: each triggers with LIMIT_EXCEEDED (or BAD_USER_INPUT) and a clear
//! message, and a request just under it passes.

use e2e::{TestServer, error_codes};
use serde_json::json;

#[tokio::test]
async fn query_complexity_counts_page_sizes() {
    // countries(first: n) { nodes { code } } costs 2 + n: one for
    // `countries`, one for `nodes`, and one `code` per row.
    let server = TestServer::start_with(false, |c| c.max_complexity = 101).await;
    let under = server
        .post("{ countries(first: 99) { nodes { code } } }", json!({}))
        .await;
    assert!(under.get("errors").is_none(), "{under}");
    let over = server
        .post("{ countries(first: 100) { nodes { code } } }", json!({}))
        .await;
    assert_eq!(error_codes(&over), vec!["LIMIT_EXCEEDED".to_owned()]);
    assert!(
        over["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("complex")
    );
    assert!(over.get("data").is_none(), "nothing ran");
}

#[tokio::test]
async fn query_depth_is_limited() {
    let server = TestServer::start_with(false, |c| c.max_depth = 3).await;
    let under = server
        .post("{ countries(first: 1) { nodes { code } } }", json!({}))
        .await;
    assert!(under.get("errors").is_none(), "{under}");
    let over = server
        .post(
            "{ countries(first: 1) { nodes { organizations(first: 1) { nodes { name } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&over), vec!["LIMIT_EXCEEDED".to_owned()]);
    assert!(
        over["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("deep")
    );
}

#[tokio::test]
async fn page_size_cap_is_configurable() {
    let server = TestServer::start_with(false, |c| {
        c.page_size_max = 20;
        c.page_size_default = 10;
    })
    .await;
    let default = server
        .data("{ countries { nodes { code } } }", json!({}))
        .await;
    assert_eq!(
        default["countries"]["nodes"]
            .as_array()
            .expect("nodes")
            .len(),
        10
    );
    let under = server
        .data("{ countries(first: 20) { nodes { code } } }", json!({}))
        .await;
    assert_eq!(
        under["countries"]["nodes"].as_array().expect("nodes").len(),
        20
    );
    let over = server
        .post("{ countries(first: 21) { nodes { code } } }", json!({}))
        .await;
    assert_eq!(error_codes(&over), vec!["LIMIT_EXCEEDED".to_owned()]);
    assert_eq!(over["errors"][0]["extensions"]["field"], json!("first"));
}

#[tokio::test]
async fn batches_and_bodies_are_limited() {
    let server = TestServer::start_with(false, |c| c.max_batch = 3).await;
    let send = |body: serde_json::Value| {
        server
            .client
            .post(&server.url)
            .header("accept", "application/json")
            .json(&body)
            .send()
    };
    let op = json!({ "query": "{ __typename }" });
    let under = send(json!([op, op, op])).await.expect("send");
    assert_eq!(under.status(), 200);
    let answers: serde_json::Value = under.json().await.expect("json");
    assert_eq!(answers.as_array().expect("a batch answer").len(), 3);
    let over = send(json!([op, op, op, op])).await.expect("send");
    assert_eq!(over.status(), 400);
    let body: serde_json::Value = over.json().await.expect("json");
    assert_eq!(error_codes(&body), vec!["LIMIT_EXCEEDED".to_owned()]);

    // The body limit is 1 MiB.
    let padding = "x".repeat(1 << 20);
    let big = server
        .client
        .post(&server.url)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"query\":\"{{ __typename }}\",\"extensions\":{{\"pad\":\"{padding}\"}}}}"
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(big.status(), 413);
    let small = "x".repeat(1000);
    let ok = server
        .client
        .post(&server.url)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"query\":\"{{ __typename }}\",\"extensions\":{{\"pad\":\"{small}\"}}}}"
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn production_needs_a_strong_key_and_hides_introspection_and_graphiql() {
    use api::config::AppEnv;
    // Refused without a key, or with a short one.
    for secret in [None, Some("short-secret")] {
        let db = e2e::TestDb::new().await;
        let mut config = e2e::test_config(&db.url, false);
        config.app_env = AppEnv::Production;
        config.jwt_secret = secret.map(str::to_owned);
        let err = api::server::start(&config).await.err().expect("refused");
        assert!(err.to_string().contains("JWT_SECRET"), "{err}");
    }
    // With the test secret (long enough): introspection and GraphiQL are off.
    let server = TestServer::start_with(false, |c| c.app_env = AppEnv::Production).await;
    let body = server
        .post("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert!(
        body["data"]["__schema"].is_null() || body.get("errors").is_some(),
        "{body}"
    );
    let page = server
        .client
        .get(format!("{}/", server.base))
        .send()
        .await
        .expect("GET /");
    assert_eq!(page.status(), 404);
    let query = server
        .data("{ countries(first: 1) { nodes { code } } }", json!({}))
        .await;
    assert_eq!(query["countries"]["nodes"][0]["code"], json!("AD"));
    // Development answers introspection.
    let dev = TestServer::empty().await;
    let body = dev
        .data("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(body["__schema"]["queryType"]["name"], json!("Query"));
}

#[tokio::test]
async fn allow_list_mode_runs_only_persisted_operations() {
    use sha2::Digest;
    let listed = "{ countries(first: 1) { nodes { code } } }";
    let hash = format!("{:x}", sha2::Sha256::digest(listed.as_bytes()));
    let path = std::env::temp_dir().join(format!(
        "persisted-{}-{}.json",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::write(&path, json!({ hash.clone(): listed }).to_string()).expect("write the list");
    let file = path.clone();
    let server =
        TestServer::start_with(false, move |c| c.persisted_operations_file = Some(file)).await;

    let by_text = server.post(listed, json!({})).await;
    assert_eq!(
        by_text["data"]["countries"]["nodes"][0]["code"],
        json!("AD")
    );
    let send = |body: serde_json::Value| server.client.post(&server.url).json(&body).send();
    let by_hash: serde_json::Value =
        send(json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
    assert_eq!(
        by_hash["data"]["countries"]["nodes"][0]["code"],
        json!("AD")
    );
    let other = send(json!({ "query": "{ countries(first: 2) { nodes { code } } }" }))
        .await
        .expect("send");
    assert_eq!(other.status(), 403);
    let body: serde_json::Value = other.json().await.expect("json");
    assert_eq!(error_codes(&body), vec!["FORBIDDEN".to_owned()]);

    // A list whose hash does not match its text stops start-up, naming the variable.
    std::fs::write(&path, json!({ "00ff": listed }).to_string()).expect("write");
    let db = e2e::TestDb::new().await;
    let mut config = e2e::test_config(&db.url, false);
    config.persisted_operations_file = Some(path.clone());
    let err = api::server::start(&config).await.err().expect("refused");
    assert!(
        err.to_string().contains("PERSISTED_OPERATIONS_FILE"),
        "{err}"
    );
    let _ = std::fs::remove_file(&path);
}

/// The statement timeout is a PostgreSQL session setting (`statement_timeout`);
/// SQLite has no equivalent, so this test does its work in the PostgreSQL pass
/// of the suite (`.ci/run` runs both) and says so on SQLite.
#[tokio::test]
async fn statement_timeout_stops_a_slow_statement() {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    let server = TestServer::start_with(true, |c| c.database_statement_timeout_secs = 1).await;
    if !server.db.is_postgres() {
        eprintln!("statement timeouts are PostgreSQL's; checked in the PostgreSQL pass");
        return;
    }
    let query = "{ students(first: 5) { totalCount nodes { fullName } } }";
    let under = server.post(query, json!({})).await;
    assert!(under.get("errors").is_none(), "{under}");

    // Hold a lock that makes every read of `students` wait.
    let db = server.db.connect().await;
    let txn = db.begin().await.expect("begin");
    txn.execute_raw(Statement::from_string(
        txn.get_database_backend(),
        "LOCK TABLE students IN ACCESS EXCLUSIVE MODE",
    ))
    .await
    .expect("lock");
    // Without the timeout this request would wait for the lock forever.
    let over = server.post(query, json!({})).await;
    // Two root fields: one statement, which fails once; the error is at
    // each root field, not read again field by field (waiting twice).
    let two =
        "{ students(first: 5) { totalCount } more: students(first: 2) { nodes { fullName } } }";
    let before = server.statements();
    let both = server.post(two, json!({})).await;
    let ran = server.statements() - before;
    txn.rollback().await.expect("rollback");

    assert_eq!(
        error_codes(&over),
        vec!["LIMIT_EXCEEDED".to_owned()],
        "{over}"
    );
    assert_eq!(ran, 1, "one statement for the operation: {both}");
    assert_eq!(
        error_codes(&both),
        ["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"],
        "{both}"
    );
    assert_eq!(both["errors"][0]["path"], json!(["students"]), "{both}");
    assert_eq!(both["errors"][1]["path"], json!(["more"]), "{both}");
    assert!(both["data"].is_null(), "non-null roots bubble: {both}");
    let message = over["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("statement timeout"), "{message}");
    assert!(
        !message.contains("canceling"),
        "no database text: {message}"
    );
    // With the lock gone the same request passes again.
    let after = server.post(query, json!({})).await;
    assert!(after.get("errors").is_none(), "{after}");
}

/// `DATABASE_RANDOM_PAGE_COST` is set on every connection of the server's
/// pool (`server` keeps the server's own): a PostgreSQL session setting, so
/// this test does its work in the PostgreSQL pass and says so on SQLite.
#[tokio::test]
async fn random_page_cost_is_set_on_every_connection() {
    let db = e2e::TestDb::new().await;
    if !db.is_postgres() {
        eprintln!("random_page_cost is PostgreSQL's; checked in the PostgreSQL pass");
        return;
    }
    let shown = |cost: Option<f64>| {
        let mut config = e2e::test_config(&db.url, false);
        config.database_random_page_cost = api::config::PageCost(cost);
        async move {
            let rows = on_three_connections(
                &config,
                "SELECT current_setting('random_page_cost') AS cost, pg_backend_pid() AS pid",
            )
            .await;
            let seen: Vec<(String, i32)> = rows
                .iter()
                .map(|row| {
                    (
                        row.try_get::<String>("", "cost").expect("text"),
                        row.try_get::<i32>("", "pid").expect("pid"),
                    )
                })
                .collect();
            let pids: std::collections::BTreeSet<i32> = seen.iter().map(|(_, pid)| *pid).collect();
            assert_eq!(pids.len(), 3, "three connections: {seen:?}");
            seen.into_iter().map(|(cost, _)| cost).collect::<Vec<_>>()
        }
    };
    assert_eq!(shown(Some(1.1)).await, ["1.1", "1.1", "1.1"]);
    assert_eq!(shown(Some(2.5)).await, ["2.5", "2.5", "2.5"]);
    // The server's own setting (PostgreSQL's default unless configured).
    let server = shown(None).await;
    assert!(server.iter().all(|v| v == &server[0]), "{server:?}");
    assert_ne!(server[0], "2.5");
}

/// SQLite's counterpart: every connection of the pool reads the file
/// through a memory map of `SQLITE_MMAP_SIZE` (a nested read ran 1.3–1.5×
/// slower without).
#[tokio::test]
async fn sqlite_files_are_read_through_a_memory_map_on_every_connection() {
    let db = e2e::TestDb::new().await;
    if db.is_postgres() {
        eprintln!("mmap_size is SQLite's; checked in the SQLite pass");
        return;
    }
    let config = e2e::test_config(&db.url, false);
    for row in on_three_connections(&config, "PRAGMA mmap_size").await {
        let size = row.try_get_by_index::<i64>(0).expect("a size");
        assert_eq!(
            u64::try_from(size).ok(),
            Some(service::db::SQLITE_MMAP_SIZE)
        );
    }
}

/// `sql`'s row on each of three connections of the server's pool, held at
/// once (three transactions open together).
async fn on_three_connections(
    config: &api::config::Config,
    sql: &str,
) -> Vec<sea_orm::QueryResult> {
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    let (pool, _) = service::db::connect(&config.db()).await.expect("connect");
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(pool.begin().await.expect("begin"));
    }
    let mut rows = Vec::new();
    for txn in &open {
        let statement = Statement::from_string(txn.get_database_backend(), sql);
        let row = txn.query_one_raw(statement).await.expect("a statement");
        rows.push(row.expect("a row"));
    }
    rows
}

/// One object of an answer holds at most 200 keys (50 in an aggregate's
/// objects and a statistic's groups), each alias at most 63 characters:
/// past that the request is refused whole, `LIMIT_EXCEEDED` at the field
/// that goes over, over HTTP and WebSocket alike; at the bound it is answered.
#[tokio::test]
async fn objects_of_an_answer_are_bounded() {
    let server = TestServer::demo().await;
    let aliases =
        |n: usize, field: &str| -> String { (0..n).map(|i| format!("a{i}: {field} ")).collect() };
    let long = |n: usize| format!("{}: name", "a".repeat(n));
    let cases = [
        (
            "an object",
            format!(
                "{{ organizations(first: 2) {{ nodes {{ {} }} }} }}",
                aliases(200, "name")
            ),
            format!(
                "{{ organizations(first: 2) {{ nodes {{ {} }} }} }}",
                aliases(201, "name")
            ),
            "at most 200 fields",
        ),
        (
            "the root",
            format!("{{ {} }}", aliases(200, "__typename")),
            format!("{{ {} }}", aliases(201, "__typename")),
            "at most 200 fields",
        ),
        (
            "an alias",
            format!(
                "{{ organizations(first: 2) {{ nodes {{ {} }} }} }}",
                long(63)
            ),
            format!(
                "{{ organizations(first: 2) {{ nodes {{ {} }} }} }}",
                long(64)
            ),
            "at most 63 characters",
        ),
        (
            "an aggregate",
            format!(
                "{{ organizations {{ aggregate {{ min {{ {} }} }} }} }}",
                aliases(50, "foundedYear")
            ),
            format!(
                "{{ organizations {{ aggregate {{ min {{ {} }} }} }} }}",
                aliases(51, "foundedYear")
            ),
            "at most 50 fields",
        ),
        (
            "a statistic's group",
            format!(
                "{{ statistics(asOf: \"2024-04-03\") {{ studentsByNationality(first: 2) {{ {} }} }} }}",
                aliases(50, "count")
            ),
            format!(
                "{{ statistics(asOf: \"2024-04-03\") {{ studentsByNationality(first: 2) {{ {} }} }} }}",
                aliases(51, "count")
            ),
            "at most 50 fields",
        ),
    ];
    let mut socket = e2e::WsClient::connect(&server.url, json!({})).await;
    for (what, under, over, message) in cases {
        let body = server.post(&under, json!({})).await;
        assert!(body.get("errors").is_none(), "{what} at the bound: {body}");
        assert!(body["data"].is_object(), "{what} at the bound: {body}");
        let body = server.post(&over, json!({})).await;
        assert_eq!(error_codes(&body), ["LIMIT_EXCEEDED"], "{what}: {body}");
        let error = &body["errors"][0];
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{what}: {body}"
        );
        assert!(error["locations"][0]["line"].is_number(), "{what}: {body}");
        assert!(body["data"].is_null(), "{what}: nothing answered: {body}");

        socket.subscribe(what, &over).await;
        let reply = socket
            .next(std::time::Duration::from_secs(10))
            .await
            .expect("an answer");
        let errors = &reply["payload"]["errors"];
        let errors = if errors.is_array() {
            errors
        } else {
            &reply["payload"]
        };
        assert_eq!(
            errors[0]["extensions"]["code"], "LIMIT_EXCEEDED",
            "{what} over the socket: {reply}"
        );
        if reply["type"] == "next" {
            let end = socket
                .next(std::time::Duration::from_secs(10))
                .await
                .expect("complete");
            assert_eq!(end["type"], "complete", "{end}");
        }
    }
}
