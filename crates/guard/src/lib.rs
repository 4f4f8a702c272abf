//! Bounds checked before any work: a request's document is measured on its
//! text (size, nesting), parsed once, then measured again as a document —
//! selections after fragment expansion, depth, directives, input values and
//! the cost of what it may answer — all before async-graphql validates or
//! executes it. Fragments are measured once each and the figures reused, so a
//! document whose expansion doubles per fragment is refused in linear time,
//! never expanded.

mod coerce;
mod cost;
mod inputs;
mod shape;
pub mod types;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, Value, Variables};

pub use cost::Tally;
pub use types::SchemaTypes;

/// The configurable bounds. Every field has a variable of the same name in
/// upper case (see `config.rs` and `.env.example`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest document, in bytes.
    pub max_document_bytes: usize,
    /// Most selections (fields, aliases, fragment spreads) after fragment expansion.
    pub max_fields: u64,
    /// Deepest nesting of fields.
    pub max_depth: u32,
    /// Most directives on one field, fragment or operation.
    pub max_directives: usize,
    /// Deepest nesting of filters (`and`/`or`/`not` and relation hops together).
    pub max_filter_depth: u32,
    /// Most filter conditions in one request.
    pub max_filter_terms: u64,
    /// Most values bound into SQL by filters and searches in one request.
    pub max_query_parameters: u64,
    /// Most values in one input list (`in`, `notIn`, any list argument).
    pub max_list_values: usize,
    /// Most ids in one `nodes(ids:)`.
    pub max_node_ids: usize,
    /// Longest text operand (`search`, `contains`, `startsWith`, any filter text), in characters.
    pub max_text_length: usize,
    /// Highest cost of one operation: every field costs one, a list or
    /// connection its page size times its children.
    pub max_cost: u64,
    /// Highest total cost of the operations of one batch.
    pub max_batch_cost: u64,
    /// Most work one request's filters and orders may make the database do
    /// (see `cost::Tally::work`); a batch's operations together.
    pub max_database_work: u64,
    /// Most database reads one request may start: each root field,
    /// connection, relation, `totalCount`, `aggregate`, `groups` and statistic
    /// counts once wherever it is selected (nested ones read for all parents
    /// at once); a batch's operations together.
    pub max_reads: u64,
    /// Rows a connection returns without `first`/`last`.
    pub page_default: u64,
    /// Most rows a connection returns.
    pub page_max: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Limits {
    /// The defaults of the configuration (`config.rs` reads them from here).
    pub const DEFAULT: Limits = Limits {
        max_document_bytes: 65_536,
        max_fields: 2_000,
        max_depth: 15,
        max_directives: 5,
        max_filter_depth: 8,
        max_filter_terms: 200,
        max_query_parameters: 2_000,
        max_list_values: 1_000,
        max_node_ids: 100,
        max_text_length: 256,
        max_cost: 250_000,
        max_batch_cost: 250_000,
        max_reads: 100,
        max_database_work: 10_000,
        page_default: 100,
        page_max: 100,
    };

    /// Deepest bracket nesting (`{`, `[`, `(`) the text of a document may have:
    /// room for the deepest selection and the deepest filter inside it.
    pub fn max_nesting(&self) -> u32 {
        (self.max_depth * 2 + self.max_filter_depth * 3 + 8).max(64)
    }
}

/// Why a request was refused before it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// `LIMIT_EXCEEDED`, `BAD_USER_INPUT`, `FORBIDDEN` or `RATE_LIMITED`.
    pub code: &'static str,
    /// The variable that sets the bound, for `LIMIT_EXCEEDED`.
    pub limit: Option<&'static str>,
    /// The argument or input field at fault, when there is one.
    pub field: Option<String>,
    pub message: String,
}

