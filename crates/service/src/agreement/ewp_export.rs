//! An agreement as an EWP IIAs API v7 `iias-get-response` document: the
//! home university first, each partner by its SCHAC code with its IIA id
//! and code, signing date and signatory; `in-effect`; the cooperation
//! conditions by kind in the schema's order; the `iia-hash`
//! ([`super::ewp::iia_hash`]) computed from the document itself.

use chrono::NaiveDate;
use entity::cooperation_condition::MobilityType;
use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use super::ewp::{CONTACT, NAMESPACE, iia_hash, parse};
use crate::access::{self, Field, Owner};
use crate::actor::Actor;
use crate::{Error, Result};

/// A partner of an IIA.
#[derive(Clone, Debug, PartialEq)]
pub struct Partner {
    pub hei_id: String,
    pub iia_id: Option<String>,
    pub iia_code: Option<String>,
    pub signing_date: Option<NaiveDate>,
    /// Who signed: name and e-mail.
    pub signatory: Option<(String, Option<String>)>,
}

/// A mobility specification of an IIA.
#[derive(Clone, Debug, PartialEq)]
pub struct Mobility {
    pub kind: MobilityType,
    pub sending_hei_id: String,
    pub receiving_hei_id: String,
    pub first_academic_year: String,
    pub last_academic_year: String,
    pub mobilities_per_year: i32,
    /// Language (ISO 639-1) and CEFR level (`B2`).
    pub languages: Vec<(String, String)>,
    /// ISCED-F code and clarification.
    pub subject_areas: Vec<(String, Option<String>)>,
    /// Months (students) or days (staff) per year.
    pub total_per_year: Option<f64>,
    pub blended: bool,
    pub eqf_levels: Vec<i32>,
}

/// An IIA as the document states it.
#[derive(Clone, Debug, PartialEq)]
pub struct Iia {
    /// The home university first.
    pub partners: Vec<Partner>,
    pub in_effect: bool,
    pub mobilities: Vec<Mobility>,
}

/// `text` with XML's special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A decimal as `xs:decimal` writes it: no exponent, no trailing zeros.
fn decimal(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn element(out: &mut String, indent: usize, name: &str, value: &str) {
    out.push_str(&format!(
        "{:indent$}<{name}>{}</{name}>\n",
        "",
        escape(value),
        indent = indent
    ));
}

/// The element name of a kind of mobility.
fn spec(kind: MobilityType) -> &'static str {
    match kind {
        MobilityType::StudentStudies => "student-studies-mobility-spec",
        MobilityType::StudentTraineeship => "student-traineeship-mobility-spec",
        MobilityType::StaffTeaching => "staff-teacher-mobility-spec",
        MobilityType::StaffTraining => "staff-training-mobility-spec",
    }
}

