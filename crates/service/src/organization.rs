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
