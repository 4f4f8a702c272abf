//! Collaborative programs, majors, exchanges and summer schools.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(program, ProgramOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    LanguageCode => LanguageCode,
    StartsOn => StartsOn,
    Capacity => Capacity,
    HostName => one(HostOrganizationId, organization, Id, Name),
    StudentsCount => count(STUDENTS, student),
}, key = Id, default = Id, visible = crate::access::programs);

/// Students enrolled in the program.
pub static STUDENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::program::Relation::Students));

impl crate::query::filter::Filterable for entity::program::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::PROGRAM
    }
}

// ---- writes ----------------------------------------------------------------

use entity::program::{ActiveModel, ProgramKind};

use crate::write::{self, Edit, Reference, Write};

crate::changes! {
    /// The fields of a program a write sets.
    ProgramChanges for ActiveModel as input {
        /// The agreement that created it.
        agreement_id: Option<i64> as Agreement,
        host_organization_id: i64 as Organization,
        name: String => |v| write::name("name", v),
        kind: ProgramKind,
        /// ISO 639-1 (`en`, `zh`, …).
        language_code: String => |v| write::language("languageCode", Some(v)).map(Option::unwrap_or_default),
        /// ISCED-F.
        field_code: Option<String>,
        starts_on: chrono::NaiveDate,
        ends_on: Option<chrono::NaiveDate>,
        /// Not negative.
        capacity: Option<i32>,
    }
}

impl Edit for ActiveModel {
    type Changes = ProgramChanges;
    fn references() -> Vec<Reference> {
        vec![Reference::new(
            entity::program::Relation::Students,
            "students",
        )]
    }

    fn apply(&mut self, changes: ProgramChanges) -> crate::Result<()> {
        changes.apply_to(self)
    }

    async fn check(&mut self, w: &Write, _id: Option<i64>) -> crate::Result<()> {
        write::required("name", &self.name)?;
        write::required("kind", &self.kind)?;
        let host = *write::required("hostOrganizationId", &self.host_organization_id)?;
        if write::required("languageCode", &self.language_code)?.is_empty() {
            return Err(crate::Error::bad_input(
                "languageCode",
                "`languageCode` must not be empty",
            ));
        }
        write::required("startsOn", &self.starts_on)?;
        write::date_order(
            write::date_of("startsOn", &self.starts_on),
            write::opt_date_of("endsOn", &self.ends_on),
        )?;
        if let Some(Some(capacity)) = write::value(&self.capacity)
            && *capacity < 0
        {
            return Err(crate::Error::bad_input(
                "capacity",
                "`capacity` must not be negative",
            ));
        }
        if write::changed(&self.host_organization_id) {
            write::referenced::<entity::organization::Entity>(w, "hostOrganizationId", host)
                .await?;
        }
        if write::changed(&self.agreement_id)
            && let Some(Some(agreement)) = write::value(&self.agreement_id)
        {
            write::referenced::<entity::agreement::Entity>(w, "agreementId", *agreement).await?;
        }
        if write::changed(&self.field_code)
            && let Some(Some(code)) = write::value(&self.field_code)
        {
            let code = write::field_of_study(w, "fieldCode", &code.clone()).await?;
            self.field_code = sea_orm::ActiveValue::Set(Some(code));
        }
        Ok(())
    }
}
