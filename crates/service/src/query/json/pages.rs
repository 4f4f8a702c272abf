//! Pages of a connection in the one statement: `nodes`, `edges` with
//! cursors, `pageInfo` and `totalCount`, at the root and under a parent row.

use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, IntoIden, Order, Query, SelectStatement, UnionType,
    WindowStatement,
};
use sea_orm::{Condition, EntityTrait, IdenStatic, QueryFilter, QueryTrait};

use super::page_read::{Read, cursor, page_info};
use super::{
    Aliases, CURSOR, Dialect, Nested, Object, POSITION, fits, join_laterals, object_select,
    object_value, record, record_select, scalar, text,
};
use crate::actor::Actor;
use crate::query::filter::Filterable;
use crate::query::page::{PageArgs, PageLimits, Plan, Sort};
use crate::query::read::PageRequest;
use crate::query::resource::{Link, Resource};

/// One key of a connection object.
pub enum ConnectionField<E: EntityTrait> {
    /// The page's rows.
    Nodes(Object<E>),
    /// The page's rows, each with its cursor.
    Edges(Edge<E>),
    /// Where the page sits in the connection.
    PageInfo(PageInfo),
    /// How many rows match over all pages.
    TotalCount,
    /// Aggregates over all pages.
    Aggregate(super::Aggregate),
    /// Groups of all pages' rows.
    Groups(super::Groups),
    /// A fixed text (`__typename`).
    Text(String),
    /// A field refused with refusal `n` (its arguments are refused).
    Refused(usize),
}

/// One key of an edge object.
pub enum EdgeField<E: EntityTrait> {
    /// The row's cursor.
    Cursor,
    /// The row.
    Node(Object<E>),
    /// A fixed text (`__typename`).
    Text(String),
}

/// An edge object: response keys in selection order.
pub struct Edge<E: EntityTrait> {
    fields: Vec<(String, EdgeField<E>)>,
}

impl<E: EntityTrait> Edge<E> {
    /// `None` as for [`Object::new`].
    pub fn new(fields: Vec<(String, EdgeField<E>)>) -> Option<Self> {
        fits(&fields).then_some(Edge { fields })
    }

