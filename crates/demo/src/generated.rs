//! The generated part of the demo data: partner organizations around the
//! story, their agreements, programs, joint units, students and visits.
//!
//! The figures of the Dashboard (DESIGN.md) hold exactly, as of 2024-04-03:
//! 171 partner organizations in 38 countries, 148 collaborative programs,
//! 170 international students from 27 countries, 20 joint units (14 at the
//! end of 2020), 6 English-taught majors, 74 visiting experts in 2023.
//! Rows that must not count are there too: organizations whose agreements are
//! expired, terminated, not signed yet, starting later or without a home
//! party; Chinese, graduated, withdrawn, applied and later-enrolled students;
//! a joint unit closed in 2018 and one opened after the date; majors in Chinese;
//! visits in other years and a second 2023 visit of some experts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use entity::agreement::{AgreementKind, AgreementStatus};
use entity::agreement_party::PartyRole;
use entity::event::EventKind;
use entity::joint_unit::JointUnitKind;
use entity::organization::OrganizationKind;
use entity::program::ProgramKind;
use entity::student::{DegreeLevel, StudentStatus};

use crate::dataset::{
    AS_OF, Builder, NewAgreement, SNAPSHOT, add_days, add_years, min_date, pick, random_date, ymd,
};
use crate::names::{self, CountryNames, INSTITUTE_PATTERNS, INSTITUTE_TOPICS, SECTORS};
use crate::plan::{PLAN, subject};
use crate::story::{SPU_LOCATION, SPU_NAME, Story};

/// A subject for the middle of a sentence.
fn field_phrase(code: &str) -> String {
    subject(code).to_lowercase()
}

/// The earliest plausible founding year of an organization in the country.
fn earliest_founding(country: &str) -> i32 {
    match country {
        "AE" => 1976,
        "LA" => 1996,
        "SG" | "MY" => 1955,
        "KE" | "VN" | "MA" | "MN" | "NP" => 1956,
        "NG" | "PK" => 1948,
        "KR" => 1946,
        "ID" => 1950,
        "KZ" | "TR" => 1934,
        "CO" => 1930,
        "UZ" | "BR" => 1920,
        "TH" => 1917,
        "MX" => 1910,
        "EG" => 1908,
        "ZA" | "AU" | "IN" | "AR" => 1900,
        "NZ" => 1897,
        "CL" => 1888,
        _ => 1870,
    }
}

/// An active agreement SPU is party to, with what its programs need.
#[derive(Debug, Clone)]
struct ActiveAgreement {
    id: i64,
    kind: AgreementKind,
    /// The partner's name, or the consortium's.
    label: String,
    partners: Vec<i64>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    fields: Vec<&'static str>,
}

/// One of SPU's own degree majors still taught, with its language.
struct Major {
    id: i64,
    language: &'static str,
}

/// A program SPU hosts under an agreement, for placing students.
#[derive(Debug, Clone, Copy)]
struct Placement {
    program: i64,
    agreement: i64,
    home: i64,
    kind: ProgramKind,
}

/// Runs every generation step after the story.
pub fn build(b: &mut Builder, story: &Story) {
    let partners = partner_organizations(b, story);
    let non_partners = non_partner_organizations(b);
    other_events(b, story, &partners);
    let (active, primary) = partner_agreements(b, story, &partners);
    non_partner_agreements(b, story, &non_partners);
    let majors = spu_majors(b, story);
    super::story::programs(b, story);
    let placements = collaborative_programs(b, story, &active);
    joint_units(b, story, &partners, &primary);
    students(b, story, &majors, &placements);
    visits(b, story);
    b.date_organizations();
}

// ---------------------------------------------------------------------------
// Organizations and their people

fn spec(code: &str) -> Option<&'static CountryNames> {
    names::country(code)
}

/// Creates a university of the country with a name not used yet.
fn new_university(b: &mut Builder, spec: &'static CountryNames) -> Option<i64> {
    let mut options: Vec<(usize, usize)> = (0..spec.universities.len())
        .flat_map(|t| (0..spec.cities.len()).map(move |c| (t, c)))
        .collect();
    b.rng.shuffle(&mut options);
    for (t, c) in options {
        let (Some(&(pattern, slug, short)), Some(&city)) =
            (spec.universities.get(t), spec.cities.get(c))
        else {
            continue;
        };
        let name = pattern.replace("{city}", city);
        if b.org_name_taken(&name) {
            continue;
        }
        let city_slug = names::ascii_slug(city, &[]);
        let website = format!(
            "https://www.{}.{}",
            slug.replace("{city}", &city_slug),
            spec.edu_tld
        );
        let short = short.replace("{city}", city);
        let short = (!short.is_empty()).then_some(short);
        let founded = b.rng.i32(earliest_founding(spec.code)..=2012);
        let id = b.organization(
            OrganizationKind::University,
            &name,
            short.as_deref(),
            spec.code,
            city,
            &website,
            Some(founded),
            None,
            None,
            None,
        );
        return Some(id);
    }
    None
}

fn new_company(b: &mut Builder, spec: &'static CountryNames) -> Option<i64> {
    for _ in 0..40 {
        let (sector, industry, field) = pick(&mut b.rng, *SECTORS);
        let stem = pick(&mut b.rng, &spec.company_stems);
        let pattern = pick(&mut b.rng, &spec.companies);
        let city = pick(&mut b.rng, &spec.cities);
        let name = pattern
            .replace("{name}", &format!("{stem} {sector}"))
            .replace("{city}", city);
        if b.org_name_taken(&name) {
            continue;
        }
        let first_word = sector.split(' ').next().unwrap_or(sector);
        let website = format!(
            "https://www.{}-{}.{}",
            names::ascii_slug(stem, &[]),
            names::ascii_slug(first_word, &[]),
            spec.com_tld
        );
        let founded = b.rng.i32(earliest_founding(spec.code).max(1950)..=2016);
        let id = b.organization(
            OrganizationKind::Company,
            &name,
            None,
            spec.code,
            city,
            &website,
            Some(founded),
            Some(industry),
            None,
            Some(field),
        );
        return Some(id);
    }
    None
}

fn new_institute(b: &mut Builder, spec: &'static CountryNames) -> Option<i64> {
    for _ in 0..40 {
        let (topic, field) = pick(&mut b.rng, *INSTITUTE_TOPICS);
        let pattern = pick(&mut b.rng, *INSTITUTE_PATTERNS);
        let city = pick(&mut b.rng, &spec.cities);
        let name = pattern
            .replace("{adj}", spec.adjective)
            .replace("{city}", city)
            .replace("{topic}", topic);
        if b.org_name_taken(&name) {
            continue;
        }
        let acronym: String = name
            .split([' ', ','])
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .filter_map(|w| w.chars().next())
            .collect();
        let website = format!(
            "https://www.{}.{}",
            names::ascii_slug(&acronym, &[]),
            spec.com_tld
        );
        let description = format!("Applied research institute for {}.", topic.to_lowercase());
        let founded = b.rng.i32(earliest_founding(spec.code).max(1952)..=2012);
        let id = b.organization(
            OrganizationKind::Institute,
            &name,
            Some(&acronym),
            spec.code,
            city,
            &website,
            Some(founded),
            None,
            Some(&description),
            Some(field),
        );
        return Some(id);
    }
    None
}

/// Who signs for a university of the country, and its international officer.
fn university_titles(country: &str) -> (&'static str, &'static str) {
    match country {
        "GB" | "IE" | "AU" | "NZ" | "ZA" | "KE" | "NG" => {
            ("Vice-Chancellor", "Pro-Vice-Chancellor (International)")
        }
        "US" | "CA" => ("President", "Vice President for Global Engagement"),
        "FR" | "MA" => ("President", "Vice-President for International Relations"),
        "DE" | "AT" | "CH" | "PL" | "CZ" | "HU" | "RU" | "BG" | "KZ" | "UZ" | "UA" | "IT"
        | "ES" | "PT" | "BR" | "MX" | "CL" | "AR" | "CO" | "TR" | "GR" | "BE" | "NL" | "FI"
        | "SE" | "NO" | "DK" | "MN" => ("Rector", "Vice-Rector for International Relations"),
        _ => ("President", "Vice-President for International Affairs"),
    }
}

