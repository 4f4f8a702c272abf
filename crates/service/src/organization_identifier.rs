//! What other registries call an organization: each scheme's form, its
//! check, and the one stored form every accepted spelling normalizes to.
//!
//! | scheme | accepted | stored |
//! |---|---|---|
//! | ROR | `00pjdza24`, `ror.org/…`, `https://ror.org/…` (ISO 7064 mod 97-10 check digits) | `https://ror.org/00pjdza24` |
//! | SCHAC | a domain name, any case | `uni-ruse.bg` |
//! | Erasmus | country prefix (1–3 letters), city, two or three digits, any spacing and case | `D  BERLIN01` (prefix padded to three) |
//! | PIC | nine digits | `999875633` |
//! | Wikidata | `Q42`, `q42`, `wikidata.org/wiki/Q42` | `Q42` |
//! | ISNI | 16 characters, the last an ISO 7064 mod 11-2 check character; spaces allowed | `000000012146438X` |
//! | GRID | `grid.1001.0` | `grid.1001.0` |
//! | FundRef | digits, or the DOI `10.13039/…` | `501100000780` |

use entity::organization_identifier::{self as oi, IdentifierScheme};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::write::Write;
use crate::{Error, Result};

/// An identifier as a write gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identifier {
    pub scheme: IdentifierScheme,
    pub value: String,
}

/// The set a write gives, each value in its stored form; repeated ones
/// count once, and a scheme an organization holds once ([`single`]) may
/// not come twice. `field` names the list in errors.
pub fn normalize_set(field: &str, given: Vec<Identifier>) -> Result<Vec<Identifier>> {
    crate::write::list_size(field, &given)?;
    let mut set: Vec<Identifier> = Vec::with_capacity(given.len());
    for (i, Identifier { scheme, value }) in given.into_iter().enumerate() {
        let value = normalize(&format!("{field}[{i}].value"), scheme, &value)?;
        if set.iter().any(|x| x.scheme == scheme && x.value == value) {
            continue;
        }
        if single(scheme) && set.iter().any(|x| x.scheme == scheme) {
            return Err(Error::bad_input(
                format!("{field}[{i}].scheme"),
                format!(
                    "an organization has one {} identifier; `{field}` names two",
                    scheme_name(scheme)
                ),
            ));
        }
        set.push(Identifier { scheme, value });
    }
    Ok(set)
}

/// The scheme as GraphQL names it.
pub fn scheme_name(scheme: IdentifierScheme) -> &'static str {
    match scheme {
        IdentifierScheme::Ror => "ROR",
        IdentifierScheme::Schac => "SCHAC",
        IdentifierScheme::Erasmus => "ERASMUS",
        IdentifierScheme::Pic => "PIC",
        IdentifierScheme::Wikidata => "WIKIDATA",
        IdentifierScheme::Isni => "ISNI",
        IdentifierScheme::Grid => "GRID",
        IdentifierScheme::Fundref => "FUNDREF",
    }
}

/// The ROR id of a set, if it holds one.
pub fn ror_of(set: &[Identifier]) -> Option<&str> {
    set.iter()
        .find(|x| x.scheme == IdentifierScheme::Ror)
        .map(|x| x.value.as_str())
}

/// Writes the identifiers of organization `id`: replaces its set with
/// `set`, or (`only` given) only the identifiers of that scheme. A value
/// another organization holds is a `CONFLICT` naming it.
pub async fn replace(
    w: &Write,
    id: i64,
    set: &[Identifier],
    only: Option<IdentifierScheme>,
    fresh: bool,
) -> Result<()> {
    if !fresh {
        let mut delete = oi::Entity::delete_many().filter(oi::Column::OrganizationId.eq(id));
        if let Some(scheme) = only {
            delete = delete.filter(oi::Column::Scheme.eq(scheme));
        }
        delete.exec(&w.txn).await?;
    }
    for x in set {
        let holder = oi::Entity::find()
            .filter(oi::Column::Scheme.eq(x.scheme))
            .filter(oi::Column::Value.eq(x.value.clone()))
            .filter(oi::Column::OrganizationId.ne(id))
            .one(&w.txn)
            .await?;
        if holder.is_some() {
            return Err(Error::conflict(format!(
                "the {} identifier `{}` belongs to another organization",
                scheme_name(x.scheme),
                x.value
            )));
        }
        oi::ActiveModel {
            organization_id: Set(id),
            scheme: Set(x.scheme),
            value: Set(x.value.clone()),
        }
        .insert(&w.txn)
        .await?;
    }
    Ok(())
}

/// The identifiers of organization `id`, as the audit log keeps them.
pub async fn of(db: &impl sea_orm::ConnectionTrait, id: i64) -> Result<Vec<oi::Model>> {
    Ok(oi::Entity::find()
        .filter(oi::Column::OrganizationId.eq(id))
        .order_by_asc(oi::Column::Scheme)
        .order_by_asc(oi::Column::Value)
        .all(db)
        .await?)
}

