//! Agreements, their parties and fields of study.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::{agreement as model, agreement_party};
use service::agreement::{self as links, AgreementOrderField as SortField};

use super::aggregate::aggregate;
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

mod writes;

pub use writes::*;

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
        EventName,
        ProgramsCount,
        StudentsCount,
    }
);
aggregate! {
    entity = model::Entity, what = "agreements",
    AgreementAggregate, AgreementValues, AgreementCounts,
    AgreementGroup, AgreementGroupKey, AgreementGroupBy,
    AgreementHaving, AgreementValuesHaving, AgreementCountsHaving,
    values { title: String, signed_on: Date, starts_on: Date, ends_on: Date, summary: String }
    counts { kind, status, event_id, signed_on, summary }
    keys {
        Kind => kind (kind, Value) value AgreementKind,
        Status => status (status, Value) value AgreementStatus,
        Event => event (event_id, Value) row super::event::Event = entity::event::Entity,
        SignedOnYear => signed_on_year (signed_on, Year) value i32,
        SignedOnMonth => signed_on_month (signed_on, Month) value i32,
        StartsOnYear => starts_on_year (starts_on, Year) value i32,
        EndsOnYear => ends_on_year (ends_on, Year) value i32,
    }
}

connection!(
    model::Entity,
    Agreement,
    AgreementConnection,
    AgreementEdge,
    "agreements",
    aggregate = (
        AgreementAggregate,
        AgreementGroup,
        AgreementGroupBy,
        AgreementHaving
    )
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
        let found = Box::pin(super::loader(ctx).load_one(super::loader::ChildPage {
            link: *links::SUCCESSOR,
            parent: service::query::resource::Key::Id(self.0.id),
            query,
        }))
        .await
        .gql()?;
        Ok(found
            .and_then(|value| value.page.edges.into_iter().next())
            .map(|edge| Agreement(edge.node)))
    }
    /// The parties (organizations, their roles and signatories), lead first.
    async fn parties(&self, ctx: &Context<'_>) -> Result<Vec<AgreementParty>> {
        let parties = Box::pin(super::loader(ctx).load_one(PartiesOf(self.0.id)))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(parties.into_iter().map(AgreementParty).collect())
    }
    /// The fields of study it covers.
    async fn fields_of_study(&self, ctx: &Context<'_>) -> Result<Vec<FieldOfStudy>> {
        let fields = Box::pin(super::loader(ctx).load_one(ChildList::<
            entity::field_of_study::Entity,
        >::new(
            *links::FIELDS_OF_STUDY,
            self.0.id.into(),
        )))
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
