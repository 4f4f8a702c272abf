//! The GraphQL schema: thin resolvers over the service crate.

pub mod agreement;
pub mod codes;
pub mod connection;
pub mod country;
pub mod error;
pub mod event;
pub mod field_of_study;
pub mod id;
pub mod joint_unit;
pub mod loader;
pub mod node;
pub mod organization;
pub mod person;
pub mod program;
pub mod query;
pub mod scalars;
pub mod student;
pub mod visit;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;
use service::Actor;
use service::page::PageLimits;
use service::resource::{Key, Resource};

use error::GqlResult;
use loader::{AppLoader, ByKey};

pub use query::Query;

/// The schema type served by the API.
pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Process-wide state the resolvers read.
pub struct AppState {
    pub db: DatabaseConnection,
    pub limits: PageLimits,
}

/// Builds the schema. No side effects: printing the SDL needs no database.
pub fn build(state: Option<AppState>) -> AppSchema {
    let mut builder =
        Schema::build(Query, EmptyMutation, EmptySubscription).extension(codes::ErrorCodes);
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The request data a handler attaches to each request.
pub fn request_data(state: &AppState, actor: Actor) -> (Actor, DataLoader<AppLoader>) {
    let loader = DataLoader::new(
        AppLoader {
            db: state.db.clone(),
            actor: actor.clone(),
            limits: state.limits,
        },
        tokio::spawn,
    );
    (actor, loader)
}

pub(crate) fn app<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

pub(crate) fn actor<'a>(ctx: &Context<'a>) -> &'a Actor {
    ctx.data_unchecked::<Actor>()
}

pub(crate) fn loader<'a>(ctx: &Context<'a>) -> &'a DataLoader<AppLoader> {
    ctx.data_unchecked::<DataLoader<AppLoader>>()
}

/// A row by key through the request's DataLoader, as GraphQL type `T`.
pub(crate) async fn one<E: Resource, T: From<E::Model>>(
    ctx: &Context<'_>,
    key: impl Into<Key>,
) -> async_graphql::Result<Option<T>>
where
    E::Model: Sync,
{
    Ok(loader(ctx)
        .load_one(ByKey::<E>::new(key))
        .await
        .gql()?
        .map(T::from))
}
