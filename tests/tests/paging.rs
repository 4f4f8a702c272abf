//! Keyset paging: walking any connection forward and backward yields every row
//! exactly once, in order; paging arguments are validated.

use std::collections::HashSet;

use e2e::{TestServer, error_codes};
use serde_json::{Value, json};

/// Root connections and the table behind each (for an independent count).
const ROOTS: &[(&str, &str)] = &[
    ("organizations", "SELECT COUNT(*) AS n FROM organizations"),
    (
        "universities",
        "SELECT COUNT(*) AS n FROM organizations WHERE kind = 'university'",
    ),
    (
        "companies",
        "SELECT COUNT(*) AS n FROM organizations WHERE kind = 'company'",
    ),
    (
        "institutes",
        "SELECT COUNT(*) AS n FROM organizations WHERE kind = 'institute'",
    ),
    ("people", "SELECT COUNT(*) AS n FROM people"),
    ("events", "SELECT COUNT(*) AS n FROM events"),
    ("agreements", "SELECT COUNT(*) AS n FROM agreements"),
    ("programs", "SELECT COUNT(*) AS n FROM programs"),
    ("students", "SELECT COUNT(*) AS n FROM students"),
    ("jointUnits", "SELECT COUNT(*) AS n FROM joint_units"),
    ("visits", "SELECT COUNT(*) AS n FROM visits"),
    ("countries", "SELECT COUNT(*) AS n FROM countries"),
    ("fieldsOfStudy", "SELECT COUNT(*) AS n FROM fields_of_study"),
];

async fn sql_count(server: &TestServer, sql: &str) -> u64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = server.db.connect().await;
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("count")
        .expect("a row");
    let n: i64 = row.try_get("", "n").expect("n");
    u64::try_from(n).expect("non-negative")
}

/// Walks a connection page by page; `field` is the connection, `extra` its other
/// arguments. Returns the ids in client order, and the reported totalCount.
async fn walk(
    server: &TestServer,
    field: &str,
    extra: &str,
    backward: bool,
    size: i64,
) -> (Vec<Value>, u64) {
    let (size_arg, cursor_arg, more, next_cursor) = if backward {
        ("last", "before", "hasPreviousPage", "startCursor")
    } else {
        ("first", "after", "hasNextPage", "endCursor")
    };
    let query = format!(
        "query Walk($size: Int, $cursor: String) {{ {field}({size_arg}: $size, {cursor_arg}: $cursor{extra}) {{
            totalCount
            pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
            edges {{ cursor node {{ id }} }}
            nodes {{ id }}
        }} }}"
    );
    let mut cursor = Value::Null;
    let mut pages: Vec<Vec<Value>> = Vec::new();
    let mut total = 0;
    for _ in 0..10_000 {
        let data = server
            .data(&query, json!({ "size": size, "cursor": cursor }))
            .await;
        let conn = &data[field];
        total = conn["totalCount"].as_u64().expect("totalCount");
        let edges = conn["edges"].as_array().expect("edges");
        let nodes = conn["nodes"].as_array().expect("nodes");
        assert_eq!(edges.len(), nodes.len());
        assert!(
            edges.len() as i64 <= size,
            "a page holds at most the page size"
        );
        let ids: Vec<Value> = edges.iter().map(|e| e["node"]["id"].clone()).collect();
        let node_ids: Vec<Value> = nodes.iter().map(|n| n["id"].clone()).collect();
        assert_eq!(ids, node_ids, "edges and nodes agree");
        let info = &conn["pageInfo"];
        if let (Some(first), Some(last)) = (edges.first(), edges.last()) {
            assert_eq!(info["startCursor"], first["cursor"]);
            assert_eq!(info["endCursor"], last["cursor"]);
        }
        let has_more = info[more].as_bool().expect("has more");
        if has_more {
            assert_eq!(edges.len() as i64, size, "only the last page may be short");
        }
        pages.push(ids);
        if !has_more {
            break;
        }
        cursor = info[next_cursor].clone();
    }
    if backward {
        pages.reverse();
    }
    (pages.into_iter().flatten().collect(), total)
}

fn assert_unique(ids: &[Value], what: &str) {
    let set: HashSet<String> = ids.iter().map(Value::to_string).collect();
    assert_eq!(set.len(), ids.len(), "{what}: no row twice");
}

