//! `aggregate` and `groups` on every connection: the inputs every type's
//! share (`orderBy` of groups, the operators on sums and means) and the
//! `having` bounds of each operand type. The rest is read off the
//! descriptions (`schema::described` declares, `compile::aggregate` reads).

use async_graphql::{Enum, InputObject};
use service::query::aggregate::{self as agg, GroupSort};
use service::query::filter::Ops;

use super::connection::OrderDirection;

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
