//! `statistics(asOf:)`: the dashboard figures and group-bys.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::NaiveDate;
use sea_orm::ActiveEnum;
use service::db::Work;
use service::statistics::{self as stats, GroupCount};
use tokio::sync::OnceCell;

use super::agreement::{AgreementKind, AgreementStatus};
use super::country::Country;
use super::error::GqlResult;
use super::program::ProgramKind;
use super::scalars::Date;

/// Most rows a group-by returns.
const MAX_GROUPS: i32 = 1000;

/// Figures about the partnerships as of a date (see the definitions in the README).
pub struct Statistics {
    pub as_of: NaiveDate,
    /// Partners and their countries, computed once for both fields.
    partners: OnceCell<stats::Totals>,
    /// International students and their nationalities, likewise.
    students: OnceCell<stats::Totals>,
}

impl Statistics {
    /// The date figures are as of: the one asked, else today (UTC).
    pub fn date(asked: Option<NaiveDate>) -> NaiveDate {
        asked.unwrap_or_else(|| chrono::Utc::now().date_naive())
    }

    pub fn new(as_of: NaiveDate) -> Self {
        Statistics {
            as_of,
            partners: OnceCell::new(),
            students: OnceCell::new(),
        }
    }

    async fn partners(&self, ctx: &Context<'_>) -> Result<stats::Totals> {
        let app = super::app(ctx);
        self.partners
            .get_or_try_init(|| async {
                Work::bounded(stats::partners(&app.read_db, self.as_of))
                    .await
                    .gql()
            })
            .await
            .copied()
    }

    async fn students(&self, ctx: &Context<'_>) -> Result<stats::Totals> {
        let app = super::app(ctx);
        self.students
            .get_or_try_init(|| async {
                Work::bounded(stats::international_students(&app.read_db, self.as_of))
                    .await
                    .gql()
            })
            .await
            .copied()
    }
}

/// How many rows share a country.
#[derive(SimpleObject)]
pub struct CountryCount {
    /// The country.
    pub country: Option<Country>,
    /// How many.
    pub count: u64,
}

/// How many agreements are of a kind.
#[derive(SimpleObject)]
pub struct AgreementKindCount {
    /// The kind.
    pub kind: AgreementKind,
    /// How many.
    pub count: u64,
}

/// How many agreements have a status.
#[derive(SimpleObject)]
pub struct AgreementStatusCount {
    /// The status.
    pub status: AgreementStatus,
    /// How many.
    pub count: u64,
}

/// How many programs are of a kind.
#[derive(SimpleObject)]
pub struct ProgramKindCount {
    /// The kind.
    pub kind: ProgramKind,
    /// How many.
    pub count: u64,
}

/// How many rows share a year.
#[derive(SimpleObject)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// How many.
    pub count: u64,
}

/// The groups a group-by field returns: `first` and `orderBy` (largest first
/// unless it says otherwise).
pub(crate) fn cut(
    first: i32,
    order_by: Option<Vec<super::aggregate::GroupOrder>>,
) -> service::Result<stats::Cut> {
    Ok(stats::Cut {
        first: limit(first)?,
        order: super::aggregate::GroupOrder::sort(order_by),
    })
}

fn limit(first: i32) -> service::Result<u64> {
    if first < 0 {
        return Err(service::Error::bad_input(
            "first",
            "`first` must not be negative",
        ));
    }
    if first > MAX_GROUPS {
        return Err(service::Error::limit(
            "first",
            "MAX_GROUPS",
            format!("`first` may be at most {MAX_GROUPS}"),
        ));
    }
    Ok(u64::try_from(first).unwrap_or(0))
}

/// Group-by rows whose key is an entity enum's stored value.
fn enum_groups<E: ActiveEnum<Value = String>, T>(
    rows: Vec<GroupCount>,
    make: impl Fn(E, u64) -> T,
) -> Vec<T> {
    rows.into_iter()
        .filter_map(|g| E::try_from_value(&g.key).ok().map(|e| make(e, g.count)))
        .collect()
}

fn year_groups(rows: Vec<GroupCount>) -> Vec<YearCount> {
    rows.into_iter()
        .filter_map(|g| {
            g.key.parse().ok().map(|year| YearCount {
                year,
                count: g.count,
            })
        })
        .collect()
}

async fn country_groups(ctx: &Context<'_>, rows: Vec<GroupCount>) -> Result<Vec<CountryCount>> {
    let mut out = Vec::with_capacity(rows.len());
    let countries = futures_util::future::try_join_all(
        rows.iter()
            .map(|g| super::one::<entity::country::Entity, Country>(ctx, g.key.clone())),
    )
    .await?;
    for (group, country) in rows.into_iter().zip(countries) {
        out.push(CountryCount {
            country,
            count: group.count,
        });
    }
    Ok(out)
}

