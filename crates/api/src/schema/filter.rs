//! Filter inputs: typed operators per field type, and a `filter:` argument
//! parsed against the description of its rows (`service::model`'s
//! `filters`): no type has filter code of its own.

use std::borrow::Cow;
use std::marker::PhantomData;

use async_graphql::registry::Registry;
use async_graphql::{ID, InputObject, InputType, InputValueResult};
use async_graphql_value::ConstValue;
use sea_orm::EntityTrait;
use service::Error;
use service::query::filter::{self, Filter, Filters, Operand, Ops, Reach, Scalar, Term, ToMany};

use super::described::Declared;
use super::described::enum_names_of;
use super::id::{NodeType, decode_as};
use super::scalars::Date;

/// Operators on a text field. `contains` and `startsWith` ignore case.
#[derive(InputObject, Clone, Debug, Default)]
pub struct StringFilter {
    /// Equal to.
    pub eq: Option<String>,
    /// Not equal to (NULL counts as not equal).
    pub ne: Option<String>,
    /// One of (at most 1000 values).
    #[graphql(name = "in")]
    pub in_list: Option<Vec<String>>,
    /// None of (NULL counts as none of; at most 1000 values).
    pub not_in: Option<Vec<String>>,
    /// Sorts before.
    pub lt: Option<String>,
    /// Sorts before or equal.
    pub lte: Option<String>,
    /// Sorts after.
    pub gt: Option<String>,
    /// Sorts after or equal.
    pub gte: Option<String>,
    /// Contains, ignoring case.
    pub contains: Option<String>,
    /// Starts with, ignoring case.
    pub starts_with: Option<String>,
    /// Is (true) or is not (false) null.
    pub is_null: Option<bool>,
}

impl From<StringFilter> for Ops<String> {
    fn from(f: StringFilter) -> Self {
        Ops {
            eq: f.eq,
            ne: f.ne,
            in_list: f.in_list,
            not_in: f.not_in,
            lt: f.lt,
            lte: f.lte,
            gt: f.gt,
            gte: f.gte,
            contains: f.contains,
            starts_with: f.starts_with,
            is_null: f.is_null,
        }
    }
}

/// Operators on an integer field.
#[derive(InputObject, Clone, Debug, Default)]
pub struct IntFilter {
    /// Equal to.
    pub eq: Option<i32>,
    /// Not equal to (NULL counts as not equal).
    pub ne: Option<i32>,
    /// One of (at most 1000 values).
    #[graphql(name = "in")]
    pub in_list: Option<Vec<i32>>,
    /// None of (NULL counts as none of; at most 1000 values).
    pub not_in: Option<Vec<i32>>,
    /// Less than.
    pub lt: Option<i32>,
    /// Less than or equal.
    pub lte: Option<i32>,
    /// Greater than.
    pub gt: Option<i32>,
    /// Greater than or equal.
    pub gte: Option<i32>,
    /// Is (true) or is not (false) null.
    pub is_null: Option<bool>,
}

impl From<IntFilter> for Ops<i32> {
    fn from(f: IntFilter) -> Self {
        Ops {
            eq: f.eq,
            ne: f.ne,
            in_list: f.in_list,
            not_in: f.not_in,
            lt: f.lt,
            lte: f.lte,
            gt: f.gt,
            gte: f.gte,
            is_null: f.is_null,
            ..Ops::default()
        }
    }
}

/// Operators on a date field.
#[derive(InputObject, Clone, Debug, Default)]
pub struct DateFilter {
    /// On.
    pub eq: Option<Date>,
    /// Not on (NULL counts as not on).
    pub ne: Option<Date>,
    /// One of (at most 1000 values).
    #[graphql(name = "in")]
    pub in_list: Option<Vec<Date>>,
    /// None of (NULL counts as none of; at most 1000 values).
    pub not_in: Option<Vec<Date>>,
    /// Before.
    pub lt: Option<Date>,
    /// On or before.
    pub lte: Option<Date>,
    /// After.
    pub gt: Option<Date>,
    /// On or after.
    pub gte: Option<Date>,
    /// Is (true) or is not (false) null.
    pub is_null: Option<bool>,
}

impl From<DateFilter> for Ops<chrono::NaiveDate> {
    fn from(f: DateFilter) -> Self {
        let d = |d: Option<Date>| d.map(|d| d.0);
        let list = |l: Option<Vec<Date>>| l.map(|l| l.into_iter().map(|d| d.0).collect());
        Ops {
            eq: d(f.eq),
            ne: d(f.ne),
            in_list: list(f.in_list),
            not_in: list(f.not_in),
            lt: d(f.lt),
            lte: d(f.lte),
            gt: d(f.gt),
            gte: d(f.gte),
            is_null: f.is_null,
            ..Ops::default()
        }
    }
}

