//! Who may see what (DESIGN.md): row rules as SQL predicates, so that a
//! forbidden row is neither returned nor counted on any path (root lists,
//! nested relations, node lookups, relation filters), and field rules.
//!
//! | role | rows |
//! |---|---|
//! | anonymous | the public directory: organizations, countries, fields of study, events, agreements (public fields) and their parties; people who signed an agreement (name and title) |
//! | partner | the above, plus its own agreements in full, their programs and joint units, students whose home organization is its own (no date of birth), people of its own organization |
//! | staff, admin | everything |
//!
//! Statistics are public figures, computed over all rows.

use sea_orm::Condition;
use sea_orm::IdenStatic;
use sea_orm::sea_query::{DynIden, Expr, ExprTrait, Query};

use crate::actor::{Actor, Role};

impl Actor {
    /// Staff and admins see every row and field.
    pub fn sees_everything(&self) -> bool {
        matches!(self.role, Some(Role::Staff | Role::Admin))
    }

    /// The partner organization this actor speaks for.
    pub fn partner_of(&self) -> Option<i64> {
        match self.role {
            Some(Role::Partner) => self.organization_id,
            _ => None,
        }
    }
}

fn col(alias: &DynIden, column: impl IdenStatic) -> Expr {
    Expr::col((alias.clone(), column))
}

pub(crate) fn nothing() -> Condition {
    Condition::all().add(Expr::val(1).eq(0))
}

/// Rows everyone may see.
pub fn everyone(_actor: &Actor, _alias: &DynIden) -> Condition {
    Condition::all()
}

/// Rows only staff and admins may see.
pub fn staff_only(actor: &Actor, _alias: &DynIden) -> Condition {
    if actor.sees_everything() {
        Condition::all()
    } else {
        nothing()
    }
}

/// `alias.column` names an agreement the partner is party to.
fn partners_agreement(alias: &DynIden, column: impl IdenStatic, partner: i64) -> Expr {
    use entity::agreement_party::{Column, Entity};
    let mut own = Query::select();
    own.column(Column::AgreementId)
        .from(Entity)
        .and_where(Expr::col(Column::OrganizationId).eq(partner));
    col(alias, column).in_subquery(own)
}

/// People: staff see all; others see those who signed an agreement for a party
/// (public signatories), and partners their own organization's people.
pub fn people(actor: &Actor, alias: &DynIden) -> Condition {
    if actor.sees_everything() {
        return Condition::all();
    }
    use entity::agreement_party as party;
    use entity::person::Column;
    let mut signatories = Query::select();
    signatories
        .column(party::Column::SignatoryId)
        .from(party::Entity)
        .and_where(Expr::col(party::Column::SignatoryId).is_not_null());
    let mut any = Condition::any().add(col(alias, Column::Id).in_subquery(signatories));
    if let Some(partner) = actor.partner_of() {
        any = any.add(col(alias, Column::OrganizationId).eq(partner));
    }
    any
}

/// Programs: staff see all; partners those of their agreements or that they host.
pub fn programs(actor: &Actor, alias: &DynIden) -> Condition {
    if actor.sees_everything() {
        return Condition::all();
    }
    use entity::program::Column;
    match actor.partner_of() {
        Some(partner) => Condition::any()
            .add(col(alias, Column::HostOrganizationId).eq(partner))
            .add(partners_agreement(alias, Column::AgreementId, partner)),
        None => nothing(),
    }
}

/// Joint units: staff see all; partners those they host, are partners of, or
/// that their agreements founded.
pub fn joint_units(actor: &Actor, alias: &DynIden) -> Condition {
    if actor.sees_everything() {
        return Condition::all();
    }
    use entity::joint_unit::Column;
    use entity::joint_unit_partner as partners;
    match actor.partner_of() {
        Some(partner) => {
            let mut partnered = Query::select();
            partnered
                .column(partners::Column::JointUnitId)
                .from(partners::Entity)
                .and_where(Expr::col(partners::Column::OrganizationId).eq(partner));
            Condition::any()
                .add(col(alias, Column::HostOrganizationId).eq(partner))
                .add(col(alias, Column::Id).in_subquery(partnered))
                .add(partners_agreement(alias, Column::AgreementId, partner))
        }
        None => nothing(),
    }
}

/// Students: staff see all; partners those whose home organization is theirs.
pub fn students(actor: &Actor, alias: &DynIden) -> Condition {
    if actor.sees_everything() {
        return Condition::all();
    }
    match actor.partner_of() {
        Some(partner) => Condition::all()
            .add(col(alias, entity::student::Column::HomeOrganizationId).eq(partner)),
        None => nothing(),
    }
}

/// May the actor see an agreement's non-public fields (its summary)? Staff, and
/// partners that are party to it.
pub fn sees_agreement_in_full(actor: &Actor, party_ids: impl IntoIterator<Item = i64>) -> bool {
    actor.sees_everything()
        || actor
            .partner_of()
            .is_some_and(|p| party_ids.into_iter().any(|id| id == p))
}

/// May the actor see a person's e-mail? Staff, and partners for their own people.
pub fn sees_person_email(actor: &Actor, organization_id: Option<i64>) -> bool {
    actor.sees_everything()
        || (actor.partner_of().is_some() && actor.partner_of() == organization_id)
}

/// May the actor see students' dates of birth? Staff only.
pub fn sees_date_of_birth(actor: &Actor) -> bool {
    actor.sees_everything()
}

/// May the actor see a student's e-mail? Whoever may see the student: staff,
/// and the partner that is the student's home organization.
pub fn sees_student_email(actor: &Actor, home_organization_id: Option<i64>) -> bool {
    actor.sees_everything()
        || (actor.partner_of().is_some() && actor.partner_of() == home_organization_id)
}

/// Longest token subject accepted, in characters.
pub const MAX_SUBJECT: usize = 256;

/// Checks what a verified token claims before it is trusted: a subject of
/// reasonable length in plain characters, and, for a partner, an organization
/// that exists and is not a home one (a home "partner" would see the home
/// university's private rows as its own).
pub async fn verify_actor(db: &sea_orm::DatabaseConnection, actor: &Actor) -> crate::Result<()> {
    use sea_orm::EntityTrait;
    if let Some(sub) = &actor.sub
        && (sub.is_empty()
            || sub.chars().count() > MAX_SUBJECT
            || sub.chars().any(char::is_control)
            || crate::text::forbidden(sub).is_some())
    {
        return Err(crate::Error::Unauthenticated(format!(
            "the token's `sub` must be 1 to {MAX_SUBJECT} printable characters"
        )));
    }
    let Some(partner) = actor.partner_of() else {
        return Ok(());
    };
    let organization = entity::organization::Entity::find_by_id(partner)
        .one(db)
        .await?;
    match organization {
        Some(org) if !org.is_home => Ok(()),
        Some(_) => Err(crate::Error::Unauthenticated(
            "a partner token cannot name a home organization".to_owned(),
        )),
        None => Err(crate::Error::Unauthenticated(
            "the token's organization does not exist".to_owned(),
        )),
    }
}
