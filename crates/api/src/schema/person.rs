//! People: signatories, contacts, visiting experts.

use async_graphql::{Context, ID, Object, Result};
use entity::person as model;
use service::person::{self as links, PersonOrderField as SortField};

use super::aggregate::aggregate;
use super::agreement::{AgreementConnection, AgreementOrder};
use super::agreement::{AgreementFilter, AgreementManyFilter};
use super::connection::{ConnArgs, connection, order_input};
use super::country::Country;
use super::country::CountryFilter;
use super::error::GqlResult;
use super::filter::{StringFilter, filter_input, many_filter};
use super::id::{NodeType, encode_id};
use super::organization::Organization;
use super::organization::OrganizationFilter;
use super::scalars::DateTime;
use super::visit::{VisitConnection, VisitOrder};
use super::visit::{VisitFilter, VisitManyFilter};

order_input!(
    PersonOrder,
    PersonOrderField,
    SortField {
        Id,
        FullName,
        CreatedAt,
        OrganizationName,
        NationalityName,
    }
);
aggregate! {
    entity = model::Entity, what = "people",
    PersonAggregate, PersonValues, PersonCounts,
    PersonGroup, PersonGroupKey, PersonGroupBy,
    PersonHaving, PersonValuesHaving, PersonCountsHaving,
    values { full_name: String, title: String, email: String }
    counts { organization_id, nationality, title, email }
    keys {
        Organization => organization (organization_id, Value) row super::organization::Organization = entity::organization::Entity,
        Nationality => nationality (nationality, Value) row super::country::Country = entity::country::Entity,
        Title => title (title, Value) value String,
    }
}

connection!(
    model::Entity,
    Person,
    PersonConnection,
    PersonEdge,
    "people",
    aggregate = (PersonAggregate, PersonGroup, PersonGroupBy, PersonHaving)
);

/// A person: a signatory, a contact, a visiting expert.
pub struct Person(pub service::person::SeenPerson);

impl From<service::person::SeenPerson> for Person {
    fn from(m: service::person::SeenPerson) -> Self {
        Person(m)
    }
}

/// A person: a signatory, a contact, a visiting expert.
#[Object]
impl Person {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Person, self.0.id)
    }
    /// Full name.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    /// E-mail address.
    async fn email(&self) -> Result<Option<&str>> {
        Ok(self.0.email.get().gql()?.as_deref())
    }
    /// Job title or academic title.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// ISO 3166-1 alpha-2 code of the nationality.
    async fn nationality_code(&self) -> Option<&str> {
        self.0.nationality.as_deref().map(str::trim_end)
    }
    /// The country of the person's nationality.
    async fn nationality(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        match &self.0.nationality {
            Some(code) => super::one::<entity::country::Entity, _>(ctx, code.clone()).await,
            None => Ok(None),
        }
    }
    /// The organization the person works for.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        match self.0.organization_id {
            Some(id) => super::one::<entity::organization::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
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
    /// The person's visits.
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
        VisitConnection::child(ctx, *links::VISITS, self.0.id, args).await
    }
    /// Agreements the person signed for one of the parties.
    async fn signed_agreements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<AgreementOrder>>,
        filter: Option<AgreementFilter>,
    ) -> Result<AgreementConnection> {
        let args = ConnArgs::new(first, after, last, before, AgreementOrder::sort(order_by))
            .with_filter(filter)?;
        AgreementConnection::child(ctx, *links::SIGNED_AGREEMENTS, self.0.id, args).await
    }
}

many_filter!(PersonManyFilter, PersonFilter, "people");
filter_input! {
    /// Which people to return.
    PersonFilter => service::person::PersonFilter {
        id { id: Person }
        fields {
            full_name: StringFilter,
            email: StringFilter,
            title: StringFilter,
            nationality: StringFilter,
        }
        one {
            organization: OrganizationFilter,
            nationality_country: CountryFilter,
        }
        many {
            visits: VisitManyFilter,
            signed_agreements: AgreementManyFilter,
        }
    }
}

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined};
use service::person::PersonChanges;

use super::input::{keep_or_set, nullable, nullable_id, opt_row_id, row_id};

/// A new person.
#[derive(InputObject)]
pub struct CreatePersonInput {
    pub full_name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    /// The organization the person works for.
    pub organization_id: Option<ID>,
    /// ISO 3166-1 alpha-2.
    pub nationality: Option<String>,
}

impl CreatePersonInput {
    fn changes(self) -> Result<PersonChanges, service::Error> {
        Ok(PersonChanges {
            full_name: Some(self.full_name),
            email: Some(self.email),
            title: Some(self.title),
            organization_id: Some(opt_row_id(
                self.organization_id.as_ref(),
                NodeType::Organization,
                "organizationId",
            )?),
            nationality: Some(self.nationality),
        })
    }
}

/// Changes to a person: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub full_name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub title: MaybeUndefined<String>,
    pub organization_id: MaybeUndefined<ID>,
    pub nationality: MaybeUndefined<String>,
}

impl UpdatePersonInput {
    fn split(self) -> Result<(i64, i32, PersonChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Person, "id")?;
        let changes = PersonChanges {
            full_name: keep_or_set(self.full_name, "fullName")?,
            email: nullable(self.email),
            title: nullable(self.title),
            organization_id: nullable_id(
                self.organization_id,
                NodeType::Organization,
                "organizationId",
            )?,
            nationality: nullable(self.nationality),
        };
        Ok((id, self.version, changes))
    }
}

super::mutation::crud_mutations! {
    PersonMutation for entity::person::ActiveModel as NodeType::Person, Person in PersonPayload.person;
    create_person(CreatePersonInput) "Creates a person.";
    update_person(UpdatePersonInput) "Changes a person.";
    delete_person(DeletePersonInput -> DeletePersonPayload) "a person";
}
