//! Writes as data: what a client gives a record's generic create and update,
//! field by field, before it is typed, and the record's writes as its
//! description declares them ([`Writes`]). The schema's create, update and
//! delete mutations, their inputs and payloads are declared from that
//! (`api::schema::writes`); one resolver runs them all through [`Ops`].

use std::marker::PhantomData;

use chrono::NaiveDate;
use entity::NodeType;
use futures_util::future::BoxFuture;
use sea_orm::{ActiveEnum, DatabaseConnection, EntityTrait, IntoActiveModel, PrimaryKeyTrait};

use super::{Edit, ModelOf, Row, create_one, delete, update_one};
use crate::{Actor, Error, Result};

/// A value a client gave for a field, as the request carried it, with
/// global ids already decoded into the row keys they name; a date or an
/// enum is text (`2024-04-03`, `LABORATORY`) until its field reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Key(i64),
    List(Vec<Given>),
}

/// The fields a client gave, by their GraphQL names.
#[derive(Clone, Debug, Default)]
pub struct Input(pub Vec<(String, Given)>);

impl Input {
    /// Takes field `field` (`snake_case`) as a `T`: on create, an absent
    /// field is null where `T` may be, else `default` (or left unset, which
    /// the record's check refuses); on update, an absent field is left as it
    /// is and null clears it where `T` may be null.
    pub fn take<T: Typed>(
        &mut self,
        field: &str,
        create: bool,
        default: Option<T>,
    ) -> Result<Option<T>> {
        let name = camel(field);
        let given = self
            .0
            .iter()
            .position(|(n, _)| *n == name)
            .map(|at| self.0.swap_remove(at).1);
        match given {
            None if !create => Ok(None),
            None | Some(Given::Null) if create && default.is_some() => Ok(default),
            None if T::NULLABLE => T::read(&name, Given::Null).map(Some),
            None => Ok(None),
            Some(Given::Null) if !T::NULLABLE => {
                Err(Error::bad_input(&name, format!("`{name}` cannot be null")))
            }
            Some(given) => T::read(&name, given).map(Some),
        }
    }
}

/// `host_organization_id` → `hostOrganizationId`.
pub fn camel(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// A field of a record's create and update inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputField {
    /// The GraphQL name (`hostOrganizationId`).
    pub name: String,
    pub doc: String,
    /// The GraphQL type without `!` (`ID`, `Date`, `EventKind`, `[ID!]`).
    pub ty: String,
    /// For `ID`: the node type the id must name.
    pub node: Option<NodeType>,
    /// Whether null is a value of it (update clears it with null).
    pub nullable: bool,
    /// Whether create may leave it out (it is nullable or has a default).
    pub optional: bool,
    /// Rows the record owns (`partnerIds`), not a column of its table.
    pub owned: bool,
}

impl InputField {
    /// The field `field` (`snake_case`) of Rust type `T`, its documentation
    /// the doc comment's lines.
    pub fn new<T: Typed>(
        field: &str,
        doc: &[&str],
        node: Option<NodeType>,
        default: bool,
        owned: bool,
    ) -> Self {
        let doc = doc
            .iter()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        let ty = if node.is_some() { "ID" } else { T::TYPE };
        InputField {
            name: camel(field),
            doc: doc.trim().to_owned(),
            ty: if T::LIST {
                format!("[{ty}!]")
            } else {
                ty.to_owned()
            },
            node,
            nullable: T::NULLABLE,
            optional: T::NULLABLE || default || owned,
            owned,
        }
    }
}

/// A Rust type a field of a change set has, read from what a client gave.
pub trait Typed: Sized {
    /// The GraphQL type it is given as.
    const TYPE: &'static str;
    /// Whether null is a value of it (an `Option`).
    const NULLABLE: bool = false;
    /// Whether it is a list of `TYPE` (a `Vec`).
    const LIST: bool = false;
    fn read(field: &str, given: Given) -> Result<Self>;
}

fn mistyped<T>(field: &str) -> Result<T> {
    Err(Error::bad_input(
        field,
        format!("`{field}` has the wrong type"),
    ))
}

/// `Typed` for types given as one variant of [`Given`].
macro_rules! typed {
    ($($ty:ty => $name:literal, $variant:ident;)*) => {
        $(impl Typed for $ty {
            const TYPE: &'static str = $name;
            fn read(field: &str, given: Given) -> Result<Self> {
                match given {
                    Given::$variant(value) => Ok(value),
                    _ => mistyped(field),
                }
            }
        })*
    };
}

typed! {
    String => "String", Text;
    bool => "Boolean", Bool;
}

impl Typed for NaiveDate {
    const TYPE: &'static str = "Date";
    fn read(field: &str, given: Given) -> Result<Self> {
        match given {
            Given::Text(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                Error::bad_input(
                    field,
                    format!("`{field}` is not a date in the form YYYY-MM-DD"),
                )
            }),
            _ => mistyped(field),
        }
    }
}

/// A row key (a global id's) or an integer.
impl Typed for i64 {
    const TYPE: &'static str = "Int";
    fn read(field: &str, given: Given) -> Result<Self> {
        match given {
            Given::Key(n) | Given::Int(n) => Ok(n),
            _ => mistyped(field),
        }
    }
}