/// The signatory and a few more people of a new organization.
fn staff_organization(b: &mut Builder, org: i64) {
    let Some(info) = b.orgs.get(&org).cloned() else {
        return;
    };
    let signatory_title = match info.kind {
        OrganizationKind::University => {
            let (head, international) = university_titles(info.country);
            if b.rng.u8(..100) < 35 {
                head
            } else {
                international
            }
        }
        OrganizationKind::Company => match info.country {
            "DE" | "AT" | "CH" | "GB" | "IE" => "Managing Director",
            "JP" | "KR" => "President and CEO",
            _ => pick(&mut b.rng, &["Chief Executive Officer", "General Manager"]),
        },
        OrganizationKind::Institute => "Director",
    };
    let signatory = b.person(org, signatory_title);
    b.set_signatory(org, signatory);
    let extra: &[&str] = match info.kind {
        OrganizationKind::University => &[
            "Head of International Office",
            "Professor of Engineering",
            "Associate Professor of Computer Science",
            "Dean of the Faculty of Engineering",
            "Professor of Environmental Engineering",
            "Senior Lecturer in Mechanical Engineering",
            "International Relations Coordinator",
            "Professor of Business Administration",
            "Professor of Materials Science",
        ],
        OrganizationKind::Company => &[
            "Head of Research and Development",
            "Chief Technology Officer",
            "Human Resources Director",
            "Senior Engineer",
        ],
        OrganizationKind::Institute => &[
            "Senior Researcher",
            "Head of Department",
            "Research Group Leader",
        ],
    };
    let count = match info.kind {
        OrganizationKind::University => 1 + b.rng.usize(..2),
        OrganizationKind::Company => b.rng.usize(..2),
        OrganizationKind::Institute => 1,
    };
    let mut titles: Vec<&str> = extra.to_vec();
    b.rng.shuffle(&mut titles);
    for title in titles.into_iter().take(count) {
        b.person(org, title);
    }
}

/// The 171 partner organizations, the story's three among them, in plan order.
fn partner_organizations(b: &mut Builder, story: &Story) -> Vec<i64> {
    let story_partners = [story.techprotect, story.rousse, story.tu_dublin];
    let mut partners = Vec::new();
    for &(code, total) in &PLAN.partners {
        let Some(spec) = spec(code) else {
            continue;
        };
        let existing: Vec<i64> = story_partners
            .iter()
            .copied()
            .filter(|id| b.orgs.get(id).is_some_and(|o| o.country == code))
            .collect();
        partners.extend(&existing);
        let n = total.saturating_sub(existing.len());
        // Roughly a fifth companies, one institute per seven, the rest universities.
        let companies = (n * 2 + 4) / 9;
        let institutes = n / 7;
        let universities = n.saturating_sub(companies + institutes);
        for i in 0..n {
            let made = if i < universities {
                new_university(b, spec).or_else(|| new_company(b, spec))
            } else if i < universities + companies {
                new_company(b, spec)
            } else {
                new_institute(b, spec)
            };
            if let Some(id) = made {
                staff_organization(b, id);
                partners.push(id);
            }
        }
    }
    partners
}

/// Why an organization is not a partner on 2024-04-03.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotPartner {
    /// Its only agreement with SPU expired.
    Expired,
    /// Its only agreement with SPU was terminated.
    Terminated,
    UnderNegotiation,
    Draft,
    /// Signed before the date, starts in September 2024.
    StartsLater,
    /// Signed after the date.
    SignedLater,
    /// Its active agreement is with a partner, not with SPU.
    NoHomeParty,
    /// No agreement at all (event co-organizers, employers of visiting experts).
    NoAgreement,
}

