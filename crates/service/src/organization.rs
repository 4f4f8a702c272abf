//! Organizations: partner universities, companies, institutes, and the home university.

use std::sync::LazyLock;

use crate::query::resource::Link;

crate::resource!(organization, OrganizationOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    CountryCode => CountryCode,
    City => City,
    FoundedYear => FoundedYear,
    CreatedAt => CreatedAt,
    CountryName => one(CountryCode, country, Code, Name),
    AgreementsCount => count(AGREEMENTS, agreement),
    ProgramsCount => count(PROGRAMS, program),
    StudentsCount => count(STUDENTS, student),
}, key = Id, default = Id);

/// Agreements the organization is a party to.
pub static AGREEMENTS: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::organization::Relation::AgreementParties,
        entity::agreement_party::Relation::Agreement,
    )
});
/// People working for the organization.
pub static PEOPLE: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::People));
/// Events the organization organizes.
pub static ORGANIZED_EVENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::Events));
/// Programs the organization hosts.
pub static PROGRAMS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::Programs));
/// Students the organization hosts.
pub static STUDENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::HostedStudents));
/// Students whose home organization this is.
pub static HOME_STUDENTS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::HomeStudents));
/// Joint units the organization hosts.
pub static JOINT_UNITS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::HostedJointUnits));
/// Joint units the organization is a partner of.
pub static PARTNER_JOINT_UNITS: LazyLock<Link> = LazyLock::new(|| {
    Link::via(
        entity::organization::Relation::JointUnitPartners,
        entity::joint_unit_partner::Relation::JointUnit,
    )
});
/// Visits the organization hosts.
pub static VISITS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::Visits));

/// What other registries call the organization.
pub static IDENTIFIERS: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::Identifiers));
/// The organization's names in several languages.
pub static NAMES: LazyLock<Link> =
    LazyLock::new(|| Link::has_many(entity::organization::Relation::Names));

impl crate::query::resource::Table for entity::organization_identifier::Entity {}
impl crate::query::resource::Table for entity::organization_name::Entity {}

impl crate::query::filter::Filterable for entity::organization::Entity {
    fn description() -> &'static crate::model::Description<Self> {
        &crate::model::ORGANIZATION
    }
}

// ---- writes ----------------------------------------------------------------

use chrono::Datelike;
use entity::organization::{ActiveModel, Column, Entity, OrganizationKind};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::organization_identifier::Identifier;
use crate::organization_name::LocalizedName;
use crate::write::{self, Edit, MAX_NAME, MAX_TEXT, Reference, Write};
use crate::{Error, Result};

/// The fields of an organization a write sets (see [`write::Edit::Changes`]).
#[derive(Clone, Debug, Default)]
pub struct OrganizationChanges {
    pub kind: Option<OrganizationKind>,
    pub name: Option<String>,
    pub short_name: Option<Option<String>>,
    pub country_code: Option<String>,
    pub city: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub founded_year: Option<Option<i32>>,
    pub industry: Option<Option<String>>,
    pub ror_id: Option<Option<String>>,
    pub is_home: Option<bool>,
    pub description: Option<Option<String>>,
    /// Replaces the organization's identifiers (its ROR id is `ror_id`).
    pub identifiers: Option<Vec<Identifier>>,
    /// Replaces the organization's names (its `DISPLAY` name is `name`).
    pub names: Option<Vec<LocalizedName>>,
}

impl Edit for ActiveModel {
    type Changes = OrganizationChanges;
    fn references() -> Vec<Reference> {
        vec![
            Reference::new(
                entity::organization::Relation::AgreementParties,
                "agreement parties",
            ),
            Reference::new(entity::organization::Relation::Programs, "hosted programs"),
            Reference::new(
                entity::organization::Relation::HostedStudents,
                "hosted students",
            ),
            Reference::new(
                entity::organization::Relation::HomeStudents,
                "students from it",
            ),
            Reference::new(
                entity::organization::Relation::HostedJointUnits,
                "hosted joint units",
            ),
            Reference::new(
                entity::organization::Relation::JointUnitPartners,
                "joint unit partnerships",
            ),
            Reference::new(entity::organization::Relation::People, "people"),
            Reference::new(entity::organization::Relation::Events, "organized events"),
            Reference::new(entity::organization::Relation::Visits, "hosted visits"),
        ]
    }

