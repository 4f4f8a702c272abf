//! A described type's order and filter inputs.

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaEnumValue, MetaInputValue, MetaType};
use sea_orm::{ColumnTrait, EntityTrait, Iterable};
use service::model::Description;
use service::query::resource::OrderOf;

use super::meta::{argument, camel, input_object, scalar, screaming};

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
pub(super) fn enumeration(
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
pub(super) fn filter_types<E: EntityTrait>(d: &Description<E>) -> [MetaType; 2] {
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
        let enumerated = d.enum_of(column).map(|name| format!("{name}Filter"));
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
