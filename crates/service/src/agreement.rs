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

impl crate::resource::Table for agreement_party::Entity {}

crate::filter_type! {
    /// Which agreements to return.
    AgreementFilter for agreement guarded by guard {
        fields {
            id: i64 => Id,
            title: String => Title,
            kind: entity::agreement::AgreementKind => Kind,
            status: entity::agreement::AgreementStatus => Status,
            signed_on: chrono::NaiveDate => SignedOn,
            starts_on: chrono::NaiveDate => StartsOn,
            ends_on: chrono::NaiveDate => EndsOn,
            summary: String => Summary,
        }
        to_one {
            event: crate::event::EventFilter => event (EventId = Id),
        }
        to_many {
            parties: PartyFilter => agreement_party (PARTIES, Id),
            fields_of_study: crate::field_of_study::FieldOfStudyFilter => field_of_study (FIELDS_OF_STUDY, Id),
            programs: crate::program::ProgramFilter => program (PROGRAMS, Id),
            students: crate::student::StudentFilter => student (STUDENTS, Id),
            joint_units: crate::joint_unit::JointUnitFilter => joint_unit (JOINT_UNITS, Id),
        }
    }
}

/// The parties of an agreement (for filters).
pub const PARTIES: Link = Link::Column("agreement_id");

crate::filter_type! {
    /// Which parties of an agreement match.
    PartyFilter for agreement_party {
        fields {
            role: entity::agreement_party::PartyRole => Role,
        }
        to_one {
            organization: crate::organization::OrganizationFilter => organization (OrganizationId = Id),
            signatory: crate::person::PersonFilter => person (SignatoryId = Id),
        }
        to_many {}
    }
}

impl crate::filter::Filterable for entity::agreement::Entity {
    type Filter = AgreementFilter;

    fn filter_condition(
        filter: &AgreementFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }

    fn search_columns(actor: &crate::Actor) -> Vec<entity::agreement::Column> {
        use entity::agreement::Column;
        // Summaries are not public: only those who see every summary search them.
        if actor.sees_everything() {
            vec![Column::Title, Column::Summary]
        } else {
            vec![Column::Title]
        }
    }
}

/// Summaries are not public: filtering on them needs staff rights.
fn guard(filter: &AgreementFilter, scope: &crate::filter::Scope<'_>) -> crate::Result<()> {
    let staff = scope.actor.sees_everything();
    crate::filter::forbid_field(scope, filter.summary.is_some(), staff, "summary")
}
