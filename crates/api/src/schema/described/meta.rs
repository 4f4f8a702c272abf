//! Registry entries (`async_graphql::registry`) as the described types
//! need them, and the names they are spelled with.

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaField, MetaInputValue, MetaType};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::ColumnType;

pub(super) use service::query::filter::camel;

/// `PascalCase` as `camelCase`.
pub fn lower_first(pascal: &str) -> String {
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `PascalCase` as `SCREAMING_SNAKE_CASE`.
pub fn screaming(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

pub fn input_object(name: &str, doc: &str, fields: IndexMap<String, MetaInputValue>) -> MetaType {
    MetaType::InputObject {
        name: name.to_owned(),
        description: Some(doc.to_owned()),
        input_fields: fields,
        visible: None,
        inaccessible: false,
        tags: Vec::new(),
        rust_typename: None,
        oneof: false,
        directive_invocations: Vec::new(),
    }
}

/// The arguments of a connection over rows of type `ty`.
pub fn page_arguments(ty: &str) -> Vec<MetaInputValue> {
    vec![
        argument("first", "Int"),
        argument("after", "String"),
        argument("last", "Int"),
        argument("before", "String"),
        argument("orderBy", &format!("[{ty}Order!]")),
        argument("filter", &format!("{ty}Filter")),
    ]
}

/// The GraphQL scalar a column's values are.
pub(super) fn scalar(ty: &ColumnType) -> &'static str {
    match ty {
        ColumnType::Integer | ColumnType::SmallInteger | ColumnType::TinyInteger => "Int",
        ColumnType::Boolean => "Boolean",
        ColumnType::Date => "Date",
        ColumnType::Timestamp | ColumnType::TimestampWithTimeZone | ColumnType::DateTime => {
            "DateTime"
        }
        ColumnType::Float | ColumnType::Double => "Float",
        ColumnType::Json | ColumnType::JsonBinary => "JSON",
        _ => "String",
    }
}

/// `ty`, non-null when the column is.
pub(super) fn column<C: ColumnTrait>(c: &C, ty: &str) -> String {
    if c.def().is_null() {
        ty.to_owned()
    } else {
        format!("{ty}!")
    }
}

pub fn object(name: &str, doc: &str, fields: IndexMap<String, MetaField>) -> MetaType {
    MetaType::Object {
        name: name.to_owned(),
        description: Some(doc.to_owned()),
        fields,
        cache_control: Default::default(),
        extends: false,
        shareable: false,
        resolvable: true,
        keys: None,
        visible: None,
        inaccessible: false,
        interface_object: false,
        tags: Vec::new(),
        is_subscription: false,
        rust_typename: None,
        directive_invocations: Vec::new(),
        requires_scopes: Vec::new(),
    }
}

/// Registers the object type `name` whose fields (name, documentation,
/// type) take no arguments, and answers its non-null name.
pub fn declare_plain(
    registry: &mut async_graphql::registry::Registry,
    name: &str,
    doc: &str,
    fields: &[(&str, &str, &str)],
) -> String {
    let fields = fields
        .iter()
        .map(|(f, doc, ty)| ((*f).to_owned(), field(f, doc, (*ty).to_owned(), Vec::new())))
        .collect();
    registry
        .types
        .insert(name.to_owned(), object(name, doc, fields));
    format!("{name}!")
}

/// An interface type implemented by `possible_types`.
pub(super) fn interface(
    name: &str,
    doc: &str,
    fields: IndexMap<String, MetaField>,
    possible_types: async_graphql::indexmap::IndexSet<String>,
) -> MetaType {
    MetaType::Interface {
        name: name.to_owned(),
        description: Some(doc.to_owned()),
        fields,
        possible_types,
        extends: false,
        keys: None,
        visible: None,
        inaccessible: false,
        tags: Vec::new(),
        rust_typename: None,
        directive_invocations: Vec::new(),
        requires_scopes: Vec::new(),
    }
}

/// A field of an object or interface type.
pub fn field(name: &str, doc: &str, ty: String, args: Vec<MetaInputValue>) -> MetaField {
    MetaField {
        name: name.to_owned(),
        description: (!doc.is_empty()).then(|| doc.to_owned()),
        args: args.into_iter().map(|a| (a.name.clone(), a)).collect(),
        ty,
        deprecation: Default::default(),
        cache_control: Default::default(),
        external: false,
        requires: None,
        provides: None,
        visible: None,
        shareable: false,
        inaccessible: false,
        tags: Vec::new(),
        override_from: None,
        compute_complexity: None,
        directive_invocations: Vec::new(),
        requires_scopes: Vec::new(),
    }
}

/// An argument (or input field) without documentation or default.
pub fn argument(name: &str, ty: &str) -> MetaInputValue {
    MetaInputValue {
        name: name.to_owned(),
        description: None,
        ty: ty.to_owned(),
        deprecation: Default::default(),
        default_value: None,
        visible: None,
        inaccessible: false,
        tags: Vec::new(),
        is_secret: false,
        directive_invocations: Vec::new(),
    }
}

/// A described enum's stored values and the GraphQL names they are shown as
/// (the stored `snake_case` in `SCREAMING_CASE`).
pub fn enum_names_of(values: fn() -> Vec<String>) -> Vec<(String, String)> {
    values()
        .into_iter()
        .map(|stored| {
            let name = stored.to_uppercase();
            (stored, name)
        })
        .collect()
}
