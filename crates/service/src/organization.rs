//! Organizations: partner universities, companies, institutes, and the home university.

use crate::resource::Link;

crate::resource!(organization, OrganizationOrderField {
    Id => Id,
    Name => Name,
    Kind => Kind,
    CountryCode => CountryCode,
    City => City,
    FoundedYear => FoundedYear,
    CreatedAt => CreatedAt,
}, key = Id, default = Id);

/// Agreements the organization is a party to.
pub const AGREEMENTS: Link = Link::Via {
    table: "agreement_parties",
    child_fk: "agreement_id",
    parent_fk: "organization_id",
};
/// People working for the organization.
pub const PEOPLE: Link = Link::Column("organization_id");
/// Events the organization organizes.
pub const ORGANIZED_EVENTS: Link = Link::Column("organizer_id");
/// Programs the organization hosts.
pub const PROGRAMS: Link = Link::Column("host_organization_id");
/// Students the organization hosts.
pub const STUDENTS: Link = Link::Column("host_organization_id");
/// Students whose home organization this is.
pub const HOME_STUDENTS: Link = Link::Column("home_organization_id");
/// Joint units the organization hosts.
pub const JOINT_UNITS: Link = Link::Column("host_organization_id");
/// Joint units the organization is a partner of.
pub const PARTNER_JOINT_UNITS: Link = Link::Via {
    table: "joint_unit_partners",
    child_fk: "joint_unit_id",
    parent_fk: "organization_id",
};
/// Visits the organization hosts.
pub const VISITS: Link = Link::Column("host_organization_id");

/// Organizations of one kind (the `universities`, `companies` and `institutes` roots).
pub fn of_kind(kind: entity::organization::OrganizationKind) -> sea_orm::Condition {
    use sea_orm::ColumnTrait;
    sea_orm::Condition::all().add(entity::organization::Column::Kind.eq(kind))
}

crate::filter_type! {
    /// Which organizations to return.
    OrganizationFilter for organization {
        fields {
            id: i64 => Id,
            name: String => Name,
            short_name: String => ShortName,
            kind: entity::organization::OrganizationKind => Kind,
            country_code: String => CountryCode,
            city: String => City,
            website: String => Website,
            founded_year: i32 => FoundedYear,
            industry: String => Industry,
            ror_id: String => RorId,
            is_home: bool => IsHome,
        }
        to_one {
            country: crate::country::CountryFilter => country (CountryCode = Code),
        }
        to_many {
            agreements: crate::agreement::AgreementFilter => agreement (AGREEMENTS, Id),
            people: crate::person::PersonFilter => person (PEOPLE, Id),
            organized_events: crate::event::EventFilter => event (ORGANIZED_EVENTS, Id),
            programs: crate::program::ProgramFilter => program (PROGRAMS, Id),
            students: crate::student::StudentFilter => student (STUDENTS, Id),
            home_students: crate::student::StudentFilter => student (HOME_STUDENTS, Id),
            joint_units: crate::joint_unit::JointUnitFilter => joint_unit (JOINT_UNITS, Id),
            partner_joint_units: crate::joint_unit::JointUnitFilter => joint_unit (PARTNER_JOINT_UNITS, Id),
            visits: crate::visit::VisitFilter => visit (VISITS, Id),
        }
    }
}

impl crate::filter::Filterable for entity::organization::Entity {
    type Filter = OrganizationFilter;

    fn filter_condition(
        filter: &OrganizationFilter,
        scope: &crate::filter::Scope<'_>,
    ) -> crate::Result<sea_orm::Condition> {
        filter.condition(scope)
    }

    fn search_columns(_actor: &crate::Actor) -> Vec<entity::organization::Column> {
        use entity::organization::Column;
        vec![
            Column::Name,
            Column::ShortName,
            Column::City,
            Column::Description,
        ]
    }
}

// ---- writes ----------------------------------------------------------------

use chrono::Datelike;
use entity::organization::{ActiveModel, Column, Entity, OrganizationKind};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::write::{self, Edit, MAX_NAME, MAX_TEXT, Write};
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
}

impl Edit for ActiveModel {
    type Changes = OrganizationChanges;
    const REFERENCES: &'static [(&'static str, &'static str, &'static str)] = &[
        ("agreement_parties", "organization_id", "agreement parties"),
        ("programs", "host_organization_id", "hosted programs"),
        ("students", "host_organization_id", "hosted students"),
        ("students", "home_organization_id", "students from it"),
        ("joint_units", "host_organization_id", "hosted joint units"),
        (
            "joint_unit_partners",
            "organization_id",
            "joint unit partnerships",
        ),
        ("people", "organization_id", "people"),
        ("events", "organizer_id", "organized events"),
        ("visits", "host_organization_id", "hosted visits"),
    ];

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
            // The same comparison as the unique index: lower() on both sides.
            let same = others(Entity::find())
                .filter(Column::CountryCode.eq(country.clone()))
                .filter(
                    Expr::expr(Func::lower(Expr::col(Column::Name)))
                        .eq(Func::lower(Expr::val(name.clone()))),
                )
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
