//! Reads compiled to one statement: a whole query operation (root
//! connections, nested pages, lists and to-one relations) becomes a single
//! `SELECT` whose one value is the answer's `data` as JSON text — the way
//! PostGraphile answers — on PostgreSQL and on SQLite ([`Dialect`]). The
//! rows are the ones the batched reads of [`super::read`] return: the same row rules (`visible`), filters, keyset
//! conditions, orders and page sizes, as correlated subqueries (pages and
//! lists) and lateral joins (to-one relations).
//!
//! On PostgreSQL an object is a row whose column names are the response
//! keys, turned into JSON by the database's record output (`json_agg` of
//! rows, `to_json` at the top): several times cheaper for PostgreSQL than a
//! `json_build_object` call per row, which looks up the type of every
//! argument on every call. On SQLite an object is a `json_object` call, a
//! list a `group_concat` of them in order, a to-one relation a correlated
//! subquery (there are no laterals); see [`Dialect`].
//!
//! The api describes what to build ([`Object`], [`Connection`], the nested
//! constructors); this module owns the SQL. A shape it cannot build is
//! refused with `None`.

use sea_orm::sea_query::{
    Alias, DynIden, Expr, ExprTrait, IntoIden, Query, QueryStatementBuilder, SelectStatement,
};
use sea_orm::{EntityTrait, Value};

mod aggregate;
mod dialect;
mod figures;
mod lists;
mod object;
mod page_read;
mod pages;
mod single;

pub use dialect::Dialect;
mod written;
use dialect::{FLOAT, placeholders};
pub use figures::{Figure, GroupPart, Part, figures};
pub use object::{Field, Object};
pub use single::{by_key, by_key_of, keyed, one, one_at};
pub use written::{Written, run};

pub use aggregate::{
    Aggregate, AggregateField, GroupField, Groups, KeyField, MAX_AGGREGATE_KEYS, aggregate, groups,
    key_column, measure_refused,
};
pub use lists::{children, first_child, rows_of};
pub use pages::{
    Connection, ConnectionField, Edge, EdgeField, PageInfo, PageInfoField, child_page, page,
};

/// The column alias numbering a page's rows in SQL order.
const POSITION: &str = "__position";

/// The column alias of a page row's cursor.
const CURSOR: &str = "__cursor";

/// How a refused value starts in the answer's JSON text: `{"!":n}`, the
/// marker of refusal `n` (see [`Field::Restricted`]). No key of an answer is
/// `!` (keys are GraphQL names) and a string's quotes are escaped, so the
/// text contains this only where a value was refused.
pub const REFUSED: &str = "{\"!\":";

/// The key of a derived value's marker in an answer ([`Field::Derived`]):
/// `{"$":n,"key":…}` (PostgreSQL writes spaces into it), which the caller
/// replaces by the value it computes. No other key of an answer is `$`,
/// and inside a text the quotes are escaped.
pub const DERIVED: &str = "\"$\"";

/// Most keys in one object (columns of one row).
pub const MAX_KEYS: usize = 200;

/// Longest key: PostgreSQL truncates longer identifiers (`NAMEDATALEN - 1`).
pub const LONGEST_KEY: usize = 63;

/// Names the derived tables of one statement (`__j0`, `__j1`, …), apart from
/// the tables' own names that row rules and filters refer to; and says in
/// which dialect it is written.
pub struct Aliases {
    next: usize,
    dialect: Dialect,
}

impl Aliases {
    fn new(dialect: Dialect) -> Self {
        Aliases { next: 0, dialect }
    }

    fn next(&mut self) -> DynIden {
        let alias = Alias::new(format!("__j{}", self.next)).into_iden();
        self.next += 1;
        alias
    }
}

/// A subquery joined `LEFT JOIN LATERAL … ON TRUE` to the rows an object is
/// built from, with its alias.
type Lateral = (SelectStatement, DynIden);

