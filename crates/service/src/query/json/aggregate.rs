//! `aggregate` and `groups` of a connection in the one statement: the same
//! SQL as [`crate::query::aggregate`] (row rules, filters, field rules,
//! `having`, order and cut), as a value of the connection's object.
//!
//! Measures the actor may not read on every row are refusals (the marker
//! of [`super::REFUSED`]). Sums and means are written as serde_json writes
//! numbers ([`float`]); `min`/`max` are offered on integer, text, date and
//! boolean columns only (`writable`).

use sea_orm::Condition;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, IntoIden, WindowStatement};

use super::{
    Aliases, Dialect, FLOAT, Lateral, Nested, POSITION, array_of, fits, mapped, object_value,
    scalar, text,
};
use crate::access;
use crate::actor::Actor;
use crate::query::aggregate::{self as agg, GroupPlan, GroupQuery, Kind, Measure, Op};
use crate::query::filter::Filterable;
use crate::query::page::PageLimits;
use crate::query::resource::Link;

/// Most keys of one aggregate object, or of a statistic's group
/// (`json_build_object` takes at most 100 arguments).
pub const MAX_AGGREGATE_KEYS: usize = 50;

/// The column names of a group's key values in its row (`k0`, `k1`, …).
const KEY_COLUMNS: [&str; 8] = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];

/// The column of the `i`-th key of `by` in a group's row, for the related
/// row it names ([`super::one_at`]).
pub fn key_column(i: usize) -> Option<&'static str> {
    KEY_COLUMNS.get(i).copied()
}

/// One key of an aggregate object.
pub enum AggregateField {
    /// How many rows.
    Count,
    /// A measure: `min { foundedYear }`'s value.
    Measure(Measure),
    /// A measure the actor may not read on every row: refusal `n`.
    Refused(usize),
    /// A fixed text (`__typename`).
    Text(String),
    /// An object of measures (`min { … }`).
    Object(Vec<(String, AggregateField)>),
}

/// One key of a group's `key` object.
pub enum KeyField {
    /// A key the groups are not keyed by.
    Null,
    /// The `i`-th key of `by`, as stored (fixed-width codes trimmed).
    Value(usize),
    /// The `i`-th key of `by`, a stored value shown by its name.
    Mapped(usize, Vec<(String, String)>),
    /// The row the `i`-th key names, built over the group's row (see
    /// [`key_column`]).
    Row(Nested),
    /// A fixed text (`__typename`).
    Text(String),
}

/// One key of a group object.
pub enum GroupField {
    Key(Vec<(String, KeyField)>),
    Count,
    Aggregate(Vec<(String, AggregateField)>),
    Text(String),
}

/// `groups(…)` of a connection: the request, checked, and the selection.
pub struct Groups {
    plan: GroupPlan,
    measures: Vec<Measure>,
    fields: Vec<(String, GroupField)>,
}

/// The measures an aggregate selection asks for, in order, once each.
fn measures_of(fields: &[(String, AggregateField)], out: &mut Vec<Measure>) {
    for (_, field) in fields {
        match field {
            AggregateField::Measure(m) if !out.contains(m) => out.push(*m),
            AggregateField::Object(inner) => measures_of(inner, out),
            _ => {}
        }
    }
}

/// Whether every measure of a selection can be written, and every object
/// fits.
fn writable<E: Filterable>(fields: &[(String, AggregateField)]) -> bool {
    fits(fields)
        && fields.len() <= MAX_AGGREGATE_KEYS
        && fields.iter().all(|(_, field)| match field {
            AggregateField::Measure(m) => match m.op {
                Op::Sum | Op::Avg | Op::DistinctCount => true,
                Op::Min | Op::Max => agg::column::<E>(m.column).is_ok_and(|c| {
                    matches!(
                        agg::kind_of(c),
                        Kind::Int | Kind::Text | Kind::Padded | Kind::Date | Kind::Bool
                    )
                }),
            },
            AggregateField::Object(inner) => writable::<E>(inner),
            _ => true,
        })
}

