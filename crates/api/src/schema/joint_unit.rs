//! Joint laboratories, centers and practice bases.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::joint_unit as model;
use service::joint_unit::{self as links, JointUnitOrderField as SortField};

use super::agreement::Agreement;
use super::agreement::AgreementFilter;
use super::connection::{connection, order_input};
use super::error::GqlResult;
use super::field_of_study::FieldOfStudy;
use super::field_of_study::FieldOfStudyFilter;
use super::filter::{DateFilter, StringFilter, enum_filter, filter_input, many_filter};
use super::id::{NodeType, encode_id};
use super::loader::ChildList;
use super::organization::Organization;
use super::organization::{OrganizationFilter, OrganizationManyFilter};
use super::scalars::{Date, DateTime};

/// What kind of joint unit.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::joint_unit::JointUnitKind")]
pub enum JointUnitKind {
    /// A joint laboratory.
    Laboratory,
    /// A joint center.
    Center,
    /// A practice base.
    PracticeBase,
}

order_input!(
    JointUnitOrder,
    JointUnitOrderField,
    SortField {
        Id,
        Name,
        Kind,
        EstablishedOn
    }
);
connection!(
    model::Entity,
    JointUnit,
    JointUnitConnection,
    JointUnitEdge,
    "joint units"
);

/// An international joint laboratory, center or practice base.
pub struct JointUnit(pub model::Model);

impl From<model::Model> for JointUnit {
    fn from(m: model::Model) -> Self {
        JointUnit(m)
    }
}

/// An international joint laboratory, center or practice base.
#[Object]
impl JointUnit {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id(NodeType::JointUnit, self.0.id)
    }
    /// Name of the unit.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Laboratory, center or practice base.
    async fn kind(&self) -> JointUnitKind {
        self.0.kind.into()
    }
    /// When it was established.
    async fn established_on(&self) -> Date {
        self.0.established_on.into()
    }
    /// When it closed, if it did.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }
    /// Row version, for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the row was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the row was last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// The organization hosting it.
    async fn host_organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        super::one::<entity::organization::Entity, _>(ctx, self.0.host_organization_id).await
    }
    /// The agreement that founded it.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.agreement_id {
            Some(id) => super::one::<entity::agreement::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
    /// Its field of study.
    async fn field_of_study(&self, ctx: &Context<'_>) -> Result<Option<FieldOfStudy>> {
        match &self.0.field_code {
            Some(code) => super::one::<entity::field_of_study::Entity, _>(ctx, code.clone()).await,
            None => Ok(None),
        }
    }
    /// The partner organizations.
    async fn partners(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        let partners = super::loader(ctx)
            .load_one(ChildList::<entity::organization::Entity>::new(
                links::PARTNERS,
                self.0.id.into(),
            ))
            .await
            .gql()?
            .unwrap_or_default();
        Ok(partners.into_iter().map(Organization::from).collect())
    }
}

enum_filter!(
    JointUnitKindFilter,
    JointUnitKind,
    entity::joint_unit::JointUnitKind
);
many_filter!(JointUnitManyFilter, JointUnitFilter, "joint units");
filter_input! {
    /// Which joint units to return.
    JointUnitFilter => service::joint_unit::JointUnitFilter {
        id { id: JointUnit }
        fields {
            name: StringFilter,
            kind: JointUnitKindFilter,
            established_on: DateFilter,
            closed_on: DateFilter,
        }
        one {
            host_organization: OrganizationFilter,
            agreement: AgreementFilter,
            field_of_study: FieldOfStudyFilter,
        }
        many { partners: OrganizationManyFilter }
    }
}
