//! Who may see what: each role against each path into the data. A forbidden row
//! is neither returned nor counted; forbidden fields are null with `FORBIDDEN`.

use std::collections::{BTreeMap, BTreeSet};

use e2e::{
    TestServer, error_codes, expired_token, forged_token, ids_and_total, pages, raw_id, raw_key,
    sql_ids, sql_pairs, token,
};
use serde_json::{Value, json};
use service::Role;

mod figures;
mod paths;

/// The callers of the matrix.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    PartnerA,
    PartnerB,
    Staff,
    Admin,
}

struct World {
    server: TestServer,
    a: i64,
    b: i64,
}

impl World {
    async fn new() -> World {
        let server = TestServer::demo().await;
        let db = server.db.connect().await;
        // The two partner universities with the most students from home.
        let top = sql_ids(
            &db,
            "SELECT home_organization_id AS id FROM students WHERE home_organization_id IS NOT NULL
             GROUP BY home_organization_id HAVING COUNT(*) >= 2",
        )
        .await;
        assert!(
            top.len() >= 2,
            "the demo data has partners with home students"
        );
        World {
            server,
            a: top[0],
            b: top[1],
        }
    }

    fn token(&self, who: Who) -> Option<String> {
        match who {
            Who::Anonymous => None,
            Who::PartnerA => Some(token(Role::Partner, Some(self.a))),
            Who::PartnerB => Some(token(Role::Partner, Some(self.b))),
            Who::Staff => Some(token(Role::Staff, None)),
            Who::Admin => Some(token(Role::Admin, None)),
        }
    }

    async fn post(&self, who: Who, query: &str, variables: Value) -> Value {
        match self.token(who) {
            Some(t) => self.server.post_as(&t, query, variables).await.1,
            None => self.server.post_anonymous(query, variables).await,
        }
    }

    /// Every id of a root connection (walking pages) and its totalCount.
    async fn ids(&self, who: Who, root: &str, args: &str) -> (Vec<i64>, u64) {
        let query = format!(
            "query($after: String) {{ {root}(first: 100, after: $after{args}) {{
                totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }}"
        );
        let post = |query: String, variables: Value| async move {
            self.post(who, &query, variables).await
        };
        ids_and_total(&pages(post, &query, root).await)
    }

    async fn sql(&self, sql: &str) -> Vec<i64> {
        sql_ids(&self.server.db.connect().await, sql).await
    }

    /// The rows of `table` that `who` may see, as SQL (the specification the
    /// API is checked against).
    fn visible_sql(&self, who: Who, table: &str) -> String {
        let org = match who {
            Who::Staff | Who::Admin => return format!("SELECT id FROM {table}"),
            Who::PartnerA => Some(self.a),
            Who::PartnerB => Some(self.b),
            Who::Anonymous => None,
        };
        let none = format!("SELECT id FROM {table} WHERE 1 = 0");
        let signatories = "SELECT DISTINCT signatory_id AS id FROM agreement_parties WHERE signatory_id IS NOT NULL";
        match (table, org) {
            ("students", Some(o)) => format!("SELECT id FROM students WHERE home_organization_id = {o}"),
            ("people", None) => signatories.to_owned(),
            ("people", Some(o)) => {
                format!("{signatories} UNION SELECT id FROM people WHERE organization_id = {o}")
            }
            ("programs", Some(o)) => format!(
                "SELECT id FROM programs WHERE host_organization_id = {o}
                 OR agreement_id IN (SELECT agreement_id FROM agreement_parties WHERE organization_id = {o})"
            ),
            ("joint_units", Some(o)) => format!(
                "SELECT id FROM joint_units WHERE host_organization_id = {o}
                 OR id IN (SELECT joint_unit_id FROM joint_unit_partners WHERE organization_id = {o})
                 OR agreement_id IN (SELECT agreement_id FROM agreement_parties WHERE organization_id = {o})"
            ),
            ("students" | "programs" | "joint_units" | "visits", _) => none,
            _ => format!("SELECT id FROM {table}"),
        }
    }
}

fn global(ty: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{ty}:{id}"))
}

