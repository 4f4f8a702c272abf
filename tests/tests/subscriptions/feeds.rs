//! The figures' feed, shared feeds, lost notifications, read replicas and README's snippet.

use super::*;

#[tokio::test]
async fn the_figures_follow_writes_at_most_once_a_second() {
    let server = TestServer::demo().await;
    let mut client = subscriber(&server.url, None, "figures", r#"subscription { statisticsChanged(asOf: "2024-04-03") { partnerOrganizations jointUnits } }"#).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Events are read as they arrive, while the writes go on: an event left
    // waiting in the socket would be timed late, and the gap after it short.
    let reader = tokio::spawn(async move {
        let mut arrivals = Vec::new();
        let started = tokio::time::Instant::now();
        while let Ok(payload) = event(&mut client, "figures", Duration::from_millis(2500)).await {
            assert_eq!(
                payload,
                json!({ "data": { "statisticsChanged": { "partnerOrganizations": 171, "jointUnits": 20 } } })
            );
            arrivals.push(started.elapsed());
        }
        arrivals
    });
    let (org, mut version) = first_organization(&server).await;
    for city in ["One", "Two", "Three"] {
        version = set_city(&server, &org, version, city).await;
    }
    let arrivals = reader.await.expect("the events were as expected");
    assert!(!arrivals.is_empty(), "the writes move the figures' feed");
    assert!(
        arrivals.len() < 3,
        "three writes at once are coalesced: {arrivals:?}"
    );
    for pair in arrivals.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(900),
            "{arrivals:?}"
        );
    }
}

/// Statements a replica runs until `client` hears operation `id`'s next event.
pub(super) async fn statements_until_heard(
    replica: &e2e::Replica,
    server: &TestServer,
    clients: &mut [WsClient],
    org: &Value,
    version: i64,
    city: &str,
) -> u64 {
    let before = replica.running.stats.statements();
    set_city(server, org, version, city).await;
    for client in clients.iter_mut() {
        let payload = event(client, "o", DELIVERY)
            .await
            .expect("every subscriber hears it");
        assert_eq!(
            payload["data"]["organizationChanged"]["organization"]["city"],
            city
        );
    }
    replica.running.stats.statements() - before
}

#[tokio::test]
async fn a_replica_reads_a_changed_row_once_per_rule_set_not_per_subscriber() {
    let a = TestServer::demo().await;
    let b = a.replica().await;
    let (org, version) = first_organization(&a).await;
    let feed = "subscription { organizationChanged { id organization { city } } }";
    let staff = token(Role::Staff, None);

    let mut few = Vec::new();
    for _ in 0..2 {
        let client = subscriber(&b.url, Some(&staff), "o", feed).await;
        few.push(client);
    }
    let anonymous = subscriber(&b.url, None, "o", feed).await;
    few.push(anonymous);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let with_few = statements_until_heard(&b, &a, &mut few, &org, version, "Few").await;

    let mut many = few;
    for _ in 0..10 {
        let client = subscriber(&b.url, Some(&staff), "o", feed).await;
        many.push(client);
        let client = subscriber(&b.url, None, "o", feed).await;
        many.push(client);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let with_many = statements_until_heard(&b, &a, &mut many, &org, version + 1, "Many").await;

    assert!(with_few > 0, "the replica reads the changed row");
    assert_eq!(
        with_many, with_few,
        "23 subscribers in two rule sets cost what 3 do"
    );
}

#[tokio::test]
async fn public_agreement_fields_reach_everyone_and_the_rest_is_refused_in_place() {
    let server = TestServer::demo().await;
    let mut anonymous = subscriber(
        &server.url,
        None,
        "a",
        "subscription { agreementChanged { change agreement { title status summary } } }",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let agreement = active_agreement(&server).await;
    set_status(&server, &agreement, "EXPIRED").await;
    let payload = event(&mut anonymous, "a", DELIVERY)
        .await
        .expect("anonymous hears agreements");
    assert_eq!(
        payload["data"]["agreementChanged"],
        json!({ "change": "STATUS_CHANGED", "agreement": { "title": agreement["title"], "status": "EXPIRED", "summary": null } })
    );
    assert_eq!(e2e::error_codes(&payload), ["FORBIDDEN"], "{payload}");
}

#[tokio::test]
async fn a_lost_notification_connection_is_told_as_resync() {
    let server = TestServer::demo().await;
    if !server.db.is_postgres() {
        // SQLite has no notification connection to lose: its changes travel
        // in-process. The PostgreSQL run of the suite (CI runs both) covers this.
        eprintln!("a_lost_notification_connection_is_told_as_resync: PostgreSQL only");
        return;
    }
    let mut client = subscriber(
        &server.url,
        None,
        "o",
        "subscription { organizationChanged { change id version } }",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let db = server.db.connect().await;
    let terminated = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
                .to_owned(),
        ))
        .await
        .expect("terminate the listener")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a count");
    assert_eq!(terminated, 1, "one listening connection per replica");
    let payload = event(&mut client, "o", Duration::from_secs(5))
        .await
        .expect("a resync");
    assert_eq!(
        payload["data"]["organizationChanged"]["change"], "RESYNC",
        "{payload}"
    );
    assert_eq!(
        payload["data"]["organizationChanged"]["version"],
        Value::Null
    );

    // The replica listens again: later writes are heard.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (org, version) = first_organization(&server).await;
    set_city(&server, &org, version, "Again").await;
    let payload = event(&mut client, "o", Duration::from_secs(5))
        .await
        .expect("heard again");
    assert_eq!(
        payload["data"]["organizationChanged"]["change"], "UPDATED",
        "{payload}"
    );
}

#[tokio::test]
async fn subscribers_asking_the_same_under_the_same_rules_share_one_feed() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let mut clients = Vec::new();
    for _ in 0..5 {
        let client = subscriber(&server.url, Some(&staff), "s", STUDENT_FEED).await;
        clients.push(client);
    }
    let mut anonymous = subscriber(&server.url, None, "s", STUDENT_FEED).await;
    let mut other = subscriber(
        &server.url,
        Some(&staff),
        "s",
        "subscription { studentChanged { id } }",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.metric("graphql_subscription_feeds").await, 3);
    assert_eq!(server.metric("graphql_change_listeners").await, 3);

    let [(_, student, version), _] = two_partners_students(&server).await;
    let renamed = rename_student(&server, student, version, "Shared Feed").await;
    assert!(renamed.get("errors").is_none(), "{renamed}");
    for client in &mut clients {
        let payload = event(client, "s", DELIVERY)
            .await
            .expect("each subscriber hears it");
        assert_eq!(
            payload["data"]["studentChanged"]["student"]["fullName"],
            "Shared Feed"
        );
    }
    let payload = event(&mut other, "s", DELIVERY)
        .await
        .expect("its own feed");
    assert_eq!(
        payload["data"]["studentChanged"]["id"],
        global_id("Student", student)
    );
    assert_eq!(anonymous.next(QUIET).await, Err(WsEnd::Silent));

    // A feed stops with its last subscriber.
    drop(clients);
    drop(other);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.metric("graphql_subscription_feeds").await, 1);
    assert_eq!(server.metric("graphql_change_listeners").await, 1);
}