/// A JSON value built against the row of a parent table (its alias given);
/// it may join laterals to the parent's rows.
type Build = dyn FnOnce(&mut Aliases, &DynIden, &mut Vec<Lateral>) -> Expr + Send;

/// A JSON value built against the row of a parent table, and the parent's
/// columns it reads.
pub struct Nested {
    build: Box<Build>,
    reads: Vec<&'static str>,
}

impl Nested {
    fn new(
        reads: Option<&'static str>,
        build: impl FnOnce(&mut Aliases, &DynIden, &mut Vec<Lateral>) -> Expr + Send + 'static,
    ) -> Self {
        Nested {
            build: Box::new(build),
            reads: reads.into_iter().collect(),
        }
    }

    /// The parent's own row shown as `object` (a type of the same table):
    /// a mobility balance's `condition`.
    pub fn same_row<T: EntityTrait + Send>(object: Object<T>) -> Self
    where
        Object<T>: Send + 'static,
    {
        Nested {
            reads: object.reads(),
            build: Box::new(move |aliases, parent, laterals| {
                object.build(aliases, parent, laterals).value(aliases)
            }),
        }
    }

    fn build(self, aliases: &mut Aliases, parent: &DynIden, laterals: &mut Vec<Lateral>) -> Expr {
        (self.build)(aliases, parent, laterals)
    }
}

/// At most [`MAX_KEYS`] keys, each a GraphQL name PostgreSQL keeps whole.
fn fits<T>(fields: &[(String, T)]) -> bool {
    fields.len() <= MAX_KEYS && fields.iter().all(|(key, _)| is_name(key))
}

/// A GraphQL name (`[_A-Za-z][_0-9A-Za-z]*`) PostgreSQL keeps whole: what
/// may become a JSON key.
fn is_name(key: &str) -> bool {
    let mut chars = key.chars();
    if key.len() > LONGEST_KEY {
        return false;
    }
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// A text literal written into the statement (keys, type names, mapped values),
/// so that statements of one shape share one prepared form.
fn text(value: &str) -> Expr {
    Expr::Constant(Value::String(Some(value.to_owned())))
}

fn mapped(value: Expr, map: &[(String, String)]) -> Expr {
    let mut case = sea_orm::sea_query::CaseStatement::new();
    for (stored, output) in map {
        case = case.case(value.clone().eq(text(stored)), text(output));
    }
    Expr::Case(Box::new(case.finally(Expr::null())))
}

/// A global id: URL-safe base64 without padding of `Type:key` (fixed-width
/// keys trimmed).
fn global_id(dialect: Dialect, ty: &str, key: Expr) -> Expr {
    let text = match dialect {
        // A `char(n)` key loses its trailing blanks as `text`.
        Dialect::Postgres => {
            Expr::cust_with_exprs("$1 || $2::text", [self::text(&format!("{ty}:")), key])
        }
        Dialect::Sqlite => Expr::cust_with_exprs("? || ?", [self::text(&format!("{ty}:")), key]),
    };
    dialect.base64(text)
}

/// `(SELECT …)` as a value.
fn scalar(select: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(select.into_sub_query_statement()))
}

/// Adds `laterals` to a select (PostgreSQL; SQLite's statements have none).
fn join_laterals(select: &mut SelectStatement, laterals: Vec<Lateral>) {
    for (lateral, alias) in laterals {
        select.join_lateral(
            sea_orm::JoinType::LeftJoin,
            lateral,
            alias,
            Expr::cust("TRUE"),
        );
    }
}

/// `json_object('key', value, …)` (SQLite).
fn json_object(columns: Vec<(Expr, DynIden)>) -> Expr {
    let mut template = String::from("json_object(");
    let mut values = Vec::with_capacity(columns.len() * 2);
    for (i, (value, key)) in columns.into_iter().enumerate() {
        template.push_str(if i == 0 { "?, ?" } else { ", ?, ?" });
        values.push(text(&key.to_string()));
        values.push(value);
    }
    template.push(')');
    Expr::cust_with_exprs(template, values)
}

