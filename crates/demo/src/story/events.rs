//! The partnership weeks (2024, 2023, 2019) with their activities, and the
//! TU Dublin signing ceremony.

use entity::event::EventKind;

use super::{Events, SPU_LOCATION};
use crate::dataset::{Builder, ymd};

/// Adds the events SPU organizes in the story.
pub(super) fn add(b: &mut Builder, spu: i64) -> Events {
    // The 2024 Global Partnership Week and its activities.
    let week_2024 = b.event(
        "2024 Global Partnership Week",
        EventKind::PartnershipWeek,
        None,
        spu,
        ymd(2024, 4, 1),
        ymd(2024, 4, 5),
        SPU_LOCATION,
    );
    let activities: &[(&str, EventKind, (u32, u32))] = &[
        (
            "Opening Ceremony and Signing of Cooperation Agreements",
            EventKind::SigningCeremony,
            (4, 1),
        ),
        (
            "Campus Tour for International Guests",
            EventKind::CampusTour,
            (4, 1),
        ),
        (
            "Academic Salon: E-waste Recycling and the Circular Economy",
            EventKind::AcademicSalon,
            (4, 2),
        ),
        (
            "Academic Salon: Innovation and Entrepreneurship Education",
            EventKind::AcademicSalon,
            (4, 2),
        ),
        (
            "Overseas Project Promotional Meeting",
            EventKind::PromotionMeeting,
            (4, 2),
        ),
        (
            "Academic Salon: Artificial Intelligence in Engineering Education",
            EventKind::AcademicSalon,
            (4, 3),
        ),
        (
            "Matchmaking of Cooperative Projects",
            EventKind::Matchmaking,
            (4, 3),
        ),
        (
            "Academic Salon: Intelligent Manufacturing and Industry 4.0",
            EventKind::AcademicSalon,
            (4, 4),
        ),
        (
            "Campus Tour: Laboratories and Practice Bases",
            EventKind::CampusTour,
            (4, 4),
        ),
        (
            "Closing Forum on Overseas Collaborative Programs",
            EventKind::PromotionMeeting,
            (4, 5),
        ),
    ];
    for (title, kind, (m, d)) in activities {
        let day = ymd(2024, *m, *d);
        b.event(title, *kind, Some(week_2024), spu, day, day, SPU_LOCATION);
    }
    let dublin_ceremony = b.event(
        "Signing Ceremony with Technological University Dublin",
        EventKind::SigningCeremony,
        None,
        spu,
        ymd(2024, 3, 26),
        ymd(2024, 3, 26),
        SPU_LOCATION,
    );

    // Earlier partnership weeks.
    let week_2023 = b.event(
        "2023 Global Partnership Week",
        EventKind::PartnershipWeek,
        None,
        spu,
        ymd(2023, 4, 10),
        ymd(2023, 4, 14),
        SPU_LOCATION,
    );
    let activities_2023: &[(&str, EventKind, u32)] = &[
        (
            "Signing Ceremony of the 2023 Global Partnership Week",
            EventKind::SigningCeremony,
            10,
        ),
        (
            "Academic Salon: Green and Low-carbon Technologies",
            EventKind::AcademicSalon,
            11,
        ),
        (
            "Academic Salon: Digital Transformation of Higher Education",
            EventKind::AcademicSalon,
            12,
        ),
        (
            "Overseas Project Promotional Meeting 2023",
            EventKind::PromotionMeeting,
            11,
        ),
        (
            "Matchmaking of Cooperative Projects 2023",
            EventKind::Matchmaking,
            12,
        ),
        (
            "Campus Tour for Partner Delegations",
            EventKind::CampusTour,
            13,
        ),
    ];
    for (title, kind, d) in activities_2023 {
        let day = ymd(2023, 4, *d);
        b.event(title, *kind, Some(week_2023), spu, day, day, SPU_LOCATION);
    }
    let week_2019 = b.event(
        "2019 International Partnership Week",
        EventKind::PartnershipWeek,
        None,
        spu,
        ymd(2019, 5, 13),
        ymd(2019, 5, 17),
        SPU_LOCATION,
    );
    let activities_2019: &[(&str, EventKind, u32)] = &[
        (
            "Signing Ceremony of the 2019 International Partnership Week",
            EventKind::SigningCeremony,
            13,
        ),
        (
            "Academic Salon: Resource Recycling and Sustainable Cities",
            EventKind::AcademicSalon,
            14,
        ),
        (
            "Overseas Project Promotional Meeting 2019",
            EventKind::PromotionMeeting,
            15,
        ),
        (
            "Campus Tour for International Guests 2019",
            EventKind::CampusTour,
            16,
        ),
    ];
    for (title, kind, d) in activities_2019 {
        let day = ymd(2019, 5, *d);
        b.event(title, *kind, Some(week_2019), spu, day, day, SPU_LOCATION);
    }

    Events {
        week_2024,
        dublin_ceremony,
        week_2023,
        week_2019,
    }
}
