//! `api copy --from URL --to URL`: every table of one database into an
//! empty other one, SQLite ↔ PostgreSQL either way — the move from the
//! embedded default to PostgreSQL, a backup (`--to sqlite://backup.db?mode=rwc`)
//! and its restore.
//!
//! Everything that can refuse the copy is checked before anything is
//! written: the source must be readable and at this binary's migration
//! version, the target empty (a new database, or one holding only what
//! migrations put there) and at no other version. The rows then go in one
//! transaction on the target — all or nothing — after which PostgreSQL's
//! sequences continue after the copied ids and the tables are analyzed.

use std::collections::BTreeSet;

use migration::{Migrator, MigratorTrait};
use sea_orm::TransactionTrait;
use service::copy;
use service::db::DbConfig;

use crate::config::redacted;

/// What was copied.
#[derive(Debug)]
pub struct Copied {
    /// Rows per table, in the order they were written.
    pub tables: Vec<(&'static str, u64)>,
    pub elapsed: std::time::Duration,
}

impl Copied {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// How the copy reports its progress: the total rows first, then each
/// table's rows written so far.
pub trait Progress: Send {
    fn start(&mut self, total: u64);
    fn table(&mut self, table: &'static str, done_before: u64, done: u64);
    fn finish(&mut self);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _: u64) {}
    fn table(&mut self, _: &'static str, _: u64, _: u64) {}
    fn finish(&mut self) {}
}

/// A progress bar on standard error (drawn only on a terminal).
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        Bar(bar("{pos}/{len} rows"))
    }
}

/// A progress bar on standard error (drawn only on a terminal) that shows
/// the time, the bar, `counts` (indicatif's template) and a message.
pub(crate) fn bar(counts: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let template = format!("{{elapsed_precise}} [{{bar:40}}] {counts} {{msg}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

impl Progress for Bar {
    fn start(&mut self, total: u64) {
        self.0.set_length(total);
    }
    fn table(&mut self, table: &'static str, done_before: u64, done: u64) {
        self.0.set_message(table);
        self.0.set_position(done_before + done);
    }
    fn finish(&mut self) {
        self.0.finish_with_message("done");
    }
}

/// The source's URL opened read-only: an SQLite file must exist and is
/// never created or written.
fn read_only(url: &str) -> Result<String, String> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(url.to_owned());
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.strip_prefix("//").unwrap_or(path);
    if path.contains(":memory:") {
        return Err("--from: an in-memory SQLite database holds nothing to copy".to_owned());
    }
    if !std::path::Path::new(path).is_file() {
        return Err(format!(
            "--from names `{path}`, which does not exist; give the database to copy from"
        ));
    }
    let mut out = format!("sqlite://{path}?mode=ro");
    for parameter in query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("mode="))
    {
        out.push('&');
        out.push_str(parameter);
    }
    Ok(out)
}

fn config(url: &str, acquire: std::time::Duration) -> DbConfig {
    DbConfig {
        url: url.to_owned(),
        max_connections: 2,
        statement_timeout: None,
        acquire_timeout: acquire,
        slow_statement: std::time::Duration::from_secs(60),
        random_page_cost: None,
    }
}

/// The migrations this binary knows.
fn known() -> BTreeSet<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Says how `versions` differ from this binary's migrations, if they do.
fn version_gap(versions: &BTreeSet<String>) -> Option<String> {
    let known = known();
    if *versions == known {
        return None;
    }
    let unknown: Vec<_> = versions.difference(&known).cloned().collect();
    if !unknown.is_empty() {
        return Some(format!(
            "it was migrated by a newer version of this API (migrations this one does not know: {}); copy with that version",
            unknown.join(", ")
        ));
    }
    Some(format!(
        "it is at an older migration version ({} of {} migrations applied); run `api migrate up` against it first",
        versions.len(),
        known.len()
    ))
}

/// Copies every table of `from` into the empty database `to`.
pub async fn copy(
    from: &str,
    to: &str,
    acquire: std::time::Duration,
    progress: &mut dyn Progress,
) -> Result<Copied, String> {
    let started = std::time::Instant::now();
    let shown_from = redacted(from);
    let shown_to = redacted(to);
    if from == to {
        return Err("--from and --to name the same database".to_owned());
    }
    // The source: readable, and at this binary's version.
    let source_url = read_only(from)?;
    let unreadable = |e: service::Error| {
        format!(
            "cannot read --from ({shown_from}): {}",
            crate::server::describe(&e)
        )
    };
    let (source, _) = service::db::connect(&config(&source_url, acquire))
        .await
        .map_err(unreadable)?;
    let Some(source_versions) = copy::applied_migrations(&source)
        .await
        .map_err(unreadable)?
    else {
        return Err(format!(
            "--from ({shown_from}) holds no database of this API (it has no migrations table); check the URL"
        ));
    };
    if let Some(gap) = version_gap(&source_versions) {
        return Err(format!("--from ({shown_from}) cannot be copied: {gap}"));
    }
    let source_tables = copy::tables(&source).await.map_err(unreadable)?;
    let mut expected: Vec<String> = copy::TABLES.iter().map(|t| (*t).to_owned()).collect();
    expected.sort();
    if source_tables != expected {
        return Err(format!(
            "--from ({shown_from}) has the tables {source_tables:?}, but this version copies {expected:?}"
        ));
    }
    // The target: empty, and at no other version.
    let unwritable = |e: service::Error| {
        format!(
            "cannot open --to ({shown_to}): {}",
            crate::server::describe(&e)
        )
    };
    let (target, _) = service::db::connect(&config(to, acquire))
        .await
        .map_err(unwritable)?;
    let target_tables = copy::tables(&target).await.map_err(unwritable)?;
    let fresh = match copy::applied_migrations(&target)
        .await
        .map_err(unwritable)?
    {
        None if target_tables.is_empty() => true,
        None => {
            return Err(format!(
                "--to ({shown_to}) holds tables of something else ({}); copy into an empty database",
                target_tables.join(", ")
            ));
        }
        Some(versions) => {
            if let Some(gap) = version_gap(&versions) {
                return Err(format!(
                    "--to ({shown_to}) is at another migration version: {gap}, or copy into an empty database"
                ));
            }
            false
        }
    };
    if !fresh {
        for table in copy::TABLES {
            if copy::REFERENCE.contains(table) {
                continue;
            }
            let rows = copy::count(&target, table).await.map_err(unwritable)?;
            if rows > 0 {
                return Err(format!(
                    "--to ({shown_to}) is not empty: `{table}` holds {rows} rows; copy into an empty database (a new one, or one emptied with `api migrate fresh`)"
                ));
            }
        }
    }
    // Nothing was written so far. Now: the schema, then every row at once.
    let failed = |what: &str, e: service::Error| {
        format!(
            "the copy to {shown_to} failed while {what}, and nothing of it was kept: {}",
            crate::server::describe(&e)
        )
    };
    if fresh {
        crate::migrate::up(&target)
            .await
            .map_err(|e| failed("migrating the target", e))?;
    }
    let mut total = 0;
    for table in copy::TABLES {
        total += copy::count(&source, table).await.map_err(unreadable)?;
    }
    progress.start(total);
    let txn = target
        .begin()
        .await
        .map_err(|e| failed("beginning", e.into()))?;
    let mut before = 0;
    let mut current = "";
    let mut last = 0;
    let tables = copy::copy_all(&source, &txn, &mut |table, done| {
        if table != current {
            before += last;
            current = table;
        }
        last = done;
        progress.table(table, before, done);
    })
    .await
    .map_err(|e| failed("copying rows", e))?;
    copy::fix_sequences(&txn)
        .await
        .map_err(|e| failed("setting the sequences", e))?;
    txn.commit()
        .await
        .map_err(|e| failed("committing", e.into()))?;
    progress.finish();
    // What the server derives from the rows (searched text, name keys), and
    // the planner's statistics.
    let after = |e: service::Error| {
        format!(
            "the rows were copied to {shown_to}, but preparing them failed (the server retries at start-up): {}",
            crate::server::describe(&e)
        )
    };
    service::organization::key_missing_names(&target)
        .await
        .map_err(after)?;
    service::search::index_missing(&target)
        .await
        .map_err(after)?;
    copy::analyze(&target).await.map_err(after)?;
    for (table, rows) in &tables {
        let there = copy::count(&target, table).await.map_err(after)?;
        if there != *rows {
            return Err(format!(
                "the copy to {shown_to} holds {there} rows of `{table}`, not the {rows} copied"
            ));
        }
    }
    let _ = source.close().await;
    let _ = target.close().await;
    Ok(Copied {
        tables,
        elapsed: started.elapsed(),
    })
}
