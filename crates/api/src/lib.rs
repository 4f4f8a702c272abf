//! The API server of the international office: GraphQL over HTTP (async-graphql
//! + actix-web) on top of the service crate.

pub mod allowlist;
pub mod auth;
pub mod config;
pub mod copy;
pub mod graphiql;
pub mod http;
pub mod import;
pub mod metrics;
pub mod migrate;
pub mod schema;
pub mod server;
pub mod telemetry;
