//! Relay connection types, one per node type, and the shared paging plumbing.

use service::db::Work;
use std::sync::Arc;

use async_graphql::{Context, Enum, SimpleObject};
use sea_orm::Condition;
use service::query::filter::{self, Filterable};
use service::query::page::{Direction, Page, PageArgs, Sort};
use service::query::read::{self, PageRequest};
use service::query::resource::{Key, Link};

use super::aggregate::Source;
use super::error::GqlResult;
use super::filter::IntoService;
use super::loader::{ChildCount, ChildPage, ChildPageValue, ChildQuery};
use super::{app, loader};

/// Where a page sits in its connection.
#[derive(SimpleObject, Clone, Debug)]
pub struct PageInfo {
    /// True when rows follow this page.
    pub has_next_page: bool,
    /// True when rows precede this page.
    pub has_previous_page: bool,
    /// The cursor of the first row of this page.
    pub start_cursor: Option<String>,
    /// The cursor of the last row of this page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    pub fn of<M>(page: &Page<M>) -> Self {
        PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.start_cursor().map(str::to_owned),
            end_cursor: page.end_cursor().map(str::to_owned),
        }
    }
}

/// Sort direction of an `orderBy` entry.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first; nulls last.
    #[default]
    Asc,
    /// Largest first; nulls first.
    Desc,
}

impl From<OrderDirection> for Direction {
    fn from(d: OrderDirection) -> Self {
        match d {
            OrderDirection::Asc => Direction::Asc,
            OrderDirection::Desc => Direction::Desc,
        }
    }
}

/// The arguments of a connection field over `E`, as given.
pub struct ConnArgs<E: Filterable> {
    pub args: PageArgs,
    pub sort: Sort<E::OrderField>,
    pub filter: Option<E::Filter>,
    pub search: Option<String>,
}

impl<E: Filterable> ConnArgs<E> {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        sort: Sort<E::OrderField>,
    ) -> Self {
        ConnArgs {
            args: PageArgs {
                first,
                after,
                last,
                before,
            },
            sort,
            filter: None,
            search: None,
        }
    }

    /// Adds the `filter:` argument.
    pub fn with_filter<I: IntoService<Service = E::Filter>>(
        mut self,
        filter: Option<I>,
    ) -> async_graphql::Result<Self> {
        self.filter = filter.map(|f| f.into_service("filter")).transpose().gql()?;
        Ok(self)
    }

    /// Adds the `search:` argument.
    pub fn with_search(mut self, search: Option<String>) -> Self {
        self.search = search;
        self
    }
}

/// How a connection's `totalCount` is computed, when it is asked for.
pub enum Total<E: Filterable> {
    /// A root connection: count the rows matching the filter.
    Root(Condition),
    /// A nested connection whose count was loaded with its page.
    Known(u64),
    /// A nested connection: count the parent's children (batched over parents).
    Child(Box<ChildCount<E>>),
}

impl<E: Filterable> Total<E> {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64>
    where
        E::Seen: Sync,
    {
        match self {
            Total::Known(n) => Ok(*n),
            Total::Root(filter) => {
                let app = app(ctx);
                Box::pin(Work::bounded(read::count::<E>(
                    &app.read_db,
                    super::actor(ctx),
                    filter.clone(),
                )))
                .await
                .gql()
            }
            Total::Child(key) => Ok(Box::pin(loader(ctx).load_one(key.as_ref().clone()))
                .await
                .gql()?
                .unwrap_or(0)),
        }
    }
}

/// Whether the selection reads the page itself (`nodes`, `edges`,
/// `pageInfo`): a connection asked only for `totalCount`, `aggregate` or
/// `groups` reads no rows.
fn asks_rows(ctx: &Context<'_>) -> bool {
    let selection = ctx.look_ahead();
    ["nodes", "edges", "pageInfo"]
        .iter()
        .any(|f| selection.field(f).exists())
}

