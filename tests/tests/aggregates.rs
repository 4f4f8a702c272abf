//! `aggregate` and `groups` on connections: the issue's and DESIGN's examples
//! as written, each compared with SQL over the same rows; nested under many
//! parents; `having` and group order.

use std::collections::BTreeMap;

use e2e::{TestServer, raw_key, sql_pairs, token};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use service::Role;

/// Every row of `sql`, each column read as text (NULL as `None`).
async fn sql_rows(db: &DatabaseConnection, sql: &str) -> Vec<Vec<Option<String>>> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter()
        .map(|row| {
            (0..)
                .map_while(|i| row.try_get_by_index::<Option<String>>(i).ok())
                .map(|v| v.map(|s| s.trim_end().to_owned()))
                .collect()
        })
        .collect()
}

fn staff() -> String {
    token(Role::Staff, None)
}

/// A JSON answer value as the text SQL gives for it.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[tokio::test]
async fn the_partner_mix_aggregate_is_sqls() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let body = server
        .data(
            "{ organizations(filter: { kind: { eq: UNIVERSITY } }) {
                aggregate { count min { foundedYear } max { foundedYear } avg { foundedYear } } } }",
            json!({}),
        )
        .await;
    let agg = &body["organizations"]["aggregate"];
    let expected = sql_rows(
        &db,
        "SELECT CAST(COUNT(*) AS TEXT), CAST(MIN(founded_year) AS TEXT), CAST(MAX(founded_year) AS TEXT),
                CAST(AVG(CAST(founded_year AS DOUBLE PRECISION)) AS TEXT)
         FROM organizations WHERE kind = 'university'",
    )
    .await
    .remove(0);
    assert_eq!(text(&agg["count"]), expected[0]);
    assert_eq!(text(&agg["min"]["foundedYear"]), expected[1]);
    assert_eq!(text(&agg["max"]["foundedYear"]), expected[2]);
    let avg: f64 = expected[3]
        .as_deref()
        .expect("an average")
        .parse()
        .expect("a number");
    let got = agg["avg"]["foundedYear"].as_f64().expect("avg");
    assert!((got - avg).abs() < 1e-9, "{got} vs {avg}");
    assert!(
        agg["count"].as_u64().expect("count") > 100,
        "the demo has universities"
    );
}

#[tokio::test]
async fn the_issues_group_examples_are_sqls() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let body = server
        .post_as(
            &staff(),
            "{ organizations(filter: { kind: { eq: UNIVERSITY } }) { groups(by: [COUNTRY], first: 5) { key { country { code name } } count } }
               agreements(filter: { status: { eq: ACTIVE } }) { groups(by: [KIND, SIGNED_ON_YEAR]) { key { kind signedOnYear } count } }
               students { groups(by: [NATIONALITY, STATUS], first: 10) { key { nationality { code } status } count } } }",
            json!({}),
        )
        .await
        .1;
    assert!(body.get("errors").is_none(), "{body}");
    let data = &body["data"];

    // Universities per country: the five largest, ties by code.
    let expected = sql_rows(
        &db,
        "SELECT o.country_code, c.name, CAST(COUNT(*) AS TEXT) FROM organizations o
         JOIN countries c ON c.code = o.country_code WHERE o.kind = 'university'
         GROUP BY o.country_code, c.name ORDER BY COUNT(*) DESC, o.country_code ASC LIMIT 5",
    )
    .await;
    let got: Vec<Vec<Option<String>>> = data["organizations"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            vec![
                text(&g["key"]["country"]["code"]),
                text(&g["key"]["country"]["name"]),
                text(&g["count"]),
            ]
        })
        .collect();
    assert_eq!(got, expected);

    // Active agreements per kind and year of signing (every group).
    let mut expected: BTreeMap<(String, Option<String>), u64> = BTreeMap::new();
    for row in sql_rows(
        &db,
        "SELECT kind, SUBSTR(CAST(signed_on AS TEXT), 1, 4) FROM agreements WHERE status = 'active'",
    )
    .await
    {
        let key = (row[0].clone().expect("kind"), row[1].clone());
        *expected.entry(key).or_default() += 1;
    }
    let groups = data["agreements"]["groups"].as_array().expect("groups");
    let got: BTreeMap<(String, Option<String>), u64> = groups
        .iter()
        .map(|g| {
            let kind = g["key"]["kind"].as_str().expect("kind").to_lowercase();
            (
                (kind, text(&g["key"]["signedOnYear"])),
                g["count"].as_u64().expect("count"),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(
        groups
            .windows(2)
            .all(|w| w[0]["count"].as_u64() >= w[1]["count"].as_u64()),
        "largest first"
    );

    // Students per nationality and status: the ten largest, ties by key.
    let expected = sql_rows(
        &db,
        "SELECT nationality, UPPER(status), CAST(COUNT(*) AS TEXT) FROM students
         GROUP BY nationality, status ORDER BY COUNT(*) DESC, nationality ASC, status ASC LIMIT 10",
    )
    .await;
    let got: Vec<Vec<Option<String>>> = data["students"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            vec![
                text(&g["key"]["nationality"]["code"]),
                text(&g["key"]["status"]),
                text(&g["count"]),
            ]
        })
        .collect();
    assert_eq!(got, expected);
}

/// Nested under every organization of a page: each parent's aggregate and
/// groups are SQL's over its own agreements.
#[tokio::test]
async fn nested_aggregates_and_groups_are_each_parents() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let mut expected: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (parent, status) in sql_pairs(
        &db,
        "SELECT UPPER(a.status) AS p, ap.organization_id AS id FROM agreement_parties ap
         JOIN agreements a ON a.id = ap.agreement_id",
    )
    .await
    .into_iter()
    .map(|(status, org)| (org.to_string(), status))
    {
        *expected
            .entry(parent)
            .or_default()
            .entry(status)
            .or_default() += 1;
    }
    let query = "query($after: String) { organizations(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id agreements { aggregate { count } groups(by: [STATUS]) { key { status } count } } } } }";
    let mut parents = 0;
    let mut with_agreements = 0;
    for page in server.pages(query, "organizations").await {
        for org in page["nodes"].as_array().expect("nodes") {
            parents += 1;
            let key = raw_key(&org["id"]);
            let mine = expected.get(&key).cloned().unwrap_or_default();
            let groups: BTreeMap<String, u64> = org["agreements"]["groups"]
                .as_array()
                .expect("groups")
                .iter()
                .map(|g| {
                    (
                        g["key"]["status"].as_str().expect("status").to_owned(),
                        g["count"].as_u64().expect("count"),
                    )
                })
                .collect();
            assert_eq!(groups, mine, "organization {key}");
            assert_eq!(
                org["agreements"]["aggregate"]["count"].as_u64(),
                Some(mine.values().sum::<u64>()),
                "organization {key}"
            );
            with_agreements += usize::from(!mine.is_empty());
        }
    }
    assert!(
        parents > 100 && with_agreements > 100,
        "{parents} {with_agreements}"
    );
}

