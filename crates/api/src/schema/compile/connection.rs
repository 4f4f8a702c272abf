//! A connection field in the plan: its arguments (paging, `orderBy`,
//! `filter`, `search`) as the service takes them, or their refusal, and its
//! selection (`nodes`, `edges`, `pageInfo`, `totalCount`, `aggregate`,
//! `groups`).

use async_graphql::Pos;
use async_graphql::parser::types::{Field, SelectionSet};
use async_graphql_value::ConstValue;
use sea_orm::Condition;
use service::query::filter::{self, Filter, Filterable};
use service::query::json::{
    self, Connection, ConnectionField, Edge, EdgeField, Nested, Object, PageInfo, PageInfoField,
};
use service::query::page::{Direction, PageArgs, Sort};
use service::query::read::PageRequest;
use service::query::resource::{Link, Resource};

use super::aggregate::Aggregating;
use super::{Cx, Types, aggregate, key, position};
use crate::schema::described::screaming;
use service::model::Description;

/// What a connection field's arguments and selection say, in the service's
/// terms, or the refusal of its arguments.
pub(crate) enum ConnectionArgs<E: Filterable> {
    Page {
        filter: Condition,
        sort: Sort<E::OrderField>,
        args: PageArgs,
        search: Option<String>,
        conn: Connection<E>,
        pos: Pos,
    },
    Refused(usize),
}

