//! What every listable entity offers, and the generic reads built on it: a root
//! connection, a count, rows by key, and one page of children for many parents at
//! once (one statement per relation, paged in SQL with `ROW_NUMBER()`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Identity,
    ModelTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Value,
    sea_query::{
        Alias, Asterisk, ColumnRef, DynIden, Expr, ExprTrait, Func, IntoColumnRef, IntoIden, Query,
        TableName, TableRef, WindowStatement,
    },
};

use crate::actor::Actor;
use crate::page::{Edge, Page, PageArgs, PageLimits, Plan, Sort};
use crate::{Error, Result};

/// The primary key of a row or the key a relation joins on: a surrogate id or a
/// reference code (country, field of study).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Id(i64),
    Code(String),
}

impl Key {
    fn from_value(value: Value) -> Option<Key> {
        match value {
            Value::BigInt(Some(id)) => Some(Key::Id(id)),
            Value::Int(Some(id)) => Some(Key::Id(id.into())),
            Value::String(Some(code)) => Some(Key::Code(code)),
            _ => None,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Key::Id(id) => Value::BigInt(Some(*id)),
            Key::Code(code) => Value::String(Some(code.clone())),
        }
    }

    /// The surrogate id, if this is one.
    pub fn id(&self) -> Option<i64> {
        match self {
            Key::Id(id) => Some(*id),
            Key::Code(_) => None,
        }
    }
}

impl From<i64> for Key {
    fn from(id: i64) -> Self {
        Key::Id(id)
    }
}

impl From<String> for Key {
    fn from(code: String) -> Self {
        Key::Code(code)
    }
}

impl From<&str> for Key {
    fn from(code: &str) -> Self {
        Key::Code(code.to_owned())
    }
}

/// A table the service reads, with the rows each actor may see.
pub trait Table: EntityTrait + Default {
    /// The rows `actor` may see, as a predicate on this table under `alias`.
    fn visible_as(_actor: &Actor, _alias: &DynIden) -> Condition {
        Condition::all()
    }

    /// The name of the column other tables reference (join tables: unused).
    fn key_name() -> &'static str {
        "id"
    }

    /// The rows `actor` may see, as a predicate on this table under its own name.
    fn visible(actor: &Actor) -> Condition {
        Self::visible_as(actor, &Self::default().into_iden())
    }
}

/// An entity the API lists, pages and looks up by key.
pub trait Resource: Table {
    /// The fields `orderBy` offers.
    type OrderField: Copy + Debug + Eq + Hash + Send + Sync + 'static;

    /// The primary key column (a single column).
    fn key_column() -> Self::Column;

    /// The column an order field sorts by.
    fn order_column(field: Self::OrderField) -> Self::Column;

    /// The order used when the client gives none.
    fn default_order() -> Sort<Self::OrderField>;

    /// A row as the service hands it out: the model itself, or, where the
    /// field rules restrict a column, a view whose restricted fields are
    /// [`crate::access::Restricted`] values decided for the actor.
    type Seen: Clone + Send + Sync + 'static;

    /// Decides the rows `actor` reads (in one statement at most, for a batch).
    fn seen(
        db: &impl ConnectionTrait,
        actor: &Actor,
        rows: Vec<Self::Model>,
    ) -> impl Future<Output = Result<Vec<Self::Seen>>> + Send;

    /// The key of a row.
    fn key_of(model: &Self::Model) -> Key {
        // Every key column is an integer or a text code, never NULL.
        Key::from_value(model.get(Self::key_column())).unwrap_or(Key::Id(0))
    }
}

/// How the rows of a table are decided for an actor by the field rules
/// (`crate::access::FIELD_RULES`). A model without restricted fields is its
/// own decision.
pub trait Decide<M = Self>: Sized {
    fn decide(
        db: &impl ConnectionTrait,
        actor: &Actor,
        rows: Vec<M>,
    ) -> impl Future<Output = Result<Vec<Self>>> + Send;
}

impl<M: ModelTrait + Send> Decide for M {
    fn decide(
        _db: &impl ConnectionTrait,
        _actor: &Actor,
        rows: Vec<M>,
    ) -> impl Future<Output = Result<Vec<M>>> + Send {
        std::future::ready(Ok(rows))
    }
}

