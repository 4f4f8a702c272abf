//! Aggregates and groups over any entity, in SQL (DESIGN: "aggregate in SQL,
//! never rows loaded and counted"): `COUNT(*)`, `COUNT(DISTINCT …)`, `MIN`,
//! `MAX`, `SUM` and `AVG` over every row the filter and the actor's row rules
//! admit — for one connection, or for many parents at once in one statement
//! grouped by parent — and `GROUP BY` columns and date parts with `HAVING`,
//! ordered and cut in SQL (per parent with `ROW_NUMBER()`).
//!
//! Field rules hold as for rows: a column the actor may not read on every row
//! ([`access::may_read_all`]) is not measured (its value comes back refused,
//! so the api answers `FORBIDDEN` in its place), and grouping by it or
//! putting it in `having` is refused outright.

use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, IntoIden, NullOrdering, Order, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ColumnType, Condition, ConnectionTrait, DbBackend, DbErr, IdenStatic, Iterable,
    QueryResult, Value,
};

use crate::access::{self, Field};
use crate::actor::Actor;
use crate::query::filter::{FilterValue, Filterable, Ops, Scope, camel, combine};
use crate::query::page::{Direction, PageLimits};
use crate::{Error, Result};

mod groups;
pub use groups::*;

/// An aggregate function over one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// How many distinct non-null values.
    DistinctCount,
    /// The smallest value.
    Min,
    /// The largest value.
    Max,
    /// The sum (numbers).
    Sum,
    /// The mean (numbers).
    Avg,
}

impl Op {
    /// The GraphQL name of the aggregate (argument paths in messages).
    pub fn name(self) -> &'static str {
        match self {
            Op::DistinctCount => "distinctCount",
            Op::Min => "min",
            Op::Max => "max",
            Op::Sum => "sum",
            Op::Avg => "avg",
        }
    }
}

/// One aggregate asked for: a function over a column (named as in the table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Measure {
    pub op: Op,
    pub column: &'static str,
}

/// Which part of a column a group key takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The value itself (for a foreign key: the related row's key).
    Value,
    /// The year of a date.
    Year,
    /// The month (1–12) of a date.
    Month,
}

/// One key of a `GROUP BY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GroupKey {
    pub column: &'static str,
    pub part: Part,
}

/// A value read back from an aggregate or a group key.
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Bool(bool),
}

impl Datum {
    pub fn int(&self) -> Option<i64> {
        match self {
            Datum::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn float(&self) -> Option<f64> {
        match self {
            Datum::Float(x) => Some(*x),
            Datum::Int(n) => Some(*n as f64),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Datum::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Datum::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn time(&self) -> Option<DateTime<Utc>> {
        match self {
            Datum::Time(t) => Some(*t),
            _ => None,
        }
    }

    pub fn bool(&self) -> Option<bool> {
        match self {
            Datum::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// A measured value, or the field rule that refused it.
#[derive(Clone, Debug, PartialEq)]
enum Measured {
    Value(Datum),
    Refused(Field),
}

/// The aggregates of one set of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregates {
    pub count: u64,
    values: Vec<(Measure, Measured)>,
}

impl Aggregates {
    /// The value of a measure, or `FORBIDDEN` when the field rules refuse it
    /// (`Null` for a measure that was not asked for).
    pub fn get(&self, op: Op, column: &str) -> Result<&Datum> {
        const NULL: &Datum = &Datum::Null;
        match self
            .values
            .iter()
            .find(|(m, _)| m.op == op && m.column == column)
        {
            Some((_, Measured::Value(datum))) => Ok(datum),
            Some((_, Measured::Refused(field))) => Err(forbidden(*field, "aggregated")),
            None => Ok(NULL),
        }
    }

    /// The aggregates of no rows.
    fn empty(plan: &[Planned]) -> Aggregates {
        Aggregates {
            count: 0,
            values: plan
                .iter()
                .map(|p| {
                    let value = match p.refused {
                        Some(field) => Measured::Refused(field),
                        None if p.measure.op == Op::DistinctCount => Measured::Value(Datum::Int(0)),
                        None => Measured::Value(Datum::Null),
                    };
                    (p.measure, value)
                })
                .collect(),
        }
    }
}

/// One group: its key values (in the order of `by`) and its aggregates.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: Vec<Datum>,
    pub aggregates: Aggregates,
}

/// What groups are ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupSort {
    /// The number of rows in the group.
    Count,
    /// The key values, in the order of `by`.
    Key,
}

/// A number compared in `having` (sums and averages); equal when bit-equal,
/// so that a request can be a batch key.
#[derive(Clone, Copy, Debug)]
pub struct Number(pub f64);

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl FilterValue for Number {
    fn value(&self) -> Value {
        self.0.into()
    }
}

/// A condition on one measure of a group, typed as the measure is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    Int(Ops<i64>),
    Number(Ops<Number>),
    Text(Ops<String>),
    Date(Ops<NaiveDate>),
}

/// `having`: conditions on a group's aggregates, combined like filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Having {
    pub and: Vec<Having>,
    pub or: Vec<Having>,
    pub not: Option<Box<Having>>,
    pub count: Option<Ops<i64>>,
    pub measures: Vec<(Measure, Bound)>,
}

/// A `groups` request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupQuery {
    pub by: Vec<GroupKey>,
    pub measures: Vec<Measure>,
    /// Empty: largest group first.
    pub order: Vec<(GroupSort, Direction)>,
    pub having: Option<Having>,
    pub first: Option<i32>,
}

/// How a value of a column is read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Float,
    Text,
    /// Fixed-width text (`char(n)`): PostgreSQL pads it.
    Padded,
    Date,
    Time,
    Bool,
}

