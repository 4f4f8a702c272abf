//! Tokens, production settings and what a server discloses.

use super::*;

/// A token with the given claims, signed with the test secret.
pub(super) fn signed(claims: Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(e2e::TEST_JWT_SECRET.as_bytes()),
    )
    .expect("sign")
}

#[tokio::test]
async fn tokens_are_checked_beyond_their_signature() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let home = sql_ids(&db, "SELECT id FROM organizations WHERE is_home").await[0];
    let partner = sql_ids(
        &db,
        "SELECT id FROM organizations WHERE NOT is_home ORDER BY id",
    )
    .await[0];
    let now = jsonwebtoken::get_current_timestamp();
    let org = |id: i64| e2e::global_id("Organization", id);
    let query = "{ viewer { role } }";
    let send = |headers: Vec<String>| {
        let mut request = server
            .client
            .post(&server.url)
            .header("content-type", "application/json")
            .body(request(query, json!({})));
        for value in headers {
            request = request.header("authorization", value);
        }
        request.send()
    };
    let refused = [
        (
            "not yet valid",
            vec![format!(
                "Bearer {}",
                signed(json!({ "sub": "a", "role": "staff", "exp": now + 600, "nbf": now + 300 }))
            )],
        ),
        (
            "two headers",
            vec![
                format!("Bearer {}", token(Role::Staff, None)),
                format!("Bearer {}", token(Role::Admin, None)),
            ],
        ),
        (
            "unknown organization",
            vec![format!(
                "Bearer {}",
                signed(
                    json!({ "sub": "a", "role": "partner", "org": org(999_999), "exp": now + 600 })
                )
            )],
        ),
        (
            "home organization",
            vec![format!(
                "Bearer {}",
                signed(
                    json!({ "sub": "a", "role": "partner", "org": org(home), "exp": now + 600 })
                )
            )],
        ),
        (
            "long subject",
            vec![format!(
                "Bearer {}",
                signed(json!({ "sub": "x".repeat(5_000), "role": "staff", "exp": now + 600 }))
            )],
        ),
        (
            "control characters",
            vec![format!(
                "Bearer {}",
                signed(json!({ "sub": "\u{1b}[31mroot", "role": "staff", "exp": now + 600 }))
            )],
        ),
    ];
    for (case, headers) in refused {
        let headers: Vec<_> = headers.into_iter().map(|h| ("authorization", h)).collect();
        let (status, body) = while_healthy(&server, request(query, json!({})), &headers).await;
        assert_eq!(status, 401, "{case}");
        assert_eq!(
            error_codes(&body),
            vec!["UNAUTHENTICATED".to_owned()],
            "{case}"
        );
    }
    // Twice: the second answer comes from the remembered check.
    for _ in 0..2 {
        let good =
            signed(json!({ "sub": "a", "role": "partner", "org": org(partner), "exp": now + 600 }));
        let response = send(vec![format!("Bearer {good}")]).await.expect("send");
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["data"]["viewer"]["role"], json!("PARTNER"));
    }
    // Ten seconds of leeway, no more.
    let late = signed(json!({ "sub": "a", "role": "staff", "exp": now - 5 }));
    assert_eq!(
        send(vec![format!("Bearer {late}")])
            .await
            .expect("send")
            .status(),
        200
    );
    let expired = signed(json!({ "sub": "a", "role": "staff", "exp": now - 60 }));
    assert_eq!(
        send(vec![format!("Bearer {expired}")])
            .await
            .expect("send")
            .status(),
        401
    );
}

