//! One statement per read (PostgreSQL): a query whose fields all translate is
//! answered by one SQL statement that builds the JSON (`schema::compile`,
//! `service::query::json`), from its first run on (validated, then planned).
//! Each query is asked of the server and of a replica over the same
//! database that answers through the resolvers only (`ONE_STATEMENT_READS=
//! false`): the answers must be the same bytes, for every role. The
//! `graphql_one_statement_reads_total` counter says which path answered; on
//! SQLite every answer comes from the resolvers.

use e2e::{Replica, TestServer, WsClient, global_id, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

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
    /// The same database through the resolvers only.
    reference: Replica,
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
        let reference = server
            .replica_with(|config| config.one_statement_reads = false)
            .await;
        World {
            server,
            reference,
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

    /// The raw body of one POST to `url`.
    async fn raw_at(&self, url: &str, who: Who, query: &str, variables: &Value) -> String {
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

    /// The raw body of one POST to the server.
    async fn raw(&self, who: Who, query: &str, variables: &Value) -> String {
        self.raw_at(&self.server.url, who, query, variables).await
    }

    async fn one_statement_reads(&self) -> u64 {
        self.server
            .metric("graphql_one_statement_reads_total")
            .await
    }

    /// Sends `query` as `who` to the resolvers-only replica, then twice to
    /// the server (a document's first run and the runs after it): all three
    /// answers must be the same bytes. Returns the answer and how many of
    /// the server's two answers came from one statement.
    async fn twice(&self, who: Who, query: &str, variables: Value) -> (Value, u64) {
        let reference_url = self.reference.url.clone();
        let first = self.raw_at(&reference_url, who, query, &variables).await;
        let before = self.one_statement_reads().await;
        let second = self.raw(who, query, &variables).await;
        let third = self.raw(who, query, &variables).await;
        let compiled = self.one_statement_reads().await - before;
        let body: Value = serde_json::from_str(&first).expect("JSON");
        for (run, answer) in [("first", &second), ("next", &third)] {
            if body.get("errors").is_some() {
                // Errors name their request: compare all but that.
                let answer: Value = serde_json::from_str(answer).expect("JSON");
                assert_eq!(
                    without_request_ids(body.clone()).to_string(),
                    without_request_ids(answer).to_string(),
                    "{who:?}: the {run} run differs from the resolvers\nquery: {query}"
                );
            } else {
                assert_eq!(
                    &first, answer,
                    "{who:?}: the {run} run differs from the resolvers\nquery: {query}\nvariables: {variables}"
                );
            }
        }
        (body, compiled)
    }

    /// `query` must answer the same both ways, as one statement on PostgreSQL.
    async fn compiles(&self, who: Who, query: &str, variables: Value) -> Value {
        let (body, compiled) = self.twice(who, query, variables).await;
        assert!(body.get("errors").is_none(), "{who:?}: {body:#}\n{query}");
        assert_eq!(
            compiled, 2,
            "{who:?}: one statement on both databases\n{query}"
        );
        body
    }

    /// `query` must answer the same both ways (refused fields included: the
    /// same `null`s, errors, paths and locations), as one statement on
    /// PostgreSQL, with at least one refusal.
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

    /// `query` must answer the same both ways, through the resolvers.
    async fn resolves(&self, who: Who, query: &str, variables: Value) -> Value {
        let (body, compiled) = self.twice(who, query, variables).await;
        assert_eq!(compiled, 0, "{who:?}: expected the resolvers\n{query}");
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
async fn the_benchmark_questions_answer_the_same_bytes_as_one_statement() {
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
    // A row the caller may not see is `null`, as through the resolvers.
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
async fn paging_filters_and_fragments_answer_the_same_bytes() {
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
    // the start, answers the same both ways at every step: by a text, and by
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
    // A cursor from one page starts the next, the same both ways.
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

#[tokio::test]
async fn what_does_not_translate_runs_through_the_resolvers() {
    let world = World::new().await;
    // Per-row types,
    // fields without a translation, bad arguments: the resolvers answer.
    let cases: &[(Who, &str)] = &[
        (
            Who::Staff,
            "{ auditLog(first: 5) { nodes { at entityId } } }",
        ),
        (
            Who::Staff,
            "{ organizations(first: -1) { nodes { name } } }",
        ),
        (
            Who::Staff,
            "{ organizations(first: 1000) { nodes { name } } }",
        ),
        (Who::Staff, "{ node(id: \"bm90IGFuIGlk\") { id } }"),
    ];
    for (who, query) in cases {
        world.resolves(*who, query, json!({})).await;
    }
}

#[tokio::test]
async fn fields_refused_on_some_rows_answer_the_same_bytes_as_one_statement() {
    let world = World::new().await;
    // The partner reads e-mails of its own people and home students only,
    // summaries of its own agreements only, no date of birth; anonymous
    // callers none of them. Aliases, nesting and Relay's form move the paths.
    let people = r#"query People {
      people(first: 30, orderBy: [{ field: FULL_NAME }]) {
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id fullName email organization { name } } }
      }
    }"#;
    let nested = r#"{
      agreements(first: 20, orderBy: [{ field: TITLE }]) {
        nodes {
          title terms: summary
          parties { role signatory { fullName mail: email } }
          students(first: 3) { nodes { fullName email dateOfBirth } }
        }
      }
      node(id: "QWdyZWVtZW50OjE") { ... on Agreement { summary } }
    }"#;
    let students =
        r#"{ students(last: 5) { edges { node { fullName email born: dateOfBirth } } } }"#;
    for who in [Who::Anonymous, Who::Partner] {
        for query in [people, nested, students] {
            let (body, _) = world.twice(who, query, json!({})).await;
            if body.get("errors").is_some() {
                world.refuses(who, query, json!({})).await;
            }
        }
    }
    // The partner's own people's e-mails are read, others' refused, in one
    // answer, each refusal at its row's path.
    let mixed = r#"query Mixed($org: ID!) {
      own: people(first: 5, filter: { organization: { id: { eq: $org } } }) { edges { node { fullName email } } }
      others: people(first: 5, filter: { organization: { id: { ne: $org } } }) { edges { node { fullName email } } }
    }"#;
    let org = json!({ "org": global_id("Organization", world.partner) });
    let body = world.refuses(Who::Partner, mixed, org.clone()).await;
    let own = body["data"]["own"]["edges"].as_array().expect("edges");
    let others = body["data"]["others"]["edges"].as_array().expect("edges");
    assert!(!own.is_empty() && !others.is_empty(), "{body:#}");
    assert!(
        own.iter().all(|e| e["node"]["email"].is_string()),
        "{body:#}"
    );
    assert!(
        others.iter().all(|e| e["node"]["email"].is_null()),
        "{body:#}"
    );
    let paths: Vec<&Value> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| &e["path"])
        .collect();
    let expected: Vec<Value> = (0..others.len())
        .map(|i| json!(["others", "edges", i, "node", "email"]))
        .collect();
    assert_eq!(paths, expected.iter().collect::<Vec<_>>(), "{body:#}");
    // Staff read every row: no refusal, no error.
    world.compiles(Who::Staff, people, json!({})).await;
}

