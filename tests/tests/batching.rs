//! When the schema executes a query (the one-statement reads turned off
//! here, as they are for an operation asking for introspection beside
//! data), each root field is still read through the plan: one statement,
//! whatever the depth of the query or the number of parent rows. (The
//! resolvers' DataLoaders, which these tests measured before, no longer
//! read for queries. The big pages here cost more than the default
//! MAX_COMPLEXITY allows; the limit is raised.)

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
    let server = TestServer::start_with(true, |c| c.one_statement_reads = false).await;
    let parents = statements_for(&server, "{ organizations(first: 50) { nodes { id } } }").await;
    assert_eq!(parents, 1, "the root page is one statement");

    let with_children = statements_for(
        &server,
        "{ organizations(first: 50) { nodes { id agreements(first: 10) { nodes { title } } } } }",
    )
    .await;
    assert_eq!(
        with_children, 1,
        "50 parents' agreements: the same statement"
    );

    let with_counts = statements_for(
        &server,
        "{ organizations(first: 50) { nodes { id agreements(first: 10) { totalCount nodes { title } } } } }",
    )
    .await;
    assert_eq!(with_counts, 1, "their totalCounts: the same statement");
}

#[tokio::test]
async fn the_successors_of_a_page_load_in_one_statement() {
    let server = TestServer::start_with(true, |c| c.one_statement_reads = false).await;
    let parents = statements_for(&server, "{ agreements(first: 50) { nodes { id } } }").await;
    let successors = statements_for(
        &server,
        "{ agreements(first: 50) { nodes { id successor { id } } } }",
    )
    .await;
    assert_eq!((parents, successors), (1, 1), "50 agreements' successors");
    let both = statements_for(
        &server,
        "{ agreements(first: 50) { nodes { id successor { id } predecessor { id } } } }",
    )
    .await;
    assert_eq!(both, 1, "successors and predecessors");
}

#[tokio::test]
async fn statements_do_not_grow_with_page_size() {
    let server = TestServer::start_with(true, |c| {
        c.max_complexity = 10_000_000;
        c.one_statement_reads = false;
    })
    .await;
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
    // Every relation and level in the one statement.
    let small = statements_for(&server, &query(5)).await;
    let large = statements_for(&server, &query(50)).await;
    assert_eq!((small, large), (1, 1), "5 and 50 parents");
}

#[tokio::test]
async fn example_and_three_level_queries_are_one_statement() {
    let server = TestServer::start_with(true, |c| {
        c.max_complexity = 10_000_000;
        c.one_statement_reads = false;
    })
    .await;
    let week = |n: u32| {
        format!(
            "{{ events(first: {n}, filter: {{ kind: {{ eq: PARTNERSHIP_WEEK }} }}) {{ nodes {{
                name startsOn endsOn
                activities(first: {n}) {{ nodes {{ name kind startsOn }} }}
                agreements(first: {n}) {{ nodes {{
                    title kind status signedOn
                    parties {{ role organization {{ name country {{ name }} }} signatory {{ fullName title }} }}
                    fieldsOfStudy {{ code name }}
                }} }}
            }} }} }}"
        )
    };
    let three_levels = |n: u32| {
        format!(
            "{{ universities(first: {n}) {{ nodes {{ name
                programs(first: {n}) {{ nodes {{ name
                    students(first: {n}) {{ nodes {{ fullName }} }} }} }} }} }} }}"
        )
    };
    for (name, query) in [
        ("PartnershipWeek", &week as &dyn Fn(u32) -> String),
        ("three levels", &three_levels),
    ] {
        let small = statements_for(&server, &query(5)).await;
        let large = statements_for(&server, &query(50)).await;
        assert_eq!((small, large), (1, 1), "{name}: at first: 5 and first: 50");
    }
}

/// Aggregates and groups nested under a page of parents: one statement,
/// at 5 parents and at 80.
#[tokio::test]
async fn nested_aggregates_and_groups_do_not_grow_with_page_size() {
    let server = TestServer::start_with(true, |c| {
        c.max_complexity = 10_000_000;
        c.one_statement_reads = false;
    })
    .await;
    let query = |n: u32| {
        format!(
            "{{ organizations(first: {n}) {{ nodes {{ id
                agreements(first: 5) {{
                    aggregate {{ count min {{ signedOn }} distinctCount {{ kind }} }}
                    groups(by: [STATUS, EVENT], first: 3) {{
                        key {{ status event {{ name }} }} count aggregate {{ max {{ signedOn }} }} }}
                    nodes {{ id programs {{ aggregate {{ count }} }} }}
                }}
            }} }} }}"
        )
    };
    let small = statements_for(&server, &query(5)).await;
    let large = statements_for(&server, &query(80)).await;
    assert_eq!((small, large), (1, 1), "5 and 80 parents");
}
