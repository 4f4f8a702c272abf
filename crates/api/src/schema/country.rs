//! Countries (ISO 3166-1).

use async_graphql::{Context, ID, Object, Result};
use entity::country as model;
use service::country::{self as links, CountryOrderField as SortField};
use service::query::resource::Key;

use super::aggregate::aggregate;
use super::connection::{ConnArgs, connection, order_input};
use super::filter::{StringFilter, filter_input};
use super::id::{NodeType, encode};
use super::organization::{OrganizationConnection, OrganizationOrder};
use super::organization::{OrganizationFilter, OrganizationManyFilter};
use super::person::{PersonConnection, PersonOrder};
use super::person::{PersonFilter, PersonManyFilter};
use super::student::{StudentConnection, StudentOrder};
use super::student::{StudentFilter, StudentManyFilter};

order_input!(
    CountryOrder,
    CountryOrderField,
    SortField { Code, Name, Region }
);
aggregate! {
    entity = model::Entity, what = "countries",
    CountryAggregate, CountryValues, CountryCounts,
    CountryGroup, CountryGroupKey, CountryGroupBy,
    CountryHaving, CountryValuesHaving, CountryCountsHaving,
    values { name: String, region: String }
    counts { region }
    keys {
        Region => region (region, Value) value String,
    }
}

connection!(
    model::Entity,
    Country,
    CountryConnection,
    CountryEdge,
    "countries",
    aggregate = (
        CountryAggregate,
        CountryGroup,
        CountryGroupBy,
        CountryHaving
    )
);

/// A country or territory (ISO 3166-1).
pub struct Country(pub model::Model);

impl From<model::Model> for Country {
    fn from(m: model::Model) -> Self {
        Country(m)
    }
}

/// A country or territory (ISO 3166-1).
#[Object]
impl Country {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Country, &Key::Code(self.0.code.clone()))
    }
    /// ISO 3166-1 alpha-2 code.
    async fn code(&self) -> &str {
        self.0.code.trim_end()
    }
    /// Short English name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// UN M49 sub-region.
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// Organizations located in the country.
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<OrganizationOrder>>,
        filter: Option<OrganizationFilter>,
    ) -> Result<OrganizationConnection> {
        let args = ConnArgs::new(
            first,
            after,
            last,
            before,
            OrganizationOrder::sort(order_by),
        )
        .with_filter(filter)?;
        OrganizationConnection::child(ctx, *links::ORGANIZATIONS, self.0.code.clone(), args).await
    }
    /// People of this nationality.
    async fn people(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<PersonOrder>>,
        filter: Option<PersonFilter>,
    ) -> Result<PersonConnection> {
        let args = ConnArgs::new(first, after, last, before, PersonOrder::sort(order_by))
            .with_filter(filter)?;
        PersonConnection::child(ctx, *links::PEOPLE, self.0.code.clone(), args).await
    }
    /// Students of this nationality.
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
        StudentConnection::child(ctx, *links::STUDENTS, self.0.code.clone(), args).await
    }
}

filter_input! {
    /// Which countries to return.
    CountryFilter => service::country::CountryFilter {
        id {}
        fields {
            code: StringFilter,
            name: StringFilter,
            region: StringFilter,
        }
        one {}
        many {
            organizations: OrganizationManyFilter,
            people: PersonManyFilter,
            students: StudentManyFilter,
        }
    }
}
