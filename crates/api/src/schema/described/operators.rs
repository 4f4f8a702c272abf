//! The operator inputs (`StringFilter`, `IntFilter`, …, `<Enum>Filter`) as
//! data: each is declared from its table and parsed by one function.

use async_graphql::InputType;
use async_graphql::registry::{MetaType, Registry};
use async_graphql_value::ConstValue;
use service::Error;
use service::query::filter::Ops;

use super::meta::{argument, input_object};

/// An operator input: its name, documentation, the GraphQL type of its
/// values, and each operator it offers with its documentation.
pub struct Operators<'a> {
    pub name: &'a str,
    pub doc: &'a str,
    pub value: &'a str,
    pub ops: &'static [(&'static str, &'static str)],
}

const IS_NULL: (&str, &str) = ("isNull", "Is (true) or is not (false) null.");
const IN: (&str, &str) = ("in", "One of (at most 1000 values).");
const NOT_IN: (&str, &str) = (
    "notIn",
    "None of (NULL counts as none of; at most 1000 values).",
);
const NE: (&str, &str) = ("ne", "Not equal to (NULL counts as not equal).");

pub const STRING: Operators<'static> = Operators {
    name: "StringFilter",
    doc: "Operators on a text field. `contains` and `startsWith` ignore case.",
    value: "String",
    ops: &[
        ("eq", "Equal to."),
        NE,
        IN,
        NOT_IN,
        ("lt", "Sorts before."),
        ("lte", "Sorts before or equal."),
        ("gt", "Sorts after."),
        ("gte", "Sorts after or equal."),
        ("contains", "Contains, ignoring case."),
        ("startsWith", "Starts with, ignoring case."),
        IS_NULL,
    ],
};

pub const INT: Operators<'static> = Operators {
    name: "IntFilter",
    doc: "Operators on an integer field.",
    value: "Int",
    ops: &[
        ("eq", "Equal to."),
        NE,
        IN,
        NOT_IN,
        ("lt", "Less than."),
        ("lte", "Less than or equal."),
        ("gt", "Greater than."),
        ("gte", "Greater than or equal."),
        IS_NULL,
    ],
};

pub const DATE: Operators<'static> = Operators {
    name: "DateFilter",
    doc: "Operators on a date field.",
    value: "Date",
    ops: &[
        ("eq", "On."),
        ("ne", "Not on (NULL counts as not on)."),
        IN,
        NOT_IN,
        ("lt", "Before."),
        ("lte", "On or before."),
        ("gt", "After."),
        ("gte", "On or after."),
        IS_NULL,
    ],
};

pub const BOOLEAN: Operators<'static> = Operators {
    name: "BooleanFilter",
    doc: "Operators on a true/false field.",
    value: "Boolean",
    ops: &[("eq", "Equal to."), NE, IS_NULL],
};

pub const ID: Operators<'static> = Operators {
    name: "IdFilter",
    doc: "Operators on a global id.",
    value: "ID",
    ops: &[
        ("eq", "Equal to."),
        ("ne", "Not equal to."),
        ("in", "One of (at most 1000 ids)."),
        ("notIn", "None of (at most 1000 ids)."),
    ],
};

pub const FLOAT: Operators<'static> = Operators {
    name: "FloatFilter",
    doc: "Operators on a number (sums and averages in `having`).",
    value: "Float",
    ops: &[
        ("eq", "Equal to."),
        ("ne", "Not equal to."),
        ("lt", "Less than."),
        ("lte", "Less than or equal."),
        ("gt", "Greater than."),
        ("gte", "Greater than or equal."),
        (
            "isNull",
            "Is (true) or is not (false) null (a sum or mean over no values is null).",
        ),
    ],
};

/// The operators of an enum field (`<Enum>Filter`, with the enum's name
/// as its `value`).
pub const ENUM: Operators<'static> = Operators {
    name: "",
    doc: "Operators on an enum field.",
    value: "",
    ops: &[
        ("eq", "Equal to."),
        ("ne", "Not equal to."),
        ("in", "One of."),
        ("notIn", "None of."),
    ],
};

