//! Fields of study (ISCED-F 2013 broad, narrow and detailed fields): reference data.

use crate::resource::Link;

crate::resource!(field_of_study, FieldOfStudyOrderField {
    Code => Code,
    Name => Name,
}, key = Code, default = Code);

/// Agreements covering the field.
pub const AGREEMENTS: Link = Link::Via {
    table: "agreement_fields",
    child_fk: "agreement_id",
    parent_fk: "field_code",
};
/// Programs in the field.
pub const PROGRAMS: Link = Link::Column("field_code");
/// Joint units working in the field.
pub const JOINT_UNITS: Link = Link::Column("field_code");
