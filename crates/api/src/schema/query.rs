//! The root `Query` type.

use async_graphql::{Context, ID, Object, Result};
use entity::organization::OrganizationKind as Kind;
use sea_orm::Condition;

use super::agreement::AgreementFilter;
use super::agreement::{AgreementConnection, AgreementOrder};
use super::connection::ConnArgs;
use super::country::CountryFilter;
use super::country::{CountryConnection, CountryOrder};
use super::event::EventFilter;
use super::event::{EventConnection, EventOrder};
use super::field_of_study::FieldOfStudyFilter;
use super::field_of_study::{FieldOfStudyConnection, FieldOfStudyOrder};
use super::joint_unit::JointUnitFilter;
use super::joint_unit::{JointUnitConnection, JointUnitOrder};
use super::node;
use super::organization::OrganizationFilter;
use super::organization::{OrganizationConnection, OrganizationOrder};
use super::person::PersonFilter;
use super::person::{PersonConnection, PersonOrder};
use super::program::ProgramFilter;
use super::program::{ProgramConnection, ProgramOrder};
use super::registry::Node;
use super::scalars::Date;
use super::statistics::Statistics;
use super::student::StudentFilter;
use super::student::{StudentConnection, StudentOrder};
use super::viewer::Viewer;
use super::visit::VisitFilter;
use super::visit::{VisitConnection, VisitOrder};

/// Entry points for reading: the root type, declared from the descriptions
/// (`super::described`) with the types it reaches; the resolvers below
/// answer what the plan does not.
pub struct Query;

impl async_graphql::OutputType for Query {
    fn type_name() -> std::borrow::Cow<'static, str> {
        Reads::type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        super::described::query(registry)
    }

    async fn resolve(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        Reads.resolve(ctx, field).await
    }
}

impl async_graphql::ContainerType for Query {
    async fn resolve_field(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::ServerResult<Option<async_graphql::Value>> {
        Reads.resolve_field(ctx).await
    }
}

impl async_graphql::ObjectType for Query {}

/// The root fields' resolvers.
struct Reads;

/// Entry points for reading.
#[Object(name = "Query")]
impl Reads {
    /// Who is asking: the role and organization of the caller's token.
    async fn viewer(&self, ctx: &Context<'_>) -> Viewer {
        Viewer(super::actor(ctx).clone())
    }

    /// Figures about the partnerships as of a date (default: today).
    async fn statistics(&self, as_of: Option<Date>) -> Statistics {
        Statistics::new(Statistics::date(as_of.map(|d| d.0)))
    }

    /// The object with this global id, or null if it does not exist.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        node::resolve(ctx, &id, "id").await
    }

