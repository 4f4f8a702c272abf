//! The api's side of the entity registry (`entity`'s `registry!`): one line per
//! entity derives the `Node` interface, the audit
//! log's entity types, the `Mutation` root (its parts: a record's own
//! mutations, or `Described<T>` for those declared from its description), and the `Subscription` root with
//! its `<entity>Changed` feeds and their `<Entity>Change` event types. A node type missing here does
//! not compile (the dispatch is an exhaustive `match` on `entity::NodeType`).

use async_graphql::{Context, ID, MergedObject, Object, Result};
use futures_util::{Stream, StreamExt};

use super::filter::FilterOf;
use super::planned::PlannedStatistics;
use super::scalars::Date;
use super::subscription::{ChangeKind, Changed, changes};

use super::agreement::AgreementMutation;
use super::country::Country;
use super::field_of_study::FieldOfStudy;
use super::organization::OrganizationMutation;
use super::writes::Described;

macro_rules! nodes {
    (
        records { $(
            $record:ident ($($object:ident),+) => $module:ident, $mutation:ty,
                $change:ident, $changed:ident;
        )+ }
        reference { $($reference:ident => $rmodule:ident;)+ }
    ) => {
        $(
            #[doc = concat!("The type `", stringify!($record), "` its description declares (`service::model`).")]
            pub struct $record;
        )+

        $(impl super::described::Declared for $record {
            const NAME: &'static str = stringify!($record);
        })+
        $(impl super::described::Declared for $reference {
            const NAME: &'static str = stringify!($reference);
        })+

        /// Entry points for writing (staff and admins; deletes by admins only).
        #[derive(MergedObject, Default)]
        #[graphql(name = "Mutation")]
        pub struct Mutation($($mutation,)+);

        $(
            /// An event of a subscription: what happened to which row, and the
            /// row as it is now, read under the subscriber's rules.
            pub struct $change(Changed<$record>);

            /// An event of a subscription: what happened to which row, and the
            /// row as it is now, read under the subscriber's rules.
            #[Object]
            impl $change {
                /// What happened.
                async fn change(&self) -> ChangeKind {
                    self.0.change
                }

                /// The global id of the changed row (for `RESYNC`, of its type).
                async fn id(&self) -> &ID {
                    &self.0.id
                }

                /// The row's version after the change (before it, for a delete).
                async fn version(&self) -> Option<i32> {
                    self.0.version
                }

                /// The row as it is now; null when it was deleted and for `RESYNC`.
                async fn $module(&self) -> Option<&super::planned::Planned<$record>> {
                    self.0.row.as_ref()
                }
            }
        )+

        /// Entry points for live updates, over WebSocket (`graphql-transport-ws`)
        /// at `/graphql`.
        #[derive(Default)]
        pub struct Subscription;

        /// Entry points for live updates, over WebSocket (`graphql-transport-ws`)
        /// at `/graphql`.
        #[async_graphql::Subscription]
        impl Subscription {
            $(
                /// Every committed change to a row of this type that the caller
                /// may see and that passes `filter` (applied to the row after
                /// the change; for a delete, to the row as it was).
                async fn $changed(
                    &self,
                    ctx: &Context<'_>,
                    filter: Option<FilterOf<$record>>,
                ) -> Result<impl Stream<Item = $change> + use<>> {
                    Ok(changes::<entity::$module::Entity, $record>(ctx, filter)?.map($change))
                }
            )+

            /// The dashboard's figures as of `asOf` (default: the day of each
            /// event), whenever a write may have changed them; at most one
            /// event per second.
            async fn statistics_changed(
                &self,
                ctx: &Context<'_>,
                as_of: Option<Date>,
            ) -> Result<impl Stream<Item = PlannedStatistics> + use<>> {
                // `asOf` is read with the event's selection.
                let _ = as_of;
                super::subscription::statistics(ctx)
            }
        }
    };
}

nodes! {
    records {
        Organization(University, Company, Institute) => organization, OrganizationMutation, OrganizationChange, organization_changed;
        Person(Person) => person, Described<Person>, PersonChange, person_changed;
        Event(Event) => event, Described<Event>, EventChange, event_changed;
        Agreement(Agreement) => agreement, AgreementMutation, AgreementChange, agreement_changed;
        Program(Program) => program, Described<Program>, ProgramChange, program_changed;
        Student(Student) => student, Described<Student>, StudentChange, student_changed;
        JointUnit(JointUnit) => joint_unit, Described<JointUnit>, JointUnitChange, joint_unit_changed;
        Visit(Visit) => visit, Described<Visit>, VisitChange, visit_changed;
    }
    reference {
        Country => country;
        FieldOfStudy => field_of_study;
    }
}
