//! Hostile requests (issue: "Survive hostile requests"): each document that
//! crashed the server, pinned a worker or built a huge answer is refused with
//! a stable code, while `/healthz` on the same single worker keeps answering
//! within a second.

use std::time::{Duration, Instant};

use e2e::{TestServer, error_codes, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

/// Sends `body` to `/graphql` (with `headers`) while `/healthz` is asked
/// every 50 ms and must keep answering. Returns the
/// status and JSON body of the hostile request.
async fn while_healthy(
    server: &TestServer,
    body: String,
    headers: &[(&str, String)],
) -> (u16, Value) {
    let mut request = server
        .client
        .post(&server.url)
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let hostile = tokio::spawn(async move {
        let response = request.send().await.expect("send the hostile request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        (status, text)
    });
    let health = format!("{}/healthz", server.base);
    // A liveness check, not a timing one: a server whose workers the hostile
    // request blocked (or crashed) stops answering altogether; a loaded CI box
    // merely answers slowly, so the bound is generous.
    while !hostile.is_finished() {
        let answer =
            tokio::time::timeout(Duration::from_secs(10), server.client.get(&health).send())
                .await
                .expect("/healthz kept answering while the hostile request ran")
                .expect("/healthz reachable");
        assert_eq!(answer.status(), 200);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, text) = hostile.await.expect("the hostile request finished");
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("a JSON answer, got {} bytes", text.len()));
    (status, body)
}

/// [`while_healthy`] for an anonymous operation; its JSON answer.
async fn hostile(server: &TestServer, query: &str, variables: Value) -> Value {
    while_healthy(server, request(query, variables), &[])
        .await
        .1
}

fn request(query: &str, variables: Value) -> String {
    json!({ "query": query, "variables": variables }).to_string()
}

/// Asserts a refusal with `code` naming `limit`, that nothing ran, and that
/// the message echoes none of `secret`.
fn assert_refused(body: &Value, limit: &str) {
    assert_eq!(
        error_codes(body),
        vec!["LIMIT_EXCEEDED".to_owned()],
        "{body:#}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["limit"],
        json!(limit),
        "{body:#}"
    );
    assert!(
        body.get("data").is_none() || body["data"].is_null(),
        "{body:#}"
    );
}

fn nested(depth: usize, open: &str, leaf: &str, close: &str) -> String {
    format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
}

#[tokio::test]
async fn deeply_nested_filters_are_refused_not_crashing() {
    let server = TestServer::demo().await;
    for (open, close) in [("{ not: ", " }"), ("{ or: [", "] }"), ("{ and: [", "] }")] {
        for depth in [9, 175, 2_000] {
            let filter = nested(depth, open, r#"{ name: { eq: "x" } }"#, close);
            let query = format!("{{ organizations(filter: {filter}) {{ totalCount }} }}");
            let (status, body) = while_healthy(&server, request(&query, json!({})), &[]).await;
            assert_eq!(status, 400, "{body}");
            assert_refused(&body, "MAX_FILTER_DEPTH");
        }
    }
    // Eight levels (the default) still run.
    let filter = nested(7, "{ not: ", r#"{ name: { eq: "x" } }"#, " }");
    let query = format!("{{ organizations(filter: {filter}) {{ totalCount }} }}");
    let ok = server.post_anonymous(&query, json!({})).await;
    assert!(ok.get("errors").is_none(), "{ok}");
    // A chain of relation filters: a level runs on both databases, two are
    // priced past the database work bound, 45 are refused for their depth.
    let chain = |hops: usize| {
        let mut filter = r#"{ name: { eq: "x" } }"#.to_owned();
        for _ in 0..hops {
            filter = format!(
                "{{ agreements: {{ some: {{ parties: {{ some: {{ organization: {filter} }} }} }} }} }}"
            );
        }
        format!("{{ organizations(filter: {filter}) {{ totalCount }} }}")
    };
    let ok = server.post_anonymous(&chain(1), json!({})).await;
    assert!(ok.get("errors").is_none(), "{ok}");
    // Four nested to-many hops are priced past MAX_DATABASE_WORK; where an
    // operator allows them, they run on both databases (no "expression tree
    // too large").
    let body = hostile(&server, &chain(2), json!({})).await;
    assert_refused(&body, "MAX_DATABASE_WORK");
    let generous = TestServer::start_with(true, |c| c.max_database_work = 1 << 40).await;
    let ok = generous.post_anonymous(&chain(2), json!({})).await;
    assert!(ok.get("errors").is_none(), "{ok}");
    let body = hostile(&server, &chain(15), json!({})).await;
    assert_refused(&body, "MAX_FILTER_DEPTH");
    let mut filter = r#"{ name: { eq: "x" } }"#.to_owned();
    for _ in 0..15 {
        filter = format!(
            "{{ agreements: {{ some: {{ parties: {{ some: {{ organization: {filter} }} }} }} }} }}"
        );
    }
    let query = format!("{{ organizations(filter: {filter}) {{ totalCount }} }}");
    let body = hostile(&server, &query, json!({})).await;
    assert_refused(&body, "MAX_FILTER_DEPTH");
    server
        .client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("alive");
}

fn fan_out(levels: usize) -> String {
    let mut doc = String::from("query { ...M0 }\nfragment M0 on Query { a0: viewer { role } }\n");
    for i in 1..=levels {
        doc.push_str(&format!(
            "fragment M{i} on Query {{ a{i}: viewer {{ role }} ...M{p} ...M{p} }}\n",
            p = i - 1
        ));
    }
    doc.replace("{ ...M0 }", &format!("{{ ...M{levels} }}"))
}

#[tokio::test]
async fn fragment_fan_out_is_counted_not_expanded() {
    let server = TestServer::empty().await;
    for levels in [16, 29, 60] {
        let started = Instant::now();
        let (status, body) =
            while_healthy(&server, request(&fan_out(levels), json!({})), &[]).await;
        assert_eq!(status, 400);
        assert_refused(&body, "MAX_FIELDS");
        // A hang detector, not a timing: expanding 2^60 spreads would never end.
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
    }
    // A few levels expand to few fields and run.
    let ok = server.post_anonymous(&fan_out(4), json!({})).await;
    assert!(ok.get("errors").is_none(), "{ok}");
    // A fragment that spreads itself is refused, not followed.
    let cyclic =
        "query { ...A } fragment A on Query { viewer { role } ...B } fragment B on Query { ...A }";
    let body = server.post_anonymous(cyclic, json!({})).await;
    assert_eq!(
        error_codes(&body),
        vec!["BAD_USER_INPUT".to_owned()],
        "{body}"
    );
}

#[tokio::test]
async fn connections_cost_their_pages_wherever_they_appear() {
    let server = TestServer::demo().await;
    // Through the `Organization` interface, then a plain list, then again.
    let query =
        "{ agreements(first: 100) { nodes { parties { organization { agreements(first: 100) {
        nodes { fieldsOfStudy { agreements(first: 100) { nodes { id title } } } } } } } } } }";
    let (status, body) = while_healthy(&server, request(query, json!({})), &[]).await;
    assert_eq!(status, 400);
    assert_refused(&body, "MAX_COMPLEXITY");
    // The same connection through `node` and an inline fragment.
    let query = r#"{ node(id: "x") { ... on University { agreements(first: 100) { nodes {
        parties { organization { people(first: 100) { nodes { visits(first: 100) { nodes { id } } } } } } } } } } }"#;
    let body = hostile(&server, query, json!({})).await;
    assert_refused(&body, "MAX_COMPLEXITY");
    // 20,000 fields under one interface connection.
    let fields = (0..20_000)
        .map(|i| format!("f{i}: name"))
        .collect::<Vec<_>>()
        .join(" ");
    let query = format!("{{ organizations(first: 100) {{ nodes {{ {fields} }} }} }}");
    let body = hostile(&server, &query, json!({})).await;
    assert_refused(&body, "MAX_DOCUMENT_BYTES");
}

