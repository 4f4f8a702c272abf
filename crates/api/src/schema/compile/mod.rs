//! One statement per read, on PostgreSQL and SQLite: a query operation
//! becomes one `SELECT` that returns the answer's `data` as JSON text
//! (`service::query::json` owns the SQL). This module translates the
//! validated document's selection into that description, parsing arguments
//! with the schema's input types.
//!
//! What the service refuses (a page size, a cursor, a filter on a field the
//! caller may not read) is a refusal marker in the statement, answered with
//! the service's error at its place. A document the plan cannot answer is
//! refused whole (`NotPlanned::Refused`: fields that cannot be merged, an
//! object larger than a statement builds); anything else it does not
//! translate is a mistake of ours (`NotPlanned::Untranslated`, logged,
//! `INTERNAL`).
//!
//! Fields under one response key are merged, as the spec's `CollectFields`
//! does: a refused field asked twice is one `null` with one `FORBIDDEN`
//! error at its path, at its first location.

mod aggregate;
mod audit;
mod connection;
mod derived;
mod refusals;
mod statistics;
mod types;

pub(crate) use connection::{ConnectionArgs, connection};
pub use derived::place as place_derived;
pub use refusals::{Placed, Refusal, place as place_refusals};

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, FragmentDefinition, OperationType, Selection,
    SelectionSet, VariableDefinition,
};
use async_graphql::{InputType, Name, Pos, Positioned, Variables};
use async_graphql_value::{ConstValue, Value};
use sea_orm::sea_query::SelectStatement;
use service::Actor;
use service::query::json::{self, Nested};
use service::query::page::PageLimits;

/// Deepest fragment nesting followed (the guard bounds documents; this only
/// keeps a fragment cycle from looping, which validation refuses anyway).
const MAX_FRAGMENT_DEPTH: usize = 32;

/// A query operation as one statement.
pub struct Compiled {
    pub statement: SelectStatement,
    /// The refusals the statement may mark (`json::REFUSED`), by number.
    pub refusals: Vec<Refusal>,
    /// The response keys the statement answers, with where their fields
    /// start: where a failed read's error goes.
    pub roots: Vec<(String, Pos)>,
    /// The values the statement marks for computing after it
    /// (`json::DERIVED`), by number: the field asked and where.
    pub derived: Vec<(service::access::Field, Pos)>,
}

/// Why an operation is not answered by one statement.
pub enum NotPlanned {
    /// A part of it has no translation.
    Untranslated,
    /// The document is refused, with its code: it asks one response key for
    /// fields that cannot be merged (other fields, or other arguments:
    /// GraphQL's validation, "Overlapping fields can be merged", refuses such
    /// a document, which async-graphql's validator lets through), or an
    /// object with more response keys than an answer holds
    /// ([`Cx::fields`]). The error names the fields.
    Refused(async_graphql::ServerError),
}

/// The statement answering the selected query operation, if every part of it
/// translates.
pub fn compile(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
    actor: &Actor,
    limits: PageLimits,
    dialect: json::Dialect,
) -> Result<Compiled, NotPlanned> {
    let operation = operation_of(doc, operation_name).ok_or(NotPlanned::Untranslated)?;
    let parts = Operation {
        fragments: &doc.fragments,
        variables,
        definitions: &operation.variable_definitions,
    };
    let cx = Cx::new(parts, actor, limits, dialect);
    let planned = (|| {
        let mut fields = Vec::new();
        for field in cx.fields(&operation.selection_set.node, Types::Exactly(&["Query"]))? {
            fields.push((
                key(&field.node),
                position(&field.node),
                types::root(&cx, &field.node)?,
            ));
        }
        Some(fields)
    })();
    match planned {
        Some(fields) => cx.finish(fields).ok_or(NotPlanned::Untranslated),
        None => Err(cx.not_planned()),
    }
}

/// The query operation `operation_name` picks, if it is one this plans.
fn operation_of<'d>(
    doc: &'d ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'d async_graphql::parser::types::OperationDefinition> {
    let operation = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), None) => op,
        (DocumentOperations::Single(_), Some(_)) => return None,
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
        (DocumentOperations::Multiple(_), None) => return None,
    };
    let operation = &operation.node;
    if operation.ty != OperationType::Query || !operation.directives.is_empty() {
        return None;
    }
    Some(operation)
}

/// What a read of one row by key (a mutation's payload, a subscription
/// event's row) needs of its operation.
pub struct Operation<'a> {
    pub fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    pub variables: &'a Variables,
    pub definitions: &'a [Positioned<VariableDefinition>],
}