fn non_partner_organizations(b: &mut Builder) -> Vec<(i64, NotPartner)> {
    use NotPartner::*;
    use OrganizationKind::*;
    let plan: &[(&str, OrganizationKind, NotPartner)] = &[
        ("GR", University, Expired),
        ("BE", University, Expired),
        ("FR", Institute, Expired),
        ("AR", University, Expired),
        ("TR", University, Expired),
        ("DE", Company, Expired),
        ("SE", Company, Expired),
        ("UA", University, Terminated),
        ("GB", Company, Terminated),
        ("IN", Company, Terminated),
        ("AE", University, UnderNegotiation),
        ("MA", University, Draft),
        ("CO", University, UnderNegotiation),
        ("IT", University, StartsLater),
        ("NO", University, SignedLater),
        ("BG", Company, NoHomeParty),
        ("CN", Company, NoAgreement),
        ("CN", Institute, NoAgreement),
        ("DK", University, NoAgreement),
        ("US", Company, NoAgreement),
    ];
    let mut out = Vec::new();
    for &(code, kind, why) in plan {
        let Some(spec) = spec(code) else {
            continue;
        };
        let made = match kind {
            University => new_university(b, spec),
            Company => new_company(b, spec),
            Institute => new_institute(b, spec),
        };
        if let Some(id) = made {
            staff_organization(b, id);
            out.push((id, why));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Events

fn other_events(b: &mut Builder, story: &Story, partners: &[i64]) {
    let spu = story.spu;
    let first_university = |b: &Builder, country: &str| {
        partners.iter().copied().find(|id| {
            b.orgs
                .get(id)
                .is_some_and(|o| o.country == country && o.kind == OrganizationKind::University)
        })
    };
    let kz = first_university(b, "KZ");
    let fr = first_university(b, "FR");
    b.event(
        "Overseas Project Promotional Meeting 2018",
        EventKind::PromotionMeeting,
        None,
        spu,
        ymd(2018, 6, 12),
        ymd(2018, 6, 12),
        SPU_LOCATION,
    );
    if let Some(fr) = fr {
        let city = b.orgs.get(&fr).map(|o| o.city.clone()).unwrap_or_default();
        b.event(
            "Sino-French Seminar on Engineering Education",
            EventKind::Other,
            None,
            fr,
            ymd(2018, 11, 6),
            ymd(2018, 11, 7),
            &format!("{city}, France"),
        );
    }
    b.event(
        "Circular Economy Workshop at TechProtect",
        EventKind::Other,
        None,
        story.techprotect,
        ymd(2019, 9, 24),
        ymd(2019, 9, 25),
        "TechProtect GmbH, Stuttgart, Germany",
    );
    b.event(
        "Academic Salon: Green Chemistry and Materials Recycling",
        EventKind::AcademicSalon,
        None,
        spu,
        ymd(2022, 5, 19),
        ymd(2022, 5, 19),
        SPU_LOCATION,
    );
    b.event(
        "Belt and Road Vocational Education Matchmaking Fair",
        EventKind::Matchmaking,
        None,
        spu,
        ymd(2022, 11, 16),
        ymd(2022, 11, 17),
        SPU_LOCATION,
    );
    if let Some(kz) = kz {
        let city = b.orgs.get(&kz).map(|o| o.city.clone()).unwrap_or_default();
        b.event(
            "China–Central Asia Engineering Education Forum",
            EventKind::Other,
            None,
            kz,
            ymd(2023, 6, 20),
            ymd(2023, 6, 21),
            &format!("{city}, Kazakhstan"),
        );
    }
    b.event(
        "International Summer School Opening Ceremony",
        EventKind::Other,
        None,
        spu,
        ymd(2023, 7, 3),
        ymd(2023, 7, 3),
        SPU_LOCATION,
    );
    b.event(
        "Sino-German Forum on Applied Higher Education",
        EventKind::Other,
        None,
        spu,
        ymd(2023, 10, 17),
        ymd(2023, 10, 18),
        SPU_LOCATION,
    );
    b.event(
        "Overseas Education Promotional Meeting in Almaty",
        EventKind::PromotionMeeting,
        None,
        spu,
        ymd(2023, 11, 8),
        ymd(2023, 11, 8),
        "Almaty, Kazakhstan",
    );
    b.event(
        "Open Day for International Applicants",
        EventKind::CampusTour,
        None,
        spu,
        ymd(2024, 5, 18),
        ymd(2024, 5, 18),
        SPU_LOCATION,
    );
}

// ---------------------------------------------------------------------------
// Agreements

fn kind_title(kind: AgreementKind, partner: &str, field: &str) -> String {
    match kind {
        AgreementKind::CooperationAgreement => {
            format!("Cooperation Agreement between {SPU_NAME} and {partner}")
        }
        AgreementKind::MemorandumOfUnderstanding => {
            format!("Memorandum of Understanding between {SPU_NAME} and {partner}")
        }
        AgreementKind::StudentExchange => {
            format!("Student Exchange Agreement between {SPU_NAME} and {partner}")
        }
        AgreementKind::JointProgram => {
            format!(
                "Joint Programme Agreement in {} with {partner}",
                subject(field)
            )
        }
        AgreementKind::ResearchCollaboration => format!(
            "Research Collaboration Agreement on {} with {partner}",
            subject(field)
        ),
        AgreementKind::TeachingPartnership => {
            format!("Teaching Partnership Agreement between {SPU_NAME} and {partner}")
        }
    }
}

fn kind_summary(kind: AgreementKind, field: &str, rng: &mut fastrand::Rng) -> String {
    let f = field_phrase(field);
    match kind {
        AgreementKind::CooperationAgreement => format!(
            "Cooperation in {f}: joint training, guest lectures, student projects and internships."
        ),
        AgreementKind::MemorandumOfUnderstanding => format!(
            "Framework for academic cooperation in {f}: staff and student mobility, joint \
             seminars and the preparation of further agreements."
        ),
        AgreementKind::StudentExchange => format!(
            "Exchange of up to {} students a year for a semester or a year in {f}, with \
             tuition waivers and credit recognition.",
            rng.u32(3..=12)
        ),
        AgreementKind::JointProgram => format!(
            "Jointly delivered programme in {f}: students study at both institutions and \
             receive degrees from both."
        ),
        AgreementKind::ResearchCollaboration => format!(
            "Joint research in {f}, shared laboratory access and co-supervised graduate students."
        ),
        AgreementKind::TeachingPartnership => format!(
            "Experts of the partner teach practice-oriented courses in {f}; students intern \
             with the partner."
        ),
    }
}

/// One to three distinct fields fitting an organization.
fn fields_for(b: &mut Builder, org: i64) -> Vec<&'static str> {
    let own = b.orgs.get(&org).and_then(|o| o.field);
    let mut fields = Vec::new();
    if let Some(own) = own {
        fields.push(own);
    }
    let target = match own {
        Some(_) => 1 + b.rng.usize(..2),
        None => 1 + b.rng.usize(..3),
    };
    while fields.len() < target {
        let f = pick(&mut b.rng, &PLAN.spu_fields);
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    fields
}

/// A signing date of an agreement still active, weighted towards recent years.
fn active_signing_date(rng: &mut fastrand::Rng) -> NaiveDate {
    const WEIGHTS: &[(i32, u32)] = &[
        (2008, 1),
        (2009, 1),
        (2010, 2),
        (2011, 2),
        (2012, 3),
        (2013, 3),
        (2014, 4),
        (2015, 4),
        (2016, 5),
        (2017, 5),
        (2018, 6),
        (2019, 6),
        (2020, 3),
        (2021, 4),
        (2022, 5),
        (2023, 8),
        (2024, 2),
    ];
    let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.u32(..total.max(1));
    let mut year = 2023;
    for &(y, w) in WEIGHTS {
        if roll < w {
            year = y;
            break;
        }
        roll -= w;
    }
    if year == 2024 {
        random_date(rng, ymd(2024, 1, 8), ymd(2024, 3, 15))
    } else {
        ymd(year, rng.u32(1..=12), rng.u32(1..=28))
    }
}

/// Start and end of an agreement signed on `signed` that is still in force
/// on the snapshot date: a five- or ten-year term, or open-ended.
fn active_term(rng: &mut fastrand::Rng, signed: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    let september = ymd(
        if signed.month() < 9 {
            signed.year()
        } else {
            signed.year() + 1
        },
        9,
        1,
    );
    let starts = if rng.bool() && september <= AS_OF {
        september
    } else {
        signed
    };
    let mut terms = vec![5, 10];
    if rng.u8(..100) < 30 {
        terms.clear();
    }
    for years in terms {
        let end = add_days(add_years(starts, years), -1);
        if end > SNAPSHOT {
            return (starts, Some(end));
        }
    }
    (starts, None)
}

fn university_kind(rng: &mut fastrand::Rng) -> AgreementKind {
    match rng.u8(..100) {
        0..30 => AgreementKind::MemorandumOfUnderstanding,
        30..55 => AgreementKind::StudentExchange,
        55..75 => AgreementKind::JointProgram,
        _ => AgreementKind::CooperationAgreement,
    }
}

fn primary_kind(rng: &mut fastrand::Rng, kind: OrganizationKind) -> AgreementKind {
    match kind {
        OrganizationKind::University => university_kind(rng),
        OrganizationKind::Company => match rng.u8(..100) {
            0..40 => AgreementKind::CooperationAgreement,
            40..70 => AgreementKind::TeachingPartnership,
            _ => AgreementKind::ResearchCollaboration,
        },
        OrganizationKind::Institute => {
            if rng.u8(..100) < 70 {
                AgreementKind::ResearchCollaboration
            } else {
                AgreementKind::MemorandumOfUnderstanding
            }
        }
    }
}

/// Consortium agreements: several partners of a region in one agreement.
/// `(title, short label, kind, countries, led by the first partner)`.
const CONSORTIA: &[(&str, &str, AgreementKind, &[&str], bool)] = &[
    (
        "Consortium Agreement on Applied Engineering Education (China, Germany, Austria, Switzerland)",
        "the Sino-German-speaking Applied Engineering Consortium",
        AgreementKind::JointProgram,
        &["DE", "AT", "CH"],
        false,
    ),
    (
        "China–Central Asia Engineering Education Alliance Agreement",
        "the China–Central Asia Engineering Education Alliance",
        AgreementKind::CooperationAgreement,
        &["KZ", "UZ", "KZ"],
        false,
    ),
    (
        "Sino-Nordic Network Agreement on Sustainable Technology",
        "the Sino-Nordic Sustainable Technology Network",
        AgreementKind::ResearchCollaboration,
        &["FI", "SE"],
        true,
    ),
    (
        "ASEAN–SPU Partnership on Vocational and Technical Education",
        "the ASEAN–SPU Vocational Education Partnership",
        AgreementKind::MemorandumOfUnderstanding,
        &["TH", "VN", "MY"],
        false,
    ),
    (
        "Africa–China Engineering Skills Partnership Agreement",
        "the Africa–China Engineering Skills Partnership",
        AgreementKind::CooperationAgreement,
        &["KE", "NG", "ZA"],
        false,
    ),
    (
        "Ibero-American Network Agreement on Industrial Engineering Exchange",
        "the Ibero-American Industrial Engineering Network",
        AgreementKind::StudentExchange,
        &["ES", "PT", "MX"],
        true,
    ),
];

/// The partners' agreements with SPU. Returns the agreements in force on the
/// date that programs may hang from, and each partner's main agreement.
fn partner_agreements(
    b: &mut Builder,
    story: &Story,
    partners: &[i64],
) -> (Vec<ActiveAgreement>, BTreeMap<i64, i64>) {
    let spu = story.spu;
    let vp = story.vice_president;
    let story_orgs = [story.techprotect, story.rousse, story.tu_dublin];
    let mut active = Vec::new();
    let mut primary: BTreeMap<i64, i64> = BTreeMap::new();
    primary.insert(story.techprotect, story.techprotect_teaching);
    primary.insert(story.rousse, story.rousse_mou);
    primary.insert(story.tu_dublin, story.tu_dublin_training);

    // Consortia first: their members need no bilateral agreement.
    let mut in_consortium: BTreeSet<i64> = BTreeSet::new();
    for &(title, label, kind, countries, partner_led) in CONSORTIA {
        let mut members = Vec::new();
        for country in countries {
            let found = partners.iter().copied().find(|id| {
                !story_orgs.contains(id)
                    && !in_consortium.contains(id)
                    && !members.contains(id)
                    && b.orgs.get(id).is_some_and(|o| {
                        o.country == *country && o.kind == OrganizationKind::University
                    })
            });
            if let Some(id) = found {
                members.push(id);
            }
        }
        if members.len() < 2 {
            continue;
        }
        let signed = random_date(&mut b.rng, ymd(2017, 1, 9), ymd(2023, 12, 15));
        let (starts, ends) = active_term(&mut b.rng, signed);
        let mut fields = Vec::new();
        while fields.len() < 2 {
            let f = pick(&mut b.rng, &PLAN.spu_fields);
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let mut parties = Vec::new();
        let first = members.first().copied();
        parties.push((
            spu,
            if partner_led {
                PartyRole::Partner
            } else {
                PartyRole::Lead
            },
            Some(vp),
        ));
        for &m in &members {
            let role = if partner_led && Some(m) == first {
                PartyRole::Lead
            } else {
                PartyRole::Partner
            };
            parties.push((m, role, b.signatory(m)));
        }
        let summary = kind_summary(kind, fields.first().copied().unwrap_or("0714"), &mut b.rng);
        let id = b.agreement(NewAgreement {
            title: title.to_owned(),
            kind,
            status: AgreementStatus::Active,
            signed_on: Some(signed),
            starts_on: Some(starts),
            ends_on: ends,
            summary: Some(summary),
            event_id: None,
            parties,
            fields: fields.clone(),
        });
        for &m in &members {
            in_consortium.insert(m);
            primary.insert(m, id);
        }
        active.push(ActiveAgreement {
            id,
            kind,
            label: label.to_owned(),
            partners: members,
            starts_on: starts,
            ends_on: ends,
            fields,
        });
    }

    let mut week_2023 = 0;
    let mut week_2019 = 0;
    for &org in partners {
        if story_orgs.contains(&org) {
            continue;
        }
        let Some(info) = b.orgs.get(&org).cloned() else {
            continue;
        };
        let signatory = info.signatory;

        // An earlier agreement that has run out (about one partner in five).
        if b.rng.u8(..100) < 22 {
            let signed = ymd(b.rng.i32(2008..=2016), b.rng.u32(1..=12), b.rng.u32(1..=28));
            let ends = add_days(add_years(signed, b.rng.i32(3..=5)), -1);
            let kind = primary_kind(&mut b.rng, info.kind);
            let fields = fields_for(b, org);
            let field = fields.first().copied().unwrap_or("0714");
            let summary = kind_summary(kind, field, &mut b.rng);
            b.agreement(NewAgreement {
                title: kind_title(kind, &info.name, field),
                kind,
                status: AgreementStatus::Expired,
                signed_on: Some(signed),
                starts_on: Some(signed),
                ends_on: Some(ends),
                summary: Some(summary),
                event_id: None,
                parties: vec![
                    (spu, PartyRole::Lead, Some(vp)),
                    (org, PartyRole::Partner, signatory),
                ],
                fields,
            });
        }

        let needs_primary = !in_consortium.contains(&org) || b.rng.u8(..100) < 30;
        if needs_primary {
            let kind = primary_kind(&mut b.rng, info.kind);
            let mut signed = active_signing_date(&mut b.rng);
            let mut event_id = None;
            if signed.year() == 2023 && week_2023 < 6 && b.rng.bool() {
                signed = ymd(2023, 4, b.rng.u32(10..=14));
                event_id = Some(story.week_2023);
                week_2023 += 1;
            } else if signed.year() == 2019 && week_2019 < 4 && b.rng.bool() {
                signed = ymd(2019, 5, b.rng.u32(13..=17));
                event_id = Some(story.week_2019);
                week_2019 += 1;
            }
            let (starts, ends) = active_term(&mut b.rng, signed);
            let fields = fields_for(b, org);
            let field = fields.first().copied().unwrap_or("0714");
            let summary = kind_summary(kind, field, &mut b.rng);
            // Institutes sometimes lead the research they invite SPU into.
            let institute_led = info.kind == OrganizationKind::Institute && b.rng.u8(..100) < 40;
            let (spu_role, org_role) = if institute_led {
                (PartyRole::Partner, PartyRole::Lead)
            } else {
                (PartyRole::Lead, PartyRole::Partner)
            };
            let id = b.agreement(NewAgreement {
                title: kind_title(kind, &info.name, field),
                kind,
                status: AgreementStatus::Active,
                signed_on: Some(signed),
                starts_on: Some(starts),
                ends_on: ends,
                summary: Some(summary),
                event_id,
                parties: vec![(spu, spu_role, Some(vp)), (org, org_role, signatory)],
                fields: fields.clone(),
            });
            primary.entry(org).or_insert(id);
            active.push(ActiveAgreement {
                id,
                kind,
                label: info.name.clone(),
                partners: vec![org],
                starts_on: starts,
                ends_on: ends,
                fields,
            });

            // A second agreement in force with some universities: an exchange
            // added to a framework, or a joint programme.
            if info.kind == OrganizationKind::University && b.rng.u8(..100) < 14 {
                let kind = if kind == AgreementKind::StudentExchange {
                    AgreementKind::JointProgram
                } else {
                    AgreementKind::StudentExchange
                };
                let second = random_date(&mut b.rng, add_days(signed, 200), ymd(2024, 3, 1));
                if second > signed && second <= ymd(2024, 3, 1) {
                    let (starts, ends) = active_term(&mut b.rng, second);
                    let fields = fields_for(b, org);
                    let field = fields.first().copied().unwrap_or("0613");
                    let summary = kind_summary(kind, field, &mut b.rng);
                    let id = b.agreement(NewAgreement {
                        title: kind_title(kind, &info.name, field),
                        kind,
                        status: AgreementStatus::Active,
                        signed_on: Some(second),
                        starts_on: Some(starts),
                        ends_on: ends,
                        summary: Some(summary),
                        event_id: None,
                        parties: vec![
                            (spu, PartyRole::Lead, Some(vp)),
                            (org, PartyRole::Partner, signatory),
                        ],
                        fields: fields.clone(),
                    });
                    active.push(ActiveAgreement {
                        id,
                        kind,
                        label: info.name.clone(),
                        partners: vec![org],
                        starts_on: starts,
                        ends_on: ends,
                        fields,
                    });
                }
            }
        }

        // Now and then a further agreement is being prepared, or was ended early.
        match b.rng.u8(..100) {
            0..4 => {
                let status = if b.rng.bool() {
                    AgreementStatus::Draft
                } else {
                    AgreementStatus::UnderNegotiation
                };
                let kind = if info.kind == OrganizationKind::University {
                    AgreementKind::JointProgram
                } else {
                    AgreementKind::ResearchCollaboration
                };
                let fields = fields_for(b, org);
                let field = fields.first().copied().unwrap_or("0714");
                let summary = kind_summary(kind, field, &mut b.rng);
                b.agreement(NewAgreement {
                    title: format!("Draft: {}", kind_title(kind, &info.name, field)),
                    kind,
                    status,
                    signed_on: None,
                    starts_on: None,
                    ends_on: None,
                    summary: Some(summary),
                    event_id: None,
                    parties: vec![
                        (spu, PartyRole::Lead, None),
                        (org, PartyRole::Partner, None),
                    ],
                    fields,
                });
            }
            4..6 => {
                let signed = ymd(b.rng.i32(2015..=2019), b.rng.u32(1..=12), b.rng.u32(1..=28));
                let kind = AgreementKind::CooperationAgreement;
                let fields = fields_for(b, org);
                let field = fields.first().copied().unwrap_or("0714");
                b.agreement(NewAgreement {
                    title: kind_title(kind, &info.name, field),
                    kind,
                    status: AgreementStatus::Terminated,
                    signed_on: Some(signed),
                    starts_on: Some(signed),
                    ends_on: Some(add_days(add_years(signed, 2), 45)),
                    summary: Some(format!(
                        "Cooperation in {}; terminated early by mutual consent.",
                        field_phrase(field)
                    )),
                    event_id: None,
                    parties: vec![
                        (spu, PartyRole::Lead, Some(vp)),
                        (org, PartyRole::Partner, signatory),
                    ],
                    fields,
                });
            }
            _ => {}
        }
    }

    // The University of Rousse had an exchange agreement before the MoU.
    let rousse_signatory = b.signatory(story.rousse);
    b.agreement(NewAgreement {
        title: format!(
            "Student Exchange Agreement between {SPU_NAME} and the University of Rousse \
             \"Angel Kanchev\""
        ),
        kind: AgreementKind::StudentExchange,
        status: AgreementStatus::Expired,
        signed_on: Some(ymd(2016, 11, 21)),
        starts_on: Some(ymd(2017, 2, 20)),
        ends_on: Some(ymd(2022, 2, 19)),
        summary: Some(
            "Exchange of up to four students a year in electronics, automation and management."
                .to_owned(),
        ),
        event_id: None,
        parties: vec![
            (spu, PartyRole::Lead, Some(vp)),
            (story.rousse, PartyRole::Partner, rousse_signatory),
        ],
        fields: vec!["0714", "0413"],
    });
    (active, primary)
}

/// Agreements of organizations that are not partners on the date.
fn non_partner_agreements(b: &mut Builder, story: &Story, orgs: &[(i64, NotPartner)]) {
    let spu = story.spu;
    let vp = story.vice_president;
    for &(org, why) in orgs {
        let Some(info) = b.orgs.get(&org).cloned() else {
            continue;
        };
        let signatory = info.signatory;
        let kind = primary_kind(&mut b.rng, info.kind);
        let fields = fields_for(b, org);
        let field = fields.first().copied().unwrap_or("0714");
        let summary = Some(kind_summary(kind, field, &mut b.rng));
        let title = kind_title(kind, &info.name, field);
        let signed_parties = vec![
            (spu, PartyRole::Lead, Some(vp)),
            (org, PartyRole::Partner, signatory),
        ];
        let unsigned_parties = vec![
            (spu, PartyRole::Lead, None),
            (org, PartyRole::Partner, None),
        ];
        let new = match why {
            NotPartner::Expired => {
                let signed = ymd(b.rng.i32(2009..=2016), b.rng.u32(1..=12), b.rng.u32(1..=28));
                Some(NewAgreement {
                    title,
                    kind,
                    status: AgreementStatus::Expired,
                    signed_on: Some(signed),
                    starts_on: Some(signed),
                    ends_on: Some(add_days(add_years(signed, 5), -1)),
                    summary,
                    event_id: None,
                    parties: signed_parties,
                    fields,
                })
            }
            NotPartner::Terminated => {
                let signed = ymd(b.rng.i32(2014..=2019), b.rng.u32(1..=12), b.rng.u32(1..=28));
                Some(NewAgreement {
                    title,
                    kind,
                    status: AgreementStatus::Terminated,
                    signed_on: Some(signed),
                    starts_on: Some(signed),
                    ends_on: Some(add_days(add_years(signed, 1), 120)),
                    summary: Some(format!(
                        "Cooperation in {}; terminated early by mutual consent.",
                        field_phrase(field)
                    )),
                    event_id: None,
                    parties: signed_parties,
                    fields,
                })
            }
            NotPartner::UnderNegotiation | NotPartner::Draft => Some(NewAgreement {
                title,
                kind,
                status: if why == NotPartner::Draft {
                    AgreementStatus::Draft
                } else {
                    AgreementStatus::UnderNegotiation
                },
                signed_on: None,
                starts_on: None,
                ends_on: None,
                summary,
                event_id: None,
                parties: unsigned_parties,
                fields,
            }),
            NotPartner::StartsLater => Some(NewAgreement {
                title,
                kind,
                status: AgreementStatus::Active,
                signed_on: Some(ymd(2024, 3, 20)),
                starts_on: Some(ymd(2024, 9, 1)),
                ends_on: Some(ymd(2029, 8, 31)),
                summary,
                event_id: None,
                parties: signed_parties,
                fields,
            }),
            NotPartner::SignedLater => Some(NewAgreement {
                title,
                kind,
                status: AgreementStatus::Active,
                signed_on: Some(ymd(2024, 5, 16)),
                starts_on: Some(ymd(2024, 9, 1)),
                ends_on: Some(ymd(2029, 8, 31)),
                summary,
                event_id: None,
                parties: signed_parties,
                fields,
            }),
            NotPartner::NoHomeParty => Some(NewAgreement {
                title: format!(
                    "Industrial Internship Agreement between the University of Rousse \
                     \"Angel Kanchev\" and {}",
                    info.name
                ),
                kind: AgreementKind::CooperationAgreement,
                status: AgreementStatus::Active,
                signed_on: Some(ymd(2021, 10, 12)),
                starts_on: Some(ymd(2021, 10, 12)),
                ends_on: None,
                summary: Some(
                    "Internships for engineering students of the University of Rousse.".to_owned(),
                ),
                event_id: None,
                parties: vec![
                    (story.rousse, PartyRole::Lead, b.signatory(story.rousse)),
                    (org, PartyRole::Partner, signatory),
                ],
                fields: vec!["0714", "0715"],
            }),
            NotPartner::NoAgreement => None,
        };
        if let Some(new) = new {
            b.agreement(new);
        }
    }
}

// ---------------------------------------------------------------------------
// Programs

/// `(name, language, field, first intake, capacity, discontinued on)`.
type MajorSpec = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    i32,
    Option<NaiveDate>,
);

fn spu_majors(b: &mut Builder, story: &Story) -> Vec<Major> {
    // (name, language, field, first intake, capacity, discontinued)
    let majors: &[MajorSpec] = &[
        (
            "Computer Science and Technology (English-taught)",
            "en",
            "0613",
            2015,
            40,
            None,
        ),
        (
            "International Economics and Trade (English-taught)",
            "en",
            "0311",
            2014,
            45,
            None,
        ),
        (
            "Mechanical Design, Manufacturing and Automation (English-taught)",
            "en",
            "0715",
            2016,
            40,
            None,
        ),
        (
            "Electronic Information Engineering (English-taught)",
            "en",
            "0714",
            2017,
            35,
            None,
        ),
        (
            "Environmental Engineering (English-taught)",
            "en",
            "0712",
            2018,
            30,
            None,
        ),
        (
            "Business Administration (English-taught)",
            "en",
            "0413",
            2019,
            40,
            None,
        ),
        (
            "Resource Recycling Science and Engineering",
            "zh",
            "0712",
            2012,
            90,
            None,
        ),
        (
            "Materials Science and Engineering",
            "zh",
            "0722",
            2001,
            120,
            None,
        ),
        ("Automation", "zh", "0714", 1998, 120, None),
        ("Software Engineering", "zh", "0613", 2004, 150, None),
        ("Network Engineering", "zh", "0612", 2008, 90, None),
        (
            "Intelligent Manufacturing Engineering",
            "zh",
            "0715",
            2019,
            80,
            None,
        ),
        (
            "New Energy Science and Engineering",
            "zh",
            "0713",
            2013,
            80,
            None,
        ),
        ("Industrial Design", "zh", "0212", 2005, 60, None),
        ("Logistics Management", "zh", "1041", 2006, 80, None),
        ("Accounting", "zh", "0411", 2002, 120, None),
        ("Financial Engineering", "zh", "0412", 2014, 60, None),
        ("Safety Engineering", "zh", "1022", 2010, 60, None),
        (
            "Chinese Language and Culture (for international students)",
            "zh",
            "0231",
            2016,
            40,
            None,
        ),
        (
            "Printing Engineering",
            "zh",
            "0722",
            1985,
            60,
            Some(ymd(2019, 7, 1)),
        ),
    ];
    let mut out = Vec::new();
    for &(name, language, field, year, capacity, ended) in majors {
        let id = b.program(
            None,
            story.spu,
            name,
            ProgramKind::DegreeMajor,
            language,
            Some(field),
            ymd(year, 9, 1),
            ended,
            Some(capacity),
        );
        if ended.is_none() {
            out.push(Major { id, language });
        }
    }
    out
}

/// The first 1 September on or after `date`, or `date` itself when that is
/// after the figures' date.
fn intake_after(date: NaiveDate) -> NaiveDate {
    let year = if date.month() < 9 || (date.month() == 9 && date.day() == 1) {
        date.year()
    } else {
        date.year() + 1
    };
    let september = ymd(year, 9, 1);
    if september <= AS_OF { september } else { date }
}

/// One candidate program: `(priority, agreement index, kind, hosted by SPU)`.
type Candidate = (u8, usize, ProgramKind, bool);

/// Programs under the agreements in force, 148 with the story's three.
/// Returns where international students can be placed, by country.
fn collaborative_programs(
    b: &mut Builder,
    story: &Story,
    active: &[ActiveAgreement],
) -> BTreeMap<&'static str, Vec<Placement>> {
    let mut candidates: Vec<Vec<Candidate>> = vec![Vec::new(), Vec::new(), Vec::new()];
    for (i, a) in active.iter().enumerate() {
        let (first, second, third): (Option<(ProgramKind, bool)>, _, _) = match a.kind {
            AgreementKind::StudentExchange => (
                Some((ProgramKind::Exchange, true)),
                Some((ProgramKind::Exchange, false)),
                None,
            ),
            AgreementKind::JointProgram => (
                Some((
                    if b.rng.bool() {
                        ProgramKind::JointDegree
                    } else {
                        ProgramKind::DualDegree
                    },
                    true,
                )),
                Some((ProgramKind::SummerSchool, true)),
                None,
            ),
            AgreementKind::CooperationAgreement => (
                Some((ProgramKind::JointTraining, true)),
                None,
                Some((ProgramKind::SummerSchool, true)),
            ),
            AgreementKind::ResearchCollaboration => {
                (Some((ProgramKind::Research, b.rng.bool())), None, None)
            }
            AgreementKind::TeachingPartnership => {
                (Some((ProgramKind::JointTraining, true)), None, None)
            }
            AgreementKind::MemorandumOfUnderstanding => (
                None,
                None,
                Some((
                    if b.rng.bool() {
                        ProgramKind::SummerSchool
                    } else {
                        ProgramKind::Exchange
                    },
                    true,
                )),
            ),
        };
        for (priority, slot) in [(0u8, first), (1, second), (2, third)] {
            if let (Some((kind, spu_hosts)), Some(list)) =
                (slot, candidates.get_mut(usize::from(priority)))
            {
                list.push((priority, i, kind, spu_hosts));
            }
        }
    }
    let wanted = PLAN.collaborative_programs.saturating_sub(3);
    let mut chosen: Vec<Candidate> = Vec::new();
    for mut list in candidates {
        b.rng.shuffle(&mut list);
        let room = wanted.saturating_sub(chosen.len());
        chosen.extend(list.into_iter().take(room));
    }
    chosen.sort_by_key(|&(priority, i, _, _)| (i, priority));

    let mut placements: BTreeMap<&'static str, Vec<Placement>> = BTreeMap::new();
    for (priority, i, kind, spu_hosts) in chosen {
        let Some(a) = active.get(i) else {
            continue;
        };
        let partner = a.partners.first().copied().unwrap_or(story.spu);
        let host = if spu_hosts { story.spu } else { partner };
        let field = if priority == 0 {
            a.fields.first()
        } else {
            a.fields.last()
        }
        .copied()
        .unwrap_or("0714");
        let partner_country = b.orgs.get(&partner).map(|o| o.country).unwrap_or("GB");
        let partner_language = spec(partner_country).map(|s| s.language).unwrap_or("en");
        let language = if spu_hosts {
            if b.rng.u8(..100) < 75 { "en" } else { "zh" }
        } else if b.rng.bool() {
            partner_language
        } else {
            "en"
        };
        let fname = subject(field);
        let label = &a.label;
        let (name, capacity) = match kind {
            ProgramKind::Exchange if spu_hosts => (
                format!("Inbound Student Exchange in {fname} with {label}"),
                b.rng.i32(4..=20),
            ),
            ProgramKind::Exchange => (
                format!("Outbound Semester Exchange in {fname} at {label}"),
                b.rng.i32(3..=12),
            ),
            ProgramKind::JointDegree => (
                format!("Joint Bachelor's Programme in {fname} with {label}"),
                b.rng.i32(30..=80),
            ),
            ProgramKind::DualDegree => (
                format!("Dual Degree Programme (2+2) in {fname} with {label}"),
                b.rng.i32(20..=60),
            ),
            ProgramKind::JointTraining => (
                format!("Joint Training Programme in {fname} with {label}"),
                b.rng.i32(15..=40),
            ),
            ProgramKind::SummerSchool => (
                format!("International Summer School on {fname} with {label}"),
                b.rng.i32(20..=50),
            ),
            ProgramKind::Research | ProgramKind::DegreeMajor => (
                format!("Joint Research Programme on {fname} with {label}"),
                b.rng.i32(4..=15),
            ),
        };
        let first_intake = intake_after(a.starts_on);
        let starts = if priority == 0 {
            first_intake
        } else {
            let later = add_years(first_intake, 1);
            if later <= AS_OF { later } else { first_intake }
        };
        let id = b.program(
            Some(a.id),
            host,
            &name,
            kind,
            language,
            Some(field),
            starts,
            a.ends_on,
            Some(capacity),
        );
        let hosts_students = spu_hosts
            && matches!(
                kind,
                ProgramKind::Exchange
                    | ProgramKind::JointDegree
                    | ProgramKind::DualDegree
                    | ProgramKind::JointTraining
            );
        if hosts_students {
            for &p in &a.partners {
                if let Some(org) = b.orgs.get(&p)
                    && org.kind == OrganizationKind::University
                {
                    placements.entry(org.country).or_default().push(Placement {
                        program: id,
                        agreement: a.id,
                        home: p,
                        kind,
                    });
                }
            }
        }
    }
    placements
}

// ---------------------------------------------------------------------------
// Joint units

fn joint_units(b: &mut Builder, story: &Story, partners: &[i64], primary: &BTreeMap<i64, i64>) {
    use JointUnitKind::*;
    use OrganizationKind::*;
    let spu = story.spu;
    b.joint_unit(
        "SPU–TechProtect Practice Base for IT Asset Disposition",
        PracticeBase,
        spu,
        Some(story.techprotect_teaching),
        Some("0712"),
        ymd(2015, 3, 10),
        None,
        &[story.techprotect],
    );
    b.joint_unit(
        "Sino-German Joint Laboratory for E-waste Recycling Technology",
        Laboratory,
        spu,
        Some(story.techprotect_teaching),
        Some("0712"),
        ymd(2016, 10, 18),
        None,
        &[story.techprotect],
    );

    // (name, kind, partner country, partner kind, established, field)
    let units: &[(&str, JointUnitKind, &str, OrganizationKind, NaiveDate, &str)] = &[
        (
            "Sino-British Digital Media Laboratory",
            Laboratory,
            "GB",
            University,
            ymd(2009, 11, 5),
            "0211",
        ),
        (
            "Sino-Austrian Automation Practice Base",
            PracticeBase,
            "AT",
            Company,
            ymd(2010, 6, 22),
            "0714",
        ),
        (
            "China–Australia Center for Sustainable Urban Water",
            Center,
            "AU",
            University,
            ymd(2011, 9, 15),
            "0712",
        ),
        (
            "Sino-French Center for Engineering Education",
            Center,
            "FR",
            University,
            ymd(2012, 4, 9),
            "0715",
        ),
        (
            "Sino-German Intelligent Manufacturing Laboratory",
            Laboratory,
            "DE",
            University,
            ymd(2013, 10, 28),
            "0715",
        ),
        (
            "Sino-Japanese Precision Manufacturing Practice Base",
            PracticeBase,
            "JP",
            Company,
            ymd(2014, 5, 19),
            "0715",
        ),
        (
            "Sino-Italian Industrial Design Center",
            Center,
            "IT",
            University,
            ymd(2016, 3, 30),
            "0212",
        ),
        (
            "China–Russia Joint Laboratory of Advanced Materials",
            Laboratory,
            "RU",
            University,
            ymd(2017, 9, 12),
            "0722",
        ),
        (
            "Sino-Finnish Clean Energy Laboratory",
            Laboratory,
            "FI",
            University,
            ymd(2018, 6, 4),
            "0713",
        ),
        (
            "China–Kazakhstan Engineering Training Center",
            Center,
            "KZ",
            University,
            ymd(2019, 4, 16),
            "0715",
        ),
        (
            "Sino-Dutch Circular Economy Laboratory",
            Laboratory,
            "NL",
            University,
            ymd(2019, 11, 20),
            "0521",
        ),
        (
            "Sino-Korean Smart Logistics Laboratory",
            Laboratory,
            "KR",
            University,
            ymd(2020, 6, 8),
            "1041",
        ),
        (
            "China–Uzbekistan Joint Laboratory of Renewable Energy",
            Laboratory,
            "UZ",
            University,
            ymd(2021, 5, 25),
            "0713",
        ),
        (
            "Sino-Czech Robotics Laboratory",
            Laboratory,
            "CZ",
            University,
            ymd(2021, 10, 14),
            "0714",
        ),
        (
            "China–Thailand Vocational Education Center",
            Center,
            "TH",
            University,
            ymd(2022, 3, 17),
            "0714",
        ),
        (
            "Sino-Hungarian New Energy Vehicle Practice Base",
            PracticeBase,
            "HU",
            Company,
            ymd(2022, 9, 6),
            "0716",
        ),
        (
            "China–Kenya Engineering Skills Center",
            Center,
            "KE",
            University,
            ymd(2023, 5, 11),
            "0732",
        ),
        (
            "Sino-Singapore Smart Manufacturing Laboratory",
            Laboratory,
            "SG",
            University,
            ymd(2023, 11, 23),
            "0714",
        ),
    ];
    let mut used: BTreeSet<i64> = BTreeSet::from([story.techprotect]);
    let mut find = |b: &Builder, country: &str, kind: OrganizationKind| {
        let in_country = |id: &i64| b.orgs.get(id).is_some_and(|o| o.country == country);
        let found = partners
            .iter()
            .copied()
            .find(|id| {
                in_country(id)
                    && !used.contains(id)
                    && b.orgs.get(id).is_some_and(|o| o.kind == kind)
            })
            .or_else(|| {
                partners
                    .iter()
                    .copied()
                    .find(|id| in_country(id) && !used.contains(id))
            })
            .or_else(|| partners.iter().copied().find(in_country));
        if let Some(id) = found {
            used.insert(id);
        }
        found
    };
    for &(name, kind, country, partner_kind, established, field) in units {
        let Some(partner) = find(b, country, partner_kind) else {
            continue;
        };
        let mut members = vec![partner];
        // Laboratories in the larger partner countries often have a company too.
        if kind == Laboratory
            && matches!(country, "DE" | "RU" | "NL")
            && let Some(company) = find(b, country, Company)
        {
            members.push(company);
        }
        let agreement = primary.get(&partner).copied();
        b.joint_unit(
            name,
            kind,
            spu,
            agreement,
            Some(field),
            established,
            None,
            &members,
        );
    }

    // A laboratory that closed before 2020, under an agreement that expired.
    if let Some(partner) = find(b, "CA", University) {
        let partner_name = b
            .orgs
            .get(&partner)
            .map(|o| o.name.clone())
            .unwrap_or_default();
        let signatory = b.signatory(partner);
        let agreement = b.agreement(NewAgreement {
            title: kind_title(AgreementKind::ResearchCollaboration, &partner_name, "0713"),
            kind: AgreementKind::ResearchCollaboration,
            status: AgreementStatus::Expired,
            signed_on: Some(ymd(2010, 11, 2)),
            starts_on: Some(ymd(2011, 1, 1)),
            ends_on: Some(ymd(2018, 7, 31)),
            summary: Some(
                "Joint laboratory for energy efficiency in buildings and industry.".to_owned(),
            ),
            event_id: None,
            parties: vec![
                (spu, PartyRole::Lead, Some(story.vice_president)),
                (partner, PartyRole::Partner, signatory),
            ],
            fields: vec!["0713", "0732"],
        });
        b.joint_unit(
            "Sino-Canadian Laboratory for Energy Efficiency",
            Laboratory,
            spu,
            Some(agreement),
            Some("0713"),
            ymd(2011, 4, 12),
            Some(ymd(2018, 7, 31)),
            &[partner],
        );
    }

    // Opened after the figures' date, under the MoU of the week.
    b.joint_unit(
        "China–Bulgaria Innovation and Entrepreneurship Center",
        Center,
        spu,
        Some(story.rousse_mou),
        Some("0413"),
        ymd(2024, 6, 18),
        None,
        &[story.rousse],
    );
}

// ---------------------------------------------------------------------------
// Students

/// A date of birth for someone `age` years old on `on` (give or take a year).
fn birth_date(
    rng: &mut fastrand::Rng,
    on: NaiveDate,
    ages: std::ops::RangeInclusive<i32>,
) -> NaiveDate {
    let age = rng.i32(ages);
    ymd(on.year() - age, rng.u32(1..=12), rng.u32(1..=28))
}

fn student_name(b: &mut Builder, country: &str) -> super::dataset::PersonName {
    let female = b.rng.bool();
    match spec(country) {
        Some(spec) => b.person_name(spec, female),
        None => super::dataset::PersonName {
            full: "Sam Taylor".to_owned(),
            given: "Sam".to_owned(),
            family: "Taylor".to_owned(),
        },
    }
}

fn pick_placement(rng: &mut fastrand::Rng, options: &[Placement]) -> Option<Placement> {
    options.get(rng.usize(..options.len().max(1))).copied()
}

fn pick_major(rng: &mut fastrand::Rng, majors: &[Major], english: bool) -> Option<i64> {
    let wanted: Vec<i64> = majors
        .iter()
        .filter(|m| (m.language == "en") == english)
        .map(|m| m.id)
        .collect();
    let id = pick(rng, &wanted);
    (id != 0).then_some(id)
}

fn students(
    b: &mut Builder,
    story: &Story,
    majors: &[Major],
    placements: &BTreeMap<&'static str, Vec<Placement>>,
) {
    let spu = story.spu;
    let exchange_like =
        |p: &&Placement| matches!(p.kind, ProgramKind::Exchange | ProgramKind::JointTraining);
    let degree_like =
        |p: &&Placement| matches!(p.kind, ProgramKind::JointDegree | ProgramKind::DualDegree);

    // International students enrolled on the date.
    for &(country, count) in &PLAN.students {
        let options: &[Placement] = placements.get(country).map(Vec::as_slice).unwrap_or(&[]);
        let exchanges: Vec<Placement> = options.iter().filter(exchange_like).copied().collect();
        let degrees: Vec<Placement> = options.iter().filter(degree_like).copied().collect();
        for _ in 0..count {
            let who = student_name(b, country);
            let roll = b.rng.u8(..100);
            let exchange = pick_placement(&mut b.rng, &exchanges);
            let degree = pick_placement(&mut b.rng, &degrees);
            if let Some(p) = exchange
                && roll < 45
            {
                let (enrolled, leaves) = if b.rng.u8(..100) < 60 {
                    (ymd(2023, 9, 4), ymd(2024, 7, 5))
                } else {
                    (ymd(2024, 2, 26), ymd(2024, 7, 5))
                };
                let dob = birth_date(&mut b.rng, enrolled, 19..=24);
                b.student(
                    &who,
                    country,
                    dob,
                    Some(p.home),
                    spu,
                    Some(p.program),
                    Some(p.agreement),
                    DegreeLevel::Exchange,
                    StudentStatus::Enrolled,
                    enrolled,
                    Some(leaves),
                );
            } else if let Some(p) = degree
                && roll < 60
            {
                let year = b.rng.i32(2021..=2023);
                let enrolled = ymd(year, 9, 1);
                let dob = birth_date(&mut b.rng, enrolled, 18..=21);
                b.student(
                    &who,
                    country,
                    dob,
                    Some(p.home),
                    spu,
                    Some(p.program),
                    Some(p.agreement),
                    DegreeLevel::Bachelor,
                    StudentStatus::Enrolled,
                    enrolled,
                    Some(ymd(year + 4, 7, 1)),
                );
            } else {
                let level = match b.rng.u8(..100) {
                    0..50 => DegreeLevel::Bachelor,
                    50..80 => DegreeLevel::Master,
                    80..90 => DegreeLevel::Doctorate,
                    _ => DegreeLevel::NonDegree,
                };
                let (enrolled, leaves, age) = match level {
                    DegreeLevel::Bachelor => {
                        let y = b.rng.i32(2020..=2023);
                        (ymd(y, 9, 1), ymd(y + 4, 7, 1), b.rng.i32(18..=21))
                    }
                    DegreeLevel::Master => {
                        let y = b.rng.i32(2021..=2023);
                        (ymd(y, 9, 1), ymd(y + 3, 7, 1), b.rng.i32(22..=26))
                    }
                    DegreeLevel::Doctorate => {
                        let y = b.rng.i32(2020..=2023);
                        (ymd(y, 9, 1), ymd(y + 4, 7, 1), b.rng.i32(25..=31))
                    }
                    _ => (ymd(2023, 9, 4), ymd(2024, 7, 5), b.rng.i32(19..=30)),
                };
                let program = if level == DegreeLevel::NonDegree {
                    None
                } else {
                    let english = b.rng.u8(..100) < 70;
                    pick_major(&mut b.rng, majors, english)
                };
                let dob = birth_date(&mut b.rng, enrolled, age..=age);
                b.student(
                    &who,
                    country,
                    dob,
                    None,
                    spu,
                    program,
                    None,
                    level,
                    StudentStatus::Enrolled,
                    enrolled,
                    Some(leaves),
                );
            }
        }
    }

    // Chinese students in the joint and dual degree programmes: same country as the host.
    let all_degrees: Vec<Placement> = placements
        .values()
        .flatten()
        .filter(degree_like)
        .copied()
        .collect();
    for _ in 0..40 {
        let who = student_name(b, "CN");
        let year = b.rng.i32(2020..=2023);
        let enrolled = ymd(year, 9, 1);
        let placement = all_degrees
            .get(b.rng.usize(..all_degrees.len().max(1)))
            .copied();
        let dob = birth_date(&mut b.rng, enrolled, 18..=19);
        let major = pick_major(&mut b.rng, majors, false);
        b.student(
            &who,
            "CN",
            dob,
            None,
            spu,
            placement.map(|p| p.program).or(major),
            placement.map(|p| p.agreement),
            DegreeLevel::Bachelor,
            StudentStatus::Enrolled,
            enrolled,
            Some(ymd(year + 4, 7, 1)),
        );
    }

    // Graduates, some from countries no current student comes from.
    let graduate_countries = [
        "RU", "KZ", "DE", "FR", "KR", "VN", "TH", "UZ", "MN", "NP", "PK", "IT", "US", "ID", "NP",
        "PK", "RU", "KZ", "LA", "IN",
    ];
    for i in 0..45 {
        let country = graduate_countries
            .get(i % graduate_countries.len())
            .copied()
            .unwrap_or("RU");
        let who = student_name(b, country);
        let exchange = b.rng.u8(..100) < 40;
        let options: &[Placement] = placements.get(country).map(Vec::as_slice).unwrap_or(&[]);
        let placement = options.iter().find(exchange_like).copied();
        let (level, enrolled, leaves, program, agreement, home) = match placement {
            Some(p) if exchange => {
                let y = b.rng.i32(2015..=2022);
                (
                    DegreeLevel::Exchange,
                    ymd(y, 9, 4),
                    ymd(y + 1, 1, 19),
                    Some(p.program),
                    Some(p.agreement),
                    Some(p.home),
                )
            }
            _ => {
                let y = b.rng.i32(2014..=2019);
                let english = b.rng.u8(..100) < 70;
                (
                    DegreeLevel::Bachelor,
                    ymd(y, 9, 1),
                    ymd(y + 4, 7, 1),
                    pick_major(&mut b.rng, majors, english),
                    None,
                    None,
                )
            }
        };
        let dob = birth_date(&mut b.rng, enrolled, 18..=22);
        b.student(
            &who,
            country,
            dob,
            home,
            spu,
            program,
            agreement,
            level,
            StudentStatus::Graduated,
            enrolled,
            Some(leaves),
        );
    }

    // Students who withdrew.
    for country in ["ES", "NG", "RU", "IN", "KZ", "BR", "EG"] {
        let who = student_name(b, country);
        let y = b.rng.i32(2021..=2023);
        let enrolled = ymd(y, 9, 1);
        let left = random_date(&mut b.rng, add_days(enrolled, 60), ymd(2024, 3, 1));
        let dob = birth_date(&mut b.rng, enrolled, 18..=24);
        let english = b.rng.bool();
        let program = pick_major(&mut b.rng, majors, english);
        b.student(
            &who,
            country,
            dob,
            None,
            spu,
            program,
            None,
            DegreeLevel::Bachelor,
            StudentStatus::Withdrawn,
            enrolled,
            Some(left),
        );
    }

    // Applicants for the autumn 2024 intake.
    let applicant_countries = [
        "RU", "KZ", "DE", "FR", "KR", "TH", "VN", "UZ", "MN", "IN", "CL", "AR", "TR", "BG", "IE",
        "EG", "NG", "MY",
    ];
    for country in applicant_countries {
        let who = student_name(b, country);
        let enrolled = ymd(2024, 9, 2);
        let options: &[Placement] = placements.get(country).map(Vec::as_slice).unwrap_or(&[]);
        let placement = options.iter().find(exchange_like).copied();
        let dob = birth_date(&mut b.rng, enrolled, 18..=23);
        let (level, program, agreement, home) = match placement {
            Some(p) => (
                DegreeLevel::Exchange,
                Some(p.program),
                Some(p.agreement),
                Some(p.home),
            ),
            None => (
                DegreeLevel::Bachelor,
                pick_major(&mut b.rng, majors, true),
                None,
                None,
            ),
        };
        b.student(
            &who,
            country,
            dob,
            home,
            spu,
            program,
            agreement,
            level,
            StudentStatus::Applied,
            enrolled,
            None,
        );
    }

    // Enrolled, but only after the figures' date (a spring research stay).
    for country in ["CL", "CL", "RU", "KZ"] {
        let who = student_name(b, country);
        let enrolled = ymd(2024, 4, 15);
        let dob = birth_date(&mut b.rng, enrolled, 21..=26);
        b.student(
            &who,
            country,
            dob,
            None,
            spu,
            None,
            None,
            DegreeLevel::NonDegree,
            StudentStatus::Enrolled,
            enrolled,
            Some(ymd(2024, 7, 12)),
        );
    }
}

// ---------------------------------------------------------------------------
// Visits

const PURPOSES: &[&str] = &[
    "Guest lectures for undergraduate students",
    "Joint research and laboratory work",
    "Curriculum development for the joint programme",
    "Co-supervision of graduate theses",
    "Industry seminar and student project reviews",
    "Setting up equipment in the joint laboratory",
    "Planning of student exchange and internships",
    "Keynote at an academic salon",
];

fn visits(b: &mut Builder, story: &Story) {
    let spu = story.spu;
    let mut pool: Vec<i64> = b
        .data
        .people
        .iter()
        .filter(|p| p.organization_id != Some(spu) && p.id != story.kienle)
        .map(|p| p.id)
        .collect();
    b.rng.shuffle(&mut pool);
    let mut experts_2023 = vec![story.kienle];
    experts_2023.extend(pool.iter().copied().take(PLAN.visiting_experts_2023 - 1));
    let others: Vec<i64> = pool
        .iter()
        .copied()
        .skip(PLAN.visiting_experts_2023 - 1)
        .collect();

    // 2018, 2019 and 2022: earlier visits of some of the same people and others.
    let mut earlier: Vec<i64> = experts_2023.iter().copied().step_by(4).collect();
    earlier.extend(others.iter().copied().take(26));
    for (i, &person) in earlier.iter().enumerate() {
        let year = match i % 3 {
            0 => 2018,
            1 => 2019,
            _ => 2022,
        };
        let (start, purpose) = if year == 2019 && i % 2 == 0 {
            (
                ymd(2019, 5, b.rng.u32(12..=13)),
                "Participation in the 2019 International Partnership Week",
            )
        } else {
            (
                ymd(year, b.rng.u32(2..=11), b.rng.u32(1..=28)),
                pick(&mut b.rng, PURPOSES),
            )
        };
        let end = add_days(start, b.rng.i64(3..=14));
        b.visit(person, spu, purpose, start, end);
    }

    // Started in December 2022, ended in January 2023: not a 2023 visit.
    if let Some(&person) = others.get(30) {
        b.visit(
            person,
            spu,
            "Visiting professorship in the winter term",
            ymd(2022, 12, 12),
            ymd(2023, 1, 13),
        );
    }

    // 2023: 74 distinct experts, nine of them twice.
    for (i, &person) in experts_2023.iter().enumerate() {
        if person == story.kienle {
            b.visit(
                person,
                spu,
                "Teaching the e-waste recycling and IT asset disposition course",
                ymd(2023, 10, 9),
                ymd(2023, 10, 27),
            );
            b.visit(
                person,
                spu,
                "Participation in the 2023 Global Partnership Week",
                ymd(2023, 4, 9),
                ymd(2023, 4, 15),
            );
            continue;
        }
        if i % 5 == 1 {
            let (arrives, leaves) = (b.rng.u32(9..=10), b.rng.u32(14..=15));
            b.visit(
                person,
                spu,
                "Participation in the 2023 Global Partnership Week",
                ymd(2023, 4, arrives),
                ymd(2023, 4, leaves),
            );
        } else {
            let start = random_date(&mut b.rng, ymd(2023, 1, 9), ymd(2023, 12, 4));
            let long = b.rng.u8(..100) < 10;
            let (end, purpose) = if long {
                (
                    add_days(start, b.rng.i64(30..=90)),
                    "Visiting professorship",
                )
            } else {
                (
                    add_days(start, b.rng.i64(3..=21)),
                    pick(&mut b.rng, PURPOSES),
                )
            };
            b.visit(person, spu, purpose, start, end);
        }
        if i % 8 == 3 {
            let start = random_date(&mut b.rng, ymd(2023, 9, 4), ymd(2023, 12, 11));
            let end = add_days(start, b.rng.i64(3..=10));
            let purpose = pick(&mut b.rng, PURPOSES);
            b.visit(person, spu, purpose, start, end);
        }
    }

    // 2024: the Partnership Week and the signing in March.
    let week_guests: Vec<i64> = [story.kienle]
        .into_iter()
        .chain(
            b.staff
                .get(&story.rousse)
                .into_iter()
                .flatten()
                .copied()
                .take(2),
        )
        .collect();
    for person in week_guests {
        b.visit(
            person,
            spu,
            "Participation in the 2024 Global Partnership Week and the signing of agreements",
            ymd(2024, 3, 31),
            ymd(2024, 4, 5),
        );
    }
    let dublin: Vec<i64> = b.staff.get(&story.tu_dublin).cloned().unwrap_or_default();
    for person in dublin {
        b.visit(
            person,
            spu,
            "Signing of the cooperation agreement on joint student training in computer science",
            ymd(2024, 3, 24),
            ymd(2024, 3, 28),
        );
    }
    let mut later: Vec<i64> = experts_2023.iter().copied().skip(2).step_by(5).collect();
    later.extend(others.iter().copied().skip(26).take(4));
    later.extend(others.iter().copied().skip(31).take(8));
    for (i, &person) in later.iter().enumerate() {
        let (start, end, purpose) = if i % 3 == 0 {
            (
                ymd(2024, 4, 1),
                ymd(2024, 4, b.rng.u32(3..=5)),
                "Participation in the 2024 Global Partnership Week",
            )
        } else {
            let start = random_date(&mut b.rng, ymd(2024, 1, 8), ymd(2024, 6, 14));
            (
                start,
                add_days(start, b.rng.i64(3..=12)),
                pick(&mut b.rng, PURPOSES),
            )
        };
        b.visit(
            person,
            spu,
            purpose,
            start,
            min_date(end, add_days(start, 90)),
        );
    }
}