/// The key of the organization an identifier names (in any spelling its
/// scheme accepts), as a scalar subquery for a one-statement read; a value
/// that is not an identifier of the scheme is `BAD_USER_INPUT` naming
/// `field`.
pub fn key_of(
    field: &str,
    scheme: IdentifierScheme,
    value: &str,
) -> Result<sea_orm::sea_query::Expr> {
    use sea_orm::sea_query::{Expr, Query};
    let value = normalize(field, scheme, value)?;
    let mut select = Query::select();
    select
        .column(oi::Column::OrganizationId)
        .from(oi::Entity)
        .and_where(oi::Column::Scheme.eq(scheme))
        .and_where(oi::Column::Value.eq(value));
    Ok(Expr::SubQuery(
        None,
        Box::new(sea_orm::sea_query::SubQueryStatement::SelectStatement(
            select,
        )),
    ))
}

/// The organization an identifier names, in any spelling its scheme
/// accepts; `None` when none holds it. A value that is not an identifier
/// of the scheme is `BAD_USER_INPUT`.
pub async fn organization_of(
    db: &impl sea_orm::ConnectionTrait,
    scheme: IdentifierScheme,
    value: &str,
) -> Result<Option<i64>> {
    let value = normalize("value", scheme, value)?;
    Ok(oi::Entity::find()
        .filter(oi::Column::Scheme.eq(scheme))
        .filter(oi::Column::Value.eq(value))
        .one(db)
        .await?
        .map(|row| row.organization_id))
}

/// The longest identifier accepted, in any spelling.
const MAX_LENGTH: usize = 200;

/// The stored form of `value` as an identifier of `scheme`, or why it is
/// not one; `field` names the input in the error.
pub fn normalize(field: &str, scheme: IdentifierScheme, value: &str) -> Result<String> {
    let value = value.trim();
    let refuse = |what: &str| {
        Error::bad_input(
            field,
            format!("`{field}` is not {} identifier: {what}", article(scheme)),
        )
    };
    if value.chars().count() > MAX_LENGTH {
        return Err(refuse("too long"));
    }
    match scheme {
        IdentifierScheme::Ror => ror(value).ok_or_else(|| {
            refuse("a ROR id is `0`, six characters of Crockford's base 32 and two check digits (`00pjdza24` or `https://ror.org/00pjdza24`)")
        }),
        IdentifierScheme::Schac => schac(value)
            .ok_or_else(|| refuse("a SCHAC code is a domain name (`uni-ruse.bg`)")),
        IdentifierScheme::Erasmus => erasmus(value).ok_or_else(|| {
            refuse("an Erasmus code is a country prefix, a city and two or three digits (`D  BERLIN01`)")
        }),
        IdentifierScheme::Pic => {
            let digits = value.chars().all(|c| c.is_ascii_digit());
            (digits && value.len() == 9)
                .then(|| value.to_owned())
                .ok_or_else(|| refuse("a PIC is nine digits"))
        }
        IdentifierScheme::Wikidata => wikidata(value)
            .ok_or_else(|| refuse("a Wikidata item is `Q` and digits (`Q42`)")),
        IdentifierScheme::Isni => isni(value).ok_or_else(|| {
            refuse("an ISNI is 16 characters whose last is the ISO 7064 mod 11-2 check character (`0000 0001 2146 438X`)")
        }),
        IdentifierScheme::Grid => grid(value)
            .ok_or_else(|| refuse("a GRID id is `grid.`, digits, `.` and a check character (`grid.1001.0`)")),
        IdentifierScheme::Fundref => fundref(value)
            .ok_or_else(|| refuse("a FundRef id is digits, or the DOI `10.13039/` and digits")),
    }
}

fn article(scheme: IdentifierScheme) -> &'static str {
    match scheme {
        IdentifierScheme::Ror => "a ROR",
        IdentifierScheme::Schac => "a SCHAC",
        IdentifierScheme::Erasmus => "an Erasmus",
        IdentifierScheme::Pic => "a PIC",
        IdentifierScheme::Wikidata => "a Wikidata",
        IdentifierScheme::Isni => "an ISNI",
        IdentifierScheme::Grid => "a GRID",
        IdentifierScheme::Fundref => "a FundRef",
    }
}

/// Whether an organization holds at most one identifier of the scheme
/// (others, such as ISNI or Wikidata, list several for one organization).
pub const fn single(scheme: IdentifierScheme) -> bool {
    matches!(
        scheme,
        IdentifierScheme::Ror
            | IdentifierScheme::Schac
            | IdentifierScheme::Erasmus
            | IdentifierScheme::Pic
    )
}

