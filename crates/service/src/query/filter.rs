//! Filters compiled to SQL: typed operators per field, `and`/`or`/`not`, and
//! relation filters as `EXISTS` subqueries — never filtering in Rust.
//!
//! Semantics (the same on SQLite and PostgreSQL):
//! - `ne` and `notIn` keep rows whose value is NULL (NULL is "not equal");
//! - `contains` and `startsWith` ignore case (ASCII on SQLite);
//! - `not` keeps exactly the rows the inner filter does not keep;
//! - `some` / `none` / `every` on a to-many relation: at least one / no / all
//!   related rows (that the actor may see) match; `every` holds for no rows;
//! - an empty `and` or `or` list adds no condition.

use std::cell::Cell;

use sea_orm::sea_query::extension::postgres::PgExpr;
use sea_orm::sea_query::{
    Alias, DynIden, Expr, ExprTrait, IntoIden, LikeExpr, Query, SelectStatement,
};
use sea_orm::{ColumnTrait, ColumnType, Condition, DbBackend, IdenStatic, Value};

use crate::actor::Actor;
use crate::query::resource::Link;
use crate::{Error, Result};

mod ops;
mod tree;
pub use ops::*;
pub use tree::*;

/// Longest `in` / `notIn` list accepted.
pub const MAX_IN_LIST: usize = 1000;

/// Operators on one field. Which of them a field offers is decided by the API
/// (e.g. no `contains` on numbers); the service compiles whatever is set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ops<T> {
    pub eq: Option<T>,
    pub ne: Option<T>,
    pub in_list: Option<Vec<T>>,
    pub not_in: Option<Vec<T>>,
    pub lt: Option<T>,
    pub lte: Option<T>,
    pub gt: Option<T>,
    pub gte: Option<T>,
    pub contains: Option<String>,
    pub starts_with: Option<String>,
    pub is_null: Option<bool>,
}

impl<T> Default for Ops<T> {
    fn default() -> Self {
        Ops {
            eq: None,
            ne: None,
            in_list: None,
            not_in: None,
            lt: None,
            lte: None,
            gt: None,
            gte: None,
            contains: None,
            starts_with: None,
            is_null: None,
        }
    }
}

impl<T> Ops<T> {
    /// The same operators over values converted by `f`.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Ops<U> {
        let list = |l: Option<Vec<T>>| l.map(|l| l.into_iter().map(&f).collect());
        Ops {
            eq: self.eq.map(&f),
            ne: self.ne.map(&f),
            lt: self.lt.map(&f),
            lte: self.lte.map(&f),
            gt: self.gt.map(&f),
            gte: self.gte.map(&f),
            in_list: list(self.in_list),
            not_in: list(self.not_in),
            contains: self.contains,
            starts_with: self.starts_with,
            is_null: self.is_null,
        }
    }
}

/// A value a filter compares a column with.
pub trait FilterValue: Clone {
    fn value(&self) -> Value;
}

macro_rules! filter_value {
    ($($ty:ty),+) => {
        $(impl FilterValue for $ty {
            fn value(&self) -> Value {
                self.clone().into()
            }
        })+
    };
}
filter_value!(String, i64, i32, bool, chrono::NaiveDate);

/// Where a filter is being compiled: the table alias its columns belong to, the
/// actor (relation subqueries only see what the actor may see), the backend, and
/// the argument path for error messages.
pub struct Scope<'a> {
    pub alias: DynIden,
    pub actor: &'a Actor,
    pub backend: DbBackend,
    pub path: String,
    aliases: &'a Cell<u32>,
    /// Compiling the negation of the filter (under `not`, or `every`'s
    /// inner filter): negations are pushed down to the leaves, so that
    /// `EXISTS` and `NOT EXISTS` stay at the top of their `WHERE`, where
    /// PostgreSQL plans them as semi- and anti-joins rather than running a
    /// subquery per row.
    negated: bool,
}

impl<'a> Scope<'a> {
    /// The scope of a root query over `table`, named by the argument `path`.
    pub fn root(
        table: DynIden,
        actor: &'a Actor,
        backend: DbBackend,
        path: &str,
        aliases: &'a Cell<u32>,
    ) -> Self {
        Scope {
            alias: table,
            actor,
            backend,
            path: path.to_owned(),
            aliases,
            negated: false,
        }
    }

    /// A column of the current table.
    pub fn col(&self, column: impl IdenStatic) -> Expr {
        Expr::col((self.alias.clone(), Alias::new(column.as_str())))
    }

    /// The column named `column` of the current table.
    pub fn col_named(&self, column: &'static str) -> Expr {
        Expr::col((self.alias.clone(), Alias::new(column)))
    }

