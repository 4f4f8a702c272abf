//! Values computed after a read's statement from a row's key: documents
//! assembled from many rows (an agreement's EWP IIA), which no statement
//! writes. The statement decides who may read them on which rows (the
//! field rule); this computes them for the rows it admitted.

use crate::access::Field;
use crate::actor::Actor;
use crate::{Error, Result};

/// The value of `field` for the row with key `key`, as `actor` reads it.
pub async fn value(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    field: Field,
    key: i64,
) -> Result<Option<String>> {
    match field {
        Field::AgreementEwpIia => crate::agreement::ewp_export::export(db, actor, key)
            .await
            .map(Some),
        other => Err(Error::Internal(sea_orm::DbErr::Custom(format!(
            "{other:?} is not a derived value"
        )))),
    }
}
