//! The example operations of DESIGN.md, as written, on the demo data.

use e2e::design::{DASHBOARD, PARTNERS_IN_GERMANY, PARTNERSHIP_WEEK};
use e2e::{TestServer, error_codes, sql_ids};
use serde_json::{Value, json};

#[tokio::test]
async fn partners_in_germany() {
    let server = TestServer::demo().await;
    let data = server.data(PARTNERS_IN_GERMANY, json!({})).await;
    let conn = &data["organizations"];
    let db = server.db.connect().await;
    let german = sql_ids(
        &db,
        "SELECT id FROM organizations WHERE country_code = 'DE'",
    )
    .await;
    assert_eq!(conn["totalCount"], json!(german.len()));
    let nodes = conn["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), german.len().min(20));
    let names: Vec<&str> = nodes
        .iter()
        .map(|n| n["name"].as_str().expect("name"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| service::text::collate(a, b));
    assert_eq!(names, sorted, "ordered by name, as people read it");
    let position = |name: &str| names.iter().position(|n| n.starts_with(name));
    assert!(position("Hochschule für Technik") < position("Hochschule Ulm"));
    assert!(names.contains(&"TechProtect GmbH"));
    for node in nodes {
        assert_eq!(node["country"]["code"], json!("DE"));
        if node["kind"] == json!("COMPANY") {
            assert!(node.get("industry").is_some());
        } else {
            assert!(node.get("industry").is_none());
        }
        let id = e2e::raw_id(&node["id"]);
        let active = sql_ids(
            &db,
            &format!(
                "SELECT a.id FROM agreements a JOIN agreement_parties p ON p.agreement_id = a.id
             WHERE p.organization_id = {id} AND a.status = 'active'"
            ),
        )
        .await;
        assert_eq!(node["agreements"]["totalCount"], json!(active.len()));
    }
    let techprotect = nodes
        .iter()
        .find(|n| n["name"] == json!("TechProtect GmbH"))
        .expect("TechProtect");
    let titles: Vec<&str> = techprotect["agreements"]["nodes"]
        .as_array()
        .expect("agreements")
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        titles.len(),
        2,
        "the e-waste cooperation and the teaching partnership: {titles:?}"
    );
}

#[tokio::test]
async fn partnership_week() {
    let server = TestServer::demo().await;
    let data = server.data(PARTNERSHIP_WEEK, json!({})).await;
    let week = &data["events"]["nodes"][0];
    assert_eq!(week["name"], json!("2024 Global Partnership Week"));
    assert_eq!(week["startsOn"], json!("2024-04-01"));
    let kinds: Vec<&str> = week["activities"]["nodes"]
        .as_array()
        .expect("activities")
        .iter()
        .map(|a| a["kind"].as_str().expect("kind"))
        .collect();
    for kind in [
        "ACADEMIC_SALON",
        "PROMOTION_MEETING",
        "MATCHMAKING",
        "CAMPUS_TOUR",
    ] {
        assert!(kinds.contains(&kind), "{kind}");
    }
    let agreements = week["agreements"]["nodes"].as_array().expect("agreements");
    let partner = |a: &Value| -> String {
        a["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .find(|p| p["role"] == json!("PARTNER"))
            .expect("partner")["organization"]["name"]
            .as_str()
            .expect("name")
            .to_owned()
    };
    let partners: Vec<String> = agreements.iter().map(partner).collect();
    assert!(
        partners.iter().any(|p| p == "TechProtect GmbH"),
        "{partners:?}"
    );
    assert!(
        partners.iter().any(|p| p.contains("Rousse")),
        "{partners:?}"
    );
    for a in agreements {
        for p in a["parties"].as_array().expect("parties") {
            assert!(p["signatory"]["fullName"].is_string());
            assert!(p["organization"]["country"]["name"].is_string());
        }
        assert!(!a["fieldsOfStudy"].as_array().expect("fields").is_empty());
    }
}

#[tokio::test]
async fn dashboard_shows_the_story_figures() {
    let server = TestServer::demo().await;
    let data = server.data(DASHBOARD, json!({})).await;
    let s = &data["statistics"];
    assert_eq!(s["partnerOrganizations"], json!(171));
    assert_eq!(s["partnerCountries"], json!(38));
    assert_eq!(s["collaborativePrograms"], json!(148));
    assert_eq!(s["internationalStudents"], json!(170));
    assert_eq!(s["studentCountries"], json!(27));
    assert_eq!(s["jointUnits"], json!(20));
    assert_eq!(s["jointUnitsGrowthPercent"], json!(43));
    assert_eq!(s["englishTaughtMajors"], json!(6));
    assert!(s["visitingExperts"].as_u64().expect("experts") >= 70);
    let top = s["studentsByNationality"].as_array().expect("groups");
    assert_eq!(top.len(), 5);
    let counts: Vec<u64> = top
        .iter()
        .map(|g| g["count"].as_u64().expect("count"))
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most first: {counts:?}"
    );
    assert!(top.iter().all(|g| g["country"]["name"].is_string()));
    assert!(top.iter().any(|g| g["country"]["code"] == json!("RU")));
}

#[tokio::test]
async fn group_bys_match_sql_and_respect_first() {
    let server = TestServer::demo().await;
    let data = server
        .data(
            r#"{ statistics(asOf: "2024-04-03") {
        agreementsByStatus(first: 10) { status count }
        agreementsByKind(first: 2) { kind count }
        agreementsByYear(first: 100) { year count }
        programsByKind(first: 100) { kind count }
        jointUnitsByYear(first: 100) { year count }
        partnersByCountry(first: 100) { country { code } count }
    } }"#,
            json!({}),
        )
        .await;
    let s = &data["statistics"];
    let total = |key: &str| -> u64 {
        s[key]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| g["count"].as_u64().expect("count"))
            .sum()
    };
    let db = server.db.connect().await;
    let all = sql_ids(&db, "SELECT id FROM agreements").await.len() as u64;
    assert_eq!(total("agreementsByStatus"), all);
    assert_eq!(s["agreementsByKind"].as_array().expect("kinds").len(), 2);
    let signed = sql_ids(
        &db,
        "SELECT id FROM agreements WHERE signed_on <= '2024-04-03'",
    )
    .await
    .len() as u64;
    assert_eq!(total("agreementsByYear"), signed);
    let running = sql_ids(&db, "SELECT id FROM programs WHERE starts_on <= '2024-04-03' AND (ends_on IS NULL OR ends_on > '2024-04-03')").await.len() as u64;
    assert_eq!(total("programsByKind"), running);
    assert_eq!(total("jointUnitsByYear"), 20);
    assert_eq!(total("partnersByCountry"), 171);
    assert_eq!(
        s["partnersByCountry"].as_array().expect("countries").len(),
        38
    );
    for key in [
        "agreementsByStatus",
        "agreementsByYear",
        "programsByKind",
        "jointUnitsByYear",
        "partnersByCountry",
    ] {
        let counts: Vec<u64> = s[key]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| g["count"].as_u64().expect("count"))
            .collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{key} most first: {counts:?}"
        );
    }
    let body = server
        .post(
            "{ statistics { agreementsByKind(first: 1001) { count } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["LIMIT_EXCEEDED".to_owned()]);
    let body = server
        .post(
            "{ statistics { agreementsByKind(first: -1) { count } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT".to_owned()]);
}

