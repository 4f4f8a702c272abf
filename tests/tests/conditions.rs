//! Cooperation conditions: what an agreement grants, written with the
//! agreement (the set replaced as a whole, with its version check and
//! audit entry), read back under the agreement, refused when a rule is
//! broken with nothing written — on SQLite and PostgreSQL alike.

use e2e::{TestServer, error_codes, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

const UPDATE: &str = "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) {
  agreement { version parties { iiaId organization { id } } cooperationConditions {
    mobilityType sending { id } receiving { id } firstAcademicYear lastAcademicYear
    mobilitiesPerYear totalMonthsPerYear totalDaysPerYear blended eqfLevels
    subjectAreas { code } languages { language cefrLevel } } } } }";

struct Agreement {
    raw: i64,
    id: String,
    home: String,
    partner: String,
    other: String,
}

async fn two_party_agreement(server: &TestServer) -> Agreement {
    let db = server.db.connect().await;
    let id = sql_ids(
        &db,
        "SELECT agreement_id AS id FROM agreement_parties GROUP BY agreement_id HAVING COUNT(*) = 2 ORDER BY agreement_id",
    )
    .await[0];
    let parties = sql_ids(
        &db,
        &format!(
            "SELECT p.organization_id AS id FROM agreement_parties p JOIN organizations o ON o.id = p.organization_id
             WHERE p.agreement_id = {id} ORDER BY o.is_home DESC"
        ),
    )
    .await;
    let other = sql_ids(
        &db,
        &format!(
            "SELECT id FROM organizations WHERE id NOT IN ({}, {}) ORDER BY id",
            parties[0], parties[1]
        ),
    )
    .await[0];
    let global = |ty: &str, id: i64| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{ty}:{id}"))
    };
    Agreement {
        raw: id,
        id: global("Agreement", id),
        home: global("Organization", parties[0]),
        partner: global("Organization", parties[1]),
        other: global("Organization", other),
    }
}

fn both_ways(a: &Agreement) -> Value {
    json!([
        { "mobilityType": "STUDENT_STUDIES", "sendingOrganizationId": a.home, "receivingOrganizationId": a.partner,
          "firstAcademicYear": "2024/2025", "lastAcademicYear": "2026/2027", "mobilitiesPerYear": 2,
          "totalMonthsPerYear": 10, "eqfLevels": [7, 6], "blended": true,
          "subjectAreas": [{ "fieldCode": "0413", "clarification": "Innovation" }],
          "languages": [{ "language": "EN", "cefrLevel": "B2" }] },
        { "mobilityType": "STAFF_TEACHING", "sendingOrganizationId": a.partner, "receivingOrganizationId": a.home,
          "firstAcademicYear": "2024/2025", "lastAcademicYear": "2024/2025", "mobilitiesPerYear": 1,
          "totalDaysPerYear": 5.5 }
    ])
}

