//! Through the resolvers, relations load through DataLoaders: the statements a
//! request runs depend on the depth of the query, never on the number of
//! parent rows. (The resolvers answer every read on SQLite and what the
//! one-statement reads do not plan; these servers are asked to read through
//! them on PostgreSQL too. The big pages here cost more than the default
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
async fn the_successors_of_a_page_load_in_one_statement() {
    let server = TestServer::start_with(true, |c| c.one_statement_reads = false).await;
    let parents = statements_for(&server, "{ agreements(first: 50) { nodes { id } } }").await;
    let successors = statements_for(
        &server,
        "{ agreements(first: 50) { nodes { id successor { id } } } }",
    )
    .await;
    assert_eq!(
        successors,
        parents + 1,
        "one statement for 50 agreements' successors"
    );
    // The demo data renews nothing, so predecessors need no statement at all.
    let both = statements_for(
        &server,
        "{ agreements(first: 50) { nodes { id successor { id } predecessor { id } } } }",
    )
    .await;
    assert!(both <= parents + 2, "{both}");
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
    // One statement per relation and level: the page and count of organizations,
    // their countries, agreements (page + count), events, parties, party
    // organizations, signatories, signatories' organizations, party countries,
    // fields, broad fields, programs, students, nationalities: 16. Loads of one
    // type at two levels may share a batch, so this is an upper bound.
    const PER_LEVEL: u64 = 16;
    let small = statements_for(&server, &query(5)).await;
    let large = statements_for(&server, &query(50)).await;
    assert!(small <= PER_LEVEL, "5 parents: {small} statements");
    assert!(large <= PER_LEVEL, "50 parents: {large} statements");
    assert!(
        small >= 12 && large >= 12,
        "every relation was loaded: {small}, {large}"
    );
}

#[tokio::test]
async fn example_and_three_level_queries_stay_within_twelve_statements() {
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
        assert_eq!(
            small, large,
            "{name}: same statements at first: 5 and first: 50"
        );
        assert!(large <= 12, "{name}: {large} statements");
    }
}

/// Aggregates and groups nested under a page of parents: one statement per
/// level and kind for all parents (a window numbers each parent's groups),
/// the same at 5 parents and at 80.
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
    // The root page; the agreements page, aggregate and groups; the groups'
    // events; the programs' aggregate under every agreement (a connection
    // asked for no rows reads none).
    assert_eq!(small, 6, "5 parents");
    assert_eq!(large, 6, "80 parents");
}
