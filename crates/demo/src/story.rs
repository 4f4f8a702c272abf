//! The hand-written rows: the story the product was born from (DESIGN.md).
//!
//! Shanghai Polytechnic University, during its 2024 Global Partnership Week
//! (1–5 April 2024), signs on Wednesday 3 April a cooperation agreement on
//! e-waste research with TechProtect GmbH (a teaching partner since 2014) and,
//! the same day, a memorandum of understanding with the University of Rousse
//! (the source's words: "on Wednesday", "on the same day"); earlier, in the
//! week before (Tuesday 26 March), it
//! signs a cooperation agreement with Technological University Dublin at a
//! signing ceremony of its own. The week's two agreements point at the
//! partnership-week event itself (`agreements.event_id` = the week), the Dublin
//! agreement at its separate signing ceremony.

use entity::agreement::{AgreementKind, AgreementStatus};
use entity::agreement_party::PartyRole;
use entity::event::EventKind;
use entity::organization::OrganizationKind;
use entity::program::ProgramKind;

use crate::dataset::{Builder, NewAgreement, PersonName, ymd};

pub const SPU_NAME: &str = "Shanghai Polytechnic University";
pub const SPU_LOCATION: &str =
    "Shanghai Polytechnic University, 2360 Jinhai Road, Pudong, Shanghai";

/// Ids of the story's rows that the generated part refers to.
pub struct Story {
    pub spu: i64,
    pub techprotect: i64,
    pub rousse: i64,
    pub tu_dublin: i64,
    pub kienle: i64,
    /// SPU's vice-president for international affairs, who signs most agreements.
    pub vice_president: i64,
    pub week_2023: i64,
    pub week_2019: i64,
    pub techprotect_research: i64,
    pub techprotect_teaching: i64,
    pub rousse_mou: i64,
    pub tu_dublin_training: i64,
}

fn name(full: &str, given: &str, family: &str) -> PersonName {
    PersonName {
        full: full.to_owned(),
        given: given.to_owned(),
        family: family.to_owned(),
    }
}

