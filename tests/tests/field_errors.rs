//! A refused field is `null` in its object, with a FORBIDDEN error entry at its
//! path; its parent object stays (GraphQL spec, "Handling Execution Errors").
//! A normalized cache (Apollo Client's `InMemoryCache`, run by Node) reads
//! such partial answers back whole.

use e2e::{TestServer, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

/// The keys of every node of `connection`, in order.
fn node_keys(connection: &Value) -> Vec<Vec<String>> {
    connection["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| {
            node.as_object()
                .unwrap_or_else(|| panic!("every node is an object, got {node}"))
                .keys()
                .cloned()
                .collect()
        })
        .collect()
}

/// The paths of the FORBIDDEN errors, as `a.b.0.c`.
fn forbidden_paths(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter(|e| e["extensions"]["code"] == json!("FORBIDDEN"))
                .map(|e| {
                    e["path"]
                        .as_array()
                        .expect("a path")
                        .iter()
                        .map(|s| s.to_string().trim_matches('"').to_owned())
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn refused_fields_are_null_in_their_objects() {
    let server = TestServer::demo().await;
    for (query, keys, refused) in [
        (
            "{ people(first: 3) { nodes { fullName email } } }",
            vec!["fullName", "email"],
            vec!["email"],
        ),
        (
            "{ people(first: 3) { nodes { email fullName } } }",
            vec!["email", "fullName"],
            vec!["email"],
        ),
        (
            "{ people(first: 3) { nodes { email } } }",
            vec!["email"],
            vec!["email"],
        ),
        (
            "{ people(first: 3) { nodes { name: fullName mail: email ...Contact } } }
             fragment Contact on Person { title again: email }",
            vec!["name", "mail", "title", "again"],
            vec!["mail", "again"],
        ),
        (
            "{ agreements(first: 3) { nodes { title summary } } }",
            vec!["title", "summary"],
            vec!["summary"],
        ),
        (
            "{ agreements(first: 3) { nodes { ... on Agreement { summary } kind } } }",
            vec!["summary", "kind"],
            vec!["summary"],
        ),
    ] {
        let body = server.post_anonymous(query, json!({})).await;
        let root = body["data"]
            .as_object()
            .expect("data")
            .keys()
            .next()
            .expect("a root")
            .clone();
        let connection = &body["data"][&root];
        let rows = node_keys(connection);
        assert_eq!(rows.len(), 3, "{body:#}");
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row, &keys, "{query}");
            for key in &refused {
                assert!(connection["nodes"][i][*key].is_null(), "{body:#}");
            }
        }
        let mut expected: Vec<String> = (0..3)
            .flat_map(|i| {
                let root = &root;
                refused.iter().map(move |k| format!("{root}.nodes.{i}.{k}"))
            })
            .collect();
        let mut paths = forbidden_paths(&body);
        expected.sort();
        paths.sort();
        assert_eq!(paths, expected, "{body:#}");
    }
}

/// The partner organization with the most students from home.
async fn partner_with_students(server: &TestServer) -> i64 {
    let db = server.db.connect().await;
    sql_ids(
        &db,
        "SELECT home_organization_id AS id FROM students WHERE home_organization_id IS NOT NULL
         GROUP BY home_organization_id ORDER BY COUNT(*) DESC, home_organization_id LIMIT 1",
    )
    .await[0]
}

#[tokio::test]
async fn partners_and_staff_get_whole_objects() {
    let server = TestServer::demo().await;
    let partner = partner_with_students(&server).await;
    let query = "{ students(first: 3) { nodes { fullName dateOfBirth nationality { code } } } }";
    let (_, body) = server
        .post_as(&token(Role::Partner, Some(partner)), query, json!({}))
        .await;
    let rows = node_keys(&body["data"]["students"]);
    assert!(!rows.is_empty(), "{body:#}");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row, &["fullName", "dateOfBirth", "nationality"], "{body:#}");
        assert!(body["data"]["students"]["nodes"][i]["dateOfBirth"].is_null());
        assert!(body["data"]["students"]["nodes"][i]["nationality"]["code"].is_string());
    }
    assert_eq!(forbidden_paths(&body).len(), rows.len(), "{body:#}");

    let (_, staff) = server
        .post_as(&token(Role::Staff, None), query, json!({}))
        .await;
    assert!(staff.get("errors").is_none(), "{staff:#}");
    assert!(staff["data"]["students"]["nodes"][0]["dateOfBirth"].is_string());
}

/// Runs `tests/apollo/cache-check.mjs` (installing its packages first when
/// needed) and returns what it printed. Off the test's runtime: the server's
/// connection pool lives on it and must keep running meanwhile.
async fn apollo(url: &str, query: &str, token: Option<&str>) -> Value {
    let (url, query, token) = (url.to_owned(), query.to_owned(), token.map(str::to_owned));
    tokio::task::spawn_blocking(move || apollo_blocking(&url, &query, token.as_deref()))
        .await
        .expect("the Node script ran")
}

fn apollo_blocking(url: &str, query: &str, token: Option<&str>) -> Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("apollo");
    e2e::npm_ci(&dir);
    let mut command = std::process::Command::new("node");
    command
        .arg("cache-check.mjs")
        .arg(url)
        .arg(query)
        .current_dir(&dir);
    if let Some(token) = token {
        command.arg(token);
    }
    let output = command.output().expect("node is installed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

#[tokio::test]
async fn apollo_clients_normalized_cache_reads_partial_answers_back_whole() {
    let server = TestServer::demo().await;
    let partner = partner_with_students(&server).await;
    let partner_token = token(Role::Partner, Some(partner));
    for (query, token) in [
        (
            "query People { people(first: 5) { nodes { id fullName email } } }",
            None,
        ),
        (
            "query Agreements { agreements(first: 5) { nodes { id title summary } } }",
            None,
        ),
        (
            "query Students { students(first: 5) { nodes { id fullName dateOfBirth } } }",
            Some(partner_token.as_str()),
        ),
    ] {
        let result = apollo(&server.url, query, token).await;
        assert!(
            result["errors"].as_array().is_some_and(|e| !e.is_empty()),
            "the answer is partial: {result:#}"
        );
        assert!(
            !result["readBack"].is_null(),
            "the cache cannot read it back: {result:#}"
        );
        assert_eq!(result["readBack"], result["data"], "{result:#}");
    }
}

/// A failed non-null field nulls its parent, up to `data` itself ("Errors
/// and Non-Null Types"): never `"data": {}`, never a sibling kept under a
/// parent that must be null.
#[tokio::test]
async fn a_failed_non_null_root_field_makes_the_data_null() {
    let server = TestServer::demo().await;
    for query in [
        "{ auditLog(first: 1) { totalCount } }",
        "{ countries(first: 1) { nodes { code } } auditLog(first: 1) { totalCount } }",
    ] {
        let body = server.post_anonymous(query, json!({})).await;
        assert_eq!(body["data"], Value::Null, "{query}: {body}");
        assert!(
            body.as_object().expect("an object").contains_key("data"),
            "{query}: an execution error keeps the `data` key: {body}"
        );
        assert_eq!(
            e2e::error_codes(&body),
            vec!["UNAUTHENTICATED".to_owned()],
            "{body}"
        );
    }
}
