//! Filters: every operator on every kind of field, `and`/`or`/`not`, relation
//! filters, search and `totalCount` — each checked against SQL written here,
//! independently of the server's query builder.

use e2e::{TestServer, error_codes, filtered_ids, sql_ids};
use serde_json::{Value, json};

struct Case {
    root: &'static str,
    filter_type: &'static str,
    filter: Value,
    sql: &'static str,
}

fn case(root: &'static str, filter_type: &'static str, filter: Value, sql: &'static str) -> Case {
    Case {
        root,
        filter_type,
        filter,
        sql,
    }
}

async fn check(server: &TestServer, cases: Vec<Case>) {
    let db = server.db.connect().await;
    for Case {
        root,
        filter_type,
        filter,
        sql,
    } in cases
    {
        let expected = sql_ids(&db, sql).await;
        let (ids, total) = filtered_ids(server, root, filter_type, filter.clone(), "").await;
        assert_eq!(ids, expected, "{root}({filter}) vs {sql}");
        assert_eq!(
            total,
            expected.len() as u64,
            "totalCount of {root}({filter})"
        );
    }
}

const ORG: &str = "OrganizationFilter";

#[tokio::test]
async fn string_operators() {
    let server = TestServer::demo().await;
    check(&server, vec![
        case("organizations", ORG, json!({ "countryCode": { "eq": "DE" } }),
            "SELECT id FROM organizations WHERE country_code = 'DE'"),
        case("organizations", ORG, json!({ "countryCode": { "ne": "DE" } }),
            "SELECT id FROM organizations WHERE country_code <> 'DE'"),
        case("organizations", ORG, json!({ "countryCode": { "in": ["DE", "FR", "BG"] } }),
            "SELECT id FROM organizations WHERE country_code IN ('DE', 'FR', 'BG')"),
        case("organizations", ORG, json!({ "countryCode": { "notIn": ["DE", "FR", "CN"] } }),
            "SELECT id FROM organizations WHERE country_code NOT IN ('DE', 'FR', 'CN')"),
        case("organizations", ORG, json!({ "name": { "lt": "M" } }),
            "SELECT id FROM organizations WHERE name < 'M'"),
        case("organizations", ORG, json!({ "name": { "lte": "Hochschule Karlsruhe" } }),
            "SELECT id FROM organizations WHERE name <= 'Hochschule Karlsruhe'"),
        case("organizations", ORG, json!({ "name": { "gt": "T" } }),
            "SELECT id FROM organizations WHERE name > 'T'"),
        case("organizations", ORG, json!({ "name": { "gte": "TechProtect GmbH" } }),
            "SELECT id FROM organizations WHERE name >= 'TechProtect GmbH'"),
        case("organizations", ORG, json!({ "name": { "contains": "university" } }),
            "SELECT id FROM organizations WHERE LOWER(name) LIKE '%university%'"),
        case("organizations", ORG, json!({ "name": { "contains": "100%_" } }),
            "SELECT id FROM organizations WHERE 1 = 0"),
        case("organizations", ORG, json!({ "name": { "startsWith": "tech" } }),
            "SELECT id FROM organizations WHERE LOWER(name) LIKE 'tech%'"),
        case("organizations", ORG, json!({ "shortName": { "isNull": true } }),
            "SELECT id FROM organizations WHERE short_name IS NULL"),
        case("organizations", ORG, json!({ "shortName": { "isNull": false } }),
            "SELECT id FROM organizations WHERE short_name IS NOT NULL"),
        // NULL counts as "not equal" / "none of".
        case("organizations", ORG, json!({ "industry": { "ne": "Renewable energy systems" } }),
            "SELECT id FROM organizations WHERE industry <> 'Renewable energy systems' OR industry IS NULL"),
        case("organizations", ORG, json!({ "industry": { "notIn": ["Renewable energy systems"] } }),
            "SELECT id FROM organizations WHERE industry NOT IN ('Renewable energy systems') OR industry IS NULL"),
    ]).await;
}

