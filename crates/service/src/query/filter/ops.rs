//! Operators: each `Ops` of a filter as SQL.

use super::*;

/// Rows for which `cond` is not true (NULL counts as not true).
pub fn negate(cond: Condition) -> Condition {
    Condition::all().add(Expr::case(cond, 1).finally(0).eq(0))
}

pub(super) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(super) fn check_list<T>(list: &[T], scope: &Scope<'_>, op: &str) -> Result<()> {
    if list.len() > MAX_IN_LIST {
        let field = format!("{}.{op}", scope.path);
        return Err(Error::bad_input(
            field.clone(),
            format!("`{field}` may hold at most {MAX_IN_LIST} values"),
        ));
    }
    Ok(())
}

/// How a compared value is written for `column`: on PostgreSQL, a value for a
/// fixed-width `char(n)` column is cast to `bpchar`, so that the column is
/// compared as itself and its indexes apply (a `text` value would cast the
/// column instead, and every row would be read).
pub fn compared<C: ColumnTrait>(column: C, backend: DbBackend) -> fn(Value) -> Expr {
    match (backend, column.def().get_column_type()) {
        (DbBackend::Postgres, ColumnType::Char(_)) => |v| Expr::val(v).cast_as("bpchar"),
        _ => Expr::val,
    }
}

impl<T: FilterValue> Ops<T> {
    /// The condition on `col` (a column of `scope`'s table) for field `name`,
    /// with values written by `value` (see [`compared`]).
    pub fn condition(
        &self,
        col: Expr,
        value: fn(Value) -> Expr,
        scope: &Scope<'_>,
        name: &str,
    ) -> Result<Condition> {
        let scope = scope.at(name);
        let v = |x: &T| value(x.value());
        let mut all = Condition::all();
        if let Some(x) = &self.eq {
            all = all.add(col.clone().eq(v(x)));
        }
        if let Some(x) = &self.ne {
            all = all.add(
                Condition::any()
                    .add(col.clone().ne(v(x)))
                    .add(col.clone().is_null()),
            );
        }
        if let Some(list) = &self.in_list {
            check_list(list, &scope, "in")?;
            all = all.add(col.clone().is_in(list.iter().map(v)));
        }
        if let Some(list) = &self.not_in {
            check_list(list, &scope, "notIn")?;
            all = all.add(
                Condition::any()
                    .add(col.clone().is_not_in(list.iter().map(v)))
                    .add(col.clone().is_null()),
            );
        }
        if let Some(x) = &self.lt {
            all = all.add(col.clone().lt(v(x)));
        }
        if let Some(x) = &self.lte {
            all = all.add(col.clone().lte(v(x)));
        }
        if let Some(x) = &self.gt {
            all = all.add(col.clone().gt(v(x)));
        }
        if let Some(x) = &self.gte {
            all = all.add(col.clone().gte(v(x)));
        }
        if let Some(s) = &self.contains {
            all = all.add(scope.like(col.clone(), format!("%{}%", escape_like(s))));
        }
        if let Some(s) = &self.starts_with {
            all = all.add(scope.like(col.clone(), format!("{}%", escape_like(s))));
        }
        if let Some(null) = self.is_null {
            all = all.add(if null {
                col.clone().is_null()
            } else {
                col.clone().is_not_null()
            });
        }
        Ok(scope.leaf(all))
    }
}
