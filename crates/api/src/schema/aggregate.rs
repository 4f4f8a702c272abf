//! `aggregate` and `groups` on every connection: the inputs every type's
//! share (`orderBy` of groups, the operators on sums and means) and the
//! `having` bounds of each operand type. The rest is read off the
//! descriptions (`schema::described` declares, `compile::aggregate` reads).

use async_graphql::{Enum, InputObject};
use service::query::aggregate::GroupSort;

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
