//! An EWP IIAs API v7 `iias-get-response` document taken in: it creates
//! the agreement, or updates the one a party's IIA id names, with the same
//! validation, version rule and audit entry as the agreement mutations.
//! Organizations are matched by SCHAC code, signatories by name among
//! their people. The document is parsed as untrusted input
//! ([`super::ewp::parse`]) and its structure checked before anything is
//! written: an element the specification does not have there is
//! `BAD_USER_INPUT` naming it.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::agreement::{AgreementKind, AgreementStatus};
use entity::agreement_party::PartyRole;
use entity::cooperation_condition::MobilityType;
use entity::cooperation_condition_language::CefrLevel;
use entity::organization_identifier::IdentifierScheme;
use roxmltree::Node;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::conditions::{Condition, Language, Subject};
use super::ewp::{NAMESPACE, parse};
use super::{AgreementChanges, OwnedChanges, Party, SeenAgreement};
use crate::actor::Actor;
use crate::{Error, Result};

/// The input field errors name.
const FIELD: &str = "xml";

fn refuse(why: impl Into<String>) -> Error {
    Error::bad_input(
        FIELD,
        format!("`xml` is not an IIA this API takes: {}", why.into()),
    )
}

/// The elements each element may hold (contacts hold what EWP's contact
/// schema allows, which is not checked here: they are not imported).
fn allowed(parent: &str) -> Option<&'static [&'static str]> {
    const SPEC: &[&str] = &[
        "sending-hei-id",
        "sending-ounit-id",
        "sending-contact",
        "receiving-hei-id",
        "receiving-ounit-id",
        "receiving-contact",
        "receiving-first-academic-year-id",
        "receiving-last-academic-year-id",
        "mobilities-per-year",
        "recommended-language-skill",
        "subject-area",
        "other-info-terms",
        "total-months-per-year",
        "blended",
        "eqf-level",
        "total-days-per-year",
    ];
    Some(match parent {
        "iias-get-response" => &["iia"],
        "iia" => &[
            "partner",
            "in-effect",
            "cooperation-conditions",
            "iia-hash",
            "pdf-file",
        ],
        "partner" => &[
            "hei-id",
            "ounit-id",
            "iia-id",
            "iia-code",
            "signing-contact",
            "signing-date",
            "contact",
        ],
        "cooperation-conditions" => &[
            "student-studies-mobility-spec",
            "student-traineeship-mobility-spec",
            "staff-teacher-mobility-spec",
            "staff-training-mobility-spec",
        ],
        "student-studies-mobility-spec"
        | "student-traineeship-mobility-spec"
        | "staff-teacher-mobility-spec"
        | "staff-training-mobility-spec" => SPEC,
        "recommended-language-skill" => &["language", "cefr-level", "subject-area"],
        "subject-area" => &["isced-f-code", "isced-clarification"],
        _ => return None,
    })
}

/// Checks that every element is one the specification has where it is.
fn check_structure(root: Node<'_, '_>) -> Result<()> {
    if root.tag_name().name() != "iias-get-response"
        || root.tag_name().namespace() != Some(NAMESPACE)
    {
        return Err(refuse(format!(
            "the root element must be <iias-get-response> of namespace {NAMESPACE}"
        )));
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let name = node.tag_name().name();
        let Some(children) = allowed(name) else {
            continue; // a contact, or a leaf
        };
        for child in node.children().filter(Node::is_element) {
            let child_name = child.tag_name().name();
            if !children.contains(&child_name) {
                return Err(refuse(format!(
                    "<{child_name}> is not an element of <{name}> (it holds {})",
                    children.join(", ")
                )));
            }
            stack.push(child);
        }
    }
    Ok(())
}

fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .map(|c| super::ewp::string_value(c).trim().to_owned())
}

fn all_of<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn required(node: Node<'_, '_>, name: &str) -> Result<String> {
    text_of(node, name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| refuse(format!("<{}> has no <{name}>", node.tag_name().name())))
}

/// A document's partner.
struct DocPartner {
    organization: i64,
    home: bool,
    iia_id: Option<String>,
    iia_code: Option<String>,
    signing_date: Option<NaiveDate>,
    signatory: Option<String>,
}

