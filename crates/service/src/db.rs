//! Connecting to the database, migrating it, and counting the statements it runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::Result;

/// How to reach the database.
#[derive(Clone, Debug)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: u32,
    pub statement_timeout: Option<Duration>,
    /// Longest a statement waits for a connection (and a connection to open).
    pub acquire_timeout: Duration,
    /// Statements slower than this are logged as warnings.
    pub slow_statement: Duration,
    /// PostgreSQL's `random_page_cost` for this pool's connections; `None`
    /// keeps the server's.
    pub random_page_cost: Option<f64>,
}

/// Statement counters of one connection pool (exported on `/metrics`; tests use
/// them to prove that a request's statements do not grow with its rows).
#[derive(Default)]
pub struct DbStats {
    statements: AtomicU64,
    failed: AtomicU64,
    /// Told how long each measured read waited for a connection.
    acquired: std::sync::OnceLock<Box<dyn Fn(Duration) + Send + Sync>>,
    /// Told of each statement: its SQL (placeholders, never values), how
    /// long it ran, whether it failed.
    statement: std::sync::OnceLock<Box<StatementHook>>,
}

/// What [`DbStats::on_statement`] calls.
type StatementHook = dyn Fn(&str, Duration, bool) + Send + Sync;

impl std::fmt::Debug for DbStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbStats")
            .field("statements", &self.statements)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// The pool and the duration of the statement that last ended on this
    /// thread: sea-orm calls the pool's metric callback in the same poll that
    /// hands the statement's result back, so the awaiting code reads it here.
    static LAST_STATEMENT: std::cell::RefCell<Option<(Arc<DbStats>, Duration)>> =
        const { std::cell::RefCell::new(None) };
}

/// Reports how long the statement just awaited waited for its connection:
/// `total` (acquiring it and running the statement) less the statement's own
/// time.
pub fn waited(total: Duration) {
    if let Some((stats, statement)) = LAST_STATEMENT.with(|last| last.borrow_mut().take())
        && let Some(report) = stats.acquired.get()
    {
        report(total.saturating_sub(statement));
    }
}

impl DbStats {
    /// Has `report` told of every statement of this pool as it ends (in the
    /// task that ran it).
    pub fn on_statement(&self, report: impl Fn(&str, Duration, bool) + Send + Sync + 'static) {
        let _ = self.statement.set(Box::new(report));
    }

