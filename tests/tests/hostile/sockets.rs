//! The WebSocket's doors and subscriptions under hostile use.

use super::*;

/// A file of persisted operations holding `listed`; its path.
pub(super) fn allow_list(listed: &str) -> std::path::PathBuf {
    use sha2::Digest;
    let hash = format!("{:x}", sha2::Sha256::digest(listed.as_bytes()));
    let path = std::env::temp_dir().join(format!(
        "persisted-ws-{}-{}.json",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::write(&path, json!({ hash: listed }).to_string()).expect("write the list");
    path
}

/// The `error` payload's first code for operation `id`, or what came instead.
pub(super) async fn ws_error(client: &mut e2e::WsClient, id: &str) -> Value {
    let message = client
        .next(Duration::from_secs(10))
        .await
        .expect("a message");
    assert_eq!(message["type"], json!("error"), "{message}");
    assert_eq!(message["id"], json!(id), "{message}");
    message["payload"][0].clone()
}

#[tokio::test]
async fn the_websocket_runs_only_persisted_operations_in_allow_list_mode() {
    // Finding 3.
    let listed = "{ countries(first: 1) { nodes { code } } }";
    let path = allow_list(listed);
    let file = path.clone();
    let server =
        TestServer::start_with(false, move |c| c.persisted_operations_file = Some(file)).await;
    let mut client = e2e::WsClient::connect(&server.url, json!({})).await;
    for (id, query) in [
        ("q", "{ countries(first: 2) { nodes { code } } }"),
        ("i", "{ __schema { types { name } } }"),
        ("s", "subscription { organizationChanged { change id } }"),
    ] {
        client.subscribe(id, query).await;
        let error = ws_error(&mut client, id).await;
        assert_eq!(error["extensions"]["code"], json!("FORBIDDEN"), "{error}");
    }
    // The listed operation runs, by text.
    client.subscribe("ok", listed).await;
    let next = client
        .next(Duration::from_secs(10))
        .await
        .expect("an answer");
    assert_eq!(next["type"], json!("next"), "{next}");
    assert_eq!(
        next["payload"]["data"]["countries"]["nodes"][0]["code"],
        json!("AD")
    );
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn configured_issuer_and_audience_are_required_claims() {
    // Finding 4.
    let server = TestServer::start_with(false, |c| {
        c.jwt_issuer = Some("https://id.example.org".to_owned());
        c.jwt_audience = Some("partners-api".to_owned());
    })
    .await;
    let now = jsonwebtoken::get_current_timestamp();
    let base = json!({ "sub": "a", "role": "staff", "exp": now + 600 });
    let with = |extra: Value| {
        let mut claims = base.clone();
        for (k, v) in extra.as_object().expect("claims") {
            claims[k] = v.clone();
        }
        signed(claims)
    };
    let cases = [
        ("neither", with(json!({})), 401),
        (
            "no aud",
            with(json!({ "iss": "https://id.example.org" })),
            401,
        ),
        ("no iss", with(json!({ "aud": "partners-api" })), 401),
        (
            "wrong iss",
            with(json!({ "iss": "https://evil.example", "aud": "partners-api" })),
            401,
        ),
        (
            "both",
            with(json!({ "iss": "https://id.example.org", "aud": "partners-api" })),
            200,
        ),
    ];
    for (case, token, status) in cases {
        let (got, body) = server
            .post_as(&token, "{ viewer { role } }", json!({}))
            .await;
        assert_eq!(got, status, "{case}: {body}");
    }
}

#[tokio::test]
async fn weak_secrets_stop_production_start_up() {
    // Finding 10: secrets of little entropy, and the documented placeholder.
    for secret in [
        " ".repeat(32),
        "a".repeat(64),
        "abababababababababababababababab".to_owned(),
        "change-me-to-32-or-more-random-bytes".to_owned(),
    ] {
        let db = e2e::TestDb::new().await;
        let mut config = e2e::test_config(&db.url, false);
        config.app_env = api::config::AppEnv::Production;
        config.jwt_secret = Some(secret.clone());
        let err = match api::server::start(&config).await {
            Ok(_) => panic!("production started with the secret {secret:?}"),
            Err(err) => err.to_string(),
        };
        assert!(err.contains("JWT_SECRET"), "{err}");
        assert!(err.contains("openssl rand -hex 32"), "{err}");
    }
    // A random one starts.
    let db = e2e::TestDb::new().await;
    let mut config = e2e::test_config(&db.url, false);
    config.app_env = api::config::AppEnv::Production;
    config.jwt_secret =
        Some("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned());
    assert!(api::server::start(&config).await.is_ok());
}

#[tokio::test]
async fn two_authorization_keys_in_connection_init_are_refused() {
    // Finding 10: one socket, two credentials.
    let server = TestServer::demo().await;
    let mut client = e2e::WsClient::open(&server.url, None).await;
    client
        .send(json!({ "type": "connection_init", "payload": {
            "authorization": format!("Bearer {}", token(Role::Staff, None)),
            "Authorization": format!("Bearer {}", token(Role::Admin, None)),
        } }))
        .await;
    assert_eq!(
        client.next(Duration::from_secs(5)).await,
        Err(e2e::WsEnd::Closed(4403))
    );
}

/// Opens a WebSocket upgrade with `headers`; the HTTP status of the answer.
pub(super) async fn upgrade_status(url: &str, headers: &[(&str, &str)]) -> u16 {
    let request = e2e::ws_request(url, headers);
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(err) => panic!("the upgrade failed: {err}"),
    }
}

#[tokio::test]
async fn the_upgrade_checks_origin_in_production_and_sockets_per_address() {
    // Finding 10 (Origin) and 2 (sockets without bound).
    let db = e2e::TestDb::new().await;
    let mut config = e2e::test_config(&db.url, false);
    config.app_env = api::config::AppEnv::Production;
    config.cors_origins = vec!["https://portal.example.org".to_owned()];
    config.ws_max_sockets_per_address = 2;
    let running = api::server::start(&config).await.expect("start");
    let url = format!("http://{}/graphql", running.addr);
    assert_eq!(
        upgrade_status(&url, &[("origin", "https://evil.example")]).await,
        403
    );
    assert_eq!(
        upgrade_status(&url, &[("origin", "https://portal.example.org")]).await,
        101
    );
    // Sockets per address: two stay open, the third is refused, and a
    // closed one frees its place (the sockets above close as they go).
    tokio::time::sleep(Duration::from_secs(1)).await;
    let first = e2e::WsClient::open(&url, None).await;
    let _second = e2e::WsClient::open(&url, None).await;
    assert_eq!(upgrade_status(&url, &[]).await, 429);
    drop(first);
    let mut freed = 0;
    for _ in 0..50 {
        freed = upgrade_status(&url, &[]).await;
        if freed == 101 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(freed, 101, "a closed socket gives its place back");
}

#[tokio::test]
async fn forbidden_subscription_filters_are_refused_and_hidden_writes_are_silent() {
    // Finding 5.
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let mut anonymous = e2e::WsClient::connect(&server.url, json!({})).await;
    anonymous
        .subscribe(
            "dob",
            r#"subscription { studentChanged(filter: { dateOfBirth: { lt: "2100-01-01" } }) { change id } }"#,
        )
        .await;
    let error = ws_error(&mut anonymous, "dob").await;
    assert_eq!(error["extensions"]["code"], json!("FORBIDDEN"), "{error}");
    // Subscriptions whose filters are allowed: anonymous on all students,
    // partner A on its own.
    let partner = sql_ids(
        &db,
        "SELECT home_organization_id AS id FROM students WHERE home_organization_id IS NOT NULL \
         GROUP BY home_organization_id ORDER BY count(*) DESC, home_organization_id LIMIT 1",
    )
    .await[0];
    anonymous
        .subscribe("all", "subscription { studentChanged { change id } }")
        .await;
    let mut own =
        e2e::WsClient::connect_as(&server.url, &token(Role::Partner, Some(partner))).await;
    own.subscribe(
        "mine",
        r#"subscription { studentChanged(filter: { fullName: { startsWith: "A" } }) { change id } }"#,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Staff change a student of another organization: neither hears a thing
    // (no event, no RESYNC).
    let other = sql_ids(
        &db,
        &format!(
            "SELECT id FROM students WHERE home_organization_id IS DISTINCT FROM {partner} ORDER BY id LIMIT 1"
        ),
    )
    .await[0];
    let student = e2e::global_id("Student", other);
    let version = server.version_of("Student", &student).await;
    let updated = server
        .post(
            "mutation($i: UpdateStudentInput!) { updateStudent(input: $i) { student { id } } }",
            json!({ "i": { "id": student, "version": version, "fullName": "Someone Else" } }),
        )
        .await;
    assert!(updated.get("errors").is_none(), "{updated}");
    assert_eq!(
        anonymous.next(Duration::from_secs(2)).await,
        Err(e2e::WsEnd::Silent)
    );
    assert_eq!(
        own.next(Duration::from_secs(1)).await,
        Err(e2e::WsEnd::Silent)
    );
}
