//! `statistics(asOf:)`: the dashboard figures and group-bys, declared (the
//! plan answers them, `compile::statistics`), and what their arguments
//! mean.

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaInputValue, Registry};
use chrono::NaiveDate;
use service::statistics as stats;

use super::described::{argument, declare_plain, field, object};

/// The date figures are as of: the one asked, else today (UTC).
pub fn date(asked: Option<NaiveDate>) -> NaiveDate {
    asked.unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// The types of the group-bys: name, documentation, and the group's key
/// (name, documentation, type); each also counts its rows.
const GROUPS: &[(&str, &str, (&str, &str, &str))] = &[
    (
        "CountryCount",
        "How many rows share a country.",
        ("country", "The country.", "Country"),
    ),
    (
        "AgreementKindCount",
        "How many agreements are of a kind.",
        ("kind", "The kind.", "AgreementKind!"),
    ),
    (
        "AgreementStatusCount",
        "How many agreements have a status.",
        ("status", "The status.", "AgreementStatus!"),
    ),
    (
        "ProgramKindCount",
        "How many programs are of a kind.",
        ("kind", "The kind.", "ProgramKind!"),
    ),
    (
        "YearCount",
        "How many rows share a year.",
        ("year", "The year.", "Int!"),
    ),
];

/// The groups a group-by field returns: `first` and `orderBy` (largest first
/// unless it says otherwise), as the service bounds them.
pub(crate) fn cut(
    first: i32,
    order_by: Option<Vec<super::aggregate::GroupOrder>>,
) -> service::Result<stats::Cut> {
    stats::Cut::new(first, super::aggregate::GroupOrder::sort(order_by))
}

/// The figures: name, documentation, type, arguments (`first` with its
/// default and `orderBy` for the group-bys).
const FIGURES: &[(&str, &str, &str, Arguments)] = &[
    (
        "asOf",
        "The date the figures are as of.",
        "Date!",
        Arguments::None,
    ),
    (
        "partnerOrganizations",
        "Non-home organizations party to an agreement in force with a home organization.",
        "Int!",
        Arguments::None,
    ),
    (
        "partnerCountries",
        "Countries of the partner organizations.",
        "Int!",
        Arguments::None,
    ),
    (
        "collaborativePrograms",
        "Running programs tied to an agreement.",
        "Int!",
        Arguments::None,
    ),
    (
        "internationalStudents",
        "Enrolled students whose nationality differs from their host's country.",
        "Int!",
        Arguments::None,
    ),
    (
        "studentCountries",
        "Nationalities of the international students.",
        "Int!",
        Arguments::None,
    ),
    (
        "jointUnits",
        "Joint laboratories, centers and practice bases open on the date.",
        "Int!",
        Arguments::None,
    ),
    (
        "jointUnitsGrowthPercent",
        "Growth of the joint units since the end of `sinceYear`, in percent\n(rounded); null when there were none then.",
        "Int",
        Arguments::Year("sinceYear"),
    ),
    (
        "englishTaughtMajors",
        "Running degree majors taught in English.",
        "Int!",
        Arguments::None,
    ),
    (
        "visitingExperts",
        "Distinct people with a visit starting in `year`.",
        "Int!",
        Arguments::Year("year"),
    ),
    (
        "studentsByNationality",
        "International students per nationality, most first unless `orderBy` says otherwise.",
        "[CountryCount!]!",
        Arguments::Groups,
    ),
    (
        "partnersByCountry",
        "Partner organizations per country, most first unless `orderBy` says otherwise.",
        "[CountryCount!]!",
        Arguments::Groups,
    ),
    (
        "agreementsByKind",
        "Agreements signed by the date, per kind, most first unless `orderBy` says otherwise.",
        "[AgreementKindCount!]!",
        Arguments::Groups,
    ),
    (
        "agreementsByStatus",
        "Agreements per status, most first unless `orderBy` says otherwise.",
        "[AgreementStatusCount!]!",
        Arguments::Groups,
    ),
    (
        "agreementsByYear",
        "Agreements signed by the date, per year of signing, most first unless `orderBy` says otherwise.",
        "[YearCount!]!",
        Arguments::Groups,
    ),
    (
        "programsByKind",
        "Programs running on the date, per kind, most first unless `orderBy` says otherwise.",
        "[ProgramKindCount!]!",
        Arguments::Groups,
    ),
    (
        "jointUnitsByYear",
        "Joint units open on the date, per year of establishment, most first unless `orderBy` says otherwise.",
        "[YearCount!]!",
        Arguments::Groups,
    ),
];

/// A figure's arguments.
#[derive(Clone, Copy)]
enum Arguments {
    None,
    /// One required year.
    Year(&'static str),
    /// A group-by's `first` (default 10) and `orderBy`.
    Groups,
}

/// Registers the `Statistics` type and the types of its group-bys.
pub fn declare(registry: &mut Registry) -> String {
    for (name, doc, key) in GROUPS {
        declare_plain(registry, name, doc, &[*key, ("count", "How many.", "Int!")]);
    }
    <super::aggregate::GroupOrder as async_graphql::InputType>::create_type_info(registry);
    let fields = FIGURES
        .iter()
        .map(|(name, doc, ty, arguments)| {
            let arguments = match arguments {
                Arguments::None => Vec::new(),
                Arguments::Year(name) => vec![argument(name, "Int!")],
                Arguments::Groups => vec![
                    MetaInputValue {
                        default_value: Some("10".to_owned()),
                        ..argument("first", "Int!")
                    },
                    argument("orderBy", "[GroupOrder!]"),
                ],
            };
            (
                (*name).to_owned(),
                field(name, doc, (*ty).to_owned(), arguments),
            )
        })
        .collect::<IndexMap<_, _>>();
    registry.types.insert(
        "Statistics".to_owned(),
        object(
            "Statistics",
            "Figures about the partnerships as of a date.",
            fields,
        ),
    );
    "Statistics!".to_owned()
}
