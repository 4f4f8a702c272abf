//! Programs: collaborative programs, majors, exchanges, summer schools.

use async_graphql::{Enum, ID, Result};

use super::id::NodeType;
use super::scalars::Date;

/// What kind of program.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::program::ProgramKind")]
pub enum ProgramKind {
    /// A degree major.
    DegreeMajor,
    /// A joint degree.
    JointDegree,
    /// A dual degree.
    DualDegree,
    /// An exchange program.
    Exchange,
    /// Joint training.
    JointTraining,
    /// A summer school.
    SummerSchool,
    /// A research program.
    Research,
}

/// A program: a collaborative program, a major, an exchange, a summer school.
pub struct Program;

// ---- mutations -------------------------------------------------------------

use async_graphql::{InputObject, MaybeUndefined};
use service::program::ProgramChanges;

use super::input::{keep_or_set, map, nullable, nullable_id, opt_row_id, row_id};

/// A new program.
#[derive(InputObject)]
pub struct CreateProgramInput {
    /// The agreement that created it.
    pub agreement_id: Option<ID>,
    pub host_organization_id: ID,
    pub name: String,
    pub kind: ProgramKind,
    /// ISO 639-1 (`en`, `zh`, …).
    pub language_code: String,
    /// ISCED-F.
    pub field_code: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// Not negative.
    pub capacity: Option<i32>,
}

impl CreateProgramInput {
    fn changes(self) -> Result<ProgramChanges, service::Error> {
        Ok(ProgramChanges {
            agreement_id: Some(opt_row_id(
                self.agreement_id.as_ref(),
                NodeType::Agreement,
                "agreementId",
            )?),
            host_organization_id: Some(row_id(
                &self.host_organization_id,
                NodeType::Organization,
                "hostOrganizationId",
            )?),
            name: Some(self.name),
            kind: Some(self.kind.into()),
            language_code: Some(self.language_code),
            field_code: Some(self.field_code),
            starts_on: Some(self.starts_on.0),
            ends_on: Some(self.ends_on.map(|d| d.0)),
            capacity: Some(self.capacity),
        })
    }
}

/// Changes to a program: only the fields given change; null clears.
#[derive(InputObject)]
pub struct UpdateProgramInput {
    pub id: ID,
    /// The `version` the client last saw.
    pub version: i32,
    pub agreement_id: MaybeUndefined<ID>,
    pub host_organization_id: MaybeUndefined<ID>,
    pub name: MaybeUndefined<String>,
    pub kind: MaybeUndefined<ProgramKind>,
    pub language_code: MaybeUndefined<String>,
    pub field_code: MaybeUndefined<String>,
    pub starts_on: MaybeUndefined<Date>,
    pub ends_on: MaybeUndefined<Date>,
    pub capacity: MaybeUndefined<i32>,
}

impl UpdateProgramInput {
    fn split(self) -> Result<(i64, i32, ProgramChanges), service::Error> {
        let id = row_id(&self.id, NodeType::Program, "id")?;
        let changes = ProgramChanges {
            agreement_id: nullable_id(self.agreement_id, NodeType::Agreement, "agreementId")?,
            host_organization_id: keep_or_set(self.host_organization_id, "hostOrganizationId")?
                .map(|id| row_id(&id, NodeType::Organization, "hostOrganizationId"))
                .transpose()?,
            name: keep_or_set(self.name, "name")?,
            kind: map(keep_or_set(self.kind, "kind")?),
            language_code: keep_or_set(self.language_code, "languageCode")?,
            field_code: nullable(self.field_code),
            starts_on: keep_or_set(self.starts_on, "startsOn")?.map(|d| d.0),
            ends_on: nullable(self.ends_on).map(|d| d.map(|d| d.0)),
            capacity: nullable(self.capacity),
        };
        Ok((id, self.version, changes))
    }
}

super::mutation::crud_mutations! {
    ProgramMutation for entity::program::ActiveModel as NodeType::Program, Program in ProgramPayload.program;
    create_program(CreateProgramInput) "Creates a program.";
    update_program(UpdateProgramInput) "Changes a program.";
    delete_program(DeleteProgramInput -> DeleteProgramPayload) "a program";
}
