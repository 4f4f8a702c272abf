//! An agreement's mobility balance (`mobilityBalance(academicYear:)`): per
//! cooperation condition in force, the people sent in its direction, what
//! is left and how the two directions compare — checked against figures
//! worked out by hand and against a SQL computation written from the
//! definitions (not from the plan), on SQLite and PostgreSQL alike.

use e2e::{TestServer, error_codes, global_id, sql_ids, token};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use service::Role;

const BALANCE: &str = "query($id: ID!, $year: String!) { node(id: $id) { ... on Agreement {
  mobilityBalance(academicYear: $year) {
    condition { mobilityType sending { id } receiving { id } mobilitiesPerYear }
    allowed used remaining oppositeUsed balance } } } }";

/// A two-party agreement of the demo data and its parties, home first.
async fn agreement(db: &DatabaseConnection) -> (i64, i64, i64) {
    let id = sql_ids(
        db,
        "SELECT agreement_id AS id FROM agreement_parties GROUP BY agreement_id HAVING COUNT(*) = 2 ORDER BY agreement_id",
    )
    .await[0];
    let parties = sql_ids(
        db,
        &format!("SELECT organization_id AS id FROM agreement_parties WHERE agreement_id = {id}"),
    )
    .await;
    (id, parties[0], parties[1])
}

async fn post(server: &TestServer, query: &str, variables: Value) -> Value {
    let (_, body) = server
        .post_as(&token(Role::Staff, None), query, variables)
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

async fn student(server: &TestServer, agreement: i64, from: i64, to: i64, on: &str, status: &str) {
    post(
        server,
        "mutation($input: CreateStudentInput!) { createStudent(input: $input) { student { id } } }",
        json!({ "input": {
            "fullName": format!("Balance Student {from}-{to} {on} {status}"), "nationality": "BG",
            "homeOrganizationId": global_id("Organization", from),
            "hostOrganizationId": global_id("Organization", to),
            "agreementId": global_id("Agreement", agreement),
            "degreeLevel": "EXCHANGE", "status": status, "enrolledOn": on } }),
    )
    .await;
}

async fn visit(server: &TestServer, agreement: Option<i64>, person: &str, to: i64, on: &str) {
    post(
        server,
        "mutation($input: CreateVisitInput!) { createVisit(input: $input) { visit { id } } }",
        json!({ "input": {
            "personId": person, "hostOrganizationId": global_id("Organization", to),
            "agreementId": agreement.map(|a| global_id("Agreement", a)),
            "startsOn": on, "endsOn": on } }),
    )
    .await;
}

/// `[allowed, used, remaining, oppositeUsed, balance]` per condition in
/// force in the year starting `first`, in order: written from the
/// definitions in SQL both databases read alike.
async fn oracle(db: &DatabaseConnection, agreement: i64, first: i32) -> Vec<[i64; 5]> {
    let year = format!("{first}/{}", first + 1);
    let (start, end) = (format!("{first}-09-01"), format!("{}-09-01", first + 1));
    let students = |from: &str, to: &str| {
        format!(
            "(SELECT COUNT(*) FROM students s WHERE s.agreement_id = c.agreement_id
              AND s.home_organization_id = c.{from} AND s.host_organization_id = c.{to}
              AND s.status <> 'withdrawn' AND s.enrolled_on >= '{start}' AND s.enrolled_on < '{end}')"
        )
    };
    let staff = |from: &str, to: &str| {
        format!(
            "(SELECT COUNT(*) FROM visits v, people p WHERE p.id = v.person_id
              AND v.agreement_id = c.agreement_id AND p.organization_id = c.{from}
              AND v.host_organization_id = c.{to}
              AND v.starts_on >= '{start}' AND v.starts_on < '{end}')"
        )
    };
    let sent = |from: &str, to: &str| {
        format!(
            "CASE WHEN c.mobility_type LIKE 'student%' THEN {} ELSE {} END",
            students(from, to),
            staff(from, to)
        )
    };
    let sql = format!(
        "SELECT c.mobilities_per_year AS allowed, {} AS used, {} AS opposite
         FROM cooperation_conditions c WHERE c.agreement_id = {agreement}
         AND c.first_academic_year <= '{year}' AND c.last_academic_year >= '{year}'
         ORDER BY c.position",
        sent("sending_organization_id", "receiving_organization_id"),
        sent("receiving_organization_id", "sending_organization_id"),
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("the oracle's statement");
    rows.iter()
        .map(|r| {
            let get = |c: &str| {
                r.try_get::<i64>("", c)
                    .or_else(|_| r.try_get::<i32>("", c).map(i64::from))
                    .expect("an integer")
            };
            let (allowed, used, opposite) = (get("allowed"), get("used"), get("opposite"));
            [allowed, used, allowed - used, opposite, used - opposite]
        })
        .collect()
}

