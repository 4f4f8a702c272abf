//! Organizations from the Research Organization Registry (ROR): a record of
//! ROR's schema v2 (<https://github.com/ror-community/ror-schema>) creates
//! or updates the organization holding its ROR id, through the same writes
//! as `createOrganization`/`updateOrganization` (their checks, version and
//! audit entry).
//!
//! What a record gives:
//! - the `ror_display` name as `name`; every name with its language into
//!   `names` (`und`, BCP 47's undetermined language, where ROR gives none):
//!   the `ror_display` one as `DISPLAY`, then labels, acronyms and aliases;
//! - its first acronym as `shortName`;
//! - `education` as a university, `company` as a company, anything else as
//!   an institute;
//! - country and city from the first location, `established`, the first
//!   website link;
//! - its ROR id and every external id (`all`, the preferred one included)
//!   as identifiers. An id that fails its scheme's check (ROR's own data has
//!   a few) is left out with a warning.
//!
//! What the organization keeps: its identifiers of schemes ROR does not
//! give (SCHAC, Erasmus, PIC), its names ROR does not list, and everything
//! else ROR says nothing of (description, industry, being home).
//!
//! A record whose import would change nothing is not written: no version
//! bump, no audit entry. A `withdrawn` record is skipped (ROR keeps it only
//! to say the id is no longer an organization).

use entity::organization::OrganizationKind;
use entity::organization_identifier::IdentifierScheme;
use entity::organization_name::NameKind;
use sea_orm::EntityTrait;
use serde::Deserialize;
use serde_json::Value;

use crate::organization::OrganizationChanges;
use crate::organization_identifier::Identifier;
use crate::organization_name::LocalizedName;
use crate::write::{self, Edit, Write};
use crate::{Error, Result};

/// A ROR schema v2 record: the fields the import reads, and those the
/// schema requires (a record without them breaks the schema).
#[derive(Debug, Deserialize)]
pub struct Record {
    pub id: String,
    pub names: Vec<Name>,
    pub types: Vec<OrganizationType>,
    pub status: Status,
    pub locations: Vec<Location>,
    #[allow(dead_code)]
    admin: Admin,
    #[serde(default)]
    pub established: Option<serde_json::Number>,
    #[serde(default)]
    pub links: Option<Vec<Link>>,
    #[serde(default)]
    pub external_ids: Option<Vec<ExternalId>>,
}