/// How children reach their parent in a to-many relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Link {
    /// The child table has a column holding the parent's key.
    Column(&'static str),
    /// Through a join table: `table.child_fk` is the child's key and
    /// `table.parent_fk` the parent's.
    Via {
        table: &'static str,
        child_fk: &'static str,
        parent_fk: &'static str,
    },
}

impl Link {
    /// Children that hold their parent's key, read off the parent's
    /// `has_many` relation in the entity crate (relations are declared once).
    pub fn has_many(relation: impl RelationTrait) -> Link {
        Link::Column(column_name(&relation.def().to_col))
    }

    /// Children reached through a join table: the parent's `has_many`
    /// relation to the join table, and the join table's `belongs_to`
    /// relation to the child.
    pub fn via(to_join: impl RelationTrait, to_child: impl RelationTrait) -> Link {
        let (join, child) = (to_join.def(), to_child.def());
        Link::Via {
            table: table_name(&join.to_tbl),
            child_fk: column_name(&child.from_col),
            parent_fk: column_name(&join.to_col),
        }
    }
}

/// The table at one end of a relation.
pub(crate) fn table_name(table: &TableRef) -> &'static str {
    match table {
        TableRef::Table(TableName(_, table), _) => static_name(table.inner()),
        other => panic!("a relation joins tables, not {other:?}"),
    }
}

/// The single column of a relation's side (links join on one column).
pub(crate) fn column_name(identity: &Identity) -> &'static str {
    match identity {
        Identity::Unary(column) => static_name(column.inner()),
        other => panic!("a link joins on one column, not {other:?}"),
    }
}

/// Entity identifiers are static strings; any other is kept for the process
/// (links are built once, in statics).
fn static_name(name: Cow<'static, str>) -> &'static str {
    match name {
        Cow::Borrowed(name) => name,
        Cow::Owned(name) => Box::leak(name.into_boxed_str()),
    }
}

/// The column alias carrying a child's parent key in batched statements.
const PARENT: &str = "__parent";
/// The column alias carrying a child's position under its parent.
const POSITION: &str = "__position";

impl Link {
    fn parent_column<E: Resource>(&self) -> ColumnRef {
        match *self {
            Link::Column(col) => (E::default(), Alias::new(col)).into_column_ref(),
            Link::Via {
                table, parent_fk, ..
            } => (Alias::new(table), Alias::new(parent_fk)).into_column_ref(),
        }
    }

    fn parent_expr<E: Resource>(&self) -> Expr {
        Expr::col(self.parent_column::<E>())
    }

    /// Adds the join (if any) and the parent restriction to a select of `E`.
    fn apply<E: Resource>(&self, query: &mut sea_orm::sea_query::SelectStatement, parents: &[Key]) {
        if let Link::Via {
            table, child_fk, ..
        } = *self
        {
            query.inner_join(
                Alias::new(table),
                Expr::col((Alias::new(table), Alias::new(child_fk)))
                    .equals((E::default(), E::key_column())),
            );
        }
        query.and_where(
            self.parent_expr::<E>()
                .is_in(parents.iter().map(Key::to_value)),
        );
    }
}

/// What a page of a connection asks for.
#[derive(Clone, Debug)]
pub struct PageRequest<'a, F> {
    /// Rows to consider (on top of what the actor may see).
    pub filter: Condition,
    pub sort: &'a Sort<F>,
    pub args: &'a PageArgs,
    pub limits: PageLimits,
}

/// One page of `E` among the rows matching the filter that `actor` may see.
pub async fn page<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    request: PageRequest<'_, E::OrderField>,
) -> Result<Page<E::Seen>> {
    let PageRequest {
        filter,
        sort,
        args,
        limits,
    } = request;
    let plan = Plan::<E>::new(sort, args, limits)?;
    let rows = if plan.limit == 0 {
        Vec::new()
    } else {
        fetch_page::<E>(db, actor, &plan, filter).await?
    };
    let mut pages = seen_pages::<E, ()>(db, actor, vec![((), plan.finish(rows))]).await?;
    Ok(pages.pop().map(|(_, page)| page).unwrap_or_default())
}

