//! The GraphQL types the descriptions (`service::model`) declare: each
//! described type's object type (or, for a type shown as several object
//! types, its interface and those object types), every field's name,
//! documentation, type and arguments read off the description and the
//! column's definition. Registered before the schema's other declarations
//! (`Query::create_type_info`), which therefore no longer declare these
//! types; `schema.graphql` is the same (a test).

mod connections;
mod inputs;
mod meta;
pub mod operators;

use std::collections::HashMap;

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaField, MetaInputValue, MetaType, Registry};
use entity::NodeType;
use sea_orm::{ColumnTrait, EntityTrait};
use service::model::{self, Description, Of};

use connections::{aggregate_types, page_types};
pub use inputs::enumeration;
use inputs::{filter_types, order_types};
pub use meta::{
    argument, declare_plain, enum_names_of, field, input_object, lower_first, object,
    page_arguments, screaming,
};
use meta::{column, interface, scalar};

/// A type the descriptions declare, by its name.
pub trait Declared {
    const NAME: &'static str;
}

/// Registers the `Query` root type and every type it reaches.
pub fn query(registry: &mut Registry) -> String {
    use async_graphql::{InputType, OutputType};
    registry.types.insert("Node".to_owned(), node_interface());
    <super::connection::PageInfo as OutputType>::create_type_info(registry);
    <super::connection::OrderDirection as InputType>::create_type_info(registry);
    <super::scalars::Date as InputType>::create_type_info(registry);
    let names: HashMap<NodeType, &'static str> = model::catalog()
        .iter()
        .filter_map(|shape| Some((shape.node?, shape.name)))
        .collect();
    let plain = |name: &str, doc: &str, ty: &str| field(name, doc, ty.to_owned(), Vec::new());
    let mut declare = Declare {
        registry,
        names,
        roots: vec![
            plain(
                "viewer",
                "Who is asking: the role and organization of the caller's token.",
                "Viewer!",
            ),
            field(
                "statistics",
                "Figures about the partnerships as of a date (default: today).",
                "Statistics!".to_owned(),
                vec![argument("asOf", "Date")],
            ),
            field(
                "organizationByIdentifier",
                "The organization another registry's identifier names (in any form the scheme's check accepts: `00pjdza24` or `https://ror.org/00pjdza24`), or null.",
                "Organization".to_owned(),
                vec![
                    argument("scheme", "IdentifierScheme!"),
                    argument("value", "String!"),
                ],
            ),
            field(
                "node",
                "The object with this global id, or null if it does not exist.",
                "Node".to_owned(),
                vec![argument("id", "ID!")],
            ),
            field(
                "nodes",
                "The objects with these global ids, in order; null where one does not exist.",
                "[Node]!".to_owned(),
                vec![argument("ids", "[ID!]!")],
            ),
        ],
        records: true,
    };
    model::each(&mut declare);
    let Declare {
        registry,
        roots,
        names,
        ..
    } = declare;
    // The audit log's connection (its entry type is the api's).
    let audit = &model::AUDIT_ENTRY;
    for ty in page_types(audit.name, audit.plural)
        .into_iter()
        .chain(aggregate_types(audit, &names))
        .chain(order_types(audit.name, &(audit.order)()))
    {
        registry.types.insert(ty.name().to_owned(), ty);
    }
    let fields = roots.into_iter().map(|f| (f.name.clone(), f)).collect();
    let query = object("Query", "Entry points for reading.", fields);
    registry.types.insert("Query".to_owned(), query);
    "Query".to_owned()
}

