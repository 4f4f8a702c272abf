//! The validation rules every domain module shares: names and texts, e-mail
//! and web addresses, ROR ids, languages, dates, references and codes.

use chrono::NaiveDate;
use sea_orm::{ActiveValue, EntityTrait, PrimaryKeyTrait};

use super::Write;
use crate::{Error, Result};

/// Longest name or title accepted.
pub const MAX_NAME: usize = 300;
/// Longest free text accepted (summaries, descriptions).
pub const MAX_TEXT: usize = 10_000;
/// Most entries of a list in one input (parties, fields of study, partners).
pub const MAX_LIST: usize = 50;

/// Refuses a list longer than [`MAX_LIST`].
pub fn list_size<T>(field: &str, items: &[T]) -> Result<()> {
    if items.len() > MAX_LIST {
        return Err(Error::bad_input(
            field,
            format!("`{field}` holds at most {MAX_LIST} entries"),
        ));
    }
    Ok(())
}

/// A required name: normalized ([`crate::text::normalize_name`]), not empty,
/// with a visible character, not too long.
pub fn name(field: &str, value: String) -> Result<String> {
    crate::text::check(field, &value)?;
    let value = crate::text::normalize_name(&value);
    let value = value.as_str();
    if value.is_empty() {
        return Err(Error::bad_input(
            field,
            format!("`{field}` must not be empty"),
        ));
    }
    if !crate::text::has_visible(value) {
        return Err(Error::bad_input(
            field,
            format!("`{field}` has no visible character"),
        ));
    }
    if value.chars().count() > MAX_NAME {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is longer than {MAX_NAME} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// An optional text: trimmed, an empty one is no value.
pub fn text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>> {
    let Some(value) = value else { return Ok(None) };
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is longer than {max} characters"),
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// An e-mail address in the usual `local@domain` form.
pub fn email(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 254)? else {
        return Ok(None);
    };
    let options = email_address::Options::default().without_display_text();
    let has_dot = value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.contains('.'));
    if email_address::EmailAddress::parse_with_options(&value, options).is_err() || !has_dot {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is not an e-mail address"),
        ));
    }
    Ok(Some(value))
}

/// An absolute `http` or `https` URL.
pub fn web_url(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 2000)? else {
        return Ok(None);
    };
    match url::Url::parse(&value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(Some(value))
        }
        _ => Err(Error::bad_input(
            field,
            format!("`{field}` must be an absolute http(s) URL"),
        )),
    }
}

/// A Research Organization Registry id with valid check digits, bare or as
/// `https://ror.org/…`; stored in the URL form ([`crate::organization_identifier::ror`]).
pub fn ror_id(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 100)? else {
        return Ok(None);
    };
    let scheme = entity::organization_identifier::IdentifierScheme::Ror;
    crate::organization_identifier::normalize(field, scheme, &value).map(Some)
}

/// An ISO 639-1 language code, stored in lower case.
pub fn language(field: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(value) = text(field, value, 10)? else {
        return Ok(None);
    };
    let code = value.to_ascii_lowercase();
    if isolang::Language::from_639_1(&code).is_none() {
        return Err(Error::bad_input(
            field,
            format!("`{field}` is not an ISO 639-1 language code"),
        ));
    }
    Ok(Some(code))
}

/// `earlier` must not come after `later` when both are given. Each is
/// `(field, value, changed by this write)`; the error names the field the
/// write changed (the later one when both or neither changed).
pub fn date_order(
    earlier: (&str, Option<NaiveDate>, bool),
    later: (&str, Option<NaiveDate>, bool),
) -> Result<()> {
    if let ((earlier_field, Some(a), earlier_changed), (later_field, Some(b), later_changed)) =
        (earlier, later)
        && a > b
    {
        let blamed = if earlier_changed && !later_changed {
            earlier_field
        } else {
            later_field
        };
        return Err(Error::bad_input(
            blamed,
            format!("`{later_field}` must not be before `{earlier_field}`"),
        ));
    }
    Ok(())
}