impl Refusal {
    pub fn limit(limit: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            code: "LIMIT_EXCEEDED",
            limit: Some(limit),
            field: None,
            message: message.into(),
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Refusal {
            code: "BAD_USER_INPUT",
            limit: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Refusal {
            code: "FORBIDDEN",
            limit: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn into_server_error(self) -> ServerError {
        let mut error = ServerError::new(self.message, None);
        let ext = error.extensions.get_or_insert_with(Default::default);
        ext.set("code", Value::from(self.code));
        if let Some(limit) = self.limit {
            ext.set("limit", Value::from(limit));
        }
        if let Some(field) = self.field {
            ext.set("field", Value::from(field));
        }
        error
    }
}

impl From<service::Error> for Refusal {
    fn from(err: service::Error) -> Self {
        let refusal = Refusal::bad_input(err.to_string());
        match err.field() {
            Some(field) => refusal.at(field),
            None => refusal,
        }
    }
}

/// The checks, with what they know of the schema.
pub struct Guard {
    types: SchemaTypes,
    limits: Limits,
}

impl Guard {
    /// A guard for the schema that prints `sdl`.
    pub fn new(sdl: &str, limits: Limits) -> Result<Guard, String> {
        Ok(Guard {
            types: SchemaTypes::from_sdl(sdl)?,
            limits,
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn types(&self) -> &SchemaTypes {
        &self.types
    }

    /// Measures the text, then parses it. Parse errors say where, never what.
    pub fn parse(&self, query: &str) -> Result<ExecutableDocument, Refusal> {
        if query.len() > self.limits.max_document_bytes {
            return Err(Refusal::limit(
                "MAX_DOCUMENT_BYTES",
                format!(
                    "the document is longer than {} bytes",
                    self.limits.max_document_bytes
                ),
            ));
        }
        if nesting(query) > self.limits.max_nesting() {
            return Err(Refusal::limit(
                "MAX_FILTER_DEPTH",
                format!(
                    "the document nests brackets more than {} deep",
                    self.limits.max_nesting()
                ),
            ));
        }
        async_graphql::parser::parse_query(query).map_err(|err| Refusal::bad_input(brief(&err)))
    }

    /// Checks that the selected operation has every required variable.
    pub fn check_variables(
        &self,
        doc: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> Result<(), Refusal> {
        use async_graphql::parser::types::DocumentOperations;
        let operation = match (&doc.operations, operation_name) {
            (DocumentOperations::Single(op), _) => Some(&op.node),
            (DocumentOperations::Multiple(ops), Some(name)) => ops
                .iter()
                .find(|(n, _)| n.as_str() == name)
                .map(|(_, op)| &op.node),
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
                ops.values().next().map(|op| &op.node)
            }
            (DocumentOperations::Multiple(_), None) => None,
        };
        match operation {
            Some(operation) => inputs::required_variables(operation, variables),
            // No operation selected: async-graphql says which is missing.
            None => Ok(()),
        }
    }

    /// Checks a parsed document and its variables; the cost when it passes.
    pub fn check(&self, doc: &ExecutableDocument, variables: &Variables) -> Result<Tally, Refusal> {
        shape::check(doc, &self.limits)?;
        inputs::check(doc, variables, &self.types, &self.limits)?;
        let tally = self.tally(doc, variables);
        if tally.values > self.limits.max_cost {
            return Err(Refusal::limit(
                "MAX_COMPLEXITY",
                format!(
                    "the query is too complex: it may answer more than {} values (a list or connection counts its page size times its fields); ask for smaller pages or fewer nested lists",
                    self.limits.max_cost
                ),
            ));
        }
        self.check_reads(tally)?;
        Ok(tally)
    }

    fn check_reads(&self, tally: Tally) -> Result<(), Refusal> {
        if tally.work > self.limits.max_database_work {
            return Err(Refusal::limit(
                "MAX_DATABASE_WORK",
                format!(
                    "the filters and orders of the request may make the database do more than {} units of work (a relation filter through a to-many relation costs {} times what lies beyond it, an order by a related count {}); filter through fewer nested relations, or ask for less",
                    self.limits.max_database_work,
                    cost::FAN_OUT,
                    cost::COUNT_ORDER_WORK
                ),
            ));
        }
        if tally.reads > self.limits.max_reads {
            return Err(Refusal::limit(
                "MAX_READS",
                format!(
                    "the request may start more than {} database reads (each root field, connection, relation, totalCount, aggregate, groups and statistic counts once wherever it is selected); ask for fewer aliased or repeated fields",
                    self.limits.max_reads
                ),
            ));
        }
        Ok(())
    }

    /// The most values the document's operations may answer (saturating; the
    /// work stops soon after the cost passes the limit). The document must
    /// have passed [`shape::check`], so that fragments form no cycle.
    pub fn cost(&self, doc: &ExecutableDocument, variables: &Variables) -> u64 {
        self.tally(doc, variables).values
    }

    /// The cost and the reads of the document's operations.
    pub fn tally(&self, doc: &ExecutableDocument, variables: &Variables) -> Tally {
        cost::Costing::new(&self.types, &self.limits, doc, variables).document()
    }

    /// Checks the total cost and reads of a batch.
    pub fn check_batch(&self, total: Tally) -> Result<(), Refusal> {
        self.check_reads(total)?;
        let total = total.values;
        if total > self.limits.max_batch_cost {
            return Err(Refusal::limit(
                "MAX_BATCH_COST",
                format!(
                    "the operations of the batch together may answer more than {} values",
                    self.limits.max_batch_cost
                ),
            ));
        }
        Ok(())
    }
}

/// A parse error as where it is, without the document's text.
fn brief(err: &async_graphql::parser::Error) -> String {
    use async_graphql::parser::Error;
    let at = err
        .positions()
        .next()
        .map(|p| format!(" at line {}, column {}", p.line, p.column))
        .unwrap_or_default();
    match err {
        Error::Syntax { .. } => format!("the document is not valid GraphQL: syntax error{at}"),
        Error::MultipleOperations { .. } => {
            format!("an anonymous operation must be the only one in the document{at}")
        }
        Error::OperationDuplicated { .. } => format!("two operations share a name{at}"),
        Error::FragmentDuplicated { .. } => format!("two fragments share a name{at}"),
        Error::MissingOperation => "the document holds no operation".to_owned(),
        Error::RecursionLimitExceeded => "the document nests selections too deep".to_owned(),
        _ => format!("the document is not valid GraphQL{at}"),
    }
}

/// The deepest nesting of `{`, `[` and `(` in a GraphQL text, outside strings
/// and comments; linear, allocation-free.
fn nesting(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let (mut depth, mut max) = (0u32, 0u32);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests;
