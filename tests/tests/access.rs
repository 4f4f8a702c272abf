//! Who may see what: each role against each path into the data. A forbidden row
//! is neither returned nor counted; forbidden fields are null with `FORBIDDEN`.

use std::collections::{BTreeMap, BTreeSet};

use e2e::{
    TestServer, error_codes, expired_token, forged_token, ids_and_total, pages, raw_id, raw_key,
    sql_ids, sql_pairs, token,
};
use serde_json::{Value, json};
use service::Role;

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

#[tokio::test]
async fn nested_paths_to_students_respect_the_rules() {
    let w = World::new().await;
    let (a, b) = (w.a, w.b);
    // From the organization: A sees its own home students through A, nothing through B.
    let query = "query($id: ID!) { node(id: $id) { ... on University {
        homeStudents(first: 100) { totalCount nodes { id } } students(first: 100) { totalCount nodes { id } } } } }";
    for (org, expected_home) in [
        (
            a,
            format!("SELECT id FROM students WHERE home_organization_id = {a}"),
        ),
        (b, "SELECT id FROM students WHERE 1 = 0".to_owned()),
    ] {
        let body = w
            .post(
                Who::PartnerA,
                query,
                json!({ "id": global("Organization", org) }),
            )
            .await;
        let node = &body["data"]["node"];
        let expected = w.sql(&expected_home).await;
        assert_eq!(
            node["homeStudents"]["totalCount"],
            json!(expected.len()),
            "org {org}"
        );
        // Hosted students: only those whose home is A.
        let hosted = w.sql(&format!(
            "SELECT id FROM students WHERE host_organization_id = {org} AND home_organization_id = {a}"
        )).await;
        assert_eq!(
            node["students"]["totalCount"],
            json!(hosted.len()),
            "org {org} hosted"
        );
    }
    // From countries, programs and agreements: every student seen is A's.
    let query = r#"{
        countries(first: 100, filter: { students: { some: {} } }) { nodes { students(first: 100) { totalCount nodes { homeOrganization { id } } } } }
        agreements(first: 100) { nodes { students(first: 100) { nodes { homeOrganization { id } } } } }
        programs(first: 100) { nodes { students(first: 100) { nodes { homeOrganization { id } } } } }
    }"#;
    let body = w.post(Who::PartnerA, query, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    let a_id = json!(global("Organization", a));
    let mut seen = 0;
    let mut total = 0;
    for root in ["countries", "agreements", "programs"] {
        for parent in body["data"][root]["nodes"].as_array().expect("nodes") {
            if let Some(n) = parent["students"]["totalCount"].as_u64() {
                total += n;
            }
            for s in parent["students"]["nodes"].as_array().expect("students") {
                assert_eq!(
                    s["homeOrganization"]["id"], a_id,
                    "{root}: only A's students"
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "A sees its students along these paths");
    let own = w
        .sql(&format!(
            "SELECT id FROM students WHERE home_organization_id = {a}"
        ))
        .await;
    assert_eq!(
        total,
        own.len() as u64,
        "countries count exactly A's students"
    );
}

#[tokio::test]
async fn node_lookups_of_forbidden_rows_are_null() {
    let w = World::new().await;
    let b_student = w
        .sql(&format!(
            "SELECT id FROM students WHERE home_organization_id = {}",
            w.b
        ))
        .await[0];
    let a_student = w
        .sql(&format!(
            "SELECT id FROM students WHERE home_organization_id = {}",
            w.a
        ))
        .await[0];
    let ids = json!([global("Student", a_student), global("Student", b_student)]);
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    let body = w.post(Who::PartnerA, query, json!({ "ids": ids })).await;
    assert_eq!(
        body["data"]["nodes"][0]["id"],
        json!(global("Student", a_student))
    );
    assert_eq!(body["data"]["nodes"][1], Value::Null);
    let body = w.post(Who::Anonymous, query, json!({ "ids": ids })).await;
    assert_eq!(body["data"]["nodes"], json!([null, null]));
    let body = w.post(Who::Staff, query, json!({ "ids": ids })).await;
    assert!(body["data"]["nodes"][1]["id"].is_string());
}

/// `node`/`nodes` for rows of every restricted type: each caller gets exactly
/// the rows it may see, and `null` for the others.
#[tokio::test]
async fn node_lookups_follow_the_rules_for_every_restricted_type() {
    let w = World::new().await;
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    let one = "query($id: ID!) { node(id: $id) { id } }";
    for (ty, table) in [
        ("Student", "students"),
        ("Person", "people"),
        ("Program", "programs"),
        ("JointUnit", "joint_units"),
        ("Visit", "visits"),
    ] {
        let all = w.sql(&format!("SELECT id FROM {table}")).await;
        let seen_by_a: BTreeSet<i64> = w
            .sql(&w.visible_sql(Who::PartnerA, table))
            .await
            .into_iter()
            .collect();
        // Up to three rows A sees and three it does not.
        let mut sample: Vec<i64> = all
            .iter()
            .filter(|id| seen_by_a.contains(id))
            .take(3)
            .copied()
            .collect();
        sample.extend(all.iter().filter(|id| !seen_by_a.contains(id)).take(3));
        let ids: Vec<String> = sample.iter().map(|&id| global(ty, id)).collect();
        for who in [
            Who::Anonymous,
            Who::PartnerA,
            Who::PartnerB,
            Who::Staff,
            Who::Admin,
        ] {
            let visible: BTreeSet<i64> = w
                .sql(&w.visible_sql(who, table))
                .await
                .into_iter()
                .collect();
            let body = w.post(who, query, json!({ "ids": ids })).await;
            assert!(body.get("errors").is_none(), "{who:?} {ty}: {body}");
            for (i, &id) in sample.iter().enumerate() {
                let node = &body["data"]["nodes"][i];
                let single = w.post(who, one, json!({ "id": ids[i] })).await;
                if visible.contains(&id) {
                    assert_eq!(node["id"], json!(ids[i]), "{who:?} sees {ty} {id}");
                    assert_eq!(
                        single["data"]["node"]["id"],
                        json!(ids[i]),
                        "{who:?} node {ty} {id}"
                    );
                } else {
                    assert_eq!(*node, Value::Null, "{who:?} must not see {ty} {id}");
                    assert_eq!(
                        single["data"]["node"],
                        Value::Null,
                        "{who:?} node {ty} {id}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn relation_filters_learn_nothing_about_forbidden_rows() {
    let w = World::new().await;
    let filter = json!({ "students": { "some": { "homeOrganization": { "id": { "eq": global("Organization", w.b) } } } } });
    let query = "query($f: AgreementFilter) { agreements(filter: $f) { totalCount } }";
    let admin = w.post(Who::Admin, query, json!({ "f": filter })).await;
    let by_a = w.post(Who::PartnerA, query, json!({ "f": filter })).await;
    let anon = w.post(Who::Anonymous, query, json!({ "f": filter })).await;
    let expected = w.sql(&format!(
        "SELECT DISTINCT agreement_id AS id FROM students WHERE home_organization_id = {} AND agreement_id IS NOT NULL",
        w.b
    )).await;
    assert_eq!(
        admin["data"]["agreements"]["totalCount"],
        json!(expected.len())
    );
    assert_eq!(by_a["data"]["agreements"]["totalCount"], json!(0));
    assert_eq!(anon["data"]["agreements"]["totalCount"], json!(0));
    // Filtering on fields one may not see is refused.
    let body = w
        .post(
            Who::PartnerA,
            "{ students(filter: { dateOfBirth: { lt: \"2000-01-01\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["FORBIDDEN".to_owned()]);
    let body = w
        .post(
            Who::Anonymous,
            "{ people(filter: { email: { contains: \"@\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["FORBIDDEN".to_owned()]);
    let body = w
        .post(
            Who::PartnerA,
            "{ agreements(filter: { summary: { contains: \"a\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["FORBIDDEN".to_owned()]);
}

#[tokio::test]
async fn forbidden_fields_are_null_with_an_error() {
    let w = World::new().await;
    let query = "{ students(first: 3) { nodes { fullName email dateOfBirth } } }";
    let staff = w.post(Who::Staff, query, json!({})).await;
    assert!(staff.get("errors").is_none(), "{staff}");
    assert!(staff["data"]["students"]["nodes"][0]["dateOfBirth"].is_string());
    let partner = w.post(Who::PartnerA, query, json!({})).await;
    let nodes = partner["data"]["students"]["nodes"]
        .as_array()
        .expect("nodes");
    assert!(!nodes.is_empty());
    for n in nodes {
        assert!(
            n["email"].is_string(),
            "a partner sees its own students' e-mail"
        );
        assert_eq!(n["dateOfBirth"], Value::Null);
    }
    let codes = error_codes(&partner);
    assert_eq!(codes.len(), nodes.len());
    assert!(codes.iter().all(|c| c == "FORBIDDEN"));

    // People's e-mail: only staff and the person's own organization.
    let query = "{ people(first: 100) { nodes { email organization { id } } } }";
    let anon = w.post(Who::Anonymous, query, json!({})).await;
    assert!(
        anon["data"]["people"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .all(|n| n["email"].is_null())
    );
    assert!(error_codes(&anon).iter().all(|c| c == "FORBIDDEN"));
    let partner = w.post(Who::PartnerA, query, json!({})).await;
    let a_id = json!(global("Organization", w.a));
    for n in partner["data"]["people"]["nodes"]
        .as_array()
        .expect("nodes")
    {
        assert_eq!(
            n["email"].is_string(),
            n["organization"]["id"] == a_id,
            "{n}"
        );
    }

    // Agreement summaries: parties and staff.
    let query = "{ agreements(first: 100) { nodes { summary parties { organization { id } } } } }";
    let partner = w.post(Who::PartnerA, query, json!({})).await;
    let mut own = 0;
    for n in partner["data"]["agreements"]["nodes"]
        .as_array()
        .expect("nodes")
    {
        let party = n["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .any(|p| p["organization"]["id"] == a_id);
        if party {
            own += 1;
        } else {
            assert!(n["summary"].is_null());
        }
    }
    assert!(own > 0);
}

#[tokio::test]
async fn statistics_are_public_figures() {
    let w = World::new().await;
    let query = r#"{ statistics(asOf: "2024-04-03") { partnerOrganizations internationalStudents studentsByNationality(first: 3) { count } } }"#;
    let admin = w.post(Who::Admin, query, json!({})).await;
    for who in [Who::Anonymous, Who::PartnerA, Who::Staff] {
        let body = w.post(who, query, json!({})).await;
        assert_eq!(body["data"], admin["data"], "{who:?}");
    }
    assert_eq!(
        admin["data"]["statistics"]["internationalStudents"],
        json!(170)
    );
}

/// The group counts `who` sees under `key` of a root connection, keyed by the
/// key as text (enums in lower case, `<null>` for null).
fn group_counts(groups: &Value, field: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    let mut previous = u64::MAX;
    for g in groups.as_array().expect("groups") {
        let n = g["count"].as_u64().expect("count");
        assert!(n <= previous, "largest group first: {groups}");
        previous = n;
        let key = match &g["key"][field] {
            Value::Null => "<null>".to_owned(),
            Value::String(s) if s.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                s.to_lowercase()
            }
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        counts.insert(key, n);
    }
    counts
}

/// Every root connection × every caller: `aggregate { count }` counts, and
/// `groups` partitions, exactly the rows the caller may see (SQL decides).
#[tokio::test]
async fn aggregates_and_groups_count_only_visible_rows() {
    let w = World::new().await;
    let db = w.server.db.connect().await;
    let year = "SUBSTR(CAST(starts_on AS TEXT), 1, 4)";
    let roots = [
        ("organizations", "organizations", "KIND", "kind", "kind"),
        ("people", "people", "TITLE", "title", "title"),
        ("events", "events", "KIND", "kind", "kind"),
        ("agreements", "agreements", "STATUS", "status", "status"),
        ("programs", "programs", "KIND", "kind", "kind"),
        ("students", "students", "STATUS", "status", "status"),
        ("jointUnits", "joint_units", "KIND", "kind", "kind"),
        ("visits", "visits", "STARTS_ON_YEAR", "startsOnYear", year),
    ];
    // A measured field per root (`distinctCount` for people, `min` and `max`
    // for the rest), checked against SQL over the visible rows.
    let measured = |root: &str| match root {
        "organizations" => ("foundedYear", "founded_year"),
        "people" => ("nationality", "nationality"),
        "events" | "visits" => ("startsOn", "starts_on"),
        "agreements" => ("signedOn", "signed_on"),
        "programs" => ("capacity", "capacity"),
        "students" => ("enrolledOn", "enrolled_on"),
        _ => ("establishedOn", "established_on"),
    };
    for (root, table, by, field, column) in roots {
        for who in [
            Who::Anonymous,
            Who::PartnerA,
            Who::PartnerB,
            Who::Staff,
            Who::Admin,
        ] {
            let visible = w.visible_sql(who, table);
            let expected_count = w.sql(&visible).await.len();
            let expected: BTreeMap<String, u64> = sql_pairs(
                &db,
                &format!(
                    "SELECT COALESCE(CAST({column} AS TEXT), '<null>') AS p, COUNT(*) AS id
                     FROM {table} WHERE id IN ({visible}) GROUP BY {column}"
                ),
            )
            .await
            .into_iter()
            .map(|(k, n)| (k.trim_end().to_owned(), n as u64))
            .collect();
            let (m_field, m_column) = measured(root);
            let (measures, sql_measures) = if root == "people" {
                (
                    format!("distinctCount {{ {m_field} }}"),
                    format!("CAST(COUNT(DISTINCT {m_column}) AS TEXT) AS p"),
                )
            } else {
                (
                    format!("min {{ {m_field} }} max {{ {m_field} }}"),
                    format!(
                        "COALESCE(CAST(MIN({m_column}) AS TEXT), '<null>') || ' ' || COALESCE(CAST(MAX({m_column}) AS TEXT), '<null>') AS p"
                    ),
                )
            };
            let query = format!(
                "{{ {root} {{ aggregate {{ count {measures} }} groups(by: [{by}]) {{ key {{ {field} }} count }} }} }}"
            );
            let body = w.post(who, &query, json!({})).await;
            assert!(body.get("errors").is_none(), "{who:?} {root}: {body}");
            let expected_measures = sql_pairs(
                &db,
                &format!(
                    "SELECT {sql_measures}, CAST(0 AS BIGINT) AS id FROM {table} WHERE id IN ({visible})"
                ),
            )
            .await
            .remove(0)
            .0;
            let agg = &body["data"][root]["aggregate"];
            let as_text = |v: &Value| match v {
                Value::Null => "<null>".to_owned(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let got_measures = if root == "people" {
                as_text(&agg["distinctCount"][m_field])
            } else {
                format!(
                    "{} {}",
                    as_text(&agg["min"][m_field]),
                    as_text(&agg["max"][m_field])
                )
            };
            assert_eq!(got_measures, expected_measures, "{who:?} {root} measures");
            assert_eq!(
                body["data"][root]["aggregate"]["count"],
                json!(expected_count),
                "{who:?} {root} aggregate"
            );
            assert_eq!(
                group_counts(&body["data"][root]["groups"], field),
                expected,
                "{who:?} {root} groups by {by}"
            );
        }
    }
}

/// A field a caller may not read on every row is refused in aggregates: the
/// key is present and null with `FORBIDDEN` at its path, its neighbours are
/// answered, and grouping by it or `having` on it is refused; staff get the
/// values SQL gives.
#[tokio::test]
async fn refused_fields_cannot_be_aggregated_grouped_or_used_in_having() {
    let w = World::new().await;
    let db = w.server.db.connect().await;
    let sql_text = |sql: &'static str| {
        let db = db.clone();
        async move {
            sql_pairs(
                &db,
                &format!("SELECT CAST(({sql}) AS TEXT) AS p, CAST(0 AS BIGINT) AS id"),
            )
            .await
            .remove(0)
            .0
        }
    };
    let cases = [
        (
            "students",
            "min",
            "dateOfBirth",
            "SELECT MIN(date_of_birth) FROM students",
        ),
        (
            "students",
            "distinctCount",
            "email",
            "SELECT COUNT(DISTINCT email) FROM students",
        ),
        (
            "people",
            "distinctCount",
            "email",
            "SELECT COUNT(DISTINCT email) FROM people",
        ),
        (
            "agreements",
            "max",
            "summary",
            "SELECT MAX(summary) FROM agreements",
        ),
    ];
    for (root, op, field, sql) in cases {
        let query = format!("{{ {root} {{ aggregate {{ count {op} {{ {field} }} }} }} }}");
        for who in [Who::Anonymous, Who::PartnerA, Who::PartnerB] {
            let body = w.post(who, &query, json!({})).await;
            let values = &body["data"][root]["aggregate"][op];
            assert!(
                values.as_object().is_some_and(|o| o.contains_key(field))
                    && values[field].is_null(),
                "{who:?} {root}.{op}.{field}: the key stays, null: {body}"
            );
            assert!(body["data"][root]["aggregate"]["count"].is_u64(), "{body}");
            assert_eq!(error_codes(&body), vec!["FORBIDDEN".to_owned()], "{who:?}");
            assert_eq!(
                body["errors"][0]["path"],
                json!([root, "aggregate", op, field]),
                "{body}"
            );
        }
        let expected = sql_text(sql).await;
        for who in [Who::Staff, Who::Admin] {
            let body = w.post(who, &query, json!({})).await;
            assert!(body.get("errors").is_none(), "{who:?}: {body}");
            let got = match &body["data"][root]["aggregate"][op][field] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(got, expected, "{who:?} {root}.{op}.{field}");
        }
    }
    // Grouping by a refused field, or `having` on it, refuses the whole list.
    let refused = [
        "{ students { groups(by: [DATE_OF_BIRTH_YEAR]) { count } } }",
        "{ students { groups(by: [STATUS], having: { min: { dateOfBirth: { lt: \"2000-01-01\" } } }) { count } } }",
        "{ agreements { groups(by: [STATUS], having: { distinctCount: { summary: { gt: 0 } } }) { count } } }",
        "{ people { groups(by: [TITLE], having: { max: { email: { gt: \"m\" } } }) { count } } }",
    ];
    for query in refused {
        for who in [Who::Anonymous, Who::PartnerA] {
            let body = w.post(who, query, json!({})).await;
            assert_eq!(
                error_codes(&body),
                vec!["FORBIDDEN".to_owned()],
                "{who:?} {query}: {body}"
            );
        }
        let staff = w.post(Who::Staff, query, json!({})).await;
        assert!(staff.get("errors").is_none(), "{query}: {staff}");
    }
    // Staff: the groups by year of birth are SQL's.
    let body = w
        .post(
            Who::Staff,
            "{ students { groups(by: [DATE_OF_BIRTH_YEAR], first: 100) { key { dateOfBirthYear } count } } }",
            json!({}),
        )
        .await;
    let expected: BTreeMap<String, u64> = sql_pairs(
        &db,
        "SELECT COALESCE(SUBSTR(CAST(date_of_birth AS TEXT), 1, 4), '<null>') AS p, COUNT(*) AS id
         FROM students GROUP BY SUBSTR(CAST(date_of_birth AS TEXT), 1, 4)",
    )
    .await
    .into_iter()
    .map(|(k, n)| (k, n as u64))
    .collect();
    assert_eq!(
        group_counts(&body["data"]["students"]["groups"], "dateOfBirthYear"),
        expected
    );
}
