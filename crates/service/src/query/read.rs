//! The generic reads built on [`Resource`]: a root connection, a count, rows
//! by key, and one page of children for many parents at once (one statement
//! per relation, paged in SQL with `ROW_NUMBER()`). Every read applies the
//! row rules in SQL and hands out rows decided by the field rules.

use std::collections::HashMap;
use std::fmt::Debug;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, FromQueryResult, QueryFilter, QueryTrait,
    Value,
    sea_query::{
        Alias, Asterisk, ColumnRef, Expr, ExprTrait, Func, IntoColumnRef, Query, WindowStatement,
    },
};

use super::resource::{Key, Link, Resource};
use crate::actor::Actor;
use crate::query::page::{Edge, Page, PageArgs, PageLimits, Plan, Sort};
use crate::{Error, Result};

/// A fetched row with its derived order-key values (for its cursor).
type Keyed<M> = (M, Vec<Value>);

/// The column alias carrying a child's parent key in batched statements.
const PARENT: &str = "__parent";
/// The column alias carrying a child's position under its parent.
const POSITION: &str = "__position";

impl Link {
    pub(crate) fn parent_column<E: Resource>(&self) -> ColumnRef {
        match *self {
            Link::Column(col) => (E::default(), Alias::new(col)).into_column_ref(),
            Link::Via {
                table, parent_fk, ..
            } => (Alias::new(table), Alias::new(parent_fk)).into_column_ref(),
        }
    }

    pub(crate) fn parent_expr<E: Resource>(&self) -> Expr {
        Expr::col(self.parent_column::<E>())
    }

    /// Adds the join to the link table (if any) to a select of `E`.
    pub(crate) fn join<E: Resource>(&self, query: &mut sea_orm::sea_query::SelectStatement) {
        if let Link::Via {
            table, child_fk, ..
        } = *self
        {
            query.inner_join(
                Alias::new(table),
                Expr::col((Alias::new(table), Alias::new(child_fk)))
                    .equals((E::default(), E::key_column())),
            );
        }
    }

    /// Adds the join (if any) and the parent restriction to a select of `E`.
    pub(crate) fn apply<E: Resource>(
        &self,
        query: &mut sea_orm::sea_query::SelectStatement,
        parents: &[Key],
    ) {
        self.join::<E>(query);
        query.and_where(
            self.parent_expr::<E>()
                .is_in(parents.iter().map(Key::to_value)),
        );
    }
}

/// What a page of a connection asks for.
#[derive(Clone, Debug)]
pub struct PageRequest<'a, F> {
    /// Rows to consider (on top of what the actor may see).
    pub filter: Condition,
    pub sort: &'a Sort<F>,
    pub args: &'a PageArgs,
    pub limits: PageLimits,
    /// The `search:` term, which orders by relevance when `sort` is empty.
    pub search: Option<&'a str>,
}

/// One page of `E` among the rows matching the filter that `actor` may see.
pub async fn page<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    request: PageRequest<'_, E::OrderField>,
) -> Result<Page<E::Seen>> {
    let PageRequest {
        filter,
        sort,
        args,
        limits,
        search,
    } = request;
    let plan = Plan::<E>::new(sort, args, limits, actor, db.get_database_backend(), search)?;
    // `first: 0` still reads one row: `hasNextPage` says whether there is one.
    let rows = fetch_page::<E>(db, actor, &plan, filter).await?;
    let mut pages = seen_pages::<E, ()>(db, actor, vec![((), plan.finish(rows))]).await?;
    Ok(pages.pop().map_or_else(Page::default, |(_, page)| page))
}

/// Checks a page request as [`page`] would (sizes, cursors) without reading
/// rows: for a connection whose selection reads no rows.
pub fn check_page<E: Resource>(
    backend: sea_orm::DbBackend,
    actor: &Actor,
    request: &PageRequest<'_, E::OrderField>,
) -> Result<()> {
    Plan::<E>::new(
        request.sort,
        request.args,
        request.limits,
        actor,
        backend,
        request.search,
    )
    .map(|_| ())
}

/// The rows of one page (one more than asked for, to learn if there are more),
/// each with its derived key values.
async fn fetch_page<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    plan: &Plan<E>,
    filter: Condition,
) -> Result<Vec<Keyed<E::Model>>> {
    let query = |keyset: Condition, limit: u64| {
        let mut select = E::find()
            .filter(E::visible(actor))
            .filter(filter.clone())
            .filter(keyset)
            .into_query();
        for (expr, alias) in plan.derived() {
            select.expr_as(expr, Alias::new(alias));
        }
        for (expr, order, nulls) in plan.sql_order() {
            select.order_by_expr_with_nulls(expr, order, nulls);
        }
        select.limit(limit);
        select
    };
    let read = |rows: Vec<sea_orm::QueryResult>| -> Result<Vec<Keyed<E::Model>>> {
        rows.iter()
            .map(|row| {
                Ok((
                    E::Model::from_query_result(row, "")?,
                    plan.derived_values(row)?,
                ))
            })
            .collect()
    };
    let wanted = plan.limit + 1;
    let rows = match plan.segments() {
        None => read(db.query_all(&query(plan.condition(), wanted)).await?)?,
        Some([first, second]) => {
            let mut rows = read(db.query_all(&query(first, wanted)).await?)?;
            let missing = wanted.saturating_sub(rows.len() as u64);
            if missing > 0 {
                rows.extend(read(db.query_all(&query(second, missing)).await?)?);
            }
            rows
        }
    };
    Ok(rows)
}

