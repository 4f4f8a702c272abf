//! The HTTP server: routes, and start-up (connect, migrate, seed, bind).

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::{App, HttpResponse, web};
use service::db::{self, DbStats};

use crate::config::Config;
use crate::graphiql;
use crate::http::{self, GraphqlState};
use crate::schema::{self, AppState};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(String),
    #[error("cannot prepare the database (DATABASE_URL): {}", describe(.0))]
    Database(#[from] service::Error),
    #[error("cannot listen on {addr} (HOST, PORT): {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// A service error with its underlying cause, for start-up messages.
pub fn describe(err: &service::Error) -> String {
    match err {
        service::Error::Internal(cause) | service::Error::Unavailable(cause) => cause.to_string(),
        other => other.to_string(),
    }
}

/// A server running in the background.
pub struct Running {
    pub addr: SocketAddr,
    pub stats: Arc<DbStats>,
    pub handle: actix_web::dev::ServerHandle,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    state: web::Data<GraphqlState>,
}

impl Running {
    /// Stops gracefully: no new connections; WebSockets are closed with
    /// 1001 (going away); requests in flight get the drain timeout to finish,
    /// then are dropped. Resolves when the server has stopped.
    pub async fn drain(self) -> std::io::Result<()> {
        tracing::info!("stopping: draining requests in flight");
        self.state.stopping.send_replace(true);
        self.handle.stop(true).await;
        match self.task.await {
            Ok(result) => result,
            Err(err) => Err(std::io::Error::other(err)),
        }
    }
}

/// Connects, migrates, loads the demo data into an empty database (when
/// configured), binds, and starts serving in the background.
pub async fn start(config: &Config) -> Result<Running, StartError> {
    config.validate().map_err(StartError::Config)?;
    config.production_guard().map_err(StartError::Config)?;
    let auth = crate::auth::Authenticator::new(&config.auth()).map_err(StartError::Config)?;
    let allow_list = config
        .persisted_operations_file
        .as_deref()
        .map(crate::allowlist::AllowList::load)
        .transpose()
        .map_err(StartError::Config)?;
    if let Some(list) = &allow_list {
        tracing::info!(
            operations = list.len(),
            "allow-list mode: only persisted operations run"
        );
    }
    tracing::info!(
        app_env = ?config.app_env,
        introspection = config.introspection(),
        graphiql = config.graphiql(),
        demo_data = config.demo_data(),
        token_key = if config.auth().public_key.is_some() { "public key" } else if config.auth().secret.is_some() { "secret" } else { "none" },
        max_depth = config.max_depth,
        max_complexity = config.max_complexity,
        page_size_max = config.page_size_max,
        "configuration"
    );
    // Bind first: a taken port fails before anything is migrated or loaded.
    let addr = SocketAddr::new(config.host, config.port);
    let listener = TcpListener::bind(addr).map_err(|source| StartError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Bind { addr, source })?;
    let (db, stats) = db::connect(&config.db()).await?;
    crate::migrate::up(&db).await?;
    if config.demo_data() && demo::is_empty(&db).await? {
        let summary = demo::demo(&db).await?;
        tracing::info!(%summary, "loaded the demo data into the empty database");
    }
    let keyed = service::organization::key_missing_names(&db).await?;
    if keyed > 0 {
        tracing::info!(
            rows = keyed,
            "keyed the names of organizations that had no key"
        );
    }
    let folded = service::search::index_missing(&db).await?;
    if folded > 0 {
        tracing::info!(
            rows = folded,
            "folded the searched text of rows that had none"
        );
    }

    let meters = crate::metrics::Meters::new();
    meters.watch_pool("primary", &db);
    traced(&stats, &db);
    let acquire = meters.acquire_histogram();
    stats.on_acquire(move |waited| acquire.record(waited.as_secs_f64()));
    let read_db = match config.read_db() {
        Some(read) => {
            let (read_db, read_stats) = db::connect(&read).await?;
            meters.watch_pool("read", &read_db);
            traced(&read_stats, &read_db);
            let acquire = meters.acquire_histogram();
            read_stats.on_acquire(move |waited| acquire.record(waited.as_secs_f64()));
            read_db
        }
        None => db.clone(),
    };
    let changes = service::change::Changes::start(&db).await?;
    let app = AppState {
        db: db.clone(),
        read_db,
        limits: config.limits(),
        changes: Some(changes),
        planned_rows: Default::default(),
    };
    let schema = schema::build_with(Some(app.clone()), config.introspection());
    let guard =
        guard::Guard::new(&schema.sdl(), config.guard_limits()).map_err(StartError::Config)?;
    let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let validator = schema::validator(config.introspection());
    let state = web::Data::new(GraphqlState {
        schema,
        validator,
        app,
        max_batch: size(config.max_batch),
        auth,
        allow_list,
        guard,
        documents: crate::http::Documents::new(),
        plans: crate::http::Plans::new(),
        persisted: http::Persisted::new(),
        claims: crate::auth::ClaimsChecks::default(),
        request_timeout: config.request_timeout,
        max_response_bytes: size(config.max_response_bytes),
        max_errors: size(config.max_errors),
        stats: http::HttpStats::default(),
        feeds: http::ws::Feeds::default(),
        ws: config.ws_limits(),
        sockets: http::ws::Sockets::default(),
        body_timeout: config.request_body_timeout,
        connections_per_request: usize::try_from(config.database_max_connections_per_request)
            .unwrap_or(1),
        costly: service::db::CostlyLane::new(
            u32::try_from(config.database_max_connections).unwrap_or(u32::MAX),
        ),
        meters,
        retry_after_secs: config.database_acquire_timeout.as_secs().max(1),
        stopping: tokio::sync::watch::channel(false).0,
        rate: http::rate::RateLimits::new(
            config.rate_limit_authenticated,
            config.rate_limit_anonymous,
            config.trusted_proxies.clone(),
        ),
    });
    // Every few seconds the histograms fold their samples (kept one by one
    // until then), and every minute the rate buckets full again are
    // forgotten: neither grows memory without bound.
    let kept = Arc::downgrade(&state.clone().into_inner());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        let mut ticks: u64 = 0;
        loop {
            every.tick().await;
            let Some(state) = kept.upgrade() else {
                break;
            };
            state.meters.upkeep();
            ticks += 1;
            if ticks.is_multiple_of(12) {
                state.rate.forget_idle();
            }
        }
    });
    let drained = state.clone();
    let metrics_state = web::Data::new(Metrics {
        db: Arc::clone(&stats),
        http: state.clone(),
        token: config.metrics_token.clone().filter(|t| !t.is_empty()),
    });
    let metrics_here = config.metrics_on_api_address();
    let metrics_for_api = metrics_state.clone();
    if !metrics_here && config.metrics_addr.is_none() {
        tracing::info!(
            "/metrics is off on the API address in production: set METRICS_ADDR or METRICS_TOKEN"
        );
    }
    let db_data = web::Data::new(db);
    let graphiql = config.graphiql();
    let origins: Vec<String> = config
        .cors_origins
        .iter()
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    // Without configured origins: in development, a frontend served from
    // this machine (`http://localhost:3000`) may call; in production no CORS
    // headers are sent (browsers keep to same-origin calls, such as
    // GraphiQL's).
    let local = origins.is_empty() && !config.production();
    let mut server = actix_web::HttpServer::new(move || {
        let app = App::new()
            .wrap(actix_web::middleware::Condition::new(
                !origins.is_empty() || local,
                cors(&origins, local),
            ))
            .app_data(state.clone())
            .app_data(db_data.clone())
            .wrap(actix_web::middleware::Compress::default())
            // Outermost: every answer, CORS preflights included, gets its id.
            .wrap(actix_web::middleware::from_fn(http::with_request_id))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(http::post))
                    .route(
                        web::get()
                            .guard(actix_web::guard::fn_guard(|ctx| {
                                http::ws::is_upgrade(ctx.head())
                            }))
                            .to(http::ws::upgrade),
                    )
                    .route(web::get().to(http::get)),
            )
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz));
        let app = if metrics_here {
            app.app_data(metrics_for_api.clone())
                .route("/metrics", web::get().to(metrics))
        } else {
            app
        };
        if graphiql {
            app.route("/", web::get().to(graphiql::page))
                .route("/graphiql/{file}", web::get().to(graphiql::asset))
        } else {
            app
        }
    })
    // A client that closes its connection cancels its request: the handler's
    // future (its statements, its transaction) is dropped at once.
    .h1_allow_half_closed(false)
    .listen(listener)
    .map_err(|source| StartError::Bind { addr, source })?;
    if let Some(workers) = config.workers {
        server = server.workers(usize::try_from(workers).unwrap_or(1));
    }
    // In-flight requests get the drain timeout to finish, then are dropped.
    // Signals are `main`'s: it closes the WebSockets before the drain.
    let server = server
        .shutdown_timeout(config.drain_timeout.as_secs().max(1))
        .disable_signals()
        .run();
    let metrics_server = match config.metrics_addr {
        Some(addr) => {
            let metrics_state = metrics_state.clone();
            let server = actix_web::HttpServer::new(move || {
                App::new()
                    .app_data(metrics_state.clone())
                    .route("/metrics", web::get().to(metrics))
            })
            .workers(1)
            .disable_signals()
            .bind(addr)
            .map_err(|source| StartError::Bind { addr, source })?
            .run();
            tracing::info!(%addr, "metrics listening");
            Some(server)
        }
        None => None,
    };
    let metrics_handle = metrics_server.as_ref().map(|s| s.handle());
    if let Some(metrics_server) = metrics_server {
        tokio::spawn(metrics_server);
    }
    let handle = server.handle();
    let task = tokio::spawn(async move {
        let result = server.await;
        // The metrics listener stops with the API.
        if let Some(metrics) = metrics_handle {
            metrics.stop(false).await;
        }
        result
    });
    Ok(Running {
        addr,
        stats,
        handle,
        task,
        state: drained,
    })
}

