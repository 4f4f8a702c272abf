//! The two SQL dialects of the one statement, and the markers by which the
//! SQLite statement says what SQLite cannot write itself.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, Func};

/// The SQL a statement is written in.
///
/// SQLite differs from PostgreSQL where this module meets it:
/// - A JSON value keeps its JSON type only as the direct argument of a JSON
///   function: the value of a subquery is text, which `json_object` would
///   quote. Every JSON value made by a subquery is therefore wrapped in
///   `json(…)` ([`Dialect::json`]); booleans, stored as 0 and 1, are written
///   `json('true')`/`json('false')` ([`Dialect::boolean`]).
/// - There is no base64 (and PostgreSQL's is slow: see [`Dialect::base64`]),
///   and a float is written with 15 digits where serde_json writes the
///   shortest that reads back: global ids and cursors (on both databases)
///   and sums (on SQLite) are written as *markers*, strings starting with U+0001 (which no
///   stored text holds: writes refuse control characters), and [`super::run`]
///   rewrites each in the answer's text ([`unmark`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dialect {
    Postgres,
    Sqlite,
}

impl Dialect {
    /// The dialect of a database; `None` for one this module does not write.
    pub fn of(backend: DbBackend) -> Option<Self> {
        match backend {
            DbBackend::Postgres => Some(Dialect::Postgres),
            DbBackend::Sqlite => Some(Dialect::Sqlite),
            _ => None,
        }
    }

    pub fn backend(self) -> DbBackend {
        match self {
            Dialect::Postgres => DbBackend::Postgres,
            Dialect::Sqlite => DbBackend::Sqlite,
        }
    }

    pub(super) fn sqlite(self) -> bool {
        self == Dialect::Sqlite
    }

    /// A custom expression written with PostgreSQL's numbered placeholders
    /// (`$1`, reusable): on SQLite, whose placeholders are positional `?`,
    /// each becomes `?` with its value repeated in order.
    pub(super) fn sql(self, template: &str, values: Vec<Expr>) -> Expr {
        if !self.sqlite() {
            return Expr::cust_with_exprs(template.to_owned(), values);
        }
        let mut ordered = Vec::new();
        let out = placeholders(template, |n, out| match values.get(n.wrapping_sub(1)) {
            Some(value) => {
                out.push('?');
                ordered.push(value.clone());
            }
            None => out.push_str(&format!("${n}")),
        });
        Expr::cust_with_exprs(out, ordered)
    }

    /// A JSON value read from a subquery, as a JSON value (see [`Dialect`]).
    pub(super) fn json(self, value: Expr) -> Expr {
        match self {
            Dialect::Postgres => value,
            Dialect::Sqlite => Func::cust("json").arg(value).into(),
        }
    }

    /// A boolean as JSON `true`/`false` (`null` when it is null).
    pub(super) fn boolean(self, value: Expr) -> Expr {
        match self {
            Dialect::Postgres => value,
            Dialect::Sqlite => self.json(Expr::cust_with_exprs(
                "CASE WHEN (?) THEN 'true' WHEN NOT (?) THEN 'false' END",
                [value.clone(), value],
            )),
        }
    }

    /// A JSON literal (`'[]'`).
    pub(super) fn literal(self, json: &str) -> Expr {
        match self {
            Dialect::Postgres => Expr::cust(format!("'{json}'::json")),
            Dialect::Sqlite => Expr::cust(format!("json('{json}')")),
        }
    }

    /// A JSON `null` (an object none of whose fields applies; see
    /// [`super::object_value`]).
    pub(super) fn null(self) -> Expr {
        match self {
            Dialect::Postgres => Expr::cust("NULL::json"),
            Dialect::Sqlite => Expr::cust("NULL"),
        }
    }

    /// `{}`: an object none of whose fields applies (`... on Company { … }`
    /// on a university), as the GraphQL spec writes it.
    pub(super) fn empty_object(self) -> Expr {
        match self {
            Dialect::Postgres => Expr::cust("'{}'::json"),
            Dialect::Sqlite => Expr::cust("json_object()"),
        }
    }

    /// The marker of refusal `n` as SQL (see [`super::REFUSED`]).
    pub(super) fn refused(self, n: usize) -> Expr {
        self.literal(&format!("{{\"!\":{n}}}"))
    }

    /// `text` (SQL text, not null) as URL-safe base64 without padding: a
    /// marker that [`super::run`] rewrites (see [`Dialect`]). PostgreSQL
    /// could write the base64 itself, but its five calls per value
    /// (`convert_to`, `encode`, `translate`, `rtrim` and the concatenation)
    /// took a fifth of a directory page's statement (BENCHMARKS.md, session
    /// 22); the rewrite costs the server a scan of the answer.
    pub(super) fn base64(self, text: Expr) -> Expr {
        match self {
            Dialect::Postgres => Expr::cust_with_expr(format!("chr(1) || '{BASE64}' || $1"), text),
            Dialect::Sqlite => Expr::cust_with_expr(format!("char(1) || '{BASE64}' || ?"), text),
        }
    }
}

