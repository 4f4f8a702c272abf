//! One statement per read (PostgreSQL): a query whose fields all translate is
//! answered by one SQL statement that builds the JSON (`schema::compile`,
//! `service::query::json`), from its first run on (validated, then planned),
//! for every role; its first and next runs answer the same bytes. The
//! `graphql_one_statement_reads_total` counter says whether the whole
//! operation was one statement (else the schema read it root field by root
//! field through the plan). What the answers hold is the oracle's to check
//! (`tests/tests/oracle/`).

use e2e::{TestServer, WsClient, global_id, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

mod documents;
mod refusals;
mod shapes;

fn without_request_ids(mut body: Value) -> Value {
    if let Some(errors) = body["errors"].as_array_mut() {
        for error in errors {
            if let Some(extensions) = error["extensions"].as_object_mut() {
                extensions.remove("requestId");
            }
        }
    }
    body
}

/// Who asks.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    Partner,
    Staff,
    Admin,
}

const EVERYONE: &[Who] = &[Who::Anonymous, Who::Partner, Who::Staff, Who::Admin];

struct World {
    server: TestServer,
    partner: i64,
}

impl World {
    async fn new() -> World {
        let server = TestServer::demo().await;
        let db = server.db.connect().await;
        let partner = sql_ids(
            &db,
            "SELECT home_organization_id AS id FROM students WHERE home_organization_id IS NOT NULL
             GROUP BY home_organization_id ORDER BY COUNT(*) DESC, home_organization_id LIMIT 1",
        )
        .await;
        World {
            server,
            partner: partner[0],
        }
    }

    /// Renews the first active agreement (the demo data has no renewal;
    /// one made now has an instant with a fraction of a second): the
    /// renewed agreement's row id.
    async fn renew(&self) -> i64 {
        let db = self.server.db.connect().await;
        let active = sql_ids(
            &db,
            "SELECT id FROM agreements WHERE status = 'active' ORDER BY id LIMIT 1",
        )
        .await;
        let id = global_id("Agreement", active[0]);
        let version = self.server.version_of("Agreement", &id).await;
        let renewal = self
            .server
            .post(
                "mutation($input: RenewAgreementInput!) { renewAgreement(input: $input) { agreement { id } } }",
                json!({ "input": { "id": id, "version": version } }),
            )
            .await;
        assert!(
            renewal["data"]["renewAgreement"]["agreement"]["id"].is_string(),
            "{renewal:#}"
        );
        active[0]
    }

    /// The token `who` presents, if any.
    fn bearer(&self, who: Who) -> Option<String> {
        match who {
            Who::Anonymous => None,
            Who::Partner => Some(token(Role::Partner, Some(self.partner))),
            Who::Staff => Some(token(Role::Staff, None)),
            Who::Admin => Some(token(Role::Admin, None)),
        }
    }

    /// The raw body of one POST to the server.
    async fn raw(&self, who: Who, query: &str, variables: &Value) -> String {
        let url = &self.server.url;
        let mut request = self
            .server
            .client
            .post(url)
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(bearer) = self.bearer(who) {
            request = request.header("authorization", format!("Bearer {bearer}"));
        }
        let response = request.send().await.expect("send");
        assert_eq!(response.status().as_u16(), 200, "{query}");
        response.text().await.expect("a body")
    }

    async fn one_statement_reads(&self) -> u64 {
        self.server
            .metric("graphql_one_statement_reads_total")
            .await
    }

    /// Sends `query` as `who` twice (a document's first run and the runs
    /// after it): both answers must be the same bytes (but for the request
    /// ids of errors). Returns the answer and how many of the two runs were
    /// one statement.
    async fn twice(&self, who: Who, query: &str, variables: Value) -> (Value, u64) {
        let before = self.one_statement_reads().await;
        let first = self.raw(who, query, &variables).await;
        let next = self.raw(who, query, &variables).await;
        let compiled = self.one_statement_reads().await - before;
        let body: Value = serde_json::from_str(&first).expect("JSON");
        let answer: Value = serde_json::from_str(&next).expect("JSON");
        assert_eq!(
            without_request_ids(body.clone()).to_string(),
            without_request_ids(answer).to_string(),
            "{who:?}: the next run differs from the first\nquery: {query}\nvariables: {variables}"
        );
        (body, compiled)
    }