pub(crate) fn kind_of<C: ColumnTrait>(column: C) -> Kind {
    match column.def().get_column_type() {
        ColumnType::TinyInteger
        | ColumnType::SmallInteger
        | ColumnType::Integer
        | ColumnType::BigInteger => Kind::Int,
        ColumnType::Float | ColumnType::Double | ColumnType::Decimal(_) => Kind::Float,
        ColumnType::Char(_) => Kind::Padded,
        ColumnType::Date => Kind::Date,
        ColumnType::TimestampWithTimeZone | ColumnType::DateTime | ColumnType::Timestamp => {
            Kind::Time
        }
        ColumnType::Boolean => Kind::Bool,
        _ => Kind::Text,
    }
}

/// The column of `E` named `name` (names come from the api's declarations).
pub(crate) fn column<E: Filterable>(name: &str) -> Result<E::Column> {
    E::Column::iter()
        .find(|c| c.as_str() == name)
        .ok_or_else(|| Error::Internal(DbErr::Custom(format!("no column `{name}` to aggregate"))))
}

/// The field rule that keeps `actor` from reading `column` on every row, if any.
pub(crate) fn refused<E: Filterable>(actor: &Actor, column: E::Column) -> Option<Field> {
    E::restricted(column).filter(|field| !access::may_read_all(actor, *field))
}

fn forbidden(field: Field, what: &str) -> Error {
    Error::Forbidden(refusal(field, what))
}

/// What a refused `field` is answered with where it would be `what`
/// ("aggregated", "grouped by", …).
pub fn refusal(field: Field, what: &str) -> String {
    format!("{}, so it cannot be {what}", access::refusal(field))
}

/// A measure as it will be computed (or refused) for one actor.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Planned {
    pub measure: Measure,
    pub kind: Kind,
    pub refused: Option<Field>,
}

pub(crate) fn plan<E: Filterable>(actor: &Actor, measures: &[Measure]) -> Result<Vec<Planned>> {
    measures
        .iter()
        .map(|m| {
            let col = column::<E>(m.column)?;
            let kind = match m.op {
                Op::DistinctCount => Kind::Int,
                Op::Sum | Op::Avg => Kind::Float,
                Op::Min | Op::Max => kind_of(col),
            };
            Ok(Planned {
                measure: *m,
                kind,
                refused: refused::<E>(actor, col),
            })
        })
        .collect()
}

fn col_expr<E: Filterable>(col: E::Column) -> Expr {
    Expr::col((E::default(), col))
}

/// The SQL of a measure; integers come back as `BIGINT` and sums and means
/// as `DOUBLE PRECISION` on both backends.
pub(crate) fn measure_expr<E: Filterable>(measure: Measure) -> Result<Expr> {
    let col = column::<E>(measure.column)?;
    let c = col_expr::<E>(col);
    let int = kind_of(col) == Kind::Int;
    Ok(match measure.op {
        Op::DistinctCount => Func::count_distinct(c).into(),
        Op::Min if int => Func::cast_as(Func::min(c), "BIGINT").into(),
        Op::Max if int => Func::cast_as(Func::max(c), "BIGINT").into(),
        Op::Min => Func::min(c).into(),
        Op::Max => Func::max(c).into(),
        Op::Sum => Func::cast_as(Func::sum(c), "DOUBLE PRECISION").into(),
        Op::Avg => Func::cast_as(Func::avg(c), "DOUBLE PRECISION").into(),
    })
}

