//! Joint laboratories, centers and practice bases.

use crate::resource::Link;

crate::resource!(joint_unit, JointUnitOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    EstablishedOn => EstablishedOn,
}, key = Id, default = Id, visible = crate::access::joint_units);

/// The partner organizations of a joint unit.
pub const PARTNERS: Link = Link::Via {
    table: "joint_unit_partners",
    child_fk: "organization_id",
    parent_fk: "joint_unit_id",
};

crate::filter_type! {
    /// Which joint units to return.
    JointUnitFilter for joint_unit {
        fields {
            id: i64 => Id,
            name: String => Name,
            kind: entity::joint_unit::JointUnitKind => Kind,
            established_on: chrono::NaiveDate => EstablishedOn,
            closed_on: chrono::NaiveDate => ClosedOn,
        }
        to_one {
            host_organization: crate::organization::OrganizationFilter => organization (HostOrganizationId = Id),
            agreement: crate::agreement::AgreementFilter => agreement (AgreementId = Id),
            field_of_study: crate::field_of_study::FieldOfStudyFilter => field_of_study (FieldCode = Code),
        }
        to_many {
            partners: crate::organization::OrganizationFilter => organization (PARTNERS, Id),
        }
    }
}

impl crate::filter::Filterable for entity::joint_unit::Entity {
    type Filter = JointUnitFilter;

    fn filter_condition(
        filter: &JointUnitFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }
}
