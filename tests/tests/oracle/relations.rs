//! Every relation filter of every connection, as every role, against SQL:
//! a to-one relation (`organization: { id: { eq: … } }`) and a to-many one
//! with each quantifier (`visits: { some | none | every: { id: { eq: … } } }`),
//! each on a related row the reader sees and, where there is one, on a row
//! it may not see — which no filter may match, or the filter would tell
//! that the hidden row exists. The relations come from the catalog (what
//! each filter reaches); who sees which row from the access table.

use serde_json::{Value, json};
use service::model::Shape;
use service::query::filter::{Reach, camel};
use service::query::resource::Link;

use super::{Oracle, Reader, rows};

impl Oracle<'_> {
    /// The condition on a row of `target` picking the one with key `key`
    /// (a global id where the type has one, else its key field).
    fn picks(&self, target: &Shape, key: &str) -> Value {
        if target.key == "id" {
            json!({ "id": { "eq": self.id(target.node.expect("a node type"), key) } })
        } else {
            json!({ camel(target.key): { "eq": key.trim_end() } })
        }
    }

    /// A key of a row of `target` that a row of `shape` reaches through
    /// `reached` (SQL over `t`, the target row), seen by `reader` or not.
    async fn related_key(
        &self,
        target: &Shape,
        reader: &Reader,
        seen: bool,
        reached: &str,
    ) -> Option<String> {
        let sees = reader.sees(target.table);
        let sees = if seen { sees } else { format!("NOT ({sees})") };
        let sql = format!(
            "SELECT CAST(t.{key} AS TEXT) FROM {table} t WHERE {sees} AND {reached}
             ORDER BY t.{key} LIMIT 1",
            key = target.key,
            table = target.table,
        );
        rows(&self.db, &sql)
            .await
            .first()
            .and_then(|r| r[0].clone())
    }

    /// How many rows of `shape` `reader` sees that satisfy `condition` (SQL
    /// over `t`).
    async fn count_where(&self, shape: &Shape, reader: &Reader, condition: &str) -> u64 {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM {table} t WHERE {sees} AND {condition}",
            table = shape.table,
            sees = reader.sees(shape.table),
        );
        rows(&self.db, &sql).await[0][0]
            .as_deref()
            .and_then(|n| n.parse().ok())
            .expect("a count")
    }

    /// How many rows of `shape`'s root field match `filter` as `reader`.
    async fn count_filtered(&self, shape: &Shape, reader: &Reader, filter: Value) -> Value {
        let query = format!(
            "query($filter: {}Filter) {{ {}(filter: $filter) {{ aggregate {{ count }} }} }}",
            shape.name, shape.root
        );
        let body = self.post(reader, &query, json!({ "filter": filter })).await;
        assert!(
            body.get("errors").is_none(),
            "{filter} as {}: {body}",
            reader.name
        );
        body["data"][shape.root]["aggregate"]["count"].clone()
    }

    pub(super) async fn check_relation_filters(&self, shape: &Shape, reader: &Reader) {
        for (name, reach) in &shape.relations {
            let field = camel(name);
            let table = match reach {
                Reach::One { table, .. } | Reach::Many { table, .. } => *table,
            };
            let Some(target) = self
                .shapes
                .iter()
                .find(|s| s.table == table && s.node.is_some())
            else {
                // A relation to rows with no type of their own (an
                // agreement's parties): their fields have their own tests.
                continue;
            };
            let who = format!("{} filter {{ {field} }} as {}", shape.name, reader.name);
            match reach {
                Reach::One {
                    local,
                    target: column,
                    ..
                } => {
                    let reached =
                        format!("t.{column} IN (SELECT p.{local} FROM {} p)", shape.table);
                    for seen in [true, false] {
                        let Some(key) = self.related_key(target, reader, seen, &reached).await
                        else {
                            continue;
                        };
                        let filter = json!({ &field: self.picks(target, &key) });
                        let literal = key.replace('\'', "''");
                        let want = if seen {
                            self.count_where(shape, reader, &format!("t.{local} = '{literal}'"))
                                .await
                        } else {
                            0
                        };
                        let got = self.count_filtered(shape, reader, filter.clone()).await;
                        assert_eq!(got, json!(want), "{who}: {filter} (seen: {seen})");
                    }
                }
                Reach::Many { link, key, .. } => {
                    // The related rows of `t`'s row (SQL over `c`).
                    let linked = |parent: &str| match link {
                        Link::Column(fk) => format!("c.{fk} = {parent}.{key}"),
                        Link::Via {
                            table: join,
                            child_fk,
                            parent_fk,
                        } => format!(
                            "c.{} IN (SELECT j.{child_fk} FROM {join} j WHERE j.{parent_fk} = {parent}.{key})",
                            target.key
                        ),
                    };
                    let reached = format!(
                        "EXISTS (SELECT 1 FROM {} p, {table} c WHERE {} AND c.{k} = t.{k})",
                        shape.table,
                        linked("p"),
                        k = target.key,
                    );
                    let child_sees = reader.sees(table).replace("t.", "c.");
                    for seen in [true, false] {
                        let Some(child) = self.related_key(target, reader, seen, &reached).await
                        else {
                            continue;
                        };
                        let literal = child.replace('\'', "''");
                        let related = format!(
                            "EXISTS (SELECT 1 FROM {table} c WHERE {} AND {child_sees} AND c.{} = '{literal}')",
                            linked("t"),
                            target.key
                        );
                        let others = format!(
                            "NOT EXISTS (SELECT 1 FROM {table} c WHERE {} AND {child_sees} AND c.{} <> '{literal}')",
                            linked("t"),
                            target.key
                        );
                        let picks = self.picks(target, &child);
                        for (quantifier, condition) in [
                            ("some", related.clone()),
                            ("none", format!("NOT {related}")),
                            ("every", others),
                        ] {
                            let filter = json!({ &field: { quantifier: picks } });
                            let want = self.count_where(shape, reader, &condition).await;
                            let got = self.count_filtered(shape, reader, filter.clone()).await;
                            assert_eq!(got, json!(want), "{who}: {filter} (seen: {seen})");
                        }
                    }
                }
            }
        }
    }
}
