//! Writes: every mutation by role, validation, the agreement lifecycle,
//! atomicity, optimistic concurrency, referential safety and the audit trail.

use e2e::{TestServer, error_codes, global_id, raw_id, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

struct Ctx {
    server: TestServer,
    staff: String,
    admin: String,
    home: i64,
    partner: i64,
    signatory: i64,
}

impl Ctx {
    async fn new() -> Ctx {
        let server = TestServer::demo().await;
        let db = server.db.connect().await;
        let home = sql_ids(&db, "SELECT id FROM organizations WHERE is_home").await[0];
        let partner = sql_ids(
            &db,
            "SELECT organization_id AS id FROM people WHERE organization_id IS NOT NULL
             AND organization_id NOT IN (SELECT id FROM organizations WHERE is_home)",
        )
        .await[0];
        let signatory = sql_ids(
            &db,
            &format!("SELECT id FROM people WHERE organization_id = {partner}"),
        )
        .await[0];
        Ctx {
            server,
            staff: token(Role::Staff, None),
            admin: token(Role::Admin, None),
            home,
            partner,
            signatory,
        }
    }

    async fn as_(&self, token: &str, query: &str, variables: Value) -> Value {
        self.server.post_as(token, query, variables).await.1
    }

    async fn staff(&self, query: &str, variables: Value) -> Value {
        self.as_(&self.staff, query, variables).await
    }

    async fn count(&self, sql: &str) -> usize {
        sql_ids(&self.server.db.connect().await, sql).await.len()
    }

    async fn audit_rows(&self) -> usize {
        self.count("SELECT id FROM audit_log").await
    }

    fn org(&self, id: i64) -> String {
        global_id("Organization", id)
    }

    fn agreement_input(&self) -> Value {
        json!({
            "title": "Joint training in computer science",
            "kind": "COOPERATION_AGREEMENT",
            "parties": [
                { "organizationId": self.org(self.home), "role": "LEAD" },
                { "organizationId": self.org(self.partner), "role": "PARTNER",
                  "signatoryId": global_id("Person", self.signatory) }
            ],
            "fieldCodes": ["0613"]
        })
    }

    async fn create_agreement(&self, input: Value) -> Value {
        self.staff(CREATE_AGREEMENT, json!({ "input": input }))
            .await
    }
}

const CREATE_AGREEMENT: &str = "mutation($input: CreateAgreementInput!) {
    createAgreement(input: $input) { agreement { id title status version
      parties { role organization { id } signatory { id } } fieldsOfStudy { code } } } }";
const UPDATE_AGREEMENT: &str = "mutation($input: UpdateAgreementInput!) {
    updateAgreement(input: $input) { agreement { id title version summary } } }";
const CHANGE_STATUS: &str = "mutation($input: ChangeAgreementStatusInput!) {
    changeAgreementStatus(input: $input) { agreement { id status version signedOn } } }";

fn codes_and_field(body: &Value) -> (Vec<String>, Value) {
    (
        error_codes(body),
        body["errors"][0]["extensions"]["field"].clone(),
    )
}

