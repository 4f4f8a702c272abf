//! Collaborative programs, majors, exchanges and summer schools.

use crate::resource::Link;

crate::resource!(program, ProgramOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    LanguageCode => LanguageCode,
    StartsOn => StartsOn,
    Capacity => Capacity,
}, key = Id, default = Id);

/// Students enrolled in the program.
pub const STUDENTS: Link = Link::Column("program_id");
