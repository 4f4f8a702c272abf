//! Logging, set up once: `RUST_LOG` filters (default `info`). Colours only
//! when the log goes to a terminal.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The filter when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// Logging as `RUST_LOG` asks; a malformed filter is an error naming it.
pub fn init() -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::try_new(&value)
            .map_err(|e| format!("RUST_LOG is not a valid log filter: {e}"))?,
        _ => EnvFilter::new(DEFAULT_FILTER),
    };
    install(filter);
    Ok(())
}

/// Logging with `default` as the filter when `RUST_LOG` is not set or not valid.
pub fn init_with_default(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    install(filter);
}

fn install(filter: EnvFilter) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
