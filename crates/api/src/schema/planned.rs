//! Rows that writes and live updates answer with, read through the plan: a
//! mutation's payload (on the primary, so the write is seen) and each
//! subscription event's row are one statement by key over the selection the
//! client asked (`compile::compile_node`), with the same refusals as a query.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::atomic::Ordering;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerError, ServerResult, Value,
};
use entity::{NodeType, Record};
use service::query::resource::Key;

use super::compile::{self, Operation};

/// Where a planned row is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The primary database: a mutation's payload reads its own write.
    Primary,
    /// Where queries read (a subscription event's row).
    Reads,
}

/// An object of GraphQL type `T` (which only declares it), read through the
/// plan by key.
pub struct Planned<T> {
    node: NodeType,
    key: Key,
    source: Source,
    of: PhantomData<fn() -> T>,
}

impl<T> Planned<T> {
    /// The row a write returned, read again from `source` through the plan.
    pub fn of<M: Written>(model: M, source: Source) -> Self {
        let (node, key) = model.node_key();
        Self::new(node, key, source)
    }

    /// The row of type `node` and key `key`, read from `source`.
    pub fn new(node: NodeType, key: Key, source: Source) -> Self {
        Planned {
            node,
            key,
            source,
            of: PhantomData,
        }
    }
}

/// A row a write returns: its type and key.
pub trait Written {
    fn node_key(&self) -> (NodeType, Key);
}

fn key_of<R: Record>(row: &R) -> (NodeType, Key) {
    (R::TYPE.node(), Key::Id(row.id()))
}

macro_rules! written {
    (models { $($model:ty),* } seen { $($seen:ty),* }) => {
        $(impl Written for $model {
            fn node_key(&self) -> (NodeType, Key) {
                key_of(self)
            }
        })*
        $(impl Written for $seen {
            fn node_key(&self) -> (NodeType, Key) {
                key_of(&**self)
            }
        })*
    };
}

written! {
    models {
        entity::organization::Model, entity::event::Model, entity::program::Model,
        entity::joint_unit::Model, entity::visit::Model
    }
    seen {
        service::agreement::SeenAgreement, service::person::SeenPerson,
        service::student::SeenStudent
    }
}

impl<T: OutputType> OutputType for Planned<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        read(self, ctx, field).await
    }
}

/// The row's selection as one statement.
async fn read<T>(
    planned: &Planned<T>,
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    // A field error without a code is `INTERNAL` (`codes::assign_code`).
    let failed = |message: &str| ctx.set_error_path(ServerError::new(message, Some(field.pos)));
    let state = ctx
        .data::<super::AppState>()
        .map_err(|_| failed("internal error"))?;
    let db = match planned.source {
        Source::Primary => &state.db,
        Source::Reads => &state.read_db,
    };
    let mut refused = None;
    let node = run(
        ctx,
        db,
        |operation, actor, dialect| match compile::compile_node(
            operation,
            actor,
            state.limits,
            dialect,
            planned.node,
            planned.key.clone(),
            &ctx.item.node,
        ) {
            Ok(compiled) => Some(compiled),
            Err(compile::NotPlanned::Refused(error)) => {
                refused = Some(error);
                None
            }
            Err(compile::NotPlanned::Untranslated) => None,
        },
    )
    .await;
    match (node, refused) {
        (Ok(node), _) => {
            state.planned_rows.fetch_add(1, Ordering::Relaxed);
            Ok(node)
        }
        (Err(Some(err)), _) => {
            Err(ctx.set_error_path(super::error::to_gql(&err).into_server_error(field.pos)))
        }
        // Its code is the refusal's.
        (Err(None), Some(error)) => Err(ctx.set_error_path(error)),
        (Err(None), None) => {
            tracing::error!(field = %field.node.name.node, "a row was not read through the plan");
            Err(failed("internal error"))
        }
    }
}

