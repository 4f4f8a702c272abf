//! People: signatories, contacts, visiting experts.

use crate::resource::Link;

crate::resource!(person, PersonOrderField {
    Id => Id,
    FullName => FullName,
    CreatedAt => CreatedAt,
}, key = Id, default = Id);

/// The person's visits.
pub const VISITS: Link = Link::Column("person_id");
/// Agreements the person signed for one of the parties.
pub const SIGNED_AGREEMENTS: Link = Link::Via {
    table: "agreement_parties",
    child_fk: "agreement_id",
    parent_fk: "signatory_id",
};
