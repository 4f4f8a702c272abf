//! Lists of a parent row's children in the one statement: a relation's
//! bounded list, its first child, and join rows (an agreement's parties).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, SelectStatement, WindowStatement};
use sea_orm::{ColumnTrait, IdenStatic, QueryFilter, QueryTrait};

use super::pages::{plan, select_only};
use super::{Aliases, Dialect, Nested, Object, POSITION, array, object_select, record, scalar};
use crate::actor::Actor;
use crate::query::page::{PageArgs, PageLimits, Plan};
use crate::query::resource::{Link, Resource, Table};

/// The children of `E` of a parent row through `link` (the parent's key
/// column is `parent_key`) in `E`'s default order, checked before anything
/// is built; `build` makes the value from the children's rows (with the
/// columns `object` reads, under the parent aliased as given).
fn children_with<E: Resource>(
    actor: &Actor,
    link: Link,
    parent_key: &'static str,
    object: Object<E>,
    dialect: Dialect,
    build: fn(SelectStatement, &Plan<E>, Object<E>, &mut Aliases) -> Expr,
) -> Option<Nested> {
    let plan = plan::<E>(
        actor,
        &E::default_order(),
        &PageArgs::default(),
        PageLimits::default(),
        None,
        dialect,
    )
    .ok()?;
    let actor = actor.clone();
    Some(Nested::new(Some(parent_key), move |aliases, parent, _| {
        let mut rows = E::find().filter(E::visible(&actor)).into_query();
        select_only::<E>(&mut rows, &object.reads());
        link.join::<E>(&mut rows);
        rows.and_where(
            link.parent_expr::<E>()
                .eq(Expr::col((parent.clone(), Alias::new(parent_key)))),
        );
        build(rows, &plan, object, aliases)
    }))
}

/// Every child of `E` of the parent row, in `E`'s default order (the
/// bounded lists: an agreement's parties, a joint unit's partners).
pub fn children<E: Resource>(
    actor: &Actor,
    link: Link,
    parent_key: impl IdenStatic,
    object: Object<E>,
    dialect: Dialect,
) -> Option<Nested> {
    children_with(
        actor,
        link,
        parent_key.as_str(),
        object,
        dialect,
        |mut rows, plan, object, aliases| {
            let mut window = WindowStatement::new();
            for (expr, order, nulls) in plan.sql_order() {
                window.order_by_expr_with_nulls(expr, order, nulls);
            }
            rows.expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION));
            let alias = aliases.next();
            array(rows, alias, object, false, aliases)
        },
    )
}

/// The first child of `E` of the parent row in `E`'s default order, or
/// `null` (a relation of at most one row kept on the child's side, such
/// as an agreement's successor).
pub fn first_child<E: Resource>(
    actor: &Actor,
    link: Link,
    parent_key: impl IdenStatic,
    object: Object<E>,
    dialect: Dialect,
) -> Option<Nested> {
    children_with(
        actor,
        link,
        parent_key.as_str(),
        object,
        dialect,
        |mut rows, plan, object, aliases| {
            for (expr, order, nulls) in plan.sql_order() {
                rows.order_by_expr_with_nulls(expr, order, nulls);
            }
            rows.limit(1);
            let alias = aliases.next();
            let mut laterals = Vec::new();
            let (columns, json) = object.build(aliases, &alias, &mut laterals).columns();
            let (mut select, json) = if json {
                (super::record_select(columns), true)
            } else {
                object_select(columns, aliases.dialect)
            };
            select.from_subquery(rows, alias);
            super::join_laterals(&mut select, laterals);
            if json {
                aliases.dialect.json(scalar(select))
            } else {
                record(select, aliases)
            }
        },
    )
}

/// Every row of a table (join rows such as an agreement's parties) that
/// `actor` may see, whose `link` column holds the parent's `parent_key`,
/// ordered by `order`.
pub fn rows_of<T: Table>(
    actor: &Actor,
    link: T::Column,
    parent_key: impl IdenStatic,
    order: Vec<T::Column>,
    kept: Option<Expr>,
    object: Object<T>,
) -> Nested {
    let (visible, parent_key) = (T::visible(actor), parent_key.as_str());
    Nested::new(Some(parent_key), move |aliases, parent, _| {
        let alias = aliases.next();
        let mut window = WindowStatement::new();
        for col in &order {
            window.order_by((T::default(), *col), sea_orm::Order::Asc);
        }
        let mut rows = T::find()
            .filter(visible)
            .filter(
                link.into_expr()
                    .eq(Expr::col((parent.clone(), Alias::new(parent_key)))),
            )
            .apply_if(kept, QueryFilter::filter)
            .into_query();
        select_only::<T>(&mut rows, &object.reads());
        rows.expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION));
        array(rows, alias, object, false, aliases)
    })
}
