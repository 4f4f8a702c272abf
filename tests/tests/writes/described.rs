//! The writes declared from the descriptions, every type that has them
//! (`service::model::catalog`, `writes`), with nothing to extend: each
//! copies a row of the demo data through `create<T>` (its input built from
//! the input fields the description declares and the row's columns), reads
//! the copy back in SQL, clears every nullable field with `update<T>`,
//! refuses null for a field that may not be null, a stale version, a
//! partner, an anonymous caller and a staff delete, deletes it as an admin,
//! and finds create, update and delete in the audit log.

use e2e::{error_codes, global_id, raw_id, snake, sql_rows, token};
use serde_json::{Map, Value, json};
use service::Role;
use service::model::catalog;
use service::write::InputField;

use super::Ctx;

/// The text of `columns` of `table`'s rows that `rest` picks and orders.
async fn texts(c: &Ctx, table: &str, columns: &[String], rest: &str) -> Vec<Vec<Option<String>>> {
    let casts: Vec<String> = columns
        .iter()
        .map(|col| format!("CAST({col} AS TEXT)"))
        .collect();
    let sql = format!("SELECT {} FROM {table} {rest}", casts.join(", "));
    sql_rows(&c.server.db.connect().await, &sql).await
}

/// The input value of `field` from its column's text.
fn input_value(field: &InputField, text: &str) -> Value {
    match (field.ty.as_str(), field.node) {
        (_, Some(node)) => json!(global_id(node.name(), text)),
        ("Int", _) => json!(text.parse::<i64>().expect("an integer column")),
        ("Date", _) => json!(&text[..10]),
        ("String", _) => json!(text),
        // An enum: stored as its GraphQL name in lowercase.
        _ => json!(text.to_uppercase()),
    }
}

#[tokio::test]
async fn every_described_write_copies_clears_refuses_and_deletes() {
    let c = Ctx::new().await;
    let partner = token(Role::Partner, Some(c.partner));
    let mut tried = Vec::new();
    for shape in catalog() {
        let (Some(writes), Some(node)) = (shape.writes, shape.node) else {
            continue;
        };
        let (name, table) = (shape.name, shape.table);
        let row = {
            let mut chars = name.chars();
            let first = chars.next().map(|f| f.to_ascii_lowercase());
            first.into_iter().chain(chars).collect::<String>()
        };
        // The columns; rows it owns (a unit's partners) are not copied.
        let fields: Vec<InputField> = writes
            .ops
            .fields()
            .into_iter()
            .filter(|f| !f.owned)
            .collect();
        let columns: Vec<String> = fields.iter().map(|f| snake(&f.name)).collect();
        // The source: the row with the most columns set.
        let filled: Vec<String> = columns
            .iter()
            .map(|col| format!("CASE WHEN {col} IS NULL THEN 0 ELSE 1 END"))
            .collect();
        let rest = format!("ORDER BY {} DESC, id LIMIT 1", filled.join(" + "));
        let source = texts(&c, table, &columns, &rest).await.remove(0);
        let mut input = Map::new();
        for (field, text) in fields.iter().zip(&source) {
            if let Some(text) = text {
                input.insert(field.name.clone(), input_value(field, text));
            }
        }

        // Create: a copy, column for column.
        let create = format!(
            "mutation($input: Create{name}Input!) {{ create{name}(input: $input) {{ {row} {{ id version }} }} }}"
        );
        let created = c.server.data(&create, json!({ "input": input })).await;
        let created = &created[format!("create{name}")][&row];
        assert_eq!(created["version"], 1, "{name}: {created}");
        let id = raw_id(&created["id"]);
        let copy = texts(&c, table, &columns, &format!("WHERE id = {id}")).await;
        assert_eq!(copy, vec![source.clone()], "{name}: the copy of {input:?}");

        // Refused before anything is written.
        let update = format!(
            "mutation($input: Update{name}Input!) {{ update{name}(input: $input) {{ {row} {{ id version }} }} }}"
        );
        let delete = format!(
            "mutation($input: Delete{name}Input!) {{ delete{name}(input: $input) {{ deletedId }} }}"
        );
        let key = |version: i32| json!({ "id": created["id"], "version": version });
        let body = c.as_(&partner, &update, json!({ "input": key(1) })).await;
        assert_eq!(
            error_codes(&body),
            ["FORBIDDEN"],
            "{name} as a partner: {body}"
        );
        let body = c
            .server
            .post_anonymous(&delete, json!({ "input": key(1) }))
            .await;
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{name}: {body}");
        let body = c.staff(&delete, json!({ "input": key(1) })).await;
        assert_eq!(
            error_codes(&body),
            ["FORBIDDEN"],
            "{name}: a staff delete: {body}"
        );
        if let Some(required) = fields.iter().find(|f| !f.nullable) {
            let mut input = key(1);
            input[&required.name] = Value::Null;
            let body = c.staff(&update, json!({ "input": input })).await;
            assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{name}: {body}");
            let message = body["errors"][0]["message"].as_str().unwrap_or_default();
            let named = format!("`{}` cannot be null", required.name);
            assert!(message.contains(&named), "{name}: {body}");
        }

        // Update: every nullable field cleared; only they change.
        let mut input = key(1);
        let mut cleared = source.clone();
        for (i, field) in fields.iter().enumerate().filter(|(_, f)| f.nullable) {
            input[&field.name] = Value::Null;
            cleared[i] = None;
        }
        let updated = c.staff(&update, json!({ "input": input })).await;
        assert_eq!(
            updated["data"][format!("update{name}")][&row]["version"],
            2,
            "{name}: {updated}"
        );
        let now = texts(&c, table, &columns, &format!("WHERE id = {id}")).await;
        assert_eq!(now, vec![cleared], "{name}: cleared");
        let body = c.staff(&update, json!({ "input": key(1) })).await;
        assert_eq!(
            error_codes(&body),
            ["CONFLICT"],
            "{name}: a stale version: {body}"
        );

        // Delete, as an admin; every write is in the audit log.
        let deleted = c.server.data(&delete, json!({ "input": key(2) })).await;
        assert_eq!(
            deleted[format!("delete{name}")]["deletedId"],
            created["id"],
            "{name}"
        );
        let left = texts(&c, table, &["id".to_owned()], &format!("WHERE id = {id}")).await;
        assert!(left.is_empty(), "{name}: still there");
        let audit = node.record().expect("a record").audit_name();
        let actions = texts(
            &c,
            "audit_log",
            &["action".to_owned()],
            &format!("WHERE entity_type = '{audit}' AND entity_key = '{id}' ORDER BY id"),
        )
        .await;
        let actions: Vec<_> = actions.into_iter().flatten().flatten().collect();
        assert_eq!(actions, ["create", "update", "delete"], "{name}");
        tried.push(name);
    }
    // The types whose writes are data today; a type added there is tried
    // above with nothing to extend.
    assert!(tried.len() >= 5, "{tried:?}");
}

