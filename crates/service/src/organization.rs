//! Organizations: partner universities, companies, institutes, and the home university.

use crate::resource::Link;

crate::resource!(organization, OrganizationOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    CountryCode => CountryCode,
    City => City,
    FoundedYear => FoundedYear,
    CreatedAt => CreatedAt,
}, key = Id, default = Id);

/// Agreements the organization is a party to.
pub const AGREEMENTS: Link = Link::Via {
    table: "agreement_parties",
    child_fk: "agreement_id",
    parent_fk: "organization_id",
};
/// People working for the organization.
pub const PEOPLE: Link = Link::Column("organization_id");
/// Events the organization organizes.
pub const ORGANIZED_EVENTS: Link = Link::Column("organizer_id");
/// Programs the organization hosts.
pub const PROGRAMS: Link = Link::Column("host_organization_id");
/// Students the organization hosts.
pub const STUDENTS: Link = Link::Column("host_organization_id");
/// Students whose home organization this is.
pub const HOME_STUDENTS: Link = Link::Column("home_organization_id");
/// Joint units the organization hosts.
pub const JOINT_UNITS: Link = Link::Column("host_organization_id");
/// Joint units the organization is a partner of.
pub const PARTNER_JOINT_UNITS: Link = Link::Via {
    table: "joint_unit_partners",
    child_fk: "joint_unit_id",
    parent_fk: "organization_id",
};
/// Visits the organization hosts.
pub const VISITS: Link = Link::Column("host_organization_id");

/// Organizations of one kind (the `universities`, `companies` and `institutes` roots).
pub fn of_kind(kind: entity::organization::OrganizationKind) -> sea_orm::Condition {
    use sea_orm::ColumnTrait;
    sea_orm::Condition::all().add(entity::organization::Column::Kind.eq(kind))
}

crate::filter_type! {
    /// Which organizations to return.
    OrganizationFilter for organization {
        fields {
            id: i64 => Id,
            name: String => Name,
            short_name: String => ShortName,
            kind: entity::organization::OrganizationKind => Kind,
            country_code: String => CountryCode,
            city: String => City,
            website: String => Website,
            founded_year: i32 => FoundedYear,
            industry: String => Industry,
            ror_id: String => RorId,
            is_home: bool => IsHome,
        }
        to_one {
            country: crate::country::CountryFilter => country (CountryCode = Code),
        }
        to_many {
            agreements: crate::agreement::AgreementFilter => agreement (AGREEMENTS, Id),
            people: crate::person::PersonFilter => person (PEOPLE, Id),
            organized_events: crate::event::EventFilter => event (ORGANIZED_EVENTS, Id),
            programs: crate::program::ProgramFilter => program (PROGRAMS, Id),
            students: crate::student::StudentFilter => student (STUDENTS, Id),
            home_students: crate::student::StudentFilter => student (HOME_STUDENTS, Id),
            joint_units: crate::joint_unit::JointUnitFilter => joint_unit (JOINT_UNITS, Id),
            partner_joint_units: crate::joint_unit::JointUnitFilter => joint_unit (PARTNER_JOINT_UNITS, Id),
            visits: crate::visit::VisitFilter => visit (VISITS, Id),
        }
    }
}

impl crate::filter::Filterable for entity::organization::Entity {
    type Filter = OrganizationFilter;

    fn filter_condition(
        filter: &OrganizationFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }

    fn search_columns(_actor: &crate::Actor) -> Vec<entity::organization::Column> {
        use entity::organization::Column;
        vec![
            Column::Name,
            Column::ShortName,
            Column::City,
            Column::Description,
        ]
    }
}
