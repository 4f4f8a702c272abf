//! Synthetic data at scale, for load tests and benchmarks: deterministic rows in
//! the shape of the demo world (names from the same per-country material), in
//! the sizes the benchmarks need.

use chrono::NaiveDate;
use entity::agreement::{AgreementKind, AgreementStatus};
use entity::agreement_party::PartyRole;
use entity::event::EventKind;
use entity::joint_unit::JointUnitKind;
use entity::organization::OrganizationKind;
use entity::program::ProgramKind;
use entity::student::{DegreeLevel, StudentStatus};
use entity::{
    agreement, agreement_field, agreement_party, event, joint_unit, joint_unit_partner,
    organization, person, program, student, visit,
};

use crate::Dataset;
use crate::dataset::{add_days, add_years, pick, random_date, ts, ymd};
use crate::names::{COUNTRIES, CountryNames, INSTITUTE_PATTERNS, INSTITUTE_TOPICS, SECTORS};

/// How much synthetic data to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// A hundredth of `Large`.
    Small,
    /// A tenth of `Large`.
    Medium,
    /// 10,000 organizations, 50,000 agreements, 200,000 students, …
    Large,
}

/// Rows per table at a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub organizations: usize,
    pub people: usize,
    pub events: usize,
    pub agreements: usize,
    pub programs: usize,
    pub students: usize,
    pub joint_units: usize,
    pub visits: usize,
}

impl Scale {
    pub fn sizes(self) -> Sizes {
        let divisor = match self {
            Scale::Small => 100,
            Scale::Medium => 10,
            Scale::Large => 1,
        };
        Sizes {
            organizations: 10_000 / divisor,
            people: 20_000 / divisor,
            events: 500 / divisor,
            agreements: 50_000 / divisor,
            programs: 30_000 / divisor,
            students: 200_000 / divisor,
            joint_units: 2_000 / divisor,
            visits: 20_000 / divisor,
        }
    }
}

impl std::str::FromStr for Scale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "small" => Ok(Scale::Small),
            "medium" => Ok(Scale::Medium),
            "large" => Ok(Scale::Large),
            _ => Err(format!("scale must be small, medium or large, not `{s}`")),
        }
    }
}

/// Detailed ISCED-F fields the generator tags rows with.
const FIELDS: &[&str] = &[
    "0111", "0213", "0222", "0231", "0232", "0311", "0312", "0313", "0314", "0321", "0411", "0412",
    "0413", "0414", "0421", "0511", "0512", "0521", "0531", "0532", "0533", "0541", "0542", "0611",
    "0612", "0613", "0711", "0712", "0713", "0714", "0715", "0716", "0721", "0722", "0731", "0732",
    "0811", "0841", "0912", "0913", "0916", "1013", "1015", "1041",
];

const LANGUAGES: &[&str] = &["en", "en", "en", "zh", "zh", "de", "fr", "ru", "es", "ja"];

const PROGRAM_TOPICS: &[&str] = &[
    "Computer Science",
    "Software Engineering",
    "Mechanical Engineering",
    "Environmental Engineering",
    "Business Administration",
    "International Trade",
    "Materials Science",
    "Electrical Engineering",
    "Applied Chemistry",
    "Data Science",
    "Industrial Design",
    "Logistics Management",
];

fn weighted<T: Copy>(rng: &mut fastrand::Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.u32(..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return *item;
        }
        roll -= weight;
    }
    items[0].0
}

fn person_name(rng: &mut fastrand::Rng, c: &CountryNames) -> String {
    let female = rng.bool();
    let given = pick(rng, if female { &c.female } else { &c.male });
    let index = rng.usize(..c.surnames.len().max(1));
    let family = if female && !c.surnames_female.is_empty() {
        c.surnames_female.get(index).copied().unwrap_or("")
    } else {
        c.surnames.get(index).copied().unwrap_or("")
    };
    if c.family_first {
        format!("{family} {given}")
    } else {
        format!("{given} {family}")
    }
}