/// Has each statement of `db`'s pool traced as a span, when spans are exported.
fn traced(stats: &DbStats, db: &sea_orm::DatabaseConnection) {
    if !crate::telemetry::tracing_on() {
        return;
    }
    let system = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "postgresql",
        _ => "sqlite",
    };
    stats.on_statement(move |sql, elapsed, failed| {
        crate::telemetry::sql_span(system, sql, elapsed, failed);
    });
}

/// Whether `origin` is a page served from this machine over HTTP, on any
/// port: `http://localhost:3000`, `http://127.0.0.1:5173`, `http://[::1]:8080`.
fn is_local_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => rest,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// CORS for the configured origins, and for this machine's (`local`).
fn cors(origins: &[String], local: bool) -> actix_cors::Cors {
    use actix_web::http::header;
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .allowed_header("x-request-id")
        .expose_headers(["x-request-id"])
        .max_age(3600);
    if local {
        cors = cors.allowed_origin_fn(|origin, _| origin.to_str().is_ok_and(is_local_origin));
    }
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

/// `GET /healthz`: the process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers; 503 otherwise.
async fn readyz(db: web::Data<sea_orm::DatabaseConnection>) -> HttpResponse {
    if db::ping(&db).await {
        HttpResponse::Ok().json(serde_json::json!({ "status": "ready" }))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({ "status": "database unreachable" }))
    }
}

