//! `Agreement.ewpIia`: an agreement between two organizations with SCHAC
//! codes as an EWP IIAs v7 document stating its own `iia-hash`; read by
//! staff, admins and the agreement's partners only; `BAD_USER_INPUT`
//! saying why for an agreement that is no IIA — on SQLite and PostgreSQL,
//! over HTTP as the statement's own answer.

use e2e::{TestServer, error_codes, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

fn global(ty: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{ty}:{id}"))
}

async fn schac(server: &TestServer, organization: i64, code: &str) {
    let staff = token(Role::Staff, None);
    let id = global("Organization", organization);
    let (_, node) = server
        .post_as(
            &staff,
            "query($id: ID!) { node(id: $id) { ... on Organization { version } } }",
            json!({ "id": id }),
        )
        .await;
    let (_, body) = server
        .post_as(
            &staff,
            "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { id } } }",
            json!({ "input": { "id": id, "version": node["data"]["node"]["version"],
                "identifiers": [{ "scheme": "SCHAC", "value": code }] } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
}

#[tokio::test]
async fn an_iia_is_exported_with_its_hash_to_those_who_may_read_it() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    // Two two-party agreements of the home university with one partner,
    // and another partner of the home university.
    let pairs = sql_ids(
        &db,
        "SELECT p.agreement_id AS id FROM agreement_parties p JOIN organizations o ON o.id = p.organization_id
         WHERE NOT o.is_home AND p.agreement_id IN
           (SELECT agreement_id FROM agreement_parties GROUP BY agreement_id HAVING COUNT(*) = 2)
         ORDER BY p.agreement_id",
    )
    .await;
    let agreement = pairs[0];
    let parties = sql_ids(
        &db,
        &format!(
            "SELECT p.organization_id AS id FROM agreement_parties p JOIN organizations o ON o.id = p.organization_id
             WHERE p.agreement_id = {agreement} ORDER BY o.is_home DESC"
        ),
    )
    .await;
    let (home, partner) = (parties[0], parties[1]);
    let stranger = sql_ids(
        &db,
        &format!(
            "SELECT id FROM organizations WHERE NOT is_home AND id NOT IN
               (SELECT organization_id FROM agreement_parties WHERE agreement_id = {agreement}) ORDER BY id"
        ),
    )
    .await[0];
    let query = "query($id: ID!) { node(id: $id) { ... on Agreement { id ewpIia } } }";
    let id = global("Agreement", agreement);

    // Without SCHAC codes: BAD_USER_INPUT naming the organization.
    let (_, body) = server
        .post_as(&token(Role::Staff, None), query, json!({ "id": id }))
        .await;
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("SCHAC"),
        "{body}"
    );
    assert_eq!(body["data"]["node"]["ewpIia"], Value::Null);
    assert_eq!(body["errors"][0]["path"], json!(["node", "ewpIia"]));

    schac(&server, home, "home.example.edu").await;
    schac(&server, partner, "partner.example.eu").await;
    for (who, reads) in [
        (Some(token(Role::Staff, None)), true),
        (Some(token(Role::Admin, None)), true),
        (Some(token(Role::Partner, Some(partner))), true),
        (Some(token(Role::Partner, Some(stranger))), false),
        (None, false),
    ] {
        let body = match &who {
            Some(t) => server.post_as(t, query, json!({ "id": id })).await.1,
            None => server.post_anonymous(query, json!({ "id": id })).await,
        };
        if !reads {
            assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
            assert_eq!(body["data"]["node"]["ewpIia"], Value::Null);
            continue;
        }
        assert!(body.get("errors").is_none(), "{body}");
        let xml = body["data"]["node"]["ewpIia"].as_str().expect("a document");
        let document = service::agreement::ewp::parse("xml", xml).expect("well-formed");
        let hashes = service::agreement::ewp::hashes(&document);
        assert_eq!(hashes.len(), 1);
        assert_eq!(
            hashes[0].0.as_deref(),
            Some(hashes[0].1.as_str()),
            "the stated hash is the document's"
        );
        let home_at = xml.find("<hei-id>home.example.edu</hei-id>").expect("home");
        let partner_at = xml
            .find("<hei-id>partner.example.eu</hei-id>")
            .expect("partner");
        assert!(home_at < partner_at, "the home university first");
        let home_iia = sql_ids(
            &db,
            &format!("SELECT COUNT(*) AS id FROM agreement_parties WHERE agreement_id = {agreement} AND iia_id IS NOT NULL"),
        )
        .await[0];
        assert_eq!(home_iia, 1);
        assert!(xml.contains("<iia-id>5350555f-"), "the home party's IIA id");
    }
}

/// Every demo agreement between two universities exports an IIA whose
/// stated hash is its own; the story's memorandum with Rousse grants
/// student and staff exchange both ways.
#[tokio::test]
async fn every_demo_agreement_between_two_universities_is_an_iia() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let query = "query($after: String) { agreements(first: 50, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { title parties { organization { __typename } } ewpIia } } }";
    let (mut after, mut exported) = (Value::Null, Vec::new());
    loop {
        let (_, body) = server
            .post_as(&staff, query, json!({ "after": after }))
            .await;
        let page = &body["data"]["agreements"];
        for agreement in page["nodes"].as_array().expect("nodes") {
            let parties = agreement["parties"].as_array().expect("parties");
            let universities = parties
                .iter()
                .filter(|p| p["organization"]["__typename"] == "University")
                .count();
            if parties.len() != 2 || universities != 2 {
                continue;
            }
            let xml = agreement["ewpIia"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: {body}", agreement["title"]));
            let document = service::agreement::ewp::parse("xml", xml).expect("well-formed");
            let hashes = service::agreement::ewp::hashes(&document);
            assert_eq!(hashes[0].0.as_deref(), Some(hashes[0].1.as_str()));
            if agreement["title"].as_str().is_some_and(|t| {
                t.starts_with("Memorandum of Understanding") && t.contains("Rousse")
            }) {
                assert_eq!(
                    xml.matches("<student-studies-mobility-spec>").count(),
                    2,
                    "{xml}"
                );
                assert_eq!(
                    xml.matches("<staff-teacher-mobility-spec>").count(),
                    2,
                    "{xml}"
                );
                assert!(xml.contains("<hei-id>uni-ruse.bg</hei-id>"));
                assert!(xml.contains("<isced-f-code>0413</isced-f-code>"));
                assert!(xml.contains("<cefr-level>B2</cefr-level>"));
            }
            exported.push(xml.to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert!(
        exported.len() >= 3,
        "the story's university agreements and more: {}",
        exported.len()
    );
    // Every one is valid against the official v7 schema; the validator
    // does refuse a misspelt element.
    assert_eq!(xsd_errors(&exported), "");
    let misspelt = exported[0].replace("in-effect>", "in-efect>");
    assert!(xsd_errors(&[misspelt]).contains("in-efect"));
}

/// What `xmllint` says of `documents` against the EWP IIAs v7
/// `get-response` schema and the schemas it imports (vendored, with their
/// licence and sources, in `crates/service/tests/ewp/xsd`): empty when
/// every one is valid. (`xmllint` is libxml2's: Debian's `libxml2-utils`.)
fn xsd_errors(documents: &[String]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "ewp-xsd-{}-{}",
        std::process::id(),
        documents.len()
    ));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let files: Vec<_> = documents
        .iter()
        .enumerate()
        .map(|(i, xml)| {
            let file = dir.join(format!("iia-{i}.xml"));
            std::fs::write(&file, xml).expect("a temporary file");
            file
        })
        .collect();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/service/tests/ewp/xsd/iias-get-response.xsd"
    );
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema", schema])
        .args(&files)
        .output()
        .expect("xmllint (Debian: apt-get install libxml2-utils) validates the exported IIAs");
    std::fs::remove_dir_all(&dir).ok();
    if output.status.success() {
        return String::new();
    }
    let errors = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!errors.is_empty(), "xmllint failed without saying why");
    errors
}

const IMPORT: &str = "mutation($xml: String!) { importEwpIia(input: { xml: $xml }) {
    agreement { id version status ewpIia } } }";

