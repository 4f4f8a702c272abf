//! Organization mutations: their inputs, payloads and resolvers.

use super::*;

use async_graphql::{InputObject, MaybeUndefined};
use service::organization::OrganizationChanges;
use service::organization_identifier::Identifier;
use service::organization_name::LocalizedName;

use crate::schema::input::{keep_or_set, map, nullable, row_id};
use crate::schema::registry::Organization;

/// An identifier of an organization in another registry.
#[derive(InputObject)]
pub struct IdentifierInput {
    pub scheme: IdentifierScheme,
    /// In any form the scheme's check accepts (`00pjdza24` or
    /// `https://ror.org/00pjdza24`; an ISNI with spaces); stored normalized.
    pub value: String,
}

/// A name of an organization in a language.
#[derive(InputObject)]
pub struct LocalizedNameInput {
    pub value: String,
    /// A BCP 47 language tag (`en`, `zh-Hans`, `bg`).
    pub lang: String,
    pub kind: NameKind,
}

fn identifiers(given: Option<Vec<IdentifierInput>>) -> Option<Vec<Identifier>> {
    given.map(|list| {
        list.into_iter()
            .map(|x| Identifier {
                scheme: x.scheme.into(),
                value: x.value,
            })
            .collect()
    })
}

fn names(given: Option<Vec<LocalizedNameInput>>) -> Option<Vec<LocalizedName>> {
    given.map(|list| {
        list.into_iter()
            .map(|n| LocalizedName {
                value: n.value,
                lang: n.lang,
                kind: n.kind.into(),
            })
            .collect()
    })
}

/// A new organization.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub kind: OrganizationKind,
    /// Trimmed; unique within its country, ignoring case.
    pub name: String,
    pub short_name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    pub city: Option<String>,
    /// An http(s) URL.
    pub website: Option<String>,
    pub founded_year: Option<i32>,
    pub industry: Option<String>,
    /// A ROR id (`03cve4549` or `https://ror.org/03cve4549`); unique.
    pub ror_id: Option<String>,
    /// Default false.
    pub is_home: Option<bool>,
    pub description: Option<String>,
    /// Its identifiers in other registries; a ROR identifier and `rorId`
    /// are the same (give either).
    pub identifiers: Option<Vec<IdentifierInput>>,
    /// Its names in several languages; a `DISPLAY` name and `name` are the
    /// same (give either, or both alike).
    pub names: Option<Vec<LocalizedNameInput>>,
}

/// Changes to an organization: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub kind: MaybeUndefined<OrganizationKind>,
    pub name: MaybeUndefined<String>,
    pub short_name: MaybeUndefined<String>,
    pub country_code: MaybeUndefined<String>,
    pub city: MaybeUndefined<String>,
    pub website: MaybeUndefined<String>,
    pub founded_year: MaybeUndefined<i32>,
    pub industry: MaybeUndefined<String>,
    pub ror_id: MaybeUndefined<String>,
    pub is_home: MaybeUndefined<bool>,
    pub description: MaybeUndefined<String>,
    /// Replaces its identifiers (`[]` removes them all); a ROR identifier
    /// and `rorId` are kept the same.
    pub identifiers: Option<Vec<IdentifierInput>>,
    /// Replaces its names (`[]` removes them all); a `DISPLAY` name and
    /// `name` are kept the same.
    pub names: Option<Vec<LocalizedNameInput>>,
}

impl CreateOrganizationInput {
    fn changes(self) -> Result<OrganizationChanges, service::Error> {
        Ok(OrganizationChanges {
            kind: Some(self.kind.into()),
            name: Some(self.name),
            short_name: Some(self.short_name),
            country_code: Some(self.country_code),
            city: Some(self.city),
            website: Some(self.website),
            founded_year: Some(self.founded_year),
            industry: Some(self.industry),
            ror_id: Some(self.ror_id),
            is_home: self.is_home,
            description: Some(self.description),
            identifiers: identifiers(self.identifiers),
            names: names(self.names),
        })
    }
}

impl UpdateOrganizationInput {
    fn split(self) -> Result<(i64, i32, OrganizationChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Organization, "id")?;
        let changes = OrganizationChanges {
            kind: map(keep_or_set(self.kind, "kind")?),
            name: keep_or_set(self.name, "name")?,
            short_name: nullable(self.short_name),
            country_code: keep_or_set(self.country_code, "countryCode")?,
            city: nullable(self.city),
            website: nullable(self.website),
            founded_year: nullable(self.founded_year),
            industry: nullable(self.industry),
            ror_id: nullable(self.ror_id),
            is_home: keep_or_set(self.is_home, "isHome")?,
            description: nullable(self.description),
            identifiers: identifiers(self.identifiers),
            names: names(self.names),
        };
        Ok((id, self.version, changes))
    }
}

crate::schema::mutation::crud_mutations! {
    OrganizationMutation for org::ActiveModel as NodeType::Organization, Organization in OrganizationPayload.organization;
    create_organization(CreateOrganizationInput) "Creates an organization.";
    update_organization(UpdateOrganizationInput) "Changes an organization.";
    delete_organization(DeleteOrganizationInput -> DeleteOrganizationPayload) "an organization";
}