/// Every create, update and delete: staff create and update, admins delete;
/// each write leaves exactly one audit entry.
#[tokio::test]
async fn every_mutation_creates_updates_and_deletes() {
    let c = Ctx::new().await;
    let org = c.org(c.partner);
    let person = global_id("Person", c.signatory);
    // (create, its input, the payload field, the update input fields, delete)
    let cases: Vec<(&str, Value, &str, Value, &str)> = vec![
        (
            "Organization",
            json!({ "kind": "COMPANY", "name": "Quantum Widgets AG", "countryCode": "ch",
            "website": "https://qw.example.ch", "rorId": "05a28rw58" }),
            "organization",
            json!({ "city": "Zürich" }),
            "Organization",
        ),
        (
            "Person",
            json!({ "fullName": " Ada Example ", "email": "ada@example.org", "organizationId": org, "nationality": "gb" }),
            "person",
            json!({ "title": "Professor" }),
            "Person",
        ),
        (
            "Event",
            json!({ "name": "Matchmaking day", "kind": "MATCHMAKING", "organizerId": c.org(c.home),
            "startsOn": "2025-05-01", "endsOn": "2025-05-01" }),
            "event",
            json!({ "location": "Shanghai" }),
            "Event",
        ),
        (
            "Program",
            json!({ "name": "Summer school in robotics", "kind": "SUMMER_SCHOOL", "hostOrganizationId": c.org(c.home),
            "languageCode": "EN", "fieldCode": "0714", "startsOn": "2025-07-01", "capacity": 30 }),
            "program",
            json!({ "capacity": 40 }),
            "Program",
        ),
        (
            "Student",
            json!({ "fullName": "Lena Muster", "nationality": "DE", "hostOrganizationId": c.org(c.home),
            "homeOrganizationId": org, "degreeLevel": "EXCHANGE", "enrolledOn": "2025-09-01", "email": "lena@example.de" }),
            "student",
            json!({ "status": "ENROLLED" }),
            "Student",
        ),
        (
            "JointUnit",
            json!({ "name": "Joint lab for e-waste", "kind": "LABORATORY", "hostOrganizationId": c.org(c.home),
            "establishedOn": "2024-04-01", "partnerIds": [org] }),
            "jointUnit",
            json!({ "closedOn": "2030-01-01" }),
            "JointUnit",
        ),
        (
            "Visit",
            json!({ "personId": person, "hostOrganizationId": c.org(c.home), "purpose": "Guest lecture",
            "startsOn": "2025-03-01", "endsOn": "2025-03-05" }),
            "visit",
            json!({ "purpose": "Guest lectures" }),
            "Visit",
        ),
    ];
    let partner = token(Role::Partner, Some(c.partner));
    for (ty, input, field, update, _) in cases {
        let audit = c.audit_rows().await;
        let create = format!(
            "mutation($input: Create{ty}Input!) {{ create{ty}(input: $input) {{ {field} {{ id version }} }} }}"
        );
        let anon = c
            .server
            .post_anonymous(&create, json!({ "input": input }))
            .await;
        assert_eq!(
            error_codes(&anon),
            vec!["UNAUTHENTICATED"],
            "anonymous create{ty}"
        );
        let refused = c.as_(&partner, &create, json!({ "input": input })).await;
        assert_eq!(
            error_codes(&refused),
            vec!["FORBIDDEN"],
            "partner create{ty}"
        );
        assert_eq!(c.audit_rows().await, audit, "refusals write nothing");
        let body = c.staff(&create, json!({ "input": input })).await;
        assert!(body.get("errors").is_none(), "create {ty}: {body}");
        let row = &body["data"][format!("create{ty}")][field];
        assert_eq!(row["version"], json!(1), "{ty}");
        let id = row["id"].clone();

        let mut patch = update.clone();
        patch["id"] = id.clone();
        patch["version"] = json!(1);
        let upd = format!(
            "mutation($input: Update{ty}Input!) {{ update{ty}(input: $input) {{ {field} {{ id version }} }} }}"
        );
        let refused = c.as_(&partner, &upd, json!({ "input": patch })).await;
        assert_eq!(
            error_codes(&refused),
            vec!["FORBIDDEN"],
            "partner update{ty}"
        );
        let anon = c
            .server
            .post_anonymous(&upd, json!({ "input": patch }))
            .await;
        assert_eq!(
            error_codes(&anon),
            vec!["UNAUTHENTICATED"],
            "anonymous update{ty}"
        );
        let body = c.staff(&upd, json!({ "input": patch })).await;
        assert!(body.get("errors").is_none(), "update {ty}: {body}");
        assert_eq!(
            body["data"][format!("update{ty}")][field]["version"],
            json!(2),
            "{ty}"
        );

        let del = format!(
            "mutation($input: Delete{ty}Input!) {{ delete{ty}(input: $input) {{ deletedId }} }}"
        );
        for (who, bad) in [("staff", &c.staff), ("partner", &partner)] {
            let refused = c
                .as_(bad, &del, json!({ "input": { "id": id, "version": 2 } }))
                .await;
            assert_eq!(error_codes(&refused), vec!["FORBIDDEN"], "{who} delete{ty}");
        }
        let body = c
            .as_(
                &c.admin,
                &del,
                json!({ "input": { "id": id, "version": 2 } }),
            )
            .await;
        assert!(body.get("errors").is_none(), "delete {ty}: {body}");
        assert_eq!(body["data"][format!("delete{ty}")]["deletedId"], id, "{ty}");
        let gone = c
            .staff(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(gone["data"]["node"], Value::Null, "{ty} is gone");
        assert_eq!(
            c.audit_rows().await,
            audit + 3,
            "{ty}: create, update, delete recorded"
        );
    }
}

/// Anonymous callers must sign in, partners may not write, staff may not
/// delete; a refused write writes nothing.
#[tokio::test]
async fn roles_allowed_and_refused() {
    let c = Ctx::new().await;
    let partner = token(Role::Partner, Some(c.partner));
    let created = c.create_agreement(c.agreement_input()).await;
    let id = created["data"]["createAgreement"]["agreement"]["id"].clone();
    assert!(id.is_string(), "{created}");
    let before = c.audit_rows().await;
    let agreements = c.count("SELECT id FROM agreements").await;
    let writes: Vec<(&str, Value)> = vec![
        (CREATE_AGREEMENT, json!({ "input": c.agreement_input() })),
        (
            UPDATE_AGREEMENT,
            json!({ "input": { "id": id, "version": 1, "title": "x" } }),
        ),
        (
            CHANGE_STATUS,
            json!({ "input": { "id": id, "version": 1, "status": "UNDER_NEGOTIATION" } }),
        ),
        (
            "mutation($input: RenewAgreementInput!) { renewAgreement(input: $input) { agreement { id } } }",
            json!({ "input": { "id": id, "version": 1 } }),
        ),
        (
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }",
            json!({ "input": { "kind": "COMPANY", "name": "Nope GmbH", "countryCode": "DE" } }),
        ),
    ];
    for (query, variables) in &writes {
        let anon = c.server.post_anonymous(query, variables.clone()).await;
        assert_eq!(error_codes(&anon), vec!["UNAUTHENTICATED"], "{anon}");
        let body = c.as_(&partner, query, variables.clone()).await;
        assert_eq!(error_codes(&body), vec!["FORBIDDEN"], "{body}");
    }
    let delete =
        "mutation($input: DeleteAgreementInput!) { deleteAgreement(input: $input) { deletedId } }";
    let body = c
        .staff(delete, json!({ "input": { "id": id, "version": 1 } }))
        .await;
    assert_eq!(
        error_codes(&body),
        vec!["FORBIDDEN"],
        "staff may not delete"
    );
    assert_eq!(
        c.audit_rows().await,
        before,
        "refused writes are not recorded"
    );
    assert_eq!(
        c.count("SELECT id FROM agreements").await,
        agreements,
        "nothing written"
    );
    // Staff update, admin delete.
    let body = c
        .staff(
            UPDATE_AGREEMENT,
            json!({ "input": { "id": id, "version": 1, "title": "Renamed" } }),
        )
        .await;
    assert_eq!(
        body["data"]["updateAgreement"]["agreement"]["title"],
        json!("Renamed")
    );
    let body = c
        .as_(
            &c.admin,
            delete,
            json!({ "input": { "id": id, "version": 2 } }),
        )
        .await;
    assert_eq!(body["data"]["deleteAgreement"]["deletedId"], id, "{body}");
}

