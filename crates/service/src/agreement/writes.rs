//! Agreement writes: create with parties and fields, update, the status
//! lifecycle, and renewal.

use super::*;
use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::agreement::{ActiveModel, AgreementKind, AgreementStatus, Entity, Model};
use entity::agreement_field;
use entity::agreement_party::PartyRole;
use sea_orm::ActiveModelTrait;
use sea_orm::ActiveValue::Set;
use serde_json::Value as Json;

use super::conditions::Condition;
use super::parties::{check_party_shape, write_parties};
use crate::Error;
use crate::write::{self, Action, Edit, MAX_TEXT, Permission, Reference, Write};

/// The row fields of an agreement a write sets (see [`write::Edit::Changes`]).
#[derive(Clone, Debug, Default)]
pub struct AgreementChanges {
    pub title: Option<String>,
    pub kind: Option<AgreementKind>,
    /// Only on create (default `draft`); later through [`change_status`].
    pub status: Option<AgreementStatus>,
    pub signed_on: Option<Option<NaiveDate>>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub ends_on: Option<Option<NaiveDate>>,
    pub summary: Option<Option<String>>,
    pub event_id: Option<Option<i64>>,
    /// Set by [`renew`] only.
    pub predecessor_id: Option<Option<i64>>,
}

/// One organization's part in an agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub organization_id: i64,
    pub role: PartyRole,
    pub signatory_id: Option<i64>,
    /// The party's own identifier for the agreement (EWP's `iia-id`;
    /// `None` keeps the one it has; a home party without one gets a UUID).
    pub iia_id: Option<String>,
    /// The party's own code for the agreement (EWP's `iia-code`; `None`
    /// keeps the one it has).
    pub iia_code: Option<String>,
}

impl Edit for ActiveModel {
    type Changes = AgreementChanges;
    fn references() -> Vec<Reference> {
        vec![
            Reference::new(entity::agreement::Relation::Programs, "programs"),
            Reference::new(entity::agreement::Relation::Students, "students"),
            Reference::new(entity::agreement::Relation::JointUnits, "joint units"),
            Reference::new(entity::agreement::Relation::Renewals, "renewals"),
        ]
    }

    fn apply(&mut self, c: AgreementChanges) -> Result<()> {
        if let Some(v) = c.title {
            self.title = Set(write::name("title", v)?);
        }
        if let Some(v) = c.kind {
            self.kind = Set(v);
        }
        if let Some(v) = c.status {
            self.status = Set(v);
        }
        if let Some(v) = c.signed_on {
            self.signed_on = Set(v);
        }
        if let Some(v) = c.starts_on {
            self.starts_on = Set(v);
        }
        if let Some(v) = c.ends_on {
            self.ends_on = Set(v);
        }
        if let Some(v) = c.summary {
            self.summary = Set(write::text("summary", v, MAX_TEXT)?);
        }
        if let Some(v) = c.event_id {
            self.event_id = Set(v);
        }
        if let Some(v) = c.predecessor_id {
            self.predecessor_id = Set(v);
        }
        Ok(())
    }

    async fn audit_snapshot(w: &Write, row: &Model) -> Result<Json> {
        full_snapshot(w, row).await
    }

    async fn check(&mut self, w: &Write, _id: Option<i64>) -> Result<()> {
        write::required("title", &self.title)?;
        write::required("kind", &self.kind)?;
        if self.status.is_not_set() {
            self.status = Set(AgreementStatus::Draft);
        }
        let signed_on = write::value(&self.signed_on).copied().flatten();
        let starts_on = write::value(&self.starts_on).copied().flatten();
        let signed = write::opt_date_of("signedOn", &self.signed_on);
        let starts = write::opt_date_of("startsOn", &self.starts_on);
        let ends = write::opt_date_of("endsOn", &self.ends_on);
        write::date_order(signed, starts)?;
        write::date_order(starts, ends)?;
        write::date_order(signed, ends)?;
        if let Some(status) = write::value(&self.status) {
            in_force_needs_dates(*status, signed_on, starts_on)?;
        }
        if write::changed(&self.event_id)
            && let Some(Some(event)) = write::value(&self.event_id)
        {
            write::referenced::<entity::event::Entity>(w, "eventId", *event).await?;
        }
        Ok(())
    }
}

