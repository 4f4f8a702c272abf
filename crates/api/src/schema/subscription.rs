//! The root `Subscription` type: a change feed per entity with writes
//! (declared from the entity registry, in `registry.rs`) and the dashboard's
//! figures. The events come from `service::change`; each changed row is read
//! under the subscriber's own rules, so a row it may not see produces no
//! event, and a field it may not read is `null` with its `FORBIDDEN` error,
//! as in queries.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Context, Enum, ID, Result};
use entity::{Record, RecordType};
use futures_util::Stream;
use futures_util::stream;
use service::change::{Changes, Delivery, Event, Seen};
use service::query::filter::Filterable;
use service::query::resource::Key;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::described::Declared;
use super::error::GqlResult;
use super::filter::FilterOf;
use super::id;
use super::planned::PlannedStatistics;
use super::planned::{Planned, Source};

/// What happened to a row.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// The row was created.
    Created,
    /// Some of the row's fields changed.
    Updated,
    /// The row's status changed (an agreement's lifecycle).
    StatusChanged,
    /// The row was deleted: the event carries its id, not the row.
    Deleted,
    /// Events may have been missed (this server lost its change feed for a
    /// moment, or the subscriber fell behind): reload what you show. The
    /// event's `id` names the type, not a row.
    Resync,
}

impl From<service::change::ChangeKind> for ChangeKind {
    fn from(kind: service::change::ChangeKind) -> Self {
        use service::change::ChangeKind as K;
        match kind {
            K::Created => ChangeKind::Created,
            K::Updated => ChangeKind::Updated,
            K::StatusChanged => ChangeKind::StatusChanged,
            K::Deleted => ChangeKind::Deleted,
        }
    }
}

/// One event of an entity's feed, before it becomes its GraphQL type.
pub struct Changed<T> {
    pub change: ChangeKind,
    pub id: ID,
    pub version: Option<i32>,
    /// Read again through the plan, over the subscriber's selection.
    pub row: Option<Planned<T>>,
}

/// The replica's change feed, from the schema's data.
fn feed(ctx: &Context<'_>) -> Result<Arc<Changes>> {
    super::app(ctx)
        .changes
        .clone()
        .ok_or_else(|| async_graphql::Error::new("live updates are not available"))
}

/// The events of entity `E` that the subscriber may see and that pass its
/// filter, as `T` (the entity's GraphQL type).
pub fn changes<E, T>(
    ctx: &Context<'_>,
    filter: Option<FilterOf<T>>,
) -> Result<impl Stream<Item = Changed<T>> + use<E, T>>
where
    E: Filterable,
    E::Model: Record,
    T: Declared + 'static,
{
    let filter = match filter {
        Some(filter) => filter.parse::<E>().gql()?,
        None => None,
    };
    let app = super::app(ctx);
    let db = app.read_db.clone();
    let actor = super::actor(ctx).clone();
    let changes = feed(ctx)?;
    // The filter is checked against the caller's rules now: a field it may
    // not filter on is FORBIDDEN at subscribe, never a feed.
    let watch = changes
        .watch::<E>(db.get_database_backend(), &actor, filter)
        .gql()?;
    let receiver = changes.subscribe();
    let record = <E::Model as Record>::TYPE;
    let state = (receiver, db, actor, watch);
    Ok(stream::unfold(state, move |mut state| async move {
        loop {
            let (receiver, db, actor, watch) = &mut state;
            let delivery = match next(receiver).await? {
                Some(delivery) => delivery,
                None => return Some((resync(record), state)),
            };
            let Event::Changed(change) = &delivery.event else {
                return Some((resync(record), state));
            };
            if change.record != record {
                continue;
            }
            let id = id::encode_id(record.node(), change.id);
            let event = |row| Changed {
                change: change.kind.into(),
                id: id.clone(),
                version: change.version,
                row,
            };
            let event = match delivery.seen::<E>(db, actor, watch.filter()).await {
                Ok(Some(Seen::Row(_))) => event(Some(Planned::new(
                    record.node(),
                    Key::Id(change.id),
                    Source::Reads,
                ))),
                Ok(Some(Seen::Deleted)) => event(None),
                Ok(None) => continue,
                // The database failed (filters were checked at subscribe):
                // the subscriber may have missed this change.
                Err(err) => {
                    tracing::error!(error = %err, "a change could not be read for a subscriber");
                    resync(record)
                }
            };
            return Some((event, state));
        }
    }))
}

/// The next delivery; `Some(None)` when the subscriber fell behind (a resync),
/// `None` when the feed has ended.
async fn next(receiver: &mut Receiver<Arc<Delivery>>) -> Option<Option<Arc<Delivery>>> {
    match receiver.recv().await {
        Ok(delivery) => Some(Some(delivery)),
        Err(RecvError::Lagged(missed)) => {
            tracing::warn!(missed, "a subscriber fell behind; told to resync");
            Some(None)
        }
        Err(RecvError::Closed) => None,
    }
}

fn resync<T>(record: RecordType) -> Changed<T> {
    Changed {
        change: ChangeKind::Resync,
        id: id::encode(record.node(), &Key::Code(String::new())),
        version: None,
        row: None,
    }
}

/// Shortest time between two `statisticsChanged` events.
pub const FIGURES_EVERY: Duration = Duration::from_secs(1);

/// The figures as of `as_of`, each time a write may have changed them, at
/// most once per [`FIGURES_EVERY`]: changes within that time are coalesced
/// into one event.
pub fn statistics(ctx: &Context<'_>) -> Result<impl Stream<Item = PlannedStatistics> + use<>> {
    let receiver = feed(ctx)?.subscribe();
    // Each event is read over the subscriber's selection with the field's
    // `asOf` (default: the day of the event).
    let figures = || PlannedStatistics;
    let moves = |delivery: &Delivery| match &delivery.event {
        Event::Changed(change) => service::statistics::SOURCES.contains(&change.record),
        Event::Resync => true,
    };
    // The stream is asked for its next event only once the previous one has
    // gone out, so the second between two events counts from a delivery.
    Ok(stream::unfold(
        (receiver, false),
        move |(mut receiver, sent)| async move {
            let previous = sent.then(tokio::time::Instant::now);
            // Wait for a change that moves the figures.
            loop {
                match next(&mut receiver).await? {
                    Some(delivery) if !moves(&delivery) => continue,
                    _ => break,
                }
            }
            if let Some(previous) = previous {
                tokio::time::sleep_until(previous + FIGURES_EVERY).await;
            }
            // What came in meanwhile is in this event too.
            while let Ok(_) | Err(TryRecvError::Lagged(_)) = receiver.try_recv() {}
            Some((figures(), (receiver, true)))
        },
    ))
}
