//! The root `Mutation` type: each domain module contributes its mutations
//! (`verbNoun(input:)` returning a payload with the changed object).

use async_graphql::MergedObject;

use super::agreement::AgreementMutation;
use super::organization::OrganizationMutation;

/// Entry points for writing (staff and admins; deletes by admins only).
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct Mutation(OrganizationMutation, AgreementMutation);

/// Declares `Delete<X>Input { id, version }` and `Delete<X>Payload { deletedId }`.
macro_rules! delete_types {
    ($input:ident, $payload:ident, $what:literal) => {
        #[doc = concat!("Deletes ", $what, ": the row and the version the client saw.")]
        #[derive(async_graphql::InputObject)]
        pub struct $input {
            /// The global id of the row to delete.
            pub id: async_graphql::ID,
            /// The `version` the client last saw; another current version is a `CONFLICT`.
            pub version: i32,
        }

        #[doc = concat!("What deleting ", $what, " returns.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $payload {
            /// The global id of the deleted row.
            pub deleted_id: async_graphql::ID,
        }
    };
}
pub(crate) use delete_types;
