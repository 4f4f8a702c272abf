//! How much of what an agreement grants an academic year has used
//! (`Agreement.mobilityBalance(academicYear:)`): for each cooperation
//! condition in force that year, the people sent in its direction under the
//! agreement, what is left of its mobilities, and how the two directions
//! compare. Each figure is SQL over the condition's row, planned into the
//! read's one statement.
//!
//! What counts as a mobility of a year:
//! - an academic year runs from 1 September to 31 August (`2024/2025`: from
//!   2024-09-01 to 2025-08-31), and a mobility belongs to the year it
//!   starts in;
//! - students (for student conditions): the agreement's students from the
//!   sending organization (their home) at the receiving one (their host),
//!   enrolled in the year, unless they withdrew; a nomination (`APPLIED`)
//!   takes its place;
//! - visits (for staff conditions): the agreement's visits by people of the
//!   sending organization to the receiving one, starting in the year.
//!
//! Our records do not say whether a student studies or is a trainee, nor
//! whether a visit teaches or trains: where an agreement has both kinds of
//! condition in one direction, each counts the same people.

use chrono::NaiveDate;
use sea_orm::ActiveEnum;
use sea_orm::sea_query::{
    Alias, CaseStatement, Expr, ExprTrait, JoinType, Query, QueryStatementBuilder, SelectStatement,
};

use entity::cooperation_condition as cc;
use entity::student::{self as st, StudentStatus};
use entity::{person as pe, visit as vi};

use super::conditions::academic_year;
use crate::Result;

/// The argument's name, as the errors say it.
pub const ARGUMENT: &str = "academicYear";

/// The condition's columns each figure reads, in this order.
pub const COLUMNS: &[cc::Column] = &[
    cc::Column::AgreementId,
    cc::Column::MobilityType,
    cc::Column::SendingOrganizationId,
    cc::Column::ReceivingOrganizationId,
    cc::Column::MobilitiesPerYear,
];

/// The first and the day after the last day of the academic year written
/// `2024/2025`, or why it is not one.
pub fn days(year: &str) -> Result<(NaiveDate, NaiveDate)> {
    let first = academic_year(ARGUMENT, year)?;
    let day = |y| NaiveDate::from_ymd_opt(y, 9, 1).expect("1 September exists");
    Ok((day(first), day(first + 1)))
}

/// The conditions in force in `year`: those whose first academic year is
/// not after it and whose last is not before it (the years compare as text:
/// four digits each).
pub fn in_force(year: &str) -> Result<Expr> {
    let first = academic_year(ARGUMENT, year)?;
    let year = format!("{first}/{}", first + 1);
    let column = |c: cc::Column| Expr::col((cc::Entity, c));
    Ok(column(cc::Column::FirstAcademicYear)
        .lte(year.clone())
        .and(column(cc::Column::LastAcademicYear).gte(year)))
}

/// How many people the condition's agreement sent in its direction in
/// `year` (`columns` as [`COLUMNS`] lists them).
pub fn used(columns: &[Expr], year: &str) -> Expr {
    sent(columns, year, false)
}

/// How many people went the other way, in a condition of the same kind
/// (students or staff).
pub fn opposite(columns: &[Expr], year: &str) -> Expr {
    sent(columns, year, true)
}

/// The mobilities per year less those used: below zero when the year sent
/// more than the condition allows.
pub fn remaining(columns: &[Expr], year: &str) -> Expr {
    columns[4].clone().sub(used(columns, year))
}

/// People sent in the condition's direction less those sent the other way.
pub fn balance(columns: &[Expr], year: &str) -> Expr {
    used(columns, year).sub(opposite(columns, year))
}

fn sent(columns: &[Expr], year: &str, reversed: bool) -> Expr {
    let [agreement, kind, sending, receiving, _] = columns else {
        unreachable!("a figure reads the columns COLUMNS lists")
    };
    let (from, to) = if reversed {
        (receiving, sending)
    } else {
        (sending, receiving)
    };
    // An unparsable year never reaches a figure: the list's argument
    // refused it first.
    let Ok((start, end)) = days(year) else {
        return Expr::val(0);
    };
    let students = [
        cc::MobilityType::StudentStudies,
        cc::MobilityType::StudentTraineeship,
    ]
    .map(|k| k.to_value());
    let count =
        |select: SelectStatement| Expr::SubQuery(None, Box::new(select.into_sub_query_statement()));
    let s = Alias::new("balance_students");
    let col = |c: st::Column| Expr::col((s.clone(), c));
    let students_sent = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_as(st::Entity, s.clone())
        .and_where(col(st::Column::AgreementId).eq(agreement.clone()))
        .and_where(col(st::Column::HomeOrganizationId).eq(from.clone()))
        .and_where(col(st::Column::HostOrganizationId).eq(to.clone()))
        .and_where(col(st::Column::Status).ne(StudentStatus::Withdrawn.to_value()))
        .and_where(col(st::Column::EnrolledOn).gte(start))
        .and_where(col(st::Column::EnrolledOn).lt(end))
        .to_owned();
    let (v, p) = (Alias::new("balance_visits"), Alias::new("balance_visitors"));
    let visit = |c: vi::Column| Expr::col((v.clone(), c));
    let staff_sent = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_as(vi::Entity, v.clone())
        .join_as(
            JoinType::InnerJoin,
            pe::Entity,
            p.clone(),
            Expr::col((p.clone(), pe::Column::Id)).equals((v.clone(), vi::Column::PersonId)),
        )
        .and_where(visit(vi::Column::AgreementId).eq(agreement.clone()))
        .and_where(Expr::col((p.clone(), pe::Column::OrganizationId)).eq(from.clone()))
        .and_where(visit(vi::Column::HostOrganizationId).eq(to.clone()))
        .and_where(visit(vi::Column::StartsOn).gte(start))
        .and_where(visit(vi::Column::StartsOn).lt(end))
        .to_owned();
    let case = CaseStatement::new()
        .case(kind.clone().is_in(students), count(students_sent))
        .finally(count(staff_sent));
    Expr::Case(Box::new(case))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_academic_year_runs_from_september_to_august() {
        let (start, end) = days("2024/2025").expect("an academic year");
        assert_eq!(start.to_string(), "2024-09-01");
        assert_eq!(end.to_string(), "2025-09-01");
        assert!(days("2024/2026").is_err());
        assert!(in_force("2024").is_err());
    }
}