    /// Identifiers and names, kept in agreement with the columns they
    /// repeat: the ROR identifier with `rorId`, the `DISPLAY` name with
    /// `name`.
    fn owned(c: &mut OrganizationChanges, fresh: bool) -> Result<write::OwnedRows> {
        use entity::organization_identifier::IdentifierScheme;
        let identifiers = c
            .identifiers
            .take()
            .map(|given| crate::organization_identifier::normalize_set("identifiers", given))
            .transpose()?;
        let ror = match c.ror_id.clone() {
            // A new organization without `rorId` has none to clear.
            Some(None) if fresh => None,
            Some(given) => Some(write::ror_id("rorId", given)?),
            None => None,
        };
        let mut only_ror = None;
        match (identifiers.as_deref(), ror) {
            (Some(set), Some(ror)) if crate::organization_identifier::ror_of(set).is_some() => {
                if crate::organization_identifier::ror_of(set) != ror.as_deref() {
                    return Err(Error::bad_input(
                        "rorId",
                        "`rorId` and the ROR identifier in `identifiers` differ; give one of them",
                    ));
                }
            }
            (Some(_), Some(_)) => {}
            (Some(set), None) => {
                c.ror_id = Some(crate::organization_identifier::ror_of(set).map(str::to_owned));
            }
            (None, Some(ror)) => only_ror = Some(ror),
            (None, None) => {}
        }
        let identifiers = match (identifiers, &c.ror_id) {
            (Some(mut set), Some(Some(ror)))
                if crate::organization_identifier::ror_of(&set).is_none() =>
            {
                let value = write::ror_id("rorId", Some(ror.clone()))?.unwrap_or_default();
                set.push(Identifier {
                    scheme: IdentifierScheme::Ror,
                    value,
                });
                Some(set)
            }
            (set, _) => set,
        };
        let names = c
            .names
            .take()
            .map(|given| crate::organization_name::normalize_set("names", given))
            .transpose()?;
        if let Some(display) = names
            .as_deref()
            .and_then(crate::organization_name::display_of)
        {
            match &c.name {
                Some(name) if crate::text::normalize_name(name) != display => {
                    return Err(Error::bad_input(
                        "name",
                        "`name` and the DISPLAY name in `names` differ; give one of them",
                    ));
                }
                _ => c.name = Some(display.to_owned()),
            }
        }
        let renamed = match (&names, &c.name) {
            (None, Some(name)) if !fresh => Some(name.clone()),
            _ => None,
        };
        Ok(Box::new(move |w: &Write, id: i64| {
            Box::pin(async move {
                use crate::organization_identifier::replace;
                if let Some(set) = identifiers {
                    replace(w, id, &set, None, fresh).await?;
                } else if let Some(ror) = only_ror {
                    let set: Vec<Identifier> = ror
                        .into_iter()
                        .map(|value| Identifier {
                            scheme: IdentifierScheme::Ror,
                            value,
                        })
                        .collect();
                    replace(w, id, &set, Some(IdentifierScheme::Ror), fresh).await?;
                }
                if let Some(names) = names {
                    crate::organization_name::replace(w, id, &names, fresh).await?;
                } else if let Some(name) = renamed {
                    let name = write::name("name", name)?;
                    crate::organization_name::rename_display(w, id, &name).await?;
                }
                Ok(())
            }) as futures_util::future::BoxFuture<'_, Result<()>>
        }))
    }

