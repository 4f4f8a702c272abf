//! GraphQL over HTTP, GraphiQL, health and readiness.

use e2e::TestServer;
use serde_json::{Value, json};

#[tokio::test]
async fn get_serves_queries_and_refuses_mutations() {
    let server = TestServer::empty().await;
    let ok = server
        .client
        .get(&server.url)
        .query(&[("query", "{ countries(first: 1) { nodes { code } } }")])
        .send()
        .await
        .expect("GET");
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["data"]["countries"]["nodes"][0]["code"], json!("AD"));

    let mutation = server
        .client
        .get(&server.url)
        .query(&[("query", "mutation { anything }")])
        .send()
        .await
        .expect("GET");
    assert_eq!(mutation.status(), 405);
    assert_eq!(mutation.headers()["allow"], "POST");
}

#[tokio::test]
async fn the_response_media_type_follows_accept() {
    let server = TestServer::empty().await;
    let send = |accept: Option<&'static str>, body: Value| {
        let mut req = server.client.post(&server.url).json(&body);
        if let Some(accept) = accept {
            req = req.header("accept", accept);
        }
        req.send()
    };
    let query = json!({ "query": "{ __typename }" });
    let cases = [
        (
            Some("application/graphql-response+json"),
            "application/graphql-response+json",
        ),
        (Some("application/json"), "application/json"),
        (
            Some("application/json, application/graphql-response+json"),
            "application/graphql-response+json",
        ),
        (
            Some("application/graphql-response+json;q=0.5, application/json"),
            "application/json",
        ),
        (Some("*/*"), "application/json"),
        (None, "application/json"),
    ];
    for (accept, expected) in cases {
        let resp = send(accept, query.clone()).await.expect("POST");
        assert_eq!(resp.status(), 200, "{accept:?}");
        let ct = resp.headers()["content-type"]
            .to_str()
            .expect("ct")
            .to_owned();
        assert!(ct.starts_with(expected), "{accept:?} gave {ct}");
    }
    let refused = send(Some("text/html"), query.clone()).await.expect("POST");
    assert_eq!(refused.status(), 406);

    // A request error: 400 and no `data` under graphql-response+json; 200 under json.
    let bad = json!({ "query": "{ nope }" });
    let resp = send(Some("application/graphql-response+json"), bad.clone())
        .await
        .expect("POST");
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.expect("json");
    assert!(body.get("data").is_none());
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    let resp = send(Some("application/json"), bad).await.expect("POST");
    assert_eq!(resp.status(), 200);

    let not_json = server
        .client
        .post(&server.url)
        .header("content-type", "text/plain")
        .body("{ __typename }")
        .send()
        .await
        .expect("POST");
    assert_eq!(not_json.status(), 415);
}

#[tokio::test]
async fn graphiql_is_served_from_the_binary() {
    let server = TestServer::empty().await;
    let page = server
        .client
        .get(format!("{}/", server.base))
        .send()
        .await
        .expect("GET /");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("GraphiQL"));
    // Every script and stylesheet is local: nothing is fetched from elsewhere.
    for attr in ["src=\"", "href=\""] {
        for value in html.split(attr).skip(1) {
            assert!(
                value.starts_with('/') && !value.starts_with("//"),
                "external asset: {attr}{value:.60}"
            );
        }
    }
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        assert!(
            html.contains(&format!("/graphiql/{asset}")),
            "{asset} is linked"
        );
        let resp = server
            .client
            .get(format!("{}/graphiql/{asset}", server.base))
            .send()
            .await
            .expect("GET asset");
        assert_eq!(resp.status(), 200, "{asset}");
        assert!(
            resp.bytes().await.expect("bytes").len() > 1000,
            "{asset} has content"
        );
    }
}

/// GraphiQL's first tab asks what its title says: partner organizations in
/// Germany, and it answers them.
#[tokio::test]
async fn graphiqls_default_query_does_what_it_says() {
    let server = TestServer::demo().await;
    let html = server
        .client
        .get(format!("{}/", server.base))
        .send()
        .await
        .expect("GET /")
        .text()
        .await
        .expect("html");
    let start = html.find("defaultQuery: '").expect("a default query") + "defaultQuery: '".len();
    let end = start + html[start..].find("',\n").expect("its end");
    let query = html[start..end].replace("\\n", "\n").replace("\\\"", "\"");
    assert!(
        query.starts_with("# Partner organizations in Germany"),
        "{query}"
    );
    let data = server.data(&query, json!({})).await;
    let nodes = data["organizations"]["nodes"].as_array().expect("nodes");
    assert!(!nodes.is_empty(), "{data}");
    for node in nodes {
        assert_eq!(node["country"]["code"], json!("DE"), "{node}");
    }
}

#[tokio::test]
async fn health_and_readiness() {
    let server = TestServer::empty().await;
    let health = server
        .client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let ready = server
        .client
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200);
    let metrics = server
        .client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("metrics");
    assert!(
        metrics
            .text()
            .await
            .expect("text")
            .contains("db_statements_total")
    );

    if server.db.is_postgres() {
        // The database goes away: the process stays healthy but is not ready.
        server.db.drop_now().await;
        let ready = server
            .client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .expect("readyz");
        assert_eq!(ready.status(), 503);
        let health = server
            .client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .expect("healthz");
        assert_eq!(health.status(), 200);
    }
}

