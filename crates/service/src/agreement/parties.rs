//! An agreement's parties as a write gives them: their shape (two or
//! more, one lead, no organization twice), each party checked as it is
//! written (the organization, its signatory, its IIA id), and a home
//! organization among them.

use std::collections::{BTreeSet, HashMap};

use entity::agreement_party::{self, PartyRole};
use entity::{organization, person};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

use super::Party;
use crate::write::{self, MAX_NAME, Write};
use crate::{Error, Result};

/// Checks what can be checked without the database: at least two parties,
/// exactly one lead, no organization twice.
pub(super) fn check_party_shape(parties: &[Party]) -> Result<()> {
    write::list_size("parties", parties)?;
    let mut seen = BTreeSet::new();
    for (i, party) in parties.iter().enumerate() {
        if !seen.insert(party.organization_id) {
            return Err(Error::bad_input(
                format!("parties[{i}].organizationId"),
                "the organization is already a party to this agreement",
            ));
        }
    }
    if parties.len() < 2 {
        return Err(Error::bad_input(
            "parties",
            "an agreement needs at least two parties".to_owned(),
        ));
    }
    let leads = parties.iter().filter(|p| p.role == PartyRole::Lead).count();
    if leads != 1 {
        return Err(Error::bad_input(
            "parties",
            "exactly one party must be the LEAD".to_owned(),
        ));
    }
    Ok(())
}

/// Writes the parties of agreement `id` (replacing any unless `fresh`),
/// checking each as it goes: the organization exists, the signatory exists and
/// works for it; and at the end, that a home organization is among them.
pub(super) async fn write_parties(
    w: &Write,
    id: i64,
    parties: &[Party],
    fresh: bool,
) -> Result<()> {
    // What each party called the agreement before: kept unless replaced.
    let before: HashMap<i64, (Option<String>, Option<String>)> = if fresh {
        HashMap::new()
    } else {
        agreement_party::Entity::find()
            .filter(agreement_party::Column::AgreementId.eq(id))
            .all(&w.txn)
            .await?
            .into_iter()
            .map(|p| (p.organization_id, (p.iia_id, p.iia_code)))
            .collect()
    };
    if !fresh {
        agreement_party::Entity::delete_many()
            .filter(agreement_party::Column::AgreementId.eq(id))
            .exec(&w.txn)
            .await?;
    }
    let mut home = false;
    for (i, party) in parties.iter().enumerate() {
        let org = write::referenced::<organization::Entity>(
            w,
            &format!("parties[{i}].organizationId"),
            party.organization_id,
        )
        .await?;
        home |= org.is_home;
        if let Some(signatory) = party.signatory_id {
            let field = format!("parties[{i}].signatoryId");
            let person = write::referenced::<person::Entity>(w, &field, signatory).await?;
            if person.organization_id != Some(org.id) {
                return Err(Error::bad_input(
                    field,
                    "the signatory does not work for this party's organization",
                ));
            }
        }
        let (old_id, old_code) = before
            .get(&party.organization_id)
            .cloned()
            .unwrap_or_default();
        let iia_id = match iia_id(&format!("parties[{i}].iiaId"), party.iia_id.clone())? {
            Some(given) => Some(given),
            None if old_id.is_some() => old_id,
            None if org.is_home => Some(uuid::Uuid::new_v4().to_string()),
            None => None,
        };
        let field = format!("parties[{i}].iiaCode");
        let iia_code = write::text(&field, party.iia_code.clone(), MAX_NAME)?.or(old_code);
        if let Some(iia) = &iia_id {
            let taken = agreement_party::Entity::find()
                .filter(agreement_party::Column::OrganizationId.eq(party.organization_id))
                .filter(agreement_party::Column::IiaId.eq(iia.clone()))
                .filter(agreement_party::Column::AgreementId.ne(id))
                .one(&w.txn)
                .await?;
            if taken.is_some() {
                return Err(Error::conflict(format!(
                    "parties[{i}].iiaId: the organization already uses this IIA id for another agreement"
                )));
            }
        }
        agreement_party::ActiveModel {
            agreement_id: Set(id),
            organization_id: Set(party.organization_id),
            role: Set(party.role),
            signatory_id: Set(party.signatory_id),
            iia_id: Set(iia_id),
            iia_code: Set(iia_code),
        }
        .insert(&w.txn)
        .await?;
    }
    if !home {
        return Err(Error::bad_input(
            "parties",
            "at least one party must be a home organization (isHome)",
        ));
    }
    Ok(())
}

/// An IIA id as EWP writes it: 1 to 64 printable ASCII characters.
fn iia_id(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = write::text(field, value, 64)? else {
        return Ok(None);
    };
    if !value.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(Error::bad_input(
            field,
            format!("`{field}` holds printable ASCII characters only"),
        ));
    }
    Ok(Some(value))
}
