//! The response as the GraphQL spec shapes it, finished after execution.
//!
//! async-graphql 7.2 runs every field of a schema with extensions through the
//! extension chain (a boxed future per extension per field, two registry
//! lookups for its `ResolveInfo`); profiling showed that chain among the
//! largest costs of a request. The two things the schema needed extensions
//! for are done here instead, once per response, on the finished value:
//!
//! - **Field errors in place** ("Handling Execution Errors"): a nullable field
//!   whose resolver fails is `null` in its object, with its error entry, and
//!   its parent stays. async-graphql leaves the key out (and an object whose
//!   every field failed becomes `null`), which normalized caches (Apollo
//!   Client's `InMemoryCache`, Relay's store) cannot read back. Each error's
//!   path is followed through the data and the selection; where it ends at a
//!   nullable field, that field is put back as `null`; where it ends at a
//!   non-null field, its parent is `null`, and so on up to the nearest
//!   nullable field or `data` itself ("Errors and Non-Null Types").
//! - **Selection order**: async-graphql writes an object's fields in the order
//!   they finish; the spec asks (SHOULD) for selection order. Every object's
//!   keys are put back in selection order (fragments expanded, aliases
//!   honoured), computed once per selection and not per row, and objects
//!   already in order are left alone.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, PathSegment, Value};

use guard::types::{SchemaTypes, TypeRef};

/// The selection set and root type of the operation `name` picks.
pub fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<(&'a SelectionSet, &'static str)> {
    let op = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    }?;
    let root = match op.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    Some((&op.node.selection_set.node, root))
}

/// One response key of a selection: the field it names, the type to look the
/// field up on, and the sub-selections that apply to it.
struct Key<'a> {
    name: &'a Name,
    field: &'a str,
    on: Option<&'a str>,
    subs: Vec<&'a SelectionSet>,
}

/// The response keys `sets` select, in order (fragments expanded).
fn collect<'a>(
    sets: &[&'a SelectionSet],
    doc: &'a ExecutableDocument,
    on: Option<&'a str>,
    out: &mut Vec<Key<'a>>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for set in sets {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let name = &field.node.response_key().node;
                    let sub = &field.node.selection_set.node;
                    match out.iter_mut().find(|k| k.name == name) {
                        Some(key) => key.subs.push(sub),
                        None => out.push(Key {
                            name,
                            field: field.node.name.node.as_str(),
                            on,
                            subs: vec![sub],
                        }),
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(on);
                    collect(
                        &[&fragment.node.selection_set.node],
                        doc,
                        on,
                        out,
                        depth + 1,
                    );
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(def) = doc.fragments.get(&spread.node.fragment_name.node) {
                        let on = Some(def.node.type_condition.node.on.node.as_str());
                        collect(&[&def.node.selection_set.node], doc, on, out, depth + 1);
                    }
                }
            }
        }
    }
}

/// The declared type of `key`'s field, looked up on its fragment's type
/// condition first, then on the parent type.
fn field_type<'t>(types: &'t SchemaTypes, parent: &str, key: &Key<'_>) -> Option<&'t TypeRef> {
    key.on
        .into_iter()
        .chain(std::iter::once(parent))
        .find_map(|ty| types.get(ty)?.field(key.field))
        .map(|f| &f.ty)
}

/// Puts every nullable field whose resolver failed back into the data as
/// `null`, following each error's path.
pub fn place_errors(
    data: &mut Value,
    errors: &[async_graphql::ServerError],
    doc: &ExecutableDocument,
    selection: &SelectionSet,
    root: &str,
    types: &SchemaTypes,
) {
    for error in errors {
        if !error.path.is_empty() {
            place(data, &error.path, &[selection], root, doc, types);
        }
    }
    // Then a failed non-null field nulls its parent, and so on up to the
    // nearest nullable field — or `data` itself ("Errors and Non-Null Types").
    for error in errors {
        if !error.path.is_empty() && null_out(data, &error.path, &[selection], root, doc, types) {
            *data = Value::Null;
        }
    }
}

