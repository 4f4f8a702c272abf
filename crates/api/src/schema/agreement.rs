//! Agreements, their parties and fields of study.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::{agreement as model, agreement_party};
use service::agreement::{self as links, AgreementOrderField as SortField};

use super::connection::{ConnArgs, connection, order_input};
use super::error::GqlResult;
use super::event::Event;
use super::event::EventFilter;
use super::field_of_study::FieldOfStudy;
use super::field_of_study::FieldOfStudyManyFilter;
use super::filter::{DateFilter, StringFilter, enum_filter, filter_input, many_filter};
use super::id::{NodeType, encode_id};
use super::joint_unit::{JointUnitConnection, JointUnitOrder};
use super::joint_unit::{JointUnitFilter, JointUnitManyFilter};
use super::loader::{ChildList, PartiesOf};
use super::organization::Organization;
use super::organization::OrganizationFilter;
use super::person::Person;
use super::person::PersonFilter;
use super::program::{ProgramConnection, ProgramOrder};
use super::program::{ProgramFilter, ProgramManyFilter};
use super::scalars::{Date, DateTime};
use super::student::{StudentConnection, StudentOrder};
use super::student::{StudentFilter, StudentManyFilter};

/// What kind of agreement.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::agreement::AgreementKind")]
pub enum AgreementKind {
    /// A cooperation agreement.
    CooperationAgreement,
    /// A memorandum of understanding.
    MemorandumOfUnderstanding,
    /// A student exchange agreement.
    StudentExchange,
    /// A joint program agreement.
    JointProgram,
    /// A research collaboration.
    ResearchCollaboration,
    /// A teaching partnership.
    TeachingPartnership,
}

/// Where an agreement is in its lifecycle.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::agreement::AgreementStatus")]
pub enum AgreementStatus {
    /// Being drafted.
    Draft,
    /// Being negotiated with the partners.
    UnderNegotiation,
    /// Signed and in force.
    Active,
    /// Ran out.
    Expired,
    /// Ended early.
    Terminated,
}

/// The role of a party to an agreement.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::agreement_party::PartyRole")]
pub enum PartyRole {
    /// The party leading the agreement.
    Lead,
    /// A partner.
    Partner,
}

order_input!(
    AgreementOrder,
    AgreementOrderField,
    SortField {
        Id,
        Title,
        Kind,
        Status,
        SignedOn,
        StartsOn,
        EndsOn,
        CreatedAt,
    }
);
connection!(
    model::Entity,
    Agreement,
    AgreementConnection,
    AgreementEdge,
    "agreements"
);

/// An agreement signed with partner organizations.
pub struct Agreement(pub service::agreement::SeenAgreement);

impl From<service::agreement::SeenAgreement> for Agreement {
    fn from(m: service::agreement::SeenAgreement) -> Self {
        Agreement(m)
    }
}

