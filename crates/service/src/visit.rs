//! Visits of experts to an organization.

crate::resource!(visit, VisitOrderField {
    Id => Id,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
    HostName => one(HostOrganizationId, organization, Id, Name),
}, key = Id, default = Id, visible = crate::access::staff_only);

impl crate::query::filter::Filterable for entity::visit::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::VISIT
    }
}

// ---- writes ----------------------------------------------------------------

use entity::visit::ActiveModel;

use crate::write::{self, Edit, MAX_TEXT, Write};

crate::changes! {
    /// The fields of a visit a write sets.
    VisitChanges for ActiveModel as input {
        person_id: i64 as Person,
        host_organization_id: i64 as Organization,
        purpose: Option<String> => |v| write::text("purpose", v, MAX_TEXT),
        /// The agreement the visit is made under.
        agreement_id: Option<i64> as Agreement,
        starts_on: chrono::NaiveDate,
        /// Not before `startsOn`.
        ends_on: chrono::NaiveDate,
    }
}

impl Edit for ActiveModel {
    type Changes = VisitChanges;

    fn apply(&mut self, changes: VisitChanges) -> crate::Result<()> {
        changes.apply_to(self)
    }

    async fn check(&mut self, w: &Write, _id: Option<i64>) -> crate::Result<()> {
        let person = *write::required("personId", &self.person_id)?;
        let host = *write::required("hostOrganizationId", &self.host_organization_id)?;
        write::required("startsOn", &self.starts_on)?;
        write::required("endsOn", &self.ends_on)?;
        write::date_order(
            write::date_of("startsOn", &self.starts_on),
            write::date_of("endsOn", &self.ends_on),
        )?;
        if write::changed(&self.person_id) {
            write::referenced::<entity::person::Entity>(w, "personId", person).await?;
        }
        if write::changed(&self.host_organization_id) {
            write::referenced::<entity::organization::Entity>(w, "hostOrganizationId", host)
                .await?;
        }
        if write::changed(&self.agreement_id)
            && let Some(Some(agreement)) = write::value(&self.agreement_id)
        {
            write::referenced::<entity::agreement::Entity>(w, "agreementId", *agreement).await?;
        }
        Ok(())
    }
}
