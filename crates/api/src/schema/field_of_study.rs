//! Fields of study (ISCED-F 2013).

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::field_of_study as model;
use service::field_of_study::{self as links, FieldOfStudyOrderField as SortField};
use service::query::resource::Key;

use super::aggregate::aggregate;
use super::agreement::{AgreementConnection, AgreementOrder};
use super::agreement::{AgreementFilter, AgreementManyFilter};
use super::connection::{ConnArgs, connection, order_input};
use super::filter::{StringFilter, filter_input, many_filter};
use super::id::{NodeType, encode};
use super::joint_unit::{JointUnitConnection, JointUnitOrder};
use super::joint_unit::{JointUnitFilter, JointUnitManyFilter};
use super::program::{ProgramConnection, ProgramOrder};
use super::program::{ProgramFilter, ProgramManyFilter};

order_input!(
    FieldOfStudyOrder,
    FieldOfStudyOrderField,
    SortField { Code, Name }
);
aggregate! {
    entity = model::Entity, what = "fields of study",
    FieldOfStudyAggregate, FieldOfStudyValues, FieldOfStudyCounts,
    FieldOfStudyGroup, FieldOfStudyGroupKey, FieldOfStudyGroupBy,
    FieldOfStudyHaving, FieldOfStudyValuesHaving, FieldOfStudyCountsHaving,
    values { code: String, name: String }
    counts { broad_code }
    keys {
        BroadCode => broad_code (broad_code, Value) value String,
    }
}

connection!(
    model::Entity,
    FieldOfStudy,
    FieldOfStudyConnection,
    FieldOfStudyEdge,
    "fields of study",
    aggregate = (
        FieldOfStudyAggregate,
        FieldOfStudyGroup,
        FieldOfStudyGroupBy,
        FieldOfStudyHaving
    )
);

/// The level of an ISCED-F 2013 field.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldLevel {
    /// A broad field (two digits, e.g. `06`).
    Broad,
    /// A narrow field (three digits, e.g. `061`).
    Narrow,
    /// A detailed field (four digits, e.g. `0613`).
    Detailed,
}

/// A field of education and training (ISCED-F 2013).
pub struct FieldOfStudy(pub model::Model);

impl From<model::Model> for FieldOfStudy {
    fn from(m: model::Model) -> Self {
        FieldOfStudy(m)
    }
}

/// A field of education and training (ISCED-F 2013).
#[Object]
impl FieldOfStudy {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::FieldOfStudy, &Key::Code(self.0.code.clone()))
    }
    /// The ISCED-F code: 2 digits (broad), 3 (narrow) or 4 (detailed).
    async fn code(&self) -> &str {
        self.0.code.trim_end()
    }
    /// English name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Broad, narrow or detailed.
    async fn level(&self) -> FieldLevel {
        match self.0.code.trim_end().len() {
            2 => FieldLevel::Broad,
            3 => FieldLevel::Narrow,
            _ => FieldLevel::Detailed,
        }
    }
    /// The broad field this field belongs to.
    async fn broad_field(&self, ctx: &Context<'_>) -> Result<Option<FieldOfStudy>> {
        super::one::<model::Entity, _>(ctx, self.0.broad_code.clone()).await
    }
    /// Agreements covering the field.
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<AgreementOrder>>,
        filter: Option<AgreementFilter>,
    ) -> Result<AgreementConnection> {
        let args = ConnArgs::new(first, after, last, before, AgreementOrder::sort(order_by))
            .with_filter(filter)?;
        AgreementConnection::child(ctx, *links::AGREEMENTS, self.0.code.clone(), args).await
    }
    /// Programs in the field.
    async fn programs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<ProgramOrder>>,
        filter: Option<ProgramFilter>,
    ) -> Result<ProgramConnection> {
        let args = ConnArgs::new(first, after, last, before, ProgramOrder::sort(order_by))
            .with_filter(filter)?;
        ProgramConnection::child(ctx, *links::PROGRAMS, self.0.code.clone(), args).await
    }
    /// Joint units working in the field.
    async fn joint_units(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<JointUnitOrder>>,
        filter: Option<JointUnitFilter>,
    ) -> Result<JointUnitConnection> {
        let args = ConnArgs::new(first, after, last, before, JointUnitOrder::sort(order_by))
            .with_filter(filter)?;
        JointUnitConnection::child(ctx, *links::JOINT_UNITS, self.0.code.clone(), args).await
    }
}

many_filter!(
    FieldOfStudyManyFilter,
    FieldOfStudyFilter,
    "fields of study"
);
filter_input! {
    /// Which fields of study to return.
    FieldOfStudyFilter => service::field_of_study::FieldOfStudyFilter {
        id {}
        fields {
            code: StringFilter,
            name: StringFilter,
            broad_code: StringFilter,
        }
        one {}
        many {
            agreements: AgreementManyFilter,
            programs: ProgramManyFilter,
            joint_units: JointUnitManyFilter,
        }
    }
}
