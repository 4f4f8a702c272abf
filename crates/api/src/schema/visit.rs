//! Visits of experts.

use async_graphql::{ID, Result};

use super::id::NodeType;
use super::scalars::Date;

/// A visit of an expert to an organization.
pub struct Visit;

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined};
use service::visit::VisitChanges;

use super::input::{keep_or_set, nullable, nullable_id, opt_row_id, row_id};

/// A new visit of an expert.
#[derive(InputObject)]
pub struct CreateVisitInput {
    pub person_id: ID,
    pub host_organization_id: ID,
    pub purpose: Option<String>,
    /// The agreement the visit is made under.
    pub agreement_id: Option<ID>,
    pub starts_on: Date,
    /// Not before `startsOn`.
    pub ends_on: Date,
}

impl CreateVisitInput {
    fn changes(self) -> Result<VisitChanges, service::Error> {
        Ok(VisitChanges {
            person_id: Some(row_id(&self.person_id, NodeType::Person, "personId")?),
            host_organization_id: Some(row_id(
                &self.host_organization_id,
                NodeType::Organization,
                "hostOrganizationId",
            )?),
            purpose: Some(self.purpose),
            agreement_id: Some(opt_row_id(
                self.agreement_id.as_ref(),
                NodeType::Agreement,
                "agreementId",
            )?),
            starts_on: Some(self.starts_on.0),
            ends_on: Some(self.ends_on.0),
        })
    }
}

/// Changes to a visit: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdateVisitInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub person_id: MaybeUndefined<ID>,
    pub host_organization_id: MaybeUndefined<ID>,
    pub purpose: MaybeUndefined<String>,
    pub agreement_id: MaybeUndefined<ID>,
    pub starts_on: MaybeUndefined<Date>,
    pub ends_on: MaybeUndefined<Date>,
}

impl UpdateVisitInput {
    fn split(self) -> Result<(i64, i32, VisitChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Visit, "id")?;
        let changes = VisitChanges {
            person_id: keep_or_set(self.person_id, "personId")?
                .map(|id| row_id(&id, NodeType::Person, "personId"))
                .transpose()?,
            host_organization_id: keep_or_set(self.host_organization_id, "hostOrganizationId")?
                .map(|id| row_id(&id, NodeType::Organization, "hostOrganizationId"))
                .transpose()?,
            purpose: nullable(self.purpose),
            agreement_id: nullable_id(self.agreement_id, NodeType::Agreement, "agreementId")?,
            starts_on: keep_or_set(self.starts_on, "startsOn")?.map(|d| d.0),
            ends_on: keep_or_set(self.ends_on, "endsOn")?.map(|d| d.0),
        };
        Ok((id, self.version, changes))
    }
}

super::mutation::crud_mutations! {
    VisitMutation for entity::visit::ActiveModel as NodeType::Visit, Visit in VisitPayload.visit;
    create_visit(CreateVisitInput) "Records a visit.";
    update_visit(UpdateVisitInput) "Changes a visit.";
    delete_visit(DeleteVisitInput -> DeleteVisitPayload) "a visit";
}
