//! Objects of figures the service writes as SQL text (`statistics`):
//! single values, pairs of counts read once for the two fields that show
//! them, and group-by lists whose keys may name a row.

use sea_orm::sea_query::{Alias, Expr, IntoIden, Query};

use super::{
    Dialect, Nested, fits, json_object, mapped, object_select, placeholders, record, text,
};
use crate::statistics::Sql;

/// Which count of a pair ([`Figure::Pair`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// How many (`n`).
    Count,
    /// How many distinct (`d`).
    Distinct,
}

/// One key of an object of figures.
pub enum Figure {
    /// A text, or `null`.
    Text(Option<String>),
    /// The one value of `sql`'s one row.
    Value(Sql),
    /// A count of `sql`'s one row of `n` and `d`, read once for every key
    /// that shows one of them.
    Pair(Sql, Part),
    /// `sql`'s rows (`k` and `n`) in `order` (an `ORDER BY` over `k` and
    /// `n`), each an object.
    Groups(Sql, String, Vec<(String, GroupPart)>),
    /// A figure refused with refusal `n` (its arguments are refused).
    Refused(usize),
}

/// One key of a group's object.
pub enum GroupPart {
    /// How many (`n`).
    Count,
    /// The key as an integer (a year).
    Integer,
    /// The key, a stored value shown by its name.
    Mapped(Vec<(String, String)>),
    /// The row the key names (built over the group's row, column `k`).
    Row(Nested),
    /// A fixed text (`__typename`).
    Text(String),
}

/// `sql` with `extra` values after its own, written in `template` (which
/// holds `{sql}` where the text goes and refers to the extra values as
/// `$1`, `$2`, … of its own).
fn embed(dialect: Dialect, template: &str, sql: Sql, extra: Vec<Expr>) -> Expr {
    let offset = sql.values.len();
    let renumbered = placeholders(template, |n, out| out.push_str(&format!("${}", n + offset)));
    let mut values: Vec<Expr> = sql.values.into_iter().map(Expr::val).collect();
    values.extend(extra);
    dialect.sql(&renumbered.replace("{sql}", &sql.text), values)
}

/// An object of figures; `None` when a key is not a GraphQL name, or a
/// group has more than [`super::MAX_AGGREGATE_KEYS`] keys.
pub fn figures(fields: Vec<(String, Figure)>) -> Option<Nested> {
    let groups_fit = fields.iter().all(|(_, figure)| match figure {
        Figure::Groups(_, _, parts) => parts.len() <= super::MAX_AGGREGATE_KEYS && fits(parts),
        _ => true,
    });
    if !fits(&fields) || !groups_fit {
        return None;
    }
    Some(Nested::new(None, move |aliases, _, _| {
        let dialect = aliases.dialect;
        let source = aliases.next();
        let mut pairs: Vec<Sql> = Vec::new();
        let mut read = Query::select();
        let mut columns = Vec::with_capacity(fields.len());
        for (key, figure) in fields {
            let value = match figure {
                Figure::Text(Some(value)) => text(&value),
                Figure::Text(None) => Expr::cust("NULL"),
                Figure::Value(sql) => embed(dialect, "({sql})", sql, Vec::new()),
                Figure::Refused(n) => dialect.refused(n),
                Figure::Pair(sql, part) => {
                    let i = match pairs.iter().position(|p| *p == sql) {
                        Some(i) => i,
                        None => {
                            let pair = match dialect {
                                Dialect::Postgres => {
                                    "(SELECT json_build_object('n', n, 'd', d) FROM ({sql}) AS p)"
                                }
                                Dialect::Sqlite => {
                                    "(SELECT json_object('n', n, 'd', d) FROM ({sql}) AS p)"
                                }
                            };
                            read.expr_as(
                                embed(dialect, pair, sql.clone(), Vec::new()),
                                Alias::new(format!("p{}", pairs.len())),
                            );
                            pairs.push(sql);
                            pairs.len() - 1
                        }
                    };
                    let name = match part {
                        Part::Count => "n",
                        Part::Distinct => "d",
                    };
                    let column = Expr::col((source.clone(), Alias::new(format!("p{i}"))));
                    match dialect {
                        Dialect::Postgres => {
                            Expr::cust_with_exprs(format!("(($1) ->> '{name}')::bigint"), [column])
                        }
                        Dialect::Sqlite => {
                            Expr::cust_with_exprs(format!("json_extract(?, '$.{name}')"), [column])
                        }
                    }
                }
                Figure::Groups(sql, order, parts) => {
                    let group = aliases.next();
                    let k = || Expr::col((group.clone(), Alias::new("k")));
                    let mut object = Vec::with_capacity(parts.len());
                    for (key, part) in parts {
                        let value = match part {
                            GroupPart::Count => Expr::col((group.clone(), Alias::new("n"))),
                            GroupPart::Integer => dialect.sql("CAST($1 AS INTEGER)", vec![k()]),
                            GroupPart::Mapped(map) => mapped(k(), &map),
                            GroupPart::Row(nested) => {
                                nested.build(aliases, &group, &mut Vec::new())
                            }
                            GroupPart::Text(value) => text(&value),
                        };
                        object.push((value, Alias::new(key).into_iden()));
                    }
                    let object = match dialect {
                        Dialect::Postgres => {
                            let mut template = String::from("json_build_object(");
                            let mut values = Vec::with_capacity(object.len() * 2);
                            for (i, (value, key)) in object.into_iter().enumerate() {
                                if i > 0 {
                                    template.push_str(", ");
                                }
                                values.push(text(&key.to_string()));
                                values.push(value);
                                template.push_str(&format!(
                                    "${}, ${}",
                                    values.len() - 1,
                                    values.len()
                                ));
                            }
                            template.push(')');
                            dialect.sql(&template, values)
                        }
                        Dialect::Sqlite => json_object(object),
                    };
                    let list = match dialect {
                        Dialect::Postgres => format!(
                            "coalesce((SELECT json_agg($1 ORDER BY {order}) FROM ({{sql}}) AS \"{group}\"), '[]'::json)"
                        ),
                        Dialect::Sqlite => format!(
                            "json(coalesce((SELECT '[' || group_concat($1, ',' ORDER BY {order}) || ']' FROM ({{sql}}) AS \"{group}\"), '[]'))"
                        ),
                    };
                    embed(dialect, &list, sql, vec![object])
                }
            };
            columns.push((value, Alias::new(key).into_iden()));
        }
        if columns.is_empty() {
            return dialect.null();
        }
        let (mut select, _) = object_select(columns, dialect);
        if !pairs.is_empty() {
            select.from_subquery(read, source);
        }
        record(select, aliases)
    }))
}
