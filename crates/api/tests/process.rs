//! The real binary as a child process: a document that once overflowed a
//! worker's stack and aborted the whole process is refused and the process
//! lives on; SIGTERM stops it within the drain timeout while a request hangs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The binary, serving on a free port over `db`, until dropped.
struct Process {
    child: Child,
    base: String,
}

impl Process {
    fn start(db: &e2e::TestDb, env: &[(&str, &str)]) -> Process {
        Process::start_logging(db, env, Stdio::inherit())
    }

    /// Started with its log (standard error) going to `log`.
    fn start_logging(db: &e2e::TestDb, env: &[(&str, &str)], log: Stdio) -> Process {
        let mut command = Command::new(env!("CARGO_BIN_EXE_api"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &db.url)
            .env("HOST", "127.0.0.1")
            .env("PORT", "0")
            .env("WORKERS", "1")
            .env("DEMO_DATA", "false")
            .env("JWT_SECRET", e2e::TEST_JWT_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start the binary");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the binary prints where it listens")
                .expect("a line");
            if let Some(url) = line.strip_prefix("GraphQL API:") {
                break url.trim().trim_end_matches("/graphql").to_owned();
            }
        };
        // Keep reading so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Process { child, base }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nested(depth: usize, open: &str, close: &str) -> String {
    format!(
        "{{ organizations(filter: {}{{ name: {{ eq: \"x\" }} }}{}) {{ totalCount }} }}",
        open.repeat(depth),
        close.repeat(depth)
    )
}

#[tokio::test]
async fn the_crash_documents_leave_the_process_alive() {
    let db = e2e::TestDb::new().await;
    let mut process = Process::start(&db, &[]);
    let client = reqwest::Client::new();
    for (open, close) in [("{ not: ", " }"), ("{ or: [", "] }"), ("{ and: [", "] }")] {
        for depth in [175, 1_000, 20_000] {
            let response = client
                .post(format!("{}/graphql", process.base))
                .json(&json!({ "query": nested(depth, open, close) }))
                .send()
                .await
                .expect("an answer, not a dropped connection");
            let body: Value = response.json().await.expect("json");
            assert_eq!(
                body["errors"][0]["extensions"]["code"],
                json!("LIMIT_EXCEEDED"),
                "{body}"
            );
            assert!(process.alive(), "the process died at depth {depth}");
        }
    }
    let health = client
        .get(format!("{}/healthz", process.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    assert!(process.alive());
}

#[tokio::test]
async fn sigterm_stops_the_process_within_the_drain_timeout_while_a_request_hangs() {
    let db = e2e::TestDb::new().await;
    let mut process = Process::start(&db, &[("DRAIN_TIMEOUT", "2s"), ("REQUEST_TIMEOUT", "120s")]);
    // Hold a lock the request's write must wait for.
    let txn = db.block_writes().await;
    let token = admin_token();
    let url = format!("{}/graphql", process.base);
    let hanging = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .json(&json!({
                "query": "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }",
                "variables": { "i": { "kind": "COMPANY", "name": "Hanging GmbH", "countryCode": "DE" } }
            }))
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(process.alive());
    let started = Instant::now();
    process.terminate();
    loop {
        if !process.alive() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "still running {:?} after SIGTERM",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    hanging.abort();
    drop(txn);
}

fn admin_token() -> String {
    e2e::token(service::Role::Admin, None)
}

#[tokio::test]
async fn sigterm_lets_a_request_waiting_on_a_lock_finish_closes_websockets_and_exits_0() {
    let db = e2e::TestDb::new().await;
    let mut process = Process::start(&db, &[("DRAIN_TIMEOUT", "20s")]);
    let token = admin_token();
    let url = format!("{}/graphql", process.base);
    let mut socket = e2e::WsClient::connect_as(&url, &token).await;
    socket
        .subscribe("feed", "subscription { organizationChanged { id } }")
        .await;
    // Hold a lock the request's write must wait for.
    let txn = db.block_writes().await;
    let waiting = tokio::spawn({
        let url = url.clone();
        let token = token.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({
                    "query": "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { name } } }",
                    "variables": { "i": { "kind": "COMPANY", "name": "Drained GmbH", "countryCode": "DE" } }
                }))
                .send()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    process.terminate();
    // The socket hears it first: going away.
    let closed = socket.next(Duration::from_secs(5)).await;
    assert_eq!(closed, Err(e2e::WsEnd::Closed(1001)));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(process.alive(), "the request in flight is still draining");
    drop(txn);
    let response = waiting
        .await
        .expect("the request task")
        .expect("an answer, not a dropped connection");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["data"]["createOrganization"]["organization"]["name"], "Drained GmbH",
        "{body}"
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = process.child.try_wait().expect("wait") {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "still running");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status}");
}

#[tokio::test]
async fn json_logs_end_each_request_with_a_line_that_holds_its_id_and_no_values() {
    let db = e2e::TestDb::new().await;
    let dir = std::env::temp_dir().join(format!("partners-json-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a log folder");
    let path = dir.join("server.log");
    let file = std::fs::File::create(&path).expect("a log file");
    let mut process = Process::start_logging(
        &db,
        &[
            ("LOG_FORMAT", "json"),
            ("RUST_LOG", "info"),
            ("SLOW_STATEMENT_MS", "0"),
        ],
        Stdio::from(file),
    );
    let marker = format!("Marker{:08x}", std::process::id() ^ 0x0bad_cafe);
    let token = admin_token();
    let request_id = format!("req-{:08x}", fastrand_id());
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", process.base))
        .bearer_auth(&token)
        .header("x-request-id", &request_id)
        .json(&json!({
            "query": "query Find($s: String) { organizations(search: $s) { totalCount } }",
            "operationName": "Find",
            "variables": { "s": marker },
        }))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    process.terminate();
    let _ = process.child.wait();
    let log = std::fs::read_to_string(&path).expect("the log");
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(lines.len() >= 3, "{log}");
    for line in &lines {
        for key in ["timestamp", "level", "target", "message"] {
            assert!(line.get(key).is_some(), "no `{key}`: {line}");
        }
    }
    let ending: Vec<&Value> = lines
        .iter()
        .filter(|l| l["target"] == "api::request" && l["request_id"] == request_id.as_str())
        .collect();
    assert_eq!(ending.len(), 1, "{log}");
    let ending = ending[0];
    assert_eq!(ending["operation"], "Find");
    assert_eq!(ending["operation_type"], "query");
    assert_eq!(ending["role"], "admin");
    assert_eq!(ending["outcome"], "ok");
    assert_eq!(ending["status"], 200);
    assert!(ending["duration_ms"].as_f64().is_some(), "{ending}");
    assert!(
        ending["statements"].as_u64().is_some_and(|n| n >= 1),
        "{ending}"
    );
    for secret in [&marker, &token] {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds `{secret}`:\n{log}"
        );
    }
}

/// A request the receiver got: its path, content type and body.
type Received = (String, String, Vec<u8>);

/// A tiny OTLP/HTTP receiver: every request's path, content type and body.
struct Receiver {
    port: u16,
    got: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
}

impl Receiver {
    fn start() -> Receiver {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = std::sync::Arc::clone(&got);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let kept = std::sync::Arc::clone(&kept);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                    // Requests one after another on a kept-alive connection.
                    loop {
                        let mut head = String::new();
                        if reader.read_line(&mut head).unwrap_or(0) == 0 {
                            return;
                        }
                        let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                        let (mut length, mut kind) = (0usize, String::new());
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            let line = line.trim_end();
                            if line.is_empty() {
                                break;
                            }
                            if let Some((name, value)) = line.split_once(':') {
                                match name.to_ascii_lowercase().as_str() {
                                    "content-length" => length = value.trim().parse().unwrap_or(0),
                                    "content-type" => kind = value.trim().to_owned(),
                                    _ => {}
                                }
                            }
                        }
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).is_err() {
                            return;
                        }
                        kept.lock().expect("lock").push((path, kind, body));
                        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n";
                        if stream.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Receiver { port, got }
    }

    /// Whether a body received so far holds `bytes`.
    fn holds(&self, bytes: &[u8]) -> bool {
        self.got
            .lock()
            .expect("lock")
            .iter()
            .any(|(_, _, body)| body.windows(bytes.len()).any(|w| w == bytes))
    }
}

#[tokio::test]
async fn spans_go_over_otlp_and_continue_the_callers_trace() {
    let receiver = Receiver::start();
    let db = e2e::TestDb::new().await;
    let endpoint = format!("http://127.0.0.1:{}", receiver.port);
    let mut process = Process::start(
        &db,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    );
    let trace = format!("{:032x}", u128::from(fastrand_id()) << 64 | 0x5eed);
    let traceparent = format!("00-{trace}-00f067aa0ba902b7-01");
    let marker = format!("Marker{:08x}", fastrand_id());
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", process.base))
        .header("traceparent", &traceparent)
        .json(&json!({
            "query": "query Traced($s: String) { organizations(search: $s) { totalCount } }",
            "variables": { "s": marker },
        }))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), 200);
    let trace_bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&trace[2 * i..2 * i + 2], 16).expect("hex"))
        .collect();
    let started = Instant::now();
    while !(receiver.holds(&trace_bytes) && receiver.holds(b"db.query.text")) {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no span of trace {trace} arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    process.terminate();
    let _ = process.child.wait();
    let got = receiver.got.lock().expect("lock");
    for (path, kind, _) in got.iter() {
        assert_eq!(path, "/v1/traces");
        assert_eq!(kind, "application/x-protobuf");
    }
    let all: Vec<u8> = got.iter().flat_map(|(_, _, body)| body.clone()).collect();
    let holds = |needle: &[u8]| all.windows(needle.len()).any(|w| w == needle);
    assert!(holds(b"partnerships-api"), "the service's name");
    assert!(holds(b"Traced"), "the operation's name");
    assert!(holds(b"SELECT"), "a statement's text");
    assert!(!holds(marker.as_bytes()), "a variable's value was exported");
}

