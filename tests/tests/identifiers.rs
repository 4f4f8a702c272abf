//! An organization's identifiers in other registries and its names in
//! several languages: written through the organization mutations (each
//! value checked and normalized, unique per scheme, `rorId` kept equal to
//! the ROR identifier), read as lists, found by `organizationByIdentifier`
//! in any accepted spelling, filtered on, searched by any name (Chinese
//! included), and audited — on SQLite and PostgreSQL alike.

use e2e::{TestServer, error_codes, sql_ids, token};
use serde_json::{Value, json};
use service::Role;

const CREATE: &str = "mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization {
    id version rorId name
    identifiers { scheme value }
    names { value lang kind }
  } } }";

const UPDATE: &str = "mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { organization {
    id version rorId name
    identifiers { scheme value }
    names { value lang kind }
  } } }";

async fn staff(server: &TestServer, query: &str, variables: Value) -> Value {
    server
        .post_as(&token(Role::Staff, None), query, variables)
        .await
        .1
}

fn organization(body: &Value, root: &str) -> Value {
    let organization = &body["data"][root]["organization"];
    assert!(organization.is_object(), "{body}");
    organization.clone()
}

#[tokio::test]
async fn identifiers_are_checked_normalized_unique_and_found_in_any_spelling() {
    let server = TestServer::demo().await;
    let created = staff(
        &server,
        CREATE,
        json!({ "input": {
            "kind": "UNIVERSITY", "name": "Universität der Prüfungen", "countryCode": "DE",
            "identifiers": [
                { "scheme": "ROR", "value": "00pjdza24" },
                { "scheme": "ISNI", "value": "0000 0001 2146 438x" },
                { "scheme": "ERASMUS", "value": "d pruefen01" },
                { "scheme": "SCHAC", "value": "Uni-Pruefungen.DE" },
                { "scheme": "PIC", "value": "999875633" },
                { "scheme": "WIKIDATA", "value": "https://www.wikidata.org/wiki/Q1513" }
            ]
        } }),
    )
    .await;
    let org = organization(&created, "createOrganization");
    assert_eq!(org["rorId"], "https://ror.org/00pjdza24", "{created}");
    assert_eq!(
        org["identifiers"],
        json!([
            { "scheme": "ERASMUS", "value": "D  PRUEFEN01" },
            { "scheme": "ISNI", "value": "000000012146438X" },
            { "scheme": "PIC", "value": "999875633" },
            { "scheme": "ROR", "value": "https://ror.org/00pjdza24" },
            { "scheme": "SCHAC", "value": "uni-pruefungen.de" },
            { "scheme": "WIKIDATA", "value": "Q1513" }
        ])
    );
    let id = org["id"].as_str().expect("id").to_owned();

    // Found by every accepted spelling; an unknown one is null; a value
    // that fails its check is BAD_USER_INPUT naming `value`.
    for (scheme, value) in [
        ("ROR", "https://ror.org/00pjdza24"),
        ("ROR", "00PJDZA24"),
        ("ISNI", "000000012146438X"),
        ("ERASMUS", "D PRUEFEN01"),
        ("SCHAC", "uni-pruefungen.de"),
    ] {
        let data = server
            .data(
                "query($s: IdentifierScheme!, $v: String!) { organizationByIdentifier(scheme: $s, value: $v) { id name } }",
                json!({ "s": scheme, "v": value }),
            )
            .await;
        assert_eq!(
            data["organizationByIdentifier"]["id"],
            id.as_str(),
            "{scheme} {value}"
        );
    }
    let missing = staff(
        &server,
        "{ organizationByIdentifier(scheme: ROR, value: \"03cve4549\") { id } }",
        json!({}),
    )
    .await;
    assert_eq!(
        missing["data"]["organizationByIdentifier"],
        Value::Null,
        "{missing}"
    );
    let bad = staff(
        &server,
        "{ organizationByIdentifier(scheme: ROR, value: \"00pjdza25\") { id } }",
        json!({}),
    )
    .await;
    assert_eq!(error_codes(&bad), ["BAD_USER_INPUT"], "{bad}");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "value", "{bad}");

    // Filterable.
    let data = server
        .data(
            "{ organizations(filter: { identifiers: { some: { scheme: { eq: PIC }, value: { eq: \"999875633\" } } } }) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["organizations"]["nodes"], json!([{ "id": id }]));

    // Another organization may not hold the same value: CONFLICT, and
    // nothing of it is written.
    let before = sql_ids(&server.db.connect().await, "SELECT id FROM organizations").await;
    let taken = staff(
        &server,
        CREATE,
        json!({ "input": { "kind": "COMPANY", "name": "Copycat", "countryCode": "DE",
            "identifiers": [{ "scheme": "PIC", "value": "999875633" }] } }),
    )
    .await;
    assert_eq!(error_codes(&taken), ["CONFLICT"], "{taken}");
    let after = sql_ids(&server.db.connect().await, "SELECT id FROM organizations").await;
    assert_eq!(before, after);

    // Each scheme's check refuses a wrong value, naming the entry.
    for (scheme, value) in [
        ("ROR", "00pjdza42"),
        ("ISNI", "0000 0001 2146 4381"),
        ("PIC", "12345678"),
        ("WIKIDATA", "P31"),
        ("SCHAC", "not a domain"),
        ("ERASMUS", "BERLIN"),
        ("GRID", "grid.1001"),
        ("FUNDREF", "10.13039/x"),
    ] {
        let refused = staff(
            &server,
            CREATE,
            json!({ "input": { "kind": "COMPANY", "name": "Wrong", "countryCode": "DE",
                "identifiers": [{ "scheme": "PIC", "value": "123456789" }, { "scheme": scheme, "value": value }] } }),
        )
        .await;
        assert_eq!(
            error_codes(&refused),
            ["BAD_USER_INPUT"],
            "{scheme} {value}: {refused}"
        );
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], "identifiers[1].value",
            "{refused}"
        );
    }
    // Two ROR ids for one organization.
    let two = staff(
        &server,
        CREATE,
        json!({ "input": { "kind": "COMPANY", "name": "Twice", "countryCode": "DE",
            "identifiers": [{ "scheme": "ROR", "value": "03cve4549" }, { "scheme": "ROR", "value": "02mhbdp94" }] } }),
    )
    .await;
    assert_eq!(error_codes(&two), ["BAD_USER_INPUT"], "{two}");
}

