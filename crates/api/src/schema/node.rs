//! Global-id lookups for the Relay `Node` interface (declared, with its
//! dispatch, in `registry`).

use async_graphql::{Context, Result};
use service::query::resource::{Key, Resource};

use super::error::GqlResult;
use super::id;
use super::organization::Organization;
pub use super::registry::Node;

impl From<Organization> for Node {
    fn from(org: Organization) -> Self {
        match org {
            Organization::University(u) => Node::University(u),
            Organization::Company(c) => Node::Company(c),
            Organization::Institute(i) => Node::Institute(i),
        }
    }
}

pub(super) async fn fetch<E: Resource, T: From<E::Seen> + Into<Node>>(
    ctx: &Context<'_>,
    key: Key,
) -> Result<Option<Node>>
where
    E::Seen: Sync,
{
    Ok(super::one::<E, T>(ctx, key).await?.map(Into::into))
}

/// The node a global id names, if it exists and the caller may see it.
pub async fn resolve(ctx: &Context<'_>, global_id: &str, field: &str) -> Result<Option<Node>> {
    let (ty, key) = id::decode(global_id, field).gql()?;
    super::registry::dispatch(ctx, ty, key).await
}