    /// The objects with these global ids, in order; null where one does not exist.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        let lookups = ids.iter().map(|id| node::resolve(ctx, id, "ids"));
        futures_util::future::try_join_all(lookups).await
    }

    /// All organizations: universities, companies and institutes.
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<OrganizationOrder>>,
        filter: Option<OrganizationFilter>,
        search: Option<String>,
    ) -> Result<OrganizationConnection> {
        let args = ConnArgs::new(
            first,
            after,
            last,
            before,
            OrganizationOrder::sort(order_by),
        )
        .with_filter(filter)?
        .with_search(search);
        OrganizationConnection::root(ctx, Condition::all(), args).await
    }

    /// Universities.
    async fn universities(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<OrganizationOrder>>,
        filter: Option<OrganizationFilter>,
        search: Option<String>,
    ) -> Result<OrganizationConnection> {
        let args = ConnArgs::new(
            first,
            after,
            last,
            before,
            OrganizationOrder::sort(order_by),
        )
        .with_filter(filter)?
        .with_search(search);
        OrganizationConnection::root(ctx, service::organization::of_kind(Kind::University), args)
            .await
    }

    /// Companies.
    async fn companies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<OrganizationOrder>>,
        filter: Option<OrganizationFilter>,
        search: Option<String>,
    ) -> Result<OrganizationConnection> {
        let args = ConnArgs::new(
            first,
            after,
            last,
            before,
            OrganizationOrder::sort(order_by),
        )
        .with_filter(filter)?
        .with_search(search);
        OrganizationConnection::root(ctx, service::organization::of_kind(Kind::Company), args).await
    }

    /// Research institutes and other institutions.
    async fn institutes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<OrganizationOrder>>,
        filter: Option<OrganizationFilter>,
        search: Option<String>,
    ) -> Result<OrganizationConnection> {
        let args = ConnArgs::new(
            first,
            after,
            last,
            before,
            OrganizationOrder::sort(order_by),
        )
        .with_filter(filter)?
        .with_search(search);
        OrganizationConnection::root(ctx, service::organization::of_kind(Kind::Institute), args)
            .await
    }

    /// People: signatories, contacts, visiting experts.
    async fn people(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<PersonOrder>>,
        filter: Option<PersonFilter>,
        search: Option<String>,
    ) -> Result<PersonConnection> {
        let args = ConnArgs::new(first, after, last, before, PersonOrder::sort(order_by))
            .with_filter(filter)?
            .with_search(search);
        PersonConnection::root(ctx, Condition::all(), args).await
    }

    /// Events and their activities.
    async fn events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<EventOrder>>,
        filter: Option<EventFilter>,
        search: Option<String>,
    ) -> Result<EventConnection> {
        let args = ConnArgs::new(first, after, last, before, EventOrder::sort(order_by))
            .with_filter(filter)?
            .with_search(search);
        EventConnection::root(ctx, Condition::all(), args).await
    }

    /// Agreements.
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<AgreementOrder>>,
        filter: Option<AgreementFilter>,
        search: Option<String>,
    ) -> Result<AgreementConnection> {
        let args = ConnArgs::new(first, after, last, before, AgreementOrder::sort(order_by))
            .with_filter(filter)?
            .with_search(search);
        AgreementConnection::root(ctx, Condition::all(), args).await
    }

    /// Programs.
    async fn programs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<ProgramOrder>>,
        filter: Option<ProgramFilter>,
        search: Option<String>,
    ) -> Result<ProgramConnection> {
        let args = ConnArgs::new(first, after, last, before, ProgramOrder::sort(order_by))
            .with_filter(filter)?
            .with_search(search);
        ProgramConnection::root(ctx, Condition::all(), args).await
    }

    /// Students.
    async fn students(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<StudentOrder>>,
        filter: Option<StudentFilter>,
        search: Option<String>,
    ) -> Result<StudentConnection> {
        let args = ConnArgs::new(first, after, last, before, StudentOrder::sort(order_by))
            .with_filter(filter)?
            .with_search(search);
        StudentConnection::root(ctx, Condition::all(), args).await
    }

    /// Joint laboratories, centers and practice bases.
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
        JointUnitConnection::root(ctx, Condition::all(), args).await
    }

    /// Visits of experts.
    async fn visits(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<VisitOrder>>,
        filter: Option<VisitFilter>,
    ) -> Result<VisitConnection> {
        let args = ConnArgs::new(first, after, last, before, VisitOrder::sort(order_by))
            .with_filter(filter)?;
        VisitConnection::root(ctx, Condition::all(), args).await
    }

    /// Every successful write, oldest first unless ordered otherwise (admins only).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<super::audit::AuditEntryOrder>>,
        filter: Option<super::audit::AuditLogFilter>,
    ) -> Result<super::audit::AuditEntryConnection> {
        super::audit::audit_log(ctx, first, after, last, before, order_by, filter).await
    }

    /// Countries and territories (ISO 3166-1).
    async fn countries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<CountryOrder>>,
        filter: Option<CountryFilter>,
    ) -> Result<CountryConnection> {
        let args = ConnArgs::new(first, after, last, before, CountryOrder::sort(order_by))
            .with_filter(filter)?;
        CountryConnection::root(ctx, Condition::all(), args).await
    }

    /// Fields of education and training (ISCED-F 2013).
    async fn fields_of_study(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<FieldOfStudyOrder>>,
        filter: Option<FieldOfStudyFilter>,
    ) -> Result<FieldOfStudyConnection> {
        let args = ConnArgs::new(
            first,
            after,
            last,
            before,
            FieldOfStudyOrder::sort(order_by),
        )
        .with_filter(filter)?;
        FieldOfStudyConnection::root(ctx, Condition::all(), args).await
    }
}
