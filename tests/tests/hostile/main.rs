//! Hostile requests (issue: "Survive hostile requests"): each document that
//! crashed the server, pinned a worker or built a huge answer is refused with
//! a stable code, while `/healthz` on the same single worker keeps answering
//! within a second.

use std::time::{Duration, Instant};

use e2e::{TestServer, error_codes, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

mod inputs;
mod sockets;
mod tokens;
use tokens::*;

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
    let full = include_str!("../introspection.graphql");
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
