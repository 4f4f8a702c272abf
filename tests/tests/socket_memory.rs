//! Memory through one socket (issue #22, finding 2): 100 wide operations,
//! each within every limit, sent at once on one WebSocket. The socket's cost
//! budget (`WS_MAX_COST`) runs what fits and refuses the rest, so the
//! process's peak memory stays within twice what one operation alone needs.
//! Alone in its binary, so that the peak measured is this test's.

use std::time::Duration;

use e2e::TestServer;
use serde_json::json;

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM")
        * 1024
}

#[tokio::test]
async fn wide_operations_on_one_socket_stay_within_the_socket_budget() {
    let server = TestServer::demo().await;
    // 10 × 100 organizations × 195 aliased names: 195,000 values, under
    // MAX_COMPLEXITY (250,000), MAX_FIELDS (2,000: 10 × 197 selections) and
    // the 200 keys an object of an answer holds.
    let aliases: String = (0..195).map(|i| format!("n{i}: name ")).collect();
    let query: String = (0..10)
        .map(|i| format!("o{i}: organizations(first: 100) {{ nodes {{ {aliases} }} }} "))
        .collect();
    let query = format!("{{ {query}}}");
    assert!(query.len() < 64 * 1024);
    let mut client = e2e::WsClient::connect(&server.url, json!({})).await;
    // One operation alone: what the process needs for one answer.
    client.subscribe("alone", &query).await;
    for expected in ["next", "complete"] {
        let message = client
            .next(Duration::from_secs(120))
            .await
            .expect("the operation ends");
        assert_eq!(message["type"], expected, "{message}");
        if expected == "next" {
            assert!(message["payload"].get("errors").is_none(), "{message}");
        }
    }
    let one = peak_rss();
    for i in 0..100 {
        client.subscribe(&format!("w{i}"), &query).await;
    }
    let (mut answered, mut refused) = (0, 0);
    let mut ends = 0;
    while ends < 100 {
        let message = client
            .next(Duration::from_secs(120))
            .await
            .expect("every operation ends");
        match message["type"].as_str() {
            Some("next") => {
                assert!(
                    message["payload"].get("errors").is_none(),
                    "answered in full: {message}"
                );
                answered += 1;
            }
            Some("complete") => ends += 1,
            Some("error") => {
                assert_eq!(
                    message["payload"][0]["extensions"]["limit"],
                    json!("WS_MAX_COST"),
                    "{message}"
                );
                refused += 1;
                ends += 1;
            }
            other => panic!("unexpected {other:?}: {message}"),
        }
    }
    assert!(answered >= 1, "what fits the budget runs");
    assert_eq!(answered + refused, 100);
    let peak = peak_rss();
    eprintln!(
        "peak RSS {} MiB ({} MiB after one operation alone): {answered} answered, {refused} refused",
        peak >> 20,
        one >> 20
    );
    // The budget runs one such operation at a time (two at worst, as one
    // ends and the next starts); without it the 100 were held at once (5.3 GB
    // on PostgreSQL when the issue was found).
    assert!(
        peak < 2 * one,
        "peak RSS {} MiB, {} MiB after one operation alone, with {answered} answered, {refused} refused",
        peak >> 20,
        one >> 20
    );
}
