//! Aliases, cursors, bodies, variables and names a client gets wrong or forges.

use super::*;

#[tokio::test]
async fn reserved_aliases_are_refused() {
    // Finding 6: response keys that would collide with the statement's own.
    let server = TestServer::demo().await;
    for query in [
        "{ organizations(first: 2) { nodes { __j1: name } } }",
        "{ __root: organizations(first: 2) { totalCount } }",
        "{ organizations(first: 2) { __position: totalCount } }",
    ] {
        let body = server.post_anonymous(query, json!({})).await;
        assert_eq!(
            error_codes(&body),
            vec!["BAD_USER_INPUT".to_owned()],
            "{query}: {body}"
        );
        assert!(
            body.get("data").is_none() || body["data"].is_null(),
            "{body}"
        );
    }
    // Names that only look alike still run.
    let body = server
        .post_anonymous(
            "{ organizations(first: 2) { nodes { _j1: name } } }",
            json!({}),
        )
        .await;
    assert!(
        body["data"]["organizations"]["nodes"][0]["_j1"]
            .as_str()
            .is_some(),
        "{body}"
    );
}

#[tokio::test]
async fn forged_cursors_are_bad_input() {
    // Finding 7.
    use base64::Engine;
    let server = TestServer::demo().await;
    let page = server
        .data(
            "{ organizations(first: 1, orderBy: [{ field: NAME }]) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = page["organizations"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("a cursor")
        .to_owned();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut decoded: Value =
        serde_json::from_slice(&engine.decode(&cursor).expect("base64")).expect("json");
    decoded["v"][0] = json!("nul\u{0}byte");
    let nul = engine.encode(decoded.to_string());
    decoded["v"][0] = json!("x".repeat(600_000));
    let huge = engine.encode(decoded.to_string());
    for (case, cursor) in [("NUL", nul), ("600 KB", huge)] {
        let body = server
            .post_anonymous(
                "query($c: String) { organizations(first: 1, after: $c, orderBy: [{ field: NAME }]) { nodes { id } } }",
                json!({ "c": cursor }),
            )
            .await;
        assert_eq!(
            error_codes(&body),
            vec!["BAD_USER_INPUT".to_owned()],
            "{case}: {body}"
        );
    }
}

#[tokio::test]
async fn a_trickling_body_is_cut_off() {
    // Finding 8.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = TestServer::start_with(false, |c| {
        c.request_body_timeout = Duration::from_secs(1);
    })
    .await;
    let mut socket = tokio::net::TcpStream::connect(server.running.addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{",
        server.running.addr
    );
    socket.write_all(head.as_bytes()).await.expect("write");
    let started = Instant::now();
    // A byte every three seconds: never enough for the server's patience.
    let mut answer = Vec::new();
    let read = async {
        loop {
            let mut buf = [0u8; 4096];
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("the server closed the connection");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_required_variable_given_null_is_a_request_error() {
    // Finding 10.
    let server = TestServer::demo().await;
    let query = "query($n: Int!) { organizations(first: $n) { nodes { id } } }";
    for variables in [json!({ "n": null }), json!({})] {
        let body = server.post_anonymous(query, variables.clone()).await;
        assert_eq!(
            error_codes(&body),
            vec!["BAD_USER_INPUT".to_owned()],
            "{variables}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], json!("$n"));
        assert!(body.get("data").is_none() || body["data"].is_null());
    }
}

#[tokio::test]
async fn the_errors_kept_are_the_first_in_answer_order() {
    // Finding 10: the same errors on every run, the first ones of the answer.
    let server = TestServer::start_with(true, |c| c.max_errors = 3).await;
    let partner = token(
        Role::Partner,
        Some(
            sql_ids(
                &server.db.connect().await,
                "SELECT id FROM organizations WHERE NOT is_home ORDER BY id LIMIT 1",
            )
            .await[0],
        ),
    );
    let query = "{ people(first: 20, orderBy: [{ field: ID }]) { nodes { id email } } }";
    let mut seen = None;
    for _ in 0..5 {
        let (_, body) = server.post_as(&partner, query, json!({})).await;
        let errors = body["errors"].as_array().expect("errors").clone();
        assert_eq!(errors.len(), 4, "{body:#}");
        let paths: Vec<Value> = errors[..3].iter().map(|e| e["path"].clone()).collect();
        // In answer order: increasing row indexes.
        let rows: Vec<u64> = paths
            .iter()
            .map(|p| p[2].as_u64().expect("a row index"))
            .collect();
        let mut sorted = rows.clone();
        sorted.sort_unstable();
        assert_eq!(rows, sorted, "{paths:?}");
        // The first refused row of the answer leads.
        let nodes = body["data"]["people"]["nodes"].as_array().expect("nodes");
        let first_null = nodes
            .iter()
            .position(|n| n["email"].is_null())
            .expect("a refused e-mail") as u64;
        assert_eq!(rows[0], first_null);
        match &seen {
            None => seen = Some(paths),
            Some(before) => assert_eq!(before, &paths),
        }
    }
}

#[tokio::test]
async fn a_thousand_subscribers_on_distinct_filters_cost_a_few_statements_a_write() {
    // Finding 10: one write, 1,000 subscribers, each with its own filter.
    let server = TestServer::demo().await;
    let admin = token(Role::Admin, None);
    let db = server.db.connect().await;
    let target = sql_ids(&db, "SELECT id FROM organizations ORDER BY id LIMIT 1").await[0];
    let mut sockets = Vec::new();
    for socket in 0..10 {
        let mut client = e2e::WsClient::connect_as(&server.url, &admin).await;
        for i in 0..100 {
            let n = socket * 100 + i;
            // Subscriber 0 listens for the city the write sets; the rest
            // for cities nobody has.
            let city = if n == 0 {
                "Checkville".to_owned()
            } else {
                format!("Nowhere {n}")
            };
            client
                .subscribe(
                    &format!("s{n}"),
                    &format!(
                        r#"subscription {{ organizationChanged(filter: {{ city: {{ eq: "{city}" }} }}) {{ change id }} }}"#
                    ),
                )
                .await;
        }
        sockets.push(client);
    }
    // Every feed runs (each distinct filter is its own feed).
    let mut feeds = 0;
    for _ in 0..100 {
        feeds = server.metric("graphql_subscription_feeds").await;
        if feeds >= 1000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(feeds, 1000);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let id = e2e::global_id("Organization", target);
    let version = server.version_of("Organization", &id).await;
    let before = server.statements();
    let updated = server
        .post(
            "mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { organization { id } } }",
            json!({ "i": { "id": id, "version": version, "city": "Checkville" } }),
        )
        .await;
    assert!(updated.get("errors").is_none(), "{updated}");
    // The one subscriber whose filter passes hears it.
    let event = sockets[0]
        .next(Duration::from_secs(20))
        .await
        .expect("the event");
    assert_eq!(event["id"], json!("s0"), "{event}");
    assert_eq!(
        event["payload"]["data"]["organizationChanged"]["change"],
        json!("UPDATED")
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let spent = server.statements() - before;
    eprintln!("one write with 1,000 subscribers: {spent} statements");
    assert!(
        spent <= 20,
        "one write with 1,000 subscribers ran {spent} statements"
    );
    // The others hear nothing.
    assert_eq!(
        sockets[1].next(Duration::from_millis(300)).await,
        Err(e2e::WsEnd::Silent)
    );
}

#[tokio::test]
async fn names_are_normalized_and_unique_alike_on_both_databases() {
    // Finding 9.
    let server = TestServer::empty().await;
    let create = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id name } } }";
    let org = |name: &str| json!({ "input": { "kind": "UNIVERSITY", "name": name, "countryCode": "DE" } });
    // Names made only of invisible characters are refused.
    for invisible in [
        "\u{3164}",
        "\u{2800}\u{2800}",
        "\u{ad}",
        "\u{200e}",
        "\u{115f}",
        "\u{200d}\u{200c}",
        "\u{e0041}\u{e0042}",
        " \u{3164} \u{2800} ",
    ] {
        let body = server.post(create, org(invisible)).await;
        assert_eq!(
            error_codes(&body),
            vec!["BAD_USER_INPUT".to_owned()],
            "{invisible:?}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], json!("name"));
    }
    // The name is stored normalized.
    let body = server
        .post(create, org("  Universita\u{308}t \u{200e} Leipzig "))
        .await;
    assert_eq!(
        body["data"]["createOrganization"]["organization"]["name"],
        json!("Universität Leipzig"),
        "{body}"
    );
    // What looks the same, or differs only in case, is the same name.
    for twin in [
        "Universität Leipzig",
        "Uni\u{ad}versität Leipzig",
        "Universita\u{308}t Leipzig",
        "Universität  Leipzig",
        "UNIVERSITÄT LEIPZIG",
        "universität leipzig",
    ] {
        let body = server.post(create, org(twin)).await;
        assert_eq!(
            error_codes(&body),
            vec!["CONFLICT".to_owned()],
            "{twin:?}: {body}"
        );
    }
    // Another name, or the same one in another country, is not.
    let body = server
        .post(create, org("Universität Leipzig Medizin"))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let body = server
        .post(
            create,
            json!({ "input": { "kind": "UNIVERSITY", "name": "UNIVERSITÄT LEIPZIG", "countryCode": "AT" } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let db = server.db.connect().await;
    let rows = sql_ids(
        &db,
        "SELECT id FROM organizations WHERE country_code = 'DE' AND name LIKE 'Universit%t Leipzig%'",
    )
    .await;
    assert_eq!(rows.len(), 2, "{rows:?}");
}

#[tokio::test]
async fn one_client_cannot_flush_the_persisted_queries_of_others() {
    // Finding 10: 1,100 registrations from one client.
    let server = TestServer::demo().await;
    let extension = |text: &str| {
        use sha2::{Digest, Sha256};
        let hash: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
    };
    let send = |token: Option<String>, body: Value| {
        let mut request = server.client.post(&server.url).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.expect("send");
            let json: Value = response.json().await.expect("json");
            json
        }
    };
    let staff = token(Role::Staff, None);
    let portal = "{ countries(first: 3) { nodes { code } } }";
    let first = send(
        Some(staff.clone()),
        json!({ "query": portal, "extensions": extension(portal) }),
    )
    .await;
    assert!(first.get("errors").is_none(), "{first}");
    // A document that does not validate is never remembered.
    let invalid = "{ countries(first: 1) { nodes { nope } } }";
    let refused = send(
        None,
        json!({ "query": invalid, "extensions": extension(invalid) }),
    )
    .await;
    assert_eq!(error_codes(&refused), vec!["BAD_USER_INPUT".to_owned()]);
    let unknown = send(None, json!({ "extensions": extension(invalid) })).await;
    assert_eq!(
        unknown["errors"][0]["message"],
        json!("PersistedQueryNotFound")
    );
    // An anonymous flood of distinct texts: each answers, few are kept.
    for i in 0..1_100 {
        let text = format!("{{ countries(first: 1) {{ nodes {{ code }} }} a{i}: __typename }}");
        let body = send(
            None,
            json!({ "query": text, "extensions": extension(&text) }),
        )
        .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let kept = send(None, json!({ "extensions": extension("{ countries(first: 1) { nodes { code } } a0: __typename }") })).await;
    assert!(
        kept.get("errors").is_none(),
        "the first of the flood is kept: {kept}"
    );
    let dropped = send(None, json!({ "extensions": extension("{ countries(first: 1) { nodes { code } } a1099: __typename }") })).await;
    assert_eq!(
        dropped["errors"][0]["message"],
        json!("PersistedQueryNotFound")
    );
    // The portal's query is still known, by hash alone.
    let again = send(Some(staff), json!({ "extensions": extension(portal) })).await;
    assert_eq!(again["data"], first["data"], "{again}");
}
