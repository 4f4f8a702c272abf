//! `viewer`: who the caller is.

use async_graphql::registry::Registry;
use async_graphql::{Enum, OutputType};

use super::described::declare_plain;

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

/// Registers `Viewer`: who is asking (the plan answers it from the token,
/// `compile::types`).
pub fn declare(registry: &mut Registry) -> String {
    <ViewerRole as OutputType>::create_type_info(registry);
    let fields = [
        (
            "sub",
            "The token's subject; null for anonymous callers.",
            "String",
        ),
        (
            "role",
            "The role; null for anonymous callers.",
            "ViewerRole",
        ),
        (
            "organization",
            "The partner's organization.",
            "Organization",
        ),
    ];
    declare_plain(
        registry,
        "Viewer",
        "The caller, as their token says.",
        &fields,
    )
}
