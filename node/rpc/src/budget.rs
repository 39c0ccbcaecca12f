//! RPC's own share of the node's work: a bounded number of runtime calls and multi-key reads at
//! once (all connections together), a time limit on each, and a bound on the requests one
//! connection may have running.
//!
//! The executor's instance slots are shared by admission, authoring, import and RPC. Without a
//! budget, a client opening many connections could fill every slot with `state_call`s and
//! stall block production; with it, RPC never holds more than
//! [`crate::RpcConfig::max_concurrent_calls`] of them.

use crate::backend::RpcBackend;
use crate::error::ApiError;
use jsonrpsee::ConnectionId;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Requests running per connection.
type InFlightMap = Arc<Mutex<HashMap<ConnectionId, u32>>>;

/// The shared budget of heavy work, and who is using it.
pub(crate) struct Budget {
    calls: Arc<Semaphore>,
    call_timeout: Duration,
    /// Large requests decoded on the blocking pool at once ([`crate::module`]).
    large: Arc<Semaphore>,
    max_in_flight: u32,
    in_flight: InFlightMap,
}

impl Budget {
    pub fn new(max_concurrent_calls: u32, call_timeout: Duration, max_in_flight: u32) -> Self {
        let slots = usize::try_from(max_concurrent_calls.max(1)).unwrap_or(1);
        Self {
            calls: Arc::new(Semaphore::new(slots)),
            call_timeout,
            large: Arc::new(Semaphore::new(slots)),
            max_in_flight: max_in_flight.max(1),
            in_flight: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Runs `work` (a runtime call or a read through the backend) within the budget: it waits
    /// for a slot, then for the answer, at most `call_timeout` in all. The work runs as its own
    /// task holding the slot until it really ends, so an abandoned call still counts.
    pub async fn run<T, F, Fut>(
        &self,
        backend: &Arc<dyn RpcBackend>,
        work: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<dyn RpcBackend>) -> Fut,
        Fut: Future<Output = Result<T, ApiError>> + Send + 'static,
    {
        let started = Instant::now();
        let permit =
            tokio::time::timeout(self.call_timeout, Arc::clone(&self.calls).acquire_owned())
                .await
                .map_err(|_| ApiError::Busy)?
                .map_err(|_| ApiError::Busy)?;
        let future = work(Arc::clone(backend));
        let task = tokio::spawn(async move {
            let _permit = permit;
            future.await
        });
        let left = self.call_timeout.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(ApiError::Internal(format!("RPC call failed: {join}"))),
            Err(_) => Err(ApiError::Timeout(self.call_timeout)),
        }
    }

    /// A slot for decoding one large request off the async workers; `None` when none frees up
    /// within `call_timeout`.
    pub async fn large_request_slot(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        tokio::time::timeout(self.call_timeout, Arc::clone(&self.large).acquire_owned())
            .await
            .ok()?
            .ok()
    }

    /// Counts one more request running on `connection`; refused when it already has
    /// `max_in_flight_per_connection`. The guard counts it out when dropped.
    pub fn enter(&self, connection: Option<ConnectionId>) -> Result<InFlight, ApiError> {
        let Some(connection) = connection else {
            return Ok(InFlight { entry: None });
        };
        let mut map = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = map.entry(connection).or_insert(0);
        if *count >= self.max_in_flight {
            return Err(ApiError::Busy);
        }
        *count += 1;
        Ok(InFlight {
            entry: Some((Arc::clone(&self.in_flight), connection)),
        })
    }
}

/// One running request of a connection (see [`Budget::enter`]).
pub(crate) struct InFlight {
    entry: Option<(InFlightMap, ConnectionId)>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some((map, connection)) = self.entry.take() {
            let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(count) = map.get_mut(&connection) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    map.remove(&connection);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_refused_past_its_in_flight_limit_and_counted_out_on_drop() {
        let budget = Budget::new(1, Duration::from_secs(1), 2);
        let conn = Some(ConnectionId(7));
        let a = budget.enter(conn).unwrap();
        let _b = budget.enter(conn).unwrap();
        assert!(matches!(budget.enter(conn), Err(ApiError::Busy)));
        // Other connections have their own count.
        let _other = budget.enter(Some(ConnectionId(8))).unwrap();
        drop(a);
        let _c = budget.enter(conn).unwrap();
        drop(_c);
        drop(_b);
        assert!(budget
            .in_flight
            .lock()
            .unwrap()
            .get(&ConnectionId(7))
            .is_none());
    }
}
