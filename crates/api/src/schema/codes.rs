//! Every error leaves with an `extensions.code` from the fixed set: errors raised
//! by async-graphql itself (parse, validation, argument coercion) get
//! `BAD_USER_INPUT`; anything else without a code is an internal failure, logged
//! and masked as `INTERNAL`.
//!
//! Field errors are placed as the GraphQL spec says ("Handling Execution
//! Errors"): a nullable field whose resolver fails is `null` in its object,
//! with its error entry, and its parent stays. async-graphql 7.2 instead leaves
//! the key out (and an object whose every field failed becomes `null`), which
//! normalized caches (Apollo Client's `InMemoryCache`, Relay's store) cannot
//! read back. `order::place_errors` puts such a field back as `null` once the
//! response is finished; errors of non-null fields propagate as before.

use async_graphql::{Response, ServerError, Value};

/// Gives every error of a finished response its code, and internal ones the
/// request id.
pub fn assign_codes(response: &mut Response, request_id: Option<&str>) {
    for error in &mut response.errors {
        assign_code(error);
        attach_request_id(error, request_id);
    }
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
}

/// Gives a code to an error that has none.
pub fn assign_code(error: &mut ServerError) {
    if has_code(error) {
        return;
    }
    // async-graphql's own limits (depth, complexity, recursion) are limits.
    let limit = ["too complex", "nested too deep", "recursion"]
        .iter()
        .any(|m| error.message.contains(m));
    // Input coercion of arguments happens while resolving, so it carries a path.
    let user_error = error.path.is_empty() || error.message.starts_with("Failed to parse");
    let code = if limit {
        "LIMIT_EXCEEDED"
    } else if user_error {
        redact_submitted(&mut error.message);
        "BAD_USER_INPUT"
    } else {
        tracing::error!(message = %error.message, path = ?error.path, "unclassified resolver error");
        error.message = "internal error".to_owned();
        "INTERNAL"
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", Value::from(code));
}

/// async-graphql quotes the submitted value in some input errors (`Expected
/// input type "Int", found "…".`, `… does not contain the value "…"`). Error
/// messages here name the field and the expected form but never echo what was
/// sent: echoed text is a reflection channel and pollutes logs and reports.
fn redact_submitted(message: &mut String) {
    if let Some(start) = message.find("Expected input type")
        && let Some(found) = message[start..].find(", found ")
    {
        message.truncate(start + found);
        message.push('.');
    }
    for marker in ["does not contain the value \"", "does not contain value \""] {
        if let Some(start) = message.find(marker) {
            let rest = &message[start + marker.len()..];
            let end = rest
                .rfind('"')
                .map_or(message.len(), |e| start + marker.len() + e + 1);
            message.replace_range(start..end, "does not contain the given value");
        }
    }
}

/// Internal errors carry the request id, to match a report with the log.
fn attach_request_id(error: &mut ServerError, request_id: Option<&str>) {
    let Some(id) = request_id else { return };
    let Some(ext) = error.extensions.as_mut() else {
        return;
    };
    let internal = matches!(
        ext.get("code"),
        Some(Value::String(code)) if code == "INTERNAL" || code == "UNAVAILABLE"
    );
    if internal {
        ext.set("requestId", Value::from(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submitted_values_are_cut_from_input_errors() {
        let mut message =
            r#"Failed to parse "Int": Expected input type "Int", found "sekret-1001"."#.to_owned();
        redact_submitted(&mut message);
        assert!(!message.contains("sekret"), "{message}");
        assert!(message.contains("Expected input type"), "{message}");
        let mut message = r#"Enum "Kind" does not contain the value "sekret""#.to_owned();
        redact_submitted(&mut message);
        assert!(!message.contains("sekret"), "{message}");
    }

    #[test]
    fn errors_without_a_path_are_bad_input_and_resolver_failures_internal() {
        let mut request_error = ServerError::new("Unknown field", None);
        assign_code(&mut request_error);
        let code = |e: &ServerError| e.extensions.as_ref().and_then(|x| x.get("code").cloned());
        assert_eq!(code(&request_error), Some(Value::from("BAD_USER_INPUT")));
        let mut resolver = ServerError::new("db exploded: secret", None);
        resolver.path = vec![async_graphql::PathSegment::Field("x".to_owned())];
        assign_code(&mut resolver);
        assert_eq!(code(&resolver), Some(Value::from("INTERNAL")));
        assert_eq!(resolver.message, "internal error");
    }
}
