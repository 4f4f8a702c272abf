//! Every field of every type, as every role, against an SQL oracle.
//!
//! The types and fields come from the descriptions (`service::model::catalog`):
//! a type or field added there is asked here with nothing to extend. What
//! each role may see is written below from DESIGN.md's access table, in SQL
//! of its own — not from the plan or the service's rules — and every answer
//! is compared with it: the rows each role sees (walked in Relay's form,
//! forwards and backwards), each scalar field's value, `null` with a
//! `FORBIDDEN` error at the path of each field the role may not read on that
//! row, each to-one relation (`null` where the related row is hidden), and
//! the rows counted by `aggregate`, every measure of it (`aggregates`),
//! every group key (`groups`), every scalar filter (`filters`) and every
//! order field both ways, walked by cursor (`orders`), and every relation
//! filter, on rows the reader sees and on rows it may not (`relations`). It runs
//! on whichever database the suite runs on (SQLite and PostgreSQL in CI).

mod aggregates;
mod filters;
mod groups;
mod orders;
mod readers;
mod relations;
mod statistics;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use e2e::{TestServer, global_id, sql_ids, sql_rows as rows, token};
use readers::Reader;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use service::Role;
use service::model::{Kind, Shape, catalog};
use service::query::resource::Link;

/// An instant as the API writes it (RFC 3339 to the second, UTC) from
/// either database's text.
fn instant(text: &str) -> String {
    let mut text = text.replacen(' ', "T", 1);
    if text.ends_with("+00") {
        text.push_str(":00");
    }
    let parsed = chrono::DateTime::parse_from_rfc3339(&text)
        .unwrap_or_else(|e| panic!("an instant: {text}: {e}"));
    parsed
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// What the API answers for a stored value as the field kind shows it.
fn expected(kind: Kind, stored: Option<&str>, answered: &Value) -> Value {
    let Some(text) = stored else {
        return Value::Null;
    };
    match kind {
        Kind::Trimmed(_) => json!(text.trim_end()),
        Kind::Enum(_) => json!(text.to_uppercase()),
        Kind::Instant(_) => json!(instant(text)),
        Kind::Computed(_) => json!(match text.trim_end().len() {
            2 => "BROAD",
            3 => "NARROW",
            _ => "DETAILED",
        }),
        Kind::Column(_) | Kind::Restricted(..) => match answered {
            Value::Bool(_) => json!(matches!(text, "true" | "1" | "t")),
            Value::Number(_) => serde_json::from_str(text).expect("a number"),
            _ => json!(text),
        },
        other => panic!("not a stored value: {other:?}"),
    }
}

/// The column a field reads, if it reads one.
fn column(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Column(c)
        | Kind::Trimmed(c)
        | Kind::Enum(c)
        | Kind::Instant(c)
        | Kind::Restricted(c, _)
        | Kind::Computed(c)
        | Kind::ToOne(c, _) => Some(c),
        _ => None,
    }
}

/// The selection of every field of `shape` the oracle checks.
fn selection(shape: &Shape) -> String {
    let mut out = String::from("__typename id");
    for field in &shape.fields {
        let asked = match field.kind {
            Kind::TypeName | Kind::Id => continue,
            Kind::ToOne(..) => format!("{} {{ id }}", field.name),
            // A document computed after the statement (`ewpIia`): its readers
            // are checked in `tests/ewp.rs`.
            Kind::Page(..)
            | Kind::List(..)
            | Kind::First(..)
            | Kind::Rows(..)
            | Kind::Derived(..) => {
                continue;
            }
            _ => field.name.to_owned(),
        };
        match field.only {
            Some(ty) => out.push_str(&format!(" ... on {ty} {{ {asked} }}")),
            None => {
                out.push(' ');
                out.push_str(&asked);
            }
        }
    }
    out
}

struct Oracle<'a> {
    server: &'a TestServer,
    db: DatabaseConnection,
    shapes: Vec<Shape>,
    /// Queries sent.
    asked: std::cell::Cell<u64>,
}

