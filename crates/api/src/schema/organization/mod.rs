//! Organizations: the `Organization` interface and its `University`, `Company` and
//! `Institute` implementations (chosen by `kind`).

use async_graphql::{Context, Enum, ID, Interface, Result};
use entity::organization::{self as org, OrganizationKind as Kind};
use service::organization::{self as links, OrganizationOrderField as SortField};

use super::aggregate::aggregate;
use super::agreement::{AgreementConnection, AgreementOrder};
use super::agreement::{AgreementFilter, AgreementManyFilter};
use super::connection::{ConnArgs, connection, order_input};
use super::country::Country;
use super::country::CountryFilter;
use super::event::{EventConnection, EventOrder};
use super::event::{EventFilter, EventManyFilter};
use super::filter::{
    BooleanFilter, IntFilter, StringFilter, enum_filter, filter_input, many_filter,
};
use super::id::{NodeType, encode_id};
use super::joint_unit::{JointUnitConnection, JointUnitOrder};
use super::joint_unit::{JointUnitFilter, JointUnitManyFilter};
use super::person::{PersonConnection, PersonOrder};
use super::person::{PersonFilter, PersonManyFilter};
use super::program::{ProgramConnection, ProgramOrder};
use super::program::{ProgramFilter, ProgramManyFilter};
use super::scalars::DateTime;
use super::student::{StudentConnection, StudentOrder};
use super::student::{StudentFilter, StudentManyFilter};
use super::visit::{VisitConnection, VisitOrder};
use super::visit::{VisitFilter, VisitManyFilter};

mod writes;

pub use writes::*;

/// What an organization is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::organization::OrganizationKind")]
pub enum OrganizationKind {
    /// A university or college.
    University,
    /// A company.
    Company,
    /// A research institute or other institution.
    Institute,
}

order_input!(
    OrganizationOrder,
    OrganizationOrderField,
    SortField {
        Id,
        Name,
        Kind,
        CountryCode,
        City,
        FoundedYear,
        CreatedAt,
        CountryName,
        AgreementsCount,
        ProgramsCount,
        StudentsCount,
    }
);

aggregate! {
    entity = org::Entity, what = "organizations",
    OrganizationAggregate, OrganizationValues, OrganizationCounts,
    OrganizationGroup, OrganizationGroupKey, OrganizationGroupBy,
    OrganizationHaving, OrganizationValuesHaving, OrganizationCountsHaving,
    numbers OrganizationNumbers, OrganizationNumbersHaving { founded_year },
    values { name: String, city: String, founded_year: i32 }
    counts { kind, country_code, city, founded_year, industry }
    keys {
        Kind => kind (kind, Value) value OrganizationKind,
        Country => country (country_code, Value) row Country = entity::country::Entity,
        City => city (city, Value) value String,
        FoundedYear => founded_year (founded_year, Value) value i32,
        Industry => industry (industry, Value) value String,
        IsHome => is_home (is_home, Value) value bool,
    }
}

connection!(
    org::Entity,
    Organization,
    OrganizationConnection,
    OrganizationEdge,
    "organizations",
    aggregate = (
        OrganizationAggregate,
        OrganizationGroup,
        OrganizationGroupBy,
        OrganizationHaving
    )
);