/// The statistics' group-bys take the groups' `orderBy`: years in order for
/// a chart, the smallest first, and `first` cuts after ordering.
#[tokio::test]
async fn statistics_group_bys_take_the_group_order() {
    let server = TestServer::demo().await;
    let data = server
        .data(
            r#"{ statistics(asOf: "2024-04-03") {
        byYear: agreementsByYear(first: 100, orderBy: [{ field: KEY }]) { year count }
        mostFirst: agreementsByYear(first: 100) { year count }
        latest: agreementsByYear(first: 3, orderBy: [{ field: KEY, direction: DESC }]) { year count }
        fewest: agreementsByStatus(orderBy: [{ field: COUNT, direction: ASC }]) { status count }
    } }"#,
            json!({}),
        )
        .await;
    let s = &data["statistics"];
    let pairs = |key: &str| -> Vec<(i64, u64)> {
        s[key]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| {
                (
                    g["year"].as_i64().unwrap_or(0),
                    g["count"].as_u64().expect("count"),
                )
            })
            .collect()
    };
    let by_year = pairs("byYear");
    assert!(by_year.len() > 3, "{by_year:?}");
    assert!(by_year.windows(2).all(|w| w[0].0 < w[1].0), "{by_year:?}");
    let mut most_first = pairs("mostFirst");
    assert_ne!(most_first, by_year, "the default order is by count");
    most_first.sort_unstable();
    assert_eq!(most_first, by_year, "the same groups either way");
    let latest = pairs("latest");
    let expected: Vec<(i64, u64)> = by_year.iter().rev().take(3).copied().collect();
    assert_eq!(latest, expected);
    let fewest: Vec<u64> = s["fewest"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["count"].as_u64().expect("count"))
        .collect();
    assert!(fewest.windows(2).all(|w| w[0] <= w[1]), "{fewest:?}");
}

/// README's error shapes (under "Creating an agreement") are the server's
/// answers, word for word.
#[tokio::test]
async fn readmes_error_shapes_are_the_servers() {
    let server = TestServer::demo().await;
    let readme = include_str!("../../README.md");
    let block = readme
        .split("The error shapes look like this")
        .nth(1)
        .and_then(|rest| rest.split("```json\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("README's error shapes");
    let shapes: Vec<Value> = block
        .split("\n\n")
        .map(|text| serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}")))
        .collect();
    assert_eq!(shapes.len(), 2, "{block}");
    let db = server.db.connect().await;
    let orgs = sql_ids(&db, "SELECT id FROM organizations ORDER BY id LIMIT 2").await;
    let org = |i: usize| e2e::global_id("Organization", orgs[i]);
    let create = "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id version } } }";
    let input = |lead2: &str| {
        json!({ "input": { "title": "Cooperation on e-waste research", "kind": "COOPERATION_AGREEMENT",
            "parties": [ { "organizationId": org(0), "role": "LEAD" }, { "organizationId": org(1), "role": lead2 } ] } })
    };
    let two_leads = server.post(create, input("LEAD")).await;
    let created = server.data(create, input("PARTNER")).await;
    let id = created["createAgreement"]["agreement"]["id"].clone();
    let update = "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement { version } } }";
    for version in [1, 2] {
        server
            .data(update, json!({ "input": { "id": id, "version": version, "summary": format!("v{version}") } }))
            .await;
    }
    let stale = server
        .post(
            update,
            json!({ "input": { "id": id, "version": 2, "summary": "late" } }),
        )
        .await;
    for (shape, answer) in shapes.iter().zip([two_leads, stale]) {
        assert_eq!(answer["data"], shape["data"], "{answer}");
        let (want, got) = (&shape["errors"][0], &answer["errors"][0]);
        assert_eq!(got["message"], want["message"], "{answer}");
        assert_eq!(got["path"], want["path"], "{answer}");
        for (key, value) in want["extensions"].as_object().expect("extensions") {
            assert_eq!(&got["extensions"][key], value, "{key}: {answer}");
        }
        assert_eq!(error_codes(&answer).len(), 1, "{answer}");
    }
}
