//! Each type's selection in `service::query::json` terms, read off its
//! description (`service::model`): nothing here names a type's fields.

use std::borrow::Cow;

use async_graphql::Positioned;
use async_graphql::parser::types::{Field as GqlField, SelectionSet};
use async_graphql::{ID, Pos};
use entity::NodeType;
use sea_orm::Condition;
use service::access;
use service::model::{self, Description, Of, Variant};
use service::query::filter::Filterable;
use service::query::json::{self, Field, Nested, Object};
use service::query::resource::{Key, Link, Table};

use super::{ConnectionArgs, Cx, Types, connection, key};
use crate::schema::described::enum_names_of;
use crate::schema::id;

/// A root field of `Query`.
pub(super) fn root(cx: &Cx<'_>, field: &GqlField) -> Option<Nested> {
    if let Some(connection) = listing(cx, field) {
        return connection;
    }
    match field.name.node.as_str() {
        "auditLog" => super::audit::audit_log(cx, field)?.root(cx, Condition::all()),
        "node" => {
            let global: ID = cx.arg(field, "id")?;
            match id::decode(&global, "id") {
                Ok((ty, key)) => node_of(cx, ty, key, &field.selection_set.node),
                Err(error) => cx.refused(error, super::position(field)),
            }
        }
        "viewer" => viewer(cx, &field.selection_set.node),
        "organizationByIdentifier" => {
            use crate::schema::organization::IdentifierScheme;
            let scheme: IdentifierScheme = cx.arg(field, "scheme")?;
            let value: String = cx.arg(field, "value")?;
            let key = service::organization_identifier::key_of("value", scheme.into(), &value);
            match key {
                Ok(key) => dispatch(
                    By::Node(NodeType::Organization),
                    Row(cx, At::Expr(key), &field.selection_set.node),
                ),
                Err(error) => cx.refused(error, super::position(field)),
            }
        }
        "statistics" => super::statistics::statistics(cx, field),
        "__typename" => Some(json::fixed_text("Query".to_owned())),
        "nodes" => {
            let ids: Vec<ID> = cx.arg(field, "ids")?;
            let mut rows = Vec::with_capacity(ids.len());
            for global in &ids {
                // One id refused refuses the list, as the resolvers do.
                let (ty, key) = match id::decode(global, "ids") {
                    Ok(found) => found,
                    Err(error) => return cx.refused(error, super::position(field)),
                };
                rows.push(node_of(cx, ty, key, &field.selection_set.node)?);
            }
            json::list(rows)
        }
        _ => None,
    }
}

/// The GraphQL name of an enum value.
pub(super) fn name_of<G: async_graphql::EnumType + PartialEq>(value: G) -> Option<String> {
    G::items()
        .iter()
        .find(|item| item.value == value)
        .map(|item| item.name.to_owned())
}

/// `viewer`: who the token says the caller is.
fn viewer(cx: &Cx<'_>, set: &SelectionSet) -> Option<Nested> {
    use crate::schema::viewer::ViewerRole;
    use json::Fixed;
    let actor = cx.actor;
    let mut fields = Vec::new();
    for f in cx.fields(set, Types::Exactly(&["Viewer"]))? {
        let f = &f.node;
        let value = match f.name.node.as_str() {
            "__typename" => Fixed::Text(Some("Viewer".to_owned())),
            "sub" => Fixed::Text(actor.sub.clone()),
            "role" => match actor.role {
                Some(role) => Fixed::Text(Some(name_of(ViewerRole::from(role))?)),
                None => Fixed::Text(None),
            },
            "organization" => match actor.organization_id {
                Some(id) => Fixed::Nested(json::by_key(
                    actor,
                    service::query::resource::Key::Id(id),
                    <entity::organization::Entity as Shown>::object(cx, &f.selection_set.node)?,
                )),
                None => Fixed::Text(None),
            },
            _ => return None,
        };
        fields.push((key(f), value));
    }
    json::fixed(fields)
}

/// An object of `E` over a selection: `field` translates each selected field
/// (`None`: it does not translate).
pub(super) fn object<E: sea_orm::EntityTrait>(
    cx: &Cx<'_>,
    set: &SelectionSet,
    types: Types<'_>,
    field: impl Fn(&GqlField, Pos) -> Option<Field<E>>,
) -> Option<Object<E>> {
    object_of(&cx.fields(set, types)?, field)
}

