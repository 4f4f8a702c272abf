//! An organization's names in several languages: its display name (the
//! `name` column, which always agrees with a `DISPLAY` entry when there is
//! one), labels in other languages, acronyms and aliases, each with a
//! BCP 47 language tag in its canonical case (`zh-Hans`, `en-GB`).

use entity::organization_name::{self as on, NameKind};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::write::{self, Write};
use crate::{Error, Result};

/// A name as a write gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalizedName {
    pub value: String,
    pub lang: String,
    pub kind: NameKind,
}

/// A BCP 47 language tag in its canonical case, or why it is not one.
/// Its primary language must be a known ISO 639 code (`und` for an
/// undetermined one).
pub fn language_tag(field: &str, tag: &str) -> Result<String> {
    let refuse = |why: String| {
        Error::bad_input(
            field,
            format!(
                "`{field}` is not a BCP 47 language tag (like `en`, `zh-Hans`, `pt-BR`): {why}"
            ),
        )
    };
    let tag = oxilangtag::LanguageTag::parse_and_normalize(tag.trim())
        .map_err(|error| refuse(error.to_string()))?;
    let language = tag.primary_language();
    let known = match language.len() {
        2 => isolang::Language::from_639_1(language).is_some(),
        3 => language == "und" || isolang::Language::from_639_3(language).is_some(),
        _ => false,
    };
    if !known {
        return Err(refuse(format!("`{language}` is not an ISO 639 language")));
    }
    Ok(tag.into_inner())
}

/// The tags a name in `tag` may be stored under, best first: the tag, then
/// each shorter prefix of it (`zh-Hans-CN`, `zh-Hans`, `zh`), as RFC 4647
/// lookup truncates.
fn lookup(tag: &str) -> Vec<String> {
    let parts: Vec<&str> = tag.split('-').collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("-"))
        .collect()
}

/// The name in language `tag` (canonical case, see [`language_tag`]) of
/// the organization whose key is `key`, as SQL: a `LABEL` or `DISPLAY`
/// name under the tag or a prefix of it, else one under a longer tag
/// (`zh` finds `zh-Hans`), the earliest first; `fallback` when none is.
pub fn in_language(
    key: sea_orm::sea_query::Expr,
    fallback: sea_orm::sea_query::Expr,
    tag: &str,
) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{
        Alias, CaseStatement, Expr, ExprTrait, Func, LikeExpr, Query, QueryStatementBuilder,
    };
    let names = Alias::new("localized_names");
    let lang = || Expr::col((names.clone(), on::Column::Lang));
    let tags = lookup(tag);
    let mut rank = CaseStatement::new();
    for (i, t) in tags.iter().enumerate() {
        rank = rank.case(lang().eq(t.as_str()), Expr::val(i as i32));
    }
    let rank = rank.finally(Expr::val(tags.len() as i32));
    let mut select = Query::select();
    select
        .column((names.clone(), on::Column::Value))
        .from_as(on::Entity, names.clone())
        .and_where(Expr::col((names.clone(), on::Column::OrganizationId)).eq(key))
        .and_where(Expr::col((names.clone(), on::Column::Kind)).is_in(
            [NameKind::Label, NameKind::Display].map(|k| {
                use sea_orm::ActiveEnum;
                k.to_value()
            }),
        ))
        .and_where(
            lang()
                .is_in(tags.iter().map(String::as_str))
                .or(lang().like(LikeExpr::new(format!("{tag}-%")))),
        )
        .order_by_expr(Expr::Case(Box::new(rank)), sea_orm::Order::Asc)
        .order_by((names.clone(), on::Column::Position), sea_orm::Order::Asc)
        .limit(1);
    Func::coalesce([
        Expr::SubQuery(None, Box::new(select.into_sub_query_statement())),
        fallback,
    ])
    .into()
}

/// The set a write gives: each value normalized as names are, each tag
/// canonical; at most one `DISPLAY` name, and no name twice.
pub fn normalize_set(field: &str, given: Vec<LocalizedName>) -> Result<Vec<LocalizedName>> {
    write::list_size(field, &given)?;
    let mut set: Vec<LocalizedName> = Vec::with_capacity(given.len());
    for (i, name) in given.into_iter().enumerate() {
        let value = write::name(&format!("{field}[{i}].value"), name.value)?;
        let lang = language_tag(&format!("{field}[{i}].lang"), &name.lang)?;
        if name.kind == NameKind::Display && set.iter().any(|n| n.kind == NameKind::Display) {
            return Err(Error::bad_input(
                format!("{field}[{i}].kind"),
                format!("an organization has one DISPLAY name; `{field}` names two"),
            ));
        }
        let name = LocalizedName {
            value,
            lang,
            kind: name.kind,
        };
        if !set.contains(&name) {
            set.push(name);
        }
    }
    Ok(set)
}

