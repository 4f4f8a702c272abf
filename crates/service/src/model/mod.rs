//! Each type the API shows, described once, as data: its table and key, its
//! fields (a column as stored, an enum, an instant, a column under a field
//! rule, a computed value) and its relations (a row by foreign key, a page,
//! a list, the first of a list). The planner builds every read from these
//! descriptions; tests walk them to ask every field of every type as every
//! role. A field's name is the API's name for it, written here and nowhere
//! else on the read path.

use std::sync::LazyLock;

use entity::NodeType;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;

use crate::access;
use crate::query::aggregate::Part;
use crate::query::filter::{Filters, Operand, Reach};
use crate::query::resource::{Link, OrderOf};

mod types;

pub use types::*;

/// What a field of a row of `E` is.
pub enum Of<E: EntityTrait> {
    /// The name of the row's type (`__typename`).
    TypeName,
    /// The row's global id (its type and key).
    Id,
    /// The column's value as stored.
    Column(E::Column),
    /// A fixed-width code with its padding trimmed.
    Trimmed(E::Column),
    /// An enum stored as lower-case text, shown as its SCREAMING_CASE name
    /// in the GraphQL enum named; the function lists the stored values.
    Enum(E::Column, &'static str, fn() -> Vec<String>),
    /// An instant (RFC 3339, UTC).
    Instant(E::Column),
    /// A column a field rule restricts: `null` and `FORBIDDEN` on the rows
    /// the reader may not read it on.
    Restricted(E::Column, access::Field),
    /// A value computed from a column in SQL, of the GraphQL type named.
    Computed(E::Column, &'static str, fn(Expr) -> Expr),
    /// A text computed after the statement from the row's key, under a
    /// field rule (an agreement's EWP IIA document: `service::derived`).
    Derived(access::Field),
    /// A JSON column, of the GraphQL type named (`[Int!]!`).
    Json(E::Column, &'static str),
    /// A text column with a `lang:` argument: `sql(key, column, tag)` gives
    /// the value in that language, the column's without the argument.
    Localized(E::Column, fn(Expr, Expr, &str) -> Expr),
    /// The row of type `NodeType` the column names.
    ToOne(E::Column, NodeType),
    /// A connection over the rows of type `NodeType` the link reaches.
    Page(&'static LazyLock<Link>, NodeType),
    /// A plain list of the rows the link reaches (a small bounded set).
    List(&'static LazyLock<Link>, NodeType),
    /// The first row the link reaches, or `null`.
    First(&'static LazyLock<Link>, NodeType),
    /// A plain list of rows without ids that belong to the row (see
    /// [`Rows`]).
    Rows(&'static Rows),
    /// The same row shown as the described type named (of the same table):
    /// a mobility balance's `condition`.
    Same(&'static str),
    /// A figure of the GraphQL type named, computed in SQL from the row's
    /// columns and the value its list was asked for ([`Argument`]): `sql`
    /// gets the columns' values in the order listed. The field rule says on
    /// which rows it is read (`null` and `FORBIDDEN` on the others).
    Figure(
        &'static str,
        &'static [E::Column],
        fn(&[Expr], &str) -> Expr,
        access::Field,
    ),
}

/// A small bounded set of rows without ids that belong to a row (an
/// agreement's parties, an organization's identifiers): the rows of
/// `table` whose column `fk` holds the row's key, ordered by `order`, each
/// shown as the described type `ty` of that table.
#[derive(Debug, PartialEq, Eq)]
pub struct Rows {
    pub table: &'static str,
    pub fk: &'static str,
    pub order: &'static [&'static str],
    pub ty: &'static str,
    /// The argument the list is asked with, if it has one.
    pub argument: Option<&'static Argument>,
}

/// The argument of a plain list (`mobilityBalance(academicYear:)`): which of
/// the table's rows it keeps, and the value the rows' [`Of::Figure`] fields
/// are computed for.
#[derive(Debug)]
pub struct Argument {
    pub name: &'static str,
    /// Its GraphQL type (`String!`).
    pub ty: &'static str,
    pub doc: &'static str,
    /// The rows kept for a value (a condition on the table's columns), or
    /// why the value is refused (`BAD_USER_INPUT`).
    pub rows: fn(&str) -> crate::Result<Expr>,
}

/// Arguments are told apart by name and type (what the schema shows).
impl PartialEq for Argument {
    fn eq(&self, other: &Self) -> bool {
        (self.name, self.ty) == (other.name, other.ty)
    }
}

impl Eq for Argument {}

/// What a type's rows are filtered on (`filter:`): each entry's name is the
/// filter input's field.
pub enum Filtered<E: EntityTrait> {
    /// Operators on a column, by its type: its enum's values for a column a
    /// field shows as an enum, global ids for the key of a type with ids.
    Column(&'static str, E::Column),
    /// The row a `belongs_to` relation names matches.
    One(&'static str, E::Relation),
    /// Quantifiers over the rows of the table named (`table::<E>`) that the
    /// link reaches.
    Many(&'static str, &'static LazyLock<Link>, fn() -> &'static str),
}

/// The table of `E` (for [`Filtered::Many`]).
pub fn table<E: EntityTrait>() -> &'static str {
    E::default().table_name()
}

/// A field: the API's name, its documentation and what it is.
pub struct Field<E: EntityTrait> {
    pub name: &'static str,
    pub doc: &'static str,
    pub of: Of<E>,
    /// The one object type of an interface that has it (`None`: all).
    pub only: Option<&'static str>,
}

/// A key `groups(by:)` offers: its name (`StartsOnYear`), the column and
/// the part of it the groups share, and for a foreign key the type of the
/// row it names (the key is that row).
pub struct GroupKey<E: EntityTrait> {
    pub name: &'static str,
    pub column: E::Column,
    pub part: Part,
    pub row: Option<NodeType>,
}

/// What a type's connections aggregate (`aggregate`) and group by
/// (`groups`).
pub struct Aggregates<E: EntityTrait> {
    /// The columns `min` and `max` offer.
    pub values: &'static [E::Column],
    /// The columns `distinctCount` offers.
    pub counts: &'static [E::Column],
    /// The numeric columns `sum` and `avg` offer.
    pub numbers: &'static [E::Column],
    /// The keys `groups(by:)` offers.
    pub keys: &'static [GroupKey<E>],
}

impl<E: EntityTrait> Aggregates<E> {
    /// Nothing to aggregate (a type without connections).
    pub const NONE: Self = Aggregates {
        values: &[],
        counts: &[],
        numbers: &[],
        keys: &[],
    };
}

/// An object type of an interface.
#[derive(Clone, Copy, Debug)]
pub struct Variant {
    /// The stored value that selects it.
    pub stored: &'static str,
    /// The object type's name.
    pub name: &'static str,
    /// The root field listing its rows, and that field's documentation.
    pub root: &'static str,
    pub root_doc: &'static str,
    pub doc: &'static str,
}

/// A type shown from the rows of `E`.
pub struct Description<E: EntityTrait> {
    /// The type's name (for organizations, the interface's).
    pub name: &'static str,
    pub doc: &'static str,
    /// What its rows are called in documentation (`people`).
    pub plural: &'static str,
    /// The root field listing every row (`""`: none), and that field's
    /// documentation.
    pub root: &'static str,
    pub root_doc: &'static str,
    /// The node type of its global ids, for types with one.
    pub node: Option<NodeType>,
    /// The key column its ids and relations use.
    pub key: E::Column,
    /// Types a row is shown as, by the stored value of a column (an
    /// interface's object types), each with the root field listing its
    /// rows; `None` when every row is `name`.
    pub variants: Option<(E::Column, &'static [Variant])>,
    /// The interfaces the type implements (and `name` for variants).
    pub interfaces: &'static [&'static str],
    /// What its connections aggregate and group by.
    pub aggregates: Aggregates<E>,
    /// The fields its connections can be ordered by
    /// (`Resource::order_fields`).
    pub order: fn() -> Vec<(&'static str, OrderOf)>,
    /// What its rows are filtered on.
    pub filters: &'static [Filtered<E>],
    /// The filter input's name without `Filter`, when it is not `name`.
    pub filter_name: Option<&'static str>,
    pub fields: &'static [Field<E>],
    /// Its create, update and delete, when the generic writes make them
    /// (the schema declares their mutations, inputs and payloads from it).
    pub writes: Option<&'static crate::write::Writes>,
}

impl<E: EntityTrait> Description<E> {
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field<E>> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The GraphQL enum a field shows the column named `column` as, if one
    /// does.
    pub fn enum_of(&self, column: &str) -> Option<&'static str> {
        use sea_orm::IdenStatic;
        self.fields.iter().find_map(|f| match &f.of {
            Of::Enum(c, name, _) if c.as_str() == column => Some(*name),
            _ => None,
        })
    }
}

/// A field as plain data, whatever its table: what [`catalog`] lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    TypeName,
    Id,
    /// A column as stored (by name).
    Column(&'static str),
    Trimmed(&'static str),
    Enum(&'static str),
    Instant(&'static str),
    Restricted(&'static str, access::Field),
    Computed(&'static str),
    /// The row of the node type that the column names.
    ToOne(&'static str, NodeType),
    /// Rows the link reaches (its table and columns as data).
    Page(Link, NodeType),
    List(Link, NodeType),
    First(Link, NodeType),
    Rows(&'static Rows),
    /// A text computed after the statement (`Of::Derived`).
    Derived(access::Field),
    /// The same row as another described type (`Of::Same`).
    Same(&'static str),
    /// A figure computed for the list's argument, under a field rule
    /// (`Of::Figure`).
    Figure(access::Field),
}

/// A type as plain data: what tests and tools walk.
#[derive(Clone, Debug)]
pub struct Shape {
    pub name: &'static str,
    pub root: &'static str,
    pub table: &'static str,
    pub key: &'static str,
    pub node: Option<NodeType>,
    /// The column that picks a row's object type, and the variants.
    pub variants: Option<(&'static str, &'static [Variant])>,
    pub interfaces: &'static [&'static str],
    pub fields: Vec<FieldShape>,
    /// The fields its connections can be ordered by, and what each sorts by.
    pub order: Vec<(&'static str, OrderOf)>,
    /// The relations its filter reaches, by field name (`snake_case`).
    pub relations: Vec<(&'static str, Reach)>,
    pub writes: Option<&'static crate::write::Writes>,
}

/// A field as plain data.
#[derive(Clone, Copy, Debug)]
pub struct FieldShape {
    pub name: &'static str,
    pub kind: Kind,
    /// The one object type of an interface that has it.
    pub only: Option<&'static str>,
}

impl<E: EntityTrait> Description<E> {
    /// The description as plain data.
    pub fn shape(&self) -> Shape
    where
        E: crate::query::resource::Table,
    {
        use sea_orm::IdenStatic;
        let name = |c: &E::Column| c.as_str();
        let fields = self
            .fields
            .iter()
            .map(|field| {
                let kind = match &field.of {
                    Of::TypeName => Kind::TypeName,
                    Of::Id => Kind::Id,
                    Of::Column(c) => Kind::Column(name(c)),
                    Of::Trimmed(c) => Kind::Trimmed(name(c)),
                    Of::Enum(c, _, _) => Kind::Enum(name(c)),
                    Of::Instant(c) => Kind::Instant(name(c)),
                    Of::Restricted(c, rule) => Kind::Restricted(name(c), *rule),
                    Of::Computed(c, _, _) => Kind::Computed(name(c)),
                    Of::Localized(c, _) | Of::Json(c, _) => Kind::Column(name(c)),
                    Of::ToOne(c, target) => Kind::ToOne(name(c), *target),
                    Of::Page(link, target) => Kind::Page(***link, *target),
                    Of::List(link, target) => Kind::List(***link, *target),
                    Of::First(link, target) => Kind::First(***link, *target),
                    Of::Rows(rows) => Kind::Rows(rows),
                    Of::Derived(rule) => Kind::Derived(*rule),
                    Of::Same(ty) => Kind::Same(ty),
                    Of::Figure(.., rule) => Kind::Figure(*rule),
                };
                FieldShape {
                    name: field.name,
                    kind,
                    only: field.only,
                }
            })
            .collect();
        Shape {
            name: self.name,
            root: self.root,
            table: E::default().table_name(),
            key: name(&self.key),
            node: self.node,
            variants: self.variants.map(|(c, v)| (name(&c), v)),
            interfaces: self.interfaces,
            fields,
            order: (self.order)(),
            relations: self.filter_shape().relations,
            writes: self.writes,
        }
    }

    /// What its rows are filtered on, as plain data.
    pub fn filter_shape(&self) -> Filters
    where
        E: crate::query::resource::Table,
    {
        use sea_orm::{ColumnTrait, IdenStatic, RelationTrait};
        let table = E::default().table_name();
        let name = self.filter_name.unwrap_or(self.name);
        let key = self.key.as_str();
        let mut filters = Filters::new(name, self.plural, table, key, E::visible_as);
        for entry in self.filters {
            match entry {
                Filtered::Column(name, column) => {
                    let def = column.def();
                    let ty = def.get_column_type();
                    let operand = match (self.node, self.enum_values(column.as_str())) {
                        (Some(node), _) if column.as_str() == key && *name == "id" => {
                            Operand::Id(node)
                        }
                        (_, Some(operand)) => operand,
                        _ => operand(ty),
                    };
                    let rule = self.fields.iter().find_map(|f| match f.of {
                        Of::Restricted(c, rule) if c.as_str() == column.as_str() => Some(rule),
                        _ => None,
                    });
                    filters.field(name, column.as_str(), operand, ty, rule);
                }
                Filtered::One(name, relation) => {
                    let def = relation.def();
                    let reach = Reach::One {
                        local: crate::query::resource::column_name(&def.from_col),
                        table: crate::query::resource::table_name(&def.to_tbl),
                        target: crate::query::resource::column_name(&def.to_col),
                    };
                    filters.relations.push((name, reach));
                }
                Filtered::Many(name, link, related) => {
                    let reach = Reach::Many {
                        link: ***link,
                        table: related(),
                        key,
                    };
                    filters.relations.push((name, reach));
                }
            }
        }
        filters
    }

    /// The operand of the column named `column` when a field shows it as
    /// an enum: the GraphQL enum and its stored values.
    fn enum_values(&self, column: &str) -> Option<Operand> {
        use sea_orm::IdenStatic;
        self.fields.iter().find_map(|f| match &f.of {
            Of::Enum(c, name, stored) if c.as_str() == column => Some(Operand::Enum(name, *stored)),
            _ => None,
        })
    }
}

/// What a column of this type compares with.
fn operand(ty: &sea_orm::ColumnType) -> Operand {
    use sea_orm::ColumnType as T;
    match ty {
        T::Integer | T::SmallInteger | T::TinyInteger => Operand::Int,
        T::Date => Operand::Date,
        T::Boolean => Operand::Bool,
        T::Timestamp | T::TimestampWithTimeZone | T::DateTime => Operand::Instant,
        _ => Operand::Text,
    }
}

/// Every type's filters, the audit log's too.
pub fn filters() -> Vec<Filters> {
    struct All(Vec<Filters>);
    impl Visit for All {
        fn visit<E: crate::query::resource::Table>(&mut self, d: &'static Description<E>) {
            self.0.push(d.filter_shape());
        }
    }
    let mut all = All(vec![AUDIT_ENTRY.filter_shape()]);
    each(&mut all);
    all.0
}

/// Something done with each description, whatever its table.
pub trait Visit {
    fn visit<E: crate::query::resource::Table>(&mut self, description: &'static Description<E>);

    /// A type with global ids, whose rows are filtered, ordered and paged.
    fn node<E: crate::query::filter::Filterable>(&mut self, description: &'static Description<E>) {
        self.visit(description)
    }
}

/// Calls `visitor` with every description: first each node type's (the
/// entity registry's, in its order: records, then reference data — the
/// order of `Query`'s root fields), found through its `Filterable`, then the
/// types of rows without ids that belong to another row.
pub fn each(visitor: &mut impl Visit) {
    macro_rules! nodes {
        (
            records { $($record:ident => $rmod:ident),+ }
            reference { $($reference:ident => $cmod:ident),+ }
        ) => {
            $(visitor.node(<entity::$rmod::Entity as crate::query::filter::Filterable>::description());)+
            $(visitor.node(<entity::$cmod::Entity as crate::query::filter::Filterable>::description());)+
        };
    }
    entity::with_nodes!(nodes);
    visitor.visit(&PARTY);
    visitor.visit(&IDENTIFIER);
    visitor.visit(&NAME);
    visitor.visit(&CONDITION);
    visitor.visit(&CONDITION_LANGUAGE);
    visitor.visit(&BALANCE);
}

/// Every described type, as plain data.
pub fn catalog() -> Vec<Shape> {
    struct Shapes(Vec<Shape>);
    impl Visit for Shapes {
        fn visit<E: crate::query::resource::Table>(
            &mut self,
            description: &'static Description<E>,
        ) {
            self.0.push(description.shape());
        }
    }
    let mut shapes = Shapes(Vec::new());
    each(&mut shapes);
    shapes.0
}