/// The document, its `iia-hash` computed from it.
pub fn document(iia: &Iia) -> Result<String> {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<iias-get-response xmlns=\"{NAMESPACE}\" xmlns:c=\"{CONTACT}\">\n  <iia>\n"
    ));
    for partner in &iia.partners {
        out.push_str("    <partner>\n");
        element(&mut out, 6, "hei-id", &partner.hei_id);
        if let Some(id) = &partner.iia_id {
            element(&mut out, 6, "iia-id", id);
        }
        if let Some(code) = &partner.iia_code {
            element(&mut out, 6, "iia-code", code);
        }
        if let Some((name, email)) = &partner.signatory {
            out.push_str("      <signing-contact>\n");
            element(&mut out, 8, "c:contact-name", name);
            if let Some(email) = email {
                element(&mut out, 8, "c:email", email);
            }
            out.push_str("      </signing-contact>\n");
        }
        if let Some(date) = partner.signing_date {
            element(&mut out, 6, "signing-date", &date.to_string());
        }
        out.push_str("    </partner>\n");
    }
    element(
        &mut out,
        4,
        "in-effect",
        if iia.in_effect { "true" } else { "false" },
    );
    out.push_str("    <cooperation-conditions>\n");
    let order = [
        MobilityType::StudentStudies,
        MobilityType::StudentTraineeship,
        MobilityType::StaffTeaching,
        MobilityType::StaffTraining,
    ];
    for kind in order {
        for m in iia.mobilities.iter().filter(|m| m.kind == kind) {
            let name = spec(kind);
            out.push_str(&format!("      <{name}>\n"));
            element(&mut out, 8, "sending-hei-id", &m.sending_hei_id);
            element(&mut out, 8, "receiving-hei-id", &m.receiving_hei_id);
            element(
                &mut out,
                8,
                "receiving-first-academic-year-id",
                &m.first_academic_year,
            );
            element(
                &mut out,
                8,
                "receiving-last-academic-year-id",
                &m.last_academic_year,
            );
            element(
                &mut out,
                8,
                "mobilities-per-year",
                &m.mobilities_per_year.to_string(),
            );
            for (language, level) in &m.languages {
                out.push_str("        <recommended-language-skill>\n");
                element(&mut out, 10, "language", language);
                element(&mut out, 10, "cefr-level", level);
                out.push_str("        </recommended-language-skill>\n");
            }
            for (code, clarification) in &m.subject_areas {
                out.push_str("        <subject-area>\n");
                element(&mut out, 10, "isced-f-code", code);
                if let Some(text) = clarification {
                    element(&mut out, 10, "isced-clarification", text);
                }
                out.push_str("        </subject-area>\n");
            }
            if kind.students() {
                if let Some(months) = m.total_per_year {
                    element(&mut out, 8, "total-months-per-year", &decimal(months));
                }
                element(
                    &mut out,
                    8,
                    "blended",
                    if m.blended { "true" } else { "false" },
                );
                for level in &m.eqf_levels {
                    element(&mut out, 8, "eqf-level", &level.to_string());
                }
            } else if let Some(days) = m.total_per_year {
                element(&mut out, 8, "total-days-per-year", &decimal(days));
            }
            out.push_str(&format!("      </{name}>\n"));
        }
    }
    out.push_str("    </cooperation-conditions>\n");
    const HASH: &str = "    <iia-hash>HASH</iia-hash>\n";
    out.push_str(HASH);
    out.push_str("  </iia>\n</iias-get-response>\n");
    let hash = {
        let parsed = parse("ewpIia", &out)?;
        let node = parsed
            .descendants()
            .find(|n| n.has_tag_name((NAMESPACE, "iia")))
            .ok_or_else(|| {
                Error::Internal(sea_orm::DbErr::Custom(
                    "an exported IIA has no iia element".to_owned(),
                ))
            })?;
        iia_hash(&parsed, node)
    };
    Ok(out.replacen(HASH, &format!("    <iia-hash>{hash}</iia-hash>\n"), 1))
}

/// Why an agreement is no IIA, as `BAD_USER_INPUT` on `ewpIia`.
fn not_an_iia(why: String) -> Error {
    Error::bad_input(
        "ewpIia",
        format!("the agreement cannot be exported as an EWP IIA: {why}"),
    )
}

