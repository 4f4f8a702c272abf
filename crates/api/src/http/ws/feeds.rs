//! Subscriptions shared by the subscribers asking the same under the same rules.

use super::*;

/// Subscriptions that run once for every subscriber asking the same
/// operation (text, operation name, variables) under the same rules (role
/// and partner organization): each event is resolved and serialized once,
/// and its text goes to all of them.
#[derive(Default)]
pub struct Feeds {
    running: Mutex<HashMap<FeedKey, Weak<Feed>>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct FeedKey {
    rules: service::access::RuleSet,
    query: String,
    operation: Option<String>,
    variables: String,
}

/// A running subscription and where its events go; dropped (and stopped)
/// with its last subscriber.
pub(super) struct Feed {
    events: broadcast::Sender<Published>,
    task: tokio::task::AbortHandle,
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a feed sends its subscribers: the JSON of each result.
#[derive(Clone)]
pub(super) enum Published {
    Next(Arc<[u8]>),
    /// Nothing ran (the document was refused or invalid).
    Error(Arc<[u8]>),
    End,
}

/// Events a subscriber may fall behind its feed by.
pub(super) const FEED_BACKLOG: usize = 1024;

impl Feeds {
    /// The feed of this operation under `actor`'s rules (started if none
    /// runs), and a receiver of its events from now on.
    pub(super) fn join(
        &self,
        state: &Arc<GraphqlState>,
        request: Request,
        doc: Arc<ExecutableDocument>,
        actor: &Actor,
        request_id: &RequestId,
    ) -> (Arc<Feed>, broadcast::Receiver<Published>) {
        let key = FeedKey {
            rules: service::access::RuleSet::of(actor),
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).unwrap_or_default(),
        };
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(feed) = running.get(&key).and_then(Weak::upgrade)
            && !feed.task.is_finished()
        {
            let receiver = feed.events.subscribe();
            return (feed, receiver);
        }
        running.retain(|_, feed| feed.strong_count() > 0);
        let (sender, receiver) = broadcast::channel(FEED_BACKLOG);
        let task = tokio::spawn(publish(
            Arc::clone(state),
            request,
            doc,
            actor.clone(),
            request_id.clone(),
            sender.clone(),
        ));
        let feed = Arc::new(Feed {
            events: sender,
            task: task.abort_handle(),
        });
        running.insert(key, Arc::downgrade(&feed));
        (feed, receiver)
    }

    /// Feeds running (for `/metrics` and tests).
    pub fn running(&self) -> usize {
        self.running
            .lock()
            .map(|running| running.values().filter(|f| f.strong_count() > 0).count())
            .unwrap_or(0)
    }
}

/// Runs a subscription and publishes each result, finished and serialized.
pub(super) async fn publish(
    state: Arc<GraphqlState>,
    request: Request,
    doc: Arc<ExecutableDocument>,
    actor: Actor,
    request_id: RequestId,
    sender: broadcast::Sender<Published>,
) {
    // The feed's database work ends with the feed (its task is aborted
    // when its last subscriber leaves; the reads of one change are short).
    let work = service::db::Work::new(state.connections_per_request, None);
    let _ending = super::super::EndWork {
        work: Arc::clone(&work),
        answered: true,
    };
    work.scope(async move {
        let operation_name = request.operation_name.clone();
        let request = resolvable(request, &doc, actor, &request_id);
        let mut events = state.schema.execute_stream(request);
        while let Some(mut response) = events.next().await {
            finish(
                &state,
                &mut response,
                &doc,
                operation_name.as_deref(),
                &request_id,
            );
            // A subscription whose root field failed (its filter refused, say)
            // never started: an `error` message, not an event.
            let refused = response.errors.iter().any(|e| e.path.len() <= 1);
            let (request_error, body) = reply_json(&state, &Reply::from(response), &request_id);
            if request_error || refused {
                let _ = sender.send(Published::Error(body.into()));
                return;
            }
            // No receiver is not an error: the last one may just have left.
            let _ = sender.send(Published::Next(body.into()));
        }
        let _ = sender.send(Published::End);
    })
    .await;
}