#[tokio::test]
async fn aggregates_and_groups_answer_the_same_bytes_as_one_statement() {
    let world = World::new().await;
    let queries = [
        // The benchmark's q4 and DESIGN.md's PartnerMix.
        r#"query Aggregate {
          students { groups(by: [NATIONALITY], first: 10) { key { nationality { code name } } count } }
        }"#,
        r#"query PartnerMix {
          organizations(filter: { kind: { eq: UNIVERSITY } }) {
            aggregate { count min { foundedYear } max { foundedYear } }
            groups(by: [COUNTRY], first: 5) { key { country { code name } } count }
          }
        }"#,
        // Enum, boolean and date-part keys, keys not grouped by (null),
        // orders, `having`, aggregates per group, __typename, aliases.
        r#"{
          agreements(filter: { status: { ne: DRAFT } }) {
            __typename
            all: aggregate { __typename count n: count min { __typename signedOn title } max { endsOn } distinctCount { kind status signedOn } }
            groups(by: [STATUS, SIGNED_ON_YEAR], orderBy: [{ field: KEY, direction: DESC }], having: { count: { gte: 2 } }) {
              __typename
              key { __typename status signedOnYear kind }
              count
              aggregate { min { signedOn } distinctCount { kind } }
            }
          }
          organizations { groups(by: [IS_HOME, KIND], orderBy: [{ field: COUNT }]) { key { isHome kind country { name } } count } }
        }"#,
        // Nested under each parent row, and empty sets.
        r#"{
          countries(first: 4, filter: { code: { in: ["DE", "CN", "BG", "AQ"] } }) {
            nodes {
              code
              organizations { aggregate { count max { name } distinctCount { city } } }
              students { groups(by: [STATUS], first: 2) { key { status } count } }
            }
          }
          programs(first: 0) { aggregate { count min { name } } groups(by: [KIND], first: 0) { count } }
        }"#,
    ];
    for query in queries {
        for who in EVERYONE {
            world.compiles(*who, query, json!({})).await;
        }
    }
    // Measures of fields a partner may not read on every row are refused,
    // as the resolvers refuse them; the rest of the answer stands.
    let refused = r#"{
      students {
        aggregate { count min { fullName dateOfBirth } distinctCount { email nationality } }
        groups(by: [STATUS]) { count aggregate { max { dateOfBirth } } }
      }
    }"#;
    let body = world.refuses(Who::Partner, refused, json!({})).await;
    assert!(
        body["data"]["students"]["aggregate"]["count"]
            .as_u64()
            .is_some(),
        "{body:#}"
    );
    world.compiles(Who::Staff, refused, json!({})).await;
    // Sums and means, written as serde_json writes numbers (`2.0`).
    let sums = r#"{
      programs { aggregate { sum { capacity } avg { capacity } } groups(by: [KIND]) { key { kind } aggregate { sum { capacity } avg { capacity } } } }
      organizations(filter: { kind: { eq: UNIVERSITY } }) { aggregate { avg { foundedYear } sum { foundedYear } } }
      countries(first: 3) { nodes { organizations { aggregate { avg { foundedYear } } } } }
    }"#;
    for who in EVERYONE {
        world.compiles(*who, sums, json!({})).await;
    }
}

