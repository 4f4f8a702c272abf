//! Token buckets per caller: a burst past the limit is refused with 429,
//! `Retry-After` and `RATE_LIMITED` while another caller is served; a forged
//! `X-Forwarded-For` does not refill a bucket; WebSocket operations take
//! from the same bucket.

use e2e::TestServer;
use serde_json::{Value, json};

const QUERY: &str = r#"{"query":"{ __typename }"}"#;

/// POSTs `{ __typename }` with `headers`; the status, `Retry-After` and body.
async fn send(server: &TestServer, headers: &[(&str, String)]) -> (u16, Option<String>, Value) {
    let mut request = server
        .client
        .post(&server.url)
        .header("content-type", "application/json")
        .body(QUERY);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, retry, response.json().await.expect("JSON"))
}

fn limited(server_rate: u32) -> impl FnOnce(&mut api::config::Config) {
    move |config| {
        config.rate_limit_anonymous = server_rate;
        config.rate_limit_authenticated = server_rate;
    }
}

#[tokio::test]
async fn a_burst_is_refused_with_429_while_another_caller_is_served() {
    // One a second, two at once.
    let server = TestServer::start_with(false, limited(1)).await;
    let mut statuses = Vec::new();
    let mut refusal = None;
    for i in 0..6 {
        // A different forged `X-Forwarded-For` each time: not believed.
        let forged = vec![("x-forwarded-for", format!("198.51.100.{i}"))];
        let (status, retry, body) = send(&server, &forged).await;
        statuses.push(status);
        if status == 429 {
            refusal = Some((retry, body));
        }
    }
    assert_eq!(&statuses[..2], &[200, 200], "{statuses:?}");
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 3,
        "{statuses:?}"
    );
    let (retry, body) = refusal.expect("a refusal");
    let retry: u64 = retry.expect("Retry-After").parse().expect("whole seconds");
    assert!((1..=2).contains(&retry), "{retry}");
    assert_eq!(
        e2e::error_codes(&body),
        vec!["RATE_LIMITED".to_owned()],
        "{body}"
    );
    // A caller with a token has its own bucket.
    let token = e2e::token(service::Role::Staff, None);
    let (status, _, body) = send(&server, &[("authorization", format!("Bearer {token}"))]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn forwarded_addresses_count_apart_only_behind_a_trusted_proxy() {
    let server = TestServer::start_with(false, |config| {
        limited(1)(config);
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("a CIDR")];
    })
    .await;
    // Each forwarded client has a bucket of its own: the proxy vouches.
    for i in 0..6 {
        let (status, _, body) =
            send(&server, &[("x-forwarded-for", format!("203.0.113.{i}"))]).await;
        assert_eq!(status, 200, "client {i}: {body}");
    }
    // One forwarded client past its burst, whatever it writes before the
    // proxy's entry.
    let mut statuses = Vec::new();
    for i in 0..5 {
        let chain = format!("192.0.2.{i}, 203.0.113.200");
        statuses.push(send(&server, &[("x-forwarded-for", chain)]).await.0);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn websocket_operations_take_from_the_same_bucket() {
    let server = TestServer::start_with(false, limited(1)).await;
    let token = e2e::token(service::Role::Staff, None);
    let mut client = e2e::WsClient::connect_as(&server.url, &token).await;
    let mut codes = Vec::new();
    for i in 0..5 {
        client
            .send(json!({
                "id": format!("q{i}"),
                "type": "subscribe",
                "payload": { "query": "{ __typename }" },
            }))
            .await;
        // The answer (`next` + `complete`) or the refusal (`error`).
        let message = client
            .next(std::time::Duration::from_secs(5))
            .await
            .expect("an answer");
        if message["type"] == "error" {
            codes.push(message["payload"][0]["extensions"]["code"].clone());
        } else {
            assert_eq!(message["type"], "next", "{message}");
            let complete = client
                .next(std::time::Duration::from_secs(5))
                .await
                .expect("complete");
            assert_eq!(complete["type"], "complete", "{complete}");
        }
    }
    assert!(codes.len() >= 2, "{codes:?}");
    assert!(codes.iter().all(|c| c == "RATE_LIMITED"), "{codes:?}");
    // The same caller over HTTP finds its bucket empty too.
    let (status, _, _) = send(&server, &[("authorization", format!("Bearer {token}"))]).await;
    assert_eq!(status, 429);
}