/// Creates or updates the agreement `xml` states.
pub async fn import(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    xml: &str,
) -> Result<SeenAgreement> {
    crate::write::authorize(actor, crate::write::Permission::Write)?;
    let document = parse(FIELD, xml)?;
    let root = document.root_element();
    check_structure(root)?;
    let iias: Vec<Node<'_, '_>> = all_of(root, "iia").collect();
    let [iia] = iias[..] else {
        return Err(refuse(format!(
            "it must hold one <iia>; it holds {}",
            iias.len()
        )));
    };

    // The partners, matched by SCHAC code.
    let mut partners = Vec::new();
    for node in all_of(iia, "partner") {
        let hei = required(node, "hei-id")?;
        let code = crate::organization_identifier::normalize(FIELD, IdentifierScheme::Schac, &hei)
            .map_err(|_| refuse(format!("`{hei}` is not a SCHAC code")))?;
        let Some(organization) =
            crate::organization_identifier::organization_of(db, IdentifierScheme::Schac, &code)
                .await?
        else {
            return Err(refuse(format!(
                "no organization has the SCHAC code `{code}` (give one its identifier first)"
            )));
        };
        let home = entity::organization::Entity::find_by_id(organization)
            .one(db)
            .await?
            .is_some_and(|o| o.is_home);
        let signing_date = match text_of(node, "signing-date") {
            Some(date) => Some(
                NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map_err(|_| refuse(format!("<signing-date> `{date}` is not a date")))?,
            ),
            None => None,
        };
        let signatory = all_of(node, "signing-contact")
            .next()
            .and_then(|c| text_of(c, "contact-name"));
        partners.push(DocPartner {
            organization,
            home,
            iia_id: text_of(node, "iia-id").filter(|v| !v.is_empty()),
            iia_code: text_of(node, "iia-code").filter(|v| !v.is_empty()),
            signing_date,
            signatory,
        });
    }
    if partners.len() != 2 {
        return Err(refuse(format!(
            "an IIA has two <partner>s; it has {}",
            partners.len()
        )));
    }
    let hei_of: HashMap<String, i64> = all_of(iia, "partner")
        .filter_map(|p| text_of(p, "hei-id"))
        .zip(partners.iter().map(|p| p.organization))
        .map(|(hei, org)| (hei.to_ascii_lowercase(), org))
        .collect();

    let conditions = conditions(iia, &hei_of)?;
    let in_effect = match text_of(iia, "in-effect").as_deref() {
        Some("true" | "1") => true,
        Some("false" | "0") => false,
        _ => return Err(refuse("<in-effect> must be true or false")),
    };
    let signed_on = partners.iter().find_map(|p| p.signing_date);

    // The agreement a party's IIA id names, if any.
    let mut existing = None;
    for partner in &partners {
        if let Some(iia_id) = &partner.iia_id {
            let found = entity::agreement_party::Entity::find()
                .filter(entity::agreement_party::Column::OrganizationId.eq(partner.organization))
                .filter(entity::agreement_party::Column::IiaId.eq(iia_id.clone()))
                .one(db)
                .await?;
            if let Some(found) = found {
                existing = Some(found.agreement_id);
                break;
            }
        }
    }
    let mut parties = Vec::with_capacity(2);
    for p in &partners {
        let signatory = match &p.signatory {
            Some(name) => entity::person::Entity::find()
                .filter(entity::person::Column::OrganizationId.eq(p.organization))
                .filter(entity::person::Column::FullName.eq(name.clone()))
                .one(db)
                .await?
                .map(|person| person.id),
            None => None,
        };
        parties.push(Party {
            organization_id: p.organization,
            role: if p.home {
                PartyRole::Lead
            } else {
                PartyRole::Partner
            },
            signatory_id: signatory,
            iia_id: p.iia_id.clone(),
            iia_code: p.iia_code.clone(),
        });
    }
    if parties.iter().all(|p| p.role == PartyRole::Partner) {
        return Err(refuse("neither partner is a home organization"));
    }
    if parties.iter().all(|p| p.role == PartyRole::Lead) {
        parties[1].role = PartyRole::Partner;
    }
    match existing {
        Some(id) => {
            let row = entity::agreement::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::NotFound(format!("no agreement {id}")))?;
            let changes = AgreementChanges {
                signed_on: signed_on.map(Some),
                ..Default::default()
            };
            let owned = OwnedChanges {
                parties: Some(parties),
                field_codes: None,
                conditions: Some(conditions),
            };
            super::update(db, actor, id, row.version, changes, owned).await
        }
        None => {
            let names: Vec<String> = {
                let mut names = Vec::new();
                for p in &partners {
                    let org = entity::organization::Entity::find_by_id(p.organization)
                        .one(db)
                        .await?;
                    names.push(org.map(|o| o.name).unwrap_or_default());
                }
                names
            };
            let status = if in_effect && signed_on.is_some() {
                AgreementStatus::Active
            } else {
                AgreementStatus::Draft
            };
            let changes = AgreementChanges {
                title: Some(format!(
                    "Inter-institutional agreement between {} and {}",
                    names[0], names[1]
                )),
                kind: Some(AgreementKind::StudentExchange),
                status: Some(status),
                signed_on: Some(signed_on),
                starts_on: Some(signed_on),
                ..Default::default()
            };
            super::create(db, actor, changes, parties, Vec::new(), conditions).await
        }
    }
}

