//! `aggregate` and `groups` on every connection: the shared inputs, the
//! translation of a selection into the service's measures, the batched loads
//! for nested connections, and the `aggregate!` macro that declares an
//! entity's aggregate, group and `having` types.

use service::db::Work;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, InputObject, Lookahead};
use sea_orm::Condition;
use service::query::aggregate::{
    self as agg, Aggregates, Datum, Group, GroupQuery, GroupSort, Measure, Op,
};
use service::query::filter::{Filterable, Ops, camel};
use service::query::resource::{Key, Resource};

use super::connection::OrderDirection;
use super::error::GqlResult;
use super::loader::{AppLoader, ChildCount, key_impls};
use super::scalars::Date;
use super::{app, loader};

/// What groups are ordered by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupOrderField {
    /// The number of rows in the group.
    Count,
    /// The group's key values, in the order of `by`.
    Key,
}

/// One `orderBy` entry of `groups`: what and which direction.
#[derive(InputObject, Clone, Copy, Debug)]
pub struct GroupOrder {
    /// What to order by.
    pub field: GroupOrderField,
    /// The direction (ascending unless given).
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl GroupOrder {
    /// The service's order for an optional `orderBy` list (empty: largest first).
    pub fn sort(
        order_by: Option<Vec<GroupOrder>>,
    ) -> Vec<(GroupSort, service::query::page::Direction)> {
        order_by
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                let field = match o.field {
                    GroupOrderField::Count => GroupSort::Count,
                    GroupOrderField::Key => GroupSort::Key,
                };
                (field, o.direction.into())
            })
            .collect()
    }
}

/// Operators on a number (sums and averages in `having`).
#[derive(InputObject, Clone, Debug, Default)]
pub struct FloatFilter {
    /// Equal to.
    pub eq: Option<f64>,
    /// Not equal to.
    pub ne: Option<f64>,
    /// Less than.
    pub lt: Option<f64>,
    /// Less than or equal.
    pub lte: Option<f64>,
    /// Greater than.
    pub gt: Option<f64>,
    /// Greater than or equal.
    pub gte: Option<f64>,
    /// Is (true) or is not (false) null (a sum or mean over no values is null).
    pub is_null: Option<bool>,
}

impl From<FloatFilter> for Ops<agg::Number> {
    fn from(f: FloatFilter) -> Self {
        let n = |x: Option<f64>| x.map(agg::Number);
        Ops {
            eq: n(f.eq),
            ne: n(f.ne),
            lt: n(f.lt),
            lte: n(f.lte),
            gt: n(f.gt),
            gte: n(f.gte),
            is_null: f.is_null,
            ..Ops::default()
        }
    }
}

/// How a `having` operand of a field's type becomes the service's bound.
pub trait HavingBound {
    fn bound(self) -> agg::Bound;
}

impl HavingBound for super::filter::IntFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Int(Ops::<i32>::from(self).map(i64::from))
    }
}

impl HavingBound for super::filter::StringFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Text(self.into())
    }
}

impl HavingBound for super::filter::DateFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Date(self.into())
    }
}

impl HavingBound for FloatFilter {
    fn bound(self) -> agg::Bound {
        agg::Bound::Number(self.into())
    }
}

/// A GraphQL type an aggregate value or a group key is answered as.
pub trait FromDatum: Sized {
    fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>>;
}

/// A type `min`/`max` answer in, with the operand type of `having` on it.
pub trait Extreme: FromDatum {
    type Filter: HavingBound;
}

impl Extreme for i32 {
    type Filter = super::filter::IntFilter;
}

impl Extreme for String {
    type Filter = super::filter::StringFilter;
}

impl Extreme for Date {
    type Filter = super::filter::DateFilter;
}

/// Answers group keys of GraphQL enums that mirror entity enums (stored as text).
macro_rules! enum_datum {
    ($($enum:ty => $remote:ty),+ $(,)?) => {
        $(impl super::compile::KeyShown for $enum {
            fn shown() -> super::compile::Shown {
                super::compile::Shown::Named(super::compile::enum_names::<$enum, $remote>())
            }
        }
        impl FromDatum for $enum {
            fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>> {
                Ok(datum
                    .text()
                    .and_then(|s| <$remote as sea_orm::ActiveEnum>::try_from_value(&s.to_owned()).ok())
                    .map(Into::into))
            }
        })+
    };
}

