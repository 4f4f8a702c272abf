//! The generic create, update and delete every record shares: apply the
//! changes, check the row, write it with what it owns, record it.

use futures_util::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PrimaryKeyTrait,
};
use serde_json::Value as Json;

use entity::Record;

use crate::query::resource::Resource;

use super::{
    Action, Permission, Reference, Row, Write, delete_row, ensure_unreferenced, load_for_change,
    snapshot, update_row, version_columns,
};
use crate::{Actor, Result};

/// The model of an active model.
pub type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// A table the generic create / update / delete handle: how a change applies
/// to a row, what makes the result valid, and what the audit log keeps of it.
pub trait Edit: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send + Sync + 'static {
    /// The fields a client may set: `None` leaves a field as it is,
    /// `Some(None)` clears a nullable one.
    type Changes: Send;
    /// Who refers to a row of this table; a delete is refused while any of
    /// them holds a reference.
    fn references() -> Vec<Reference> {
        Vec::new()
    }
    /// Sets the given fields (normalized: trimmed, canonical case).
    fn apply(&mut self, changes: Self::Changes) -> Result<()>;
    /// Takes out of `changes` the rows the record owns beside its columns
    /// (an organization's identifiers and names), to be written after the
    /// row; `fresh`: the record is new and owns none yet.
    fn owned(changes: &mut Self::Changes, fresh: bool) -> Result<OwnedRows> {
        let _ = (changes, fresh);
        Ok(Box::new(nothing_owned))
    }
    /// Checks the whole row as it would be written (`id` is `None` on create).
    fn check(&mut self, w: &Write, id: Option<i64>) -> impl Future<Output = Result<()>> + Send;
    /// The row as the audit log keeps it: its columns, plus the join rows it
    /// owns (an agreement's parties, …) where it has any.
    fn audit_snapshot(w: &Write, row: &ModelOf<Self>) -> impl Future<Output = Result<Json>> + Send
    where
        ModelOf<Self>: Row + Sync,
    {
        let _ = w;
        let json = snapshot(row);
        async move { Ok(json) }
    }
}

/// Writes the join rows a row owns (its parties, partners, …) inside the
/// write, after the row itself; `id` is the row's.
pub trait Owned: for<'a> FnOnce(&'a Write, i64) -> BoxFuture<'a, Result<()>> + Send {}

impl<F> Owned for F where F: for<'a> FnOnce(&'a Write, i64) -> BoxFuture<'a, Result<()>> + Send {}

/// What [`Edit::owned`] takes out of a change set.
pub type OwnedRows = Box<dyn for<'a> FnOnce(&'a Write, i64) -> BoxFuture<'a, Result<()>> + Send>;

/// For rows that own no join rows.
pub fn nothing_owned(_: &Write, _: i64) -> BoxFuture<'_, Result<()>> {
    Box::pin(async { Ok(()) })
}

/// Creates a row from `changes`, records it, and returns it.
pub async fn create<A>(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: A::Changes,
) -> Result<<A::Entity as Resource>::Seen>
where
    A: Edit,
    A::Entity: Resource,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let row = create_one::<A>(db, actor, changes).await?;
    crate::query::read::seen_one::<A::Entity>(db, actor, row).await
}

/// Creates a row from `changes` in a write of its own, records it, and
/// returns it as written.
pub async fn create_one<A>(
    db: &DatabaseConnection,
    actor: &Actor,
    mut changes: A::Changes,
) -> Result<ModelOf<A>>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let w = Write::begin(db, actor, Permission::Write).await?;
    let owned = A::owned(&mut changes, true)?;
    let row = create_in::<A>(&w, changes, owned).await?;
    w.commit().await?;
    Ok(row)
}

/// Inside a write: inserts a checked row and what it owns, and records it.
pub async fn create_in<A>(w: &Write, changes: A::Changes, owned: impl Owned) -> Result<ModelOf<A>>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let columns = version_columns::<A::Entity>();
    let mut am = A::default();
    am.set(columns.version, 1.into());
    am.set(columns.created_at, w.now.into());
    am.set(columns.updated_at, w.now.into());
    am.apply(changes)?;
    am.check(w, None).await?;
    let row = am.insert(&w.txn).await?;
    owned(w, row.key()).await?;
    let after = A::audit_snapshot(w, &row).await?;
    w.record(
        Action::Create,
        <ModelOf<A> as Record>::TYPE,
        row.key(),
        None,
        Some(after),
    )
    .await?;
    Ok(row)
}

/// Applies `changes` to row `id` if the client saw its current `version`,
/// records the change, and returns the new row.
pub async fn update<A>(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    changes: A::Changes,
) -> Result<<A::Entity as Resource>::Seen>
where
    A: Edit,
    A::Entity: Resource,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let row = update_one::<A>(db, actor, id, version, changes).await?;
    crate::query::read::seen_one::<A::Entity>(db, actor, row).await
}

/// Applies `changes` to row `id` in a write of its own if the client saw
/// its current `version`, records the change, and returns the row as
/// written.
pub async fn update_one<A>(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    mut changes: A::Changes,
) -> Result<ModelOf<A>>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let w = Write::begin(db, actor, Permission::Write).await?;
    let owned = A::owned(&mut changes, false)?;
    let edit = |_: &ModelOf<A>, am: &mut A| am.apply(changes);
    let row = change_in::<A>(&w, id, version, Action::Update, edit, owned).await?;
    w.commit().await?;
    Ok(row)
}