/// The cooperation conditions of `iia`, each mobility's institutions by
/// SCHAC code (`hei_of`: the partners').
fn conditions(iia: Node<'_, '_>, hei_of: &HashMap<String, i64>) -> Result<Vec<Condition>> {
    let mut out = Vec::new();
    let Some(list) = all_of(iia, "cooperation-conditions").next() else {
        return Err(refuse("<iia> has no <cooperation-conditions>"));
    };
    for spec in list.children().filter(Node::is_element) {
        let kind = match spec.tag_name().name() {
            "student-studies-mobility-spec" => MobilityType::StudentStudies,
            "student-traineeship-mobility-spec" => MobilityType::StudentTraineeship,
            "staff-teacher-mobility-spec" => MobilityType::StaffTeaching,
            _ => MobilityType::StaffTraining,
        };
        let party = |name: &str| -> Result<i64> {
            let hei = required(spec, name)?.to_ascii_lowercase();
            hei_of
                .get(&hei)
                .copied()
                .ok_or_else(|| refuse(format!("<{name}> `{hei}` is not one of the two partners")))
        };
        let number = |name: &str| -> Result<Option<f64>> {
            match text_of(spec, name) {
                None => Ok(None),
                Some(v) => v
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| refuse(format!("<{name}> `{v}` is not a number"))),
            }
        };
        let per_year = required(spec, "mobilities-per-year")?;
        let mut languages = Vec::new();
        for skill in all_of(spec, "recommended-language-skill") {
            let language = required(skill, "language")?;
            let level = text_of(skill, "cefr-level").unwrap_or_default();
            let cefr_level = match level.as_str() {
                "A1" => CefrLevel::A1,
                "A2" => CefrLevel::A2,
                "B1" => CefrLevel::B1,
                "B2" => CefrLevel::B2,
                "C1" => CefrLevel::C1,
                "C2" => CefrLevel::C2,
                _ => {
                    return Err(refuse(format!(
                        "<recommended-language-skill> for `{language}` needs a <cefr-level> (A1 to C2)"
                    )));
                }
            };
            languages.push(Language {
                language,
                cefr_level,
            });
        }
        let subject_areas = all_of(spec, "subject-area")
            .map(|area| {
                Ok(Subject {
                    field_code: required(area, "isced-f-code")?,
                    clarification: text_of(area, "isced-clarification"),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let eqf_levels = all_of(spec, "eqf-level")
            .map(|level| {
                let text = super::ewp::string_value(level);
                text.trim()
                    .parse::<i32>()
                    .map_err(|_| refuse(format!("<eqf-level> `{text}` is not a level")))
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(Condition {
            mobility_type: kind,
            sending_organization_id: party("sending-hei-id")?,
            receiving_organization_id: party("receiving-hei-id")?,
            first_academic_year: required(spec, "receiving-first-academic-year-id")?,
            last_academic_year: required(spec, "receiving-last-academic-year-id")?,
            mobilities_per_year: per_year.parse().map_err(|_| {
                refuse(format!(
                    "<mobilities-per-year> `{per_year}` is not a number"
                ))
            })?,
            total_months_per_year: number("total-months-per-year")?,
            total_days_per_year: number("total-days-per-year")?,
            blended: matches!(text_of(spec, "blended").as_deref(), Some("true" | "1")),
            eqf_levels,
            subject_areas,
            languages,
        });
    }
    Ok(out)
}
