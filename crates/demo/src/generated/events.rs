//! Events besides the story's: partnership weeks, salons, promotion meetings.

use super::*;

// Events

pub(super) fn other_events(b: &mut Builder, story: &Story, partners: &[i64]) {
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
