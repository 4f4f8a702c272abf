//! A described type's connection, edge, aggregate and group types.

use std::collections::HashMap;

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaField, MetaInputValue, MetaType};
use entity::NodeType;
use sea_orm::{ColumnTrait, EntityTrait};
use service::model::{self, Description};

use super::inputs::enumeration;
use super::meta::{argument, camel, field, input_object, lower_first, object, scalar, screaming};

/// The connection and edge types of a page of rows of type `ty`, called
/// `plural` in their documentation.
pub(super) fn page_types(ty: &str, plural: &str) -> [MetaType; 2] {
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
pub(super) fn aggregate_types<E: EntityTrait>(
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
        d.enum_of(key.column.as_str())
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
