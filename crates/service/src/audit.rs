//! Reading the audit log: admins only, on every path.

use chrono::{DateTime, Utc};
use sea_orm::Condition;
use sea_orm::sea_query::DynIden;

use crate::Actor;
use crate::actor::Role;
use crate::query::filter::{Filter, Ops, Scalar, Term};
use crate::write::Action;

crate::resource!(audit_log, AuditOrderField {
    Id => Id,
    At => At,
}, key = Id, default = Id, visible = admins_only);

/// Audit records are visible to admins alone.
pub fn admins_only(actor: &Actor, _alias: &DynIden) -> Condition {
    if actor.role == Some(Role::Admin) {
        Condition::all()
    } else {
        crate::access::nothing()
    }
}

/// Refuses callers who may not read the audit log: anonymous callers must
/// sign in, everyone but admins is forbidden. (Rows are hidden from them on
/// every path anyway, by [`admins_only`]; this tells them why.)
pub fn authorize_read(actor: &Actor) -> crate::Result<()> {
    match actor.role {
        Some(Role::Admin) => Ok(()),
        None => Err(crate::Error::Unauthenticated(
            "sign in with an admin token to read the audit log".to_owned(),
        )),
        Some(_) => Err(crate::Error::Forbidden(
            "the audit log is for admins only".to_owned(),
        )),
    }
}

/// Which audit records to return; every given criterion must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AuditFilter {
    /// `(entity type, key)` of one row, or the entity type alone.
    pub entity_type: Option<entity::RecordType>,
    pub entity_key: Option<i64>,
    pub actor_sub: Option<String>,
    pub actions: Vec<Action>,
    /// At or after.
    pub since: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
}

impl AuditFilter {
    /// The criteria as a filter over the log's columns.
    pub fn into_filter(self) -> Filter {
        let eq = |value: Scalar| {
            Box::new(Ops {
                eq: Some(value),
                ..Ops::default()
            })
        };
        let mut terms = Vec::new();
        if let Some(t) = self.entity_type {
            terms.push(Term::Field("entityType", eq(text(t.audit_name()))));
        }
        if let Some(key) = self.entity_key {
            terms.push(Term::Field("entityKey", eq(text(&key.to_string()))));
        }
        if let Some(sub) = self.actor_sub {
            terms.push(Term::Field("actorSub", eq(Scalar::Text(sub))));
        }
        if !self.actions.is_empty() {
            let actions = self.actions.iter().map(|a| text(a.as_str())).collect();
            let ops = Ops {
                in_list: Some(actions),
                ..Ops::default()
            };
            terms.push(Term::Field("action", Box::new(ops)));
        }
        if self.since.is_some() || self.until.is_some() {
            let at = Ops {
                gte: self.since.map(Scalar::Instant),
                lt: self.until.map(Scalar::Instant),
                ..Ops::default()
            };
            terms.push(Term::Field("at", Box::new(at)));
        }
        Filter {
            terms,
            ..Filter::default()
        }
    }
}

fn text(value: &str) -> Scalar {
    Scalar::Text(value.to_owned())
}

impl crate::query::filter::Filterable for entity::audit_log::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::AUDIT_ENTRY
    }
}
