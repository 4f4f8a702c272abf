//! People: signatories, contacts, visiting experts.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(person, PersonOrderField {
    Id => Id,
    FullName => FullName,
    CreatedAt => CreatedAt,
    OrganizationName => one(OrganizationId, organization, Id, Name),
    NationalityName => one(Nationality, country, Code, Name),
}, key = Id, default = Id, visible = crate::access::people, seen = SeenPerson);

/// The person's visits.
pub static VISITS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::person::Relation::Visits));
/// Agreements the person signed for one of the parties.
pub static SIGNED_AGREEMENTS: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::person::Relation::SignedParties,
        entity::agreement_party::Relation::Agreement,
    )
});

impl crate::query::filter::Filterable for entity::person::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::PERSON
    }
}

// ---- reads -----------------------------------------------------------------

/// A person as an actor reads it: the row, with its e-mail decided by the
/// field rules (the row itself no longer holds it).
#[derive(Clone, Debug)]
pub struct SeenPerson {
    row: entity::person::Model,
    pub email: crate::access::Restricted<Option<String>>,
}

impl std::ops::Deref for SeenPerson {
    type Target = entity::person::Model;
    fn deref(&self) -> &Self::Target {
        &self.row
    }
}

impl crate::query::resource::Decide<entity::person::Model> for SeenPerson {
    async fn decide(
        _db: &impl sea_orm::ConnectionTrait,
        actor: &crate::Actor,
        rows: Vec<entity::person::Model>,
    ) -> crate::Result<Vec<Self>> {
        use crate::access::{Field, Owner, Restricted};
        Ok(rows
            .into_iter()
            .map(|mut row| SeenPerson {
                email: Restricted::decide(
                    actor,
                    Field::PersonEmail,
                    Owner::Organization(row.organization_id),
                    row.email.take(),
                ),
                row,
            })
            .collect())
    }
}

// ---- writes ----------------------------------------------------------------

use entity::person::ActiveModel;

use crate::write::{self, Edit, MAX_NAME, Reference, Write};

crate::changes! {
    /// The fields of a person a write sets.
    PersonChanges for ActiveModel as input {
        full_name: String => |v| write::name("fullName", v),
        email: Option<String> => |v| write::email("email", v),
        title: Option<String> => |v| write::text("title", v, MAX_NAME),
        /// The organization the person works for.
        organization_id: Option<i64> as Organization,
        /// ISO 3166-1 alpha-2.
        nationality: Option<String>,
    }
}

impl Edit for ActiveModel {
    type Changes = PersonChanges;
    fn references() -> Vec<Reference> {
        vec![
            Reference::new(
                entity::person::Relation::SignedParties,
                "signatures of agreements",
            ),
            Reference::new(entity::person::Relation::Visits, "visits"),
        ]
    }

    fn apply(&mut self, changes: PersonChanges) -> crate::Result<()> {
        changes.apply_to(self)
    }

    async fn check(&mut self, w: &Write, id: Option<i64>) -> crate::Result<()> {
        write::required("fullName", &self.full_name)?;
        // A signatory keeps working for the organizations they signed for.
        if let Some(id) = id
            && write::changed(&self.organization_id)
        {
            let organization = write::value(&self.organization_id).copied().flatten();
            let signed_for_others = write::count(
                w,
                "SELECT COUNT(*) FROM agreement_parties \
                 WHERE signatory_id = {1} AND organization_id <> {2}",
                &[id, organization.unwrap_or(-1)],
            )
            .await?;
            if signed_for_others > 0 {
                return Err(crate::Error::bad_input(
                    "organizationId",
                    "the person signed agreements for their current organization; \
                     name another signatory there first",
                ));
            }
        }
        if write::changed(&self.organization_id)
            && let Some(Some(org)) = write::value(&self.organization_id)
        {
            write::referenced::<entity::organization::Entity>(w, "organizationId", *org).await?;
        }
        if write::changed(&self.nationality)
            && let Some(Some(code)) = write::value(&self.nationality)
        {
            let code = write::country(w, "nationality", &code.clone()).await?;
            self.nationality = sea_orm::ActiveValue::Set(Some(code));
        }
        Ok(())
    }
}
