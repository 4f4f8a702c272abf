//! Global ids in any base64 form a client may produce (`btoa()` gives
//! standard, padded base64) name the same row; answers carry the canonical
//! form (URL-safe, unpadded).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use e2e::TestServer;
use serde_json::json;

#[tokio::test]
async fn padded_and_standard_base64_ids_are_accepted() {
    let server = TestServer::demo().await;
    let data = server
        .data(
            "{ organizations(first: 40) { nodes { id name } } }",
            json!({}),
        )
        .await;
    let nodes = data["organizations"]["nodes"].as_array().expect("nodes");
    // Pick ids whose canonical form differs from the padded ones.
    let mut tried = 0;
    for node in nodes {
        let canonical = node["id"].as_str().expect("id");
        let bytes = URL_SAFE_NO_PAD
            .decode(canonical)
            .expect("canonical ids are URL-safe base64");
        for form in [STANDARD.encode(&bytes), URL_SAFE.encode(&bytes)] {
            if form == canonical {
                continue;
            }
            tried += 1;
            let answer = server
                .data(
                    "query($id: ID!) { node(id: $id) { id ... on Organization { name } } }",
                    json!({ "id": form }),
                )
                .await;
            assert_eq!(answer["node"]["id"], json!(canonical), "{form}");
            assert_eq!(answer["node"]["name"], node["name"]);
            let filtered = server
                .data(
                    "query($id: ID!) { organizations(filter: { id: { eq: $id } }) { totalCount } }",
                    json!({ "id": form }),
                )
                .await;
            assert_eq!(filtered["organizations"]["totalCount"], json!(1), "{form}");
        }
    }
    assert!(tried >= 10, "{tried} padded forms tried");
}