impl Oracle<'_> {
    fn shape_of(&self, node: entity::NodeType) -> &Shape {
        self.shapes
            .iter()
            .find(|s| s.node == Some(node))
            .expect("a described node type")
    }

    /// The keys of `shape`'s rows `reader` sees, in key order.
    async fn keys(&self, shape: &Shape, reader: &Reader) -> Vec<String> {
        let sql = format!(
            "SELECT CAST(t.{key} AS TEXT) FROM {table} t WHERE {sees} ORDER BY t.{key}",
            key = shape.key,
            table = shape.table,
            sees = reader.sees(shape.table),
        );
        rows(&self.db, &sql)
            .await
            .into_iter()
            .map(|r| r[0].clone().expect("a key").trim_end().to_owned())
            .collect()
    }

    /// Every page of `shape`'s root field as `reader`, in Relay's form:
    /// forwards by `after`, or backwards by `before`.
    async fn walk(
        &self,
        shape: &Shape,
        reader: &Reader,
        backwards: bool,
        selection: &str,
    ) -> (Vec<Value>, Vec<Value>) {
        let (size, cursor, info) = if backwards {
            ("last", "before", "hasPreviousPage startCursor")
        } else {
            ("first", "after", "hasNextPage endCursor")
        };
        let query = format!(
            "query($cursor: String) {{ {root}({size}: 100, {cursor}: $cursor) {{
               totalCount pageInfo {{ {info} }} edges {{ cursor node {{ {selection} }} }} }} }}",
            root = shape.root,
        );
        let mut at = Value::Null;
        let mut pages = Vec::new();
        let mut nodes = Vec::new();
        let mut errors = Vec::new();
        loop {
            let body = self.post(reader, &query, json!({ "cursor": at })).await;
            let page = body["data"][shape.root].clone();
            assert!(
                page.is_object(),
                "{} as {}: {body:#}",
                shape.root,
                reader.name
            );
            let offset = pages.len();
            if let Some(found) = body["errors"].as_array() {
                for error in found {
                    let mut error = error.clone();
                    // Paths name the page: number the edges across pages.
                    if let Some(i) = error["path"][2].as_u64() {
                        error["path"][2] = json!(format!("{offset}/{i}"));
                    }
                    errors.push(error);
                }
            }
            let mut edges = page["edges"].as_array().expect("edges").clone();
            if backwards {
                edges.reverse();
            }
            for edge in &edges {
                assert!(edge["cursor"].is_string(), "{edge}");
                nodes.push(edge["node"].clone());
            }
            pages.push(page.clone());
            let more = if backwards {
                page["pageInfo"]["hasPreviousPage"] == json!(true)
            } else {
                page["pageInfo"]["hasNextPage"] == json!(true)
            };
            if !more {
                break;
            }
            at = if backwards {
                page["pageInfo"]["startCursor"].clone()
            } else {
                page["pageInfo"]["endCursor"].clone()
            };
        }
        if backwards {
            nodes.reverse();
        }
        (nodes, errors)
    }

    /// `__type(name: ty) { <selection> }`'s list `list` (`fields`,
    /// `enumValues`): the schema's own word on a type. Not a read of the
    /// data, so not counted among the planned queries.
    async fn introspect(&self, ty: &str, list: &str, selection: &str) -> Vec<Value> {
        let query = format!(
            "query($name: String!) {{ __type(name: $name) {{ {list} {{ {selection} }} }} }}"
        );
        let body = self
            .server
            .post_anonymous(&query, json!({ "name": ty }))
            .await;
        let found = body["data"]["__type"][list]
            .as_array()
            .unwrap_or_else(|| panic!("{list} of {ty}: {body}"))
            .clone();
        assert!(!found.is_empty(), "{list} of {ty}: none");
        found
    }

    async fn post(&self, reader: &Reader, query: &str, variables: Value) -> Value {
        self.asked.set(self.asked.get() + 1);
        match &reader.bearer {
            Some(bearer) => self.server.post_as(bearer, query, variables).await.1,
            None => self.server.post_anonymous(query, variables).await,
        }
    }

    /// The global id of a `node` row with key `key`.
    fn id(&self, node: entity::NodeType, key: &str) -> Value {
        json!(global_id(node.name(), key.trim_end()))
    }

    /// Every to-many relation of `shape` as `reader`: for each row it
    /// sees, the related rows it may see (which rows are related is the
    /// link's data; which may be seen, the oracle's).
    async fn check_relations(&self, shape: &Shape, reader: &Reader) {
        for field in &shape.fields {
            let (link, target, kind) = match field.kind {
                Kind::Page(link, target) => (link, target, "page"),
                Kind::List(link, target) => (link, target, "list"),
                Kind::First(link, target) => (link, target, "first"),
                _ => continue,
            };
            let who = format!("{}.{} as {}", shape.name, field.name, reader.name);
            let child = self.shape_of(target);
            let (key, table) = (child.key, child.table);
            let sees = reader.sees(table);
            let sql = match link {
                Link::Column(column) => format!(
                    "SELECT CAST(t.{column} AS TEXT), CAST(t.{key} AS TEXT) FROM {table} t
                     WHERE t.{column} IS NOT NULL AND {sees} ORDER BY t.{key}"
                ),
                Link::Via {
                    table: join,
                    child_fk,
                    parent_fk,
                } => format!(
                    "SELECT CAST(j.{parent_fk} AS TEXT), CAST(t.{key} AS TEXT)
                     FROM {join} j JOIN {table} t ON t.{key} = j.{child_fk}
                     WHERE j.{parent_fk} IS NOT NULL AND {sees} ORDER BY t.{key}"
                ),
            };
            let mut related: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for row in rows(&self.db, &sql).await {
                let parent = row[0].clone().expect("a parent").trim_end().to_owned();
                let key = row[1].clone().expect("a key");
                related
                    .entry(parent)
                    .or_default()
                    .push(self.id(target, &key));
            }
            let asked = match kind {
                "page" => format!(
                    "id {}(first: 100) {{ totalCount nodes {{ id }} }}",
                    field.name
                ),
                _ => format!("id {} {{ id }}", field.name),
            };
            let (parents, errors) = self.walk(shape, reader, false, &asked).await;
            assert!(errors.is_empty(), "{who}: {errors:?}");
            let node = shape.node.expect("a node type");
            let keys = self.keys(shape, reader).await;
            assert_eq!(parents.len(), keys.len(), "{who}");
            for (parent, key) in parents.iter().zip(&keys) {
                assert_eq!(parent["id"], self.id(node, key), "{who}");
                let want = related.get(key).cloned().unwrap_or_default();
                let got = &parent[field.name];
                match kind {
                    "page" => {
                        assert_eq!(got["totalCount"], json!(want.len()), "{who} of {key}");
                        let ids: Vec<Value> = got["nodes"]
                            .as_array()
                            .expect("nodes")
                            .iter()
                            .map(|n| n["id"].clone())
                            .collect();
                        let first: Vec<Value> = want.iter().take(100).cloned().collect();
                        assert_eq!(ids, first, "{who} of {key}");
                    }
                    "list" => {
                        let mut ids: Vec<String> = got
                            .as_array()
                            .expect("a list")
                            .iter()
                            .map(|n| n["id"].to_string())
                            .collect();
                        ids.sort();
                        let mut want: Vec<String> = want.iter().map(Value::to_string).collect();
                        want.sort();
                        assert_eq!(ids, want, "{who} of {key}");
                    }
                    _ => {
                        let first = want.first().map_or(Value::Null, |id| json!({ "id": id }));
                        assert_eq!(got, &first, "{who} of {key}");
                    }
                }
            }
        }
    }

    async fn check(&self, shape: &Shape, reader: &Reader) {
        let who = format!("{} as {}", shape.name, reader.name);
        let node = shape.node.expect("a node type");
        let keys = self.keys(shape, reader).await;
        let asked = selection(shape);
        let (nodes, errors) = self.walk(shape, reader, false, &asked).await;
        let ids: Vec<Value> = keys.iter().map(|k| self.id(node, k)).collect();
        let walked: Vec<Value> = nodes.iter().map(|n| n["id"].clone()).collect();
        assert_eq!(walked, ids, "{who}: the rows, forwards");
        let (back, _) = self.walk(shape, reader, true, &asked).await;
        let back: Vec<Value> = back.iter().map(|n| n["id"].clone()).collect();
        assert_eq!(back, ids, "{who}: the rows, backwards");
        let count = self
            .post(
                reader,
                &format!("{{ {} {{ aggregate {{ count }} }} }}", shape.root),
                json!({}),
            )
            .await;
        assert_eq!(
            count["data"][shape.root]["aggregate"]["count"],
            json!(keys.len()),
            "{who}: aggregate {count}"
        );

        // Every stored field of every row, with the oracle's reading rule.
        let mut refused = BTreeSet::new();
        for field in &shape.fields {
            let Some(col) = column(field.kind) else {
                continue;
            };
            let readable = match field.kind {
                Kind::Restricted(_, rule) => reader.reads(rule),
                _ => "1 = 1".to_owned(),
            };
            let variant = match (field.only, shape.variants) {
                (Some(ty), Some((column, variants))) => {
                    let stored = variants
                        .iter()
                        .find(|v| v.name == ty)
                        .expect("a variant")
                        .stored;
                    format!("CASE WHEN t.{column} = '{stored}' THEN 1 ELSE 0 END")
                }
                _ => "1".to_owned(),
            };
            let sql = format!(
                "SELECT CAST(t.{key} AS TEXT), CAST(t.{col} AS TEXT),
                   CAST(CASE WHEN {readable} THEN 1 ELSE 0 END AS TEXT), CAST({variant} AS TEXT)
                 FROM {table} t WHERE {sees} ORDER BY t.{key}",
                key = shape.key,
                table = shape.table,
                sees = reader.sees(shape.table),
            );
            let target_keys: Option<HashSet<String>> = match field.kind {
                Kind::ToOne(_, target) => {
                    let target = self.shape_of(target);
                    Some(self.keys(target, reader).await.into_iter().collect())
                }
                _ => None,
            };
            let found = rows(&self.db, &sql).await;
            assert_eq!(found.len(), nodes.len(), "{who}.{}", field.name);
            for (i, (row, answered)) in found.iter().zip(&nodes).enumerate() {
                let at = format!("{who}.{} (row {i}: {answered})", field.name);
                let has = row[3].as_deref() == Some("1");
                let Some(value) = answered.get(field.name) else {
                    assert!(!has, "{at}: missing");
                    continue;
                };
                assert!(has, "{at}: only on {:?}", field.only);
                let stored = row[1].as_deref();
                match field.kind {
                    Kind::ToOne(_, target) => {
                        let visible = stored
                            .map(|k| k.trim_end().to_owned())
                            .filter(|k| target_keys.as_ref().is_some_and(|s| s.contains(k)));
                        let want = match visible {
                            Some(k) => json!({ "id": self.id(target, &k) }),
                            None => Value::Null,
                        };
                        assert_eq!(value, &want, "{at}");
                    }
                    _ if row[2].as_deref() != Some("1") => {
                        assert_eq!(value, &Value::Null, "{at}: refused");
                        refused.insert((i, field.name));
                    }
                    kind => assert_eq!(value, &expected(kind, stored, value), "{at}"),
                }
            }
        }
        // One FORBIDDEN error per refused cell, at its path.
        let mut placed = BTreeSet::new();
        let page_size = 100;
        for error in &errors {
            assert_eq!(error["extensions"]["code"], "FORBIDDEN", "{who}: {error}");
            let path = error["path"].as_array().expect("a path");
            let (page, index) = path[2]
                .as_str()
                .and_then(|p| p.split_once('/'))
                .expect("an edge");
            let row = page.parse::<usize>().unwrap_or(0) * page_size
                + index.parse::<usize>().unwrap_or(0);
            let name = path[4].as_str().expect("a field");
            let field = shape
                .fields
                .iter()
                .find(|f| f.name == name)
                .expect("a described field");
            placed.insert((row, field.name));
        }
        assert_eq!(placed, refused, "{who}: the refusals' paths");
        assert_eq!(
            errors.len(),
            refused.len(),
            "{who}: one error per refused cell"
        );
    }
}

