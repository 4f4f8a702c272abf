//! `api import ror`: organizations from ROR schema v2 records (the fixtures
//! in `tests/fixtures/ror`, written from ROR's schema and its records
//! repository): created or updated by ROR id with their names, identifiers
//! and places; a second import changes nothing (no version, no audit
//! entry); a record that breaks the schema is skipped by its index, or with
//! `--strict` stops the import with nothing written — on SQLite and
//! PostgreSQL alike.

use api::import::{Quiet, Report};
use e2e::{TestServer, sql_ids};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ror")
        .join(name)
}

async fn import(db: &DatabaseConnection, name: &str, strict: bool) -> Result<Report, String> {
    api::import::ror(db, &fixture(name), strict, &mut Quiet).await
}

const BY_ROR: &str = "query($ror: String!) { organizationByIdentifier(scheme: ROR, value: $ror) {
    __typename name shortName country { code } city website foundedYear rorId version
    identifiers { scheme value } names { value lang kind } } }";

async fn by_ror(server: &TestServer, ror: &str) -> Value {
    let body = server.post(BY_ROR, json!({ "ror": ror })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["organizationByIdentifier"].clone()
}

/// Each organization's version and the audit log's size: what a write
/// would change.
async fn state(db: &DatabaseConnection) -> (Vec<i64>, usize) {
    let versions = sql_ids(db, "SELECT id * 1000 + version AS id FROM organizations").await;
    let audit = sql_ids(db, "SELECT id FROM audit_log").await.len();
    (versions, audit)
}

#[tokio::test]
async fn records_create_and_update_organizations_and_a_second_import_changes_nothing() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;

    let report = import(&db, "one.json", false).await.expect("imported");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (1, 0, 0)
    );
    assert!(
        report.skipped.is_empty() && report.warnings.is_empty(),
        "{report:?}"
    );
    assert_eq!(
        by_ror(&server, "0x8kqn359").await,
        json!({
            "__typename": "University", "name": "Upper Rhine University of Technology",
            "shortName": "URUT", "country": { "code": "DE" }, "city": "Karlsruhe",
            "website": "https://www.urut.example/", "foundedYear": 1971,
            "rorId": "https://ror.org/0x8kqn359", "version": 1,
            "identifiers": [
                { "scheme": "FUNDREF", "value": "501100999901" },
                { "scheme": "GRID", "value": "grid.999901.f" },
                { "scheme": "ISNI", "value": "0000000899990014" },
                { "scheme": "ISNI", "value": "000000089999009X" },
                { "scheme": "ROR", "value": "https://ror.org/0x8kqn359" },
                { "scheme": "WIKIDATA", "value": "Q999999901" }
            ],
            "names": [
                { "value": "Upper Rhine University of Technology", "lang": "en", "kind": "DISPLAY" },
                { "value": "Technische Universität Oberrhein", "lang": "de", "kind": "LABEL" },
                { "value": "URUT", "lang": "und", "kind": "ACRONYM" },
                { "value": "UpRhine Tech", "lang": "en", "kind": "ALIAS" }
            ]
        })
    );

    // An array: a company, a facility (an institute), and the home
    // university, which the demo data already holds by its ROR id.
    let home_before = by_ror(&server, "02as5yg64").await;
    let report = import(&db, "array.json", false).await.expect("imported");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (2, 1, 0)
    );
    assert_eq!(by_ror(&server, "0y2fc7d46").await["__typename"], "Company");
    assert_eq!(
        by_ror(&server, "0x8kfac56").await["__typename"],
        "Institute"
    );
    let home = by_ror(&server, "02as5yg64").await;
    assert_eq!(
        home["version"],
        home_before["version"].as_i64().expect("a version") + 1
    );
    assert_eq!(home["name"], "Shanghai Polytechnic University");
    assert_eq!(home["shortName"], "SSPU");
    // ROR's names join those the organization had; its SCHAC code, which
    // ROR does not give, stays.
    let names = home["names"].as_array().expect("names");
    for (value, lang) in [
        ("上海第二工业大学", "zh"),
        ("上海第二工業大學", "zh"),
        ("上海第二工业大学", "zh-Hans"),
        ("Shanghai Second Polytechnic University", "en"),
    ] {
        assert!(
            names
                .iter()
                .any(|n| n["value"] == value && n["lang"] == lang),
            "{value} ({lang}) in {home}"
        );
    }
    let identifiers = home["identifiers"].as_array().expect("identifiers");
    assert!(identifiers.contains(&json!({ "scheme": "SCHAC", "value": "sspu.edu.cn" })));
    assert!(identifiers.contains(&json!({ "scheme": "GRID", "value": "grid.412535.4" })));

    // The dump: everything above again, the two partner universities of the
    // story (updated from ROR), and record 2, which breaks the schema.
    let report = import(&db, "dump.json", false).await.expect("imported");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 2, 4)
    );
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert!(
        report.skipped[0].starts_with("record 2 (https://ror.org/0w5brk975)")
            && report.skipped[0].contains("university"),
        "{report:?}"
    );
    let rousse = by_ror(&server, "01g09ef73").await;
    assert_eq!(rousse["name"], "Angel Kanchev University of Ruse");
    assert!(
        rousse["names"]
            .as_array()
            .expect("names")
            .iter()
            .any(|n| n["value"] == "Русенски университет" && n["lang"] == "bg")
    );

    // The same file again changes nothing at all.
    let before = state(&db).await;
    for name in ["dump.json", "one.json", "array.json"] {
        let report = import(&db, name, false).await.expect("imported");
        assert_eq!(
            (report.created, report.updated),
            (0, 0),
            "{name}: {report:?}"
        );
    }
    assert_eq!(state(&db).await, before);
}

#[tokio::test]
async fn strict_stops_at_a_record_that_breaks_the_schema_with_nothing_written() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let before = state(&db).await;
    let error = import(&db, "dump.json", true)
        .await
        .expect_err("record 2 breaks the schema");
    assert!(
        error.starts_with("record 2 (https://ror.org/0w5brk975)") && error.contains("nothing"),
        "{error}"
    );
    // Records 0 and 1 were written in the import's transaction: gone.
    assert_eq!(state(&db).await, before);
    assert!(by_ror(&server, "0x8kqn359").await.is_null());
    // Without the broken record, --strict imports everything.
    let report = import(&db, "array.json", true).await.expect("imported");
    assert_eq!((report.created, report.updated), (2, 1));
    assert_eq!(
        by_ror(&server, "0y2fc7d46").await["name"],
        "Kestrel Photonics AG"
    );
}