/// Reads a connection field over `E`: its paging, `orderBy`, `filter` and
/// `search` arguments and its selection.
pub(crate) fn connection<E: Filterable>(
    cx: &Cx<'_>,
    field: &Field,
    described: &Description<E>,
    nodes: fn(&Cx<'_>, &SelectionSet) -> Option<Object<E>>,
    filter_of: fn(&ConstValue) -> Result<Option<Filter>, service::Error>,
) -> Option<ConnectionArgs<E>> {
    let type_name = &format!("{}Connection", described.name);
    let args = PageArgs {
        first: cx.arg(field, "first")?,
        after: cx.arg(field, "after")?,
        last: cx.arg(field, "last")?,
        before: cx.arg(field, "before")?,
    };
    let sort = order_by::<E>(cx, field)?;
    let given = cx.argument(field, "filter")?;
    let search: Option<String> = cx.arg(field, "search")?;
    let pos = position(field);
    let refused = |error| Some(ConnectionArgs::Refused(cx.refuse(error, pos)?));
    let given = match filter_of(&given) {
        Ok(given) => given,
        Err(error) => return refused(error),
    };
    let compiled = filter::compile::<E>(
        cx.dialect.backend(),
        cx.actor,
        given.as_ref(),
        search.as_deref(),
    );
    let filter = match compiled {
        Ok(filter) => filter,
        Err(error) => return refused(error),
    };
    let mut fields = Vec::new();
    for f in cx.fields(&field.selection_set.node, Types::Exactly(&[type_name]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "nodes" => ConnectionField::Nodes(nodes(cx, &f.selection_set.node)?),
            "edges" => ConnectionField::Edges(edge(cx, f, type_name, nodes)?),
            "pageInfo" => ConnectionField::PageInfo(page_info(cx, f)?),
            "totalCount" => ConnectionField::TotalCount,
            "aggregate" => ConnectionField::Aggregate(json::aggregate::<E>(
                aggregate::aggregate::<E>(cx, &f.selection_set.node, &Aggregating::of(described))?,
            )?),
            "groups" => match aggregate::groups::<E>(cx, f, &Aggregating::of(described))? {
                Ok(groups) => ConnectionField::Groups(groups),
                Err(error) => ConnectionField::Refused(cx.refuse(error, position(f))?),
            },
            "__typename" => ConnectionField::Text(type_name.to_owned()),
            _ => return None,
        };
        fields.push((key(f), value));
    }
    Some(ConnectionArgs::Page {
        filter,
        sort,
        args,
        search,
        conn: Connection::new(fields)?,
        pos,
    })
}

/// A `filter:` argument over the rows of `E`, parsed against their
/// description.
pub(crate) fn filter_of<E: Filterable>(
    value: &ConstValue,
) -> Result<Option<Filter>, service::Error> {
    let table = filter::of_table(E::default().table_name())?;
    crate::schema::filter::parse(table, value, "filter")
}

/// An edge of the connection type `connection` (`<Type>Connection`'s edges
/// are `<Type>Edge`s).
fn edge<E: Filterable>(
    cx: &Cx<'_>,
    field: &Field,
    connection: &str,
    nodes: fn(&Cx<'_>, &SelectionSet) -> Option<Object<E>>,
) -> Option<Edge<E>> {
    let type_name = format!("{}Edge", connection.strip_suffix("Connection")?);
    let mut fields = Vec::new();
    for f in cx.fields(&field.selection_set.node, Types::Exactly(&[&type_name]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "cursor" => EdgeField::Cursor,
            "node" => EdgeField::Node(nodes(cx, &f.selection_set.node)?),
            "__typename" => EdgeField::Text(type_name.clone()),
            _ => return None,
        };
        fields.push((key(f), value));
    }
    Edge::new(fields)
}

/// A connection's `pageInfo`.
fn page_info(cx: &Cx<'_>, field: &Field) -> Option<PageInfo> {
    let mut fields = Vec::new();
    for f in cx.fields(&field.selection_set.node, Types::Exactly(&["PageInfo"]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "hasNextPage" => PageInfoField::HasNextPage,
            "hasPreviousPage" => PageInfoField::HasPreviousPage,
            "startCursor" => PageInfoField::StartCursor,
            "endCursor" => PageInfoField::EndCursor,
            "__typename" => PageInfoField::Text("PageInfo".to_owned()),
            _ => return None,
        };
        fields.push((key(f), value));
    }
    PageInfo::new(fields)
}

impl<E: Filterable> ConnectionArgs<E> {
    /// Hands `build` the page request (the arguments' filter and `base`) and
    /// the selection; a refusal of the arguments, or of the page `build`
    /// plans, is the field's value.
    fn build(
        self,
        cx: &Cx<'_>,
        base: Condition,
        build: impl FnOnce(PageRequest<'_, E::OrderField>, Connection<E>) -> service::Result<Nested>,
    ) -> Option<Nested> {
        let (filter, sort, args, search, conn, pos) = match self {
            ConnectionArgs::Page {
                filter,
                sort,
                args,
                search,
                conn,
                pos,
            } => (filter, sort, args, search, conn, pos),
            ConnectionArgs::Refused(n) => return Some(json::refused(n, cx.dialect)),
        };
        let request = PageRequest {
            filter: base.add(filter),
            sort: &sort,
            args: &args,
            limits: cx.limits,
            search: search.as_deref(),
        };
        match build(request, conn) {
            Ok(nested) => Some(nested),
            Err(error) => cx.refused(error, pos),
        }
    }

    /// A root connection over the rows matching `base` too.
    pub(crate) fn root(self, cx: &Cx<'_>, base: Condition) -> Option<Nested> {
        self.build(cx, base, |request, conn| {
            json::page::<E>(cx.actor, request, conn, cx.dialect)
        })
    }

    /// A nested connection: the children of the parent row through `link`.
    pub(crate) fn child(
        self,
        cx: &Cx<'_>,
        link: Link,
        parent_key: impl sea_orm::IdenStatic,
    ) -> Option<Nested> {
        self.build(cx, Condition::all(), |request, conn| {
            json::child_page::<E, _>(cx.actor, (link, parent_key), request, conn, cx.dialect)
        })
    }
}

/// The `orderBy` argument: each entry's field (the GraphQL name of one of
/// `E`'s order fields, `Resource::order_fields`) and direction (ascending
/// unless given); a single entry stands for a list of one, as GraphQL's
/// input coercion says. `None` when an entry is not one (validation refuses
/// such a document first).
fn order_by<E: Resource>(cx: &Cx<'_>, field: &Field) -> Option<Sort<E::OrderField>> {
    let entries = match field.get_argument("orderBy") {
        None => return Some(Sort(Vec::new())),
        Some(value) => match cx.constant(&value.node)? {
            ConstValue::Null => return Some(Sort(Vec::new())),
            ConstValue::List(entries) => entries,
            entry => vec![entry],
        },
    };
    let name = |value: Option<&ConstValue>| match value? {
        ConstValue::Enum(name) => Some(name.to_string()),
        ConstValue::String(name) => Some(name.clone()),
        _ => None,
    };
    let fields = E::order_fields();
    let mut sort = Vec::with_capacity(entries.len());
    for entry in entries {
        let ConstValue::Object(entry) = entry else {
            return None;
        };
        let asked = name(entry.get("field"))?;
        let (variant, _) = fields.iter().find(|(v, _)| screaming(v) == asked)?;
        let direction = match entry.get("direction") {
            None | Some(ConstValue::Null) => Direction::Asc,
            given => match name(given)?.as_str() {
                "ASC" => Direction::Asc,
                "DESC" => Direction::Desc,
                _ => return None,
            },
        };
        sort.push((E::order_field(variant)?, direction));
    }
    Some(Sort(sort))
}