/// Each validation rule: `BAD_USER_INPUT` naming the field, or `CONFLICT`
/// for uniqueness; nothing written.
#[tokio::test]
async fn validation_rules_name_the_field() {
    let c = Ctx::new().await;
    let org_mutation = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }";
    let org = |extra: Value| {
        let mut input =
            json!({ "kind": "UNIVERSITY", "name": "Universidad Ejemplo", "countryCode": "ES" });
        for (k, v) in extra.as_object().expect("object") {
            input[k] = v.clone();
        }
        json!({ "input": input })
    };
    let existing_name = "TechProtect GmbH";
    let organization_cases: Vec<(Value, &str, Option<&str>)> = vec![
        (
            org(json!({ "name": "   " })),
            "BAD_USER_INPUT",
            Some("name"),
        ),
        (
            org(json!({ "countryCode": "XX" })),
            "BAD_USER_INPUT",
            Some("countryCode"),
        ),
        (
            org(json!({ "website": "not a url" })),
            "BAD_USER_INPUT",
            Some("website"),
        ),
        (
            org(json!({ "rorId": "12345" })),
            "BAD_USER_INPUT",
            Some("rorId"),
        ),
        (
            org(json!({ "foundedYear": 3000 })),
            "BAD_USER_INPUT",
            Some("foundedYear"),
        ),
        (
            org(json!({ "name": existing_name.to_uppercase(), "countryCode": "DE" })),
            "CONFLICT",
            None,
        ),
    ];
    let audit = c.audit_rows().await;
    for (variables, code, field) in organization_cases {
        let body = c.staff(org_mutation, variables.clone()).await;
        let (codes, got_field) = codes_and_field(&body);
        assert_eq!(codes, vec![code], "{variables}: {body}");
        if let Some(field) = field {
            assert_eq!(got_field, json!(field), "{body}");
        }
    }
    // ROR ids are unique.
    let first = c
        .staff(
            org_mutation,
            org(json!({ "rorId": "https://ror.org/05a28rw58" })),
        )
        .await;
    assert!(first.get("errors").is_none(), "{first}");
    let again = c
        .staff(
            org_mutation,
            org(json!({ "name": "Another", "rorId": "05a28rw58" })),
        )
        .await;
    assert_eq!(error_codes(&again), vec!["CONFLICT"], "{again}");

    let agreement = |f: &dyn Fn(&mut Value)| {
        let mut input = c.agreement_input();
        f(&mut input);
        input
    };
    let third_party = json!({ "organizationId": c.org(c.partner + 1), "role": "PARTNER" });
    let agreement_cases: Vec<(Value, &str)> = vec![
        (agreement(&|i| i["title"] = json!("")), "title"),
        (
            agreement(&|i| {
                i["startsOn"] = json!("2025-01-01");
                i["endsOn"] = json!("2024-01-01");
            }),
            "endsOn",
        ),
        (
            agreement(&|i| {
                i["signedOn"] = json!("2025-02-01");
                i["startsOn"] = json!("2025-01-01");
            }),
            "startsOn",
        ),
        (
            agreement(&|i| i["parties"] = json!([i["parties"][0]])),
            "parties",
        ),
        (
            agreement(&|i| i["parties"][1]["role"] = json!("LEAD")),
            "parties",
        ),
        (
            agreement(&|i| {
                i["parties"][1]["organizationId"] = i["parties"][0]["organizationId"].clone()
            }),
            "parties[1].organizationId",
        ),
        (
            agreement(&|i| {
                i["parties"][0]["organizationId"] = third_party["organizationId"].clone();
                i["parties"][1]["signatoryId"] = json!(null);
            }),
            "parties",
        ),
        (
            agreement(&|i| {
                i["parties"][0]["signatoryId"] = json!(global_id("Person", c.signatory))
            }),
            "parties[0].signatoryId",
        ),
        (
            agreement(&|i| i["fieldCodes"] = json!(["9999"])),
            "fieldCodes[0]",
        ),
        (agreement(&|i| i["status"] = json!("ACTIVE")), "signedOn"),
        (
            agreement(&|i| i["eventId"] = json!(global_id("Event", 999_999))),
            "eventId",
        ),
        (
            agreement(&|i| i["parties"][1]["organizationId"] = json!(global_id("Person", 1))),
            "parties[1].organizationId",
        ),
    ];
    for (input, field) in agreement_cases {
        let body = c.create_agreement(input.clone()).await;
        let (codes, got) = codes_and_field(&body);
        assert_eq!(codes, vec!["BAD_USER_INPUT"], "{input}: {body}");
        assert_eq!(got, json!(field), "{input}: {body}");
    }
    let other = [
        (
            "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }",
            json!({ "fullName": "X", "email": "not-an-email" }),
            "email",
        ),
        (
            "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } } }",
            json!({ "name": "P", "kind": "EXCHANGE", "hostOrganizationId": c.org(c.home), "languageCode": "xx", "startsOn": "2025-01-01" }),
            "languageCode",
        ),
        (
            "mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } } }",
            json!({ "name": "P", "kind": "EXCHANGE", "hostOrganizationId": c.org(c.home), "languageCode": "en", "startsOn": "2025-01-01", "capacity": -1 }),
            "capacity",
        ),
        (
            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
            json!({ "name": "E", "kind": "OTHER", "organizerId": c.org(c.home), "startsOn": "2025-01-02", "endsOn": "2025-01-01" }),
            "endsOn",
        ),
        (
            "mutation($input: CreateStudentInput!) { createStudent(input: $input) { student { id } } }",
            json!({ "fullName": "S", "nationality": "ZZ", "hostOrganizationId": c.org(c.home), "degreeLevel": "MASTER", "enrolledOn": "2025-01-01" }),
            "nationality",
        ),
        (
            "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id } } }",
            json!({ "id": c.org(c.home), "version": 1, "name": null }),
            "name",
        ),
    ];
    for (query, input, field) in other {
        let body = c.staff(query, json!({ "input": input })).await;
        let (codes, got) = codes_and_field(&body);
        assert_eq!(codes, vec!["BAD_USER_INPUT"], "{input}: {body}");
        assert_eq!(got, json!(field), "{body}");
    }
    // Lists are bounded.
    let mut many = c.agreement_input();
    many["fieldCodes"] = json!(vec!["0613"; 51]);
    let body = c.create_agreement(many).await;
    assert_eq!(
        codes_and_field(&body),
        (vec!["BAD_USER_INPUT".to_owned()], json!("fieldCodes"))
    );
    assert_eq!(
        c.audit_rows().await,
        audit + 1,
        "only the one valid organization was recorded"
    );
}

