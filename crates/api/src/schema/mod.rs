//! The GraphQL schema: the read types declared from the service's
//! descriptions (`described`), every read planned into one statement
//! (`compile`, `planned`), and the mutations and subscriptions, which call
//! the service and read their rows through the plan.

pub mod aggregate;
pub mod agreement;
pub mod audit;
pub mod codes;
pub mod compile;
pub mod connection;
pub mod country;
pub mod described;
pub mod enums;
pub mod error;
pub mod field_of_study;
pub mod filter;
pub mod id;
pub mod input;
pub mod mutation;
pub mod order;
pub mod organization;
pub mod planned;
pub mod query;

pub mod registry;
pub mod scalars;
pub mod statistics;
pub mod subscription;
pub mod viewer;
pub mod writes;

use std::sync::Arc;

use async_graphql::{Context, Schema};
use sea_orm::DatabaseConnection;
use service::Actor;
use service::query::page::PageLimits;

pub use query::Query;
pub use registry::{Mutation, Subscription};

/// The schema type served by the API.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The id of the HTTP request an operation belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Process-wide state the schema reads.
#[derive(Clone)]
pub struct AppState {
    /// The primary database: writes, and the reads of a mutation's payload.
    pub db: DatabaseConnection,
    /// Where queries and subscription reloads read: `DATABASE_READ_URL` (a
    /// read replica) when set, else the primary.
    pub read_db: DatabaseConnection,
    pub limits: PageLimits,
    /// This replica's change feed (subscriptions).
    pub changes: Option<Arc<service::change::Changes>>,
    /// Mutation payloads and subscription events read by one statement.
    pub planned_rows: Arc<std::sync::atomic::AtomicU64>,
}

/// Builds the schema. No side effects: printing the SDL needs no database.
pub fn build(state: Option<AppState>) -> AppSchema {
    build_with(state, true)
}

/// Builds the schema, answering introspection or not. Depth, cost and the
/// other bounds are checked before a request reaches it (`guard`);
/// persisted queries are resolved before that (`crate::http`), so that the
/// guard sees every document.
pub fn build_with(state: Option<AppState>, introspection: bool) -> AppSchema {
    // No extensions: with one, async-graphql runs every field through the
    // extension chain. What extensions did here is done by `finish`.
    let mut builder = Schema::build(Query, Mutation::default(), Subscription)
        // The guard has bounded the nesting already; this only keeps
        // async-graphql's own walk from refusing what the guard allowed.
        .limit_recursive_depth(256);
    if !introspection {
        // Without introspection, "did you mean …?" would enumerate the schema.
        builder = builder.disable_introspection().disable_suggestions();
    }
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// A schema that validates operations and runs none: an operation that
/// passes comes back as an empty response without errors. The one-statement
/// reads validate a document's first run with it, then plan it; the
/// executing schema keeps no extension (with one, async-graphql runs every
/// field through the extension chain).
pub fn validator(introspection: bool) -> AppSchema {
    let mut builder = Schema::build(Query, Mutation::default(), Subscription)
        .limit_recursive_depth(256)
        .extension(ValidateOnly);
    if !introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

struct ValidateOnly;

impl async_graphql::extensions::ExtensionFactory for ValidateOnly {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ValidateOnly)
    }
}

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for ValidateOnly {
    async fn execute(
        &self,
        _ctx: &async_graphql::extensions::ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: async_graphql::extensions::NextExecute<'_>,
    ) -> async_graphql::Response {
        async_graphql::Response::new(async_graphql::Value::Null)
    }
}

/// Finishes a response as the spec shapes it: failed nullable fields `null`
/// in place, keys in selection order, every error with its code.
pub fn finish(
    response: &mut async_graphql::Response,
    doc: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
    types: &guard::types::SchemaTypes,
    request_id: Option<&str>,
) {
    if let Some((selection, root)) = order::operation(doc, operation_name) {
        order::place_errors(
            &mut response.data,
            &response.errors,
            doc,
            selection,
            root,
            types,
        );
        order::reorder(&mut response.data, &[selection], doc);
    }
    codes::assign_codes(response, request_id);
}

pub(crate) fn app<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

pub(crate) fn actor<'a>(ctx: &Context<'a>) -> &'a Actor {
    ctx.data_unchecked::<Actor>()
}
