//! `joint_unit_partners`: the partner organizations of a joint unit. Deleted
//! with the joint unit.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "joint_unit_partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub joint_unit_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::joint_unit::Entity",
        from = "Column::JointUnitId",
        to = "super::joint_unit::Column::Id",
        on_delete = "Cascade"
    )]
    JointUnit,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
}

impl Related<super::joint_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointUnit.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