/// The statement answering `set` over the row of type `ty` with key `key`
/// (`null` when the actor may not see it), under the response key `node`.
pub fn compile_node(
    operation: Operation<'_>,
    actor: &Actor,
    limits: PageLimits,
    dialect: json::Dialect,
    ty: entity::NodeType,
    key: service::query::resource::Key,
    set: &SelectionSet,
) -> Result<Compiled, NotPlanned> {
    let cx = Cx::new(operation, actor, limits, dialect);
    let node = types::node_of(&cx, ty, key, set);
    cx.one(Pos::default(), node)
}

/// The statement answering one root field of a query, under the response
/// key [`NODE`] (the schema executes an operation root field by root field
/// when the plan does not take it whole: introspection beside data).
pub fn compile_root(
    operation: Operation<'_>,
    actor: &Actor,
    limits: PageLimits,
    dialect: json::Dialect,
    field: &Field,
) -> Result<Compiled, NotPlanned> {
    one_field(operation, actor, limits, dialect, field, types::root)
}

/// The statement answering `statistics(asOf:)` with the arguments and
/// selection of `field` (a `statisticsChanged` event), under the response
/// key [`NODE`].
pub fn compile_statistics(
    operation: Operation<'_>,
    actor: &Actor,
    limits: PageLimits,
    dialect: json::Dialect,
    field: &Field,
) -> Result<Compiled, NotPlanned> {
    one_field(
        operation,
        actor,
        limits,
        dialect,
        field,
        statistics::statistics,
    )
}

/// The statement answering `field` as `translate` reads it, under the
/// response key [`NODE`].
fn one_field(
    operation: Operation<'_>,
    actor: &Actor,
    limits: PageLimits,
    dialect: json::Dialect,
    field: &Field,
    translate: fn(&Cx<'_>, &Field) -> Option<Nested>,
) -> Result<Compiled, NotPlanned> {
    let cx = Cx::new(operation, actor, limits, dialect);
    let value = translate(&cx, field);
    cx.one(position(field), value)
}

/// The response key [`compile_node`]'s row is answered under.
pub const NODE: &str = "node";

/// What a request's translation reads: the document's fragments, the
/// variables, who asks.
pub(crate) struct Cx<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    variables: &'a Variables,
    definitions: &'a [Positioned<VariableDefinition>],
    pub(crate) actor: &'a Actor,
    pub(crate) limits: PageLimits,
    /// The SQL the statement is written in.
    pub(crate) dialect: json::Dialect,
    refusals: RefCell<Vec<Refusal>>,
    derived: RefCell<Vec<(service::access::Field, Pos)>>,
    /// The argument of the plain list whose rows are being translated
    /// (`mobilityBalance(academicYear:)`): what their figures are for.
    pub(crate) argument: RefCell<Option<String>>,
    /// Why the document is refused: the first response key asked for fields
    /// that cannot be merged, or the first object with too many keys.
    refused: RefCell<Option<async_graphql::ServerError>>,
}

/// The types a selection's fragments may name to apply.
#[derive(Clone, Copy)]
pub(crate) enum Types<'t> {
    /// The object's type and interfaces are known: fragments on other types
    /// do not apply. (An interface's rows are planned once per object type.)
    Exactly(&'t [&'t str]),
}

fn key(field: &Field) -> String {
    field.response_key().node.to_string()
}

/// Where a field starts in the document (its alias, if it has one): where
/// its errors point.
pub(crate) fn position(field: &Field) -> Pos {
    field
        .alias
        .as_ref()
        .map_or(field.name.pos, |alias| alias.pos)
}

impl<'a> Cx<'a> {
    fn new(
        operation: Operation<'a>,
        actor: &'a Actor,
        limits: PageLimits,
        dialect: json::Dialect,
    ) -> Self {
        Cx {
            fragments: operation.fragments,
            variables: operation.variables,
            definitions: operation.definitions,
            actor,
            limits,
            dialect,
            refusals: RefCell::new(Vec::new()),
            derived: RefCell::new(Vec::new()),
            argument: RefCell::new(None),
            refused: RefCell::new(None),
        }
    }

    /// Numbers a value of `field` at `pos` computed after the statement.
    pub(crate) fn derived(&self, field: service::access::Field, pos: Pos) -> usize {
        let mut derived = self.derived.borrow_mut();
        derived.push((field, pos));
        derived.len() - 1
    }

    /// The statement answering `fields` (response keys, where their fields
    /// start, and their values), with the refusals it may mark.
    fn finish(self, fields: Vec<(String, Pos, Nested)>) -> Option<Compiled> {
        let roots = fields
            .iter()
            .map(|(key, pos, _)| (key.clone(), *pos))
            .collect();
        let fields = fields
            .into_iter()
            .map(|(key, _, value)| (key, value))
            .collect();
        Some(Compiled {
            statement: json::statement(fields, self.dialect)?,
            refusals: self.refusals.into_inner(),
            roots,
            derived: self.derived.into_inner(),
        })
    }

