//! Visits of experts.

use super::*;

// Visits

pub(super) const PURPOSES: &[&str] = &[
    "Guest lectures for undergraduate students",
    "Joint research and laboratory work",
    "Curriculum development for the joint programme",
    "Co-supervision of graduate theses",
    "Industry seminar and student project reviews",
    "Setting up equipment in the joint laboratory",
    "Planning of student exchange and internships",
    "Keynote at an academic salon",
];

pub(super) fn visits(b: &mut Builder, story: &Story) {
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
