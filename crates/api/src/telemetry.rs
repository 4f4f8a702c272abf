//! Logging and traces, set up once: `RUST_LOG` filters (default `info`);
//! `LOG_FORMAT` chooses text (colours only when the log goes to a terminal)
//! or one JSON object per line. When `OTEL_EXPORTER_OTLP_ENDPOINT` is set,
//! spans go over OTLP/HTTP (protobuf) to `{endpoint}/v1/traces`, batched in
//! the background: one per request (continuing the caller's W3C
//! `traceparent`), one per SQL statement (its text with placeholders, never
//! the values). Without it nothing of OpenTelemetry runs.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The filter when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// The tracer of the OTLP exporter, when one runs.
static TRACER: std::sync::OnceLock<opentelemetry_sdk::trace::SdkTracer> =
    std::sync::OnceLock::new();

/// What must be flushed before the process exits.
#[must_use]
pub struct Telemetry {
    provider: Option<opentelemetry_sdk::trace::SdkTracerProvider>,
}

impl Telemetry {
    /// Sends the spans still batched (the OTLP exporter's), then stops it.
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(err) = provider.shutdown()
        {
            eprintln!("warning: the last spans could not be sent: {err}");
        }
    }
}

/// Whether spans are exported (`OTEL_EXPORTER_OTLP_ENDPOINT` is set).
pub fn tracing_on() -> bool {
    TRACER.get().is_some()
}

/// The OTLP exporter when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces'
/// own endpoint variable) is set; the other `OTEL_*` variables apply.
fn otlp() -> Result<Option<opentelemetry_sdk::trace::SdkTracerProvider>, String> {
    use opentelemetry::trace::TracerProvider;
    use opentelemetry_otlp::WithExportConfig;
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    if !set("OTEL_EXPORTER_OTLP_ENDPOINT") && !set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
        return Ok(None);
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
        .build()
        .map_err(|e| format!("OTEL_EXPORTER_OTLP_ENDPOINT: cannot export spans: {e}"))?;
    let mut resource = opentelemetry_sdk::Resource::builder();
    if !set("OTEL_SERVICE_NAME") {
        resource = resource.with_service_name("partnerships-api");
    }
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource.build())
        .build();
    let _ = TRACER.set(provider.tracer("partnerships-api"));
    Ok(Some(provider))
}

/// One span for an SQL statement that just ended after `elapsed`, under the
/// current span (the request's).
pub fn sql_span(system: &'static str, sql: &str, elapsed: std::time::Duration, failed: bool) {
    use opentelemetry::KeyValue;
    use opentelemetry::trace::{Span, SpanKind, Status, Tracer};
    use tracing_opentelemetry::OpenTelemetrySpanExt;
    let Some(tracer) = TRACER.get() else {
        return;
    };
    // Statements outside a request (start-up, the change feed's listener)
    // would each be a trace of their own: not exported.
    let current = tracing::Span::current();
    if current.is_none() {
        return;
    }
    let parent = current.context();
    let end = std::time::SystemTime::now();
    let start = end.checked_sub(elapsed).unwrap_or(end);
    let mut span = tracer
        .span_builder("sql")
        .with_kind(SpanKind::Client)
        .with_start_time(start)
        .with_attributes([
            KeyValue::new("db.system.name", system),
            KeyValue::new("db.query.text", sql.to_owned()),
        ])
        .start_with_context(tracer, &parent);
    if failed {
        span.set_status(Status::error("the statement failed"));
    }
    span.end_with_timestamp(end);
}