#[tokio::test]
async fn number_boolean_enum_id_and_date_operators() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let some_ids = sql_ids(&db, "SELECT id FROM organizations WHERE id % 7 = 0").await;
    let global: Vec<String> = some_ids
        .iter()
        .map(|id| global_id("Organization", *id))
        .collect();
    let (ids, total) = filtered_ids(
        &server,
        "organizations",
        ORG,
        json!({ "id": { "in": global } }),
        "",
    )
    .await;
    assert_eq!(ids, some_ids);
    assert_eq!(total, some_ids.len() as u64);
    let (ids, _) = filtered_ids(
        &server,
        "organizations",
        ORG,
        json!({ "id": { "eq": global[0], "ne": global[1] } }),
        "",
    )
    .await;
    assert_eq!(ids, vec![some_ids[0]]);
    let all = sql_ids(&db, "SELECT id FROM organizations").await;
    let (ids, _) = filtered_ids(
        &server,
        "organizations",
        ORG,
        json!({ "id": { "notIn": global } }),
        "",
    )
    .await;
    let rest: Vec<i64> = all
        .iter()
        .copied()
        .filter(|id| !some_ids.contains(id))
        .collect();
    assert_eq!(ids, rest);
    // An id of another type is refused, naming the argument.
    let body = server
        .post(
            "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }",
            json!({ "f": { "id": { "eq": global_id("Agreement", 1) } } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT".to_owned()]);

    check(&server, vec![
        case("organizations", ORG, json!({ "foundedYear": { "eq": 1960 } }),
            "SELECT id FROM organizations WHERE founded_year = 1960"),
        case("organizations", ORG, json!({ "foundedYear": { "ne": 1960 } }),
            "SELECT id FROM organizations WHERE founded_year <> 1960 OR founded_year IS NULL"),
        case("organizations", ORG, json!({ "foundedYear": { "in": [1960, 1945, 1990] } }),
            "SELECT id FROM organizations WHERE founded_year IN (1960, 1945, 1990)"),
        case("organizations", ORG, json!({ "foundedYear": { "notIn": [1960] } }),
            "SELECT id FROM organizations WHERE founded_year NOT IN (1960) OR founded_year IS NULL"),
        case("organizations", ORG, json!({ "foundedYear": { "lt": 1950 } }),
            "SELECT id FROM organizations WHERE founded_year < 1950"),
        case("organizations", ORG, json!({ "foundedYear": { "lte": 1950 } }),
            "SELECT id FROM organizations WHERE founded_year <= 1950"),
        case("organizations", ORG, json!({ "foundedYear": { "gt": 1990 } }),
            "SELECT id FROM organizations WHERE founded_year > 1990"),
        case("organizations", ORG, json!({ "foundedYear": { "gte": 1990, "lt": 2000 } }),
            "SELECT id FROM organizations WHERE founded_year >= 1990 AND founded_year < 2000"),
        case("organizations", ORG, json!({ "foundedYear": { "isNull": true } }),
            "SELECT id FROM organizations WHERE founded_year IS NULL"),
        case("organizations", ORG, json!({ "isHome": { "eq": true } }),
            "SELECT id FROM organizations WHERE is_home = true"),
        case("organizations", ORG, json!({ "isHome": { "ne": true } }),
            "SELECT id FROM organizations WHERE is_home = false"),
        case("organizations", ORG, json!({ "isHome": { "isNull": false } }),
            "SELECT id FROM organizations WHERE is_home IS NOT NULL"),
        case("organizations", ORG, json!({ "isHome": { "isNull": true } }),
            "SELECT id FROM organizations WHERE is_home IS NULL"),
        case("organizations", ORG, json!({ "kind": { "eq": "INSTITUTE" }, "industry": { "isNull": true } }),
            "SELECT id FROM organizations WHERE kind = 'institute' AND industry IS NULL"),
        case("organizations", ORG, json!({ "kind": { "eq": "COMPANY" } }),
            "SELECT id FROM organizations WHERE kind = 'company'"),
        case("organizations", ORG, json!({ "kind": { "ne": "UNIVERSITY" } }),
            "SELECT id FROM organizations WHERE kind <> 'university'"),
        case("organizations", ORG, json!({ "kind": { "in": ["COMPANY", "INSTITUTE"] } }),
            "SELECT id FROM organizations WHERE kind IN ('company', 'institute')"),
        case("organizations", ORG, json!({ "kind": { "notIn": ["COMPANY"] } }),
            "SELECT id FROM organizations WHERE kind <> 'company'"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "eq": "2024-04-03" } }),
            "SELECT id FROM agreements WHERE signed_on = '2024-04-03'"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "ne": "2024-04-03" } }),
            "SELECT id FROM agreements WHERE signed_on <> '2024-04-03' OR signed_on IS NULL"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "in": ["2024-04-03", "2024-04-02", "2024-03-26"] } }),
            "SELECT id FROM agreements WHERE signed_on IN ('2024-04-03', '2024-04-02', '2024-03-26')"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "notIn": ["2024-04-03"] } }),
            "SELECT id FROM agreements WHERE signed_on <> '2024-04-03' OR signed_on IS NULL"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "lt": "2015-01-01" } }),
            "SELECT id FROM agreements WHERE signed_on < '2015-01-01'"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "lte": "2015-01-01" } }),
            "SELECT id FROM agreements WHERE signed_on <= '2015-01-01'"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "gt": "2023-06-30" } }),
            "SELECT id FROM agreements WHERE signed_on > '2023-06-30'"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "gte": "2023-06-30" } }),
            "SELECT id FROM agreements WHERE signed_on >= '2023-06-30'"),
        case("agreements", "AgreementFilter", json!({ "signedOn": { "isNull": true } }),
            "SELECT id FROM agreements WHERE signed_on IS NULL"),
        case("agreements", "AgreementFilter", json!({ "status": { "in": ["DRAFT", "UNDER_NEGOTIATION"] } }),
            "SELECT id FROM agreements WHERE status IN ('draft', 'under_negotiation')"),
        case("programs", "ProgramFilter", json!({ "capacity": { "gte": 30 }, "languageCode": { "eq": "en" } }),
            "SELECT id FROM programs WHERE capacity >= 30 AND language_code = 'en'"),
        case("students", "StudentFilter", json!({ "status": { "eq": "ENROLLED" }, "degreeLevel": { "ne": "EXCHANGE" } }),
            "SELECT id FROM students WHERE status = 'enrolled' AND degree_level <> 'exchange'"),
    ]).await;
}

