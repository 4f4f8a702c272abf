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
    // The schema as committed (a test of the api keeps it equal to the code).
    Guard::new(include_str!("../../../schema.graphql"), Limits::default()).expect("guard")
}

/// DESIGN.md's `PartnershipWeek` example.
const PARTNERSHIP_WEEK: &str =
    "query PartnershipWeek { events(first: 1, filter: { kind: { eq: PARTNERSHIP_WEEK } }) {
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
        include_str!("../../../tests/tests/introspection.graphql"),
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
    let readme = include_str!("../../../README.md")
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
    let readme = include_str!("../../../README.md");
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
    let doc =
        "query($f: OrganizationFilter) { organizations(first: 1, filter: $f) { nodes { id } } }";
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
