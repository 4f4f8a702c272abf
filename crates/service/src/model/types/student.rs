//! Students.

use super::*;
use entity::student as st;

pub static STUDENT: Description<st::Entity> = Description {
    name: "Student",
    doc: "A student hosted by an organization.",
    plural: "students",
    root: "students",
    root_doc: "Students.",
    node: Some(NodeType::Student),
    key: st::Column::Id,
    variants: None,
    interfaces: &["Node"],
    aggregates: Aggregates {
        values: &[
            st::Column::FullName,
            st::Column::DateOfBirth,
            st::Column::EnrolledOn,
            st::Column::LeavesOn,
        ],
        counts: &[
            st::Column::Nationality,
            st::Column::HomeOrganizationId,
            st::Column::HostOrganizationId,
            st::Column::ProgramId,
            st::Column::AgreementId,
            st::Column::DegreeLevel,
            st::Column::Status,
            st::Column::Email,
        ],
        numbers: &[],
        keys: &[
            key(
                "Nationality",
                st::Column::Nationality,
                Part::Value,
                Some(NodeType::Country),
            ),
            key("Status", st::Column::Status, Part::Value, None),
            key("DegreeLevel", st::Column::DegreeLevel, Part::Value, None),
            key(
                "HomeOrganization",
                st::Column::HomeOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "HostOrganization",
                st::Column::HostOrganizationId,
                Part::Value,
                Some(NodeType::Organization),
            ),
            key(
                "Program",
                st::Column::ProgramId,
                Part::Value,
                Some(NodeType::Program),
            ),
            key(
                "Agreement",
                st::Column::AgreementId,
                Part::Value,
                Some(NodeType::Agreement),
            ),
            key("EnrolledOnYear", st::Column::EnrolledOn, Part::Year, None),
            key("EnrolledOnMonth", st::Column::EnrolledOn, Part::Month, None),
            key("DateOfBirthYear", st::Column::DateOfBirth, Part::Year, None),
        ],
    },
    order: <st::Entity as Resource>::order_fields,
    filters: &[
        by("id", st::Column::Id),
        by("fullName", st::Column::FullName),
        by("email", st::Column::Email),
        by("dateOfBirth", st::Column::DateOfBirth),
        by("nationality", st::Column::Nationality),
        by("degreeLevel", st::Column::DegreeLevel),
        by("status", st::Column::Status),
        by("enrolledOn", st::Column::EnrolledOn),
        by("leavesOn", st::Column::LeavesOn),
        one("nationalityCountry", st::Relation::Country),
        one("homeOrganization", st::Relation::HomeOrganization),
        one("hostOrganization", st::Relation::HostOrganization),
        one("program", st::Relation::Program),
        one("agreement", st::Relation::Agreement),
    ],
    filter_name: None,
    writes: Some(&Writes {
        what: "a student",
        new: "A new international student.",
        create: "Registers a student.",
        ops: &Generic::<entity::student::ActiveModel>::OPS,
    }),
    fields: &[
        f("__typename", "", Of::TypeName),
        f("id", "The global id.", Of::Id),
        f("fullName", "Full name.", Of::Column(st::Column::FullName)),
        f(
            "email",
            "E-mail address.",
            Of::Restricted(st::Column::Email, access::Field::StudentEmail),
        ),
        f(
            "dateOfBirth",
            "Date of birth.",
            Of::Restricted(st::Column::DateOfBirth, access::Field::StudentDateOfBirth),
        ),
        f(
            "nationalityCode",
            "ISO 3166-1 alpha-2 code of the nationality.",
            Of::Trimmed(st::Column::Nationality),
        ),
        f(
            "nationality",
            "The country of the student's nationality.",
            Of::ToOne(st::Column::Nationality, NodeType::Country),
        ),
        f(
            "degreeLevel",
            "The level of study.",
            Of::Enum(
                st::Column::DegreeLevel,
                "DegreeLevel",
                stored::<st::DegreeLevel>,
            ),
        ),
        f(
            "status",
            "Where the student is in their studies.",
            Of::Enum(
                st::Column::Status,
                "StudentStatus",
                stored::<st::StudentStatus>,
            ),
        ),
        f(
            "enrolledOn",
            "When the student enrolled.",
            Of::Column(st::Column::EnrolledOn),
        ),
        f(
            "leavesOn",
            "When the student leaves (or left).",
            Of::Column(st::Column::LeavesOn),
        ),
        f(
            "version",
            "Row version, for optimistic concurrency.",
            Of::Column(st::Column::Version),
        ),
        f(
            "createdAt",
            "When the row was created.",
            Of::Instant(st::Column::CreatedAt),
        ),
        f(
            "updatedAt",
            "When the row was last changed.",
            Of::Instant(st::Column::UpdatedAt),
        ),
        f(
            "homeOrganization",
            "The organization the student comes from.",
            Of::ToOne(st::Column::HomeOrganizationId, NodeType::Organization),
        ),
        f(
            "hostOrganization",
            "The organization hosting the student.",
            Of::ToOne(st::Column::HostOrganizationId, NodeType::Organization),
        ),
        f(
            "program",
            "The program the student is enrolled in.",
            Of::ToOne(st::Column::ProgramId, NodeType::Program),
        ),
        f(
            "agreement",
            "The agreement the student came under.",
            Of::ToOne(st::Column::AgreementId, NodeType::Agreement),
        ),
    ],
};