#[tokio::test]
async fn ror_id_and_the_ror_identifier_stay_the_same() {
    let server = TestServer::demo().await;
    let created = staff(
        &server,
        CREATE,
        json!({ "input": { "kind": "INSTITUTE", "name": "Institut Ror", "countryCode": "FR",
            "rorId": "03cve4549", "identifiers": [{ "scheme": "PIC", "value": "111222333" }] } }),
    )
    .await;
    let org = organization(&created, "createOrganization");
    assert_eq!(
        org["identifiers"],
        json!([
            { "scheme": "PIC", "value": "111222333" },
            { "scheme": "ROR", "value": "https://ror.org/03cve4549" }
        ]),
        "rorId joins the set"
    );
    let id = org["id"].clone();

    // rorId alone replaces the ROR identifier and keeps the others.
    let changed = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 1, "rorId": "https://ror.org/02mhbdp94" } }),
    )
    .await;
    let org = organization(&changed, "updateOrganization");
    assert_eq!(org["version"], 2);
    assert_eq!(
        org["identifiers"],
        json!([
            { "scheme": "PIC", "value": "111222333" },
            { "scheme": "ROR", "value": "https://ror.org/02mhbdp94" }
        ])
    );

    // A set without a ROR identifier clears rorId.
    let changed = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 2, "identifiers": [{ "scheme": "SCHAC", "value": "ror.example.fr" }] } }),
    )
    .await;
    let org = organization(&changed, "updateOrganization");
    assert_eq!(org["rorId"], Value::Null, "{changed}");
    assert_eq!(
        org["identifiers"],
        json!([{ "scheme": "SCHAC", "value": "ror.example.fr" }])
    );

    // Both given and different: refused, nothing changes.
    let clash = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 3, "rorId": "03cve4549",
            "identifiers": [{ "scheme": "ROR", "value": "02mhbdp94" }] } }),
    )
    .await;
    assert_eq!(error_codes(&clash), ["BAD_USER_INPUT"], "{clash}");
    let now = server
        .data(
            "query($id: ID!) { node(id: $id) { ... on Organization { version rorId } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(now["node"], json!({ "version": 3, "rorId": null }));
}

