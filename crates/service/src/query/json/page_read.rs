//! The one read of a connection's page: the aggregates built over its rows
//! (`nodes`, `edges`, `pageInfo`) and the cursors written in SQL.

use sea_orm::sea_query::{Alias, DynIden, Expr, IntoIden};

use super::pages::{PageInfo, PageInfoField};
use super::{Aliases, CURSOR, Dialect, Lateral, POSITION, object_value, text};
use crate::query::page::Plan;
use crate::query::resource::Resource;

/// The one read of a connection's page, as it is being built: what its rows
/// must hold, and the aggregates over them (columns `__a0`, `__a1`, … of
/// the derived table `page`), each in client order.
pub(super) struct Read {
    /// The alias of the page's rows, and of the aggregates over them.
    pub(super) rows: DynIden,
    pub(super) page: DynIden,
    pub(super) limit: u64,
    pub(super) backward: bool,
    pub(super) dialect: Dialect,
    pub(super) reads: Vec<&'static str>,
    /// Whether one row more than the page is read (`pageInfo` asks whether
    /// there are more); the lists leave it out.
    pub(super) one_more: bool,
    pub(super) cursor: bool,
    pub(super) laterals: Vec<Lateral>,
    pub(super) aggregates: Vec<(Expr, DynIden)>,
}

impl Read {
    pub(super) fn columns(&mut self, reads: Vec<&'static str>) {
        for name in reads {
            if !self.reads.contains(&name) {
                self.reads.push(name);
            }
        }
    }

    pub(super) fn position(&self) -> Expr {
        Expr::col((self.rows.clone(), Alias::new(POSITION)))
    }

    /// An aggregate over the rows, as a column of the page's derived table.
    pub(super) fn aggregate(&mut self, value: Expr) -> Expr {
        let name = Alias::new(format!("__a{}", self.aggregates.len())).into_iden();
        self.aggregates.push((value, name.clone()));
        Expr::col((self.page.clone(), name))
    }

    /// The JSON array of `value` over the page's rows, in client order.
    pub(super) fn list(&mut self, value: Expr) -> Expr {
        let order = if self.backward { "DESC" } else { "ASC" };
        let (dialect, values) = (
            self.dialect,
            vec![value, self.position(), Expr::val(self.limit)],
        );
        let list = match dialect {
            Dialect::Postgres => dialect.sql(
                &format!(
                    "coalesce(json_agg($1 ORDER BY $2 {order}) FILTER (WHERE $2 <= $3), '[]'::json)"
                ),
                values,
            ),
            // Each row's object as text, joined in order (a JSON aggregate
            // would not keep the objects' JSON type through the ordering).
            Dialect::Sqlite => dialect.sql(
                &format!(
                    "coalesce('[' || group_concat(coalesce($1, 'null'), ',' ORDER BY $2 {order}) \
                     FILTER (WHERE $2 <= $3) || ']', '[]')"
                ),
                values,
            ),
        };
        let column = self.aggregate(list);
        dialect.json(column)
    }
}

