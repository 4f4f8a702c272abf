//! International (and home) students.

crate::resource!(student, StudentOrderField {
    Id => Id,
    FullName => FullName,
    Nationality => Nationality,
    DegreeLevel => DegreeLevel,
    Status => Status,
    EnrolledOn => EnrolledOn,
}, key = Id, default = Id);
