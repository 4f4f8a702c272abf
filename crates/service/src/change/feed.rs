//! The replica's change feed: local writes and, on PostgreSQL, every replica's through LISTEN/NOTIFY.

use super::*;

/// A replica's change feed: every committed change, from any replica.
pub struct Changes {
    sender: broadcast::Sender<Arc<Delivery>>,
    watching: Arc<Watching>,
}

impl Changes {
    /// Starts listening for the changes of the database `db` reaches (whose
    /// connection string is `url`). On PostgreSQL a dedicated connection
    /// `LISTEN`s; on SQLite the writes of this process are heard.
    pub async fn start(db: &DatabaseConnection) -> Result<Arc<Changes>> {
        let (sender, _) = broadcast::channel(BACKLOG);
        let changes = Arc::new(Changes {
            sender,
            watching: Arc::default(),
        });
        match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool().clone();
                let mut listener = sqlx::postgres::PgListener::connect_with(&pool)
                    .await
                    .map_err(|e| Error::Internal(sea_orm::DbErr::Custom(e.to_string())))?;
                listener
                    .listen(CHANNEL)
                    .await
                    .map_err(|e| Error::Internal(sea_orm::DbErr::Custom(e.to_string())))?;
                tokio::spawn(listen(listener, Arc::downgrade(&changes)));
            }
            _ => {
                let mut local = local_channel(&identity(db)).subscribe();
                let feed = Arc::downgrade(&changes);
                tokio::spawn(async move {
                    loop {
                        let event = match local.recv().await {
                            Ok(change) => Event::Changed(change),
                            Err(broadcast::error::RecvError::Lagged(_)) => Event::Resync,
                            Err(broadcast::error::RecvError::Closed) => return,
                        };
                        let Some(feed) = feed.upgrade() else { return };
                        feed.publish(event);
                    }
                });
            }
        }
        Ok(changes)
    }

    /// Every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Delivery>> {
        self.sender.subscribe()
    }

    /// Checks `filter` against `actor`'s rules, as a query's filter is
    /// checked (a field the actor may not filter on is `FORBIDDEN`, now and
    /// not at the first change), and watches it: each change then decides
    /// it together with every other filter under the same rules.
    pub fn watch<E: Filterable>(
        &self,
        backend: DbBackend,
        actor: &Actor,
        filter: Option<crate::query::filter::Filter>,
    ) -> Result<Watch<E>> {
        filter::compile::<E>(backend, actor, filter.as_ref(), None)?;
        let rules = RuleSet::of(actor);
        if let Some(filter) = &filter {
            self.watching.with::<E, _>(|w| {
                *w.entry(rules.clone())
                    .or_default()
                    .entry(filter.clone())
                    .or_insert(0) += 1;
            });
        }
        Ok(Watch {
            watching: Arc::clone(&self.watching),
            rules,
            filter,
            of: std::marker::PhantomData,
        })
    }

    /// Subscribers listening on this replica.
    pub fn receivers(&self) -> usize {
        self.sender.receiver_count()
    }

    fn publish(&self, event: Event) {
        // No subscriber is not an error.
        let delivery = Delivery::watched(event, Arc::clone(&self.watching));
        let _ = self.sender.send(Arc::new(delivery));
    }
}

/// Receives notifications until the feed is dropped; a lost connection is
/// reconnected (by the listener) and told to subscribers as a resync.
pub(super) async fn listen(
    mut listener: sqlx::postgres::PgListener,
    feed: std::sync::Weak<Changes>,
) {
    loop {
        let received = listener.try_recv().await;
        let Some(changes) = feed.upgrade() else {
            return;
        };
        match received {
            Ok(Some(notification)) => match Change::from_payload(notification.payload()) {
                Some(change) => changes.publish(Event::Changed(change)),
                None => tracing::warn!("ignored a malformed change notification"),
            },
            Ok(None) => {
                tracing::warn!("the change listener lost its connection; reconnecting");
                changes.publish(Event::Resync);
            }
            Err(err) => {
                tracing::error!(error = %err, "the change listener failed; retrying in a second");
                changes.publish(Event::Resync);
                drop(changes);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Announces committed changes on SQLite: to the change feeds of this
/// process that read the same database file.
pub(crate) fn announce_local(database: &str, changes: Vec<Change>) {
    let channel = local_channel(database);
    for change in changes {
        let _ = channel.send(change);
    }
}

/// The in-process channel of one SQLite database.
pub(super) fn local_channel(database: &str) -> broadcast::Sender<Change> {
    static CHANNELS: LazyLock<Mutex<HashMap<String, broadcast::Sender<Change>>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let mut channels = CHANNELS.lock().unwrap_or_else(|e| e.into_inner());
    channels
        .entry(database.to_owned())
        .or_insert_with(|| broadcast::channel(BACKLOG).0)
        .clone()
}

/// The identity of a SQLite database: its file.
pub(crate) fn identity(db: &DatabaseConnection) -> String {
    match db.get_database_backend() {
        DbBackend::Sqlite => db
            .get_sqlite_connection_pool()
            .connect_options()
            .get_filename()
            .to_string_lossy()
            .into_owned(),
        _ => String::new(),
    }
}
