//! Agreements with partners (and with organizations that are not partners).

use super::*;

/// The partners' agreements with SPU. Returns the agreements in force on the
/// date that programs may hang from, and each partner's main agreement.
pub(super) fn partner_agreements(
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
pub(super) fn non_partner_agreements(b: &mut Builder, story: &Story, orgs: &[(i64, NotPartner)]) {
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
