//! `search:` as people use it: several words, each the start of a word, all
//! required; case and accents ignored; most relevant first — on SQLite and
//! PostgreSQL alike; writes are found under their new words at once.

use e2e::{TestServer, sql_pairs, token};
use serde_json::{Value, json};
use service::Role;

fn names(data: &Value, root: &str) -> Vec<String> {
    data[root]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{data}"))
        .iter()
        .map(|n| n["name"].as_str().expect("name").to_owned())
        .collect()
}

async fn search(server: &TestServer, term: &str) -> Vec<String> {
    let data = server
        .data(
            "query($s: String!) { organizations(search: $s, first: 100) { nodes { name } } }",
            json!({ "s": term }),
        )
        .await;
    names(&data, "organizations")
}

/// Lower-case, accents off (the few letters the demo's names use), for the
/// oracle: a word of `name` starts with `term`.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ä' | 'à' | 'á' | 'â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'É' => 'e',
            'ö' | 'ó' | 'ô' | 'Ö' => 'o',
            'ü' | 'ú' | 'Ü' => 'u',
            'í' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn starts_a_word(name: &str, term: &str) -> bool {
    plain(name)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(&plain(term)))
}

#[tokio::test]
async fn two_partial_words_in_any_order_find_the_university_first() {
    let server = TestServer::demo().await;
    for term in [
        "univ leipzig",
        "leip UNIVE",
        "Universitat Leipzig",
        "UNIVERSITÄT leipzig",
    ] {
        let found = search(&server, term).await;
        assert_eq!(
            found.first().map(String::as_str),
            Some("Universität Leipzig"),
            "{term}: {found:?}"
        );
    }
    // Words that start no word find nothing; a word inside a word is not a prefix.
    assert!(search(&server, "univ xyzzy").await.is_empty());
    assert!(search(&server, "niversit").await.is_empty());
}

/// Case and accents: the same organizations on both databases, each matching
/// by its name or its other searched text; names first, shorter names first.
#[tokio::test]
async fn case_and_accents_are_ignored_on_both_databases() {
    let server = TestServer::demo().await;
    let db = server.db.connect().await;
    let all = sql_pairs(&db, "SELECT name AS p, id FROM organizations").await;
    for term in ["UNIVERSITÄT", "universitat", "Université", "TECHN hoch"] {
        let found = search(&server, term).await;
        let terms: Vec<&str> = term.split_whitespace().collect();
        let mut by_name: Vec<&str> = all
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| terms.iter().all(|t| starts_a_word(n, t)))
            .collect();
        assert!(!by_name.is_empty(), "{term}: the demo has such names");
        // The name matches come first, shortest first among those where the
        // first word starts the name.
        let head: Vec<&str> = found
            .iter()
            .take(by_name.len())
            .map(String::as_str)
            .collect();
        let mut sorted_head = head.clone();
        sorted_head.sort_unstable();
        by_name.sort_unstable();
        assert_eq!(sorted_head, by_name, "{term}: {found:?}");
    }
    let upper = search(&server, "UNIVERSITÄT").await;
    let plain_ascii = search(&server, "universitat").await;
    assert_eq!(upper, plain_ascii);
    assert!(upper.iter().any(|n| n == "Universität Kassel"), "{upper:?}");
}

#[tokio::test]
async fn a_search_orders_by_relevance_unless_an_order_is_given_and_pages_by_cursor() {
    let server = TestServer::demo().await;
    let found = search(&server, "tech").await;
    assert!(found.len() > 5, "{found:?}");
    // Names whose first word starts with the term come before the others.
    let first_words: Vec<bool> = found
        .iter()
        .take_while(|n| starts_a_word(n, "tech"))
        .map(|n| plain(n).starts_with("tech"))
        .collect();
    assert!(
        first_words.windows(2).all(|w| w[0] >= w[1]),
        "names starting with the word first: {found:?}"
    );
    // Paging by cursor through the relevance order gives the same rows.
    let paged: Vec<String> = server
        .pages(
            r#"query($after: String) { organizations(search: "tech", first: 3, after: $after) {
            pageInfo { hasNextPage endCursor } nodes { name } } }"#,
            "organizations",
        )
        .await
        .iter()
        .flat_map(|page| page["nodes"].as_array().expect("nodes").clone())
        .map(|n| n["name"].as_str().expect("name").to_owned())
        .collect();
    assert_eq!(paged, found);
    // With an order, the order rules.
    let data = server
        .data(
            r#"{ organizations(search: "tech", first: 100, orderBy: [{ field: NAME, direction: DESC }]) { nodes { name } } }"#,
            json!({}),
        )
        .await;
    let mut expected = found.clone();
    expected.sort_by(|a, b| service::text::collate(b, a));
    assert_eq!(names(&data, "organizations"), expected);
}

#[tokio::test]
async fn written_rows_are_found_by_their_new_words_and_summaries_only_by_their_readers() {
    let server = TestServer::demo().await;
    let created = server
        .post(
            "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id version } } }",
            json!({ "input": { "kind": "COMPANY", "name": "Ångström Straße Werke", "countryCode": "DE" } }),
        )
        .await;
    let org = &created["data"]["createOrganization"]["organization"];
    assert!(org["id"].is_string(), "{created}");
    assert_eq!(
        search(&server, "angst STRASSE").await,
        ["Ångström Straße Werke"]
    );
    let updated = server
        .post(
            "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { name } } }",
            json!({ "input": { "id": org["id"], "version": org["version"], "name": "Nordlicht Werke" } }),
        )
        .await;
    assert!(updated.get("errors").is_none(), "{updated}");
    assert!(search(&server, "angst").await.is_empty());
    assert_eq!(search(&server, "nordl werk").await, ["Nordlicht Werke"]);

    // An agreement's summary is searched only for those who read every summary.
    let db = server.db.connect().await;
    let (summary, _) = sql_pairs(
        &db,
        "SELECT summary AS p, id FROM agreements WHERE summary IS NOT NULL ORDER BY id LIMIT 1",
    )
    .await
    .remove(0);
    let word: String = summary
        .split_whitespace()
        .max_by_key(|w| w.len())
        .expect("a word")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let query = "query($s: String!) { agreements(search: $s) { totalCount } }";
    let staff = server
        .post_as(&token(Role::Staff, None), query, json!({ "s": word }))
        .await
        .1;
    let anonymous = server.post_anonymous(query, json!({ "s": word })).await;
    let staff_count = staff["data"]["agreements"]["totalCount"]
        .as_u64()
        .expect("count");
    let anonymous_count = anonymous["data"]["agreements"]["totalCount"]
        .as_u64()
        .expect("count");
    assert!(staff_count >= 1, "{word}: {staff}");
    assert!(anonymous_count < staff_count, "{word}: {anonymous}");
}
