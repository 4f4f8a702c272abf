//! Visits of experts.

use async_graphql::{Context, ID, Object, Result};
use entity::visit as model;
use service::visit::VisitOrderField as SortField;

use super::connection::{connection, order_input};
use super::filter::{DateFilter, StringFilter, filter_input, many_filter};
use super::id::{NodeType, encode_id};
use super::organization::Organization;
use super::organization::OrganizationFilter;
use super::person::Person;
use super::person::PersonFilter;
use super::scalars::{Date, DateTime};

order_input!(
    VisitOrder,
    VisitOrderField,
    SortField {
        Id,
        StartsOn,
        EndsOn
    }
);
connection!(model::Entity, Visit, VisitConnection, VisitEdge, "visits");

/// A visit of an expert to an organization.
pub struct Visit(pub model::Model);

impl From<model::Model> for Visit {
    fn from(m: model::Model) -> Self {
        Visit(m)
    }
}

/// A visit of an expert to an organization.
#[Object]
impl Visit {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Visit, self.0.id)
    }
    /// Why the expert came.
    async fn purpose(&self) -> Option<&str> {
        self.0.purpose.as_deref()
    }
    /// First day.
    async fn starts_on(&self) -> Date {
        self.0.starts_on.into()
    }
    /// Last day.
    async fn ends_on(&self) -> Date {
        self.0.ends_on.into()
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
    /// The visiting expert.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        super::one::<entity::person::Entity, _>(ctx, self.0.person_id).await
    }
    /// The organization visited.
    async fn host_organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        super::one::<entity::organization::Entity, _>(ctx, self.0.host_organization_id).await
    }
}

many_filter!(VisitManyFilter, VisitFilter, "visits");
filter_input! {
    /// Which visits to return.
    VisitFilter => service::visit::VisitFilter {
        id { id: Visit }
        fields {
            purpose: StringFilter,
            starts_on: DateFilter,
            ends_on: DateFilter,
        }
        one {
            person: PersonFilter,
            host_organization: OrganizationFilter,
        }
        many {}
    }
}