/// An agreement in force (or having been) is signed and started.
fn in_force_needs_dates(
    status: AgreementStatus,
    signed_on: Option<NaiveDate>,
    starts_on: Option<NaiveDate>,
) -> Result<()> {
    if matches!(status, AgreementStatus::Active | AgreementStatus::Expired) {
        if signed_on.is_none() {
            return Err(Error::bad_input(
                "signedOn",
                format!(
                    "{} agreement needs `signedOn`",
                    crate::text::with_article(status_name(status))
                ),
            ));
        }
        if starts_on.is_none() {
            return Err(Error::bad_input(
                "startsOn",
                format!(
                    "{} agreement needs `startsOn`",
                    crate::text::with_article(status_name(status))
                ),
            ));
        }
    }
    Ok(())
}

fn status_name(status: AgreementStatus) -> &'static str {
    match status {
        AgreementStatus::Draft => "draft",
        AgreementStatus::UnderNegotiation => "under-negotiation",
        AgreementStatus::Active => "active",
        AgreementStatus::Expired => "expired",
        AgreementStatus::Terminated => "terminated",
    }
}

/// The lifecycle: `draft → under_negotiation → active → expired | terminated`,
/// and `draft | under_negotiation → terminated`. `expired` and `terminated`
/// are final.
pub fn transition_allowed(from: AgreementStatus, to: AgreementStatus) -> bool {
    use AgreementStatus::*;
    matches!(
        (from, to),
        (Draft, UnderNegotiation)
            | (UnderNegotiation, Active)
            | (Active, Expired | Terminated)
            | (Draft | UnderNegotiation, Terminated)
    )
}

/// The statuses an agreement may move to from `from`.
pub fn next_statuses(from: AgreementStatus) -> Vec<AgreementStatus> {
    use sea_orm::Iterable;
    AgreementStatus::iter()
        .filter(|to| transition_allowed(from, *to))
        .collect()
}

/// The agreement with its parties and fields of study, as the audit log keeps it.
async fn full_snapshot(w: &Write, row: &Model) -> Result<Json> {
    let parties = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(row.id))
        .order_by_asc(agreement_party::Column::OrganizationId)
        .all(&w.txn)
        .await?;
    let fields: Vec<String> = agreement_field::Entity::find()
        .filter(agreement_field::Column::AgreementId.eq(row.id))
        .order_by_asc(agreement_field::Column::FieldCode)
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|f| f.field_code)
        .collect();
    let mut json = write::snapshot(row);
    if let Json::Object(map) = &mut json {
        map.insert(
            "parties".to_owned(),
            serde_json::to_value(&parties).unwrap_or(Json::Null),
        );
        map.insert("field_codes".to_owned(), Json::from(fields));
        map.insert(
            "cooperation_conditions".to_owned(),
            super::conditions::snapshot(&w.txn, row.id).await?,
        );
    }
    Ok(json)
}

/// Writes the fields of study of agreement `id` (replacing any unless
/// `fresh`); repeated codes count once.
async fn write_fields(w: &Write, id: i64, codes: &[String], fresh: bool) -> Result<()> {
    write::list_size("fieldCodes", codes)?;
    if !fresh {
        agreement_field::Entity::delete_many()
            .filter(agreement_field::Column::AgreementId.eq(id))
            .exec(&w.txn)
            .await?;
    }
    let mut seen = BTreeSet::new();
    for (i, code) in codes.iter().enumerate() {
        let code = write::field_of_study(w, &format!("fieldCodes[{i}]"), code).await?;
        if seen.insert(code.clone()) {
            agreement_field::ActiveModel {
                agreement_id: Set(id),
                field_code: Set(code),
            }
            .insert(&w.txn)
            .await?;
        }
    }
    Ok(())
}

