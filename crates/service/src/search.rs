//! `search:` as people use it: several words, each the start of a word, all
//! of which must appear (in any field searched), ignoring case and accents —
//! "univ leipzig" and "leip UNIVE" both find "Universität Leipzig" — the
//! same on SQLite and PostgreSQL, ordered by relevance when no `orderBy` is
//! given.
//!
//! Each searchable table keeps its searched text folded once, on write, in
//! two columns: `search_primary` (names) and `search_secondary` (the rest;
//! an agreement's summary, which only some may read, is there alone). Folding
//! transliterates to lower-case ASCII words (`deunicode`), with a space
//! before each word, so a word prefix is `LIKE '% term%'` — trigram-indexed
//! on PostgreSQL. Every audited write refreshes its row's columns in its own
//! transaction; rows written otherwise (the demo loader) are folded at
//! start-up ([`index_missing`]).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnType, Condition, ConnectionTrait, DbBackend};
use serde_json::Value as Json;

use crate::Result;
use crate::access::Field;
use crate::query::page::{Direction, OrderKey};
use entity::RecordType;

/// The folded names of a row.
pub const PRIMARY: &str = "search_primary";
/// The folded rest of a row's searched text.
pub const SECONDARY: &str = "search_secondary";

/// Most words a search uses (the rest are ignored).
pub const MAX_TERMS: usize = 8;

/// What a table's search looks in.
#[derive(Clone, Copy, Debug)]
pub struct Searched {
    pub record: RecordType,
    /// Columns folded into `search_primary`.
    pub primary: &'static [&'static str],
    /// Columns folded into `search_secondary`.
    pub secondary: &'static [&'static str],
    /// The field rule that restricts the secondary text, if any: only those
    /// who may read it on every row search it.
    pub secondary_rule: Option<Field>,
    /// Rows of other tables folded into `search_primary` too, each
    /// `(key in the audit snapshot, table, its column naming the row, its
    /// column of text)`: an organization's names in every language.
    pub primary_rows: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

/// The searchable tables.
pub const SEARCHED: &[Searched] = &[
    Searched {
        record: RecordType::Organization,
        primary: &["name", "short_name", "names"],
        secondary: &["city", "description"],
        secondary_rule: None,
        primary_rows: &[("names", "organization_names", "organization_id", "value")],
    },
    Searched {
        record: RecordType::Person,
        primary: &["full_name"],
        secondary: &["title"],
        secondary_rule: None,
        primary_rows: &[],
    },
    Searched {
        record: RecordType::Event,
        primary: &["name"],
        secondary: &["location"],
        secondary_rule: None,
        primary_rows: &[],
    },
    Searched {
        record: RecordType::Agreement,
        primary: &["title"],
        secondary: &["summary"],
        secondary_rule: Some(Field::AgreementSummary),
        primary_rows: &[],
    },
    Searched {
        record: RecordType::Program,
        primary: &["name"],
        secondary: &[],
        secondary_rule: None,
        primary_rows: &[],
    },
    Searched {
        record: RecordType::Student,
        primary: &["full_name"],
        secondary: &[],
        secondary_rule: None,
        primary_rows: &[],
    },
];

/// The search of `table`, if it has one.
pub fn of_table(table: &str) -> Option<&'static Searched> {
    SEARCHED.iter().find(|s| s.record.table() == table)
}

/// Text folded for searching: lower-case ASCII words, each preceded by a
/// space (`" universitat leipzig"`).
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(ascii.len() + 1);
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

/// The words of a search, folded (at most [`MAX_TERMS`]).
pub fn terms(search: &str) -> Vec<String> {
    fold(search)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(str::to_owned)
        .collect()
}

/// The folded text of `columns` of a row (an audit snapshot): a text, or a
/// list of rows each with a text `value` (an organization's names).
fn folded(columns: &[&str], row: &Json) -> String {
    let mut out = String::new();
    for column in columns {
        match row.get(*column) {
            Some(Json::String(text)) => out.push_str(&fold(text)),
            Some(Json::Array(rows)) => {
                for text in rows.iter().filter_map(|r| r.get("value")?.as_str()) {
                    out.push_str(&fold(text));
                }
            }
            _ => {}
        }
    }
    out
}

fn column(table: &str, name: &'static str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(name)))
}

/// `column LIKE '% term%'`: a word of the folded text starts with `term`
/// (folded terms hold only letters and digits, nothing to escape).
fn word_prefix(column: Expr, term: &str) -> Expr {
    column.like(LikeExpr::new(format!("% {term}%")))
}

/// The rows of `table` (by its own name) that `search` finds for an actor
/// who may (or may not) read the secondary text: every term starts a word of
/// the names or of the rest.
pub fn condition(table: &str, search: &str, secondary: bool) -> Condition {
    let terms = terms(search);
    let mut all = Condition::all();
    for term in &terms {
        let mut any = Condition::any().add(word_prefix(column(table, PRIMARY), term));
        if secondary {
            any = any.add(word_prefix(column(table, SECONDARY), term));
        }
        all = all.add(any);
    }
    all
}