    fn reads(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for (_, field) in &self.fields {
            if let EdgeField::Node(object) = field {
                for name in object.reads() {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
        names
    }

    fn needs_cursor(&self) -> bool {
        self.fields
            .iter()
            .any(|(_, f)| matches!(f, EdgeField::Cursor))
    }
}

/// One key of a `pageInfo` object.
pub enum PageInfoField {
    HasNextPage,
    HasPreviousPage,
    StartCursor,
    EndCursor,
    /// A fixed text (`__typename`).
    Text(String),
}

/// A `pageInfo` object: response keys in selection order.
pub struct PageInfo {
    pub(super) fields: Vec<(String, PageInfoField)>,
}

impl PageInfo {
    /// `None` as for [`Object::new`].
    pub fn new(fields: Vec<(String, PageInfoField)>) -> Option<Self> {
        fits(&fields).then_some(PageInfo { fields })
    }

    fn needs_cursor(&self) -> bool {
        self.fields
            .iter()
            .any(|(_, f)| matches!(f, PageInfoField::StartCursor | PageInfoField::EndCursor))
    }
}

/// A connection object: response keys in selection order.
pub struct Connection<E: EntityTrait> {
    fields: Vec<(String, ConnectionField<E>)>,
}

impl<E: EntityTrait> Connection<E> {
    /// `None` as for [`Object::new`].
    pub fn new(fields: Vec<(String, ConnectionField<E>)>) -> Option<Self> {
        fits(&fields).then_some(Connection { fields })
    }

    /// Whether a cursor is selected (an edge's, or `pageInfo`'s).
    fn needs_cursor(&self) -> bool {
        self.fields.iter().any(|(_, f)| match f {
            ConnectionField::Edges(edge) => edge.needs_cursor(),
            ConnectionField::PageInfo(info) => info.needs_cursor(),
            _ => false,
        })
    }
}

/// Narrows a select of `E`'s rows to the columns `reads` (the SQL sorts and
/// filters by the table's columns, whatever it returns).
pub(super) fn select_only<E: EntityTrait>(rows: &mut SelectStatement, reads: &[&'static str]) {
    rows.clear_selects();
    for name in reads {
        rows.column((E::default(), Alias::new(*name)));
    }
    if reads.is_empty() {
        // A selection of fixed values only (`successor { __typename }`):
        // the row is still there to be counted, with no column to read.
        rows.expr_as(sea_orm::sea_query::Expr::val(1), Alias::new("present"));
    }
}

/// The rows of one page of `E` (at most `limit`: the page's size, or one
/// more to learn whether there are more) with the columns `reads`, numbered
/// in SQL order, and their cursors when `cursor` is given. When the rows
/// after the cursor span two ranges of the index (a nullable leading key:
/// its values, then its NULLs), each range is its own ordered scan that
/// stops after `limit` rows, and the two are numbered again in SQL order
/// (one condition with `OR` would read and sort every row of both).
fn page_rows<E: Resource>(
    actor: &Actor,
    filter: Condition,
    plan: &Plan<E>,
    parent: Option<(Link, Expr)>,
    reads: &[&'static str],
    limit: u64,
    cursor: Option<Expr>,
) -> SelectStatement {
    let range = |condition: Condition| {
        let (filter, parent, cursor) = (filter.clone(), parent.clone(), cursor.clone());
        range_rows::<E>(actor, filter, condition, plan, parent, reads, limit, cursor)
    };
    let Some([first, second]) = plan.segments() else {
        return range(plan.condition());
    };
    let (segments, segment) = (Alias::new("__segments"), Alias::new("__segment"));
    let part = |condition: Condition, n: i32, name: &str| {
        let mut rows = range(condition);
        rows.expr_as(Expr::val(n), segment.clone());
        let mut part = Query::select();
        part.column(Asterisk).from_subquery(rows, Alias::new(name));
        part
    };
    let mut both = part(first, 1, "__first");
    both.union(UnionType::All, part(second, 2, "__second"));
    let mut rows = Query::select();
    for name in reads {
        rows.column((segments.clone(), Alias::new(*name)));
    }
    if cursor.is_some() {
        rows.column((segments.clone(), Alias::new(CURSOR)));
    }
    let (by_segment, by_position) = (
        Expr::col((segments.clone(), segment.clone())),
        Expr::col((segments.clone(), Alias::new(POSITION))),
    );
    let mut window = WindowStatement::new();
    window
        .order_by_expr(by_segment.clone(), Order::Asc)
        .order_by_expr(by_position.clone(), Order::Asc);
    rows.expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION))
        .from_subquery(both, segments)
        .order_by_expr(by_segment, Order::Asc)
        .order_by_expr(by_position, Order::Asc)
        .limit(limit);
    rows
}

/// The rows of one range of a page (see [`page_rows`]).
#[allow(clippy::too_many_arguments)]
fn range_rows<E: Resource>(
    actor: &Actor,
    filter: Condition,
    range: Condition,
    plan: &Plan<E>,
    parent: Option<(Link, Expr)>,
    reads: &[&'static str],
    limit: u64,
    cursor: Option<Expr>,
) -> SelectStatement {
    let mut rows = E::find()
        .filter(E::visible(actor))
        .filter(filter)
        .filter(range)
        .into_query();
    select_only::<E>(&mut rows, reads);
    if let Some((link, parent_key)) = parent {
        link.join::<E>(&mut rows);
        rows.and_where(link.parent_expr::<E>().eq(parent_key));
    }
    let mut window = WindowStatement::new();
    for (expr, order, nulls) in plan.sql_order() {
        window.order_by_expr_with_nulls(expr.clone(), order.clone(), nulls);
        rows.order_by_expr_with_nulls(expr, order, nulls);
    }
    rows.expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION))
        .limit(limit);
    if let Some(cursor) = cursor {
        rows.expr_as(cursor, Alias::new(CURSOR));
    }
    rows
}

/// How many rows of `E` match, as a value.
fn count<E: Resource>(actor: &Actor, filter: Condition, parent: Option<(Link, Expr)>) -> Expr {
    let mut query = Query::select();
    query
        .expr(Expr::col(Asterisk).count())
        .from(E::default())
        .cond_where(E::visible(actor))
        .cond_where(filter);
    if let Some((link, parent_key)) = parent {
        link.join::<E>(&mut query);
        query.and_where(link.parent_expr::<E>().eq(parent_key));
    }
    scalar(query)
}

/// What one page needs, checked before anything is built: the error the
/// client gets when its arguments are refused. A page that spans two index
/// ranges (a nullable leading key after a cursor) reads both (`page_rows`).
pub(super) fn plan<E: Resource>(
    actor: &Actor,
    sort: &Sort<E::OrderField>,
    args: &PageArgs,
    limits: PageLimits,
    search: Option<&str>,
    dialect: Dialect,
) -> crate::Result<Plan<E>> {
    Plan::<E>::new(sort, args, limits, actor, dialect.backend(), search)
}

/// The plan of a connection's page ([`plan`]), when every cursor `conn`
/// selects can be built in SQL too (else an internal error: it does not
/// translate).
fn connection_plan<E: Resource>(
    actor: &Actor,
    request: &PageRequest<'_, E::OrderField>,
    conn: &Connection<E>,
    dialect: Dialect,
) -> crate::Result<Plan<E>> {
    let plan = plan::<E>(
        actor,
        request.sort,
        request.args,
        request.limits,
        request.search,
        dialect,
    )?;
    if conn.needs_cursor() && cursor(&plan, dialect).is_none() {
        return Err(crate::Error::Internal(sea_orm::DbErr::Custom(
            "a cursor of this order is not built in SQL".into(),
        )));
    }
    Ok(plan)
}

/// A connection object. Its page's rows are read once, by one ordered,
/// limited scan (one row more when `pageInfo` asks whether there are more),
/// and everything built from them — `nodes`, `edges` with their cursors,
/// `pageInfo`'s flags and cursors — is an aggregate over that one read:
/// `SELECT <object> FROM (SELECT <aggregates> FROM <rows> [LATERAL …]) page`.
fn connection<E: Filterable>(
    actor: &Actor,
    filter: Condition,
    plan: Plan<E>,
    conn: Connection<E>,
    parent: Option<(Link, Expr)>,
    aliases: &mut Aliases,
) -> Expr {
    let dialect = aliases.dialect;
    // Checked by `connection_plan` before the connection was accepted.
    let cursor = if conn.needs_cursor() {
        cursor(&plan, dialect)
    } else {
        None
    };
    let (rows, page) = (aliases.next(), aliases.next());
    let mut read = Read {
        rows: rows.clone(),
        page: page.clone(),
        limit: plan.limit,
        backward: plan.backward,
        dialect,
        reads: Vec::new(),
        one_more: false,
        cursor: false,
        laterals: Vec::new(),
        aggregates: Vec::new(),
    };
    let mut columns = Vec::with_capacity(conn.fields.len());
    for (key, field) in conn.fields {
        let value = match field {
            ConnectionField::Nodes(object) => {
                read.columns(object.reads());
                let node = object.build(aliases, &rows, &mut read.laterals);
                let value = node.value(aliases);
                read.list(value)
            }
            ConnectionField::Edges(edge) => {
                read.columns(edge.reads());
                let mut edge_columns = Vec::with_capacity(edge.fields.len());
                for (key, field) in edge.fields {
                    let value = match field {
                        EdgeField::Cursor => {
                            read.cursor = true;
                            Expr::col((rows.clone(), Alias::new(CURSOR)))
                        }
                        EdgeField::Node(object) => object
                            .build(aliases, &rows, &mut read.laterals)
                            .value(aliases),
                        EdgeField::Text(value) => text(&value),
                    };
                    edge_columns.push((value, Alias::new(key).into_iden()));
                }
                let value = object_value(edge_columns, aliases);
                read.list(value)
            }
            ConnectionField::PageInfo(info) => page_info(
                &mut read,
                plan.after.is_some(),
                plan.before.is_some(),
                info,
                aliases,
            ),
            ConnectionField::TotalCount => count::<E>(actor, filter.clone(), parent.clone()),
            ConnectionField::Aggregate(selection) => super::aggregate::aggregate_value::<E>(
                actor,
                filter.clone(),
                parent.clone(),
                selection,
                dialect,
            ),
            ConnectionField::Groups(groups) => super::aggregate::groups_value::<E>(
                actor,
                filter.clone(),
                parent.clone(),
                groups,
                aliases,
            ),
            ConnectionField::Text(value) => text(&value),
            ConnectionField::Refused(n) => dialect.refused(n),
        };
        columns.push((value, Alias::new(key).into_iden()));
    }
    if read.aggregates.is_empty() {
        return object_value(columns, aliases);
    }
    let limit = plan.limit + u64::from(read.one_more);
    let with_cursor = if read.cursor { cursor } else { None };
    let scan = page_rows::<E>(
        actor,
        filter,
        &plan,
        parent,
        &read.reads,
        limit,
        with_cursor,
    );
    let mut aggregates = record_select(read.aggregates);
    aggregates.from_subquery(scan, rows);
    join_laterals(&mut aggregates, read.laterals);
    let (mut select, _) = object_select(columns, dialect);
    select.from_subquery(aggregates, page);
    record(select, aliases)
}

/// A root connection: one page of `E` among the rows matching the request's
/// filter.
pub fn page<E: Filterable>(
    actor: &Actor,
    request: PageRequest<'_, E::OrderField>,
    conn: Connection<E>,
    dialect: Dialect,
) -> crate::Result<Nested> {
    let plan = connection_plan(actor, &request, &conn, dialect)?;
    let (actor, filter) = (actor.clone(), request.filter);
    Ok(Nested::new(None, move |aliases, _, _| {
        connection(&actor, filter, plan, conn, None, aliases)
    }))
}

/// A nested connection: one page of the children of `E` of the parent row
/// (through `link`; the parent's key column is `parent_key`).
pub fn child_page<E: Filterable, K: IdenStatic>(
    actor: &Actor,
    (link, parent_key): (Link, K),
    request: PageRequest<'_, E::OrderField>,
    conn: Connection<E>,
    dialect: Dialect,
) -> crate::Result<Nested> {
    let parent_key = parent_key.as_str();
    let plan = connection_plan(actor, &request, &conn, dialect)?;
    let (actor, filter) = (actor.clone(), request.filter);
    Ok(Nested::new(Some(parent_key), move |aliases, parent, _| {
        let key = Expr::col((parent.clone(), Alias::new(parent_key)));
        connection(&actor, filter, plan, conn, Some((link, key)), aliases)
    }))
}