/// Figures about the partnerships as of a date.
#[Object]
impl Statistics {
    /// The date the figures are as of.
    async fn as_of(&self) -> Date {
        Date(self.as_of)
    }

    /// Non-home organizations party to an agreement in force with a home organization.
    async fn partner_organizations(&self, ctx: &Context<'_>) -> Result<u64> {
        Ok(self.partners(ctx).await?.count)
    }

    /// Countries of the partner organizations.
    async fn partner_countries(&self, ctx: &Context<'_>) -> Result<u64> {
        Ok(self.partners(ctx).await?.distinct)
    }

    /// Running programs tied to an agreement.
    async fn collaborative_programs(&self, ctx: &Context<'_>) -> Result<u64> {
        let app = super::app(ctx);
        Work::bounded(stats::collaborative_programs(&app.read_db, self.as_of))
            .await
            .gql()
    }

    /// Enrolled students whose nationality differs from their host's country.
    async fn international_students(&self, ctx: &Context<'_>) -> Result<u64> {
        Ok(self.students(ctx).await?.count)
    }

    /// Nationalities of the international students.
    async fn student_countries(&self, ctx: &Context<'_>) -> Result<u64> {
        Ok(self.students(ctx).await?.distinct)
    }

    /// Joint laboratories, centers and practice bases open on the date.
    async fn joint_units(&self, ctx: &Context<'_>) -> Result<u64> {
        let app = super::app(ctx);
        Work::bounded(stats::joint_units(&app.read_db, self.as_of))
            .await
            .gql()
    }

    /// Growth of the joint units since the end of `sinceYear`, in percent
    /// (rounded); null when there were none then.
    async fn joint_units_growth_percent(
        &self,
        ctx: &Context<'_>,
        since_year: i32,
    ) -> Result<Option<i64>> {
        let app = super::app(ctx);
        Work::bounded(stats::joint_units_growth_percent(
            &app.read_db,
            self.as_of,
            since_year,
        ))
        .await
        .gql()
    }

    /// Running degree majors taught in English.
    async fn english_taught_majors(&self, ctx: &Context<'_>) -> Result<u64> {
        let app = super::app(ctx);
        Work::bounded(stats::english_taught_majors(&app.read_db, self.as_of))
            .await
            .gql()
    }

    /// Distinct people with a visit starting in `year`.
    async fn visiting_experts(&self, ctx: &Context<'_>, year: i32) -> Result<u64> {
        let app = super::app(ctx);
        Work::bounded(stats::visiting_experts(&app.read_db, year))
            .await
            .gql()
    }

    /// International students per nationality, most first unless `orderBy` says otherwise.
    async fn students_by_nationality(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<CountryCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::StudentsByNationality,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        country_groups(ctx, rows).await
    }

    /// Partner organizations per country, most first unless `orderBy` says otherwise.
    async fn partners_by_country(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<CountryCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::PartnersByCountry,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        country_groups(ctx, rows).await
    }

    /// Agreements signed by the date, per kind, most first unless `orderBy` says otherwise.
    async fn agreements_by_kind(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<AgreementKindCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::AgreementsByKind,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        Ok(enum_groups(
            rows,
            |kind: entity::agreement::AgreementKind, count| AgreementKindCount {
                kind: kind.into(),
                count,
            },
        ))
    }

    /// Agreements per status, most first unless `orderBy` says otherwise.
    async fn agreements_by_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<AgreementStatusCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::AgreementsByStatus,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        Ok(enum_groups(
            rows,
            |status: entity::agreement::AgreementStatus, count| AgreementStatusCount {
                status: status.into(),
                count,
            },
        ))
    }

    /// Agreements signed by the date, per year of signing, most first unless `orderBy` says otherwise.
    async fn agreements_by_year(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<YearCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::AgreementsByYear,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        Ok(year_groups(rows))
    }

    /// Programs running on the date, per kind, most first unless `orderBy` says otherwise.
    async fn programs_by_kind(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<ProgramKindCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::ProgramsByKind,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        Ok(enum_groups(
            rows,
            |kind: entity::program::ProgramKind, count| ProgramKindCount {
                kind: kind.into(),
                count,
            },
        ))
    }

    /// Joint units open on the date, per year of establishment, most first unless `orderBy` says otherwise.
    async fn joint_units_by_year(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
        order_by: Option<Vec<super::aggregate::GroupOrder>>,
    ) -> Result<Vec<YearCount>> {
        let app = super::app(ctx);
        let rows = Work::bounded(stats::groups(
            &app.read_db,
            stats::Grouping::JointUnitsByYear,
            self.as_of,
            &cut(first, order_by).gql()?,
        ))
        .await
        .gql()?;
        Ok(year_groups(rows))
    }
}