#[tokio::test]
async fn fragments_on_each_rows_type_and_instants_answer_the_same_bytes() {
    let world = World::new().await;
    let queries = [
        e2e::design::PARTNERS_IN_GERMANY,
        // Fragments on each kind, named and inline, with nested pages and
        // to-one rows inside them; the kind's __typename; instants.
        r#"{
          organizations(first: 30, orderBy: [{ field: KIND }, { field: ID }]) {
            edges { node {
              __typename id createdAt
              ... on University { name programs(first: 2) { nodes { name createdAt } } }
              ...CompanyFields
              ... on Institute { country { name } updatedAt }
            } }
          }
          node(id: "T3JnYW5pemF0aW9uOjE") { ... on University { name } ... on Company { industry } }
          agreements(first: 3) { nodes { title createdAt updatedAt parties { organization { ... on Company { industry } } } } }
          people(first: 3) { nodes { fullName createdAt } }
          students(first: 3) { nodes { fullName updatedAt } }
        }
        fragment CompanyFields on Company { industry shortName }"#,
        // Objects none of whose fields apply: `null`, as async-graphql
        // answers them (the GraphQL spec would write `{}`).
        r#"{
          organizations(first: 5, orderBy: [{ field: KIND }]) {
            edges { cursor @skip(if: true) }
            nodes { ... on Company { industry } }
            pageInfo { hasNextPage @include(if: false) }
            aggregate { count @skip(if: true) }
            groups(by: [KIND]) { key { kind @skip(if: true) } count }
          }
          empty: countries(first: 1) { totalCount @skip(if: true) }
        }"#,
    ];
    for query in queries {
        for who in EVERYONE {
            world.compiles(*who, query, json!({})).await;
        }
    }
}

