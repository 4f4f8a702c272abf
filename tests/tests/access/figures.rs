//! Statistics, aggregates and groups count only what the caller may see.

use super::*;

#[tokio::test]
async fn statistics_are_public_figures() {
    let w = World::new().await;
    let query = r#"{ statistics(asOf: "2024-04-03") { partnerOrganizations internationalStudents studentsByNationality(first: 3) { count } } }"#;
    let admin = w.post(Who::Admin, query, json!({})).await;
    for who in [Who::Anonymous, Who::PartnerA, Who::Staff] {
        let body = w.post(who, query, json!({})).await;
        assert_eq!(body["data"], admin["data"], "{who:?}");
    }
    assert_eq!(
        admin["data"]["statistics"]["internationalStudents"],
        json!(170)
    );
}

/// The group counts `who` sees under `key` of a root connection, keyed by the
/// key as text (enums in lower case, `<null>` for null).
pub(super) fn group_counts(groups: &Value, field: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    let mut previous = u64::MAX;
    for g in groups.as_array().expect("groups") {
        let n = g["count"].as_u64().expect("count");
        assert!(n <= previous, "largest group first: {groups}");
        previous = n;
        let key = match &g["key"][field] {
            Value::Null => "<null>".to_owned(),
            Value::String(s) if s.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                s.to_lowercase()
            }
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        counts.insert(key, n);
    }
    counts
}

