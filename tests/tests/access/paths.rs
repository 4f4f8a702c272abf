//! Every path into the data: nested relations, node lookups, relation filters and refused fields.

use super::*;

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

/// Identifiers and names belong to the public directory: every caller
/// reads them, and finds the organization by an identifier, alike; the
/// parties' IIA ids likewise.
#[tokio::test]
async fn identifiers_names_and_lookup_by_identifier_for_every_role() {
    let w = World::new().await;
    let id = global("Organization", w.a);
    let node = w
        .post(
            Who::Staff,
            "query($id: ID!) { node(id: $id) { ... on Organization { version } } }",
            json!({ "id": id }),
        )
        .await;
    let version = node["data"]["node"]["version"].clone();
    let written = w
        .post(
            Who::Staff,
            "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id } } }",
            json!({ "input": { "id": id, "version": version,
                "identifiers": [{ "scheme": "PIC", "value": "987654321" }, { "scheme": "SCHAC", "value": "partner-a.example.org" }],
                "names": [{ "value": "Partner A", "lang": "en", "kind": "LABEL" }, { "value": "伙伴甲", "lang": "zh-Hans", "kind": "LABEL" }] } }),
        )
        .await;
    assert!(written.get("errors").is_none(), "{written}");
    let query = "query($v: String!) { organizationByIdentifier(scheme: SCHAC, value: $v) {
        id identifiers { scheme value } names { value lang kind } } }";
    let expected = json!({ "organizationByIdentifier": {
        "id": id,
        "identifiers": [
            { "scheme": "PIC", "value": "987654321" },
            { "scheme": "SCHAC", "value": "partner-a.example.org" }
        ],
        "names": [
            { "value": "Partner A", "lang": "en", "kind": "LABEL" },
            { "value": "伙伴甲", "lang": "zh-Hans", "kind": "LABEL" }
        ]
    } });
    let home_iia = w
        .sql("SELECT COUNT(*) AS id FROM agreement_parties p JOIN organizations o ON o.id = p.organization_id WHERE o.is_home AND p.iia_id IS NOT NULL AND p.agreement_id IN (SELECT id FROM agreements ORDER BY id LIMIT 100)")
        .await[0];
    for who in [
        Who::Anonymous,
        Who::PartnerA,
        Who::PartnerB,
        Who::Staff,
        Who::Admin,
    ] {
        let body = w
            .post(who, query, json!({ "v": "Partner-A.example.org" }))
            .await;
        assert_eq!(body["data"], expected, "{}: {body}", who_name(who));
        let parties = w
            .post(
                who,
                "{ agreements(first: 100) { nodes { parties { iiaId organization { ... on Organization { isHome } } } } } }",
                json!({}),
            )
            .await;
        assert!(
            parties.get("errors").is_none(),
            "{}: {parties}",
            who_name(who)
        );
        let with_iia = parties["data"]["agreements"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .flat_map(|a| a["parties"].as_array().expect("parties").clone())
            .filter(|p| p["organization"]["isHome"] == true && p["iiaId"].is_string())
            .count() as i64;
        assert!(home_iia > 0);
        assert_eq!(with_iia, home_iia, "{}", who_name(who));
    }
}