/// `<Enum>Filter`: the operators of an enum field, over the enum named.
pub fn of_enum(name: &str) -> MetaType {
    let filter = format!("{name}Filter");
    Operators {
        name: &filter,
        value: name,
        ..ENUM
    }
    .meta()
}

impl Operators<'_> {
    /// The input type.
    pub fn meta(&self) -> MetaType {
        let fields = self.ops.iter().map(|(op, doc)| {
            let ty = match *op {
                "in" | "notIn" => format!("[{}!]", self.value),
                "isNull" => "Boolean".to_owned(),
                "contains" | "startsWith" => "String".to_owned(),
                _ => self.value.to_owned(),
            };
            let field = async_graphql::registry::MetaInputValue {
                description: Some((*doc).to_owned()),
                ..argument(op, &ty)
            };
            ((*op).to_owned(), field)
        });
        input_object(self.name, self.doc, fields.collect())
    }

    /// Registers the input type.
    pub fn declare(&self, registry: &mut Registry) {
        registry.types.insert(self.name.to_owned(), self.meta());
    }

    /// The operators given at `at` (for errors), each value read by `one`
    /// (`None`: not a value of this type).
    pub fn parse<T>(
        &self,
        value: &ConstValue,
        at: &str,
        one: impl Fn(&ConstValue, &str) -> Result<T, Error>,
    ) -> Result<Ops<T>, Error> {
        let ConstValue::Object(given) = value else {
            return Err(invalid(at));
        };
        let mut ops = Ops::default();
        for (op, value) in given {
            let at = format!("{at}.{op}");
            if value == &ConstValue::Null {
                continue;
            }
            if !self.ops.iter().any(|(name, _)| *name == op.as_str()) {
                return Err(invalid(&at));
            }
            let list =
                || -> Result<Vec<T>, Error> { items(value).iter().map(|v| one(v, &at)).collect() };
            let text = || match value {
                ConstValue::String(text) => Ok(text.clone()),
                _ => Err(invalid(&at)),
            };
            match op.as_str() {
                "eq" => ops.eq = Some(one(value, &at)?),
                "ne" => ops.ne = Some(one(value, &at)?),
                "lt" => ops.lt = Some(one(value, &at)?),
                "lte" => ops.lte = Some(one(value, &at)?),
                "gt" => ops.gt = Some(one(value, &at)?),
                "gte" => ops.gte = Some(one(value, &at)?),
                "in" => ops.in_list = Some(list()?),
                "notIn" => ops.not_in = Some(list()?),
                "contains" => ops.contains = Some(text()?),
                "startsWith" => ops.starts_with = Some(text()?),
                _ => match value {
                    ConstValue::Boolean(b) => ops.is_null = Some(*b),
                    _ => return Err(invalid(&at)),
                },
            }
        }
        Ok(ops)
    }
}

/// A value of the input type `T` (`String`, `i32`, `f64`, `bool`, `Date`).
pub fn scalar<T: InputType>(value: &ConstValue, at: &str) -> Result<T, Error> {
    T::parse(Some(value.clone())).map_err(|_| invalid(at))
}

/// A list argument's items (a single value counts as a list of one, as
/// GraphQL coerces it).
pub fn items(value: &ConstValue) -> &[ConstValue] {
    match value {
        ConstValue::List(items) => items,
        single => std::slice::from_ref(single),
    }
}

/// An enum value as a document (an enum) or a variable (a string) writes
/// it.
pub fn enum_name<'v>(value: &'v ConstValue, at: &str) -> Result<&'v str, Error> {
    match value {
        ConstValue::Enum(name) => Ok(name.as_str()),
        ConstValue::String(name) => Ok(name),
        _ => Err(invalid(at)),
    }
}

pub fn invalid(at: &str) -> Error {
    Error::bad_input(at, format!("`{at}` is not a valid filter here"))
}
