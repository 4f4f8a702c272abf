//! What connections share: `PageInfo` and the `orderBy` direction (declared
//! here).

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
