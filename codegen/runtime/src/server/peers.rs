//! Counts per client address, for the optional per-peer caps of
//! [`Limits`](super::Limits): open connections ([`serve`](super::serve))
//! and requests in flight ([`Limits::apply`](super::Limits::apply)).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// How many of something each peer holds, against a cap.
#[derive(Debug)]
pub(crate) struct PeerCounts {
    cap: usize,
    held: Mutex<HashMap<IpAddr, usize>>,
}

/// One unit a peer holds; dropping it gives the unit back.
#[derive(Debug)]
pub(crate) struct PeerSlot {
    counts: Arc<PeerCounts>,
    peer: IpAddr,
}

impl PeerCounts {
    pub(crate) fn new(cap: usize) -> Arc<PeerCounts> {
        Arc::new(PeerCounts {
            cap,
            held: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for `peer`, or `None` when it already holds `cap`.
    pub(crate) fn enter(self: &Arc<Self>, peer: IpAddr) -> Option<PeerSlot> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let count = held.entry(peer).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(PeerSlot {
            counts: self.clone(),
            peer,
        })
    }

    #[cfg(test)]
    fn peers(&self) -> usize {
        self.held.lock().map_or(0, |h| h.len())
    }
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        let mut held = self.counts.held.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = held.get_mut(&self.peer) {
            *count -= 1;
            // Peers come and go: the map holds only those holding something.
            if *count == 0 {
                held.remove(&self.peer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_holds_at_most_its_cap_and_gives_slots_back() {
        let counts = PeerCounts::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = counts.enter(a).unwrap();
        let _second = counts.enter(a).unwrap();
        assert!(counts.enter(a).is_none());
        let _other = counts.enter(b).expect("another peer has its own count");
        drop(first);
        assert!(counts.enter(a).is_some());
        drop(_other);
        assert_eq!(counts.peers(), 1);
    }
}
