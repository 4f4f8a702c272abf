//! The one list of entities the API names. Everything that must cover every
//! entity is derived from it: the node types a global id can name (and the
//! `node` dispatch, an exhaustive `match`), the record types the audit log
//! names, the tables whose id sequences the seed resets, and the change
//! events of subscriptions. Adding an entity here without handling it in such
//! a `match` is a compile error, not a runtime surprise.

/// What every record (an entity with a surrogate id, written through the API)
/// offers the generic write path: its type and its identity.
pub trait Record {
    /// The record type this row belongs to.
    const TYPE: crate::RecordType;
    /// The surrogate id.
    fn id(&self) -> i64;
    /// The optimistic-concurrency version.
    fn version(&self) -> i32;
}

/// Declares the entity modules and derives `NodeType`, `RecordType` and
/// the [`Record`] impls from one list (invoked once, in the crate root).
macro_rules! registry {
    (
        records { $($record:ident => $rmod:ident),+ $(,)? }
        reference { $($reference:ident => $cmod:ident),+ $(,)? }
        tables { $($table:ident),+ $(,)? }
    ) => {
        $(pub mod $rmod;)+
        $(pub mod $cmod;)+
        $(pub mod $table;)+

        /// The kinds of row a global id can name: every record type, and the
        /// reference data keyed by a code (countries, fields of study).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum NodeType {
            $($record,)+
            $($reference,)+
        }

        /// The entities with a surrogate id that the API writes: each has an
        /// id sequence, a `version`, audit entries and change events.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RecordType {
            $($record,)+
        }

        impl NodeType {
            /// Every node type, in declaration order.
            pub fn every() -> &'static [NodeType] {
                &[$(NodeType::$record,)+ $(NodeType::$reference,)+]
            }

            /// The GraphQL type name (`JointUnit`), as global ids spell it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(NodeType::$record => stringify!($record),)+
                    $(NodeType::$reference => stringify!($reference),)+
                }
            }

            /// The node type a GraphQL type name stands for.
            pub fn from_name(name: &str) -> Option<NodeType> {
                Self::every().iter().copied().find(|t| t.name() == name)
            }

            /// The table its rows live in.
            pub fn table(self) -> &'static str {
                match self {
                    $(NodeType::$record => sea_orm::EntityName::table_name(&crate::$rmod::Entity),)+
                    $(NodeType::$reference => sea_orm::EntityName::table_name(&crate::$cmod::Entity),)+
                }
            }

            /// Whether the type is keyed by a code (reference data), not an id.
            pub const fn coded(self) -> bool {
                self.record().is_none()
            }

            /// The record type, unless this is reference data.
            pub const fn record(self) -> Option<RecordType> {
                match self {
                    $(NodeType::$record => Some(RecordType::$record),)+
                    $(NodeType::$reference => None,)+
                }
            }
        }

        impl RecordType {
            /// Every record type, in declaration order (parents before children).
            pub fn every() -> &'static [RecordType] {
                &[$(RecordType::$record,)+]
            }

            /// The name the audit log stores (`joint_unit`): the entity module's.
            pub const fn audit_name(self) -> &'static str {
                match self {
                    $(RecordType::$record => stringify!($rmod),)+
                }
            }

            /// The record type an audit entry names.
            pub fn from_audit_name(name: &str) -> Option<RecordType> {
                Self::every().iter().copied().find(|t| t.audit_name() == name)
            }

            /// The node type of its rows.
            pub const fn node(self) -> NodeType {
                match self {
                    $(RecordType::$record => NodeType::$record,)+
                }
            }

            /// The table its rows live in.
            pub fn table(self) -> &'static str {
                self.node().table()
            }
        }

        $(
            impl $crate::registry::Record for crate::$rmod::Model {
                const TYPE: RecordType = RecordType::$record;
                fn id(&self) -> i64 {
                    self.id
                }
                fn version(&self) -> i32 {
                    self.version
                }
            }
        )+

        /// Calls the macro `$callback` with the node types and their
        /// modules, records first, in declaration order:
        /// `$callback! { records { Organization => organization, … }
        /// reference { Country => country, … } }` — for the lists other
        /// crates derive from this one (`service::model::each`).
        #[macro_export]
        macro_rules! with_nodes {
            ($callback:ident) => {
                $callback! {
                    records { $($record => $rmod),+ }
                    reference { $($reference => $cmod),+ }
                }
            };
        }
    };
}

pub(crate) use registry;

#[cfg(test)]
mod tests {
    use crate::{NodeType, RecordType};

    #[test]
    fn names_round_trip_for_every_type() {
        for &t in NodeType::every() {
            assert_eq!(NodeType::from_name(t.name()), Some(t));
            assert_eq!(t.coded(), t.record().is_none());
        }
        for &r in RecordType::every() {
            assert_eq!(RecordType::from_audit_name(r.audit_name()), Some(r));
            assert_eq!(r.node().record(), Some(r));
        }
        assert_eq!(NodeType::from_name("Nope"), None);
    }

    #[test]
    fn tables_are_the_entities_tables() {
        assert_eq!(RecordType::JointUnit.table(), "joint_units");
        assert_eq!(NodeType::FieldOfStudy.table(), "fields_of_study");
        assert_eq!(RecordType::JointUnit.audit_name(), "joint_unit");
    }
}
