//! `schema.graphql` is what `api schema` prints.

#[test]
fn committed_schema_matches_the_code() {
    let printed = api::schema::build(None).sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == printed,
        "schema.graphql is out of date; regenerate it with `cargo run -p api -- schema > schema.graphql`"
    );
}
