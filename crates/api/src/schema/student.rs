//! Students.

use async_graphql::{Context, Enum, ID, Object, Result};
use entity::student as model;
use service::student::StudentOrderField as SortField;

use super::agreement::Agreement;
use super::agreement::AgreementFilter;
use super::connection::{connection, order_input};
use super::country::Country;
use super::country::CountryFilter;
use super::filter::{DateFilter, StringFilter, enum_filter, filter_input, many_filter};
use super::id::{NodeType, encode_id};
use super::organization::Organization;
use super::organization::OrganizationFilter;
use super::program::Program;
use super::program::ProgramFilter;
use super::scalars::{Date, DateTime};

/// The level of study.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::student::DegreeLevel")]
pub enum DegreeLevel {
    /// Bachelor's degree.
    Bachelor,
    /// Master's degree.
    Master,
    /// Doctorate.
    Doctorate,
    /// Not working towards a degree.
    NonDegree,
    /// An exchange student.
    Exchange,
}

/// Where a student is in their studies.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::student::StudentStatus")]
pub enum StudentStatus {
    /// Applied, not yet enrolled.
    Applied,
    /// Enrolled.
    Enrolled,
    /// Graduated.
    Graduated,
    /// Withdrew.
    Withdrawn,
}

order_input!(
    StudentOrder,
    StudentOrderField,
    SortField {
        Id,
        FullName,
        Nationality,
        DegreeLevel,
        Status,
        EnrolledOn,
    }
);
connection!(
    model::Entity,
    Student,
    StudentConnection,
    StudentEdge,
    "students"
);

/// A student hosted by an organization.
pub struct Student(pub model::Model);

impl From<model::Model> for Student {
    fn from(m: model::Model) -> Self {
        Student(m)
    }
}

/// A student hosted by an organization.
#[Object]
impl Student {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Student, self.0.id)
    }
    /// Full name.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    /// E-mail address.
    async fn email(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        if !service::access::sees_student_email(super::actor(ctx), self.0.home_organization_id) {
            return Err(super::error::forbidden("email"));
        }
        Ok(self.0.email.as_deref())
    }
    /// Date of birth.
    async fn date_of_birth(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        if !service::access::sees_date_of_birth(super::actor(ctx)) {
            return Err(super::error::forbidden("dateOfBirth"));
        }
        Ok(self.0.date_of_birth.map(Date))
    }
    /// ISO 3166-1 alpha-2 code of the nationality.
    async fn nationality_code(&self) -> &str {
        self.0.nationality.trim_end()
    }
    /// The country of the student's nationality.
    async fn nationality(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        super::one::<entity::country::Entity, _>(ctx, self.0.nationality.clone()).await
    }
    /// The level of study.
    async fn degree_level(&self) -> DegreeLevel {
        self.0.degree_level.into()
    }
    /// Where the student is in their studies.
    async fn status(&self) -> StudentStatus {
        self.0.status.into()
    }
    /// When the student enrolled.
    async fn enrolled_on(&self) -> Date {
        self.0.enrolled_on.into()
    }
    /// When the student leaves (or left).
    async fn leaves_on(&self) -> Option<Date> {
        self.0.leaves_on.map(Date)
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
    /// The organization the student comes from.
    async fn home_organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        match self.0.home_organization_id {
            Some(id) => super::one::<entity::organization::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The organization hosting the student.
    async fn host_organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        super::one::<entity::organization::Entity, _>(ctx, self.0.host_organization_id).await
    }
    /// The program the student is enrolled in.
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<Program>> {
        match self.0.program_id {
            Some(id) => super::one::<entity::program::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
    /// The agreement the student came under.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<Agreement>> {
        match self.0.agreement_id {
            Some(id) => super::one::<entity::agreement::Entity, _>(ctx, id).await,
            None => Ok(None),
        }
    }
}

enum_filter!(DegreeLevelFilter, DegreeLevel, entity::student::DegreeLevel);
enum_filter!(
    StudentStatusFilter,
    StudentStatus,
    entity::student::StudentStatus
);
many_filter!(StudentManyFilter, StudentFilter, "students");
filter_input! {
    /// Which students to return.
    StudentFilter => service::student::StudentFilter {
        id { id: Student }
        fields {
            full_name: StringFilter,
            email: StringFilter,
            date_of_birth: DateFilter,
            nationality: StringFilter,
            degree_level: DegreeLevelFilter,
            status: StudentStatusFilter,
            enrolled_on: DateFilter,
            leaves_on: DateFilter,
        }
        one {
            nationality_country: CountryFilter,
            home_organization: OrganizationFilter,
            host_organization: OrganizationFilter,
            program: ProgramFilter,
            agreement: AgreementFilter,
        }
        many {}
    }
}
