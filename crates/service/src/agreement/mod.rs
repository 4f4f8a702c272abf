//! Agreements, their parties and fields of study.

use std::collections::HashMap;

use entity::agreement_party;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;
use crate::actor::Actor;
use std::sync::LazyLock;

use crate::query::resource::Link;

pub mod balance;
pub mod conditions;
pub mod ewp;
pub mod ewp_export;
pub mod ewp_import;
mod ewp_rows;
mod parties;
mod writes;

pub use writes::*;

crate::resource!(agreement, AgreementOrderField {
    Id => Id,
    Title => Title,
    Kind => Kind,
    Status => Status,
    SignedOn => SignedOn,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
    CreatedAt => CreatedAt,
    EventName => one(EventId, event, Id, Name),
    ProgramsCount => count(PROGRAMS, program),
    StudentsCount => count(STUDENTS, student),
}, key = Id, default = Id, visible = crate::access::everyone, seen = SeenAgreement);

/// Programs created by the agreement.
pub static PROGRAMS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::agreement::Relation::Programs));
/// The agreement that renews this one (`agreements.predecessor_id`).
pub static SUCCESSOR: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::agreement::Relation::Renewals));
/// Students who came under the agreement.
pub static STUDENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::agreement::Relation::Students));
/// Joint units founded by the agreement.
pub static JOINT_UNITS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::agreement::Relation::JointUnits));
/// The fields of study the agreement covers.
pub static FIELDS_OF_STUDY: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::agreement::Relation::Fields,
        entity::agreement_field::Relation::FieldOfStudy,
    )
});

/// The order of an agreement's parties: the lead first, then by organization.
const PARTY_ORDER: [agreement_party::Column; 2] = [
    agreement_party::Column::Role,
    agreement_party::Column::OrganizationId,
];

/// The parties of each agreement (lead first), in one statement.
pub async fn parties(
    db: &impl ConnectionTrait,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, Vec<agreement_party::Model>>> {
    let rows = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.is_in(agreement_ids.iter().copied()))
        .order_by_asc(agreement_party::Column::AgreementId)
        .order_by_asc(PARTY_ORDER[0])
        .order_by_asc(PARTY_ORDER[1])
        .all(db)
        .await?;
    let mut grouped: HashMap<i64, Vec<agreement_party::Model>> = HashMap::new();
    for row in rows {
        grouped.entry(row.agreement_id).or_default().push(row);
    }
    Ok(grouped)
}

impl crate::query::resource::Table for agreement_party::Entity {}
impl crate::query::resource::Table for entity::cooperation_condition::Entity {}
impl crate::query::resource::Table for entity::cooperation_condition_language::Entity {}

/// The subject areas of a cooperation condition.
pub static CONDITION_SUBJECTS: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::cooperation_condition::Relation::Subjects,
        entity::cooperation_condition_subject::Relation::FieldOfStudy,
    )
});

/// The parties of an agreement (for filters).
pub static PARTIES: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::agreement::Relation::Parties));

impl crate::query::filter::Filterable for entity::agreement::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::AGREEMENT
    }
}

// ---- reads -----------------------------------------------------------------

/// An agreement as an actor reads it: the row, with its summary decided by the
/// field rules (the row itself no longer holds it).
#[derive(Clone, Debug)]
pub struct SeenAgreement {
    row: entity::agreement::Model,
    pub summary: crate::access::Restricted<Option<String>>,
}

impl std::ops::Deref for SeenAgreement {
    type Target = entity::agreement::Model;
    fn deref(&self) -> &Self::Target {
        &self.row
    }
}

impl crate::query::resource::Decide<entity::agreement::Model> for SeenAgreement {
    async fn decide(
        db: &impl ConnectionTrait,
        actor: &Actor,
        rows: Vec<entity::agreement::Model>,
    ) -> Result<Vec<Self>> {
        use crate::access::{Field, Owner, Restricted};
        // A partner reads the summaries of the agreements it is party to: one
        // statement for the batch. Nobody else needs to ask.
        let own: std::collections::HashSet<i64> = match actor.partner_of() {
            Some(partner) if !rows.is_empty() => agreement_party::Entity::find()
                .select_only()
                .column(agreement_party::Column::AgreementId)
                .filter(agreement_party::Column::OrganizationId.eq(partner))
                .filter(agreement_party::Column::AgreementId.is_in(rows.iter().map(|r| r.id)))
                .into_tuple::<i64>()
                .all(db)
                .await?
                .into_iter()
                .collect(),
            _ => Default::default(),
        };
        let partner: Vec<i64> = actor.partner_of().into_iter().collect();
        Ok(rows
            .into_iter()
            .map(|mut row| {
                let parties: &[i64] = if own.contains(&row.id) { &partner } else { &[] };
                SeenAgreement {
                    summary: Restricted::decide(
                        actor,
                        Field::AgreementSummary,
                        Owner::Parties(parties),
                        row.summary.take(),
                    ),
                    row,
                }
            })
            .collect())
    }
}
