//! Peer reputation: misbehaviour costs points; a peer below the threshold is disconnected
//! and banned for a while. Points recover over time, so an occasional slow or stale answer
//! is forgiven while a stream of bad data is not.

use libp2p::PeerId;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What a peer did wrong, and what it costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misbehaviour {
    /// A message that does not decode or exceeds its size limit.
    BadMessage,
    /// A block that fails import (execution, state root, seal).
    BadBlock,
    /// A response that does not answer the request (wrong blocks, broken chain of parents).
    BadResponse,
    /// A peer of another chain.
    GenesisMismatch,
    /// More requests than the rate limit allows.
    TooManyRequests,
    /// A transaction the pool refused (may be stale, not necessarily malicious).
    RefusedTransaction,
    /// A request that timed out.
    Timeout,
}

impl Misbehaviour {
    fn cost(self) -> i32 {
        match self {
            // Fatal at once: nobody sends these by accident.
            Self::BadMessage | Self::BadBlock | Self::GenesisMismatch => BAN_THRESHOLD,
            Self::BadResponse => BAN_THRESHOLD / 2,
            Self::TooManyRequests => BAN_THRESHOLD / 10,
            Self::Timeout => BAN_THRESHOLD / 20,
            Self::RefusedTransaction => BAN_THRESHOLD / 100,
        }
    }
}

/// A peer at or below this many points is disconnected and banned.
const BAN_THRESHOLD: i32 = -1000;
/// How long a banned peer is refused.
pub const BAN_DURATION: Duration = Duration::from_secs(60);

/// Reputation points and bans by peer.
#[derive(Default)]
pub struct Reputations {
    points: HashMap<PeerId, i32>,
    banned_until: HashMap<PeerId, Instant>,
}

impl Reputations {
    /// Records misbehaviour; returns whether the peer must now be disconnected (and is banned).
    pub fn report(&mut self, peer: PeerId, what: Misbehaviour, now: Instant) -> bool {
        let points = self.points.entry(peer).or_insert(0);
        *points = points.saturating_add(what.cost());
        if *points <= BAN_THRESHOLD {
            self.points.remove(&peer);
            self.banned_until.insert(peer, now + BAN_DURATION);
            return true;
        }
        false
    }

    pub fn is_banned(&self, peer: &PeerId, now: Instant) -> bool {
        self.banned_until
            .get(peer)
            .is_some_and(|until| *until > now)
    }

    /// Points recover by a tenth towards zero per call; expired bans are forgotten. Called
    /// periodically.
    pub fn decay(&mut self, now: Instant) {
        self.points.retain(|_, points| {
            *points -= *points / 10;
            *points < -9
        });
        self.banned_until.retain(|_, until| *until > now);
    }

    pub fn points(&self, peer: &PeerId) -> i32 {
        self.points.get(peer).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_data_bans_at_once_while_small_faults_accumulate() {
        let now = Instant::now();
        let mut reputations = Reputations::default();
        let rude = PeerId::random();
        assert!(reputations.report(rude, Misbehaviour::BadMessage, now));
        assert!(reputations.is_banned(&rude, now));
        assert!(!reputations.is_banned(&rude, now + BAN_DURATION));

        let slow = PeerId::random();
        for _ in 0..19 {
            assert!(!reputations.report(slow, Misbehaviour::Timeout, now));
        }
        assert!(reputations.report(slow, Misbehaviour::Timeout, now));

        let forgiven = PeerId::random();
        reputations.report(forgiven, Misbehaviour::TooManyRequests, now);
        for _ in 0..30 {
            reputations.decay(now);
        }
        assert_eq!(reputations.points(&forgiven), 0);
    }
}