/// A partner (or the home) organization: a university, company or institute.
#[allow(clippy::duplicated_attributes)] // the interface's fields repeat types and arguments
#[derive(Interface)]
#[graphql(
    field(name = "id", ty = "ID", desc = "The global id."),
    field(name = "name", ty = "&str", desc = "The full name."),
    field(
        name = "kind",
        ty = "OrganizationKind",
        desc = "University, company or institute."
    ),
    field(
        name = "short_name",
        ty = "Option<&str>",
        desc = "A short name or acronym."
    ),
    field(
        name = "country_code",
        ty = "&str",
        desc = "ISO 3166-1 alpha-2 code of the country."
    ),
    field(
        name = "country",
        ty = "Option<Country>",
        desc = "The country the organization is in."
    ),
    field(name = "city", ty = "Option<&str>", desc = "The city of its seat."),
    field(name = "website", ty = "Option<&str>", desc = "Its website."),
    field(
        name = "founded_year",
        ty = "Option<i32>",
        desc = "The year it was founded."
    ),
    field(
        name = "ror_id",
        ty = "Option<&str>",
        desc = "Its Research Organization Registry id."
    ),
    field(
        name = "is_home",
        ty = "bool",
        desc = "True for the university running this system."
    ),
    field(name = "description", ty = "Option<&str>", desc = "A description."),
    field(
        name = "version",
        ty = "i32",
        desc = "Row version, for optimistic concurrency."
    ),
    field(
        name = "created_at",
        ty = "DateTime",
        desc = "When the row was created."
    ),
    field(
        name = "updated_at",
        ty = "DateTime",
        desc = "When the row was last changed."
    ),
    field(
        name = "agreements",
        ty = "AgreementConnection",
        desc = "Agreements it is a party to.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<AgreementOrder>>"),
        arg(name = "filter", ty = "Option<AgreementFilter>")
    ),
    field(
        name = "people",
        ty = "PersonConnection",
        desc = "People working for it.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<PersonOrder>>"),
        arg(name = "filter", ty = "Option<PersonFilter>")
    ),
    field(
        name = "organized_events",
        ty = "EventConnection",
        desc = "Events it organizes.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<EventOrder>>"),
        arg(name = "filter", ty = "Option<EventFilter>")
    ),
    field(
        name = "programs",
        ty = "ProgramConnection",
        desc = "Programs it hosts.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<ProgramOrder>>"),
        arg(name = "filter", ty = "Option<ProgramFilter>")
    ),
    field(
        name = "students",
        ty = "StudentConnection",
        desc = "Students it hosts.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<StudentOrder>>"),
        arg(name = "filter", ty = "Option<StudentFilter>")
    ),
    field(
        name = "home_students",
        ty = "StudentConnection",
        desc = "Students whose home organization it is.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<StudentOrder>>"),
        arg(name = "filter", ty = "Option<StudentFilter>")
    ),
    field(
        name = "joint_units",
        ty = "JointUnitConnection",
        desc = "Joint units it hosts.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<JointUnitOrder>>"),
        arg(name = "filter", ty = "Option<JointUnitFilter>")
    ),
    field(
        name = "partner_joint_units",
        ty = "JointUnitConnection",
        desc = "Joint units it is a partner of.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<JointUnitOrder>>"),
        arg(name = "filter", ty = "Option<JointUnitFilter>")
    ),
    field(
        name = "visits",
        ty = "VisitConnection",
        desc = "Visits it hosts.",
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "last", ty = "Option<i32>"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "order_by", ty = "Option<Vec<VisitOrder>>"),
        arg(name = "filter", ty = "Option<VisitFilter>")
    )
)]
pub enum Organization {
    University(University),
    Company(Company),
    Institute(Institute),
}

impl From<org::Model> for Organization {
    fn from(model: org::Model) -> Self {
        match model.kind {
            Kind::University => Organization::University(University(model)),
            Kind::Company => Organization::Company(Company(model)),
            Kind::Institute => Organization::Institute(Institute(model)),
        }
    }
}