fn organization_name(
    rng: &mut fastrand::Rng,
    c: &CountryNames,
    kind: OrganizationKind,
    city: &str,
) -> (String, Option<String>) {
    match kind {
        OrganizationKind::University => {
            let (pattern, _, _) = c.universities[rng.usize(..c.universities.len())];
            (pattern.replace("{city}", city), None)
        }
        OrganizationKind::Company => {
            let (sector, industry, _) = pick(rng, *SECTORS);
            let stem = pick(rng, &c.company_stems);
            let pattern = pick(rng, &c.companies);
            let name = pattern
                .replace("{name}", &format!("{stem} {sector}"))
                .replace("{city}", city);
            (name, Some(industry.to_owned()))
        }
        OrganizationKind::Institute => {
            let (topic, _) = pick(rng, *INSTITUTE_TOPICS);
            let name = pick(rng, *INSTITUTE_PATTERNS)
                .replace("{adj}", c.adjective)
                .replace("{topic}", topic)
                .replace("{city}", city);
            (name, None)
        }
    }
}

fn id(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX) + 1
}

/// The synthetic rows for `scale` (the same every call).
pub fn dataset(scale: Scale) -> Dataset {
    let n = scale.sizes();
    let mut rng = fastrand::Rng::with_seed(0x5359_4e54);
    let mut data = Dataset::default();
    let created = ts(ymd(2024, 6, 28));
    let (from, to) = (ymd(2000, 1, 1), ymd(2024, 6, 28));

    // Organizations: the first is the home university.
    let mut org_country: Vec<&'static CountryNames> = Vec::with_capacity(n.organizations);
    let mut names = std::collections::HashSet::new();
    for i in 0..n.organizations {
        let home = i == 0;
        let c = if home {
            &COUNTRIES[0]
        } else {
            &COUNTRIES[rng.usize(1..COUNTRIES.len())]
        };
        let kind = if home {
            OrganizationKind::University
        } else {
            weighted(
                &mut rng,
                &[
                    (OrganizationKind::University, 6),
                    (OrganizationKind::Company, 3),
                    (OrganizationKind::Institute, 1),
                ],
            )
        };
        let city = pick(&mut rng, &c.cities);
        let (mut name, industry) = if home {
            ("Shanghai Polytechnic University".to_owned(), None)
        } else {
            organization_name(&mut rng, c, kind, city)
        };
        // Names are unique within a country (case-insensitively), as writes require.
        if !names.insert((c.code, name.to_lowercase())) {
            name = format!("{name} {}", i + 1);
            names.insert((c.code, name.to_lowercase()));
        }
        org_country.push(c);
        data.organizations.push(organization::Model {
            id: id(i),
            kind,
            name,
            short_name: None,
            country_code: c.code.to_owned(),
            city: Some(city.to_owned()),
            website: None,
            founded_year: (rng.u8(..10) > 0).then(|| rng.i32(1850..2015)),
            industry,
            ror_id: None,
            is_home: home,
            description: None,
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }
    let org = |rng: &mut fastrand::Rng| id(rng.usize(..n.organizations));
    let partner = |rng: &mut fastrand::Rng| id(rng.usize(1..n.organizations.max(2)));

    for i in 0..n.people {
        let organization_id = (rng.u8(..20) > 0).then(|| org(&mut rng));
        let c = match organization_id {
            Some(o) => org_country[usize::try_from(o - 1).unwrap_or(0)],
            None => &COUNTRIES[rng.usize(..COUNTRIES.len())],
        };
        data.people.push(person::Model {
            id: id(i),
            full_name: person_name(&mut rng, c),
            email: Some(format!("person{}@example.org", i + 1)),
            title: Some(
                pick(
                    &mut rng,
                    &["Professor", "Dean", "Director", "Lecturer", "Manager"],
                )
                .to_owned(),
            ),
            organization_id,
            nationality: Some(c.code.to_owned()),
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }
    let someone = |rng: &mut fastrand::Rng| id(rng.usize(..n.people.max(1)));

    let weeks = (n.events / 10).max(1);
    for i in 0..n.events {
        let week = i < weeks;
        let starts_on = random_date(&mut rng, from, to);
        let kind = if week {
            EventKind::PartnershipWeek
        } else {
            weighted(
                &mut rng,
                &[
                    (EventKind::AcademicSalon, 4),
                    (EventKind::PromotionMeeting, 2),
                    (EventKind::Matchmaking, 2),
                    (EventKind::CampusTour, 1),
                    (EventKind::SigningCeremony, 2),
                    (EventKind::Other, 1),
                ],
            )
        };
        data.events.push(event::Model {
            id: id(i),
            name: if week {
                format!(
                    "{} Global Partnership Week",
                    chrono::Datelike::year(&starts_on)
                )
            } else {
                format!("Partnership event {}", i + 1)
            },
            kind,
            parent_event_id: (!week && rng.bool()).then(|| id(rng.usize(..weeks))),
            organizer_id: 1,
            starts_on,
            ends_on: add_days(starts_on, if week { 4 } else { 0 }),
            location: Some("Shanghai".to_owned()),
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }

    for i in 0..n.agreements {
        let status = weighted(
            &mut rng,
            &[
                (AgreementStatus::Active, 70),
                (AgreementStatus::Expired, 18),
                (AgreementStatus::Terminated, 4),
                (AgreementStatus::Draft, 4),
                (AgreementStatus::UnderNegotiation, 4),
            ],
        );
        let kind = weighted(
            &mut rng,
            &[
                (AgreementKind::CooperationAgreement, 5),
                (AgreementKind::MemorandumOfUnderstanding, 4),
                (AgreementKind::StudentExchange, 4),
                (AgreementKind::JointProgram, 2),
                (AgreementKind::ResearchCollaboration, 2),
                (AgreementKind::TeachingPartnership, 1),
            ],
        );
        let signed = !matches!(
            status,
            AgreementStatus::Draft | AgreementStatus::UnderNegotiation
        );
        let signed_on = signed.then(|| random_date(&mut rng, from, to));
        let agreement_id = id(i);
        data.agreements.push(agreement::Model {
            id: agreement_id,
            title: format!("{kind:?} {}", i + 1),
            kind,
            status,
            signed_on,
            starts_on: signed_on,
            ends_on: signed_on
                .filter(|_| rng.bool())
                .map(|d| add_years(d, rng.i32(3..11))),
            summary: None,
            event_id: (rng.u8(..5) == 0 && n.events > 0).then(|| id(rng.usize(..n.events))),
            predecessor_id: None,
            version: 1,
            created_at: created,
            updated_at: created,
        });
        // 2–4 parties: the home university leads.
        let mut parties = vec![1_i64];
        let wanted = rng.usize(2..5);
        while parties.len() < wanted.min(n.organizations) {
            let p = partner(&mut rng);
            if !parties.contains(&p) {
                parties.push(p);
            }
        }
        for (k, organization_id) in parties.into_iter().enumerate() {
            data.agreement_parties.push(agreement_party::Model {
                agreement_id,
                organization_id,
                role: if k == 0 {
                    PartyRole::Lead
                } else {
                    PartyRole::Partner
                },
                signatory_id: signed.then(|| someone(&mut rng)),
                iia_id: (organization_id == id(0)).then(|| crate::home_iia_id(agreement_id)),
                iia_code: None,
            });
        }
        let mut fields: Vec<&str> = Vec::new();
        let wanted = rng.usize(1..4);
        while fields.len() < wanted {
            let f = pick(&mut rng, FIELDS);
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        for field_code in fields {
            data.agreement_fields.push(agreement_field::Model {
                agreement_id,
                field_code: field_code.to_owned(),
            });
        }
    }

    for i in 0..n.programs {
        let agreement_id =
            (rng.u8(..10) < 7 && n.agreements > 0).then(|| id(rng.usize(..n.agreements)));
        let kind = weighted(
            &mut rng,
            &[
                (ProgramKind::JointTraining, 4),
                (ProgramKind::Exchange, 3),
                (ProgramKind::DegreeMajor, 2),
                (ProgramKind::DualDegree, 1),
                (ProgramKind::JointDegree, 1),
                (ProgramKind::SummerSchool, 1),
                (ProgramKind::Research, 1),
            ],
        );
        let starts_on = random_date(&mut rng, from, to);
        data.programs.push(program::Model {
            id: id(i),
            agreement_id,
            host_organization_id: if rng.u8(..10) < 6 { 1 } else { org(&mut rng) },
            name: format!("{} {}", pick(&mut rng, PROGRAM_TOPICS), i + 1),
            kind,
            language_code: pick(&mut rng, LANGUAGES).to_owned(),
            field_code: Some(pick(&mut rng, FIELDS).to_owned()),
            starts_on,
            ends_on: (rng.u8(..10) < 3).then(|| add_years(starts_on, rng.i32(1..6))),
            capacity: Some(rng.i32(10..200)),
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }

    for i in 0..n.students {
        let c = &COUNTRIES[rng.usize(..COUNTRIES.len())];
        let program_id = (rng.u8(..10) < 8 && n.programs > 0).then(|| id(rng.usize(..n.programs)));
        let agreement_id = program_id
            .and_then(|p| data.programs.get(usize::try_from(p - 1).unwrap_or(0)))
            .and_then(|p| p.agreement_id);
        let enrolled_on = random_date(&mut rng, ymd(2010, 1, 1), to);
        let status = weighted(
            &mut rng,
            &[
                (StudentStatus::Enrolled, 6),
                (StudentStatus::Graduated, 2),
                (StudentStatus::Applied, 1),
                (StudentStatus::Withdrawn, 1),
            ],
        );
        data.students.push(student::Model {
            id: id(i),
            full_name: person_name(&mut rng, c),
            email: Some(format!("student{}@example.org", i + 1)),
            date_of_birth: Some(random_date(&mut rng, ymd(1985, 1, 1), ymd(2006, 12, 31))),
            nationality: c.code.to_owned(),
            home_organization_id: (rng.u8(..10) < 7).then(|| partner(&mut rng)),
            host_organization_id: if rng.u8(..10) < 7 { 1 } else { org(&mut rng) },
            program_id,
            agreement_id,
            degree_level: weighted(
                &mut rng,
                &[
                    (DegreeLevel::Bachelor, 5),
                    (DegreeLevel::Master, 3),
                    (DegreeLevel::Doctorate, 1),
                    (DegreeLevel::Exchange, 2),
                    (DegreeLevel::NonDegree, 1),
                ],
            ),
            status,
            enrolled_on,
            leaves_on: (status != StudentStatus::Enrolled || rng.bool())
                .then(|| add_years(enrolled_on, rng.i32(1..5))),
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }

    for i in 0..n.joint_units {
        let established_on = random_date(&mut rng, ymd(2005, 1, 1), to);
        let unit_id = id(i);
        data.joint_units.push(joint_unit::Model {
            id: unit_id,
            name: format!(
                "Joint Laboratory of {} {}",
                pick(&mut rng, PROGRAM_TOPICS),
                i + 1
            ),
            kind: weighted(
                &mut rng,
                &[
                    (JointUnitKind::Laboratory, 3),
                    (JointUnitKind::Center, 2),
                    (JointUnitKind::PracticeBase, 2),
                ],
            ),
            host_organization_id: 1,
            agreement_id: (n.agreements > 0 && rng.bool()).then(|| id(rng.usize(..n.agreements))),
            field_code: Some(pick(&mut rng, FIELDS).to_owned()),
            established_on,
            closed_on: (rng.u8(..10) == 0).then(|| add_years(established_on, rng.i32(1..8))),
            version: 1,
            created_at: created,
            updated_at: created,
        });
        let mut partners: Vec<i64> = Vec::new();
        let wanted = rng.usize(1..4);
        while partners.len() < wanted.min(n.organizations.saturating_sub(1)) {
            let p = partner(&mut rng);
            if !partners.contains(&p) {
                partners.push(p);
            }
        }
        for organization_id in partners {
            data.joint_unit_partners.push(joint_unit_partner::Model {
                joint_unit_id: unit_id,
                organization_id,
            });
        }
    }

    for i in 0..n.visits {
        let starts_on: NaiveDate = random_date(&mut rng, ymd(2010, 1, 1), to);
        data.visits.push(visit::Model {
            id: id(i),
            person_id: someone(&mut rng),
            host_organization_id: if rng.u8(..10) < 8 { 1 } else { org(&mut rng) },
            purpose: Some("Guest lectures and project meetings".to_owned()),
            agreement_id: None,
            starts_on,
            ends_on: add_days(starts_on, rng.i64(1..30)),
            version: 1,
            created_at: created,
            updated_at: created,
        });
    }
    data
}
