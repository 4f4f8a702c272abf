//! Every order field of every connection, both directions, as every role,
//! against SQL: the fields come from the schema (introspection of
//! `<Type>OrderField`) and what each sorts by from the catalog (a column,
//! a related row's column, or a count of related rows); the order itself is
//! written here from README's rules — NULLs sort as the largest value, the
//! id breaks ties (ascending, whatever the direction), text sorts in the locale-aware
//! collation, a count counts only the rows the reader may see — and every
//! page is walked by cursor, so the keyset conditions are checked too.

use serde_json::{Value, json};
use service::model::Shape;
use service::query::resource::{Link, OrderOf};

use super::{Oracle, Reader, rows};

/// `PascalCase` as `SCREAMING_SNAKE_CASE`.
fn screaming(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

impl Oracle<'_> {
    pub(super) async fn check_orders(&self, shape: &Shape, reader: &Reader) {
        let declared: Vec<String> = self
            .introspect(&format!("{}OrderField", shape.name), "enumValues", "name")
            .await
            .iter()
            .map(|v| v["name"].as_str().expect("a name").to_owned())
            .collect();
        let described: Vec<String> = shape.order.iter().map(|(n, _)| screaming(n)).collect();
        assert_eq!(declared, described, "{}'s order fields", shape.name);
        let sqlite = self.db.get_database_backend() == sea_orm::DbBackend::Sqlite;
        let node = shape.node.expect("a node type");
        for (name, of) in &shape.order {
            let value = match of {
                OrderOf::Column { column, .. } => format!("t.{column}"),
                OrderOf::Related {
                    fk,
                    table,
                    key,
                    column,
                    ..
                } => format!("(SELECT r.{column} FROM {table} r WHERE r.{key} = t.{fk})"),
                OrderOf::Count(link, child) => {
                    let child_key = self
                        .shapes
                        .iter()
                        .find(|s| s.table == *child)
                        .expect("a described child")
                        .key;
                    // The reader's rule, over the child as `c`.
                    let sees = reader.sees(child).replace("t.", "c.");
                    let reached = match link {
                        Link::Column(column) => format!("c.{column} = t.{}", shape.key),
                        Link::Via {
                            table: join,
                            child_fk,
                            parent_fk,
                        } => format!(
                            "c.{child_key} IN (SELECT j.{child_fk} FROM {join} j WHERE j.{parent_fk} = t.{})",
                            shape.key
                        ),
                    };
                    format!("(SELECT COUNT(*) FROM {child} c WHERE {reached} AND {sees})")
                }
            };
            let text = matches!(
                of,
                OrderOf::Column { text: true, .. } | OrderOf::Related { text: true, .. }
            );
            let collated = if text && sqlite {
                format!("{value} COLLATE unicode")
            } else {
                value.clone()
            };
            for descending in [false, true] {
                let direction = if descending { "DESC" } else { "ASC" };
                // NULLs as the largest value: last going up, first going down.
                let nulls = if descending { "DESC" } else { "ASC" };
                let sql = format!(
                    "SELECT CAST(t.{key} AS TEXT) FROM {table} t WHERE {sees}
                     ORDER BY CASE WHEN {value} IS NULL THEN 1 ELSE 0 END {nulls},
                              {collated} {direction}, t.{key}",
                    key = shape.key,
                    table = shape.table,
                    sees = reader.sees(shape.table),
                );
                let want: Vec<Value> = rows(&self.db, &sql)
                    .await
                    .into_iter()
                    .map(|r| self.id(node, r[0].as_deref().expect("a key")))
                    .collect();
                let got = self.ordered(shape, reader, name, direction).await;
                assert_eq!(
                    got,
                    want,
                    "{} ordered by {} {direction} as {}",
                    shape.root,
                    screaming(name),
                    reader.name
                );
            }
        }
    }

    /// The ids of every row of `shape`'s root field ordered by `field`, page
    /// by page (50 rows each) through the cursors.
    async fn ordered(
        &self,
        shape: &Shape,
        reader: &Reader,
        field: &str,
        direction: &str,
    ) -> Vec<Value> {
        let query = format!(
            "query($cursor: String, $order: [{ty}Order!]) {{ {root}(first: 50, after: $cursor, orderBy: $order) {{
               pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }}",
            ty = shape.name,
            root = shape.root,
        );
        let order = json!([{ "field": screaming(field), "direction": direction }]);
        let mut ids = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let body = self
                .post(reader, &query, json!({ "cursor": cursor, "order": order }))
                .await;
            let page = &body["data"][shape.root];
            assert!(
                body.get("errors").is_none() && page.is_object(),
                "{} by {field} as {}: {body}",
                shape.root,
                reader.name
            );
            for node in page["nodes"].as_array().expect("nodes") {
                ids.push(node["id"].clone());
            }
            if page["pageInfo"]["hasNextPage"] != json!(true) {
                return ids;
            }
            cursor = page["pageInfo"]["endCursor"].clone();
        }
    }
}
