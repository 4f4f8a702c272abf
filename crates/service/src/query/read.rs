//! The generic reads built on [`Resource`]: a root connection, a count, rows
//! by key, and one page of children for many parents at once (one statement
//! per relation, paged in SQL with `ROW_NUMBER()`). Every read applies the
//! row rules in SQL and hands out rows decided by the field rules.

use std::fmt::Debug;

use sea_orm::{
    Condition, ConnectionTrait, DbErr,
    sea_query::{Alias, ColumnRef, Expr, ExprTrait, IntoColumnRef},
};

use super::resource::{Link, Resource};
use crate::actor::Actor;
use crate::query::page::{PageArgs, PageLimits, Sort};
use crate::{Error, Result};

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
