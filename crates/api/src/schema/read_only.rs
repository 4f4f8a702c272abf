//! GET runs queries only. The handler checks the text it is given, but a GET
//! that names a persisted operation by its hash alone carries no text, so this
//! extension refuses a mutation or subscription once the document is known.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, ServerResult, Variables};

/// Request data marking an operation that arrived by GET.
#[derive(Clone, Copy, Debug)]
pub struct ReadOnly;

/// The extension factory to register on the schema.
pub struct ReadOnlyGuard;

impl ExtensionFactory for ReadOnlyGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ReadOnlyGuard)
    }
}

#[async_trait::async_trait]
impl Extension for ReadOnlyGuard {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let writes = doc
            .operations
            .iter()
            .any(|(_, op)| op.node.ty != OperationType::Query);
        if writes && ctx.data_opt::<ReadOnly>().is_some() {
            return Err(ServerError::new(
                "mutations and subscriptions must use POST",
                None,
            ));
        }
        Ok(doc)
    }
}
