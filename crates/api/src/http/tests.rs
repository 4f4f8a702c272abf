use super::*;
use actix_web::test::TestRequest;

fn accepting(accept: Option<&str>) -> Option<MediaType> {
    let mut req = TestRequest::default();
    if let Some(accept) = accept {
        req = req.insert_header((header::ACCEPT, accept));
    }
    negotiate(&req.to_http_request())
}

#[test]
fn the_graphql_media_type_wins_ties_and_json_is_the_default() {
    assert_eq!(accepting(None), Some(MediaType::Json));
    assert_eq!(accepting(Some("")), Some(MediaType::Json));
    assert_eq!(accepting(Some("*/*")), Some(MediaType::Json));
    assert_eq!(
        accepting(Some("application/json, application/graphql-response+json")),
        Some(MediaType::GraphqlResponse)
    );
    assert_eq!(
        accepting(Some(
            "application/graphql-response+json;q=0.5, application/json"
        )),
        Some(MediaType::Json)
    );
}

#[test]
fn nothing_acceptable_is_none() {
    assert_eq!(accepting(Some("text/html")), None);
    assert_eq!(accepting(Some("application/json;q=0")), None);
}

#[test]
fn request_ids_are_plain_tokens_or_fresh() {
    let mut headers = header::HeaderMap::new();
    let name = header::HeaderName::from_static("x-request-id");
    headers.insert(name.clone(), header::HeaderValue::from_static("trace-42_a"));
    assert_eq!(new_request_id(&headers).0, "trace-42_a");
    headers.insert(name, header::HeaderValue::from_static("evil\"quote"));
    let fresh = new_request_id(&headers).0;
    assert_eq!(fresh.len(), 32);
    assert!(fresh.chars().all(|c| c.is_ascii_hexdigit()));
}