/// The SQL of a group key.
fn key_expr<E: Filterable>(key: GroupKey, backend: DbBackend) -> Result<(Expr, Kind)> {
    let col = column::<E>(key.column)?;
    let c = col_expr::<E>(col);
    // Custom SQL takes its operand as `$1` on PostgreSQL and `?` on SQLite.
    let part = |pg: &'static str, sqlite: &'static str| -> Expr {
        match backend {
            DbBackend::Postgres => Expr::cust_with_expr(pg, c.clone()),
            _ => Expr::cust_with_expr(sqlite, c.clone()),
        }
    };
    Ok(match (key.part, kind_of(col)) {
        (Part::Value, Kind::Int) => (Func::cast_as(c, "BIGINT").into(), Kind::Int),
        (Part::Value, kind) => (c, kind),
        (Part::Year, _) => (
            part(
                "CAST(EXTRACT(YEAR FROM $1) AS BIGINT)",
                "CAST(strftime('%Y', ?) AS INTEGER)",
            ),
            Kind::Int,
        ),
        (Part::Month, _) => (
            part(
                "CAST(EXTRACT(MONTH FROM $1) AS BIGINT)",
                "CAST(strftime('%m', ?) AS INTEGER)",
            ),
            Kind::Int,
        ),
    })
}

fn decode(row: &QueryResult, alias: &str, kind: Kind) -> Result<Datum> {
    let datum = match kind {
        Kind::Int => row.try_get::<Option<i64>>("", alias)?.map(Datum::Int),
        Kind::Float => row.try_get::<Option<f64>>("", alias)?.map(Datum::Float),
        Kind::Text => row.try_get::<Option<String>>("", alias)?.map(Datum::Text),
        Kind::Padded => row
            .try_get::<Option<String>>("", alias)?
            .map(|s| Datum::Text(s.trim_end().to_owned())),
        Kind::Date => row
            .try_get::<Option<NaiveDate>>("", alias)?
            .map(Datum::Date),
        Kind::Time => row
            .try_get::<Option<DateTime<Utc>>>("", alias)?
            .map(Datum::Time),
        Kind::Bool => row.try_get::<Option<bool>>("", alias)?.map(Datum::Bool),
    };
    Ok(datum.unwrap_or(Datum::Null))
}

/// Adds `COUNT(*) AS n` and the allowed measures (`m0`, `m1`, …) to `query`.
fn select_measures<E: Filterable>(query: &mut SelectStatement, plan: &[Planned]) -> Result<()> {
    query.expr_as(Expr::col(Asterisk).count(), Alias::new("n"));
    for (i, p) in plan.iter().enumerate() {
        if p.refused.is_none() {
            query.expr_as(measure_expr::<E>(p.measure)?, Alias::new(format!("m{i}")));
        }
    }
    Ok(())
}

fn read_measures(row: &QueryResult, plan: &[Planned]) -> Result<Aggregates> {
    let n: i64 = row.try_get("", "n")?;
    let values = plan
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let value = match p.refused {
                Some(field) => Measured::Refused(field),
                None => Measured::Value(decode(row, &format!("m{i}"), p.kind)?),
            };
            Ok((p.measure, value))
        })
        .collect::<Result<_>>()?;
    Ok(Aggregates {
        count: u64::try_from(n).unwrap_or(0),
        values,
    })
}

/// `SELECT … FROM E WHERE <visible> AND <filter>`.
pub(crate) fn base<E: Filterable>(actor: &Actor, filter: Condition) -> SelectStatement {
    let mut query = Query::select();
    query
        .from(E::default())
        .cond_where(E::visible(actor))
        .cond_where(filter);
    query
}

/// The aggregates of the rows of `E` matching `filter` that `actor` may see.
pub async fn aggregate<E: Filterable>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Condition,
    measures: &[Measure],
) -> Result<Aggregates> {
    let plan = plan::<E>(actor, measures)?;
    let mut query = base::<E>(actor, filter);
    select_measures::<E>(&mut query, &plan)?;
    match db.query_one(&query).await? {
        Some(row) => read_measures(&row, &plan),
        None => Ok(Aggregates::empty(&plan)),
    }
}