/// For a connection that reads no rows: its page arguments are still
/// checked, as a read would.
fn check_only<E: Filterable>(
    ctx: &Context<'_>,
    request: &PageRequest<'_, E::OrderField>,
) -> async_graphql::Result<Page<E::Seen>> {
    let backend = app(ctx).read_db.get_database_backend();
    read::check_page::<E>(backend, super::actor(ctx), request).gql()?;
    Ok(Page::default())
}

/// One page of a root connection over the rows matching `base` (and the
/// arguments' filter and search).
pub async fn root_page<E: Filterable>(
    ctx: &Context<'_>,
    base: Condition,
    conn: ConnArgs<E>,
) -> async_graphql::Result<(Page<E::Seen>, Total<E>, Source<E>)> {
    let app = app(ctx);
    let compiled = filter::compile::<E>(
        app.read_db.get_database_backend(),
        super::actor(ctx),
        conn.filter.as_ref(),
        conn.search.as_deref(),
    )
    .gql()?;
    let filter = base.add(compiled);
    let request = PageRequest {
        filter: filter.clone(),
        sort: &conn.sort,
        args: &conn.args,
        limits: app.limits,
        search: conn.search.as_deref(),
    };
    let page = if asks_rows(ctx) {
        Work::bounded(read::page::<E>(&app.read_db, super::actor(ctx), request))
            .await
            .gql()?
    } else {
        check_only::<E>(ctx, &request)?
    };
    Ok((page, Total::Root(filter.clone()), Source::Root(filter)))
}

/// One page of a nested connection, batched with its siblings.
pub async fn child_page<E: Filterable>(
    ctx: &Context<'_>,
    link: Link,
    parent: Key,
    conn: ConnArgs<E>,
) -> async_graphql::Result<(Page<E::Seen>, Total<E>, Source<E>)>
where
    E::Seen: Sync,
{
    // Count in the same batch when the selection asks for it.
    let count = ctx.look_ahead().field("totalCount").exists();
    let query = Arc::new(ChildQuery::<E> {
        sort: conn.sort,
        args: conn.args,
        count,
        filter: conn.filter,
        search: conn.search,
    });
    if !asks_rows(ctx) {
        let request = PageRequest {
            filter: Condition::all(),
            sort: &query.sort,
            args: &query.args,
            limits: app(ctx).limits,
            search: query.search.as_deref(),
        };
        let page = check_only::<E>(ctx, &request)?;
        let rows = Box::new(ChildCount::new(link, parent, query));
        return Ok((page, Total::Child(rows.clone()), Source::Child(rows)));
    }
    let loaded = loader(ctx)
        .load_one(ChildPage::<E> {
            link,
            parent: parent.clone(),
            query: Arc::clone(&query),
        })
        .await
        .gql()?;
    let rows = Box::new(ChildCount::new(link, parent, query));
    let (page, total) = match loaded {
        Some(ChildPageValue {
            page,
            total: Some(total),
        }) => (page, Total::Known(total)),
        Some(ChildPageValue { page, total: None }) => (page, Total::Child(rows.clone())),
        None => (Page::default(), Total::Child(rows.clone())),
    };
    Ok((page, total, Source::Child(rows)))
}

