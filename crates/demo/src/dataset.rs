//! The rows of the demo data set and the builder that assigns their ids.
//!
//! Everything here is pure: the same seed gives the same rows, ids included.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
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

use crate::names::{self, CountryNames};

/// Every row of the demo data, in insertion order.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub organizations: Vec<organization::Model>,
    pub people: Vec<person::Model>,
    pub events: Vec<event::Model>,
    pub agreements: Vec<agreement::Model>,
    pub agreement_parties: Vec<agreement_party::Model>,
    pub agreement_fields: Vec<agreement_field::Model>,
    pub programs: Vec<program::Model>,
    pub students: Vec<student::Model>,
    pub joint_units: Vec<joint_unit::Model>,
    pub joint_unit_partners: Vec<joint_unit_partner::Model>,
    pub visits: Vec<visit::Model>,
    pub organization_identifiers: Vec<entity::organization_identifier::Model>,
    pub organization_names: Vec<entity::organization_name::Model>,
    pub cooperation_conditions: Vec<entity::cooperation_condition::Model>,
    pub cooperation_condition_subjects: Vec<entity::cooperation_condition_subject::Model>,
    pub cooperation_condition_languages: Vec<entity::cooperation_condition_language::Model>,
}

/// The date the dashboard figures are stated for.
pub const AS_OF: NaiveDate = ymd_const(2024, 4, 3);
/// The day the data set describes ("today" for the demo): nothing is recorded later.
pub const SNAPSHOT: NaiveDate = ymd_const(2024, 6, 28);

/// A date from literal parts, checked when compiled.
pub const fn ymd_const(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// A date from parts; callers keep days within 1..=28 when they compute them.
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// 09:00 UTC on `date`: the fixed time of day of every generated timestamp.
pub fn ts(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(9, 0, 0)
        .map(|dt| dt.and_utc())
        .unwrap_or_default()
}

pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let step = Days::new(days.unsigned_abs());
    let moved = if days >= 0 {
        date.checked_add_days(step)
    } else {
        date.checked_sub_days(step)
    };
    moved.unwrap_or(date)
}

/// The same day `years` later (the 29th of February becomes the 28th).
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let day = date.day().min(28);
    ymd(date.year() + years, date.month(), day)
}

/// The earlier of two dates.
pub fn min_date(a: NaiveDate, b: NaiveDate) -> NaiveDate {
    if a <= b { a } else { b }
}

/// A uniformly random day in `from..=to` (`from` when the range is empty).
pub fn random_date(rng: &mut fastrand::Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        return from;
    }
    add_days(from, rng.i64(0..=span))
}

/// A random element of a non-empty slice (the default value for an empty one).
pub fn pick<T: Copy + Default>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items
        .get(rng.usize(..items.len().max(1)))
        .copied()
        .unwrap_or_default()
}

/// A person's name split the way e-mail addresses need it.
pub struct PersonName {
    pub full: String,
    pub given: String,
    pub family: String,
}

/// The organization a party row, a program or a student points at, with what
/// later steps need to know about it.
#[derive(Debug, Clone)]
pub struct OrgInfo {
    pub kind: OrganizationKind,
    pub country: &'static str,
    pub name: String,
    pub city: String,
    /// E-mail domain of its people.
    pub domain: String,
    /// Who signs its agreements.
    pub signatory: Option<i64>,
    /// A field of study that fits it (companies and institutes).
    pub field: Option<&'static str>,
}

/// One agreement to add, with its parties `(organization, role, signatory)` and fields.
pub struct NewAgreement {
    pub title: String,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    pub signed_on: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub summary: Option<String>,
    pub event_id: Option<i64>,
    pub parties: Vec<(i64, PartyRole, Option<i64>)>,
    pub fields: Vec<&'static str>,
}

/// Accumulates rows and hands out ids in insertion order.
pub struct Builder {
    pub rng: fastrand::Rng,
    pub data: Dataset,
    pub orgs: BTreeMap<i64, OrgInfo>,
    /// People of each organization, in creation order.
    pub staff: BTreeMap<i64, Vec<i64>>,
    emails: BTreeSet<String>,
    org_names: BTreeSet<String>,
}

