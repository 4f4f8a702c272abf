//! Allow-list mode: only persisted operations run. The list is a JSON object
//! mapping the SHA-256 (hex) of each operation's text to the text; a request
//! names an operation by that hash (`extensions.persistedQuery.sha256Hash`) or
//! sends a text whose hash is on the list.

use std::collections::HashMap;
use std::path::Path;

use async_graphql::Request;
use sha2::{Digest, Sha256};

/// The operations a server in allow-list mode runs.
#[derive(Debug, Default)]
pub struct AllowList {
    operations: HashMap<String, String>,
}

impl AllowList {
    /// Reads the list; errors name the variable and the file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "PERSISTED_OPERATIONS_FILE `{}` cannot be read: {e}",
                path.display()
            )
        })?;
        let operations: HashMap<String, String> = serde_json::from_str(&text).map_err(|e| {
            format!(
                "PERSISTED_OPERATIONS_FILE `{}` must be a JSON object of hash → query: {e}",
                path.display()
            )
        })?;
        for (hash, query) in &operations {
            if hex_sha256(query) != hash.to_ascii_lowercase() {
                return Err(format!(
                    "PERSISTED_OPERATIONS_FILE: `{hash}` is not the SHA-256 of its query"
                ));
            }
        }
        Ok(AllowList { operations })
    }

    pub fn len(&self) -> usize {
        self.operations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The request with its operation text from the list, or `None` when the
    /// operation is not on it.
    pub fn admit(&self, mut request: Request) -> Option<Request> {
        let hash = request
            .extensions
            .get("persistedQuery")
            .and_then(|p| match p {
                async_graphql::Value::Object(map) => map.get("sha256Hash").cloned(),
                _ => None,
            })
            .and_then(|h| match h {
                async_graphql::Value::String(h) => Some(h.to_ascii_lowercase()),
                _ => None,
            })
            .unwrap_or_else(|| hex_sha256(&request.query));
        let query = self.operations.get(&hash)?;
        request.query = query.clone();
        request.extensions.remove("persistedQuery");
        Some(request)
    }
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