/// How many rows of `E` match `filter` among those `actor` may see.
pub async fn count<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Condition,
) -> Result<u64> {
    let mut query = Query::select();
    query
        .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
        .from(E::default())
        .cond_where(E::visible(actor))
        .cond_where(filter);
    let row = db.query_one(&query).await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The rows of `E` with the given keys that `actor` may see.
pub async fn by_keys<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    keys: &[Key],
) -> Result<HashMap<Key, E::Seen>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = E::find()
        .filter(E::visible(actor))
        .filter(E::key_column().is_in(keys.iter().map(Key::to_value)))
        .all(db)
        .await?;
    let keys: Vec<Key> = rows.iter().map(E::key_of).collect();
    let seen = E::seen(db, actor, rows).await?;
    Ok(keys.into_iter().zip(seen).collect())
}

/// A row just read or written, decided for `actor`.
pub async fn seen_one<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: E::Model,
) -> Result<E::Seen> {
    E::seen(db, actor, vec![row])
        .await?
        .pop()
        .ok_or_else(|| Error::Internal(DbErr::Custom("a decided row went missing".to_owned())))
}

/// One row of `E` by key, or `NOT_FOUND`.
pub async fn by_key<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    key: Key,
    what: &str,
) -> Result<E::Seen> {
    by_keys::<E>(db, actor, std::slice::from_ref(&key))
        .await?
        .remove(&key)
        .ok_or_else(|| Error::NotFound(what.to_owned()))
}

/// One page of children of `E` for each parent, in one statement: every parent's
/// rows are numbered in SQL and at most `limit + 1` per parent come back.
pub async fn children_pages<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
    request: PageRequest<'_, E::OrderField>,
) -> Result<HashMap<Key, Page<E::Seen>>> {
    let PageRequest {
        filter,
        sort,
        args,
        limits,
        search,
    } = request;
    let plan = Plan::<E>::new(sort, args, limits, actor, db.get_database_backend(), search)?;
    let mut grouped = if parents.is_empty() {
        HashMap::new()
    } else {
        fetch_children::<E>(db, actor, link, parents, &plan, filter).await?
    };
    let pages = parents
        .iter()
        .map(|p| {
            let rows = grouped.remove(p).unwrap_or_default();
            (p.clone(), plan.finish(rows))
        })
        .collect();
    Ok(seen_pages::<E, Key>(db, actor, pages)
        .await?
        .into_iter()
        .collect())
}

/// Up to `limit + 1` rows of `E` per parent, by parent, in one statement:
/// every parent's rows are numbered in SQL (`ROW_NUMBER()`).
///
/// On PostgreSQL each parent's page is a `LATERAL` subquery with its own
/// `LIMIT`, so the database stops after `limit + 1` rows per parent; numbering
/// all children under a window (the portable form, used on SQLite) sorts every
/// child of every parent first — 18,000 programs for 20 universities in the
/// benchmark's q3.
async fn fetch_children<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
    plan: &Plan<E>,
    filter: Condition,
) -> Result<HashMap<Key, Vec<Keyed<E::Model>>>> {
    let mut inner = E::find()
        .filter(E::visible(actor))
        .filter(filter)
        .filter(plan.condition())
        .into_query();
    for (expr, alias) in plan.derived() {
        inner.expr_as(expr, Alias::new(alias));
    }
    let outer = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let parent = (Alias::new("parents"), Alias::new("column1"));
        link.join::<E>(&mut inner);
        inner.and_where(link.parent_expr::<E>().equals(parent.clone()));
        let mut window = WindowStatement::new();
        for (expr, order, nulls) in plan.sql_order() {
            window.order_by_expr_with_nulls(expr.clone(), order.clone(), nulls);
            inner.order_by_expr_with_nulls(expr, order, nulls);
        }
        inner
            .expr_as(Expr::col(parent), Alias::new(PARENT))
            .expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION))
            .limit(plan.limit + 1);
        let mut outer = Query::select();
        outer
            .column((Alias::new("page"), Asterisk))
            .from_values(parents.iter().map(Key::to_value), Alias::new("parents"))
            .join_lateral(
                sea_orm::JoinType::InnerJoin,
                inner,
                Alias::new("page"),
                Expr::cust("TRUE"),
            )
            .order_by(
                (Alias::new("page"), Alias::new(PARENT)),
                sea_orm::Order::Asc,
            )
            .order_by(
                (Alias::new("page"), Alias::new(POSITION)),
                sea_orm::Order::Asc,
            );
        outer
    } else {
        link.apply::<E>(&mut inner, parents);
        let mut window = WindowStatement::partition_by(link.parent_column::<E>());
        for (expr, order, nulls) in plan.sql_order() {
            window.order_by_expr_with_nulls(expr, order, nulls);
        }
        inner
            .expr_as(link.parent_expr::<E>(), Alias::new(PARENT))
            .expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION));
        let mut outer = Query::select();
        outer
            .column(Asterisk)
            .from_subquery(inner, Alias::new("page"))
            .and_where(Expr::col(Alias::new(POSITION)).lte(plan.limit + 1))
            .order_by(Alias::new(PARENT), sea_orm::Order::Asc)
            .order_by(Alias::new(POSITION), sea_orm::Order::Asc);
        outer
    };

    let rows = db.query_all(&outer).await?;
    let mut grouped: HashMap<Key, Vec<Keyed<E::Model>>> = HashMap::new();
    for row in rows {
        let parent = parent_key(&row)?;
        let model = E::Model::from_query_result(&row, "")?;
        grouped
            .entry(parent)
            .or_default()
            .push((model, plan.derived_values(&row)?));
    }
    Ok(grouped)
}