/// The rows of one page (one more than asked for, to learn if there are more).
async fn fetch_page<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    plan: &Plan<E>,
    filter: Condition,
) -> Result<Vec<E::Model>> {
    let query = |keyset: Condition, limit: u64| {
        let mut select = E::find()
            .filter(E::visible(actor))
            .filter(filter.clone())
            .filter(keyset);
        for (col, order, nulls) in plan.sql_order() {
            select = select.order_by_with_nulls(col, order, nulls);
        }
        select.limit(limit)
    };
    let wanted = plan.limit + 1;
    let rows = match plan.segments() {
        None => query(plan.condition(), wanted).all(db).await?,
        Some([first, second]) => {
            let mut rows = query(first, wanted).all(db).await?;
            let missing = wanted.saturating_sub(rows.len() as u64);
            if missing > 0 {
                rows.extend(query(second, missing).all(db).await?);
            }
            rows
        }
    };
    Ok(rows)
}

/// How many rows of `E` match `filter` among those `actor` may see.
pub async fn count<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: Condition,
) -> Result<u64> {
    let mut query = Query::select();
    query
        .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
        .from(E::default())
        .cond_where(E::visible(actor))
        .cond_where(filter);
    let row = db.query_one(&query).await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The rows of `E` with the given keys that `actor` may see.
pub async fn by_keys<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    keys: &[Key],
) -> Result<HashMap<Key, E::Seen>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = E::find()
        .filter(E::visible(actor))
        .filter(E::key_column().is_in(keys.iter().map(Key::to_value)))
        .all(db)
        .await?;
    let keys: Vec<Key> = rows.iter().map(E::key_of).collect();
    let seen = E::seen(db, actor, rows).await?;
    Ok(keys.into_iter().zip(seen).collect())
}

/// A row just read or written, decided for `actor`.
pub async fn seen_one<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: E::Model,
) -> Result<E::Seen> {
    E::seen(db, actor, vec![row])
        .await?
        .pop()
        .ok_or_else(|| Error::Internal(DbErr::Custom("a decided row went missing".to_owned())))
}

/// One row of `E` by key, or `NOT_FOUND`.
pub async fn by_key<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    key: Key,
    what: &str,
) -> Result<E::Seen> {
    by_keys::<E>(db, actor, std::slice::from_ref(&key))
        .await?
        .remove(&key)
        .ok_or_else(|| Error::NotFound(what.to_owned()))
}

/// One page of children of `E` for each parent, in one statement: every parent's
/// rows are numbered in SQL and at most `limit + 1` per parent come back.
pub async fn children_pages<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
    request: PageRequest<'_, E::OrderField>,
) -> Result<HashMap<Key, Page<E::Seen>>> {
    let PageRequest {
        filter,
        sort,
        args,
        limits,
    } = request;
    let plan = Plan::<E>::new(sort, args, limits)?;
    if parents.is_empty() || plan.limit == 0 {
        let pages = parents
            .iter()
            .map(|p| (p.clone(), plan.finish(Vec::new())))
            .collect();
        return Ok(seen_pages::<E, Key>(db, actor, pages)
            .await?
            .into_iter()
            .collect());
    }
    let mut inner = E::find()
        .filter(E::visible(actor))
        .filter(filter)
        .filter(plan.condition())
        .into_query();
    link.apply::<E>(&mut inner, parents);
    let mut window = WindowStatement::partition_by(link.parent_column::<E>());
    for (col, order, nulls) in plan.sql_order() {
        window.order_by_with_nulls((E::default(), col), order, nulls);
    }
    inner
        .expr_as(link.parent_expr::<E>(), Alias::new(PARENT))
        .expr_window_as(Func::cust("ROW_NUMBER"), window, Alias::new(POSITION));

    let mut outer = Query::select();
    outer
        .column(Asterisk)
        .from_subquery(inner, Alias::new("page"))
        .and_where(Expr::col(Alias::new(POSITION)).lte(plan.limit + 1))
        .order_by(Alias::new(PARENT), sea_orm::Order::Asc)
        .order_by(Alias::new(POSITION), sea_orm::Order::Asc);

    let rows = db.query_all(&outer).await?;
    let mut grouped: HashMap<Key, Vec<E::Model>> = HashMap::new();
    for row in rows {
        let parent = parent_key(&row)?;
        let model = E::Model::from_query_result(&row, "")?;
        grouped.entry(parent).or_default().push(model);
    }
    let pages = parents
        .iter()
        .map(|p| {
            let rows = grouped.remove(p).unwrap_or_default();
            (p.clone(), plan.finish(rows))
        })
        .collect();
    Ok(seen_pages::<E, Key>(db, actor, pages)
        .await?
        .into_iter()
        .collect())
}

