//! A `filter:` argument
//! parsed against the description of its rows (`service::model`'s
//! `filters`): no type has filter code of its own.

use std::borrow::Cow;
use std::marker::PhantomData;

use async_graphql::registry::Registry;
use async_graphql::{ID, InputType, InputValueResult};
use async_graphql_value::ConstValue;
use sea_orm::EntityTrait;
use service::Error;
use service::query::filter::{self, Filter, Filters, Operand, Ops, Reach, Scalar, Term, ToMany};

use super::described::{Declared, enum_names_of, operators};
use super::id::{NodeType, decode_as};

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
        let table = filter::of_table(E::default().table_name())?;
        parse(table, &self.0, "filter")
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
    let Some(&(name, reach)) = table.relations.iter().find(|(n, _)| *n == name) else {
        return Err(invalid(at));
    };
    match reach {
        Reach::One { table: related, .. } => {
            let related = filter::of_table(related)?;
            let inner = parse(related, value, at)?.unwrap_or_default();
            Ok(Term::One(name, Box::new(inner)))
        }
        Reach::Many { table: related, .. } => {
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
    }
}

/// A field's operators, parsed as the operand's operator input.
fn operators(operand: Operand, value: &ConstValue, at: &str) -> Result<Ops<Scalar>, Error> {
    use super::scalars::Date;
    use operators::scalar;
    use operators::{BOOLEAN, DATE, ENUM, ID, INT, STRING};
    match operand {
        Operand::Id(node) => ID.parse(value, at, |v, at| {
            id_of(&scalar::<async_graphql::ID>(v, at)?, node, at).map(Scalar::Key)
        }),
        Operand::Text => STRING.parse(value, at, |v, at| scalar(v, at).map(Scalar::Text)),
        Operand::Int => INT.parse(value, at, |v, at| scalar(v, at).map(Scalar::Int)),
        Operand::Date => DATE.parse(value, at, |v, at| {
            scalar(v, at).map(|d: Date| Scalar::Date(d.0))
        }),
        Operand::Bool => BOOLEAN.parse(value, at, |v, at| scalar(v, at).map(Scalar::Bool)),
        Operand::Enum(_, stored) => {
            let names = enum_names_of(stored);
            ENUM.parse(value, at, |v, at| {
                let name = operators::enum_name(v, at)?;
                names
                    .iter()
                    .find(|(_, shown)| shown == name)
                    .map(|(stored, _)| Scalar::Text(stored.clone()))
                    .ok_or_else(|| operators::invalid(at))
            })
        }
        Operand::Instant => Err(operators::invalid(at)),
    }
}

use operators::{invalid, items};