/// The order of relevance for a search, as order keys: more terms starting
/// words of the names first, then names that start with the first term,
/// then shorter names.
pub fn relevance<C>(
    table: &str,
    search: &str,
    backend: DbBackend,
) -> Vec<(OrderKey<C>, Direction)> {
    let terms = terms(search);
    if terms.is_empty() {
        return Vec::new();
    }
    let primary = || column(table, PRIMARY);
    let hit = |cond: Expr| Expr::Case(Box::new(Expr::case(cond, 1).finally(0)));
    let in_names = terms
        .iter()
        .map(|t| hit(word_prefix(primary(), t)))
        .reduce(|a, b| a.add(b))
        .unwrap_or_else(|| Expr::val(0));
    let first = hit(primary().like(LikeExpr::new(format!(" {}%", terms[0]))));
    let length = match backend {
        DbBackend::Postgres => Expr::cust_with_expr("LENGTH($1)", primary()),
        _ => Expr::cust_with_expr("LENGTH(?)", primary()),
    };
    let key = |name, expr| OrderKey {
        name,
        expr,
        column: None,
        ty: ColumnType::BigInteger,
        nullable: false,
    };
    vec![
        (key("relevance.names", cast(in_names)), Direction::Desc),
        (key("relevance.first", cast(first)), Direction::Desc),
        (key("relevance.length", cast(length)), Direction::Asc),
    ]
}

/// Integer keys read back as `BIGINT` on both backends.
fn cast(expr: Expr) -> Expr {
    sea_orm::sea_query::Func::cast_as(expr, "BIGINT").into()
}

/// Refreshes the folded text of one written row (its audit snapshot).
pub(crate) async fn refresh(
    conn: &impl ConnectionTrait,
    record: RecordType,
    key: i64,
    after: &Json,
) -> Result<()> {
    let Some(searched) = SEARCHED.iter().find(|s| s.record == record) else {
        return Ok(());
    };
    let mut update = Query::update();
    update
        .table(Alias::new(record.table()))
        .value(Alias::new(PRIMARY), folded(searched.primary, after))
        .value(Alias::new(SECONDARY), folded(searched.secondary, after))
        .and_where(Expr::col(Alias::new("id")).eq(key));
    conn.execute(&update).await?;
    Ok(())
}

/// Rows folded per statement by [`index_missing`].
const BATCH: usize = 500;

/// Folds the searched text of every row that has none yet (rows loaded
/// without an audited write, and every row after the migration that added
/// the columns), 500 rows per `UPDATE … FROM (VALUES …)`. Returns how many
/// rows it folded.
pub async fn index_missing(db: &sea_orm::DatabaseConnection) -> Result<u64> {
    let backend = db.get_database_backend();
    let mut done = 0u64;
    for searched in SEARCHED {
        let table = searched.record.table();
        let lists: Vec<&str> = searched.primary_rows.iter().map(|r| r.0).collect();
        let columns: Vec<&str> = searched
            .primary
            .iter()
            .chain(searched.secondary)
            .copied()
            .filter(|c| !lists.contains(c))
            .collect();
        loop {
            let mut select = Query::select();
            select
                .column(Alias::new("id"))
                .columns(columns.iter().map(|c| Alias::new(*c)))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new(PRIMARY)).is_null())
                .order_by(Alias::new("id"), sea_orm::Order::Asc)
                .limit(BATCH as u64);
            let rows = db.query_all(&select).await?;
            if rows.is_empty() {
                break;
            }
            let ids = rows
                .iter()
                .map(|row| row.try_get::<i64>("", "id"))
                .collect::<std::result::Result<Vec<i64>, _>>()?;
            let mut listed: Vec<(&str, std::collections::HashMap<i64, Vec<Json>>)> = Vec::new();
            for (key, table, fk, text) in searched.primary_rows {
                let mut select = Query::select();
                select
                    .column(Alias::new(*fk))
                    .column(Alias::new(*text))
                    .from(Alias::new(*table))
                    .and_where(Expr::col(Alias::new(*fk)).is_in(ids.iter().copied()));
                let mut by_row: std::collections::HashMap<i64, Vec<Json>> = Default::default();
                for row in db.query_all(&select).await? {
                    let value: String = row.try_get("", text)?;
                    by_row
                        .entry(row.try_get("", fk)?)
                        .or_default()
                        .push(serde_json::json!({ "value": value }));
                }
                listed.push((key, by_row));
            }
            let mut values: Vec<sea_orm::Value> = Vec::with_capacity(rows.len() * 3);
            let mut tuples = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut json = serde_json::Map::new();
                for c in &columns {
                    if let Some(text) = row.try_get::<Option<String>>("", c)? {
                        json.insert((*c).to_owned(), Json::String(text));
                    }
                }
                let id: i64 = row.try_get("", "id")?;
                for (key, by_row) in &listed {
                    let list = by_row.get(&id).cloned().unwrap_or_default();
                    json.insert((*key).to_owned(), Json::Array(list));
                }
                let json = Json::Object(json);
                let n = values.len();
                tuples.push(match backend {
                    DbBackend::Postgres => format!("(${}, ${}, ${})", n + 1, n + 2, n + 3),
                    _ => "(?, ?, ?)".to_owned(),
                });
                values.push(row.try_get::<i64>("", "id")?.into());
                values.push(folded(searched.primary, &json).into());
                values.push(folded(searched.secondary, &json).into());
            }
            let sql = format!(
                "UPDATE {table} SET {PRIMARY} = v.column2, {SECONDARY} = v.column3 \
                 FROM (VALUES {}) AS v WHERE {table}.id = v.column1",
                tuples.join(", ")
            );
            db.execute_raw(sea_orm::Statement::from_sql_and_values(
                backend, sql, values,
            ))
            .await?;
            done += rows.len() as u64;
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::{fold, terms};

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("Universität Leipzig"), " universitat leipzig");
        assert_eq!(fold("UNIVERSITÄT"), " universitat");
        assert_eq!(
            fold("Université de Technologie, Belfort"),
            " universite de technologie belfort"
        );
        assert_eq!(fold("Straße"), " strasse");
        assert_eq!(fold("  "), "");
        assert_eq!(terms("leip  UNIVE"), ["leip", "unive"]);
        assert_eq!(terms(&"a ".repeat(20)).len(), super::MAX_TERMS);
    }
}
