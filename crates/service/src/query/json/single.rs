//! Objects of one row: to-one relations, lookups by key.

use sea_orm::IdenStatic;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

use super::{
    Aliases, Nested, Object, join_laterals, object, object_select, record, record_select, scalar,
};
use crate::actor::Actor;
use crate::query::resource::{Key, Resource};

/// The row of `E` the parent's `foreign_key` column names, or `null` (none,
/// or not visible to `actor`): on PostgreSQL a lateral join of the parent's
/// rows, which the planner can turn into a join (a subquery per row could
/// not be); on SQLite a subquery per row (an index lookup).
pub fn one<E: Resource>(actor: &Actor, foreign_key: impl IdenStatic, object: Object<E>) -> Nested {
    one_at(actor, foreign_key.as_str(), object)
}

/// As [`one`], the parent's column named `foreign_key`.
pub fn one_at<E: Resource>(actor: &Actor, foreign_key: &'static str, object: Object<E>) -> Nested {
    let actor = actor.clone();
    Nested::new(Some(foreign_key), move |aliases, parent, laterals| {
        let target = Expr::col((parent.clone(), Alias::new(foreign_key)));
        let (select, json) = single::<E>(&actor, target, object, aliases);
        if aliases.dialect.sqlite() {
            return record(select, aliases);
        }
        let lateral = aliases.next();
        laterals.push((select, lateral.clone()));
        // The lateral's object: `null` when the join found none.
        object::row_value(lateral, json)
    })
}

/// The row of `E` with `key`, or `null` (none, or not visible to `actor`).
pub fn by_key<E: Resource>(actor: &Actor, key: Key, object: Object<E>) -> Nested {
    let actor = actor.clone();
    Nested::new(None, move |aliases, _, _| {
        let (select, json) = single::<E>(&actor, Expr::val(key.to_value()), object, aliases);
        single_value(select, json, aliases)
    })
}

/// The row of `E` whose key is the value of `key` (a scalar subquery), or
/// `null` (none, or not visible to `actor`).
pub fn by_key_of<E: Resource>(actor: &Actor, key: Expr, object: Object<E>) -> Nested {
    let actor = actor.clone();
    Nested::new(None, move |aliases, _, _| {
        let (select, json) = single::<E>(&actor, key, object, aliases);
        single_value(select, json, aliases)
    })
}

/// The row of `E` whose key is the parent's `column`, or `null`, as a
/// subquery (where the parent's rows cannot join a lateral: a group-by's
/// rows written by the service).
pub fn keyed<E: Resource>(actor: &Actor, column: &'static str, object: Object<E>) -> Nested {
    let actor = actor.clone();
    Nested::new(Some(column), move |aliases, parent, _| {
        let key = Expr::col((parent.clone(), Alias::new(column)));
        let (select, json) = single::<E>(&actor, key, object, aliases);
        single_value(select, json, aliases)
    })
}

/// The object a [`single`] select builds, as a value.
fn single_value(select: SelectStatement, json: bool, aliases: &mut Aliases) -> Expr {
    if json && !aliases.dialect.sqlite() {
        let alias = aliases.next();
        let mut outer = Query::select();
        outer
            .expr(object::row_value(alias.clone(), true))
            .from_subquery(select, alias);
        scalar(outer)
    } else {
        record(select, aliases)
    }
}

/// `SELECT <object> FROM E AS <alias> … WHERE <visible> AND key = <key>`,
/// and whether the object is its one JSON column.
fn single<E: Resource>(
    actor: &Actor,
    key: Expr,
    object: Object<E>,
    aliases: &mut Aliases,
) -> (SelectStatement, bool) {
    let alias = aliases.next();
    let mut laterals = Vec::new();
    let (columns, json) = object.build(aliases, &alias, &mut laterals).columns();
    let (mut select, json) = if json {
        (record_select(columns), true)
    } else {
        object_select(columns, aliases.dialect)
    };
    select
        .from_as(E::default(), alias.clone())
        .cond_where(E::visible_as(actor, &alias))
        .and_where(Expr::col((alias, E::key_column())).eq(key));
    join_laterals(&mut select, laterals);
    (select, json)
}
