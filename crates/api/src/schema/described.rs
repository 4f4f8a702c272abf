//! The GraphQL types the descriptions (`service::model`) declare: each
//! described type's object type (or, for a type shown as several object
//! types, its interface and those object types), every field's name,
//! documentation, type and arguments read off the description and the
//! column's definition. Registered before the resolvers' own declarations
//! (`Query::create_type_info`), which therefore no longer declare these
//! types; `schema.graphql` is the same (a test).

use std::collections::HashMap;

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaField, MetaInputValue, MetaType, Registry};
use entity::NodeType;
use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, EntityTrait};
use service::model::{self, Description, Of};

/// Registers every described type's object and interface types.
pub fn register(registry: &mut Registry) {
    let names: HashMap<NodeType, &'static str> = model::catalog()
        .iter()
        .filter_map(|shape| Some((shape.node?, shape.name)))
        .collect();
    model::each(&mut Declare { registry, names });
}

struct Declare<'a> {
    registry: &'a mut Registry,
    names: HashMap<NodeType, &'static str>,
}

impl model::Visit for Declare<'_> {
    fn visit<E: EntityTrait>(&mut self, d: &'static Description<E>) {
        let fields = |only: Option<&str>| -> IndexMap<String, MetaField> {
            d.fields
                .iter()
                .filter(|f| f.only.is_none() || f.only == only)
                .filter_map(|f| {
                    let (ty, args) = type_of(&self.names, &f.of)?;
                    Some((f.name.to_owned(), field(f.name, f.doc, ty, args)))
                })
                .collect()
        };
        let Some((_, variants)) = d.variants else {
            let object = object(d.name, d.doc, fields(None));
            self.registry.types.insert(d.name.to_owned(), object);
            for interface in d.interfaces {
                self.registry.add_implements(d.name, interface);
            }
            return;
        };
        for variant in variants {
            let object = object(variant.name, variant.doc, fields(Some(variant.name)));
            self.registry.types.insert(variant.name.to_owned(), object);
            for interface in d.interfaces {
                self.registry.add_implements(variant.name, interface);
            }
        }
        let interface = MetaType::Interface {
            name: d.name.to_owned(),
            description: Some(d.doc.to_owned()),
            fields: fields(None),
            possible_types: variants.iter().map(|v| v.name.to_owned()).collect(),
            extends: false,
            keys: None,
            visible: None,
            inaccessible: false,
            tags: Vec::new(),
            rust_typename: None,
            directive_invocations: Vec::new(),
            requires_scopes: Vec::new(),
        };
        self.registry.types.insert(d.name.to_owned(), interface);
    }
}

/// A field's GraphQL type and arguments; `None` for `__typename`, which
/// every type has without declaring it.
fn type_of<E: EntityTrait>(
    names: &HashMap<NodeType, &'static str>,
    of: &Of<E>,
) -> Option<(String, Vec<MetaInputValue>)> {
    {
        let name = |node: &NodeType| names[node];
        let plain = |ty: String| Some((ty, Vec::new()));
        match of {
            Of::TypeName => None,
            Of::Id => plain("ID!".to_owned()),
            Of::Column(c) | Of::Instant(c) => plain(column(c, scalar(c.def().get_column_type()))),
            Of::Trimmed(c) => plain(column(c, "String")),
            Of::Enum(c, ty, _) => plain(column(c, ty)),
            Of::Restricted(c, _) => plain(scalar(c.def().get_column_type()).to_owned()),
            Of::Computed(_, ty, _) => plain((*ty).to_owned()),
            Of::ToOne(_, node) | Of::First(_, node) => plain(name(node).to_owned()),
            Of::List(_, node) => plain(format!("[{}!]!", name(node))),
            Of::Parties => plain("[AgreementParty!]!".to_owned()),
            Of::Page(_, node) => Some((
                format!("{}Connection!", name(node)),
                page_arguments(name(node)),
            )),
        }
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
fn scalar(ty: &ColumnType) -> &'static str {
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
fn column<C: ColumnTrait>(c: &C, ty: &str) -> String {
    if c.def().is_null() {
        ty.to_owned()
    } else {
        format!("{ty}!")
    }
}

fn object(name: &str, doc: &str, fields: IndexMap<String, MetaField>) -> MetaType {
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