#[tokio::test]
async fn conditions_are_written_with_the_agreement_and_read_under_it() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let a = two_party_agreement(&server).await;
    let (_, body) = server
        .post_as(
            &staff,
            UPDATE,
            json!({ "input": { "id": a.id, "version": 1, "cooperationConditions": both_ways(&a) } }),
        )
        .await;
    let agreement = &body["data"]["updateAgreement"]["agreement"];
    assert_eq!(agreement["version"], 2, "{body}");
    // PostgreSQL writes a whole float as `10`, SQLite as `10.0`: the same
    // GraphQL Float.
    let mut conditions = agreement["cooperationConditions"].clone();
    for c in conditions.as_array_mut().expect("conditions") {
        for key in ["totalMonthsPerYear", "totalDaysPerYear"] {
            if let Some(x) = c[key].as_f64() {
                c[key] = json!(x);
            }
        }
    }
    assert_eq!(
        conditions,
        json!([
            { "mobilityType": "STUDENT_STUDIES", "sending": { "id": a.home }, "receiving": { "id": a.partner },
              "firstAcademicYear": "2024/2025", "lastAcademicYear": "2026/2027", "mobilitiesPerYear": 2,
              "totalMonthsPerYear": 10.0, "totalDaysPerYear": null, "blended": true, "eqfLevels": [6, 7],
              "subjectAreas": [{ "code": "0413" }], "languages": [{ "language": "en", "cefrLevel": "B2" }] },
            { "mobilityType": "STAFF_TEACHING", "sending": { "id": a.partner }, "receiving": { "id": a.home },
              "firstAcademicYear": "2024/2025", "lastAcademicYear": "2024/2025", "mobilitiesPerYear": 1,
              "totalMonthsPerYear": null, "totalDaysPerYear": 5.5, "blended": false, "eqfLevels": [],
              "subjectAreas": [], "languages": [] }
        ])
    );
    // Anonymous callers read them as they read the agreement's parties.
    let anonymous = server
        .post_anonymous(
            "query($id: ID!) { node(id: $id) { ... on Agreement { cooperationConditions { mobilitiesPerYear } } } }",
            json!({ "id": a.id }),
        )
        .await;
    assert_eq!(
        anonymous["data"]["node"]["cooperationConditions"],
        json!([{ "mobilitiesPerYear": 2 }, { "mobilitiesPerYear": 1 }]),
        "{anonymous}"
    );
    // The audit entry holds them before and after.
    let audit = server
        .data(
            "{ auditLog(last: 1) { nodes { action before after } } }",
            json!({}),
        )
        .await;
    let entry = &audit["auditLog"]["nodes"][0];
    assert_eq!(
        entry["before"]["cooperation_conditions"],
        json!([]),
        "{audit}"
    );
    let after = &entry["after"]["cooperation_conditions"];
    assert_eq!(
        after[0]["subject_areas"][0]["clarification"], "Innovation",
        "{audit}"
    );
    assert_eq!(after[1]["total_days_per_year"], 5.5);

    // A stale version is a CONFLICT and changes nothing.
    let (_, stale) = server
        .post_as(
            &staff,
            UPDATE,
            json!({ "input": { "id": a.id, "version": 1, "cooperationConditions": [] } }),
        )
        .await;
    assert_eq!(error_codes(&stale), ["CONFLICT"], "{stale}");

    assert_eq!(count(&server, a.raw).await, 2);

    // A condition naming an organization that is no party; replacing the
    // parties so that a condition's organization is no longer one.
    let mut stranger = both_ways(&a);
    stranger[0]["receivingOrganizationId"] = json!(a.other);
    let (_, refused) = server
        .post_as(
            &staff,
            UPDATE,
            json!({ "input": { "id": a.id, "version": 2, "cooperationConditions": stranger } }),
        )
        .await;
    assert_eq!(error_codes(&refused), ["BAD_USER_INPUT"], "{refused}");
    assert_eq!(
        refused["errors"][0]["extensions"]["field"],
        "cooperationConditions[0].receivingOrganizationId"
    );
    let (_, orphaned) = server
        .post_as(
            &staff,
            UPDATE,
            json!({ "input": { "id": a.id, "version": 2, "parties": [
                { "organizationId": a.home, "role": "LEAD" },
                { "organizationId": a.other, "role": "PARTNER" }
            ] } }),
        )
        .await;
    assert_eq!(error_codes(&orphaned), ["BAD_USER_INPUT"], "{orphaned}");
    assert_eq!(count(&server, a.raw).await, 2, "nothing written");

    // Each rule, through the API: the field named, nothing written.
    for (index, key, value, field) in [
        (
            0,
            "lastAcademicYear",
            json!("2023/2024"),
            "cooperationConditions[0].lastAcademicYear",
        ),
        (
            0,
            "firstAcademicYear",
            json!("2024/2026"),
            "cooperationConditions[0].firstAcademicYear",
        ),
        (
            0,
            "mobilitiesPerYear",
            json!(0),
            "cooperationConditions[0].mobilitiesPerYear",
        ),
        (
            0,
            "totalDaysPerYear",
            json!(3),
            "cooperationConditions[0].totalDaysPerYear",
        ),
        (
            0,
            "eqfLevels",
            json!([0]),
            "cooperationConditions[0].eqfLevels",
        ),
        (
            1,
            "blended",
            json!(true),
            "cooperationConditions[1].blended",
        ),
        (
            1,
            "totalMonthsPerYear",
            json!(2),
            "cooperationConditions[1].totalMonthsPerYear",
        ),
        (
            0,
            "subjectAreas",
            json!([{ "fieldCode": "9999" }]),
            "cooperationConditions[0].subjectAreas[0].fieldCode",
        ),
        (
            0,
            "languages",
            json!([{ "language": "xx", "cefrLevel": "A1" }]),
            "cooperationConditions[0].languages[0].language",
        ),
    ] {
        let mut broken = both_ways(&a);
        broken[index][key] = value;
        let (_, refused) = server
            .post_as(
                &staff,
                UPDATE,
                json!({ "input": { "id": a.id, "version": 2, "cooperationConditions": broken } }),
            )
            .await;
        assert_eq!(
            error_codes(&refused),
            ["BAD_USER_INPUT"],
            "{key}: {refused}"
        );
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], field,
            "{refused}"
        );
    }
    assert_eq!(count(&server, a.raw).await, 2, "nothing written");

    // `[]` removes them all.
    let (_, cleared) = server
        .post_as(
            &staff,
            UPDATE,
            json!({ "input": { "id": a.id, "version": 2, "cooperationConditions": [] } }),
        )
        .await;
    assert_eq!(
        cleared["data"]["updateAgreement"]["agreement"]["cooperationConditions"],
        json!([]),
        "{cleared}"
    );
    assert_eq!(count(&server, a.raw).await, 0);
}

