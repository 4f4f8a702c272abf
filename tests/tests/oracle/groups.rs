//! Every group key of every connection's `groups`, as every role, against
//! SQL: the keys come from the schema (introspection of `<Type>GroupBy`,
//! whose values name their column and part: "`enrolled_on` (Year)"), so a
//! key added to a type is asked here with nothing to extend.

use std::collections::{BTreeMap, HashSet};

use sea_orm::DbBackend;
use serde_json::{Value, json};

use super::{Oracle, Reader, column, expected, rows};
use service::model::{FieldShape, Kind, Shape};

/// At most this many groups are asked for (the page size cap).
const FIRST: usize = 100;

/// A column's name for as long as the test runs.
fn leak(name: &str) -> &'static str {
    Box::leak(name.to_owned().into_boxed_str())
}

/// `HOME_ORGANIZATION` → `homeOrganization`.
fn camel(value: &str) -> String {
    let mut out = String::new();
    for (i, word) in value.split('_').enumerate() {
        let word = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&word);
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

/// The column and part a group-by value's description names.
fn described(description: &str) -> (String, String) {
    let column = description
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("a column in {description:?}"));
    let part = description
        .split('(')
        .nth(1)
        .and_then(|p| p.split(')').next())
        .unwrap_or_else(|| panic!("a part in {description:?}"));
    (column.to_owned(), part.to_owned())
}

impl Oracle<'_> {
    /// `groups(by: [key])` of `shape`'s root connection for every key the
    /// schema offers, as `reader`: the groups and their counts SQL finds
    /// over the rows the reader sees (a related row the reader may not see
    /// is a `null` key), and a key over a field the reader may not read on
    /// every row refused with `FORBIDDEN`.
    pub(super) async fn check_groups(&self, shape: &Shape, reader: &Reader) {
        let values = self
            .introspect(
                &format!("{}GroupBy", shape.name),
                "enumValues",
                "name description",
            )
            .await;
        // Which keys are related rows (asked as `{ id }`), by the key
        // type's fields.
        let key_fields = self
            .introspect(
                &format!("{}GroupKey", shape.name),
                "fields",
                "name type { kind ofType { kind } }",
            )
            .await;
        let related: HashSet<String> = key_fields
            .iter()
            .filter(|f| {
                let t = &f["type"];
                let kind = t["ofType"]["kind"].as_str().or(t["kind"].as_str());
                matches!(kind, Some("OBJECT" | "INTERFACE"))
            })
            .map(|f| f["name"].as_str().expect("a name").to_owned())
            .collect();
        let postgres = self.db.get_database_backend() == DbBackend::Postgres;
        for value in values {
            let by = value["name"].as_str().expect("a name");
            let who = format!("{} groups(by: [{by}]) as {}", shape.name, reader.name);
            let (col, part) = described(value["description"].as_str().expect("a description"));
            let key = camel(by);
            // The described field reading the column: the related row's
            // for a related key, else the stored value's (a plain column
            // where only a relation reads it: `broadCode`).
            let reads = |f: &&FieldShape| column(f.kind) == Some(col.as_str());
            let to_one = |f: &&FieldShape| matches!(f.kind, Kind::ToOne(..));
            let kind = if related.contains(&key) {
                let field = shape.fields.iter().filter(reads).find(to_one);
                field
                    .unwrap_or_else(|| panic!("{who}: no relation reads {col}"))
                    .kind
            } else {
                let field = shape.fields.iter().filter(reads).find(|f| !to_one(f));
                field.map_or(Kind::Column(leak(&col)), |f| f.kind)
            };
            let asked = if related.contains(&key) {
                format!("{key} {{ id }}")
            } else {
                key.clone()
            };
            let query = format!(
                "{{ {root} {{ groups(by: [{by}], first: {FIRST}) {{ key {{ {asked} }} count }} }} }}",
                root = shape.root
            );
            let body = self.post(reader, &query, json!({})).await;
            if matches!(kind, Kind::Restricted(..)) && !reader.staff() {
                assert_eq!(
                    body["data"][shape.root],
                    Value::Null,
                    "{who}: refused: {body}"
                );
                let errors = body["errors"].as_array().expect("errors");
                assert_eq!(errors.len(), 1, "{who}: {body}");
                assert_eq!(
                    errors[0]["extensions"]["code"], "FORBIDDEN",
                    "{who}: {body}"
                );
                assert_eq!(errors[0]["path"], json!([shape.root, "groups"]), "{who}");
                continue;
            }
            assert!(body.get("errors").is_none(), "{who}: {body}");
            let sql_key = match (part.as_str(), postgres) {
                ("Value", _) => format!("t.{col}"),
                ("Year", true) => format!("CAST(EXTRACT(YEAR FROM t.{col}) AS BIGINT)"),
                ("Month", true) => format!("CAST(EXTRACT(MONTH FROM t.{col}) AS BIGINT)"),
                ("Year", false) => format!("CAST(strftime('%Y', t.{col}) AS INTEGER)"),
                ("Month", false) => format!("CAST(strftime('%m', t.{col}) AS INTEGER)"),
                (other, _) => panic!("{who}: a part the oracle does not know: {other}"),
            };
            let sql = format!(
                "SELECT CAST({sql_key} AS TEXT), CAST(COUNT(*) AS TEXT) FROM {table} t
                 WHERE {sees} GROUP BY {sql_key}",
                table = shape.table,
                sees = reader.sees(shape.table),
            );
            let visible: Option<HashSet<String>> = match kind {
                Kind::ToOne(_, target) if part == "Value" => {
                    let target = self.shape_of(target);
                    Some(self.keys(target, reader).await.into_iter().collect())
                }
                _ => None,
            };
            let answered = body["data"][shape.root]["groups"]
                .as_array()
                .unwrap_or_else(|| panic!("{who}: {body}"));
            // Each group's key as the API writes it, and how often each
            // (key, count) occurs.
            let mut want: BTreeMap<String, usize> = BTreeMap::new();
            let found = rows(&self.db, &sql).await;
            for row in &found {
                let stored = row[0].as_deref().map(str::trim_end);
                let count: u64 = row[1]
                    .as_deref()
                    .and_then(|c| c.parse().ok())
                    .expect("a count");
                let sample = answered
                    .iter()
                    .map(|g| g["key"][&key].clone())
                    .find(|v| !v.is_null())
                    .unwrap_or_default();
                let key_value = match (kind, &visible) {
                    (Kind::ToOne(_, target), Some(visible)) => match stored {
                        Some(k) if visible.contains(k) => json!({ "id": self.id(target, k) }),
                        _ => Value::Null,
                    },
                    _ if part != "Value" => match stored {
                        Some(n) => json!(n.parse::<i64>().expect("a number")),
                        None => Value::Null,
                    },
                    (kind, _) => expected(kind, stored, &sample),
                };
                *want
                    .entry(json!([key_value, count]).to_string())
                    .or_default() += 1;
            }
            let mut got: BTreeMap<String, usize> = BTreeMap::new();
            for group in answered {
                *got.entry(json!([group["key"][&key], group["count"]]).to_string())
                    .or_default() += 1;
            }
            if found.len() <= FIRST {
                assert_eq!(got, want, "{who}");
            } else {
                assert_eq!(answered.len(), FIRST, "{who}");
                for (group, n) in &got {
                    assert!(want.get(group).is_some_and(|w| w >= n), "{who}: {group}");
                }
            }
        }
    }
}
