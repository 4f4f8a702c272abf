//! International (and home) students.

crate::resource!(student, StudentOrderField {
    Id => Id,
    FullName => FullName,
    Nationality => Nationality,
    DegreeLevel => DegreeLevel,
    Status => Status,
    EnrolledOn => EnrolledOn,
}, key = Id, default = Id, visible = crate::access::students);

crate::filter_type! {
    /// Which students to return.
    StudentFilter for student guarded by guard {
        fields {
            id: i64 => Id,
            full_name: String => FullName,
            email: String => Email,
            date_of_birth: chrono::NaiveDate => DateOfBirth,
            nationality: String => Nationality,
            degree_level: entity::student::DegreeLevel => DegreeLevel,
            status: entity::student::StudentStatus => Status,
            enrolled_on: chrono::NaiveDate => EnrolledOn,
            leaves_on: chrono::NaiveDate => LeavesOn,
        }
        to_one {
            nationality_country: crate::country::CountryFilter => country (Nationality = Code),
            home_organization: crate::organization::OrganizationFilter => organization (HomeOrganizationId = Id),
            host_organization: crate::organization::OrganizationFilter => organization (HostOrganizationId = Id),
            program: crate::program::ProgramFilter => program (ProgramId = Id),
            agreement: crate::agreement::AgreementFilter => agreement (AgreementId = Id),
        }
        to_many {}
    }
}

impl crate::filter::Filterable for entity::student::Entity {
    type Filter = StudentFilter;

    fn filter_condition(
        filter: &StudentFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }

    fn search_columns(_actor: &crate::Actor) -> Vec<entity::student::Column> {
        vec![entity::student::Column::FullName]
    }
}

/// Dates of birth are for staff only, and so is filtering on them.
fn guard(filter: &StudentFilter, scope: &crate::filter::Scope<'_>) -> crate::Result<()> {
    let allowed = crate::access::sees_date_of_birth(scope.actor);
    crate::filter::forbid_field(
        scope,
        filter.date_of_birth.is_some(),
        allowed,
        "dateOfBirth",
    )
}