/// A select of one object per row (the caller adds `FROM`), and whether the
/// object is its one column [`object::OBJECT`]: on PostgreSQL
/// `SELECT value AS key, …` (the row is the object), on SQLite
/// `SELECT json_object(…) AS __object`.
fn object_select(columns: Vec<(Expr, DynIden)>, dialect: Dialect) -> (SelectStatement, bool) {
    match dialect {
        Dialect::Postgres => (record_select(columns), false),
        Dialect::Sqlite => (
            record_select(vec![(
                json_object(columns),
                Alias::new(object::OBJECT).into_iden(),
            )]),
            true,
        ),
    }
}

/// `SELECT value AS key, …` (the caller adds `FROM`).
fn record_select(columns: Vec<(Expr, DynIden)>) -> SelectStatement {
    let mut select = Query::select();
    for (value, key) in columns {
        select.expr_as(value, key);
    }
    select
}

/// An object of `columns` as a value: a record of them (a `json_object` on
/// SQLite), or `{}` when there are none — an object none of whose fields
/// applies (`... on Company { … }` on a university), as the GraphQL spec
/// writes it.
fn object_value(columns: Vec<(Expr, DynIden)>, aliases: &mut Aliases) -> Expr {
    if columns.is_empty() {
        aliases.dialect.empty_object()
    } else if aliases.dialect.sqlite() {
        json_object(columns)
    } else {
        record(record_select(columns), aliases)
    }
}

/// The object built by `select` ([`object_select`]) as a value: `null` when
/// it has no row.
fn record(select: SelectStatement, aliases: &mut Aliases) -> Expr {
    match aliases.dialect {
        // `(SELECT r FROM (select) r)`: the row as a record.
        Dialect::Postgres => {
            let alias = aliases.next();
            let mut outer = Query::select();
            outer
                .expr(Expr::col(alias.clone()))
                .from_subquery(select, alias);
            scalar(outer)
        }
        // The select's one column, a `json_object`.
        Dialect::Sqlite => Dialect::Sqlite.json(scalar(select)),
    }
}

/// The JSON array of `object` over the rows of `rows` (aliased `alias`) in
/// `__position` order; `[]` when there are none.
fn array<E: EntityTrait>(
    rows: SelectStatement,
    alias: DynIden,
    object: Object<E>,
    descending: bool,
    aliases: &mut Aliases,
) -> Expr {
    let mut laterals = Vec::new();
    let (columns, json) = object.build(aliases, &alias, &mut laterals).columns();
    array_of(rows, alias, (columns, json), laterals, descending, aliases)
}

/// The JSON array of the objects `columns` (built over the rows of `rows`,
/// aliased `alias`, with `laterals` joined; `json`: one column holding each
/// object) in `__position` order.
fn array_of(
    rows: SelectStatement,
    alias: DynIden,
    (columns, json): (Vec<(Expr, DynIden)>, bool),
    laterals: Vec<Lateral>,
    descending: bool,
    aliases: &mut Aliases,
) -> Expr {
    let dialect = aliases.dialect;
    let (columns, json) = if columns.is_empty() {
        (
            vec![(
                dialect.empty_object(),
                Alias::new(object::OBJECT).into_iden(),
            )],
            true,
        )
    } else {
        (columns, json)
    };
    let order = if descending { "DESC" } else { "ASC" };
    if dialect.sqlite() {
        // Each row's object as text, joined in `__position` order (a JSON
        // aggregate would not keep the objects' JSON type through the
        // ordering); `null` for a row without an object.
        let object = if json {
            columns.into_iter().next().map(|(value, _)| value)
        } else {
            Some(json_object(columns))
        };
        let mut list = Query::select();
        list.expr(Expr::cust_with_exprs(
            format!("coalesce('[' || group_concat(coalesce(?, 'null'), ',' ORDER BY ? {order}) || ']', '[]')"),
            [
                object.unwrap_or_else(|| dialect.null()),
                Expr::col((alias.clone(), Alias::new(POSITION))),
            ],
        ))
        .from_subquery(rows, alias);
        return dialect.json(scalar(list));
    }
    let mut objects = record_select(columns);
    objects.from_subquery(rows, alias.clone()).order_by(
        (alias, Alias::new(POSITION)),
        if descending {
            sea_orm::Order::Desc
        } else {
            sea_orm::Order::Asc
        },
    );
    join_laterals(&mut objects, laterals);
    // `json_agg` takes the ordered subquery's rows in order (no join or
    // grouping at its level).
    let list = aliases.next();
    let mut outer = Query::select();
    outer
        .expr(Expr::cust_with_exprs(
            "coalesce(json_agg($1), '[]'::json)",
            [object::row_value(list.clone(), json)],
        ))
        .from_subquery(objects, list);
    scalar(outer)
}

