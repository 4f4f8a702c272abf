//! International (and home) students.

use crate::access::{Field, Owner, Restricted};
use crate::query::resource::Decide;

crate::resource!(student, StudentOrderField {
    Id => Id,
    FullName => FullName,
    Nationality => Nationality,
    DegreeLevel => DegreeLevel,
    Status => Status,
    EnrolledOn => EnrolledOn,
    NationalityName => one(Nationality, country, Code, Name),
    HostName => one(HostOrganizationId, organization, Id, Name),
    HomeName => one(HomeOrganizationId, organization, Id, Name),
}, key = Id, default = Id, visible = crate::access::students, seen = SeenStudent);

impl crate::query::filter::Filterable for entity::student::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::STUDENT
    }
}

// ---- reads -----------------------------------------------------------------

/// A student as an actor reads it: the row, with its e-mail and date of birth
/// decided by the field rules (the row itself no longer holds them).
#[derive(Clone, Debug)]
pub struct SeenStudent {
    row: entity::student::Model,
    pub email: Restricted<Option<String>>,
    pub date_of_birth: Restricted<Option<chrono::NaiveDate>>,
}

impl std::ops::Deref for SeenStudent {
    type Target = entity::student::Model;
    fn deref(&self) -> &Self::Target {
        &self.row
    }
}

impl Decide<entity::student::Model> for SeenStudent {
    async fn decide(
        _db: &impl sea_orm::ConnectionTrait,
        actor: &crate::Actor,
        rows: Vec<entity::student::Model>,
    ) -> crate::Result<Vec<Self>> {
        Ok(rows
            .into_iter()
            .map(|mut row| {
                let owner = Owner::Organization(row.home_organization_id);
                SeenStudent {
                    email: Restricted::decide(actor, Field::StudentEmail, owner, row.email.take()),
                    date_of_birth: Restricted::decide(
                        actor,
                        Field::StudentDateOfBirth,
                        owner,
                        row.date_of_birth.take(),
                    ),
                    row,
                }
            })
            .collect())
    }
}

// ---- writes ----------------------------------------------------------------

use entity::student::{ActiveModel, DegreeLevel, StudentStatus};

use crate::write::{self, Edit, Write};

crate::changes! {
    /// The fields of a student a write sets.
    StudentChanges for ActiveModel as input {
        full_name: String => |v| write::name("fullName", v),
        email: Option<String> => |v| write::email("email", v),
        date_of_birth: Option<chrono::NaiveDate>,
        /// ISO 3166-1 alpha-2.
        nationality: String,
        home_organization_id: Option<i64> as Organization,
        host_organization_id: i64 as Organization,
        program_id: Option<i64> as Program,
        agreement_id: Option<i64> as Agreement,
        degree_level: DegreeLevel,
        /// Default `APPLIED`.
        status: StudentStatus = StudentStatus::Applied,
        enrolled_on: chrono::NaiveDate,
        leaves_on: Option<chrono::NaiveDate>,
    }
}

impl Edit for ActiveModel {
    type Changes = StudentChanges;

    fn apply(&mut self, changes: StudentChanges) -> crate::Result<()> {
        changes.apply_to(self)
    }

    async fn check(&mut self, w: &Write, _id: Option<i64>) -> crate::Result<()> {
        write::required("fullName", &self.full_name)?;
        write::required("degreeLevel", &self.degree_level)?;
        write::required("status", &self.status)?;
        let nationality = write::required("nationality", &self.nationality)?.clone();
        let host = *write::required("hostOrganizationId", &self.host_organization_id)?;
        let enrolled = *write::required("enrolledOn", &self.enrolled_on)?;
        write::date_order(
            write::date_of("enrolledOn", &self.enrolled_on),
            write::opt_date_of("leavesOn", &self.leaves_on),
        )?;
        if let Some(Some(born)) = write::value(&self.date_of_birth)
            && *born >= enrolled
        {
            return Err(crate::Error::bad_input(
                "dateOfBirth",
                "`dateOfBirth` must be before `enrolledOn`",
            ));
        }
        if write::changed(&self.nationality) {
            let code = write::country(w, "nationality", &nationality).await?;
            self.nationality = sea_orm::ActiveValue::Set(code);
        }
        if write::changed(&self.host_organization_id) {
            write::referenced::<entity::organization::Entity>(w, "hostOrganizationId", host)
                .await?;
        }
        if write::changed(&self.home_organization_id)
            && let Some(Some(home)) = write::value(&self.home_organization_id)
        {
            write::referenced::<entity::organization::Entity>(w, "homeOrganizationId", *home)
                .await?;
        }
        if write::changed(&self.program_id)
            && let Some(Some(program)) = write::value(&self.program_id)
        {
            write::referenced::<entity::program::Entity>(w, "programId", *program).await?;
        }
        if write::changed(&self.agreement_id)
            && let Some(Some(agreement)) = write::value(&self.agreement_id)
        {
            write::referenced::<entity::agreement::Entity>(w, "agreementId", *agreement).await?;
        }
        Ok(())
    }
}
