//! The demo data set: the story of DESIGN.md (Shanghai Polytechnic University,
//! its 2024 Global Partnership Week, TechProtect, Rousse, TU Dublin) and a
//! generated but plausible world around it, sized so that the Dashboard
//! figures hold exactly as of 2024-04-03.
//!
//! The rows are built in memory from a fixed seed with fixed timestamps, so
//! every run — on SQLite or PostgreSQL — writes the same rows with the same
//! ids. They are inserted in one transaction, in batches, with explicit ids;
//! on PostgreSQL the id sequences are moved past them afterwards.
//!
//! Linking of the story's agreements to events: the two agreements signed
//! during the week (TechProtect 2024-04-01, Rousse 2024-04-02) have
//! `event_id` = the `partnership_week` event itself; the TU Dublin agreement
//! (2024-03-26) points at a separate `signing_ceremony` event of that day.

mod dataset;
mod generated;
mod interop;
mod names;
mod plan;
mod story;
pub mod synthetic;

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, TransactionTrait,
};

use entity::{
    agreement, agreement_field, agreement_party, event, joint_unit, joint_unit_partner,
    organization, person, program, student, visit,
};

pub use dataset::Dataset;

use service::{Error, Result};

/// The fixed seed of the generated part ("SPU 2024").
const SEED: u64 = 0x5350_5520_2024;
/// Rows per `INSERT` statement.
const BATCH: usize = 1000;
/// How many rows of each kind [`demo`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub organizations: u64,
    pub people: u64,
    pub events: u64,
    pub agreements: u64,
    pub programs: u64,
    pub students: u64,
    pub joint_units: u64,
    pub visits: u64,
}

impl std::fmt::Display for DemoSummary {
    /// "192 organizations, 444 people, 34 events, …".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} organizations, {} people, {} events, {} agreements, {} programs, {} students, {} joint units, {} visits",
            self.organizations,
            self.people,
            self.events,
            self.agreements,
            self.programs,
            self.students,
            self.joint_units,
            self.visits
        )
    }
}

impl DemoSummary {
    fn of(data: &Dataset) -> Self {
        let n = |len: usize| u64::try_from(len).unwrap_or(u64::MAX);
        DemoSummary {
            organizations: n(data.organizations.len()),
            people: n(data.people.len()),
            events: n(data.events.len()),
            agreements: n(data.agreements.len()),
            programs: n(data.programs.len()),
            students: n(data.students.len()),
            joint_units: n(data.joint_units.len()),
            visits: n(data.visits.len()),
        }
    }
}

/// The home party's identifier for demo agreement `agreement_id` (EWP's
/// `iia-id`): a UUID, the same in every build of the data.
pub fn home_iia_id(agreement_id: i64) -> String {
    format!("5350555f-0000-4000-8000-{agreement_id:012x}")
}

/// The demo rows, built in memory (the same every call).
pub fn dataset() -> Dataset {
    let mut builder = dataset::Builder::new(SEED);
    let story = story::build(&mut builder);
    generated::build(&mut builder, &story);
    interop::build(&mut builder.data, &story);
    builder.data
}

/// True when the database holds no organizations (a fresh install).
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool> {
    let count = organization::Entity::find().count(db).await?;
    Ok(count == 0)
}

/// Loads the demo data set, deterministically, in one transaction. Fails (and
/// writes nothing) if organizations already exist.
pub async fn demo(db: &DatabaseConnection) -> Result<DemoSummary> {
    let summary = load(db, &dataset(), &mut |_, _| {}).await?;
    tracing::info!(%summary, "demo data loaded");
    Ok(summary)
}

