//! Authentication: bearer tokens become actors; bad tokens are refused with 401.

use e2e::{TEST_JWT_SECRET, TestServer, error_codes, token};
use serde_json::json;
use service::Role;

const VIEWER: &str = "{ viewer { sub role organization { name } } }";

#[tokio::test]
async fn no_header_is_anonymous() {
    let server = TestServer::demo().await;
    let body = server.post_anonymous(VIEWER, json!({})).await;
    assert_eq!(
        body["data"]["viewer"],
        json!({ "sub": null, "role": null, "organization": null })
    );
}

#[tokio::test]
async fn valid_tokens_tell_the_viewer() {
    let server = TestServer::demo().await;
    for (role, name) in [(Role::Admin, "ADMIN"), (Role::Staff, "STAFF")] {
        let (status, body) = server.post_as(&token(role, None), VIEWER, json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["viewer"]["role"], json!(name));
        assert_eq!(body["data"]["viewer"]["sub"], json!("tester"));
    }
    // TechProtect is organization 2 in the demo data? Find it instead of assuming.
    let data = server
        .data(
            r#"{ companies(filter: { name: { eq: "TechProtect GmbH" } }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let org = e2e::raw_id(&data["companies"]["nodes"][0]["id"]);
    let (status, body) = server
        .post_as(&token(Role::Partner, Some(org)), VIEWER, json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["viewer"]["role"], json!("PARTNER"));
    assert_eq!(
        body["data"]["viewer"]["organization"]["name"],
        json!("TechProtect GmbH")
    );
}

#[tokio::test]
async fn bad_tokens_are_unauthenticated_never_anonymous() {
    let server = TestServer::empty().await;
    let other_secret = api::auth::AuthConfig {
        secret: Some("another-secret-of-sufficient-length-0123456789abcdef".to_owned()),
        ..Default::default()
    };
    let forged = api::auth::mint(
        &other_secret,
        "x",
        Role::Admin,
        None,
        std::time::Duration::from_secs(60),
    )
    .expect("mint");
    let expired = {
        use jsonwebtoken::{EncodingKey, Header, encode};
        let claims = json!({ "sub": "x", "role": "admin", "exp": jsonwebtoken::get_current_timestamp() - 3600 });
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
        )
        .expect("encode")
    };
    let unsigned_role = {
        use jsonwebtoken::{EncodingKey, Header, encode};
        let claims = json!({ "sub": "x", "role": "superuser", "exp": jsonwebtoken::get_current_timestamp() + 3600 });
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
        )
        .expect("encode")
    };
    let partner_without_org = {
        use jsonwebtoken::{EncodingKey, Header, encode};
        let claims = json!({ "sub": "x", "role": "partner", "exp": jsonwebtoken::get_current_timestamp() + 3600 });
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
        )
        .expect("encode")
    };
    for (what, bad) in [
        ("forged", forged.as_str()),
        ("expired", expired.as_str()),
        ("malformed", "not.a.jwt"),
        ("unknown role", unsigned_role.as_str()),
        ("partner without org", partner_without_org.as_str()),
    ] {
        let (status, body) = server.post_as(bad, VIEWER, json!({})).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert_eq!(
            error_codes(&body),
            vec!["UNAUTHENTICATED".to_owned()],
            "{what}"
        );
        assert!(body.get("data").is_none(), "{what}: nothing executed");
    }
    // Not a bearer scheme at all.
    let resp = server
        .client
        .post(&server.url)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": VIEWER }))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 401);
    assert!(resp.headers().contains_key("www-authenticate"));
    // GET is authenticated the same way.
    let resp = server
        .client
        .get(&server.url)
        .query(&[("query", VIEWER)])
        .header("authorization", "Bearer not.a.jwt")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 401);
}
