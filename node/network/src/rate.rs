//! Per-peer request rate limits: a token bucket per peer and protocol.

use libp2p::PeerId;
use std::collections::HashMap;
use std::time::Instant;

/// At most `burst` requests at once, refilled at `per_second`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_second: u32,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Token buckets by peer for one protocol.
pub struct RateLimiter {
    limit: RateLimit,
    buckets: HashMap<PeerId, Bucket>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            buckets: HashMap::new(),
        }
    }

    /// Takes one token; false when the peer is over its rate.
    pub fn allow(&mut self, peer: PeerId, now: Instant) -> bool {
        let burst = f64::from(self.limit.burst);
        let bucket = self.buckets.entry(peer).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * f64::from(self.limit.per_second)).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Forgets a disconnected peer.
    pub fn remove(&mut self, peer: &PeerId) {
        self.buckets.remove(peer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let mut limiter = RateLimiter::new(RateLimit {
            burst: 3,
            per_second: 2,
        });
        let peer = PeerId::random();
        let start = Instant::now();
        assert!((0..3).all(|_| limiter.allow(peer, start)));
        assert!(!limiter.allow(peer, start));
        assert!(limiter.allow(peer, start + Duration::from_millis(500)));
        assert!(!limiter.allow(peer, start + Duration::from_millis(500)));
        // Another peer has its own bucket.
        assert!(limiter.allow(PeerId::random(), start));
    }
}
