//! The shape of a document: selections after fragment expansion, field depth,
//! directives, and fragment cycles. Each fragment is measured once and its
//! figures reused wherever it is spread, so nothing is ever expanded.

use std::collections::HashMap;

use async_graphql::parser::Positioned;
use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};

use super::{Limits, Refusal};

/// What a selection set amounts to once expanded.
#[derive(Clone, Copy, Debug, Default)]
struct Shape {
    /// Fields, fragment spreads and inline fragments.
    selections: u64,
    /// Deepest field nesting (a leaf field is 1).
    depth: u32,
}

enum Memo {
    Measuring,
    Done(Shape),
}

struct Measure<'a> {
    doc: &'a ExecutableDocument,
    limits: &'a Limits,
    memo: HashMap<&'a str, Memo>,
}

/// Refuses a document whose expansion, depth or directives pass the limits,
/// or whose fragments spread themselves.
pub fn check(doc: &ExecutableDocument, limits: &Limits) -> Result<(), Refusal> {
    let mut measure = Measure {
        doc,
        limits,
        memo: HashMap::new(),
    };
    let mut total = Shape::default();
    for (_, operation) in doc.operations.iter() {
        measure.directives(&operation.node.directives)?;
        for variable in &operation.node.variable_definitions {
            measure.directives(&variable.node.directives)?;
        }
        let shape = measure.set(&operation.node.selection_set.node, 0)?;
        total.selections = total.selections.saturating_add(shape.selections);
        total.depth = total.depth.max(shape.depth);
    }
    // Fragments no operation spreads are measured too: validation reads them.
    for (name, fragment) in &doc.fragments {
        measure.directives(&fragment.node.directives)?;
        if !measure.memo.contains_key(name.as_str()) {
            measure.spread(name.as_str(), 0)?;
        }
    }
    if total.selections > limits.max_fields {
        return Err(Refusal::limit(
            "MAX_FIELDS",
            format!(
                "the document selects more than {} fields once its fragments are expanded",
                limits.max_fields
            ),
        ));
    }
    Ok(())
}

impl<'a> Measure<'a> {
    fn directives(&self, directives: &[Positioned<Directive>]) -> Result<(), Refusal> {
        if directives.len() > self.limits.max_directives {
            return Err(Refusal::limit(
                "MAX_DIRECTIVES",
                format!(
                    "a field, fragment or operation may carry at most {} directives",
                    self.limits.max_directives
                ),
            ));
        }
        Ok(())
    }

    /// `level` counts every step into a field, fragment or spread, so the
    /// recursion here (and in async-graphql's own walks) stays shallow.
    fn set(&mut self, set: &'a SelectionSet, level: u32) -> Result<Shape, Refusal> {
        if level > self.limits.max_nesting() {
            return Err(Refusal::limit(
                "MAX_DEPTH",
                format!(
                    "the query nests fields and fragments more than {} deep",
                    self.limits.max_nesting()
                ),
            ));
        }
        let mut shape = Shape::default();
        for selection in &set.items {
            self.directives(selection.node.directives())?;
            let inner = match &selection.node {
                Selection::Field(field) => {
                    reserved_alias(field.node.alias.as_ref().map(|a| a.node.as_str()))?;
                    let inner = self.set(&field.node.selection_set.node, level + 1)?;
                    Shape {
                        selections: inner.selections,
                        depth: inner.depth + 1,
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.set(&fragment.node.selection_set.node, level + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    self.spread(spread.node.fragment_name.node.as_str(), level + 1)?
                }
            };
            shape.selections = shape
                .selections
                .saturating_add(1)
                .saturating_add(inner.selections);
            shape.depth = shape.depth.max(inner.depth);
            if shape.depth > self.limits.max_depth {
                return Err(Refusal::limit(
                    "MAX_DEPTH",
                    format!(
                        "the query is nested too deep: fields may nest at most {} levels",
                        self.limits.max_depth
                    ),
                ));
            }
            if shape.selections > self.limits.max_fields {
                return Err(Refusal::limit(
                    "MAX_FIELDS",
                    format!(
                        "the document selects more than {} fields once its fragments are expanded",
                        self.limits.max_fields
                    ),
                ));
            }
        }
        Ok(shape)
    }

    fn spread(&mut self, name: &'a str, level: u32) -> Result<Shape, Refusal> {
        match self.memo.get(name) {
            Some(Memo::Done(shape)) => return Ok(*shape),
            Some(Memo::Measuring) => {
                return Err(Refusal::bad_input(
                    "a fragment spreads itself (directly or through others)",
                ));
            }
            None => {}
        }
        // An unknown fragment is validation's to report.
        let Some((key, fragment)) = self.doc.fragments.get_key_value(name) else {
            return Ok(Shape::default());
        };
        self.memo.insert(key.as_str(), Memo::Measuring);
        let shape = self.set(&fragment.node.selection_set.node, level)?;
        self.memo.insert(key.as_str(), Memo::Done(shape));
        Ok(shape)
    }
}

/// Refuses an alias that begins with `__`: GraphQL reserves the prefix for
/// introspection (spec 2.1.9), and the one-statement reads name their own
/// columns with it, so a response key of that form could be confused with
/// them.
fn reserved_alias(alias: Option<&str>) -> Result<(), Refusal> {
    match alias {
        Some(alias) if alias.starts_with("__") => Err(Refusal::bad_input(format!(
            "the alias `{alias}` begins with `__`, which GraphQL reserves for introspection; choose another"
        ))
        .at(alias)),
        _ => Ok(()),
    }
}
