//! Every response carries `x-request-id`, refusals actix makes itself
//! included; on `/graphql` those refusals are GraphQL-shaped JSON with an
//! `extensions.code`.

use e2e::TestServer;
use serde_json::Value;

#[tokio::test]
async fn every_answer_carries_a_request_id_and_graphql_refusals_a_code() {
    let server = TestServer::empty().await;
    let client = &server.client;
    let url = &server.url;
    let big = format!(
        "{{\"query\":\"{{ __typename }}\",\"pad\":\"{}\"}}",
        "x".repeat(2 << 20)
    );
    let cases = [
        (
            "malformed body",
            client
                .post(url)
                .header("content-type", "application/json")
                .body("{nope"),
            400,
            "BAD_USER_INPUT",
        ),
        (
            "bad token",
            client
                .post(url)
                .bearer_auth("not-a-token")
                .json(&serde_json::json!({"query": "{ __typename }"})),
            401,
            "UNAUTHENTICATED",
        ),
        (
            "wrong method",
            client.put(url).body("{}"),
            405,
            "BAD_USER_INPUT",
        ),
        (
            "too large",
            client
                .post(url)
                .header("content-type", "application/json")
                .body(big),
            413,
            "LIMIT_EXCEEDED",
        ),
        (
            "not JSON",
            client
                .post(url)
                .header("content-type", "text/plain")
                .body("{ __typename }"),
            415,
            "BAD_USER_INPUT",
        ),
    ];
    for (case, request, status, code) in cases {
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), status, "{case}");
        let id = response
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("{case}: no x-request-id"));
        assert!(!id.is_empty());
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(content_type.contains("json"), "{case}: {content_type}");
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            body["errors"][0]["extensions"]["code"], code,
            "{case}: {body}"
        );
    }
    for path in [
        "/healthz",
        "/readyz",
        "/",
        "/graphql?query=%7B__typename%7D",
        "/nowhere",
    ] {
        let response = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .expect("send");
        assert!(response.headers().contains_key("x-request-id"), "{path}");
    }
    // A client's own id comes back.
    let response = client
        .get(format!("{}/healthz", server.base))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .expect("send");
    assert_eq!(response.headers()["x-request-id"], "trace-42");
}