impl Builder {
    pub fn new(seed: u64) -> Self {
        Builder {
            rng: fastrand::Rng::with_seed(seed),
            data: Dataset::default(),
            orgs: BTreeMap::new(),
            staff: BTreeMap::new(),
            emails: BTreeSet::new(),
            org_names: BTreeSet::new(),
        }
    }

    fn next_id(len: usize) -> i64 {
        i64::try_from(len).unwrap_or(i64::MAX - 1) + 1
    }

    /// True when an organization of that name exists already.
    pub fn org_name_taken(&self, name: &str) -> bool {
        self.org_names.contains(name)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn organization(
        &mut self,
        kind: OrganizationKind,
        name: &str,
        short_name: Option<&str>,
        country: &'static str,
        city: &str,
        website: &str,
        founded_year: Option<i32>,
        industry: Option<&str>,
        description: Option<&str>,
        field: Option<&'static str>,
    ) -> i64 {
        let id = Self::next_id(self.data.organizations.len());
        let created = ts(ymd(2008, 1, 7));
        self.data.organizations.push(organization::Model {
            id,
            kind,
            name: name.to_owned(),
            short_name: short_name.map(str::to_owned),
            country_code: country.to_owned(),
            city: Some(city.to_owned()),
            website: Some(website.to_owned()),
            founded_year,
            industry: industry.map(str::to_owned),
            ror_id: None,
            is_home: false,
            description: description.map(str::to_owned),
            version: 1,
            created_at: created,
            updated_at: created,
        });
        self.org_names.insert(name.to_owned());
        let domain = website
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_owned();
        self.orgs.insert(
            id,
            OrgInfo {
                kind,
                country,
                name: name.to_owned(),
                city: city.to_owned(),
                domain,
                signatory: None,
                field,
            },
        );
        id
    }

    /// A name plausible for a national of `country`.
    pub fn person_name(&mut self, spec: &CountryNames, female: bool) -> PersonName {
        let given = if female {
            pick(&mut self.rng, &spec.female)
        } else {
            pick(&mut self.rng, &spec.male)
        };
        let index = self.rng.usize(..spec.surnames.len().max(1));
        let family = if female {
            spec.surnames_female
                .get(index)
                .or_else(|| spec.surnames.get(index))
        } else {
            spec.surnames.get(index)
        }
        .copied()
        .unwrap_or_default();
        let full = if spec.family_first {
            format!("{family} {given}")
        } else {
            format!("{given} {family}")
        };
        PersonName {
            full,
            given: given.to_owned(),
            family: family.to_owned(),
        }
    }

    /// A unique address `given.family@domain` (a number appended on collision).
    pub fn email(&mut self, name: &PersonName, domain: &str) -> String {
        let given = names::ascii_slug(&name.given, &[]);
        let family = names::ascii_slug(&name.family, &[]);
        let local = if given.is_empty() {
            family
        } else {
            format!("{given}.{family}")
        };
        let mut address = format!("{local}@{domain}");
        let mut n = 2;
        while self.emails.contains(&address) {
            address = format!("{local}{n}@{domain}");
            n += 1;
        }
        self.emails.insert(address.clone());
        address
    }

    /// Adds a person with the given name; the e-mail address is made from it.
    pub fn named_person(
        &mut self,
        name: &PersonName,
        nationality: &str,
        organization_id: Option<i64>,
        title: Option<&str>,
    ) -> i64 {
        let id = Self::next_id(self.data.people.len());
        let domain = organization_id
            .and_then(|org| self.orgs.get(&org))
            .map(|org| org.domain.clone());
        let email = domain.map(|domain| self.email(name, &domain));
        let created = ts(ymd(2008, 1, 7));
        self.data.people.push(person::Model {
            id,
            full_name: name.full.clone(),
            email,
            title: title.map(str::to_owned),
            organization_id,
            nationality: Some(nationality.to_owned()),
            version: 1,
            created_at: created,
            updated_at: created,
        });
        if let Some(org) = organization_id {
            self.staff.entry(org).or_default().push(id);
        }
        id
    }

    /// Adds a person with a generated name of the organization's country.
    pub fn person(&mut self, organization_id: i64, title: &str) -> i64 {
        let country = self
            .orgs
            .get(&organization_id)
            .map(|org| org.country)
            .unwrap_or("CN");
        let female = self.rng.u8(..100) < 42;
        let name = match names::country(country) {
            Some(spec) => self.person_name(spec, female),
            None => PersonName {
                full: "Alex Morgan".to_owned(),
                given: "Alex".to_owned(),
                family: "Morgan".to_owned(),
            },
        };
        self.named_person(&name, country, Some(organization_id), Some(title))
    }

    /// Makes `person` the signatory of `organization`.
    pub fn set_signatory(&mut self, organization: i64, person: i64) {
        if let Some(org) = self.orgs.get_mut(&organization) {
            org.signatory = Some(person);
        }
    }

    pub fn signatory(&self, organization: i64) -> Option<i64> {
        self.orgs.get(&organization).and_then(|org| org.signatory)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn event(
        &mut self,
        name: &str,
        kind: EventKind,
        parent: Option<i64>,
        organizer: i64,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        location: &str,
    ) -> i64 {
        let id = Self::next_id(self.data.events.len());
        let created = ts(min_date(add_days(starts_on, -45), SNAPSHOT));
        self.data.events.push(event::Model {
            id,
            name: name.to_owned(),
            kind,
            parent_event_id: parent,
            organizer_id: organizer,
            starts_on,
            ends_on,
            location: Some(location.to_owned()),
            version: 1,
            created_at: created,
            updated_at: created,
        });
        id
    }

    pub fn agreement(&mut self, new: NewAgreement) -> i64 {
        let id = Self::next_id(self.data.agreements.len());
        let created_on = new
            .signed_on
            .map(|d| add_days(d, -20))
            .unwrap_or(ymd(2024, 2, 19));
        let updated_on = match (new.status, new.ends_on) {
            (AgreementStatus::Expired, Some(end)) => add_days(end, 1),
            _ => created_on,
        };
        self.data.agreements.push(agreement::Model {
            id,
            title: new.title,
            kind: new.kind,
            status: new.status,
            signed_on: new.signed_on,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            summary: new.summary,
            event_id: new.event_id,
            predecessor_id: None,
            version: if updated_on == created_on { 1 } else { 2 },
            created_at: ts(min_date(created_on, SNAPSHOT)),
            updated_at: ts(min_date(updated_on, SNAPSHOT)),
        });
        for (organization_id, role, signatory_id) in new.parties {
            let home = self
                .data
                .organizations
                .iter()
                .any(|o| o.id == organization_id && o.is_home);
            self.data.agreement_parties.push(agreement_party::Model {
                agreement_id: id,
                organization_id,
                role,
                signatory_id,
                iia_id: home.then(|| crate::home_iia_id(id)),
                iia_code: None,
            });
        }
        let mut seen = BTreeSet::new();
        for code in new.fields {
            if seen.insert(code) {
                self.data.agreement_fields.push(agreement_field::Model {
                    agreement_id: id,
                    field_code: code.to_owned(),
                });
            }
        }
        id
    }

    #[allow(clippy::too_many_arguments)]
    pub fn program(
        &mut self,
        agreement_id: Option<i64>,
        host: i64,
        name: &str,
        kind: ProgramKind,
        language: &str,
        field: Option<&str>,
        starts_on: NaiveDate,
        ends_on: Option<NaiveDate>,
        capacity: Option<i32>,
    ) -> i64 {
        let id = Self::next_id(self.data.programs.len());
        let created = ts(min_date(add_days(starts_on, -90), SNAPSHOT));
        self.data.programs.push(program::Model {
            id,
            agreement_id,
            host_organization_id: host,
            name: name.to_owned(),
            kind,
            language_code: language.to_owned(),
            field_code: field.map(str::to_owned),
            starts_on,
            ends_on,
            capacity,
            version: 1,
            created_at: created,
            updated_at: created,
        });
        id
    }

    /// Adds a student; `who` is the name, already chosen for the nationality.
    #[allow(clippy::too_many_arguments)]
    pub fn student(
        &mut self,
        who: &PersonName,
        nationality: &str,
        date_of_birth: NaiveDate,
        home: Option<i64>,
        host: i64,
        program_id: Option<i64>,
        agreement_id: Option<i64>,
        degree_level: DegreeLevel,
        status: StudentStatus,
        enrolled_on: NaiveDate,
        leaves_on: Option<NaiveDate>,
    ) -> i64 {
        let id = Self::next_id(self.data.students.len());
        let email = self.email(who, "stu.sspu.edu.cn");
        let created_on = min_date(add_days(enrolled_on, -75), SNAPSHOT);
        let updated_on = match (status, leaves_on) {
            (StudentStatus::Graduated | StudentStatus::Withdrawn, Some(left)) => left,
            _ => created_on,
        };
        self.data.students.push(student::Model {
            id,
            full_name: who.full.clone(),
            email: Some(email),
            date_of_birth: Some(date_of_birth),
            nationality: nationality.to_owned(),
            home_organization_id: home,
            host_organization_id: host,
            program_id,
            agreement_id,
            degree_level,
            status,
            enrolled_on,
            leaves_on,
            version: if updated_on == created_on { 1 } else { 2 },
            created_at: ts(created_on),
            updated_at: ts(min_date(updated_on, SNAPSHOT)),
        });
        id
    }

    #[allow(clippy::too_many_arguments)]
    pub fn joint_unit(
        &mut self,
        name: &str,
        kind: JointUnitKind,
        host: i64,
        agreement_id: Option<i64>,
        field: Option<&str>,
        established_on: NaiveDate,
        closed_on: Option<NaiveDate>,
        partners: &[i64],
    ) -> i64 {
        let id = Self::next_id(self.data.joint_units.len());
        let created = min_date(add_days(established_on, -30), SNAPSHOT);
        let updated = closed_on.unwrap_or(created);
        self.data.joint_units.push(joint_unit::Model {
            id,
            name: name.to_owned(),
            kind,
            host_organization_id: host,
            agreement_id,
            field_code: field.map(str::to_owned),
            established_on,
            closed_on,
            version: if updated == created { 1 } else { 2 },
            created_at: ts(created),
            updated_at: ts(min_date(updated, SNAPSHOT)),
        });
        let mut seen = BTreeSet::new();
        for &organization_id in partners {
            if seen.insert(organization_id) {
                self.data
                    .joint_unit_partners
                    .push(joint_unit_partner::Model {
                        joint_unit_id: id,
                        organization_id,
                    });
            }
        }
        id
    }

    pub fn visit(
        &mut self,
        person_id: i64,
        host: i64,
        purpose: &str,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> i64 {
        let id = Self::next_id(self.data.visits.len());
        let created = ts(min_date(add_days(starts_on, -30), SNAPSHOT));
        self.data.visits.push(visit::Model {
            id,
            person_id,
            host_organization_id: host,
            purpose: Some(purpose.to_owned()),
            agreement_id: None,
            starts_on,
            ends_on,
            version: 1,
            created_at: created,
            updated_at: created,
        });
        id
    }

    /// Dates each organization and its people from its first signed agreement
    /// (a month before), so `created_at` tells a plausible history.
    pub fn date_organizations(&mut self) {
        let mut first: BTreeMap<i64, NaiveDate> = BTreeMap::new();
        let signed: BTreeMap<i64, NaiveDate> = self
            .data
            .agreements
            .iter()
            .filter_map(|a| a.signed_on.map(|d| (a.id, d)))
            .collect();
        for party in &self.data.agreement_parties {
            if let Some(&date) = signed.get(&party.agreement_id) {
                let entry = first.entry(party.organization_id).or_insert(date);
                if date < *entry {
                    *entry = date;
                }
            }
        }
        let mut org_dates = BTreeMap::new();
        for org in &mut self.data.organizations {
            let date = first
                .get(&org.id)
                .map(|d| add_days(*d, -30))
                .unwrap_or(ymd(2019, 3, 11));
            let date = min_date(date, SNAPSHOT);
            org.created_at = ts(date);
            org.updated_at = ts(date);
            org_dates.insert(org.id, date);
        }
        for person in &mut self.data.people {
            if let Some(date) = person.organization_id.and_then(|o| org_dates.get(&o)) {
                person.created_at = ts(*date);
                person.updated_at = ts(*date);
            }
        }
    }
}
