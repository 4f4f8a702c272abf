//! Writes and live updates read through the plan: a mutation's payload and
//! each subscription event's row are one statement by key over the
//! selection the client asked (`graphql_planned_rows_total` counts them), and
//! they answer what a query of the same row (`node(id:)`) answers, refusals
//! included.

use std::time::Duration;

use e2e::{TestServer, WsClient, global_id, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

/// An agreement's selection with most of what the plan knows: relations,
/// a page in Relay's form, an alias, a fragment, a variable and `@include`.
const AGREEMENT: &str = "
  id title kind status version signedOn summary
  parties { role organization { __typename name country { code name } ...Company } signatory { fullName email } }
  fieldsOfStudy { code name level }
  renamed: title
  programs(first: $first) @include(if: $deep) {
    totalCount
    edges { cursor node { name students(first: 1) { nodes { fullName dateOfBirth } } } }
    pageInfo { hasNextPage endCursor }
  }
  event { name }
  createdAt
";

const FRAGMENTS: &str = "fragment Company on Company { industry }";

async fn planned_rows(server: &TestServer) -> u64 {
    server.metric("graphql_planned_rows_total").await
}

/// The row `id` with `selection` asked of the server at `url` as the
/// holder of `bearer` (`node(id:)`): `node`'s value and the errors.
async fn reference(
    server: &TestServer,
    url: &str,
    bearer: &str,
    ty: &str,
    id: &str,
    selection: &str,
    variables: Value,
) -> Value {
    let query = format!(
        "query($id: ID!, $first: Int!, $deep: Boolean!) {{ node(id: $id) {{ ... on {ty} {{ {selection} }} }} }} {FRAGMENTS}"
    );
    let mut variables = variables;
    variables["id"] = json!(id);
    let response = server
        .client
        .post(url)
        .header("authorization", format!("Bearer {bearer}"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("send");
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn a_mutations_payload_is_one_statement_with_the_queries_answer() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let orgs = sql_ids(
        &db,
        "SELECT id FROM organizations WHERE kind = 'company' OR is_home ORDER BY is_home DESC, id LIMIT 2",
    )
    .await;
    let signatory = sql_ids(
        &db,
        &format!(
            "SELECT id FROM people WHERE organization_id = {} ORDER BY id LIMIT 1",
            orgs[1]
        ),
    )
    .await;
    let staff = token(Role::Staff, None);
    let variables = json!({ "first": 2, "deep": true });

    let before = planned_rows(&server).await;
    let statements = server.statements();
    let mutation = format!(
        "mutation($input: CreateAgreementInput!, $first: Int!, $deep: Boolean!) {{
           createAgreement(input: $input) {{ agreement {{ {AGREEMENT} }} }}
         }} {FRAGMENTS}"
    );
    let mut with_input = variables.clone();
    with_input["input"] = json!({
        "title": "Planned payload", "kind": "RESEARCH_COLLABORATION", "summary": "Read back",
        "parties": [
            { "organizationId": global_id("Organization", orgs[0]), "role": "LEAD" },
            { "organizationId": global_id("Organization", orgs[1]), "role": "PARTNER",
              "signatoryId": global_id("Person", signatory[0]) },
        ],
        "fieldCodes": ["0613", "0714"],
    });
    let (status, created) = server.post_as(&staff, &mutation, with_input).await;
    assert_eq!(status, 200, "{created}");
    assert!(created.get("errors").is_none(), "{created:#}");
    assert_eq!(
        planned_rows(&server).await - before,
        1,
        "the payload is one planned read"
    );
    let agreement = &created["data"]["createAgreement"]["agreement"];
    let id = agreement["id"].as_str().expect("an id");

    let expected = reference(
        &server,
        &server.url,
        &staff,
        "Agreement",
        id,
        AGREEMENT,
        variables.clone(),
    )
    .await;
    assert!(expected.get("errors").is_none(), "{expected:#}");
    assert_eq!(agreement, &expected["data"]["node"]);
    assert_eq!(
        agreement["parties"][1]["organization"]["__typename"],
        "Company"
    );
    assert_eq!(agreement["fieldsOfStudy"].as_array().map(Vec::len), Some(2));

    // The same through an update and a status change, as an admin; the write
    // and its reads are what they were, the payload one statement.
    let admin = token(Role::Admin, None);
    let update = format!(
        "mutation($input: UpdateAgreementInput!, $first: Int!, $deep: Boolean!) {{
           updateAgreement(input: $input) {{ agreement {{ {AGREEMENT} }} }}
         }} {FRAGMENTS}"
    );
    let mut with_input = json!({ "first": 1, "deep": false });
    with_input["input"] =
        json!({ "id": id, "version": agreement["version"], "title": "Planned again" });
    let before = planned_rows(&server).await;
    let (_, updated) = server.post_as(&admin, &update, with_input).await;
    assert!(updated.get("errors").is_none(), "{updated:#}");
    assert_eq!(planned_rows(&server).await - before, 1);
    let agreement = &updated["data"]["updateAgreement"]["agreement"];
    assert_eq!(agreement["renamed"], "Planned again");
    assert!(agreement.get("programs").is_none(), "@include(if: false)");
    let expected = reference(
        &server,
        &server.url,
        &admin,
        "Agreement",
        id,
        AGREEMENT,
        json!({ "first": 1, "deep": false }),
    )
    .await;
    assert_eq!(agreement, &expected["data"]["node"]);
    assert!(server.statements() > statements);
}