    /// The statement answering `value` (translated from the field at
    /// `pos`) under the response key [`NODE`].
    fn one(self, pos: Pos, value: Option<Nested>) -> Result<Compiled, NotPlanned> {
        match value {
            Some(value) => self
                .finish(vec![(NODE.to_owned(), pos, value)])
                .ok_or(NotPlanned::Untranslated),
            None => Err(self.not_planned()),
        }
    }

    /// Why the selection was not planned.
    fn not_planned(&self) -> NotPlanned {
        match self.refused.take() {
            Some(error) => NotPlanned::Refused(error),
            None => NotPlanned::Untranslated,
        }
    }

    /// Numbers a refusal of the field at `pos` the role may not read,
    /// answered with `message` (the statement marks it; the field is
    /// nullable: its `null` stays in place).
    pub(crate) fn refusal(&self, message: String, pos: Pos) -> usize {
        let error = crate::schema::error::to_gql(&service::Error::Forbidden(message));
        self.refuse_with(error.into_server_error(pos), true)
    }

    /// Numbers a refusal of the field at `pos` whose request the service
    /// refuses with `error` (its arguments): the error the client gets at
    /// every place the field is asked, its `null` bubbling up as a non-null
    /// field's does. `None` for an internal error: the field does not
    /// translate.
    pub(crate) fn refuse(&self, error: service::Error, pos: Pos) -> Option<usize> {
        if error.is_internal() {
            return None;
        }
        let error = crate::schema::error::to_gql(&error).into_server_error(pos);
        Some(self.refuse_with(error, false))
    }

    fn refuse_with(&self, error: async_graphql::ServerError, in_place: bool) -> usize {
        let mut refusals = self.refusals.borrow_mut();
        refusals.push(Refusal::new(error, in_place));
        refusals.len() - 1
    }

    /// A value refused with `error` at `pos` ([`Cx::refuse`]).
    pub(crate) fn refused(&self, error: service::Error, pos: Pos) -> Option<Nested> {
        Some(json::refused(self.refuse(error, pos)?, self.dialect))
    }

