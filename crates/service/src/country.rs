//! Countries (ISO 3166-1 alpha-2): reference data.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(country, CountryOrderField {
    Code => Code,
    Name => Name,
    Region => Region,
}, key = Code, default = Code);

/// Organizations located in the country.
pub static ORGANIZATIONS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::country::Relation::Organizations));
/// People of the country's nationality.
pub static PEOPLE: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::country::Relation::People));
/// Students of the country's nationality.
pub static STUDENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::country::Relation::Students));

crate::filter_type! {
    /// Which countries to return.
    CountryFilter for country {
        fields {
            code: String => Code,
            name: String => Name,
            region: String => Region,
        }
        to_one {}
        to_many {
            organizations: crate::organization::OrganizationFilter => organization (ORGANIZATIONS, Code),
            people: crate::person::PersonFilter => person (PEOPLE, Code),
            students: crate::student::StudentFilter => student (STUDENTS, Code),
        }
    }
}

impl crate::query::filter::Filterable for entity::country::Entity {
    type Filter = CountryFilter;

    fn filter_condition(
        filter: &CountryFilter,
        scope: &crate::query::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }
}
