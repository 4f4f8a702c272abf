//! SPU's majors and the collaborative programs with partners.

use super::*;

// Programs

/// `(name, language, field, first intake, capacity, discontinued on)`.
pub(super) type MajorSpec = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    i32,
    Option<NaiveDate>,
);

pub(super) fn spu_majors(b: &mut Builder, story: &Story) -> Vec<Major> {
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
pub(super) fn intake_after(date: NaiveDate) -> NaiveDate {
    let year = if date.month() < 9 || (date.month() == 9 && date.day() == 1) {
        date.year()
    } else {
        date.year() + 1
    };
    let september = ymd(year, 9, 1);
    if september <= AS_OF { september } else { date }
}

/// One candidate program: `(priority, agreement index, kind, hosted by SPU)`.
pub(super) type Candidate = (u8, usize, ProgramKind, bool);

/// Programs under the agreements in force, 148 with the story's three.
/// Returns where international students can be placed, by country.
pub(super) fn collaborative_programs(
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
