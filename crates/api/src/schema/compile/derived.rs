//! Values computed after a one-statement read: each marker the statement
//! wrote (`json::DERIVED`, `{"$":n,"key":…}`) becomes the value the service
//! computes for that row (`service::derived`), or `null` with the
//! service's error at its path (an agreement that is no EWP IIA). The
//! statement has already decided who may read the value on which rows.

use async_graphql::{PathSegment, Pos, ServerError};
use std::collections::HashMap;

use sea_orm::DbErr;
use serde_json::Value;
use service::Actor;

/// The markers of `value` under `path`: (JSON pointer, path, number, key).
fn markers(
    value: &Value,
    path: &mut Vec<PathSegment>,
    pointer: &str,
    out: &mut Vec<(String, Vec<PathSegment>, usize, i64)>,
) {
    match value {
        Value::Object(map) => {
            if map.len() == 2
                && let (Some(n), Some(key)) = (
                    map.get("$").and_then(Value::as_u64),
                    map.get("key").and_then(Value::as_i64),
                )
            {
                out.push((pointer.to_owned(), path.clone(), n as usize, key));
                return;
            }
            for (name, item) in map {
                path.push(PathSegment::Field(name.clone()));
                let escaped = name.replace('~', "~0").replace('/', "~1");
                markers(item, path, &format!("{pointer}/{escaped}"), out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(PathSegment::Index(i));
                markers(item, path, &format!("{pointer}/{i}"), out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The answer's text with every derived value in place, and the errors of
/// those that could not be computed; `None` when the text is not a
/// statement's answer or a marker's number is unknown (a bug: the caller
/// logs it).
pub async fn place(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    derived: &[(service::access::Field, Pos)],
    data: String,
) -> Option<(String, Vec<ServerError>)> {
    if derived.is_empty() || !data.contains(service::query::json::DERIVED) {
        return Some((data, Vec::new()));
    }
    let mut value: Value = serde_json::from_str(&data).ok()?;
    let mut found = Vec::new();
    markers(&value, &mut Vec::new(), "", &mut found);
    // Each field's values for all its rows at once.
    let mut keys: HashMap<service::access::Field, Vec<i64>> = HashMap::new();
    for (_, _, n, key) in &found {
        keys.entry(derived.get(*n)?.0).or_default().push(*key);
    }
    let mut computed = HashMap::new();
    for (field, keys) in keys {
        let values = match service::derived::values(db, actor, field, &keys).await {
            Ok(values) => values,
            Err(err) => {
                tracing::error!(error = %err, "derived values failed");
                let failed = || Err(service::Error::Internal(DbErr::Custom(err.to_string())));
                keys.iter().map(|key| (*key, failed())).collect()
            }
        };
        computed.insert(field, values);
    }
    let mut errors = Vec::new();
    for (pointer, path, n, key) in found {
        let (field, pos) = *derived.get(n)?;
        let answer = match computed.get(&field)?.get(&key) {
            Some(Ok(text)) => text.clone().map_or(Value::Null, Value::String),
            failed => {
                let missing = service::Error::NotFound(format!("row {key}"));
                let err = match failed {
                    Some(Err(err)) => err,
                    _ => &missing,
                };
                if err.is_internal() {
                    tracing::error!(error = %err, "a derived value failed");
                }
                let mut error = crate::schema::error::to_gql(err).into_server_error(pos);
                error.path = path;
                errors.push(error);
                Value::Null
            }
        };
        *value.pointer_mut(&pointer)? = answer;
    }
    Some((value.to_string(), errors))
}
