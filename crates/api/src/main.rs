//! `api`: serve the GraphQL API, migrate the database, load demo data, print the schema.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

use api::config::Config;
use api::{schema, server, telemetry};
use demo::synthetic::Scale;

/// The partnerships GraphQL API of the international office.
#[derive(Parser)]
#[command(name = "api", version, about)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply or roll back database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load a data set into an empty database.
    Seed {
        /// The demo data set (the story in DESIGN.md).
        #[arg(
            long,
            conflicts_with = "synthetic",
            required_unless_present = "synthetic"
        )]
        demo: bool,
        /// Synthetic data at scale, for load tests and benchmarks.
        #[arg(long)]
        synthetic: bool,
        /// Size of the synthetic data: small, medium or large (10,000
        /// organizations, 50,000 agreements, 200,000 students, …).
        #[arg(long, default_value = "small", requires = "synthetic")]
        scale: Scale,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Copy every table (ids, versions, the audit log) from one database
    /// into an empty other one, SQLite or PostgreSQL either way: the move to
    /// PostgreSQL, a backup (`--to sqlite://backup.db?mode=rwc`) and its
    /// restore. All or nothing.
    Copy {
        /// The database to copy (read, never written).
        #[arg(long)]
        from: String,
        /// An empty database: new, or holding only what migrations put there.
        #[arg(long)]
        to: String,
    },
    /// Import records of another registry (migrating the database first).
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Mint an access token with JWT_SECRET (for development); prints the token alone.
    Token {
        /// admin, staff or partner.
        #[arg(long, value_parser = parse_role)]
        role: service::Role,
        /// The partner's organization (its global id, or its numeric id).
        #[arg(long)]
        org: Option<String>,
        /// The subject (who the token is for).
        #[arg(long, default_value = "dev")]
        sub: String,
        /// How long the token is valid, e.g. 30m, 1h, 7d.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        ttl: std::time::Duration,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// Organizations from a ROR (Research Organization Registry) schema v2
    /// JSON file: one record, an array of records, or the ROR data dump's
    /// JSON file. Creates or updates organizations by ROR id; reports
    /// created, updated and unchanged.
    Ror {
        /// The JSON file.
        file: std::path::PathBuf,
        /// Stop at the first record that breaks ROR's schema (or cannot be
        /// written), with nothing written; without it, such records are
        /// reported and skipped.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Roll back the last migration (or `--steps N`, or `--all`); drops tables
    /// and their data.
    Down {
        #[arg(long, default_value = "1", conflicts_with = "all")]
        steps: u32,
        #[arg(long)]
        all: bool,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// List migrations and whether each is applied.
    Status,
    /// Drop every table (and its data) and apply all migrations again.
    Fresh {
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

fn main() -> ExitCode {
    // A missing .env is fine; a malformed one is reported.
    if let Err(err) = dotenvy::dotenv()
        && !err.not_found()
    {
        eprintln!("error: cannot read .env: {err}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    if let Err(message) = cli.config.validate() {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let telemetry = match telemetry::init(cli.config.log_format) {
        Ok(telemetry) => telemetry,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(cli));
    // Work still running after the server stopped (a statement the drain
    // timeout cut short) must not hold the exit up.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    telemetry.shutdown();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&config).await,
        Command::Schema => print_quietly(&schema::build(None).sdl()),
        Command::Copy { from, to } => {
            let mut bar = api::copy::Bar::new();
            let copied =
                api::copy::copy(&from, &to, config.database_acquire_timeout, &mut bar).await?;
            println!(
                "copied {} rows of {} tables to {} in {:.1?}",
                copied.rows(),
                copied.tables.len(),
                api::config::redacted(&to),
                copied.elapsed
            );
            Ok(())
        }
        Command::Migrate { action } => migrate(&config, action).await,
        Command::Token {
            role,
            org,
            sub,
            ttl,
        } => {
            let organization_id = org.map(|org| parse_org(&org)).transpose()?;
            if let Some(id) = organization_id {
                // The server refuses a partner token whose organization does
                // not exist or is a home one: so does the mint.
                // Read, never created: the database the server uses.
                let mut db_config = config.db();
                db_config.url = api::config::existing_database(&config.database_url)
                    .map_err(|e| format!("--org: {e}"))?;
                let (db, _) = service::db::connect(&db_config).await.map_err(describe)?;
                let actor = service::Actor {
                    sub: Some(sub.clone()),
                    role: Some(role),
                    organization_id: Some(id),
                };
                service::access::verify_actor(&db, &actor)
                    .await
                    .map_err(|e| match e.is_internal() {
                        true => format!(
                            "--org: cannot read the organizations of {}: is it the server's database? (`api migrate up` prepares one)",
                            config.database_url_redacted()
                        ),
                        false => format!("--org: {}", server::describe(&e)),
                    })?;
            }
            let token = api::auth::mint(&config.auth(), &sub, role, organization_id, ttl)?;
            println!("{token}");
            Ok(())
        }
        Command::Import {
            source: ImportSource::Ror { file, strict },
        } => {
            let (db, _) = service::db::connect(&config.db()).await.map_err(describe)?;
            api::migrate::up(&db).await.map_err(describe)?;
            let report = api::import::ror(&db, &file, strict, &mut api::import::Bar::new()).await?;
            for line in report.warnings.iter().chain(&report.skipped) {
                eprintln!("{line}");
            }
            println!("{report}");
            Ok(())
        }
        Command::Seed {
            synthetic, scale, ..
        } => {
            let (db, _) = service::db::connect(&config.db()).await.map_err(describe)?;
            api::migrate::up(&db).await.map_err(describe)?;
            let summary = if synthetic {
                seed_synthetic(&db, scale).await?
            } else {
                demo::demo(&db).await.map_err(describe)?
            };
            service::search::index_missing(&db)
                .await
                .map_err(describe)?;
            println!("loaded {summary}");
            Ok(())
        }
    }
}

async fn seed_synthetic(
    db: &service::DatabaseConnection,
    scale: Scale,
) -> Result<demo::DemoSummary, String> {
    let started = std::time::Instant::now();
    let data = demo::synthetic::dataset(scale);
    let bar = indicatif::ProgressBar::new(demo::total_rows(&data));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} rows {msg}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    let summary = demo::load(db, &data, &mut |table, done| {
        bar.set_message(table);
        bar.set_position(done);
    })
    .await
    .map_err(describe)?;
    bar.finish_with_message(format!("done in {:.1?}", started.elapsed()));
    Ok(summary)
}

async fn serve(config: &Config) -> Result<(), String> {
    tracing::info!(database = %config.database_url_redacted(), "starting");
    let running = server::start(config).await.map_err(|e| e.to_string())?;
    let addr = running.addr;
    println!("GraphQL API:  http://{addr}/graphql");
    if config.graphiql() {
        println!("GraphiQL:     http://{addr}/");
    }
    tracing::info!(%addr, "listening");
    let mut running = running;
    tokio::select! {
        () = stop_signal() => {}
        // The server ended on its own (an error).
        ended = &mut running.task => {
            return match ended {
                Ok(result) => result.map_err(|e| e.to_string()),
                Err(err) => Err(err.to_string()),
            };
        }
    }
    running.drain().await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM (what orchestrators send) or SIGINT (Ctrl-C).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        match (terminate, interrupt) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn migrate(config: &Config, action: MigrateAction) -> Result<(), String> {
    let destructive = match &action {
        MigrateAction::Fresh { yes } => {
            Some(("drops every table and its data, then migrates again", *yes))
        }
        MigrateAction::Down { all: true, yes, .. } => Some((
            "rolls back every migration, dropping every table and its data",
            *yes,
        )),
        MigrateAction::Down { steps, yes, .. } => Some((
            if *steps == 1 {
                "rolls back the last migration, dropping what it created"
            } else {
                "rolls back migrations, dropping what they created"
            },
            *yes,
        )),
        MigrateAction::Up | MigrateAction::Status => None,
    };
    if let Some((what, yes)) = destructive
        && !yes
    {
        confirm(what, &config.database_url_redacted())?;
    }
    // One connection: SQLite's foreign-key switch holds per connection.
    let mut db_config = config.db();
    db_config.max_connections = 1;
    let (db, _) = service::db::connect(&db_config).await.map_err(describe)?;
    api::migrate::hold_lock(&db).await.map_err(describe)?;
    let applied = |db: &service::DatabaseConnection| {
        let db = db.clone();
        async move {
            Migrator::get_applied_migrations(&db)
                .await
                .map(|m| m.iter().map(|m| m.name().to_owned()).collect::<Vec<_>>())
                .unwrap_or_default()
        }
    };
    let fresh = matches!(action, MigrateAction::Fresh { .. });
    let listing = matches!(action, MigrateAction::Status);
    let before = applied(&db).await;
    let result = api::migrate::with_foreign_keys_deferred(&db, async {
        match action {
            MigrateAction::Up => api::migrate::up(&db)
                .await
                .map_err(|e| sea_orm::DbErr::Custom(describe(e))),
            MigrateAction::Down { all: true, .. } => Migrator::down(&db, None).await,
            MigrateAction::Down { steps, .. } => Migrator::down(&db, Some(steps)).await,
            MigrateAction::Fresh { .. } => Migrator::fresh(&db).await,
            MigrateAction::Status => {
                let migrations = Migrator::get_migration_with_status(&db).await?;
                // A closed pipe (`| head`) ends the listing, not the process.
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                for m in migrations {
                    if writeln!(out, "{:<8} {}", m.status().to_string(), m.name()).is_err() {
                        break;
                    }
                }
                Ok(())
            }
        }
    })
    .await;
    result.map_err(|e| e.to_string())?;
    if listing {
        return Ok(());
    }
    let after = applied(&db).await;
    let removed: Vec<_> = before.iter().filter(|m| !after.contains(m)).collect();
    let added: Vec<_> = after.iter().filter(|m| !before.contains(m)).collect();
    if fresh {
        println!(
            "dropped every table and applied {} migration(s): {}",
            after.len(),
            after.join(", ")
        );
        return Ok(());
    }
    if destructive.is_some() && !removed.is_empty() {
        println!(
            "rolled back {} migration(s): {}",
            removed.len(),
            join(&removed)
        );
    }
    if !added.is_empty() {
        println!("applied {} migration(s): {}", added.len(), join(&added));
    }
    if removed.is_empty() && added.is_empty() && destructive.is_some() {
        println!("nothing to roll back");
    } else if removed.is_empty() && added.is_empty() {
        println!(
            "the database is up to date ({} migrations applied)",
            after.len()
        );
    }
    Ok(())
}

fn join(names: &[&String]) -> String {
    names
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Asks on the terminal before a destructive command; without a terminal
/// the command needs `--yes`.
fn confirm(what: &str, database: &str) -> Result<(), String> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "this command {what} in {database}; run it again with --yes to confirm"
        ));
    }
    print!("This {what} in {database}. Type `yes` to go on: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| e.to_string())?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err("cancelled; nothing was changed".to_owned())
    }
}

fn parse_role(s: &str) -> Result<service::Role, String> {
    match s {
        "admin" => Ok(service::Role::Admin),
        "staff" => Ok(service::Role::Staff),
        "partner" => Ok(service::Role::Partner),
        _ => Err(format!("role must be admin, staff or partner, not `{s}`")),
    }
}

/// An organization given as a global id or a plain number.
fn parse_org(org: &str) -> Result<i64, String> {
    if let Ok(id) = org.parse() {
        return Ok(id);
    }
    api::schema::id::decode_as(org, api::schema::id::NodeType::Organization, "org")
        .ok()
        .and_then(|key| key.id())
        .ok_or_else(|| format!("--org must be an organization id, not `{org}`"))
}

fn describe(err: service::Error) -> String {
    server::describe(&err)
}

/// Writes `text` to standard output; a reader that stops early (`api schema
/// | head`) ends the command quietly instead of a panic.
fn print_quietly(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {err}"))
        }
        _ => Ok(()),
    }
}