#[derive(Debug, Deserialize)]
pub struct Name {
    pub value: String,
    pub types: Vec<NameType>,
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameType {
    Acronym,
    Alias,
    Label,
    RorDisplay,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationType {
    Education,
    Funder,
    Healthcare,
    Company,
    Archive,
    Nonprofit,
    Government,
    Facility,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Inactive,
    Withdrawn,
}

#[derive(Debug, Deserialize)]
pub struct Location {
    #[allow(dead_code)]
    geonames_id: i64,
    pub geonames_details: Place,
}

#[derive(Debug, Deserialize)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub country_code: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Link {
    #[serde(rename = "type")]
    pub kind: LinkType,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    Website,
    Wikipedia,
}

#[derive(Debug, Deserialize)]
pub struct ExternalId {
    #[serde(rename = "type")]
    pub kind: ExternalType,
    pub all: Vec<String>,
    #[serde(default)]
    pub preferred: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalType {
    Fundref,
    Grid,
    Isni,
    Wikidata,
}

#[derive(Debug, Deserialize)]
struct Admin {
    #[allow(dead_code)]
    created: Stamp,
    #[allow(dead_code)]
    last_modified: Stamp,
}

#[derive(Debug, Deserialize)]
struct Stamp {
    #[allow(dead_code)]
    date: String,
    #[allow(dead_code)]
    schema_version: String,
}

/// A record as the import writes it.
#[derive(Debug)]
pub struct Mapped {
    /// Its ROR id (the URL form).
    pub ror: String,
    pub kind: OrganizationKind,
    pub name: String,
    pub short_name: Option<String>,
    pub country_code: String,
    pub city: Option<String>,
    pub website: Option<String>,
    pub founded_year: Option<i32>,
    /// ROR's identifiers of the organization, its ROR id first.
    pub identifiers: Vec<Identifier>,
    /// ROR's names of the organization, the display name first.
    pub names: Vec<LocalizedName>,
    /// What was left out, and why.
    pub warnings: Vec<String>,
}

/// The schemes ROR gives: an organization's identifiers of other schemes
/// stay as they are.
const FROM_ROR: &[IdentifierScheme] = &[
    IdentifierScheme::Ror,
    IdentifierScheme::Fundref,
    IdentifierScheme::Grid,
    IdentifierScheme::Isni,
    IdentifierScheme::Wikidata,
];

/// Reads a record of ROR's schema v2, or says where it breaks the schema.
/// `Ok(None)`: a withdrawn record, not imported.
pub fn map(value: Value) -> std::result::Result<Option<Mapped>, String> {
    let record: Record = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if record.status == Status::Withdrawn {
        return Ok(None);
    }
    let ror = crate::organization_identifier::normalize("id", IdentifierScheme::Ror, &record.id)
        .map_err(|e| format!("`id` {}: {}", record.id, e))?;
    if record.names.is_empty() || record.types.is_empty() || record.locations.is_empty() {
        return Err("`names`, `types` and `locations` must each have an item".to_owned());
    }
    if let Some(name) = record.names.iter().find(|n| n.types.is_empty()) {
        return Err(format!("the name `{}` has no `types`", name.value));
    }
    let display = record
        .names
        .iter()
        .find(|n| n.types.contains(&NameType::RorDisplay))
        .ok_or("no name is the `ror_display` one")?;
    let place = &record.locations[0].geonames_details;
    let country_code = place
        .country_code
        .clone()
        .ok_or("the first location has no `country_code`")?;
    let mut warnings = Vec::new();
    let mut names = Vec::with_capacity(record.names.len());
    let rank = |n: &Name| {
        [
            NameType::RorDisplay,
            NameType::Label,
            NameType::Acronym,
            NameType::Alias,
        ]
        .iter()
        .position(|t| n.types.contains(t))
    };
    let mut ordered: Vec<&Name> = record.names.iter().collect();
    ordered.sort_by_key(|n| rank(n));
    for n in ordered {
        let kind = match rank(n) {
            Some(0) => NameKind::Display,
            Some(1) => NameKind::Label,
            Some(2) => NameKind::Acronym,
            _ => NameKind::Alias,
        };
        let lang = n.lang.clone().unwrap_or_else(|| "und".to_owned());
        match crate::organization_name::language_tag("lang", &lang) {
            Ok(lang) => names.push(LocalizedName {
                value: n.value.clone(),
                lang,
                kind,
            }),
            Err(e) => warnings.push(format!("name `{}` left out: {}", n.value, e)),
        }
    }
    let mut identifiers = vec![Identifier {
        scheme: IdentifierScheme::Ror,
        value: ror.clone(),
    }];
    for external in record.external_ids.iter().flatten() {
        let scheme = match external.kind {
            ExternalType::Fundref => IdentifierScheme::Fundref,
            ExternalType::Grid => IdentifierScheme::Grid,
            ExternalType::Isni => IdentifierScheme::Isni,
            ExternalType::Wikidata => IdentifierScheme::Wikidata,
        };
        for value in external.preferred.iter().chain(&external.all) {
            match crate::organization_identifier::normalize("value", scheme, value) {
                Ok(value) => {
                    let id = Identifier { scheme, value };
                    if !identifiers.contains(&id) {
                        identifiers.push(id);
                    }
                }
                Err(e) => warnings.push(format!("{scheme:?} `{value}` left out: {}", e)),
            }
        }
    }
    let website = record
        .links
        .iter()
        .flatten()
        .find(|l| l.kind == LinkType::Website)
        .and_then(|l| match write::web_url("website", Some(l.value.clone())) {
            Ok(url) => url,
            Err(e) => {
                warnings.push(format!("website `{}` left out: {}", l.value, e));
                None
            }
        });
    let kind = if record.types.contains(&OrganizationType::Education) {
        OrganizationKind::University
    } else if record.types.contains(&OrganizationType::Company) {
        OrganizationKind::Company
    } else {
        OrganizationKind::Institute
    };
    Ok(Some(Mapped {
        ror,
        kind,
        name: display.value.clone(),
        short_name: record
            .names
            .iter()
            .find(|n| n.types.contains(&NameType::Acronym))
            .map(|n| n.value.clone()),
        country_code,
        city: Some(place.name.clone()),
        website,
        founded_year: record
            .established
            .as_ref()
            .and_then(serde_json::Number::as_i64)
            .and_then(|y| i32::try_from(y).ok()),
        identifiers,
        names,
        warnings,
    }))
}

/// What importing a record did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Writes `record` in `w`: creates the organization holding its ROR id,
/// or updates it. [`Outcome::Unchanged`] when the update changes nothing:
/// the caller then drops `w` (nothing is written, no version bump, no audit
/// entry).
pub async fn apply(w: &Write, record: Mapped) -> Result<Outcome> {
    use entity::organization::ActiveModel;
    let existing =
        crate::organization_identifier::organization_of(&w.txn, IdentifierScheme::Ror, &record.ror)
            .await?;
    let mut changes = OrganizationChanges {
        kind: Some(record.kind),
        name: Some(record.name),
        short_name: Some(record.short_name),
        country_code: Some(record.country_code),
        city: Some(record.city),
        website: Some(record.website),
        founded_year: Some(record.founded_year),
        industry: None,
        ror_id: None,
        is_home: None,
        description: None,
        identifiers: None,
        names: None,
    };
    let (mut identifiers, mut names) = (record.identifiers, record.names);
    let Some(id) = existing else {
        changes.identifiers = Some(identifiers);
        changes.names = Some(names);
        let owned = ActiveModel::owned(&mut changes, true)?;
        write::create_in::<ActiveModel>(w, changes, owned).await?;
        return Ok(Outcome::Created);
    };
    for kept in crate::organization_identifier::of(&w.txn, id).await? {
        if !FROM_ROR.contains(&kept.scheme) {
            identifiers.push(Identifier {
                scheme: kept.scheme,
                value: kept.value,
            });
        }
    }
    for kept in crate::organization_name::of(&w.txn, id).await? {
        let listed = names
            .iter()
            .any(|n| n.value == kept.value && n.lang == kept.lang);
        if kept.kind != NameKind::Display && !listed {
            names.push(LocalizedName {
                value: kept.value,
                lang: kept.lang,
                kind: kept.kind,
            });
        }
    }
    changes.identifiers = Some(identifiers);
    changes.names = Some(names);
    let before = entity::organization::Entity::find_by_id(id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| Error::NotFound("organization".to_owned()))?;
    let before_json = ActiveModel::audit_snapshot(w, &before).await?;
    let owned = ActiveModel::owned(&mut changes, false)?;
    let edit = |_: &entity::organization::Model, am: &mut ActiveModel| am.apply(changes);
    let after =
        write::change_in::<ActiveModel>(w, id, before.version, write::Action::Update, edit, owned)
            .await?;
    let after_json = ActiveModel::audit_snapshot(w, &after).await?;
    Ok(if same(&before_json, &after_json) {
        Outcome::Unchanged
    } else {
        Outcome::Updated
    })
}

/// Two snapshots of a row equal but for its version and timestamps.
fn same(before: &Value, after: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Value::Object(map) = &mut v {
            for key in ["version", "updated_at", "created_at", "name_key"] {
                map.remove(key);
            }
        }
        v
    };
    strip(before) == strip(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "id": "https://ror.org/02as5yg64",
            "names": [
                { "value": "SSPU", "types": ["acronym"], "lang": null },
                { "value": "上海第二工业大学", "types": ["label"], "lang": "zh" },
                { "value": "Shanghai Polytechnic University", "types": ["label", "ror_display"], "lang": "en" }
            ],
            "types": ["education", "funder"],
            "status": "active",
            "locations": [{ "geonames_id": 1796236,
                "geonames_details": { "name": "Shanghai", "country_code": "CN" } }],
            "established": 1960,
            "links": [{ "type": "website", "value": "http://www.sspu.edu.cn/" }],
            "external_ids": [
                { "type": "isni", "all": ["0000 0000 9194 7697", "0000 0000 9194 7698"], "preferred": null },
                { "type": "wikidata", "all": ["Q17013222"], "preferred": "Q17013222" }
            ],
            "admin": { "created": { "date": "2018-11-14", "schema_version": "1.0" },
                       "last_modified": { "date": "2024-12-11", "schema_version": "2.1" } }
        })
    }

    #[test]
    fn a_record_maps_to_an_organization() {
        let mapped = map(record()).expect("a valid record").expect("active");
        assert_eq!(mapped.ror, "https://ror.org/02as5yg64");
        assert_eq!(mapped.kind, OrganizationKind::University);
        assert_eq!(mapped.name, "Shanghai Polytechnic University");
        assert_eq!(mapped.short_name.as_deref(), Some("SSPU"));
        assert_eq!(
            (mapped.country_code.as_str(), mapped.city.as_deref()),
            ("CN", Some("Shanghai"))
        );
        assert_eq!(mapped.founded_year, Some(1960));
        let names: Vec<(&str, &str, NameKind)> = mapped
            .names
            .iter()
            .map(|n| (n.value.as_str(), n.lang.as_str(), n.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("Shanghai Polytechnic University", "en", NameKind::Display),
                ("上海第二工业大学", "zh", NameKind::Label),
                ("SSPU", "und", NameKind::Acronym),
            ]
        );
        // The second ISNI fails its check character: left out, said so.
        let schemes: Vec<IdentifierScheme> = mapped.identifiers.iter().map(|i| i.scheme).collect();
        assert_eq!(
            schemes,
            [
                IdentifierScheme::Ror,
                IdentifierScheme::Isni,
                IdentifierScheme::Wikidata
            ]
        );
        assert_eq!(mapped.warnings.len(), 1, "{:?}", mapped.warnings);
        assert!(mapped.warnings[0].contains("0000 0000 9194 7698"));
    }

    #[test]
    fn a_record_that_breaks_the_schema_says_where() {
        let broken = |edit: fn(&mut Value)| {
            let mut r = record();
            edit(&mut r);
            map(r).expect_err("breaks the schema")
        };
        assert!(broken(|r| r["types"] = json!(["university"])).contains("university"));
        assert!(
            broken(|r| {
                r.as_object_mut().map(|o| o.remove("names"));
            })
            .contains("names")
        );
        assert!(broken(|r| r["id"] = json!("https://ror.org/02as5yg65")).contains("id"));
        assert!(broken(|r| r["names"][2]["types"] = json!(["label"])).contains("ror_display"));
        assert!(broken(|r| r["locations"] = json!([])).contains("locations"));
        let mut withdrawn = record();
        withdrawn["status"] = json!("withdrawn");
        assert!(map(withdrawn).expect("valid").is_none());
    }
}
