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

mod declare;
pub(crate) use declare::aggregate;

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
