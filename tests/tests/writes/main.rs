//! Writes: every mutation by role, validation, the agreement lifecycle,
//! atomicity, optimistic concurrency, referential safety and the audit trail.

use e2e::{TestServer, error_codes, global_id, raw_id, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

mod described;
mod history;
mod lifecycle;

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
