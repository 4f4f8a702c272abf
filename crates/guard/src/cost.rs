//! The cost of a document: the most values its answer may hold. Every field
//! costs one; a list costs its length bound times its items; a connection's
//! `edges` and `nodes` are lists as long as its page. The bound of a list is
//! the page of its connection, the length of `ids`, its `first` argument, or
//! the cap on lists a write accepts (an agreement's parties) — and the page
//! cap when nothing else is known. It is read off the schema, so a field
//! reached through an interface costs what it costs on the implementation.
//!
//! Introspection answers static data, so `__schema` and `__type` are costed
//! exactly, by walking the schema itself; that walk stops once the cost
//! passes the limit.
//!
//! The same walk counts the database reads a document may start: each root
//! field, each field that answers an object the parent did not read with
//! itself (a connection, a relation, a node), each `totalCount`,
//! `aggregate` and `groups`, and each statistic — once wherever it is
//! selected, not once per row: nested fields are read for all parents at
//! once. Aliases multiply reads, so a document of a thousand aliased counts,
//! cheap in values, is refused by its reads.

use std::collections::HashMap;

use async_graphql::Variables;
use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql_value::Value;

use super::Limits;
use super::types::{BUILT_IN_DIRECTIVES, Kind, SchemaTypes, TypeRef};

/// Lists of one row with a bound set by the writes (`service::write::MAX_LIST`).
const BOUNDED_LISTS: [(&str, &str); 3] = [
    ("Agreement", "parties"),
    ("Agreement", "fieldsOfStudy"),
    ("JointUnit", "partners"),
];

/// Locations a directive may name (the `__DirectiveLocation` values).
const DIRECTIVE_LOCATIONS: u64 = 19;

/// Types each of whose fields (but `asOf`) is a query of its own.
const QUERYING_TYPES: [&str; 1] = ["Statistics"];

/// Rows a to-many relation hop is priced at, per row it starts from: a
/// filter through it may look at that many related rows for each row it
/// examines (a database that cannot plan the hop as a join does).
pub const FAN_OUT: u64 = 20;
/// What ordering by a count of related rows (`AGREEMENTS_COUNT`) is priced
/// at: a count for every row of the table, before the first row is known.
pub const COUNT_ORDER_WORK: u64 = 1_000;

/// What a document or selection may cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The most values the answer may hold.
    pub values: u64,
    /// The database reads it may start.
    pub reads: u64,
    /// The work its filters and orders make the database do, per row of the
    /// tables they start from: a condition costs 1, a hop through a to-one
    /// relation 1 more, a hop through a to-many relation (`some`, `every`,
    /// `none`) [`FAN_OUT`] times what lies beyond it, an order by a related
    /// count [`COUNT_ORDER_WORK`].
    pub work: u64,
}

impl Tally {
    fn values(values: u64) -> Tally {
        Tally {
            values,
            reads: 0,
            work: 0,
        }
    }
}

impl std::ops::Add for Tally {
    type Output = Tally;

    fn add(self, other: Tally) -> Tally {
        Tally {
            values: self.values.saturating_add(other.values),
            reads: self.reads.saturating_add(other.reads),
            work: self.work.saturating_add(other.work),
        }
    }
}

pub struct Costing<'a> {
    types: &'a SchemaTypes,
    limits: &'a Limits,
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    memo: HashMap<(&'a str, Option<u64>), Tally>,
    /// Introspection cost so far, to stop its walk past the limit.
    spent: u64,
}

/// What an introspection selection is asked of.
#[derive(Clone)]
enum Intro<'a> {
    Schema,
    Type(TypeRef),
    Field(&'a super::types::Field),
    InputValue(TypeRef),
    EnumValue,
    Directive,
}

impl<'a> Costing<'a> {
    pub fn new(
        types: &'a SchemaTypes,
        limits: &'a Limits,
        doc: &'a ExecutableDocument,
        variables: &'a Variables,
    ) -> Self {
        Costing {
            types,
            limits,
            doc,
            variables,
            memo: HashMap::new(),
            spent: 0,
        }
    }

    pub fn document(&mut self) -> Tally {
        let mut total = Tally::default();
        for (_, operation) in self.doc.operations.iter() {
            let root = match operation.node.ty {
                async_graphql::parser::types::OperationType::Query => {
                    Some(self.types.query.as_str())
                }
                async_graphql::parser::types::OperationType::Mutation => {
                    self.types.mutation.as_deref()
                }
                async_graphql::parser::types::OperationType::Subscription => {
                    self.types.subscription.as_deref()
                }
            };
            let Some(root) = root else { continue };
            total = total + self.set(&operation.node.selection_set.node, root, None);
        }
        total
    }

