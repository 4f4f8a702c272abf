//! What a socket's operations hold and what they wait to send.

use super::*;

/// What the operations running on one socket hold: their cost, and the bytes
/// of answers they are waiting to send.
#[derive(Debug, Default)]
pub(super) struct Budget {
    pub(super) cost: std::sync::atomic::AtomicU64,
    pub(super) queued: std::sync::atomic::AtomicUsize,
}

/// A share of a socket's cost budget, given back when the operation ends.
pub(super) struct Held {
    pub(super) budget: Arc<Budget>,
    pub(super) cost: u64,
}

impl Budget {
    /// Reserves `cost` if the socket's operations stay within `max`.
    pub(super) fn hold(self: &Arc<Self>, cost: u64, max: u64) -> Option<Held> {
        use std::sync::atomic::Ordering;
        self.cost
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(cost).filter(|total| *total <= max)
            })
            .ok()?;
        Some(Held {
            budget: Arc::clone(self),
            cost,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget
            .cost
            .fetch_sub(self.cost, std::sync::atomic::Ordering::AcqRel);
    }
}

/// A session that counts the bytes its messages hold while they wait to be
/// sent; past the socket's bound the connection is closed, never buffered
/// without end.
#[derive(Clone)]
pub(super) struct Outbox {
    pub(super) session: Session,
    pub(super) budget: Arc<Budget>,
    pub(super) max: usize,
}

impl Outbox {
    pub(super) async fn text(&mut self, message: String) -> Result<(), actix_ws::Closed> {
        use std::sync::atomic::Ordering;
        let len = message.len();
        let queued = self.budget.queued.fetch_add(len, Ordering::AcqRel) + len;
        if queued > self.max && queued > len {
            self.budget.queued.fetch_sub(len, Ordering::AcqRel);
            tracing::warn!("a WebSocket client does not read its answers; closing it");
            let _ = self
                .session
                .clone()
                .close(Some(close(
                    1008,
                    "the client does not read its messages (WS_MAX_QUEUED_BYTES)",
                )))
                .await;
            return Err(actix_ws::Closed);
        }
        let sent = self.session.text(message).await;
        self.budget.queued.fetch_sub(len, Ordering::AcqRel);
        sent
    }
}
