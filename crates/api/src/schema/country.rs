//! Countries (ISO 3166-1).

use async_graphql::Result;

use super::filter::{StringFilter, filter_input};
use super::organization::OrganizationManyFilter;
use super::person::PersonManyFilter;
use super::student::StudentManyFilter;

/// A country or territory (ISO 3166-1).
pub struct Country;

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
