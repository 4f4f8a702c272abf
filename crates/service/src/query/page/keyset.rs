//! Keyset conditions and the values of cursors: what a page's SQL compares a cursor's keys with.

use super::*;

/// Longest cursor accepted (bytes): room for the longest sort key (a name
/// of `MAX_NAME` characters of four bytes each), escaped and base64-encoded.
pub(super) const MAX_CURSOR_BYTES: usize = 4 * 1024;

#[derive(Serialize, Deserialize)]
pub(super) struct CursorData {
    /// The order the cursor belongs to.
    pub(super) o: String,
    /// The sort-key values of the row.
    pub(super) v: Vec<serde_json::Value>,
}

/// A key as the keyset conditions compare it.
pub(super) type SqlKey = (KeyExpr, Direction);

#[derive(Clone, Debug)]
pub(super) struct KeyExpr {
    pub(super) expr: Expr,
    pub(super) nullable: bool,
}

/// Rows strictly beyond `values` in the order `keys`: the disjunction over i of
/// (keys before i equal) AND (key i beyond), with NULL as the largest value.
pub(super) fn beyond(keys: &[SqlKey], values: &[Value]) -> Condition {
    let mut any = Condition::any();
    for i in 0..keys.len() {
        let mut all = Condition::all();
        for ((key, _), value) in keys.iter().zip(values).take(i) {
            all = all.add(equal(&key.expr, value));
        }
        let (key, dir) = &keys[i];
        all = all.add(after_value(&key.expr, *dir, &values[i]));
        any = any.add(all);
    }
    any
}

/// A bound on the leading key implied by the rows beyond `values`, when it is a
/// single range the index can start from (see [`Plan::segments`] for the rest).
pub(super) fn leading_bound(keys: &[SqlKey], values: &[Value]) -> Option<Condition> {
    let (key, dir) = keys.first()?;
    let value = values.first()?;
    let col = key.expr.clone();
    match (dir, is_null(value)) {
        // Only NULLs remain (they sort last).
        (Direction::Asc, true) => Some(Condition::all().add(col.is_null())),
        // NULLs sort first, so none remain past a value.
        (Direction::Desc, false) => Some(Condition::all().add(col.lte(value.clone()))),
        (Direction::Asc, false) if !key.nullable => {
            Some(Condition::all().add(col.gte(value.clone())))
        }
        _ => None,
    }
}

pub(super) fn is_null(value: &Value) -> bool {
    matches!(value_to_json(value.clone()), serde_json::Value::Null)
}

pub(super) fn equal(col: &Expr, value: &Value) -> Condition {
    if is_null(value) {
        Condition::all().add(col.clone().is_null())
    } else {
        Condition::all().add(col.clone().eq(value.clone()))
    }
}

pub(super) fn after_value(col: &Expr, dir: Direction, value: &Value) -> Condition {
    let null = is_null(value);
    let col = col.clone();
    match (dir, null) {
        // Nothing is larger than NULL.
        (Direction::Asc, true) => Condition::all().add(Expr::val(1).eq(0)),
        (Direction::Asc, false) => Condition::any()
            .add(col.clone().gt(value.clone()))
            .add(col.is_null()),
        (Direction::Desc, true) => Condition::all().add(col.is_not_null()),
        (Direction::Desc, false) => Condition::all().add(col.lt(value.clone())),
    }
}

pub(super) fn value_to_json(value: Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Bool(Some(b)) => J::Bool(b),
        Value::TinyInt(Some(i)) => i.into(),
        Value::SmallInt(Some(i)) => i.into(),
        Value::Int(Some(i)) => i.into(),
        Value::BigInt(Some(i)) => i.into(),
        Value::String(Some(s)) => J::String(s),
        Value::Char(Some(c)) => J::String(c.to_string()),
        Value::ChronoDate(Some(d)) => J::String(d.to_string()),
        Value::ChronoDateTimeUtc(Some(t)) => J::String(t.to_rfc3339()),
        _ => J::Null,
    }
}

pub(super) fn json_to_value(json: serde_json::Value, column_type: &ColumnType) -> Option<Value> {
    use serde_json::Value as J;
    Some(match (column_type, json) {
        (ColumnType::BigInteger, J::Null) => Value::BigInt(None),
        (ColumnType::BigInteger, J::Number(n)) => Value::BigInt(Some(n.as_i64()?)),
        (ColumnType::Integer, J::Null) => Value::Int(None),
        (ColumnType::Integer, J::Number(n)) => Value::Int(Some(i32::try_from(n.as_i64()?).ok()?)),
        (ColumnType::Boolean, J::Null) => Value::Bool(None),
        (ColumnType::Boolean, J::Bool(b)) => Value::Bool(Some(b)),
        (ColumnType::Date, J::Null) => Value::ChronoDate(None),
        (ColumnType::Date, J::String(s)) => Value::ChronoDate(Some(s.parse().ok()?)),
        (ColumnType::TimestampWithTimeZone, J::Null) => Value::ChronoDateTimeUtc(None),
        (ColumnType::TimestampWithTimeZone, J::String(s)) => Value::ChronoDateTimeUtc(Some(
            chrono::DateTime::parse_from_rfc3339(&s).ok()?.to_utc(),
        )),
        (
            ColumnType::String(_)
            | ColumnType::Text
            | ColumnType::Char(_)
            | ColumnType::Enum { .. },
            J::Null,
        ) => Value::String(None),
        (
            ColumnType::String(_)
            | ColumnType::Text
            | ColumnType::Char(_)
            | ColumnType::Enum { .. },
            J::String(s),
        ) => Value::String(Some(s)),
        _ => return None,
    })
}