/// Decides the rows of several pages for `actor`, in one batch.
async fn seen_pages<E: Resource, K>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    pages: Vec<(K, Page<E::Model>)>,
) -> Result<Vec<(K, Page<E::Seen>)>> {
    let mut rows = Vec::new();
    let mut shapes = Vec::with_capacity(pages.len());
    for (key, page) in pages {
        let cursors: Vec<String> = page
            .edges
            .into_iter()
            .map(|edge| {
                rows.push(edge.node);
                edge.cursor
            })
            .collect();
        shapes.push((key, cursors, page.has_next_page, page.has_previous_page));
    }
    let mut seen = E::seen(db, actor, rows).await?.into_iter();
    Ok(shapes
        .into_iter()
        .map(|(key, cursors, has_next_page, has_previous_page)| {
            let edges = cursors
                .into_iter()
                .zip(seen.by_ref())
                .map(|(cursor, node)| Edge { cursor, node })
                .collect();
            let page = Page {
                edges,
                has_next_page,
                has_previous_page,
            };
            (key, page)
        })
        .collect())
}

/// Every child of `E` for each parent (for small bounded lists), in one statement.
pub async fn children_all<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
) -> Result<HashMap<Key, Vec<E::Seen>>> {
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let plan = Plan::<E>::new(
        &E::default_order(),
        &PageArgs::default(),
        PageLimits::default(),
        actor,
        db.get_database_backend(),
        None,
    )?;
    let mut query = E::find().filter(E::visible(actor)).into_query();
    for (expr, order, nulls) in plan.sql_order() {
        query.order_by_expr_with_nulls(expr, order, nulls);
    }
    link.apply::<E>(&mut query, parents);
    query.expr_as(link.parent_expr::<E>(), Alias::new(PARENT));
    let rows = db.query_all(&query).await?;
    let mut grouped: HashMap<Key, Vec<E::Model>> = HashMap::new();
    for row in rows {
        let parent = parent_key(&row)?;
        grouped
            .entry(parent)
            .or_default()
            .push(E::Model::from_query_result(&row, "")?);
    }
    let (keys, lists): (Vec<Key>, Vec<Vec<E::Model>>) = grouped.into_iter().unzip();
    let lengths: Vec<usize> = lists.iter().map(Vec::len).collect();
    let mut seen = E::seen(db, actor, lists.into_iter().flatten().collect())
        .await?
        .into_iter();
    Ok(keys
        .into_iter()
        .zip(lengths)
        .map(|(key, n)| (key, seen.by_ref().take(n).collect()))
        .collect())
}

/// How many children of `E` match `filter` under each parent, in one statement.
pub async fn children_counts<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
    filter: Condition,
) -> Result<HashMap<Key, u64>> {
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = Query::select();
    query
        .expr_as(link.parent_expr::<E>(), Alias::new(PARENT))
        .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
        .from(E::default())
        .cond_where(E::visible(actor))
        .cond_where(filter)
        .add_group_by([link.parent_expr::<E>()]);
    link.apply::<E>(&mut query, parents);
    let rows = db.query_all(&query).await?;
    let mut counts: HashMap<Key, u64> = parents.iter().map(|p| (p.clone(), 0)).collect();
    for row in rows {
        let n: i64 = row.try_get("", "n")?;
        counts.insert(parent_key(&row)?, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}

pub(crate) fn parent_key(row: &sea_orm::QueryResult) -> Result<Key> {
    if let Ok(id) = row.try_get::<i64>("", PARENT) {
        return Ok(Key::Id(id));
    }
    row.try_get::<String>("", PARENT)
        .map(Key::Code)
        .map_err(|e| Error::Internal(DbErr::Custom(format!("unreadable parent key: {e}"))))
}
