//! Helpers for the end-to-end tests: a fresh database per test (SQLite file, or a
//! PostgreSQL database created and dropped when `TEST_DATABASE_URL` names a
//! server) and the real server started on a free port.

use std::sync::atomic::{AtomicU32, Ordering};

use api::config::Config;
use api::server::{self, Running};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

mod ws;
pub use ws::*;
mod db;
pub use db::*;

/// Server configuration for tests: a free port, one worker, the given database.
pub fn test_config(database_url: &str, demo_data: bool) -> Config {
    let limits = guard::Limits::DEFAULT;
    let size = |n: usize| n as u64;
    Config {
        host: [127, 0, 0, 1].into(),
        port: 0,
        database_url: database_url.to_owned(),
        database_read_url: None,
        database_max_connections: 5,
        database_max_connections_per_request: 2,
        database_statement_timeout_secs: 30,
        database_random_page_cost: api::config::PageCost(Some(1.1)),
        slow_statement_ms: 1000,
        page_size_default: 100,
        page_size_max: 100,
        max_batch: 10,
        max_depth: u64::from(limits.max_depth),
        max_complexity: limits.max_cost,
        max_batch_cost: limits.max_batch_cost,
        max_reads: limits.max_reads,
        max_database_work: limits.max_database_work,
        max_document_bytes: size(limits.max_document_bytes),
        max_fields: limits.max_fields,
        max_directives: size(limits.max_directives),
        max_filter_depth: u64::from(limits.max_filter_depth),
        max_filter_terms: limits.max_filter_terms,
        max_query_parameters: limits.max_query_parameters,
        max_list_values: size(limits.max_list_values),
        max_node_ids: size(limits.max_node_ids),
        max_text_length: size(limits.max_text_length),
        max_response_bytes: 16 << 20,
        max_errors: 100,
        request_timeout: std::time::Duration::from_secs(30),
        drain_timeout: std::time::Duration::from_secs(10),
        metrics_addr: None,
        metrics_token: None,
        app_env: api::config::AppEnv::Development,
        cors_origins: Vec::new(),
        persisted_operations_file: None,
        demo_data: Some(demo_data),
        introspection: None,
        graphiql: None,
        workers: Some(1),
        ws_max_sockets_per_address: 32,
        ws_max_cost: limits.max_cost,
        ws_max_queued_bytes: 16 << 20,
        request_body_timeout: std::time::Duration::from_secs(10),
        jwt_secret: Some(TEST_JWT_SECRET.to_owned()),
        jwt_public_key: None,
        jwt_algorithm: None,
        jwt_issuer: None,
        jwt_audience: None,
        log_format: api::config::LogFormat::Text,
        database_acquire_timeout: std::time::Duration::from_secs(5),
        // Off: the suite sends far more than a client would; the rate
        // limit's own tests turn it on.
        rate_limit_authenticated: 0,
        rate_limit_anonymous: 0,
        trusted_proxies: Vec::new(),
    }
}

/// The secret test servers verify tokens with.
pub const TEST_JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";

/// A token for `role` (and the partner's organization id) signed with the test secret.
pub fn token(role: service::Role, organization_id: Option<i64>) -> String {
    let config = api::auth::AuthConfig {
        secret: Some(TEST_JWT_SECRET.to_owned()),
        ..Default::default()
    };
    api::auth::mint(
        &config,
        "tester",
        role,
        organization_id,
        std::time::Duration::from_secs(600),
    )
    .expect("mint a token")
}

/// The real server, started on a free port with its own database.
pub struct TestServer {
    pub url: String,
    pub base: String,
    pub client: reqwest::Client,
    pub running: Running,
    pub db: TestDb,
}

impl TestServer {
    /// A server over a fresh database holding the demo data.
    pub async fn demo() -> TestServer {
        Self::start(true).await
    }

    /// A server over a fresh, migrated database without data.
    pub async fn empty() -> TestServer {
        Self::start(false).await
    }