#[tokio::test]
async fn with_a_read_replica_queries_read_there_and_writes_answer_from_the_primary() {
    let primary = TestServer::demo().await;
    if !primary.db.is_postgres() {
        // DATABASE_READ_URL is for PostgreSQL replicas (refused with SQLite);
        // the PostgreSQL run of the suite (CI runs both) covers this.
        eprintln!("with_a_read_replica_…: PostgreSQL only");
        return;
    }
    // A stand-in for a streaming replica: another database with the same
    // data, where one organization has another name.
    let replica = TestServer::demo().await;
    let (org, version) = first_organization(&primary).await;
    let id = e2e::raw_id(&org);
    let db = replica.db.connect().await;
    db.execute_unprepared(&format!(
        "UPDATE organizations SET name = 'Seen On The Replica' WHERE id = {id}"
    ))
    .await
    .expect("rename on the replica");

    let (primary_url, replica_url) = (primary.db.url.clone(), replica.db.url.clone());
    let server = TestServer::start_with(false, move |config| {
        config.database_url = primary_url;
        config.database_read_url = Some(replica_url);
    })
    .await;
    let read = server
        .data(
            "query($id: ID!) { node(id: $id) { ... on Organization { name } } }",
            json!({ "id": org }),
        )
        .await;
    assert_eq!(read["node"]["name"], "Seen On The Replica");
    let written = server
        .post(
            "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { name city } } }",
            json!({ "input": { "id": org, "version": version, "city": "Primary City" } }),
        )
        .await;
    let payload = &written["data"]["updateOrganization"]["organization"];
    assert_eq!(payload["city"], "Primary City", "{written}");
    assert_ne!(
        payload["name"], "Seen On The Replica",
        "the payload reads the primary"
    );
}

/// README's graphql-ws snippet, extracted from README and run as written
/// (its URL pointed at this server) by Node.js with the packages README
/// names: a staff token hears a student's rename.
#[tokio::test]
async fn readmes_graphql_ws_snippet_runs_on_node() {
    use std::io::BufRead;
    let server = TestServer::demo().await;
    let readme = include_str!("../../../README.md");
    let snippet = readme
        .split("```js\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("createClient"))
        .expect("README has a graphql-ws snippet");
    let addr = server.base.trim_start_matches("http://").to_owned();
    let snippet = snippet.replace("127.0.0.1:8000", &addr);
    assert!(snippet.contains(&addr), "the snippet names its server");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("apollo");
    e2e::npm_ci(&dir);
    let file = dir.join(format!("readme-feed-{}.mjs", std::process::id()));
    std::fs::write(&file, snippet).expect("write the snippet");
    let mut node = std::process::Command::new("node")
        .arg(&file)
        .env("TOKEN", token(Role::Staff, None))
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node is installed (Node.js 20+)");
    let stdout = node.stdout.take().expect("stdout");
    let (lines, printed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let [(_, student, mut version)] = {
        let [first, _] = two_partners_students(&server).await;
        [first]
    };
    // Rename until the subscriber, once connected, prints the event.
    let mut heard = None;
    for attempt in 0..20 {
        let renamed = rename_student(
            &server,
            student,
            version,
            &format!("Readme Reader {attempt}"),
        )
        .await;
        version = renamed["data"]["updateStudent"]["student"]["version"]
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .unwrap_or_else(|| panic!("renamed: {renamed}"));
        if let Ok(line) = printed.recv_timeout(Duration::from_millis(500)) {
            heard = Some(line);
            break;
        }
    }
    let _ = node.kill();
    let output = node.wait_with_output().expect("node ended");
    let _ = std::fs::remove_file(&file);
    let line = heard.unwrap_or_else(|| {
        panic!(
            "the snippet printed nothing; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let event: Value = serde_json::from_str(&line).expect("the snippet prints JSON");
    assert_eq!(event["change"], json!("UPDATED"), "{line}");
    assert_eq!(event["id"], json!(global_id("Student", student)), "{line}");
    assert!(
        event["student"]["fullName"]
            .as_str()
            .is_some_and(|n| n.starts_with("Readme Reader")),
        "{line}"
    );
}