/// Declares `<Node>Connection` and `<Node>Edge` for a node type backed by
/// `$entity`, with `aggregate` and `groups` over its rows (the types that
/// `aggregate!` declared for the entity).
macro_rules! connection {
    ($entity:path, $node:ty, $conn:ident, $edge:ident, $what:literal,
     aggregate = ($agg:ident, $group:ident, $by:ident, $having:ident)) => {
        #[doc = concat!("A page of ", $what, ", with cursors and paging information.")]
        pub struct $conn {
            page: service::query::page::Page<<$entity as service::query::resource::Resource>::Seen>,
            total: $crate::schema::connection::Total<$entity>,
            source: $crate::schema::aggregate::Source<$entity>,
        }

        impl $conn {
            /// One page of a root connection.
            pub async fn root(
                ctx: &async_graphql::Context<'_>,
                base: sea_orm::Condition,
                args: $crate::schema::connection::ConnArgs<$entity>,
            ) -> async_graphql::Result<Self> {
                let (page, total, source) = Box::pin($crate::schema::connection::root_page::<
                    $entity,
                >(ctx, base, args))
                .await?;
                Ok($conn {
                    page,
                    total,
                    source,
                })
            }

            /// One page of a nested connection.
            pub async fn child(
                ctx: &async_graphql::Context<'_>,
                link: service::query::resource::Link,
                parent: impl Into<service::query::resource::Key>,
                args: $crate::schema::connection::ConnArgs<$entity>,
            ) -> async_graphql::Result<Self> {
                let (page, total, source) = Box::pin($crate::schema::connection::child_page::<
                    $entity,
                >(ctx, link, parent.into(), args))
                .await?;
                Ok($conn {
                    page,
                    total,
                    source,
                })
            }
        }

        #[doc = concat!("A page of ", $what, ", with cursors and paging information.")]
        #[async_graphql::Object]
        impl $conn {
            /// The rows of this page, each with its cursor.
            async fn edges(&self) -> Vec<$edge> {
                self.page
                    .edges
                    .iter()
                    .map(|e| $edge {
                        cursor: e.cursor.clone(),
                        node: <$node>::from(e.node.clone()),
                    })
                    .collect()
            }

            /// The rows of this page.
            async fn nodes(&self) -> Vec<$node> {
                self.page
                    .edges
                    .iter()
                    .map(|e| <$node>::from(e.node.clone()))
                    .collect()
            }

            /// Where this page sits in the connection.
            async fn page_info(&self) -> $crate::schema::connection::PageInfo {
                $crate::schema::connection::PageInfo::of(&self.page)
            }

            /// How many rows the connection has over all pages (counted only when asked).
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<u64> {
                self.total.count(ctx).await
            }

            /// Aggregates over every row of the connection (all pages) that
            /// your role may see; fields your role may not read are refused.
            async fn aggregate(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<$agg> {
                Box::pin($agg::load(ctx, &self.source)).await
            }

            /// The connection's rows (all pages) in groups: by the keys in
            /// `by`, largest group first unless `orderBy` says otherwise, at
            /// most `first` (default and cap: the page size), those `having`
            /// keeps.
            async fn groups(
                &self,
                ctx: &async_graphql::Context<'_>,
                by: Vec<$by>,
                first: Option<i32>,
                order_by: Option<Vec<$crate::schema::aggregate::GroupOrder>>,
                having: Option<$having>,
            ) -> async_graphql::Result<Vec<$group>> {
                Box::pin($group::load(ctx, &self.source, by, first, order_by, having)).await
            }
        }

        #[doc = concat!("One of ", $what, " in a page, with its cursor.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Pass as `after`/`before` to page from this row.
            cursor: String,
            /// The row.
            node: $node,
        }
    };
}

/// Declares the `orderBy` input `<Node>Order` and its field enum, mirroring the
/// service's order-field enum (imported by the caller under the alias `$remote`).
macro_rules! order_input {
    ($order:ident, $field:ident, $remote:ident { $($variant:ident),+ $(,)? }) => {
        #[doc = "The fields a connection of this type can be ordered by."]
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $field {
            $($variant),+
        }

        impl From<$field> for $remote {
            fn from(field: $field) -> Self {
                match field {
                    $($field::$variant => $remote::$variant),+
                }
            }
        }

        #[doc = "One `orderBy` entry: a field and a direction."]
        #[derive(async_graphql::InputObject, Clone, Copy, Debug)]
        pub struct $order {
            /// The field to order by.
            pub field: $field,
            /// The direction (ascending unless given).
            #[graphql(default)]
            pub direction: $crate::schema::connection::OrderDirection,
        }

        impl $order {
            /// The service's sort for an optional `orderBy` list.
            pub fn sort(order_by: Option<Vec<$order>>) -> service::query::page::Sort<$remote> {
                service::query::page::Sort(
                    order_by
                        .unwrap_or_default()
                        .into_iter()
                        .map(|o| (o.field.into(), o.direction.into()))
                        .collect(),
                )
            }
        }
    };
}

pub(crate) use {connection, order_input};
