//! Students.

use async_graphql::{Enum, ID, Result};

use super::id::NodeType;
use super::scalars::Date;

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

/// A student hosted by an organization.
pub struct Student;

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined};
use service::student::StudentChanges;

use super::input::{keep_or_set, map, nullable, nullable_id, opt_row_id, row_id};

/// A new international student.
#[derive(InputObject)]
pub struct CreateStudentInput {
    pub full_name: String,
    pub email: Option<String>,
    pub date_of_birth: Option<Date>,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    pub home_organization_id: Option<ID>,
    pub host_organization_id: ID,
    pub program_id: Option<ID>,
    pub agreement_id: Option<ID>,
    pub degree_level: DegreeLevel,
    /// Default `APPLIED`.
    pub status: Option<StudentStatus>,
    pub enrolled_on: Date,
    pub leaves_on: Option<Date>,
}

impl CreateStudentInput {
    fn changes(self) -> Result<StudentChanges, service::Error> {
        Ok(StudentChanges {
            full_name: Some(self.full_name),
            email: Some(self.email),
            date_of_birth: Some(self.date_of_birth.map(|d| d.0)),
            nationality: Some(self.nationality),
            home_organization_id: Some(opt_row_id(
                self.home_organization_id.as_ref(),
                NodeType::Organization,
                "homeOrganizationId",
            )?),
            host_organization_id: Some(row_id(
                &self.host_organization_id,
                NodeType::Organization,
                "hostOrganizationId",
            )?),
            program_id: Some(opt_row_id(
                self.program_id.as_ref(),
                NodeType::Program,
                "programId",
            )?),
            agreement_id: Some(opt_row_id(
                self.agreement_id.as_ref(),
                NodeType::Agreement,
                "agreementId",
            )?),
            degree_level: Some(self.degree_level.into()),
            status: map(self.status),
            enrolled_on: Some(self.enrolled_on.0),
            leaves_on: Some(self.leaves_on.map(|d| d.0)),
        })
    }
}

/// Changes to a student: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdateStudentInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub full_name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub date_of_birth: MaybeUndefined<Date>,
    pub nationality: MaybeUndefined<String>,
    pub home_organization_id: MaybeUndefined<ID>,
    pub host_organization_id: MaybeUndefined<ID>,
    pub program_id: MaybeUndefined<ID>,
    pub agreement_id: MaybeUndefined<ID>,
    pub degree_level: MaybeUndefined<DegreeLevel>,
    pub status: MaybeUndefined<StudentStatus>,
    pub enrolled_on: MaybeUndefined<Date>,
    pub leaves_on: MaybeUndefined<Date>,
}

impl UpdateStudentInput {
    fn split(self) -> Result<(i64, i32, StudentChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Student, "id")?;
        let changes = StudentChanges {
            full_name: keep_or_set(self.full_name, "fullName")?,
            email: nullable(self.email),
            date_of_birth: nullable(self.date_of_birth).map(|d| d.map(|d| d.0)),
            nationality: keep_or_set(self.nationality, "nationality")?,
            home_organization_id: nullable_id(
                self.home_organization_id,
                NodeType::Organization,
                "homeOrganizationId",
            )?,
            host_organization_id: keep_or_set(self.host_organization_id, "hostOrganizationId")?
                .map(|id| row_id(&id, NodeType::Organization, "hostOrganizationId"))
                .transpose()?,
            program_id: nullable_id(self.program_id, NodeType::Program, "programId")?,
            agreement_id: nullable_id(self.agreement_id, NodeType::Agreement, "agreementId")?,
            degree_level: map(keep_or_set(self.degree_level, "degreeLevel")?),
            status: map(keep_or_set(self.status, "status")?),
            enrolled_on: keep_or_set(self.enrolled_on, "enrolledOn")?.map(|d| d.0),
            leaves_on: nullable(self.leaves_on).map(|d| d.map(|d| d.0)),
        };
        Ok((id, self.version, changes))
    }
}

super::mutation::crud_mutations! {
    StudentMutation for entity::student::ActiveModel as NodeType::Student, Student in StudentPayload.student;
    create_student(CreateStudentInput) "Registers a student.";
    update_student(UpdateStudentInput) "Changes a student.";
    delete_student(DeleteStudentInput -> DeleteStudentPayload) "a student";
}
