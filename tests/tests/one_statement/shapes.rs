//! Refused fields, aggregates, fragments and merged fields in the one statement.

use super::*;

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
    // at their paths; the rest of the answer stands.
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
    // first location (the spec's merged field): what the field asked once
    // answers.
    let people = r#"{ people(first: 20) { nodes { fullName email ...Mail } } }
    fragment Mail on Person { email organization { name } }"#;
    let once = "{ people(first: 20) { nodes { fullName email organization { name } } } }";
    let reference: Value =
        serde_json::from_str(&world.raw(Who::Partner, once, &json!({})).await).expect("JSON");
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
    assert_eq!(sorted, reference_paths, "the paths of the field asked once");
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

/// An object none of whose fields applies (`... on Company { … }` on a
/// university) is `{}`, as the spec's `CollectFields` and `ExecuteSelectionSet`
/// make it — in a page, an edge, a to-one relation and `node(id:)`.
#[tokio::test]
async fn an_object_none_of_whose_fields_applies_is_empty() {
    let world = World::new().await;
    let query = r#"{
      universities(first: 2) { nodes { ... on Company { industry } } edges { node { ... on Institute { name } } } }
      people(first: 1, filter: { organization: { kind: { eq: UNIVERSITY } } }) { nodes { organization { ... on Company { industry } } } }
      node(id: "T3JnYW5pemF0aW9uOjE") { ... on Company { industry } }
    }"#;
    for who in [Who::Anonymous, Who::Staff] {
        let body = world.compiles(who, query, json!({})).await;
        let data = &body["data"];
        assert_eq!(data["universities"]["nodes"], json!([{}, {}]), "{body:#}");
        assert_eq!(
            data["universities"]["edges"],
            json!([{ "node": {} }, { "node": {} }]),
            "{body:#}"
        );
        assert_eq!(data["node"], json!({}), "{body:#}");
        if let Some(person) = data["people"]["nodes"].get(0) {
            assert_eq!(person["organization"], json!({}), "{body:#}");
        }
    }
}