#[tokio::test]
async fn response_fields_follow_the_selection_order() {
    let server = TestServer::demo().await;
    let query = r#"query Ordered { statistics(asOf: "2024-04-03") { jointUnits partnerCountries
            ...More agreementsByKind(first: 1) { count kind } alias: partnerOrganizations }
        countries(first: 1) { totalCount nodes { region code ... on Country { name id } } pageInfo { hasNextPage } } }
        fragment More on Statistics { visitingExperts(year: 2023) englishTaughtMajors }"#;
    let body = server.post(query, json!({})).await;
    let keys =
        |v: &Value| -> Vec<String> { v.as_object().expect("an object").keys().cloned().collect() };
    assert_eq!(keys(&body["data"]), ["statistics", "countries"]);
    assert_eq!(
        keys(&body["data"]["statistics"]),
        [
            "jointUnits",
            "partnerCountries",
            "visitingExperts",
            "englishTaughtMajors",
            "agreementsByKind",
            "alias"
        ]
    );
    assert_eq!(
        keys(&body["data"]["statistics"]["agreementsByKind"][0]),
        ["count", "kind"]
    );
    assert_eq!(
        keys(&body["data"]["countries"]),
        ["totalCount", "nodes", "pageInfo"]
    );
    assert_eq!(
        keys(&body["data"]["countries"]["nodes"][0]),
        ["region", "code", "name", "id"]
    );
}

#[tokio::test]
async fn cors_allows_only_the_configured_origins() {
    let server = TestServer::start_with(false, |c| {
        c.cors_origins = vec!["https://portal.example".to_owned()]
    })
    .await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, &server.url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("https://portal.example")
        .await
        .expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://portal.example"
    );
    let refused = preflight("https://evil.example").await.expect("preflight");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

/// In development, with no `CORS_ORIGINS`, a frontend served from this
/// machine on another port may call; nothing else, and nothing in
/// production.
#[tokio::test]
async fn development_lets_this_machines_frontends_call() {
    for production in [false, true] {
        let server = TestServer::start_with(false, |c| {
            if production {
                c.app_env = api::config::AppEnv::Production;
            }
        })
        .await;
        for (origin, local) in [
            ("http://localhost:3000", true),
            ("http://127.0.0.1:5173", true),
            ("http://[::1]:8080", true),
            ("http://localhost", true),
            ("http://localhost.evil.example:3000", false),
            ("https://localhost:3000", false),
            ("http://evil.example", false),
        ] {
            let answer = server
                .client
                .request(reqwest::Method::OPTIONS, &server.url)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .send()
                .await
                .expect("preflight");
            let allowed = answer.headers().get("access-control-allow-origin").cloned();
            if local && !production {
                assert_eq!(answer.status().as_u16(), 200, "{origin}");
                assert_eq!(allowed.expect("allowed"), origin, "{origin}");
            } else {
                assert!(allowed.is_none(), "{origin} (production: {production})");
            }
        }
    }
}

#[tokio::test]
async fn automatic_persisted_queries() {
    use sha2::Digest;
    let server = TestServer::empty().await;
    let query = "{ countries(first: 1) { nodes { code } } }";
    let hash = format!("{:x}", sha2::Sha256::digest(query.as_bytes()));
    let ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let send = |body: Value| server.client.post(&server.url).json(&body).send();
    // Unknown hash: the client must send the query once.
    let first: Value = send(json!({ "extensions": ext }))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert!(
        first["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("PersistedQueryNotFound")
    );
    let register: Value = send(json!({ "query": query, "extensions": ext }))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        register["data"]["countries"]["nodes"][0]["code"],
        json!("AD")
    );
    let by_hash: Value = send(json!({ "extensions": ext }))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        by_hash["data"]["countries"]["nodes"][0]["code"],
        json!("AD")
    );
    // GET by hash alone, as Apollo clients send cacheable queries.
    let get = server
        .client
        .get(&server.url)
        .header("accept", "application/graphql-response+json")
        .query(&[("extensions", ext.to_string())])
        .send()
        .await
        .expect("send");
    assert_eq!(get.status(), 200);
    let by_get: Value = get.json().await.expect("json");
    assert_eq!(by_get["data"]["countries"]["nodes"][0]["code"], json!("AD"));
    // A mutation registered by POST cannot be run by GET through its hash.
    let mutation =
        "mutation { deleteVisit(input: { id: \"VmlzaXQ6MQ\", version: 1 }) { deletedId } }";
    let mutation_hash = format!("{:x}", sha2::Sha256::digest(mutation.as_bytes()));
    let mutation_ext = json!({ "persistedQuery": { "version": 1, "sha256Hash": mutation_hash } });
    let _ = send(json!({ "query": mutation, "extensions": mutation_ext }))
        .await
        .expect("send");
    let refused: Value = server
        .client
        .get(&server.url)
        .query(&[("extensions", mutation_ext.to_string())])
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert!(refused.get("data").is_none_or(Value::is_null), "{refused}");
    assert_eq!(
        refused["errors"][0]["message"],
        json!("mutations and subscriptions must use POST")
    );
    // Neither query nor hash: 400.
    let neither = server
        .client
        .get(&server.url)
        .header("accept", "application/graphql-response+json")
        .query(&[("extensions", "{}")])
        .send()
        .await
        .expect("send");
    assert_eq!(neither.status(), 400);
}