#[tokio::test]
async fn every_field_of_every_type_as_every_role_answers_what_the_access_rules_say() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    // Two partners: the one with the most people and the one with the most
    // home students, each with its own rows to read and others' it may not.
    let most = |sql: &'static str| {
        let db = &db;
        async move { sql_ids(db, sql).await[0] }
    };
    let people = most(
        "SELECT p.organization_id AS id FROM people p JOIN organizations o ON o.id = p.organization_id
         WHERE NOT o.is_home GROUP BY p.organization_id ORDER BY COUNT(*) DESC, p.organization_id LIMIT 1",
    )
    .await;
    let students = most(
        "SELECT s.home_organization_id AS id FROM students s JOIN organizations o ON o.id = s.home_organization_id
         WHERE NOT o.is_home GROUP BY s.home_organization_id ORDER BY COUNT(*) DESC, s.home_organization_id LIMIT 1",
    )
    .await;
    // A joint unit the home university hosts with no agreement behind it,
    // with that partner as a partner: seen by it through the partnership
    // alone (the demo's units all stem from agreements).
    let home = most("SELECT id FROM organizations WHERE is_home ORDER BY id LIMIT 1").await;
    let created = server
        .post(
            "mutation($input: CreateJointUnitInput!) { createJointUnit(input: $input) { jointUnit { id } } }",
            json!({ "input": {
                "name": "Oracle Lab", "kind": "LABORATORY", "establishedOn": "2025-01-01",
                "hostOrganizationId": global_id("Organization", home),
                "partnerIds": [global_id("Organization", students)],
            } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    assert_ne!(people, students, "two partners");
    let partner = |name, org| Reader {
        name,
        bearer: Some(token(Role::Partner, Some(org))),
        role: Some(Role::Partner),
        partner: Some(org),
    };
    let readers = [
        Reader {
            name: "anonymous",
            bearer: None,
            role: None,
            partner: None,
        },
        partner("the partner with the most people", people),
        partner("the partner with the most students", students),
        Reader {
            name: "staff",
            bearer: Some(token(Role::Staff, None)),
            role: Some(Role::Staff),
            partner: None,
        },
        Reader {
            name: "admin",
            bearer: Some(token(Role::Admin, None)),
            role: Some(Role::Admin),
            partner: None,
        },
    ];
    let oracle = Oracle {
        server: &server,
        db,
        shapes: catalog(),
        asked: std::cell::Cell::new(0),
    };
    let planned = server.metric("graphql_one_statement_reads_total").await;
    let mut asked = BTreeMap::new();
    for shape in oracle.shapes.iter().filter(|s| !s.root.is_empty()) {
        for reader in &readers {
            oracle.check(shape, reader).await;
            oracle.check_relations(shape, reader).await;
            oracle.check_aggregates(shape, reader).await;
            oracle.check_groups(shape, reader).await;
            oracle.check_filters(shape, reader).await;
            oracle.check_orders(shape, reader).await;
            oracle.check_relation_filters(shape, reader).await;
        }
        let fields = shape
            .fields
            .iter()
            .filter(|f| column(f.kind).is_some())
            .count();
        asked.insert(shape.name, fields);
    }
    // Every described type with a root field was asked, each with fields.
    let roots = oracle.shapes.iter().filter(|s| !s.root.is_empty()).count();
    assert_eq!(asked.len(), roots);
    assert!(asked.values().all(|n| *n > 0), "{asked:?}");
    // Every one of them was answered by one statement.
    let planned = server.metric("graphql_one_statement_reads_total").await - planned;
    assert_eq!(
        planned,
        oracle.asked.get(),
        "queries answered by one statement"
    );
}
