//! `viewer`: who the caller is.

use async_graphql::{Enum, Object};
use service::query::resource::Key;
use service::{Actor, Role};

use super::organization::Organization;
use super::planned::{Planned, Source};

/// The role an access token grants.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "service::Role")]
pub enum ViewerRole {
    /// Everything, the audit log included.
    Admin,
    /// Everything but deletes and the audit log.
    Staff,
    /// A partner organization's portal.
    Partner,
}

/// The caller, as their token says.
pub struct Viewer(pub Actor);

/// The caller, as their token says.
#[Object]
impl Viewer {
    /// The token's subject; null for anonymous callers.
    async fn sub(&self) -> Option<&str> {
        self.0.sub.as_deref()
    }

    /// The role; null for anonymous callers.
    async fn role(&self) -> Option<ViewerRole> {
        self.0.role.map(|r: Role| r.into())
    }

    /// The partner's organization.
    async fn organization(&self) -> Option<Planned<Organization>> {
        let id = self.0.organization_id?;
        Some(Planned::new(
            entity::NodeType::Organization,
            Key::Id(id),
            Source::Reads,
        ))
    }
}