#[tokio::test]
async fn parties_keep_their_iia_ids_and_a_new_home_party_gets_one() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let a = two_party_agreement(&server).await;
    let create = "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) {
        agreement { id version parties { iiaId iiaCode organization { id } } } } }";
    let (_, created) = server
        .post_as(
            &staff,
            create,
            json!({ "input": { "title": "IIA test", "kind": "STUDENT_EXCHANGE", "parties": [
                { "organizationId": a.home, "role": "LEAD" },
                { "organizationId": a.partner, "role": "PARTNER", "iiaId": "PARTNER-IIA-1", "iiaCode": "EX/2024/1" }
            ] } }),
        )
        .await;
    let agreement = &created["data"]["createAgreement"]["agreement"];
    let parties = agreement["parties"].as_array().expect("parties").clone();
    let home = parties
        .iter()
        .find(|p| p["organization"]["id"] == a.home.as_str())
        .expect("home");
    let home_iia = home["iiaId"].as_str().expect("a home IIA id").to_owned();
    assert_eq!(home_iia.len(), 36, "a UUID: {home_iia}");
    let partner = parties
        .iter()
        .find(|p| p["organization"]["id"] == a.partner.as_str())
        .expect("partner");
    assert_eq!(partner["iiaId"], "PARTNER-IIA-1");
    assert_eq!(partner["iiaCode"], "EX/2024/1");

    // Replacing the parties without naming IIA ids keeps them.
    let (_, updated) = server
        .post_as(
            &staff,
            UPDATE,
            json!({ "input": { "id": agreement["id"], "version": 1, "parties": [
                { "organizationId": a.home, "role": "LEAD" },
                { "organizationId": a.partner, "role": "PARTNER" }
            ] } }),
        )
        .await;
    let parties = &updated["data"]["updateAgreement"]["agreement"]["parties"];
    let ids: Vec<&str> = parties
        .as_array()
        .expect("parties")
        .iter()
        .filter_map(|p| p["iiaId"].as_str())
        .collect();
    assert!(
        ids.contains(&home_iia.as_str()) && ids.contains(&"PARTNER-IIA-1"),
        "{updated}"
    );

    // An IIA id the partner already uses for another agreement.
    let (_, taken) = server
        .post_as(
            &staff,
            create,
            json!({ "input": { "title": "IIA test 2", "kind": "STUDENT_EXCHANGE", "parties": [
                { "organizationId": a.home, "role": "LEAD" },
                { "organizationId": a.partner, "role": "PARTNER", "iiaId": "PARTNER-IIA-1" }
            ] } }),
        )
        .await;
    assert_eq!(error_codes(&taken), ["CONFLICT"], "{taken}");
}

/// The conditions of agreement `agreement`.
async fn count(server: &TestServer, agreement: i64) -> usize {
    sql_ids(
        &server.db.connect().await,
        &format!("SELECT id FROM cooperation_conditions WHERE agreement_id = {agreement}"),
    )
    .await
    .len()
}
