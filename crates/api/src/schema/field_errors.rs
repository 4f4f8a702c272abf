//! Field errors as the GraphQL spec handles them ("Handling Execution
//! Errors"): a nullable field whose resolver fails is `null` in its object,
//! with its error entry; its parent stays. async-graphql 7.2 instead leaves
//! the key out (and an object whose every field failed becomes `null`),
//! which normalized caches (Apollo Client's `InMemoryCache`, Relay's store)
//! cannot read back. This extension catches the error at the field, answers
//! `null`, and adds the error to the response. Errors of non-null fields
//! propagate as before.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
};
use async_graphql::{PathSegment, Response, ServerError, ServerResult, Value};

/// The extension factory to register on the schema.
pub struct NullOnFieldError;

impl ExtensionFactory for NullOnFieldError {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(FieldErrors::default())
    }
}

/// One request's caught field errors.
#[derive(Default)]
struct FieldErrors {
    caught: Mutex<Vec<ServerError>>,
}

#[async_trait::async_trait]
impl Extension for FieldErrors {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let nullable = !info.return_type.ends_with('!');
        let path_node = info.path_node;
        match next.run(ctx, info).await {
            Err(mut error) if nullable => {
                if error.path.is_empty() {
                    // GraphQL names never start with a digit: numbers are list indexes.
                    error.path = path_node
                        .to_string_vec()
                        .into_iter()
                        .map(|s| match s.parse() {
                            Ok(index) => PathSegment::Index(index),
                            Err(_) => PathSegment::Field(s),
                        })
                        .collect();
                }
                if let Ok(mut caught) = self.caught.lock() {
                    caught.push(error);
                }
                Ok(Some(Value::Null))
            }
            other => other,
        }
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if let Ok(mut caught) = self.caught.lock() {
            response.errors.append(&mut caught);
        }
        response
    }
}
