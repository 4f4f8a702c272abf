//! Collaborative programs, majors, exchanges and summer schools.

use crate::resource::Link;

crate::resource!(program, ProgramOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    LanguageCode => LanguageCode,
    StartsOn => StartsOn,
    Capacity => Capacity,
}, key = Id, default = Id, visible = crate::access::programs);

/// Students enrolled in the program.
pub const STUDENTS: Link = Link::Column("program_id");

crate::filter_type! {
    /// Which programs to return.
    ProgramFilter for program {
        fields {
            id: i64 => Id,
            name: String => Name,
            kind: entity::program::ProgramKind => Kind,
            language_code: String => LanguageCode,
            starts_on: chrono::NaiveDate => StartsOn,
            ends_on: chrono::NaiveDate => EndsOn,
            capacity: i32 => Capacity,
        }
        to_one {
            agreement: crate::agreement::AgreementFilter => agreement (AgreementId = Id),
            host_organization: crate::organization::OrganizationFilter => organization (HostOrganizationId = Id),
            field_of_study: crate::field_of_study::FieldOfStudyFilter => field_of_study (FieldCode = Code),
        }
        to_many {
            students: crate::student::StudentFilter => student (STUDENTS, Id),
        }
    }
}

impl crate::filter::Filterable for entity::program::Entity {
    type Filter = ProgramFilter;

    fn filter_condition(
        filter: &ProgramFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }

    fn search_columns(_actor: &crate::Actor) -> Vec<entity::program::Column> {
        vec![entity::program::Column::Name]
    }
}
