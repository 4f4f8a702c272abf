//! `audit_log`: one row per successful write — who, when, what, and the row
//! before and after (JSON). Appended in the write's own transaction.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The token's subject.
    #[sea_orm(column_type = "Text")]
    pub actor_sub: String,
    /// `admin` or `staff`.
    #[sea_orm(column_type = "Text")]
    pub actor_role: String,
    /// `create`, `update`, `delete` or `status_change`.
    #[sea_orm(column_type = "Text")]
    pub action: String,
    /// The table's entity in singular snake case (`agreement`, `joint_unit`, …).
    #[sea_orm(column_type = "Text")]
    pub entity_type: String,
    /// The row's key, as text.
    #[sea_orm(column_type = "Text")]
    pub entity_key: String,
    #[sea_orm(column_type = "Json", nullable)]
    pub before: Option<Json>,
    #[sea_orm(column_type = "Json", nullable)]
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
