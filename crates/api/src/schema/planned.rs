//! Rows that writes and live updates answer with, read through the plan: a
//! mutation's payload (on the primary, so the write is seen) and each
//! subscription event's row are one statement by key over the selection the
//! client asked (`compile::compile_node`), with the same refusals as a query.

use super::described::Declared;
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

/// An object of GraphQL type `T` (declared by the descriptions), read
/// through the plan by key.
pub struct Planned<T> {
    node: NodeType,
    key: Key,
    source: Source,
    of: PhantomData<fn() -> T>,
}

impl<T> Planned<T> {
    /// The row a write returned, read again from the primary through the
    /// plan.
    pub fn written<M: Written>(model: M) -> Self {
        let (node, key) = model.node_key();
        Self::new(node, key, Source::Primary)
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
        entity::organization::Model
    }
    seen {
        service::agreement::SeenAgreement
    }
}

impl<T: Declared> OutputType for Planned<T> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(T::NAME)
    }

    /// Declared with the `Query` root's types (`described::query`), which
    /// the registry creates first.
    fn create_type_info(_registry: &mut Registry) -> String {
        Self::qualified_type_name()
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let state = app(ctx, field.pos)?;
        let db = match self.source {
            Source::Primary => &state.db,
            Source::Reads => &state.read_db,
        };
        let read = run(ctx, db, |operation, actor, dialect| {
            compile::compile_node(
                operation,
                actor,
                state.limits,
                dialect,
                self.node,
                self.key.clone(),
                &ctx.item.node,
            )
        })
        .await;
        if read.is_ok() {
            state.planned_rows.fetch_add(1, Ordering::Relaxed);
        }
        answer(ctx, field, read)
    }
}

/// The dashboard's figures as a `statisticsChanged` event: read through the
/// plan over the subscriber's selection, as `statistics(asOf:)` with the
/// event field's arguments.
pub struct PlannedStatistics;

impl OutputType for PlannedStatistics {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed("Statistics")
    }

    fn create_type_info(registry: &mut Registry) -> String {
        super::statistics::declare(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let state = app(ctx, field.pos)?;
        let read = run(ctx, &state.read_db, |operation, actor, dialect| {
            compile::compile_statistics(operation, actor, state.limits, dialect, &field.node)
        })
        .await;
        answer(ctx, field, read)
    }
}

/// A root field of a query the schema executes (an operation the plan does
/// not take whole: introspection beside data), read through the plan: one
/// statement for the field.
pub async fn root(ctx: &async_graphql::Context<'_>) -> ServerResult<Option<Value>> {
    let field = ctx.item;
    if field.node.name.node.starts_with("__") {
        // Introspection turned off (production): not a field of `Query`,
        // which async-graphql answers as any unknown field.
        return Ok(None);
    }
    let state = app(ctx, field.pos)?;
    let read = run(ctx, &state.read_db, |operation, actor, dialect| {
        compile::compile_root(operation, actor, state.limits, dialect, &field.node)
    })
    .await;
    answer(ctx, field, read).map(Some)
}

/// The process's state; an `INTERNAL` error without it.
fn app<'c, T>(
    ctx: &async_graphql::ContextBase<'c, T>,
    pos: async_graphql::Pos,
) -> ServerResult<&'c super::AppState> {
    // A field error without a code is `INTERNAL` (`codes::assign_code`).
    ctx.data::<super::AppState>()
        .map_err(|_| ctx.set_error_path(ServerError::new("internal error", Some(pos))))
}

/// Why a planned read has no value.
enum Failure {
    /// The read failed (a statement timeout, the database unreachable).
    Read(service::Error),
    /// The document is refused (`compile::NotPlanned::Refused`).
    Refused(ServerError),
    /// A part of it has no translation, or its answer could not be read: a
    /// mistake of ours (logged).
    Untranslated,
}

/// The answer of `field` from its planned read.
fn answer<T>(
    ctx: &async_graphql::ContextBase<'_, T>,
    field: &Positioned<Field>,
    read: Result<Value, Failure>,
) -> ServerResult<Value> {
    match read {
        Ok(value) => Ok(value),
        // The service's word, as any field's.
        Err(Failure::Read(err)) => {
            Err(ctx.set_error_path(super::error::to_gql(&err).into_server_error(field.pos)))
        }
        // Its code is the refusal's.
        Err(Failure::Refused(error)) => Err(ctx.set_error_path(error)),
        Err(Failure::Untranslated) => {
            tracing::error!(field = %field.node.name.node, "a field was not read through the plan");
            // No code: `INTERNAL` (`codes::assign_code`).
            Err(ctx.set_error_path(ServerError::new("internal error", Some(field.pos))))
        }
    }
}

/// Runs the statement `compile` makes for the operation of `ctx` on `db` and
/// answers its value, the refusals' errors added under the path of `ctx`
/// (their `null`s in place: `schema::finish` bubbles those of non-null
/// fields up).
async fn run<T>(
    ctx: &async_graphql::ContextBase<'_, T>,
    db: &sea_orm::DatabaseConnection,
    compile: impl FnOnce(
        Operation<'_>,
        &service::Actor,
        service::query::json::Dialect,
    ) -> Result<compile::Compiled, compile::NotPlanned>,
) -> Result<Value, Failure> {
    let actor = ctx
        .data::<service::Actor>()
        .map_err(|_| Failure::Untranslated)?;
    let dialect = service::query::json::Dialect::of(db.get_database_backend())
        .ok_or(Failure::Untranslated)?;
    let env = ctx.query_env;
    let operation = Operation {
        fragments: &env.fragments,
        variables: &env.variables,
        definitions: &env.operation.node.variable_definitions,
    };
    let compiled = compile(operation, actor, dialect).map_err(|not| match not {
        compile::NotPlanned::Refused(error) => Failure::Refused(error),
        compile::NotPlanned::Untranslated => Failure::Untranslated,
    })?;
    let read = service::query::json::run(db, &compiled.statement);
    let data = service::db::Work::bounded(read)
        .await
        .map_err(Failure::Read)?;
    let Some((data, derived_errors)) =
        compile::place_derived(db, actor, &compiled.derived, data).await
    else {
        tracing::error!("a planned read's derived values could not be placed");
        return Err(Failure::Untranslated);
    };
    let (data, mut errors) =
        if compiled.refusals.is_empty() || !data.contains(service::query::json::REFUSED) {
            (data, Vec::new())
        } else {
            let Some((data, errors)) = compile::place_refusals(&data, &compiled.refusals)
                .and_then(|(data, placed)| Some((data, placed.errors(&compiled.refusals)?)))
            else {
                tracing::error!("a planned read's refusals could not be placed");
                return Err(Failure::Untranslated);
            };
            (data, errors)
        };
    errors.extend(derived_errors);
    let mut root: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&data) {
        Ok(root) => root,
        Err(err) => {
            tracing::error!(error = %err, "a planned read is not JSON");
            return Err(Failure::Untranslated);
        }
    };
    let node = root.remove(compile::NODE).ok_or(Failure::Untranslated)?;
    let node = Value::from_json(node).map_err(|_| Failure::Untranslated)?;
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
