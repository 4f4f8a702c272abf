//! What `/metrics` reports, in Prometheus' text format: requests by
//! operation, type and outcome, their durations, what is in flight, HTTP
//! statuses, the pools' connections and how long a connection took to get,
//! WebSockets and subscriptions, and the counters the server kept before.
//!
//! Each server has its own recorder (`metrics-exporter-prometheus`, not
//! installed globally), so that servers started side by side in one process
//! (the tests) count apart.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusRecorder};
use sea_orm::DatabaseConnection;

/// Distinct operation names kept as label values; later names count as
/// `other`, so that clients cannot grow the series without bound.
pub const MAX_OPERATION_NAMES: usize = 100;

/// The label value of operations past [`MAX_OPERATION_NAMES`], and of
/// names longer than [`MAX_NAME_BYTES`].
pub const OTHER: &str = "other";

/// Longest operation name kept as a label value (and in the log line).
pub const MAX_NAME_BYTES: usize = 128;

static METADATA: Metadata<'static> = Metadata::new(module_path!(), Level::INFO, None);

/// Buckets of request durations (seconds).
const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Buckets of connection acquisition times (seconds).
const ACQUIRE_BUCKETS: &[f64] = &[
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What kind of operation a request ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationType {
    Query,
    Mutation,
    Subscription,
    /// The document could not be read (or was refused before it was).
    Unknown,
}

impl OperationType {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
            OperationType::Unknown => "unknown",
        }
    }
}

/// The operation a request names in its document: its name (`""` when
/// anonymous) and type.
pub fn operation_of(
    doc: &async_graphql::parser::types::ExecutableDocument,
    name: Option<&str>,
) -> (String, OperationType) {
    use async_graphql::parser::types::{DocumentOperations, OperationType as Kind};
    let found = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some((None, op)),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(n, op)| (Some(n.as_str()), op)),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.iter().next().map(|(n, op)| (Some(n.as_str()), op))
        }
        _ => None,
    };
    let kept = |name: &str| {
        if name.len() > MAX_NAME_BYTES {
            OTHER.to_owned()
        } else {
            name.to_owned()
        }
    };
    let Some((named, op)) = found else {
        return (kept(name.unwrap_or_default()), OperationType::Unknown);
    };
    let kind = match op.node.ty {
        Kind::Query => OperationType::Query,
        Kind::Mutation => OperationType::Mutation,
        Kind::Subscription => OperationType::Subscription,
    };
    (kept(named.or(name).unwrap_or_default()), kind)
}

/// The meters of one server.
pub struct Meters {
    recorder: PrometheusRecorder,
    names: Mutex<HashSet<String>>,
    in_flight: Gauge,
    acquire: Histogram,
    /// The pools whose connections are reported, by label.
    pools: Mutex<Vec<(&'static str, DatabaseConnection)>>,
}

impl Default for Meters {
    fn default() -> Self {
        Meters::new()
    }
}

impl Meters {
    pub fn new() -> Meters {
        let builder = PrometheusBuilder::new();
        let builder = [
            ("graphql_request_duration_seconds", DURATION_BUCKETS),
            ("db_pool_acquire_seconds", ACQUIRE_BUCKETS),
        ]
        .into_iter()
        .fold(builder, |builder, (name, buckets)| {
            // Buckets are never empty: the builder only refuses empty ones.
            match builder.set_buckets_for_metric(Matcher::Full(name.to_owned()), buckets) {
                Ok(builder) => builder,
                Err(_) => unreachable!("non-empty buckets"),
            }
        });
        let recorder = builder.build_recorder();
        let describe = |name: &'static str, help: &'static str| {
            recorder.describe_counter(KeyName::from(name), None, help.into());
        };
        describe(
            "graphql_requests_total",
            "GraphQL operations by operation name, type and outcome (ok, or the error code).",
        );
        describe(
            "graphql_request_duration_seconds",
            "How long GraphQL operations took, by operation name and type.",
        );
        describe(
            "graphql_requests_in_flight",
            "HTTP requests to /graphql being answered now.",
        );
        describe("http_requests_total", "HTTP responses by status code.");
        describe(
            "db_pool_connections",
            "Database pool connections by pool (primary, read) and state (idle, in_use).",
        );
        describe(
            "db_pool_acquire_seconds",
            "How long a request waited for a pool connection.",
        );
        describe(
            "websocket_connections",
            "WebSocket connections open on this replica.",
        );
        describe(
            "graphql_subscriptions",
            "Subscriptions running on this replica's WebSockets.",
        );
        let in_flight =
            recorder.register_gauge(&Key::from_name("graphql_requests_in_flight"), &METADATA);
        let acquire =
            recorder.register_histogram(&Key::from_name("db_pool_acquire_seconds"), &METADATA);
        Meters {
            recorder,
            names: Mutex::new(HashSet::new()),
            in_flight,
            acquire,
            pools: Mutex::new(Vec::new()),
        }
    }

    /// Reports the connections of `db`'s pool under `pool` (`primary`, `read`).
    pub fn watch_pool(&self, pool: &'static str, db: &DatabaseConnection) {
        if let Ok(mut pools) = self.pools.lock() {
            pools.push((pool, db.clone()));
        }
    }

    /// The histogram of connection acquisition times (the service records it).
    pub fn acquire_histogram(&self) -> Histogram {
        self.acquire.clone()
    }

