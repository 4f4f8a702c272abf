//! README's and DESIGN's documents, the figures, the audit log and the WebSocket.

use super::*;

/// Every query of README.md and DESIGN.md (the dashboard's `statistics`
/// included) is one statement from its first run, for every role.
#[tokio::test]
async fn the_readmes_and_designs_queries_are_one_statement() {
    let world = World::new().await;
    let queries = e2e::example_queries();
    let variables = json!({ "id": global_id("Agreement", 1) });
    for query in queries {
        for who in EVERYONE {
            // The same bytes on the first and the next run (refusals
            // included), and how many of the two were one statement.
            let (body, compiled) = world.twice(*who, query, variables.clone()).await;
            assert!(body["data"].is_object(), "{who:?}: {body:#}\n{query}");
            assert_eq!(compiled, 2, "{who:?}: {body:#}\n{query}");
        }
    }
}

pub(super) const STATISTICS: &str = r#"query Figures($asOf: Date) {
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
    // Refused arguments: refused by the plan, with the service's word.
    world
        .refuses_arguments(
            Who::Staff,
            "{ statistics { studentsByNationality(first: -1) { count } } }",
        )
        .await;
    world
        .refuses_arguments(
            Who::Staff,
            "{ statistics { jointUnitsGrowthPercent(sinceYear: 2147483647) } }",
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
    // Its groups, by every key (the action and record type by their
    // GraphQL names), count every entry.
    let groups = world
        .compiles(
            Who::Admin,
            "{ auditLog { totalCount aggregate { count distinctCount { entityType } }
                groups(by: [ACTION, ENTITY_TYPE, ACTOR_ROLE], first: 100) {
                  key { action entityType actorRole } count } } }",
            json!({}),
        )
        .await;
    let log = &groups["data"]["auditLog"];
    let rows = log["groups"].as_array().expect("groups");
    let counted: u64 = rows
        .iter()
        .map(|g| g["count"].as_u64().expect("a count"))
        .sum();
    assert_eq!(json!(counted), log["totalCount"], "{groups:#}");
    assert!(
        rows.iter().any(|g| g["key"]["entityType"] == "AGREEMENT"),
        "{groups:#}"
    );
    for g in rows {
        let action = g["key"]["action"].as_str().expect("an action");
        assert!(
            ["CREATE", "UPDATE", "DELETE", "STATUS_CHANGE"].contains(&action),
            "{groups:#}"
        );
    }
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
/// sent over HTTP: the same answer, from one statement, for every role,
/// refusals included.
#[tokio::test]
async fn queries_over_the_websocket_are_one_statement_too() {
    let world = World::new().await;
    let query = r#"{ people(first: 20, orderBy: [{ field: FULL_NAME }]) {
        pageInfo { hasNextPage endCursor } edges { cursor node { id fullName email organization { name } } } } }"#;
    for who in EVERYONE {
        let expected: Value =
            serde_json::from_str(&world.raw(*who, query, &json!({})).await).expect("JSON");
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
            "{who:?}: over the WebSocket the answer differs from HTTP's"
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

/// Plans are remembered by request and caller (role, organization,
/// subject), the day and the variables: the same document asked by each
/// caller in turn, with one set of variables and another, answers exactly
/// what the same document planned afresh answers (its text with more
/// spaces at the end: another request, so a new plan).
#[tokio::test]
async fn remembered_plans_answer_each_caller_as_a_new_plan_would() {
    let world = World::new().await;
    let db = world.server.db.connect().await;
    let others = sql_ids(
        &db,
        &format!(
            "SELECT id FROM organizations WHERE NOT is_home AND id <> {} ORDER BY id LIMIT 1",
            world.partner
        ),
    )
    .await;
    let query = "query($id: ID!) {
      node(id: $id) { id ... on Agreement { title summary parties { organization { name } } } }
      people(first: 5, orderBy: [{ field: ID, direction: ASC }]) { nodes { fullName email } }
      students(first: 5) { totalCount nodes { fullName dateOfBirth } }
    }";
    let callers = [
        None,
        Some(token(Role::Partner, Some(world.partner))),
        Some(token(Role::Partner, Some(others[0]))),
        Some(token(Role::Staff, None)),
        Some(token(Role::Admin, None)),
    ];
    let ask = |bearer: Option<String>, text: String, variables: Value| {
        let mut request = world
            .server
            .client
            .post(&world.server.url)
            .json(&json!({ "query": text, "variables": variables }));
        if let Some(bearer) = bearer {
            request = request.header("authorization", format!("Bearer {bearer}"));
        }
        async move {
            let body: Value = request
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("JSON");
            without_request_ids(body)
        }
    };
    let mut fresh = 0;
    let mut answers = std::collections::BTreeSet::new();
    for _ in 0..2 {
        for caller in &callers {
            for id in [1, 2] {
                let variables = json!({ "id": global_id("Agreement", id) });
                let remembered = ask(caller.clone(), query.to_owned(), variables.clone()).await;
                fresh += 1;
                let planned = ask(
                    caller.clone(),
                    format!("{query}{}", " ".repeat(fresh)),
                    variables,
                )
                .await;
                assert_eq!(remembered, planned, "{caller:?}, agreement {id}");
                answers.insert(remembered.to_string());
            }
        }
    }
    // The callers and the variables see different answers: a plan served
    // to the wrong caller would differ from the new plan above.
    assert!(answers.len() >= 6, "{} distinct answers", answers.len());
}