impl Typed for i32 {
    const TYPE: &'static str = "Int";
    fn read(field: &str, given: Given) -> Result<Self> {
        match given {
            Given::Int(n) => i32::try_from(n).or_else(|_| mistyped(field)),
            _ => mistyped(field),
        }
    }
}

impl<T: Typed> Typed for Option<T> {
    const TYPE: &'static str = T::TYPE;
    const NULLABLE: bool = true;
    fn read(field: &str, given: Given) -> Result<Self> {
        match given {
            Given::Null => Ok(None),
            given => T::read(field, given).map(Some),
        }
    }
}

impl<T: Typed> Typed for Vec<T> {
    const TYPE: &'static str = T::TYPE;
    const LIST: bool = true;
    fn read(field: &str, given: Given) -> Result<Self> {
        match given {
            Given::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::read(&format!("{field}[{i}]"), item))
                .collect(),
            _ => mistyped(field),
        }
    }
}

/// The enums a change set takes, by their GraphQL names (stored as the
/// name in lowercase).
macro_rules! typed_enums {
    ($($ty:ty => $name:literal,)*) => {
        $(impl Typed for $ty {
            const TYPE: &'static str = $name;
            fn read(field: &str, given: Given) -> Result<Self> {
                match given {
                    Given::Text(name) => <$ty as ActiveEnum>::try_from_value(&name.to_lowercase())
                        .or_else(|_| mistyped(field)),
                    _ => mistyped(field),
                }
            }
        })*
    };
}

typed_enums! {
    entity::event::EventKind => "EventKind",
    entity::program::ProgramKind => "ProgramKind",
    entity::student::DegreeLevel => "DegreeLevel",
    entity::student::StudentStatus => "StudentStatus",
    entity::joint_unit::JointUnitKind => "JointUnitKind",
}

/// A change set read from what a client gave (`changes!` derives it).
pub trait FromInput: Sized {
    /// The inputs' fields, in order.
    fn fields() -> Vec<InputField>;
    /// The changes `input` asks for; `create`: for a new row.
    fn read(input: Input, create: bool) -> Result<Self>;
}

/// A record's generic writes, as its description declares them.
pub struct Writes {
    /// The row in prose, with its article (`a visit`).
    pub what: &'static str,
    /// The create input's documentation (`A new visit of an expert.`).
    pub new: &'static str,
    /// The create mutation's documentation (`Records a visit.`).
    pub create: &'static str,
    pub ops: &'static dyn Ops,
}

impl std::fmt::Debug for Writes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writes")
            .field("what", &self.what)
            .finish_non_exhaustive()
    }
}

/// What the generic writes of one table do, whatever its type.
pub trait Ops: Sync {
    fn fields(&self) -> Vec<InputField>;
    /// Creates a row; its key.
    fn create<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        input: Input,
    ) -> BoxFuture<'a, Result<i64>>;
    /// Changes row `id` the client saw at `version`; its key.
    fn update<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        id: i64,
        version: i32,
        input: Input,
    ) -> BoxFuture<'a, Result<i64>>;
    /// Deletes row `id` the client saw at `version`.
    fn delete<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        id: i64,
        version: i32,
    ) -> BoxFuture<'a, Result<()>>;
}

/// [`Ops`] of the table whose active model is `A`.
pub struct Generic<A>(pub PhantomData<fn() -> A>);

impl<A> Generic<A> {
    pub const OPS: Self = Generic(PhantomData);
}

impl<A> Ops for Generic<A>
where
    A: Edit,
    A::Changes: FromInput,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    fn fields(&self) -> Vec<InputField> {
        A::Changes::fields()
    }

    fn create<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        input: Input,
    ) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            let changes = A::Changes::read(input, true)?;
            Ok(create_one::<A>(db, actor, changes).await?.key())
        })
    }

    fn update<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        id: i64,
        version: i32,
        input: Input,
    ) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            let changes = A::Changes::read(input, false)?;
            Ok(update_one::<A>(db, actor, id, version, changes)
                .await?
                .key())
        })
    }

    fn delete<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        id: i64,
        version: i32,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(delete::<A>(db, actor, id, version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_camel_case() {
        assert_eq!(camel("host_organization_id"), "hostOrganizationId");
        assert_eq!(camel("name"), "name");
    }

    #[test]
    fn create_fills_nulls_and_defaults_update_keeps_what_is_absent() -> Result<()> {
        let input = || Input(vec![("purpose".to_owned(), Given::Null)]);
        // Absent on create: null for a nullable field, the default else.
        assert_eq!(
            input().take::<Option<String>>("title", true, None)?,
            Some(None)
        );
        assert_eq!(
            input().take::<bool>("blended", true, Some(true))?,
            Some(true)
        );
        assert_eq!(input().take::<bool>("blended", true, None)?, None);
        // Absent on update: left as it is; null clears a nullable field.
        assert_eq!(input().take::<Option<String>>("title", false, None)?, None);
        assert_eq!(
            input().take::<Option<String>>("purpose", false, None)?,
            Some(None)
        );
        let refused = input().take::<String>("purpose", false, None);
        assert!(
            matches!(&refused, Err(e) if e.to_string().contains("`purpose` cannot be null")),
            "{refused:?}"
        );
        Ok(())
    }
}
