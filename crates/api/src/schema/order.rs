//! Response fields in the order the query selected them.
//!
//! async-graphql 7.2 resolves the fields of an object concurrently and writes
//! them in the order they finish; the GraphQL spec asks (SHOULD) for selection
//! order. This extension keeps the parsed document and, after execution, puts
//! every object's keys back in selection order (fragments expanded, aliases
//! honoured).

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Response, ServerResult, Value, Variables};

/// The extension factory to register on the schema.
pub struct ResponseOrder;

impl ExtensionFactory for ResponseOrder {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ResponseOrderExtension {
            document: Mutex::new(None),
        })
    }
}

struct ResponseOrderExtension {
    document: Mutex<Option<ExecutableDocument>>,
}

#[async_trait::async_trait]
impl Extension for ResponseOrderExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Ok(mut slot) = self.document.lock() {
            *slot = Some(document.clone());
        }
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let document = self.document.lock().ok().and_then(|mut d| d.take());
        if let Some(document) = document
            && let Some(selection) = operation(&document, operation_name)
        {
            reorder(&mut response.data, &[selection], &document);
        }
        response
    }
}

fn operation<'a>(doc: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a SelectionSet> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node.selection_set.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| &op.node.selection_set.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node.selection_set.node)
        }
        _ => None,
    }
}

/// The response keys `sets` select, in order, each with the sub-selections
/// that apply to it.
fn collect<'a>(
    sets: &[&'a SelectionSet],
    doc: &'a ExecutableDocument,
    out: &mut Vec<(&'a Name, Vec<&'a SelectionSet>)>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for set in sets {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let key = &field.node.response_key().node;
                    let sub = &field.node.selection_set.node;
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, subs)) => subs.push(sub),
                        None => out.push((key, vec![sub])),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    collect(&[&fragment.node.selection_set.node], doc, out, depth + 1);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(def) = doc.fragments.get(&spread.node.fragment_name.node) {
                        collect(&[&def.node.selection_set.node], doc, out, depth + 1);
                    }
                }
            }
        }
    }
}

fn reorder(value: &mut Value, sets: &[&SelectionSet], doc: &ExecutableDocument) {
    match value {
        Value::List(items) => items.iter_mut().for_each(|item| reorder(item, sets, doc)),
        Value::Object(map) => {
            let mut keys = Vec::new();
            collect(sets, doc, &mut keys, 0);
            let mut ordered = async_graphql::indexmap::IndexMap::with_capacity(map.len());
            for (key, subs) in keys {
                if let Some(mut child) = map.shift_remove(key) {
                    if subs.iter().any(|s| !s.items.is_empty()) {
                        reorder(&mut child, &subs, doc);
                    }
                    ordered.insert(key.clone(), child);
                }
            }
            ordered.extend(map.drain(..));
            *map = ordered;
        }
        _ => {}
    }
}