/// The IIA of agreement `id` as `actor` may read it: staff and admins,
/// and a partner of the agreement (`FORBIDDEN` for anyone else); an
/// agreement that is not between two organizations with SCHAC codes is
/// `BAD_USER_INPUT` saying why.
pub async fn export(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<String> {
    export_many(db, actor, &[id])
        .await?
        .remove(&id)
        .unwrap_or_else(|| Err(Error::NotFound(format!("no agreement {id}"))))
}

/// The IIAs of agreements `ids` ([`export`] of each), read together: a
/// fixed number of statements however many there are. An id that names no
/// agreement has no entry.
pub async fn export_many(
    db: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Result<String>>> {
    let rows = super::ewp_rows::load(db, ids).await?;
    Ok(rows
        .agreements
        .iter()
        .map(|agreement| (agreement.id, iia_of(&rows, actor, agreement)))
        .collect())
}

/// The document of one agreement of `rows`.
fn iia_of(
    rows: &super::ewp_rows::Rows,
    actor: &Actor,
    agreement: &entity::agreement::Model,
) -> Result<String> {
    let id = agreement.id;
    let parties: Vec<&entity::agreement_party::Model> = rows
        .parties
        .iter()
        .filter(|p| p.agreement_id == id)
        .collect();
    let organizations: Vec<i64> = parties.iter().map(|p| p.organization_id).collect();
    if !access::may_read(
        actor,
        Field::AgreementEwpIia,
        Owner::Parties(&organizations),
    ) {
        return Err(Error::Forbidden(access::refusal(Field::AgreementEwpIia)));
    }
    if parties.len() != 2 {
        return Err(not_an_iia(format!(
            "an IIA is between two institutions; this agreement has {} parties",
            parties.len()
        )));
    }
    let mut ordered = parties.clone();
    ordered.sort_by_key(|p| (!rows.homes.contains(&p.organization_id), p.organization_id));
    let mut partners = Vec::with_capacity(2);
    for party in ordered {
        let Some(hei) = rows.schac.get(&party.organization_id) else {
            let name = rows
                .names
                .get(&party.organization_id)
                .cloned()
                .unwrap_or_default();
            return Err(not_an_iia(format!(
                "{name} has no SCHAC code (an identifier of scheme SCHAC)"
            )));
        };
        partners.push(Partner {
            hei_id: hei.clone(),
            iia_id: party.iia_id.clone(),
            iia_code: party.iia_code.clone(),
            signing_date: agreement.signed_on,
            signatory: party
                .signatory_id
                .and_then(|person| rows.signatories.get(&person).cloned()),
        });
    }
    let hei = |org: i64| rows.schac.get(&org).cloned().unwrap_or_default();
    let mobilities = rows
        .conditions
        .iter()
        .filter(|c| c.agreement_id == id)
        .map(|c| Mobility {
            kind: c.mobility_type,
            sending_hei_id: hei(c.sending_organization_id),
            receiving_hei_id: hei(c.receiving_organization_id),
            first_academic_year: c.first_academic_year.clone(),
            last_academic_year: c.last_academic_year.clone(),
            mobilities_per_year: c.mobilities_per_year,
            languages: rows.languages_of(c.id),
            subject_areas: rows.subjects_of(c.id),
            total_per_year: c.total_months_per_year.or(c.total_days_per_year),
            blended: c.blended,
            eqf_levels: serde_json::from_value(c.eqf_levels.clone()).unwrap_or_default(),
        })
        .collect();
    let in_effect = agreement.status == entity::agreement::AgreementStatus::Active;
    document(&Iia {
        partners,
        in_effect,
        mobilities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iia() -> Iia {
        Iia {
            partners: vec![
                Partner {
                    hei_id: "sspu.edu.cn".to_owned(),
                    iia_id: Some("5350555f-0000-4000-8000-000000000002".to_owned()),
                    iia_code: None,
                    signing_date: NaiveDate::from_ymd_opt(2024, 4, 3),
                    signatory: Some(("Li Ming".to_owned(), Some("li.ming@sspu.edu.cn".to_owned()))),
                },
                Partner {
                    hei_id: "uni-ruse.bg".to_owned(),
                    iia_id: None,
                    iia_code: Some("MoU <2024> & more".to_owned()),
                    signing_date: NaiveDate::from_ymd_opt(2024, 4, 3),
                    signatory: None,
                },
            ],
            in_effect: true,
            mobilities: vec![
                Mobility {
                    kind: MobilityType::StaffTeaching,
                    sending_hei_id: "uni-ruse.bg".to_owned(),
                    receiving_hei_id: "sspu.edu.cn".to_owned(),
                    first_academic_year: "2024/2025".to_owned(),
                    last_academic_year: "2028/2029".to_owned(),
                    mobilities_per_year: 1,
                    languages: vec![],
                    subject_areas: vec![],
                    total_per_year: Some(5.0),
                    blended: false,
                    eqf_levels: vec![],
                },
                Mobility {
                    kind: MobilityType::StudentStudies,
                    sending_hei_id: "sspu.edu.cn".to_owned(),
                    receiving_hei_id: "uni-ruse.bg".to_owned(),
                    first_academic_year: "2024/2025".to_owned(),
                    last_academic_year: "2028/2029".to_owned(),
                    mobilities_per_year: 2,
                    languages: vec![("en".to_owned(), "B2".to_owned())],
                    subject_areas: vec![("0413".to_owned(), Some("Innovation".to_owned()))],
                    total_per_year: Some(10.5),
                    blended: false,
                    eqf_levels: vec![6, 7],
                },
            ],
        }
    }

    #[test]
    fn the_document_states_its_own_hash() {
        let xml = document(&iia()).expect("a document");
        let parsed = parse("xml", &xml).expect("well-formed");
        let found = super::super::ewp::hashes(&parsed);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.as_deref(), Some(found[0].1.as_str()));
        // Students before staff, whatever the conditions' order.
        let students = xml
            .find("<student-studies-mobility-spec>")
            .expect("students");
        let staff = xml.find("<staff-teacher-mobility-spec>").expect("staff");
        assert!(students < staff);
        assert!(xml.contains("<iia-code>MoU &lt;2024&gt; &amp; more</iia-code>"));
        assert!(xml.contains("<total-months-per-year>10.5</total-months-per-year>"));
        assert!(xml.contains("<total-days-per-year>5</total-days-per-year>"));
        assert!(xml.contains("<signing-date>2024-04-03</signing-date>"));
    }

    #[test]
    fn a_change_of_terms_changes_the_hash() {
        let hash = |iia: &Iia| {
            let xml = document(iia).expect("a document");
            let start = xml.find("<iia-hash>").expect("hash") + 10;
            xml[start..start + 64].to_owned()
        };
        let before = hash(&iia());
        let mut changed = iia();
        changed.mobilities[1].mobilities_per_year = 3;
        assert_ne!(hash(&changed), before);
        let mut signed_by_another = iia();
        signed_by_another.partners[0].signatory = Some(("Wang Fang".to_owned(), None));
        assert_eq!(hash(&signed_by_another), before, "contacts are not hashed");
    }
}
