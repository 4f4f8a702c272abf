//! A client's mistakes are answered as mistakes ("a newcomer's first hour",
//! item 2): every argument of every field the schema has — root and
//! nested, queries, mutations and subscriptions — is sent a value of each
//! wrong kind (a scalar for an object, an object for a scalar, a list for a
//! single value, a string for an enum, null for a non-null type, nothing for
//! a required one), written in the document and through a variable. Each
//! must be a request error: HTTP 400 under `application/graphql-response+json`,
//! no `data`, `BAD_USER_INPUT`, naming the argument. Then the forms other
//! servers' users write, with their hints.

use std::collections::{HashMap, VecDeque};

use e2e::{TestServer, token};
use guard::types::{Kind, SchemaTypes, TypeRef};
use serde_json::{Value, json};

/// How to reach a type from an operation's root: the selections to open,
/// `field` or `... on Type`.
type Route = Vec<String>;

/// Every object and interface type reachable from `root` through fields
/// that need no argument, with the shortest route to it.
fn routes(types: &SchemaTypes, root: &str) -> Vec<(String, Route)> {
    let mut seen: HashMap<String, Route> = HashMap::from([(root.to_owned(), Vec::new())]);
    let mut order = vec![root.to_owned()];
    let mut queue = VecDeque::from([root.to_owned()]);
    while let Some(name) = queue.pop_front() {
        let route = seen[&name].clone();
        let t = types.get(&name).expect("a known type");
        let mut next: Vec<(String, String)> = Vec::new();
        for (field, def) in &t.fields {
            let needs_argument = def
                .args
                .iter()
                .any(|a| matches!(a.ty, TypeRef::NonNull(_)) && !a.has_default);
            if field.starts_with("__") || needs_argument {
                continue;
            }
            next.push((def.ty.name().to_owned(), field.clone()));
        }
        for possible in types.possible_types(&name) {
            next.push((possible.to_owned(), format!("... on {possible}")));
        }
        for (target, step) in next {
            let kind = types.get(&target).map(|t| t.kind.clone());
            if !matches!(kind, Some(Kind::Object | Kind::Interface | Kind::Union))
                || seen.contains_key(&target)
            {
                continue;
            }
            let mut longer = route.clone();
            longer.push(step);
            seen.insert(target.clone(), longer);
            order.push(target.clone());
            queue.push_back(target);
        }
    }
    order
        .into_iter()
        .map(|name| {
            let route = seen.remove(&name).expect("seen");
            (name, route)
        })
        .collect()
}

/// A value of type `ty` that coerces, written in a document.
fn valid(types: &SchemaTypes, ty: &TypeRef) -> String {
    match ty {
        TypeRef::NonNull(inner) => valid(types, inner),
        TypeRef::List(inner) => format!("[{}]", valid(types, inner)),
        TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(Kind::Enum) => types.get(name).expect("enum").enum_values[0].clone(),
            Some(Kind::InputObject) => {
                let fields: Vec<String> = types
                    .get(name)
                    .expect("input")
                    .input_fields
                    .iter()
                    .filter(|f| matches!(f.ty, TypeRef::NonNull(_)) && !f.has_default)
                    .map(|f| format!("{}: {}", f.name, valid(types, &f.ty)))
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }
            _ => match name.as_str() {
                "Int" => "1".to_owned(),
                "Float" => "1.5".to_owned(),
                "Boolean" => "true".to_owned(),
                "Date" => "\"2024-04-03\"".to_owned(),
                "DateTime" => "\"2024-04-03T10:00:00Z\"".to_owned(),
                "JSON" => "{}".to_owned(),
                _ => "\"x\"".to_owned(),
            },
        },
    }
}

