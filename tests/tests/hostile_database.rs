//! Hostile requests that need real volumes ("every door guarded", finding
//! 1): relation filters and orders that would keep the database busy for
//! seconds, many of them at once, and requests that end while their
//! statements run. On PostgreSQL against the large synthetic data (seeded
//! once, see `e2e::large_postgres`), on SQLite against the demo data with
//! the bounds opened up. Alone in their binary and one at a time, so that the
//! database CPU measured is theirs.

use std::time::{Duration, Instant};

use e2e::{TestDb, TestServer, error_codes};
use serde_json::{Value, json};

/// One test at a time: each measures the database's CPU.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The 152-byte anonymous filter the issue found.
const EVERY_NONE_SOME: &str = r#"{ organizations(first:1, filter:{agreements:{every:{parties:{none:{organization:{agreements:{some:{title:{contains:"zzq"}}}}}}}}}) { nodes { id } } }"#;

/// A server on the large data (PostgreSQL) or the demo data (SQLite).
async fn server(tweak: impl FnOnce(&mut api::config::Config)) -> TestServer {
    match e2e::large_postgres().await {
        Some(db) => TestServer::start_on(db, false, tweak).await,
        None => TestServer::start_on(TestDb::new().await, true, tweak).await,
    }
}

/// CPU time of the processes that run the statements: PostgreSQL's server
/// processes, or this process (SQLite runs inside the server, here).
fn database_cpu(server: &TestServer) -> Duration {
    fn cpu_of(stat: &str) -> u64 {
        // Fields after the command (which may hold spaces): utime is the
        // 14th field of the line, stime the 15th.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let field = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        field(11) + field(12)
    }
    let ticks = if server.db.is_postgres() {
        std::fs::read_dir("/proc")
            .expect("/proc")
            .filter_map(Result::ok)
            .filter(|entry| {
                std::fs::read_to_string(entry.path().join("comm"))
                    .is_ok_and(|comm| comm.trim() == "postgres")
            })
            .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
            .map(|stat| cpu_of(&stat))
            .sum()
    } else {
        cpu_of(&std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat"))
    };
    // Linux counts in USER_HZ, 100 a second.
    Duration::from_millis(ticks * 10)
}

async fn post(server: &TestServer, query: &str, variables: Value) -> (Duration, Value) {
    let started = Instant::now();
    let response = server
        .client
        .post(&server.url)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("send");
    let body: Value = response.json().await.expect("a JSON answer");
    (started.elapsed(), body)
}

/// Answered with data, or refused with `LIMIT_EXCEEDED` naming `limit`.
fn answered_or_refused(body: &Value, limit: &str) {
    if body.get("errors").is_none() {
        assert!(body["data"].is_object(), "{body}");
        return;
    }
    assert_eq!(
        error_codes(body),
        vec!["LIMIT_EXCEEDED".to_owned()],
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["limit"],
        json!(limit),
        "{body}"
    );
}

fn aliased_count_orders(n: usize) -> String {
    let fields: Vec<String> = (0..n)
        .map(|i| {
            format!("o{i}: organizations(first: 1, orderBy: [{{ field: AGREEMENTS_COUNT }}]) {{ nodes {{ id }} }}")
        })
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn costly_filters_and_orders_are_answered_or_refused_at_once() {
    let _serial = SERIAL.lock().await;
    let server = server(|_| {}).await;
    let by_variable =
        "query($f: OrganizationFilter) { organizations(first: 1, filter: $f) { nodes { id } } }";
    let deep = json!({ "agreements": { "every": { "parties": { "none": { "organization": {
        "agreements": { "some": { "title": { "contains": "zzq" } } } } } } } } });
    let documents: Vec<(&str, String, Value)> = vec![
        ("the 152-byte filter", EVERY_NONE_SOME.to_owned(), json!({})),
        (
            "the same through a variable",
            by_variable.to_owned(),
            json!({ "f": deep }),
        ),
        (
            "`none` and `every` swapped",
            by_variable.to_owned(),
            json!({ "f": { "agreements": { "none": { "parties": { "every": { "organization": {
                "agreements": { "some": { "title": { "contains": "zzq" } } } } } } } } } }),
        ),
        (
            "under `not`, beside a cheap condition in `or`",
            by_variable.to_owned(),
            json!({ "f": { "or": [{ "name": { "eq": "x" } }, { "not": deep }] } }),
        ),
        (
            "three `some` hops",
            by_variable.to_owned(),
            json!({ "f": { "agreements": { "some": { "parties": { "some": { "organization": {
                "agreements": { "some": { "title": { "contains": "zzq" } } } } } } } } } }),
        ),
        (
            "two hops (priced within the bound: it runs)",
            by_variable.to_owned(),
            json!({ "f": { "agreements": { "every": { "parties": { "none": { "organization": {
                "countryCode": { "eq": "ZZ" } } } } } } } }),
        ),
        (
            "two hops, `some` of `every`",
            by_variable.to_owned(),
            json!({ "f": { "agreements": { "some": { "parties": { "every": { "organization": {
                "name": { "contains": "zzq" } } } } } } } }),
        ),
        (
            "25 aliased orders by a related count",
            aliased_count_orders(25),
            json!({}),
        ),
        (
            "3 aliased orders by a related count (it runs)",
            aliased_count_orders(3),
            json!({}),
        ),
    ];
    for (case, query, variables) in documents {
        let before = database_cpu(&server);
        let (took, body) = post(&server, &query, variables).await;
        let spent = database_cpu(&server).saturating_sub(before);
        answered_or_refused(&body, "MAX_DATABASE_WORK");
        assert!(
            took < Duration::from_secs(3),
            "{case}: answered in {took:?}"
        );
        assert!(
            spent < Duration::from_secs(3),
            "{case}: the database spent {spent:?} of CPU"
        );
    }
}

#[tokio::test]
async fn many_costly_requests_at_once_leave_room_for_another_client() {
    let _serial = SERIAL.lock().await;
    let server = server(|_| {}).await;
    let two_hops = r#"{ organizations(first: 1, filter: { agreements: { every: { parties: { none: { organization: { countryCode: { eq: "ZZ" } } } } } } }) { totalCount nodes { id } } }"#;
    let mut running = Vec::new();
    for i in 0..24 {
        let request = server
            .client
            .post(&server.url)
            .json(&json!({ "query": if i % 2 == 0 { EVERY_NONE_SOME } else { two_hops } }))
            .send();
        running.push(tokio::spawn(async move {
            let response = request.await.expect("send");
            response.json::<Value>().await.expect("json")
        }));
    }
    // Another client's trivial query, while the 24 are in flight.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (took, body) = post(
        &server,
        "{ countries(first: 1) { nodes { code } } }",
        json!({}),
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    eprintln!("the trivial query answered in {took:?}");
    assert!(
        took < Duration::from_secs(2),
        "the trivial query took {took:?}"
    );
    for task in running {
        let body = task.await.expect("the costly request finished");
        answered_or_refused(&body, "MAX_DATABASE_WORK");
    }
}

/// A statement that runs for many seconds once the bounds let it.
fn long_statement(server: &TestServer) -> String {
    if server.db.is_postgres() {
        EVERY_NONE_SOME.to_owned()
    } else {
        // SQLite runs relation filters as nested loops: three rounds of
        // agreements → parties → organization over the demo data.
        let mut filter = r#"{ name: { contains: "zzq" } }"#.to_owned();
        for _ in 0..3 {
            filter = format!(
                "{{ agreements: {{ some: {{ parties: {{ some: {{ organization: {filter} }} }} }} }} }}"
            );
        }
        format!("{{ organizations(first: 1, filter: {filter}) {{ nodes {{ id }} }} }}")
    }
}

/// Whether the database is running a statement of the server's: on
/// PostgreSQL, an active backend of its database; on SQLite, CPU spent by
/// this process over a second.
async fn busy(server: &TestServer) -> bool {
    if server.db.is_postgres() {
        let db = server.db.connect().await;
        let rows = e2e::sql_ids(
            &db,
            "SELECT pid::bigint AS id FROM pg_stat_activity WHERE datname = current_database() \
             AND state = 'active' AND pid <> pg_backend_pid()",
        )
        .await;
        let _ = db.close().await;
        !rows.is_empty()
    } else {
        let before = database_cpu(server);
        tokio::time::sleep(Duration::from_secs(1)).await;
        database_cpu(server).saturating_sub(before) > Duration::from_millis(300)
    }
}

#[tokio::test]
async fn statements_stop_when_their_request_ends() {
    let _serial = SERIAL.lock().await;
    let server = server(|c| {
        c.max_database_work = 1 << 50;
        c.max_filter_depth = 20;
        c.request_timeout = Duration::from_secs(2);
    })
    .await;
    let query = long_statement(&server);
    if server.db.is_postgres() {
        // Over TLS where the server offers it: there, closing a busy
        // connection cannot stop its statement, cancelling must.
        let tls = e2e::sql_ids(
            &server.db.connect().await,
            "SELECT 1::bigint AS id FROM pg_settings WHERE name = 'ssl' AND setting = 'on'",
        )
        .await;
        let ours = e2e::sql_ids(
            &server.db.connect().await,
            "SELECT 1::bigint AS id FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl",
        )
        .await;
        assert_eq!(ours, tls, "the server's connections use TLS when it is on");
    }
    // Timed out: the answer says so, and the statement stops with it.
    let (took, body) = post(&server, &query, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["limit"],
        json!("REQUEST_TIMEOUT"),
        "{body}"
    );
    assert!(took < Duration::from_secs(4), "{took:?}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        !busy(&server).await,
        "a statement still runs 2 s after its request timed out"
    );
    // Abandoned: a client that gives up after a second.
    let gave_up = server
        .client
        .post(&server.url)
        .timeout(Duration::from_secs(1))
        .json(&json!({ "query": query }))
        .send()
        .await;
    assert!(gave_up.is_err(), "the client gave up");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !busy(&server).await,
        "a statement still runs 3 s after its client left"
    );
    // The pool is whole: the server answers at once.
    let (took, body) = post(
        &server,
        "{ countries(first: 1) { nodes { code } } }",
        json!({}),
    )
    .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}