fn figures(data: &Value) -> Vec<[i64; 5]> {
    data["node"]["mobilityBalance"]
        .as_array()
        .expect("a balance")
        .iter()
        .map(|b| {
            ["allowed", "used", "remaining", "oppositeUsed", "balance"]
                .map(|k| b[k].as_i64().expect("an integer figure"))
        })
        .collect()
}

#[tokio::test]
async fn the_balance_counts_each_direction_in_its_academic_year() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let (raw, home, partner) = agreement(&db).await;
    let id = global_id("Agreement", raw);
    let (h, p) = (
        global_id("Organization", home),
        global_id("Organization", partner),
    );
    let version = post(
        &server,
        "query($id: ID!) { node(id: $id) { ... on Agreement { version } } }",
        json!({ "id": id }),
    )
    .await["node"]["version"]
        .clone();
    let condition = |kind: &str, from: &str, to: &str, per_year: i64, last: &str| {
        let mut c = json!({ "mobilityType": kind, "sendingOrganizationId": from,
            "receivingOrganizationId": to, "firstAcademicYear": "2024/2025",
            "lastAcademicYear": last, "mobilitiesPerYear": per_year });
        let amount = if kind.starts_with("STUDENT") {
            "totalMonthsPerYear"
        } else {
            "totalDaysPerYear"
        };
        c[amount] = json!(10);
        c
    };
    post(
        &server,
        "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement { version } } }",
        json!({ "input": { "id": id, "version": version, "cooperationConditions": [
            condition("STUDENT_STUDIES", &h, &p, 2, "2025/2026"),
            condition("STUDENT_STUDIES", &p, &h, 3, "2025/2026"),
            condition("STAFF_TEACHING", &p, &h, 1, "2024/2025"),
        ] } }),
    )
    .await;
    // Out (home → partner) in 2024/2025: the first and last days count, a
    // nomination counts, a withdrawal does not; the day before is 2023/2024.
    for (on, status) in [
        ("2024-09-01", "ENROLLED"),
        ("2025-08-31", "APPLIED"),
        ("2025-02-01", "ENROLLED"),
        ("2025-03-01", "WITHDRAWN"),
        ("2024-08-31", "ENROLLED"),
    ] {
        student(&server, raw, home, partner, on, status).await;
    }
    // In (partner → home): one in 2024/2025, one in 2025/2026.
    student(&server, raw, partner, home, "2024-10-01", "GRADUATED").await;
    student(&server, raw, partner, home, "2025-10-01", "ENROLLED").await;
    // A student of another agreement between the same two does not count.
    let other = sql_ids(
        &db,
        &format!("SELECT id FROM agreements WHERE id <> {raw} ORDER BY id"),
    )
    .await[0];
    student(&server, other, home, partner, "2024-10-01", "ENROLLED").await;
    // Staff: two visits under the agreement from the partner, one outside it.
    let person = post(
        &server,
        "mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }",
        json!({ "input": { "fullName": "Balance Visitor", "organizationId": p } }),
    )
    .await["createPerson"]["person"]["id"]
        .as_str()
        .expect("a person id")
        .to_owned();
    visit(&server, Some(raw), &person, home, "2024-11-04").await;
    visit(&server, Some(raw), &person, home, "2025-05-04").await;
    visit(&server, None, &person, home, "2025-06-04").await;

    let staff = token(Role::Staff, None);
    let ask = |year: &str| server.post_as(&staff, BALANCE, json!({ "id": id, "year": year }));
    let (_, body) = ask("2024/2025").await;
    let data = &body["data"];
    assert!(body["errors"].is_null(), "{body}");
    // By hand: out 3 of 2 (over by one), in 1 of 3; staff in 2 of 1.
    assert_eq!(
        figures(data),
        vec![[2, 3, -1, 1, 2], [3, 1, 2, 3, -2], [1, 2, -1, 0, 2]],
        "{body}"
    );
    assert_eq!(figures(data), oracle(&db, raw, 2024).await);
    assert_eq!(
        data["node"]["mobilityBalance"][2]["condition"],
        json!({ "mobilityType": "STAFF_TEACHING", "sending": { "id": p },
                "receiving": { "id": h }, "mobilitiesPerYear": 1 })
    );
    // 2025/2026: the staff condition has ended; one student came in.
    let (_, body) = ask("2025/2026").await;
    assert_eq!(
        figures(&body["data"]),
        vec![[2, 0, 2, 1, -1], [3, 1, 2, 0, 1]],
        "{body}"
    );
    assert_eq!(figures(&body["data"]), oracle(&db, raw, 2025).await);
    // No condition is in force in 2023/2024.
    let (_, body) = ask("2023/2024").await;
    assert_eq!(body["data"]["node"]["mobilityBalance"], json!([]), "{body}");
    // Not an academic year: the agreement is null, the error says why.
    for bad in ["2024/2026", "2024", "next year"] {
        let (_, body) = ask(bad).await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
        assert!(body["data"]["node"].is_null(), "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("academicYear")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_balance_is_read_under_the_agreements_rules() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    // Every demo agreement's balance equals the oracle's, in every year its
    // conditions cover, as staff.
    let agreements = sql_ids(&db, "SELECT agreement_id AS id FROM cooperation_conditions").await;
    assert!(!agreements.is_empty());
    let mut counted = 0;
    for raw in agreements {
        for first in 2023..=2026 {
            let (_, body) = server
                .post_as(
                    &token(Role::Staff, None),
                    BALANCE,
                    json!({ "id": global_id("Agreement", raw), "year": format!("{first}/{}", first + 1) }),
                )
                .await;
            let expected = oracle(&db, raw, first).await;
            assert_eq!(figures(&body["data"]), expected, "agreement {raw}, {first}");
            counted += expected.iter().map(|f| f[1] + f[3]).sum::<i64>();
        }
    }
    assert!(counted > 0, "the demo's agreements have people under them");
    // Admins and a partner of the agreement read the balance as staff do. Anyone
    // else sees the agreement and its conditions, but not who went: each
    // figure is null with FORBIDDEN, `allowed` (the condition's) is there.
    let raw = sql_ids(
        &db,
        "SELECT agreement_id AS id FROM cooperation_conditions
         WHERE first_academic_year <= '2024/2025' AND last_academic_year >= '2024/2025'",
    )
    .await[0];
    let partner = sql_ids(
        &db,
        &format!(
            "SELECT organization_id AS id FROM agreement_parties p JOIN organizations o
             ON o.id = p.organization_id WHERE p.agreement_id = {raw} AND NOT o.is_home"
        ),
    )
    .await[0];
    let outsider = sql_ids(
        &db,
        &format!(
            "SELECT id FROM organizations WHERE id NOT IN
             (SELECT organization_id FROM agreement_parties WHERE agreement_id = {raw}) ORDER BY id"
        ),
    )
    .await[0];
    let variables = json!({ "id": global_id("Agreement", raw), "year": "2024/2025" });
    let (_, staff) = server
        .post_as(&token(Role::Staff, None), BALANCE, variables.clone())
        .await;
    assert!(!figures(&staff["data"]).is_empty(), "{staff}");
    let (_, own) = server
        .post_as(
            &token(Role::Partner, Some(partner)),
            BALANCE,
            variables.clone(),
        )
        .await;
    assert_eq!(own["data"], staff["data"], "{own}");
    let (_, admin) = server
        .post_as(&token(Role::Admin, None), BALANCE, variables.clone())
        .await;
    assert_eq!(admin["data"], staff["data"], "{admin}");
    let outsider = server
        .post_as(
            &token(Role::Partner, Some(outsider)),
            BALANCE,
            variables.clone(),
        )
        .await
        .1;
    let anonymous = server.post_anonymous(BALANCE, variables).await;
    for body in [outsider, anonymous] {
        let balances = body["data"]["node"]["mobilityBalance"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .clone();
        assert_eq!(balances.len(), figures(&staff["data"]).len(), "{body}");
        let mut paths = Vec::new();
        for (i, b) in balances.iter().enumerate() {
            assert_eq!(
                b["allowed"],
                staff["data"]["node"]["mobilityBalance"][i]["allowed"]
            );
            for key in ["used", "remaining", "oppositeUsed", "balance"] {
                assert!(b[key].is_null(), "{body}");
                paths.push(json!(["node", "mobilityBalance", i, key]));
            }
        }
        let errors = body["errors"].as_array().expect("errors");
        assert!(
            errors
                .iter()
                .all(|e| e["extensions"]["code"] == "FORBIDDEN"),
            "{body}"
        );
        let mut got: Vec<Value> = errors.iter().map(|e| e["path"].clone()).collect();
        got.sort_by_key(|p| p.to_string());
        paths.sort_by_key(|p| p.to_string());
        assert_eq!(got, paths, "{body}");
    }
}