    async fn start(demo_data: bool) -> TestServer {
        Self::start_with(demo_data, |_| {}).await
    }

    /// A server over a fresh database (with the demo data when asked) whose
    /// configuration `tweak` adjusts.
    pub async fn start_with(demo_data: bool, tweak: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_on(TestDb::new().await, demo_data, tweak).await
    }

    /// A server over `db` (with the demo data when asked and the database is
    /// empty) whose configuration `tweak` adjusts.
    pub async fn start_on(
        db: TestDb,
        demo_data: bool,
        tweak: impl FnOnce(&mut Config),
    ) -> TestServer {
        // Internal errors are logged: show them next to a failing test.
        api::telemetry::init_with_default("error");
        let mut config = test_config(&db.url, demo_data);
        tweak(&mut config);
        let running = server::start(&config).await.expect("start the server");
        let base = format!("http://{}", running.addr);
        TestServer {
            url: format!("{base}/graphql"),
            base,
            client: test_client(),
            running,
            db,
        }
    }

    /// POSTs an operation as an admin (who sees every row) and returns the
    /// whole JSON response. Access rules are tested with [`post_as`] and
    /// [`post_anonymous`].
    ///
    /// [`post_as`]: TestServer::post_as
    /// [`post_anonymous`]: TestServer::post_anonymous
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        let admin = token(service::Role::Admin, None);
        self.post_as(&admin, query, variables).await.1
    }

    /// The `version` of the row of type `ty` (an object or interface) with
    /// global id `id`, as an admin reads it.
    pub async fn version_of(&self, ty: &str, id: &str) -> Value {
        self.data(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on {ty} {{ version }} }} }}"),
            json!({ "id": id }),
        )
        .await["node"]["version"]
            .clone()
    }

    /// POSTs an operation without credentials.
    pub async fn post_anonymous(&self, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(&self.url)
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("send the request");
        response.json().await.expect("a JSON response")
    }

    /// Every page of the root connection `root` that `query` asks, as an
    /// admin ([`pages`]).
    pub async fn pages(&self, query: &str, root: &str) -> Vec<Value> {
        pages(
            |query: String, variables: Value| async move { self.post(&query, variables).await },
            query,
            root,
        )
        .await
    }

    /// POSTs an operation that must succeed, and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        assert!(
            body.get("errors").is_none(),
            "unexpected errors: {body:#}\nquery: {query}"
        );
        body["data"].clone()
    }

    /// POSTs an operation with `Authorization: Bearer <token>`; returns the
    /// status and the JSON body.
    pub async fn post_as(&self, token: &str, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(&self.url)
            .header("accept", "application/graphql-response+json")
            .header("authorization", format!("Bearer {token}"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("send the request");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON response"))
    }

    /// SQL statements the server has run so far.
    pub fn statements(&self) -> u64 {
        self.running.stats.statements()
    }

    /// The text of the server's `/metrics`.
    pub async fn metrics_text(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// A counter or gauge of the server's `/metrics`.
    pub async fn metric(&self, name: &str) -> u64 {
        let text = self.metrics_text().await;
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} in {text}"))
    }

    /// A second replica of the API over this server's database: another
    /// server (its own pools and change feed) sharing nothing but the data.
    pub async fn replica(&self) -> Replica {
        self.replica_with(|_| {}).await
    }

    /// A second replica whose configuration `tweak` adjusts.
    pub async fn replica_with(&self, tweak: impl FnOnce(&mut Config)) -> Replica {
        let mut config = test_config(&self.db.url, false);
        tweak(&mut config);
        let running = server::start(&config).await.expect("start the replica");
        Replica {
            url: format!("http://{}/graphql", running.addr),
            running,
        }
    }
}

/// Another server over a [`TestServer`]'s database.
pub struct Replica {
    pub url: String,
    pub running: Running,
}

impl Drop for Replica {
    fn drop(&mut self) {
        drop(self.running.handle.stop(false));
        self.running.task.abort();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Stop accepting and close the pool's users before the database goes.
        let handle = self.running.handle.clone();
        drop(handle.stop(false));
        self.running.task.abort();
    }
}

/// The `extensions.code` of every error of a response.
pub fn error_codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The row key inside a global id (`Type:key`), for comparing with SQL.
pub fn raw_id(global: &Value) -> i64 {
    use base64::Engine;
    let text = global.as_str().expect("an id string");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .expect("base64");
    let raw = String::from_utf8(bytes).expect("utf-8");
    raw.rsplit(':')
        .next()
        .expect("a key")
        .parse()
        .expect("a numeric key")
}

/// Every page of the root connection `root` that `query` asks (a query
/// taking `$after: String` and selecting `pageInfo { hasNextPage endCursor }`),
/// walking forward by cursor from the first page. `post` sends the query with
/// its variables and returns the answer's body, which must hold no errors.
pub async fn pages<F, Fut>(post: F, query: &str, root: &str) -> Vec<Value>
where
    F: Fn(String, Value) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let mut pages = Vec::new();
    let mut after = Value::Null;
    for _ in 0..1000 {
        let body = post(query.to_owned(), json!({ "after": after })).await;
        assert!(body.get("errors").is_none(), "{root}: {body:#}");
        let conn = body["data"][root].clone();
        let more = conn["pageInfo"]["hasNextPage"] == json!(true);
        after = conn["pageInfo"]["endCursor"].clone();
        pages.push(conn);
        if !more {
            return pages;
        }
    }
    panic!("{root}: more than 1000 pages");
}