/// `value` with the first of `prefixes` (compared without case) removed.
fn strip_any<'a>(value: &'a str, prefixes: &[&str]) -> &'a str {
    prefixes
        .iter()
        .find_map(|prefix| {
            value
                .get(..prefix.len())
                .filter(|head| head.eq_ignore_ascii_case(prefix))
                .map(|_| &value[prefix.len()..])
        })
        .unwrap_or(value)
}

/// Crockford's base 32, as ROR writes it (no `i`, `l`, `o`, `u`).
const CROCKFORD: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A ROR id in its URL form, if `value` is one with the right check digits.
pub fn ror(value: &str) -> Option<String> {
    let id =
        strip_any(value, &["https://ror.org/", "http://ror.org/", "ror.org/"]).to_ascii_lowercase();
    let bytes = id.as_bytes();
    if bytes.len() != 9 || bytes[0] != b'0' || !bytes[7..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut number: u64 = 0;
    for b in &bytes[..7] {
        let digit = CROCKFORD.iter().position(|c| c == b)?;
        number = number * 32 + digit as u64;
    }
    let check = 98 - (number * 100) % 97;
    let given: u64 = id[7..].parse().ok()?;
    (check == given).then(|| format!("https://ror.org/{id}"))
}

/// A domain name in lower case.
fn schac(value: &str) -> Option<String> {
    let domain = value.to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let top = labels.last()?;
    (domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && top.bytes().all(|b| b.is_ascii_lowercase()))
    .then_some(domain)
}

/// An Erasmus code as EWP writes it: the country prefix padded with spaces
/// to three characters, then the city and its number.
fn erasmus(value: &str) -> Option<String> {
    let upper = value.to_uppercase();
    let (prefix, rest) = match upper.split_once(char::is_whitespace) {
        Some((prefix, rest)) => (prefix, rest.trim_start()),
        None => upper.split_at_checked(3)?,
    };
    let letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase());
    if !letters(prefix) || prefix.len() > 3 {
        return None;
    }
    let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    let city = &rest[..rest.len() - digits];
    let city_ok = city.len() >= 2
        && city.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && city.bytes().all(|b| b.is_ascii_uppercase() || b == b'-');
    ((2..=3).contains(&digits) && city_ok).then(|| format!("{prefix:<3}{rest}"))
}

/// A Wikidata item id (`Q42`).
fn wikidata(value: &str) -> Option<String> {
    let id = strip_any(
        value,
        &[
            "https://www.wikidata.org/wiki/",
            "http://www.wikidata.org/wiki/",
            "www.wikidata.org/wiki/",
            "wikidata.org/wiki/",
        ],
    );
    let digits = id.strip_prefix(['Q', 'q'])?;
    (!digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("Q{digits}"))
}

/// An ISNI without spaces, its check character upper-case.
fn isni(value: &str) -> Option<String> {
    let id = strip_any(
        value,
        &[
            "https://isni.org/isni/",
            "http://isni.org/isni/",
            "isni.org/isni/",
            "ISNI",
        ],
    );
    let compact: String = id
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bytes = compact.as_bytes();
    if bytes.len() != 16 || !bytes[..15].iter().all(u8::is_ascii_digit) {
        return None;
    }
    // ISO 7064 MOD 11-2.
    let mut total = 0u32;
    for b in &bytes[..15] {
        total = (total + u32::from(b - b'0')) * 2;
    }
    let check = (12 - total % 11) % 11;
    let expected = if check == 10 {
        b'X'
    } else {
        b'0' + check as u8
    };
    (bytes[15] == expected).then_some(compact)
}

/// A GRID id: `grid.<digits>.<one alphanumeric character or more>`.
fn grid(value: &str) -> Option<String> {
    let id = value.to_ascii_lowercase();
    let rest = id.strip_prefix("grid.")?;
    let (number, check) = rest.split_once('.')?;
    let number_ok = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    let check_ok = !check.is_empty() && check.bytes().all(|b| b.is_ascii_alphanumeric());
    (number_ok && check_ok).then_some(id)
}