fn global_id(ty: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{ty}:{id}"))
}

#[tokio::test]
async fn and_or_not_nest() {
    let server = TestServer::demo().await;
    check(&server, vec![
        case("organizations", ORG, json!({ "and": [{ "kind": { "eq": "UNIVERSITY" } }, { "countryCode": { "in": ["DE", "FR"] } }] }),
            "SELECT id FROM organizations WHERE kind = 'university' AND country_code IN ('DE', 'FR')"),
        case("organizations", ORG, json!({ "or": [{ "kind": { "eq": "COMPANY" } }, { "countryCode": { "eq": "BG" } }] }),
            "SELECT id FROM organizations WHERE kind = 'company' OR country_code = 'BG'"),
        // NOT keeps the rows the inner filter does not keep, NULLs included.
        case("organizations", ORG, json!({ "not": { "foundedYear": { "gt": 1950 } } }),
            "SELECT id FROM organizations WHERE NOT (founded_year > 1950) OR founded_year IS NULL"),
        case("organizations", ORG, json!({
                "countryCode": { "ne": "CN" },
                "or": [
                    { "and": [{ "kind": { "eq": "UNIVERSITY" } }, { "not": { "city": { "startsWith": "s" } } }] },
                    { "not": { "or": [{ "kind": { "eq": "UNIVERSITY" } }, { "foundedYear": { "isNull": true } }] } }
                ]
            }),
            "SELECT id FROM organizations WHERE country_code <> 'CN' AND (
                (kind = 'university' AND NOT (COALESCE(LOWER(city) LIKE 's%', false)))
                OR NOT (kind = 'university' OR founded_year IS NULL))"),
        case("organizations", ORG, json!({ "and": [], "or": [] }),
            "SELECT id FROM organizations"),
    ]).await;
}