/// `pageInfo` of one page: its flags and cursors from the page's rows and
/// one more (`hasNextPage` forwards, `hasPreviousPage` backwards); `after`
/// and `before`: whether the request gave them.
pub(super) fn page_info(
    read: &mut Read,
    after: bool,
    before: bool,
    info: PageInfo,
    aliases: &mut Aliases,
) -> Expr {
    let (dialect, limit, backward) = (read.dialect, read.limit, read.backward);
    let more = |read: &mut Read| {
        read.one_more = true;
        let more = read.aggregate(dialect.sql("count(*) > $1", vec![Expr::val(limit)]));
        dialect.boolean(more)
    };
    let flag = |given: bool| match dialect {
        Dialect::Postgres => Expr::cust(if given { "TRUE" } else { "FALSE" }),
        Dialect::Sqlite => dialect.literal(if given { "true" } else { "false" }),
    };
    // The cursor of the row at one end of the page, in client order.
    let end = |read: &mut Read, first: bool| {
        read.cursor = true;
        let ascending = first != backward;
        let (cursor, position) = (
            Expr::col((read.rows.clone(), Alias::new(CURSOR))),
            read.position(),
        );
        let end = match dialect {
            Dialect::Postgres => Expr::cust_with_exprs(
                format!(
                    "(array_agg($1 ORDER BY $2 {}) FILTER (WHERE $2 <= $3))[1]",
                    if ascending { "ASC" } else { "DESC" }
                ),
                [cursor, position, Expr::val(limit)],
            ),
            // The least or greatest position's cursor: positions written
            // to ten digits sort as numbers.
            Dialect::Sqlite => Expr::cust_with_exprs(
                format!(
                    "substr({}(CASE WHEN ? <= ? THEN printf('%010d', ?) || ? END), 11)",
                    if ascending { "min" } else { "max" }
                ),
                [position.clone(), Expr::val(limit), position, cursor],
            ),
        };
        read.aggregate(end)
    };
    let mut columns = Vec::with_capacity(info.fields.len());
    for (key, field) in info.fields {
        let value = match field {
            PageInfoField::HasNextPage if backward => flag(before),
            PageInfoField::HasNextPage => more(read),
            PageInfoField::HasPreviousPage if backward => more(read),
            PageInfoField::HasPreviousPage => flag(after),
            PageInfoField::StartCursor => end(read, true),
            PageInfoField::EndCursor => end(read, false),
            PageInfoField::Text(value) => text(&value),
        };
        columns.push((value, Alias::new(key).into_iden()));
    }
    object_value(columns, aliases)
}

/// The cursor of a row of `E` (as `Plan::decode` reads it), built over
/// the row of `E`'s table: URL-safe base64 without padding of
/// `{"o":"<order>","v":[<key values>]}`, each value the JSON text that
/// serde_json writes for it (PostgreSQL's `to_json` and SQLite's
/// `json_quote` write integers, texts, dates and booleans the same way,
/// escapes included; SQLite's booleans are 0 and 1, written here).
/// Instants are written as chrono's `to_rfc3339` writes them (`+00:00`, a
/// fraction of 0, 3 or 6 digits as the value needs): PostgreSQL's text
/// built here, SQLite's stored text (sqlx stores exactly that). `None`
/// when a key is of another type.
pub(super) fn cursor<E: Resource>(plan: &Plan<E>, dialect: Dialect) -> Option<Expr> {
    use sea_orm::sea_query::ColumnType as T;
    let head = format!(
        "{{\"o\":{},\"v\":[",
        serde_json::to_string(plan.signature()).ok()?
    );
    let mut template = String::from("$1");
    let mut values = vec![text(&head)];
    for (i, (key, _)) in plan.keys.iter().enumerate() {
        match key.ty {
            T::BigInteger
            | T::Integer
            | T::SmallInteger
            | T::String(_)
            | T::Text
            | T::Char(_)
            | T::Date
            | T::Boolean
            | T::TimestampWithTimeZone
            | T::Enum { .. } => {}
            _ => return None,
        }
        if i > 0 {
            template.push_str(" || ','");
        }
        values.push(key.expr.clone());
        let n = values.len();
        template.push_str(&match (dialect, &key.ty) {
            (Dialect::Postgres, T::TimestampWithTimeZone) => {
                let micros = format!("(extract(microseconds FROM ${n})::bigint % 1000000)");
                format!(
                    " || coalesce('\"' || to_char(${n} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || \
                     CASE WHEN {micros} = 0 THEN '' \
                     WHEN {micros} % 1000 = 0 THEN '.' || lpad(({micros} / 1000)::text, 3, '0') \
                     ELSE '.' || lpad({micros}::text, 6, '0') END || '+00:00\"', 'null')"
                )
            }
            (Dialect::Postgres, _) => format!(" || coalesce(to_json(${n})::text, 'null')"),
            (Dialect::Sqlite, T::Boolean) => format!(
                " || CASE WHEN (${n}) THEN 'true' WHEN NOT (${n}) THEN 'false' ELSE 'null' END"
            ),
            (Dialect::Sqlite, _) => format!(" || json_quote(${n})"),
        });
    }
    template.push_str(" || ']}'");
    Some(dialect.base64(dialect.sql(&template, values)))
}
