//! Configuration: one typed struct, read once at start-up from the environment
//! (and `.env`, loaded by `main`) or the command line. Every variable is
//! documented in `.env.example`.

use std::net::IpAddr;
use std::time::Duration;

use service::db::DbConfig;
use service::query::page::PageLimits;

mod parse;
pub use parse::*;

/// The default bounds (README, "Limits").
const DEFAULTS: guard::Limits = guard::Limits::DEFAULT;

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://partners.db?mode=rwc";

/// Server configuration.
#[derive(clap::Args, Clone, Debug)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1", value_parser = parse_host, global = true)]
    pub host: IpAddr,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", default_value = "8000", value_parser = parse_port, global = true)]
    pub port: u16,

    /// `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST:PORT/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL,
          value_parser = parse_database_url, global = true, hide_env_values = true)]
    pub database_url: String,

    /// A PostgreSQL read replica (`postgres://…`) for queries and subscription
    /// reloads; writes, and the payloads of mutations, use `DATABASE_URL`.
    #[arg(long, env = "DATABASE_READ_URL", value_parser = parse_read_url,
          global = true, hide_env_values = true)]
    pub database_read_url: Option<String>,

    /// Most database connections in the pool.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value = "10",
          value_parser = positive("DATABASE_MAX_CONNECTIONS"), global = true)]
    pub database_max_connections: u64,

    /// Most pool connections one request holds at once (its reads beyond
    /// wait for one of them), so that one request cannot take the pool.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS_PER_REQUEST", default_value = "2",
          value_parser = positive("DATABASE_MAX_CONNECTIONS_PER_REQUEST"), global = true)]
    pub database_max_connections_per_request: u64,

    /// PostgreSQL's `random_page_cost` for this server's connections
    /// (`server`: the server's own setting). The default, 1.1, says that a
    /// page read by an index costs about what one read in sequence does, as
    /// it does on SSDs and for data in memory; with PostgreSQL's default of
    /// 4 the planner scans a small table whole for every row it joins
    /// (BENCHMARKS.md, session 22).
    #[arg(long, env = "DATABASE_RANDOM_PAGE_COST", default_value = "1.1",
          value_parser = parse::parse_page_cost, global = true)]
    pub database_random_page_cost: PageCost,

    /// Longest a statement may run, in seconds (PostgreSQL).
    #[arg(long, env = "DATABASE_STATEMENT_TIMEOUT_SECS", default_value = "30",
          value_parser = positive("DATABASE_STATEMENT_TIMEOUT_SECS"), global = true)]
    pub database_statement_timeout_secs: u64,

    /// Statements slower than this many milliseconds are logged as warnings
    /// (the SQL with placeholders, never the bound values).
    #[arg(long, env = "SLOW_STATEMENT_MS", default_value = "1000", global = true,
          value_parser = clap::value_parser!(u64))]
    pub slow_statement_ms: u64,

    /// Rows per page when a connection is asked without `first`/`last`.
    #[arg(long, env = "PAGE_SIZE_DEFAULT", default_value = "100",
          value_parser = positive("PAGE_SIZE_DEFAULT"), global = true)]
    pub page_size_default: u64,

    /// Largest `first`/`last` accepted.
    #[arg(long, env = "PAGE_SIZE_MAX", default_value = "100",
          value_parser = positive("PAGE_SIZE_MAX"), global = true)]
    pub page_size_max: u64,

    /// Most operations in one batched request.
    #[arg(long, env = "MAX_BATCH", default_value = "10",
          value_parser = positive("MAX_BATCH"), global = true)]
    pub max_batch: u64,

    /// `development` or `production`: production turns introspection, GraphiQL
    /// and the demo data off unless asked, and needs a strong token key.
    #[arg(long, env = "APP_ENV", default_value = "development", value_parser = parse_env, global = true)]
    pub app_env: AppEnv,

    /// Load the demo data when the database is empty at start-up (default:
    /// true, false in production).
    #[arg(long, env = "DEMO_DATA", value_parser = parse_bool("DEMO_DATA"),
          action = clap::ArgAction::Set, global = true)]
    pub demo_data: Option<bool>,

    /// Answer introspection queries (default: true, false in production).
    #[arg(long, env = "INTROSPECTION", value_parser = parse_bool("INTROSPECTION"),
          action = clap::ArgAction::Set, global = true)]
    pub introspection: Option<bool>,

    /// Serve GraphiQL at `/` (default: true, false in production).
    #[arg(long, env = "GRAPHIQL", value_parser = parse_bool("GRAPHIQL"),
          action = clap::ArgAction::Set, global = true)]
    pub graphiql: Option<bool>,

    /// Deepest nesting of selections a query may have.
    #[arg(long, env = "MAX_DEPTH", default_value_t = u64::from(DEFAULTS.max_depth),
          value_parser = positive("MAX_DEPTH"), global = true)]
    pub max_depth: u64,

    /// Highest query cost: the most values an answer may hold. Every field
    /// costs one; a list or connection costs its page size times its fields.
    #[arg(long, env = "MAX_COMPLEXITY", default_value_t = DEFAULTS.max_cost,
          value_parser = positive("MAX_COMPLEXITY"), global = true)]
    pub max_complexity: u64,

    /// Highest total cost of the operations of one batched request.
    #[arg(long, env = "MAX_BATCH_COST", default_value_t = DEFAULTS.max_batch_cost,
          value_parser = positive("MAX_BATCH_COST"), global = true)]
    pub max_batch_cost: u64,

    /// Most database reads one request may start: each root field,
    /// connection, relation, totalCount, aggregate, groups and statistic counts
    /// once wherever it is selected (not once per row).
    #[arg(long, env = "MAX_READS", default_value_t = DEFAULTS.max_reads,
          value_parser = positive("MAX_READS"), global = true)]
    pub max_reads: u64,

    /// Most work one request's filters and orders may make the database do:
    /// a condition 1, a to-one hop 1 more, a to-many hop 20 times what lies
    /// beyond it, an order by a related count 1,000.
    #[arg(long, env = "MAX_DATABASE_WORK", default_value_t = DEFAULTS.max_database_work,
          value_parser = positive("MAX_DATABASE_WORK"), global = true)]
    pub max_database_work: u64,

    /// Longest GraphQL document accepted, in bytes.
    #[arg(long, env = "MAX_DOCUMENT_BYTES", default_value_t = DEFAULTS.max_document_bytes as u64,
          value_parser = positive("MAX_DOCUMENT_BYTES"), global = true)]
    pub max_document_bytes: u64,

    /// Most fields, aliases and fragment spreads a document may select once
    /// its fragments are expanded.
    #[arg(long, env = "MAX_FIELDS", default_value_t = DEFAULTS.max_fields,
          value_parser = positive("MAX_FIELDS"), global = true)]
    pub max_fields: u64,

    /// Most directives on one field, fragment or operation.
    #[arg(long, env = "MAX_DIRECTIVES", default_value_t = DEFAULTS.max_directives as u64,
          value_parser = positive("MAX_DIRECTIVES"), global = true)]
    pub max_directives: u64,

    /// Deepest nesting of filters (`and`/`or`/`not` and relation hops together).
    #[arg(long, env = "MAX_FILTER_DEPTH", default_value_t = DEFAULTS.max_filter_depth as u64,
          value_parser = positive("MAX_FILTER_DEPTH"), global = true)]
    pub max_filter_depth: u64,

    /// Most filter conditions in one request.
    #[arg(long, env = "MAX_FILTER_TERMS", default_value_t = DEFAULTS.max_filter_terms,
          value_parser = positive("MAX_FILTER_TERMS"), global = true)]
    pub max_filter_terms: u64,

    /// Most filter and search values one request binds into SQL.
    #[arg(long, env = "MAX_QUERY_PARAMETERS", default_value_t = DEFAULTS.max_query_parameters,
          value_parser = positive("MAX_QUERY_PARAMETERS"), global = true)]
    pub max_query_parameters: u64,

    /// Most values in one input list (`in`, `notIn`, any list argument).
    #[arg(long, env = "MAX_LIST_VALUES", default_value_t = DEFAULTS.max_list_values as u64,
          value_parser = positive("MAX_LIST_VALUES"), global = true)]
    pub max_list_values: u64,

    /// Most ids in one `nodes(ids:)`.
    #[arg(long, env = "MAX_NODE_IDS", default_value_t = DEFAULTS.max_node_ids as u64,
          value_parser = positive("MAX_NODE_IDS"), global = true)]
    pub max_node_ids: u64,

    /// Longest text operand of a filter or search, in characters.
    #[arg(long, env = "MAX_TEXT_LENGTH", default_value_t = DEFAULTS.max_text_length as u64,
          value_parser = positive("MAX_TEXT_LENGTH"), global = true)]
    pub max_text_length: u64,

    /// Largest response body, in bytes; a larger answer is refused.
    #[arg(long, env = "MAX_RESPONSE_BYTES", default_value = "16777216",
          value_parser = positive("MAX_RESPONSE_BYTES"), global = true)]
    pub max_response_bytes: u64,

    /// Most errors in one response; the rest are summed up in one last error.
    #[arg(long, env = "MAX_ERRORS", default_value = "100",
          value_parser = positive("MAX_ERRORS"), global = true)]
    pub max_errors: u64,

    /// Longest a request may run (parse, validation, execution), e.g. 30s,
    /// 500ms; past it the request is stopped and answered LIMIT_EXCEEDED.
    #[arg(long, env = "REQUEST_TIMEOUT", default_value = "30s",
          value_parser = duration("REQUEST_TIMEOUT"), global = true)]
    pub request_timeout: Duration,

    /// How long a stopping server (SIGTERM, SIGINT) lets requests in flight
    /// finish before it closes them.
    #[arg(long, env = "DRAIN_TIMEOUT", default_value = "10s",
          value_parser = duration("DRAIN_TIMEOUT"), global = true)]
    pub drain_timeout: Duration,

    /// Serve `/metrics` on this separate address (e.g. 127.0.0.1:9100)
    /// instead of the API's.
    #[arg(long, env = "METRICS_ADDR", value_parser = parse_metrics_addr, global = true)]
    pub metrics_addr: Option<std::net::SocketAddr>,

    /// Bearer token `/metrics` requires on the API's address. In production,
    /// without it (or METRICS_ADDR) the API's address serves no metrics.
    #[arg(long, env = "METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// A JSON file of persisted operations (`{"<sha256 of the query>": "<query>"}`);
    /// with it, only those operations run (an allow-list for production
    /// partner portals).
    #[arg(long, env = "PERSISTED_OPERATIONS_FILE", global = true)]
    pub persisted_operations_file: Option<std::path::PathBuf>,

    /// Origins browsers may call the API from, comma-separated (`*` for any);
    /// none by default.
    #[arg(long, env = "CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,

    /// Shared secret that signs access tokens (HS256).
    #[arg(long, env = "JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// PEM public key of an identity provider that signs access tokens (RS256,
    /// ES256, … per `JWT_ALGORITHM`); takes precedence over `JWT_SECRET`.
    #[arg(long, env = "JWT_PUBLIC_KEY", global = true, hide_env_values = true)]
    pub jwt_public_key: Option<String>,

    /// Algorithm of `JWT_PUBLIC_KEY`: RS256 (default), RS384, RS512, ES256, ES384, EdDSA.
    #[arg(long, env = "JWT_ALGORITHM", value_parser = parse_algorithm, global = true)]
    pub jwt_algorithm: Option<jsonwebtoken::Algorithm>,

    /// Required `iss` claim, if set.
    #[arg(long, env = "JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,

    /// Required `aud` claim, if set.
    #[arg(long, env = "JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,

    /// Most WebSockets open at once from one client address.
    #[arg(long, env = "WS_MAX_SOCKETS_PER_ADDRESS", default_value = "32",
          value_parser = positive("WS_MAX_SOCKETS_PER_ADDRESS"), global = true)]
    pub ws_max_sockets_per_address: u64,

    /// Highest total cost of the operations running at once on one WebSocket
    /// (the cost MAX_COMPLEXITY bounds for one operation).
    #[arg(long, env = "WS_MAX_COST", default_value_t = DEFAULTS.max_cost,
          value_parser = positive("WS_MAX_COST"), global = true)]
    pub ws_max_cost: u64,

    /// Most bytes of answers waiting to be sent on one WebSocket; a client
    /// that reads slower than that is disconnected.
    #[arg(long, env = "WS_MAX_QUEUED_BYTES", default_value = "16777216",
          value_parser = positive("WS_MAX_QUEUED_BYTES"), global = true)]
    pub ws_max_queued_bytes: u64,

    /// Longest a request body may go without a byte arriving (e.g. 10s);
    /// then the request is answered 408 and the connection closed.
    #[arg(long, env = "REQUEST_BODY_TIMEOUT", default_value = "10s",
          value_parser = duration("REQUEST_BODY_TIMEOUT"), global = true)]
    pub request_body_timeout: Duration,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "WORKERS", value_parser = positive("WORKERS"), global = true)]
    pub workers: Option<u64>,

    /// `text` (default) or `json`: one JSON object per line.
    #[arg(long, env = "LOG_FORMAT", default_value = "text", value_parser = parse_log_format, global = true)]
    pub log_format: LogFormat,

    /// Longest a request waits for a database connection (e.g. 5s); while
    /// the database is unreachable, requests are answered 503 within it.
    #[arg(long, env = "DATABASE_ACQUIRE_TIMEOUT", default_value = "5s",
          value_parser = duration("DATABASE_ACQUIRE_TIMEOUT"), global = true)]
    pub database_acquire_timeout: Duration,

    /// Requests a second one token subject may make (burst: twice as many);
    /// 0 turns the limit off.
    #[arg(long, env = "RATE_LIMIT_AUTHENTICATED", default_value = "200", global = true,
          value_parser = clap::value_parser!(u32))]
    pub rate_limit_authenticated: u32,

    /// Requests a second one client address may make without a token (burst:
    /// twice as many); 0 turns the limit off.
    #[arg(long, env = "RATE_LIMIT_ANONYMOUS", default_value = "50", global = true,
          value_parser = clap::value_parser!(u32))]
    pub rate_limit_anonymous: u32,

    /// Proxies whose `X-Forwarded-For` is believed, as CIDRs or addresses,
    /// comma-separated (e.g. 10.0.0.0/8); none by default.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_cidr, global = true)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (colours on a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// The deployment the server runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