/// The ids of every page (sorted) and the last page's `totalCount`.
pub fn ids_and_total(pages: &[Value]) -> (Vec<i64>, u64) {
    let mut ids = page_ids(pages);
    ids.sort_unstable();
    let total = pages
        .last()
        .map_or(0, |p| p["totalCount"].as_u64().expect("totalCount"));
    (ids, total)
}

/// The ids of the `nodes` of every page, in order.
pub fn page_ids(pages: &[Value]) -> Vec<i64> {
    pages
        .iter()
        .flat_map(|conn| conn["nodes"].as_array().expect("nodes"))
        .map(|n| raw_id(&n["id"]))
        .collect()
}

/// Every id (as row keys, sorted) a root connection returns for `filter`,
/// walking all pages; and the connection's `totalCount`.
pub async fn filtered_ids(
    server: &TestServer,
    root: &str,
    filter_type: &str,
    filter: Value,
    extra_args: &str,
) -> (Vec<i64>, u64) {
    let query = format!(
        "query($f: {filter_type}, $after: String) {{ {root}(first: 100, after: $after, filter: $f{extra_args}) {{
            totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }}"
    );
    let post = |query: String, mut variables: Value| {
        variables["f"] = filter.clone();
        async move { server.post(&query, variables).await }
    };
    ids_and_total(&pages(post, &query, root).await)
}

/// The ids a SQL query returns (its first column, named `id`), sorted.
pub async fn sql_ids(db: &DatabaseConnection, sql: &str) -> Vec<i64> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let mut ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64>("", "id").expect("an id column"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The key inside a global id (`Type:key`) as text: a row id or a code.
pub fn raw_key(global: &Value) -> String {
    use base64::Engine;
    let text = global.as_str().expect("an id string");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .expect("base64");
    let raw = String::from_utf8(bytes).expect("utf-8");
    raw.split_once(':').expect("Type:key").1.to_owned()
}

/// The global id of a row (`Type:key`, base64url).
pub fn global_id(ty: &str, key: impl std::fmt::Display) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{ty}:{key}"))
}

