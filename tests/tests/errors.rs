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
    // The rest of the request still answered.
    assert_eq!(body["data"]["countries"]["nodes"][0]["code"], json!("AD"));

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