/// Renames student `student` as staff (its payload a planned read).
async fn rename_student(server: &TestServer, student: i64, name: &str) {
    let id = global_id("Student", student);
    let version = server.version_of("Student", &id).await;
    let renamed = server
        .post(
            "mutation($input: UpdateStudentInput!) { updateStudent(input: $input) { student { fullName } } }",
            json!({ "input": { "id": id, "version": version, "fullName": name } }),
        )
        .await;
    assert_eq!(
        renamed["data"]["updateStudent"]["student"]["fullName"], name,
        "{renamed}"
    );
}

/// The next `next` payload of operation `id` on `client`.
async fn event(client: &mut WsClient, id: &str) -> Value {
    loop {
        let message = client.next(Duration::from_secs(5)).await.expect("an event");
        if message["type"] == "next" && message["id"] == id {
            return message["payload"].clone();
        }
        assert_ne!(message["type"], "error", "{message}");
    }
}

#[tokio::test]
async fn a_subscription_events_row_is_one_statement_with_the_subscribers_refusals() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let [(student, partner)] = sql_pairs(&db).await;
    let partner_token = token(Role::Partner, Some(partner));
    let selection = "fullName dateOfBirth email homeOrganization { name } program { name } nationality { code }";
    let mut client = WsClient::connect_as(&server.url, &partner_token).await;
    client
        .subscribe(
            "s",
            &format!("subscription {{ studentChanged {{ change id student {{ {selection} }} }} }}"),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let id = global_id("Student", student);
    let before = planned_rows(&server).await;
    rename_student(&server, student, "Heard Through The Plan").await;
    let payload = event(&mut client, "s").await;
    // The mutation's payload and the event's row: two planned reads.
    assert_eq!(planned_rows(&server).await - before, 2, "{payload:#}");

    let query =
        format!("query($id: ID!) {{ node(id: $id) {{ ... on Student {{ {selection} }} }} }}");
    let expected: Value = server
        .client
        .post(&server.url)
        .header("authorization", format!("Bearer {partner_token}"))
        .json(&json!({ "query": query, "variables": { "id": id } }))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("JSON");
    let row = &payload["data"]["studentChanged"]["student"];
    assert_eq!(row, &expected["data"]["node"], "{payload:#}");
    assert_eq!(row["fullName"], "Heard Through The Plan");
    assert_eq!(row["dateOfBirth"], Value::Null);
    // The refusal at the same place under the event's path, with its code.
    let errors = payload["errors"].as_array().expect("errors");
    let reference_errors = expected["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), reference_errors.len(), "{payload:#}");
    for (error, reference_error) in errors.iter().zip(reference_errors) {
        assert_eq!(error["message"], reference_error["message"]);
        assert_eq!(error["extensions"]["code"], "FORBIDDEN");
        let mut path = vec![json!("studentChanged"), json!("student")];
        path.extend(
            reference_error["path"].as_array().expect("a path")[1..]
                .iter()
                .cloned(),
        );
        assert_eq!(error["path"], Value::Array(path));
    }
}

/// A student with a home organization, and that organization.
async fn sql_pairs(db: &sea_orm::DatabaseConnection) -> [(i64, i64); 1] {
    let students = sql_ids(
        db,
        "SELECT id FROM students WHERE home_organization_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .await;
    let home = sql_ids(
        db,
        &format!(
            "SELECT home_organization_id AS id FROM students WHERE id = {}",
            students[0]
        ),
    )
    .await;
    [(students[0], home[0])]
}

#[tokio::test]
async fn the_readmes_mutation_and_subscriptions_read_through_the_plan() {
    let server = TestServer::demo().await;
    let readme = include_str!("../../README.md");
    let blocks: Vec<&str> = readme
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .collect();
    let of = |kind: &str| -> Vec<&str> {
        blocks
            .iter()
            .copied()
            .filter(|b| b.trim_start().starts_with(kind))
            .collect()
    };
    let (mutations, subscriptions) = (of("mutation"), of("subscription"));
    assert_eq!(
        (mutations.len(), subscriptions.len()),
        (1, 2),
        "README's examples"
    );

    let staff = token(Role::Staff, None);
    let mut client = WsClient::connect_as(&server.url, &staff).await;
    for (i, subscription) in subscriptions.iter().enumerate() {
        client.subscribe(&i.to_string(), subscription).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let db = server.db.connect().await;
    let orgs = sql_ids(
        &db,
        "SELECT id FROM organizations ORDER BY is_home DESC, id LIMIT 2",
    )
    .await;
    let before = planned_rows(&server).await;
    let (_, signed) = server
        .post_as(
            &staff,
            mutations[0],
            json!({ "input": {
                "title": "README's agreement", "kind": "MEMORANDUM_OF_UNDERSTANDING",
                "parties": [
                    { "organizationId": global_id("Organization", orgs[0]), "role": "LEAD" },
                    { "organizationId": global_id("Organization", orgs[1]), "role": "PARTNER" },
                ],
            } }),
        )
        .await;
    assert_eq!(
        signed["data"]["createAgreement"]["agreement"]["title"], "README's agreement",
        "{signed}"
    );
    let agreement_event = event(&mut client, "1").await;
    assert_eq!(
        agreement_event["data"]["agreementChanged"]["agreement"]["title"],
        "README's agreement"
    );
    let student = sql_ids(&db, "SELECT id FROM students ORDER BY id LIMIT 1").await[0];
    rename_student(&server, student, "README's Student").await;
    let student_event = event(&mut client, "0").await;
    assert_eq!(
        student_event["data"]["studentChanged"]["student"]["fullName"],
        "README's Student"
    );
    // Two payloads and two events, each one statement.
    assert_eq!(planned_rows(&server).await - before, 4);
}