/// An event cannot become its own ancestor.
#[tokio::test]
async fn event_parents_form_no_cycles() {
    let c = Ctx::new().await;
    let create =
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }";
    let event = |name: &str, parent: Value| {
        json!({ "input": { "name": name, "kind": "OTHER", "organizerId": c.org(c.home),
            "startsOn": "2025-01-01", "endsOn": "2025-01-02", "parentEventId": parent } })
    };
    let a = c.staff(create, event("A", Value::Null)).await["data"]["createEvent"]["event"]["id"]
        .clone();
    let b =
        c.staff(create, event("B", a.clone())).await["data"]["createEvent"]["event"]["id"].clone();
    let d =
        c.staff(create, event("C", b.clone())).await["data"]["createEvent"]["event"]["id"].clone();
    assert!(d.is_string());
    let update =
        "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { id } } }";
    for parent in [&a, &d] {
        let body = c
            .staff(
                update,
                json!({ "input": { "id": a, "version": 1, "parentEventId": parent } }),
            )
            .await;
        assert_eq!(
            codes_and_field(&body),
            (vec!["BAD_USER_INPUT".to_owned()], json!("parentEventId")),
            "{body}"
        );
    }
    let body = c
        .staff(
            update,
            json!({ "input": { "id": d, "version": 1, "parentEventId": a } }),
        )
        .await;
    assert!(
        body.get("errors").is_none(),
        "re-parenting without a cycle works: {body}"
    );
}

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
async fn atomic_counts(c: &Ctx) -> Vec<usize> {
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
