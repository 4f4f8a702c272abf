//! A fresh database per test: a SQLite file, or a PostgreSQL database created and dropped when TEST_DATABASE_URL names a server.

use super::*;

/// A database that exists for one test only.
pub struct TestDb {
    pub url: String,
    pub(super) cleanup: Cleanup,
}

pub(super) enum Cleanup {
    File(std::path::PathBuf),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// A database shared between tests and runs (the large data): kept.
    Keep,
}

pub(super) static COUNTER: AtomicU32 = AtomicU32::new(0);

pub(super) fn unique_name() -> String {
    format!(
        "e2e_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        fastrand::u32(..)
    )
}

/// The PostgreSQL server to test against, if any. Under `CI=true` the suite is
/// run once per backend by `.ci/run`, which sets this for the PostgreSQL run.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Replaces the database name in a PostgreSQL URL.
pub(super) fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl TestDb {
    /// A new, empty database on the backend under test.
    pub async fn new() -> TestDb {
        let name = unique_name();
        match postgres_admin_url() {
            Some(admin_url) => {
                let admin = Database::connect(admin_url.as_str())
                    .await
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is not reachable: {e}"));
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE DATABASE \"{name}\""),
                    ))
                    .await
                    .expect("create the test database");
                let _ = admin.close().await;
                TestDb {
                    url: with_database(&admin_url, &name),
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
            None => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                TestDb {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
        }
    }

    /// An SQLite file at `path` (removed when dropped), whatever the
    /// backend under test.
    pub fn sqlite_at(path: std::path::PathBuf) -> TestDb {
        TestDb {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            cleanup: Cleanup::File(path),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// A direct connection, for arranging and checking with SQL (on SQLite
    /// with the text collation the service registers, so that SQL can name it).
    pub async fn connect(&self) -> DatabaseConnection {
        Database::connect(service::db::options(&self.url))
            .await
            .expect("connect to the test database")
    }

    /// Holds a lock that makes a write to `organizations` wait (SQLite: the
    /// write lock; PostgreSQL: the table lock) until the transaction drops.
    pub async fn block_writes(&self) -> sea_orm::DatabaseTransaction {
        use sea_orm::TransactionTrait;
        let db = self.connect().await;
        let txn = db.begin().await.expect("begin");
        let lock = if self.is_postgres() {
            "LOCK TABLE organizations IN ACCESS EXCLUSIVE MODE"
        } else {
            "UPDATE countries SET name = name WHERE code = 'DE'"
        };
        txn.execute_unprepared(lock).await.expect("lock");
        txn
    }

    /// Drops the database now (e.g. to see the server notice).
    pub async fn drop_now(&self) {
        match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => drop_postgres(admin_url, name).await,
            Cleanup::File(path) => {
                let _ = std::fs::remove_file(path);
            }
            Cleanup::Keep => {}
        }
    }
}

/// A PostgreSQL database holding the large synthetic data (10,000
/// organizations, 50,000 agreements, 200,000 students), seeded once and kept
/// for later runs — named after the migrations, so a schema change seeds a
/// new one: the hostile findings that need real volumes run against it. Its
/// URL connects as `TEST_DATABASE_URL` does (over TLS where the server offers
/// it, as across a network).
/// `None` when the suite runs on SQLite.
pub async fn large_postgres() -> Option<TestDb> {
    use migration::MigratorTrait;
    let admin_url = postgres_admin_url()?;
    let name = format!(
        "partners_large_m{}",
        migration::Migrator::migrations().len()
    );
    // One test process seeds it; the others wait, on the lock of a session
    // (one connection) of their own.
    let mut options = sea_orm::ConnectOptions::new(admin_url.clone());
    options.max_connections(1).min_connections(1);
    let admin = Database::connect(options)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is not reachable: {e}"));
    let exec = |sql: String| {
        let admin = &admin;
        async move {
            admin
                .execute_raw(Statement::from_string(admin.get_database_backend(), sql))
                .await
                .expect("administer the large database");
        }
    };
    exec("SELECT pg_advisory_lock(220622)".to_owned()).await;
    let ready = admin
        .query_one_raw(Statement::from_string(
            admin.get_database_backend(),
            format!(
                "SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = '{name}'"
            ),
        ))
        .await
        .expect("look for the large database")
        .and_then(|row| row.try_get::<Option<String>>("", "note").ok().flatten())
        .is_some_and(|note| note == "seeded");
    let url = with_database(&admin_url, &name);
    if !ready {
        exec(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
        exec(format!("CREATE DATABASE \"{name}\"")).await;
        let db = Database::connect(service::db::options(&url))
            .await
            .expect("connect to the large database");
        migration::Migrator::up(&db, None).await.expect("migrate");
        demo::synthetic(&db, demo::synthetic::Scale::Large, &mut |_, _| {})
            .await
            .expect("seed the large data");
        service::organization::key_missing_names(&db)
            .await
            .expect("key the names");
        service::search::index_missing(&db)
            .await
            .expect("fold the searched text");
        db.execute_unprepared("ANALYZE").await.expect("analyze");
        let _ = db.close().await;
        exec(format!("COMMENT ON DATABASE \"{name}\" IS 'seeded'")).await;
    }
    exec("SELECT pg_advisory_unlock(220622)".to_owned()).await;
    let _ = admin.close().await;
    Some(TestDb {
        url,
        cleanup: Cleanup::Keep,
    })
}

pub(super) async fn drop_postgres(admin_url: &str, name: &str) {
    if let Ok(admin) = Database::connect(admin_url).await {
        let _ = admin
            .execute_raw(Statement::from_string(
                admin.get_database_backend(),
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            ))
            .await;
        let _ = admin.close().await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Cleanup::Keep => {}
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: use a thread of our own.
                let _ = std::thread::spawn(move || {
                    if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        rt.block_on(drop_postgres(&admin_url, &name));
                    }
                })
                .join();
            }
        }
    }
}