enum_datum!(
    super::organization::OrganizationKind => entity::organization::OrganizationKind,
    super::event::EventKind => entity::event::EventKind,
    super::agreement::AgreementKind => entity::agreement::AgreementKind,
    super::agreement::AgreementStatus => entity::agreement::AgreementStatus,
    super::program::ProgramKind => entity::program::ProgramKind,
    super::student::DegreeLevel => entity::student::DegreeLevel,
    super::student::StudentStatus => entity::student::StudentStatus,
    super::joint_unit::JointUnitKind => entity::joint_unit::JointUnitKind,
);

impl FromDatum for i32 {
    fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>> {
        datum
            .int()
            .map(|n| {
                i32::try_from(n).map_err(|_| {
                    super::error::to_gql(&service::Error::limit(
                        "aggregate",
                        "INT_RANGE",
                        "the value exceeds the range of Int",
                    ))
                })
            })
            .transpose()
    }
}

impl FromDatum for f64 {
    fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>> {
        Ok(datum.float())
    }
}

impl FromDatum for String {
    fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>> {
        Ok(datum.text().map(str::to_owned))
    }
}

impl FromDatum for Date {
    fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>> {
        Ok(datum.date().map(Date))
    }
}

impl FromDatum for bool {
    fn from_datum(datum: &Datum) -> async_graphql::Result<Option<Self>> {
        Ok(datum.bool())
    }
}

/// A group key answered as a row (a to-one relation): loaded by key through
/// the request's DataLoader, under the row rules (`null` when not visible).
pub async fn key_row<E: Resource, T: From<E::Seen>>(
    ctx: &Context<'_>,
    datum: Option<&Datum>,
) -> async_graphql::Result<Option<T>>
where
    E::Seen: Sync,
{
    let key = match datum {
        Some(Datum::Int(id)) => Key::Id(*id),
        Some(Datum::Text(code)) => Key::Code(code.clone()),
        _ => return Ok(None),
    };
    super::one::<E, T>(ctx, key).await
}

/// A group key answered as a value.
pub fn key_value<T: FromDatum>(datum: Option<&Datum>) -> async_graphql::Result<Option<T>> {
    match datum {
        Some(datum) => T::from_datum(datum),
        None => Ok(None),
    }
}

/// Whether the selection under `aggregate` asks for `op` of `column`.
pub fn asks(selection: &Lookahead<'_>, op: Op, column: &str) -> bool {
    selection.field(op.name()).field(&camel(column)).exists()
}

/// The rows a connection stands for: a root connection's filter, or a nested
/// connection's parent and question (aggregates over it batch with siblings).
pub enum Source<E: Filterable> {
    Root(Condition),
    Child(Box<ChildCount<E>>),
}

/// The aggregates of a connection's rows.
pub async fn aggregates<E: Filterable>(
    ctx: &Context<'_>,
    source: &Source<E>,
    measures: Vec<Measure>,
) -> async_graphql::Result<Arc<Aggregates>>
where
    E::Seen: Sync,
{
    let app = app(ctx);
    let actor = super::actor(ctx);
    match source {
        Source::Root(filter) => Ok(Arc::new(
            Box::pin(Work::bounded(agg::aggregate::<E>(
                &app.read_db,
                actor,
                filter.clone(),
                &measures,
            )))
            .await
            .gql()?,
        )),
        Source::Child(rows) => {
            let key = ChildAggregate {
                rows: rows.as_ref().clone(),
                measures: Arc::new(measures),
            };
            let loaded = Box::pin(loader(ctx).load_one(key)).await.gql()?;
            loaded.ok_or_else(|| "aggregates went missing".into())
        }
    }
}

/// The groups of a connection's rows.
pub async fn groups<E: Filterable>(
    ctx: &Context<'_>,
    source: &Source<E>,
    request: GroupQuery,
) -> async_graphql::Result<Vec<Group>>
where
    E::Seen: Sync,
{
    let app = app(ctx);
    let actor = super::actor(ctx);
    match source {
        Source::Root(filter) => Box::pin(Work::bounded(agg::groups::<E>(
            &app.read_db,
            actor,
            filter.clone(),
            &request,
            app.limits,
        )))
        .await
        .gql(),
        Source::Child(rows) => {
            let key = ChildGroups {
                rows: rows.as_ref().clone(),
                request: Arc::new(request),
            };
            Ok(Box::pin(loader(ctx).load_one(key))
                .await
                .gql()?
                .unwrap_or_default())
        }
    }
}

/// The aggregates of the children of one parent (batched over parents).
pub struct ChildAggregate<E: Filterable> {
    rows: ChildCount<E>,
    measures: Arc<Vec<Measure>>,
}