/// A number unlikely to repeat between runs.
fn fastrand_id() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    nanos ^ std::process::id()
}

#[tokio::test]
async fn the_log_holds_no_bound_values_tokens_or_personal_data() {
    let db = e2e::TestDb::new().await;
    let dir = std::env::temp_dir().join(format!("partners-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a log folder");
    let path = dir.join("server.log");
    let file = std::fs::File::create(&path).expect("a log file");
    // Every statement counts as slow: each is logged at WARN.
    let mut process = Process::start_logging(
        &db,
        &[("SLOW_STATEMENT_MS", "0"), ("RUST_LOG", "info")],
        Stdio::from(file),
    );
    let marker = format!("{:08x}", std::process::id() ^ 0x5eed_1234);
    let email = format!("private-{marker}@example.org");
    let name = format!("Privatperson {marker}");
    let token = admin_token();
    let client = reqwest::Client::new();
    let url = format!("{}/graphql", process.base);
    let send = |query: &str, variables: Value| {
        client
            .post(&url)
            .bearer_auth(&token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
    };
    let created: Value = send(
        "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id version } } }",
        json!({ "i": { "fullName": name, "email": email, "nationality": "DE" } }),
    )
    .await
    .expect("send")
    .json()
    .await
    .expect("json");
    let id = created["data"]["createPerson"]["person"]["id"].clone();
    assert!(id.is_string(), "{created}");
    let version = created["data"]["createPerson"]["person"]["version"].clone();
    let updated: Value = send(
        "mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { person { id } } }",
        json!({ "i": { "id": id, "version": version, "email": format!("new-{email}") } }),
    )
    .await
    .expect("send")
    .json()
    .await
    .expect("json");
    assert!(updated.get("errors").is_none(), "{updated}");
    let found: Value = send(
        "query($e: String, $s: String) { people(filter: { email: { eq: $e } }, search: $s) { totalCount } }",
        json!({ "e": format!("new-{email}"), "s": marker }),
    )
    .await
    .expect("send")
    .json()
    .await
    .expect("json");
    assert_eq!(found["data"]["people"]["totalCount"], json!(1), "{found}");
    process.terminate();
    let _ = process.child.wait();
    let log = std::fs::read_to_string(&path).expect("the log");
    let _ = std::fs::remove_dir_all(&dir);
    let slow = log.lines().filter(|l| l.contains("slow statement")).count();
    assert!(slow >= 5, "statements were logged: {slow} lines\n{log}");
    assert!(
        !log.contains("\u{1b}["),
        "no colour codes when the log is a file"
    );
    for secret in [&marker, &email, &token] {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds `{secret}`:\n{log}"
        );
    }
}

/// Runs `api ARGS` against `db`, with standard input closed (no terminal).
fn api(db: &e2e::TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_api"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("run the binary")
}

async fn organizations(db: &e2e::TestDb) -> usize {
    e2e::sql_ids(&db.connect().await, "SELECT id FROM organizations")
        .await
        .len()
}

#[tokio::test]
async fn migrations_drop_and_rebuild_a_database_holding_data() {
    let db = e2e::TestDb::new().await;
    let seeded = api(&db, &["seed", "--demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let summary = String::from_utf8_lossy(&seeded.stdout).to_string();
    assert!(
        summary.starts_with("loaded ") && summary.contains(" organizations, "),
        "{summary}"
    );
    assert!(!summary.contains("DemoSummary"), "{summary}");
    let rows = organizations(&db).await;
    assert!(rows > 100);

    // Destructive commands ask first; without a terminal they need --yes.
    for args in [
        &["migrate", "fresh"][..],
        &["migrate", "down", "--all"],
        &["migrate", "down"],
    ] {
        let refused = api(&db, args);
        assert!(!refused.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("--yes"),
            "{args:?}"
        );
        assert_eq!(organizations(&db).await, rows, "{args:?} changed nothing");
    }

    let fresh = api(&db, &["migrate", "fresh", "--yes"]);
    assert!(
        fresh.status.success(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );
    assert!(String::from_utf8_lossy(&fresh.stdout).contains("dropped every table"));
    assert_eq!(organizations(&db).await, 0);

    let seeded = api(&db, &["seed", "--demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let down = api(&db, &["migrate", "down", "--all", "--yes"]);
    assert!(
        down.status.success(),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(String::from_utf8_lossy(&down.stdout).contains("rolled back"));
    let up = api(&db, &["migrate", "up"]);
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    assert!(String::from_utf8_lossy(&up.stdout).contains("applied"));
    assert_eq!(organizations(&db).await, 0);
    // And the server starts on it.
    let mut process = Process::start(&db, &[]);
    assert!(process.alive());
}