#[tokio::test]
async fn relation_filters() {
    let server = TestServer::demo().await;
    check(&server, vec![
        // to-one
        case("organizations", ORG, json!({ "country": { "region": { "eq": "Western Europe" } } }),
            "SELECT o.id FROM organizations o JOIN countries c ON c.code = o.country_code WHERE c.region = 'Western Europe'"),
        case("students", "StudentFilter", json!({ "hostOrganization": { "isHome": { "eq": true } }, "nationalityCountry": { "region": { "eq": "Central Asia" } } }),
            "SELECT s.id FROM students s JOIN organizations h ON h.id = s.host_organization_id
             JOIN countries c ON c.code = s.nationality WHERE h.is_home = true AND c.region = 'Central Asia'"),
        // some, through a join table and a to-one further down
        case("agreements", "AgreementFilter", json!({ "parties": { "some": { "organization": { "countryCode": { "eq": "DE" } } } } }),
            "SELECT a.id FROM agreements a WHERE EXISTS (SELECT 1 FROM agreement_parties p
             JOIN organizations o ON o.id = p.organization_id WHERE p.agreement_id = a.id AND o.country_code = 'DE')"),
        case("universities", ORG, json!({ "students": { "some": { "nationality": { "eq": "KZ" } } } }),
            "SELECT o.id FROM organizations o WHERE o.kind = 'university' AND EXISTS
             (SELECT 1 FROM students s WHERE s.host_organization_id = o.id AND s.nationality = 'KZ')"),
        // none
        case("organizations", ORG, json!({ "agreements": { "none": { "status": { "eq": "ACTIVE" } } } }),
            "SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM agreement_parties p
             JOIN agreements a ON a.id = p.agreement_id WHERE p.organization_id = o.id AND a.status = 'active')"),
        // every (vacuously true without related rows)
        case("organizations", ORG, json!({ "agreements": { "every": { "status": { "eq": "ACTIVE" } } } }),
            "SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM agreement_parties p
             JOIN agreements a ON a.id = p.agreement_id WHERE p.organization_id = o.id AND a.status <> 'active')"),
        case("organizations", ORG, json!({ "agreements": { "every": { "signedOn": { "gte": "2020-01-01" } }, "some": { "kind": { "eq": "COOPERATION_AGREEMENT" } } } }),
            "SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM agreement_parties p
             JOIN agreements a ON a.id = p.agreement_id WHERE p.organization_id = o.id
               AND (a.signed_on < '2020-01-01' OR a.signed_on IS NULL))
             AND EXISTS (SELECT 1 FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id
               WHERE p.organization_id = o.id AND a.kind = 'cooperation_agreement')"),
        // negations pushed through relations: `not` of a relation and of a
        // disjunction, `every` over `none` over a to-one hop, `not` over
        // `every` (each compiled as EXISTS / NOT EXISTS, never NOT over them)
        case("organizations", ORG, json!({ "not": { "agreements": { "some": { "status": { "eq": "ACTIVE" } } } } }),
            "SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM agreement_parties p
             JOIN agreements a ON a.id = p.agreement_id WHERE p.organization_id = o.id AND a.status = 'active')"),
        case("organizations", ORG, json!({ "not": { "or": [{ "agreements": { "none": {} } }, { "foundedYear": { "lt": 1950 } }] } }),
            "SELECT o.id FROM organizations o WHERE EXISTS (SELECT 1 FROM agreement_parties p WHERE p.organization_id = o.id)
             AND (o.founded_year >= 1950 OR o.founded_year IS NULL)"),
        case("organizations", ORG, json!({ "agreements": { "every": { "parties": { "none": { "organization": { "countryCode": { "eq": "DE" } } } } } } }),
            "SELECT o.id FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM agreement_parties p
             JOIN agreements a ON a.id = p.agreement_id WHERE p.organization_id = o.id
             AND EXISTS (SELECT 1 FROM agreement_parties q JOIN organizations x ON x.id = q.organization_id
               WHERE q.agreement_id = a.id AND x.country_code = 'DE'))"),
        case("organizations", ORG, json!({ "not": { "agreements": { "every": { "status": { "eq": "ACTIVE" } } } } }),
            "SELECT o.id FROM organizations o WHERE EXISTS (SELECT 1 FROM agreement_parties p
             JOIN agreements a ON a.id = p.agreement_id WHERE p.organization_id = o.id AND a.status <> 'active')"),
        // a relation back to the same table (events within events)
        case("events", "EventFilter", json!({ "activities": { "some": { "kind": { "eq": "ACADEMIC_SALON" } } } }),
            "SELECT e.id FROM events e WHERE EXISTS (SELECT 1 FROM events c WHERE c.parent_event_id = e.id AND c.kind = 'academic_salon')"),
    ]).await;
}

#[tokio::test]
async fn countries_through_nested_relations() {
    // Countries are keyed by code: compare codes. Three nested to-many hops
    // are past the default MAX_DATABASE_WORK: this server allows them.
    let server = TestServer::start_with(true, |c| c.max_database_work = 1 << 40).await;
    let query = r#"query($f: CountryFilter) { countries(first: 100, filter: $f) { totalCount nodes { code } } }"#;
    let filter = json!({ "organizations": { "some": { "agreements": { "some": { "fieldsOfStudy": { "some": { "code": { "eq": "0613" } } } } } } } });
    let data = server.data(query, json!({ "f": filter })).await;
    let mut codes: Vec<String> = data["countries"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["code"].as_str().expect("code").to_owned())
        .collect();
    codes.sort();
    let db = server.db.connect().await;
    use sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT DISTINCT o.country_code AS code FROM organizations o
             JOIN agreement_parties p ON p.organization_id = o.id
             JOIN agreement_fields f ON f.agreement_id = p.agreement_id
             WHERE f.field_code = '0613' ORDER BY 1",
        ))
        .await
        .expect("sql");
    let expected: Vec<String> = rows
        .iter()
        .map(|r| {
            r.try_get::<String>("", "code")
                .expect("code")
                .trim()
                .to_owned()
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(codes, expected);
    assert_eq!(data["countries"]["totalCount"], json!(expected.len()));
}

#[tokio::test]
async fn nested_connections_filter_and_count() {
    let server = TestServer::demo().await;
    let query = r#"{ organizations(first: 100, filter: { countryCode: { eq: "DE" } }) { nodes { id
        agreements(filter: { status: { eq: ACTIVE } }, first: 1) { totalCount }
        all: agreements { totalCount } } } }"#;
    let data = server.data(query, json!({})).await;
    let db = server.db.connect().await;
    for node in data["organizations"]["nodes"].as_array().expect("nodes") {
        let id = e2e::raw_id(&node["id"]);
        let active = sql_ids(
            &db,
            &format!(
                "SELECT a.id FROM agreements a JOIN agreement_parties p ON p.agreement_id = a.id
             WHERE p.organization_id = {id} AND a.status = 'active'"
            ),
        )
        .await;
        let all = sql_ids(
            &db,
            &format!(
                "SELECT agreement_id AS id FROM agreement_parties WHERE organization_id = {id}"
            ),
        )
        .await;
        assert_eq!(
            node["agreements"]["totalCount"],
            json!(active.len()),
            "organization {id}"
        );
        assert_eq!(
            node["all"]["totalCount"],
            json!(all.len()),
            "organization {id}"
        );
    }
}

