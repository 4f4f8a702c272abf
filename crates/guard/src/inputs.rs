//! Input values: every argument, directive argument, variable default and
//! variable, walked once with its schema type. Refuses control characters in
//! any text (the service's rule), over-long lists and text operands, filters
//! nested too deep, and more filter terms or bound values than a request may
//! carry. The walk stops at the first level past a limit, so no value can
//! make it recurse deeper than that.

use std::collections::HashMap;

use async_graphql::parser::types::{
    ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Variables};

use super::types::{Kind, SchemaTypes, TypeRef};
use super::{Limits, Refusal};

/// Hard stop for values of no known type (lists of lists, unknown fields).
const MAX_UNTYPED_NESTING: u32 = 32;

/// A value as the walk needs it: document values (which may name variables)
/// and variable values alike.
pub(super) trait InputView {
    fn view(&self) -> View<'_, Self>
    where
        Self: Sized;
}

pub(super) enum View<'a, V> {
    Variable(&'a Name),
    Text(&'a str),
    List(&'a [V]),
    Object(Vec<(&'a str, &'a V)>),
    Null,
    Number(&'a serde_json::Number),
    Boolean,
    Enum(&'a str),
    Other,
}

impl InputView for async_graphql_value::Value {
    fn view(&self) -> View<'_, Self> {
        use async_graphql_value::Value as V;
        match self {
            V::Variable(name) => View::Variable(name),
            V::String(s) => View::Text(s),
            V::List(items) => View::List(items),
            V::Object(map) => View::Object(map.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            V::Null => View::Null,
            V::Number(n) => View::Number(n),
            V::Boolean(_) => View::Boolean,
            V::Enum(name) => View::Enum(name.as_str()),
            V::Binary(_) => View::Other,
        }
    }
}

impl InputView for async_graphql::Value {
    fn view(&self) -> View<'_, Self> {
        use async_graphql::Value as V;
        match self {
            V::String(s) => View::Text(s),
            V::List(items) => View::List(items),
            V::Object(map) => View::Object(map.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            V::Null => View::Null,
            V::Number(n) => View::Number(n),
            V::Boolean(_) => View::Boolean,
            V::Enum(name) => View::Enum(name.as_str()),
            V::Binary(_) => View::Other,
        }
    }
}

/// Where a value sits, as far as the limits care.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Place {
    /// Filters entered on the way down.
    filter_depth: u32,
    /// Inside a filter or a `search` argument: texts are operands.
    operand: bool,
    /// The ids of `nodes(ids:)`.
    node_ids: bool,
}

impl Place {
    fn merge(self, other: Place) -> Place {
        Place {
            filter_depth: self.filter_depth.max(other.filter_depth),
            operand: self.operand || other.operand,
            node_ids: self.node_ids || other.node_ids,
        }
    }
}

struct Walk<'a> {
    types: &'a SchemaTypes,
    limits: &'a Limits,
    terms: u64,
    parameters: u64,
    /// Where each variable is used, to walk its value in that place (and
    /// name the argument it fills in errors).
    variables: HashMap<&'a str, (Place, String)>,
    /// Walking a variable's value, sent as JSON: an enum value is a string
    /// there (in a document it is a name, never a string).
    json: bool,
}

/// Checks every input value of the document and the request's variables.
pub fn check(
    doc: &ExecutableDocument,
    variables: &Variables,
    types: &SchemaTypes,
    limits: &Limits,
) -> Result<(), Refusal> {
    let mut walk = Walk {
        types,
        limits,
        terms: 0,
        parameters: 0,
        variables: HashMap::new(),
        json: false,
    };
    for (_, operation) in doc.operations.iter() {
        let root = match operation.node.ty {
            async_graphql::parser::types::OperationType::Query => Some(types.query.as_str()),
            async_graphql::parser::types::OperationType::Mutation => types.mutation.as_deref(),
            async_graphql::parser::types::OperationType::Subscription => {
                types.subscription.as_deref()
            }
        };
        walk.directive_args(&operation.node.directives)?;
        walk.set(&operation.node.selection_set.node, root)?;
    }
    for fragment in doc.fragments.values() {
        walk.directive_args(&fragment.node.directives)?;
        let on = fragment.node.type_condition.node.on.node.as_str();
        walk.set(&fragment.node.selection_set.node, Some(on))?;
    }
    for (_, operation) in doc.operations.iter() {
        walk.variables_of(&operation.node, variables)?;
    }
    Ok(())
}

/// GraphQL 6.4.1 (CoerceVariableValues) for the selected operation: null, or
/// nothing, for a variable of non-null type without a default is a request
/// error, named after the variable.
pub fn required_variables(
    operation: &OperationDefinition,
    variables: &Variables,
) -> Result<(), Refusal> {
    for definition in &operation.variable_definitions {
        let name = definition.node.name.node.as_str();
        let ty = &definition.node.var_type.node;
        if ty.nullable {
            continue;
        }
        let what = match variables.get(name) {
            Some(async_graphql::Value::Null) => "is null",
            None if definition.node.default_value.is_none() => "was not given",
            _ => continue,
        };
        return Err(Refusal::bad_input(format!(
            "the variable `${name}` of non-null type `{ty}` {what}"
        ))
        .at(format!("${name}")));
    }
    Ok(())
}

impl<'a> Walk<'a> {
    fn variables_of(
        &mut self,
        operation: &'a OperationDefinition,
        variables: &'a Variables,
    ) -> Result<(), Refusal> {
        for definition in &operation.variable_definitions {
            let name = definition.node.name.node.as_str();
            let ty = TypeRef::of_parsed(&definition.node.var_type.node);
            let (place, path) = self
                .variables
                .get(name)
                .cloned()
                .unwrap_or_else(|| (Place::default(), format!("${name}")));
            let given = variables.get(definition.node.name.node.as_str());
            if let Some(value) = given {
                self.json = true;
                let walked = self.value(value, Some(&ty), &path, place, 0);
                self.json = false;
                walked?;
            }
            if let Some(default) = &definition.node.default_value {
                self.value(&default.node, Some(&ty), &path, place, 0)?;
            }
        }
        Ok(())
    }

    fn directive_args(
        &mut self,
        directives: &'a [async_graphql::parser::Positioned<
            async_graphql::parser::types::Directive,
        >],
    ) -> Result<(), Refusal> {
        for directive in directives {
            for (name, value) in &directive.node.arguments {
                self.value(&value.node, None, name.node.as_str(), Place::default(), 0)?;
            }
        }
        Ok(())
    }

    fn set(&mut self, set: &'a SelectionSet, parent: Option<&'a str>) -> Result<(), Refusal> {
        for selection in &set.items {
            self.directive_args(selection.node.directives())?;
            match &selection.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let def = parent
                        .and_then(|p| self.types.get(p))
                        .and_then(|t| t.field(name));
                    for (arg, value) in &field.node.arguments {
                        let arg = arg.node.as_str();
                        let ty = def.and_then(|d| d.arg(arg)).map(|a| &a.ty);
                        let place = Place {
                            operand: arg == "search",
                            node_ids: name == "nodes" && arg == "ids",
                            filter_depth: 0,
                        };
                        self.value(&value.node, ty, arg, place, 0)?;
                    }
                    let child = def.map(|d| d.ty.name());
                    self.set(&field.node.selection_set.node, child)?;
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(parent);
                    self.set(&fragment.node.selection_set.node, on)?;
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }

    fn value<V: InputView>(
        &mut self,
        value: &'a V,
        ty: Option<&TypeRef>,
        path: &str,
        place: Place,
        nesting: u32,
    ) -> Result<(), Refusal> {
        let view = value.view();
        let coerced;
        let ty = match ty {
            Some(ty) => {
                coerced = super::coerce::coerce(self.types, self.json, &view, ty, path)?;
                Some(coerced)
            }
            None => None,
        };
        match view {
            View::Variable(name) => {
                let entry = self
                    .variables
                    .entry(name.as_str())
                    .or_insert_with(|| (place, path.to_owned()));
                entry.0 = entry.0.merge(place);
            }
            View::Null => {}
            View::Text(text) => {
                service::text::check(path, text).map_err(Refusal::from)?;
                if place.operand && text.chars().count() > self.limits.max_text_length {
                    return Err(Refusal::limit(
                        "MAX_TEXT_LENGTH",
                        format!(
                            "`{path}` is longer than {} characters",
                            self.limits.max_text_length
                        ),
                    )
                    .at(path));
                }
                self.parameter(place, path)?;
            }
            View::Number(_) | View::Boolean | View::Enum(_) | View::Other => {
                self.parameter(place, path)?;
            }
            View::List(items) => {
                if place.node_ids && items.len() > self.limits.max_node_ids {
                    return Err(Refusal::limit(
                        "MAX_NODE_IDS",
                        format!("`{path}` may hold at most {} ids", self.limits.max_node_ids),
                    )
                    .at(path));
                }
                if items.len() > self.limits.max_list_values {
                    return Err(Refusal::limit(
                        "MAX_LIST_VALUES",
                        format!(
                            "`{path}` may hold at most {} values",
                            self.limits.max_list_values
                        ),
                    )
                    .at(path));
                }
                let item_ty = ty.map(TypeRef::item);
                let nesting = self.nest(nesting, item_ty.is_none(), path)?;
                for (i, item) in items.iter().enumerate() {
                    self.value(item, item_ty, &format!("{path}[{i}]"), place, nesting)?;
                }
            }
            View::Object(fields) => {
                let named = ty.and_then(|t| self.types.get(t.name()));
                let is_filter = named.is_some_and(|t| t.is_filter());
                let mut place = place;
                if is_filter {
                    place.filter_depth += 1;
                    place.operand = true;
                    if place.filter_depth > self.limits.max_filter_depth {
                        return Err(Refusal::limit(
                            "MAX_FILTER_DEPTH",
                            format!(
                                "filters may nest at most {} levels (`and`, `or`, `not` and relations together)",
                                self.limits.max_filter_depth
                            ),
                        )
                        .at(path));
                    }
                }
                let nesting = self.nest(nesting, named.is_none(), path)?;
                // An operator object inside a filter: each operator is a term.
                let operators = place.filter_depth > 0
                    && !is_filter
                    && named.is_some_and(|t| t.kind == Kind::InputObject);
                for (key, item) in fields {
                    let field_ty = named.and_then(|t| t.input_field(key)).map(|f| f.ty.clone());
                    if operators && !matches!(item.view(), View::Null) {
                        self.terms += 1;
                        if self.terms > self.limits.max_filter_terms {
                            return Err(Refusal::limit(
                                "MAX_FILTER_TERMS",
                                format!(
                                    "a request may hold at most {} filter conditions",
                                    self.limits.max_filter_terms
                                ),
                            )
                            .at(path));
                        }
                    }
                    self.value(
                        item,
                        field_ty.as_ref(),
                        &format!("{path}.{key}"),
                        place,
                        nesting,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// One level deeper; objects of known types nest as deep as their filters
    /// allow, anything else only a little.
    fn nest(&self, nesting: u32, untyped: bool, path: &str) -> Result<u32, Refusal> {
        let nesting = nesting + 1;
        let cap = if untyped {
            MAX_UNTYPED_NESTING
        } else {
            self.limits.max_nesting()
        };
        if nesting > cap {
            return Err(Refusal::limit(
                "MAX_FILTER_DEPTH",
                format!("`{path}` nests values more than {cap} deep"),
            )
            .at(path));
        }
        Ok(nesting)
    }

    /// A value bound into SQL: filter operands and searches.
    fn parameter(&mut self, place: Place, path: &str) -> Result<(), Refusal> {
        if place.filter_depth == 0 && !place.operand {
            return Ok(());
        }
        self.parameters += 1;
        if self.parameters > self.limits.max_query_parameters {
            return Err(Refusal::limit(
                "MAX_QUERY_PARAMETERS",
                format!(
                    "a request may bind at most {} filter and search values",
                    self.limits.max_query_parameters
                ),
            )
            .at(path));
        }
        Ok(())
    }
}
