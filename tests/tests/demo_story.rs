//! The story of DESIGN.md, read through the API: the three 2024 agreements with
//! their parties, countries, signatories and fields of study.

use e2e::TestServer;
use serde_json::{Value, json};

const STORY: &str = r#"
query Story($after: String) {
  agreements(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      title kind status signedOn
      event { name kind }
      parties {
        role
        organization { __typename name isHome country { code name } ... on Company { industry } }
        signatory { fullName title }
      }
      fieldsOfStudy { code name level }
    }
  }
}"#;

async fn all_agreements(server: &TestServer) -> Vec<Value> {
    let mut after = Value::Null;
    let mut out = Vec::new();
    loop {
        let data = server.data(STORY, json!({ "after": after })).await;
        let conn = &data["agreements"];
        out.extend(conn["nodes"].as_array().expect("nodes").iter().cloned());
        if conn["pageInfo"]["hasNextPage"] != json!(true) {
            return out;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
}

fn partner_named<'a>(agreements: &'a [Value], name_part: &str, year: &str) -> Vec<&'a Value> {
    agreements
        .iter()
        .filter(|a| a["signedOn"].as_str().is_some_and(|d| d.starts_with(year)))
        .filter(|a| {
            a["parties"].as_array().is_some_and(|ps| {
                ps.iter().any(|p| {
                    p["organization"]["name"]
                        .as_str()
                        .is_some_and(|n| n.contains(name_part))
                })
            })
        })
        .collect()
}

fn party<'a>(agreement: &'a Value, role: &str) -> &'a Value {
    agreement["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|p| p["role"] == json!(role))
        .expect("a party with that role")
}

fn field_codes(agreement: &Value) -> Vec<&str> {
    agreement["fieldsOfStudy"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["code"].as_str().expect("code"))
        .collect()
}

#[tokio::test]
async fn the_three_2024_agreements_come_with_parties_signatories_and_fields() {
    let server = TestServer::demo().await;
    let agreements = all_agreements(&server).await;

    let techprotect = partner_named(&agreements, "TechProtect", "2024");
    assert_eq!(techprotect.len(), 1, "one 2024 agreement with TechProtect");
    let tp = techprotect[0];
    assert_eq!(tp["kind"], json!("COOPERATION_AGREEMENT"));
    assert_eq!(tp["status"], json!("ACTIVE"));
    assert!(
        tp["title"]
            .as_str()
            .expect("title")
            .to_lowercase()
            .contains("waste")
    );
    assert_eq!(tp["event"]["kind"], json!("PARTNERSHIP_WEEK"));
    let lead = party(tp, "LEAD");
    assert_eq!(
        lead["organization"]["name"],
        json!("Shanghai Polytechnic University")
    );
    assert_eq!(lead["organization"]["isHome"], json!(true));
    assert_eq!(lead["organization"]["country"]["code"], json!("CN"));
    let partner = party(tp, "PARTNER");
    assert_eq!(partner["organization"]["__typename"], json!("Company"));
    assert_eq!(partner["organization"]["country"]["name"], json!("Germany"));
    assert!(partner["organization"]["industry"].is_string());
    assert_eq!(partner["signatory"]["fullName"], json!("Armin Kienle"));
    assert!(
        field_codes(tp).contains(&"0712"),
        "e-waste: environmental protection technology"
    );

    let rousse = partner_named(&agreements, "Rousse", "2024");
    assert_eq!(
        rousse.len(),
        1,
        "one 2024 agreement with the University of Rousse"
    );
    let ru = rousse[0];
    assert_eq!(ru["kind"], json!("MEMORANDUM_OF_UNDERSTANDING"));
    assert_eq!(ru["event"]["kind"], json!("PARTNERSHIP_WEEK"));
    let partner = party(ru, "PARTNER");
    assert_eq!(partner["organization"]["__typename"], json!("University"));
    assert_eq!(partner["organization"]["country"]["code"], json!("BG"));
    assert!(partner["signatory"]["fullName"].is_string());
    assert!(!field_codes(ru).is_empty());

    let dublin = partner_named(&agreements, "Dublin", "2024");
    assert_eq!(dublin.len(), 1, "one 2024 agreement with TU Dublin");
    let tud = dublin[0];
    assert_eq!(tud["kind"], json!("COOPERATION_AGREEMENT"));
    assert_eq!(
        party(tud, "PARTNER")["organization"]["country"]["code"],
        json!("IE")
    );
    assert!(
        field_codes(tud).contains(&"0613"),
        "computer science: software development"
    );
    // "On Wednesday" (3 April 2024) and "on the same day"; TU Dublin "earlier
    // last week" (the week of 25 March).
    assert_eq!(tp["signedOn"], json!("2024-04-03"));
    assert_eq!(ru["signedOn"], json!("2024-04-03"));
    let dublin_day = tud["signedOn"].as_str().expect("date");
    assert!(
        ("2024-03-25".."2024-03-31").contains(&dublin_day),
        "{dublin_day}"
    );
    for agreement in [tp, ru, tud] {
        for p in agreement["parties"].as_array().expect("parties") {
            assert!(
                p["signatory"]["fullName"].is_string(),
                "every party has a signatory"
            );
        }
        for f in agreement["fieldsOfStudy"].as_array().expect("fields") {
            assert_eq!(f["level"], json!("DETAILED"));
        }
    }
}

#[tokio::test]
async fn the_partnership_week_lists_its_activities_and_agreements() {
    let server = TestServer::demo().await;
    let query = r#"{ events(first: 5, filter: { kind: { eq: PARTNERSHIP_WEEK } }) { nodes {
        name kind startsOn endsOn
        activities { totalCount nodes { name kind startsOn } }
        agreements { nodes { title parties { organization { name } } } }
    } } }"#;
    let data = server.data(query, json!({})).await;
    let week = data["events"]["nodes"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| {
            e["kind"] == json!("PARTNERSHIP_WEEK")
                && e["startsOn"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("2024"))
        })
        .expect("the 2024 Global Partnership Week")
        .clone();
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
        assert!(kinds.contains(&kind), "the week has a {kind}: {kinds:?}");
    }
    let partners: Vec<String> = week["agreements"]["nodes"]
        .as_array()
        .expect("agreements")
        .iter()
        .flat_map(|a| a["parties"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["organization"]["name"].as_str().map(str::to_owned))
        .collect();
    assert!(
        partners.iter().any(|n| n.contains("TechProtect")),
        "{partners:?}"
    );
    assert!(
        partners.iter().any(|n| n.contains("Rousse")),
        "{partners:?}"
    );
}