/// Decides the rows of several pages for `actor`, in one batch.
async fn seen_pages<E: Resource, K>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    pages: Vec<(K, Page<E::Model>)>,
) -> Result<Vec<(K, Page<E::Seen>)>> {
    let mut rows = Vec::new();
    let mut shapes = Vec::with_capacity(pages.len());
    for (key, page) in pages {
        let cursors: Vec<String> = page
            .edges
            .into_iter()
            .map(|edge| {
                rows.push(edge.node);
                edge.cursor
            })
            .collect();
        shapes.push((key, cursors, page.has_next_page, page.has_previous_page));
    }
    let mut seen = E::seen(db, actor, rows).await?.into_iter();
    Ok(shapes
        .into_iter()
        .map(|(key, cursors, has_next_page, has_previous_page)| {
            let edges = cursors
                .into_iter()
                .zip(seen.by_ref())
                .map(|(cursor, node)| Edge { cursor, node })
                .collect();
            let page = Page {
                edges,
                has_next_page,
                has_previous_page,
            };
            (key, page)
        })
        .collect())
}

/// Every child of `E` for each parent (for small bounded lists), in one statement.
pub async fn children_all<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
) -> Result<HashMap<Key, Vec<E::Seen>>> {
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = E::find().filter(E::visible(actor));
    for (col, order, nulls) in Plan::<E>::new(
        &E::default_order(),
        &PageArgs::default(),
        PageLimits::default(),
    )?
    .sql_order()
    {
        query = query.order_by_with_nulls(col, order, nulls);
    }
    let mut query = query.into_query();
    link.apply::<E>(&mut query, parents);
    query.expr_as(link.parent_expr::<E>(), Alias::new(PARENT));
    let rows = db.query_all(&query).await?;
    let mut grouped: HashMap<Key, Vec<E::Model>> = HashMap::new();
    for row in rows {
        let parent = parent_key(&row)?;
        grouped
            .entry(parent)
            .or_default()
            .push(E::Model::from_query_result(&row, "")?);
    }
    let (keys, lists): (Vec<Key>, Vec<Vec<E::Model>>) = grouped.into_iter().unzip();
    let lengths: Vec<usize> = lists.iter().map(Vec::len).collect();
    let mut seen = E::seen(db, actor, lists.into_iter().flatten().collect())
        .await?
        .into_iter();
    Ok(keys
        .into_iter()
        .zip(lengths)
        .map(|(key, n)| (key, seen.by_ref().take(n).collect()))
        .collect())
}