/// The groups of the children of one parent (batched over parents).
pub struct ChildGroups<E: Filterable> {
    rows: ChildCount<E>,
    request: Arc<GroupQuery>,
}

key_impls!(ChildAggregate<E: Filterable> { rows, measures });
key_impls!(ChildGroups<E: Filterable> { rows, request });

type LoadResult<K, V> = Result<std::collections::HashMap<K, V>, Arc<service::Error>>;

impl<E: Filterable> Loader<ChildAggregate<E>> for AppLoader {
    type Value = Arc<Aggregates>;
    type Error = Arc<service::Error>;

    async fn load(
        &self,
        keys: &[ChildAggregate<E>],
    ) -> LoadResult<ChildAggregate<E>, Arc<Aggregates>> {
        let mut out = std::collections::HashMap::new();
        for ((link, query, measures), group) in super::loader::group_by(keys, |k| {
            (
                k.rows.link,
                Arc::clone(&k.rows.query),
                Arc::clone(&k.measures),
            )
        }) {
            let parents: Vec<Key> = group.iter().map(|k| k.rows.parent.clone()).collect();
            let condition = query.condition(self)?;
            let found = agg::children_aggregates::<E>(
                &self.db,
                &self.actor,
                link,
                &parents,
                condition,
                &measures,
            )
            .await?;
            for (parent, aggregates) in found {
                let key = ChildAggregate {
                    rows: ChildCount::new(link, parent, Arc::clone(&query)),
                    measures: Arc::clone(&measures),
                };
                out.insert(key, Arc::new(aggregates));
            }
        }
        Ok(out)
    }
}

impl<E: Filterable> Loader<ChildGroups<E>> for AppLoader {
    type Value = Vec<Group>;
    type Error = Arc<service::Error>;

    async fn load(&self, keys: &[ChildGroups<E>]) -> LoadResult<ChildGroups<E>, Vec<Group>> {
        let mut out = std::collections::HashMap::new();
        for ((link, query, request), group) in super::loader::group_by(keys, |k| {
            (
                k.rows.link,
                Arc::clone(&k.rows.query),
                Arc::clone(&k.request),
            )
        }) {
            let parents: Vec<Key> = group.iter().map(|k| k.rows.parent.clone()).collect();
            let condition = query.condition(self)?;
            let found = agg::children_groups::<E>(
                &self.db,
                &self.actor,
                link,
                &parents,
                condition,
                &request,
                self.limits,
            )
            .await?;
            for (parent, groups) in found {
                let key = ChildGroups {
                    rows: ChildCount::new(link, parent, Arc::clone(&query)),
                    request: Arc::clone(&request),
                };
                out.insert(key, groups);
            }
        }
        Ok(out)
    }
}