/// An object of `E` with the collected fields `fields`.
fn object_of<E: sea_orm::EntityTrait>(
    fields: &[Cow<'_, Positioned<GqlField>>],
    field: impl Fn(&GqlField, Pos) -> Option<Field<E>>,
) -> Option<Object<E>> {
    let mut out = Vec::new();
    for f in fields {
        out.push((key(&f.node), field(&f.node, f.pos)?));
    }
    Object::new(out)
}

/// A type the plan shows: its description, and the connection over its rows
/// (with the arguments as the schema declares them).
pub(super) trait Shown: service::query::filter::Filterable {
    fn object(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<Self>>;

    fn connection(cx: &Cx<'_>, field: &GqlField) -> Option<ConnectionArgs<Self>>;
}

/// How a field reaches its related rows from a row of `P`.
enum How<P: sea_orm::EntityTrait> {
    /// The row a column names.
    ToOne(P::Column),
    /// A page of the rows a link reaches from the key.
    Page(Link, P::Column),
    /// Every row a link reaches from the key.
    List(Link, P::Column),
    /// The first row a link reaches from the key.
    First(Link, P::Column),
}

/// The related rows of `T` that `f` asks for.
fn reach<P: sea_orm::EntityTrait, T: Shown>(
    cx: &Cx<'_>,
    f: &GqlField,
    how: How<P>,
) -> Option<Field<P>> {
    let set = &f.selection_set.node;
    Some(Field::Nested(match how {
        How::ToOne(column) => json::one(cx.actor, column, T::object(cx, set)?),
        How::Page(link, key) => T::connection(cx, f)?.child(cx, link, key)?,
        How::List(link, key) => {
            json::children(cx.actor, link, key, T::object(cx, set)?, cx.dialect)?
        }
        How::First(link, key) => {
            json::first_child(cx.actor, link, key, T::object(cx, set)?, cx.dialect)?
        }
    }))
}

impl<E: service::query::filter::Filterable> Shown for E {
    fn object(cx: &Cx<'_>, set: &SelectionSet) -> Option<Object<Self>> {
        described(cx, set, E::description())
    }

    fn connection(cx: &Cx<'_>, field: &GqlField) -> Option<ConnectionArgs<Self>> {
        let filter = super::connection::filter_of::<Self>;
        connection(cx, field, E::description(), Self::object, filter)
    }
}

/// A step of the plan taken with the entity of one described type.
trait Job {
    type Out;
    fn run<E: Shown>(self, d: &'static Description<E>) -> Option<Self::Out>;
}

/// Which described type (with global ids) a step is taken with.
enum By<'a> {
    Node(NodeType),
    Table(&'a str),
    /// The root field listing its rows (or one variant's).
    Root(&'a str),
}

/// Runs `job` with the described type `by` picks; `None` when none is.
fn dispatch<J: Job>(by: By<'_>, job: J) -> Option<J::Out> {
    struct Dispatch<'b, J: Job>(By<'b>, Option<J>, Option<J::Out>);
    impl<J: Job> model::Visit for Dispatch<'_, J> {
        fn visit<E: Table>(&mut self, _: &'static Description<E>) {}

        fn node<E: Filterable>(&mut self, d: &'static Description<E>) {
            let lists = |name| {
                d.variants
                    .is_some_and(|(_, v)| v.iter().any(|v| v.root == name))
            };
            let picked = match self.0 {
                By::Node(node) => d.node == Some(node),
                By::Table(table) => E::default().table_name() == table,
                By::Root(name) => d.root == name || lists(name),
            };
            if picked && let Some(job) = self.1.take() {
                self.2 = job.run(d);
            }
        }
    }
    let mut dispatch = Dispatch(by, Some(job), None);
    model::each(&mut dispatch);
    dispatch.2
}

/// The related rows of type `target` that `f` asks for.
fn related<P: sea_orm::EntityTrait>(
    cx: &Cx<'_>,
    f: &GqlField,
    how: How<P>,
    target: NodeType,
) -> Option<Field<P>> {
    struct Related<'a, P: sea_orm::EntityTrait>(&'a Cx<'a>, &'a GqlField, How<P>);
    impl<P: sea_orm::EntityTrait> Job for Related<'_, P> {
        type Out = Field<P>;
        fn run<E: Shown>(self, _: &'static Description<E>) -> Option<Field<P>> {
            reach::<P, E>(self.0, self.1, self.2)
        }
    }
    dispatch(By::Node(target), Related(cx, f, how))
}

/// The row of type `ty` with key `key`, or `null`.
pub(super) fn node_of(cx: &Cx<'_>, ty: NodeType, key: Key, set: &SelectionSet) -> Option<Nested> {
    dispatch(By::Node(ty), Row(cx, At::Key(key), set))
}

/// The row of the table named `table` that the parent's column `column`
/// names (a group's key), with the selection `set`; `None` for a table
/// without a description.
pub(super) fn row_at(
    cx: &Cx<'_>,
    table: &str,
    column: &'static str,
    set: &SelectionSet,
) -> Option<Nested> {
    dispatch(By::Table(table), Row(cx, At::Column(column), set))
}

/// A row with a selection, by key or named by the parent's column.
struct Row<'a>(&'a Cx<'a>, At, &'a SelectionSet);
enum At {
    Key(Key),
    Column(&'static str),
    /// The key an expression gives (a scalar subquery).
    Expr(sea_orm::sea_query::Expr),
}

impl Job for Row<'_> {
    type Out = Nested;
    fn run<E: Shown>(self, _: &'static Description<E>) -> Option<Nested> {
        let (actor, object) = (self.0.actor, E::object(self.0, self.2)?);
        Some(match self.1 {
            At::Key(key) => json::by_key(actor, key, object),
            At::Column(column) => json::one_at(actor, column, object),
            At::Expr(key) => json::by_key_of(actor, key, object),
        })
    }
}

/// A root field listing rows of a described type (all of them, or one
/// variant's), as a connection; `None` for another root field.
fn listing(cx: &Cx<'_>, field: &GqlField) -> Option<Option<Nested>> {
    struct Listing<'a>(&'a Cx<'a>, &'a GqlField);
    impl Job for Listing<'_> {
        type Out = Option<Nested>;
        fn run<E: Shown>(self, d: &'static Description<E>) -> Option<Option<Nested>> {
            let name = self.1.name.node.as_str();
            let mut within = Condition::all();
            if d.root != name
                && let Some((column, variants)) = d.variants
            {
                let variant = variants.iter().find(|v| v.root == name)?;
                within = within.add(sea_orm::ColumnTrait::eq(&column, variant.stored));
            }
            Some(E::connection(self.0, self.1).and_then(|c| c.root(self.0, within)))
        }
    }
    dispatch(By::Root(field.name.node.as_str()), Listing(cx, field))
}

