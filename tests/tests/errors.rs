//! Internal failures reach the client only as INTERNAL with a request id.

use e2e::{TestServer, error_codes, token};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

#[tokio::test]
async fn a_database_error_is_masked_and_carries_the_request_id() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    db.execute_unprepared("DROP TABLE visits")
        .await
        .expect("drop a table under the server");
    let resp = server
        .client
        .post(&server.url)
        .header("authorization", format!("Bearer {}", token(service::Role::Admin, None)))
        .header("x-request-id", "test-request-42")
        .json(&json!({ "query": "{ visits(first: 5) { nodes { id } } countries(first: 1) { nodes { code } } }" }))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.headers()["x-request-id"], "test-request-42");
    let text = resp.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(error_codes(&body), vec!["INTERNAL".to_owned()]);
    let error = &body["errors"][0];
    assert_eq!(error["message"], json!("internal error"));
    assert_eq!(error["extensions"]["requestId"], json!("test-request-42"));
    for leak in [
        "SELECT",
        "no such table",
        "does not exist",
        "sqlx",
        "sea_orm",
        "DbErr",
        ".rs",
        "/root",
        "/home",
    ] {
        assert!(!text.contains(leak), "the response leaks {leak:?}: {text}");
    }
    // `visits` is non-null: its failure nulls the data, the rest of the
    // request with it ("Errors and Non-Null Types").
    assert_eq!(body["data"], Value::Null, "{body}");

    // Without a client id, one is made up and returned the same way.
    let resp = server
        .client
        .post(&server.url)
        .header(
            "authorization",
            format!("Bearer {}", token(service::Role::Admin, None)),
        )
        .json(&json!({ "query": "{ visits { totalCount } }" }))
        .send()
        .await
        .expect("send");
    let header = resp.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["requestId"], json!(header));
    assert!(header.len() >= 16);
}

/// Input errors name the field and the expected form; they never echo what
/// was sent (so text that looks like SQL or a source path cannot be reflected).
#[tokio::test]
async fn input_errors_do_not_echo_submitted_values() {
    let server = TestServer::empty().await;
    let probe = "SELECT x FROM src/main.rs:12 sea_orm";
    let cases = [
        (
            format!("{{ countries(first: \"{probe}\") {{ totalCount }} }}"),
            json!({}),
        ),
        (
            "query($k: AgreementKind) { agreements(filter: { kind: { eq: $k } }) { totalCount } }"
                .to_owned(),
            json!({ "k": probe }),
        ),
        (
            format!("{{ agreements(filter: {{ kind: {{ eq: {} }} }}) {{ totalCount }} }}", "SEA_ORM_SELECT"),
            json!({}),
        ),
        (
            "query($d: Date) { agreements(filter: { signedOn: { gt: $d } }) { totalCount } }".to_owned(),
            json!({ "d": probe }),
        ),
        (
            "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }".to_owned(),
            json!({ "i": { "kind": "COMPANY", "name": "X", "countryCode": "DE", "website": probe, "rorId": probe } }),
        ),
        (
            "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }".to_owned(),
            json!({ "i": { "fullName": "X", "email": probe } }),
        ),
    ];
    for (query, variables) in cases {
        let body = server.post(&query, variables).await;
        let codes = error_codes(&body);
        assert!(
            !codes.is_empty() && codes.iter().all(|c| c == "BAD_USER_INPUT"),
            "{query}: {body}"
        );
        let errors = body["errors"].to_string();
        for echoed in ["SELECT", "src/main.rs", "sea_orm", "SEA_ORM"] {
            assert!(
                !errors.contains(echoed),
                "{query} echoes `{echoed}`: {errors}"
            );
        }
    }
}
