//! The per-request DataLoader: every relation loads in one statement per request
//! level, whatever the number of parents.

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::agreement_party;
use sea_orm::{Condition, DatabaseConnection};
use service::Actor;
use service::query::filter::{self, Filterable};
use service::query::page::{Page, PageArgs, PageLimits, Sort};
use service::query::read::{self, PageRequest};
use service::query::resource::{Key, Link, Resource};

/// Loads rows for one request, as its actor.
pub struct AppLoader {
    pub db: DatabaseConnection,
    pub actor: Actor,
    pub limits: PageLimits,
}

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<service::Error>>;

/// A row of `E` by key.
pub struct ByKey<E>(pub Key, PhantomData<fn() -> E>);

impl<E> ByKey<E> {
    pub fn new(key: impl Into<Key>) -> Self {
        ByKey(key.into(), PhantomData)
    }
}

/// Filter, order and paging of a nested connection (part of the batch key:
/// parents asking the same question are answered by one statement).
pub struct ChildQuery<E: Filterable> {
    pub sort: Sort<E::OrderField>,
    pub args: PageArgs,
    /// Count every parent's children too (the selection asks for `totalCount`).
    pub count: bool,
    pub filter: Option<E::Filter>,
    pub search: Option<String>,
}

impl<E: Filterable> ChildQuery<E> {
    /// The filter and search as a condition on `E`'s table.
    pub(crate) fn condition(&self, loader: &AppLoader) -> Result<Condition, service::Error> {
        filter::compile::<E>(
            loader.db.get_database_backend(),
            &loader.actor,
            self.filter.as_ref(),
            self.search.as_deref(),
        )
    }
}

/// A page of children, with their total when it was asked for.
#[derive(Clone, Debug)]
pub struct ChildPageValue<M> {
    pub page: Page<M>,
    pub total: Option<u64>,
}

/// One page of `E` children of `parent` through `link`.
pub struct ChildPage<E: Filterable> {
    pub link: Link,
    pub parent: Key,
    pub query: Arc<ChildQuery<E>>,
}

/// How many `E` children matching the query `parent` has through `link`.
pub struct ChildCount<E: Filterable> {
    pub link: Link,
    pub parent: Key,
    pub query: Arc<ChildQuery<E>>,
}

impl<E: Filterable> ChildCount<E> {
    pub fn new(link: Link, parent: Key, query: Arc<ChildQuery<E>>) -> Self {
        ChildCount {
            link,
            parent,
            query,
        }
    }
}

/// All `E` children of `parent` through `link` (small bounded lists).
pub struct ChildList<E>(pub Link, pub Key, PhantomData<fn() -> E>);

impl<E> ChildList<E> {
    pub fn new(link: Link, parent: Key) -> Self {
        ChildList(link, parent, PhantomData)
    }
}

/// The parties of an agreement.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PartiesOf(pub i64);

// Keys are compared by their data only; the entity is a type-level tag.
macro_rules! key_impls {
    ($ty:ident < $e:ident $(: $bound:path)? > { $($field:tt),+ }) => {
        impl<$e $(: $bound)?> Clone for $ty<$e> {
            fn clone(&self) -> Self {
                $ty { $($field: self.$field.clone()),+ }
            }
        }
        impl<$e $(: $bound)?> PartialEq for $ty<$e> {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)+
            }
        }
        impl<$e $(: $bound)?> Eq for $ty<$e> {}
        impl<$e $(: $bound)?> ::std::hash::Hash for $ty<$e> {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                $(self.$field.hash(state);)+
            }
        }
    };
}

pub(crate) use key_impls;

key_impls!(ByKey<E> { 0, 1 });
key_impls!(ChildQuery<E: Filterable> { sort, args, count, filter, search });
key_impls!(ChildPage<E: Filterable> { link, parent, query });
key_impls!(ChildCount<E: Filterable> { link, parent, query });
key_impls!(ChildList<E> { 0, 1, 2 });

/// Groups keys that share everything but the parent.
pub(crate) fn group_by<K, G: Hash + Eq>(
    keys: &[K],
    group: impl Fn(&K) -> G,
) -> HashMap<G, Vec<&K>> {
    let mut groups: HashMap<G, Vec<&K>> = HashMap::new();
    for key in keys {
        groups.entry(group(key)).or_default().push(key);
    }
    groups
}

