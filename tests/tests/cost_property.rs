//! The cost model bounds what an answer holds: queries generated over the
//! schema's connection and list fields — every type, reached through its
//! interfaces and implementations — are costed statically by the guard, run
//! against the demo data as an admin, and the values actually returned never
//! exceed the cost. Seed and case count: `COST_SEED`, `COST_CASES`.

use e2e::TestServer;
use guard::types::{Kind, SchemaTypes, TypeRef};
use guard::{Guard, Limits};
use serde_json::{Value, json};

const DEFAULT_SEED: u64 = 20_261_130;
const DEFAULT_CASES: usize = 150;

/// What the guard costs: one per key of every object, one per item of a
/// list of scalars.
fn values(v: &Value) -> u64 {
    match v {
        Value::Object(map) => map.values().map(|v| 1 + inner(v)).sum(),
        Value::Array(items) => items.iter().map(values).sum(),
        _ => 0,
    }
}

fn inner(v: &Value) -> u64 {
    match v {
        Value::Object(_) => values(v),
        Value::Array(items) => items
            .iter()
            .map(|i| if i.is_object() { values(i) } else { 1 })
            .sum(),
        _ => 0,
    }
}

struct Gen<'a> {
    rng: fastrand::Rng,
    types: &'a SchemaTypes,
}

impl Gen<'_> {
    /// A selection on `ty`, nesting at most `depth` more composite fields.
    fn selection(&mut self, ty: &str, depth: u32) -> String {
        let Some(named) = self.types.get(ty) else {
            return "__typename".to_owned();
        };
        let mut parts = vec!["__typename".to_owned()];
        // On an abstract type: the interface's own fields alone half the
        // time (so a hole in its costing shows), else with one implementation.
        if (named.kind == Kind::Interface && self.rng.bool()) || named.kind == Kind::Union {
            let possible = self.types.possible_types(ty);
            if let Some(&implementation) = possible.get(self.rng.usize(..possible.len().max(1))) {
                let inner = self.selection(implementation, depth);
                parts.push(format!("... on {implementation} {{ {inner} }}"));
            }
            if named.kind == Kind::Union {
                return parts.join(" ");
            }
        }
        let mut fields: Vec<_> = named
            .fields
            .iter()
            .filter(|(name, f)| {
                !name.starts_with("__")
                    && f.args
                        .iter()
                        .all(|a| !matches!(a.ty, TypeRef::NonNull(_)) || a.default_int.is_some())
                    && !(ty == "Query" && (name == "node" || name == "nodes" || name == "viewer"))
            })
            .collect();
        self.rng.shuffle(&mut fields);
        let mut composite = 0;
        for (name, field) in fields {
            let target = field.ty.name();
            let kind = self.types.get(target).map(|t| t.kind.clone());
            match kind {
                Some(Kind::Scalar | Kind::Enum) if self.rng.u8(..4) == 0 => {
                    parts.push(name.clone());
                }
                Some(Kind::Scalar | Kind::Enum) => {}
                Some(_) if depth > 0 && composite < 2 => {
                    composite += 1;
                    let args = if field.arg("first").is_some() {
                        format!("(first: {})", self.rng.i32(1..=4))
                    } else {
                        String::new()
                    };
                    let inner = if target.ends_with("Connection") {
                        let node = self
                            .types
                            .get(target)
                            .and_then(|t| t.field("nodes"))
                            .map(|f| f.ty.name().to_owned())
                            .unwrap_or_default();
                        let nodes = self.selection(&node, depth - 1);
                        if self.rng.bool() {
                            format!("totalCount nodes {{ {nodes} }}")
                        } else {
                            format!(
                                "pageInfo {{ hasNextPage }} edges {{ cursor node {{ {nodes} }} }}"
                            )
                        }
                    } else {
                        self.selection(target, depth - 1)
                    };
                    parts.push(format!("{name}{args} {{ {inner} }}"));
                }
                _ => {}
            }
        }
        parts.join(" ")
    }
}

#[tokio::test]
async fn the_static_cost_bounds_the_values_returned() {
    let seed = std::env::var("COST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let cases = std::env::var("COST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    println!("cost property: seed {seed}, {cases} cases");
    let server = TestServer::start_with(true, |c| {
        c.max_complexity = u64::MAX / 4;
        c.max_batch_cost = u64::MAX / 4;
        c.max_reads = u64::MAX / 4;
        c.max_fields = 100_000;
        c.max_document_bytes = 1 << 20;
    })
    .await;
    let limits = Limits {
        max_cost: u64::MAX / 4,
        ..Limits::default()
    };
    let guard = Guard::new(&api::schema::build(None).sdl(), limits).expect("guard");
    let mut generator = Gen {
        rng: fastrand::Rng::with_seed(seed),
        types: guard.types(),
    };
    let mut nonempty = 0;
    let mut conflicting = 0;
    for case in 0..cases {
        let query = format!("{{ {} }}", generator.selection("Query", 3));
        let doc = guard.parse(&query).expect("the generated query parses");
        let cost = guard.cost(&doc, &async_graphql::Variables::default());
        let body = server.post(&query, json!({})).await;
        // The generator may ask one response key for one field with other
        // arguments in fragments on other types: not a valid document
        // ("Overlapping fields can be merged"), refused whole.
        let conflict = |e: &serde_json::Value| {
            e["extensions"]["code"] == "BAD_USER_INPUT"
                && e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("conflict because"))
        };
        if let Some(errors) = body["errors"].as_array()
            && errors.iter().all(conflict)
        {
            conflicting += 1;
            continue;
        }
        // An agreement that is no EWP IIA answers `ewpIia` with `null`
        // and an error saying why: an answer, not a failure.
        let not_an_iia = |e: &serde_json::Value| {
            e["extensions"]["code"] == "BAD_USER_INPUT" && e["extensions"]["field"] == "ewpIia"
        };
        let failures: Vec<&serde_json::Value> = body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter(|e| !not_an_iia(e)).collect())
            .unwrap_or_default();
        assert!(failures.is_empty(), "case {case}: {body:#}\n{query}");
        let returned = values(&body["data"]);
        assert!(
            returned <= cost,
            "case {case} (seed {seed}): {returned} values returned, cost {cost}\n{query}"
        );
        if returned > 50 {
            nonempty += 1;
        }
    }
    // The data exercised the bound, rather than answering empty pages.
    assert!(
        nonempty > (cases - conflicting) / 4 && conflicting < cases / 4,
        "only {nonempty} of {cases} answers were sizeable ({conflicting} refused)"
    );
}
