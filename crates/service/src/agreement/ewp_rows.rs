//! The rows EWP IIA documents of many agreements are built from, read
//! together: one statement per table, however many agreements (a page of
//! agreements selecting `ewpIia` reads the same eight statements as one).

use std::collections::{HashMap, HashSet};

use entity::organization_identifier::IdentifierScheme;
use entity::{
    agreement, agreement_party, cooperation_condition as cc, cooperation_condition_language as cl,
    cooperation_condition_subject as cs, organization, organization_identifier as oi, person,
};
use sea_orm::{ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::Result;

/// What the documents of some agreements say.
pub struct Rows {
    pub agreements: Vec<agreement::Model>,
    pub parties: Vec<agreement_party::Model>,
    /// Each party's SCHAC code.
    pub schac: HashMap<i64, String>,
    /// The parties that are home organizations.
    pub homes: HashSet<i64>,
    /// Each party's name (for errors).
    pub names: HashMap<i64, String>,
    /// Each signatory's name and e-mail.
    pub signatories: HashMap<i64, (String, Option<String>)>,
    /// The conditions, each agreement's in order.
    pub conditions: Vec<cc::Model>,
    languages: Vec<cl::Model>,
    subjects: Vec<cs::Model>,
}

impl Rows {
    /// The languages of condition `id` (code, CEFR level in capitals).
    pub fn languages_of(&self, id: i64) -> Vec<(String, String)> {
        self.languages
            .iter()
            .filter(|l| l.condition_id == id)
            .map(|l| (l.language.clone(), l.cefr_level.to_value().to_uppercase()))
            .collect()
    }

    /// The subject areas of condition `id` (ISCED-F code, clarification).
    pub fn subjects_of(&self, id: i64) -> Vec<(String, Option<String>)> {
        self.subjects
            .iter()
            .filter(|s| s.condition_id == id)
            .map(|s| (s.field_code.clone(), s.clarification.clone()))
            .collect()
    }
}

/// The rows of agreements `ids`.
pub async fn load(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Rows> {
    let ids: Vec<i64> = ids.to_vec();
    let agreements = agreement::Entity::find()
        .filter(agreement::Column::Id.is_in(ids.clone()))
        .order_by_asc(agreement::Column::Id)
        .all(db)
        .await?;
    let parties = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.is_in(ids.clone()))
        .all(db)
        .await?;
    let organizations: Vec<i64> = parties.iter().map(|p| p.organization_id).collect();
    let schac = oi::Entity::find()
        .filter(oi::Column::OrganizationId.is_in(organizations.clone()))
        .filter(oi::Column::Scheme.eq(IdentifierScheme::Schac))
        .all(db)
        .await?
        .into_iter()
        .map(|x| (x.organization_id, x.value))
        .collect();
    let named = organization::Entity::find()
        .filter(organization::Column::Id.is_in(organizations))
        .all(db)
        .await?;
    let homes = named.iter().filter(|o| o.is_home).map(|o| o.id).collect();
    let names = named.into_iter().map(|o| (o.id, o.name)).collect();
    let people: Vec<i64> = parties.iter().filter_map(|p| p.signatory_id).collect();
    let signatories = person::Entity::find()
        .filter(person::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.full_name, p.email)))
        .collect();
    let conditions = cc::Entity::find()
        .filter(cc::Column::AgreementId.is_in(ids))
        .order_by_asc(cc::Column::AgreementId)
        .order_by_asc(cc::Column::Position)
        .all(db)
        .await?;
    let keys: Vec<i64> = conditions.iter().map(|c| c.id).collect();
    let languages = cl::Entity::find()
        .filter(cl::Column::ConditionId.is_in(keys.clone()))
        .order_by_asc(cl::Column::Position)
        .all(db)
        .await?;
    let subjects = cs::Entity::find()
        .filter(cs::Column::ConditionId.is_in(keys))
        .order_by_asc(cs::Column::Position)
        .all(db)
        .await?;
    Ok(Rows {
        agreements,
        parties,
        schac,
        homes,
        names,
        signatories,
        conditions,
        languages,
        subjects,
    })
}