/// An object built from the parent's own row (`AuditEntry.actor`).
pub fn same_row<E: EntityTrait>(object: Object<E>) -> Nested {
    let reads = object.reads();
    Nested {
        reads,
        build: Box::new(move |aliases, parent, laterals| {
            object.build(aliases, parent, laterals).value(aliases)
        }),
    }
}

/// One key of an object that is not a row ([`fixed`]).
pub enum Fixed {
    /// A text, or `null`.
    Text(Option<String>),
    /// A related object, list or page.
    Nested(Nested),
}

/// An object that is not a row (`viewer`): its texts, and objects read by
/// key.
pub fn fixed(fields: Vec<(String, Fixed)>) -> Option<Nested> {
    fits(&fields).then_some(())?;
    Some(Nested::new(None, move |aliases, parent, laterals| {
        let mut columns = Vec::with_capacity(fields.len());
        for (key, field) in fields {
            let value = match field {
                Fixed::Text(Some(value)) => text(&value),
                Fixed::Text(None) => Expr::cust("NULL"),
                Fixed::Nested(nested) => nested.build(aliases, parent, laterals),
            };
            columns.push((value, Alias::new(key).into_iden()));
        }
        object_value(columns, aliases)
    }))
}

/// A fixed text (a root `__typename`).
pub fn fixed_text(value: String) -> Nested {
    Nested::new(None, move |_, _, _| text(&value))
}

/// A value refused with refusal `n` (the marker [`REFUSED`]): a field the
/// request's arguments make the service refuse, wherever it is asked.
pub fn refused(n: usize, dialect: Dialect) -> Nested {
    Nested::new(None, move |_, _, _| dialect.refused(n))
}

/// A JSON array of `items` in order (`nodes(ids:)`); `None` over the most
/// arguments a function takes.
pub fn list(items: Vec<Nested>) -> Option<Nested> {
    if items.len() > 100 {
        return None;
    }
    Some(Nested::new(None, move |aliases, parent, laterals| {
        if items.is_empty() {
            return aliases.dialect.literal("[]");
        }
        let mut template = String::from(match aliases.dialect {
            Dialect::Postgres => "json_build_array(",
            Dialect::Sqlite => "json_array(",
        });
        let mut values = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                template.push_str(", ");
            }
            values.push(item.build(aliases, parent, laterals));
            template.push_str(&format!("${}", values.len()));
        }
        template.push(')');
        aliases.dialect.sql(&template, values)
    }))
}

