//! `api import ror FILE`: organizations from a ROR schema v2 JSON file —
//! one record, an array of records, or the ROR data dump's JSON file (an
//! array of every record; the dump's zip holds it) — created or updated by
//! ROR id (`service::ror`).
//!
//! The file is read as a stream on a thread of its own, one record at a
//! time, so a dump of hundreds of megabytes takes the memory of one record;
//! the bar shows how much of the file is read. Each record is written in a
//! transaction of its own, and a record that breaks ROR's schema is
//! reported with its index and skipped; with `--strict` the whole import is
//! one transaction and the first such record (or failed write) stops it
//! with nothing written.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::Value;
use service::DatabaseConnection;
use service::actor::Actor;
use service::ror::Outcome;
use service::write::{Permission, Write};

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Withdrawn records (not organizations any more): not imported.
    pub withdrawn: u64,
    /// Records not imported, each with why (`record 2 (https://ror.org/…): …`).
    pub skipped: Vec<String>,
    /// What records left out (an identifier failing its check, …).
    pub warnings: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "created {}, updated {}, unchanged {}, skipped {}",
            self.created,
            self.updated,
            self.unchanged,
            self.skipped.len()
        )?;
        if self.withdrawn > 0 {
            write!(
                f,
                " (and {} withdrawn records not imported)",
                self.withdrawn
            )?;
        }
        Ok(())
    }
}

/// How an import shows its progress: the file's size, then how many of its
/// bytes are read and records done.
pub trait Progress {
    fn start(&mut self, bytes: u64);
    fn at(&mut self, bytes: u64, records: u64);
    fn finish(&mut self);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _: u64) {}
    fn at(&mut self, _: u64, _: u64) {}
    fn finish(&mut self) {}
}

/// A progress bar on standard error (drawn only on a terminal).
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    pub fn new() -> Bar {
        Bar(crate::copy::bar("{bytes}/{total_bytes}"))
    }
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

impl Progress for Bar {
    fn start(&mut self, bytes: u64) {
        self.0.set_length(bytes);
    }
    fn at(&mut self, bytes: u64, records: u64) {
        self.0.set_position(bytes);
        self.0.set_message(format!("{records} records"));
    }
    fn finish(&mut self) {
        self.0.finish();
    }
}

/// One record of the file by its index, or why the file cannot be read.
type Item = Result<(u64, Value), String>;

/// Imports the ROR records of the file at `path` into `db` (migrated).
pub async fn ror(
    db: &DatabaseConnection,
    path: &Path,
    strict: bool,
    progress: &mut dyn Progress,
) -> Result<Report, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let read = Arc::new(AtomicU64::new(0));
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Item>(64);
    let counted = Counted(file, read.clone());
    let reader = std::thread::spawn(move || records(BufReader::new(counted), tx));
    progress.start(size);
    let actor = Actor::system();
    let begin = || Write::begin(db, &actor, Permission::Write);
    let outer = match strict {
        true => Some(begin().await.map_err(|e| crate::server::describe(&e))?),
        false => None,
    };
    let mut report = Report::default();
    let mut done = 0;
    while let Some(item) = rx.recv().await {
        let (index, value) = item?;
        let label = match value.get("id").and_then(Value::as_str) {
            Some(id) => format!("record {index} ({id})"),
            None => format!("record {index}"),
        };
        let refused = |why: String| {
            format!("{label}: {why}; nothing was written (--strict stops at the first)")
        };
        done += 1;
        progress.at(read.load(Ordering::Relaxed), done);
        let mapped = match service::ror::map(value) {
            Ok(Some(mapped)) => mapped,
            Ok(None) => {
                report.withdrawn += 1;
                continue;
            }
            Err(why) if strict => return Err(refused(format!("breaks ROR's schema v2: {why}"))),
            Err(why) => {
                report
                    .skipped
                    .push(format!("{label}: breaks ROR's schema v2: {why}"));
                continue;
            }
        };
        for warning in &mapped.warnings {
            report.warnings.push(format!("{label}: {warning}"));
        }
        let w = match &outer {
            Some(outer) => outer.nested().await,
            None => begin().await,
        }
        .map_err(|e| crate::server::describe(&e))?;
        match service::ror::apply(&w, mapped).await {
            Ok(Outcome::Unchanged) => {
                w.rollback()
                    .await
                    .map_err(|e| crate::server::describe(&e))?;
                report.unchanged += 1;
            }
            Ok(outcome) => {
                match &outer {
                    Some(outer) => outer.keep(w).await,
                    None => w.commit().await,
                }
                .map_err(|e| crate::server::describe(&e))?;
                match outcome {
                    Outcome::Created => report.created += 1,
                    _ => report.updated += 1,
                }
            }
            Err(e) if strict || e.is_internal() => {
                return Err(refused(crate::server::describe(&e)));
            }
            Err(e) => {
                w.rollback()
                    .await
                    .map_err(|e| crate::server::describe(&e))?;
                report.skipped.push(format!("{label}: {e}"));
            }
        }
    }
    reader
        .join()
        .map_err(|_| "the file's reader stopped".to_owned())?;
    if let Some(outer) = outer {
        outer
            .commit()
            .await
            .map_err(|e| crate::server::describe(&e))?;
    }
    progress.finish();
    Ok(report)
}

/// A reader that counts the bytes read.
struct Counted<R>(R, Arc<AtomicU64>);

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Sends each record of the JSON in `reader` (a record, or an array of
/// them) with its index; stops when the receiver does.
fn records(mut reader: impl BufRead, tx: tokio::sync::mpsc::Sender<Item>) {
    let first = loop {
        match reader.fill_buf() {
            Ok([]) => break None,
            Ok(buf) => match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(at) => {
                    let byte = buf[at];
                    reader.consume(at);
                    break Some(byte);
                }
                None => {
                    let n = buf.len();
                    reader.consume(n);
                }
            },
            Err(e) => {
                let _ = tx.blocking_send(Err(format!("cannot read the file: {e}")));
                return;
            }
        }
    };
    let mut json = serde_json::Deserializer::from_reader(reader);
    let read = match first {
        Some(b'{') => serde::Deserialize::deserialize(&mut json).map(|record: Value| {
            let _ = tx.blocking_send(Ok((0, record)));
        }),
        Some(b'[') => json.deserialize_seq(Each(tx.clone())),
        _ => {
            let _ = tx.blocking_send(Err(
                "the file is not ROR JSON: a record or an array of records".to_owned(),
            ));
            return;
        }
    };
    if let Err(e) = read.and_then(|()| json.end()) {
        let _ = tx.blocking_send(Err(format!("the file is not valid JSON: {e}")));
    }
}

/// Sends each element of an array as it is read.
struct Each(tokio::sync::mpsc::Sender<Item>);

impl<'de> Visitor<'de> for Each {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of ROR records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(record) = seq.next_element::<Value>()? {
            if self.0.blocking_send(Ok((index, record))).is_err() {
                // The import stopped: the rest is not read.
                return Err(serde::de::Error::custom("the import stopped"));
            }
            index += 1;
        }
        Ok(())
    }
}