/// Loads the synthetic data set of `scale` (see [`synthetic::Scale`]) the same
/// way; `progress` hears the table being written and the rows written so far.
pub async fn synthetic(
    db: &DatabaseConnection,
    scale: synthetic::Scale,
    progress: &mut (dyn FnMut(&'static str, u64) + Send),
) -> Result<DemoSummary> {
    load(db, &synthetic::dataset(scale), progress).await
}

/// Writes `data` into an empty database in one transaction.
pub async fn load(
    db: &DatabaseConnection,
    data: &Dataset,
    progress: &mut (dyn FnMut(&'static str, u64) + Send),
) -> Result<DemoSummary> {
    let txn = db.begin().await?;
    if !is_empty(&txn).await? {
        txn.rollback().await?;
        return Err(Error::conflict(
            "the database already holds organizations; data sets are loaded only into an empty \
             database"
                .to_owned(),
        ));
    }
    insert_all(&txn, data, progress).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        reset_sequences(&txn).await?;
    }
    txn.commit().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        // Fresh statistics, so the planner knows the new sizes at once.
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(DemoSummary::of(data))
}

/// Rows of a data set: the total over every table.
pub fn total_rows(data: &Dataset) -> u64 {
    let n = [
        data.organizations.len(),
        data.people.len(),
        data.events.len(),
        data.agreements.len(),
        data.agreement_parties.len(),
        data.agreement_fields.len(),
        data.programs.len(),
        data.students.len(),
        data.joint_units.len(),
        data.joint_unit_partners.len(),
        data.visits.len(),
        data.organization_identifiers.len(),
        data.organization_names.len(),
        data.cooperation_conditions.len(),
        data.cooperation_condition_subjects.len(),
        data.cooperation_condition_languages.len(),
    ]
    .iter()
    .sum::<usize>();
    u64::try_from(n).unwrap_or(u64::MAX)
}

async fn insert_all(
    txn: &DatabaseTransaction,
    data: &Dataset,
    progress: &mut (dyn FnMut(&'static str, u64) + Send),
) -> Result<(), DbErr> {
    let mut done = 0;
    insert::<organization::ActiveModel>(
        txn,
        "organizations",
        &data.organizations,
        &mut done,
        progress,
    )
    .await?;
    insert::<person::ActiveModel>(txn, "people", &data.people, &mut done, progress).await?;
    insert::<event::ActiveModel>(txn, "events", &data.events, &mut done, progress).await?;
    insert::<agreement::ActiveModel>(txn, "agreements", &data.agreements, &mut done, progress)
        .await?;
    insert::<agreement_party::ActiveModel>(
        txn,
        "agreement_parties",
        &data.agreement_parties,
        &mut done,
        progress,
    )
    .await?;
    insert::<agreement_field::ActiveModel>(
        txn,
        "agreement_fields",
        &data.agreement_fields,
        &mut done,
        progress,
    )
    .await?;
    insert::<program::ActiveModel>(txn, "programs", &data.programs, &mut done, progress).await?;
    insert::<student::ActiveModel>(txn, "students", &data.students, &mut done, progress).await?;
    insert::<joint_unit::ActiveModel>(txn, "joint_units", &data.joint_units, &mut done, progress)
        .await?;
    insert::<joint_unit_partner::ActiveModel>(
        txn,
        "joint_unit_partners",
        &data.joint_unit_partners,
        &mut done,
        progress,
    )
    .await?;
    insert::<visit::ActiveModel>(txn, "visits", &data.visits, &mut done, progress).await?;
    insert::<entity::organization_identifier::ActiveModel>(
        txn,
        "organization_identifiers",
        &data.organization_identifiers,
        &mut done,
        progress,
    )
    .await?;
    insert::<entity::organization_name::ActiveModel>(
        txn,
        "organization_names",
        &data.organization_names,
        &mut done,
        progress,
    )
    .await?;
    insert::<entity::cooperation_condition::ActiveModel>(
        txn,
        "cooperation_conditions",
        &data.cooperation_conditions,
        &mut done,
        progress,
    )
    .await?;
    insert::<entity::cooperation_condition_subject::ActiveModel>(
        txn,
        "cooperation_condition_subjects",
        &data.cooperation_condition_subjects,
        &mut done,
        progress,
    )
    .await?;
    insert::<entity::cooperation_condition_language::ActiveModel>(
        txn,
        "cooperation_condition_languages",
        &data.cooperation_condition_languages,
        &mut done,
        progress,
    )
    .await?;
    Ok(())
}

/// Inserts `rows` (ids included) in batches of at most [`BATCH`] rows.
async fn insert<A>(
    txn: &DatabaseTransaction,
    table: &'static str,
    rows: &[<A::Entity as EntityTrait>::Model],
    done: &mut u64,
    progress: &mut (dyn FnMut(&'static str, u64) + Send),
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + Clone,
{
    for batch in rows.chunks(BATCH) {
        let models = batch
            .iter()
            .cloned()
            .map(IntoActiveModel::into_active_model);
        A::Entity::insert_many(models)
            .exec_without_returning(txn)
            .await?;
        *done += u64::try_from(batch.len()).unwrap_or(0);
        progress(table, *done);
    }
    Ok(())
}

/// Moves each id sequence to the largest id, so inserts without an id go on from there.
async fn reset_sequences(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    // Cooperation conditions have ids of their own, but no record type.
    let tables = entity::RecordType::every()
        .iter()
        .map(|t| t.table())
        .chain(["cooperation_conditions"]);
    for table in tables {
        txn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT MAX(id) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_same_rows_every_time() {
        let (a, b) = (dataset(), dataset());
        assert_eq!(a.organizations, b.organizations);
        assert_eq!(a.people, b.people);
        assert_eq!(a.agreements, b.agreements);
        assert_eq!(a.agreement_parties, b.agreement_parties);
        assert_eq!(a.programs, b.programs);
        assert_eq!(a.students, b.students);
        assert_eq!(a.joint_units, b.joint_units);
        assert_eq!(a.visits, b.visits);
    }

    #[test]
    fn names_and_addresses_are_unique() {
        let data = dataset();
        let names: BTreeSet<&str> = data.organizations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), data.organizations.len());
        let emails: Vec<&str> = data
            .people
            .iter()
            .filter_map(|p| p.email.as_deref())
            .chain(data.students.iter().filter_map(|s| s.email.as_deref()))
            .collect();
        let unique: BTreeSet<&str> = emails.iter().copied().collect();
        assert_eq!(unique.len(), emails.len());
        assert!(emails.iter().all(|e| e.is_ascii() && e.contains('@')));
    }

    #[test]
    fn dates_are_real() {
        let data = dataset();
        let floor = dataset::ymd(1850, 1, 1);
        assert!(data.agreements.iter().all(|a| {
            a.signed_on.is_none_or(|d| d > floor)
                && match (a.starts_on, a.ends_on) {
                    (Some(s), Some(e)) => s < e,
                    _ => true,
                }
        }));
        assert!(
            data.visits
                .iter()
                .all(|v| v.starts_on > floor && v.starts_on <= v.ends_on)
        );
        assert!(
            data.students.iter().all(|s| {
                s.enrolled_on > floor && s.leaves_on.is_none_or(|l| l > s.enrolled_on)
            })
        );
        assert!(
            data.events
                .iter()
                .all(|e| e.starts_on > floor && e.starts_on <= e.ends_on)
        );
    }
}