/// The statement answering a whole operation, in `dialect`: one row, one
/// column `data`, the JSON text of the `data` object with `fields` in order.
pub fn statement(fields: Vec<(String, Nested)>, dialect: Dialect) -> Option<SelectStatement> {
    if fields.is_empty() || fields.len() > MAX_KEYS || !fields.iter().all(|(key, _)| is_name(key)) {
        return None;
    }
    let mut aliases = Aliases::new(dialect);
    let root = Alias::new("__root").into_iden();
    let mut columns = Vec::with_capacity(fields.len());
    for (key, nested) in fields {
        // Root fields are subqueries of their own: nothing joins the root.
        let value = nested.build(&mut aliases, &root, &mut Vec::new());
        columns.push((value, Alias::new(key).into_iden()));
    }
    let mut select = Query::select();
    match dialect {
        Dialect::Postgres => select
            .expr_as(
                Expr::cust_with_exprs("to_json($1)::text", [Expr::col(root.clone())]),
                Alias::new("data"),
            )
            .from_subquery(record_select(columns), root),
        Dialect::Sqlite => select.expr_as(json_object(columns), Alias::new("data")),
    };
    Some(select)
}

#[cfg(test)]
mod tests {
    use super::written::inline_limits;
    use super::*;
    use crate::actor::Actor;
    use crate::query::resource::Key;

    #[test]
    fn only_graphql_names_become_keys() {
        assert!(is_name("name"));
        assert!(is_name("_x1"));
        assert!(!is_name("1x"));
        assert!(!is_name("a'b"));
        assert!(!is_name(""));
        type Org = entity::organization::Entity;
        let keys = |n: usize| -> Vec<(String, Field<Org>)> {
            (0..n)
                .map(|i| (format!("k{i}"), Field::Text(String::new())))
                .collect()
        };
        assert!(Object::<Org>::new(keys(MAX_KEYS)).is_some());
        assert!(Object::<Org>::new(keys(MAX_KEYS + 1)).is_none());
        assert!(Object::<Org>::new(vec![("x y".to_owned(), Field::Text(String::new()))]).is_none());
    }

    #[test]
    fn page_sizes_are_written_into_the_statement_and_other_values_renumbered() {
        let (sql, values) = inline_limits(
            "SELECT a FROM t WHERE x = $1 LIMIT $2) AS u WHERE y IN ($3, $4) LIMIT $5",
            vec![
                Value::String(Some("DE".to_owned())),
                Value::BigUnsigned(Some(10)),
                Value::BigInt(Some(7)),
                Value::BigInt(Some(8)),
                Value::BigUnsigned(Some(20)),
            ],
        );
        assert_eq!(
            sql,
            "SELECT a FROM t WHERE x = $1 LIMIT 10) AS u WHERE y IN ($2, $3) LIMIT 20"
        );
        assert_eq!(
            values,
            vec![
                Value::String(Some("DE".to_owned())),
                Value::BigInt(Some(7)),
                Value::BigInt(Some(8)),
            ]
        );
    }

    #[test]
    fn a_statement_builds_rows_named_by_their_keys_and_binds_values() {
        use sea_orm::sea_query::PostgresQueryBuilder;
        type Org = entity::organization::Entity;
        use entity::organization::Column;
        let object = Object::<Org>::new(vec![
            ("id".to_owned(), Field::GlobalId("Organization", Column::Id)),
            ("name".to_owned(), Field::Column(Column::Name)),
        ])
        .expect("two keys");
        let nested = by_key::<Org>(&Actor::anonymous(), Key::Id(7), object);
        let select =
            statement(vec![("node".to_owned(), nested)], Dialect::Postgres).expect("one field");
        let (sql, values) = select.build(PostgresQueryBuilder);
        assert!(
            sql.starts_with(
                "SELECT to_json(\"__root\")::text AS \"data\" FROM (SELECT (SELECT \"__j1\" FROM \
                 (SELECT chr(1) || 'B' || 'Organization:' || \"__j0\".\"id\"::text AS \"id\""
            ),
            "{sql}"
        );
        assert!(sql.contains("\"__j0\".\"name\" AS \"name\""), "{sql}");
        assert!(sql.contains("FROM \"organizations\" AS \"__j0\""), "{sql}");
        assert_eq!(values.0, vec![Value::BigInt(Some(7))], "{sql}");
    }
}