    /// The label value for operation `name`: itself while fewer than
    /// [`MAX_OPERATION_NAMES`] names are kept, else [`OTHER`].
    fn operation_label(&self, name: &str) -> String {
        if name.is_empty() {
            return String::new();
        }
        if name.len() > MAX_NAME_BYTES {
            return OTHER.to_owned();
        }
        let Ok(mut names) = self.names.lock() else {
            return OTHER.to_owned();
        };
        if names.contains(name) {
            return name.to_owned();
        }
        if names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            return name.to_owned();
        }
        OTHER.to_owned()
    }

    /// Counts one operation and its duration; `outcome` is `ok` or an error
    /// code (in any case).
    pub fn operation(&self, name: &str, kind: OperationType, outcome: &str, elapsed: Duration) {
        let operation = self.operation_label(name);
        let ty = kind.as_str();
        let counter: Counter = self.recorder.register_counter(
            &Key::from_parts(
                "graphql_requests_total",
                vec![
                    Label::new("operation", operation.clone()),
                    Label::new("type", ty),
                    Label::new("outcome", outcome.to_ascii_lowercase()),
                ],
            ),
            &METADATA,
        );
        counter.increment(1);
        let histogram = self.recorder.register_histogram(
            &Key::from_parts(
                "graphql_request_duration_seconds",
                vec![Label::new("operation", operation), Label::new("type", ty)],
            ),
            &METADATA,
        );
        histogram.record(elapsed.as_secs_f64());
    }

    /// Counts one HTTP response.
    pub fn http_status(&self, status: u16) {
        self.recorder
            .register_counter(
                &Key::from_parts(
                    "http_requests_total",
                    vec![Label::new("status", status.to_string())],
                ),
                &METADATA,
            )
            .increment(1);
    }

    /// Marks a request in flight until the returned guard drops.
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.increment(1.0);
        InFlight(self.in_flight.clone())
    }

    /// A gauge set to `value` at render time.
    fn gauge(&self, name: &'static str, labels: Vec<Label>, value: f64) {
        self.recorder
            .register_gauge(&Key::from_parts(name, labels), &METADATA)
            .set(value);
    }

    /// Folds the histograms' samples into their buckets: the exporter keeps
    /// each sample until then, so this runs every few seconds whether or
    /// not anyone scrapes.
    pub fn upkeep(&self) {
        self.recorder.handle().run_upkeep();
    }

    /// The text of `/metrics`: these meters, after `extra` (the counters
    /// the server kept before).
    pub fn render(&self, sockets: usize, subscriptions: usize, extra: &str) -> String {
        if let Ok(pools) = self.pools.lock() {
            for (pool, db) in pools.iter() {
                let (size, idle) = pool_state(db);
                let in_use = size.saturating_sub(idle);
                for (state, value) in [("idle", idle), ("in_use", in_use)] {
                    self.gauge(
                        "db_pool_connections",
                        vec![Label::new("pool", *pool), Label::new("state", state)],
                        value as f64,
                    );
                }
            }
        }
        self.gauge("websocket_connections", Vec::new(), sockets as f64);
        self.gauge("graphql_subscriptions", Vec::new(), subscriptions as f64);
        let mut text = extra.to_owned();
        text.push_str(&self.recorder.handle().render());
        text
    }
}

/// A request counted in flight; uncounted when dropped.
pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// A pool's connections: open, and idle among them.
fn pool_state(db: &DatabaseConnection) -> (usize, usize) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size() as usize, pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size() as usize, pool.num_idle())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_past_the_limit_count_as_other() {
        let meters = Meters::new();
        for i in 0..MAX_OPERATION_NAMES + 50 {
            meters.operation(
                &format!("Op{i}"),
                OperationType::Query,
                "ok",
                Duration::from_millis(1),
            );
        }
        let text = meters.render(0, 0, "");
        let series = text
            .lines()
            .filter(|l| l.starts_with("graphql_requests_total{"))
            .count();
        assert_eq!(series, MAX_OPERATION_NAMES + 1, "{text}");
        assert!(
            text.contains(
                r#"graphql_requests_total{operation="other",type="query",outcome="ok"} 50"#
            ),
            "{text}"
        );
        // A name kept earlier keeps its own series.
        meters.operation("Op3", OperationType::Query, "FORBIDDEN", Duration::ZERO);
        assert!(meters.render(0, 0, "").contains(
            r#"graphql_requests_total{operation="Op3",type="query",outcome="forbidden"} 1"#
        ));
    }

    #[test]
    fn the_selected_operation_is_named() {
        let doc =
            async_graphql::parser::parse_query("query A { __typename } mutation B { __typename }")
                .expect("parses");
        assert_eq!(
            operation_of(&doc, Some("B")),
            ("B".to_owned(), OperationType::Mutation)
        );
        let doc = async_graphql::parser::parse_query("{ __typename }").expect("parses");
        assert_eq!(
            operation_of(&doc, None),
            (String::new(), OperationType::Query)
        );
        let doc = async_graphql::parser::parse_query("query Named { __typename }").expect("parses");
        assert_eq!(
            operation_of(&doc, None),
            ("Named".to_owned(), OperationType::Query)
        );
        // A name too long to keep is `other`, in the log as in the labels.
        let long = "N".repeat(MAX_NAME_BYTES + 1);
        let doc = async_graphql::parser::parse_query(format!("query {long} {{ __typename }}"))
            .expect("parses");
        assert_eq!(
            operation_of(&doc, None),
            (OTHER.to_owned(), OperationType::Query)
        );
    }
}
