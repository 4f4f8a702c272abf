//! Visits of experts to an organization.

crate::resource!(visit, VisitOrderField {
    Id => Id,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
}, key = Id, default = Id);
