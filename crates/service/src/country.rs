//! Countries (ISO 3166-1 alpha-2): reference data.

use crate::resource::Link;

crate::resource!(country, CountryOrderField {
    Code => Code,
    Name => Name,
    Region => Region,
}, key = Code, default = Code);

/// Organizations located in the country.
pub const ORGANIZATIONS: Link = Link::Column("country_code");
/// People of the country's nationality.
pub const PEOPLE: Link = Link::Column("nationality");
/// Students of the country's nationality.
pub const STUDENTS: Link = Link::Column("nationality");