#[tokio::test]
async fn fields_asked_twice_under_one_key_are_merged_in_one_statement() {
    let world = World::new().await;
    // As the Relay compiler and Apollo's fragments write documents: the same
    // field under one key from several fragments, with different subfields.
    let relay = r#"query RelayLike {
      organizations(first: 5, orderBy: [{ field: NAME }]) {
        edges { node { id ...OrgRow ...OrgCountry ... on Company { id industry } } }
        ...Paging
        a: totalCount
        a: totalCount
      }
      organizations(first: 5, orderBy: [{ field: NAME }]) { totalCount }
    }
    fragment OrgRow on Organization { id name country { code } }
    fragment OrgCountry on Organization { __typename id country { name organizations(first: 1) { nodes { id } } } }
    fragment Paging on OrganizationConnection { pageInfo { hasNextPage endCursor } edges { cursor node { __typename } } }"#;
    for who in EVERYONE {
        world.compiles(*who, relay, json!({})).await;
    }
    // A refused field asked twice: one `null` and one error per path, at its
    // first location (the spec's merged field); the resolvers execute each
    // occurrence and refuse it each time: the same paths, once more each.
    let people = r#"{ people(first: 20) { nodes { fullName email ...Mail } } }
    fragment Mail on Person { email organization { name } }"#;
    let reference: Value = serde_json::from_str(
        &world
            .raw_at(&world.reference.url, Who::Partner, people, &json!({}))
            .await,
    )
    .expect("JSON");
    let before = world.one_statement_reads().await;
    let body: Value =
        serde_json::from_str(&world.raw(Who::Partner, people, &json!({})).await).expect("JSON");
    assert_eq!(world.one_statement_reads().await - before, 1, "{body:#}");
    assert_eq!(body["data"], reference["data"]);
    let errors = body["errors"].as_array().expect("refusals");
    let mut paths: Vec<&Value> = errors.iter().map(|e| &e["path"]).collect();
    paths.dedup();
    assert_eq!(paths.len(), errors.len(), "one error per path: {body:#}");
    let mut reference_paths: Vec<&Value> = reference["errors"]
        .as_array()
        .expect("refusals")
        .iter()
        .map(|e| &e["path"])
        .collect();
    reference_paths.sort_by_key(|p| p.to_string());
    reference_paths.dedup();
    let mut sorted = paths.clone();
    sorted.sort_by_key(|p| p.to_string());
    assert_eq!(sorted, reference_paths, "the resolvers' paths");
    for error in errors {
        assert_eq!(error["extensions"]["code"], "FORBIDDEN");
        // The first occurrence's location (line 1).
        assert_eq!(error["locations"][0]["line"], 1, "{error}");
    }
    world.compiles(Who::Staff, people, json!({})).await;
}

#[tokio::test]
async fn events_joint_units_visits_and_node_lists_answer_the_same_bytes() {
    let world = World::new().await;
    let queries = [
        e2e::design::PARTNERSHIP_WEEK,
        r#"{
          events(last: 5) { totalCount edges { cursor node { id name kind location version createdAt updatedAt parentEvent { name } organizer { name } } } }
          jointUnits(first: 5, orderBy: [{ field: HOST_NAME }]) {
            aggregate { count min { establishedOn } }
            groups(by: [KIND]) { key { kind } count }
            nodes { id name kind establishedOn closedOn hostOrganization { name } agreement { title } fieldOfStudy { code broadField { name } } partners { name } }
          }
          visits(first: 5) { nodes { id purpose startsOn endsOn person { fullName } hostOrganization { name } } }
          organizations(first: 3, orderBy: [{ field: ID }]) {
            nodes { organizedEvents(first: 2) { nodes { name } } jointUnits(first: 2) { nodes { name } } partnerJointUnits(first: 2) { totalCount } visits(first: 2) { totalCount } }
          }
          agreements(first: 3) { nodes { event { name } jointUnits { totalCount } } }
          people(first: 3) { nodes { visits { totalCount } signedAgreements(first: 1) { nodes { title } } } }
          fieldsOfStudy(first: 3, filter: { code: { startsWith: "06" } }) { nodes { code agreements { totalCount } programs { totalCount } jointUnits { totalCount } } }
        }"#,
        // Several ids at once, of several types, unknown and invisible ones
        // included.
        r#"query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Event { name } ... on Student { fullName } ... on Visit { startsOn } } }"#,
    ];
    let ids = json!({ "ids": [
        global_id("Event", 1), global_id("Student", 1), global_id("Visit", 1),
        global_id("JointUnit", 1), global_id("Organization", 999_999), global_id("Country", 1),
    ] });
    for query in queries {
        for who in EVERYONE {
            world.compiles(*who, query, ids.clone()).await;
        }
    }
}