/// A root field of a query the schema executes (an operation the plan does
/// not take whole: introspection beside data), read through the plan: one
/// statement for the field.
pub async fn root(ctx: &async_graphql::Context<'_>) -> ServerResult<Option<Value>> {
    let field = &ctx.item.node;
    if field.name.node.starts_with("__") {
        // Introspection turned off (production): not a field of `Query`,
        // which async-graphql answers as any unknown field.
        return Ok(None);
    }
    // A field error without a code is `INTERNAL` (`codes::assign_code`).
    let failed = |message: &str| ctx.set_error_path(ServerError::new(message, Some(ctx.item.pos)));
    let state = ctx
        .data::<super::AppState>()
        .map_err(|_| failed("internal error"))?;
    let mut refused = None;
    let value = run(
        ctx,
        &state.read_db,
        |operation, actor, dialect| match compile::compile_root(
            operation,
            actor,
            state.limits,
            dialect,
            field,
        ) {
            Ok(compiled) => Some(compiled),
            Err(compile::NotPlanned::Refused(error)) => {
                refused = Some(error);
                None
            }
            Err(compile::NotPlanned::Untranslated) => None,
        },
    )
    .await;
    match (value, refused) {
        (Ok(value), _) => Ok(Some(value)),
        // The service's word on a failed read (a statement timeout, the
        // database unreachable), as any resolver's.
        (Err(Some(err)), _) => {
            Err(ctx.set_error_path(super::error::to_gql(&err).into_server_error(ctx.item.pos)))
        }
        // Its code is the refusal's.
        (Err(None), Some(error)) => Err(ctx.set_error_path(error)),
        (Err(None), None) => {
            tracing::error!(field = %field.name.node, "a root field was not read through the plan");
            Err(failed("internal error"))
        }
    }
}

/// Runs the statement `compile` makes for the operation of `ctx` on `db` and
/// answers its value, the refusals' errors added under the path of `ctx`
/// (their `null`s in place: `schema::finish` bubbles those of non-null
/// fields up). `Err(Some(_))`: the read failed; `Err(None)`: it does not
/// translate.
async fn run<T>(
    ctx: &async_graphql::ContextBase<'_, T>,
    db: &sea_orm::DatabaseConnection,
    compile: impl FnOnce(
        Operation<'_>,
        &service::Actor,
        service::query::json::Dialect,
    ) -> Option<compile::Compiled>,
) -> Result<Value, Option<service::Error>> {
    let actor = ctx.data::<service::Actor>().map_err(|_| None)?;
    let dialect = service::query::json::Dialect::of(db.get_database_backend()).ok_or(None)?;
    let env = ctx.query_env;
    let operation = Operation {
        fragments: &env.fragments,
        variables: &env.variables,
        definitions: &env.operation.node.variable_definitions,
    };
    let compiled = compile(operation, actor, dialect).ok_or(None)?;
    let read = service::query::json::run(db, &compiled.statement);
    let data = match service::db::Work::bounded(read).await {
        Ok(data) => data,
        Err(err) => return Err(Some(err)),
    };
    let (data, errors) =
        if compiled.refusals.is_empty() || !data.contains(service::query::json::REFUSED) {
            (data, Vec::new())
        } else {
            let Some((data, errors, _)) = compile::place_refusals(&data, &compiled.refusals) else {
                tracing::error!("a planned read's refusals could not be placed");
                return Err(None);
            };
            (data, errors)
        };
    let mut root: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&data) {
        Ok(root) => root,
        Err(err) => {
            tracing::error!(error = %err, "a planned read is not JSON");
            return Err(None);
        }
    };
    let node = root.remove(compile::NODE).ok_or(None)?;
    let node = Value::from_json(node).map_err(|_| None)?;
    // The errors' paths start at the statement's root key: they belong
    // under this field's path.
    let at = ctx.set_error_path(ServerError::new("", None)).path;
    for mut error in errors {
        error
            .path
            .splice(..1.min(error.path.len()), at.iter().cloned());
        ctx.add_error(error);
    }
    Ok(node)
}
