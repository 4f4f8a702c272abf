//! sea-orm entities: one module per table, with the enums stored in its
//! columns and the relations between tables.
//!
//! Enums are stored as lowercase snake_case text (guarded by CHECK constraints
//! in the migrations). Relations are declared here once, as sea-orm
//! `Relation` enums; where a table has two paths to the same table (students
//! → home/host organization, events → parent event) each path is a named
//! relation. The service builds its links (`service::query::resource::Link`) from
//! these definitions, and [`registry`] lists the entities the API names.

pub mod prelude;
pub mod registry;

pub use registry::{NodeType, Record, RecordType};

pub mod agreement;
pub mod agreement_field;
pub mod agreement_party;
pub mod audit_log;
pub mod country;
pub mod event;
pub mod field_of_study;
pub mod joint_unit;
pub mod joint_unit_partner;
pub mod organization;
pub mod person;
pub mod program;
pub mod student;
pub mod visit;
