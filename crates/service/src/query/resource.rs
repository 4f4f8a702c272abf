//! What every listable entity offers: its key, its row rule, its order fields,
//! how its rows are decided for an actor, and how its relations link tables
//! (read off the entities' sea-orm relations). The reads are in [`super::read`].

use std::borrow::Cow;
use std::fmt::Debug;
use std::hash::Hash;

use sea_orm::{
    Condition, ConnectionTrait, EntityTrait, Identity, ModelTrait, RelationTrait, Value,
    sea_query::{DynIden, IntoIden, TableName, TableRef},
};

use crate::Result;
use crate::actor::Actor;
use crate::query::page::Sort;

/// The primary key of a row or the key a relation joins on: a surrogate id or a
/// reference code (country, field of study).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Id(i64),
    Code(String),
}

impl Key {
    pub(crate) fn from_value(value: Value) -> Option<Key> {
        match value {
            Value::BigInt(Some(id)) => Some(Key::Id(id)),
            Value::Int(Some(id)) => Some(Key::Id(id.into())),
            Value::String(Some(code)) => Some(Key::Code(code)),
            _ => None,
        }
    }

    pub(crate) fn to_value(&self) -> Value {
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

/// What an order field sorts by, as plain data.
#[derive(Clone, Copy, Debug)]
pub enum OrderOf {
    /// A column of the row (`text`: sorted as text is).
    Column { column: &'static str, text: bool },
    /// A column of the to-one related row the foreign key `fk` names: the
    /// related table, its key and the column.
    Related {
        fk: &'static str,
        table: &'static str,
        key: &'static str,
        column: &'static str,
        text: bool,
    },
    /// How many rows of `table` the link reaches that the reader may see.
    Count(Link, &'static str),
}

/// Whether a column's values sort as text.
pub fn is_text(column: impl sea_orm::ColumnTrait) -> bool {
    use sea_orm::sea_query::ColumnType;
    matches!(
        column.def().get_column_type(),
        ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_)
    )
}

/// An entity the API lists, pages and looks up by key.
pub trait Resource: Table {
    /// The fields `orderBy` offers.
    type OrderField: Copy + Debug + Eq + Hash + Send + Sync + 'static;

    /// The order fields' names (`FullName`) and what each sorts by, in
    /// their declared order: what the schema declares and tests walk.
    fn order_fields() -> Vec<(&'static str, OrderOf)>;

    /// The primary key column (a single column).
    fn key_column() -> Self::Column;

    /// What an order field sorts by: one of the row's columns, a column of a
    /// related row, or a count of related rows the actor may see.
    fn order_key(
        field: Self::OrderField,
        actor: &Actor,
        backend: sea_orm::DbBackend,
    ) -> crate::query::page::OrderKey<Self::Column>;

    /// The order used when the client gives none.
    fn default_order() -> Sort<Self::OrderField>;

    /// The order field named `name` (as [`Resource::order_fields`] names it).
    fn order_field(name: &str) -> Option<Self::OrderField>;

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
/// (`crate::access::rule`). A model without restricted fields is its
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

/// Implements [`Resource`] for an entity module and declares its order-field enum:
/// `resource!(organization, OrganizationOrderField { Id => Id, Name => Name }, key = Id, default = Name);`
///
/// An order field is a column of the row (`Name => Name`), a column of a
/// to-one related row (`CountryName => one(CountryCode, country, Code, Name)`:
/// the local foreign key, the related module, its key and the column), or
/// how many related rows the actor may see (`AgreementsCount => count(AGREEMENTS,
/// agreement)`: the link and the child module).
#[macro_export]
macro_rules! resource {
    ($module:ident, $field:ident { $($variant:ident => $kind:ident $(($($arg:tt)*))?),+ $(,)? }, key = $key:ident, default = $default:ident) => {
        $crate::resource!($module, $field { $($variant => $kind $(($($arg)*))?),+ }, key = $key, default = $default,
            visible = $crate::access::everyone);
    };
    ($module:ident, $field:ident { $($variant:ident => $kind:ident $(($($arg:tt)*))?),+ $(,)? }, key = $key:ident, default = $default:ident, visible = $visible:path) => {
        $crate::resource!($module, $field { $($variant => $kind $(($($arg)*))?),+ }, key = $key, default = $default,
            visible = $visible, seen = entity::$module::Model);
    };
    (@shape $module:ident, one($fk:ident, $target:ident, $tkey:ident, $tcol:ident)) => {
        $crate::query::resource::OrderOf::Related {
            fk: sea_orm::IdenStatic::as_str(&entity::$module::Column::$fk),
            table: sea_orm::EntityName::table_name(&entity::$target::Entity),
            key: sea_orm::IdenStatic::as_str(&entity::$target::Column::$tkey),
            column: sea_orm::IdenStatic::as_str(&entity::$target::Column::$tcol),
            text: $crate::query::resource::is_text(entity::$target::Column::$tcol),
        }
    };
    (@shape $module:ident, count($link:expr, $child:ident)) => {
        $crate::query::resource::OrderOf::Count(
            *$link,
            sea_orm::EntityName::table_name(&entity::$child::Entity),
        )
    };
    (@shape $module:ident, $col:ident) => {
        $crate::query::resource::OrderOf::Column {
            column: sea_orm::IdenStatic::as_str(&entity::$module::Column::$col),
            text: $crate::query::resource::is_text(entity::$module::Column::$col),
        }
    };
    (@key $module:ident, $actor:ident, $backend:ident, one($fk:ident, $target:ident, $tkey:ident, $tcol:ident)) => {
        $crate::query::page::related_key(
            entity::$module::Column::$fk,
            entity::$target::Column::$tkey,
            entity::$target::Column::$tcol,
            concat!(stringify!($target), ".", stringify!($tcol)),
            $backend,
        )
    };
    (@key $module:ident, $actor:ident, $backend:ident, count($link:expr, $child:ident)) => {
        $crate::query::page::count_key::<entity::$module::Entity, entity::$child::Entity>(
            *$link,
            concat!(stringify!($child), "s.count"),
            $actor,
        )
    };
    (@key $module:ident, $actor:ident, $backend:ident, $col:ident) => {
        $crate::query::page::OrderKey::column(entity::$module::Column::$col, $backend)
    };
    ($module:ident, $field:ident { $($variant:ident => $kind:ident $(($($arg:tt)*))?),+ $(,)? }, key = $key:ident, default = $default:ident, visible = $visible:path, seen = $seen:ty) => {
        /// The fields this entity can be ordered by.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $field {
            $($variant),+
        }

        impl $crate::query::resource::Table for entity::$module::Entity {
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

        impl $crate::query::resource::Resource for entity::$module::Entity {
            type OrderField = $field;

            fn order_fields() -> Vec<(&'static str, $crate::query::resource::OrderOf)> {
                vec![$((stringify!($variant), $crate::resource!(@shape $module, $kind $(($($arg)*))?))),+]
            }

            fn key_column() -> entity::$module::Column {
                entity::$module::Column::$key
            }

            fn order_key(
                field: $field,
                actor: &$crate::actor::Actor,
                backend: sea_orm::DbBackend,
            ) -> $crate::query::page::OrderKey<entity::$module::Column> {
                let _ = actor;
                match field {
                    $($field::$variant => $crate::resource!(@key $module, actor, backend, $kind $(($($arg)*))?)),+
                }
            }

            fn default_order() -> $crate::query::page::Sort<$field> {
                $crate::query::page::Sort(vec![($field::$default, $crate::query::page::Direction::Asc)])
            }

            fn order_field(name: &str) -> Option<$field> {
                match name {
                    $(stringify!($variant) => Some($field::$variant),)+
                    _ => None,
                }
            }

            type Seen = $seen;

            fn seen(
                db: &impl sea_orm::ConnectionTrait,
                actor: &$crate::actor::Actor,
                rows: Vec<entity::$module::Model>,
            ) -> impl std::future::Future<Output = $crate::Result<Vec<$seen>>> + Send {
                <$seen as $crate::query::resource::Decide<entity::$module::Model>>::decide(db, actor, rows)
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