    /// The row with its identifiers and names.
    async fn audit_snapshot(
        w: &Write,
        row: &entity::organization::Model,
    ) -> Result<serde_json::Value> {
        let mut json = write::snapshot(row);
        let identifiers = crate::organization_identifier::of(&w.txn, row.id).await?;
        let names = crate::organization_name::of(&w.txn, row.id).await?;
        if let serde_json::Value::Object(map) = &mut json {
            let list = |rows: Vec<serde_json::Value>| serde_json::Value::Array(rows);
            map.insert(
                "identifiers".to_owned(),
                list(
                    identifiers
                        .iter()
                        .map(|x| serde_json::json!({ "scheme": x.scheme, "value": x.value }))
                        .collect(),
                ),
            );
            map.insert(
                "names".to_owned(),
                list(names.iter().map(|n| serde_json::json!({ "value": n.value, "lang": n.lang, "kind": n.kind })).collect()),
            );
        }
        Ok(json)
    }

    fn apply(&mut self, c: OrganizationChanges) -> Result<()> {
        if let Some(v) = c.kind {
            self.kind = Set(v);
        }
        if let Some(v) = c.name {
            self.name = Set(write::name("name", v)?);
        }
        if let Some(v) = c.short_name {
            self.short_name = Set(write::text("shortName", v, MAX_NAME)?);
        }
        if let Some(v) = c.country_code {
            self.country_code = Set(v);
        }
        if let Some(v) = c.city {
            self.city = Set(write::text("city", v, MAX_NAME)?);
        }
        if let Some(v) = c.website {
            self.website = Set(write::web_url("website", v)?);
        }
        if let Some(v) = c.founded_year {
            self.founded_year = Set(v);
        }
        if let Some(v) = c.industry {
            self.industry = Set(write::text("industry", v, MAX_NAME)?);
        }
        if let Some(v) = c.ror_id {
            self.ror_id = Set(write::ror_id("rorId", v)?);
        }
        if let Some(v) = c.is_home {
            self.is_home = Set(v);
        }
        if let Some(v) = c.description {
            self.description = Set(write::text("description", v, MAX_TEXT)?);
        }
        Ok(())
    }

    async fn check(&mut self, w: &Write, id: Option<i64>) -> Result<()> {
        write::required("kind", &self.kind)?;
        let name = write::required("name", &self.name)?.clone();
        let code = write::required("countryCode", &self.country_code)?.clone();
        if write::changed(&self.country_code) {
            self.country_code = Set(write::country(w, "countryCode", &code).await?);
        }
        if self.is_home.is_not_set() {
            self.is_home = Set(false);
        }
        if let Some(Some(year)) = write::value(&self.founded_year)
            && !(1000..=w.today().year()).contains(year)
        {
            return Err(Error::bad_input(
                "foundedYear",
                "`foundedYear` must be a year between 1000 and this year".to_owned(),
            ));
        }
        let country = write::value(&self.country_code)
            .cloned()
            .unwrap_or_default();
        let others = |q: sea_orm::Select<Entity>| match id {
            Some(id) => q.filter(Column::Id.ne(id)),
            None => q,
        };
        if write::changed(&self.name) || write::changed(&self.country_code) {
            // The same comparison as the unique index: the names' keys.
            let same = others(Entity::find())
                .filter(Column::CountryCode.eq(country.clone()))
                .filter(Expr::col((Entity, Alias::new(NAME_KEY))).eq(crate::text::name_key(&name)))
                .one(&w.txn)
                .await?;
            if same.is_some() {
                return Err(Error::conflict(
                    "an organization with this name already exists in this country (names are unique within a country, ignoring case)",
                ));
            }
        }
        if write::changed(&self.ror_id)
            && let Some(Some(ror)) = write::value(&self.ror_id)
        {
            let same = others(Entity::find())
                .filter(Column::RorId.eq(ror.clone()))
                .one(&w.txn)
                .await?;
            if same.is_some() {
                return Err(Error::conflict(
                    "the ROR id belongs to another organization",
                ));
            }
        }
        // Every agreement keeps a home organization among its parties.
        if let Some(id) = id
            && write::changed(&self.is_home)
            && write::value(&self.is_home) == Some(&false)
        {
            let orphaned = write::count(
                w,
                "SELECT COUNT(*) FROM agreement_parties p WHERE p.organization_id = {1} \
                 AND NOT EXISTS (SELECT 1 FROM agreement_parties o \
                 JOIN organizations g ON g.id = o.organization_id \
                 WHERE o.agreement_id = p.agreement_id AND o.organization_id <> {1} AND g.is_home)",
                &[id],
            )
            .await?;
            if orphaned > 0 {
                return Err(Error::conflict(
                    "agreements would be left without a home organization among their parties",
                ));
            }
        }
        Ok(())
    }
}