    /// The same table, one step further down the argument path.
    pub fn at(&self, step: &str) -> Scope<'a> {
        Scope {
            alias: self.alias.clone(),
            actor: self.actor,
            backend: self.backend,
            path: format!("{}.{step}", self.path),
            aliases: self.aliases,
            negated: self.negated,
        }
    }

    /// [`Scope::at`], compiling the opposite (for `not`).
    fn negation_at(&self, step: &str) -> Scope<'a> {
        let mut scope = self.at(step);
        scope.negated = !self.negated;
        scope
    }

    /// What this scope's conditions combine with: `AND` when compiling the
    /// filter, `OR` when compiling its negation (De Morgan).
    pub fn junction(&self) -> Condition {
        if self.negated {
            Condition::any()
        } else {
            Condition::all()
        }
    }

    /// The other junction (for `or` lists).
    fn disjunction(&self) -> Condition {
        if self.negated {
            Condition::all()
        } else {
            Condition::any()
        }
    }

    /// A condition of this level as compiled: itself, or when negated the
    /// rows for which it is not true.
    fn leaf(&self, cond: Condition) -> Condition {
        if self.negated { negate(cond) } else { cond }
    }

    /// `EXISTS (query)`, or `NOT EXISTS` when negated (and the opposite for
    /// `absent`).
    fn exists(&self, query: SelectStatement, absent: bool) -> Condition {
        let exists = if self.negated == absent {
            Expr::exists(query)
        } else {
            Expr::not_exists(query)
        };
        Condition::all().add(exists)
    }

    /// A new table alias for a subquery, with the path of the relation field.
    fn sub(&self, step: &str) -> Scope<'a> {
        let n = self.aliases.get();
        self.aliases.set(n + 1);
        Scope {
            alias: Alias::new(format!("f{n}")).into_iden(),
            actor: self.actor,
            backend: self.backend,
            path: format!("{}.{step}", self.path),
            aliases: self.aliases,
            negated: false,
        }
    }

    /// A related row of `table` whose column `target` holds this row's
    /// column `local` and that matches `filter`, as an `EXISTS`.
    pub fn to_one(
        &self,
        step: &str,
        local: &'static str,
        target: &'static str,
        table: &Filters,
        filter: impl FnOnce(&Scope<'a>) -> Result<Condition>,
    ) -> Result<Condition> {
        let inner = self.sub(step);
        let mut query = inner.select(table);
        query.and_where(
            inner
                .col_named(target)
                .equals((self.alias.clone(), Alias::new(local))),
        );
        query.cond_where(filter(&inner)?);
        Ok(self.exists(query, false))
    }

    /// `some` / `none` / `every` over the rows of `table` that the link
    /// reaches from this row's column `parent_key`.
    pub fn to_many(
        &self,
        step: &str,
        link: Link,
        parent_key: &'static str,
        table: &Filters,
        quantifiers: &ToMany<Filter>,
        filter: impl Fn(&Filter, &Scope<'a>) -> Result<Condition>,
    ) -> Result<Condition> {
        let mut all = self.junction();
        let parent = Expr::col((self.alias.clone(), Alias::new(parent_key)));
        let linked = |inner: &Scope<'a>| -> SelectStatement {
            let mut query = inner.select(table);
            match link {
                Link::Column(fk) => {
                    query.and_where(
                        Expr::col((inner.alias.clone(), Alias::new(fk))).eq(parent.clone()),
                    );
                }
                Link::Via {
                    table: via_table,
                    child_fk,
                    parent_fk,
                } => {
                    let via = Alias::new(format!("{}_via", inner.alias));
                    query
                        .join_as(
                            sea_orm::JoinType::InnerJoin,
                            Alias::new(via_table),
                            via.clone(),
                            Expr::col((via.clone(), Alias::new(child_fk)))
                                .equals((inner.alias.clone(), Alias::new(table.key))),
                        )
                        .and_where(Expr::col((via, Alias::new(parent_fk))).eq(parent.clone()));
                }
            }
            query
        };
        if let Some(f) = &quantifiers.some {
            let inner = self.sub(&format!("{step}.some"));
            let mut query = linked(&inner);
            query.cond_where(filter(f, &inner)?);
            all = all.add(self.exists(query, false));
        }
        if let Some(f) = &quantifiers.none {
            let inner = self.sub(&format!("{step}.none"));
            let mut query = linked(&inner);
            query.cond_where(filter(f, &inner)?);
            all = all.add(self.exists(query, true));
        }
        if let Some(f) = &quantifiers.every {
            // No linked row fails the filter: the inner filter is compiled
            // as its own negation.
            let mut inner = self.sub(&format!("{step}.every"));
            inner.negated = true;
            let mut query = linked(&inner);
            query.cond_where(filter(f, &inner)?);
            all = all.add(self.exists(query, true));
        }
        Ok(all)
    }

    /// `SELECT 1 FROM <table> AS <alias>` restricted to what the actor may
    /// see.
    fn select(&self, table: &Filters) -> SelectStatement {
        let mut query = Query::select();
        query
            .expr(Expr::val(1))
            .from_as(Alias::new(table.table), self.alias.clone())
            .cond_where(self.visible_rows(table));
        query
    }

    /// Case-insensitive `LIKE` with the pattern's wildcards escaped.
    fn like(&self, col: Expr, pattern: String) -> Expr {
        match self.backend {
            // Backslash is PostgreSQL's default escape character.
            DbBackend::Postgres => col.ilike(LikeExpr::new(pattern)),
            _ => col.like(LikeExpr::new(pattern).escape('\\')),
        }
    }
}