#[tokio::test]
async fn search_matches_names_and_titles_ignoring_case() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    for (root, term, sql) in [
        (
            "organizations",
            "TECHPROTECT",
            "SELECT id FROM organizations WHERE LOWER(name) LIKE '%techprotect%' OR LOWER(short_name) LIKE '%techprotect%' OR LOWER(city) LIKE '%techprotect%' OR LOWER(description) LIKE '%techprotect%'",
        ),
        (
            "agreements",
            "e-waste",
            "SELECT id FROM agreements WHERE LOWER(title) LIKE '%e-waste%' OR LOWER(summary) LIKE '%e-waste%'",
        ),
        (
            "people",
            "kienle",
            "SELECT id FROM people WHERE LOWER(full_name) LIKE '%kienle%' OR LOWER(title) LIKE '%kienle%'",
        ),
        (
            "events",
            "salon",
            "SELECT id FROM events WHERE LOWER(name) LIKE '%salon%' OR LOWER(location) LIKE '%salon%'",
        ),
        (
            "programs",
            "engineering",
            "SELECT id FROM programs WHERE LOWER(name) LIKE '%engineering%'",
        ),
        (
            "students",
            "ivan",
            "SELECT id FROM students WHERE LOWER(full_name) LIKE '%ivan%'",
        ),
    ] {
        let expected = sql_ids(&db, sql).await;
        assert!(!expected.is_empty(), "{root} has matches for {term}");
        let filter_type = match root {
            "organizations" => "OrganizationFilter",
            "agreements" => "AgreementFilter",
            "people" => "PersonFilter",
            "events" => "EventFilter",
            "programs" => "ProgramFilter",
            _ => "StudentFilter",
        };
        let (ids, total) = filtered_ids(
            &server,
            root,
            filter_type,
            Value::Null,
            &format!(", search: \"{term}\""),
        )
        .await;
        assert_eq!(ids, expected, "search {root} for {term}");
        assert_eq!(total, expected.len() as u64);
    }
}

#[tokio::test]
async fn long_in_lists_are_rejected_with_the_path() {
    let server = TestServer::demo().await;
    let names: Vec<String> = (0..1001).map(|i| format!("n{i}")).collect();
    let body = server
        .post(
            "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }",
            json!({ "f": { "or": [{ "name": { "in": names } }] } }),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["LIMIT_EXCEEDED".to_owned()]);
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        json!("filter.or[0].name.in")
    );
    // Exactly the limit is fine.
    let names: Vec<String> = (0..1000).map(|i| format!("n{i}")).collect();
    let data = server
        .data(
            "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }",
            json!({ "f": { "name": { "in": names } } }),
        )
        .await;
    assert_eq!(data["organizations"]["totalCount"], json!(0));
}
