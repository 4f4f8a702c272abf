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
    /// `LIMIT_EXCEEDED`, `BAD_USER_INPUT` or `FORBIDDEN`.
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
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        assert_eq!(nesting("{ a { b(x: [1]) } }"), 4);
        assert_eq!(nesting(r#"{ a(s: "{{{{[[[") }"#), 2);
        assert_eq!(nesting("{ a # {{{{{\n }"), 1);
        assert_eq!(nesting(r#"{ a(s: """ {{{ \""" {{ """) }"#), 2);
        assert_eq!(nesting(r#"{ a(s: "\"{{") }"#), 2);
    }

    #[test]
    fn parse_errors_say_where_without_the_text() {
        let guard = Guard::new("type Query { a: Int }", Limits::default()).expect("guard");
        let err = guard.parse("{ secret_value(").expect_err("refused");
        assert_eq!(err.code, "BAD_USER_INPUT");
        assert!(err.message.contains("line 1"), "{}", err.message);
        assert!(!err.message.contains("secret_value"), "{}", err.message);
    }

    fn schema_guard() -> Guard {
        Guard::new(&crate::schema::build(None).sdl(), Limits::default()).expect("guard")
    }

    /// DESIGN.md's `PartnershipWeek` example.
    const PARTNERSHIP_WEEK: &str = "query PartnershipWeek { events(first: 1, filter: { kind: { eq: PARTNERSHIP_WEEK } }) {
               nodes { name startsOn endsOn activities { nodes { name kind startsOn } }
                 agreements { nodes { title kind status signedOn
                   parties { role organization { name country { name } } signatory { fullName title } }
                   fieldsOfStudy { code name } } } } } }";

    fn cost_of(guard: &Guard, query: &str) -> u64 {
        tally_of(guard, query).values
    }

    fn tally_of(guard: &Guard, query: &str) -> Tally {
        let doc = guard.parse(query).expect("parses");
        guard
            .check(&doc, &Variables::default())
            .unwrap_or_else(|e| panic!("{}: {query}", e.message))
    }

    #[test]
    fn the_design_examples_pass_the_default_limits() {
        let guard = schema_guard();
        let week = cost_of(&guard, PARTNERSHIP_WEEK);
        assert!((45_000..60_000).contains(&week), "{week}");
        let germany = cost_of(
            &guard,
            r#"query PartnersInGermany { organizations(first: 20, filter: { countryCode: { eq: "DE" } },
               orderBy: [{ field: NAME, direction: ASC }]) { totalCount pageInfo { hasNextPage endCursor }
               nodes { id name kind city country { code name } ... on Company { industry }
                 agreements(filter: { status: { eq: ACTIVE } }) { totalCount nodes { title kind signedOn } } } } }"#,
        );
        assert!(germany < 10_000, "{germany}");
        let introspection = cost_of(
            &guard,
            include_str!("../../../../tests/tests/introspection.graphql"),
        );
        assert!((10_000..60_000).contains(&introspection), "{introspection}");
        // README quotes these figures: they are this test's.
        let thousands = |n: u64| {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        let readme = include_str!("../../../../README.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let quoted = format!(
            "`PartnershipWeek` costs {}, `PartnersInGermany` {}, GraphiQL's full introspection query {}.",
            thousands(week),
            thousands(germany),
            thousands(introspection)
        );
        assert!(readme.contains(&quoted), "README should say: {quoted}");
    }

    #[test]
    fn reads_count_each_place_once_not_each_row() {
        let guard = schema_guard();
        let week = tally_of(&guard, PARTNERSHIP_WEEK);
        // events, activities, agreements, parties, organization, country,
        // signatory, fieldsOfStudy
        assert_eq!(week.reads, 8);
        // organizations, totalCount, aggregate, groups, the groups' countries
        let groups = tally_of(
            &guard,
            "{ organizations { totalCount aggregate { count min { foundedYear } }
               groups(by: [COUNTRY]) { key { country { name } } count aggregate { count } } } }",
        );
        assert_eq!(groups.reads, 5);
        let statistics = tally_of(
            &guard,
            "{ statistics { asOf partnerOrganizations studentsByNationality { country { name } count } } }",
        );
        assert_eq!(statistics.reads, 4);
        // Aliases multiply reads while the cost stays low.
        let aliased = |n: usize| {
            (0..n)
                .map(|i| format!("a{i}: organizations {{ aggregate {{ count }} }}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let fifty = tally_of(&guard, &format!("{{ {} }}", aliased(50)));
        assert_eq!(fifty.reads, 100);
        let doc = guard
            .parse(&format!("{{ {} }}", aliased(51)))
            .expect("parses");
        let refusal = guard
            .check(&doc, &Variables::default())
            .expect_err("refused");
        assert_eq!(refusal.limit, Some("MAX_READS"));
        assert!(guard.cost(&doc, &Variables::default()) < 1_000);
        // A batch counts its operations' reads together.
        assert_eq!(
            guard.check_batch(fifty + week).map_err(|r| r.limit),
            Err(Some("MAX_READS"))
        );
        assert!(guard.check_batch(groups + week).is_ok());
    }

    #[test]
    fn every_readme_example_passes_the_default_limits() {
        let guard = schema_guard();
        let readme = include_str!("../../../../README.md");
        let mut blocks = 0;
        for block in readme.split("```graphql").skip(1) {
            let text = block.split("```").next().unwrap_or_default();
            let doc = guard
                .parse(text)
                .unwrap_or_else(|e| panic!("{}: {text}", e.message));
            if let Err(e) = guard.check(&doc, &Variables::default()) {
                panic!("{}: {text}", e.message);
            }
            blocks += 1;
        }
        assert!(blocks >= 5, "{blocks} examples");
    }

    #[test]
    fn a_connection_costs_the_same_through_an_interface() {
        let guard = schema_guard();
        let through_interface = cost_of(
            &guard,
            "{ organizations(first: 10) { nodes { agreements(first: 10) { nodes { id } } } } }",
        );
        let on_implementation = cost_of(
            &guard,
            "{ organizations(first: 10) { nodes { ... on University { agreements(first: 10) { nodes { id } } } } } }",
        );
        // 1 + 1 + 10 × (1 + 1 + 10 × 1)
        assert_eq!(through_interface, 122);
        assert_eq!(on_implementation, through_interface);
    }

    #[test]
    fn fragments_are_costed_once_however_often_they_are_spread() {
        let guard = schema_guard();
        let mut doc = String::from("query { ...F30 } fragment F0 on Query { viewer { role } }");
        for i in 1..=30 {
            doc.push_str(&format!(
                " fragment F{i} on Query {{ ...F{p} ...F{p} }}",
                p = i - 1
            ));
        }
        let parsed = guard.parse(&doc).expect("parses");
        // Refused for its expansion, in no time, and costed without expanding.
        let refusal = guard
            .check(&parsed, &Variables::default())
            .expect_err("refused");
        assert_eq!(refusal.limit, Some("MAX_FIELDS"));
        assert_eq!(guard.cost(&parsed, &Variables::default()), 2 << 30);
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let guard = Guard::new("type Query { a: Int }", Limits::default()).expect("guard");
        let deep = format!("{{ a(x: {}1{}) }}", "[".repeat(10_000), "]".repeat(10_000));
        let err = guard.parse(&deep).expect_err("refused");
        assert_eq!(err.limit, Some("MAX_FILTER_DEPTH"));
    }

    /// The 152-byte anonymous filter of the "every door guarded" issue.
    const EVERY_NONE_SOME: &str = r#"{ organizations(first:1, filter:{agreements:{every:{parties:{none:{organization:{agreements:{some:{title:{contains:"zzq"}}}}}}}}}) { nodes { id } } }"#;

    fn refusal_of(guard: &Guard, query: &str, variables: Variables) -> Option<Refusal> {
        let doc = guard.parse(query).expect("parses");
        guard.check(&doc, &variables).err()
    }

    #[test]
    fn filters_and_orders_are_priced_by_the_work_they_make() {
        let guard = schema_guard();
        // Three nested to-many hops: 20 × (1 + 20 × (1 + 1 + 20 × 2)).
        let refusal = refusal_of(&guard, EVERY_NONE_SOME, Variables::default()).expect("refused");
        let doc = guard.parse(EVERY_NONE_SOME).expect("parses");
        // README: "three cost 16,820".
        assert_eq!(guard.tally(&doc, &Variables::default()).work, 16_820);
        assert_eq!(
            refusal.limit,
            Some("MAX_DATABASE_WORK"),
            "{}",
            refusal.message
        );
        // The same through a variable.
        let doc = "query($f: OrganizationFilter) { organizations(first: 1, filter: $f) { nodes { id } } }";
        let filter = serde_json::json!({ "agreements": { "every": { "parties": { "none": {
            "organization": { "agreements": { "some": { "title": { "contains": "zzq" } } } } } } } } });
        let variables = Variables::from_json(serde_json::json!({ "f": filter }));
        let refusal = refusal_of(&guard, doc, variables).expect("refused");
        assert_eq!(refusal.limit, Some("MAX_DATABASE_WORK"));
        // Two hops, and plain conditions, pass.
        let two = tally_of(
            &guard,
            r#"{ organizations(filter: { agreements: { some: { parties: { some: { role: { eq: LEAD } } } } }, name: { startsWith: "U" } }) { totalCount } }"#,
        );
        assert_eq!(two.work, 20 * (1 + 20 * 2) + 1);
        // Orders by related counts: a few pass, 25 aliased do not.
        let counts = |n: usize| {
            (0..n)
                .map(|i| format!("o{i}: organizations(first: 1, orderBy: [{{ field: AGREEMENTS_COUNT }}]) {{ nodes {{ id }} }}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            tally_of(&guard, &format!("{{ {} }}", counts(3))).work,
            3_000
        );
        let refusal = refusal_of(
            &guard,
            &format!("{{ {} }}", counts(25)),
            Variables::default(),
        )
        .expect("refused");
        assert_eq!(refusal.limit, Some("MAX_DATABASE_WORK"));
        // Every README and DESIGN example stays far below the bound.
        assert_eq!(tally_of(&guard, PARTNERSHIP_WEEK).work, 1);
    }
}