#[tokio::test]
async fn every_root_connection_walks_forward_and_backward_over_all_rows_once() {
    let server = TestServer::demo().await;
    for (field, count_sql) in ROOTS {
        let expected = sql_count(&server, count_sql).await;
        assert!(expected > 0, "{field}: the demo data has rows");
        let (forward, total) = walk(&server, field, "", false, 7).await;
        assert_eq!(total, expected, "{field}: totalCount");
        assert_eq!(
            forward.len() as u64,
            expected,
            "{field}: forward walk sees every row"
        );
        assert_unique(&forward, field);
        let (backward, _) = walk(&server, field, "", true, 7).await;
        assert_eq!(
            backward, forward,
            "{field}: backward walk, same rows, same order"
        );
    }
}

#[tokio::test]
async fn ordering_with_ties_and_nulls_pages_consistently() {
    let server = TestServer::demo().await;
    // Many organizations share a country; founding years are partly unknown (NULL).
    let order = ", orderBy: [{ field: COUNTRY_CODE }, { field: FOUNDED_YEAR, direction: DESC }]";
    let (forward, total) = walk(&server, "organizations", order, false, 6).await;
    assert_eq!(forward.len() as u64, total);
    assert_unique(&forward, "ordered organizations");
    let (backward, _) = walk(&server, "organizations", order, true, 6).await;
    assert_eq!(backward, forward);

    // The walked order is the order asked: compare with one big page.
    let data = server
        .data(
            &format!("{{ organizations(first: 100{order}) {{ nodes {{ id countryCode foundedYear }} }} }}"),
            json!({}),
        )
        .await;
    let nodes = data["organizations"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    let ids: Vec<Value> = nodes.iter().map(|n| n["id"].clone()).collect();
    assert_eq!(ids[..], forward[..ids.len()]);
    for pair in nodes.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ca, cb) = (a["countryCode"].as_str(), b["countryCode"].as_str());
        assert!(ca <= cb, "country codes ascend");
        if ca == cb {
            // Descending with NULL as the largest value: NULLs first.
            match (a["foundedYear"].as_i64(), b["foundedYear"].as_i64()) {
                (Some(x), Some(y)) => assert!(x >= y, "founding years descend"),
                (Some(_), None) => panic!("NULL must come first in descending order"),
                _ => {}
            }
        }
    }
}

