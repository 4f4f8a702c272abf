//! International (and home) students and where they study.

use super::*;

// Students

/// A date of birth for someone `age` years old on `on` (give or take a year).
pub(super) fn birth_date(
    rng: &mut fastrand::Rng,
    on: NaiveDate,
    ages: std::ops::RangeInclusive<i32>,
) -> NaiveDate {
    let age = rng.i32(ages);
    ymd(on.year() - age, rng.u32(1..=12), rng.u32(1..=28))
}

pub(super) fn student_name(b: &mut Builder, country: &str) -> crate::dataset::PersonName {
    let female = b.rng.bool();
    match spec(country) {
        Some(spec) => b.person_name(spec, female),
        None => crate::dataset::PersonName {
            full: "Sam Taylor".to_owned(),
            given: "Sam".to_owned(),
            family: "Taylor".to_owned(),
        },
    }
}

pub(super) fn pick_placement(rng: &mut fastrand::Rng, options: &[Placement]) -> Option<Placement> {
    options.get(rng.usize(..options.len().max(1))).copied()
}

pub(super) fn pick_major(rng: &mut fastrand::Rng, majors: &[Major], english: bool) -> Option<i64> {
    let wanted: Vec<i64> = majors
        .iter()
        .filter(|m| (m.language == "en") == english)
        .map(|m| m.id)
        .collect();
    let id = pick(rng, &wanted);
    (id != 0).then_some(id)
}

pub(super) fn students(
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
