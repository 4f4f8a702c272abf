//! Global ids: `node(id:)` and `nodes(ids:)` resolve every type.

use e2e::{TestServer, error_codes};
use serde_json::{Value, json};

/// Root connections and the GraphQL types their nodes may have.
const ROOTS: &[(&str, &[&str])] = &[
    ("universities", &["University"]),
    ("companies", &["Company"]),
    ("institutes", &["Institute"]),
    ("people", &["Person"]),
    ("events", &["Event"]),
    ("agreements", &["Agreement"]),
    ("programs", &["Program"]),
    ("students", &["Student"]),
    ("jointUnits", &["JointUnit"]),
    ("visits", &["Visit"]),
    ("countries", &["Country"]),
    ("fieldsOfStudy", &["FieldOfStudy"]),
];

#[tokio::test]
async fn node_round_trips_every_type() {
    let server = TestServer::demo().await;
    let mut all_ids = Vec::new();
    for (root, types) in ROOTS {
        let data = server
            .data(
                &format!("{{ {root}(first: 3) {{ nodes {{ __typename id }} }} }}"),
                json!({}),
            )
            .await;
        let nodes = data[*root]["nodes"].as_array().expect("nodes").clone();
        assert!(!nodes.is_empty(), "{root} has rows");
        for node in nodes {
            let typename = node["__typename"].as_str().expect("typename");
            assert!(types.contains(&typename), "{root}: {typename}");
            let found = server
                .data(
                    "query($id: ID!) { node(id: $id) { __typename id } }",
                    json!({ "id": node["id"] }),
                )
                .await;
            assert_eq!(found["node"], node, "node(id:) returns the same object");
            all_ids.push(node);
        }
    }
    let ids: Vec<Value> = all_ids.iter().map(|n| n["id"].clone()).collect();
    let found = server
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(
        found["nodes"],
        Value::Array(all_ids),
        "nodes(ids:) keeps the order"
    );
}

#[tokio::test]
async fn unknown_ids_are_null_and_malformed_ids_are_bad_input() {
    let server = TestServer::demo().await;
    let data = server
        .data("{ agreements(first: 1) { nodes { id } } }", json!({}))
        .await;
    let real = data["agreements"]["nodes"][0]["id"].clone();

    // A well-formed id of a row that does not exist: "Agreement:999999999".
    let missing = "QWdyZWVtZW50Ojk5OTk5OTk5OQ";
    let data = server
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [real, missing] }),
        )
        .await;
    assert_eq!(data["nodes"][0]["id"], real);
    assert_eq!(data["nodes"][1], Value::Null);

    for bad in ["", "!!!", "bm9wZQ", "T3JnYW5pemF0aW9uOmFiYw"] {
        let body = server
            .post(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": bad }),
            )
            .await;
        assert_eq!(
            error_codes(&body),
            vec!["BAD_USER_INPUT".to_owned()],
            "id {bad:?}: {body}"
        );
        assert_eq!(body["errors"][0]["extensions"]["field"], json!("id"));
    }
}
