//! The HTTP server: routes, and start-up (connect, migrate, seed, bind).

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::{App, HttpResponse, web};
use service::db::{self, DbStats};
use service::seed;

use crate::config::Config;
use crate::graphiql;
use crate::http::{self, GraphqlState};
use crate::schema::{self, AppState};

/// Largest request body accepted.
const MAX_BODY_BYTES: usize = 1 << 20;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(String),
    #[error("cannot prepare the database (DATABASE_URL): {}", describe(.0))]
    Database(#[from] service::Error),
    #[error("cannot listen on {addr}: {source}")]
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
    let (db, stats) = db::connect(&config.db()).await?;
    db::migrate_up(&db).await?;
    if config.demo_data() && seed::is_empty(&db).await? {
        let summary = seed::demo(&db).await?;
        tracing::info!(?summary, "loaded the demo data into the empty database");
    }
    let addr = SocketAddr::new(config.host, config.port);
    let listener = TcpListener::bind(addr).map_err(|source| StartError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| StartError::Bind { addr, source })?;

    let state = web::Data::new(GraphqlState {
        schema: schema::build_with(
            Some(AppState {
                db: db.clone(),
                limits: config.limits(),
            }),
            config.query_limits(),
            config.introspection(),
        ),
        app: AppState {
            db: db.clone(),
            limits: config.limits(),
        },
        max_batch: usize::try_from(config.max_batch).unwrap_or(usize::MAX),
        auth,
        allow_list,
    });
    let stats_data = web::Data::from(Arc::clone(&stats));
    let db_data = web::Data::new(db);
    let graphiql = config.graphiql();
    let origins: Vec<String> = config
        .cors_origins
        .iter()
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    let mut server = actix_web::HttpServer::new(move || {
        let app = App::new()
            // Without configured origins no CORS headers are sent (browsers keep
            // to same-origin calls, such as GraphiQL's).
            .wrap(actix_web::middleware::Condition::new(
                !origins.is_empty(),
                cors(&origins),
            ))
            .app_data(state.clone())
            .app_data(stats_data.clone())
            .app_data(db_data.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .wrap(actix_web::middleware::Compress::default())
            .service(
                web::resource("/graphql")
                    .route(web::post().to(http::post))
                    .route(web::get().to(http::get)),
            )
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics));
        if graphiql {
            app.route("/", web::get().to(graphiql::page))
                .route("/graphiql/{file}", web::get().to(graphiql::asset))
        } else {
            app
        }
    })
    .listen(listener)
    .map_err(|source| StartError::Bind { addr, source })?;
    if let Some(workers) = config.workers {
        server = server.workers(usize::try_from(workers).unwrap_or(1));
    }
    let server = server.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    Ok(Running {
        addr,
        stats,
        handle,
        task,
    })
}

/// CORS for the configured origins (none: browsers may not call cross-origin).
fn cors(origins: &[String]) -> actix_cors::Cors {
    use actix_web::http::header;
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .allowed_header("x-request-id")
        .expose_headers(["x-request-id"])
        .max_age(3600);
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

/// `GET /metrics`: Prometheus text format.
async fn metrics(stats: web::Data<DbStats>) -> HttpResponse {
    let body = format!(
        "# HELP db_statements_total SQL statements executed.\n\
         # TYPE db_statements_total counter\n\
         db_statements_total {}\n\
         # HELP db_statements_failed_total SQL statements that failed.\n\
         # TYPE db_statements_failed_total counter\n\
         db_statements_failed_total {}\n",
        stats.statements(),
        stats.failed()
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}
