//! The generic query engine, apart from the domain: what a listable entity
//! offers ([`resource`]), keyset pages ([`page`]), typed filters compiled to
//! SQL ([`filter`]) and the batched reads built on them ([`read`]). It knows
//! tables, keys and links, never a particular entity; the domain modules
//! declare theirs with the `resource!` macro and their descriptions (`model`).

pub mod aggregate;
pub mod filter;
pub mod json;
pub mod page;
pub mod read;
pub mod resource;
