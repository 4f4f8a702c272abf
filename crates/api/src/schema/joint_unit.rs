//! Joint laboratories, centers and practice bases.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::joint_unit as model;

use super::error::GqlResult;
use super::id::NodeType;
use super::scalars::Date;

/// What kind of joint unit.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::joint_unit::JointUnitKind")]
pub enum JointUnitKind {
    /// A joint laboratory.
    Laboratory,
    /// A joint center.
    Center,
    /// A practice base.
    PracticeBase,
}

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined, SimpleObject};
use service::joint_unit::JointUnitChanges;

use super::input::{keep_or_set, map, nullable, nullable_id, opt_row_id, row_id};
use super::mutation::delete_types;

fn partner_ids(ids: Vec<ID>) -> Result<Vec<i64>, service::Error> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| row_id(id, NodeType::Organization, &format!("partnerIds[{i}]")))
        .collect()
}

/// A new joint laboratory, center or practice base, with its partners.
#[derive(InputObject)]
pub struct CreateJointUnitInput {
    pub name: String,
    pub kind: JointUnitKind,
    pub host_organization_id: ID,
    /// The agreement that founded it.
    pub agreement_id: Option<ID>,
    /// ISCED-F.
    pub field_code: Option<String>,
    pub established_on: Date,
    pub closed_on: Option<Date>,
    /// The partner organizations.
    pub partner_ids: Option<Vec<ID>>,
}

/// Changes to a joint unit: only the fields given change; null clears;
/// `partnerIds`, when given, replace the current partners.
#[derive(InputObject)]
pub struct UpdateJointUnitInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub name: MaybeUndefined<String>,
    pub kind: MaybeUndefined<JointUnitKind>,
    pub host_organization_id: MaybeUndefined<ID>,
    pub agreement_id: MaybeUndefined<ID>,
    pub field_code: MaybeUndefined<String>,
    pub established_on: MaybeUndefined<Date>,
    pub closed_on: MaybeUndefined<Date>,
    pub partner_ids: Option<Vec<ID>>,
}

/// The joint unit a write created or changed.
#[derive(SimpleObject)]
pub struct JointUnitPayload {
    pub joint_unit: super::planned::Planned<super::registry::JointUnit>,
}

delete_types!(DeleteJointUnitInput, DeleteJointUnitPayload, "a joint unit");

/// Writes to joint units.
#[derive(Default)]
pub struct JointUnitMutation;

#[Object]
impl JointUnitMutation {
    /// Creates a joint unit with its partners, atomically.
    async fn create_joint_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateJointUnitInput,
    ) -> Result<JointUnitPayload> {
        super::mutation::may(ctx, service::write::Permission::Write)?;
        let changes = JointUnitChanges {
            name: Some(input.name),
            kind: Some(input.kind.into()),
            host_organization_id: Some(
                row_id(
                    &input.host_organization_id,
                    NodeType::Organization,
                    "hostOrganizationId",
                )
                .gql()?,
            ),
            agreement_id: Some(
                opt_row_id(
                    input.agreement_id.as_ref(),
                    NodeType::Agreement,
                    "agreementId",
                )
                .gql()?,
            ),
            field_code: Some(input.field_code),
            established_on: Some(input.established_on.0),
            closed_on: Some(input.closed_on.map(|d| d.0)),
        };
        let partners = partner_ids(input.partner_ids.unwrap_or_default()).gql()?;
        let state = super::app(ctx);
        let row = service::joint_unit::create(&state.db, super::actor(ctx), changes, partners)
            .await
            .gql()?;
        Ok(JointUnitPayload {
            joint_unit: super::planned::Planned::written(row),
        })
    }

    /// Changes a joint unit.
    async fn update_joint_unit(
        &self,
        ctx: &Context<'_>,
        input: UpdateJointUnitInput,
    ) -> Result<JointUnitPayload> {
        super::mutation::may(ctx, service::write::Permission::Write)?;
        let id = row_id(&input.id, NodeType::JointUnit, "id").gql()?;
        let changes = JointUnitChanges {
            name: keep_or_set(input.name, "name").gql()?,
            kind: map(keep_or_set(input.kind, "kind").gql()?),
            host_organization_id: keep_or_set(input.host_organization_id, "hostOrganizationId")
                .gql()?
                .map(|id| row_id(&id, NodeType::Organization, "hostOrganizationId"))
                .transpose()
                .gql()?,
            agreement_id: nullable_id(input.agreement_id, NodeType::Agreement, "agreementId")
                .gql()?,
            field_code: nullable(input.field_code),
            established_on: keep_or_set(input.established_on, "establishedOn")
                .gql()?
                .map(|d| d.0),
            closed_on: nullable(input.closed_on).map(|d| d.map(|d| d.0)),
        };
        let partners = input.partner_ids.map(partner_ids).transpose().gql()?;
        let state = super::app(ctx);
        let row = service::joint_unit::update(
            &state.db,
            super::actor(ctx),
            id,
            input.version,
            changes,
            partners,
        )
        .await
        .gql()?;
        Ok(JointUnitPayload {
            joint_unit: super::planned::Planned::written(row),
        })
    }

    /// Deletes a joint unit (admins only); its partner rows go with it.
    async fn delete_joint_unit(
        &self,
        ctx: &Context<'_>,
        input: DeleteJointUnitInput,
    ) -> Result<DeleteJointUnitPayload> {
        let deleted_id = super::mutation::delete::<model::ActiveModel>(
            ctx,
            input.id,
            input.version,
            NodeType::JointUnit,
        )
        .await?;
        Ok(DeleteJointUnitPayload { deleted_id })
    }
}