/// Operators on a true/false field.
#[derive(InputObject, Clone, Debug, Default)]
pub struct BooleanFilter {
    /// Equal to.
    pub eq: Option<bool>,
    /// Not equal to (NULL counts as not equal).
    pub ne: Option<bool>,
    /// Is (true) or is not (false) null.
    pub is_null: Option<bool>,
}

impl From<BooleanFilter> for Ops<bool> {
    fn from(f: BooleanFilter) -> Self {
        Ops {
            eq: f.eq,
            ne: f.ne,
            is_null: f.is_null,
            ..Ops::default()
        }
    }
}

/// Operators on a global id.
#[derive(InputObject, Clone, Debug, Default)]
pub struct IdFilter {
    /// Equal to.
    pub eq: Option<ID>,
    /// Not equal to.
    pub ne: Option<ID>,
    /// One of (at most 1000 ids).
    #[graphql(name = "in")]
    pub in_list: Option<Vec<ID>>,
    /// None of (at most 1000 ids).
    pub not_in: Option<Vec<ID>>,
}

impl IdFilter {
    /// The operators on the row ids the global ids name; `path` is for errors.
    pub fn into_ops(self, ty: NodeType, path: &str) -> Result<Ops<i64>, Error> {
        let one = |id: Option<ID>| -> Result<Option<i64>, Error> {
            id.map(|id| id_of(&id, ty, path)).transpose()
        };
        let many = |ids: Option<Vec<ID>>| -> Result<Option<Vec<i64>>, Error> {
            ids.map(|ids| ids.iter().map(|id| id_of(id, ty, path)).collect())
                .transpose()
        };
        Ok(Ops {
            eq: one(self.eq)?,
            ne: one(self.ne)?,
            in_list: many(self.in_list)?,
            not_in: many(self.not_in)?,
            ..Ops::default()
        })
    }
}

fn id_of(id: &ID, ty: NodeType, path: &str) -> Result<i64, Error> {
    decode_as(id, ty, path)?.id().ok_or_else(|| {
        Error::bad_input(
            path,
            format!(
                "`{path}` must be the id of {}",
                service::text::with_article(ty.name())
            ),
        )
    })
}

/// A `filter:` argument as given: parsed against the filters of its table
/// when the plan reads it ([`parse`]); its type is `<T>Filter`, declared
/// from the description.
pub struct FilterOf<T>(ConstValue, PhantomData<fn() -> T>);

impl<T: Declared> FilterOf<T> {
    /// The filter over the rows of `E`.
    pub fn parse<E: EntityTrait>(&self) -> Result<Option<Filter>, Error> {
        parse(
            filter::of_table(E::default().table_name())?,
            &self.0,
            "filter",
        )
    }
}

impl<T: Declared> InputType for FilterOf<T> {
    type RawValueType = ConstValue;

    fn type_name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Filter", T::NAME))
    }

    fn create_type_info(_: &mut Registry) -> String {
        // Declared from the description (`described::filter_types`).
        Self::type_name().into_owned()
    }

    fn parse(value: Option<ConstValue>) -> InputValueResult<Self> {
        Ok(FilterOf(value.unwrap_or_default(), PhantomData))
    }

    fn to_value(&self) -> ConstValue {
        self.0.clone()
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(&self.0)
    }
}

/// A `filter:` argument over the rows `table` describes, at `path` (for
/// errors); `None` for null.
pub fn parse(table: &Filters, value: &ConstValue, path: &str) -> Result<Option<Filter>, Error> {
    let ConstValue::Object(given) = value else {
        return match value {
            ConstValue::Null => Ok(None),
            _ => Err(invalid(path)),
        };
    };
    let mut filter = Filter::default();
    for (name, value) in given {
        let at = format!("{path}.{name}");
        if value == &ConstValue::Null {
            continue;
        }
        match name.as_str() {
            "and" | "or" => {
                let mut list = Vec::new();
                for (i, item) in items(value).iter().enumerate() {
                    list.extend(parse(table, item, &format!("{at}[{i}]"))?);
                }
                *if name == "and" {
                    &mut filter.and
                } else {
                    &mut filter.or
                } = list;
            }
            "not" => filter.not = parse(table, value, &at)?.map(Box::new),
            name => filter.terms.push(term(table, name, value, &at)?),
        }
    }
    Ok(Some(filter))
}