/// Rows a record owns as a list of ids (a joint unit's partners): written
/// with the row, replaced whole when an update gives them, kept when it
/// does not, never cleared by null; repeated ids count once.
#[tokio::test]
async fn owned_rows_are_written_replaced_and_kept() {
    let c = Ctx::new().await;
    let (home, partner) = (c.org(c.home), c.org(c.partner));
    let partners = |body: &Value, field: &str| -> Vec<String> {
        let list = &body[field]["jointUnit"]["partners"];
        let mut ids: Vec<String> = list
            .as_array()
            .unwrap_or_else(|| panic!("partners in {body}"))
            .iter()
            .map(|p| p["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    let create = "mutation($input: CreateJointUnitInput!) { createJointUnit(input: $input) { jointUnit { id version partners { id } } } }";
    let input = json!({ "name": "Joint lab", "kind": "LABORATORY", "hostOrganizationId": home,
        "establishedOn": "2024-04-01", "partnerIds": [partner, home, partner] });
    let created = c.server.data(create, json!({ "input": input })).await;
    let both = sorted(vec![home.clone(), partner.clone()]);
    assert_eq!(partners(&created, "createJointUnit"), both);
    let id = created["createJointUnit"]["jointUnit"]["id"].clone();

    let update = "mutation($input: UpdateJointUnitInput!) { updateJointUnit(input: $input) { jointUnit { id version partners { id } } } }";
    let kept = c
        .server
        .data(
            update,
            json!({ "input": { "id": id, "version": 1, "name": "Joint lab II" } }),
        )
        .await;
    assert_eq!(partners(&kept, "updateJointUnit"), both, "not given: kept");
    let replaced = c
        .server
        .data(
            update,
            json!({ "input": { "id": id, "version": 2, "partnerIds": [partner] } }),
        )
        .await;
    assert_eq!(
        partners(&replaced, "updateJointUnit"),
        std::slice::from_ref(&partner),
        "replaced"
    );
    let body = c
        .staff(
            update,
            json!({ "input": { "id": id, "version": 3, "partnerIds": null } }),
        )
        .await;
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
    let emptied = c
        .server
        .data(
            update,
            json!({ "input": { "id": id, "version": 3, "partnerIds": [] } }),
        )
        .await;
    assert!(
        partners(&emptied, "updateJointUnit").is_empty(),
        "[] removes them all"
    );
}