#[tokio::test]
async fn a_batch_is_costed_as_a_whole() {
    let server = TestServer::demo().await;
    let op = json!({ "query": "{ organizations(first: 100) { nodes { agreements(first: 100) { nodes { id title kind } } } } }" });
    // Alone, each passes.
    let one = server
        .post_anonymous(op["query"].as_str().expect("query"), json!({}))
        .await;
    assert!(one.get("errors").is_none(), "{one}");
    let batch = Value::Array(vec![op; 10]).to_string();
    let (status, body) = while_healthy(&server, batch, &[]).await;
    assert_eq!(status, 400);
    assert_refused(&body, "MAX_BATCH_COST");
}

#[tokio::test]
async fn floods_of_aliases_and_introspection_are_refused() {
    let server = TestServer::empty().await;
    let aliases = (0..40_000)
        .map(|i| format!("a{i}: __typename"))
        .collect::<Vec<_>>()
        .join(" ");
    let body = hostile(&server, &format!("{{ {aliases} }}"), json!({})).await;
    assert_refused(&body, "MAX_DOCUMENT_BYTES");
    let introspection = (0..200)
        .map(|i| format!("s{i}: __schema {{ types {{ name fields {{ name type {{ name }} }} }} }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let body = hostile(&server, &format!("{{ {introspection} }}"), json!({})).await;
    assert_refused(&body, "MAX_COMPLEXITY");
    // One full introspection (what GraphiQL and codegen send) passes.
    let full = include_str!("introspection.graphql");
    let body = server.post_anonymous(full, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert!(
        body["data"]["__schema"]["types"]
            .as_array()
            .expect("types")
            .len()
            > 50
    );
}

#[tokio::test]
async fn aliased_reads_are_refused_before_any_statement_runs() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let aliased = |n: usize| {
        let fields = (0..n)
            .map(|i| format!("a{i}: students {{ aggregate {{ count }} groups(by: [NATIONALITY]) {{ count }} }}"))
            .collect::<Vec<_>>()
            .join(" ");
        format!("{{ {fields} }}")
    };
    // 400 aliases: cheap in values (each answers a count and a few groups),
    // but 1,200 statements counting every student.
    let before = server.statements();
    let (status, body) = while_healthy(
        &server,
        request(&aliased(400), json!({})),
        &[("authorization", format!("Bearer {staff}"))],
    )
    .await;
    assert_eq!(status, 400, "{body:#}");
    assert_refused(&body, "MAX_READS");
    assert_eq!(server.statements(), before, "nothing ran");
    // 33 aliases (99 reads) pass and answer every count.
    let (status, body) = server.post_as(&staff, &aliased(33), json!({})).await;
    assert_eq!(status, 200, "{body:#}");
    assert!(body.get("errors").is_none(), "{body:#}");
    assert!(body["data"]["a32"]["aggregate"]["count"].as_u64() > Some(0));
    // A batch counts its operations' reads together.
    let op = json!({ "query": aliased(20) });
    let (status, body) = while_healthy(
        &server,
        Value::Array(vec![op; 2]).to_string(),
        &[("authorization", format!("Bearer {staff}"))],
    )
    .await;
    assert_eq!(status, 400, "{body:#}");
    assert_refused(&body, "MAX_READS");
}

#[tokio::test]
async fn the_field_cap_counts_aliases_when_the_document_fits() {
    let server = TestServer::start_with(false, |c| c.max_document_bytes = 1 << 20).await;
    let aliases = (0..40_000)
        .map(|i| format!("a{i}: __typename"))
        .collect::<Vec<_>>()
        .join(" ");
    let body = hostile(&server, &format!("{{ {aliases} }}"), json!({})).await;
    assert_refused(&body, "MAX_FIELDS");
    let skips = " @skip(if: false)".repeat(30_000);
    let body = hostile(&server, &format!("{{ __typename{skips} }}"), json!({})).await;
    assert_refused(&body, "MAX_DIRECTIVES");
    assert_eq!(body["errors"].as_array().expect("errors").len(), 1);
}

#[tokio::test]
async fn huge_text_lists_and_terms_are_refused_before_sql() {
    let server = TestServer::demo().await;
    let search = "query($s: String) { organizations(search: $s) { totalCount } }";
    for size in [257, 50_000, 900_000] {
        let body = hostile(&server, search, json!({ "s": "x".repeat(size) })).await;
        assert_refused(&body, "MAX_TEXT_LENGTH");
    }
    let ok = server
        .post_anonymous(search, json!({ "s": "x".repeat(256) }))
        .await;
    assert!(ok.get("errors").is_none(), "{ok}");
    let contains =
        "query($s: String) { agreements(filter: { title: { contains: $s } }) { totalCount } }";
    let body = hostile(&server, contains, json!({ "s": "%".repeat(60_000) })).await;
    assert_refused(&body, "MAX_TEXT_LENGTH");

    let filter = "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }";
    let terms: Vec<Value> = (0..999)
        .map(|i| json!({ "name": { "eq": format!("n{i}") } }))
        .collect();
    let body = hostile(&server, filter, json!({ "f": { "and": terms } })).await;
    assert_refused(&body, "MAX_FILTER_TERMS");
    let lists: Vec<Value> = (0..40)
        .map(|_| json!({ "name": { "in": (0..1_000).map(|i| format!("n{i}")).collect::<Vec<_>>() } }))
        .collect();
    let body = hostile(&server, filter, json!({ "f": { "or": lists } })).await;
    assert_refused(&body, "MAX_QUERY_PARAMETERS");
    let long: Vec<String> = (0..1_001).map(|i| format!("n{i}")).collect();
    let body = hostile(&server, filter, json!({ "f": { "name": { "in": long } } })).await;
    assert_refused(&body, "MAX_LIST_VALUES");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        json!("filter.name.in")
    );
    let ids: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    let body = hostile(
        &server,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        json!({ "ids": ids }),
    )
    .await;
    assert_refused(&body, "MAX_NODE_IDS");
}

#[tokio::test]
async fn control_characters_are_bad_input_on_every_path() {
    let server = TestServer::demo().await;
    let admin = token(Role::Admin, None);
    let auth = [("authorization", format!("Bearer {admin}"))];
    let cases = [
        (
            "query($s: String) { organizations(search: $s) { totalCount } }",
            json!({ "s": "a\u{0}b" }),
            "search",
        ),
        (
            r#"{ organizations(filter: { name: { eq: "a\u0000b" } }) { totalCount } }"#,
            json!({}),
            "filter.name.eq",
        ),
        (
            r#"{ organizations(search: "\u202Eevil") { totalCount } }"#,
            json!({}),
            "search",
        ),
        (
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
            json!({ "input": { "kind": "COMPANY", "name": "Evil\u{202e}Corp", "countryCode": "DE" } }),
            "input.name",
        ),
        (
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
            json!({ "input": { "kind": "COMPANY", "name": "Null\u{0}Corp", "countryCode": "DE" } }),
            "input.name",
        ),
        (
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
            json!({ "input": { "kind": "COMPANY", "name": "Zero\u{200b}Width", "countryCode": "DE" } }),
            "input.name",
        ),
    ];
    let db = server.db.connect().await;
    let before = sql_ids(&db, "SELECT id FROM organizations").await.len();
    for (query, variables, field) in cases {
        let (_, body) = while_healthy(&server, request(query, variables), &auth).await;
        assert_eq!(
            error_codes(&body),
            vec!["BAD_USER_INPUT".to_owned()],
            "{body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["field"],
            json!(field),
            "{body}"
        );
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(
            !message.contains("Evil") && !message.contains("Corp"),
            "{message}"
        );
    }
    assert_eq!(
        sql_ids(&db, "SELECT id FROM organizations").await.len(),
        before,
        "nothing written"
    );
}

/// A token with the given claims, signed with the test secret.
fn signed(claims: Value) -> String {
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

/// A file of persisted operations holding `listed`; its path.
fn allow_list(listed: &str) -> std::path::PathBuf {
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
async fn ws_error(client: &mut e2e::WsClient, id: &str) -> Value {
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
async fn upgrade_status(url: &str, headers: &[(&str, &str)]) -> u16 {
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