/// An agreement signed with partner organizations.
#[Object]
impl Agreement {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Agreement, self.0.id)
    }
    /// Title of the agreement.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What kind of agreement.
    async fn kind(&self) -> AgreementKind {
        self.0.kind.into()
    }
    /// Where it is in its lifecycle.
    async fn status(&self) -> AgreementStatus {
        self.0.status.into()
    }
    /// When it was signed.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }
    /// When it comes into force.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }
    /// When it ends.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// What it is about.
    async fn summary(&self) -> Result<Option<&str>> {
        Ok(self.0.summary.get().gql()?.as_deref())
    }
    /// Row version, for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the row was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the row was last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// The event where it was signed.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        match self.0.event_id {
            Some(id) => super::one::<entity::event::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The agreement this one renews.
    async fn predecessor(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.predecessor_id {
            Some(id) => super::one::<model::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The agreement that renews this one.
    async fn successor(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        // Through the loader: the successors of every agreement on the page
        // load in one statement (at most one row each; renewals are unique).
        let query = std::sync::Arc::new(super::loader::ChildQuery::<model::Entity> {
            sort: AgreementOrder::sort(None),
            args: service::query::page::PageArgs {
                first: Some(1),
                ..Default::default()
            },
            count: false,
            filter: None,
            search: None,
        });
        let found = super::loader(ctx)
            .load_one(super::loader::ChildPage {
                link: *links::SUCCESSOR,
                parent: service::query::resource::Key::Id(self.0.id),
                query,
            })
            .await
            .gql()?;
        Ok(found
            .and_then(|value| value.page.edges.into_iter().next())
            .map(|edge| Agreement(edge.node)))
    }
    /// The parties (organizations, their roles and signatories), lead first.
    async fn parties(&self, ctx: &Context<'_>) -> Result<Vec<AgreementParty>> {
        let parties = super::loader(ctx)
            .load_one(PartiesOf(self.0.id))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(parties.into_iter().map(AgreementParty).collect())
    }
    /// The fields of study it covers.
    async fn fields_of_study(&self, ctx: &Context<'_>) -> Result<Vec<FieldOfStudy>> {
        let fields = super::loader(ctx)
            .load_one(ChildList::<entity::field_of_study::Entity>::new(
                *links::FIELDS_OF_STUDY,
                self.0.id.into(),
            ))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(fields.into_iter().map(FieldOfStudy).collect())
    }
    /// Programs created by the agreement.
    async fn programs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<ProgramOrder>>,
        filter: Option<ProgramFilter>,
    ) -> Result<ProgramConnection> {
        let args = ConnArgs::new(first, after, last, before, ProgramOrder::sort(order_by))
            .with_filter(filter)?;
        ProgramConnection::child(ctx, *links::PROGRAMS, self.0.id, args).await
    }
    /// Students who came under the agreement.
    async fn students(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<StudentOrder>>,
        filter: Option<StudentFilter>,
    ) -> Result<StudentConnection> {
        let args = ConnArgs::new(first, after, last, before, StudentOrder::sort(order_by))
            .with_filter(filter)?;
        StudentConnection::child(ctx, *links::STUDENTS, self.0.id, args).await
    }
    /// Joint units founded by the agreement.
    async fn joint_units(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<JointUnitOrder>>,
        filter: Option<JointUnitFilter>,
    ) -> Result<JointUnitConnection> {
        let args = ConnArgs::new(first, after, last, before, JointUnitOrder::sort(order_by))
            .with_filter(filter)?;
        JointUnitConnection::child(ctx, *links::JOINT_UNITS, self.0.id, args).await
    }
}

/// A party to an agreement: an organization, its role and who signed for it.
pub struct AgreementParty(pub agreement_party::Model);

/// A party to an agreement: an organization, its role and who signed for it.
#[Object]
impl AgreementParty {
    /// Lead or partner.
    async fn role(&self) -> PartyRole {
        self.0.role.into()
    }
    /// The organization.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        super::one::<entity::organization::Entity, _>(ctx, self.0.organization_id).await
    }
    /// Who signed for the organization.
    async fn signatory(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        match self.0.signatory_id {
            Some(id) => super::one::<entity::person::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The agreement.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        super::one::<model::Entity, _>(ctx, self.0.agreement_id).await
    }
}

enum_filter!(
    AgreementKindFilter,
    AgreementKind,
    entity::agreement::AgreementKind
);
enum_filter!(
    AgreementStatusFilter,
    AgreementStatus,
    entity::agreement::AgreementStatus
);
enum_filter!(
    PartyRoleFilter,
    PartyRole,
    entity::agreement_party::PartyRole
);
many_filter!(AgreementManyFilter, AgreementFilter, "agreements");
many_filter!(PartyManyFilter, PartyFilter, "parties");
filter_input! {
    /// Which agreements to return.
    AgreementFilter => service::agreement::AgreementFilter {
        id { id: Agreement }
        fields {
            title: StringFilter,
            kind: AgreementKindFilter,
            status: AgreementStatusFilter,
            signed_on: DateFilter,
            starts_on: DateFilter,
            ends_on: DateFilter,
            summary: StringFilter,
        }
        one { event: EventFilter }
        many {
            parties: PartyManyFilter,
            fields_of_study: FieldOfStudyManyFilter,
            programs: ProgramManyFilter,
            students: StudentManyFilter,
            joint_units: JointUnitManyFilter,
        }
    }
}
filter_input! {
    /// Which parties of an agreement match.
    PartyFilter => service::agreement::PartyFilter {
        id {}
        fields { role: PartyRoleFilter }
        one {
            organization: OrganizationFilter,
            signatory: PersonFilter,
        }
        many {}
    }
}

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined, SimpleObject};
use service::agreement::{AgreementChanges, Party, Renewal};

