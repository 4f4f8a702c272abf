//! The data's integrity and the story's rows.

use super::*;

/// Agreements, parties, fields and programs are well formed.
pub(super) async fn check_integrity(db: &DatabaseConnection) -> TestResult {
    let zero = [
        (
            "agreements with fewer than two parties or not exactly one lead",
            "SELECT COUNT(*) FROM agreements a WHERE \
             (SELECT COUNT(*) FROM agreement_parties p WHERE p.agreement_id = a.id) < 2 \
             OR (SELECT COUNT(*) FROM agreement_parties p \
                 WHERE p.agreement_id = a.id AND p.role = 'lead') <> 1",
        ),
        (
            "agreements without 1 to 3 fields",
            "SELECT COUNT(*) FROM agreements a WHERE \
             (SELECT COUNT(*) FROM agreement_fields f WHERE f.agreement_id = a.id) \
             NOT BETWEEN 1 AND 3",
        ),
        (
            "agreement fields that are not detailed (4-digit) codes",
            "SELECT COUNT(*) FROM agreement_fields WHERE LENGTH(field_code) <> 4",
        ),
        (
            "signatories who do not belong to their party",
            "SELECT COUNT(*) FROM agreement_parties p JOIN people s ON s.id = p.signatory_id \
             WHERE s.organization_id IS NULL OR s.organization_id <> p.organization_id",
        ),
        (
            "signed agreements without signatories",
            "SELECT COUNT(*) FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id \
             WHERE a.status IN ('active', 'expired', 'terminated') AND p.signatory_id IS NULL",
        ),
        (
            "programs without field, language or capacity",
            "SELECT COUNT(*) FROM programs WHERE field_code IS NULL OR capacity IS NULL \
             OR LENGTH(language_code) <> 2",
        ),
        (
            "joint units not hosted by the home university",
            "SELECT COUNT(*) FROM joint_units j JOIN organizations o \
             ON o.id = j.host_organization_id WHERE NOT o.is_home",
        ),
        (
            "people with the wrong nationality for their organization",
            "SELECT COUNT(*) FROM people p JOIN organizations o ON o.id = p.organization_id \
             WHERE p.nationality <> o.country_code",
        ),
    ];
    for (what, sql) in zero {
        assert_eq!(int(db, sql).await?, 0, "{what}");
    }
    assert_eq!(
        int(db, "SELECT COUNT(DISTINCT kind) FROM agreements").await?,
        6,
        "every agreement kind"
    );
    assert_eq!(
        int(db, "SELECT COUNT(DISTINCT status) FROM agreements").await?,
        5,
        "every agreement status"
    );
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM agreements a WHERE \
             (SELECT COUNT(*) FROM agreement_parties p WHERE p.agreement_id = a.id) > 2"
        )
        .await?
            > 0,
        "multi-party agreements"
    );
    let years = texts(
        db,
        "SELECT DISTINCT SUBSTR(CAST(signed_on AS TEXT), 1, 4) FROM agreements \
         WHERE signed_on IS NOT NULL",
    )
    .await?;
    assert!(
        years.len() >= 15,
        "signing dates spread over the years: {years:?}"
    );
    Ok(())
}

/// One of the story's agreements: `(id, status, event_id)`, found by a party
/// organization (name pattern), kind and signing date.
pub(super) async fn story_agreement(
    db: &DatabaseConnection,
    organization: &str,
    kind: &str,
    signed_on: &str,
) -> TestResult<(i64, String, Option<i64>)> {
    let found = rows(
        db,
        &format!(
            "SELECT CAST(a.id AS TEXT), a.status, CAST(a.event_id AS TEXT) \
             FROM agreements a \
             JOIN agreement_parties p ON p.agreement_id = a.id \
             JOIN organizations o ON o.id = p.organization_id \
             WHERE o.name LIKE '{organization}' AND a.kind = '{kind}' \
               AND CAST(a.signed_on AS TEXT) LIKE '{signed_on}'"
        ),
        3,
    )
    .await?;
    assert_eq!(
        found.len(),
        1,
        "one {kind} with {organization} signed {signed_on}"
    );
    let row = found.first().ok_or("no agreement")?;
    let field = |i: usize| row.get(i).cloned().unwrap_or_default();
    let id = field(0).parse()?;
    let event = field(2);
    let event = if event.is_empty() {
        None
    } else {
        Some(event.parse()?)
    };
    Ok((id, field(1), event))
}

