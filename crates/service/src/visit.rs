//! Visits of experts to an organization.

crate::resource!(visit, VisitOrderField {
    Id => Id,
    StartsOn => StartsOn,
    EndsOn => EndsOn,
}, key = Id, default = Id, visible = crate::access::staff_only);

crate::filter_type! {
    /// Which visits to return.
    VisitFilter for visit {
        fields {
            id: i64 => Id,
            purpose: String => Purpose,
            starts_on: chrono::NaiveDate => StartsOn,
            ends_on: chrono::NaiveDate => EndsOn,
        }
        to_one {
            person: crate::person::PersonFilter => person (PersonId = Id),
            host_organization: crate::organization::OrganizationFilter => organization (HostOrganizationId = Id),
        }
        to_many {}
    }
}

impl crate::filter::Filterable for entity::visit::Entity {
    type Filter = VisitFilter;

    fn filter_condition(
        filter: &VisitFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }
}