#[tokio::test]
async fn names_in_several_languages_are_kept_audited_and_searched() {
    let server = TestServer::demo().await;
    let created = staff(
        &server,
        CREATE,
        json!({ "input": { "kind": "UNIVERSITY", "name": "Harbour Polytechnic", "countryCode": "CN",
            "names": [
                { "value": "Harbour Polytechnic", "lang": "en", "kind": "DISPLAY" },
                { "value": "港口理工大学", "lang": "zh-hans", "kind": "LABEL" },
                { "value": "Hafen-Polytechnikum", "lang": "de", "kind": "LABEL" },
                { "value": "HPU", "lang": "en", "kind": "ACRONYM" }
            ] } }),
    )
    .await;
    let org = organization(&created, "createOrganization");
    assert_eq!(
        org["names"],
        json!([
            { "value": "Harbour Polytechnic", "lang": "en", "kind": "DISPLAY" },
            { "value": "港口理工大学", "lang": "zh-Hans", "kind": "LABEL" },
            { "value": "Hafen-Polytechnikum", "lang": "de", "kind": "LABEL" },
            { "value": "HPU", "lang": "en", "kind": "ACRONYM" }
        ]),
        "{created}"
    );
    let id = org["id"].clone();

    // Found by any of its names, the Chinese one too (by its characters).
    for term in ["港口", "港口理工大学", "hafen", "polytechnikum"] {
        let data = server
            .data(
                "query($s: String!) { organizations(search: $s) { nodes { id } } }",
                json!({ "s": term }),
            )
            .await;
        let found = data["organizations"]["nodes"]
            .as_array()
            .expect("nodes")
            .clone();
        assert!(found.contains(&json!({ "id": id })), "{term}: {data}");
    }

    // `name(lang:)`: the label in that language (a shorter or longer tag
    // matches), else the display name; a tag that is none is refused.
    let localized = server
        .data(
            "query($id: ID!) { node(id: $id) { ... on Organization {
                name zh: name(lang: \"zh\") zhHansCn: name(lang: \"zh-Hans-CN\")
                zhHans: name(lang: \"ZH-hans\") de: name(lang: \"de-AT\") fr: name(lang: \"fr\")
                en: name(lang: \"en\") } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        localized["node"],
        json!({
            "name": "Harbour Polytechnic", "zh": "港口理工大学", "zhHansCn": "港口理工大学",
            "zhHans": "港口理工大学", "de": "Hafen-Polytechnikum", "fr": "Harbour Polytechnic",
            "en": "Harbour Polytechnic"
        })
    );
    let refused = staff(
        &server,
        "query($id: ID!) { node(id: $id) { ... on Organization { id name(lang: \"klingonese\") } } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_codes(&refused), ["BAD_USER_INPUT"], "{refused}");

    // Renaming changes the DISPLAY name with it.
    let renamed = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 1, "name": "Harbour Polytechnic University" } }),
    )
    .await;
    let org = organization(&renamed, "updateOrganization");
    assert_eq!(
        org["names"][0]["value"], "Harbour Polytechnic University",
        "{renamed}"
    );

    // A DISPLAY name in `names` renames; one different from `name` is refused.
    let clash = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 2, "name": "A",
            "names": [{ "value": "B", "lang": "en", "kind": "DISPLAY" }] } }),
    )
    .await;
    assert_eq!(error_codes(&clash), ["BAD_USER_INPUT"], "{clash}");
    let bad_tag = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 2,
            "names": [{ "value": "B", "lang": "chinese", "kind": "LABEL" }] } }),
    )
    .await;
    assert_eq!(
        bad_tag["errors"][0]["extensions"]["field"], "names[0].lang",
        "{bad_tag}"
    );
    let replaced = staff(
        &server,
        UPDATE,
        json!({ "input": { "id": id, "version": 2,
            "names": [{ "value": "Porto Politecnico", "lang": "it", "kind": "DISPLAY" }] } }),
    )
    .await;
    let org = organization(&replaced, "updateOrganization");
    assert_eq!(org["name"], "Porto Politecnico", "{replaced}");
    assert_eq!(org["version"], 3);

    // The audit entry keeps the names and identifiers as they were and became.
    let audit = server
        .data(
            "{ auditLog(last: 1) { nodes { before after } } }",
            json!({}),
        )
        .await;
    let entry = &audit["auditLog"]["nodes"][0];
    assert_eq!(
        entry["before"]["names"][1]["value"], "港口理工大学",
        "{audit}"
    );
    assert_eq!(
        entry["after"]["names"],
        json!([{ "value": "Porto Politecnico", "lang": "it", "kind": "display" }])
    );
    assert_eq!(entry["after"]["identifiers"], json!([]));
}
