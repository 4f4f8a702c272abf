//! A described type's order and filter inputs.

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaEnumValue, MetaInputValue, MetaType};
use service::query::filter::{self, Filters, Operand, Reach};
use service::query::resource::OrderOf;

use super::meta::{argument, input_object, screaming};

/// The order input and its field enum of connections of rows of type `ty`,
/// which can be ordered by `fields` (`PascalCase` names).
pub(super) fn order_types(ty: &str, fields: &[(&str, OrderOf)]) -> [MetaType; 2] {
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
pub fn enumeration(
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

/// The filter input of the rows `filters` describes, the quantifiers over
/// them of a to-many relation (`<Type>ManyFilter`), and the operator
/// inputs of the enums it filters on (`<Enum>Filter`).
pub(super) fn filter_types(filters: &Filters) -> Vec<MetaType> {
    let (ty, plural) = (filters.name, filters.plural);
    let input = |name: &str, doc: &str, ty: &str| MetaInputValue {
        description: Some(doc.to_owned()),
        ..argument(name, ty)
    };
    let mut types = Vec::new();
    let mut fields = vec![
        input("and", "All of these match.", &format!("[{ty}Filter!]")),
        input(
            "or",
            "At least one of these matches.",
            &format!("[{ty}Filter!]"),
        ),
        input("not", "This does not match.", &format!("{ty}Filter")),
    ];
    for field in &filters.fields {
        let operators = match field.operand {
            Operand::Id(_) => {
                fields.push(input("id", "Operators on the global id.", "IdFilter"));
                continue;
            }
            Operand::Enum(name, _) => {
                types.push(super::operators::of_enum(name));
                format!("{name}Filter")
            }
            Operand::Text => "StringFilter".to_owned(),
            Operand::Int => "IntFilter".to_owned(),
            Operand::Date => "DateFilter".to_owned(),
            Operand::Bool => "BooleanFilter".to_owned(),
            Operand::Instant => "DateTimeFilter".to_owned(),
        };
        let doc = format!("Operators on `{}`.", field.name);
        fields.push(input(field.name, &doc, &operators));
    }
    for (field, reach) in &filters.relations {
        let (doc, operators) = match reach {
            Reach::One { table, .. } => (
                format!("The related `{field}` matches."),
                format!("{}Filter", related(table)),
            ),
            Reach::Many { table, .. } => (
                format!("Conditions on the related `{field}`."),
                format!("{}ManyFilter", related(table)),
            ),
        };
        fields.push(input(field, &doc, &operators));
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
    types.push(input_object(
        &format!("{ty}Filter"),
        &format!("Which {plural} to return."),
        inputs(fields),
    ));
    types.push(input_object(
        &format!("{ty}ManyFilter"),
        &format!("Conditions on related {plural}."),
        inputs(many),
    ));
    types
}

/// The name of the filter input of the rows of `table`.
fn related(table: &str) -> &'static str {
    filter::of_table(table).map_or("Unknown", |filters| filters.name)
}
