//! The GraphQL types the descriptions (`service::model`) declare: each
//! described type's object type (or, for a type shown as several object
//! types, its interface and those object types), every field's name,
//! documentation, type and arguments read off the description and the
//! column's definition. Registered before the resolvers' own declarations
//! (`Query::create_type_info`), which therefore no longer declare these
//! types; `schema.graphql` is the same (a test).

use std::collections::HashMap;

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaEnumValue, MetaField, MetaInputValue, MetaType, Registry};
use entity::NodeType;
use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, EntityTrait, Iterable};
use service::model::{self, Description, Of};
use service::query::resource::OrderOf;

/// Registers the `Query` root type and every type it reaches.
pub fn query(registry: &mut Registry) -> String {
    use async_graphql::{InputType, OutputType};
    // The types the descriptions do not declare: their own declarations.
    <super::viewer::Viewer as OutputType>::create_type_info(registry);
    <super::statistics::Statistics as OutputType>::create_type_info(registry);
    <super::registry::Node as OutputType>::create_type_info(registry);
    <super::audit::AuditEntryConnection as OutputType>::create_type_info(registry);
    <super::audit::AuditEntryOrder as InputType>::create_type_info(registry);
    <super::audit::AuditLogFilter as InputType>::create_type_info(registry);
    <super::scalars::Date as InputType>::create_type_info(registry);
    super::compile::register_filters(registry);
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
        registry, roots, ..
    } = declare;
    let fields = roots.into_iter().map(|f| (f.name.clone(), f)).collect();
    let query = object("Query", "Entry points for reading.", fields);
    registry.types.insert("Query".to_owned(), query);
    "Query".to_owned()
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
    fn visit<E: EntityTrait>(&mut self, d: &'static Description<E>) {
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
                .chain(order_types(d.name, &(d.order)()))
                .chain(filter_types(d));
            for ty in types {
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

/// The connection and edge types of a page of rows of type `ty`, called
/// `plural` in their documentation.
fn page_types(ty: &str, plural: &str) -> [MetaType; 2] {
    let connection = IndexMap::from_iter(
        [
            field(
                "edges",
                "The rows of this page, each with its cursor.",
                format!("[{ty}Edge!]!"),
                Vec::new(),
            ),
            field(
                "nodes",
                "The rows of this page.",
                format!("[{ty}!]!"),
                Vec::new(),
            ),
            field(
                "pageInfo",
                "Where this page sits in the connection.",
                "PageInfo!".to_owned(),
                Vec::new(),
            ),
            field(
                "totalCount",
                "How many rows the connection has over all pages (counted only when asked).",
                "Int!".to_owned(),
                Vec::new(),
            ),
            field(
                "aggregate",
                "Aggregates over every row of the connection (all pages) that\n\
             your role may see; fields your role may not read are refused.",
                format!("{ty}Aggregate!"),
                Vec::new(),
            ),
            field(
                "groups",
                "The connection's rows (all pages) in groups: by the keys in\n\
             `by`, largest group first unless `orderBy` says otherwise, at\n\
             most `first` (default and cap: the page size), those `having`\n\
             keeps.",
                format!("[{ty}Group!]!"),
                vec![
                    argument("by", &format!("[{ty}GroupBy!]!")),
                    argument("first", "Int"),
                    argument("orderBy", "[GroupOrder!]"),
                    argument("having", &format!("{ty}Having")),
                ],
            ),
        ]
        .map(|f| (f.name.clone(), f)),
    );
    let edge = IndexMap::from_iter(
        [
            field(
                "cursor",
                "Pass as `after`/`before` to page from this row.",
                "String!".to_owned(),
                Vec::new(),
            ),
            field("node", "The row.", format!("{ty}!"), Vec::new()),
        ]
        .map(|f| (f.name.clone(), f)),
    );
    [
        object(
            &format!("{ty}Connection"),
            &format!("A page of {plural}, with cursors and paging information."),
            connection,
        ),
        object(
            &format!("{ty}Edge"),
            &format!("One of {plural} in a page, with its cursor."),
            edge,
        ),
    ]
}

/// The aggregate and group types of a connection of rows of `d`'s type.
fn aggregate_types<E: EntityTrait>(
    d: &Description<E>,
    names: &HashMap<NodeType, &'static str>,
) -> Vec<MetaType> {
    use sea_orm::IdenStatic;
    let (ty, plural, a) = (d.name, d.plural, &d.aggregates);
    let numbers = !a.numbers.is_empty();
    let fields = |list: Vec<MetaField>| -> IndexMap<String, MetaField> {
        list.into_iter().map(|f| (f.name.clone(), f)).collect()
    };
    let inputs = |list: Vec<MetaInputValue>| -> IndexMap<String, MetaInputValue> {
        list.into_iter().map(|f| (f.name.clone(), f)).collect()
    };
    let plain = |name: &str, doc: &str, ty: String| field(name, doc, ty, Vec::new());
    let input = |name: &str, doc: &str, ty: &str| MetaInputValue {
        description: Some(doc.to_owned()),
        ..argument(name, ty)
    };
    let scalar_of = |c: &E::Column| scalar(c.def().get_column_type());
    let mut measures = vec![
        plain("count", "How many rows.", "Int!".to_owned()),
        plain(
            "distinctCount",
            "How many distinct non-null values each field has.",
            format!("{ty}Counts!"),
        ),
        plain(
            "min",
            "The smallest value of each field (null over no values).",
            format!("{ty}Values!"),
        ),
        plain(
            "max",
            "The largest value of each field (null over no values).",
            format!("{ty}Values!"),
        ),
    ];
    let mut having = vec![
        MetaInputValue {
            default_value: Some("[]".to_owned()),
            ..input("and", "All of these hold.", &format!("[{ty}Having!]!"))
        },
        MetaInputValue {
            default_value: Some("[]".to_owned()),
            ..input(
                "or",
                "At least one of these holds.",
                &format!("[{ty}Having!]!"),
            )
        },
        input("not", "This does not hold.", &format!("{ty}Having")),
        input("count", "On the number of rows in the group.", "IntFilter"),
        input(
            "distinctCount",
            "On distinct counts.",
            &format!("{ty}CountsHaving"),
        ),
        input("min", "On smallest values.", &format!("{ty}ValuesHaving")),
        input("max", "On largest values.", &format!("{ty}ValuesHaving")),
    ];
    let mut types = Vec::new();
    if numbers {
        measures.push(plain(
            "sum",
            "The sum of each numeric field (null over no values).",
            format!("{ty}Numbers!"),
        ));
        measures.push(plain(
            "avg",
            "The mean of each numeric field (null over no values).",
            format!("{ty}Numbers!"),
        ));
        having.push(input("sum", "On sums.", &format!("{ty}NumbersHaving")));
        having.push(input("avg", "On means.", &format!("{ty}NumbersHaving")));
        let each = a.numbers.iter().map(|c| c.as_str());
        types.push(object(
            &format!("{ty}Numbers"),
            &format!("The sum or mean of each numeric field of {plural}."),
            fields(
                each.clone()
                    .map(|c| plain(&camel(c), &format!("Of `{c}`."), "Float".to_owned()))
                    .collect(),
            ),
        ));
        types.push(input_object(
            &format!("{ty}NumbersHaving"),
            &format!("Conditions on the sums or means of a group of {plural}."),
            inputs(
                each.map(|c| input(&camel(c), &format!("On `{c}`."), "FloatFilter"))
                    .collect(),
            ),
        ));
    }
    types.push(object(
        &format!("{ty}Aggregate"),
        &format!(
            "Aggregates over {plural}: over every row the filter and your role admit, not just one page."
        ),
        fields(measures),
    ));
    types.push(object(
        &format!("{ty}Values"),
        &format!("The smallest or largest value of each field of {plural}."),
        fields(
            a.values
                .iter()
                .map(|c| {
                    let name = c.as_str();
                    let doc = format!("`{name}`, if your role may read it on every row.");
                    plain(&camel(name), &doc, scalar_of(c).to_owned())
                })
                .collect(),
        ),
    ));
    types.push(input_object(
        &format!("{ty}ValuesHaving"),
        &format!("Conditions on the smallest or largest values of a group of {plural}."),
        inputs(
            a.values
                .iter()
                .map(|c| {
                    let name = c.as_str();
                    let filter = format!("{}Filter", scalar_of(c));
                    input(&camel(name), &format!("On `{name}`."), &filter)
                })
                .collect(),
        ),
    ));
    types.push(object(
        &format!("{ty}Counts"),
        &format!("How many distinct non-null values each field of {plural} has."),
        fields(
            a.counts
                .iter()
                .map(|c| {
                    let name = c.as_str();
                    let doc = format!(
                        "Distinct values of `{name}`, if your role may read it on every row."
                    );
                    plain(&camel(name), &doc, "Int".to_owned())
                })
                .collect(),
        ),
    ));
    types.push(input_object(
        &format!("{ty}CountsHaving"),
        &format!("Conditions on the distinct counts of a group of {plural}."),
        inputs(
            a.counts
                .iter()
                .map(|c| {
                    let name = c.as_str();
                    let doc = format!("On the distinct values of `{name}`.");
                    input(&camel(name), &doc, "IntFilter")
                })
                .collect(),
        ),
    ));
    types.push(input_object(
        &format!("{ty}Having"),
        &format!(
            "Which groups of {plural} to keep: conditions on their aggregates, combined like filters."
        ),
        inputs(having),
    ));
    types.push(object(
        &format!("{ty}Group"),
        &format!("One group of {plural}: its key, its size and its aggregates."),
        fields(vec![
            plain(
                "key",
                "The values this group shares (the keys not grouped by are null).",
                format!("{ty}GroupKey!"),
            ),
            plain(
                "count",
                "How many rows are in the group.",
                "Int!".to_owned(),
            ),
            plain(
                "aggregate",
                "Aggregates over the group's rows.",
                format!("{ty}Aggregate!"),
            ),
        ]),
    ));
    let key_type = |key: &model::GroupKey<E>| -> String {
        if let Some(row) = key.row {
            return names[&row].to_owned();
        }
        if key.part != service::query::aggregate::Part::Value {
            return "Int".to_owned();
        }
        let enumerated = d.fields.iter().find_map(|f| match &f.of {
            Of::Enum(c, name, _) if c.as_str() == key.column.as_str() => Some(*name),
            _ => None,
        });
        enumerated
            .unwrap_or_else(|| scalar_of(&key.column))
            .to_owned()
    };
    types.push(object(
        &format!("{ty}GroupKey"),
        &format!("The key of a group of {plural}: the values of `by`, the rest null."),
        fields(
            a.keys
                .iter()
                .map(|key| {
                    let doc = format!("When grouped by `{}`.", key.name);
                    plain(&lower_first(key.name), &doc, key_type(key))
                })
                .collect(),
        ),
    ));
    types.push(enumeration(
        &format!("{ty}GroupBy"),
        &format!("What groups of {plural} are keyed by."),
        a.keys.iter().map(|key| {
            let doc = format!("`{}` ({:?}).", key.column.as_str(), key.part);
            (screaming(key.name), Some(doc))
        }),
    ));
    types
}

/// The order input and its field enum of connections of rows of type `ty`,
/// which can be ordered by `fields` (`PascalCase` names).
fn order_types(ty: &str, fields: &[(&str, OrderOf)]) -> [MetaType; 2] {
    let order = IndexMap::from_iter(
        [
            MetaInputValue {
                description: Some("The field to order by.".to_owned()),
                ..argument("field", &format!("{ty}OrderField!"))
            },
            MetaInputValue {
                description: Some("The direction (ascending unless given).".to_owned()),
                default_value: Some("ASC".to_owned()),
                ..argument("direction", "OrderDirection!")
            },
        ]
        .map(|f| (f.name.clone(), f)),
    );
    [
        input_object(
            &format!("{ty}Order"),
            "One `orderBy` entry: a field and a direction.",
            order,
        ),
        enumeration(
            &format!("{ty}OrderField"),
            "The fields a connection of this type can be ordered by.",
            fields.iter().map(|(name, _)| (screaming(name), None)),
        ),
    ]
}

/// An enum type of the values given, each with its documentation.
fn enumeration(
    name: &str,
    doc: &str,
    values: impl Iterator<Item = (String, Option<String>)>,
) -> MetaType {
    MetaType::Enum {
        name: name.to_owned(),
        description: Some(doc.to_owned()),
        enum_values: values
            .map(|(name, description)| {
                let value = MetaEnumValue {
                    name: name.clone(),
                    description,
                    deprecation: Default::default(),
                    visible: None,
                    inaccessible: false,
                    tags: Vec::new(),
                    directive_invocations: Vec::new(),
                };
                (name, value)
            })
            .collect(),
        visible: None,
        inaccessible: false,
        tags: Vec::new(),
        rust_typename: None,
        directive_invocations: Vec::new(),
        requires_scopes: Vec::new(),
    }
}

/// The filter input of `d`'s rows and the quantifiers over them of a
/// to-many relation (`<Type>ManyFilter`).
fn filter_types<E: EntityTrait>(d: &Description<E>) -> [MetaType; 2] {
    use sea_orm::IdenStatic;
    use service::query::filter::Reach;
    let (ty, plural) = (d.name, d.plural);
    let input = |name: &str, doc: &str, ty: &str| MetaInputValue {
        description: Some(doc.to_owned()),
        ..argument(name, ty)
    };
    let mut fields = vec![
        input("and", "All of these match.", &format!("[{ty}Filter!]")),
        input(
            "or",
            "At least one of these matches.",
            &format!("[{ty}Filter!]"),
        ),
        input("not", "This does not match.", &format!("{ty}Filter")),
    ];
    let column_of = |name: &str| E::Column::iter().find(|c| c.as_str() == name);
    for (field, column) in (d.filtered)() {
        if field == "id" && d.node.is_some() && d.key.as_str() == column {
            fields.push(input("id", "Operators on the global id.", "IdFilter"));
            continue;
        }
        let enumerated = d.fields.iter().find_map(|f| match &f.of {
            Of::Enum(c, name, _) if c.as_str() == column => Some(format!("{name}Filter")),
            _ => None,
        });
        let operators = enumerated.unwrap_or_else(|| {
            let ty = column_of(column).map(|c| scalar(c.def().get_column_type()));
            format!("{}Filter", ty.unwrap_or("String"))
        });
        let doc = format!("Operators on `{field}`.");
        fields.push(input(&camel(field), &doc, &operators));
    }
    for (field, reach) in (d.relations)() {
        let (doc, operators) = match reach {
            Reach::One { filter, .. } => {
                (format!("The related `{field}` matches."), filter.to_owned())
            }
            Reach::Many { filter, .. } => (
                format!("Conditions on the related `{field}`."),
                format!("{}ManyFilter", filter.trim_end_matches("Filter")),
            ),
        };
        fields.push(input(&camel(field), &doc, &operators));
    }
    let quantifier = |name: &str, doc: String| input(name, &doc, &format!("{ty}Filter"));
    let many = vec![
        quantifier("some", format!("At least one related {plural} matches.")),
        quantifier(
            "every",
            format!("Every related {plural} matches (true when there are none)."),
        ),
        quantifier("none", format!("No related {plural} matches.")),
    ];
    let inputs =
        |list: Vec<MetaInputValue>| list.into_iter().map(|f| (f.name.clone(), f)).collect();
    [
        input_object(
            &format!("{ty}Filter"),
            &format!("Which {plural} to return."),
            inputs(fields),
        ),
        input_object(
            &format!("{ty}ManyFilter"),
            &format!("Conditions on related {plural}."),
            inputs(many),
        ),
    ]
}

/// `snake_case` as `camelCase`.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `PascalCase` as `camelCase`.
fn lower_first(pascal: &str) -> String {
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `PascalCase` as `SCREAMING_SNAKE_CASE`.
fn screaming(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, c) in pascal.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_uppercase());
    }
    out
}

fn input_object(name: &str, doc: &str, fields: IndexMap<String, MetaInputValue>) -> MetaType {
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