/// The parties of an agreement: `(organization, role, signatory, signatory title)`.
pub(super) async fn parties(
    db: &DatabaseConnection,
    agreement: i64,
) -> TestResult<Vec<Vec<String>>> {
    rows(
        db,
        &format!(
            "SELECT o.name, p.role, s.full_name, s.title \
             FROM agreement_parties p \
             JOIN organizations o ON o.id = p.organization_id \
             LEFT JOIN people s ON s.id = p.signatory_id \
             WHERE p.agreement_id = {agreement} ORDER BY p.role, o.name"
        ),
        4,
    )
    .await
}

pub(super) async fn fields(db: &DatabaseConnection, agreement: i64) -> TestResult<Vec<String>> {
    texts(
        db,
        &format!(
            "SELECT field_code FROM agreement_fields WHERE agreement_id = {agreement} \
             ORDER BY field_code"
        ),
    )
    .await
}

pub(super) async fn check_story(db: &DatabaseConnection) -> TestResult {
    assert_eq!(
        int(
            db,
            "SELECT COUNT(*) FROM organizations WHERE is_home \
             AND name = 'Shanghai Polytechnic University' AND kind = 'university' \
             AND founded_year = 1960 AND city = 'Shanghai' AND country_code = 'CN' \
             AND short_name = 'SSPU' AND website IS NOT NULL AND description IS NOT NULL"
        )
        .await?,
        1,
        "Shanghai Polytechnic University"
    );

    // The 2024 Global Partnership Week and its activities.
    let week = int(
        db,
        "SELECT e.id FROM events e JOIN organizations o ON o.id = e.organizer_id \
         WHERE e.kind = 'partnership_week' AND e.starts_on = '2024-04-01' \
         AND e.ends_on = '2024-04-05' AND o.is_home",
    )
    .await?;
    let activity_kinds = texts(
        db,
        &format!("SELECT kind FROM events WHERE parent_event_id = {week}"),
    )
    .await?;
    let count = |kind: &str| activity_kinds.iter().filter(|k| *k == kind).count();
    assert!(count("academic_salon") >= 2, "academic salons");
    for kind in [
        "promotion_meeting",
        "matchmaking",
        "campus_tour",
        "signing_ceremony",
    ] {
        assert!(count(kind) >= 1, "{kind} during the week");
    }
    assert!(
        int(
            db,
            "SELECT COUNT(*) FROM events WHERE kind = 'partnership_week'"
        )
        .await?
            >= 2,
        "earlier partnership weeks"
    );

    // TechProtect: founder, research agreement of the week, decade-long teaching partnership.
    let kienle = rows(
        db,
        "SELECT p.title, p.nationality, o.kind, o.country_code, o.industry \
         FROM people p JOIN organizations o ON o.id = p.organization_id \
         WHERE p.full_name = 'Armin Kienle' AND o.name = 'TechProtect GmbH'",
        5,
    )
    .await?;
    assert_eq!(
        kienle,
        vec![vec![
            "Founder and Managing Director".to_owned(),
            "DE".to_owned(),
            "company".to_owned(),
            "DE".to_owned(),
            "Electronic waste recycling and IT asset disposition".to_owned(),
        ]],
        "Armin Kienle of TechProtect GmbH"
    );
    let (research, status, event) = story_agreement(
        db,
        "TechProtect GmbH",
        "cooperation_agreement",
        "2024-04-03",
    )
    .await?;
    assert_eq!(status, "active");
    assert_eq!(event, Some(week), "signed during the week");
    let research_parties = parties(db, research).await?;
    assert_eq!(research_parties.len(), 2);
    let lead = research_parties.first().ok_or("lead")?;
    assert_eq!(
        lead.first().map(String::as_str),
        Some("Shanghai Polytechnic University")
    );
    assert_eq!(lead.get(1).map(String::as_str), Some("lead"));
    assert!(lead.get(2).is_some_and(|s| !s.is_empty()), "SPU signatory");
    let partner = research_parties.get(1).ok_or("partner")?;
    assert_eq!(
        partner,
        &vec![
            "TechProtect GmbH".to_owned(),
            "partner".to_owned(),
            "Armin Kienle".to_owned(),
            "Founder and Managing Director".to_owned(),
        ]
    );
    let research_fields = fields(db, research).await?;
    for code in ["0521", "0712"] {
        assert!(
            research_fields.iter().any(|f| f == code),
            "e-waste field {code}"
        );
    }
    let (teaching, status, _) =
        story_agreement(db, "TechProtect GmbH", "teaching_partnership", "2014-%").await?;
    assert_eq!(status, "active", "the teaching partnership is still active");
    assert_eq!(
        int(
            db,
            &format!(
                "SELECT COUNT(*) FROM agreements WHERE id = {teaching} \
                 AND (ends_on IS NULL OR ends_on >= {AS_OF})"
            )
        )
        .await?,
        1
    );

    // The University of Rousse: MoU of the week.
    let (rousse, status, event) = story_agreement(
        db,
        "University of Rousse%",
        "memorandum_of_understanding",
        "2024-04-03",
    )
    .await?;
    assert_eq!(status, "active");
    assert_eq!(event, Some(week), "signed during the week");
    let rousse_parties = parties(db, rousse).await?;
    assert_eq!(rousse_parties.len(), 2);
    assert!(
        rousse_parties
            .iter()
            .all(|p| p.get(2).is_some_and(|s| !s.is_empty())),
        "both parties have signatories"
    );
    assert!(fields(db, rousse).await?.iter().any(|f| f == "0413"));
    assert_eq!(
        int(
            db,
            "SELECT COUNT(*) FROM organizations WHERE name LIKE 'University of Rousse%' \
             AND country_code = 'BG' AND city = 'Ruse' AND kind = 'university'"
        )
        .await?,
        1
    );

    // TU Dublin: signed the week before, not an agreement of the week.
    let (dublin, status, event) = story_agreement(
        db,
        "Technological University Dublin",
        "cooperation_agreement",
        "2024-03-26",
    )
    .await?;
    assert_eq!(status, "active");
    assert_ne!(event, Some(week));
    if let Some(event) = event {
        assert_eq!(
            int(
                db,
                &format!(
                    "SELECT COUNT(*) FROM events WHERE id = {event} \
                     AND kind = 'signing_ceremony' AND parent_event_id IS NULL"
                )
            )
            .await?,
            1,
            "the Dublin signing ceremony"
        );
    }
    assert_eq!(
        fields(db, dublin).await?,
        vec!["0612".to_owned(), "0613".to_owned()]
    );
    assert_eq!(parties(db, dublin).await?.len(), 2);
    assert_eq!(
        int(
            db,
            "SELECT COUNT(*) FROM organizations WHERE name = 'Technological University Dublin' \
             AND country_code = 'IE' AND city = 'Dublin'"
        )
        .await?,
        1
    );

    // The week's agreements are exactly the TechProtect and Rousse ones.
    let mut of_the_week = texts(
        db,
        &format!("SELECT CAST(id AS TEXT) FROM agreements WHERE event_id = {week} ORDER BY id"),
    )
    .await?;
    of_the_week.sort();
    let mut expected = vec![research.to_string(), rousse.to_string()];
    expected.sort();
    assert_eq!(of_the_week, expected, "agreements of the week");
    Ok(())
}
