//! `aggregate { … }` and `groups(…) { … }` of a connection in the one
//! statement's terms, read off the type's description (`service::model`):
//! its measured columns, its group keys and the `having` conditions on them.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_graphql::parser::types::{Field, SelectionSet};
use async_graphql_value::ConstValue;
use entity::NodeType;
use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic};
use service::model::{Description, Of};
use service::query::aggregate::{Bound, GroupKey, Having, Measure, Op, Part};
use service::query::filter::{Filterable, camel};
use service::query::json::{self, AggregateField, GroupField, Groups, KeyField};

use super::{Cx, Types, key};
use crate::schema::aggregate::GroupOrder;
use crate::schema::described::operators::{self, DATE, FLOAT, INT, STRING};
use crate::schema::described::{lower_first, screaming};
use crate::schema::scalars::Date;

/// How a group key is answered.
enum Shown {
    /// As stored (numbers, texts, dates, booleans).
    Value,
    /// A stored value by its GraphQL name (enums).
    Named(Vec<(String, String)>),
    /// The row of this table the key names.
    Row(&'static str),
}

/// One key of `groups(by:)`.
struct Key {
    /// Its name (`PascalCase`): `SCREAMING_CASE` in `by`, `camelCase` in `key`.
    name: &'static str,
    key: GroupKey,
    shown: Shown,
}

/// The operand type of `having` on a column's smallest or largest value.
#[derive(Clone, Copy)]
enum Operand {
    Int,
    Text,
    Date,
}

/// What a type's connections aggregate and group by, and the names of the
/// types they answer in, read off its description.
pub(crate) struct Aggregating {
    aggregate: String,
    values: String,
    counts: String,
    numbers: String,
    group: String,
    key: String,
    /// Columns with `min` and `max`, and their `having` operand.
    extremes: Vec<(&'static str, Operand)>,
    /// Columns with `distinctCount`.
    distinct: Vec<&'static str>,
    /// Columns with `sum` and `avg`.
    sums: Vec<&'static str>,
    keys: Vec<Key>,
}

/// The table of each type with a global id.
static TABLES: LazyLock<HashMap<NodeType, &'static str>> = LazyLock::new(|| {
    service::model::catalog()
        .iter()
        .filter_map(|shape| Some((shape.node?, shape.table)))
        .collect()
});

impl Aggregating {
    pub(crate) fn of<E: EntityTrait>(d: &Description<E>) -> Aggregating {
        let a = &d.aggregates;
        let operand = |c: &E::Column| match c.def().get_column_type() {
            ColumnType::Integer | ColumnType::SmallInteger | ColumnType::TinyInteger => {
                Operand::Int
            }
            ColumnType::Date => Operand::Date,
            _ => Operand::Text,
        };
        let named = |column: &E::Column| {
            d.fields.iter().find_map(|f| match &f.of {
                Of::Enum(c, _, stored) if c.as_str() == column.as_str() => {
                    Some(crate::schema::described::enum_names_of(*stored))
                }
                _ => None,
            })
        };
        let keys = a
            .keys
            .iter()
            .map(|k| Key {
                name: k.name,
                key: GroupKey {
                    column: k.column.as_str(),
                    part: k.part,
                },
                shown: match (k.row, k.part) {
                    (Some(node), _) => Shown::Row(TABLES[&node]),
                    (None, Part::Value) => named(&k.column).map_or(Shown::Value, Shown::Named),
                    (None, _) => Shown::Value,
                },
            })
            .collect();
        let ty = d.name;
        Aggregating {
            aggregate: format!("{ty}Aggregate"),
            values: format!("{ty}Values"),
            counts: format!("{ty}Counts"),
            numbers: format!("{ty}Numbers"),
            group: format!("{ty}Group"),
            key: format!("{ty}GroupKey"),
            extremes: a.values.iter().map(|c| (c.as_str(), operand(c))).collect(),
            distinct: a.counts.iter().map(|c| c.as_str()).collect(),
            sums: a.numbers.iter().map(|c| c.as_str()).collect(),
            keys,
        }
    }

    /// The group keys `by` names (`SCREAMING_CASE` enum values).
    fn by(&self, value: ConstValue) -> Option<Vec<GroupKey>> {
        operators::items(&value)
            .iter()
            .map(|name| {
                let name = operators::enum_name(name, "by").ok()?;
                let key = self.keys.iter().find(|k| screaming(k.name) == name)?;
                Some(key.key)
            })
            .collect()
    }

