//! What connections share: `PageInfo` (declared here), the `orderBy`
//! direction and the `order_input!` macro.

use async_graphql::{Enum, SimpleObject};
use service::query::page::Direction;

/// Where a page sits in its connection.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// True when rows follow this page.
    pub has_next_page: bool,
    /// True when rows precede this page.
    pub has_previous_page: bool,
    /// The cursor of the first row of this page.
    pub start_cursor: Option<String>,
    /// The cursor of the last row of this page.
    pub end_cursor: Option<String>,
}

/// Sort direction of an `orderBy` entry.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first; nulls last.
    #[default]
    Asc,
    /// Largest first; nulls first.
    Desc,
}

impl From<OrderDirection> for Direction {
    fn from(d: OrderDirection) -> Self {
        match d {
            OrderDirection::Asc => Direction::Asc,
            OrderDirection::Desc => Direction::Desc,
        }
    }
}

/// Declares the `orderBy` input `<Node>Order` and its field enum, mirroring the
/// service's order-field enum (imported by the caller under the alias `$remote`).
macro_rules! order_input {
    ($order:ident, $field:ident, $remote:ident { $($variant:ident),+ $(,)? }) => {
        #[doc = "The fields a connection of this type can be ordered by."]
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $field {
            $($variant),+
        }

        impl From<$field> for $remote {
            fn from(field: $field) -> Self {
                match field {
                    $($field::$variant => $remote::$variant),+
                }
            }
        }

        #[doc = "One `orderBy` entry: a field and a direction."]
        #[derive(async_graphql::InputObject, Clone, Copy, Debug)]
        pub struct $order {
            /// The field to order by.
            pub field: $field,
            /// The direction (ascending unless given).
            #[graphql(default)]
            pub direction: $crate::schema::connection::OrderDirection,
        }

        impl $order {
            /// The service's sort for an optional `orderBy` list.
            pub fn sort(order_by: Option<Vec<$order>>) -> service::query::page::Sort<$remote> {
                service::query::page::Sort(
                    order_by
                        .unwrap_or_default()
                        .into_iter()
                        .map(|o| (o.field.into(), o.direction.into()))
                        .collect(),
                )
            }
        }
    };
}

pub(crate) use order_input;