/// Every root connection × every caller: `aggregate { count }` counts, and
/// `groups` partitions, exactly the rows the caller may see (SQL decides).
#[tokio::test]
async fn aggregates_and_groups_count_only_visible_rows() {
    let w = World::new().await;
    let db = w.server.db.connect().await;
    let year = "SUBSTR(CAST(starts_on AS TEXT), 1, 4)";
    let roots = [
        ("organizations", "organizations", "KIND", "kind", "kind"),
        ("people", "people", "TITLE", "title", "title"),
        ("events", "events", "KIND", "kind", "kind"),
        ("agreements", "agreements", "STATUS", "status", "status"),
        ("programs", "programs", "KIND", "kind", "kind"),
        ("students", "students", "STATUS", "status", "status"),
        ("jointUnits", "joint_units", "KIND", "kind", "kind"),
        ("visits", "visits", "STARTS_ON_YEAR", "startsOnYear", year),
    ];
    // A measured field per root (`distinctCount` for people, `min` and `max`
    // for the rest), checked against SQL over the visible rows.
    let measured = |root: &str| match root {
        "organizations" => ("foundedYear", "founded_year"),
        "people" => ("nationality", "nationality"),
        "events" | "visits" => ("startsOn", "starts_on"),
        "agreements" => ("signedOn", "signed_on"),
        "programs" => ("capacity", "capacity"),
        "students" => ("enrolledOn", "enrolled_on"),
        _ => ("establishedOn", "established_on"),
    };
    for (root, table, by, field, column) in roots {
        for who in [
            Who::Anonymous,
            Who::PartnerA,
            Who::PartnerB,
            Who::Staff,
            Who::Admin,
        ] {
            let visible = w.visible_sql(who, table);
            let expected_count = w.sql(&visible).await.len();
            let expected: BTreeMap<String, u64> = sql_pairs(
                &db,
                &format!(
                    "SELECT COALESCE(CAST({column} AS TEXT), '<null>') AS p, COUNT(*) AS id
                     FROM {table} WHERE id IN ({visible}) GROUP BY {column}"
                ),
            )
            .await
            .into_iter()
            .map(|(k, n)| (k.trim_end().to_owned(), n as u64))
            .collect();
            let (m_field, m_column) = measured(root);
            let (measures, sql_measures) = if root == "people" {
                (
                    format!("distinctCount {{ {m_field} }}"),
                    format!("CAST(COUNT(DISTINCT {m_column}) AS TEXT) AS p"),
                )
            } else {
                (
                    format!("min {{ {m_field} }} max {{ {m_field} }}"),
                    format!(
                        "COALESCE(CAST(MIN({m_column}) AS TEXT), '<null>') || ' ' || COALESCE(CAST(MAX({m_column}) AS TEXT), '<null>') AS p"
                    ),
                )
            };
            let query = format!(
                "{{ {root} {{ aggregate {{ count {measures} }} groups(by: [{by}]) {{ key {{ {field} }} count }} }} }}"
            );
            let body = w.post(who, &query, json!({})).await;
            assert!(body.get("errors").is_none(), "{who:?} {root}: {body}");
            let expected_measures = sql_pairs(
                &db,
                &format!(
                    "SELECT {sql_measures}, CAST(0 AS BIGINT) AS id FROM {table} WHERE id IN ({visible})"
                ),
            )
            .await
            .remove(0)
            .0;
            let agg = &body["data"][root]["aggregate"];
            let as_text = |v: &Value| match v {
                Value::Null => "<null>".to_owned(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let got_measures = if root == "people" {
                as_text(&agg["distinctCount"][m_field])
            } else {
                format!(
                    "{} {}",
                    as_text(&agg["min"][m_field]),
                    as_text(&agg["max"][m_field])
                )
            };
            assert_eq!(got_measures, expected_measures, "{who:?} {root} measures");
            assert_eq!(
                body["data"][root]["aggregate"]["count"],
                json!(expected_count),
                "{who:?} {root} aggregate"
            );
            assert_eq!(
                group_counts(&body["data"][root]["groups"], field),
                expected,
                "{who:?} {root} groups by {by}"
            );
        }
    }
}

/// A field a caller may not read on every row is refused in aggregates: the
/// key is present and null with `FORBIDDEN` at its path, its neighbours are
/// answered, and grouping by it or `having` on it is refused; staff get the
/// values SQL gives.
#[tokio::test]
async fn refused_fields_cannot_be_aggregated_grouped_or_used_in_having() {
    let w = World::new().await;
    let db = w.server.db.connect().await;
    let sql_text = |sql: &'static str| {
        let db = db.clone();
        async move {
            sql_pairs(
                &db,
                &format!("SELECT CAST(({sql}) AS TEXT) AS p, CAST(0 AS BIGINT) AS id"),
            )
            .await
            .remove(0)
            .0
        }
    };
    let cases = [
        (
            "students",
            "min",
            "dateOfBirth",
            "SELECT MIN(date_of_birth) FROM students",
        ),
        (
            "students",
            "distinctCount",
            "email",
            "SELECT COUNT(DISTINCT email) FROM students",
        ),
        (
            "people",
            "distinctCount",
            "email",
            "SELECT COUNT(DISTINCT email) FROM people",
        ),
        (
            "agreements",
            "max",
            "summary",
            "SELECT MAX(summary) FROM agreements",
        ),
    ];
    for (root, op, field, sql) in cases {
        let query = format!("{{ {root} {{ aggregate {{ count {op} {{ {field} }} }} }} }}");
        for who in [Who::Anonymous, Who::PartnerA, Who::PartnerB] {
            let body = w.post(who, &query, json!({})).await;
            let values = &body["data"][root]["aggregate"][op];
            assert!(
                values.as_object().is_some_and(|o| o.contains_key(field))
                    && values[field].is_null(),
                "{who:?} {root}.{op}.{field}: the key stays, null: {body}"
            );
            assert!(body["data"][root]["aggregate"]["count"].is_u64(), "{body}");
            assert_eq!(error_codes(&body), vec!["FORBIDDEN".to_owned()], "{who:?}");
            assert_eq!(
                body["errors"][0]["path"],
                json!([root, "aggregate", op, field]),
                "{body}"
            );
        }
        let expected = sql_text(sql).await;
        for who in [Who::Staff, Who::Admin] {
            let body = w.post(who, &query, json!({})).await;
            assert!(body.get("errors").is_none(), "{who:?}: {body}");
            let got = match &body["data"][root]["aggregate"][op][field] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(got, expected, "{who:?} {root}.{op}.{field}");
        }
    }
    // Grouping by a refused field, or `having` on it, refuses the whole list.
    let refused = [
        "{ students { groups(by: [DATE_OF_BIRTH_YEAR]) { count } } }",
        "{ students { groups(by: [STATUS], having: { min: { dateOfBirth: { lt: \"2000-01-01\" } } }) { count } } }",
        "{ agreements { groups(by: [STATUS], having: { distinctCount: { summary: { gt: 0 } } }) { count } } }",
        "{ people { groups(by: [TITLE], having: { max: { email: { gt: \"m\" } } }) { count } } }",
    ];
    for query in refused {
        for who in [Who::Anonymous, Who::PartnerA] {
            let body = w.post(who, query, json!({})).await;
            assert_eq!(
                error_codes(&body),
                vec!["FORBIDDEN".to_owned()],
                "{who:?} {query}: {body}"
            );
        }
        let staff = w.post(Who::Staff, query, json!({})).await;
        assert!(staff.get("errors").is_none(), "{query}: {staff}");
    }
    // Staff: the groups by year of birth are SQL's.
    let body = w
        .post(
            Who::Staff,
            "{ students { groups(by: [DATE_OF_BIRTH_YEAR], first: 100) { key { dateOfBirthYear } count } } }",
            json!({}),
        )
        .await;
    let expected: BTreeMap<String, u64> = sql_pairs(
        &db,
        "SELECT COALESCE(SUBSTR(CAST(date_of_birth AS TEXT), 1, 4), '<null>') AS p, COUNT(*) AS id
         FROM students GROUP BY SUBSTR(CAST(date_of_birth AS TEXT), 1, 4)",
    )
    .await
    .into_iter()
    .map(|(k, n)| (k, n as u64))
    .collect();
    assert_eq!(
        group_counts(&body["data"]["students"]["groups"], "dateOfBirthYear"),
        expected
    );
}