/// Makes `span` continue the trace the request's `traceparent` names, when
/// spans are exported.
pub fn continue_trace(span: &tracing::Span, headers: &actix_web::http::header::HeaderMap) {
    use opentelemetry::propagation::{Extractor, TextMapPropagator};
    use tracing_opentelemetry::OpenTelemetrySpanExt;
    struct Headers<'a>(&'a actix_web::http::header::HeaderMap);
    impl Extractor for Headers<'_> {
        fn get(&self, key: &str) -> Option<&str> {
            self.0.get(key).and_then(|v| v.to_str().ok())
        }
        fn keys(&self) -> Vec<&str> {
            self.0.keys().map(|k| k.as_str()).collect()
        }
    }
    if !tracing_on() {
        return;
    }
    let parent =
        opentelemetry_sdk::propagation::TraceContextPropagator::new().extract(&Headers(headers));
    let _ = span.set_parent(parent);
}

/// Logging as `RUST_LOG` asks, in `format`, and traces when configured; a
/// malformed filter is an error naming it.
pub fn init(format: LogFormat) -> Result<Telemetry, String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => {
            check_targets(&value)?;
            EnvFilter::try_new(&value)
                .map_err(|e| format!("RUST_LOG is not a valid log filter: {e}"))?
        }
        _ => EnvFilter::new(DEFAULT_FILTER),
    };
    let provider = otlp()?;
    install(filter, format);
    Ok(Telemetry { provider })
}

/// The targets this program logs under (a directive may name a module
/// below one of them, `api::http`).
const TARGETS: &[&str] = &[
    "api",
    "service",
    "migration",
    "demo",
    "sql",
    "sqlx",
    "sqlx_core",
    "sqlx_postgres",
    "sqlx_sqlite",
    "sea_orm",
    "sea_orm_migration",
    "actix_web",
    "actix_server",
    "actix_http",
    "async_graphql",
    "tokio",
    "hyper",
    "rustls",
    "e2e",
];
const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];

/// Refuses a filter none of whose directives names a level or a known
/// target: `RUST_LOG=verbose` parses (as a target named "verbose") and
/// would silently turn every line off.
fn check_targets(value: &str) -> Result<(), String> {
    let known = value
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .any(|directive| {
            let (target, level) = match directive.split_once('=') {
                Some((target, level)) => (target, Some(level)),
                None => (directive, None),
            };
            let target = target.split('[').next().unwrap_or(target);
            let root = target.split("::").next().unwrap_or(target);
            LEVELS.contains(&target.to_ascii_lowercase().as_str())
                || TARGETS.contains(&root)
                || level.is_some() && target.is_empty()
        });
    if known {
        Ok(())
    } else {
        Err(format!(
            "RUST_LOG names no level and no target of this program: give a level ({}) or target=level, e.g. info,api=debug",
            LEVELS.join(", ")
        ))
    }
}

/// Logging with `default` as the filter when `RUST_LOG` is not set or not valid.
pub fn init_with_default(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    install(filter, LogFormat::Text);
}

fn install(filter: EnvFilter, format: LogFormat) {
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // Spans are exported whatever `RUST_LOG` lets the log show: the
    // request's and its operation's (this crate's, at INFO).
    let traces = TRACER.get().map(|tracer| {
        tracing_opentelemetry::layer()
            .with_tracer(tracer.clone())
            .with_filter(
                tracing_subscriber::filter::Targets::new().with_target("api", tracing::Level::INFO),
            )
    });
    let registry = tracing_subscriber::registry().with(traces);
    let _ = match format {
        LogFormat::Text => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::stderr().is_terminal())
                    .with_filter(filter),
            )
            .try_init(),
        // `timestamp`, `level`, `target`, `message` and the event's fields
        // at the top level; the innermost span as `span`.
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_filter(filter),
            )
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::check_targets;

    #[test]
    fn filters_must_name_a_level_or_a_target_of_ours() {
        for good in [
            "info",
            "WARN",
            "info,sqlx=warn,sea_orm=warn",
            "api::http=debug",
            "sql=debug",
            "off",
        ] {
            assert!(check_targets(good).is_ok(), "{good}");
        }
        for bad in ["verbose", "loud,quiet", "myapp=debug"] {
            assert!(check_targets(bad).is_err(), "{bad}");
        }
    }
}
