//! Order by related fields and counts of related rows, with keyset cursors
//! walking every page both ways; text in the order people read it.

use std::cmp::Ordering;

use e2e::{TestServer, page_ids, pages, raw_id, token};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use service::Role;

/// `(text key, number key, id)` of every row of `sql` (columns `t`, `n`, `id`;
/// `t` and `n` may be NULL).
async fn keys(db: &DatabaseConnection, sql: &str) -> Vec<(Option<String>, Option<i64>, i64)> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter()
        .map(|r| {
            (
                r.try_get::<Option<String>>("", "t").expect("t"),
                r.try_get::<Option<i64>>("", "n").expect("n"),
                r.try_get::<i64>("", "id").expect("id"),
            )
        })
        .collect()
}

/// NULL sorts as the largest value, text in the people's collation.
fn text_order(a: &Option<String>, b: &Option<String>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => service::text::collate(a, b),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
    }
}

/// Every id of `root` ordered by `order`, walking
/// pages of `size` forwards with `after`, and backwards with `before`.
async fn walk(
    server: &TestServer,
    who: Option<&str>,
    root: &str,
    order: &str,
    size: u32,
) -> Vec<i64> {
    let post = |query: String, variables: Value| async move {
        match who {
            Some(t) => server.post_as(t, &query, variables).await.1,
            None => server.post_anonymous(&query, variables).await,
        }
    };
    let forward = format!(
        "query($after: String) {{ {root}(first: {size}, after: $after, orderBy: {order}) {{
            pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }}"
    );
    let ids = page_ids(&pages(&post, &forward, root).await);
    let backward = format!(
        "query($before: String) {{ {root}(last: {size}, before: $before, orderBy: {order}) {{
            pageInfo {{ hasPreviousPage startCursor }} nodes {{ id }} }} }}"
    );
    let mut back = Vec::new();
    let mut before = Value::Null;
    loop {
        let body = post(backward.clone(), json!({ "before": before })).await;
        assert!(body.get("errors").is_none(), "{root} {order}: {body}");
        let conn = &body["data"][root];
        let page: Vec<i64> = conn["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| raw_id(&n["id"]))
            .collect();
        back.splice(0..0, page);
        if conn["pageInfo"]["hasPreviousPage"] != json!(true) {
            break;
        }
        before = conn["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(back, ids, "{root} {order}: the same rows backwards");
    ids
}

#[tokio::test]
async fn organizations_by_country_name_and_by_agreement_count_page_through_every_row() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;

    let mut rows = keys(
        &db,
        "SELECT c.name AS t, CAST(NULL AS BIGINT) AS n, o.id AS id FROM organizations o
         JOIN countries c ON c.code = o.country_code",
    )
    .await;
    rows.sort_by(|a, b| text_order(&a.0, &b.0).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let got = walk(
        &server,
        None,
        "organizations",
        "[{ field: COUNTRY_NAME }]",
        37,
    )
    .await;
    assert_eq!(got, expected);

    let mut rows = keys(
        &db,
        "SELECT CAST(NULL AS TEXT) AS t, (SELECT COUNT(*) FROM agreement_parties p WHERE p.organization_id = o.id) AS n,
                o.id AS id FROM organizations o",
    )
    .await;
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let got = walk(
        &server,
        None,
        "organizations",
        "[{ field: AGREEMENTS_COUNT, direction: DESC }]",
        41,
    )
    .await;
    assert_eq!(got, expected);
}

/// A count of related rows counts only the rows the caller may see: a
/// partner's order by students counts its own home students only.
#[tokio::test]
async fn counts_in_an_order_follow_the_rules() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let partner = keys(
        &db,
        "SELECT CAST(NULL AS TEXT) AS t, CAST(NULL AS BIGINT) AS n, home_organization_id AS id FROM students
         WHERE home_organization_id IS NOT NULL GROUP BY home_organization_id ORDER BY COUNT(*) DESC, home_organization_id LIMIT 1",
    )
    .await[0]
        .2;
    let token = token(Role::Partner, Some(partner));
    let mut rows = keys(
        &db,
        &format!(
            "SELECT CAST(NULL AS TEXT) AS t,
                    (SELECT COUNT(*) FROM students s WHERE s.host_organization_id = o.id AND s.home_organization_id = {partner}) AS n,
                    o.id AS id FROM organizations o"
        ),
    )
    .await;
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let got = walk(
        &server,
        Some(&token),
        "organizations",
        "[{ field: STUDENTS_COUNT, direction: DESC }, { field: NAME }]",
        50,
    )
    .await;
    // Ties in count fall to the name, then the id.
    let names = keys(
        &db,
        "SELECT name AS t, CAST(NULL AS BIGINT) AS n, id FROM organizations",
    )
    .await;
    let name_of = |id: i64| names.iter().find(|r| r.2 == id).and_then(|r| r.0.clone());
    let mut expected = expected;
    expected.sort_by(|a, b| {
        let count = |id: i64| rows.iter().find(|r| r.2 == id).and_then(|r| r.1);
        count(*b)
            .cmp(&count(*a))
            .then(text_order(&name_of(*a), &name_of(*b)))
            .then(a.cmp(b))
    });
    assert_eq!(got, expected);
    assert!(
        rows.iter().any(|r| r.1 > Some(0)),
        "the partner has students somewhere"
    );
}

#[tokio::test]
async fn students_by_nationality_name_and_agreements_by_event_name() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let staff = token(Role::Staff, None);

    let mut rows = keys(
        &db,
        "SELECT c.name AS t, CAST(NULL AS BIGINT) AS n, s.id AS id FROM students s
         JOIN countries c ON c.code = s.nationality",
    )
    .await;
    rows.sort_by(|a, b| text_order(&b.0, &a.0).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let got = walk(
        &server,
        Some(&staff),
        "students",
        "[{ field: NATIONALITY_NAME, direction: DESC }]",
        45,
    )
    .await;
    assert_eq!(got, expected);

    // Most agreements have no event: NULLs sort last, and the cursor crosses them.
    let mut rows = keys(
        &db,
        "SELECT e.name AS t, CAST(NULL AS BIGINT) AS n, a.id AS id FROM agreements a
         LEFT JOIN events e ON e.id = a.event_id",
    )
    .await;
    rows.sort_by(|a, b| text_order(&a.0, &b.0).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    assert!(rows.iter().any(|r| r.0.is_none()) && rows.iter().any(|r| r.0.is_some()));
    let got = walk(&server, None, "agreements", "[{ field: EVENT_NAME }]", 30).await;
    assert_eq!(got, expected);

    let mut rows = keys(
        &db,
        "SELECT o.name AS t, CAST(NULL AS BIGINT) AS n, p.id AS id FROM programs p
         JOIN organizations o ON o.id = p.host_organization_id",
    )
    .await;
    rows.sort_by(|a, b| text_order(&a.0, &b.0).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let got = walk(
        &server,
        Some(&staff),
        "programs",
        "[{ field: HOST_NAME }]",
        100,
    )
    .await;
    assert_eq!(got, expected);
}

/// Names sort as people read them: accents and case second, on SQLite and
/// PostgreSQL alike.
#[tokio::test]
async fn names_sort_as_people_read_them() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let mut rows = keys(
        &db,
        "SELECT name AS t, CAST(NULL AS BIGINT) AS n, id FROM organizations",
    )
    .await;
    rows.sort_by(|a, b| text_order(&a.0, &b.0).then(a.2.cmp(&b.2)));
    let expected: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let got = walk(&server, None, "organizations", "[{ field: NAME }]", 100).await;
    assert_eq!(got, expected);

    let data = server
        .data(
            r#"{ h: organizations(filter: { name: { startsWith: "Hochschule" } }, orderBy: [{ field: NAME }]) { nodes { name } }
                 t: organizations(filter: { name: { startsWith: "Tech" } }, orderBy: [{ field: NAME }]) { nodes { name } } }"#,
            json!({}),
        )
        .await;
    let names = |key: &str| -> Vec<String> {
        data[key]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["name"].as_str().expect("name").to_owned())
            .collect()
    };
    let position = |list: &[String], name: &str| list.iter().position(|n| n.starts_with(name));
    let h = names("h");
    assert!(
        position(&h, "Hochschule für Technik") < position(&h, "Hochschule Ulm"),
        "{h:?}"
    );
    let t = names("t");
    assert!(
        position(&t, "Technische Hochschule") < position(&t, "TechProtect"),
        "{t:?}"
    );
    assert!(position(&t, "TechProtect").is_some(), "{t:?}");
}
