//! Error messages name the field and the rule, never the submitted value
//! (numbers, dates and lists included): echoed input is a reflection channel
//! and pollutes logs and reports.

use e2e::{TestServer, error_codes, global_id, sql_ids};
use serde_json::{Value, json};

fn message(body: &Value) -> String {
    body["errors"][0]["message"]
        .as_str()
        .expect("a message")
        .to_owned()
}

#[tokio::test]
async fn messages_name_the_field_and_the_rule_not_the_value() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let orgs = sql_ids(&db, "SELECT id FROM organizations ORDER BY id LIMIT 2").await;
    let (a, b) = (
        global_id("Organization", orgs[0]),
        global_id("Organization", orgs[1]),
    );
    let create =
        "mutation($i: CreateAgreementInput!) { createAgreement(input: $i) { agreement { id } } }";
    let parties = json!([
        { "organizationId": a, "role": "LEAD" },
        { "organizationId": b, "role": "PARTNER" }
    ]);
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "{ countries(first: 1001) { nodes { code } } }",
            json!({}),
            vec!["1001"],
        ),
        (
            "{ countries(first: -7) { nodes { code } } }",
            json!({}),
            vec!["-7"],
        ),
        (
            "{ statistics { studentsByNationality(first: 9999) { count } } }",
            json!({}),
            vec!["9999"],
        ),
        (
            create,
            json!({ "i": { "title": "Echo", "kind": "JOINT_PROGRAM", "startsOn": "2031-07-19",
                           "endsOn": "2020-01-07", "parties": parties } }),
            vec!["2031", "2020", "07-19", "01-07"],
        ),
        (
            create,
            json!({ "i": { "title": "Echo", "kind": "JOINT_PROGRAM",
                           "parties": [{ "organizationId": a, "role": "LEAD" }] } }),
            vec!["got", " 1"],
        ),
        (
            create,
            json!({ "i": { "title": "Echo", "kind": "JOINT_PROGRAM",
                           "parties": [{ "organizationId": a, "role": "PARTNER" }, { "organizationId": b, "role": "PARTNER" }] } }),
            vec!["got", " 0"],
        ),
        (
            create,
            json!({ "i": { "title": "Echo", "kind": "JOINT_PROGRAM", "parties": parties,
                           "fieldCodes": (0..51).map(|i| format!("{:04}", 1000 + i)).collect::<Vec<_>>() } }),
            vec!["51", "got"],
        ),
        (
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }",
            json!({ "i": { "kind": "COMPANY", "name": "Echo GmbH", "countryCode": "DE", "foundedYear": 999 } }),
            vec!["999"],
        ),
        (
            "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }",
            json!({ "f": { "name": { "in": (0..1001).map(|i| format!("n{i}")).collect::<Vec<_>>() } } }),
            vec!["1001"],
        ),
        (
            r#"{ organizations(filter: { id: { eq: "QWdyZWVtZW50OjE=" } }) { totalCount } }"#,
            json!({}),
            vec!["QWdy", "Agreement:1"],
        ),
    ];
    for (query, variables, echoes) in cases {
        let body = server.post(query, variables).await;
        assert!(!error_codes(&body).is_empty(), "refused: {query}\n{body}");
        let text = message(&body);
        for echo in echoes {
            assert!(!text.contains(echo), "`{text}` echoes `{echo}`");
        }
    }
}
