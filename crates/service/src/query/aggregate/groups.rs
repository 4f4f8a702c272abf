//! Groups: a `groups` request as SQL, at the root and for every parent at once.

use super::*;

/// A `groups` request made ready for SQL: keys, measures, order, limit.
pub(crate) struct GroupPlan {
    pub keys: Vec<(Expr, Kind)>,
    pub measures: Vec<Planned>,
    pub order: Vec<(Expr, Order, NullOrdering)>,
    having: Option<Condition>,
    pub limit: u64,
}

impl GroupPlan {
    pub(crate) fn new<E: Filterable>(
        actor: &Actor,
        backend: DbBackend,
        query: &GroupQuery,
        limits: PageLimits,
    ) -> Result<Self> {
        if query.by.is_empty() {
            return Err(Error::bad_input("by", "`by` must name at least one key"));
        }
        for (i, key) in query.by.iter().enumerate() {
            if query.by[..i].contains(key) {
                return Err(Error::bad_input("by", "`by` names a key twice"));
            }
            if let Some(field) = refused::<E>(actor, column::<E>(key.column)?) {
                return Err(forbidden(field, "grouped by"));
            }
        }
        let limit = match query.first {
            None => limits.default_size,
            Some(n) if n < 0 => {
                return Err(Error::bad_input("first", "`first` must not be negative"));
            }
            Some(n) if n as u64 > limits.max_size => {
                return Err(Error::limit(
                    "first",
                    "PAGE_SIZE_MAX",
                    format!("`first` may be at most {}", limits.max_size),
                ));
            }
            Some(n) => n as u64,
        };
        let keys = query
            .by
            .iter()
            .map(|k| key_expr::<E>(*k, backend))
            .collect::<Result<Vec<_>>>()?;
        let mut order = Vec::new();
        let mut by_key = false;
        let sorts = if query.order.is_empty() {
            &[(GroupSort::Count, Direction::Desc)][..]
        } else {
            &query.order[..]
        };
        for (sort, direction) in sorts {
            let (o, nulls) = match direction {
                Direction::Asc => (Order::Asc, NullOrdering::Last),
                Direction::Desc => (Order::Desc, NullOrdering::First),
            };
            match sort {
                GroupSort::Count => order.push((Expr::col(Asterisk).count(), o, nulls)),
                GroupSort::Key if !by_key => {
                    by_key = true;
                    order.extend(keys.iter().map(|(e, _)| (e.clone(), o.clone(), nulls)));
                }
                GroupSort::Key => {}
            }
        }
        if !by_key {
            // Ties in count are broken by the keys, so that pages are stable.
            order.extend(
                keys.iter()
                    .map(|(e, _)| (e.clone(), Order::Asc, NullOrdering::Last)),
            );
        }
        let having = query
            .having
            .as_ref()
            .map(|h| having_condition::<E>(actor, backend, h))
            .transpose()?;
        Ok(GroupPlan {
            keys,
            measures: plan::<E>(actor, &query.measures)?,
            order,
            having,
            limit,
        })
    }

    /// The grouped select of `E` (without order and limit).
    pub(crate) fn select<E: Filterable>(
        &self,
        actor: &Actor,
        filter: Condition,
    ) -> Result<SelectStatement> {
        let mut query = base::<E>(actor, filter);
        for (i, (expr, _)) in self.keys.iter().enumerate() {
            query
                .expr_as(expr.clone(), Alias::new(format!("k{i}")))
                .add_group_by([expr.clone()]);
        }
        select_measures::<E>(&mut query, &self.measures)?;
        if let Some(having) = &self.having {
            query.cond_having(having.clone());
        }
        Ok(query)
    }

    fn read(&self, row: &QueryResult) -> Result<Group> {
        let key = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| decode(row, &format!("k{i}"), *kind))
            .collect::<Result<_>>()?;
        Ok(Group {
            key,
            aggregates: read_measures(row, &self.measures)?,
        })
    }
}

/// `having` as a condition on a grouped select of `E`.
pub(super) fn having_condition<E: Filterable>(
    actor: &Actor,
    backend: DbBackend,
    having: &Having,
) -> Result<Condition> {
    let aliases = std::cell::Cell::new(0);
    let scope = Scope::root(E::default().into_iden(), actor, backend, "having", &aliases);
    having_in::<E>(having, &scope)
}

pub(super) fn having_in<E: Filterable>(having: &Having, scope: &Scope<'_>) -> Result<Condition> {
    let mut all = combine(
        scope,
        &having.and,
        &having.or,
        having.not.as_deref(),
        having_in::<E>,
    )?;
    if let Some(ops) = &having.count {
        all = all.add(ops.condition(Expr::col(Asterisk).count(), Expr::val, scope, "count")?);
    }
    for (measure, bound) in &having.measures {
        let col = column::<E>(measure.column)?;
        if let Some(field) = refused::<E>(scope.actor, col) {
            return Err(forbidden(field, "used in `having`"));
        }
        let expr = measure_expr::<E>(*measure)?;
        let at = scope.at(measure.op.name());
        let name = camel(measure.column);
        all = all.add(match bound {
            Bound::Int(ops) => ops.condition(expr, Expr::val, &at, &name)?,
            Bound::Number(ops) => ops.condition(expr, Expr::val, &at, &name)?,
            Bound::Text(ops) => ops.condition(expr, Expr::val, &at, &name)?,
            Bound::Date(ops) => ops.condition(expr, Expr::val, &at, &name)?,
        });
    }
    Ok(all)
}

/// The groups of the rows of `E` matching `filter` that `actor` may see.
pub async fn groups<E: Filterable>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Condition,
    request: &GroupQuery,
    limits: PageLimits,
) -> Result<Vec<Group>> {
    let plan = GroupPlan::new::<E>(actor, db.get_database_backend(), request, limits)?;
    if plan.limit == 0 {
        return Ok(Vec::new());
    }
    let mut query = plan.select::<E>(actor, filter)?;
    for (expr, order, nulls) in &plan.order {
        query.order_by_expr_with_nulls(expr.clone(), order.clone(), *nulls);
    }
    query.limit(plan.limit);
    db.query_all(&query)
        .await?
        .iter()
        .map(|row| plan.read(row))
        .collect()
}
