//! A statement written out as SQL for its database, and run.

use sea_orm::sea_query::SelectStatement;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use super::dialect::{placeholders, unmark};
use crate::{Error, Result};

/// A [`statement`] written out for its database: its SQL text and values,
/// ready to run as often as asked (a plan remembered for a document runs
/// without being built again).
#[derive(Clone, Debug)]
pub struct Written {
    backend: DbBackend,
    sql: String,
    values: Vec<Value>,
}

impl Written {
    /// `statement` written for `backend`'s dialect.
    pub fn new(backend: DbBackend, statement: &SelectStatement) -> Self {
        let (sql, values) = match backend {
            DbBackend::Postgres => {
                let (sql, values) = statement.build(sea_orm::sea_query::PostgresQueryBuilder);
                inline_limits(&sql, values.0)
            }
            _ => {
                let (sql, values) = statement.build(sea_orm::sea_query::SqliteQueryBuilder);
                (sql, values.0)
            }
        };
        Written {
            backend,
            sql,
            values,
        }
    }

    /// The length of its SQL text, in bytes.
    pub fn len(&self) -> usize {
        self.sql.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sql.is_empty()
    }

    /// Runs it on `db` (of the backend it was written for): the `data`
    /// object's JSON text.
    pub async fn run(&self, db: &impl ConnectionTrait) -> Result<String> {
        let statement =
            sea_orm::Statement::from_sql_and_values(self.backend, &self.sql, self.values.clone());
        let started = std::time::Instant::now();
        let row = db.query_one_raw(statement).await;
        crate::db::waited(started.elapsed());
        let row = row?.ok_or_else(|| {
            Error::Internal(DbErr::Custom("a JSON read returned no row".to_owned()))
        })?;
        let data = row.try_get::<String>("", "data")?;
        unmark(data).ok_or_else(|| {
            Error::Internal(DbErr::Custom(
                "a JSON read's answer held a marker it could not rewrite".to_owned(),
            ))
        })
    }
}

/// Runs a [`statement`] written for `db`'s dialect: the `data` object's
/// JSON text.
pub async fn run(db: &impl ConnectionTrait, statement: &SelectStatement) -> Result<String> {
    Written::new(db.get_database_backend(), statement)
        .run(db)
        .await
}

/// Writes the page sizes into the SQL (`LIMIT 10`, not `LIMIT $3`) and
/// renumbers the other parameters.
///
/// PostgreSQL plans a prepared statement for its parameters' values five
/// times, then keeps one generic plan if that looks no more expensive. A
/// generic plan cannot know a `LIMIT $n`, assumes a large share of the rows,
/// and so looks expensive: the statement would be planned again on every
/// execution (about a millisecond for a nested query). Page sizes take few
/// values (at most the largest page size), so each becomes part of the
/// statement's text and its generic plan. Every `$` in our SQL is a
/// placeholder: keys, type names and enum values are GraphQL names.
pub(super) fn inline_limits(sql: &str, values: Vec<Value>) -> (String, Vec<Value>) {
    let mut kept = Vec::with_capacity(values.len());
    let out = placeholders(sql, |n, out| match values.get(n.wrapping_sub(1)) {
        Some(Value::BigUnsigned(Some(limit))) if out.ends_with(" LIMIT ") => {
            out.push_str(&limit.to_string());
        }
        Some(value) => {
            kept.push(value.clone());
            out.push_str(&format!("${}", kept.len()));
        }
        None => out.push_str(&format!("${n}")),
    });
    (out, kept)
}
