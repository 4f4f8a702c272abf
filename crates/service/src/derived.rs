//! Values computed after a read's statement from a row's key: documents
//! assembled from many rows (an agreement's EWP IIA), which no statement
//! writes. The statement decides who may read them on which rows (the
//! field rule); this computes them for the rows it admitted, all the rows
//! of one answer together.

use std::collections::HashMap;

use crate::access::Field;
use crate::actor::Actor;
use crate::{Error, Result};

/// The values of `field` for the rows with keys `keys`, as `actor` reads
/// them: each key's value, or why it has none. A key without an entry
/// names no row.
pub async fn values(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    field: Field,
    keys: &[i64],
) -> Result<HashMap<i64, Result<Option<String>>>> {
    match field {
        Field::AgreementEwpIia => Ok(crate::agreement::ewp_export::export_many(db, actor, keys)
            .await?
            .into_iter()
            .map(|(key, document)| (key, document.map(Some)))
            .collect()),
        other => Err(Error::Internal(sea_orm::DbErr::Custom(format!(
            "{other:?} is not a derived value"
        )))),
    }
}
