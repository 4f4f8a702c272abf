//! The descriptions of the types the API shows, one module per theme; the
//! helpers they are written with.

mod activity;
mod agreement;
mod audit;
mod organization;
mod person;
mod program;
mod reference;
mod student;

pub use activity::*;
pub use agreement::*;
pub use audit::*;
pub use organization::*;
pub use person::*;
pub use program::*;
pub use reference::*;
pub use student::*;

use entity::NodeType;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveEnum, EntityTrait, Iterable};

use super::{Aggregates, Description, Field, Filtered, GroupKey, Of, Rows, Variant, table};
use crate::access;
use crate::query::aggregate::Part;
use crate::query::resource::Resource;
use crate::write::{Generic, Writes};

/// A key of `groups(by:)`.
const fn key<E: EntityTrait>(
    name: &'static str,
    column: E::Column,
    part: Part,
    row: Option<NodeType>,
) -> GroupKey<E> {
    GroupKey {
        name,
        column,
        part,
        row,
    }
}

/// Operators on a column (`filter: { name: { … } }`).
const fn by<E: EntityTrait>(name: &'static str, column: E::Column) -> Filtered<E> {
    Filtered::Column(name, column)
}

/// The row a `belongs_to` relation names matches.
const fn one<E: EntityTrait>(name: &'static str, relation: E::Relation) -> Filtered<E> {
    Filtered::One(name, relation)
}

/// Quantifiers over the rows of `T` the link reaches.
const fn many<E: EntityTrait, T: EntityTrait>(
    name: &'static str,
    link: &'static std::sync::LazyLock<crate::query::resource::Link>,
) -> Filtered<E> {
    Filtered::Many(name, link, table::<T>)
}

const fn f<E: EntityTrait>(name: &'static str, doc: &'static str, of: Of<E>) -> Field<E> {
    Field {
        name,
        doc,
        of,
        only: None,
    }
}

/// A field of one object type of an interface.
const fn on<E: EntityTrait>(
    ty: &'static str,
    name: &'static str,
    doc: &'static str,
    of: Of<E>,
) -> Field<E> {
    Field {
        name,
        doc,
        of,
        only: Some(ty),
    }
}

/// The stored values of enum `A`.
/// The stored values of an enum column (an `Of::Enum`'s list).
pub fn stored<A: ActiveEnum<Value = String> + Iterable>() -> Vec<String> {
    A::iter().map(|v| v.to_value()).collect()
}

/// `FieldOfStudy.level` from the code's length: two digits a broad field,
/// three a narrow one, four a detailed one.
fn level(code: Expr) -> Expr {
    let length = || Expr::from(Func::cust("length").arg(Func::cust("rtrim").arg(code.clone())));
    Expr::case(length().eq(2), Expr::val("BROAD"))
        .case(length().eq(3), Expr::val("NARROW"))
        .finally(Expr::val("DETAILED"))
        .into()
}
