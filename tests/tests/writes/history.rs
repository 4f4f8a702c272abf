//! Deletes, renewals, the audit log and rules across records.

use super::*;

/// Deleting what others depend on is a CONFLICT naming the dependents; join
/// rows go with their agreement.
#[tokio::test]
async fn deletes_refuse_dependents_and_take_join_rows() {
    let c = Ctx::new().await;
    let delete_org = "mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { deletedId } }";
    let body = c
        .as_(
            &c.admin,
            delete_org,
            json!({ "input": { "id": c.org(c.partner), "version": 1 } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["CONFLICT"], "{body}");
    let message = body["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("agreement parties") && message.contains("people"),
        "{message}"
    );

    let with_programs = sql_ids(
        &c.server.db.connect().await,
        "SELECT agreement_id AS id FROM programs WHERE agreement_id IS NOT NULL",
    )
    .await[0];
    let version = c
        .staff(
            "query($id: ID!) { node(id: $id) { ... on Agreement { version } } }",
            json!({ "id": global_id("Agreement", with_programs) }),
        )
        .await["data"]["node"]["version"]
        .clone();
    let delete =
        "mutation($input: DeleteAgreementInput!) { deleteAgreement(input: $input) { deletedId } }";
    let body = c
        .as_(
            &c.admin,
            delete,
            json!({ "input": { "id": global_id("Agreement", with_programs), "version": version } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["CONFLICT"], "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("programs")
    );

    let id = c.create_agreement(c.agreement_input()).await["data"]["createAgreement"]["agreement"]
        ["id"]
        .clone();
    let key = raw_id(&id);
    assert_eq!(
        c.count(&format!(
            "SELECT organization_id AS id FROM agreement_parties WHERE agreement_id = {key}"
        ))
        .await,
        2
    );
    let body = c
        .as_(
            &c.admin,
            delete,
            json!({ "input": { "id": id, "version": 1 } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        c.count(&format!(
            "SELECT organization_id AS id FROM agreement_parties WHERE agreement_id = {key}"
        ))
        .await,
        0
    );
    assert_eq!(
        c.count(&format!(
            "SELECT agreement_id AS id FROM agreement_fields WHERE agreement_id = {key}"
        ))
        .await,
        0
    );
}

/// Renewal: a draft successor with the parties and fields, linked both ways;
/// an agreement is renewed once, and only when active or expired.
#[tokio::test]
async fn renew_agreement_links_successor() {
    let c = Ctx::new().await;
    let mut input = c.agreement_input();
    input["status"] = json!("ACTIVE");
    input["signedOn"] = json!("2020-01-10");
    input["startsOn"] = json!("2020-02-01");
    let id = c.create_agreement(input).await["data"]["createAgreement"]["agreement"]["id"].clone();
    let renew =
        "mutation($input: RenewAgreementInput!) { renewAgreement(input: $input) { agreement {
        id status title predecessor { id } parties { role } fieldsOfStudy { code } } } }";
    let body = c
        .staff(
            renew,
            json!({ "input": { "id": id, "version": 1, "startsOn": "2025-02-01" } }),
        )
        .await;
    let successor = &body["data"]["renewAgreement"]["agreement"];
    assert_eq!(successor["status"], json!("DRAFT"), "{body}");
    assert_eq!(successor["predecessor"]["id"], id);
    assert_eq!(successor["parties"].as_array().map(Vec::len), Some(2));
    assert_eq!(successor["fieldsOfStudy"], json!([{ "code": "0613" }]));
    let back = c
        .staff(
            "query($id: ID!) { node(id: $id) { ... on Agreement { successor { id } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(back["data"]["node"]["successor"]["id"], successor["id"]);
    let again = c
        .staff(renew, json!({ "input": { "id": id, "version": 1 } }))
        .await;
    assert_eq!(error_codes(&again), vec!["CONFLICT"]);
    let draft = c
        .staff(
            renew,
            json!({ "input": { "id": successor["id"], "version": 1 } }),
        )
        .await;
    assert_eq!(
        error_codes(&draft),
        vec!["CONFLICT"],
        "a draft is not renewed"
    );
}

/// Replaying the audit log's before/after reproduces the final row, and the
/// log is for admins only.
#[tokio::test]
async fn audit_log_replays_history() {
    let c = Ctx::new().await;
    let mut input = c.agreement_input();
    input["status"] = json!("UNDER_NEGOTIATION");
    input["startsOn"] = json!("2025-03-01");
    let id = c.create_agreement(input).await["data"]["createAgreement"]["agreement"]["id"].clone();
    let steps = [
        (
            UPDATE_AGREEMENT,
            json!({ "id": id, "version": 1, "title": "Joint training, revised", "summary": "Two cohorts a year" }),
        ),
        (
            CHANGE_STATUS,
            json!({ "id": id, "version": 2, "status": "ACTIVE", "signedOn": "2025-02-20" }),
        ),
        (
            "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement { id } } }",
            json!({ "id": id, "version": 3, "summary": null, "fieldCodes": ["0613", "0612"],
                 "parties": [ { "organizationId": c.org(c.home), "role": "LEAD" }, { "organizationId": c.org(c.partner), "role": "PARTNER" } ] }),
        ),
    ];
    for (query, input) in steps {
        let body = c.staff(query, json!({ "input": input })).await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let query =
        "query($id: ID!) { auditLog(first: 50, filter: { entityId: $id }) { totalCount nodes {
        action entityType entityId actor { sub role } before after } } }";
    let staff = c.staff(query, json!({ "id": id })).await;
    assert_eq!(
        error_codes(&staff),
        vec!["FORBIDDEN"],
        "staff may not read the audit log"
    );
    let body = c.as_(&c.admin, query, json!({ "id": id })).await;
    assert!(body.get("errors").is_none(), "{body}");
    let entries = body["data"]["auditLog"]["nodes"]
        .as_array()
        .expect("entries")
        .clone();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(actions, ["CREATE", "UPDATE", "STATUS_CHANGE", "UPDATE"]);
    assert_eq!(body["data"]["auditLog"]["totalCount"], json!(4));
    // Replay: each entry starts where the previous one ended.
    let mut state = Value::Null;
    for e in &entries {
        assert_eq!(e["entityType"], json!("AGREEMENT"));
        assert_eq!(e["entityId"], id);
        assert_eq!(e["actor"], json!({ "sub": "tester", "role": "STAFF" }));
        assert_eq!(e["before"], state, "the history has no gaps");
        state = e["after"].clone();
    }
    // The replayed state is the row as stored now.
    let db = c.server.db.connect().await;
    let key = raw_id(&id);
    let stored = c.as_(&c.admin, "query($id: ID!) { node(id: $id) { ... on Agreement {
        title status signedOn startsOn summary version parties { role organization { id } signatory { id } } fieldsOfStudy { code } } } }",
        json!({ "id": id })).await["data"]["node"].clone();
    assert_eq!(state["id"], json!(key));
    assert_eq!(state["title"], stored["title"]);
    assert_eq!(state["status"], json!("active"));
    assert_eq!(state["signed_on"], stored["signedOn"]);
    assert_eq!(state["starts_on"], stored["startsOn"]);
    assert_eq!(state["summary"], stored["summary"]);
    assert_eq!(state["version"], stored["version"]);
    assert_eq!(state["field_codes"], json!(["0612", "0613"]));
    let parties: Vec<i64> = state["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .map(|p| p["organization_id"].as_i64().unwrap_or(0))
        .collect();
    let mut expected = sql_ids(
        &db,
        &format!("SELECT organization_id AS id FROM agreement_parties WHERE agreement_id = {key}"),
    )
    .await;
    expected.sort_unstable();
    assert_eq!(parties, expected);
    assert!(
        state["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .all(|p| p["signatory_id"].is_null())
    );
    // Filters: by action and by actor.
    let by_action = c
        .as_(
            &c.admin,
            "{ auditLog(filter: { actions: [STATUS_CHANGE] }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(by_action["data"]["auditLog"]["totalCount"], json!(1));
    let future = c
        .as_(
            &c.admin,
            "{ auditLog(filter: { since: \"2999-01-01T00:00:00Z\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        future["data"]["auditLog"]["totalCount"],
        json!(0),
        "{future}"
    );
    let until = c
        .as_(
            &c.admin,
            "{ auditLog(filter: { until: \"2999-01-01T00:00:00Z\", entityType: AGREEMENT }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(until["data"]["auditLog"]["totalCount"], json!(4), "{until}");
    let by_actor = c
        .as_(
            &c.admin,
            "{ auditLog(filter: { actorSub: \"nobody\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(by_actor["data"]["auditLog"]["totalCount"], json!(0));
}

/// Rules that span records hold when the other record changes: a signatory
/// keeps working for the organization they signed for, and every agreement
/// keeps a home organization among its parties.
#[tokio::test]
async fn cross_record_rules_hold_on_update() {
    let c = Ctx::new().await;
    let created = c.create_agreement(c.agreement_input()).await;
    assert!(created.get("errors").is_none(), "{created}");
    let person = global_id("Person", c.signatory);
    let version = c
        .staff(
            "query($id: ID!) { node(id: $id) { ... on Person { version } } }",
            json!({ "id": person }),
        )
        .await["data"]["node"]["version"]
        .clone();
    let update =
        "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id } } }";
    for organization in [json!(c.org(c.home)), Value::Null] {
        let body = c
            .staff(update, json!({ "input": { "id": person, "version": version, "organizationId": organization } }))
            .await;
        assert_eq!(
            codes_and_field(&body),
            (vec!["BAD_USER_INPUT".to_owned()], json!("organizationId")),
            "{body}"
        );
    }
    let body = c
        .staff(
            update,
            json!({ "input": { "id": person, "version": version, "title": "Dean" } }),
        )
        .await;
    assert!(
        body.get("errors").is_none(),
        "other changes still work: {body}"
    );

    let home = c.org(c.home);
    let version = c
        .staff(
            "query($id: ID!) { node(id: $id) { ... on University { version } } }",
            json!({ "id": home }),
        )
        .await["data"]["node"]["version"]
        .clone();
    let update = "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id } } }";
    let body = c
        .staff(
            update,
            json!({ "input": { "id": home, "version": version, "isHome": false } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["CONFLICT"], "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("home organization")
    );
}

/// Date-order errors name the field the write changed; ROR ids are read in
/// any case and with or without the scheme.
#[tokio::test]
async fn date_errors_blame_the_changed_field() {
    let c = Ctx::new().await;
    let mut input = c.agreement_input();
    input["startsOn"] = json!("2025-03-01");
    input["endsOn"] = json!("2026-03-01");
    let id = c.create_agreement(input).await["data"]["createAgreement"]["agreement"]["id"].clone();
    for (field, value) in [
        ("signedOn", "2025-04-01"),
        ("endsOn", "2025-01-01"),
        ("startsOn", "2027-01-01"),
    ] {
        let body = c
            .staff(
                UPDATE_AGREEMENT,
                json!({ "input": { "id": id, "version": 1, field: value } }),
            )
            .await;
        assert_eq!(
            codes_and_field(&body),
            (vec!["BAD_USER_INPUT".to_owned()], json!(field)),
            "{field}: {body}"
        );
    }
    let create = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { rorId } } }";
    for (name, ror) in [
        ("Upper Case U", "HTTPS://ROR.ORG/05A28RW58"),
        ("Plain Http U", "http://ror.org/02mhbdp94"),
    ] {
        let body = c
            .staff(create, json!({ "input": { "kind": "UNIVERSITY", "name": name, "countryCode": "FR", "rorId": ror } }))
            .await;
        let stored = body["data"]["createOrganization"]["organization"]["rorId"]
            .as_str()
            .unwrap_or("");
        assert!(
            stored.starts_with("https://ror.org/0") && stored == stored.to_lowercase(),
            "{body}"
        );
    }
}