/// Adds the story: the four organizations and their people, the events and
/// the four agreements. Must run first (SPU gets organization id 1).
pub fn build(b: &mut Builder) -> Story {
    let spu = b.organization(
        OrganizationKind::University,
        SPU_NAME,
        Some("SSPU"),
        "CN",
        "Shanghai",
        "https://www.sspu.edu.cn",
        Some(1960),
        None,
        Some(
            "Public university of applied technology in Pudong, Shanghai, founded in 1960. \
             Known for resource recycling science and engineering, intelligent manufacturing, \
             electronic information and computer science, and economics and management; \
             its Office of International Exchange and Cooperation runs partnerships with \
             universities, companies and institutes worldwide.",
        ),
        None,
    );
    if let Some(home) = b.data.organizations.last_mut() {
        home.is_home = true;
    }

    // SPU's leaders and the staff who run its partnerships.
    let spu_people: &[(&str, &str, &str, &str)] = &[
        ("Wang Jianguo", "Jianguo", "Wang", "President"),
        (
            "Chen Hui",
            "Hui",
            "Chen",
            "Vice-President for International Affairs",
        ),
        (
            "Liu Yang",
            "Yang",
            "Liu",
            "Director, Office of International Exchange and Cooperation",
        ),
        (
            "Zhou Min",
            "Min",
            "Zhou",
            "Deputy Director, Office of International Exchange and Cooperation",
        ),
        (
            "Zhao Lei",
            "Lei",
            "Zhao",
            "Dean, School of Resources and Environmental Engineering",
        ),
        (
            "Sun Tao",
            "Tao",
            "Sun",
            "Dean, School of Computer and Information Engineering",
        ),
        (
            "Huang Jing",
            "Jing",
            "Huang",
            "Dean, School of Intelligent Manufacturing and Control Engineering",
        ),
        (
            "Xu Fang",
            "Fang",
            "Xu",
            "Dean, School of Economics and Management",
        ),
        ("Lin Yan", "Yan", "Lin", "Dean, School of Foreign Languages"),
        (
            "Gao Peng",
            "Peng",
            "Gao",
            "Dean, School of Energy and Materials",
        ),
        ("Guo Ting", "Ting", "Guo", "Dean, School of Arts and Design"),
        (
            "Ma Qiang",
            "Qiang",
            "Ma",
            "Director, International Students Office",
        ),
        (
            "He Xiaoyu",
            "Xiaoyu",
            "He",
            "Professor, School of Resources and Environmental Engineering",
        ),
        (
            "Luo Haoran",
            "Haoran",
            "Luo",
            "Professor, School of Computer and Information Engineering",
        ),
        (
            "Shen Mengqi",
            "Mengqi",
            "Shen",
            "Associate Professor, School of Intelligent Manufacturing and Control Engineering",
        ),
        (
            "Tang Zhiwei",
            "Zhiwei",
            "Tang",
            "Professor, School of Energy and Materials",
        ),
        (
            "Song Yue",
            "Yue",
            "Song",
            "Associate Professor, School of Economics and Management",
        ),
        (
            "Jiang Kai",
            "Kai",
            "Jiang",
            "Director, Innovation and Entrepreneurship Education Center",
        ),
    ];
    let mut spu_staff = Vec::new();
    for (full, given, family, title) in spu_people {
        let id = b.named_person(&name(full, given, family), "CN", Some(spu), Some(title));
        spu_staff.push(id);
    }
    let president = spu_staff.first().copied().unwrap_or(1);
    let vice_president = spu_staff.get(1).copied().unwrap_or(president);
    b.set_signatory(spu, vice_president);

    let techprotect = b.organization(
        OrganizationKind::Company,
        "TechProtect GmbH",
        Some("TechProtect"),
        "DE",
        "Stuttgart",
        "https://www.techprotect.de",
        Some(2006),
        Some("Electronic waste recycling and IT asset disposition"),
        Some(
            "Recycles electronic waste and handles IT asset disposition, including certified \
             data destruction and the recovery of critical raw materials. Its founder Armin \
             Kienle has taught at Shanghai Polytechnic University since 2014.",
        ),
        Some("0712"),
    );
    let kienle = b.named_person(
        &name("Armin Kienle", "Armin", "Kienle"),
        "DE",
        Some(techprotect),
        Some("Founder and Managing Director"),
    );
    b.set_signatory(techprotect, kienle);
    b.person(techprotect, "Head of Recycling Technology");

    let rousse = b.organization(
        OrganizationKind::University,
        "University of Rousse \"Angel Kanchev\"",
        Some("UniRuse"),
        "BG",
        "Ruse",
        "https://www.uni-ruse.bg",
        Some(1945),
        None,
        Some(
            "Public university on the Danube in Ruse, Bulgaria, with strong engineering, \
             agricultural machinery, transport, business and entrepreneurship faculties.",
        ),
        None,
    );
    let rousse_rector = b.named_person(
        &name("Kaloyan Stefanov", "Kaloyan", "Stefanov"),
        "BG",
        Some(rousse),
        Some("Rector"),
    );
    b.set_signatory(rousse, rousse_rector);
    b.named_person(
        &name("Desislava Marinova", "Desislava", "Marinova"),
        "BG",
        Some(rousse),
        Some("Vice-Rector for International Affairs"),
    );
    b.person(
        rousse,
        "Associate Professor, Faculty of Business and Management",
    );

    let tu_dublin = b.organization(
        OrganizationKind::University,
        "Technological University Dublin",
        Some("TU Dublin"),
        "IE",
        "Dublin",
        "https://www.tudublin.ie",
        Some(2019),
        None,
        Some("Ireland's first technological university, formed in 2019 in Dublin."),
        None,
    );
    let tud_signatory = b.named_person(
        &name("Declan Brennan", "Declan", "Brennan"),
        "IE",
        Some(tu_dublin),
        Some("Vice-President for Partnerships"),
    );
    b.set_signatory(tu_dublin, tud_signatory);
    b.named_person(
        &name("Aoife Gallagher", "Aoife", "Gallagher"),
        "IE",
        Some(tu_dublin),
        Some("Head of the School of Computer Science"),
    );

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

    // The story's agreements.
    let spu_lead = |signatory| (spu, PartyRole::Lead, Some(signatory));
    let techprotect_research = b.agreement(NewAgreement {
        title: "Cooperation Agreement on E-waste Research between Shanghai Polytechnic University \
                and TechProtect GmbH"
            .to_owned(),
        kind: AgreementKind::CooperationAgreement,
        status: AgreementStatus::Active,
        signed_on: Some(ymd(2024, 4, 3)),
        starts_on: Some(ymd(2024, 4, 3)),
        ends_on: Some(ymd(2029, 4, 2)),
        summary: Some(
            "Joint research on e-waste recycling and IT asset disposition: recovery of critical \
             raw materials from electronic scrap, certified data destruction, and research \
             internships for students at TechProtect in Germany."
                .to_owned(),
        ),
        event_id: Some(week_2024),
        parties: vec![
            spu_lead(president),
            (techprotect, PartyRole::Partner, Some(kienle)),
        ],
        fields: vec!["0712", "0521", "0711"],
    });
    let rousse_mou = b.agreement(NewAgreement {
        title: "Memorandum of Understanding between Shanghai Polytechnic University and the \
                University of Rousse \"Angel Kanchev\""
            .to_owned(),
        kind: AgreementKind::MemorandumOfUnderstanding,
        status: AgreementStatus::Active,
        signed_on: Some(ymd(2024, 4, 3)),
        starts_on: Some(ymd(2024, 4, 3)),
        ends_on: Some(ymd(2029, 4, 2)),
        summary: Some(
            "Student exchange, and cooperation in innovation and entrepreneurship education: \
             joint start-up workshops, co-supervised student projects and staff mobility."
                .to_owned(),
        ),
        event_id: Some(week_2024),
        parties: vec![
            spu_lead(vice_president),
            (rousse, PartyRole::Partner, Some(rousse_rector)),
        ],
        fields: vec!["0413", "0714"],
    });
    let tu_dublin_training = b.agreement(NewAgreement {
        title: "Cooperation Agreement on Joint Student Training in Computer Science between \
                Shanghai Polytechnic University and Technological University Dublin"
            .to_owned(),
        kind: AgreementKind::CooperationAgreement,
        status: AgreementStatus::Active,
        signed_on: Some(ymd(2024, 3, 26)),
        starts_on: Some(ymd(2024, 3, 26)),
        ends_on: Some(ymd(2029, 3, 25)),
        summary: Some(
            "Joint training of computer science students: shared curricula in software \
             development and networking, credit recognition, and semesters in Dublin."
                .to_owned(),
        ),
        event_id: Some(dublin_ceremony),
        parties: vec![
            spu_lead(vice_president),
            (tu_dublin, PartyRole::Partner, Some(tud_signatory)),
        ],
        fields: vec!["0613", "0612"],
    });
    let techprotect_teaching = b.agreement(NewAgreement {
        title: "Teaching Partnership Agreement between Shanghai Polytechnic University and \
                TechProtect GmbH"
            .to_owned(),
        kind: AgreementKind::TeachingPartnership,
        status: AgreementStatus::Active,
        signed_on: Some(ymd(2014, 6, 16)),
        starts_on: Some(ymd(2014, 9, 1)),
        ends_on: None,
        summary: Some(
            "TechProtect's founder Armin Kienle and its engineers teach e-waste recycling and \
             IT asset disposition in the resource recycling major; students intern at \
             TechProtect."
                .to_owned(),
        ),
        event_id: None,
        parties: vec![
            spu_lead(vice_president),
            (techprotect, PartyRole::Partner, Some(kienle)),
        ],
        fields: vec!["0712", "0521"],
    });

    Story {
        spu,
        techprotect,
        rousse,
        tu_dublin,
        kienle,
        vice_president,
        week_2023,
        week_2019,
        techprotect_research,
        techprotect_teaching,
        rousse_mou,
        tu_dublin_training,
    }
}

/// The story's programs (after SPU's own majors).
pub fn programs(b: &mut Builder, story: &Story) {
    b.program(
        Some(story.techprotect_teaching),
        story.spu,
        "E-waste Recycling and IT Asset Disposition Practice Course",
        ProgramKind::JointTraining,
        "en",
        Some("0712"),
        ymd(2014, 9, 1),
        None,
        Some(40),
    );
    b.program(
        Some(story.techprotect_research),
        story.spu,
        "E-waste Research Programme: Recovery of Critical Raw Materials",
        ProgramKind::Research,
        "en",
        Some("0712"),
        ymd(2024, 4, 3),
        Some(ymd(2029, 4, 2)),
        Some(8),
    );
    b.program(
        Some(story.tu_dublin_training),
        story.spu,
        "Joint Student Training Programme in Computer Science with TU Dublin",
        ProgramKind::JointTraining,
        "en",
        Some("0613"),
        ymd(2024, 3, 26),
        Some(ymd(2029, 3, 25)),
        Some(30),
    );
}