/// `json_build_object(…)` (`json_object` on SQLite) of an aggregate
/// selection; `measure` gives each measure's value.
fn build(
    fields: Vec<(String, AggregateField)>,
    count: &Expr,
    measure: &dyn Fn(Measure) -> Expr,
    dialect: Dialect,
) -> Expr {
    if fields.is_empty() {
        // As `object_value`.
        return dialect.null();
    }
    let mut template = String::from(match dialect {
        Dialect::Postgres => "json_build_object(",
        Dialect::Sqlite => "json_object(",
    });
    let mut values = Vec::with_capacity(fields.len() * 2);
    for (i, (key, field)) in fields.into_iter().enumerate() {
        if i > 0 {
            template.push_str(", ");
        }
        values.push(text(&key));
        let value = match field {
            AggregateField::Count => count.clone(),
            AggregateField::Measure(m) => measure(m),
            AggregateField::Refused(n) => dialect.refused(n),
            AggregateField::Text(value) => text(&value),
            AggregateField::Object(inner) => build(inner, count, measure, dialect),
        };
        values.push(value);
        template.push_str(&format!("${}, ${}", values.len() - 1, values.len()));
    }
    template.push(')');
    dialect.sql(&template, values)
}

/// A sum's or mean's JSON text as serde_json writes an `f64` (Ryu's
/// shortest digits, as PostgreSQL's; an integral value with `.0`; an
/// exponent without `+` or a leading zero): PostgreSQL writes `2` and
/// `1e+16` where serde_json writes `2.0` and `1e16`. (From 10^15 to 10^16
/// PostgreSQL writes an exponent and serde_json digits: sums of this
/// schema's columns stay far below.) SQLite writes 15 digits: there the
/// value is a marker of its 17 digits, which read back exactly and are
/// written as serde_json writes them when the answer is read
/// ([`super::unmark`]).
fn float(value: Expr, dialect: Dialect) -> Expr {
    match dialect {
        Dialect::Postgres => Expr::cust_with_expr(
            "(SELECT CASE WHEN t IS NULL THEN NULL \
               WHEN strpos(t, 'e') > 0 THEN replace(replace(t, 'e+', 'e'), 'e-0', 'e-') \
               WHEN strpos(t, '.') > 0 THEN t \
               ELSE t || '.0' END::json FROM (SELECT ($1)::text AS t) AS f)",
            value,
        ),
        Dialect::Sqlite => Expr::cust_with_exprs(
            format!(
                "CASE WHEN (?) IS NOT NULL THEN char(1) || '{FLOAT}' || printf('%!.17g', ?) END"
            ),
            [value.clone(), value],
        ),
    }
}

/// A measure's value as the API answers it, from its SQL value.
fn shaped<E: Filterable>(measure: Measure, value: Expr, dialect: Dialect) -> Expr {
    if matches!(measure.op, Op::Sum | Op::Avg) {
        return float(value, dialect);
    }
    let kind = agg::column::<E>(measure.column).map(agg::kind_of);
    match (measure.op, kind) {
        (Op::Min | Op::Max, Ok(Kind::Padded)) => Func::cust("rtrim").arg(value).into(),
        (Op::Min | Op::Max, Ok(Kind::Bool)) => dialect.boolean(value),
        _ => value,
    }
}

/// `aggregate { … }` over the rows of `E` matching `filter` (under the
/// parent, for a nested connection) that `actor` may see.
pub fn aggregate<E: Filterable>(fields: Vec<(String, AggregateField)>) -> Option<Aggregate> {
    writable::<E>(&fields).then_some(Aggregate { fields })
}

/// An aggregate selection, checked.
pub struct Aggregate {
    fields: Vec<(String, AggregateField)>,
}

pub(super) fn aggregate_value<E: Filterable>(
    actor: &Actor,
    filter: Condition,
    parent: Option<(Link, Expr)>,
    aggregate: Aggregate,
    dialect: Dialect,
) -> Expr {
    if aggregate.fields.is_empty() {
        // As `object_value` (and no query: without an aggregate function
        // it would return a row per row).
        return dialect.null();
    }
    let count = Expr::cust("count(*)");
    let measure = |m: Measure| {
        // Checked by `writable`: the column exists.
        let value = agg::measure_expr::<E>(m).unwrap_or_else(|_| Expr::cust("NULL"));
        shaped::<E>(m, value, dialect)
    };
    let mut query = agg::base::<E>(actor, filter);
    query.expr(build(aggregate.fields, &count, &measure, dialect));
    if let Some((link, parent_key)) = parent {
        link.join::<E>(&mut query);
        query.and_where(link.parent_expr::<E>().eq(parent_key));
    }
    dialect.json(scalar(query))
}

