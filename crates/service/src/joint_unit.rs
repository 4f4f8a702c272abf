//! Joint laboratories, centers and practice bases.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(joint_unit, JointUnitOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    EstablishedOn => EstablishedOn,
    HostName => one(HostOrganizationId, organization, Id, Name),
}, key = Id, default = Id, visible = crate::access::joint_units);

/// The partner organizations of a joint unit.
pub static PARTNERS: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::joint_unit::Relation::Partners,
        entity::joint_unit_partner::Relation::Organization,
    )
});

impl crate::query::filter::Filterable for entity::joint_unit::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::JOINT_UNIT
    }
}

// ---- writes ----------------------------------------------------------------

use entity::joint_unit::{ActiveModel, JointUnitKind, Model};
use entity::joint_unit_partner;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value as Json;

use crate::write::{self, Edit, Write};

crate::changes! {
    /// The fields of a joint unit a write sets, and its partners.
    JointUnitChanges for ActiveModel as input {
        name: String => |v| write::name("name", v),
        kind: JointUnitKind,
        host_organization_id: i64 as Organization,
        /// The agreement that founded it.
        agreement_id: Option<i64> as Agreement,
        /// ISCED-F.
        field_code: Option<String>,
        established_on: chrono::NaiveDate,
        closed_on: Option<chrono::NaiveDate>,
    } owns {
        /// The partner organizations.
        partner_ids: Vec<i64> as Organization,
    }
}

impl Edit for ActiveModel {
    type Changes = JointUnitChanges;

    fn apply(&mut self, changes: JointUnitChanges) -> crate::Result<()> {
        changes.apply_to(self)
    }

    fn owned(changes: &mut JointUnitChanges, fresh: bool) -> crate::Result<write::OwnedRows> {
        Ok(Box::new(owned_rows(fresh, changes.partner_ids.take())))
    }

    async fn audit_snapshot(w: &Write, row: &Model) -> crate::Result<Json> {
        full_snapshot(w, row).await
    }

    async fn check(&mut self, w: &Write, _id: Option<i64>) -> crate::Result<()> {
        write::required("name", &self.name)?;
        write::required("kind", &self.kind)?;
        let host = *write::required("hostOrganizationId", &self.host_organization_id)?;
        write::required("establishedOn", &self.established_on)?;
        write::date_order(
            write::date_of("establishedOn", &self.established_on),
            write::opt_date_of("closedOn", &self.closed_on),
        )?;
        if write::changed(&self.host_organization_id) {
            write::referenced::<entity::organization::Entity>(w, "hostOrganizationId", host)
                .await?;
        }
        if write::changed(&self.agreement_id)
            && let Some(Some(agreement)) = write::value(&self.agreement_id)
        {
            write::referenced::<entity::agreement::Entity>(w, "agreementId", *agreement).await?;
        }
        if write::changed(&self.field_code)
            && let Some(Some(code)) = write::value(&self.field_code)
        {
            let code = write::field_of_study(w, "fieldCode", &code.clone()).await?;
            self.field_code = Set(Some(code));
        }
        Ok(())
    }
}

/// The unit with its partner organizations, as the audit log keeps it.
async fn full_snapshot(w: &Write, row: &Model) -> crate::Result<Json> {
    let partners: Vec<i64> = joint_unit_partner::Entity::find()
        .filter(joint_unit_partner::Column::JointUnitId.eq(row.id))
        .order_by_asc(joint_unit_partner::Column::OrganizationId)
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|p| p.organization_id)
        .collect();
    let mut json = write::snapshot(row);
    if let Json::Object(map) = &mut json {
        map.insert("partner_ids".to_owned(), Json::from(partners));
    }
    Ok(json)
}

/// Writes the partner organizations of unit `id` (replacing any unless
/// `fresh`); repeated ids count once.
async fn write_partners(w: &Write, id: i64, partners: &[i64], fresh: bool) -> crate::Result<()> {
    write::list_size("partnerIds", partners)?;
    if !fresh {
        joint_unit_partner::Entity::delete_many()
            .filter(joint_unit_partner::Column::JointUnitId.eq(id))
            .exec(&w.txn)
            .await?;
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, &org) in partners.iter().enumerate() {
        write::referenced::<entity::organization::Entity>(w, &format!("partnerIds[{i}]"), org)
            .await?;
        if seen.insert(org) {
            joint_unit_partner::ActiveModel {
                joint_unit_id: Set(id),
                organization_id: Set(org),
            }
            .insert(&w.txn)
            .await?;
        }
    }
    Ok(())
}

/// The partner organizations a write gives a unit (`None` keeps them;
/// `fresh`: the unit is new and has none yet).
fn owned_rows(fresh: bool, partners: Option<Vec<i64>>) -> impl write::Owned {
    move |w: &Write, id: i64| -> futures_util::future::BoxFuture<'_, crate::Result<()>> {
        Box::pin(async move {
            match &partners {
                Some(partners) => write_partners(w, id, partners, fresh).await,
                None => Ok(()),
            }
        })
    }
}