/// Shortest HS256 secret production accepts, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;
/// Fewest distinct bytes a production secret holds: `openssl rand -hex 32`
/// gives 16 (every hex digit); a repeated character or a word gives fewer.
pub const MIN_SECRET_DISTINCT_BYTES: usize = 16;
/// Placeholders that documentation shows and people copy.
const PLACEHOLDER_SECRETS: &[&str] = &["change-me-to-32-or-more-random-bytes"];

/// Why `secret` is too weak to sign production tokens, if it is.
pub fn weak_secret(secret: &str) -> Option<String> {
    let trimmed = secret.trim();
    if PLACEHOLDER_SECRETS
        .iter()
        .any(|p| trimmed.eq_ignore_ascii_case(p))
    {
        return Some("it is a documented placeholder".to_owned());
    }
    if trimmed.len() < MIN_SECRET_BYTES {
        return Some(format!(
            "it has fewer than {MIN_SECRET_BYTES} bytes (surrounding spaces do not count)"
        ));
    }
    let distinct = trimmed
        .bytes()
        .collect::<std::collections::HashSet<u8>>()
        .len();
    (distinct < MIN_SECRET_DISTINCT_BYTES).then(|| {
        format!("it has only {distinct} distinct bytes (at least {MIN_SECRET_DISTINCT_BYTES})")
    })
}

