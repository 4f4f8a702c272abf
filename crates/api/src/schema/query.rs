//! The root `Query` type.

use async_graphql::Context;

/// Entry points for reading: the root type, declared from the descriptions
/// (`super::described`) with the types it reaches. A query is answered by
/// the plan as a whole (`crate::http`); when the schema executes one (an
/// operation asking for introspection beside data), each root field is
/// read through the plan (`super::planned::root`).
pub struct Query;

impl async_graphql::OutputType for Query {
    fn type_name() -> std::borrow::Cow<'static, str> {
        "Query".into()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        use async_graphql::{InputType, OutputType};
        // The types the descriptions do not declare: their own declarations.
        super::viewer::declare(registry);
        super::statistics::declare(registry);
        super::audit::declare(registry);
        super::enums::declare(registry);
        <super::field_of_study::FieldLevel as OutputType>::create_type_info(registry);
        <super::audit::AuditLogFilter as InputType>::create_type_info(registry);
        use super::described::operators::{BOOLEAN, DATE, FLOAT, ID, INT, STRING};
        for operators in [STRING, INT, DATE, BOOLEAN, ID, FLOAT] {
            operators.declare(registry);
        }
        super::described::query(registry)
    }

    async fn resolve(
        &self,
        ctx: &async_graphql::ContextSelectionSet<'_>,
        field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        let _ = field;
        async_graphql::resolver_utils::resolve_container(ctx, self).await
    }
}

impl async_graphql::ContainerType for Query {
    async fn resolve_field(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::ServerResult<Option<async_graphql::Value>> {
        super::planned::root(ctx).await
    }
}

impl async_graphql::ObjectType for Query {}