/// Text of each column of a query's rows (`None` for SQL NULL); select
/// text (`CAST(… AS TEXT)`) where a column is not.
pub async fn sql_rows(db: &DatabaseConnection, sql: &str) -> Vec<Vec<Option<String>>> {
    let backend = db.get_database_backend();
    let found = db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    found
        .iter()
        .map(|row| {
            let mut values = Vec::new();
            for i in 0.. {
                match row.try_get_by_index::<Option<String>>(i) {
                    Ok(value) => values.push(value),
                    Err(_) => break,
                }
            }
            values
        })
        .collect()
}

/// `foundedYear` → `founded_year`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `(p, id)` pairs of a statement that selects a text column `p` and an
/// integer column `id`.
pub async fn sql_pairs(db: &DatabaseConnection, sql: &str) -> Vec<(String, i64)> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "p").expect("a text column p"),
                r.try_get::<i64>("", "id").expect("an id column"),
            )
        })
        .collect()
}

/// A token signed with the test secret whose `exp` is an hour past.
pub fn expired_token(role: &str) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    let claims =
        json!({ "sub": "late", "role": role, "exp": jsonwebtoken::get_current_timestamp() - 3600 });
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
    )
    .expect("encode a token")
}

/// A well-formed token signed with a key the server does not know.
pub fn forged_token(role: service::Role) -> String {
    let config = api::auth::AuthConfig {
        secret: Some("a-different-secret-that-the-server-never-saw-0123".to_owned()),
        ..Default::default()
    };
    api::auth::mint(
        &config,
        "forger",
        role,
        None,
        std::time::Duration::from_secs(600),
    )
    .expect("mint a token")
}

/// Installs the Node.js packages of `dir` (`tests/apollo`) from its lock
/// file, once: when one of them is missing. One process at a time (test
/// binaries run in parallel), under a lock file beside them.
pub fn npm_ci(dir: &std::path::Path) {
    let installed = || {
        ["@apollo/client", "graphql-ws", "ws"]
            .iter()
            .all(|package| {
                dir.join("node_modules")
                    .join(package)
                    .join("package.json")
                    .exists()
            })
    };
    if installed() {
        return;
    }
    let lock = std::fs::File::create(dir.join(".npm-install.lock")).expect("a lock file");
    lock.lock().expect("lock the npm install");
    if !installed() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--silent", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .status()
            .expect("npm is installed (Node.js 20+)");
        assert!(status.success(), "npm ci in {}", dir.display());
    }
}

/// The HTTP client tests speak to the server with. It lets go of a pooled
/// connection after 2 s idle: the server closes idle keep-alive connections
/// after 5 s (actix-web's default), and a client that picks a connection the
/// moment the server closes it sees its request fail (`IncompleteMessage`,
/// the flaky `the_field_cap_counts_aliases_when_the_document_fits` under
/// load, when slow steps left a connection idle near 5 s). HTTP leaves a
/// non-idempotent POST on such a connection unanswered; a client must close
/// its idle connections before the server does.
pub fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("an HTTP client")
}

/// README.md's example queries (its `graphql` blocks that are queries), then
/// DESIGN.md's operations.
pub fn example_queries() -> Vec<&'static str> {
    let readme = include_str!("../../README.md");
    let mut queries: Vec<&'static str> = readme
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter(|block| block.trim_start().starts_with("query"))
        .collect();
    assert!(queries.len() >= 7, "README's example queries: {queries:?}");
    queries.extend([
        design::PARTNERS_IN_GERMANY,
        design::PARTNERSHIP_WEEK,
        design::DASHBOARD,
    ]);
    queries
}

/// DESIGN.md's example operations, as written (the same files the latency
/// benchmark sends; the examples test runs them on the demo data, the
/// one-statement test requires them planned).
pub mod design {
    pub const PARTNERS_IN_GERMANY: &str =
        include_str!("../../bench/queries/partners_in_germany.graphql");
    pub const PARTNERSHIP_WEEK: &str = include_str!("../../bench/queries/partnership_week.graphql");
    pub const DASHBOARD: &str = include_str!("../../bench/queries/dashboard.graphql");
}