    /// A `having` condition.
    fn having(&self, value: &ConstValue) -> Option<Having> {
        let ConstValue::Object(fields) = value else {
            return None;
        };
        let list = |value: &ConstValue| -> Option<Vec<Having>> {
            let items = operators::items(value);
            items.iter().map(|h| self.having(h)).collect()
        };
        let mut having = Having {
            and: Vec::new(),
            or: Vec::new(),
            not: None,
            count: None,
            measures: Vec::new(),
        };
        for (name, value) in fields {
            if matches!(value, ConstValue::Null) {
                continue;
            }
            match name.as_str() {
                "and" => having.and = list(value)?,
                "or" => having.or = list(value)?,
                "not" => having.not = Some(Box::new(self.having(value)?)),
                "count" => {
                    let ops = INT
                        .parse(value, "having.count", operators::scalar::<i32>)
                        .ok()?;
                    having.count = Some(ops.map(i64::from));
                }
                "distinctCount" => {
                    let columns = self.distinct.iter().map(|c| (*c, Operand::Int));
                    bounds(value, Op::DistinctCount, columns, &mut having.measures)?;
                }
                "min" | "max" => {
                    let op = if name.as_str() == "min" {
                        Op::Min
                    } else {
                        Op::Max
                    };
                    let columns = self.extremes.iter().copied();
                    bounds(value, op, columns, &mut having.measures)?;
                }
                "sum" | "avg" => {
                    let op = if name.as_str() == "sum" {
                        Op::Sum
                    } else {
                        Op::Avg
                    };
                    for (column, value) in object(value)? {
                        let column = *self.sums.iter().find(|c| camel(c) == column.as_str())?;
                        let ops = FLOAT
                            .parse(value, "having", operators::scalar::<f64>)
                            .ok()?;
                        let bound = Bound::Number(ops.map(service::query::aggregate::Number));
                        having.measures.push((Measure { op, column }, bound));
                    }
                }
                _ => return None,
            }
        }
        Some(having)
    }
}

/// An input object's fields.
fn object(
    value: &ConstValue,
) -> Option<&async_graphql::indexmap::IndexMap<async_graphql::Name, ConstValue>> {
    match value {
        ConstValue::Object(fields) => Some(fields),
        _ => None,
    }
}

/// The bounds of `having`'s `distinctCount`, `min` or `max` on `columns`.
fn bounds(
    value: &ConstValue,
    op: Op,
    columns: impl Iterator<Item = (&'static str, Operand)> + Clone,
    out: &mut Vec<(Measure, Bound)>,
) -> Option<()> {
    for (name, value) in object(value)? {
        if matches!(value, ConstValue::Null) {
            continue;
        }
        let (column, operand) = columns.clone().find(|(c, _)| camel(c) == name.as_str())?;
        let at = "having";
        let bound = match operand {
            Operand::Int => Bound::Int(
                INT.parse(value, at, operators::scalar::<i32>)
                    .ok()?
                    .map(i64::from),
            ),
            Operand::Text => Bound::Text(STRING.parse(value, at, operators::scalar).ok()?),
            Operand::Date => Bound::Date(
                DATE.parse(value, at, operators::scalar::<Date>)
                    .ok()?
                    .map(|d| d.0),
            ),
        };
        out.push((Measure { op, column }, bound));
    }
    Some(())
}

/// An `aggregate { … }` selection.
pub(super) fn aggregate<E: Filterable>(
    cx: &Cx<'_>,
    set: &SelectionSet,
    a: &Aggregating,
) -> Option<Vec<(String, AggregateField)>> {
    let extremes: Vec<&'static str> = a.extremes.iter().map(|(c, _)| *c).collect();
    let mut fields = Vec::new();
    for f in cx.fields_within(
        set,
        Types::Exactly(&[a.aggregate.as_str()]),
        json::MAX_AGGREGATE_KEYS,
    )? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "count" => AggregateField::Count,
            "__typename" => AggregateField::Text(a.aggregate.clone()),
            "min" => measures::<E>(cx, f, Op::Min, &extremes, &a.values)?,
            "max" => measures::<E>(cx, f, Op::Max, &extremes, &a.values)?,
            "distinctCount" => measures::<E>(cx, f, Op::DistinctCount, &a.distinct, &a.counts)?,
            "sum" if !a.sums.is_empty() => measures::<E>(cx, f, Op::Sum, &a.sums, &a.numbers)?,
            "avg" if !a.sums.is_empty() => measures::<E>(cx, f, Op::Avg, &a.sums, &a.numbers)?,
            _ => return None,
        };
        fields.push((key(f), value));
    }
    Some(fields)
}