/// Every root connection × every caller: exactly the rows the caller may see,
/// counted by `totalCount`; bad and expired tokens get 401 and no data.
#[tokio::test]
async fn root_connections_return_and_count_only_visible_rows() {
    let w = World::new().await;
    let kind = |k: &str| format!("SELECT id FROM organizations WHERE kind = '{k}'");
    let roots: Vec<(&str, &str, Option<String>)> = vec![
        ("organizations", "organizations", None),
        ("universities", "organizations", Some(kind("university"))),
        ("companies", "organizations", Some(kind("company"))),
        ("institutes", "organizations", Some(kind("institute"))),
        ("people", "people", None),
        ("events", "events", None),
        ("agreements", "agreements", None),
        ("programs", "programs", None),
        ("students", "students", None),
        ("jointUnits", "joint_units", None),
        ("visits", "visits", None),
    ];
    let expired = expired_token("admin");
    let forged = forged_token(Role::Admin);
    for (root, table, only) in roots {
        for who in [
            Who::Anonymous,
            Who::PartnerA,
            Who::PartnerB,
            Who::Staff,
            Who::Admin,
        ] {
            let mut expected = w.sql(&w.visible_sql(who, table)).await;
            if let Some(only) = &only {
                let only: BTreeSet<i64> = w.sql(only).await.into_iter().collect();
                expected.retain(|id| only.contains(id));
            }
            let (ids, total) = w.ids(who, root, "").await;
            assert_eq!(ids, expected, "{who:?} {root}");
            assert_eq!(total, expected.len() as u64, "{who:?} {root} totalCount");
        }
        let query = format!("{{ {root}(first: 1) {{ totalCount }} }}");
        for bad in [&expired, &forged] {
            let (status, body) = w.server.post_as(bad, &query, json!({})).await;
            assert_eq!(status, 401, "{root}: {body}");
            assert_eq!(error_codes(&body), vec!["UNAUTHENTICATED".to_owned()]);
            assert!(
                body.get("data").is_none(),
                "{root}: no data with a bad token"
            );
        }
    }
    // Reference data (keyed by code) is public.
    for (root, table) in [
        ("countries", "countries"),
        ("fieldsOfStudy", "fields_of_study"),
    ] {
        let db = w.server.db.connect().await;
        let expected = sql_pairs(
            &db,
            &format!("SELECT code AS p, CAST(0 AS BIGINT) AS id FROM {table}"),
        )
        .await
        .len();
        for who in [Who::Anonymous, Who::PartnerA, Who::Staff] {
            let body = w
                .post(
                    who,
                    &format!("{{ {root}(first: 1) {{ totalCount nodes {{ id }} }} }}"),
                    json!({}),
                )
                .await;
            assert_eq!(
                body["data"][root]["totalCount"],
                json!(expected),
                "{who:?} {root}"
            );
            assert!(!raw_key(&body["data"][root]["nodes"][0]["id"]).is_empty());
        }
    }
    // The audit log: admins only.
    for (who, code) in [
        (Who::Anonymous, "UNAUTHENTICATED"),
        (Who::PartnerA, "FORBIDDEN"),
        (Who::Staff, "FORBIDDEN"),
    ] {
        let body = w.post(who, "{ auditLog { totalCount } }", json!({})).await;
        assert_eq!(error_codes(&body), vec![code.to_owned()], "{who:?}");
    }
    let body = w
        .post(Who::Admin, "{ auditLog { totalCount } }", json!({}))
        .await;
    assert_eq!(body["data"]["auditLog"]["totalCount"], json!(0), "{body}");
}

