//! A filter as data: the tree a `filter:` argument parses into ([`Filter`]),
//! and what each table's rows are filtered on ([`Filters`]), read off the
//! descriptions (`model`'s `filters`). One compiler serves every table.

use std::collections::HashMap;
use std::sync::LazyLock;

use entity::NodeType;
use sea_orm::sea_query::{DynIden, Expr};
use sea_orm::{ColumnType, Condition, DbBackend, Value};

use super::*;
use crate::access;

/// A value a filter compares a column with, as the column stores it (an
/// enum as its stored text, a global id as the row's key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    Text(String),
    Int(i32),
    Key(i64),
    Bool(bool),
    Date(chrono::NaiveDate),
    Instant(chrono::DateTime<chrono::Utc>),
}

impl FilterValue for Scalar {
    fn value(&self) -> Value {
        match self {
            Scalar::Text(text) => text.clone().into(),
            Scalar::Int(n) => (*n).into(),
            Scalar::Key(key) => (*key).into(),
            Scalar::Bool(b) => (*b).into(),
            Scalar::Date(date) => (*date).into(),
            Scalar::Instant(at) => (*at).into(),
        }
    }
}

/// A filter on the rows of one table: `and`, `or`, `not` and its terms,
/// each named as the table's [`Filters`] names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub and: Vec<Filter>,
    pub or: Vec<Filter>,
    pub not: Option<Box<Filter>>,
    pub terms: Vec<Term>,
}

/// One condition of a [`Filter`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// Operators on a field.
    Field(&'static str, Box<Ops<Scalar>>),
    /// The related row matches.
    One(&'static str, Box<Filter>),
    /// Quantifiers over the related rows.
    Many(&'static str, ToMany<Filter>),
}

/// What a field's operators compare with.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    /// Global ids of this node type (the table's key).
    Id(NodeType),
    Text,
    Int,
    Date,
    Bool,
    Instant,
    /// The GraphQL enum named, over the stored values listed.
    Enum(&'static str, fn() -> Vec<String>),
}

/// A field a table's rows are filtered on with operators.
#[derive(Clone, Copy, Debug)]
pub struct FilterField {
    /// The filter's name for it (`fullName`).
    pub name: &'static str,
    pub column: &'static str,
    pub operand: Operand,
    /// A fixed-width `char(n)` column (see [`compared`]).
    fixed: bool,
    /// The field rule that restricts the column: filtering on it needs the
    /// right to read it on every row (it would reveal it otherwise).
    pub rule: Option<access::Field>,
}

/// What the rows of one table are filtered on, as plain data.
#[derive(Clone, Debug)]
pub struct Filters {
    /// The filter input's type name (`PersonFilter`) without `Filter`.
    pub name: &'static str,
    /// What the rows are called in documentation (`people`).
    pub plural: &'static str,
    pub table: &'static str,
    /// The column other tables' relations name.
    pub key: &'static str,
    pub fields: Vec<FilterField>,
    /// The relations it filters through, by name.
    pub relations: Vec<(&'static str, Reach)>,
    visible: fn(&Actor, &DynIden) -> Condition,
}

impl Filters {
    /// Filters over `table` (its `key`, the rows `visible` to an actor).
    pub fn new(
        name: &'static str,
        plural: &'static str,
        table: &'static str,
        key: &'static str,
        visible: fn(&Actor, &DynIden) -> Condition,
    ) -> Self {
        Filters {
            name,
            plural,
            table,
            key,
            fields: Vec::new(),
            relations: Vec::new(),
            visible,
        }
    }

    /// Adds a field filtered on by operators.
    pub fn field(
        &mut self,
        name: &'static str,
        column: &'static str,
        operand: Operand,
        column_type: &ColumnType,
        rule: Option<access::Field>,
    ) {
        let fixed = matches!(column_type, ColumnType::Char(_));
        self.fields.push(FilterField {
            name,
            column,
            operand,
            fixed,
            rule,
        });
    }

    /// The field named `name`.
    pub fn field_named(&self, name: &str) -> Option<&FilterField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The relation named `name`.
    pub fn relation(&self, name: &str) -> Option<Reach> {
        self.relations
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, reach)| *reach)
    }
}

/// Every table's filters, by table name (the descriptions' and the audit
/// log's).
static TABLES: LazyLock<HashMap<&'static str, Filters>> = LazyLock::new(|| {
    crate::model::filters()
        .into_iter()
        .map(|filters| (filters.table, filters))
        .collect()
});

/// The filters of `table`.
pub fn of_table(table: &str) -> Result<&'static Filters> {
    TABLES
        .get(table)
        .ok_or_else(|| internal(format!("no filters are described for `{table}`")))
}

impl Filter {
    /// This filter as a condition on the rows of `table` in `scope`.
    pub fn condition(&self, table: &Filters, scope: &Scope<'_>) -> Result<Condition> {
        // A field the actor may not read on every row is refused before
        // anything else is compiled.
        for term in &self.terms {
            if let Term::Field(name, _) = term
                && let Some(rule) = field(table, name)?.rule
            {
                forbid_field(scope, true, access::may_read_all(scope.actor, rule), name)?;
            }
        }
        let mut all = combine(scope, &self.and, &self.or, self.not.as_deref(), |f, s| {
            f.condition(table, s)
        })?;
        for term in &self.terms {
            all = all.add(match term {
                Term::Field(name, ops) => {
                    let field = field(table, name)?;
                    let col = scope.col_named(field.column);
                    ops.condition(col, compare(field.fixed, scope.backend), scope, name)?
                }
                Term::One(name, filter) => {
                    let Some(Reach::One {
                        local,
                        table: related,
                        target,
                    }) = table.relation(name)
                    else {
                        return Err(unknown(table, name));
                    };
                    let related = of_table(related)?;
                    scope.to_one(name, local, target, related, |s| {
                        filter.condition(related, s)
                    })?
                }
                Term::Many(name, quantifiers) => {
                    let Some(Reach::Many {
                        link,
                        table: related,
                        key,
                    }) = table.relation(name)
                    else {
                        return Err(unknown(table, name));
                    };
                    let related = of_table(related)?;
                    scope.to_many(name, link, key, related, quantifiers, |f, s| {
                        f.condition(related, s)
                    })?
                }
            });
        }
        Ok(all)
    }
}

fn field<'t>(table: &'t Filters, name: &str) -> Result<&'t FilterField> {
    table.field_named(name).ok_or_else(|| unknown(table, name))
}

fn unknown(table: &Filters, name: &str) -> Error {
    internal(format!("`{}` has no filter `{name}`", table.table))
}

fn internal(message: String) -> Error {
    Error::Internal(sea_orm::DbErr::Custom(message))
}

/// How a compared value is written (see [`compared`]).
fn compare(fixed: bool, backend: DbBackend) -> fn(Value) -> Expr {
    match (backend, fixed) {
        (DbBackend::Postgres, true) => |v| Expr::val(v).cast_as("bpchar"),
        _ => Expr::val,
    }
}

impl Scope<'_> {
    /// The rows of `table` that `actor` may see, under `alias`.
    pub(super) fn visible_rows(&self, table: &Filters) -> Condition {
        (table.visible)(self.actor, &self.alias)
    }
}
