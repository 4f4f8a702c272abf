//! International (and home) students.

crate::resource!(student, StudentOrderField {
    Id => Id,
    FullName => FullName,
    Nationality => Nationality,
    DegreeLevel => DegreeLevel,
    Status => Status,
    EnrolledOn => EnrolledOn,
}, key = Id, default = Id);

crate::filter_type! {
    /// Which students to return.
    StudentFilter for student {
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

    fn search_columns() -> Vec<entity::student::Column> {
        vec![entity::student::Column::FullName]
    }
}