impl Config {
    /// Whether `APP_ENV` is `production`.
    pub fn production(&self) -> bool {
        self.app_env == AppEnv::Production
    }

    /// Whether to load the demo data into an empty database.
    pub fn demo_data(&self) -> bool {
        self.demo_data.unwrap_or(!self.production())
    }

    /// Whether introspection is answered.
    pub fn introspection(&self) -> bool {
        self.introspection.unwrap_or(!self.production())
    }

    /// Whether GraphiQL is served.
    pub fn graphiql(&self) -> bool {
        self.graphiql.unwrap_or(!self.production())
    }

    /// In production, refuses to start without a key of adequate strength.
    pub fn production_guard(&self) -> Result<(), String> {
        if !self.production() {
            return Ok(());
        }
        let auth = self.auth();
        match (&auth.public_key, &auth.secret) {
            (Some(_), _) => Ok(()),
            (None, Some(secret)) => weak_secret(secret).map_or(Ok(()), |why| {
                Err(format!(
                    "APP_ENV=production needs a strong JWT_SECRET: {why}; make one with `openssl rand -hex 32`"
                ))
            }),
            (None, None) => Err(
                "APP_ENV=production needs JWT_SECRET (32+ bytes) or JWT_PUBLIC_KEY to verify tokens"
                    .to_owned(),
            ),
        }
    }

