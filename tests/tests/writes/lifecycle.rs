//! Lifecycles, atomic writes, concurrent updates and stale versions.

use super::*;

/// Every pair of statuses: the transition is allowed exactly when the
/// lifecycle says so; `active` needs `signedOn` and `startsOn`.
#[tokio::test]
async fn lifecycle_transitions_allowed_and_refused() {
    let c = Ctx::new().await;
    let statuses = [
        "DRAFT",
        "UNDER_NEGOTIATION",
        "ACTIVE",
        "EXPIRED",
        "TERMINATED",
    ];
    let allowed = [
        ("DRAFT", "UNDER_NEGOTIATION"),
        ("UNDER_NEGOTIATION", "ACTIVE"),
        ("ACTIVE", "EXPIRED"),
        ("ACTIVE", "TERMINATED"),
        ("DRAFT", "TERMINATED"),
        ("UNDER_NEGOTIATION", "TERMINATED"),
    ];
    for from in statuses {
        for to in statuses {
            let mut input = c.agreement_input();
            input["status"] = json!(from);
            input["signedOn"] = json!("2024-03-01");
            input["startsOn"] = json!("2024-04-01");
            let created = c.create_agreement(input).await;
            let id = created["data"]["createAgreement"]["agreement"]["id"].clone();
            assert!(id.is_string(), "{created}");
            let body = c
                .staff(
                    CHANGE_STATUS,
                    json!({ "input": { "id": id, "version": 1, "status": to } }),
                )
                .await;
            if allowed.contains(&(from, to)) {
                assert!(body.get("errors").is_none(), "{from} → {to}: {body}");
                assert_eq!(
                    body["data"]["changeAgreementStatus"]["agreement"]["status"],
                    json!(to)
                );
                assert_eq!(
                    body["data"]["changeAgreementStatus"]["agreement"]["version"],
                    json!(2)
                );
            } else {
                let (codes, field) = codes_and_field(&body);
                assert_eq!(codes, vec!["BAD_USER_INPUT"], "{from} → {to}: {body}");
                assert_eq!(field, json!("status"));
            }
        }
    }
    // Activation needs the dates: signedOn may come with the change.
    let mut input = c.agreement_input();
    input["status"] = json!("UNDER_NEGOTIATION");
    let id = c.create_agreement(input).await["data"]["createAgreement"]["agreement"]["id"].clone();
    let body = c
        .staff(
            CHANGE_STATUS,
            json!({ "input": { "id": id, "version": 1, "status": "ACTIVE" } }),
        )
        .await;
    assert_eq!(
        codes_and_field(&body),
        (vec!["BAD_USER_INPUT".to_owned()], json!("signedOn"))
    );
    let body = c.staff(CHANGE_STATUS, json!({ "input": { "id": id, "version": 1, "status": "ACTIVE", "signedOn": "2025-01-10" } })).await;
    assert_eq!(
        codes_and_field(&body),
        (vec!["BAD_USER_INPUT".to_owned()], json!("startsOn"))
    );
    let body = c
        .staff(
            UPDATE_AGREEMENT,
            json!({ "input": { "id": id, "version": 1, "startsOn": "2025-02-01" } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let body = c.staff(CHANGE_STATUS, json!({ "input": { "id": id, "version": 2, "status": "ACTIVE", "signedOn": "2025-01-10" } })).await;
    assert_eq!(
        body["data"]["changeAgreementStatus"]["agreement"]["signedOn"],
        json!("2025-01-10"),
        "{body}"
    );
}

/// Rows of agreements, parties, fields and audit entries.
pub(super) async fn atomic_counts(c: &Ctx) -> Vec<usize> {
    let mut out = Vec::new();
    for sql in [
        "SELECT id FROM agreements",
        "SELECT agreement_id * 100000 + organization_id AS id FROM agreement_parties",
        "SELECT agreement_id * 10000 + CAST(field_code AS INTEGER) AS id FROM agreement_fields",
        "SELECT id FROM audit_log",
    ] {
        out.push(c.count(sql).await);
    }
    out
}

/// A createAgreement whose third party is invalid leaves nothing behind.
#[tokio::test]
async fn create_agreement_is_atomic() {
    let c = Ctx::new().await;
    let mut input = c.agreement_input();
    input["parties"]
        .as_array_mut()
        .expect("parties")
        .push(json!({ "organizationId": c.org(9_999_999), "role": "PARTNER" }));
    let before = atomic_counts(&c).await;
    let body = c.create_agreement(input).await;
    assert_eq!(
        codes_and_field(&body),
        (
            vec!["BAD_USER_INPUT".to_owned()],
            json!("parties[2].organizationId")
        )
    );
    assert_eq!(
        atomic_counts(&c).await,
        before,
        "no agreement, party, field or audit row"
    );
    let title = c
        .count("SELECT id FROM agreements WHERE title = 'Joint training in computer science'")
        .await;
    assert_eq!(title, 0);
}

/// 20 concurrent updates with the same version: one wins, 19 get CONFLICT
/// with the current version; the audit log holds one record of it.
#[tokio::test]
async fn concurrent_updates_one_wins() {
    let c = Ctx::new().await;
    let created = c.create_agreement(c.agreement_input()).await;
    let id = created["data"]["createAgreement"]["agreement"]["id"].clone();
    let requests = (0..20).map(|i| {
        c.staff(
            UPDATE_AGREEMENT,
            json!({ "input": { "id": id, "version": 1, "summary": format!("edit {i}") } }),
        )
    });
    let results = futures_util::future::join_all(requests).await;
    let ok: Vec<&Value> = results
        .iter()
        .filter(|b| b.get("errors").is_none())
        .collect();
    let conflicts: Vec<&Value> = results
        .iter()
        .filter(|b| error_codes(b) == vec!["CONFLICT".to_owned()])
        .collect();
    assert_eq!(ok.len(), 1, "{results:#?}");
    assert_eq!(conflicts.len(), 19, "{results:#?}");
    for conflict in conflicts {
        assert_eq!(
            conflict["errors"][0]["extensions"]["currentVersion"],
            json!(2)
        );
    }
    let key = raw_id(&id);
    let updates = c
        .count(&format!(
            "SELECT id FROM audit_log WHERE entity_type = 'agreement' AND entity_key = '{key}' AND action = 'update'"
        ))
        .await;
    assert_eq!(updates, 1);
    let winner = ok[0]["data"]["updateAgreement"]["agreement"]["summary"].clone();
    let stored = c
        .staff(
            "query($id: ID!) { node(id: $id) { ... on Agreement { summary version } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(stored["data"]["node"]["summary"], winner);
    assert_eq!(stored["data"]["node"]["version"], json!(2));
}

/// A stale version is a CONFLICT with the current version and writes nothing.
#[tokio::test]
async fn stale_versions_conflict() {
    let c = Ctx::new().await;
    let id = c.create_agreement(c.agreement_input()).await["data"]["createAgreement"]["agreement"]
        ["id"]
        .clone();
    let body = c
        .staff(
            UPDATE_AGREEMENT,
            json!({ "input": { "id": id, "version": 1, "title": "First" } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let audit = c.audit_rows().await;
    let body = c
        .staff(
            UPDATE_AGREEMENT,
            json!({ "input": { "id": id, "version": 1, "title": "Second" } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["CONFLICT"]);
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], json!(2));
    let delete =
        "mutation($input: DeleteAgreementInput!) { deleteAgreement(input: $input) { deletedId } }";
    let body = c
        .as_(
            &c.admin,
            delete,
            json!({ "input": { "id": id, "version": 1 } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["CONFLICT"]);
    assert_eq!(c.audit_rows().await, audit);
    let stored = c
        .staff(
            "query($id: ID!) { node(id: $id) { ... on Agreement { title } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(stored["data"]["node"]["title"], json!("First"));
}