#[tokio::test]
async fn having_keeps_the_groups_whose_aggregates_match() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let body = server
        .post_as(
            &staff(),
            "{ programs { groups(by: [HOST], first: 100, orderBy: [{ field: KEY }],
                          having: { count: { gte: 3 }, sum: { capacity: { gt: 40 } } }) {
                key { host { id } } count aggregate { sum { capacity } max { capacity } } } } }",
            json!({}),
        )
        .await
        .1;
    assert!(body.get("errors").is_none(), "{body}");
    let expected = sql_rows(
        &db,
        "SELECT CAST(host_organization_id AS TEXT), CAST(COUNT(*) AS TEXT),
                CAST(SUM(capacity) AS TEXT), CAST(MAX(capacity) AS TEXT)
         FROM programs GROUP BY host_organization_id
         HAVING COUNT(*) >= 3 AND SUM(capacity) > 40 ORDER BY host_organization_id",
    )
    .await;
    let got: Vec<Vec<Option<String>>> = body["data"]["programs"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            let sum = g["aggregate"]["sum"]["capacity"]
                .as_f64()
                .map(|x| format!("{x:.0}"));
            vec![
                Some(raw_key(&g["key"]["host"]["id"])),
                text(&g["count"]),
                sum,
                text(&g["aggregate"]["max"]["capacity"]),
            ]
        })
        .collect();
    assert!(!expected.is_empty(), "the demo has such hosts");
    assert_eq!(got, expected);

    // `or` and `not` combine like filters; ordering by count ascending.
    let body = server
        .data(
            "{ organizations { groups(by: [KIND], orderBy: [{ field: COUNT, direction: ASC }],
                having: { or: [{ count: { lt: 20 } }, { not: { count: { lt: 100 } } }] }) { key { kind } count } } }",
            json!({}),
        )
        .await;
    let counts: Vec<u64> = body["organizations"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["count"].as_u64().expect("count"))
        .collect();
    let mut expected: Vec<u64> = sql_rows(
        &db,
        "SELECT CAST(COUNT(*) AS TEXT) FROM organizations GROUP BY kind",
    )
    .await
    .into_iter()
    .map(|r| r[0].as_deref().expect("n").parse().expect("n"))
    .filter(|n| *n < 20 || *n >= 100)
    .collect();
    expected.sort_unstable();
    assert_eq!(counts, expected);
}

#[tokio::test]
async fn bad_group_requests_are_named() {
    let server = TestServer::demo().await;
    let cases = [
        (
            "{ organizations { groups(by: []) { count } } }",
            "BAD_USER_INPUT",
        ),
        (
            "{ organizations { groups(by: [KIND, KIND]) { count } } }",
            "BAD_USER_INPUT",
        ),
        (
            "{ organizations { groups(by: [KIND], first: -1) { count } } }",
            "BAD_USER_INPUT",
        ),
        (
            "{ organizations { groups(by: [KIND], first: 101) { count } } }",
            "LIMIT_EXCEEDED",
        ),
    ];
    for (query, code) in cases {
        let body = server.post(query, json!({})).await;
        assert_eq!(
            e2e::error_codes(&body),
            vec![code.to_owned()],
            "{query}: {body}"
        );
    }
}