/// Declares one concrete organization type with the interface's fields (and `$extra`).
macro_rules! organization_type {
    ($ty:ident, $doc:literal { $($extra:tt)* }) => {
        #[doc = $doc]
        pub struct $ty(pub org::Model);

        #[doc = $doc]
        #[async_graphql::Object]
        impl $ty {
            /// The global id.
            pub async fn id(&self) -> ID {
                encode_id(NodeType::Organization, self.0.id)
            }
            /// The full name.
            async fn name(&self) -> &str {
                &self.0.name
            }
            /// University, company or institute.
            async fn kind(&self) -> OrganizationKind {
                self.0.kind.into()
            }
            /// A short name or acronym.
            async fn short_name(&self) -> Option<&str> {
                self.0.short_name.as_deref()
            }
            /// ISO 3166-1 alpha-2 code of the country.
            async fn country_code(&self) -> &str {
                &self.0.country_code
            }
            /// The country the organization is in.
            async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
                super::one::<entity::country::Entity, _>(ctx, self.0.country_code.clone()).await
            }
            /// The city of its seat.
            async fn city(&self) -> Option<&str> {
                self.0.city.as_deref()
            }
            /// Its website.
            async fn website(&self) -> Option<&str> {
                self.0.website.as_deref()
            }
            /// The year it was founded.
            async fn founded_year(&self) -> Option<i32> {
                self.0.founded_year
            }
            /// Its Research Organization Registry id.
            async fn ror_id(&self) -> Option<&str> {
                self.0.ror_id.as_deref()
            }
            /// True for the university running this system.
            async fn is_home(&self) -> bool {
                self.0.is_home
            }
            /// A description.
            async fn description(&self) -> Option<&str> {
                self.0.description.as_deref()
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
            /// Agreements it is a party to.
            async fn agreements(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<AgreementOrder>>,
            filter: Option<AgreementFilter>,
            ) -> Result<AgreementConnection> {
                let args = ConnArgs::new(first, after, last, before, AgreementOrder::sort(order_by))
            .with_filter(filter)?;
                AgreementConnection::child(ctx, *links::AGREEMENTS, self.0.id, args).await
            }
            /// People working for it.
            async fn people(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<PersonOrder>>,
            filter: Option<PersonFilter>,
            ) -> Result<PersonConnection> {
                let args = ConnArgs::new(first, after, last, before, PersonOrder::sort(order_by))
            .with_filter(filter)?;
                PersonConnection::child(ctx, *links::PEOPLE, self.0.id, args).await
            }
            /// Events it organizes.
            async fn organized_events(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<EventOrder>>,
            filter: Option<EventFilter>,
            ) -> Result<EventConnection> {
                let args = ConnArgs::new(first, after, last, before, EventOrder::sort(order_by))
            .with_filter(filter)?;
                EventConnection::child(ctx, *links::ORGANIZED_EVENTS, self.0.id, args).await
            }
            /// Programs it hosts.
            async fn programs(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<ProgramOrder>>,
            filter: Option<ProgramFilter>,
            ) -> Result<ProgramConnection> {
                let args = ConnArgs::new(first, after, last, before, ProgramOrder::sort(order_by))
            .with_filter(filter)?;
                ProgramConnection::child(ctx, *links::PROGRAMS, self.0.id, args).await
            }
            /// Students it hosts.
            async fn students(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<StudentOrder>>,
            filter: Option<StudentFilter>,
            ) -> Result<StudentConnection> {
                let args = ConnArgs::new(first, after, last, before, StudentOrder::sort(order_by))
            .with_filter(filter)?;
                StudentConnection::child(ctx, *links::STUDENTS, self.0.id, args).await
            }
            /// Students whose home organization it is.
            async fn home_students(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<StudentOrder>>,
            filter: Option<StudentFilter>,
            ) -> Result<StudentConnection> {
                let args = ConnArgs::new(first, after, last, before, StudentOrder::sort(order_by))
            .with_filter(filter)?;
                StudentConnection::child(ctx, *links::HOME_STUDENTS, self.0.id, args).await
            }
            /// Joint units it hosts.
            async fn joint_units(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<JointUnitOrder>>,
            filter: Option<JointUnitFilter>,
            ) -> Result<JointUnitConnection> {
                let args = ConnArgs::new(first, after, last, before, JointUnitOrder::sort(order_by))
            .with_filter(filter)?;
                JointUnitConnection::child(ctx, *links::JOINT_UNITS, self.0.id, args).await
            }
            /// Joint units it is a partner of.
            async fn partner_joint_units(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<JointUnitOrder>>,
            filter: Option<JointUnitFilter>,
            ) -> Result<JointUnitConnection> {
                let args = ConnArgs::new(first, after, last, before, JointUnitOrder::sort(order_by))
            .with_filter(filter)?;
                JointUnitConnection::child(ctx, *links::PARTNER_JOINT_UNITS, self.0.id, args).await
            }
            /// Visits it hosts.
            async fn visits(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>,
                last: Option<i32>, before: Option<String>, order_by: Option<Vec<VisitOrder>>,
            filter: Option<VisitFilter>,
            ) -> Result<VisitConnection> {
                let args = ConnArgs::new(first, after, last, before, VisitOrder::sort(order_by))
            .with_filter(filter)?;
                VisitConnection::child(ctx, *links::VISITS, self.0.id, args).await
            }
            $($extra)*
        }
    };
}

organization_type!(University, "A university or college." {});
organization_type!(Company, "A company." {
    /// The industry the company works in.
    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }
});
organization_type!(Institute, "A research institute or other institution." {});

enum_filter!(OrganizationKindFilter, OrganizationKind, Kind);
many_filter!(OrganizationManyFilter, OrganizationFilter, "organizations");
filter_input! {
    /// Which organizations to return.
    OrganizationFilter => service::organization::OrganizationFilter {
        id { id: Organization }
        fields {
            name: StringFilter,
            short_name: StringFilter,
            kind: OrganizationKindFilter,
            country_code: StringFilter,
            city: StringFilter,
            website: StringFilter,
            founded_year: IntFilter,
            industry: StringFilter,
            ror_id: StringFilter,
            is_home: BooleanFilter,
        }
        one { country: CountryFilter }
        many {
            agreements: AgreementManyFilter,
            people: PersonManyFilter,
            organized_events: EventManyFilter,
            programs: ProgramManyFilter,
            students: StudentManyFilter,
            home_students: StudentManyFilter,
            joint_units: JointUnitManyFilter,
            partner_joint_units: JointUnitManyFilter,
            visits: VisitManyFilter,
        }
    }
}