/// The object a description shows over a selection. A type shown as one of
/// several object types per row (an interface) is answered with the fields
/// of each row's type when a fragment names one (`... on Company`).
fn described<E: sea_orm::EntityTrait>(
    cx: &Cx<'_>,
    set: &SelectionSet,
    d: &'static Description<E>,
) -> Option<Object<E>> {
    let Some((column, variants)) = d.variants else {
        let mut types = vec![d.name];
        types.extend(d.interfaces);
        return object(cx, set, Types::Exactly(&types), |f, at| field(cx, d, f, at));
    };
    let mut kinds = Vec::with_capacity(variants.len());
    for Variant {
        stored, name: ty, ..
    } in variants
    {
        let mut types = vec![*ty];
        types.extend(d.interfaces);
        kinds.push((stored, cx.fields(set, Types::Exactly(&types))?));
    }
    type Fields<'f> = [Cow<'f, Positioned<GqlField>>];
    let same = |a: &Fields<'_>, b: &Fields<'_>| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| match (x, y) {
                (Cow::Borrowed(x), Cow::Borrowed(y)) => std::ptr::eq(*x, *y),
                // Merged fields: the kinds are told apart (the same answer,
                // planned per kind).
                _ => false,
            })
    };
    if kinds.iter().all(|(_, fields)| same(fields, &kinds[0].1)) {
        return object_of(&kinds[0].1, |f, at| field(cx, d, f, at));
    }
    let mut per_row = Vec::with_capacity(kinds.len());
    for (stored, fields) in kinds {
        per_row.push((
            (*stored).to_owned(),
            object_of(&fields, |f, at| field(cx, d, f, at))?,
        ));
    }
    Object::per_row(column, per_row)
}