/// A date column's value and whether this write changes it, for [`date_order`].
pub fn date_of(
    field: &'static str,
    value: &ActiveValue<NaiveDate>,
) -> (&'static str, Option<NaiveDate>, bool) {
    (field, value.try_as_ref().copied(), value.is_set())
}

/// [`date_of`] for a nullable date column.
pub fn opt_date_of(
    field: &'static str,
    value: &ActiveValue<Option<NaiveDate>>,
) -> (&'static str, Option<NaiveDate>, bool) {
    (field, value.try_as_ref().copied().flatten(), value.is_set())
}

/// The value of a column that must be set on create.
pub fn required<'a, T>(field: &str, value: &'a ActiveValue<T>) -> Result<&'a T>
where
    T: Into<sea_orm::Value>,
{
    value
        .try_as_ref()
        .ok_or_else(|| Error::bad_input(field, format!("`{field}` is required")))
}

/// The current value of a column of a row being created or changed.
pub fn value<T>(value: &ActiveValue<T>) -> Option<&T>
where
    T: Into<sea_orm::Value>,
{
    value.try_as_ref()
}

/// True when the write gives this column a new value.
pub fn changed<T>(value: &ActiveValue<T>) -> bool
where
    T: Into<sea_orm::Value>,
{
    value.is_set()
}

/// The row `id` of `E`, or `BAD_USER_INPUT` naming `field`.
pub async fn referenced<E>(w: &Write, field: &str, id: i64) -> Result<E::Model>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| Error::bad_input(field, format!("`{field}` names no existing record")))
}

/// A country code that exists (ISO 3166-1 alpha-2), in upper case.
pub async fn country(w: &Write, field: &str, code: &str) -> Result<String> {
    let code = code.trim().to_ascii_uppercase();
    known_code::<entity::country::Entity>(w, field, code, "an ISO 3166-1 country code").await
}

/// A field-of-study code that exists (ISCED-F 2013).
pub async fn field_of_study(w: &Write, field: &str, code: &str) -> Result<String> {
    let code = code.trim().to_owned();
    known_code::<entity::field_of_study::Entity>(w, field, code, "an ISCED-F field of study code")
        .await
}

/// `code` if it is the key of a row of the reference table `E`.
async fn known_code<E>(w: &Write, field: &str, code: String, what: &str) -> Result<String>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
{
    match E::find_by_id(code.clone()).one(&w.txn).await? {
        Some(_) => Ok(code),
        None => Err(Error::bad_input(field, format!("`{field}` is not {what}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ror_ids_are_accepted_bare_or_as_urls_and_stored_as_urls() {
        for given in [
            "03cve4549",
            "https://ror.org/03cve4549",
            "ror.org/03cve4549",
            "HTTPS://ROR.ORG/03CVE4549",
        ] {
            assert_eq!(
                ror_id("rorId", Some(given.to_owned())).expect(given),
                Some("https://ror.org/03cve4549".to_owned()),
                "{given}"
            );
        }
    }

    #[test]
    fn malformed_ror_ids_are_refused_naming_the_field() {
        // Wrong length, not starting with 0, excluded letters (i, l, o, u), letters in the checksum.
        for given in [
            "0abcd23",
            "1abcd2345",
            "0abcd234567",
            "0ibcd2345",
            "0abcd23ab",
        ] {
            let err = ror_id("rorId", Some(given.to_owned())).expect_err(given);
            assert_eq!(err.field(), Some("rorId"));
            assert!(!err.to_string().contains(given), "no echo: {err}");
        }
        assert_eq!(ror_id("rorId", Some("  ".to_owned())).expect("blank"), None);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Kassel  ".to_owned()).expect("ok"), "Kassel");
        assert!(name("name", "   ".to_owned()).is_err());
        assert!(name("name", "x".repeat(MAX_NAME + 1)).is_err());
        assert!(list_size("parties", &[0; MAX_LIST]).is_ok());
        assert!(list_size("parties", &[0; MAX_LIST + 1]).is_err());
    }
}
