//! Objects built from a row: their fields, and objects whose fields differ
//! per row (an interface's rows, each of the object type its row names).

use sea_orm::sea_query::ColumnType;
use sea_orm::sea_query::{Alias, CaseStatement, DynIden, Expr, ExprTrait, Func, IntoIden};
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic};

use super::{
    Aliases, Dialect, Lateral, Nested, fits, global_id, json_object, mapped, object_value, record,
    record_select, text,
};

/// One key of an object built from a row of `E`.
pub enum Field<E: EntityTrait> {
    /// The column's value as JSON (text, numbers, booleans, dates).
    Column(E::Column),
    /// A fixed-width code with its padding trimmed.
    Trimmed(E::Column),
    /// A stored value mapped to its output text (enums, type names); the
    /// mapping must cover every stored value.
    Mapped(E::Column, Vec<(String, String)>),
    /// A global id: URL-safe base64 without padding of `Type:key`.
    GlobalId(&'static str, E::Column),
    /// An instant in RFC 3339 form to the second, in UTC (`…T09:30:00Z`),
    /// as the `DateTime` scalar writes it.
    DateTime(E::Column),
    /// A column the actor may read on some rows only: its value where
    /// `Readable` admits the row, else the refusal marker `{"!":n}` (see
    /// [`super::REFUSED`]), which the caller replaces by `null` and error `n`.
    Restricted(E::Column, crate::access::Readable, usize),
    /// A fixed text (a concrete type's `__typename`).
    Text(String),
    /// A global id whose type is named per row: `types` maps the stored
    /// value of the first column to the type's name; the second is the key.
    TypedId(E::Column, E::Column, Vec<(String, &'static str)>),
    /// A value computed from a column by SQL both databases read alike
    /// (`FieldOfStudy.level` from the code's length).
    Computed(E::Column, fn(Expr) -> Expr),
    /// A value in a language: `sql(key, fallback, tag)` from the row's key
    /// and fallback columns and the language tag asked for
    /// (`Organization.name(lang:)`).
    Localized(E::Column, E::Column, String, fn(Expr, Expr, &str) -> Expr),
    /// A value computed after the statement from the row's key (an
    /// agreement's EWP IIA document): the statement writes the marker
    /// `{"$":n,"key":<column>}` (see [`super::DERIVED`]), or, where the
    /// reader may not read it on the row (`Readable`), refusal `m`.
    Derived(E::Column, usize, Option<(crate::access::Readable, usize)>),
    /// A figure computed by `sql` from the row's columns (in the order
    /// listed) and the argument its list was asked with; where the reader
    /// may not read it on the row (`Readable`), refusal `n`.
    Figure(
        Vec<E::Column>,
        fn(&[Expr], &str) -> Expr,
        String,
        Option<(crate::access::Readable, usize)>,
    ),
    /// A related object, list or page.
    Nested(Nested),
}

/// An object's fields by response key.
type Fields<E> = Vec<(String, Field<E>)>;

enum Shape<E: EntityTrait> {
    /// The same fields on every row.
    Fixed(Fields<E>),
    /// Fields per stored value of a column (the row's object type).
    PerRow(E::Column, Vec<(String, Fields<E>)>),
}

/// A JSON object built from a row of `E`: response keys in selection order.
pub struct Object<E: EntityTrait> {
    shape: Shape<E>,
}

/// An object as SQL: columns to make a record of (the fast form), or one
/// JSON value (objects whose keys differ per row).
pub enum Built {
    Columns(Vec<(Expr, DynIden)>),
    Json(Expr),
}

impl Built {
    /// The object as one value, its columns as a record.
    pub(super) fn value(self, aliases: &mut Aliases) -> Expr {
        match self {
            Built::Columns(columns) => object_value(columns, aliases),
            Built::Json(json) => json,
        }
    }

    /// The columns of a select whose rows are the objects (a JSON object is
    /// one column, [`OBJECT`]), and whether it is that one column.
    pub(super) fn columns(self) -> (Vec<(Expr, DynIden)>, bool) {
        match self {
            Built::Columns(columns) => (columns, false),
            Built::Json(json) => (vec![(json, Alias::new(OBJECT).into_iden())], true),
        }
    }
}

/// The column holding a per-row object in selects of objects.
pub(super) const OBJECT: &str = "__object";

/// A select's row as the object it holds: the whole row, or its [`OBJECT`].
pub(super) fn row_value(alias: DynIden, json: bool) -> Expr {
    if json {
        Expr::col((alias, Alias::new(OBJECT)))
    } else {
        Expr::col(alias)
    }
}

impl<E: EntityTrait> Object<E> {
    /// `None` when a key is not a GraphQL name or there are more than
    /// [`super::MAX_KEYS`] keys.
    pub fn new(fields: Vec<(String, Field<E>)>) -> Option<Self> {
        fits(&fields).then_some(Object {
            shape: Shape::Fixed(fields),
        })
    }

    /// An object whose fields depend on the row's `column`: each stored
    /// value's object; a row with another value is `null`.
    pub fn per_row(column: E::Column, variants: Vec<(String, Object<E>)>) -> Option<Self> {
        let mut shapes = Vec::with_capacity(variants.len());
        for (value, object) in variants {
            match object.shape {
                Shape::Fixed(fields) => shapes.push((value, fields)),
                Shape::PerRow(..) => return None,
            }
        }
        Some(Object {
            shape: Shape::PerRow(column, shapes),
        })
    }

    /// The columns of `E` the object reads (its rows select only these).
    pub(super) fn reads(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        let mut add = |name: &'static str| {
            if !names.contains(&name) {
                names.push(name);
            }
        };
        let fields: Vec<&(String, Field<E>)> = match &self.shape {
            Shape::Fixed(fields) => fields.iter().collect(),
            Shape::PerRow(column, variants) => {
                add(column.as_str());
                variants.iter().flat_map(|(_, fields)| fields).collect()
            }
        };
        for (_, field) in fields {
            match field {
                Field::Column(c)
                | Field::Trimmed(c)
                | Field::Mapped(c, _)
                | Field::GlobalId(_, c)
                | Field::DateTime(c)
                | Field::Computed(c, _) => add(c.as_str()),
                Field::TypedId(ty, key, _) | Field::Localized(ty, key, _, _) => {
                    add(ty.as_str());
                    add(key.as_str());
                }
                Field::Restricted(c, readable, _) | Field::Derived(c, _, Some((readable, _))) => {
                    if let Some(owner) = readable.reads() {
                        add(owner);
                    }
                    add(c.as_str());
                }
                Field::Derived(c, _, None) => add(c.as_str()),
                Field::Figure(columns, _, _, rule) => {
                    if let Some(owner) = rule.as_ref().and_then(|(r, _)| r.reads()) {
                        add(owner);
                    }
                    for c in columns {
                        add(c.as_str());
                    }
                }
                Field::Text(_) => {}
                Field::Nested(nested) => {
                    for name in &nested.reads {
                        add(name);
                    }
                }
            }
        }
        names
    }

    /// The object over the row aliased `row`; related rows join `laterals`.
    pub(super) fn build(
        self,
        aliases: &mut Aliases,
        row: &DynIden,
        laterals: &mut Vec<Lateral>,
    ) -> Built {
        // No field applies: `{}` (see `object_value`).
        let dialect = aliases.dialect;
        let empty = || dialect.empty_object();
        match self.shape {
            Shape::Fixed(fields) if fields.is_empty() => Built::Json(empty()),
            Shape::Fixed(fields) => Built::Columns(columns::<E>(fields, aliases, row, laterals)),
            Shape::PerRow(column, variants) => {
                let mut case = CaseStatement::new();
                for (value, fields) in variants {
                    let object = if fields.is_empty() {
                        empty()
                    } else {
                        let columns = columns::<E>(fields, aliases, row, laterals);
                        match dialect {
                            Dialect::Postgres => Expr::cust_with_expr(
                                "to_json($1)",
                                record(record_select(columns), aliases),
                            ),
                            Dialect::Sqlite => json_object(columns),
                        }
                    };
                    case = case.case(Expr::col((row.clone(), column)).eq(text(&value)), object);
                }
                // On SQLite the `CASE` is text: `json` makes it JSON again.
                // (Every stored value has its variant: no row is `null`.)
                Built::Json(dialect.json(Expr::Case(Box::new(case.finally(dialect.null())))))
            }
        }
    }
}

/// The columns (value, key) of `fields` over the row aliased `row`.
fn columns<E: EntityTrait>(
    fields: Vec<(String, Field<E>)>,
    aliases: &mut Aliases,
    row: &DynIden,
    laterals: &mut Vec<Lateral>,
) -> Vec<(Expr, DynIden)> {
    let dialect = aliases.dialect;
    let col = |c: E::Column| Expr::col((row.clone(), c));
    let boolean = |c: &E::Column| matches!(c.def().get_column_type(), ColumnType::Boolean);
    let double = |c: &E::Column| {
        matches!(
            c.def().get_column_type(),
            ColumnType::Double | ColumnType::Float
        )
    };
    let json = |c: &E::Column| {
        matches!(
            c.def().get_column_type(),
            ColumnType::Json | ColumnType::JsonBinary
        )
    };
    let mut columns = Vec::with_capacity(fields.len());
    for (key, field) in fields {
        let value = match field {
            Field::Column(c) if boolean(&c) => dialect.boolean(col(c)),
            // A whole float as PostgreSQL writes it (`10`, not SQLite's `10.0`).
            Field::Column(c) if double(&c) && dialect == Dialect::Sqlite => Expr::cust_with_exprs(
                "CASE WHEN ? = CAST(? AS INTEGER) THEN CAST(? AS INTEGER) ELSE ? END",
                [col(c), col(c), col(c), col(c)],
            ),
            // SQLite keeps JSON as text.
            Field::Column(c) if json(&c) => dialect.json(col(c)),
            Field::Column(c) => col(c),
            Field::Trimmed(c) => Func::cust("rtrim").arg(col(c)).into(),
            Field::Mapped(c, map) => mapped(col(c), &map),
            Field::GlobalId(ty, c) => global_id(dialect, ty, col(c)),
            Field::TypedId(of, key, types) => {
                let mut case = CaseStatement::new();
                for (stored, ty) in types {
                    case = case.case(col(of).eq(text(&stored)), global_id(dialect, ty, col(key)));
                }
                Expr::Case(Box::new(case.finally(Expr::null())))
            }
            Field::DateTime(c) => match dialect {
                Dialect::Postgres => Expr::cust_with_expr(
                    r#"to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#,
                    col(c),
                ),
                Dialect::Sqlite => {
                    Expr::cust_with_expr("strftime('%Y-%m-%dT%H:%M:%SZ', ?)", col(c))
                }
            },
            Field::Restricted(c, readable, marker) => {
                guarded(dialect, &readable, row, col(c), boolean(&c), marker)
            }
            Field::Text(value) => text(&value),
            Field::Derived(c, n, rule) => {
                let n = Expr::val(n as i64);
                let marker = match dialect {
                    Dialect::Postgres => {
                        Expr::cust_with_exprs("json_build_object('$', $1, 'key', $2)", [n, col(c)])
                    }
                    Dialect::Sqlite => {
                        Expr::cust_with_exprs("json_object('$', ?, 'key', ?)", [n, col(c)])
                    }
                };
                match (rule, dialect) {
                    (None, _) => marker,
                    (Some((readable, m)), Dialect::Postgres) => Expr::Case(Box::new(
                        CaseStatement::new()
                            .case(readable.condition(row), marker)
                            .finally(dialect.refused(m)),
                    )),
                    (Some((readable, m)), Dialect::Sqlite) => dialect.json(Expr::Case(Box::new(
                        CaseStatement::new()
                            .case(readable.condition(row), marker)
                            .finally(text(&format!("{{\"!\":{m}}}"))),
                    ))),
                }
            }
            Field::Computed(c, sql) => sql(col(c)),
            Field::Localized(key, fallback, tag, sql) => sql(col(key), col(fallback), &tag),
            Field::Figure(columns, sql, argument, rule) => {
                let values: Vec<Expr> = columns.into_iter().map(col).collect();
                let value = sql(&values, &argument);
                match rule {
                    None => value,
                    Some((readable, marker)) => {
                        guarded(dialect, &readable, row, value, false, marker)
                    }
                }
            }
            Field::Nested(nested) => nested.build(aliases, row, laterals),
        };
        columns.push((value, Alias::new(key).into_iden()));
    }
    columns
}

/// `value` where `readable` admits the row aliased `row`, else the refusal
/// marker `{"!":marker}` (see [`super::REFUSED`]).
fn guarded(
    dialect: Dialect,
    readable: &crate::access::Readable,
    row: &DynIden,
    value: Expr,
    boolean: bool,
    marker: usize,
) -> Expr {
    match dialect {
        Dialect::Postgres => Expr::Case(Box::new(
            CaseStatement::new()
                .case(
                    readable.condition(row),
                    Expr::cust_with_expr("to_json($1)", value),
                )
                .finally(dialect.refused(marker)),
        )),
        // The value's JSON text or the marker's, made JSON.
        Dialect::Sqlite => {
            let value = if boolean {
                Expr::cust_with_exprs(
                    "CASE WHEN (?) THEN 'true' WHEN NOT (?) THEN 'false' ELSE 'null' END",
                    [value.clone(), value],
                )
            } else {
                Func::cust("json_quote").arg(value).into()
            };
            dialect.json(Expr::Case(Box::new(
                CaseStatement::new()
                    .case(readable.condition(row), value)
                    .finally(text(&format!("{{\"!\":{marker}}}"))),
            )))
        }
    }
}