/// Quantifiers of a to-many relation filter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ToMany<F> {
    pub some: Option<Box<F>>,
    pub every: Option<Box<F>>,
    pub none: Option<Box<F>>,
}

impl<F> Default for ToMany<F> {
    fn default() -> Self {
        ToMany {
            some: None,
            every: None,
            none: None,
        }
    }
}

/// Combines a filter's `and`, `or` and `not` with its own conditions.
pub fn combine<'a, F>(
    scope: &Scope<'a>,
    and: &[F],
    or: &[F],
    not: Option<&F>,
    compile: impl Fn(&F, &Scope<'a>) -> Result<Condition>,
) -> Result<Condition> {
    let mut all = scope.junction();
    for (i, f) in and.iter().enumerate() {
        all = all.add(compile(f, &scope.at(&format!("and[{i}]")))?);
    }
    if !or.is_empty() {
        let mut any = scope.disjunction();
        for (i, f) in or.iter().enumerate() {
            any = any.add(compile(f, &scope.at(&format!("or[{i}]")))?);
        }
        all = all.add(any);
    }
    if let Some(f) = not {
        all = all.add(compile(f, &scope.negation_at("not"))?);
    }
    Ok(all)
}

/// Refuses a filter on a field the actor may not see (filtering on it would
/// reveal it).
pub fn forbid_field(scope: &Scope<'_>, set: bool, allowed: bool, field: &str) -> Result<()> {
    if set && !allowed {
        return Err(Error::Forbidden(format!(
            "`{}.{field}` may not be filtered on with your role",
            scope.path
        )));
    }
    Ok(())
}

/// `snake_case` → `camelCase`, for argument paths in messages.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// An entity whose rows are filtered as its description says (and
/// searched, if `search` lists its table).
pub trait Filterable: crate::query::resource::Resource {
    /// The description of the type shown from its rows.
    fn description() -> &'static crate::model::Description<Self>;

    /// The field rule that restricts a column, if any (the description's
    /// restricted field of it): aggregating, grouping and `having` on it
    /// need the right to read it on every row.
    fn restricted(column: Self::Column) -> Option<crate::access::Field> {
        use sea_orm::IdenStatic;
        Self::description().fields.iter().find_map(|f| match f.of {
            crate::model::Of::Restricted(c, rule) if c.as_str() == column.as_str() => Some(rule),
            _ => None,
        })
    }
}

/// A relation a filter reaches, as plain data.
#[derive(Clone, Copy, Debug)]
pub enum Reach {
    /// To one row: this row's column `local` names the row of `table`
    /// whose column `target` holds the same value.
    One {
        local: &'static str,
        table: &'static str,
        target: &'static str,
    },
    /// To many rows: the rows of `table` the link reaches from this row's
    /// column `key`.
    Many {
        link: Link,
        table: &'static str,
        key: &'static str,
    },
}

/// Compiles an optional filter and search term for a query over `E`'s table.
pub fn compile<E: Filterable>(
    backend: DbBackend,
    actor: &Actor,
    filter: Option<&Filter>,
    search_term: Option<&str>,
) -> Result<Condition> {
    let aliases = Cell::new(0);
    let scope = Scope::root(E::default().into_iden(), actor, backend, "filter", &aliases);
    let mut all = Condition::all();
    if let Some(filter) = filter {
        let table = of_table(E::default().table_name())?;
        all = all.add(filter.condition(table, &scope)?);
    }
    if let Some(term) = search_term
        && let Some(searched) = crate::search::of_table(E::default().table_name())
    {
        let secondary = searched
            .secondary_rule
            .is_none_or(|field| crate::access::may_read_all(actor, field));
        all = all.add(crate::search::condition(
            E::default().table_name(),
            term,
            secondary,
        ));
    }
    Ok(all)
}