/// `groups(…)` of a connection (`request`'s measures are those `fields`
/// select): the error the client gets when the request is refused; an
/// internal error when a part of it cannot be written here.
pub fn groups<E: Filterable>(
    actor: &Actor,
    mut request: GroupQuery,
    fields: Vec<(String, GroupField)>,
    limits: PageLimits,
    dialect: Dialect,
) -> crate::Result<Groups> {
    let untranslated = || {
        crate::Error::Internal(sea_orm::DbErr::Custom(
            "these groups do not translate".into(),
        ))
    };
    if request.by.len() > KEY_COLUMNS.len() || !fits(&fields) {
        return Err(untranslated());
    }
    let mut measures = Vec::new();
    for (_, field) in &fields {
        if let GroupField::Aggregate(inner) = field {
            if !writable::<E>(inner) {
                return Err(untranslated());
            }
            measures_of(inner, &mut measures);
        }
    }
    request.measures = measures.clone();
    let plan = GroupPlan::new::<E>(actor, dialect.backend(), &request, limits)?;
    let shown_alike = |(_, kind): &(Expr, Kind)| !matches!(kind, Kind::Time | Kind::Float);
    if !plan.keys.iter().all(shown_alike) {
        return Err(untranslated());
    }
    Ok(Groups {
        plan,
        measures,
        fields,
    })
}

pub(super) fn groups_value<E: Filterable>(
    actor: &Actor,
    filter: Condition,
    parent: Option<(Link, Expr)>,
    groups: Groups,
    aliases: &mut Aliases,
) -> Expr {
    let Groups {
        plan,
        measures,
        fields,
    } = groups;
    let dialect = aliases.dialect;
    if plan.limit == 0 {
        return dialect.literal("[]");
    }
    // Checked by `GroupPlan::new`: the keys and measures exist.
    let Ok(mut rows) = plan.select::<E>(actor, filter) else {
        return dialect.literal("[]");
    };
    if let Some((link, parent_key)) = parent {
        link.join::<E>(&mut rows);
        rows.and_where(link.parent_expr::<E>().eq(parent_key));
    }
    let mut window = WindowStatement::new();
    for (expr, order, nulls) in &plan.order {
        window.order_by_expr_with_nulls(expr.clone(), order.clone(), *nulls);
        rows.order_by_expr_with_nulls(expr.clone(), order.clone(), *nulls);
    }
    rows.expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION))
        .limit(plan.limit);
    let alias = aliases.next();
    let col = |name: String| Expr::col((alias.clone(), Alias::new(name)));
    let mut laterals: Vec<Lateral> = Vec::new();
    let mut columns = Vec::with_capacity(fields.len());
    for (key, field) in fields {
        let value = match field {
            GroupField::Key(keys) => {
                let mut key_columns = Vec::with_capacity(keys.len());
                for (name, key) in keys {
                    let value = match key {
                        KeyField::Null => Expr::cust("NULL"),
                        KeyField::Value(i) => match plan.keys.get(i) {
                            Some((_, Kind::Padded)) => {
                                Func::cust("rtrim").arg(col(format!("k{i}"))).into()
                            }
                            Some((_, Kind::Bool)) => dialect.boolean(col(format!("k{i}"))),
                            _ => col(format!("k{i}")),
                        },
                        KeyField::Mapped(i, map) => mapped(col(format!("k{i}")), &map),
                        KeyField::Row(nested) => nested.build(aliases, &alias, &mut laterals),
                        KeyField::Text(value) => text(&value),
                    };
                    key_columns.push((value, Alias::new(name).into_iden()));
                }
                object_value(key_columns, aliases)
            }
            GroupField::Count => col("n".to_owned()),
            GroupField::Aggregate(inner) => {
                // Refused measures are `AggregateField::Refused`: every
                // measure here is read, as `m<i>` (`select_measures`).
                let measures = &measures;
                let alias = alias.clone();
                let measure = move |m: Measure| {
                    let i = measures.iter().position(|x| *x == m).unwrap_or(0);
                    shaped::<E>(
                        m,
                        Expr::col((alias.clone(), Alias::new(format!("m{i}")))),
                        dialect,
                    )
                };
                build(inner, &col("n".to_owned()), &measure, dialect)
            }
            GroupField::Text(value) => text(&value),
        };
        columns.push((value, Alias::new(key).into_iden()));
    }
    array_of(rows, alias, (columns, false), laterals, false, aliases)
}

/// Whether `actor` may not read `column` of `E` on every row (its measures
/// are refused).
pub fn measure_refused<E: Filterable>(actor: &Actor, column: &str) -> Option<access::Field> {
    agg::refused::<E>(actor, agg::column::<E>(column).ok()?)
}
