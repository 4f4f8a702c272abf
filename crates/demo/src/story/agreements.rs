//! The story's agreements: e-waste research with TechProtect and the MoU with
//! Rousse (both signed on 3 April 2024, during the week), joint training with
//! TU Dublin (26 March 2024), and TechProtect's teaching partnership (2014).

use entity::agreement::{AgreementKind, AgreementStatus};
use entity::agreement_party::PartyRole;

use super::{Cast, Events};
use crate::dataset::{Builder, NewAgreement, ymd};

/// The agreements' ids, in the order they are added.
pub(super) struct Agreements {
    pub techprotect_research: i64,
    pub rousse_mou: i64,
    pub tu_dublin_training: i64,
    pub techprotect_teaching: i64,
}

/// Adds the story's agreements with their parties and fields.
pub(super) fn add(b: &mut Builder, cast: &Cast, events: &Events) -> Agreements {
    let Cast {
        spu,
        president,
        vice_president,
        techprotect,
        kienle,
        rousse,
        rousse_rector,
        tu_dublin,
        tud_signatory,
    } = *cast;
    let Events {
        week_2024,
        dublin_ceremony,
        ..
    } = *events;
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

    Agreements {
        techprotect_research,
        rousse_mou,
        tu_dublin_training,
        techprotect_teaching,
    }
}
