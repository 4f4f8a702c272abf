//! Agreement mutations: their inputs, payloads and resolvers.

use super::*;

use async_graphql::{InputObject, MaybeUndefined, SimpleObject};
use service::agreement::{AgreementChanges, Party, Renewal};

use crate::schema::input::{keep_or_set, map, nullable, nullable_id, opt_row_id, row_id};
use crate::schema::mutation::delete_types;

/// One organization's part in an agreement.
#[derive(InputObject)]
pub struct PartyInput {
    pub organization_id: ID,
    pub role: PartyRole,
    /// A person of that organization who signs for it.
    pub signatory_id: Option<ID>,
    /// The party's own identifier for the agreement (EWP's `iia-id`, up to
    /// 64 printable ASCII characters); omitted keeps the one it has, and a
    /// home party without one gets a UUID.
    pub iia_id: Option<String>,
    /// The party's own code for the agreement (EWP's `iia-code`); omitted
    /// keeps the one it has.
    pub iia_code: Option<String>,
}

fn parties(input: Vec<PartyInput>) -> Result<Vec<Party>> {
    input
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(Party {
                organization_id: row_id(
                    &p.organization_id,
                    NodeType::Organization,
                    &format!("parties[{i}].organizationId"),
                )
                .gql()?,
                role: p.role.into(),
                signatory_id: opt_row_id(
                    p.signatory_id.as_ref(),
                    NodeType::Person,
                    &format!("parties[{i}].signatoryId"),
                )
                .gql()?,
                iia_id: p.iia_id,
                iia_code: p.iia_code,
            })
        })
        .collect()
}

/// A new agreement with its parties and fields of study, written together.
#[derive(InputObject)]
pub struct CreateAgreementInput {
    pub title: String,
    pub kind: AgreementKind,
    /// Default `DRAFT`; `ACTIVE` and `EXPIRED` need `signedOn` and `startsOn`.
    pub status: Option<AgreementStatus>,
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub summary: Option<String>,
    pub event_id: Option<ID>,
    /// At least two, exactly one `LEAD`, a home organization among them.
    pub parties: Vec<PartyInput>,
    /// ISCED-F codes.
    pub field_codes: Option<Vec<String>>,
    /// What it grants (EWP cooperation conditions), between its parties.
    pub cooperation_conditions: Option<Vec<CooperationConditionInput>>,
}

/// Changes to an agreement: only the fields given change; `parties`,
/// `fieldCodes` and `cooperationConditions`, when given, replace the
/// current ones.
#[derive(InputObject)]
pub struct UpdateAgreementInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub title: MaybeUndefined<String>,
    pub kind: MaybeUndefined<AgreementKind>,
    pub signed_on: MaybeUndefined<Date>,
    pub starts_on: MaybeUndefined<Date>,
    pub ends_on: MaybeUndefined<Date>,
    pub summary: MaybeUndefined<String>,
    pub event_id: MaybeUndefined<ID>,
    pub parties: Option<Vec<PartyInput>>,
    pub field_codes: Option<Vec<String>>,
    /// Replaces what it grants (`[]` removes every condition).
    pub cooperation_conditions: Option<Vec<CooperationConditionInput>>,
}

/// Moves an agreement along its lifecycle.
#[derive(InputObject)]
pub struct ChangeAgreementStatusInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    /// `DRAFT → UNDER_NEGOTIATION → ACTIVE → EXPIRED | TERMINATED`;
    /// `DRAFT | UNDER_NEGOTIATION → TERMINATED`.
    pub status: AgreementStatus,
    /// Recorded with the change (needed to become `ACTIVE` if not set yet).
    pub signed_on: Option<Date>,
}

/// Renews an active or expired agreement with a successor (a draft with the
/// same kind, summary, parties and fields).
#[derive(InputObject)]
pub struct RenewAgreementInput {
    /// The agreement to renew.
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    /// Default: the predecessor's title.
    pub title: Option<String>,
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
}

/// An EWP inter-institutional agreement to take in.
#[derive(InputObject)]
pub struct ImportEwpIiaInput {
    /// An IIAs API v7 `iias-get-response` document holding one `iia`
    /// (no DTD or entities; at most 1 MiB, 32 levels deep).
    pub xml: String,
}

/// The agreement a write created or changed.
#[derive(SimpleObject)]
pub struct AgreementPayload {
    pub agreement: crate::schema::planned::Planned<crate::schema::registry::Agreement>,
}

delete_types!(DeleteAgreementInput, DeleteAgreementPayload, "an agreement");

/// Writes to agreements.
#[derive(Default)]
pub struct AgreementMutation;

