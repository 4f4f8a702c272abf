//! Filter inputs: typed operators per field type, and the macros that declare an
//! entity's filter input and translate it to the service's filter.

use async_graphql::{ID, InputObject};
use service::Error;
use service::query::filter::Ops;

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

/// Declares `<Enum>Filter` with `eq`, `ne`, `in`, `notIn` for a GraphQL enum
/// that mirrors an entity enum.
macro_rules! enum_filter {
    ($name:ident, $enum:ty, $remote:ty) => {
        #[doc = "Operators on an enum field."]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $name {
            /// Equal to.
            pub eq: Option<$enum>,
            /// Not equal to.
            pub ne: Option<$enum>,
            /// One of.
            #[graphql(name = "in")]
            pub in_list: Option<Vec<$enum>>,
            /// None of.
            pub not_in: Option<Vec<$enum>>,
        }

        impl From<$name> for service::query::filter::Ops<$remote> {
            fn from(f: $name) -> Self {
                let list =
                    |l: Option<Vec<$enum>>| l.map(|l| l.into_iter().map(Into::into).collect());
                service::query::filter::Ops {
                    eq: f.eq.map(Into::into),
                    ne: f.ne.map(Into::into),
                    in_list: list(f.in_list),
                    not_in: list(f.not_in),
                    ..service::query::filter::Ops::default()
                }
            }
        }
    };
}

/// Declares the quantifier input of a to-many relation filter.
macro_rules! many_filter {
    ($name:ident, $filter:ident, $what:literal) => {
        #[doc = concat!("Conditions on related ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $name {
            #[doc = concat!("At least one related ", $what, " matches.")]
            pub some: Option<Box<$filter>>,
            #[doc = concat!("Every related ", $what, " matches (true when there are none).")]
            pub every: Option<Box<$filter>>,
            #[doc = concat!("No related ", $what, " matches.")]
            pub none: Option<Box<$filter>>,
        }

        impl $name {
            pub fn into_service(
                self,
                path: &str,
            ) -> Result<
                service::query::filter::ToMany<
                    <$filter as $crate::schema::filter::IntoService>::Service,
                >,
                service::Error,
            > {
                use $crate::schema::filter::IntoService as _;
                let one = |f: Option<Box<$filter>>, q: &str| {
                    f.map(|f| (*f).into_service(&format!("{path}.{q}")).map(Box::new))
                        .transpose()
                };
                Ok(service::query::filter::ToMany {
                    some: one(self.some, "some")?,
                    every: one(self.every, "every")?,
                    none: one(self.none, "none")?,
                })
            }
        }
    };
}

/// A filter input that translates to a service filter.
pub trait IntoService {
    type Service;
    fn into_service(self, path: &str) -> Result<Self::Service, Error>;
}

/// Declares an entity's filter input and its translation. Sections: `id` (the
/// node type of its global ids, if any), `fields` (scalar operator inputs),
/// `one` (to-one relation filters) and `many` (to-many quantifier inputs).
macro_rules! filter_input {
    (
        $(#[$meta:meta])*
        $name:ident => $service:path {
            id { $($id:ident : $node:ident),* $(,)? }
            fields { $($field:ident : $fty:ty),* $(,)? }
            one { $($one:ident : $one_ty:ty),* $(,)? }
            many { $($many:ident : $many_ty:ty),* $(,)? }
        }
    ) => {
        $(#[$meta])*
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $name {
            /// All of these match.
            pub and: Option<Vec<$name>>,
            /// At least one of these matches.
            pub or: Option<Vec<$name>>,
            /// This does not match.
            pub not: Option<Box<$name>>,
            $(
                #[doc = "Operators on the global id."]
                pub $id: Option<$crate::schema::filter::IdFilter>,
            )*
            $(
                #[doc = concat!("Operators on `", stringify!($field), "`.")]
                pub $field: Option<$fty>,
            )*
            $(
                #[doc = concat!("The related `", stringify!($one), "` matches.")]
                pub $one: Option<Box<$one_ty>>,
            )*
            $(
                #[doc = concat!("Conditions on the related `", stringify!($many), "`.")]
                pub $many: Option<$many_ty>,
            )*
        }

        impl $crate::schema::filter::IntoService for $name {
            type Service = $service;

            fn into_service(self, path: &str) -> Result<$service, service::Error> {
                let list = |l: Option<Vec<$name>>, step: &str| -> Result<Vec<$service>, service::Error> {
                    l.unwrap_or_default()
                        .into_iter()
                        .enumerate()
                        .map(|(i, f)| f.into_service(&format!("{path}.{step}[{i}]")))
                        .collect()
                };
                let step = |name: &str| format!("{path}.{}", service::query::filter::camel(name));
                let _ = &step;
                type Target = $service;
                Ok(Target {
                    and: list(self.and, "and")?,
                    or: list(self.or, "or")?,
                    not: self
                        .not
                        .map(|f| (*f).into_service(&format!("{path}.not")).map(Box::new))
                        .transpose()?,
                    $($id: self
                        .$id
                        .map(|f| f.into_ops($crate::schema::id::NodeType::$node, &step(stringify!($id))))
                        .transpose()?,)*
                    $($field: self.$field.map(Into::into),)*
                    $($one: self
                        .$one
                        .map(|f| (*f).into_service(&step(stringify!($one))).map(Box::new))
                        .transpose()?,)*
                    $($many: self
                        .$many
                        .map(|f| f.into_service(&step(stringify!($many))))
                        .transpose()?,)*
                })
            }
        }
    };
}

pub(crate) use {enum_filter, filter_input, many_filter};
