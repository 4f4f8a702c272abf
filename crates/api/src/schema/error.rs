//! Service errors as GraphQL errors with a stable `extensions.code`.

use async_graphql::ErrorExtensions;
use std::sync::Arc;

/// Converts a service error into a GraphQL error. Internal causes are logged here
/// and replaced by a generic message.
pub fn to_gql(err: &service::Error) -> async_graphql::Error {
    let message = if err.is_internal() {
        // Display, not Debug: a database error's Debug carries its detail,
        // which may quote the row's values.
        let cause = match err {
            service::Error::Internal(cause) | service::Error::Unavailable(cause) => {
                cause.to_string()
            }
            other => other.to_string(),
        };
        tracing::error!(error = %cause, "request failed");
        match err {
            service::Error::Unavailable(_) => {
                "the service is unavailable, try again later".to_owned()
            }
            _ => "internal error".to_owned(),
        }
    } else {
        err.to_string()
    };
    async_graphql::Error::new(message).extend_with(|_, ext| {
        ext.set("code", err.code());
        if let Some(field) = err.field() {
            ext.set("field", field);
        }
        if let Some(limit) = err.limit_name() {
            ext.set("limit", limit);
        }
        if let service::Error::Conflict {
            current_version: Some(version),
            ..
        } = err
        {
            ext.set("currentVersion", *version);
        }
    })
}

/// `?`-friendly conversion of service results.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T, service::Error> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_gql(&e))
    }
}

impl<T> GqlResult<T> for Result<T, Arc<service::Error>> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_gql(&e))
    }
}

/// A field the caller may not see: null in the data, a `FORBIDDEN` error entry.
pub fn forbidden(field: &str) -> async_graphql::Error {
    to_gql(&service::Error::Forbidden(format!(
        "`{field}` is not visible with your role"
    )))
}
