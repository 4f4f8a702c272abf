//! The WebSockets open per client address (each address has a cap), and the
//! subscriptions running on them, for `/metrics`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::GraphqlState;

/// Sockets open per client address.
#[derive(Default)]
pub struct Sockets {
    open: Mutex<HashMap<std::net::IpAddr, usize>>,
    /// Subscriptions running on them.
    subscriptions: std::sync::atomic::AtomicUsize,
}

/// One open socket, counted against its address until dropped.
pub(super) struct SocketSlot {
    state: Arc<GraphqlState>,
    pub(super) address: Option<std::net::IpAddr>,
}

impl Sockets {
    /// Counts a new socket from `address`, unless that address has its fill.
    pub(super) fn open(
        state: &Arc<GraphqlState>,
        address: Option<std::net::IpAddr>,
    ) -> Option<SocketSlot> {
        if let Some(address) = address {
            let mut open = state.sockets.open.lock().unwrap_or_else(|e| e.into_inner());
            let count = open.entry(address).or_insert(0);
            if *count >= state.ws.sockets_per_address {
                return None;
            }
            *count += 1;
        }
        Some(SocketSlot {
            state: Arc::clone(state),
            address,
        })
    }

    /// Sockets open now (for `/metrics` and tests).
    pub fn count(&self) -> usize {
        self.open.lock().map(|o| o.values().sum()).unwrap_or(0)
    }

    /// Subscriptions running now (for `/metrics`).
    pub fn subscriptions(&self) -> usize {
        self.subscriptions
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A subscription counted as running until dropped.
pub(super) struct Subscribed<'a>(&'a Sockets);

impl<'a> Subscribed<'a> {
    pub(super) fn new(sockets: &'a Sockets) -> Self {
        sockets
            .subscriptions
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Subscribed(sockets)
    }
}

impl Drop for Subscribed<'_> {
    fn drop(&mut self) {
        self.0
            .subscriptions
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let Some(address) = self.address else { return };
        let mut open = self
            .state
            .sockets
            .open
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&address);
            }
        }
    }
}
