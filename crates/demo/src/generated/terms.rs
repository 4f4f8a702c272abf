//! What an agreement says and when: titles, summaries, fields, dates, kinds.

use super::*;

// Agreements

pub(super) fn kind_title(kind: AgreementKind, partner: &str, field: &str) -> String {
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

pub(super) fn kind_summary(kind: AgreementKind, field: &str, rng: &mut fastrand::Rng) -> String {
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
pub(super) fn fields_for(b: &mut Builder, org: i64) -> Vec<&'static str> {
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
pub(super) fn active_signing_date(rng: &mut fastrand::Rng) -> NaiveDate {
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
pub(super) fn active_term(
    rng: &mut fastrand::Rng,
    signed: NaiveDate,
) -> (NaiveDate, Option<NaiveDate>) {
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

pub(super) fn university_kind(rng: &mut fastrand::Rng) -> AgreementKind {
    match rng.u8(..100) {
        0..30 => AgreementKind::MemorandumOfUnderstanding,
        30..55 => AgreementKind::StudentExchange,
        55..75 => AgreementKind::JointProgram,
        _ => AgreementKind::CooperationAgreement,
    }
}

pub(super) fn primary_kind(rng: &mut fastrand::Rng, kind: OrganizationKind) -> AgreementKind {
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
pub(super) const CONSORTIA: &[(&str, &str, AgreementKind, &[&str], bool)] = &[
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
