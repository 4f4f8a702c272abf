//! Countries (ISO 3166-1).

use async_graphql::Result;

use super::aggregate::aggregate;
use super::filter::{StringFilter, filter_input};
use super::organization::OrganizationManyFilter;
use super::person::PersonManyFilter;
use super::student::StudentManyFilter;

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
