//! `aggregate { … }` and `groups(…) { … }` of a connection in the one
//! statement's terms, read off the types the `aggregate!` macro declared for
//! the entity (their names, measured columns and group keys).

use async_graphql::parser::types::{Field, SelectionSet};
use async_graphql::{EnumType, InputType};
use sea_orm::ActiveEnum;
use service::query::aggregate::{GroupKey, Having, Measure, Op};
use service::query::filter::{Filterable, camel};
use service::query::json::{self, AggregateField, GroupField, Groups, KeyField};

use super::{Cx, Types, key};
use crate::schema::aggregate::GroupOrder;
use crate::schema::scalars::Date;

/// The GraphQL names of an entity's aggregate types.
pub struct AggregateNames {
    pub aggregate: &'static str,
    pub values: &'static str,
    pub counts: &'static str,
    pub group: &'static str,
    pub key: &'static str,
    /// The sums' and means' type (none without numeric columns).
    pub numbers: Option<&'static str>,
}

/// How a group key is answered.
pub enum Shown {
    /// As stored (numbers, texts, dates, booleans).
    Value,
    /// A stored value by its GraphQL name (enums).
    Named(Vec<(String, String)>),
    /// The row of this table the key names.
    Row(&'static str),
    /// Not translated (a mistake: every key is shown one of the other ways).
    Untranslated,
}

/// A group key type's way of answering.
pub trait KeyShown {
    fn shown() -> Shown;
}

impl KeyShown for i32 {
    fn shown() -> Shown {
        Shown::Value
    }
}

impl KeyShown for String {
    fn shown() -> Shown {
        Shown::Value
    }
}

impl KeyShown for Date {
    fn shown() -> Shown {
        Shown::Value
    }
}

impl KeyShown for bool {
    fn shown() -> Shown {
        Shown::Value
    }
}

/// One field of a group's `key` object.
pub struct KeyDescription {
    /// The field's name in snake case.
    pub field: &'static str,
    pub key: GroupKey,
    pub shown: Shown,
}

/// What the `aggregate!` macro declared for an entity.
pub trait AggregateTypes {
    /// `groups(by:)`'s values.
    type By: InputType + Copy;
    /// `groups(having:)`.
    type Having: InputType;
    const NAMES: AggregateNames;
    /// Columns with `min` and `max`.
    const VALUES: &'static [&'static str];
    /// Columns with `distinctCount`.
    const COUNTS: &'static [&'static str];
    /// Columns with `sum` and `avg`.
    const NUMBERS: &'static [&'static str];
    fn by_key(by: Self::By) -> GroupKey;
    fn having(having: Self::Having) -> Having;
    fn key_fields() -> Vec<KeyDescription>;
}

/// Stored enum values and the GraphQL names they are shown as.
pub(crate) fn enum_names<G, R>() -> Vec<(String, String)>
where
    G: EnumType + Into<R>,
    R: ActiveEnum<Value = String>,
{
    G::items()
        .iter()
        .map(|item| (item.value.into().to_value(), item.name.to_owned()))
        .collect()
}

/// An `aggregate { … }` selection.
pub(super) fn aggregate<E: Filterable, A: AggregateTypes>(
    cx: &Cx<'_>,
    set: &SelectionSet,
) -> Option<Vec<(String, AggregateField)>> {
    let names = &A::NAMES;
    let mut fields = Vec::new();
    for f in cx.fields_within(
        set,
        Types::Exactly(&[names.aggregate]),
        json::MAX_AGGREGATE_KEYS,
    )? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "count" => AggregateField::Count,
            "__typename" => AggregateField::Text(names.aggregate.to_owned()),
            "min" => measures::<E>(cx, f, Op::Min, A::VALUES, names.values)?,
            "max" => measures::<E>(cx, f, Op::Max, A::VALUES, names.values)?,
            "distinctCount" => measures::<E>(cx, f, Op::DistinctCount, A::COUNTS, names.counts)?,
            "sum" => measures::<E>(cx, f, Op::Sum, A::NUMBERS, names.numbers?)?,
            "avg" => measures::<E>(cx, f, Op::Avg, A::NUMBERS, names.numbers?)?,
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
    columns: &'static [&'static str],
    type_name: &'static str,
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
pub(super) fn groups<E: Filterable, A: AggregateTypes>(
    cx: &Cx<'_>,
    field: &Field,
) -> Option<service::Result<Groups>> {
    let names = &A::NAMES;
    let by: Vec<A::By> = cx.arg(field, "by")?;
    let first: Option<i32> = cx.arg(field, "first")?;
    let order: Option<Vec<GroupOrder>> = cx.arg(field, "orderBy")?;
    let having: Option<A::Having> = cx.arg(field, "having")?;
    let keys: Vec<GroupKey> = by.iter().map(|b| A::by_key(*b)).collect();
    let mut fields = Vec::new();
    for f in cx.fields(&field.selection_set.node, Types::Exactly(&[names.group]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "key" => GroupField::Key(key_object::<A>(cx, &f.selection_set.node, &keys)?),
            "count" => GroupField::Count,
            "aggregate" => GroupField::Aggregate(aggregate::<E, A>(cx, &f.selection_set.node)?),
            "__typename" => GroupField::Text(names.group.to_owned()),
            _ => return None,
        };
        fields.push((key(f), value));
    }
    let request = service::query::aggregate::GroupQuery {
        by: keys,
        measures: Vec::new(),
        order: GroupOrder::sort(order),
        having: having.map(A::having),
        first,
    };
    match json::groups::<E>(cx.actor, request, fields, cx.limits, cx.dialect) {
        Err(error) if error.is_internal() => None,
        answer => Some(answer),
    }
}

/// A group's `key { … }`: the values of `by`, the other keys `null`.
fn key_object<A: AggregateTypes>(
    cx: &Cx<'_>,
    set: &SelectionSet,
    keys: &[GroupKey],
) -> Option<Vec<(String, KeyField)>> {
    let descriptions = A::key_fields();
    let mut fields = Vec::new();
    for f in cx.fields(set, Types::Exactly(&[A::NAMES.key]))? {
        let f = &f.node;
        let name = f.name.node.as_str();
        let value = if name == "__typename" {
            KeyField::Text(A::NAMES.key.to_owned())
        } else {
            let description = descriptions.iter().find(|d| camel(d.field) == name)?;
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
                    Shown::Untranslated => return None,
                },
            }
        };
        fields.push((key(f), value));
    }
    Some(fields)
}
