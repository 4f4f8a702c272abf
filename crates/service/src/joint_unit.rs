//! Joint laboratories, centers and practice bases.

use crate::resource::Link;

crate::resource!(joint_unit, JointUnitOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    EstablishedOn => EstablishedOn,
}, key = Id, default = Id);

/// The partner organizations of a joint unit.
pub const PARTNERS: Link = Link::Via {
    table: "joint_unit_partners",
    child_fk: "organization_id",
    parent_fk: "joint_unit_id",
};