/// `template` with each placeholder `$n` written by `write(n, out)`.
pub(super) fn placeholders(template: &str, mut write: impl FnMut(usize, &mut String)) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - at - 1);
        match rest[at + 1..at + 1 + digits].parse::<usize>() {
            Ok(n) => write(n, &mut out),
            Err(_) => out.push_str(&rest[at..at + 1 + digits]),
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

/// After U+0001, the kind of a marker (see [`Dialect`]): the rest of the
/// string is text to write as URL-safe base64 without padding.
pub(super) const BASE64: char = 'B';

/// After U+0001: the rest of the string is a float written to 17 digits
/// (`%!.17g`, which reads back exactly), to write as serde_json does.
pub(super) const FLOAT: char = 'F';

/// The answer's text with each marker (a JSON string starting with U+0001,
/// see [`Dialect`]) replaced by what it stands for: the base64 of its text,
/// or its float as serde_json writes it. `None` when a marker is not one.
pub(super) fn unmark(data: String) -> Option<String> {
    const MARK: &str = "\"\\u0001";
    if !data.contains(MARK) {
        return Some(data);
    }
    let mut out = String::with_capacity(data.len() + data.len() / 8);
    let mut rest = data.as_str();
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        // The string's end: its first quote not escaped after the mark. A
        // global id holds no escape and is read as it stands (a cursor's
        // JSON is decoded): no parser per marker.
        let bytes = rest.as_bytes();
        let start = at + MARK.len();
        let mut end = start;
        let mut escaped = false;
        loop {
            match *bytes.get(end)? {
                b'\\' => {
                    escaped = true;
                    end += 2;
                }
                b'"' => break,
                _ => end += 1,
            }
        }
        let text: std::borrow::Cow<'_, str> = if escaped {
            let mut decoded = serde_json::from_str::<String>(rest.get(at..=end)?).ok()?;
            // U+0001, one byte.
            decoded.remove(0);
            decoded.into()
        } else {
            rest.get(start..end)?.into()
        };
        let mut chars = text.chars();
        match chars.next()? {
            BASE64 => {
                use base64::Engine;
                out.push('"');
                out.push_str(
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(chars.as_str()),
                );
                out.push('"');
            }
            FLOAT => {
                let value: f64 = chars.as_str().parse().ok()?;
                out.push_str(&serde_json::to_string(&value).ok()?);
            }
            _ => return None,
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Value;
    use sea_orm::sea_query::Query;

    #[test]
    fn sqlite_markers_become_base64_and_floats_as_serde_json_writes_them() {
        let data = r#"{"id":"\u0001BOrganization:7","c":["\u0001B{\"o\":\"name\",\"v\":[\"Kōbe\",3]}"],"avg":"\u0001F0.33333333333333331","sum":"\u0001F12.0","big":"\u0001F1.0000000000000000e+16","name":"\u0002B not a marker"}"#;
        let out = unmark(data.to_owned()).expect("markers");
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let expected = serde_json::json!({
            "id": b64("Organization:7"),
            "c": [b64(r#"{"o":"name","v":["Kōbe",3]}"#)],
            "avg": 1.0_f64 / 3.0,
            "sum": 12.0,
            "big": 1e16,
            "name": "\u{2}B not a marker",
        });
        assert_eq!(out, expected.to_string());
        assert!(
            out.contains(r#""avg":0.3333333333333333,"sum":12.0,"#),
            "{out}"
        );
        assert_eq!(unmark(r#"{"x":"\u0001Qwhat"}"#.to_owned()), None);
        // A marker that never ends, or ends inside an escape: not one.
        assert_eq!(unmark(r#"{"x":"\u0001BOrganization:7"#.to_owned()), None);
        assert_eq!(unmark(r#"{"x":"\u0001BOrg\"#.to_owned()), None);
        // An escaped character other than a quote (`\u00e9`, `\\`).
        assert_eq!(
            unmark(r#"["\u0001B\u00e9\\"]"#.to_owned()).as_deref(),
            Some(format!("[\"{}\"]", b64("é\\")).as_str())
        );
        assert_eq!(
            unmark(r#"{"x":"plain"}"#.to_owned()).as_deref(),
            Some(r#"{"x":"plain"}"#)
        );
    }

    #[test]
    fn numbered_placeholders_are_positional_on_sqlite() {
        use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
        let expr = |d: Dialect| d.sql("f($2, $1, $2)", vec![Expr::val(1), Expr::val("a")]);
        let mut pg = Query::select();
        pg.expr(expr(Dialect::Postgres));
        let (sql, values) = pg.build(PostgresQueryBuilder);
        assert_eq!(sql, "SELECT f($1, $2, $3)");
        assert_eq!(values.0.len(), 3);
        let mut lite = Query::select();
        lite.expr(expr(Dialect::Sqlite));
        let (sql, values) = lite.build(SqliteQueryBuilder);
        assert_eq!(sql, "SELECT f(?, ?, ?)");
        assert_eq!(
            values.0,
            vec![
                Value::String(Some("a".to_owned())),
                Value::Int(Some(1)),
                Value::String(Some("a".to_owned()))
            ]
        );
    }
}
