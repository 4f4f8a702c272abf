//! Reading the audit log: admins only, on every path.

use chrono::{DateTime, Utc};
use entity::audit_log::Column;
use sea_orm::sea_query::DynIden;
use sea_orm::{ColumnTrait, Condition};

use crate::Actor;
use crate::actor::Role;
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

impl crate::query::filter::FilterShape for AuditFilter {
    fn fields() -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    fn relations() -> Vec<(&'static str, crate::query::filter::Reach)> {
        Vec::new()
    }
}

impl crate::query::filter::Filterable for entity::audit_log::Entity {
    type Filter = AuditFilter;

    fn filter_condition(
        filter: &AuditFilter,
        _scope: &crate::query::filter::Scope<'_>,
    ) -> crate::Result<Condition> {
        let mut all = Condition::all();
        if let Some(t) = &filter.entity_type {
            all = all.add(Column::EntityType.eq(t.audit_name()));
        }
        if let Some(k) = &filter.entity_key {
            all = all.add(Column::EntityKey.eq(k.to_string()));
        }
        if let Some(s) = &filter.actor_sub {
            all = all.add(Column::ActorSub.eq(s.clone()));
        }
        if !filter.actions.is_empty() {
            all = all.add(Column::Action.is_in(filter.actions.iter().map(|a| a.as_str())));
        }
        if let Some(t) = filter.since {
            all = all.add(Column::At.gte(t));
        }
        if let Some(t) = filter.until {
            all = all.add(Column::At.lt(t));
        }
        Ok(all)
    }
}