    /// `query` must answer without errors, as one statement.
    async fn compiles(&self, who: Who, query: &str, variables: Value) -> Value {
        let (body, compiled) = self.twice(who, query, variables).await;
        assert!(body.get("errors").is_none(), "{who:?}: {body:#}\n{query}");
        assert_eq!(
            compiled, 2,
            "{who:?}: one statement on both databases\n{query}"
        );
        body
    }

    /// `query` must answer with refused fields only (`FORBIDDEN`), as one
    /// statement.
    async fn refuses(&self, who: Who, query: &str, variables: Value) -> Value {
        let (body, compiled) = self.twice(who, query, variables).await;
        let errors = body["errors"].as_array().expect("refusals");
        assert!(
            errors
                .iter()
                .all(|e| e["extensions"]["code"] == "FORBIDDEN"),
            "{who:?}: {body:#}"
        );
        assert_eq!(
            compiled, 2,
            "{who:?}: one statement on both databases\n{query}"
        );
        body
    }

    /// `query`'s arguments are refused, as one statement.
    async fn refuses_arguments(&self, who: Who, query: &str) -> Value {
        let (body, compiled) = self.twice(who, query, json!({})).await;
        assert!(body.get("errors").is_some(), "{who:?}: refused\n{query}");
        assert_eq!(compiled, 2, "{who:?}: one statement\n{query}");
        body
    }
}

const DIRECTORY: &str = r#"query Directory {
  organizations(first: 50, filter: { countryCode: { eq: "DE" } }, orderBy: [{ field: NAME, direction: ASC }]) {
    nodes { id name kind city country { name } }
  }
}"#;

const NESTED: &str = r#"query Nested {
  agreements(first: 50, filter: { status: { eq: ACTIVE } }, orderBy: [{ field: SIGNED_ON, direction: DESC }]) {
    nodes {
      id title kind signedOn
      parties { role organization { name country { name } } signatory { fullName } }
      fieldsOfStudy { code name }
    }
  }
}"#;

const DEEP: &str = r#"query Deep {
  universities(first: 20, orderBy: [{ field: ID, direction: ASC }]) {
    nodes {
      id name
      programs(first: 10, orderBy: [{ field: ID, direction: ASC }]) {
        nodes {
          id name
          students(first: 10, orderBy: [{ field: ID, direction: ASC }]) {
            nodes { fullName nationality { name } }
          }
        }
      }
    }
  }
}"#;

const NODE: &str = r#"query NodeLookup($id: ID!) {
  node(id: $id) {
    __typename
    ... on Agreement {
      id title kind status signedOn
      parties { role organization { id name } signatory { fullName } }
    }
    ... on Person { fullName }
  }
}"#;

#[tokio::test]
async fn the_benchmark_questions_are_one_statement() {
    let world = World::new().await;
    for who in EVERYONE {
        let body = world.compiles(*who, DIRECTORY, json!({})).await;
        assert!(
            !body["data"]["organizations"]["nodes"]
                .as_array()
                .expect("nodes")
                .is_empty(),
            "the demo data has organizations in Germany"
        );
        world.compiles(*who, NESTED, json!({})).await;
    }
    // Students are not public: the anonymous caller's pages are empty, the
    // same way on both paths.
    for who in [Who::Anonymous, Who::Partner, Who::Staff] {
        world.compiles(who, DEEP, json!({})).await;
    }
    let agreement = global_id("Agreement", 1);
    for who in EVERYONE {
        let body = world.compiles(*who, NODE, json!({ "id": agreement })).await;
        assert_eq!(body["data"]["node"]["__typename"], "Agreement");
    }
    // A row the caller may not see is `null`.
    let student = global_id("Student", 1);
    let body = world
        .compiles(
            Who::Anonymous,
            "query($id: ID!) { node(id: $id) { ... on Student { fullName } } }",
            json!({ "id": student }),
        )
        .await;
    assert_eq!(body["data"]["node"], Value::Null);
}