/// Every to-many relation, reached from each side that has one: the root
/// connection of the parent, the relation field, the child table, and SQL
/// giving `(parent key, child id)` for every related pair.
const RELATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "countries",
        "students",
        "students",
        "SELECT nationality AS p, id FROM students",
    ),
    (
        "countries",
        "people",
        "people",
        "SELECT nationality AS p, id FROM people WHERE nationality IS NOT NULL",
    ),
    (
        "countries",
        "organizations",
        "organizations",
        "SELECT country_code AS p, id FROM organizations",
    ),
    (
        "organizations",
        "students",
        "students",
        "SELECT CAST(host_organization_id AS TEXT) AS p, id FROM students",
    ),
    (
        "organizations",
        "homeStudents",
        "students",
        "SELECT CAST(home_organization_id AS TEXT) AS p, id FROM students WHERE home_organization_id IS NOT NULL",
    ),
    (
        "organizations",
        "people",
        "people",
        "SELECT CAST(organization_id AS TEXT) AS p, id FROM people WHERE organization_id IS NOT NULL",
    ),
    (
        "organizations",
        "programs",
        "programs",
        "SELECT CAST(host_organization_id AS TEXT) AS p, id FROM programs",
    ),
    (
        "organizations",
        "jointUnits",
        "joint_units",
        "SELECT CAST(host_organization_id AS TEXT) AS p, id FROM joint_units",
    ),
    (
        "organizations",
        "partnerJointUnits",
        "joint_units",
        "SELECT CAST(organization_id AS TEXT) AS p, joint_unit_id AS id FROM joint_unit_partners",
    ),
    (
        "organizations",
        "visits",
        "visits",
        "SELECT CAST(host_organization_id AS TEXT) AS p, id FROM visits",
    ),
    (
        "organizations",
        "agreements",
        "agreements",
        "SELECT CAST(organization_id AS TEXT) AS p, agreement_id AS id FROM agreement_parties",
    ),
    (
        "organizations",
        "organizedEvents",
        "events",
        "SELECT CAST(organizer_id AS TEXT) AS p, id FROM events",
    ),
    (
        "programs",
        "students",
        "students",
        "SELECT CAST(program_id AS TEXT) AS p, id FROM students WHERE program_id IS NOT NULL",
    ),
    (
        "agreements",
        "students",
        "students",
        "SELECT CAST(agreement_id AS TEXT) AS p, id FROM students WHERE agreement_id IS NOT NULL",
    ),
    (
        "agreements",
        "programs",
        "programs",
        "SELECT CAST(agreement_id AS TEXT) AS p, id FROM programs WHERE agreement_id IS NOT NULL",
    ),
    (
        "agreements",
        "jointUnits",
        "joint_units",
        "SELECT CAST(agreement_id AS TEXT) AS p, id FROM joint_units WHERE agreement_id IS NOT NULL",
    ),
    (
        "fieldsOfStudy",
        "programs",
        "programs",
        "SELECT field_code AS p, id FROM programs WHERE field_code IS NOT NULL",
    ),
    (
        "fieldsOfStudy",
        "jointUnits",
        "joint_units",
        "SELECT field_code AS p, id FROM joint_units WHERE field_code IS NOT NULL",
    ),
    (
        "fieldsOfStudy",
        "agreements",
        "agreements",
        "SELECT field_code AS p, agreement_id AS id FROM agreement_fields",
    ),
    (
        "people",
        "visits",
        "visits",
        "SELECT CAST(person_id AS TEXT) AS p, id FROM visits",
    ),
    (
        "people",
        "signedAgreements",
        "agreements",
        "SELECT CAST(signatory_id AS TEXT) AS p, agreement_id AS id FROM agreement_parties WHERE signatory_id IS NOT NULL",
    ),
    (
        "events",
        "agreements",
        "agreements",
        "SELECT CAST(event_id AS TEXT) AS p, id FROM agreements WHERE event_id IS NOT NULL",
    ),
    (
        "events",
        "activities",
        "events",
        "SELECT CAST(parent_event_id AS TEXT) AS p, id FROM events WHERE parent_event_id IS NOT NULL",
    ),
];

