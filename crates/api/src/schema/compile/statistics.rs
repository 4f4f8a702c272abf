//! `statistics(asOf:)` in the one statement: each figure is the service's
//! SQL (`service::statistics`), embedded; the group-bys' rows
//! become objects (countries read by code, kinds by name, years as
//! integers).

use async_graphql::ScalarType;
use async_graphql::parser::types::Field as GqlField;
use async_graphql_value::ConstValue;
use chrono::NaiveDate;
use service::query::json::{self, Figure, GroupPart, Nested, Part};
use service::statistics::{self as stats, Grouping};

use super::types::Shown;
use super::{Cx, Types, key, position};
use crate::schema::aggregate::GroupOrder;
use crate::schema::described::enum_names_of;
use crate::schema::scalars::Date;
use entity::country::Entity as Country;
use service::model::stored;

/// `statistics(asOf:)`: a figure whose arguments are refused is refused.
pub(super) fn statistics(cx: &Cx<'_>, field: &GqlField) -> Option<Nested> {
    let as_of: Option<Date> = cx.arg(field, "asOf")?;
    let as_of = crate::schema::statistics::date(as_of.map(|d| d.0));
    let mut fields = Vec::new();
    for f in cx.fields(&field.selection_set.node, Types::Exactly(&["Statistics"]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "__typename" => Figure::Text(Some("Statistics".to_owned())),
            "asOf" => match Date(as_of).to_value() {
                ConstValue::String(text) => Figure::Text(Some(text)),
                _ => return None,
            },
            "partnerOrganizations" => Figure::Pair(stats::partners_sql(as_of), Part::Count),
            "partnerCountries" => Figure::Pair(stats::partners_sql(as_of), Part::Distinct),
            "internationalStudents" => {
                Figure::Pair(stats::international_students_sql(as_of), Part::Count)
            }
            "studentCountries" => {
                Figure::Pair(stats::international_students_sql(as_of), Part::Distinct)
            }
            "collaborativePrograms" => Figure::Value(stats::collaborative_programs_sql(as_of)),
            "jointUnits" => Figure::Value(stats::joint_units_sql(as_of)),
            "jointUnitsGrowthPercent" => figure(
                cx,
                f,
                stats::joint_units_growth_percent_sql(as_of, cx.arg(f, "sinceYear")?),
            )?,
            "englishTaughtMajors" => Figure::Value(stats::english_taught_majors_sql(as_of)),
            "visitingExperts" => figure(cx, f, stats::visiting_experts_sql(cx.arg(f, "year")?))?,
            "studentsByNationality" => groups(cx, f, Grouping::StudentsByNationality, as_of)?,
            "partnersByCountry" => groups(cx, f, Grouping::PartnersByCountry, as_of)?,
            "agreementsByKind" => groups(cx, f, Grouping::AgreementsByKind, as_of)?,
            "agreementsByStatus" => groups(cx, f, Grouping::AgreementsByStatus, as_of)?,
            "agreementsByYear" => groups(cx, f, Grouping::AgreementsByYear, as_of)?,
            "programsByKind" => groups(cx, f, Grouping::ProgramsByKind, as_of)?,
            "jointUnitsByYear" => groups(cx, f, Grouping::JointUnitsByYear, as_of)?,
            _ => return None,
        };
        fields.push((key(f), value));
    }
    json::figures(fields)
}

/// A figure's SQL, or the refusal of its arguments.
fn figure(cx: &Cx<'_>, field: &GqlField, sql: service::Result<stats::Sql>) -> Option<Figure> {
    Some(match sql {
        Ok(sql) => Figure::Value(sql),
        Err(error) => Figure::Refused(cx.refuse(error, position(field))?),
    })
}

/// A group-by: its cut (as the service bounds it) and each group's object.
fn groups(cx: &Cx<'_>, field: &GqlField, grouping: Grouping, as_of: NaiveDate) -> Option<Figure> {
    let first = cx.arg::<Option<i32>>(field, "first")?.unwrap_or(10);
    let order: Option<Vec<GroupOrder>> = cx.arg(field, "orderBy")?;
    let cut = match crate::schema::statistics::cut(first, order) {
        Ok(cut) => cut,
        Err(error) => return Some(Figure::Refused(cx.refuse(error, position(field))?)),
    };
    let (type_name, key_name) = match grouping {
        Grouping::StudentsByNationality | Grouping::PartnersByCountry => {
            ("CountryCount", "country")
        }
        Grouping::AgreementsByKind => ("AgreementKindCount", "kind"),
        Grouping::AgreementsByStatus => ("AgreementStatusCount", "status"),
        Grouping::ProgramsByKind => ("ProgramKindCount", "kind"),
        Grouping::AgreementsByYear | Grouping::JointUnitsByYear => ("YearCount", "year"),
    };
    let mut parts = Vec::new();
    for f in cx.fields_within(
        &field.selection_set.node,
        Types::Exactly(&[type_name]),
        json::MAX_AGGREGATE_KEYS,
    )? {
        let f = &f.node;
        let part = match f.name.node.as_str() {
            "__typename" => GroupPart::Text(type_name.to_owned()),
            "count" => GroupPart::Count,
            name if name == key_name => match grouping {
                Grouping::StudentsByNationality | Grouping::PartnersByCountry => GroupPart::Row(
                    json::keyed(cx.actor, "k", Country::object(cx, &f.selection_set.node)?),
                ),
                Grouping::AgreementsByKind => {
                    GroupPart::Mapped(enum_names_of(stored::<entity::agreement::AgreementKind>))
                }
                Grouping::AgreementsByStatus => {
                    GroupPart::Mapped(enum_names_of(stored::<entity::agreement::AgreementStatus>))
                }
                Grouping::ProgramsByKind => {
                    GroupPart::Mapped(enum_names_of(stored::<entity::program::ProgramKind>))
                }
                Grouping::AgreementsByYear | Grouping::JointUnitsByYear => GroupPart::Integer,
            },
            _ => return None,
        };
        parts.push((key(f), part));
    }
    Some(Figure::Groups(
        stats::groups_sql(grouping, as_of, &cut),
        cut.order_by(),
        parts,
    ))
}
