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
//! Fields: see [`rule`]; the service hands restricted fields to the api
//! as [`Restricted`] values already decided for the actor. Statistics are
//! public figures over all rows: a line in that table says why.

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

/// What the row and field rules depend on: the role and, for a partner, its
/// organization; never who the actor is beyond that. Actors with the same
/// rule set see the same rows and fields, so work done for one serves all
/// (a changed row read once per rule set, a subscription run once).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuleSet {
    role: Option<Role>,
    partner: Option<i64>,
}

impl RuleSet {
    pub fn of(actor: &Actor) -> RuleSet {
        RuleSet {
            role: actor.role,
            partner: actor.partner_of(),
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
    party_to(col(alias, column), partner)
}

/// `agreement` is the id of an agreement the partner is party to.
fn party_to(agreement: Expr, partner: i64) -> Expr {
    use entity::agreement_party::{Column, Entity};
    let mut own = Query::select();
    own.column(Column::AgreementId)
        .from(Entity)
        .and_where(Expr::col(Column::OrganizationId).eq(partner));
    agreement.in_subquery(own)
}

/// People: staff see all; others see those who signed an agreement for a party
/// (public signatories), and partners their own organization's people.
pub fn people(actor: &Actor, alias: &DynIden) -> Condition {
    if actor.sees_everything() {
        return Condition::all();
    }
    use entity::agreement_party as party;
    use entity::person::Column;
    // A probe of the signatory index per person, not `id IN (all
    // signatories)`: PostgreSQL hashes an `IN` (and an `EXISTS` it can turn
    // into one) under `OR` in full for every statement — 150,000 parties,
    // 62 ms — where a page needs a few dozen probes (0.8 ms; a count of all
    // 20,000 people 31 ms instead of 60). The condition on the outer row
    // keeps the planner from turning the `EXISTS` into a hashed `IN`.
    let mut signed = Query::select();
    signed
        .expr(Expr::val(1))
        .from(party::Entity)
        .and_where(
            Expr::col((party::Entity, party::Column::SignatoryId))
                .equals((alias.clone(), Column::Id)),
        )
        .and_where(col(alias, Column::Id).is_not_null());
    let mut any = Condition::any().add(Expr::exists(signed));
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

// ---- field rules ---------------------------------------------------------------

/// A field (or figure) not governed by its row's rule alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    PersonEmail,
    StudentEmail,
    StudentDateOfBirth,
    AgreementSummary,
    /// An agreement as an EWP inter-institutional agreement.
    AgreementEwpIia,
    /// How many people an agreement's cooperation conditions have sent.
    MobilityBalance,
    /// The dashboard's statistics: figures over all rows.
    Statistics,
}

/// Who may read a field, beyond who may see its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// Anyone who may ask.
    Everyone,
    /// Staff and admins.
    Staff,
    /// Staff, and a partner when the row belongs to its organization.
    StaffAndOwnOrganization,
    /// Staff, and a partner that is party to the row (an agreement).
    StaffAndParties,
}

/// One line of the field rules: the field's GraphQL name, who reads it, why.
#[derive(Clone, Copy, Debug)]
pub struct FieldRule {
    pub name: &'static str,
    pub readers: Readers,
    pub reason: &'static str,
}

/// The field rules, beside the row rules above: one line per [`Field`] (the
/// `match` is exhaustive, so a field without a rule does not compile). A field
/// that is not a [`Field`] is read by whoever may see its row.
pub const fn rule(field: Field) -> FieldRule {
    let (name, readers, reason) = match field {
        Field::PersonEmail => (
            "email",
            Readers::StaffAndOwnOrganization,
            "contact details are personal data; a partner sees its own people's",
        ),
        Field::StudentEmail => (
            "email",
            Readers::StaffAndOwnOrganization,
            "personal data; the home organization corresponds with its students",
        ),
        Field::StudentDateOfBirth => (
            "dateOfBirth",
            Readers::Staff,
            "personal data no partner needs (DESIGN: partners see students without it)",
        ),
        Field::AgreementSummary => (
            "summary",
            Readers::StaffAndParties,
            "an agreement's terms are shared with its parties, not published",
        ),
        Field::AgreementEwpIia => (
            "ewpIia",
            Readers::StaffAndParties,
            "the IIA document carries the agreement's terms and signatories, shared with its parties",
        ),
        Field::MobilityBalance => (
            "mobilityBalance",
            Readers::StaffAndParties,
            "counts of the agreement's students and visits, whom only staff and the agreement's \
             parties follow",
        ),
        Field::Statistics => (
            "statistics",
            Readers::Everyone,
            "the published figures of the international office: counts over all rows that \
             name no row and no restricted field, so they take no actor",
        ),
    };
    FieldRule {
        name,
        readers,
        reason,
    }
}

/// Whose row it is, as far as a field rule asks.
#[derive(Clone, Copy, Debug)]
pub enum Owner<'a> {
    /// The organization the row belongs to.
    Organization(Option<i64>),
    /// The parties to the row.
    Parties(&'a [i64]),
}

/// May `actor` read `field` of a row that belongs to `owner`?
pub fn may_read(actor: &Actor, field: Field, owner: Owner<'_>) -> bool {
    if actor.sees_everything() {
        return true;
    }
    match (rule(field).readers, owner) {
        (Readers::Everyone, _) => true,
        (Readers::Staff, _) => false,
        (Readers::StaffAndOwnOrganization, Owner::Organization(org)) => {
            actor.partner_of().is_some() && actor.partner_of() == org
        }
        (Readers::StaffAndParties, Owner::Parties(parties)) => actor
            .partner_of()
            .is_some_and(|partner| parties.contains(&partner)),
        _ => false,
    }
}

/// The column of a field's row that says whose row it is, as [`Owner`] does
/// for a row read whole: the same owners, named for SQL.
fn owner_column(field: Field) -> Option<&'static str> {
    use sea_orm::IdenStatic;
    match field {
        Field::PersonEmail => Some(entity::person::Column::OrganizationId.as_str()),
        Field::StudentEmail => Some(entity::student::Column::HomeOrganizationId.as_str()),
        Field::AgreementSummary | Field::AgreementEwpIia => {
            Some(entity::agreement::Column::Id.as_str())
        }
        Field::MobilityBalance => Some(entity::cooperation_condition::Column::AgreementId.as_str()),
        Field::StudentDateOfBirth | Field::Statistics => None,
    }
}

