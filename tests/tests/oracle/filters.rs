//! Every scalar filter field of every connection, as every role, against
//! SQL: the fields come from the schema (introspection of `<Type>Filter`;
//! a field is named after its column), each asked with `eq` on a value the
//! role sees and with `isNull`, and the rows counted compared with SQL's.
//! A filter on a field the role may not read on every row is refused.

use serde_json::json;

use super::{Oracle, Reader, rows};
use service::model::{Kind, Shape};

impl Oracle<'_> {
    /// What the filter input type `ty` filters — `String`, `Int`,
    /// `Date` or an enum (`"enum"`), by the type its `eq` takes — and
    /// whether it has `isNull`; `None` for other filters (relations, ids,
    /// instants, booleans: their own tests).
    async fn operand(&self, ty: &str) -> Option<(&'static str, bool)> {
        let fields = self
            .introspect(ty, "inputFields", "name type { kind name }")
            .await;
        let eq = fields.iter().find(|f| f["name"] == "eq")?;
        let of = match (eq["type"]["kind"].as_str(), eq["type"]["name"].as_str()) {
            (Some("ENUM"), _) => "enum",
            (Some("SCALAR"), Some("String")) => "String",
            (Some("SCALAR"), Some("Int")) => "Int",
            (Some("SCALAR"), Some("Date")) => "Date",
            _ => return None,
        };
        Some((of, fields.iter().any(|f| f["name"] == "isNull")))
    }

    pub(super) async fn check_filters(&self, shape: &Shape, reader: &Reader) {
        let filter_type = format!("{}Filter", shape.name);
        let fields = self
            .introspect(&filter_type, "inputFields", "name type { name kind }")
            .await;
        let sees = reader.sees(shape.table);
        let mut asked = 0;
        for field in fields {
            let name = field["name"].as_str().expect("a name");
            let ty = field["type"]["name"].as_str().unwrap_or_default();
            // Scalar operators only: relations have their own types'
            // checks, `id` its own test.
            if field["type"]["kind"] != "INPUT_OBJECT" || name == "id" {
                continue;
            }
            let Some((scalar, nullable)) = self.operand(ty).await else {
                continue;
            };
            let column = e2e::snake(name);
            let described = shape
                .fields
                .iter()
                .find(|f| super::column(f.kind) == Some(column.as_str()));
            let Some(described) = described else {
                panic!("{filter_type}.{name}: no described field reads {column}");
            };
            let who = format!("{} filter {{ {name} }} as {}", shape.name, reader.name);
            let restricted = matches!(described.kind, Kind::Restricted(..));
            let sample = rows(
                &self.db,
                &format!(
                    "SELECT CAST(t.{column} AS TEXT) FROM {table} t
                     WHERE {sees} AND t.{column} IS NOT NULL ORDER BY t.{key} LIMIT 1",
                    table = shape.table,
                    key = shape.key,
                ),
            )
            .await;
            let stored = sample.first().and_then(|r| r[0].clone());
            let mut cases = Vec::new();
            if nullable {
                cases.push((json!({ "isNull": true }), format!("t.{column} IS NULL")));
            }
            if let Some(stored) = &stored {
                let value = match scalar {
                    "Int" => json!(stored.parse::<i64>().expect("an integer")),
                    "enum" => json!(stored.to_uppercase()),
                    _ => json!(stored.trim_end()),
                };
                let literal = stored.replace('\'', "''");
                cases.push((json!({ "eq": value }), format!("t.{column} = '{literal}'")));
            }
            for (operand, condition) in cases {
                let query = format!(
                    "query($filter: {filter_type}) {{ {} (filter: $filter) {{ aggregate {{ count }} }} }}",
                    shape.root
                );
                let body = self
                    .post(reader, &query, json!({ "filter": { name: operand } }))
                    .await;
                let at = format!("{who}: {operand}");
                if restricted && !reader.staff() {
                    let errors = body["errors"]
                        .as_array()
                        .unwrap_or_else(|| panic!("{at}: refused: {body}"));
                    assert_eq!(errors[0]["extensions"]["code"], "FORBIDDEN", "{at}: {body}");
                    continue;
                }
                let sql = format!(
                    "SELECT CAST(COUNT(*) AS TEXT) FROM {table} t WHERE {sees} AND {condition}",
                    table = shape.table,
                );
                let want: u64 = rows(&self.db, &sql).await[0][0]
                    .as_deref()
                    .and_then(|n| n.parse().ok())
                    .expect("a count");
                assert_eq!(
                    body["data"][shape.root]["aggregate"]["count"],
                    json!(want),
                    "{at}: {body}"
                );
                asked += 1;
            }
        }
        assert!(
            asked > 0 || !reader.staff(),
            "{}: no filter asked",
            shape.name
        );
    }
}