/// The first step of `path` through `sets` (an object of type `parent`):
/// its response key, the rest of the path, the key's selection and its
/// field's declared type.
fn first_step<'a, 'p, 't>(
    path: &'p [PathSegment],
    sets: &[&'a SelectionSet],
    parent: &str,
    doc: &'a ExecutableDocument,
    types: &'t SchemaTypes,
) -> Option<(&'p str, &'p [PathSegment], Key<'a>, &'t TypeRef)> {
    let (PathSegment::Field(name), rest) = path.split_first()? else {
        return None;
    };
    let mut keys = Vec::new();
    collect(sets, doc, None, &mut keys, 0);
    let key = keys.into_iter().find(|k| k.name.as_str() == name)?;
    let ty = field_type(types, parent, &key)?;
    Some((name.as_str(), rest, key, ty))
}

/// Follows `path` from `value`, an object of type `parent`: true when the
/// path ends at a non-null field (which failed), so that `value` must be
/// `null`; on the way, a nullable field whose value must be `null` becomes
/// it.
fn null_out(
    value: &mut Value,
    path: &[PathSegment],
    sets: &[&SelectionSet],
    parent: &str,
    doc: &ExecutableDocument,
    types: &SchemaTypes,
) -> bool {
    let Some((name, rest, key, ty)) = first_step(path, sets, parent, doc, types) else {
        return false;
    };
    let Value::Object(map) = value else {
        return false;
    };
    if rest.is_empty() {
        return matches!(ty, TypeRef::NonNull(_));
    }
    let Some(child) = map.get_mut(name) else {
        return false;
    };
    into(child, ty, rest, &key.subs, doc, types)
}

/// `value` is a field's value of type `ty` and `rest` the path on into it:
/// true when it must be `null` and `ty` does not allow it.
fn into(
    value: &mut Value,
    ty: &TypeRef,
    rest: &[PathSegment],
    subs: &[&SelectionSet],
    doc: &ExecutableDocument,
    types: &SchemaTypes,
) -> bool {
    let (nullable, inner) = match ty {
        TypeRef::NonNull(inner) => (false, inner.as_ref()),
        ty => (true, ty),
    };
    let must_be_null = match (inner, rest.split_first()) {
        (TypeRef::List(item), Some((PathSegment::Index(i), tail))) => {
            let Value::List(items) = value else {
                return false;
            };
            let Some(entry) = items.get_mut(*i) else {
                return false;
            };
            into(entry, item, tail, subs, doc, types)
        }
        (TypeRef::Named(name), Some((PathSegment::Field(_), _))) => {
            null_out(value, rest, subs, name, doc, types)
        }
        _ => false,
    };
    if must_be_null && nullable {
        *value = Value::Null;
        return false;
    }
    must_be_null
}

fn place(
    value: &mut Value,
    path: &[PathSegment],
    sets: &[&SelectionSet],
    parent: &str,
    doc: &ExecutableDocument,
    types: &SchemaTypes,
) {
    let Some((name, rest, key, ty)) = first_step(path, sets, parent, doc, types) else {
        return;
    };
    // An object whose every field failed came back `null`: it is an object.
    if matches!(value, Value::Null) {
        *value = Value::Object(Default::default());
    }
    let Value::Object(map) = value else { return };
    if rest.is_empty() {
        if !matches!(ty, TypeRef::NonNull(_)) && !map.contains_key(name) {
            map.insert(key.name.clone(), Value::Null);
        }
        return;
    }
    let Some(mut child) = map.get_mut(name) else {
        return;
    };
    let mut rest = rest;
    // List indexes lead into the items.
    while let Some((PathSegment::Index(i), tail)) = rest.split_first() {
        let Value::List(items) = child else { return };
        let Some(item) = items.get_mut(*i) else {
            return;
        };
        child = item;
        rest = tail;
    }
    place(child, rest, &key.subs, ty.name(), doc, types);
}

/// Puts every object's keys in selection order.
pub fn reorder(value: &mut Value, sets: &[&SelectionSet], doc: &ExecutableDocument) {
    match value {
        Value::List(items) => {
            let mut keys = Vec::new();
            collect(sets, doc, None, &mut keys, 0);
            for item in items {
                reorder_with(item, &keys, doc);
            }
        }
        Value::Object(_) => {
            let mut keys = Vec::new();
            collect(sets, doc, None, &mut keys, 0);
            reorder_with(value, &keys, doc);
        }
        _ => {}
    }
}