#[tokio::test]
async fn paging_filters_and_fragments_are_one_statement() {
    let world = World::new().await;
    let queries = [
        // Aliases, a named fragment, __typename, totalCount, skip/include.
        (
            r#"query Q($skip: Boolean!) {
              list: organizations(first: 5, orderBy: [{ field: NAME, direction: DESC }]) {
                __typename
                count: totalCount
                nodes { ...Org kind @skip(if: $skip) countryCode @include(if: $skip) }
              }
            }
            fragment Org on Organization { __typename id label: name foundedYear isHome }"#,
            json!({ "skip": true }),
        ),
        // Paging backwards, and forwards after a cursor.
        (
            r#"{ agreements(last: 3, orderBy: [{ field: TITLE }]) { totalCount nodes { title status } } }"#,
            json!({}),
        ),
        // Relation filters and search.
        (
            r#"query($q: String) { organizations(first: 10, search: $q,
                filter: { or: [{ kind: { eq: COMPANY } }, { agreements: { some: { status: { eq: ACTIVE } } } }] }) {
                totalCount nodes { name kind agreements(first: 2) { totalCount nodes { title } } }
            } }"#,
            json!({ "q": "u" }),
        ),
        // Nested pages under countries, people and programs of agreements.
        (
            r#"{ countries(first: 5, filter: { code: { in: ["DE", "FR", "CN"] } }) {
                nodes { id code name region
                  organizations(first: 3) { nodes { id name } }
                  students(first: 2, orderBy: [{ field: FULL_NAME }]) { totalCount nodes { fullName nationalityCode status degreeLevel enrolledOn leavesOn } }
                } } }"#,
            json!({}),
        ),
        (
            r#"{ people(first: 10) { nodes { id fullName title nationalityCode nationality { code } organization { name } version } } }"#,
            json!({}),
        ),
        (
            r#"{ programs(first: 10) { nodes { id name kind languageCode startsOn endsOn capacity
                agreement { title predecessor { title } parties { role agreement { title } } }
                hostOrganization { name } fieldOfStudy { id code name } } } }"#,
            json!({}),
        ),
        (
            r#"{ fieldsOfStudy(first: 20, orderBy: [{ field: NAME }]) { nodes { id code name } } }"#,
            json!({}),
        ),
        // Orders by related fields and counts, and a search by relevance.
        (
            r#"query($q: String) {
              found: organizations(first: 10, search: $q) { totalCount nodes { name } }
              byCountry: organizations(first: 7, orderBy: [{ field: COUNTRY_NAME, direction: DESC }, { field: AGREEMENTS_COUNT }]) { nodes { id name } }
              students(first: 5, orderBy: [{ field: NATIONALITY_NAME }]) { nodes { id fullName } }
              countries(first: 2, filter: { code: { in: ["DE", "CN"] } }) {
                nodes { organizations(first: 3, orderBy: [{ field: STUDENTS_COUNT, direction: DESC }]) { nodes { name } } } }
            }"#,
            json!({ "q": "univ tech" }),
        ),
    ];
    for (query, variables) in queries {
        for who in EVERYONE {
            world.compiles(*who, query, variables.clone()).await;
        }
    }
    // Relay's form: edges with cursors and pageInfo, at the root and nested,
    // forwards and backwards, with texts, dates, nullable keys, related and
    // counted keys, and search relevance in the cursors.
    let relay = [
        (
            r#"query RelayDirectory {
              organizations(first: 50, filter: { countryCode: { eq: "DE" } }, orderBy: [{ field: NAME, direction: ASC }]) {
                totalCount
                pageInfo { hasNextPage endCursor }
                edges { cursor node { id name kind city country { name } } }
              }
            }"#,
            json!({}),
        ),
        (
            r#"{ agreements(last: 4, orderBy: [{ field: SIGNED_ON, direction: DESC }]) {
                __typename
                pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
                edges { __typename cursor node { title signedOn parties { role } } }
                nodes { title }
            } }"#,
            json!({}),
        ),
        (
            r#"query($q: String) { organizations(first: 3, search: $q, orderBy: [{ field: COUNTRY_NAME }, { field: AGREEMENTS_COUNT, direction: DESC }]) {
                pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
                edges { cursor node { name
                  people(first: 2) { pageInfo { hasNextPage endCursor } edges { cursor node { fullName } } }
                } }
            } }"#,
            json!({ "q": "univ" }),
        ),
        (
            r#"{ countries(first: 2, filter: { code: { in: ["DE", "CN", "FR"] } }) {
                edges { node { code students(first: 3, orderBy: [{ field: HOME_NAME }]) {
                  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                  edges { cursor } } } }
            } }"#,
            json!({}),
        ),
        (
            r#"{ programs(first: 0) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } } }"#,
            json!({}),
        ),
    ];
    for (query, variables) in relay {
        for who in EVERYONE {
            world.compiles(*who, query, variables.clone()).await;
        }
    }
    // Walking a connection by its cursors, forwards to the end and back to
    // the start, is one statement at every step: by a text, and by
    // an instant (a renewal made now has a fraction of a second).
    world.renew().await;
    let total = world
        .server
        .data("{ agreements { totalCount } }", json!({}))
        .await["agreements"]["totalCount"]
        .as_u64()
        .expect("a count");
    // SIGNED_ON is nullable (drafts): after a cursor, the rows span its
    // values and its NULLs, both read by the one statement.
    let orders = [
        ("TITLE", "DESC"),
        ("CREATED_AT", "DESC"),
        ("SIGNED_ON", "ASC"),
        ("SIGNED_ON", "DESC"),
    ];
    for (order, direction) in orders {
        let walk = format!(
            "query($first: Int, $after: String, $last: Int, $before: String) {{
              agreements(first: $first, after: $after, last: $last, before: $before,
                         orderBy: [{{ field: {order}, direction: {direction} }}]) {{
                pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
                edges {{ cursor node {{ title createdAt signedOn }} }}
              }} }}"
        );
        let mut after = Value::Null;
        let mut seen = 0;
        loop {
            let body = world
                .compiles(Who::Staff, &walk, json!({ "first": 40, "after": after }))
                .await;
            let page = &body["data"]["agreements"];
            seen += page["edges"].as_array().expect("edges").len();
            if page["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(
            seen as u64, total,
            "{order}: the forward walk sees every row once"
        );
        let mut before = Value::Null;
        let mut back = 0;
        loop {
            let body = world
                .compiles(Who::Staff, &walk, json!({ "last": 40, "before": before }))
                .await;
            let page = &body["data"]["agreements"];
            back += page["edges"].as_array().expect("edges").len();
            if page["pageInfo"]["hasPreviousPage"] != json!(true) {
                break;
            }
            before = page["pageInfo"]["startCursor"].clone();
        }
        assert_eq!(
            back as u64, total,
            "{order}: the backward walk sees every row once"
        );
    }
    // A cursor from one page starts the next, in one statement.
    let edges = world
        .server
        .data(
            "{ organizations(first: 2) { edges { cursor } } }",
            json!({}),
        )
        .await;
    let cursor = edges["organizations"]["edges"][1]["cursor"].clone();
    let next = world
        .compiles(
            Who::Staff,
            "query($after: String) { organizations(first: 2, after: $after) { nodes { id name } } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(
        next["data"]["organizations"]["nodes"]
            .as_array()
            .expect("nodes")
            .len(),
        2
    );
}
