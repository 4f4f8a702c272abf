//! Agreements, their parties and fields of study.

use std::collections::HashMap;

use entity::agreement_party;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::Result;
use crate::actor::Actor;
use crate::resource::Link;

crate::resource!(agreement, AgreementOrderField {
    Id => Id,
    Title => Title,
    Kind => Kind,
    Status => Status,
    SignedOn => SignedOn,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
    CreatedAt => CreatedAt,
}, key = Id, default = Id);

/// Programs created by the agreement.
pub const PROGRAMS: Link = Link::Column("agreement_id");
/// Students who came under the agreement.
pub const STUDENTS: Link = Link::Column("agreement_id");
/// Joint units founded by the agreement.
pub const JOINT_UNITS: Link = Link::Column("agreement_id");
/// The fields of study the agreement covers.
pub const FIELDS_OF_STUDY: Link = Link::Via {
    table: "agreement_fields",
    child_fk: "field_code",
    parent_fk: "agreement_id",
};

/// The parties of each agreement (lead first), in one statement.
pub async fn parties(
    db: &impl ConnectionTrait,
    _actor: &Actor,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, Vec<agreement_party::Model>>> {
    let rows = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.is_in(agreement_ids.iter().copied()))
        .order_by_asc(agreement_party::Column::AgreementId)
        .order_by_asc(agreement_party::Column::Role)
        .order_by_asc(agreement_party::Column::OrganizationId)
        .all(db)
        .await?;
    let mut grouped: HashMap<i64, Vec<agreement_party::Model>> = HashMap::new();
    for row in rows {
        grouped.entry(row.agreement_id).or_default().push(row);
    }
    Ok(grouped)
}