/// Export → delete → import → export gives the same document; importing
/// it again updates the same agreement (its IIA id names it) with a new
/// version and an audit entry.
#[tokio::test]
async fn an_exported_iia_imported_again_is_the_same_agreement() {
    let server = TestServer::demo().await;
    let (staff, admin) = (token(Role::Staff, None), token(Role::Admin, None));
    let db = server.db.connect().await;
    let rousse = sql_ids(
        &db,
        "SELECT organization_id AS id FROM organization_identifiers WHERE value = 'uni-ruse.bg'",
    )
    .await[0];
    let home = sql_ids(&db, "SELECT id FROM organizations WHERE is_home").await[0];
    let (home, rousse) = (global("Organization", home), global("Organization", rousse));
    let (_, created) = server
        .post_as(
            &staff,
            "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id ewpIia } } }",
            json!({ "input": {
                "title": "Round trip", "kind": "STUDENT_EXCHANGE", "status": "ACTIVE",
                "signedOn": "2024-05-02", "startsOn": "2024-05-02",
                "parties": [
                    { "organizationId": home, "role": "LEAD" },
                    { "organizationId": rousse, "role": "PARTNER", "iiaId": "RU-2024-77", "iiaCode": "RU/E+/77" }
                ],
                "cooperationConditions": [
                    { "mobilityType": "STUDENT_STUDIES", "sendingOrganizationId": home, "receivingOrganizationId": rousse,
                      "firstAcademicYear": "2024/2025", "lastAcademicYear": "2027/2028", "mobilitiesPerYear": 3,
                      "totalMonthsPerYear": 13.5, "eqfLevels": [6], "blended": true,
                      "subjectAreas": [{ "fieldCode": "0613", "clarification": "Software & data" }],
                      "languages": [{ "language": "en", "cefrLevel": "B2" }, { "language": "bg", "cefrLevel": "A2" }] },
                    { "mobilityType": "STAFF_TRAINING", "sendingOrganizationId": rousse, "receivingOrganizationId": home,
                      "firstAcademicYear": "2025/2026", "lastAcademicYear": "2025/2026", "mobilitiesPerYear": 1,
                      "totalDaysPerYear": 7 }
                ]
            } }),
        )
        .await;
    let agreement = &created["data"]["createAgreement"]["agreement"];
    let before = agreement["ewpIia"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let (_, deleted) = server
        .post_as(
            &admin,
            "mutation($id: ID!) { deleteAgreement(input: { id: $id, version: 1 }) { deletedId } }",
            json!({ "id": agreement["id"] }),
        )
        .await;
    assert!(deleted.get("errors").is_none(), "{deleted}");

    let (_, imported) = server
        .post_as(&staff, IMPORT, json!({ "xml": before }))
        .await;
    let again = &imported["data"]["importEwpIia"]["agreement"];
    assert_eq!(again["status"], "ACTIVE", "{imported}");
    assert_eq!(
        again["ewpIia"].as_str(),
        Some(before.as_str()),
        "{imported}"
    );

    // Imported once more: the same agreement, updated.
    let audit_before = sql_ids(&db, "SELECT id FROM audit_log").await.len();
    let (_, updated) = server
        .post_as(&staff, IMPORT, json!({ "xml": before }))
        .await;
    let same = &updated["data"]["importEwpIia"]["agreement"];
    assert_eq!(same["id"], again["id"], "{updated}");
    assert_eq!(same["version"], 2);
    assert_eq!(same["ewpIia"].as_str(), Some(before.as_str()));
    assert_eq!(
        sql_ids(&db, "SELECT id FROM audit_log").await.len(),
        audit_before + 1
    );

    // A partner may not import.
    let partner = sql_ids(
        &db,
        "SELECT organization_id AS id FROM organization_identifiers WHERE value = 'uni-ruse.bg'",
    )
    .await[0];
    let (_, refused) = server
        .post_as(
            &token(Role::Partner, Some(partner)),
            IMPORT,
            json!({ "xml": before }),
        )
        .await;
    assert_eq!(error_codes(&refused), ["FORBIDDEN"], "{refused}");
}

/// Hostile or wrong documents are refused at once, naming what is wrong,
/// with nothing written.
#[tokio::test]
async fn hostile_and_wrong_documents_are_refused_with_nothing_written() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let db = server.db.connect().await;
    let agreements = || async {
        sql_ids(&server.db.connect().await, "SELECT id FROM agreements")
            .await
            .len()
    };
    let count = agreements().await;
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">{}]><iias-get-response>&lol9;</iias-get-response>",
        (1..10)
            .map(|i| format!(
                "<!ENTITY lol{i} \"{}\">",
                format!(
                    "&lol{};",
                    if i == 1 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    }
                )
                .repeat(10)
            ))
            .collect::<String>()
    );
    let passwd = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><iias-get-response>&x;</iias-get-response>";
    let ns = service::agreement::ewp::NAMESPACE;
    let misspelt = format!(
        "<iias-get-response xmlns=\"{ns}\"><iia><partner><hei-id>sspu.edu.cn</hei-id></partner><partner><hei-id>uni-ruse.bg</hei-id></partner><in-efect>true</in-efect><cooperation-conditions/></iia></iias-get-response>"
    );
    let unknown = format!(
        "<iias-get-response xmlns=\"{ns}\"><iia><partner><hei-id>sspu.edu.cn</hei-id></partner><partner><hei-id>nowhere.example.org</hei-id></partner><in-effect>true</in-effect><cooperation-conditions/></iia></iias-get-response>"
    );
    for (xml, says) in [
        (laughs.as_str(), "DTD"),
        (passwd, "DTD"),
        (misspelt.as_str(), "<in-efect>"),
        (unknown.as_str(), "nowhere.example.org"),
        ("<iias-get-response>", "well-formed"),
    ] {
        let (_, body) = server.post_as(&staff, IMPORT, json!({ "xml": xml })).await;
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains(says), "{message}");
    }
    assert_eq!(agreements().await, count, "nothing written");
    drop(db);
}

/// The documents of a page are built from rows read together: a page of
/// two and a page of forty run the same number of statements.
#[tokio::test]
async fn a_page_of_iias_runs_as_many_statements_as_one() {
    let server = TestServer::demo().await;
    let staff = token(Role::Staff, None);
    let query = "query($first: Int!) { agreements(first: $first, orderBy: [{ field: ID, direction: ASC }]) {
        nodes { id ewpIia } } }";
    // The first request of a document may do one-time work.
    server.post_as(&staff, query, json!({ "first": 1 })).await;
    let mut ran = Vec::new();
    for first in [2, 40] {
        let before = server.statements();
        let (_, body) = server
            .post_as(&staff, query, json!({ "first": first }))
            .await;
        let nodes = body["data"]["agreements"]["nodes"]
            .as_array()
            .expect("nodes");
        assert_eq!(nodes.len(), first, "{body}");
        assert!(nodes.iter().any(|n| n["ewpIia"].is_string()), "{body}");
        ran.push(server.statements() - before);
    }
    assert_eq!(ran[0], ran[1], "statements for a page of 2 and of 40");
}