    fn set(&mut self, set: &'a SelectionSet, parent: &'a str, page: Option<u64>) -> Tally {
        let mut total = Tally::default();
        for selection in &set.items {
            let cost = match &selection.node {
                Selection::Field(field) => self.field(&field.node, parent, page),
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent, |c| c.node.on.node.as_str());
                    self.set(&fragment.node.selection_set.node, on, page)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    self.spread(name, page)
                }
            };
            total = total + cost;
        }
        total
    }

    fn spread(&mut self, name: &'a str, page: Option<u64>) -> Tally {
        let Some((key, fragment)) = self.doc.fragments.get_key_value(name) else {
            return Tally::default();
        };
        if let Some(&cost) = self.memo.get(&(key.as_str(), page)) {
            return cost;
        }
        let on = fragment.node.type_condition.node.on.node.as_str();
        let cost = self.set(&fragment.node.selection_set.node, on, page);
        self.memo.insert((key.as_str(), page), cost);
        cost
    }

    fn field(&mut self, field: &'a Field, parent: &'a str, page: Option<u64>) -> Tally {
        let name = field.name.node.as_str();
        match name {
            "__typename" => return Tally::values(1),
            "__schema" => {
                return Tally::values(
                    1u64.saturating_add(self.intro(&field.selection_set.node, &Intro::Schema)),
                );
            }
            "__type" => {
                let named = match field.get_argument("name").map(|v| &v.node) {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Variable(v)) => match self.variables.get(v) {
                        Some(async_graphql::Value::String(s)) => Some(s.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(named) = named.filter(|n| self.types.get(n).is_some()) else {
                    return Tally::values(1);
                };
                return Tally::values(1u64.saturating_add(self.intro(
                    &field.selection_set.node,
                    &Intro::Type(TypeRef::Named(named)),
                )));
            }
            _ => {}
        }
        let Some(def) = self.types.get(parent).and_then(|t| t.field(name)) else {
            // Not in the schema: validation refuses it.
            return Tally::values(1);
        };
        let connection = def.arg("first").is_some() && def.ty.name().ends_with("Connection");
        let child_page = connection.then(|| self.page_size(field, def));
        let children = if field.selection_set.node.items.is_empty() {
            Tally::default()
        } else {
            self.set(&field.selection_set.node, def.ty.name(), child_page)
        };
        let reads = children.reads.saturating_add(self.reads(parent, name, def));
        let work = children.work.saturating_add(self.work(field, def));
        if !def.ty.is_list() {
            return Tally {
                values: 1u64.saturating_add(children.values),
                reads,
                work,
            };
        }
        let length = self.list_bound(field, def, parent, page);
        Tally {
            values: 1u64.saturating_add(length.saturating_mul(children.values.max(1))),
            reads,
            work,
        }
    }

    /// The database work of a field's own `filter` and `orderBy` (see
    /// [`Tally::work`]); once wherever the field is selected, as its reads.
    fn work(&self, field: &'a Field, def: &super::types::Field) -> u64 {
        let mut work = 0u64;
        if let Some(arg) = def.arg("filter")
            && let Some(value) = self.constant(field, "filter")
        {
            work = work.saturating_add(self.filter_work(&value, arg.ty.name()));
        }
        if def.arg("orderBy").is_some()
            && let Some(async_graphql::Value::List(keys)) = self.constant(field, "orderBy")
        {
            let counts = keys
                .iter()
                .filter(|key| match key {
                    async_graphql::Value::Object(key) => match key.get("field") {
                        Some(async_graphql::Value::Enum(name)) => name.ends_with("_COUNT"),
                        Some(async_graphql::Value::String(name)) => name.ends_with("_COUNT"),
                        _ => false,
                    },
                    _ => false,
                })
                .count() as u64;
            work = work.saturating_add(counts.saturating_mul(COUNT_ORDER_WORK));
        }
        work
    }

    /// An argument's value with its variables put in.
    fn constant(&self, field: &'a Field, name: &str) -> Option<async_graphql::Value> {
        match self.argument(field, name)? {
            Arg::Var(value) => Some(value.clone()),
            Arg::Doc(value) => value
                .clone()
                .into_const_with(|var| self.variables.get(&var).cloned().ok_or(()))
                .ok(),
        }
    }

    /// The work of a filter value of input type `ty` (the inputs' walk has
    /// bounded its nesting before the cost is counted).
    fn filter_work(&self, value: &async_graphql::Value, ty: &str) -> u64 {
        let async_graphql::Value::Object(fields) = value else {
            return 0;
        };
        let Some(filter) = self.types.get(ty) else {
            return 0;
        };
        let mut work = 0u64;
        for (name, value) in fields {
            let Some(input) = filter.input_field(name.as_str()) else {
                continue;
            };
            let inner = input.ty.name();
            let one = match (name.as_str(), value) {
                (_, async_graphql::Value::Null) => 0,
                ("and" | "or", async_graphql::Value::List(items)) => {
                    items.iter().fold(0u64, |sum, item| {
                        sum.saturating_add(self.filter_work(item, inner))
                    })
                }
                ("not", value) => self.filter_work(value, inner),
                _ if inner.ends_with("ManyFilter") => {
                    // `some`, `every`, `none`: each looks at the related rows.
                    let quantifiers = self.types.get(inner);
                    let async_graphql::Value::Object(quantified) = value else {
                        continue;
                    };
                    quantified
                        .iter()
                        .filter(|(_, v)| !matches!(v, async_graphql::Value::Null))
                        .fold(0u64, |sum, (q, v)| {
                            let target = quantifiers
                                .and_then(|t| t.input_field(q.as_str()))
                                .map(|f| f.ty.name().to_owned())
                                .unwrap_or_default();
                            let beyond = 1u64.saturating_add(self.filter_work(v, &target));
                            sum.saturating_add(FAN_OUT.saturating_mul(beyond))
                        })
                }
                _ if self.types.get(inner).is_some_and(|t| t.is_filter()) => {
                    // A to-one relation: one related row.
                    1u64.saturating_add(self.filter_work(value, inner))
                }
                // A field's operators.
                _ => 1,
            };
            work = work.saturating_add(one);
        }
        work
    }

    /// The reads a field starts itself (1 or 0), apart from its children's.
    fn reads(&self, parent: &str, name: &str, def: &super::types::Field) -> u64 {
        let types = self.types;
        let root = parent == types.query
            || types.mutation.as_deref() == Some(parent)
            || types.subscription.as_deref() == Some(parent);
        let reads = if root || QUERYING_TYPES.contains(&parent) {
            name != "asOf"
        } else if parent.ends_with("Connection") {
            // The page (`edges`, `nodes`, `pageInfo`) is the connection's own read.
            matches!(name, "totalCount" | "aggregate" | "groups")
        } else if parent.ends_with("Edge")
            || parent.ends_with("Aggregate")
            || parent.ends_with("Group")
        {
            // Read with the page, the aggregate or the groups.
            false
        } else {
            types
                .get(def.ty.name())
                .is_some_and(|t| matches!(t.kind, Kind::Object | Kind::Interface | Kind::Union))
        };
        u64::from(reads)
    }

    /// Rows of a connection page: `first`, `last`, or the default, within the cap.
    fn page_size(&self, field: &Field, def: &super::types::Field) -> u64 {
        let first = self.int_argument(field, def, "first");
        let last = self.int_argument(field, def, "last");
        let rows = match (first, last) {
            (Some(f), Some(l)) => f.max(l),
            (Some(n), None) | (None, Some(n)) => n,
            (None, None) => i64::try_from(self.limits.page_default).unwrap_or(i64::MAX),
        };
        u64::try_from(rows.max(0))
            .unwrap_or(0)
            .min(self.limits.page_max)
    }

    fn list_bound(
        &self,
        field: &Field,
        def: &super::types::Field,
        parent: &str,
        page: Option<u64>,
    ) -> u64 {
        if let Some(page) = page
            && parent.ends_with("Connection")
        {
            return page;
        }
        if def.arg("ids").is_some() {
            return match self.argument(field, "ids") {
                Some(Arg::Doc(Value::List(ids))) => ids.len() as u64,
                Some(Arg::Var(async_graphql::Value::List(ids))) => ids.len() as u64,
                _ => 0,
            };
        }
        if def.arg("first").is_some() {
            let first = self.int_argument(field, def, "first").unwrap_or(0);
            return u64::try_from(first.max(0))
                .unwrap_or(0)
                .min(self.limits.page_max);
        }
        if BOUNDED_LISTS.contains(&(parent, field.name.node.as_str())) {
            return service::write::MAX_LIST as u64;
        }
        self.limits.page_max
    }

    fn argument(&self, field: &'a Field, name: &str) -> Option<Arg<'a>> {
        match field.get_argument(name).map(|v| &v.node)? {
            Value::Variable(var) => self.variables.get(var).map(Arg::Var),
            value => Some(Arg::Doc(value)),
        }
    }

    fn int_argument(&self, field: &'a Field, def: &super::types::Field, name: &str) -> Option<i64> {
        match self.argument(field, name) {
            Some(Arg::Doc(Value::Number(n))) | Some(Arg::Var(async_graphql::Value::Number(n))) => {
                n.as_i64()
            }
            Some(_) => None,
            None => def.arg(name).and_then(|a| a.default_int),
        }
    }

    /// The exact size of an introspection answer, walking the schema.
    fn intro(&mut self, set: &'a SelectionSet, node: &Intro<'a>) -> u64 {
        let mut total = 0u64;
        for selection in &set.items {
            if self.spent > self.limits.max_cost {
                return total;
            }
            let cost = match &selection.node {
                Selection::Field(field) => self.intro_field(&field.node, node),
                Selection::InlineFragment(fragment) => {
                    self.intro(&fragment.node.selection_set.node, node)
                }
                Selection::FragmentSpread(spread) => {
                    match self.doc.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) => self.intro(&fragment.node.selection_set.node, node),
                        None => 0,
                    }
                }
            };
            total = total.saturating_add(cost);
        }
        total
    }

    fn intro_field(&mut self, field: &'a Field, node: &Intro<'a>) -> u64 {
        self.spent = self.spent.saturating_add(1);
        let children = &field.selection_set.node;
        let types = self.types;
        let each = |this: &mut Self, nodes: Vec<Intro<'a>>| -> u64 {
            nodes.iter().fold(1u64, |sum, n| {
                sum.saturating_add(this.intro(children, n).max(1))
            })
        };
        let name = field.name.node.as_str();
        match (node, name) {
            (_, "__typename") => 1,
            (Intro::Schema, "types") => each(
                self,
                types
                    .order
                    .iter()
                    .map(|t| Intro::Type(TypeRef::Named(t.clone())))
                    .collect(),
            ),
            (Intro::Schema, "queryType") => {
                let query = Intro::Type(TypeRef::Named(types.query.clone()));
                1u64.saturating_add(self.intro(children, &query))
            }
            (Intro::Schema, "mutationType") => match &types.mutation {
                Some(m) => 1u64
                    .saturating_add(self.intro(children, &Intro::Type(TypeRef::Named(m.clone())))),
                None => 1,
            },
            (Intro::Schema, "subscriptionType") => match &types.subscription {
                Some(s) => 1u64
                    .saturating_add(self.intro(children, &Intro::Type(TypeRef::Named(s.clone())))),
                None => 1,
            },
            (Intro::Schema, "directives") => 1u64.saturating_add(
                BUILT_IN_DIRECTIVES.saturating_mul(self.intro(children, &Intro::Directive).max(1)),
            ),
            (Intro::Type(TypeRef::Named(n)), _) => {
                let Some(t) = types.get(n) else { return 1 };
                match name {
                    "fields" if matches!(t.kind, Kind::Object | Kind::Interface) => each(
                        self,
                        t.fields.iter().map(|(_, f)| Intro::Field(f)).collect(),
                    ),
                    "interfaces" => each(
                        self,
                        t.implements
                            .iter()
                            .map(|i| Intro::Type(TypeRef::Named(i.clone())))
                            .collect(),
                    ),
                    "possibleTypes" => each(
                        self,
                        types
                            .possible_types(n)
                            .into_iter()
                            .map(|p| Intro::Type(TypeRef::Named(p.to_owned())))
                            .collect(),
                    ),
                    "enumValues" => 1u64.saturating_add(
                        (t.enum_values.len() as u64)
                            .saturating_mul(self.intro(children, &Intro::EnumValue).max(1)),
                    ),
                    "inputFields" => each(
                        self,
                        t.input_fields
                            .iter()
                            .map(|f| Intro::InputValue(f.ty.clone()))
                            .collect(),
                    ),
                    _ => 1,
                }
            }
            (Intro::Type(TypeRef::List(inner) | TypeRef::NonNull(inner)), "ofType") => {
                let inner = Intro::Type((**inner).clone());
                1u64.saturating_add(self.intro(children, &inner))
            }
            (Intro::Field(f), "args") => each(
                self,
                f.args
                    .iter()
                    .map(|a| Intro::InputValue(a.ty.clone()))
                    .collect(),
            ),
            (Intro::Field(f), "type") => {
                1u64.saturating_add(self.intro(children, &Intro::Type(f.ty.clone())))
            }
            (Intro::InputValue(ty), "type") => {
                1u64.saturating_add(self.intro(children, &Intro::Type(ty.clone())))
            }
            (Intro::Directive, "args") => {
                let boolean = TypeRef::NonNull(Box::new(TypeRef::Named("Boolean".to_owned())));
                1u64.saturating_add(self.intro(children, &Intro::InputValue(boolean)).max(1))
            }
            (Intro::Directive, "locations") => 1 + DIRECTIVE_LOCATIONS,
            _ => 1,
        }
    }
}

/// An argument as given: in the document, or through a variable.
enum Arg<'a> {
    Doc(&'a Value),
    Var(&'a async_graphql::Value),
}