#[Object]
impl AgreementMutation {
    /// Creates an agreement with its parties and fields of study, atomically.
    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        input: CreateAgreementInput,
    ) -> Result<AgreementPayload> {
        crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
        let changes = AgreementChanges {
            title: Some(input.title),
            kind: Some(input.kind.into()),
            status: map(input.status),
            signed_on: Some(input.signed_on.map(|d| d.0)),
            starts_on: Some(input.starts_on.map(|d| d.0)),
            ends_on: Some(input.ends_on.map(|d| d.0)),
            summary: Some(input.summary),
            event_id: Some(opt_row_id(input.event_id.as_ref(), NodeType::Event, "eventId").gql()?),
            predecessor_id: None,
        };
        let parties = parties(input.parties)?;
        let state = crate::schema::app(ctx);
        let row = service::agreement::create(
            &state.db,
            crate::schema::actor(ctx),
            changes,
            parties,
            input.field_codes.unwrap_or_default(),
            conditions(input.cooperation_conditions.unwrap_or_default())?,
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: crate::schema::planned::Planned::written(row),
        })
    }

    /// Creates the agreement an EWP IIA document states, or updates the one
    /// whose `iiaId` it names (organizations matched by SCHAC code), with
    /// the validation, version rule and audit entry of the other agreement
    /// writes.
    async fn import_ewp_iia(
        &self,
        ctx: &Context<'_>,
        input: ImportEwpIiaInput,
    ) -> Result<AgreementPayload> {
        crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
        let state = crate::schema::app(ctx);
        let row = service::agreement::ewp_import::import(
            &state.db,
            crate::schema::actor(ctx),
            &input.xml,
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: crate::schema::planned::Planned::written(row),
        })
    }

    /// Changes an agreement (not its status: see `changeAgreementStatus`).
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgreementInput,
    ) -> Result<AgreementPayload> {
        crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
        let id = row_id(&input.id, NodeType::Agreement, "id").gql()?;
        let changes = AgreementChanges {
            title: keep_or_set(input.title, "title").gql()?,
            kind: map(keep_or_set(input.kind, "kind").gql()?),
            status: None,
            signed_on: nullable(input.signed_on).map(|d| d.map(|d| d.0)),
            starts_on: nullable(input.starts_on).map(|d| d.map(|d| d.0)),
            ends_on: nullable(input.ends_on).map(|d| d.map(|d| d.0)),
            summary: nullable(input.summary),
            event_id: nullable_id(input.event_id, NodeType::Event, "eventId").gql()?,
            predecessor_id: None,
        };
        let parties = input.parties.map(parties).transpose()?;
        let state = crate::schema::app(ctx);
        let row = service::agreement::update(
            &state.db,
            crate::schema::actor(ctx),
            id,
            input.version,
            changes,
            service::agreement::OwnedChanges {
                parties,
                field_codes: input.field_codes,
                conditions: input.cooperation_conditions.map(conditions).transpose()?,
            },
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: crate::schema::planned::Planned::written(row),
        })
    }

    /// Moves an agreement along its lifecycle.
    async fn change_agreement_status(
        &self,
        ctx: &Context<'_>,
        input: ChangeAgreementStatusInput,
    ) -> Result<AgreementPayload> {
        crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
        let id = row_id(&input.id, NodeType::Agreement, "id").gql()?;
        let state = crate::schema::app(ctx);
        let row = service::agreement::change_status(
            &state.db,
            crate::schema::actor(ctx),
            id,
            input.version,
            input.status.into(),
            input.signed_on.map(|d| d.0),
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: crate::schema::planned::Planned::written(row),
        })
    }

    /// Creates the successor of an active or expired agreement.
    async fn renew_agreement(
        &self,
        ctx: &Context<'_>,
        input: RenewAgreementInput,
    ) -> Result<AgreementPayload> {
        crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
        let id = row_id(&input.id, NodeType::Agreement, "id").gql()?;
        let renewal = Renewal {
            title: input.title,
            signed_on: input.signed_on.map(|d| d.0),
            starts_on: input.starts_on.map(|d| d.0),
            ends_on: input.ends_on.map(|d| d.0),
        };
        let state = crate::schema::app(ctx);
        let row = service::agreement::renew(
            &state.db,
            crate::schema::actor(ctx),
            id,
            input.version,
            renewal,
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: crate::schema::planned::Planned::written(row),
        })
    }

    /// Deletes an agreement nothing depends on (admins only); its parties and
    /// fields go with it.
    async fn delete_agreement(
        &self,
        ctx: &Context<'_>,
        input: DeleteAgreementInput,
    ) -> Result<DeleteAgreementPayload> {
        let deleted_id = crate::schema::mutation::delete::<model::ActiveModel>(
            ctx,
            input.id,
            input.version,
            NodeType::Agreement,
        )
        .await?;
        Ok(DeleteAgreementPayload { deleted_id })
    }
}
