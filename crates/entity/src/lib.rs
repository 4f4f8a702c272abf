//! sea-orm entities: one module per table, with the enums stored in its
//! columns and the relations between tables.
//!
//! Enums are stored as lowercase snake_case text (guarded by CHECK constraints
//! in the migrations). Relations are declared here once, as sea-orm
//! `Relation` enums; where a table has two paths to the same table (students
//! → home/host organization, events → parent event) each path is a named
//! relation. The service builds its links (`service::query::resource::Link`) from
//! these definitions. The `registry!` list below is the one place an entity is
//! declared: its module, its node type, its record type.

mod registry;

pub use registry::Record;

registry::registry! {
    records {
        Organization => organization,
        Person => person,
        Event => event,
        Agreement => agreement,
        Program => program,
        Student => student,
        JointUnit => joint_unit,
        Visit => visit,
    }
    reference {
        Country => country,
        FieldOfStudy => field_of_study,
    }
    tables {
        agreement_party,
        agreement_field,
        joint_unit_partner,
        audit_log,
        organization_identifier,
        organization_name,
        cooperation_condition,
        cooperation_condition_subject,
        cooperation_condition_language,
    }
}
