//! Every entity under its CamelCase name: `use entity::prelude::*;`.

pub use super::agreement::Entity as Agreement;
pub use super::agreement_field::Entity as AgreementField;
pub use super::agreement_party::Entity as AgreementParty;
pub use super::country::Entity as Country;
pub use super::event::Entity as Event;
pub use super::field_of_study::Entity as FieldOfStudy;
pub use super::joint_unit::Entity as JointUnit;
pub use super::joint_unit_partner::Entity as JointUnitPartner;
pub use super::organization::Entity as Organization;
pub use super::person::Entity as Person;
pub use super::program::Entity as Program;
pub use super::student::Entity as Student;
pub use super::visit::Entity as Visit;