/// On which rows of its table one actor may read a field: [`may_read`] as
/// SQL, for reads that decide it in the statement.
#[derive(Clone, Debug)]
pub struct Readable {
    /// The row's column the decision reads, if any.
    owner: Option<&'static str>,
    /// The partner that must own the row, or be party to it; `None`: no row.
    partner: Option<i64>,
    readers: Readers,
}

impl Readable {
    /// `None` when `actor` may read `field` on every row it sees.
    pub fn of(actor: &Actor, field: Field) -> Option<Readable> {
        if may_read_all(actor, field) {
            return None;
        }
        Some(Readable {
            owner: owner_column(field),
            partner: actor.partner_of(),
            readers: rule(field).readers,
        })
    }

    /// The column of the row the condition reads.
    pub fn reads(&self) -> Option<&'static str> {
        self.owner
    }

    /// The rows (of the field's table, aliased `alias`) where the field may
    /// be read.
    pub fn condition(&self, alias: &DynIden) -> Condition {
        let owner = self
            .owner
            .map(|c| Expr::col((alias.clone(), sea_orm::sea_query::Alias::new(c))));
        match (self.readers, self.partner, owner) {
            (Readers::StaffAndOwnOrganization, Some(partner), Some(owner)) => {
                Condition::all().add(owner.eq(partner))
            }
            (Readers::StaffAndParties, Some(partner), Some(owner)) => {
                Condition::all().add(party_to(owner, partner))
            }
            _ => nothing(),
        }
    }
}

/// What a refused `field` is answered with (every path says the same).
pub fn refusal(field: Field) -> String {
    format!("`{}` is not visible with your role", rule(field).name)
}

/// May `actor` read `field` on every row, whoever owns it (filtering and
/// searching on a field asks this)?
pub fn may_read_all(actor: &Actor, field: Field) -> bool {
    actor.sees_everything() || rule(field).readers == Readers::Everyone
}

/// A field's value as decided for one actor by the field rules: the api can
/// only turn it into the value or a `FORBIDDEN` error, never read around it.
///
/// ```compile_fail
/// # fn leak(email: service::access::Restricted<Option<String>>) -> Option<String> {
/// email.value // private: the value comes only through `get`, which applies the decision
/// # }
/// ```
/// ```compile_fail
/// # fn forge() -> service::access::Restricted<String> {
/// service::access::Restricted { value: Some(String::new()), field: service::access::Field::PersonEmail }
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Restricted<T> {
    value: Option<T>,
    field: Field,
}