/// What `/metrics` reports, and the token it may require.
struct Metrics {
    db: Arc<DbStats>,
    http: web::Data<GraphqlState>,
    token: Option<String>,
}

/// `GET /metrics`: Prometheus text format.
async fn metrics(state: web::Data<Metrics>, req: actix_web::HttpRequest) -> HttpResponse {
    if let Some(token) = &state.token {
        let given = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let matches = given.is_some_and(|given| {
            use sha2::{Digest, Sha256};
            // Equal digests: no early exit on the first differing byte.
            Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
        });
        if !matches {
            return HttpResponse::Unauthorized()
                .insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"))
                .finish();
        }
    }
    let http = &state.http.stats;
    let counter = |name: &str, help: &str, value: u64| {
        format!("# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n")
    };
    let gauge = |name: &str, help: &str, value: u64| {
        format!("# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n")
    };
    let load = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
    let body = [
        counter(
            "db_statements_total",
            "SQL statements executed.",
            state.db.statements(),
        ),
        counter(
            "db_statements_failed_total",
            "SQL statements that failed.",
            state.db.failed(),
        ),
        counter(
            "graphql_requests_refused_total",
            "Operations refused by a bound before running.",
            load(&http.refused),
        ),
        counter(
            "graphql_requests_timed_out_total",
            "Requests stopped at REQUEST_TIMEOUT.",
            load(&http.timed_out),
        ),
        counter(
            "graphql_requests_cancelled_total",
            "Requests dropped because the client went away.",
            load(&http.cancelled),
        ),
        counter(
            "graphql_one_statement_reads_total",
            "Queries answered by one SQL statement.",
            load(&http.one_statement),
        ),
        counter(
            "graphql_planned_rows_total",
            "Mutation payloads and subscription events read by one SQL statement.",
            load(&state.http.app.planned_rows),
        ),
        counter(
            "graphql_responses_too_large_total",
            "Answers refused for passing MAX_RESPONSE_BYTES.",
            load(&http.too_large),
        ),
        gauge(
            "graphql_subscription_feeds",
            "Subscriptions running, each shared by the subscribers asking the same under the same rules.",
            state.http.feeds.running() as u64,
        ),
        gauge(
            "graphql_change_listeners",
            "Streams listening to this replica's change feed.",
            state
                .http
                .app
                .changes
                .as_ref()
                .map_or(0, |c| c.receivers() as u64),
        ),
    ]
    .concat();
    let body = state.http.meters.render(
        state.http.sockets.count(),
        state.http.sockets.subscriptions(),
        &body,
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}
