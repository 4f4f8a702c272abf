//! The story's four organizations and their people: Shanghai Polytechnic
//! University's leaders and staff, TechProtect and Armin Kienle, the
//! University of Rousse, Technological University Dublin.

use entity::organization::OrganizationKind;

use super::{Cast, SPU_NAME, name};
use crate::dataset::Builder;

/// Adds the organizations and their people; SPU first (organization id 1).
pub(super) fn add(b: &mut Builder) -> Cast {
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

    Cast {
        spu,
        president,
        vice_president,
        techprotect,
        kienle,
        rousse,
        rousse_rector,
        tu_dublin,
        tud_signatory,
    }
}