/// A Crossref Funder Registry id: its digits.
fn fundref(value: &str) -> Option<String> {
    let id = strip_any(
        value,
        &[
            "https://doi.org/10.13039/",
            "http://dx.doi.org/10.13039/",
            "10.13039/",
        ],
    );
    (!id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentifierScheme::*;

    fn ok(scheme: IdentifierScheme, value: &str) -> String {
        normalize("value", scheme, value).unwrap_or_else(|e| panic!("{value}: {e}"))
    }

    fn refused(scheme: IdentifierScheme, value: &str) {
        let error = normalize("identifiers[0].value", scheme, value)
            .expect_err(&format!("{value} was accepted"));
        assert_eq!(error.code(), "BAD_USER_INPUT");
        assert!(
            error.to_string().contains("identifiers[0].value"),
            "{error}"
        );
    }

    #[test]
    fn ror_ids_carry_mod_97_check_digits() {
        for (given, stored) in [
            ("00pjdza24", "https://ror.org/00pjdza24"),
            ("https://ror.org/03cve4549", "https://ror.org/03cve4549"),
            ("ROR.org/02MHBDP94", "https://ror.org/02mhbdp94"),
            ("  http://ror.org/01an7q238 ", "https://ror.org/01an7q238"),
        ] {
            assert_eq!(ok(Ror, given), stored);
        }
        refused(Ror, "00pjdza25"); // a check digit off by one
        refused(Ror, "03cve4594"); // the digits swapped
        refused(Ror, "10pjdza24"); // not starting with 0
        refused(Ror, "00pjdIa24"); // `i` is not in Crockford's alphabet
        refused(Ror, "https://example.org/00pjdza24");
        refused(Ror, "");
    }

    #[test]
    fn isni_carries_a_mod_11_2_check_character() {
        assert_eq!(ok(Isni, "0000 0001 2146 438X"), "000000012146438X");
        assert_eq!(ok(Isni, "0000000121032683"), "0000000121032683");
        assert_eq!(ok(Isni, "0000 0004 0427 7672"), "0000000404277672");
        assert_eq!(ok(Isni, "000000012146438x"), "000000012146438X");
        refused(Isni, "0000 0001 2146 4381");
        refused(Isni, "0000000121032684");
        refused(Isni, "000000012103268");
        refused(Isni, "00000001210326X3");
    }

    #[test]
    fn pic_is_nine_digits() {
        assert_eq!(ok(Pic, "999875633"), "999875633");
        refused(Pic, "99987563");
        refused(Pic, "9998756330");
        refused(Pic, "99987563A");
    }

    #[test]
    fn wikidata_is_q_and_digits() {
        assert_eq!(ok(Wikidata, "Q42"), "Q42");
        assert_eq!(ok(Wikidata, "q1513"), "Q1513");
        assert_eq!(
            ok(Wikidata, "https://www.wikidata.org/wiki/Q1058950"),
            "Q1058950"
        );
        refused(Wikidata, "Q");
        refused(Wikidata, "P31");
        refused(Wikidata, "Q012");
        refused(Wikidata, "42");
    }

    #[test]
    fn schac_is_a_lower_case_domain() {
        assert_eq!(ok(Schac, "uni-ruse.bg"), "uni-ruse.bg");
        assert_eq!(ok(Schac, "TUDublin.IE"), "tudublin.ie");
        assert_eq!(ok(Schac, "sspu.edu.cn"), "sspu.edu.cn");
        refused(Schac, "localhost");
        refused(Schac, "uni_ruse.bg");
        refused(Schac, "-uni.bg");
        refused(Schac, "uni..bg");
        refused(Schac, "uni.b2");
        refused(Schac, "https://uni-ruse.bg");
    }

    #[test]
    fn erasmus_codes_pad_the_country_prefix() {
        assert_eq!(ok(Erasmus, "D  BERLIN01"), "D  BERLIN01");
        assert_eq!(ok(Erasmus, "d berlin01"), "D  BERLIN01");
        assert_eq!(ok(Erasmus, "BG ROUSSE01"), "BG ROUSSE01");
        assert_eq!(ok(Erasmus, "IRLDUBLIN44"), "IRLDUBLIN44");
        assert_eq!(ok(Erasmus, "F  PARIS001"), "F  PARIS001");
        assert_eq!(ok(Erasmus, "PL WARSZAW01"), "PL WARSZAW01");
        refused(Erasmus, "12 BERLIN01");
        refused(Erasmus, "D  BERL1N01");
        refused(Erasmus, "D  BERLIN");
        refused(Erasmus, "D  BERLIN0001");
        refused(Erasmus, "DEUT BERLIN01");
        refused(Erasmus, "D  B01");
    }

    #[test]
    fn grid_and_fundref() {
        assert_eq!(ok(Grid, "grid.1001.0"), "grid.1001.0");
        assert_eq!(ok(Grid, "GRID.7177.6"), "grid.7177.6");
        refused(Grid, "grid.1001");
        refused(Grid, "1001.0");
        assert_eq!(ok(Fundref, "501100000780"), "501100000780");
        assert_eq!(ok(Fundref, "10.13039/501100000780"), "501100000780");
        refused(Fundref, "5011x");
        refused(Fundref, "");
    }

    #[test]
    fn single_schemes() {
        assert!(single(Ror) && single(Schac) && single(Pic) && single(Erasmus));
        assert!(!single(Isni) && !single(Wikidata) && !single(Fundref) && !single(Grid));
    }
}
