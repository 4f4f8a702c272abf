//! `aggregate` and `groups` on every connection: the shared inputs and the
//! `aggregate!` macro that declares an entity's group keys and `having`
//! inputs (the output types are the descriptions', `schema::described`).

use async_graphql::{Enum, InputObject};
use service::query::aggregate::{self as agg, GroupSort};
use service::query::filter::Ops;

use super::connection::OrderDirection;
use super::scalars::Date;

mod declare;
pub(crate) use declare::aggregate;

/// What groups are ordered by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupOrderField {
    /// The number of rows in the group.
    Count,
    /// The group's key values, in the order of `by`.
    Key,
}

/// One `orderBy` entry of `groups`: what and which direction.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct GroupOrder {
    /// What to order by.
    pub field: GroupOrderField,
    /// The direction (ascending unless given).
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl GroupOrder {
    /// The service's order for an optional `orderBy` list (empty: largest first).
    pub fn sort(
        order_by: Option<Vec<GroupOrder>>,
    ) -> Vec<(GroupSort, service::query::page::Direction)> {
        order_by
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                let field = match o.field {
                    GroupOrderField::Count => GroupSort::Count,
                    GroupOrderField::Key => GroupSort::Key,
                };
                (field, o.direction.into())
            })
            .collect()
    }
}

/// Operators on a number (sums and averages in `having`).
#[derive(InputObject, Clone, Debug, Default)]
pub struct FloatFilter {
    /// Equal to.
    pub eq: Option<f64>,
    /// Not equal to.
    pub ne: Option<f64>,
    /// Less than.
    pub lt: Option<f64>,
    /// Less than or equal.
    pub lte: Option<f64>,
    /// Greater than.
    pub gt: Option<f64>,
    /// Greater than or equal.
    pub gte: Option<f64>,
    /// Is (true) or is not (false) null (a sum or mean over no values is null).
    pub is_null: Option<bool>,
}

impl From<FloatFilter> for Ops<agg::Number> {
    fn from(f: FloatFilter) -> Self {
        let n = |x: Option<f64>| x.map(agg::Number);
        Ops {
            eq: n(f.eq),
            ne: n(f.ne),
            lt: n(f.lt),
            lte: n(f.lte),
            gt: n(f.gt),
            gte: n(f.gte),
            is_null: f.is_null,
            ..Ops::default()
        }
    }
}

/// How a `having` operand of a field's type becomes the service's bound.
pub trait HavingBound {
    fn bound(self) -> agg::Bound;
}

impl HavingBound for super::filter::IntFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Int(Ops::<i32>::from(self).map(i64::from))
    }
}

impl HavingBound for super::filter::StringFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Text(self.into())
    }
}

impl HavingBound for super::filter::DateFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Date(self.into())
    }
}

impl HavingBound for FloatFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Number(self.into())
    }
}

/// A type `min`/`max` answer in, with the operand type of `having` on it.
pub trait Extreme {
    type Filter: HavingBound;
}

impl Extreme for i32 {
    type Filter = super::filter::IntFilter;
}

impl Extreme for String {
    type Filter = super::filter::StringFilter;
}

impl Extreme for Date {
    type Filter = super::filter::DateFilter;
}

/// Group keys of GraphQL enums that mirror entity enums (stored as text):
/// each stored value by its GraphQL name.
macro_rules! enum_datum {
    ($($enum:ty => $remote:ty),+ $(,)?) => {
        $(impl super::compile::KeyShown for $enum {
            fn shown() -> super::compile::Shown {
                super::compile::Shown::Named(super::compile::enum_names::<$enum, $remote>())
            }
        })+
    };
}

enum_datum!(
    super::organization::OrganizationKind => entity::organization::OrganizationKind,
    super::event::EventKind => entity::event::EventKind,
    super::agreement::AgreementKind => entity::agreement::AgreementKind,
    super::agreement::AgreementStatus => entity::agreement::AgreementStatus,
    super::program::ProgramKind => entity::program::ProgramKind,
    super::student::DegreeLevel => entity::student::DegreeLevel,
    super::student::StudentStatus => entity::student::StudentStatus,
    super::joint_unit::JointUnitKind => entity::joint_unit::JointUnitKind,
);