#[tokio::test]
async fn nested_connections_walk_like_root_ones() {
    let server = TestServer::demo().await;
    let home = server
        .data(
            "{ organizations(first: 100) { nodes { id isHome } } }",
            json!({}),
        )
        .await;
    let home_id = home["organizations"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["isHome"] == json!(true))
        .expect("a home organization")["id"]
        .clone();
    let query = "query Page($id: ID!, $after: String) { node(id: $id) { ... on University {
        agreements(first: 9, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } } }";
    let mut after = Value::Null;
    let mut seen = Vec::new();
    let mut total;
    loop {
        let data = server
            .data(query, json!({ "id": home_id, "after": after }))
            .await;
        let conn = &data["node"]["agreements"];
        total = conn["totalCount"].as_u64().expect("totalCount");
        seen.extend(
            conn["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].clone()),
        );
        if conn["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    let expected = sql_count(
        &server,
        "SELECT COUNT(*) AS n FROM agreement_parties p JOIN organizations o ON o.id = p.organization_id WHERE o.is_home",
    )
    .await;
    assert_eq!(total, expected);
    assert_eq!(seen.len() as u64, expected);
    assert_unique(&seen, "home agreements");
}

#[tokio::test]
async fn invalid_paging_arguments_are_rejected_with_the_argument_named() {
    let server = TestServer::demo().await;
    let cases = [
        (
            "{ agreements(first: 2, last: 2) { nodes { id } } }",
            "BAD_USER_INPUT",
            "first",
        ),
        (
            "{ agreements(first: -1) { nodes { id } } }",
            "BAD_USER_INPUT",
            "first",
        ),
        (
            "{ agreements(last: -5) { nodes { id } } }",
            "BAD_USER_INPUT",
            "last",
        ),
        (
            "{ agreements(first: 101) { nodes { id } } }",
            "LIMIT_EXCEEDED",
            "first",
        ),
        (
            "{ agreements(after: \"not-a-cursor\") { nodes { id } } }",
            "BAD_USER_INPUT",
            "after",
        ),
        (
            "{ agreements(before: \"eyJ4IjoxfQ\") { nodes { id } } }",
            "BAD_USER_INPUT",
            "before",
        ),
    ];
    for (query, code, field) in cases {
        let body = server.post(query, json!({})).await;
        assert_eq!(error_codes(&body), vec![code.to_owned()], "{query}: {body}");
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["field"], json!(field), "{query}");
        assert!(
            error["message"].as_str().expect("message").contains(field),
            "{query}"
        );
        if code == "LIMIT_EXCEEDED" {
            // The setting that sets the bound, as README promises.
            assert_eq!(
                error["extensions"]["limit"],
                json!("PAGE_SIZE_MAX"),
                "{body}"
            );
        }
    }

    // A cursor from one order does not page another.
    let data = server
        .data(
            "{ agreements(first: 1, orderBy: [{ field: TITLE }]) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = data["agreements"]["pageInfo"]["endCursor"].clone();
    let body = server
        .post(
            "query($c: String) { agreements(first: 1, after: $c) { nodes { id } } }",
            json!({ "c": cursor }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT".to_owned()]);

    // Zero rows is a valid request.
    let data = server
        .data(
            "{ agreements(first: 0) { nodes { id } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["agreements"]["nodes"], json!([]));
    // Relay's algorithm: more rows than `first` (zero) follow.
    assert_eq!(data["agreements"]["pageInfo"]["hasNextPage"], json!(true));
}

/// An `orderBy` field and the column it sorts by.
type OrderColumn = (&'static str, &'static str);

/// Every order field of a few connections, both directions: walking forward and
/// backward gives the order SQL gives (NULLs as the largest value, id last).
#[tokio::test]
async fn cursors_follow_every_order() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let cases: &[(&str, &str, &[OrderColumn])] = &[
        (
            "agreements",
            "agreements",
            &[
                ("ID", "id"),
                ("TITLE", "title"),
                ("KIND", "kind"),
                ("STATUS", "status"),
                ("SIGNED_ON", "signed_on"),
                ("STARTS_ON", "starts_on"),
                ("ENDS_ON", "ends_on"),
            ],
        ),
        (
            "organizations",
            "organizations",
            &[
                ("NAME", "name"),
                ("KIND", "kind"),
                ("COUNTRY_CODE", "country_code"),
                ("CITY", "city"),
                ("FOUNDED_YEAR", "founded_year"),
            ],
        ),
        (
            "programs",
            "programs",
            &[
                ("NAME", "name"),
                ("KIND", "kind"),
                ("LANGUAGE_CODE", "language_code"),
                ("STARTS_ON", "starts_on"),
                ("CAPACITY", "capacity"),
            ],
        ),
        (
            "students",
            "students",
            &[
                ("FULL_NAME", "full_name"),
                ("NATIONALITY", "nationality"),
                ("DEGREE_LEVEL", "degree_level"),
                ("STATUS", "status"),
                ("ENROLLED_ON", "enrolled_on"),
            ],
        ),
        (
            "events",
            "events",
            &[
                ("NAME", "name"),
                ("KIND", "kind"),
                ("STARTS_ON", "starts_on"),
                ("ENDS_ON", "ends_on"),
            ],
        ),
        (
            "jointUnits",
            "joint_units",
            &[
                ("NAME", "name"),
                ("KIND", "kind"),
                ("ESTABLISHED_ON", "established_on"),
            ],
        ),
        (
            "visits",
            "visits",
            &[("STARTS_ON", "starts_on"), ("ENDS_ON", "ends_on")],
        ),
        ("people", "people", &[("FULL_NAME", "full_name")]),
    ];
    for (root, table, fields) in cases {
        for (field, column) in *fields {
            for (dir, sql_dir, nulls) in [
                ("ASC", "ASC", "NULLS LAST"),
                ("DESC", "DESC", "NULLS FIRST"),
            ] {
                let order = format!(", orderBy: [{{ field: {field}, direction: {dir} }}]");
                let (forward, total) = walk(&server, root, &order, false, 13).await;
                let (backward, _) = walk(&server, root, &order, true, 13).await;
                assert_eq!(forward, backward, "{root} by {field} {dir}: both ways");
                // Text sorts in the people's collation (PostgreSQL's columns
                // carry it; SQLite names it).
                let collate = if server.db.is_postgres() {
                    ""
                } else {
                    " COLLATE unicode"
                };
                let sql = format!(
                    "SELECT id FROM {table} ORDER BY {column}{collate} {sql_dir} {nulls}, id ASC"
                );
                let rows = {
                    use sea_orm::{ConnectionTrait, Statement};
                    db.query_all_raw(Statement::from_string(
                        db.get_database_backend(),
                        sql.clone(),
                    ))
                    .await
                    .expect("order by")
                };
                let expected: Vec<i64> = rows
                    .iter()
                    .map(|r| r.try_get::<i64>("", "id").expect("id"))
                    .collect();
                let got: Vec<i64> = forward.iter().map(e2e::raw_id).collect();
                assert_eq!(got, expected, "{sql}");
                assert_eq!(total, expected.len() as u64);
            }
        }
    }
}
