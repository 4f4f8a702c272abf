//! Every measure of every connection's `aggregate`, as every role, against
//! SQL: the measures come from the schema (introspection), each named after
//! its column (`foundedYear` reads `founded_year`), so a measure added to a
//! type is asked here with nothing to extend.

use e2e::snake;
use serde_json::{Value, json};

use super::{Oracle, Reader, rows};
use service::model::{Kind, Shape};

/// The fields of a GraphQL type with the names of their (unwrapped) types.
async fn fields_of(oracle: &Oracle<'_>, ty: &str) -> Vec<(String, String)> {
    let selection = "name type { name ofType { name ofType { name } } }";
    let fields = oracle.introspect(ty, "fields", selection).await;
    fields
        .iter()
        .map(|f| {
            let t = &f["type"];
            let name = [
                &t["name"],
                &t["ofType"]["name"],
                &t["ofType"]["ofType"]["name"],
            ]
            .into_iter()
            .find_map(Value::as_str)
            .expect("a named type");
            (
                f["name"].as_str().expect("a name").to_owned(),
                name.to_owned(),
            )
        })
        .collect()
}

/// The SQL of one operation of `aggregate` over a column.
fn sql_of(op: &str, column: &str) -> String {
    match op {
        "distinctCount" => format!("COUNT(DISTINCT t.{column})"),
        "min" => format!("MIN(t.{column})"),
        "max" => format!("MAX(t.{column})"),
        "sum" => format!("SUM(t.{column})"),
        "avg" => format!("AVG(t.{column})"),
        other => panic!("an aggregate operation the oracle does not know: {other}"),
    }
}

impl Oracle<'_> {
    /// `aggregate` of `shape`'s root connection with every measure the
    /// schema offers, as `reader`: each value what SQL computes over the
    /// rows the reader sees, and each measure over a field the reader may
    /// not read on every row `null` with `FORBIDDEN` at its path.
    pub(super) async fn check_aggregates(&self, shape: &Shape, reader: &Reader) {
        let who = format!("{} aggregate as {}", shape.name, reader.name);
        let ops: Vec<(String, String)> = fields_of(self, &format!("{}Aggregate", shape.name))
            .await
            .into_iter()
            .filter(|(name, _)| name != "count" && name != "__typename")
            .collect();
        assert!(!ops.is_empty(), "{who}: no measures");
        let mut selection = String::from("count");
        let mut asked = Vec::new();
        for (op, ty) in &ops {
            let measures = fields_of(self, ty).await;
            let names: Vec<&str> = measures.iter().map(|(n, _)| n.as_str()).collect();
            selection.push_str(&format!(" {op} {{ {} }}", names.join(" ")));
            for (measure, _) in measures {
                asked.push((op.clone(), measure));
            }
        }
        let query = format!("{{ {} {{ aggregate {{ {selection} }} }} }}", shape.root);
        let body = self.post(reader, &query, json!({})).await;
        let answer = &body["data"][shape.root]["aggregate"];
        assert!(answer.is_object(), "{who}: {body}");
        let sees = reader.sees(shape.table);
        let mut refused = Vec::new();
        for (op, measure) in &asked {
            let at = format!("{who}: {op} {{ {measure} }}");
            let column = snake(measure);
            let value = &answer[op][measure];
            let restricted = shape
                .fields
                .iter()
                .any(|f| matches!(f.kind, Kind::Restricted(c, _) if c == column));
            if restricted && !reader.staff() {
                assert_eq!(value, &Value::Null, "{at}: refused");
                refused.push(json!([shape.root, "aggregate", op, measure]));
                continue;
            }
            let sql = format!(
                "SELECT CAST({} AS TEXT) FROM {} t WHERE {sees}",
                sql_of(op, &column),
                shape.table
            );
            let found = rows(&self.db, &sql).await;
            let want = found[0][0].as_deref().map(str::trim_end);
            match (want, value) {
                (None, _) => assert_eq!(value, &Value::Null, "{at}"),
                (Some(want), Value::Number(n)) => {
                    let (want, got) = (
                        want.parse::<f64>().expect("a number"),
                        n.as_f64().expect("a number"),
                    );
                    assert!(
                        (want - got).abs() <= 1e-9 * want.abs().max(1.0),
                        "{at}: {got}, SQL {want}"
                    );
                }
                (Some(want), Value::String(got)) => assert_eq!(got.as_str(), want, "{at}"),
                (Some(want), other) => panic!("{at}: {other}, SQL {want}"),
            }
        }
        let mut placed: Vec<Value> = body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{who}: {e}");
                        e["path"].clone()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let key = |v: &Value| v.to_string();
        placed.sort_by_key(key);
        refused.sort_by_key(key);
        assert_eq!(placed, refused, "{who}: the refusals' paths");
    }
}