    /// Checks what single variables cannot: relations between them, and
    /// lists whose items need a closer look.
    pub fn validate(&self) -> Result<(), String> {
        for origin in self
            .cors_origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
        {
            if origin != "*" && !is_origin(origin) {
                return Err(format!(
                    "CORS_ORIGINS must list origins such as https://portal.example.org (scheme, host and optional port, no path), or *; `{origin}` is not one"
                ));
            }
        }
        if self.database_read_url.is_some() && !self.database_url.starts_with("postgres") {
            return Err(
                "DATABASE_READ_URL needs DATABASE_URL to be PostgreSQL too (a read replica of it)"
                    .to_owned(),
            );
        }
        if self.page_size_default > self.page_size_max {
            return Err(format!(
                "PAGE_SIZE_DEFAULT ({}) must not exceed PAGE_SIZE_MAX ({})",
                self.page_size_default, self.page_size_max
            ));
        }
        Ok(())
    }

    pub fn db(&self) -> DbConfig {
        self.db_at(&self.database_url)
    }

    /// The read replica, when `DATABASE_READ_URL` is set.
    pub fn read_db(&self) -> Option<DbConfig> {
        self.database_read_url.as_deref().map(|url| self.db_at(url))
    }

    fn db_at(&self, url: &str) -> DbConfig {
        DbConfig {
            url: url.to_owned(),
            max_connections: u32::try_from(self.database_max_connections).unwrap_or(u32::MAX),
            statement_timeout: Some(Duration::from_secs(self.database_statement_timeout_secs)),
            acquire_timeout: self.database_acquire_timeout,
            slow_statement: Duration::from_millis(self.slow_statement_ms),
            random_page_cost: self.database_random_page_cost.0,
        }
    }

