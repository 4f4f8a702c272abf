//! People: signatories, contacts, visiting experts.

use async_graphql::{ID, Result};

use super::id::NodeType;

/// A person: a signatory, a contact, a visiting expert.
pub struct Person;

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined};
use service::person::PersonChanges;

use super::input::{keep_or_set, nullable, nullable_id, opt_row_id, row_id};

/// A new person.
#[derive(InputObject)]
pub struct CreatePersonInput {
    pub full_name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    /// The organization the person works for.
    pub organization_id: Option<ID>,
    /// ISO 3166-1 alpha-2.
    pub nationality: Option<String>,
}

impl CreatePersonInput {
    fn changes(self) -> Result<PersonChanges, service::Error> {
        Ok(PersonChanges {
            full_name: Some(self.full_name),
            email: Some(self.email),
            title: Some(self.title),
            organization_id: Some(opt_row_id(
                self.organization_id.as_ref(),
                NodeType::Organization,
                "organizationId",
            )?),
            nationality: Some(self.nationality),
        })
    }
}

/// Changes to a person: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub full_name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub title: MaybeUndefined<String>,
    pub organization_id: MaybeUndefined<ID>,
    pub nationality: MaybeUndefined<String>,
}

impl UpdatePersonInput {
    fn split(self) -> Result<(i64, i32, PersonChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Person, "id")?;
        let changes = PersonChanges {
            full_name: keep_or_set(self.full_name, "fullName")?,
            email: nullable(self.email),
            title: nullable(self.title),
            organization_id: nullable_id(
                self.organization_id,
                NodeType::Organization,
                "organizationId",
            )?,
            nationality: nullable(self.nationality),
        };
        Ok((id, self.version, changes))
    }
}

super::mutation::crud_mutations! {
    PersonMutation for entity::person::ActiveModel as NodeType::Person, Person in PersonPayload.person;
    create_person(CreatePersonInput) "Creates a person.";
    update_person(UpdatePersonInput) "Changes a person.";
    delete_person(DeletePersonInput -> DeletePersonPayload) "a person";
}