/// Every query of README.md and DESIGN.md is one statement from its first
/// run, for every role — but the dashboard's `statistics`, which the
/// resolvers answer until it is planned (docs/read-path.md).
#[tokio::test]
async fn the_readmes_and_designs_queries_are_one_statement() {
    let world = World::new().await;
    let readme = include_str!("../../README.md");
    let mut queries: Vec<&str> = readme
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter(|block| block.trim_start().starts_with("query"))
        .collect();
    assert!(queries.len() >= 7, "README's example queries: {queries:?}");
    queries.extend([
        e2e::design::PARTNERS_IN_GERMANY,
        e2e::design::PARTNERSHIP_WEEK,
        e2e::design::DASHBOARD,
    ]);
    let variables = json!({ "id": global_id("Agreement", 1) });
    for query in queries {
        for who in EVERYONE {
            // The same bytes as the resolvers (refusals included), and how
            // many of the two runs were one statement.
            let (body, compiled) = world.twice(*who, query, variables.clone()).await;
            assert!(body["data"].is_object(), "{who:?}: {body:#}\n{query}");
            assert_eq!(compiled, 2, "{who:?}: {body:#}\n{query}");
        }
    }
}

const STATISTICS: &str = r#"query Figures($asOf: Date) {
  statistics(asOf: $asOf) {
    __typename asOf partnerOrganizations partnerCountries collaborativePrograms
    internationalStudents studentCountries jointUnits englishTaughtMajors
    growth: jointUnitsGrowthPercent(sinceYear: 2020) none: jointUnitsGrowthPercent(sinceYear: 1900)
    visitingExperts(year: 2025)
    studentsByNationality(first: 5) { __typename country { code name } count }
    partnersByCountry(orderBy: [{ field: KEY, direction: DESC }]) { count country { name } }
    agreementsByKind { kind count }
    agreementsByStatus(first: 2, orderBy: [{ field: COUNT, direction: ASC }]) { status count }
    agreementsByYear(first: 3, orderBy: [{ field: KEY, direction: DESC }]) { year count }
    programsByKind { kind count }
    jointUnitsByYear { year count }
  }
}"#;

