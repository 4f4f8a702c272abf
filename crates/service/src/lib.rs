//! Everything the product knows: reads with keyset paging, access rules, writes.
//! Knows nothing of GraphQL or HTTP: plain Rust inputs, an [`Actor`], typed errors.

pub mod access;
pub mod actor;
pub mod audit;
pub mod change;
pub mod copy;
pub mod db;
pub mod derived;
pub mod error;
pub mod model;
pub mod query;
pub mod search;
pub mod statistics;
pub mod text;
pub mod write;

pub mod agreement;
pub mod country;
pub mod event;
pub mod field_of_study;
pub mod joint_unit;
pub mod organization;
pub mod organization_identifier;
pub mod organization_name;
pub mod person;
pub mod program;
pub mod ror;
pub mod student;
pub mod visit;

pub use actor::{Actor, Role};
pub use error::{Error, Result};
pub use sea_orm::DatabaseConnection;
