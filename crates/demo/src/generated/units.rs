//! Joint laboratories, centers and practice bases.

use super::*;

// Joint units

pub(super) fn joint_units(
    b: &mut Builder,
    story: &Story,
    partners: &[i64],
    primary: &BTreeMap<i64, i64>,
) {
    use JointUnitKind::*;
    use OrganizationKind::*;
    let spu = story.spu;
    b.joint_unit(
        "SPU–TechProtect Practice Base for IT Asset Disposition",
        PracticeBase,
        spu,
        Some(story.techprotect_teaching),
        Some("0712"),
        ymd(2015, 3, 10),
        None,
        &[story.techprotect],
    );
    b.joint_unit(
        "Sino-German Joint Laboratory for E-waste Recycling Technology",
        Laboratory,
        spu,
        Some(story.techprotect_teaching),
        Some("0712"),
        ymd(2016, 10, 18),
        None,
        &[story.techprotect],
    );

    // (name, kind, partner country, partner kind, established, field)
    let units: &[(&str, JointUnitKind, &str, OrganizationKind, NaiveDate, &str)] = &[
        (
            "Sino-British Digital Media Laboratory",
            Laboratory,
            "GB",
            University,
            ymd(2009, 11, 5),
            "0211",
        ),
        (
            "Sino-Austrian Automation Practice Base",
            PracticeBase,
            "AT",
            Company,
            ymd(2010, 6, 22),
            "0714",
        ),
        (
            "China–Australia Center for Sustainable Urban Water",
            Center,
            "AU",
            University,
            ymd(2011, 9, 15),
            "0712",
        ),
        (
            "Sino-French Center for Engineering Education",
            Center,
            "FR",
            University,
            ymd(2012, 4, 9),
            "0715",
        ),
        (
            "Sino-German Intelligent Manufacturing Laboratory",
            Laboratory,
            "DE",
            University,
            ymd(2013, 10, 28),
            "0715",
        ),
        (
            "Sino-Japanese Precision Manufacturing Practice Base",
            PracticeBase,
            "JP",
            Company,
            ymd(2014, 5, 19),
            "0715",
        ),
        (
            "Sino-Italian Industrial Design Center",
            Center,
            "IT",
            University,
            ymd(2016, 3, 30),
            "0212",
        ),
        (
            "China–Russia Joint Laboratory of Advanced Materials",
            Laboratory,
            "RU",
            University,
            ymd(2017, 9, 12),
            "0722",
        ),
        (
            "Sino-Finnish Clean Energy Laboratory",
            Laboratory,
            "FI",
            University,
            ymd(2018, 6, 4),
            "0713",
        ),
        (
            "China–Kazakhstan Engineering Training Center",
            Center,
            "KZ",
            University,
            ymd(2019, 4, 16),
            "0715",
        ),
        (
            "Sino-Dutch Circular Economy Laboratory",
            Laboratory,
            "NL",
            University,
            ymd(2019, 11, 20),
            "0521",
        ),
        (
            "Sino-Korean Smart Logistics Laboratory",
            Laboratory,
            "KR",
            University,
            ymd(2020, 6, 8),
            "1041",
        ),
        (
            "China–Uzbekistan Joint Laboratory of Renewable Energy",
            Laboratory,
            "UZ",
            University,
            ymd(2021, 5, 25),
            "0713",
        ),
        (
            "Sino-Czech Robotics Laboratory",
            Laboratory,
            "CZ",
            University,
            ymd(2021, 10, 14),
            "0714",
        ),
        (
            "China–Thailand Vocational Education Center",
            Center,
            "TH",
            University,
            ymd(2022, 3, 17),
            "0714",
        ),
        (
            "Sino-Hungarian New Energy Vehicle Practice Base",
            PracticeBase,
            "HU",
            Company,
            ymd(2022, 9, 6),
            "0716",
        ),
        (
            "China–Kenya Engineering Skills Center",
            Center,
            "KE",
            University,
            ymd(2023, 5, 11),
            "0732",
        ),
        (
            "Sino-Singapore Smart Manufacturing Laboratory",
            Laboratory,
            "SG",
            University,
            ymd(2023, 11, 23),
            "0714",
        ),
    ];
    let mut used: BTreeSet<i64> = BTreeSet::from([story.techprotect]);
    let mut find = |b: &Builder, country: &str, kind: OrganizationKind| {
        let in_country = |id: &i64| b.orgs.get(id).is_some_and(|o| o.country == country);
        let found = partners
            .iter()
            .copied()
            .find(|id| {
                in_country(id)
                    && !used.contains(id)
                    && b.orgs.get(id).is_some_and(|o| o.kind == kind)
            })
            .or_else(|| {
                partners
                    .iter()
                    .copied()
                    .find(|id| in_country(id) && !used.contains(id))
            })
            .or_else(|| partners.iter().copied().find(in_country));
        if let Some(id) = found {
            used.insert(id);
        }
        found
    };
    for &(name, kind, country, partner_kind, established, field) in units {
        let Some(partner) = find(b, country, partner_kind) else {
            continue;
        };
        let mut members = vec![partner];
        // Laboratories in the larger partner countries often have a company too.
        if kind == Laboratory
            && matches!(country, "DE" | "RU" | "NL")
            && let Some(company) = find(b, country, Company)
        {
            members.push(company);
        }
        let agreement = primary.get(&partner).copied();
        b.joint_unit(
            name,
            kind,
            spu,
            agreement,
            Some(field),
            established,
            None,
            &members,
        );
    }

    // A laboratory that closed before 2020, under an agreement that expired.
    if let Some(partner) = find(b, "CA", University) {
        let partner_name = b
            .orgs
            .get(&partner)
            .map(|o| o.name.clone())
            .unwrap_or_default();
        let signatory = b.signatory(partner);
        let agreement = b.agreement(NewAgreement {
            title: kind_title(AgreementKind::ResearchCollaboration, &partner_name, "0713"),
            kind: AgreementKind::ResearchCollaboration,
            status: AgreementStatus::Expired,
            signed_on: Some(ymd(2010, 11, 2)),
            starts_on: Some(ymd(2011, 1, 1)),
            ends_on: Some(ymd(2018, 7, 31)),
            summary: Some(
                "Joint laboratory for energy efficiency in buildings and industry.".to_owned(),
            ),
            event_id: None,
            parties: vec![
                (spu, PartyRole::Lead, Some(story.vice_president)),
                (partner, PartyRole::Partner, signatory),
            ],
            fields: vec!["0713", "0732"],
        });
        b.joint_unit(
            "Sino-Canadian Laboratory for Energy Efficiency",
            Laboratory,
            spu,
            Some(agreement),
            Some("0713"),
            ymd(2011, 4, 12),
            Some(ymd(2018, 7, 31)),
            &[partner],
        );
    }

    // Opened after the figures' date, under the MoU of the week.
    b.joint_unit(
        "China–Bulgaria Innovation and Entrepreneurship Center",
        Center,
        spu,
        Some(story.rousse_mou),
        Some("0413"),
        ymd(2024, 6, 18),
        None,
        &[story.rousse],
    );
}
