//! Relations load through DataLoaders: the statements a request runs depend on
//! the depth of the query, never on the number of parent rows.

use e2e::TestServer;
use serde_json::json;

/// Statements one request runs (the server counts them per pool).
async fn statements_for(server: &TestServer, query: &str) -> u64 {
    let before = server.statements();
    server.data(query, json!({})).await;
    server.statements() - before
}

#[tokio::test]
async fn a_to_many_field_under_fifty_parents_is_one_statement() {
    let server = TestServer::demo().await;
    let parents = statements_for(&server, "{ organizations(first: 50) { nodes { id } } }").await;
    assert_eq!(parents, 1, "the root page is one statement");

    let with_children = statements_for(
        &server,
        "{ organizations(first: 50) { nodes { id agreements(first: 10) { nodes { title } } } } }",
    )
    .await;
    assert_eq!(
        with_children,
        parents + 1,
        "50 parents' agreements: one more statement"
    );

    let with_counts = statements_for(
        &server,
        "{ organizations(first: 50) { nodes { id agreements(first: 10) { totalCount nodes { title } } } } }",
    )
    .await;
    assert_eq!(
        with_counts,
        parents + 2,
        "their totalCounts: one more statement"
    );
}

#[tokio::test]
async fn statements_do_not_grow_with_page_size() {
    let server = TestServer::demo().await;
    let query = |n: u32| {
        format!(
            "{{ organizations(first: {n}) {{ totalCount nodes {{
                name country {{ name }}
                agreements(first: 10) {{ totalCount nodes {{
                    title event {{ name }}
                    parties {{ role organization {{ name country {{ code }} }} signatory {{ fullName organization {{ name }} }} }}
                    fieldsOfStudy {{ code broadField {{ name }} }}
                    programs(first: 5) {{ nodes {{ name students(first: 5) {{ nodes {{ fullName nationality {{ name }} }} }} }} }}
                }} }}
            }} }} }}"
        )
    };
    let small = statements_for(&server, &query(5)).await;
    let large = statements_for(&server, &query(50)).await;
    assert_eq!(small, large, "same statements for 5 and 50 parents");
    assert!(
        large <= 14,
        "one statement per relation and level, got {large}"
    );
}
