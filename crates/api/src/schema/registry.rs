//! The api's side of the entity registry (`entity`'s `registry!`): one line per
//! entity derives the `Node` interface and its `node(id:)` dispatch, the audit
//! log's entity types and the `Mutation` root. A node type missing here does
//! not compile (the dispatch is an exhaustive `match` on `entity::NodeType`).

use async_graphql::{Context, Enum, Interface, MergedObject, Result};
use entity::NodeType;
use service::query::resource::Key;

use super::agreement::{Agreement, AgreementMutation};
use super::country::Country;
use super::event::{Event, EventMutation};
use super::field_of_study::FieldOfStudy;
use super::joint_unit::{JointUnit, JointUnitMutation};
use super::node::fetch;
use super::organization::{Company, Institute, Organization, OrganizationMutation, University};
use super::person::{Person, PersonMutation};
use super::program::{Program, ProgramMutation};
use super::student::{Student, StudentMutation};
use super::visit::{Visit, VisitMutation};

macro_rules! nodes {
    (
        records { $($record:ident ($($object:ident),+) => $module:ident, $mutation:ident;)+ }
        reference { $($reference:ident => $rmodule:ident;)+ }
    ) => {
        /// An object with a global id, fetchable with `node(id:)`.
        #[derive(Interface)]
        #[graphql(field(name = "id", ty = "async_graphql::ID", desc = "The global id."))]
        pub enum Node {
            $($($object($object),)+)+
            $($reference($reference),)+
        }

        /// The node of a global id's type and key, if the caller may see it.
        pub(super) async fn dispatch(ctx: &Context<'_>, ty: NodeType, key: Key) -> Result<Option<Node>> {
            match ty {
                $(NodeType::$record => fetch::<entity::$module::Entity, $record>(ctx, key).await,)+
                $(NodeType::$reference => fetch::<entity::$rmodule::Entity, $reference>(ctx, key).await,)+
            }
        }

        /// The kinds of record the audit log covers.
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
        #[graphql(remote = "entity::RecordType")]
        pub enum AuditEntityType {
            $($record,)+
        }

        /// Entry points for writing (staff and admins; deletes by admins only).
        #[derive(MergedObject, Default)]
        #[graphql(name = "Mutation")]
        pub struct Mutation($($mutation,)+);
    };
}

nodes! {
    records {
        Organization(University, Company, Institute) => organization, OrganizationMutation;
        Person(Person) => person, PersonMutation;
        Event(Event) => event, EventMutation;
        Agreement(Agreement) => agreement, AgreementMutation;
        Program(Program) => program, ProgramMutation;
        Student(Student) => student, StudentMutation;
        JointUnit(JointUnit) => joint_unit, JointUnitMutation;
        Visit(Visit) => visit, VisitMutation;
    }
    reference {
        Country => country;
        FieldOfStudy => field_of_study;
    }
}