/// Each role × each to-many relation: under every parent the caller sees, the
/// children are exactly the related rows the caller may see, and `totalCount`
/// counts exactly those. Bad and expired tokens get 401 on every path.
#[tokio::test]
async fn every_relation_returns_and_counts_only_visible_rows() {
    let w = World::new().await;
    let db = w.server.db.connect().await;
    let expired = expired_token("admin");
    let forged = forged_token(Role::Admin);
    let mut checked_children = BTreeMap::new();
    for &(root, field, child_table, pairs_sql) in RELATIONS {
        // A key with few values, so that every group comes back.
        let by = match child_table {
            "students" | "agreements" => "STATUS",
            "people" => "TITLE",
            "visits" => "STARTS_ON_YEAR",
            _ => "KIND",
        };
        let query = format!(
            "query($after: String) {{ {root}(first: 100, after: $after) {{
                pageInfo {{ hasNextPage endCursor }}
                nodes {{ id {field}(first: 100) {{ totalCount aggregate {{ count }}
                    groups(by: [{by}], first: 100) {{ count }} nodes {{ id }} }} }} }} }}"
        );
        let mut related: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for (parent, child) in sql_pairs(&db, pairs_sql).await {
            related
                .entry(parent.trim().to_owned())
                .or_default()
                .insert(child);
        }
        for who in [
            Who::Anonymous,
            Who::PartnerA,
            Who::PartnerB,
            Who::Staff,
            Who::Admin,
        ] {
            let visible: BTreeSet<i64> = w
                .sql(&w.visible_sql(who, child_table))
                .await
                .into_iter()
                .collect();
            let mut after = Value::Null;
            let mut parents = 0;
            loop {
                let body = w.post(who, &query, json!({ "after": after })).await;
                assert!(
                    body.get("errors").is_none(),
                    "{who:?} {root}.{field}: {body}"
                );
                let conn = &body["data"][root];
                for parent in conn["nodes"].as_array().expect("nodes") {
                    parents += 1;
                    let key = raw_key(&parent["id"]);
                    let expected: BTreeSet<i64> = related
                        .get(&key)
                        .map(|c| c.intersection(&visible).copied().collect())
                        .unwrap_or_default();
                    let got: BTreeSet<i64> = parent[field]["nodes"]
                        .as_array()
                        .expect("children")
                        .iter()
                        .map(|n| raw_id(&n["id"]))
                        .collect();
                    let total = parent[field]["totalCount"].as_u64().expect("totalCount");
                    assert_eq!(
                        total,
                        expected.len() as u64,
                        "{who:?} {root}({key}).{field} totalCount"
                    );
                    assert_eq!(
                        parent[field]["aggregate"]["count"],
                        json!(expected.len()),
                        "{who:?} {root}({key}).{field} aggregate"
                    );
                    let grouped: u64 = parent[field]["groups"]
                        .as_array()
                        .expect("groups")
                        .iter()
                        .map(|g| g["count"].as_u64().expect("count"))
                        .sum();
                    assert_eq!(
                        grouped,
                        expected.len() as u64,
                        "{who:?} {root}({key}).{field} groups"
                    );
                    if expected.len() <= 100 {
                        assert_eq!(got, expected, "{who:?} {root}({key}).{field}");
                    } else {
                        assert!(
                            got.len() == 100 && got.is_subset(&expected),
                            "{who:?} {root}({key}).{field}"
                        );
                    }
                    *checked_children.entry(who_name(who)).or_insert(0) += got.len();
                }
                if conn["pageInfo"]["hasNextPage"] != json!(true) {
                    break;
                }
                after = conn["pageInfo"]["endCursor"].clone();
            }
            assert!(
                parents > 0 || matches!(who, Who::Anonymous | Who::PartnerA | Who::PartnerB),
                "{who:?} sees parents on {root}"
            );
        }
        for bad in [&expired, &forged, &"not-a-token".to_owned()] {
            let (status, body) = w
                .server
                .post_as(bad, &query, json!({ "after": null }))
                .await;
            assert_eq!(status, 401, "{root}.{field}: {body}");
            assert_eq!(error_codes(&body), vec!["UNAUTHENTICATED".to_owned()]);
            assert!(
                body.get("data").is_none(),
                "{root}.{field}: no data with a bad token"
            );
        }
    }
    // The matrix saw rows for every caller that may see any.
    for who in ["partner A", "partner B", "staff", "admin", "anonymous"] {
        assert!(
            checked_children.get(who).copied().unwrap_or(0) > 0,
            "{who} saw related rows"
        );
    }
}

fn who_name(who: Who) -> &'static str {
    match who {
        Who::Anonymous => "anonymous",
        Who::PartnerA => "partner A",
        Who::PartnerB => "partner B",
        Who::Staff => "staff",
        Who::Admin => "admin",
    }
}