/// The `DISPLAY` name of a set, if it has one.
pub fn display_of(set: &[LocalizedName]) -> Option<&str> {
    set.iter()
        .find(|n| n.kind == NameKind::Display)
        .map(|n| n.value.as_str())
}

/// Replaces the names of organization `id` with `set`, in its order.
pub async fn replace(w: &Write, id: i64, set: &[LocalizedName], fresh: bool) -> Result<()> {
    if !fresh {
        on::Entity::delete_many()
            .filter(on::Column::OrganizationId.eq(id))
            .exec(&w.txn)
            .await?;
    }
    for (position, name) in set.iter().enumerate() {
        on::ActiveModel {
            organization_id: Set(id),
            position: Set(position as i32),
            value: Set(name.value.clone()),
            lang: Set(name.lang.clone()),
            kind: Set(name.kind),
        }
        .insert(&w.txn)
        .await?;
    }
    Ok(())
}

/// Gives the `DISPLAY` entry of organization `id`, if it has one, the
/// organization's new name.
pub async fn rename_display(w: &Write, id: i64, name: &str) -> Result<()> {
    use sea_orm::sea_query::Expr;
    on::Entity::update_many()
        .col_expr(on::Column::Value, Expr::val(name))
        .filter(on::Column::OrganizationId.eq(id))
        .filter(on::Column::Kind.eq(NameKind::Display))
        .exec(&w.txn)
        .await?;
    Ok(())
}

/// The names of organization `id` in their order, as the audit log keeps
/// them.
pub async fn of(db: &impl sea_orm::ConnectionTrait, id: i64) -> Result<Vec<on::Model>> {
    Ok(on::Entity::find()
        .filter(on::Column::OrganizationId.eq(id))
        .order_by_asc(on::Column::Position)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_take_their_canonical_case() {
        assert_eq!(
            language_tag("lang", "zh-hans").ok().as_deref(),
            Some("zh-Hans")
        );
        assert_eq!(language_tag("lang", "EN-gb").ok().as_deref(), Some("en-GB"));
        assert_eq!(language_tag("lang", "bg").ok().as_deref(), Some("bg"));
        let error = language_tag("names[2].lang", "chinese-simplified").expect_err("not a tag");
        assert_eq!(error.code(), "BAD_USER_INPUT");
        assert!(error.to_string().contains("names[2].lang"));
        assert!(language_tag("lang", "").is_err());
        assert!(
            language_tag("lang", "chinese").is_err(),
            "well-formed, no language"
        );
        assert!(language_tag("lang", "xx-GB").is_err());
        assert_eq!(
            language_tag("lang", "yue-HK").ok().as_deref(),
            Some("yue-HK")
        );
    }

    #[test]
    fn lookup_truncates_the_tag() {
        assert_eq!(lookup("zh-Hans-CN"), ["zh-Hans-CN", "zh-Hans", "zh"]);
        assert_eq!(lookup("bg"), ["bg"]);
    }

    #[test]
    fn one_display_name_and_no_repeats() {
        let name = |value: &str, lang: &str, kind| LocalizedName {
            value: value.to_owned(),
            lang: lang.to_owned(),
            kind,
        };
        let set = normalize_set(
            "names",
            vec![
                name(" Shanghai Polytechnic University ", "en", NameKind::Display),
                name("上海第二工业大学", "zh-hans", NameKind::Label),
                name("上海第二工业大学", "zh-Hans", NameKind::Label),
                name("SSPU", "en", NameKind::Acronym),
            ],
        )
        .expect("a valid set");
        assert_eq!(set.len(), 3, "the repeated label counts once");
        assert_eq!(set[1].lang, "zh-Hans");
        assert_eq!(display_of(&set), Some("Shanghai Polytechnic University"));
        let two = normalize_set(
            "names",
            vec![
                name("A", "en", NameKind::Display),
                name("B", "en", NameKind::Display),
            ],
        )
        .expect_err("two display names");
        assert!(two.to_string().contains("one DISPLAY"), "{two}");
    }
}