/// How many children of `E` match `filter` under each parent, in one statement.
pub async fn children_counts<E: Resource>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    link: Link,
    parents: &[Key],
    filter: Condition,
) -> Result<HashMap<Key, u64>> {
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query = Query::select();
    query
        .expr_as(link.parent_expr::<E>(), Alias::new(PARENT))
        .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
        .from(E::default())
        .cond_where(E::visible(actor))
        .cond_where(filter)
        .add_group_by([link.parent_expr::<E>()]);
    link.apply::<E>(&mut query, parents);
    let rows = db.query_all(&query).await?;
    let mut counts: HashMap<Key, u64> = parents.iter().map(|p| (p.clone(), 0)).collect();
    for row in rows {
        let n: i64 = row.try_get("", "n")?;
        counts.insert(parent_key(&row)?, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}

fn parent_key(row: &sea_orm::QueryResult) -> Result<Key> {
    if let Ok(id) = row.try_get::<i64>("", PARENT) {
        return Ok(Key::Id(id));
    }
    row.try_get::<String>("", PARENT)
        .map(Key::Code)
        .map_err(|e| Error::Internal(DbErr::Custom(format!("unreadable parent key: {e}"))))
}

/// Implements [`Resource`] for an entity module and declares its order-field enum:
/// `resource!(organization, OrganizationOrderField { Id => Id, Name => Name }, key = Id, default = Name);`
#[macro_export]
macro_rules! resource {
    ($module:ident, $field:ident { $($variant:ident => $col:ident),+ $(,)? }, key = $key:ident, default = $default:ident) => {
        $crate::resource!($module, $field { $($variant => $col),+ }, key = $key, default = $default,
            visible = $crate::access::everyone);
    };
    ($module:ident, $field:ident { $($variant:ident => $col:ident),+ $(,)? }, key = $key:ident, default = $default:ident, visible = $visible:path) => {
        $crate::resource!($module, $field { $($variant => $col),+ }, key = $key, default = $default,
            visible = $visible, seen = entity::$module::Model);
    };
    ($module:ident, $field:ident { $($variant:ident => $col:ident),+ $(,)? }, key = $key:ident, default = $default:ident, visible = $visible:path, seen = $seen:ty) => {
        /// The fields this entity can be ordered by.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $field {
            $($variant),+
        }

        impl $crate::resource::Table for entity::$module::Entity {
            fn visible_as(
                actor: &$crate::actor::Actor,
                alias: &sea_orm::sea_query::DynIden,
            ) -> sea_orm::Condition {
                $visible(actor, alias)
            }

            fn key_name() -> &'static str {
                sea_orm::IdenStatic::as_str(&entity::$module::Column::$key)
            }
        }

        impl $crate::resource::Resource for entity::$module::Entity {
            type OrderField = $field;

            fn key_column() -> entity::$module::Column {
                entity::$module::Column::$key
            }

            fn order_column(field: $field) -> entity::$module::Column {
                match field {
                    $($field::$variant => entity::$module::Column::$col),+
                }
            }

            fn default_order() -> $crate::page::Sort<$field> {
                $crate::page::Sort(vec![($field::$default, $crate::page::Direction::Asc)])
            }

            type Seen = $seen;

            fn seen(
                db: &impl sea_orm::ConnectionTrait,
                actor: &$crate::actor::Actor,
                rows: Vec<entity::$module::Model>,
            ) -> impl std::future::Future<Output = $crate::Result<Vec<$seen>>> + Send {
                <$seen as $crate::resource::Decide<entity::$module::Model>>::decide(db, actor, rows)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Link;
    use crate::{agreement, country, event, joint_unit, organization, person};

    #[test]
    fn a_has_many_relation_links_through_the_childs_foreign_key() {
        assert_eq!(
            *organization::HOME_STUDENTS,
            Link::Column("home_organization_id")
        );
        assert_eq!(
            *organization::STUDENTS,
            Link::Column("host_organization_id")
        );
        assert_eq!(*event::ACTIVITIES, Link::Column("parent_event_id"));
        assert_eq!(*agreement::SUCCESSOR, Link::Column("predecessor_id"));
        assert_eq!(*country::PEOPLE, Link::Column("nationality"));
    }

    #[test]
    fn a_many_to_many_relation_links_through_its_join_table() {
        assert_eq!(
            *organization::AGREEMENTS,
            Link::Via {
                table: "agreement_parties",
                child_fk: "agreement_id",
                parent_fk: "organization_id",
            }
        );
        assert_eq!(
            *person::SIGNED_AGREEMENTS,
            Link::Via {
                table: "agreement_parties",
                child_fk: "agreement_id",
                parent_fk: "signatory_id",
            }
        );
        assert_eq!(
            *joint_unit::PARTNERS,
            Link::Via {
                table: "joint_unit_partners",
                child_fk: "organization_id",
                parent_fk: "joint_unit_id",
            }
        );
        assert_eq!(
            *agreement::FIELDS_OF_STUDY,
            Link::Via {
                table: "agreement_fields",
                child_fk: "field_code",
                parent_fk: "agreement_id",
            }
        );
    }
}
