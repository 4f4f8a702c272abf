//! Live updates and scale-out: subscriptions over `graphql-transport-ws`, across two
//! replicas on one database, under the same rules as reads.

use std::time::Duration;

use e2e::{TestServer, WsClient, WsEnd, global_id, token};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use service::Role;

mod feeds;

/// How long an event may take from a committed write to a subscriber.
const DELIVERY: Duration = Duration::from_secs(1);
/// How long a test waits to be sure that nothing arrives.
const QUIET: Duration = Duration::from_millis(1500);

const STUDENT_FEED: &str =
    "subscription { studentChanged { change id version student { id fullName } } }";

/// Two students (id, version) whose home organizations are two different
/// partners, with those organizations' ids.
async fn two_partners_students(server: &TestServer) -> [(i64, i64, i32); 2] {
    let db = server.db.connect().await;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT s.home_organization_id, MIN(s.id) FROM students s \
             WHERE s.home_organization_id IS NOT NULL \
             GROUP BY s.home_organization_id ORDER BY s.home_organization_id LIMIT 2"
                .to_owned(),
        ))
        .await
        .expect("students by home organization");
    let mut found = Vec::new();
    for row in rows {
        let org: i64 = row.try_get_by_index(0).expect("org");
        let student: i64 = row.try_get_by_index(1).expect("student");
        let version = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT version FROM students WHERE id = {student}"),
            ))
            .await
            .expect("version")
            .expect("the student")
            .try_get_by_index::<i32>(0)
            .expect("version");
        found.push((org, student, version));
    }
    assert_eq!(found.len(), 2, "the demo data has students of two partners");
    [found[0], found[1]]
}

async fn rename_student(server: &TestServer, id: i64, version: i32, name: &str) -> Value {
    server
        .post(
            "mutation($input: UpdateStudentInput!) { updateStudent(input: $input) { student { version } } }",
            json!({ "input": { "id": global_id("Student", id), "version": version, "fullName": name } }),
        )
        .await
}

/// The first organization: its global id and version.
async fn first_organization(server: &TestServer) -> (Value, i64) {
    let org = server
        .data(
            "{ organizations(first: 1) { nodes { id version } } }",
            json!({}),
        )
        .await["organizations"]["nodes"][0]
        .clone();
    let version = org["version"].as_i64().expect("a version");
    (org["id"].clone(), version)
}

/// Sets an organization's city; returns its new version.
async fn set_city(server: &TestServer, id: &Value, version: i64, city: &str) -> i64 {
    let written = server
        .post(
            "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { version } } }",
            json!({ "input": { "id": id, "version": version, "city": city } }),
        )
        .await;
    written["data"]["updateOrganization"]["organization"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("{written}"))
}

/// The first active agreement (id, version, title).
async fn active_agreement(server: &TestServer) -> Value {
    let agreement = server
        .data(
            "{ agreements(first: 1, filter: { status: { eq: ACTIVE } }) { nodes { id version title } } }",
            json!({}),
        )
        .await["agreements"]["nodes"][0]
        .clone();
    assert!(
        agreement["id"].is_string(),
        "the demo data has an active agreement"
    );
    agreement
}

/// Moves an agreement to `status`; panics if refused.
async fn set_status(server: &TestServer, agreement: &Value, status: &str) {
    let changed = server
        .post(
            "mutation($input: ChangeAgreementStatusInput!) { changeAgreementStatus(input: $input) { agreement { version } } }",
            json!({ "input": { "id": agreement["id"], "version": agreement["version"], "status": status } }),
        )
        .await;
    assert!(changed.get("errors").is_none(), "{changed}");
}

/// A client running `query` as operation `id`, as the holder of `token`
/// (anonymous without one).
async fn subscriber(url: &str, token: Option<&str>, id: &str, query: &str) -> WsClient {
    let mut client = match token {
        Some(token) => WsClient::connect_as(url, token).await,
        None => WsClient::connect(url, json!({})).await,
    };
    client.subscribe(id, query).await;
    client
}

