//! Connecting to the database, migrating it, and counting the statements it runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::Result;

/// How to reach the database.
#[derive(Clone, Debug)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: u32,
    pub statement_timeout: Option<Duration>,
    /// Statements slower than this are logged as warnings.
    pub slow_statement: Duration,
}

/// Statement counters of one connection pool (exported on `/metrics`; tests use
/// them to prove that a request's statements do not grow with its rows).
#[derive(Debug, Default)]
pub struct DbStats {
    statements: AtomicU64,
    failed: AtomicU64,
}

impl DbStats {
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }
}

/// The default threshold of [`DbConfig::slow_statement`]: statements slower
/// than this are logged as warnings (all others at debug level under the
/// `sql` target: `RUST_LOG=sql=debug`). Either way the log holds the SQL with
/// its placeholders and the number of bound values — never the values, which
/// carry names, e-mail addresses and dates of birth.
pub const SLOW_STATEMENT: Duration = Duration::from_secs(1);

/// Options for a connection to `url` as the service needs it: on SQLite the
/// text collation people read by is registered (the pages order by it and
/// the name indexes are built with it; PostgreSQL's columns carry ICU's own,
/// see the migrations). Anything that writes an SQLite file connects so.
pub fn options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options.map_sqlx_sqlite_opts(|opts| {
        opts.collation(crate::query::page::UNICODE_COLLATION, |a, b| {
            crate::text::collate(a, b)
        })
    });
    options
}

/// Opens a pool and installs the statement counter.
pub async fn connect(config: &DbConfig) -> Result<(DatabaseConnection, Arc<DbStats>)> {
    let mut options = options(&config.url);
    options
        .max_connections(config.max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if let Some(timeout) = config.statement_timeout
        && config.url.starts_with("postgres")
    {
        options.statement_timeout(timeout);
    }
    let mut db = Database::connect(options).await?;
    let stats = Arc::new(DbStats::default());
    let counter = Arc::clone(&stats);
    let slow = config.slow_statement;
    db.set_metric_callback(move |info| {
        counter.statements.fetch_add(1, Ordering::Relaxed);
        if info.failed {
            counter.failed.fetch_add(1, Ordering::Relaxed);
        }
        let elapsed_ms = info.elapsed.as_secs_f64() * 1000.0;
        let sql = info.statement.sql.as_str();
        let parameters = info.statement.values.as_ref().map_or(0, |v| v.0.len());
        if info.elapsed >= slow {
            tracing::warn!(target: "sql", elapsed_ms, failed = info.failed, parameters, sql, "slow statement");
        } else {
            tracing::debug!(target: "sql", elapsed_ms, failed = info.failed, parameters, sql);
        }
    });
    Ok((db, stats))
}

/// True when the database answers a trivial statement.
pub async fn ping(db: &DatabaseConnection) -> bool {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(backend, "SELECT 1"))
        .await
        .is_ok()
}
