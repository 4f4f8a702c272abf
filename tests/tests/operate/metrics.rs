//! `/metrics` parses as Prometheus text and moves with requests.

use e2e::TestServer;
use serde_json::json;

/// The samples of `/metrics`, parsed by an independent Prometheus parser.
async fn scrape(server: &TestServer) -> prometheus_parse::Scrape {
    let text = server.metrics_text().await;
    prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
        .unwrap_or_else(|e| panic!("/metrics is not Prometheus text: {e}\n{text}"))
}

/// The value of the sample `name` whose labels include `labels`.
fn value(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            prometheus_parse::Value::Histogram(ref buckets) => {
                buckets.last().map_or(0.0, |b| b.count)
            }
            prometheus_parse::Value::Summary(_) => f64::NAN,
        })
}

#[tokio::test]
async fn requests_outcomes_durations_statuses_and_pools_are_counted() {
    let server = TestServer::demo().await;
    let before = scrape(&server).await;
    let ok = [
        ("operation", "Directory"),
        ("type", "query"),
        ("outcome", "ok"),
    ];
    assert_eq!(value(&before, "graphql_requests_total", &ok), None);
    for _ in 0..3 {
        let body = server
            .post_anonymous(
                "query Directory { organizations(first: 2) { nodes { name } } }",
                json!({}),
            )
            .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    // A refused field: the outcome is its code.
    let refused = server
        .post_anonymous(
            "query Emails { people(first: 1) { nodes { email } } }",
            json!({}),
        )
        .await;
    assert!(refused.get("errors").is_some(), "{refused}");
    // A mutation, and a request that is not JSON.
    let created = server
        .post(
            "mutation Create($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }",
            json!({ "i": { "fullName": "Metric Person" } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let bad = server
        .client
        .post(&server.url)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), 400);

    let after = scrape(&server).await;
    assert_eq!(value(&after, "graphql_requests_total", &ok), Some(3.0));
    assert_eq!(
        value(
            &after,
            "graphql_requests_total",
            &[
                ("operation", "Emails"),
                ("type", "query"),
                ("outcome", "forbidden")
            ]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &after,
            "graphql_requests_total",
            &[
                ("operation", "Create"),
                ("type", "mutation"),
                ("outcome", "ok")
            ]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &after,
            "graphql_requests_total",
            &[
                ("operation", ""),
                ("type", "unknown"),
                ("outcome", "bad_user_input")
            ]
        ),
        Some(1.0)
    );
    // The histogram holds each request of the operation.
    assert_eq!(
        value(
            &after,
            "graphql_request_duration_seconds_count",
            &[("operation", "Directory"), ("type", "query")]
        ),
        Some(3.0)
    );
    let ok_before = value(&before, "http_requests_total", &[("status", "200")]).unwrap_or(0.0);
    assert!(
        value(&after, "http_requests_total", &[("status", "200")]).unwrap_or(0.0)
            >= ok_before + 5.0
    );
    assert_eq!(
        value(&after, "http_requests_total", &[("status", "400")]),
        Some(1.0)
    );
    assert_eq!(value(&after, "graphql_requests_in_flight", &[]), Some(0.0));
    let idle = value(
        &after,
        "db_pool_connections",
        &[("pool", "primary"), ("state", "idle")],
    );
    let in_use = value(
        &after,
        "db_pool_connections",
        &[("pool", "primary"), ("state", "in_use")],
    );
    // The pool's connections, split by state: the change feed's listener
    // holds one on PostgreSQL, and a connection being released may still
    // count as in use; together at most the pool's size (5 in tests).
    let (Some(idle), Some(in_use)) = (idle, in_use) else {
        panic!("the pool's connections: {idle:?} idle, {in_use:?} in use");
    };
    assert!(
        idle >= 1.0 && idle + in_use <= 5.0,
        "{idle} idle, {in_use} in use"
    );
    assert!(
        value(&after, "db_pool_acquire_seconds_count", &[]).is_some_and(|n| n >= 4.0),
        "reads are timed"
    );
    // The counters kept before stay.
    assert!(value(&after, "graphql_one_statement_reads_total", &[]).is_some_and(|n| n >= 3.0));
    assert_eq!(value(&after, "websocket_connections", &[]), Some(0.0));
    assert_eq!(value(&after, "graphql_subscriptions", &[]), Some(0.0));
}

#[tokio::test]
async fn random_operation_names_cannot_grow_the_series_without_bound() {
    let server = TestServer::empty().await;
    for i in 0..150 {
        let name = format!("Random{i}x{:08x}", fastrand::u32(..));
        let body = server
            .post_anonymous(&format!("query {name} {{ __typename }}"), json!({}))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let scrape = scrape(&server).await;
    let named: Vec<_> = scrape
        .samples
        .iter()
        .filter(|s| s.metric == "graphql_requests_total")
        .filter_map(|s| s.labels.get("operation"))
        .filter(|name| name.starts_with("Random"))
        .collect();
    assert_eq!(named.len(), api::metrics::MAX_OPERATION_NAMES, "{named:?}");
    assert_eq!(
        value(
            &scrape,
            "graphql_requests_total",
            &[("operation", "other"), ("type", "query"), ("outcome", "ok")]
        ),
        Some(50.0)
    );
}

#[tokio::test]
async fn websockets_and_subscriptions_are_gauged() {
    let server = TestServer::demo().await;
    let token = e2e::token(service::Role::Admin, None);
    let mut client = e2e::WsClient::connect_as(&server.url, &token).await;
    client
        .subscribe("1", "subscription Feed { organizationChanged { id } }")
        .await;
    // The subscription registers in its own task.
    let mut seen = None;
    for _ in 0..50 {
        let scrape = scrape(&server).await;
        seen = value(&scrape, "graphql_subscriptions", &[]);
        if seen == Some(1.0) {
            assert_eq!(value(&scrape, "websocket_connections", &[]), Some(1.0));
            assert_eq!(
                value(
                    &scrape,
                    "graphql_requests_total",
                    &[
                        ("operation", "Feed"),
                        ("type", "subscription"),
                        ("outcome", "ok")
                    ]
                ),
                Some(1.0)
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen, Some(1.0));
    drop(client);
    let mut left = None;
    for _ in 0..50 {
        left = value(&scrape(&server).await, "websocket_connections", &[]);
        if left == Some(0.0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(left, Some(0.0));
}
