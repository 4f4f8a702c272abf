//! The enums of the records whose writes are declared from their
//! descriptions (`super::writes::Described`), each value with its
//! documentation: the types their object types show and their inputs take.

use async_graphql::Enum;

/// Registers the enums (no input or output type of the schema's own
/// declarations names them).
pub fn declare(registry: &mut async_graphql::registry::Registry) {
    use async_graphql::InputType;
    <EventKind as InputType>::create_type_info(registry);
    <ProgramKind as InputType>::create_type_info(registry);
    <DegreeLevel as InputType>::create_type_info(registry);
    <StudentStatus as InputType>::create_type_info(registry);
    <JointUnitKind as InputType>::create_type_info(registry);
}

/// What kind of event.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::event::EventKind")]
pub enum EventKind {
    /// A partnership week such as the Global Partnership Week.
    PartnershipWeek,
    /// An academic salon.
    AcademicSalon,
    /// An overseas project promotional meeting.
    PromotionMeeting,
    /// Matchmaking of cooperative projects.
    Matchmaking,
    /// A campus tour.
    CampusTour,
    /// A signing ceremony.
    SigningCeremony,
    /// Anything else.
    Other,
}

/// What kind of program.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::program::ProgramKind")]
pub enum ProgramKind {
    /// A degree major.
    DegreeMajor,
    /// A joint degree.
    JointDegree,
    /// A dual degree.
    DualDegree,
    /// An exchange program.
    Exchange,
    /// Joint training.
    JointTraining,
    /// A summer school.
    SummerSchool,
    /// A research program.
    Research,
}

/// The level of study.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::student::DegreeLevel")]
pub enum DegreeLevel {
    /// Bachelor's degree.
    Bachelor,
    /// Master's degree.
    Master,
    /// Doctorate.
    Doctorate,
    /// Not working towards a degree.
    NonDegree,
    /// An exchange student.
    Exchange,
}

/// Where a student is in their studies.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::student::StudentStatus")]
pub enum StudentStatus {
    /// Applied, not yet enrolled.
    Applied,
    /// Enrolled.
    Enrolled,
    /// Graduated.
    Graduated,
    /// Withdrew.
    Withdrawn,
}

/// What kind of joint unit.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::joint_unit::JointUnitKind")]
pub enum JointUnitKind {
    /// A joint laboratory.
    Laboratory,
    /// A joint center.
    Center,
    /// A practice base.
    PracticeBase,
}