/// One field of a filter: operators on a field, or a relation's filter.
fn term(table: &Filters, name: &str, value: &ConstValue, at: &str) -> Result<Term, Error> {
    if let Some(field) = table.field_named(name) {
        let ops = operators(field.operand, value, at)?;
        return Ok(Term::Field(field.name, Box::new(ops)));
    }
    let name = table
        .relations
        .iter()
        .map(|(name, _)| *name)
        .find(|n| *n == name)
        .ok_or_else(|| invalid(at))?;
    match table.relation(name) {
        Some(Reach::One { table: related, .. }) => {
            let related = filter::of_table(related)?;
            let inner = parse(related, value, at)?.unwrap_or_default();
            Ok(Term::One(name, Box::new(inner)))
        }
        Some(Reach::Many { table: related, .. }) => {
            let related = filter::of_table(related)?;
            let ConstValue::Object(quantifiers) = value else {
                return Err(invalid(at));
            };
            let mut many = ToMany::default();
            for (q, value) in quantifiers {
                let inner = parse(related, value, &format!("{at}.{q}"))?.map(Box::new);
                match q.as_str() {
                    "some" => many.some = inner,
                    "every" => many.every = inner,
                    "none" => many.none = inner,
                    _ => return Err(invalid(&format!("{at}.{q}"))),
                }
            }
            Ok(Term::Many(name, many))
        }
        None => Err(invalid(at)),
    }
}

/// A field's operators, parsed as the operand's operator input.
fn operators(operand: Operand, value: &ConstValue, at: &str) -> Result<Ops<Scalar>, Error> {
    fn input<T: InputType>(value: &ConstValue, at: &str) -> Result<T, Error> {
        T::parse(Some(value.clone())).map_err(|_| invalid(at))
    }
    Ok(match operand {
        Operand::Id(node) => input::<IdFilter>(value, at)?
            .into_ops(node, at)?
            .map(Scalar::Key),
        Operand::Text => Ops::from(input::<StringFilter>(value, at)?).map(Scalar::Text),
        Operand::Int => Ops::from(input::<IntFilter>(value, at)?).map(Scalar::Int),
        Operand::Date => Ops::from(input::<DateFilter>(value, at)?).map(Scalar::Date),
        Operand::Bool => Ops::from(input::<BooleanFilter>(value, at)?).map(Scalar::Bool),
        Operand::Enum(_, stored) => enum_operators(stored, value, at)?,
        Operand::Instant => return Err(invalid(at)),
    })
}

/// `eq`, `ne`, `in` and `notIn` on an enum: its GraphQL names, compared as
/// the stored values.
fn enum_operators(
    stored: fn() -> Vec<String>,
    value: &ConstValue,
    at: &str,
) -> Result<Ops<Scalar>, Error> {
    let ConstValue::Object(given) = value else {
        return Err(invalid(at));
    };
    let names = enum_names_of(stored);
    let one = |value: &ConstValue, at: &str| -> Result<Scalar, Error> {
        let name = match value {
            ConstValue::Enum(name) => name.as_str(),
            ConstValue::String(name) => name.as_str(),
            _ => return Err(invalid(at)),
        };
        names
            .iter()
            .find(|(_, shown)| shown == name)
            .map(|(stored, _)| Scalar::Text(stored.clone()))
            .ok_or_else(|| invalid(at))
    };
    let mut ops = Ops::default();
    for (op, value) in given {
        let at = format!("{at}.{op}");
        if value == &ConstValue::Null {
            continue;
        }
        let list =
            || -> Result<Vec<Scalar>, Error> { items(value).iter().map(|v| one(v, &at)).collect() };
        match op.as_str() {
            "eq" => ops.eq = Some(one(value, &at)?),
            "ne" => ops.ne = Some(one(value, &at)?),
            "in" => ops.in_list = Some(list()?),
            "notIn" => ops.not_in = Some(list()?),
            _ => return Err(invalid(&at)),
        }
    }
    Ok(ops)
}

/// A list argument's items (a single value counts as a list of one, as
/// GraphQL coerces it).
fn items(value: &ConstValue) -> &[ConstValue] {
    match value {
        ConstValue::List(items) => items,
        single => std::slice::from_ref(single),
    }
}

fn invalid(at: &str) -> Error {
    Error::bad_input(at, format!("`{at}` is not a valid filter here"))
}