/// Values of each kind that `ty` refuses, as document literals and as
/// JSON (for a variable of type `ty`); `None` where a kind does not apply.
fn wrong(types: &SchemaTypes, ty: &TypeRef) -> Vec<(&'static str, Option<String>, Option<Value>)> {
    let mut cases = Vec::new();
    let non_null = matches!(ty, TypeRef::NonNull(_));
    if non_null {
        cases.push((
            "null for non-null",
            Some("null".to_owned()),
            Some(Value::Null),
        ));
    }
    let list = ty.is_list();
    let kind = types.get(ty.name()).map(|t| t.kind.clone());
    match kind {
        Some(Kind::InputObject) => {
            cases.push(("scalar for object", Some("1".to_owned()), Some(json!(1))));
            cases.push((
                "string for object",
                Some("\"x\"".to_owned()),
                Some(json!("x")),
            ));
        }
        Some(Kind::Enum) => {
            let value = types.get(ty.name()).expect("enum").enum_values[0].clone();
            cases.push(("string for enum", Some(format!("\"{value}\"")), None));
            cases.push((
                "unknown enum value",
                Some("NOT_A_VALUE".to_owned()),
                Some(json!("not_a_value")),
            ));
            cases.push((
                "object for enum",
                Some("{ a: 1 }".to_owned()),
                Some(json!({ "a": 1 })),
            ));
        }
        _ => {
            cases.push((
                "object for scalar",
                Some("{ a: 1 }".to_owned()),
                Some(json!({ "a": 1 })),
            ));
            if !matches!(ty.name(), "JSON") {
                let other = if ty.name() == "String" || ty.name() == "ID" {
                    ("boolean for text", "true".to_owned(), json!(true))
                } else {
                    ("text for a number or date", "\"x\"".to_owned(), json!("x"))
                };
                cases.push((other.0, Some(other.1), Some(other.2)));
            }
        }
    }
    if !list && !matches!(ty.name(), "JSON") {
        let item = valid(types, ty);
        cases.push(("list for single", Some(format!("[{item}]")), None));
    }
    cases
}

struct Sent {
    what: String,
    query: String,
    variables: Value,
    argument: String,
}

/// The documents that put wrong values into every argument of `field` of
/// the type reached by `route`.
fn documents(
    types: &SchemaTypes,
    operation: &str,
    route: &Route,
    field: &str,
    def: &guard::types::Field,
) -> Vec<Sent> {
    let mut sent = Vec::new();
    let open = |inner: String| {
        let mut text = inner;
        for step in route.iter().rev() {
            text = format!("{step} {{ __typename {text} }}");
        }
        text
    };
    let selection = match types.get(def.ty.name()).map(|t| &t.kind) {
        Some(Kind::Object | Kind::Interface | Kind::Union) => " { __typename }",
        _ => "",
    };
    for arg in &def.args {
        let others: Vec<String> = def
            .args
            .iter()
            .filter(|a| a.name != arg.name && matches!(a.ty, TypeRef::NonNull(_)) && !a.has_default)
            .map(|a| format!("{}: {}", a.name, valid(types, &a.ty)))
            .collect();
        let with = |value: &str| {
            let mut args = others.clone();
            args.push(format!("{}: {value}", arg.name));
            format!("{field}({}){selection}", args.join(", "))
        };
        for (kind, literal, variable) in wrong(types, &arg.ty) {
            if let Some(literal) = literal {
                sent.push(Sent {
                    what: format!("{field}({}:) {kind}, written", arg.name),
                    query: format!("{operation} {{ {} }}", open(with(&literal))),
                    variables: json!({}),
                    argument: arg.name.clone(),
                });
            }
            if let Some(variable) = variable {
                sent.push(Sent {
                    what: format!("{field}({}:) {kind}, as a variable", arg.name),
                    query: format!("{operation}($v: {}) {{ {} }}", arg.ty, open(with("$v"))),
                    variables: json!({ "v": variable }),
                    argument: arg.name.clone(),
                });
            }
        }
        if matches!(arg.ty, TypeRef::NonNull(_)) && !arg.has_default {
            let call = if others.is_empty() {
                format!("{field}{selection}")
            } else {
                format!("{field}({}){selection}", others.join(", "))
            };
            sent.push(Sent {
                what: format!("{field}({}:) missing", arg.name),
                query: format!("{operation} {{ {} }}", open(call)),
                variables: json!({}),
                argument: arg.name.clone(),
            });
        }
    }
    sent
}

