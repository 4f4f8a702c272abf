//! Connecting to the database, migrating it, and counting the statements it runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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

/// What one request does with the database, so that it stops when the
/// request ends — answered, timed out, refused, or its client gone — and holds
/// at most a bounded number of connections at once.
///
/// A request runs inside [`Work::scope`]; the pool's hooks read the work of
/// the task that asks for a connection. On SQLite each statement runs under a
/// progress handler that interrupts it once its work is cancelled. On
/// PostgreSQL a statement whose future was dropped leaves its connection
/// busy: a connection released in the seconds after a request was abandoned
/// must answer a ping at once, or it is closed, and the server (which checks
/// its clients every second, `client_connection_check_interval`) cancels the
/// statement.
#[derive(Debug)]
pub struct Work {
    cancelled: AtomicBool,
    ended: tokio::sync::Notify,
    permits: Arc<tokio::sync::Semaphore>,
}

tokio::task_local! {
    static WORK: Arc<Work>;
}

/// When a request was last abandoned with statements possibly running
/// (milliseconds since [`started`]); 0: never.
static ABANDONED_AT: AtomicU64 = AtomicU64::new(0);
/// How long after an abandonment released connections are checked.
const ABANDON_WINDOW: Duration = Duration::from_secs(60);
/// How long a released connection may take to answer a ping then.
const RELEASE_PING: Duration = Duration::from_millis(250);

fn started() -> std::time::Instant {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(started().elapsed().as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl Work {
    /// The work of a request that may hold `connections` connections at once.
    pub fn new(connections: usize) -> Arc<Work> {
        Arc::new(Work {
            cancelled: AtomicBool::new(false),
            ended: tokio::sync::Notify::new(),
            permits: Arc::new(tokio::sync::Semaphore::new(connections.max(1))),
        })
    }

    /// The work of the running task's request, if it runs in one.
    pub fn current() -> Option<Arc<Work>> {
        WORK.try_with(Arc::clone).ok()
    }

    /// Runs `f` as part of this work.
    pub async fn scope<F: std::future::Future>(self: &Arc<Self>, f: F) -> F::Output {
        WORK.scope(Arc::clone(self), f).await
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Ends the work: its statements stop. `answered`: the request ended
    /// normally, nothing of it is still running.
    pub fn end(&self, answered: bool) {
        if self.cancelled.swap(true, Ordering::AcqRel) {
            return;
        }
        if !answered {
            ABANDONED_AT.store(now_ms(), Ordering::Release);
        }
        self.ended.notify_waiters();
    }

    /// Resolves once the work has ended.
    pub async fn ended(&self) {
        let ended = self.ended.notified();
        if self.is_cancelled() {
            return;
        }
        ended.await;
    }

    /// Runs `f` holding one of the work's connection permits, so that the
    /// request's reads use at most its share of the pool at once.
    pub async fn bounded<F: std::future::Future>(f: F) -> F::Output {
        let permit = match Work::current() {
            Some(work) => work.permits.clone().acquire_owned().await.ok(),
            None => None,
        };
        let out = f.await;
        drop(permit);
        out
    }
}

/// Whether a request was abandoned recently enough that a released
/// connection may still be running one of its statements.
fn recently_abandoned() -> bool {
    let at = ABANDONED_AT.load(Ordering::Acquire);
    at != 0
        && now_ms().saturating_sub(at)
            < u64::try_from(ABANDON_WINDOW.as_millis()).unwrap_or(u64::MAX)
}

/// Installs, on a SQLite connection about to run statements, the progress
/// handler that interrupts them once the asking request's work has ended.
async fn watch_sqlite(conn: &mut sqlx::SqliteConnection) -> std::result::Result<(), sqlx::Error> {
    let work = Work::current();
    let mut handle = conn.lock_handle().await?;
    match work {
        // Every few thousand virtual-machine steps: microseconds apart.
        Some(work) => handle.set_progress_handler(4_000, move || !work.is_cancelled()),
        None => handle.remove_progress_handler(),
    }
    Ok(())
}

/// Opens a pool and installs the statement counter.
pub async fn connect(config: &DbConfig) -> Result<(DatabaseConnection, Arc<DbStats>)> {
    let mut options = options(&config.url);
    options
        .max_connections(config.max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    options.map_sqlx_sqlite_pool_opts(|pool| {
        pool.after_connect(|conn, _| Box::pin(async move { watch_sqlite(conn).await }))
            .before_acquire(|conn, _| {
                Box::pin(async move { watch_sqlite(conn).await.map(|()| true) })
            })
    });
    // Whether a connection of this pool speaks TLS: closing one that runs a
    // statement then waits for the statement (the TLS goodbye needs the
    // server's attention), so abandoned statements are only cut short on
    // plain connections (`sslmode=disable`, the same-host setup), and run
    // to DATABASE_STATEMENT_TIMEOUT_SECS over TLS.
    let tls = Arc::new(AtomicBool::new(false));
    let tls_seen = Arc::clone(&tls);
    options.map_sqlx_postgres_pool_opts(move |pool| {
        let tls_seen = Arc::clone(&tls_seen);
        let tls = Arc::clone(&tls);
        pool.after_connect(move |conn, _| {
            let tls_seen = Arc::clone(&tls_seen);
            Box::pin(async move {
                use sqlx::{Executor, Row};
                // PostgreSQL 14+: a statement whose client has gone is
                // cancelled within a second. Older servers lack the setting.
                if let Err(err) = conn.execute("SET client_connection_check_interval = 1000").await {
                    tracing::debug!(error = %err, "client_connection_check_interval is not available");
                }
                let ssl = conn
                    .fetch_optional("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                    .await?
                    .and_then(|row| row.try_get::<bool, _>(0).ok())
                    .unwrap_or(false);
                if ssl {
                    tls_seen.store(true, Ordering::Relaxed);
                }
                Ok(())
            })
        })
        .after_release(move |conn, _| {
            let tls = Arc::clone(&tls);
            Box::pin(async move {
                use sqlx::Connection;
                if !recently_abandoned() || tls.load(Ordering::Relaxed) {
                    return Ok(true);
                }
                // Busy with a statement nobody waits for: close it, and the
                // server cancels the statement.
                match tokio::time::timeout(RELEASE_PING, conn.ping()).await {
                    Ok(Ok(())) => Ok(true),
                    Ok(Err(_)) | Err(_) => {
                        tracing::info!("closed a connection still running an abandoned statement");
                        Ok(false)
                    }
                }
            })
        })
    });
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
