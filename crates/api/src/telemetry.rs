//! Logging, set up once: `RUST_LOG` filters (default `info`); `LOG_FORMAT`
//! chooses text (colours only when the log goes to a terminal) or one JSON
//! object per line.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The filter when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// Logging as `RUST_LOG` asks, in `format`; a malformed filter is an error
/// naming it.
pub fn init(format: LogFormat) -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => {
            check_targets(&value)?;
            EnvFilter::try_new(&value)
                .map_err(|e| format!("RUST_LOG is not a valid log filter: {e}"))?
        }
        _ => EnvFilter::new(DEFAULT_FILTER),
    };
    install(filter, format);
    Ok(())
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
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        // `timestamp`, `level`, `target`, `message` and the event's fields
        // at the top level; the request span's id as `span`.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
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
