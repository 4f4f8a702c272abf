//! What every module's mutations share (`verbNoun(input:)` returning a payload
//! with the changed object); the `Mutation` root is derived in `registry`.

/// Refuses a caller who may not write (or delete) before the input is read,
/// so an anonymous caller hears UNAUTHENTICATED rather than about its input.
pub(crate) fn may(
    ctx: &async_graphql::Context<'_>,
    permission: service::write::Permission,
) -> async_graphql::Result<()> {
    use super::error::GqlResult;
    service::write::authorize(super::actor(ctx), permission).gql()
}

/// Deletes row `id` of `A` (global id of a `node`) for a `delete…` mutation
/// and returns the id.
pub(crate) async fn delete<A>(
    ctx: &async_graphql::Context<'_>,
    id: async_graphql::ID,
    version: i32,
    node: super::id::NodeType,
) -> async_graphql::Result<async_graphql::ID>
where
    A: service::write::Edit,
    service::write::ModelOf<A>: service::write::Row + sea_orm::IntoActiveModel<A> + Send + Sync,
    <<A::Entity as sea_orm::EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType:
        From<i64>,
{
    use super::error::GqlResult;
    may(ctx, service::write::Permission::Delete)?;
    let key = super::input::row_id(&id, node, "id").gql()?;
    let state = super::app(ctx);
    service::write::delete::<A>(&state.db, super::actor(ctx), key, version)
        .await
        .gql()?;
    Ok(id)
}

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

/// Declares the create / update / delete mutations of a table the service's
/// generic writes handle. The inputs convert themselves: `Create…Input::changes`
/// and `Update…Input::split` (into id, version and changes).
macro_rules! crud_mutations {
    (
        $mutation:ident for $am:ty as $node:expr, $object:ident in $payload:ident . $field:ident;
        $create:ident($create_input:ty) $create_doc:literal;
        $update:ident($update_input:ty) $update_doc:literal;
        $delete:ident($delete_input:ident -> $delete_payload:ident) $delete_doc:literal;
    ) => {
        #[doc = concat!("What a write to ", stringify!($field), " returns.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $payload {
            pub $field: $crate::schema::planned::Planned<$object>,
        }

        $crate::schema::mutation::delete_types!($delete_input, $delete_payload, $delete_doc);

        #[doc = concat!("Writes to ", stringify!($field), " rows.")]
        #[derive(Default)]
        pub struct $mutation;

        #[async_graphql::Object]
        impl $mutation {
            #[doc = $create_doc]
            async fn $create(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $create_input,
            ) -> async_graphql::Result<$payload> {
                use $crate::schema::error::GqlResult;
                $crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
                let actor = $crate::schema::actor(ctx);
                let changes = input.changes().gql()?;
                let state = $crate::schema::app(ctx);
                let row = service::write::create::<$am>(&state.db, actor, changes)
                    .await
                    .gql()?;
                Ok($payload {
                    $field: $crate::schema::planned::Planned::written(row),
                })
            }

            #[doc = $update_doc]
            async fn $update(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $update_input,
            ) -> async_graphql::Result<$payload> {
                use $crate::schema::error::GqlResult;
                $crate::schema::mutation::may(ctx, service::write::Permission::Write)?;
                let actor = $crate::schema::actor(ctx);
                let (id, version, changes) = input.split().gql()?;
                let state = $crate::schema::app(ctx);
                let row = service::write::update::<$am>(&state.db, actor, id, version, changes)
                    .await
                    .gql()?;
                Ok($payload {
                    $field: $crate::schema::planned::Planned::written(row),
                })
            }

            #[doc = concat!("Deletes ", $delete_doc, " nothing refers to any more (admins only).")]
            async fn $delete(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $delete_input,
            ) -> async_graphql::Result<$delete_payload> {
                let deleted_id =
                    $crate::schema::mutation::delete::<$am>(ctx, input.id, input.version, $node)
                        .await?;
                Ok($delete_payload { deleted_id })
            }
        }
    };
}
pub(crate) use crud_mutations;