/// Inside a write: changes row `id` if the client saw its current `version`
/// (`edit` sees the row before and sets the new values), rewrites what it
/// owns, checks the result and records the change as `action`.
pub async fn change_in<A>(
    w: &Write,
    id: i64,
    version: i32,
    action: Action,
    edit: impl FnOnce(&ModelOf<A>, &mut A) -> Result<()> + Send,
    owned: impl Owned,
) -> Result<ModelOf<A>>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let before = load_for_change::<A::Entity>(w, id, version).await?;
    let before_json = A::audit_snapshot(w, &before).await?;
    let mut am = before.clone().into_active_model();
    edit(&before, &mut am)?;
    am.check(w, Some(id)).await?;
    let after = update_row(w, am, &before).await?;
    owned(w, id).await?;
    let after_json = A::audit_snapshot(w, &after).await?;
    w.record(
        action,
        <ModelOf<A> as Record>::TYPE,
        id,
        Some(before_json),
        Some(after_json),
    )
    .await?;
    Ok(after)
}

/// Deletes row `id` if the client saw its current `version` and nothing
/// refers to it (join rows owned by it go with it), and records the deletion.
pub async fn delete<A>(db: &DatabaseConnection, actor: &Actor, id: i64, version: i32) -> Result<()>
where
    A: Edit,
    ModelOf<A>: Row + IntoActiveModel<A> + Send + Sync,
    <<A::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let w = Write::begin(db, actor, Permission::Delete).await?;
    let before = load_for_change::<A::Entity>(&w, id, version).await?;
    let before_json = A::audit_snapshot(&w, &before).await?;
    let what = <ModelOf<A> as Record>::TYPE.audit_name().replace('_', " ");
    ensure_unreferenced(&w, &what, id, &A::references()).await?;
    delete_row::<A::Entity>(&w, &before).await?;
    w.record(
        Action::Delete,
        <ModelOf<A> as Record>::TYPE,
        id,
        Some(before_json),
        None,
    )
    .await?;
    w.commit().await
}

/// Declares the change set of a table and its `apply` (the body of
/// [`Edit::apply`]): each field is `Option<T>` ("leave as is" when `None`),
/// and a field may name a normalizer `fn(T) -> Result<T>`.
///
/// `… for ActiveModel as input { … }` also reads the change set from what a
/// client gave ([`FromInput`](crate::write::FromInput)): a field's doc
/// comment documents it in the create input, `as Node` makes it a global id
/// (or a list of them) of that node type, and `= value` is its value when
/// create leaves it out. Fields in a following `owns { … }` are rows the
/// record owns rather than columns: [`Edit::owned`] takes them out.
#[macro_export]
macro_rules! changes {
    (
        $(#[$meta:meta])* $name:ident for $am:ty as input {
            $(
                $(#[doc = $doc:literal])*
                $field:ident : $ty:ty $(as $node:ident)? $(= $default:expr)? $(=> $norm:expr)?
            ),* $(,)?
        } $(owns {
            $($(#[doc = $odoc:literal])* $owned:ident : $oty:ty as $onode:ident),* $(,)?
        })?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $($(#[doc = $doc])* pub $field: Option<$ty>,)*
            $($($(#[doc = $odoc])* pub $owned: Option<$oty>,)*)?
        }

        $crate::changes!(@apply $name for $am { $($field $(=> $norm)?),* });

        impl $crate::write::FromInput for $name {
            fn fields() -> Vec<$crate::write::InputField> {
                vec![
                    $($crate::write::InputField::new::<$ty>(
                        stringify!($field),
                        &[$($doc),*],
                        None $(.or(Some(entity::NodeType::$node)))?,
                        None::<$ty> $(.or(Some($default)))?.is_some(),
                        false,
                    ),)*
                    $($($crate::write::InputField::new::<$oty>(
                        stringify!($owned),
                        &[$($odoc),*],
                        Some(entity::NodeType::$onode),
                        false,
                        true,
                    ),)*)?
                ]
            }

            fn read(mut input: $crate::write::Input, create: bool) -> $crate::Result<Self> {
                Ok($name {
                    $($field: input.take::<$ty>(
                        stringify!($field),
                        create,
                        None $(.or(Some($default)))?,
                    )?,)*
                    $($($owned: input.take::<$oty>(stringify!($owned), create, None)?,)*)?
                })
            }
        }
    };
    (
        $(#[$meta:meta])* $name:ident for $am:ty {
            $($(#[doc = $doc:literal])* $field:ident : $ty:ty $(=> $norm:expr)?),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $($(#[doc = $doc])* pub $field: Option<$ty>,)*
        }

        $crate::changes!(@apply $name for $am { $($field $(=> $norm)?),* });
    };
    (@apply $name:ident for $am:ty { $($field:ident $(=> $norm:expr)?),* }) => {
        impl $name {
            /// Sets the given fields of `am`, normalized.
            pub fn apply_to(self, am: &mut $am) -> $crate::Result<()> {
                $(
                    if let Some(value) = self.$field {
                        $(let value = ($norm)(value)?;)?
                        am.$field = sea_orm::ActiveValue::Set(value);
                    }
                )*
                Ok(())
            }
        }
    };
}
