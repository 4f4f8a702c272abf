//! Turning mutation inputs into the service's change sets: global ids into row
//! ids, and update fields into "leave as is" / "clear" / "set".

use async_graphql::{ID, MaybeUndefined};
use service::Error;
use service::query::resource::Key;

use super::id::{NodeType, decode_as};

/// The row id a global id of type `ty` names.
pub fn row_id(id: &ID, ty: NodeType, field: &str) -> Result<i64, Error> {
    match decode_as(id, ty, field)? {
        Key::Id(id) => Ok(id),
        Key::Code(_) => Err(Error::bad_input(
            field,
            format!("`{field}` is not a valid id"),
        )),
    }
}

/// An optional reference on create.
pub fn opt_row_id(id: Option<&ID>, ty: NodeType, field: &str) -> Result<Option<i64>, Error> {
    id.map(|id| row_id(id, ty, field)).transpose()
}

/// An update of a column that may not be null: absent leaves it, null is an error.
pub fn keep_or_set<T>(value: MaybeUndefined<T>, field: &str) -> Result<Option<T>, Error> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Err(Error::bad_input(field, format!("`{field}` cannot be null"))),
        MaybeUndefined::Value(v) => Ok(Some(v)),
    }
}

/// An update of a nullable column: absent leaves it, null clears it.
pub fn nullable<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// An update of a nullable reference given as a global id.
pub fn nullable_id(
    value: MaybeUndefined<ID>,
    ty: NodeType,
    field: &str,
) -> Result<Option<Option<i64>>, Error> {
    nullable(value)
        .map(|v| v.map(|id| row_id(&id, ty, field)).transpose())
        .transpose()
}

/// Maps a value of an async-graphql remote enum into the entity's enum.
pub fn map<A, B: From<A>>(value: Option<A>) -> Option<B> {
    value.map(B::from)
}