/// A selected field of a description's row.
fn field<E: sea_orm::EntityTrait>(
    cx: &Cx<'_>,
    d: &'static Description<E>,
    f: &GqlField,
    at: Pos,
) -> Option<Field<E>> {
    let link = |link: &std::sync::LazyLock<Link>| **link;
    Some(match &d.field(f.name.node.as_str())?.of {
        Of::TypeName => match d.variants {
            None => Field::Text(d.name.to_owned()),
            Some((column, variants)) => Field::Mapped(
                column,
                variants
                    .iter()
                    .map(|v| (v.stored.to_owned(), v.name.to_owned()))
                    .collect(),
            ),
        },
        Of::Id => Field::GlobalId(d.node?.name(), d.key),
        Of::Column(column) | Of::Json(column, _) => Field::Column(*column),
        Of::Trimmed(column) => Field::Trimmed(*column),
        Of::Enum(column, _, values) => Field::Mapped(*column, enum_names_of(*values)),
        Of::Instant(column) => Field::DateTime(*column),
        Of::Restricted(column, rule) => match access::Readable::of(cx.actor, *rule) {
            None => Field::Column(*column),
            Some(readable) => {
                let message = access::refusal(*rule);
                Field::Restricted(*column, readable, cx.refusal(message, at))
            }
        },
        Of::Computed(column, _, sql) => Field::Computed(*column, *sql),
        Of::Derived(rule) => {
            let n = cx.derived(*rule, at);
            match access::Readable::of(cx.actor, *rule) {
                None => Field::Derived(d.key, n, None),
                Some(readable) => {
                    let refusal = cx.refusal(access::refusal(*rule), at);
                    Field::Derived(d.key, n, Some((readable, refusal)))
                }
            }
        }
        Of::Localized(column, sql) => match cx.arg::<Option<String>>(f, "lang")? {
            None => Field::Column(*column),
            Some(tag) => match service::organization_name::language_tag("lang", &tag) {
                Ok(tag) => Field::Localized(d.key, *column, tag, *sql),
                Err(error) => Field::Nested(cx.refused(error, at)?),
            },
        },
        Of::ToOne(column, target) => related(cx, f, How::ToOne(*column), *target)?,
        Of::Page(l, target) => related(cx, f, How::Page(link(l), d.key), *target)?,
        Of::List(l, target) => related(cx, f, How::List(link(l), d.key), *target)?,
        Of::First(l, target) => related(cx, f, How::First(link(l), d.key), *target)?,
        Of::Rows(rows) => Field::Nested(plain_rows(cx, f, at, rows, d.key)?),
        Of::Same(ty) => Field::Nested(same_row(cx, f, E::default().table_name(), ty)?),
        Of::Figure(_, columns, sql, rule) => {
            let argument = cx.argument.borrow().clone()?;
            let refused = access::Readable::of(cx.actor, *rule)
                .map(|readable| (readable, cx.refusal(access::refusal(*rule), at)));
            Field::Figure(columns.to_vec(), *sql, argument, refused)
        }
    })
}

/// The row itself shown as the type named `ty` of its table `table`, with
/// the selection of `f`.
fn same_row(cx: &Cx<'_>, f: &GqlField, table: &str, ty: &str) -> Option<Nested> {
    struct Same<'a>(
        &'a Cx<'a>,
        &'a GqlField,
        &'a str,
        &'a str,
        Option<Option<Nested>>,
    );
    impl model::Visit for Same<'_> {
        fn visit<E: Table>(&mut self, d: &'static Description<E>) {
            if E::default().table_name() != self.2 || d.name != self.3 || self.4.is_some() {
                return;
            }
            let object = described(self.0, &self.1.selection_set.node, d);
            self.4 = Some(object.map(Nested::same_row));
        }
    }
    let mut same = Same(cx, f, table, ty, None);
    model::each(&mut same);
    same.4.flatten()
}

/// The rows of a plain list (`Of::Rows`) under the parent's key column
/// `parent`, with the selection of `f`.
fn plain_rows(
    cx: &Cx<'_>,
    f: &GqlField,
    at: Pos,
    rows: &'static model::Rows,
    parent: impl sea_orm::IdenStatic,
) -> Option<Nested> {
    // The argument keeps some of the rows, and their figures are for it.
    let mut kept = None;
    if let Some(argument) = rows.argument {
        let value = cx.arg::<String>(f, argument.name)?;
        match (argument.rows)(&value) {
            Ok(rows) => kept = Some(rows),
            Err(error) => return cx.refused(error, at),
        }
        let outer = cx.argument.replace(Some(value));
        let planned = plain_rows_kept(cx, f, rows, parent, kept);
        cx.argument.replace(outer);
        return planned;
    }
    plain_rows_kept(cx, f, rows, parent, kept)
}

fn plain_rows_kept(
    cx: &Cx<'_>,
    f: &GqlField,
    rows: &'static model::Rows,
    parent: impl sea_orm::IdenStatic,
    kept: Option<sea_orm::sea_query::Expr>,
) -> Option<Nested> {
    struct Plain<'a, K: sea_orm::IdenStatic>(
        &'a Cx<'a>,
        &'a GqlField,
        &'static model::Rows,
        Option<(K, Option<sea_orm::sea_query::Expr>)>,
        Option<Option<Nested>>,
    );
    impl<K: sea_orm::IdenStatic> model::Visit for Plain<'_, K> {
        fn visit<E: Table>(&mut self, d: &'static Description<E>) {
            use std::str::FromStr;
            if E::default().table_name() != self.2.table || d.name != self.2.ty {
                return;
            }
            let Some((parent, kept)) = self.3.take() else {
                return;
            };
            let column = |name: &str| E::Column::from_str(name).ok();
            let planned = (|| {
                let fk = column(self.2.fk)?;
                let order = self
                    .2
                    .order
                    .iter()
                    .map(|c| column(c))
                    .collect::<Option<Vec<_>>>()?;
                let object = described(self.0, &self.1.selection_set.node, d)?;
                Some(json::rows_of(self.0.actor, fk, parent, order, kept, object))
            })();
            self.4 = Some(planned);
        }
    }
    let mut plain = Plain(cx, f, rows, Some((parent, kept)), None);
    model::each(&mut plain);
    plain.4.flatten()
}