/// The parties and fields of study a write gives an agreement (each `None`
/// keeps the current ones; `fresh`: the agreement is new and has none yet).
fn owned_rows(
    fresh: bool,
    parties: Option<Vec<Party>>,
    codes: Option<Vec<String>>,
    conditions: Option<Vec<Condition>>,
) -> impl write::Owned {
    move |w: &Write, id: i64| -> futures_util::future::BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            if let Some(parties) = &parties {
                write_parties(w, id, parties, fresh).await?;
            }
            if let Some(codes) = &codes {
                write_fields(w, id, codes, fresh).await?;
            }
            if let Some(conditions) = &conditions {
                super::conditions::replace(w, id, conditions, fresh).await?;
            }
            if parties.is_some() || conditions.is_some() {
                super::conditions::check_parties(w, id).await?;
            }
            Ok(())
        })
    }
}

/// The rows an agreement owns that an update replaces (`None`: keeps).
#[derive(Clone, Debug, Default)]
pub struct OwnedChanges {
    pub parties: Option<Vec<Party>>,
    pub field_codes: Option<Vec<String>>,
    pub conditions: Option<Vec<Condition>>,
}

/// The conditions a write gives, checked ([`super::conditions::check`]).
fn checked(conditions: Option<Vec<Condition>>) -> Result<Option<Vec<Condition>>> {
    conditions
        .map(|c| super::conditions::check("cooperationConditions", c))
        .transpose()
}

/// Creates an agreement with its parties and fields of study, atomically.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    changes: AgreementChanges,
    parties: Vec<Party>,
    field_codes: Vec<String>,
    conditions: Vec<Condition>,
) -> Result<SeenAgreement> {
    let w = Write::begin(db, actor, Permission::Write).await?;
    check_party_shape(&parties)?;
    let conditions = checked(Some(conditions))?;
    let owned = owned_rows(true, Some(parties), Some(field_codes), conditions);
    let row = write::create_in::<ActiveModel>(&w, changes, owned).await?;
    w.commit().await?;
    crate::query::read::seen_one::<Entity>(db, actor, row).await
}

/// Changes an agreement; `parties`, `field_codes` and `conditions`, when
/// given, replace the current ones. The status changes only through [`change_status`].
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    changes: AgreementChanges,
    rows: OwnedChanges,
) -> Result<SeenAgreement> {
    let OwnedChanges {
        parties,
        field_codes,
        conditions,
    } = rows;
    let w = Write::begin(db, actor, Permission::Write).await?;
    let conditions = checked(conditions)?;
    if changes.status.is_some() {
        return Err(Error::bad_input(
            "status",
            "the status changes through changeAgreementStatus",
        ));
    }
    if let Some(parties) = &parties {
        check_party_shape(parties)?;
    }
    let edit = |_: &Model, am: &mut ActiveModel| am.apply(changes);
    let owned = owned_rows(false, parties, field_codes, conditions);
    let row = write::change_in::<ActiveModel>(&w, id, version, Action::Update, edit, owned).await?;
    w.commit().await?;
    crate::query::read::seen_one::<Entity>(db, actor, row).await
}

/// Moves an agreement along its lifecycle (see [`transition_allowed`]);
/// `signed_on`, when given, is recorded with the change.
pub async fn change_status(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    status: AgreementStatus,
    signed_on: Option<NaiveDate>,
) -> Result<SeenAgreement> {
    let w = Write::begin(db, actor, Permission::Write).await?;
    let edit = |before: &Model, am: &mut ActiveModel| {
        if !transition_allowed(before.status, status) {
            let next: Vec<&str> = next_statuses(before.status)
                .into_iter()
                .map(status_name)
                .collect();
            return Err(Error::bad_input(
                "status",
                format!(
                    "{} agreement cannot change to the given status; it may become: {}",
                    crate::text::with_article(status_name(before.status)),
                    if next.is_empty() {
                        "nothing (the status is final)".to_owned()
                    } else {
                        next.join(", ")
                    }
                ),
            ));
        }
        am.status = Set(status);
        if let Some(date) = signed_on {
            am.signed_on = Set(Some(date));
        }
        Ok(())
    };
    let action = Action::StatusChange;
    let row = write::change_in::<ActiveModel>(&w, id, version, action, edit, write::nothing_owned)
        .await?;
    w.commit().await?;
    crate::query::read::seen_one::<Entity>(db, actor, row).await
}

