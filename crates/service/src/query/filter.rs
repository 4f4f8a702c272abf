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
use crate::query::resource::{Link, Table};
use crate::{Error, Result};

mod ops;
pub use ops::*;

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

/// Implements [`FilterValue`] for sea-orm active enums (stored as text).
macro_rules! enum_filter_value {
    ($($ty:path),+ $(,)?) => {
        $(impl FilterValue for $ty {
            fn value(&self) -> Value {
                sea_orm::ActiveEnum::to_value(self).into()
            }
        })+
    };
}
enum_filter_value!(
    entity::organization::OrganizationKind,
    entity::event::EventKind,
    entity::agreement::AgreementKind,
    entity::agreement::AgreementStatus,
    entity::agreement_party::PartyRole,
    entity::program::ProgramKind,
    entity::student::DegreeLevel,
    entity::student::StudentStatus,
    entity::joint_unit::JointUnitKind,
);

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

    /// A related row through a foreign key (`local` column = `target` column of
    /// `E`) that matches `filter`, as an `EXISTS`.
    pub fn to_one<E: Table>(
        &self,
        step: &str,
        local: impl IdenStatic,
        target: impl IdenStatic,
        filter: impl FnOnce(&Scope<'a>) -> Result<Condition>,
    ) -> Result<Condition> {
        let inner = self.sub(step);
        let mut query = inner.select::<E>();
        query.and_where(
            inner
                .col(target)
                .equals((self.alias.clone(), Alias::new(local.as_str()))),
        );
        query.cond_where(filter(&inner)?);
        Ok(self.exists(query, false))
    }

    /// `some` / `none` / `every` over the rows of `E` linked to this row.
    pub fn to_many<E, F>(
        &self,
        step: &str,
        link: Link,
        parent_key: impl IdenStatic,
        quantifiers: &ToMany<F>,
        filter: impl Fn(&F, &Scope<'a>) -> Result<Condition>,
    ) -> Result<Condition>
    where
        E: Table,
    {
        let mut all = self.junction();
        let parent = Expr::col((self.alias.clone(), Alias::new(parent_key.as_str())));
        let linked = |inner: &Scope<'a>| -> SelectStatement {
            let mut query = inner.select::<E>();
            match link {
                Link::Column(fk) => {
                    query.and_where(
                        Expr::col((inner.alias.clone(), Alias::new(fk))).eq(parent.clone()),
                    );
                }
                Link::Via {
                    table,
                    child_fk,
                    parent_fk,
                } => {
                    let via = Alias::new(format!("{}_via", inner.alias));
                    query
                        .join_as(
                            sea_orm::JoinType::InnerJoin,
                            Alias::new(table),
                            via.clone(),
                            Expr::col((via.clone(), Alias::new(child_fk)))
                                .equals((inner.alias.clone(), Alias::new(E::key_name()))),
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

    /// `SELECT 1 FROM <E> AS <alias>` restricted to what the actor may see.
    fn select<E: Table>(&self) -> SelectStatement {
        let mut query = Query::select();
        query
            .expr(Expr::val(1))
            .from_as(E::default(), self.alias.clone())
            .cond_where(E::visible_as(self.actor, &self.alias));
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

/// An entity with a filter type (and optionally text search).
pub trait Filterable: crate::query::resource::Resource {
    type Filter: FilterShape
        + Clone
        + std::fmt::Debug
        + PartialEq
        + Eq
        + std::hash::Hash
        + Send
        + Sync
        + 'static;

    /// The filter as a condition on this entity's table in `scope`.
    fn filter_condition(filter: &Self::Filter, scope: &Scope<'_>) -> Result<Condition>;

    /// The field rule that restricts a column, if any: aggregating, grouping
    /// and `having` on it need the right to read it on every row.
    fn restricted(_column: Self::Column) -> Option<crate::access::Field> {
        None
    }
}

/// A relation a filter reaches, as plain data (tests and tools).
#[derive(Clone, Copy, Debug)]
pub enum Reach {
    /// To one row: this row's column `local` names the row of `table`
    /// whose column `target` holds the same value.
    One {
        local: &'static str,
        table: &'static str,
        target: &'static str,
        /// The related rows' filter type (`CountryFilter`).
        filter: &'static str,
    },
    /// To many rows: the rows of `table` the link reaches from this row's
    /// column `key`.
    Many {
        link: Link,
        table: &'static str,
        key: &'static str,
        /// The related rows' filter type (`VisitFilter`).
        filter: &'static str,
    },
}

/// The last segment of a type's path as `stringify!` writes it
/// (`crate :: country :: CountryFilter` → `CountryFilter`).
pub fn type_name(path: &'static str) -> &'static str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// What a filter type (`filter_type!`) filters by, as plain data.
pub trait FilterShape {
    /// The fields it filters on with operators, by name (`snake_case`),
    /// each with its column.
    fn fields() -> Vec<(&'static str, &'static str)>;
    /// The relations it filters through, by field name (`snake_case`).
    fn relations() -> Vec<(&'static str, Reach)>;
}

/// The relations `E`'s filter reaches.
pub fn reaches<E: Filterable>() -> Vec<(&'static str, Reach)> {
    <E::Filter as FilterShape>::relations()
}

/// The fields `E`'s filter filters on with operators, and their columns.
pub fn filtered<E: Filterable>() -> Vec<(&'static str, &'static str)> {
    <E::Filter as FilterShape>::fields()
}

/// Compiles an optional filter and search term for a query over `E`'s table.
pub fn compile<E: Filterable>(
    backend: DbBackend,
    actor: &Actor,
    filter: Option<&E::Filter>,
    search_term: Option<&str>,
) -> Result<Condition> {
    let aliases = Cell::new(0);
    let scope = Scope::root(E::default().into_iden(), actor, backend, "filter", &aliases);
    let mut all = Condition::all();
    if let Some(filter) = filter {
        all = all.add(E::filter_condition(filter, &scope)?);
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

/// Declares an entity's filter type and compiles it to SQL.
#[macro_export]
macro_rules! filter_type {
    (
        $(#[$meta:meta])*
        $name:ident for $module:ident $(guarded by $guard:path)? {
            fields { $($field:ident : $ty:ty => $col:ident),* $(,)? }
            to_one { $($one:ident : $one_filter:ty => $one_module:ident ($local:ident = $target:ident)),* $(,)? }
            to_many { $($many:ident : $many_filter:ty => $many_module:ident ($link:expr, $pkey:ident)),* $(,)? }
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name {
            pub and: Vec<$name>,
            pub or: Vec<$name>,
            pub not: Option<Box<$name>>,
            $(pub $field: Option<$crate::query::filter::Ops<$ty>>,)*
            $(pub $one: Option<Box<$one_filter>>,)*
            $(pub $many: Option<$crate::query::filter::ToMany<$many_filter>>,)*
        }

        impl $name {
            /// This filter as a condition on the table of `scope`.
            pub fn condition(
                &self,
                scope: &$crate::query::filter::Scope<'_>,
            ) -> $crate::Result<sea_orm::Condition> {
                $($guard(self, scope)?;)?
                #[allow(unused_mut)]
                let mut all = $crate::query::filter::combine(
                    scope,
                    &self.and,
                    &self.or,
                    self.not.as_deref(),
                    |f, s| f.condition(s),
                )?;
                $(if let Some(ops) = &self.$field {
                    all = all.add(ops.condition(
                        scope.col(entity::$module::Column::$col),
                        $crate::query::filter::compared(entity::$module::Column::$col, scope.backend),
                        scope,
                        &$crate::query::filter::camel(stringify!($field)),
                    )?);
                })*
                $(if let Some(f) = &self.$one {
                    all = all.add(scope.to_one::<entity::$one_module::Entity>(
                        &$crate::query::filter::camel(stringify!($one)),
                        entity::$module::Column::$local,
                        entity::$one_module::Column::$target,
                        |s| f.condition(s),
                    )?);
                })*
                $(if let Some(q) = &self.$many {
                    all = all.add(scope.to_many::<entity::$many_module::Entity, _>(
                        &$crate::query::filter::camel(stringify!($many)),
                        *$link,
                        entity::$module::Column::$pkey,
                        q,
                        |f, s| f.condition(s),
                    )?);
                })*
                Ok(all)
            }
        }

        impl $crate::query::filter::FilterShape for $name {
            fn fields() -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), sea_orm::IdenStatic::as_str(&entity::$module::Column::$col)),)*]
            }

            fn relations() -> Vec<(&'static str, $crate::query::filter::Reach)> {
                vec![
                    $((stringify!($one), $crate::query::filter::Reach::One {
                        local: sea_orm::IdenStatic::as_str(&entity::$module::Column::$local),
                        table: sea_orm::EntityName::table_name(&entity::$one_module::Entity),
                        target: sea_orm::IdenStatic::as_str(&entity::$one_module::Column::$target),
                        filter: $crate::query::filter::type_name(stringify!($one_filter)),
                    }),)*
                    $((stringify!($many), $crate::query::filter::Reach::Many {
                        link: *$link,
                        table: sea_orm::EntityName::table_name(&entity::$many_module::Entity),
                        key: sea_orm::IdenStatic::as_str(&entity::$module::Column::$pkey),
                        filter: $crate::query::filter::type_name(stringify!($many_filter)),
                    }),)*
                ]
            }
        }
    };
}