impl<E: Resource> Loader<ByKey<E>> for AppLoader
where
    E::Seen: Sync,
{
    type Value = E::Seen;
    type Error = Arc<service::Error>;

    async fn load(&self, keys: &[ByKey<E>]) -> LoadResult<ByKey<E>, E::Seen> {
        let keys: Vec<Key> = keys.iter().map(|k| k.0.clone()).collect();
        let rows = read::by_keys::<E>(&self.db, &self.actor, &keys).await?;
        Ok(rows.into_iter().map(|(k, m)| (ByKey::new(k), m)).collect())
    }
}

impl<E: Filterable> Loader<ChildPage<E>> for AppLoader
where
    E::Seen: Sync,
{
    type Value = ChildPageValue<E::Seen>;
    type Error = Arc<service::Error>;

    async fn load(
        &self,
        keys: &[ChildPage<E>],
    ) -> LoadResult<ChildPage<E>, ChildPageValue<E::Seen>> {
        let mut out = HashMap::new();
        for ((link, query), group) in group_by(keys, |k| (k.link, Arc::clone(&k.query))) {
            let parents: Vec<Key> = group.iter().map(|k| k.parent.clone()).collect();
            let condition = query.condition(self)?;
            let request = PageRequest {
                filter: condition.clone(),
                sort: &query.sort,
                args: &query.args,
                limits: self.limits,
                search: query.search.as_deref(),
            };
            let pages =
                read::children_pages::<E>(&self.db, &self.actor, link, &parents, request).await?;
            let mut totals = if query.count {
                read::children_counts::<E>(&self.db, &self.actor, link, &parents, condition).await?
            } else {
                HashMap::new()
            };
            for (parent, page) in pages {
                let total = totals.remove(&parent);
                let key = ChildPage {
                    link,
                    parent,
                    query: Arc::clone(&query),
                };
                out.insert(key, ChildPageValue { page, total });
            }
        }
        Ok(out)
    }
}

impl<E: Filterable> Loader<ChildCount<E>> for AppLoader {
    type Value = u64;
    type Error = Arc<service::Error>;

    async fn load(&self, keys: &[ChildCount<E>]) -> LoadResult<ChildCount<E>, u64> {
        let mut out = HashMap::new();
        for ((link, query), group) in group_by(keys, |k| (k.link, Arc::clone(&k.query))) {
            let parents: Vec<Key> = group.iter().map(|k| k.parent.clone()).collect();
            let condition = query.condition(self)?;
            let counts =
                read::children_counts::<E>(&self.db, &self.actor, link, &parents, condition)
                    .await?;
            out.extend(
                counts
                    .into_iter()
                    .map(|(parent, n)| (ChildCount::new(link, parent, Arc::clone(&query)), n)),
            );
        }
        Ok(out)
    }
}

impl<E: Resource> Loader<ChildList<E>> for AppLoader
where
    E::Seen: Sync,
{
    type Value = Vec<E::Seen>;
    type Error = Arc<service::Error>;

    async fn load(&self, keys: &[ChildList<E>]) -> LoadResult<ChildList<E>, Vec<E::Seen>> {
        let mut out = HashMap::new();
        for (link, group) in group_by(keys, |k| k.0) {
            let parents: Vec<Key> = group.iter().map(|k| k.1.clone()).collect();
            let mut lists = read::children_all::<E>(&self.db, &self.actor, link, &parents).await?;
            for parent in parents {
                let list = lists.remove(&parent).unwrap_or_default();
                out.insert(ChildList::new(link, parent), list);
            }
        }
        Ok(out)
    }
}

impl Loader<PartiesOf> for AppLoader {
    type Value = Vec<agreement_party::Model>;
    type Error = Arc<service::Error>;

    async fn load(&self, keys: &[PartiesOf]) -> LoadResult<PartiesOf, Vec<agreement_party::Model>> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut parties = service::agreement::parties(&self.db, &ids).await?;
        Ok(ids
            .into_iter()
            .map(|id| (PartiesOf(id), parties.remove(&id).unwrap_or_default()))
            .collect())
    }
}
