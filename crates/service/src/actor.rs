//! Who is asking. Every service function takes an [`Actor`], so access rules live
//! here and no caller can forget them.

use serde::{Deserialize, Serialize};

/// The role a verified token grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Staff,
    Partner,
}

/// The caller of a service function.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Actor {
    /// The token's subject; `None` for anonymous callers.
    pub sub: Option<String>,
    /// `None` for anonymous callers.
    pub role: Option<Role>,
    /// The partner's organization id (only for [`Role::Partner`]).
    pub organization_id: Option<i64>,
}

impl Actor {
    /// Someone who presented no credentials: sees the public directory only.
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// The process itself (CLI, seeding): may do everything.
    pub fn system() -> Self {
        Actor {
            sub: Some("system".to_owned()),
            role: Some(Role::Admin),
            organization_id: None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.role.is_none()
    }
}