/// The dashboard's figures, who the caller is, the audit log, a field's
/// level and an agreement's successor are planned like any other read.
#[tokio::test]
async fn statistics_viewer_audit_levels_and_successors_answer_the_same_bytes() {
    let world = World::new().await;
    // An agreement renewed (the demo data has none): a successor, and
    // entries in the audit log.
    let renewed = world.renew().await;
    for who in EVERYONE {
        let body = world
            .compiles(*who, STATISTICS, json!({ "asOf": "2025-06-30" }))
            .await;
        let figures = &body["data"]["statistics"];
        assert!(
            figures["partnerOrganizations"].as_u64() > Some(0),
            "{body:#}"
        );
        assert!(figures["none"].is_null(), "{body:#}");
        assert!(
            figures["studentsByNationality"][0]["country"]["name"].is_string(),
            "{body:#}"
        );
        let viewer = world
            .compiles(
                *who,
                "{ viewer { __typename sub role organization { name } } }",
                json!({}),
            )
            .await;
        let organization = &viewer["data"]["viewer"]["organization"];
        assert_eq!(
            organization.is_object(),
            matches!(who, Who::Partner),
            "{viewer:#}"
        );
    }
    // Today's figures, when no date is given.
    world.compiles(Who::Staff, STATISTICS, json!({})).await;
    // What the resolvers refuse stays with them (they say why).
    world
        .resolves(
            Who::Staff,
            "{ statistics { studentsByNationality(first: -1) { count } } }",
            json!({}),
        )
        .await;
    world
        .resolves(
            Who::Staff,
            "{ statistics { jointUnitsGrowthPercent(sinceYear: 2147483647) } }",
            json!({}),
        )
        .await;
    // The audit log (admins only), with the renewal's entries, walked by
    // its instants.
    let audit = "query($after: String) {
      auditLog(first: 3, after: $after, orderBy: [{ field: AT, direction: DESC }]) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { __typename at actor { __typename sub role } action entityType entityId before after } }
      } }";
    let mut after = Value::Null;
    let mut entries = 0;
    loop {
        let body = world
            .compiles(Who::Admin, audit, json!({ "after": after }))
            .await;
        let page = &body["data"]["auditLog"];
        for edge in page["edges"].as_array().expect("edges") {
            let node = &edge["node"];
            assert!(node["entityId"].is_string(), "{body:#}");
            assert!(node["action"].is_string(), "{body:#}");
            entries += 1;
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert!(entries > 0, "the renewal wrote entries");
    let levels = world
        .compiles(
            Who::Anonymous,
            "{ fieldsOfStudy(first: 100) { nodes { code level } } }",
            json!({}),
        )
        .await;
    let levels: Vec<&str> = levels["data"]["fieldsOfStudy"]["nodes"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["level"].as_str())
        .collect();
    for level in ["BROAD", "NARROW", "DETAILED"] {
        assert!(levels.contains(&level), "{levels:?}");
    }
    let query = r#"query Successor($id: ID!) {
      node(id: $id) { ... on Agreement { id successor { id title predecessor { id } } } }
    }"#;
    for who in EVERYONE {
        let body = world
            .compiles(
                *who,
                query,
                json!({ "id": global_id("Agreement", renewed) }),
            )
            .await;
        if matches!(who, Who::Staff | Who::Admin) {
            assert_eq!(
                body["data"]["node"]["successor"]["predecessor"]["id"],
                json!(global_id("Agreement", renewed)),
                "{body:#}"
            );
        }
    }
}

/// A query sent over the WebSocket (graphql-transport-ws) is planned as one
/// sent over HTTP: the resolvers' bytes (the replica's answer over HTTP),
/// from one statement, for every role, refusals included.
#[tokio::test]
async fn queries_over_the_websocket_are_one_statement_too() {
    let world = World::new().await;
    let query = r#"{ people(first: 20, orderBy: [{ field: FULL_NAME }]) {
        pageInfo { hasNextPage endCursor } edges { cursor node { id fullName email organization { name } } } } }"#;
    let reference_url = world.reference.url.clone();
    for who in EVERYONE {
        let expected: Value =
            serde_json::from_str(&world.raw_at(&reference_url, *who, query, &json!({})).await)
                .expect("JSON");
        let mut client = match &world.bearer(*who) {
            Some(bearer) => WsClient::connect_as(&world.server.url, bearer).await,
            None => WsClient::connect(&world.server.url, json!({})).await,
        };
        let before = world.one_statement_reads().await;
        client.subscribe("q", query).await;
        let message = client
            .next(std::time::Duration::from_secs(10))
            .await
            .expect("an answer");
        assert_eq!(message["type"], "next", "{who:?}: {message}");
        assert_eq!(
            without_request_ids(message["payload"].clone()),
            without_request_ids(expected.clone()),
            "{who:?}: over the WebSocket the answer differs from the resolvers'"
        );
        if matches!(who, Who::Partner) {
            assert!(expected["errors"].is_array(), "{expected:#}");
        }
        assert_eq!(
            world.one_statement_reads().await - before,
            1,
            "{who:?}: one statement over the WebSocket"
        );
    }
}