/// Declares an entity's aggregate types (`aggregate { count distinctCount {…}
/// min {…} max {…} sum {…} avg {…} }`), its group types (`groups(by:) { key
/// {…} count aggregate {…} }`) and its `having` input. Sections: `values`
/// (columns with `min`/`max`, typed), `counts` (columns with
/// `distinctCount`), optionally `numbers` (columns with `sum`/`avg`), and
/// `keys` (the `GroupBy` values: a column and a part, answered as a value
/// type or as a related row).
macro_rules! aggregate {
    (
        entity = $entity:path, what = $what:literal,
        $agg:ident, $values:ident, $counts:ident,
        $group:ident, $key:ident, $by:ident,
        $having:ident, $values_having:ident, $counts_having:ident,
        $(numbers $numbers:ident, $numbers_having:ident { $($num:ident),+ $(,)? },)?
        values { $($val:ident : $vty:ty),+ $(,)? }
        counts { $($cnt:ident),+ $(,)? }
        keys {
            $($variant:ident => $kfield:ident ($kcol:ident, $part:ident) $kind:ident $kty:ty $(= $kentity:path)?),+ $(,)?
        }
    ) => {
        #[doc = concat!("Aggregates over ", $what, ": over every row the filter and your role admit, not just one page.")]
        pub struct $agg(std::sync::Arc<service::query::aggregate::Aggregates>);

        impl $agg {
            /// The measures the selection under `aggregate` asks for.
            pub fn measures(selection: &async_graphql::Lookahead<'_>) -> Vec<service::query::aggregate::Measure> {
                use service::query::aggregate::{Measure, Op};
                use $crate::schema::aggregate::asks;
                let mut measures = Vec::new();
                for op in [Op::Min, Op::Max] {
                    $(if asks(selection, op, stringify!($val)) {
                        measures.push(Measure { op, column: stringify!($val) });
                    })+
                }
                $(if asks(selection, Op::DistinctCount, stringify!($cnt)) {
                    measures.push(Measure { op: Op::DistinctCount, column: stringify!($cnt) });
                })+
                $(for op in [Op::Sum, Op::Avg] {
                    $(if asks(selection, op, stringify!($num)) {
                        measures.push(Measure { op, column: stringify!($num) });
                    })+
                })?
                measures
            }

            /// The aggregates of a connection's rows, as the selection asks.
            pub async fn load(
                ctx: &async_graphql::Context<'_>,
                source: &$crate::schema::aggregate::Source<$entity>,
            ) -> async_graphql::Result<Self> {
                let measures = Self::measures(&ctx.look_ahead());
                Ok($agg($crate::schema::aggregate::aggregates::<$entity>(ctx, source, measures).await?))
            }
        }

        impl $crate::schema::compile::AggregateTypes for $agg {
            type By = $by;
            type Having = $having;
            const NAMES: $crate::schema::compile::AggregateNames = $crate::schema::compile::AggregateNames {
                aggregate: stringify!($agg),
                values: stringify!($values),
                counts: stringify!($counts),
                group: stringify!($group),
                key: stringify!($key),
                numbers: $crate::schema::aggregate::aggregate!(@numbers $($numbers)?),
            };
            const VALUES: &'static [&'static str] = &[$(stringify!($val)),+];
            const COUNTS: &'static [&'static str] = &[$(stringify!($cnt)),+];
            const NUMBERS: &'static [&'static str] = &[$($(stringify!($num)),+)?];
            fn by_key(by: $by) -> service::query::aggregate::GroupKey {
                by.key()
            }
            fn having(having: $having) -> service::query::aggregate::Having {
                having.into_service()
            }
            fn key_fields() -> Vec<$crate::schema::compile::KeyDescription> {
                vec![$($crate::schema::compile::KeyDescription {
                    field: stringify!($kfield),
                    key: $by::$variant.key(),
                    shown: $crate::schema::aggregate::aggregate!(@shown $kind $kty $(, $kentity)?),
                }),+]
            }
        }

        #[doc = concat!("Aggregates over ", $what, ": over every row the filter and your role admit, not just one page.")]
        #[async_graphql::Object]
        impl $agg {
            /// How many rows.
            async fn count(&self) -> u64 {
                self.0.count
            }
            /// How many distinct non-null values each field has.
            async fn distinct_count(&self) -> $counts {
                $counts(std::sync::Arc::clone(&self.0))
            }
            /// The smallest value of each field (null over no values).
            async fn min(&self) -> $values {
                $values(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Min)
            }
            /// The largest value of each field (null over no values).
            async fn max(&self) -> $values {
                $values(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Max)
            }
            $(
            /// The sum of each numeric field (null over no values).
            async fn sum(&self) -> $numbers {
                $numbers(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Sum)
            }
            /// The mean of each numeric field (null over no values).
            async fn avg(&self) -> $numbers {
                $numbers(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Avg)
            }
            )?
        }

        #[doc = concat!("The smallest or largest value of each field of ", $what, ".")]
        pub struct $values(
            std::sync::Arc<service::query::aggregate::Aggregates>,
            service::query::aggregate::Op,
        );

        #[doc = concat!("The smallest or largest value of each field of ", $what, ".")]
        #[async_graphql::Object]
        impl $values {
            $(
            #[doc = concat!("`", stringify!($val), "`, if your role may read it on every row.")]
            async fn $val(&self) -> async_graphql::Result<Option<$vty>> {
                use $crate::schema::error::GqlResult as _;
                let datum = self.0.get(self.1, stringify!($val)).gql()?;
                <$vty as $crate::schema::aggregate::FromDatum>::from_datum(datum)
            }
            )+
        }

        #[doc = concat!("How many distinct non-null values each field of ", $what, " has.")]
        pub struct $counts(std::sync::Arc<service::query::aggregate::Aggregates>);

        #[doc = concat!("How many distinct non-null values each field of ", $what, " has.")]
        #[async_graphql::Object]
        impl $counts {
            $(
            #[doc = concat!("Distinct values of `", stringify!($cnt), "`, if your role may read it on every row.")]
            async fn $cnt(&self) -> async_graphql::Result<Option<u64>> {
                use $crate::schema::error::GqlResult as _;
                let datum = self
                    .0
                    .get(service::query::aggregate::Op::DistinctCount, stringify!($cnt))
                    .gql()?;
                Ok(Some(datum.int().and_then(|n| u64::try_from(n).ok()).unwrap_or(0)))
            }
            )+
        }

        $(
        #[doc = concat!("The sum or mean of each numeric field of ", $what, ".")]
        pub struct $numbers(
            std::sync::Arc<service::query::aggregate::Aggregates>,
            service::query::aggregate::Op,
        );

        #[doc = concat!("The sum or mean of each numeric field of ", $what, ".")]
        #[async_graphql::Object]
        impl $numbers {
            $(
            #[doc = concat!("Of `", stringify!($num), "`.")]
            async fn $num(&self) -> async_graphql::Result<Option<f64>> {
                use $crate::schema::error::GqlResult as _;
                Ok(self.0.get(self.1, stringify!($num)).gql()?.float())
            }
            )+
        }

        #[doc = concat!("Conditions on the sums or means of a group of ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $numbers_having {
            $(
            #[doc = concat!("On `", stringify!($num), "`.")]
            pub $num: Option<$crate::schema::aggregate::FloatFilter>,
            )+
        }

        impl $numbers_having {
            fn bounds(self, op: service::query::aggregate::Op, out: &mut Vec<(service::query::aggregate::Measure, service::query::aggregate::Bound)>) {
                use $crate::schema::aggregate::HavingBound as _;
                $(if let Some(f) = self.$num {
                    out.push((service::query::aggregate::Measure { op, column: stringify!($num) }, f.bound()));
                })+
            }
        }
        )?

        #[doc = concat!("Conditions on the smallest or largest values of a group of ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $values_having {
            $(
            #[doc = concat!("On `", stringify!($val), "`.")]
            pub $val: Option<<$vty as $crate::schema::aggregate::Extreme>::Filter>,
            )+
        }

        impl $values_having {
            fn bounds(self, op: service::query::aggregate::Op, out: &mut Vec<(service::query::aggregate::Measure, service::query::aggregate::Bound)>) {
                use $crate::schema::aggregate::HavingBound as _;
                $(if let Some(f) = self.$val {
                    out.push((service::query::aggregate::Measure { op, column: stringify!($val) }, f.bound()));
                })+
            }
        }

        #[doc = concat!("Conditions on the distinct counts of a group of ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $counts_having {
            $(
            #[doc = concat!("On the distinct values of `", stringify!($cnt), "`.")]
            pub $cnt: Option<$crate::schema::filter::IntFilter>,
            )+
        }

        impl $counts_having {
            fn bounds(self, out: &mut Vec<(service::query::aggregate::Measure, service::query::aggregate::Bound)>) {
                use $crate::schema::aggregate::HavingBound as _;
                $(if let Some(f) = self.$cnt {
                    out.push((service::query::aggregate::Measure {
                        op: service::query::aggregate::Op::DistinctCount,
                        column: stringify!($cnt),
                    }, f.bound()));
                })+
            }
        }

        #[doc = concat!("Which groups of ", $what, " to keep: conditions on their aggregates, combined like filters.")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $having {
            /// All of these hold.
            #[graphql(default)]
            pub and: Vec<$having>,
            /// At least one of these holds.
            #[graphql(default)]
            pub or: Vec<$having>,
            /// This does not hold.
            pub not: Option<Box<$having>>,
            /// On the number of rows in the group.
            pub count: Option<$crate::schema::filter::IntFilter>,
            /// On distinct counts.
            pub distinct_count: Option<$counts_having>,
            /// On smallest values.
            pub min: Option<$values_having>,
            /// On largest values.
            pub max: Option<$values_having>,
            $(
            /// On sums.
            pub sum: Option<$numbers_having>,
            /// On means.
            pub avg: Option<$numbers_having>,
            )?
        }

        impl $having {
            /// The service's `having`.
            pub fn into_service(self) -> service::query::aggregate::Having {
                use service::query::aggregate::Op;
                let mut measures = Vec::new();
                if let Some(h) = self.distinct_count {
                    h.bounds(&mut measures);
                }
                if let Some(h) = self.min {
                    h.bounds(Op::Min, &mut measures);
                }
                if let Some(h) = self.max {
                    h.bounds(Op::Max, &mut measures);
                }
                $(
                let _: Option<$numbers_having> = None;
                if let Some(h) = self.sum {
                    h.bounds(Op::Sum, &mut measures);
                }
                if let Some(h) = self.avg {
                    h.bounds(Op::Avg, &mut measures);
                }
                )?
                service::query::aggregate::Having {
                    and: self.and.into_iter().map(Self::into_service).collect(),
                    or: self.or.into_iter().map(Self::into_service).collect(),
                    not: self.not.map(|h| Box::new(h.into_service())),
                    count: self.count.map(|c| service::query::filter::Ops::<i32>::from(c).map(i64::from)),
                    measures,
                }
            }
        }

        #[doc = concat!("What groups of ", $what, " are keyed by.")]
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $by {
            $(
            #[doc = concat!("`", stringify!($kcol), "` (", stringify!($part), ").")]
            $variant,
            )+
        }

        impl $by {
            /// The service's group key.
            pub fn key(self) -> service::query::aggregate::GroupKey {
                match self {
                    $($by::$variant => service::query::aggregate::GroupKey {
                        column: stringify!($kcol),
                        part: service::query::aggregate::Part::$part,
                    },)+
                }
            }
        }

        #[doc = concat!("One group of ", $what, ": its key, its size and its aggregates.")]
        pub struct $group {
            key: Vec<($by, service::query::aggregate::Datum)>,
            aggregates: std::sync::Arc<service::query::aggregate::Aggregates>,
        }

        impl $group {
            /// The groups of a connection's rows, as asked.
            pub async fn load(
                ctx: &async_graphql::Context<'_>,
                source: &$crate::schema::aggregate::Source<$entity>,
                by: Vec<$by>,
                first: Option<i32>,
                order_by: Option<Vec<$crate::schema::aggregate::GroupOrder>>,
                having: Option<$having>,
            ) -> async_graphql::Result<Vec<Self>> {
                let request = service::query::aggregate::GroupQuery {
                    by: by.iter().map(|b| b.key()).collect(),
                    measures: $agg::measures(&ctx.look_ahead().field("aggregate")),
                    order: $crate::schema::aggregate::GroupOrder::sort(order_by),
                    having: having.map($having::into_service),
                    first,
                };
                let groups = $crate::schema::aggregate::groups::<$entity>(ctx, source, request).await?;
                Ok(groups
                    .into_iter()
                    .map(|g| $group {
                        key: by.iter().copied().zip(g.key).collect(),
                        aggregates: std::sync::Arc::new(g.aggregates),
                    })
                    .collect())
            }
        }

        #[doc = concat!("One group of ", $what, ": its key, its size and its aggregates.")]
        #[async_graphql::Object]
        impl $group {
            /// The values this group shares (the keys not grouped by are null).
            async fn key(&self) -> $key {
                $key(self.key.clone())
            }
            /// How many rows are in the group.
            async fn count(&self) -> u64 {
                self.aggregates.count
            }
            /// Aggregates over the group's rows.
            async fn aggregate(&self) -> $agg {
                $agg(std::sync::Arc::clone(&self.aggregates))
            }
        }

        #[doc = concat!("The key of a group of ", $what, ": the values of `by`, the rest null.")]
        pub struct $key(Vec<($by, service::query::aggregate::Datum)>);

        impl $key {
            fn datum(&self, by: $by) -> Option<&service::query::aggregate::Datum> {
                self.0.iter().find(|(b, _)| *b == by).map(|(_, d)| d)
            }
        }

        #[doc = concat!("The key of a group of ", $what, ": the values of `by`, the rest null.")]
        #[async_graphql::Object]
        impl $key {
            $(
            #[doc = concat!("When grouped by `", stringify!($variant), "`.")]
            async fn $kfield(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<Option<$kty>> {
                let _ = ctx;
                $crate::schema::aggregate::aggregate!(@key $kind self.datum($by::$variant), ctx, $kty $(, $kentity)?)
            }
            )+
        }
    };
    (@key value $datum:expr, $ctx:ident, $kty:ty) => {
        $crate::schema::aggregate::key_value::<$kty>($datum)
    };
    (@key row $datum:expr, $ctx:ident, $kty:ty, $kentity:path) => {
        $crate::schema::aggregate::key_row::<$kentity, $kty>($ctx, $datum).await
    };
    (@numbers $numbers:ident) => {
        Some(stringify!($numbers))
    };
    (@numbers) => {
        None
    };
    (@shown value $kty:ty) => {
        <$kty as $crate::schema::compile::KeyShown>::shown()
    };
    (@shown row $kty:ty, $kentity:path) => {
        $crate::schema::compile::Shown::Row(sea_orm::EntityName::table_name(&<$kentity>::default()))
    };
}

pub(crate) use aggregate;
