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

impl crate::query::filter::Filterable for entity::country::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::COUNTRY
    }
}