#[tokio::test]
async fn production_discloses_nothing() {
    let server = TestServer::start_with(false, |c| {
        c.app_env = api::config::AppEnv::Production;
    })
    .await;
    let (_, typo) = while_healthy(
        &server,
        request("{ organizationz { totalCount } }", json!({})),
        &[],
    )
    .await;
    let message = typo["errors"][0]["message"].as_str().expect("message");
    assert!(!message.contains("Did you mean"), "{message}");
    let (_, broken) = while_healthy(
        &server,
        request(
            "{ organizations(filter: { name: { eq: \"secret-text\" } ",
            json!({}),
        ),
        &[],
    )
    .await;
    let message = broken["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("line 1"), "{message}");
    assert!(
        !message.contains("secret-text") && !message.contains("organizations"),
        "{message}"
    );
    for body in ["[1, 2]", "{\"query\": 5}", "{\"query\": \"{ a }\", "] {
        let response = server
            .client
            .post(&server.url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 400);
        let text = response.text().await.expect("text");
        assert!(
            !text.contains("BatchRequest") && !text.contains("untagged"),
            "{text}"
        );
    }
    let metrics = server
        .client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("send");
    assert_eq!(metrics.status(), 404);

    let guarded = TestServer::start_with(false, |c| {
        c.app_env = api::config::AppEnv::Production;
        c.metrics_token = Some("metrics-secret".to_owned());
    })
    .await;
    let url = format!("{}/metrics", guarded.base);
    let without = guarded.client.get(&url).send().await.expect("send");
    assert_eq!(without.status(), 401);
    let with = guarded
        .client
        .get(&url)
        .bearer_auth("metrics-secret")
        .send()
        .await
        .expect("send");
    assert_eq!(with.status(), 200);
    assert!(
        with.text()
            .await
            .expect("text")
            .contains("graphql_requests_refused_total")
    );
}

#[tokio::test]
async fn metrics_can_live_on_their_own_address() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("addr").port()
    };
    let server = TestServer::start_with(false, |c| {
        c.metrics_addr = Some(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    })
    .await;
    let on_api = server
        .client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("send");
    assert_eq!(on_api.status(), 404);
    let own = server
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .expect("send");
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn long_requests_large_answers_and_many_errors_are_cut_short() {
    let slow = TestServer::start_with(true, |c| c.request_timeout = Duration::from_millis(1)).await;
    let query = "{ statistics(asOf: \"2024-04-03\") { partnerOrganizations partnerCountries
        internationalStudents studentsByNationality(first: 5) { count } }
        organizations(first: 100) { nodes { agreements(first: 20) { nodes { title parties { role } } } } } }";
    let body = hostile(&slow, query, json!({})).await;
    assert_refused(&body, "REQUEST_TIMEOUT");

    let small = TestServer::start_with(true, |c| c.max_response_bytes = 2_000).await;
    let body = hostile(
        &small,
        "{ organizations(first: 100) { nodes { id name } } }",
        json!({}),
    )
    .await;
    assert_refused(&body, "MAX_RESPONSE_BYTES");
    let fits = small
        .post_anonymous("{ organizations(first: 3) { nodes { name } } }", json!({}))
        .await;
    assert!(fits.get("errors").is_none(), "{fits}");

    let few = TestServer::start_with(true, |c| c.max_errors = 3).await;
    let body = few
        .post_anonymous("{ people(first: 20) { nodes { email } } }", json!({}))
        .await;
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 4, "{body:#}");
    assert_eq!(errors[3]["extensions"]["limit"], json!("MAX_ERRORS"));
    assert_eq!(errors[0]["extensions"]["code"], json!("FORBIDDEN"));
}

#[tokio::test]
async fn legitimate_persisted_queries_still_work_and_are_guarded() {
    let server = TestServer::demo().await;
    let send = |body: Value| {
        let request = server.client.post(&server.url).json(&body);
        async move {
            let response = request.send().await.expect("send");
            let json: Value = response.json().await.expect("json");
            json
        }
    };
    let extension = |text: &str| {
        use sha2::{Digest, Sha256};
        let hash: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
    };
    let query = "{ countries(first: 2) { nodes { code } } }";
    let ext = extension(query);
    let miss = send(json!({ "extensions": ext })).await;
    assert_eq!(
        miss["errors"][0]["message"],
        json!("PersistedQueryNotFound")
    );
    let first = send(json!({ "query": query, "extensions": ext })).await;
    let nodes = first["data"]["countries"]["nodes"]
        .as_array()
        .expect("nodes");
    assert_eq!(nodes.len(), 2);
    let again = send(json!({ "extensions": ext })).await;
    assert_eq!(again["data"], first["data"]);
    // A hostile text is refused before it is remembered.
    let hostile = fan_out(20);
    let ext = extension(&hostile);
    let refused = send(json!({ "query": hostile, "extensions": ext })).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["limit"],
        json!("MAX_FIELDS")
    );
    let unknown = send(json!({ "extensions": ext })).await;
    assert_eq!(
        unknown["errors"][0]["message"],
        json!("PersistedQueryNotFound")
    );
}

#[tokio::test]
async fn a_client_that_goes_away_cancels_its_request() {
    let server = TestServer::empty().await;
    let before = server.metric("graphql_requests_cancelled_total").await;
    let lock = server.db.block_writes().await;
    let admin = token(Role::Admin, None);
    let abandoned = server
        .client
        .post(&server.url)
        .bearer_auth(&admin)
        .timeout(Duration::from_millis(300))
        .json(&json!({
            "query": "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }",
            "variables": { "i": { "kind": "COMPANY", "name": "Abandoned GmbH", "countryCode": "DE" } }
        }))
        .send()
        .await;
    assert!(abandoned.is_err(), "the client gave up");
    let mut cancelled = before;
    for _ in 0..40 {
        cancelled = server.metric("graphql_requests_cancelled_total").await;
        if cancelled > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        cancelled,
        before + 1,
        "the server dropped the abandoned request"
    );
    drop(lock);
    // Nothing was half-written: the organization does not exist.
    let db = server.db.connect().await;
    let rows = sql_ids(
        &db,
        "SELECT id FROM organizations WHERE name = 'Abandoned GmbH'",
    )
    .await;
    assert!(rows.is_empty(), "{rows:?}");
}

// ---- Every door guarded (issue #22): one finding a test. ----