#[tokio::test]
async fn every_argument_refuses_every_wrong_kind_of_value() {
    let server = TestServer::demo().await;
    let types = SchemaTypes::from_sdl(&api::schema::build(None).sdl()).expect("the schema");
    let admin = token(service::Role::Admin, None);
    let mut all = Vec::new();
    for (operation, root) in [
        ("query", types.query.clone()),
        ("mutation", types.mutation.clone().expect("mutations")),
        (
            "subscription",
            types.subscription.clone().expect("subscriptions"),
        ),
    ] {
        for (name, route) in routes(&types, &root) {
            let t = types.get(&name).expect("reachable");
            for (field, def) in &t.fields {
                if field.starts_with("__") && field != "__type" {
                    continue;
                }
                all.extend(documents(&types, operation, &route, field, def));
            }
        }
    }
    assert!(all.len() > 1_000, "only {} documents", all.len());
    eprintln!("{} wrong values sent", all.len());
    let mut failures = Vec::new();
    for sent in &all {
        let response = server
            .client
            .post(&server.url)
            .header("accept", "application/graphql-response+json")
            .header("authorization", format!("Bearer {admin}"))
            .json(&json!({ "query": sent.query, "variables": sent.variables }))
            .send()
            .await
            .expect("send");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("a JSON answer");
        let error = &body["errors"][0];
        let named = error["extensions"]["field"]
            .as_str()
            .is_some_and(|f| f.starts_with(&sent.argument) || f.starts_with('$'))
            || error["message"].as_str().is_some_and(|m| {
                m.contains(&format!("\"{}\"", sent.argument))
                    || m.contains(&format!("`{}", sent.argument))
            });
        if status != 400
            || body.get("data").is_some()
            || error["extensions"]["code"] != json!("BAD_USER_INPUT")
            || !named
        {
            failures.push(format!(
                "{}: {status} {body}\n    {}",
                sent.what, sent.query
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} wrong values were not answered as the client's mistake:\n{}",
        failures.len(),
        all.len(),
        failures
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// What users of other servers write first, and what they are told.
#[tokio::test]
async fn forms_from_other_servers_get_a_hint() {
    let server = TestServer::demo().await;
    let cases = [
        (
            "{ organizations(orderBy: [NAME_ASC]) { totalCount } }",
            json!({}),
            "orderBy[0]",
            "write orderBy: [{ field: NAME, direction: ASC }]",
        ),
        (
            "{ organizations(orderBy: NAME_DESC) { totalCount } }",
            json!({}),
            "orderBy",
            "write orderBy: [{ field: NAME, direction: DESC }]",
        ),
        (
            "{ organizations(filter: { countryCode: \"DE\" }) { totalCount } }",
            json!({}),
            "filter.countryCode",
            "write countryCode: { eq: \"…\" }",
        ),
        (
            "{ agreements(filter: { status: { eq: \"ACTIVE\" } }) { totalCount } }",
            json!({}),
            "filter.status.eq",
            "without quotes: ACTIVE",
        ),
        (
            "query($s: AgreementStatus) { agreements(filter: { status: { eq: $s } }) { totalCount } }",
            json!({ "s": "active" }),
            "filter.status.eq",
            "in capitals: ACTIVE",
        ),
        (
            "query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }",
            json!({ "f": { "countryCode": "DE" } }),
            "filter.countryCode",
            "write countryCode: { eq: \"…\" }",
        ),
    ];
    let first = cases[0].0;
    for (query, variables, field, hint) in cases {
        let response = server
            .client
            .post(&server.url)
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status().as_u16(), 400, "{query}");
        let body: Value = response.json().await.expect("json");
        assert!(body.get("data").is_none(), "{body}");
        let error = &body["errors"][0];
        assert_eq!(
            error["extensions"]["code"],
            json!("BAD_USER_INPUT"),
            "{body}"
        );
        assert_eq!(error["extensions"]["field"], json!(field), "{body}");
        let message = error["message"].as_str().expect("a message");
        assert!(message.contains(hint), "{query}: {message}");
        // The value sent is described, never echoed (`tests/no_echo.rs`).
        assert!(!message.contains("\"DE\""), "{query}: {message}");
    }
    // The same mistake over `application/json` is a 200, as the
    // GraphQL-over-HTTP spec has it for that media type.
    let response = server
        .client
        .post(&server.url)
        .header("accept", "application/json")
        .json(&json!({ "query": first }))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        json!("BAD_USER_INPUT")
    );
    assert!(body.get("data").is_none(), "{body}");
}