    /// Has `report` told how long reads waited for a connection of this pool.
    pub fn on_acquire(&self, report: impl Fn(Duration) + Send + Sync + 'static) {
        let _ = self.acquired.set(Box::new(report));
    }

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

/// How much of an SQLite file each connection reads through a memory map
/// (`PRAGMA mmap_size`): 1 GiB.
///
/// Without one, every page a statement reads is copied from the operating
/// system's cache into the connection's own (2 MB by default), and each
/// connection of the pool keeps its own: a nested read of the benchmark's
/// data ran 1.3–1.5× slower than over a map (BENCHMARKS.md, session 23).
/// Mapped, the connections share the operating system's cache and read it
/// in place. Address space, not memory: the pages are the system's file
/// cache, as before.
pub const SQLITE_MMAP_SIZE: u64 = 1 << 30;

/// Options for a connection to `url` as the service needs it: on SQLite the
/// text collation people read by is registered (the pages order by it and
/// the name indexes are built with it; PostgreSQL's columns carry ICU's own,
/// see the migrations), and the file is read through a memory map
/// ([`SQLITE_MMAP_SIZE`]). Anything that writes an SQLite file connects so.
pub fn options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options.map_sqlx_sqlite_opts(|opts| {
        opts.collation(crate::query::page::UNICODE_COLLATION, |a, b| {
            crate::text::collate(a, b)
        })
        .pragma("mmap_size", SQLITE_MMAP_SIZE.to_string())
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
/// must answer a ping at once, or its statement is cancelled (see
/// [`Backends`]).
#[derive(Debug)]
pub struct Work {
    cancelled: AtomicBool,
    ended: tokio::sync::Notify,
    permits: Arc<tokio::sync::Semaphore>,
    /// The lane of costly requests, when this is one.
    costly: Option<CostlyLane>,
    /// Statements run so far.
    statements: AtomicU64,
}

/// The share of the pool that costly requests — those the guard prices
/// above [`CostlyLane::WORK`] units of database work — take their
/// connections from: at most half the pool, so that however many of them
/// run, a cheap request finds a connection at once.
#[derive(Clone, Debug)]
pub struct CostlyLane(Arc<tokio::sync::Semaphore>);

impl CostlyLane {
    /// Priced database work above which a request is costly: a relation
    /// filter through two to-many relations, an order by a related count.
    pub const WORK: u64 = 100;

    /// The lane of a pool of `max_connections`.
    pub fn new(max_connections: u32) -> CostlyLane {
        let share = usize::try_from(max_connections / 2).unwrap_or(1).max(1);
        CostlyLane(Arc::new(tokio::sync::Semaphore::new(share)))
    }

    /// The lane a request priced at `work` runs in: this one, or none.
    pub fn for_work(&self, work: u64) -> Option<CostlyLane> {
        (work > Self::WORK).then(|| self.clone())
    }
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
    /// The work of a request that may hold `connections` connections at
    /// once, taken from the `costly` lane when it is given.
    pub fn new(connections: usize, costly: Option<CostlyLane>) -> Arc<Work> {
        Arc::new(Work {
            cancelled: AtomicBool::new(false),
            ended: tokio::sync::Notify::new(),
            permits: Arc::new(tokio::sync::Semaphore::new(connections.max(1))),
            costly,
            statements: AtomicU64::new(0),
        })
    }

    /// The statements this work has run so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
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

    /// Runs `f` holding one of the work's connection permits (and one of
    /// the costly lane's, for a costly request), so that the request's reads
    /// use at most its share of the pool at once.
    pub async fn bounded<F: std::future::Future>(f: F) -> F::Output {
        let mut permits = (None, None);
        if let Some(work) = Work::current() {
            permits.0 = work.permits.clone().acquire_owned().await.ok();
            if let Some(lane) = &work.costly {
                permits.1 = lane.0.clone().acquire_owned().await.ok();
            }
        }
        let out = f.await;
        drop(permits);
        out
    }
}

/// How long a pooled PostgreSQL connection lives (sqlx's default, stated:
/// [`Backends`] forgets connections older than this).
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How long a cancelled statement may take to end.
const CANCEL_WAIT: Duration = Duration::from_secs(5);
/// How far apart the pool's date of a connection and [`Backends::remember`]
/// may be: the pool dates it in the same poll that ends `after_connect`.
const SAME_CONNECTION: Duration = Duration::from_millis(2);

/// The backends of a PostgreSQL pool's connections by when each was made.
/// sqlx exposes neither a connection's backend pid nor its cancel key, but
/// the pool tells a released connection's age: the one backend made at that
/// moment is the connection's. Two made within [`SAME_CONNECTION`] of each
/// other are not told apart (and not cancelled).
#[derive(Debug, Default)]
struct Backends {
    made: std::sync::Mutex<Vec<(Instant, i32)>>,
}

impl Backends {
    fn remember(&self, pid: i32) {
        let now = Instant::now();
        let mut made = self
            .made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        made.retain(|(at, _)| now.duration_since(*at) <= MAX_LIFETIME + Duration::from_secs(60));
        made.push((now, pid));
    }

    /// The backend of the connection the pool dated `at`, if exactly one.
    fn made_at(&self, at: Instant) -> Option<i32> {
        let made = self
            .made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut near = made.iter().filter(|(when, _)| {
            let apart = if *when > at { *when - at } else { at - *when };
            apart <= SAME_CONNECTION
        });
        match (near.next(), near.next()) {
            (Some((_, pid)), None) => Some(*pid),
            _ => None,
        }
    }
}

/// Asks the server, over a connection of its own, to cancel what backend
/// `pid` runs — only if it is an active backend of this database and user.
async fn cancel(options: &sqlx::postgres::PgConnectOptions, pid: i32) -> bool {
    use sqlx::Connection;
    let asked = async {
        let mut conn = sqlx::postgres::PgConnection::connect_with(options).await?;
        let cancelled: Option<bool> = sqlx::query_scalar(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = $1 \
             AND state = 'active' AND datname = current_database() AND usename = current_user",
        )
        .bind(pid)
        .fetch_optional(&mut conn)
        .await?;
        let _ = conn.close().await;
        Ok::<_, sqlx::Error>(cancelled == Some(true))
    };
    match tokio::time::timeout(CANCEL_WAIT, asked).await {
        Ok(Ok(cancelled)) => cancelled,
        Ok(Err(err)) => {
            tracing::warn!(error = %err, pid, "could not cancel an abandoned statement");
            false
        }
        Err(_) => false,
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
        .connect_timeout(config.acquire_timeout)
        .acquire_timeout(config.acquire_timeout)
        .sqlx_logging(false);
    options.map_sqlx_sqlite_pool_opts(|pool| {
        pool.after_connect(|conn, _| Box::pin(async move { watch_sqlite(conn).await }))
            .before_acquire(|conn, _| {
                Box::pin(async move { watch_sqlite(conn).await.map(|()| true) })
            })
    });
    // A statement whose future was dropped leaves its connection busy.
    // Released in the seconds after a request was abandoned, a connection
    // must answer a ping at once; one that does not is named to the server by
    // its backend's pid and its statement cancelled, and it goes back to the
    // pool. Closing it instead would not do over TLS: sqlx's goodbye waits
    // for the server, which is busy with the statement.
    let backends = Arc::new(Backends::default());
    let remembered = Arc::clone(&backends);
    // Parsed for PostgreSQL only: sqlx would warn of SQLite's `mode=rwc`.
    let postgres = config.url.starts_with("postgres:") || config.url.starts_with("postgresql:");
    let cancel_options = postgres
        .then(|| config.url.parse::<sqlx::postgres::PgConnectOptions>().ok())
        .flatten();
    let random_page_cost = config.random_page_cost;
    options.map_sqlx_postgres_pool_opts(move |pool| {
        let remembered = Arc::clone(&remembered);
        let backends = Arc::clone(&backends);
        let cancel_options = cancel_options.clone();
        pool.max_lifetime(Some(MAX_LIFETIME))
            .after_connect(move |conn, _| {
                let remembered = Arc::clone(&remembered);
                Box::pin(async move {
                    use sqlx::{Executor, Row};
                    // PostgreSQL 14+: a statement whose client has gone is
                    // cancelled within a second. Older servers lack the setting.
                    if let Err(err) = conn.execute("SET client_connection_check_interval = 1000").await {
                        tracing::debug!(error = %err, "client_connection_check_interval is not available");
                    }
                    if let Some(cost) = random_page_cost {
                        // A number: nothing of it to quote.
                        let set = format!("SET random_page_cost = {cost}");
                        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(set))).await?;
                    }
                    let pid: i32 = conn.fetch_one("SELECT pg_backend_pid()").await?.try_get(0)?;
                    // Last, with no await after it: the pool dates the
                    // connection the moment this hook returns.
                    remembered.remember(pid);
                    Ok(())
                })
            })
            .after_release(move |conn, meta| {
                let made_at = Instant::now().checked_sub(meta.age);
                let backends = Arc::clone(&backends);
                let cancel_options = cancel_options.clone();
                Box::pin(async move {
                    use sqlx::Connection;
                    if !recently_abandoned() {
                        return Ok(true);
                    }
                    if let Ok(Ok(())) = tokio::time::timeout(RELEASE_PING, conn.ping()).await {
                        return Ok(true);
                    }
                    // Busy with a statement nobody waits for.
                    let pid = made_at.and_then(|at| backends.made_at(at));
                    if let (Some(pid), Some(options)) = (pid, cancel_options.as_ref())
                        && cancel(options, pid).await
                    {
                        // The first answer is the cancelled statement's error.
                        let settled = tokio::time::timeout(CANCEL_WAIT, async {
                            conn.ping().await.is_ok() || conn.ping().await.is_ok()
                        })
                        .await;
                        if settled == Ok(true) {
                            tracing::info!(pid, "cancelled a statement its request abandoned");
                            return Ok(true);
                        }
                    }
                    // Unnamed: close it (on a plain connection the server,
                    // checking its clients every second, then cancels).
                    tracing::info!(?pid, "closed a connection still running an abandoned statement");
                    Ok(false)
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
        LAST_STATEMENT.with(|last| *last.borrow_mut() = Some((Arc::clone(&counter), info.elapsed)));
        let _ = WORK.try_with(|work| work.statements.fetch_add(1, Ordering::Relaxed));
        if info.failed {
            counter.failed.fetch_add(1, Ordering::Relaxed);
        }
        let elapsed_ms = info.elapsed.as_secs_f64() * 1000.0;
        let sql = info.statement.sql.as_str();
        if let Some(report) = counter.statement.get() {
            report(sql, info.elapsed, info.failed);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backend_is_named_only_when_one_connection_was_made_at_that_moment() {
        let start = Instant::now();
        let backends = Backends::default();
        backends.made.lock().expect("not poisoned").extend([
            (start, 10),
            (start + Duration::from_millis(50), 11),
            (start + Duration::from_millis(51), 12),
        ]);
        assert_eq!(
            backends.made_at(start + Duration::from_micros(300)),
            Some(10)
        );
        assert_eq!(backends.made_at(start + Duration::from_millis(20)), None);
        // Two made within the tolerance of each other: neither is named.
        assert_eq!(backends.made_at(start + Duration::from_millis(50)), None);
    }

    #[test]
    fn costly_requests_share_half_the_pool() {
        let lane = CostlyLane::new(5);
        assert_eq!(lane.0.available_permits(), 2);
        assert!(lane.for_work(CostlyLane::WORK).is_none());
        assert!(lane.for_work(CostlyLane::WORK + 1).is_some());
        assert_eq!(CostlyLane::new(1).0.available_permits(), 1);
    }
}