    pub fn auth(&self) -> crate::auth::AuthConfig {
        crate::auth::AuthConfig {
            secret: self.jwt_secret.clone().filter(|s| !s.is_empty()),
            public_key: self.jwt_public_key.clone().filter(|s| !s.is_empty()),
            algorithm: self.jwt_algorithm,
            issuer: self.jwt_issuer.clone().filter(|s| !s.is_empty()),
            audience: self.jwt_audience.clone().filter(|s| !s.is_empty()),
        }
    }

    /// The bounds checked before a request runs.
    pub fn guard_limits(&self) -> guard::Limits {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        guard::Limits {
            max_document_bytes: size(self.max_document_bytes),
            max_fields: self.max_fields,
            max_depth: u32::try_from(self.max_depth).unwrap_or(u32::MAX),
            max_directives: size(self.max_directives),
            max_filter_depth: u32::try_from(self.max_filter_depth).unwrap_or(u32::MAX),
            max_filter_terms: self.max_filter_terms,
            max_query_parameters: self.max_query_parameters,
            max_list_values: size(self.max_list_values),
            max_node_ids: size(self.max_node_ids),
            max_text_length: size(self.max_text_length),
            max_cost: self.max_complexity,
            max_batch_cost: self.max_batch_cost,
            max_reads: self.max_reads,
            max_database_work: self.max_database_work,
            page_default: self.page_size_default,
            page_max: self.page_size_max,
        }
    }

    /// The bounds of WebSocket connections; origins are checked in production.
    pub fn ws_limits(&self) -> crate::http::ws::Limits {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        crate::http::ws::Limits {
            origins: self.production().then(|| {
                self.cors_origins
                    .iter()
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            }),
            sockets_per_address: size(self.ws_max_sockets_per_address),
            max_cost: self.ws_max_cost,
            max_queued_bytes: size(self.ws_max_queued_bytes),
        }
    }

    /// Whether `/metrics` is served on the API's own address.
    pub fn metrics_on_api_address(&self) -> bool {
        self.metrics_addr.is_none() && (!self.production() || self.metrics_token.is_some())
    }

    pub fn limits(&self) -> PageLimits {
        PageLimits {
            default_size: self.page_size_default,
            max_size: self.page_size_max,
        }
    }

    /// The database URL with any password replaced, for logs.
    pub fn database_url_redacted(&self) -> String {
        redacted(&self.database_url)
    }
}

/// A database URL with its password replaced by `***`, for messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