    /// The fields a selection set asks for, fragments flattened, `@skip` and
    /// `@include` applied, fields under one response key merged (their
    /// selections joined, as GraphQL's field collection does); `None` when a
    /// fragment's type cannot be decided, one key names different fields or
    /// the object would have more keys than one object of an answer holds
    /// ([`json::MAX_KEYS`], each at most [`json::LONGEST_KEY`] bytes long:
    /// the request is refused, `LIMIT_EXCEEDED`).
    pub(crate) fn fields<'s>(
        &self,
        set: &'s SelectionSet,
        types: Types<'_>,
    ) -> Option<Vec<Cow<'s, Positioned<Field>>>>
    where
        'a: 's,
    {
        self.fields_within(set, types, json::MAX_KEYS)
    }

    /// [`Cx::fields`] of an object that holds at most `most` keys (an
    /// aggregate's objects hold fewer, [`json::MAX_AGGREGATE_KEYS`]).
    pub(crate) fn fields_within<'s>(
        &self,
        set: &'s SelectionSet,
        types: Types<'_>,
        most: usize,
    ) -> Option<Vec<Cow<'s, Positioned<Field>>>>
    where
        'a: 's,
    {
        let mut out = Vec::new();
        let mut keys = HashMap::new();
        self.collect(set, types, &mut out, &mut keys, 0)?;
        if let Some(field) = out.get(most) {
            self.refuse_document(
                format!("an object of the answer has at most {most} fields (aliases included)"),
                position(&field.node),
            );
            return None;
        }
        if let Some(field) = out
            .iter()
            .find(|field| key(&field.node).len() > json::LONGEST_KEY)
        {
            self.refuse_document(
                format!("an alias is at most {} characters long", json::LONGEST_KEY),
                position(&field.node),
            );
            return None;
        }
        Some(out)
    }

    /// Refuses the document for asking an object too large (the first such
    /// refusal stands).
    fn refuse_document(&self, message: String, pos: Pos) {
        let mut error = async_graphql::ServerError::new(message, Some(pos));
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "LIMIT_EXCEEDED");
        self.refused.borrow_mut().get_or_insert(error);
    }

    fn collect<'s>(
        &self,
        set: &'s SelectionSet,
        types: Types<'_>,
        out: &mut Vec<Cow<'s, Positioned<Field>>>,
        keys: &mut HashMap<&'s str, usize>,
        depth: usize,
    ) -> Option<()>
    where
        'a: 's,
    {
        if depth > MAX_FRAGMENT_DEPTH {
            return None;
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    if !self.included(&field.node.directives)? {
                        continue;
                    }
                    let key = field.node.response_key().node.as_str();
                    match keys.get(key) {
                        None => {
                            keys.insert(key, out.len());
                            out.push(Cow::Borrowed(field));
                        }
                        Some(&at) => {
                            if merge(&mut out[at], field).is_none() {
                                self.conflicting(key, &out[at], field);
                                return None;
                            }
                        }
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if !self.included(&spread.node.directives)? {
                        continue;
                    }
                    let fragment = &self.fragments.get(&spread.node.fragment_name.node)?.node;
                    if !fragment.directives.is_empty() {
                        return None;
                    }
                    if applies(types, fragment.type_condition.node.on.node.as_str())? {
                        self.collect(&fragment.selection_set.node, types, out, keys, depth + 1)?;
                    }
                }
                Selection::InlineFragment(inline) => {
                    if !self.included(&inline.node.directives)? {
                        continue;
                    }
                    let applies = match &inline.node.type_condition {
                        Some(condition) => applies(types, condition.node.on.node.as_str())?,
                        None => true,
                    };
                    if applies {
                        self.collect(&inline.node.selection_set.node, types, out, keys, depth + 1)?;
                    }
                }
            }
        }
        Some(())
    }

    /// Records that `key` asks for `first` and `then`, which cannot be
    /// merged, in graphql-js's words.
    fn conflicting(&self, key: &str, first: &Positioned<Field>, then: &Positioned<Field>) {
        let (a, b) = (&first.node.name.node, &then.node.name.node);
        let why = if a == b {
            "they have differing arguments".to_owned()
        } else {
            format!("\"{a}\" and \"{b}\" are different fields")
        };
        let mut error = async_graphql::ServerError::new(
            format!(
                "Fields \"{key}\" conflict because {why}. Use different aliases on the \
                 fields to fetch both if this was intentional."
            ),
            Some(first.pos),
        );
        error.locations.push(then.pos);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "BAD_USER_INPUT");
        self.refused.borrow_mut().get_or_insert(error);
    }

    /// `@skip(if:)` and `@include(if:)`; `None` for any other directive.
    fn included(
        &self,
        directives: &[Positioned<async_graphql::parser::types::Directive>],
    ) -> Option<bool> {
        let mut included = true;
        for directive in directives {
            let condition = match directive.node.get_argument("if") {
                Some(value) => self.constant(&value.node)?,
                None => return None,
            };
            let ConstValue::Boolean(condition) = condition else {
                return None;
            };
            match directive.node.name.node.as_str() {
                "skip" => included &= !condition,
                "include" => included &= condition,
                _ => return None,
            }
        }
        Some(included)
    }

    /// A value with its variables replaced (their defaults where not given);
    /// `None` when a variable has no value.
    fn constant(&self, value: &Value) -> Option<ConstValue> {
        value
            .clone()
            .into_const_with(|name: Name| {
                self.variables
                    .get(&name)
                    .cloned()
                    .or_else(|| {
                        self.definitions
                            .iter()
                            .find(|d| d.node.name.node == name)
                            .and_then(|d| d.node.default_value().cloned())
                    })
                    .ok_or(())
            })
            .ok()
    }

    /// An argument's value, variables replaced (`null` when not given);
    /// `None` when a variable has no value.
    pub(crate) fn argument(&self, field: &Field, name: &str) -> Option<ConstValue> {
        match field.get_argument(name) {
            Some(value) => self.constant(&value.node),
            None => Some(ConstValue::Null),
        }
    }

    /// An argument parsed as its input type; `None` when it does not parse
    /// (validation has refused such a document before).
    pub(crate) fn arg<T: InputType>(&self, field: &Field, name: &str) -> Option<T> {
        let value = match field.get_argument(name) {
            Some(value) => Some(self.constant(&value.node)?),
            None => None,
        };
        T::parse(value).ok()
    }
}

/// Adds `field` to the field collected under the same response key: the
/// same field with the same arguments (validation says so; `None` if not),
/// its selection joined to the first one's. The first one's position stays.
fn merge<'s>(
    collected: &mut Cow<'s, Positioned<Field>>,
    field: &'s Positioned<Field>,
) -> Option<()> {
    let first = &collected.node;
    if first.name.node != field.node.name.node || first.arguments != field.node.arguments {
        return None;
    }
    if !field.node.selection_set.node.items.is_empty() {
        collected
            .to_mut()
            .node
            .selection_set
            .node
            .items
            .extend(field.node.selection_set.node.items.iter().cloned());
    }
    Some(())
}

/// Whether a fragment on `condition` applies to the rows of `types`.
fn applies(types: Types<'_>, condition: &str) -> Option<bool> {
    match types {
        Types::Exactly(names) => Some(names.contains(&condition)),
    }
}