/// `min { … }`, `max { … }` or `distinctCount { … }`: one measure per field.
fn measures<E: Filterable>(
    cx: &Cx<'_>,
    field: &Field,
    op: Op,
    columns: &[&'static str],
    type_name: &str,
) -> Option<AggregateField> {
    let mut fields = Vec::new();
    for f in cx.fields_within(
        &field.selection_set.node,
        Types::Exactly(&[type_name]),
        json::MAX_AGGREGATE_KEYS,
    )? {
        let (pos, f) = (f.pos, &f.node);
        let name = f.name.node.as_str();
        let value = if name == "__typename" {
            AggregateField::Text(type_name.to_owned())
        } else {
            let column = *columns.iter().find(|c| camel(c) == name)?;
            match json::measure_refused::<E>(cx.actor, column) {
                Some(rule) => AggregateField::Refused(
                    cx.refusal(service::query::aggregate::refusal(rule, "aggregated"), pos),
                ),
                None => AggregateField::Measure(Measure { op, column }),
            }
        };
        fields.push((key(f), value));
    }
    Some(AggregateField::Object(fields))
}

/// `groups(by:, first:, orderBy:, having:) { … }`.
/// `groups(…)`: `None` when it does not translate, the service's error when
/// it refuses the request.
pub(super) fn groups<E: Filterable>(
    cx: &Cx<'_>,
    field: &Field,
    a: &Aggregating,
) -> Option<service::Result<Groups>> {
    let keys = a.by(cx.argument(field, "by")?)?;
    let first: Option<i32> = cx.arg(field, "first")?;
    let order: Option<Vec<GroupOrder>> = cx.arg(field, "orderBy")?;
    let having = match cx.argument(field, "having")? {
        ConstValue::Null => None,
        value => Some(a.having(&value)?),
    };
    let mut fields = Vec::new();
    for f in cx.fields(
        &field.selection_set.node,
        Types::Exactly(&[a.group.as_str()]),
    )? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "key" => GroupField::Key(key_object(cx, &f.selection_set.node, &keys, a)?),
            "count" => GroupField::Count,
            "aggregate" => GroupField::Aggregate(aggregate::<E>(cx, &f.selection_set.node, a)?),
            "__typename" => GroupField::Text(a.group.clone()),
            _ => return None,
        };
        fields.push((key(f), value));
    }
    let request = service::query::aggregate::GroupQuery {
        by: keys,
        measures: Vec::new(),
        order: GroupOrder::sort(order),
        having,
        first,
    };
    match json::groups::<E>(cx.actor, request, fields, cx.limits, cx.dialect) {
        Err(error) if error.is_internal() => None,
        answer => Some(answer),
    }
}

/// A group's `key { … }`: the values of `by`, the other keys `null`.
fn key_object(
    cx: &Cx<'_>,
    set: &SelectionSet,
    keys: &[GroupKey],
    a: &Aggregating,
) -> Option<Vec<(String, KeyField)>> {
    let mut fields = Vec::new();
    for f in cx.fields(set, Types::Exactly(&[a.key.as_str()]))? {
        let f = &f.node;
        let name = f.name.node.as_str();
        let value = if name == "__typename" {
            KeyField::Text(a.key.clone())
        } else {
            let description = a.keys.iter().find(|k| lower_first(k.name) == name)?;
            match keys.iter().position(|k| *k == description.key) {
                None => KeyField::Null,
                Some(i) => match &description.shown {
                    Shown::Value => KeyField::Value(i),
                    Shown::Named(map) => KeyField::Mapped(i, map.clone()),
                    Shown::Row(table) => KeyField::Row(super::types::row_at(
                        cx,
                        table,
                        json::key_column(i)?,
                        &f.selection_set.node,
                    )?),
                },
            }
        };
        fields.push((key(f), value));
    }
    Some(fields)
}
