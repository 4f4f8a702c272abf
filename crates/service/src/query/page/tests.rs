use super::*;
use crate::agreement::AgreementOrderField as Field;
use entity::agreement::{Entity, Model};

const LIMITS: PageLimits = PageLimits {
    default_size: 10,
    max_size: 100,
};

fn args(first: Option<i32>, last: Option<i32>) -> PageArgs {
    PageArgs {
        first,
        last,
        ..PageArgs::default()
    }
}

fn plan(sort: Vec<(Field, Direction)>, args: &PageArgs) -> Result<Plan<Entity>> {
    Plan::<Entity>::new(
        &Sort(sort),
        args,
        LIMITS,
        &Actor::default(),
        DbBackend::Sqlite,
        None,
    )
}

/// The plan's key columns as `name:direction`.
fn keys(plan: &Plan<Entity>) -> Vec<String> {
    plan.keys
        .iter()
        .map(|(k, d)| format!("{}:{d:?}", k.name))
        .collect()
}

#[test]
fn the_primary_key_ends_every_order_once() {
    let by_title = plan(vec![(Field::Title, Direction::Desc)], &PageArgs::default()).expect("plan");
    assert_eq!(keys(&by_title), ["title:Desc", "id:Asc"]);
    let by_id = plan(vec![(Field::Id, Direction::Desc)], &PageArgs::default()).expect("plan");
    assert_eq!(keys(&by_id), ["id:Desc"]);
    let default = plan(vec![], &PageArgs::default()).expect("plan");
    assert_eq!(keys(&default), ["id:Asc"]);
}

#[test]
fn first_pages_forward_last_backward_and_neither_takes_the_default() {
    let forward = plan(vec![], &args(Some(5), None)).expect("plan");
    assert!(!forward.backward);
    assert_eq!(forward.limit, 5);
    let backward = plan(vec![], &args(None, Some(7))).expect("plan");
    assert!(backward.backward);
    assert_eq!(backward.limit, 7);
    let default = plan(vec![], &args(None, None)).expect("plan");
    assert_eq!(default.limit, LIMITS.default_size);
}

#[test]
fn page_sizes_are_checked_and_named() {
    let both = plan(vec![], &args(Some(1), Some(1))).expect_err("both");
    assert_eq!(
        (both.code(), both.field()),
        ("BAD_USER_INPUT", Some("first"))
    );
    let large = plan(vec![], &args(Some(101), None)).expect_err("too large");
    assert_eq!(
        (large.code(), large.field()),
        ("LIMIT_EXCEEDED", Some("first"))
    );
    let negative = plan(vec![], &args(None, Some(-1))).expect_err("negative");
    assert_eq!(
        (negative.code(), negative.field()),
        ("BAD_USER_INPUT", Some("last"))
    );
    assert!(
        plan(vec![], &args(Some(100), None)).is_ok(),
        "the cap itself is fine"
    );
}

#[test]
fn a_cursor_belongs_to_its_order() {
    let now = chrono::Utc::now();
    let model = Model {
        id: 42,
        title: "Cursor".to_owned(),
        kind: entity::agreement::AgreementKind::JointProgram,
        status: entity::agreement::AgreementStatus::Draft,
        signed_on: None,
        starts_on: None,
        ends_on: None,
        summary: None,
        event_id: None,
        predecessor_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let by_title = plan(vec![(Field::Title, Direction::Asc)], &PageArgs::default()).expect("plan");
    let cursor = by_title.encode(&model, Vec::new());
    assert_eq!(
        by_title.decode(&cursor, "after").expect("own cursor").len(),
        2
    );
    let by_id = plan(vec![], &PageArgs::default()).expect("plan");
    let err = by_id
        .decode(&cursor, "after")
        .expect_err("another order's cursor");
    assert_eq!(err.field(), Some("after"));
    assert!(by_id.decode("not-a-cursor", "before").is_err());
}