use super::input::{keep_or_set, map, nullable, nullable_id, opt_row_id, row_id};
use super::mutation::delete_types;

/// One organization's part in an agreement.
#[derive(InputObject)]
pub struct PartyInput {
    pub organization_id: ID,
    pub role: PartyRole,
    /// A person of that organization who signs for it.
    pub signatory_id: Option<ID>,
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
}

/// Changes to an agreement: only the fields given change; `parties` and
/// `fieldCodes`, when given, replace the current ones.
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

/// The agreement a write created or changed.
#[derive(SimpleObject)]
pub struct AgreementPayload {
    pub agreement: Agreement,
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
        super::mutation::may(ctx, service::write::Permission::Write)?;
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
        let state = super::app(ctx);
        let row = service::agreement::create(
            &state.db,
            super::actor(ctx),
            changes,
            parties,
            input.field_codes.unwrap_or_default(),
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: Agreement(row),
        })
    }

    /// Changes an agreement (not its status: see `changeAgreementStatus`).
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgreementInput,
    ) -> Result<AgreementPayload> {
        super::mutation::may(ctx, service::write::Permission::Write)?;
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
        let state = super::app(ctx);
        let row = service::agreement::update(
            &state.db,
            super::actor(ctx),
            id,
            input.version,
            changes,
            parties,
            input.field_codes,
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: Agreement(row),
        })
    }

    /// Moves an agreement along its lifecycle.
    async fn change_agreement_status(
        &self,
        ctx: &Context<'_>,
        input: ChangeAgreementStatusInput,
    ) -> Result<AgreementPayload> {
        super::mutation::may(ctx, service::write::Permission::Write)?;
        let id = row_id(&input.id, NodeType::Agreement, "id").gql()?;
        let state = super::app(ctx);
        let row = service::agreement::change_status(
            &state.db,
            super::actor(ctx),
            id,
            input.version,
            input.status.into(),
            input.signed_on.map(|d| d.0),
        )
        .await
        .gql()?;
        Ok(AgreementPayload {
            agreement: Agreement(row),
        })
    }

    /// Creates the successor of an active or expired agreement.
    async fn renew_agreement(
        &self,
        ctx: &Context<'_>,
        input: RenewAgreementInput,
    ) -> Result<AgreementPayload> {
        super::mutation::may(ctx, service::write::Permission::Write)?;
        let id = row_id(&input.id, NodeType::Agreement, "id").gql()?;
        let renewal = Renewal {
            title: input.title,
            signed_on: input.signed_on.map(|d| d.0),
            starts_on: input.starts_on.map(|d| d.0),
            ends_on: input.ends_on.map(|d| d.0),
        };
        let state = super::app(ctx);
        let row =
            service::agreement::renew(&state.db, super::actor(ctx), id, input.version, renewal)
                .await
                .gql()?;
        Ok(AgreementPayload {
            agreement: Agreement(row),
        })
    }

    /// Deletes an agreement nothing depends on (admins only); its parties and
    /// fields go with it.
    async fn delete_agreement(
        &self,
        ctx: &Context<'_>,
        input: DeleteAgreementInput,
    ) -> Result<DeleteAgreementPayload> {
        let deleted_id = super::mutation::delete::<model::ActiveModel>(
            ctx,
            input.id,
            input.version,
            NodeType::Agreement,
        )
        .await?;
        Ok(DeleteAgreementPayload { deleted_id })
    }
}