fn reorder_with(value: &mut Value, keys: &[Key<'_>], doc: &ExecutableDocument) {
    match value {
        Value::List(items) => items.iter_mut().for_each(|i| reorder_with(i, keys, doc)),
        Value::Object(map) => {
            let in_order = map.len() == keys.len()
                && map.keys().zip(keys).all(|(have, want)| have == want.name);
            if !in_order {
                let mut ordered = async_graphql::indexmap::IndexMap::with_capacity(map.len());
                for key in keys {
                    if let Some(child) = map.swap_remove(key.name) {
                        ordered.insert(key.name.clone(), child);
                    }
                }
                ordered.extend(map.drain(..));
                *map = ordered;
            }
            for key in keys {
                if key.subs.iter().any(|s| !s.items.is_empty())
                    && let Some(child) = map.get_mut(key.name)
                {
                    reorder(child, &key.subs, doc);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = r#"
        type Query { person: Person! people: [Person!]! }
        type Person { name: String! email: String phone: String friend: Person }
    "#;

    fn finish(query: &str, mut data: Value, failed: &[&[PathSegment]]) -> serde_json::Value {
        let types = SchemaTypes::from_sdl(SDL).expect("sdl");
        let doc = async_graphql::parser::parse_query(query).expect("query");
        let (selection, root) = operation(&doc, None).expect("operation");
        let errors: Vec<_> = failed
            .iter()
            .map(|path| {
                let mut e = async_graphql::ServerError::new("refused", None);
                e.path = path.to_vec();
                e
            })
            .collect();
        place_errors(&mut data, &errors, &doc, selection, root, &types);
        reorder(&mut data, &[selection], &doc);
        data.into_json().expect("json")
    }

    fn field(name: &str) -> PathSegment {
        PathSegment::Field(name.to_owned())
    }

    fn value(json: serde_json::Value) -> Value {
        Value::from_json(json).expect("value")
    }

    #[test]
    fn a_failed_nullable_field_is_null_in_place() {
        let data = value(serde_json::json!({ "person": { "name": "Ann" } }));
        let out = finish(
            "{ person { email name } }",
            data,
            &[&[field("person"), field("email")]],
        );
        assert_eq!(
            serde_json::to_string(&out).expect("json"),
            r#"{"person":{"email":null,"name":"Ann"}}"#
        );
    }

    #[test]
    fn an_object_whose_every_field_failed_is_an_object_of_nulls() {
        let data = value(serde_json::json!({ "people": [null, { "phone": "1", "e": "b@x" }] }));
        let out = finish(
            "{ people { e: email ... on Person { phone } } }",
            data,
            &[
                &[field("people"), PathSegment::Index(0), field("e")],
                &[field("people"), PathSegment::Index(0), field("phone")],
            ],
        );
        assert_eq!(
            serde_json::to_string(&out).expect("json"),
            r#"{"people":[{"e":null,"phone":null},{"e":"b@x","phone":"1"}]}"#
        );
    }

    #[test]
    fn a_failed_non_null_field_nulls_its_nearest_nullable_holder() {
        let data =
            value(serde_json::json!({ "person": { "friend": { "email": null }, "name": "a@x" } }));
        let out = finish(
            "{ person { name: email friend { name email } } }",
            data,
            &[&[field("person"), field("friend"), field("name")]],
        );
        assert_eq!(
            serde_json::to_string(&out).expect("json"),
            r#"{"person":{"name":"a@x","friend":null}}"#
        );
    }

    #[test]
    fn a_failed_non_null_field_under_non_null_parents_nulls_the_data() {
        let data = value(serde_json::json!({ "person": { "email": "a@x" } }));
        let out = finish(
            "{ person { name email } }",
            data,
            &[&[field("person"), field("name")]],
        );
        assert_eq!(out, serde_json::Value::Null);
        // Through a list of non-null items, and beside a nullable failure.
        let data = value(serde_json::json!({ "people": [{ "email": "a@x" }, null] }));
        let out = finish(
            "{ people { name email } }",
            data,
            &[
                &[field("people"), PathSegment::Index(1), field("email")],
                &[field("people"), PathSegment::Index(0), field("name")],
            ],
        );
        assert_eq!(out, serde_json::Value::Null);
    }

    #[test]
    fn keys_follow_the_selection() {
        let data =
            value(serde_json::json!({ "person": { "friend": null, "email": "a@x", "name": "A" } }));
        let out = finish("{ person { name email friend { name } } }", data, &[]);
        assert_eq!(
            serde_json::to_string(&out).expect("json"),
            r#"{"person":{"name":"A","email":"a@x","friend":null}}"#
        );
    }
}