/// The column that holds an organization name's key
/// ([`crate::text::name_key`]); unique within a country.
const NAME_KEY: &str = "name_key";

/// Writes the key of the organization's name as the write left it (inside
/// the write's transaction: a duplicate that slipped past [`Edit::check`]
/// meets the unique index and is a `CONFLICT`).
pub(crate) async fn keep_name_key(
    txn: &impl sea_orm::ConnectionTrait,
    id: i64,
    after: &serde_json::Value,
) -> Result<()> {
    let Some(name) = after.get("name").and_then(serde_json::Value::as_str) else {
        return Ok(());
    };
    let update = Query::update()
        .table(Entity)
        .value(Alias::new(NAME_KEY), crate::text::name_key(name))
        .and_where(Column::Id.eq(id))
        .to_owned();
    txn.execute(&update).await?;
    Ok(())
}

/// Keys the names of organizations that have none (rows loaded without the
/// service: the demo and synthetic data, a database migrated from before
/// the keys). A name whose key another organization of its country already
/// holds keeps none, and is logged: rename one of the two.
pub async fn key_missing_names(db: &sea_orm::DatabaseConnection) -> Result<u64> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut keyed = 0u64;
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, String)> = Entity::find()
            .select_only()
            .column(Column::Id)
            .column(Column::Name)
            .filter(Expr::col((Entity, Alias::new(NAME_KEY))).is_null())
            .filter(Column::Id.gt(after))
            .order_by_asc(Column::Id)
            .limit(500)
            .into_tuple()
            .all(db)
            .await?;
        let Some((last, _)) = rows.last() else {
            return Ok(keyed);
        };
        after = *last;
        // One statement for the batch; a name that collides with another
        // of its country fails it, and the batch is keyed row by row.
        match key_batch(db, &rows).await {
            Ok(()) => keyed += rows.len() as u64,
            Err(err) if is_unique_violation(&err) => {
                for (id, name) in &rows {
                    match key_batch(db, std::slice::from_ref(&(*id, name.clone()))).await {
                        Ok(()) => keyed += 1,
                        Err(err) if is_unique_violation(&err) => tracing::warn!(
                            organization = id,
                            "an organization's name differs from another's of its country only in case or form; it stays unkeyed until one is renamed"
                        ),
                        Err(err) => return Err(err.into()),
                    }
                }
            }
            Err(err) => return Err(err.into()),
        }
    }
}

fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Writes the keys of `rows` (id, name) in one statement.
async fn key_batch(
    db: &sea_orm::DatabaseConnection,
    rows: &[(i64, String)],
) -> std::result::Result<(), sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend};
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(rows.len() * 2);
    let tuples: Vec<String> = rows
        .iter()
        .map(|(id, name)| {
            let n = values.len();
            values.push((*id).into());
            values.push(crate::text::name_key(name).into());
            match backend {
                DbBackend::Postgres => format!("(${}::bigint, ${}::text)", n + 1, n + 2),
                _ => "(?, ?)".to_owned(),
            }
        })
        .collect();
    let sql = format!(
        "UPDATE organizations SET {NAME_KEY} = v.column2 FROM (VALUES {}) AS v \
         WHERE organizations.id = v.column1",
        tuples.join(", ")
    );
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend, sql, values,
    ))
    .await?;
    Ok(())
}