impl<T> Restricted<T> {
    /// Decides `value` for `actor` by the rule of `field`.
    pub(crate) fn decide(actor: &Actor, field: Field, owner: Owner<'_>, value: T) -> Self {
        Restricted {
            value: may_read(actor, field, owner).then_some(value),
            field,
        }
    }

    /// The value, or `FORBIDDEN` when the actor may not read it.
    pub fn get(&self) -> crate::Result<&T> {
        self.value
            .as_ref()
            .ok_or_else(|| crate::Error::Forbidden(refusal(self.field)))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(org: i64) -> Actor {
        Actor {
            role: Some(Role::Partner),
            organization_id: Some(org),
            ..Actor::default()
        }
    }

    fn staff() -> Actor {
        Actor {
            role: Some(Role::Staff),
            ..Actor::default()
        }
    }

    #[test]
    fn every_field_rule_names_its_field_and_gives_its_reason() {
        for field in [
            Field::PersonEmail,
            Field::StudentEmail,
            Field::StudentDateOfBirth,
            Field::AgreementSummary,
            Field::Statistics,
        ] {
            let rule = rule(field);
            assert!(!rule.name.is_empty(), "{field:?}");
            assert!(!rule.reason.is_empty(), "{field:?}");
        }
    }

    #[test]
    fn a_partner_reads_its_own_peoples_email_and_no_one_elses() {
        let own = Owner::Organization(Some(7));
        assert!(may_read(&partner(7), Field::PersonEmail, own));
        assert!(!may_read(&partner(8), Field::PersonEmail, own));
        assert!(!may_read(&Actor::default(), Field::PersonEmail, own));
        assert!(!may_read(
            &partner(7),
            Field::PersonEmail,
            Owner::Organization(None)
        ));
        assert!(may_read(
            &staff(),
            Field::PersonEmail,
            Owner::Organization(None)
        ));
    }

    #[test]
    fn dates_of_birth_are_for_staff_even_for_the_home_partner() {
        let own = Owner::Organization(Some(7));
        assert!(!may_read(&partner(7), Field::StudentDateOfBirth, own));
        assert!(may_read(&staff(), Field::StudentDateOfBirth, own));
    }

    #[test]
    fn a_summary_is_read_by_the_parties_only() {
        assert!(may_read(
            &partner(7),
            Field::AgreementSummary,
            Owner::Parties(&[7])
        ));
        assert!(!may_read(
            &partner(8),
            Field::AgreementSummary,
            Owner::Parties(&[7])
        ));
        assert!(!may_read(
            &Actor::default(),
            Field::AgreementSummary,
            Owner::Parties(&[])
        ));
    }

    #[test]
    fn statistics_are_public_by_rule() {
        assert_eq!(rule(Field::Statistics).readers, Readers::Everyone);
        assert!(may_read_all(&Actor::default(), Field::Statistics));
        assert!(!may_read_all(&partner(7), Field::PersonEmail));
    }

    #[test]
    fn a_denied_value_is_forbidden_and_an_allowed_one_is_itself() {
        let own = Owner::Organization(Some(7));
        let denied = Restricted::decide(&partner(8), Field::PersonEmail, own, Some("a@b.org"));
        assert!(matches!(denied.get(), Err(crate::Error::Forbidden(m)) if m.contains("`email`")));
        let allowed = Restricted::decide(&partner(7), Field::PersonEmail, own, Some("a@b.org"));
        assert_eq!(allowed.get().ok(), Some(&Some("a@b.org")));
    }

    #[test]
    fn rule_sets_ignore_who_but_not_which_partner() {
        let partner = |sub: &str, org| Actor {
            sub: Some(sub.to_owned()),
            role: Some(Role::Partner),
            organization_id: Some(org),
        };
        assert_eq!(RuleSet::of(&partner("a", 1)), RuleSet::of(&partner("b", 1)));
        assert_ne!(RuleSet::of(&partner("a", 1)), RuleSet::of(&partner("a", 2)));
        assert_ne!(
            RuleSet::of(&Actor::anonymous()),
            RuleSet::of(&Actor::system())
        );
    }
}