/// The next `next` message of operation `id`, within `wait`.
async fn event(client: &mut WsClient, id: &str, wait: Duration) -> Result<Value, WsEnd> {
    loop {
        let message = client.next(wait).await?;
        if message["type"] == "next" && message["id"] == id {
            return Ok(message["payload"].clone());
        }
        assert_ne!(message["type"], "error", "{message}");
    }
}

#[tokio::test]
async fn a_write_through_one_replica_reaches_the_subscribers_of_another_under_their_rules() {
    let a = TestServer::demo().await;
    let b = a.replica().await;
    let [(org1, student1, version1), (org2, _, _)] = two_partners_students(&a).await;

    let mut staff = subscriber(&b.url, Some(&token(Role::Staff, None)), "s", STUDENT_FEED).await;
    let mut own = subscriber(
        &b.url,
        Some(&token(Role::Partner, Some(org1))),
        "p",
        "subscription { studentChanged { change id student { fullName dateOfBirth } } }",
    )
    .await;
    let mut other = subscriber(
        &b.url,
        Some(&token(Role::Partner, Some(org2))),
        "o",
        STUDENT_FEED,
    )
    .await;
    let mut anonymous = subscriber(&b.url, None, "a", STUDENT_FEED).await;
    // Give the subscriptions a moment to be registered before the write.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let written = rename_student(&a, student1, version1, "Renamed Through A").await;
    assert!(written.get("errors").is_none(), "{written}");

    let payload = event(&mut staff, "s", DELIVERY)
        .await
        .expect("staff hears it");
    assert_eq!(
        payload,
        json!({ "data": { "studentChanged": {
            "change": "UPDATED",
            "id": global_id("Student", student1),
            "version": version1 + 1,
            "student": { "id": global_id("Student", student1), "fullName": "Renamed Through A" },
        } } })
    );

    // The partner hears its own student, with the field it may not read null
    // and its error in place, as a query would answer.
    let payload = event(&mut own, "p", DELIVERY)
        .await
        .expect("the partner hears its own student");
    assert_eq!(
        payload["data"]["studentChanged"]["student"],
        json!({ "fullName": "Renamed Through A", "dateOfBirth": null })
    );
    assert_eq!(
        payload["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{payload}"
    );
    assert_eq!(
        payload["errors"][0]["path"],
        json!(["studentChanged", "student", "dateOfBirth"])
    );

    assert_eq!(
        other.next(QUIET).await,
        Err(WsEnd::Silent),
        "another partner hears nothing"
    );
    assert_eq!(
        anonymous.next(QUIET).await,
        Err(WsEnd::Silent),
        "anonymous hears no students"
    );
}

#[tokio::test]
async fn refused_writes_deliver_nothing_and_filters_apply_to_the_row_after_the_change() {
    let a = TestServer::demo().await;
    let b = a.replica().await;
    let [(_, student, version), _] = two_partners_students(&a).await;

    let mut feed = subscriber(&b.url, Some(&token(Role::Admin, None)), "all", STUDENT_FEED).await;
    let mut filtered = subscriber(&b.url, Some(&token(Role::Admin, None)), "f", r#"subscription { studentChanged(filter: { fullName: { startsWith: "Zed" } }) { id student { fullName } } }"#).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    // A stale version is refused: nothing is announced.
    let stale = rename_student(&a, student, version + 7, "Never Written").await;
    assert_eq!(e2e::error_codes(&stale), ["CONFLICT"], "{stale}");
    assert_eq!(feed.next(QUIET).await, Err(WsEnd::Silent));

    // A change the filter does not admit reaches only the unfiltered feed.
    let renamed = rename_student(&a, student, version, "Alma Other").await;
    assert!(renamed.get("errors").is_none(), "{renamed}");
    let payload = event(&mut feed, "all", DELIVERY)
        .await
        .expect("the write is heard");
    assert_eq!(payload["data"]["studentChanged"]["version"], version + 1);
    assert_eq!(filtered.next(QUIET).await, Err(WsEnd::Silent));

    let renamed = rename_student(&a, student, version + 1, "Zed Match").await;
    assert!(renamed.get("errors").is_none(), "{renamed}");
    let payload = event(&mut filtered, "f", DELIVERY)
        .await
        .expect("the filter admits it");
    assert_eq!(
        payload["data"]["studentChanged"],
        json!({ "id": global_id("Student", student), "student": { "fullName": "Zed Match" } })
    );
}

#[tokio::test]
async fn a_deletion_reaches_those_who_could_see_the_row() {
    let a = TestServer::demo().await;
    let [(org1, _, _), (org2, _, _)] = two_partners_students(&a).await;
    // A student of the first partner that nothing refers to.
    let created = a
        .post(
            "mutation($input: CreateStudentInput!) { createStudent(input: $input) { student { id version } } }",
            json!({ "input": {
                "fullName": "Short Stay", "email": "short.stay@example.org",
                "dateOfBirth": "2001-02-03", "nationality": "FR",
                "homeOrganizationId": global_id("Organization", org1),
                "hostOrganizationId": global_id("Organization", org1),
                "degreeLevel": "EXCHANGE", "status": "APPLIED", "enrolledOn": "2024-09-01",
            } }),
        )
        .await;
    let student = created["data"]["createStudent"]["student"].clone();
    assert!(student["id"].is_string(), "{created}");

    let mut own = subscriber(
        &a.url,
        Some(&token(Role::Partner, Some(org1))),
        "p",
        STUDENT_FEED,
    )
    .await;
    let mut other = subscriber(
        &a.url,
        Some(&token(Role::Partner, Some(org2))),
        "o",
        STUDENT_FEED,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let deleted = a
        .post(
            "mutation($input: DeleteStudentInput!) { deleteStudent(input: $input) { deletedId } }",
            json!({ "input": { "id": student["id"], "version": student["version"] } }),
        )
        .await;
    assert!(deleted.get("errors").is_none(), "{deleted}");

    let payload = event(&mut own, "p", DELIVERY)
        .await
        .expect("its partner hears the deletion");
    assert_eq!(
        payload["data"]["studentChanged"],
        json!({ "change": "DELETED", "id": student["id"], "version": student["version"], "student": null })
    );
    assert_eq!(other.next(QUIET).await, Err(WsEnd::Silent));
}

#[tokio::test]
async fn the_design_examples_run_as_written() {
    let server = TestServer::demo().await;
    let mut client = subscriber(&server.url, Some(&token(Role::Staff, None)), "feed", "subscription AgreementFeed { agreementChanged { change id version agreement { id title status } } }").await;
    client.subscribe("students", STUDENT_FEED).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let agreement = active_agreement(&server).await;
    set_status(&server, &agreement, "TERMINATED").await;
    let payload = event(&mut client, "feed", DELIVERY)
        .await
        .expect("the feed hears it");
    let change = &payload["data"]["agreementChanged"];
    assert_eq!(change["change"], "STATUS_CHANGED", "{payload}");
    assert_eq!(change["id"], agreement["id"]);
    assert_eq!(change["agreement"]["status"], "TERMINATED");
    assert_eq!(
        change["version"],
        agreement["version"].as_i64().unwrap_or(0) + 1
    );
}

#[tokio::test]
async fn tokens_are_checked_at_init_and_at_expiry() {
    let server = TestServer::empty().await;
    // A token that does not verify closes the socket with 4403.
    let mut forged = WsClient::open(&server.url, None).await;
    let bad = e2e::forged_token(Role::Admin);
    forged
        .send(json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {bad}") } }))
        .await;
    assert_eq!(forged.next(DELIVERY * 5).await, Err(WsEnd::Closed(4403)));
    // So does one in the upgrade request's header.
    let mut header = WsClient::open(
        &server.url,
        Some(&format!("Bearer {}", e2e::expired_token("staff"))),
    )
    .await;
    header.send(json!({ "type": "connection_init" })).await;
    assert_eq!(header.next(DELIVERY * 5).await, Err(WsEnd::Closed(4403)));
    // A good one in the header is used when the payload has none.
    let mut good = WsClient::open(
        &server.url,
        Some(&format!("Bearer {}", token(Role::Staff, None))),
    )
    .await;
    good.send(json!({ "type": "connection_init" })).await;
    assert_eq!(
        good.next(DELIVERY * 5).await.map(|m| m["type"].clone()),
        Ok(json!("connection_ack"))
    );
    good.subscribe("v", "query { viewer { role } }").await;
    assert_eq!(
        event(&mut good, "v", DELIVERY * 5).await,
        Ok(json!({ "data": { "viewer": { "role": "STAFF" } } }))
    );

    // A token that expires while connected closes the socket then, after
    // the leeway HTTP grants on `exp` (10 s) — not before.
    let config = api::auth::AuthConfig {
        secret: Some(e2e::TEST_JWT_SECRET.to_owned()),
        ..Default::default()
    };
    let short = api::auth::mint(&config, "brief", Role::Staff, None, Duration::from_secs(2))
        .expect("mint a token");
    let mut brief = subscriber(&server.url, Some(&short), "s", STUDENT_FEED).await;
    assert_eq!(
        brief.next(Duration::from_secs(6)).await,
        Err(WsEnd::Silent),
        "within the leeway the socket stays open"
    );
    assert_eq!(
        brief.next(Duration::from_secs(10)).await,
        Err(WsEnd::Closed(4403))
    );
}

#[tokio::test]
async fn protocol_violations_close_with_the_codes_of_the_protocol() {
    let server = TestServer::empty().await;
    let cases: [(&str, Vec<String>, u16); 4] = [
        ("not JSON", vec!["{nope".to_owned()], 4400),
        ("an unknown type", vec![json!({ "type": "hello" }).to_string()], 4400),
        (
            "subscribe before the ack",
            vec![json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ viewer { role } }" } }).to_string()],
            4401,
        ),
        (
            "a second init",
            vec![json!({ "type": "connection_init" }).to_string(); 2],
            4429,
        ),
    ];
    for (what, messages, code) in cases {
        let mut client = WsClient::open(&server.url, None).await;
        for message in &messages {
            client.send_text(message).await;
        }
        let mut end = client.next(DELIVERY * 5).await;
        while let Ok(message) = &end {
            assert_eq!(message["type"], "connection_ack", "{what}: {message}");
            end = client.next(DELIVERY * 5).await;
        }
        assert_eq!(end, Err(WsEnd::Closed(code)), "{what}");
    }

    // A duplicate id of a running operation closes with 4409.
    let mut client = subscriber(
        &server.url,
        None,
        "same",
        "subscription { organizationChanged { id } }",
    )
    .await;
    client
        .subscribe("same", "subscription { organizationChanged { id } }")
        .await;
    assert_eq!(client.next(DELIVERY * 5).await, Err(WsEnd::Closed(4409)));

    // A document the guard or validation refuses gets `error`, and the
    // connection stays open.
    let mut client = subscriber(&server.url, None, "bad", "subscription { nope }").await;
    let message = client.next(DELIVERY * 5).await.expect("an error message");
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(message["id"], "bad");
    assert!(message["payload"][0]["message"].is_string(), "{message}");
    // A subscription selects exactly one root field.
    client
        .subscribe(
            "two",
            "subscription { a: studentChanged { id } b: agreementChanged { id } }",
        )
        .await;
    let message = client.next(DELIVERY * 5).await.expect("an error message");
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{message}"
    );
    client.send(json!({ "type": "ping" })).await;
    assert_eq!(
        client.next(DELIVERY * 5).await.map(|m| m["type"].clone()),
        Ok(json!("pong"))
    );
}