/// What a renewal may set on the successor (the rest comes from the predecessor).
#[derive(Clone, Debug, Default)]
pub struct Renewal {
    pub title: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Creates the successor of an active or expired agreement: a draft with the
/// same kind, summary, parties and fields, linked to its predecessor. An
/// agreement is renewed at most once.
pub async fn renew(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    renewal: Renewal,
) -> Result<SeenAgreement> {
    let w = Write::begin(db, actor, Permission::Write).await?;
    let before = write::load_for_change::<Entity>(&w, id, version).await?;
    if !matches!(
        before.status,
        AgreementStatus::Active | AgreementStatus::Expired
    ) {
        return Err(Error::conflict(format!(
            "the agreement is {}; only active or expired agreements are renewed",
            status_name(before.status)
        )));
    }
    // No concurrent change of the predecessor until this renewal commits.
    write::hold::<Entity>(&w, &before).await?;
    if has_successor(&w.txn, id).await? {
        return Err(Error::conflict(
            "the agreement was already renewed (see its `successor`)",
        ));
    }
    let parties: Vec<Party> = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|p| Party {
            organization_id: p.organization_id,
            role: p.role,
            signatory_id: p.signatory_id,
            // The successor is an agreement of its own: the home party's
            // IIA id is made anew, the partners' are theirs to give.
            iia_id: None,
            iia_code: None,
        })
        .collect();
    let codes: Vec<String> = agreement_field::Entity::find()
        .filter(agreement_field::Column::AgreementId.eq(id))
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|f| f.field_code)
        .collect();
    let changes = AgreementChanges {
        title: Some(renewal.title.unwrap_or_else(|| before.title.clone())),
        kind: Some(before.kind),
        status: Some(AgreementStatus::Draft),
        signed_on: Some(renewal.signed_on),
        starts_on: Some(renewal.starts_on),
        ends_on: Some(renewal.ends_on),
        summary: Some(before.summary.clone()),
        event_id: Some(None),
        predecessor_id: Some(Some(id)),
    };
    let owned = owned_rows(true, Some(parties), Some(codes), None);
    let row = write::create_in::<ActiveModel>(&w, changes, owned).await?;
    w.commit().await?;
    crate::query::read::seen_one::<Entity>(db, actor, row).await
}

/// Whether an agreement has been renewed already.
async fn has_successor(db: &impl ConnectionTrait, id: i64) -> Result<bool> {
    Ok(Entity::find()
        .filter(entity::agreement::Column::PredecessorId.eq(id))
        .one(db)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use AgreementStatus::*;

    #[test]
    fn the_lifecycle_moves_forward_only() {
        assert!(transition_allowed(Draft, UnderNegotiation));
        assert!(transition_allowed(UnderNegotiation, Active));
        assert!(transition_allowed(Active, Expired));
        assert!(transition_allowed(Active, Terminated));
        assert!(transition_allowed(Draft, Terminated));
        assert!(
            !transition_allowed(Draft, Active),
            "negotiation comes first"
        );
        assert!(!transition_allowed(Active, Draft));
        assert!(!transition_allowed(Active, Active));
    }

    #[test]
    fn expired_and_terminated_are_final() {
        assert!(next_statuses(Expired).is_empty());
        assert!(next_statuses(Terminated).is_empty());
        assert_eq!(next_statuses(Active), vec![Expired, Terminated]);
    }
}