/// The `Node` interface: every type with a global id.
fn node_interface() -> MetaType {
    let mut possible_types = async_graphql::indexmap::IndexSet::new();
    for shape in model::catalog() {
        if shape.node.is_none() {
            continue;
        }
        match shape.variants {
            Some((_, variants)) => {
                possible_types.extend(variants.iter().map(|v| v.name.to_owned()))
            }
            None => {
                possible_types.insert(shape.name.to_owned());
            }
        }
    }
    interface(
        "Node",
        "An object with a global id, fetchable with `node(id:)`.",
        IndexMap::from_iter([(
            "id".to_owned(),
            field("id", "The global id.", "ID!".to_owned(), Vec::new()),
        )]),
        possible_types,
    )
}

struct Declare<'a> {
    registry: &'a mut Registry,
    names: HashMap<NodeType, &'static str>,
    /// `Query`'s fields so far.
    roots: Vec<MetaField>,
    /// Whether the types visited so far were records (the audit log's
    /// root field follows them, before reference data).
    records: bool,
}

impl Declare<'_> {
    /// The root field `name` listing rows of type `ty`.
    fn root(&mut self, name: &str, doc: &str, ty: &str, search: bool) {
        let mut args = page_arguments(ty);
        if search {
            args.push(argument("search", "String"));
        }
        let connection = format!("{ty}Connection!");
        self.roots.push(field(name, doc, connection, args));
    }
}

impl model::Visit for Declare<'_> {
    fn visit<E: service::query::resource::Table>(&mut self, d: &'static Description<E>) {
        let record = d.node.and_then(NodeType::record).is_some();
        if self.records && !record {
            self.records = false;
            let mut args = page_arguments("AuditEntry");
            args[5] = argument("filter", "AuditLogFilter");
            self.roots.push(field(
                "auditLog",
                "Every successful write, oldest first unless ordered otherwise (admins only).",
                "AuditEntryConnection!".to_owned(),
                args,
            ));
        }
        if !d.root.is_empty() {
            let search = service::search::of_table(E::default().table_name()).is_some();
            self.root(d.root, d.root_doc, d.name, search);
            for variant in d.variants.map_or(&[][..], |(_, v)| v) {
                self.root(variant.root, variant.root_doc, d.name, search);
            }
        }
        if d.node.is_some() {
            let types = page_types(d.name, d.plural)
                .into_iter()
                .chain(aggregate_types(d, &self.names))
                .chain(order_types(d.name, &(d.order)()));
            for ty in types {
                self.registry.types.insert(ty.name().to_owned(), ty);
            }
        }
        if !d.filters.is_empty() {
            for ty in filter_types(&d.filter_shape()) {
                self.registry.types.insert(ty.name().to_owned(), ty);
            }
        }
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
        let interface = interface(
            d.name,
            d.doc,
            fields(None),
            variants.iter().map(|v| v.name.to_owned()).collect(),
        );
        self.registry.types.insert(d.name.to_owned(), interface);
    }
}

/// A field's GraphQL type and arguments; `None` for `__typename`, which
/// every type has without declaring it.
fn type_of<E: EntityTrait>(
    names: &HashMap<NodeType, &'static str>,
    of: &Of<E>,
) -> Option<(String, Vec<MetaInputValue>)> {
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
        Of::Json(_, ty) => plain((*ty).to_owned()),
        Of::Derived(_) => plain("String".to_owned()),
        Of::Localized(c, _) => Some((column(c, "String"), vec![argument("lang", "String")])),
        Of::ToOne(_, node) | Of::First(_, node) => plain(name(node).to_owned()),
        Of::List(_, node) => plain(format!("[{}!]!", name(node))),
        Of::Rows(rows) => Some((
            format!("[{}!]!", rows.ty),
            rows.argument
                .iter()
                .map(|a| MetaInputValue {
                    description: Some(a.doc.to_owned()),
                    ..argument(a.name, a.ty)
                })
                .collect(),
        )),
        Of::Same(ty) => plain(format!("{ty}!")),
        Of::Figure(ty, ..) => plain((*ty).to_owned()),
        Of::Page(_, node) => Some((
            format!("{}Connection!", name(node)),
            page_arguments(name(node)),
        )),
    }
}
