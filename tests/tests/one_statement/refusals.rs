//! Refused arguments, at the root and under rows, answered by the plan
//! with the service's error at every place; documents the plan refuses whole; the
//! schema's own execution (introspection beside data) reading through the
//! plan root field by root field.

use super::*;

#[tokio::test]
async fn refused_arguments_are_one_statement() {
    let world = World::new().await;
    // Arguments the service refuses, at the root and under rows: each
    // refusal at every place the field is asked, its `null` bubbling up as
    // a non-null field's does, or staying in place for a nullable one.
    let cases: &[(Who, &str)] = &[
        (
            Who::Staff,
            "{ auditLog(first: 5) { nodes { at entityId } } }",
        ),
        (
            Who::Staff,
            "{ organizations(first: -1) { nodes { name } } }",
        ),
        (
            Who::Staff,
            "{ organizations(first: 1000) { nodes { name } } }",
        ),
        (Who::Staff, "{ node(id: \"bm90IGFuIGlk\") { id } }"),
        (
            Who::Staff,
            "{ countries(first: 3) { nodes { code } } node(id: \"bm90IGFuIGlk\") { id } }",
        ),
        (
            Who::Staff,
            "{ countries(first: 3) { nodes { code } } nodes(ids: [\"bm90IGFuIGlk\"]) { id } }",
        ),
        (
            Who::Partner,
            "{ students(first: 2) { nodes { fullName } groups(by: [DATE_OF_BIRTH_YEAR]) { count } } }",
        ),
        (
            Who::Anonymous,
            "{ statistics { partnerOrganizations studentsByNationality(first: -1) { count } } }",
        ),
        (
            Who::Anonymous,
            "{ statistics { visitingExperts(year: 999999) } }",
        ),
    ];
    for (who, query) in cases {
        world.refuses_arguments(*who, query).await;
    }
    // Under rows: the refusal at each row's field, with its path, and its
    // `null` bubbling up to `data` through the non-null fields, as the spec
    // says. (The resolvers answered these without paths, the field left out:
    // an error raised by a batched page load.)
    let nested = [
        (
            Who::Staff,
            "{ organizations(first: 3) { nodes { name people(first: 1000) { nodes { id } } } } }",
            "LIMIT_EXCEEDED",
        ),
        (
            Who::Staff,
            "{ organizations(first: 3) { nodes { name people(after: \"not a cursor\") { nodes { id } } } } }",
            "BAD_USER_INPUT",
        ),
        (
            Who::Partner,
            "{ organizations(first: 3) { nodes { name people(filter: { email: { eq: \"x@y.z\" } }) { totalCount } } } }",
            "FORBIDDEN",
        ),
    ];
    for (who, query, code) in nested {
        let before = world.one_statement_reads().await;
        let body: Value =
            serde_json::from_str(&world.raw(who, query, &json!({})).await).expect("JSON");
        assert_eq!(
            world.one_statement_reads().await - before,
            1,
            "{who:?}: one statement\n{query}"
        );
        assert_eq!(body["data"], Value::Null, "{who:?}: {body:#}");
        let errors = body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 3, "{who:?}: one per row: {body:#}");
        for (i, error) in errors.iter().enumerate() {
            assert_eq!(error["extensions"]["code"], code, "{who:?}: {body:#}");
            assert_eq!(
                error["path"],
                json!(["organizations", "nodes", i, "people"]),
                "{who:?}: {body:#}"
            );
        }
    }
    // One response key for one field with other arguments (in fragments
    // on other types): not a valid document, refused whole, as graphql-js
    // validation refuses it ("Overlapping fields can be merged").
    let conflicting = "{ organizations(first: 2) { nodes {
        ... on Company { country { people(first: 4) { totalCount } } }
        country { people(first: 3) { totalCount } } } } }";
    let (status, body) = world
        .server
        .post_as(&token(Role::Staff, None), conflicting, json!({}))
        .await;
    // A request error: no execution (GraphQL over HTTP: 400 for
    // `application/graphql-response+json`).
    assert_eq!(status, 400, "{body:#}");
    assert!(body.get("data").is_none_or(Value::is_null), "{body:#}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body:#}");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Fields \"people\" conflict")),
        "{body:#}"
    );
    assert_eq!(
        error["locations"].as_array().map(Vec::len),
        Some(2),
        "{body:#}"
    );
    // Introspection beside data: the schema answers, each root field read
    // through the plan.
    let before = world.one_statement_reads().await;
    let body: Value = serde_json::from_str(
        &world
            .raw(
                Who::Staff,
                "{ countries(first: 1) { nodes { code } } __schema { queryType { name } } }",
                &json!({}),
            )
            .await,
    )
    .expect("JSON");
    assert!(body.get("errors").is_none(), "{body:#}");
    assert_eq!(
        body["data"]["countries"]["nodes"][0]["code"], "AD",
        "{body:#}"
    );
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
    assert_eq!(
        world.one_statement_reads().await,
        before,
        "not the whole-operation plan"
    );
}

/// A root `__typename` beside data is in the one statement.
#[tokio::test]
async fn a_root_typename_is_planned() {
    let world = World::new().await;
    for who in EVERYONE {
        let (body, compiled) = world
            .twice(
                *who,
                "{ __typename countries(first: 2) { __typename nodes { code } } }",
                json!({}),
            )
            .await;
        assert_eq!(body["data"]["__typename"], "Query", "{body:#}");
        assert_eq!(
            body["data"]["countries"]["nodes"][1]["code"], "AE",
            "{body:#}"
        );
        assert_eq!(compiled, 2, "{who:?}: one statement");
    }
}
