//! An in-memory chain and network, for in-process tests of several voters (and for tools that
//! simulate a network): the same traits the node implements, kept in maps.

use crate::backend::{ancestry, FinalityBackend, GossipNetwork, Topic};
use crate::{BlockNumber, FinalityError, Hash};
use folio_primitives::header::{Digest, Header};
use futures::channel::mpsc;
use futures::stream::BoxStream;
use futures::StreamExt;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct ChainState {
    headers: BTreeMap<Hash, Header>,
    best: Option<Hash>,
    finalized: Option<Hash>,
    /// Every block finalized, in order, with its justification.
    finalized_log: Vec<(Hash, Vec<u8>)>,
}

/// A chain of headers with forks: the best block is set by the test (the fork choice's role),
/// finality only moves forward along descendants of the finalized block.
#[derive(Clone, Default)]
pub struct MemoryChain(Arc<Mutex<ChainState>>);

impl MemoryChain {
    /// A chain with a genesis header (finalized and best).
    pub fn new() -> Self {
        let genesis = Header {
            parent_hash: Hash::default(),
            number: 0,
            state_root: Hash::default(),
            extrinsics_root: Hash::default(),
            digest: Digest::default(),
        };
        let chain = Self::default();
        let hash = genesis.hash();
        if let Ok(mut state) = chain.0.lock() {
            state.headers.insert(hash, genesis);
            state.best = Some(hash);
            state.finalized = Some(hash);
        }
        chain
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ChainState> {
        // A test chain: a poisoned lock means a test already failed.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn genesis(&self) -> Hash {
        let state = self.state();
        state
            .headers
            .values()
            .find(|h| h.number == 0)
            .map(Header::hash)
            .unwrap_or_default()
    }

    /// Adds a child of `parent` (`fork` tells siblings apart) and returns its hash.
    pub fn push(&self, parent: Hash, fork: u8) -> Hash {
        let number = self
            .header(parent)
            .map_or(0, |h| h.number.saturating_add(1));
        let header = Header {
            parent_hash: parent,
            number,
            state_root: Hash([fork; 32]),
            extrinsics_root: Hash::default(),
            digest: Digest::default(),
        };
        let hash = header.hash();
        self.state().headers.insert(hash, header);
        hash
    }

    /// Adds a header made elsewhere (another node's block).
    pub fn import(&self, header: Header) {
        self.state().headers.insert(header.hash(), header);
    }

    /// Every header held.
    pub fn headers(&self) -> Vec<Header> {
        self.state().headers.values().cloned().collect()
    }

    pub fn set_best(&self, hash: Hash) {
        self.state().best = Some(hash);
    }

    /// Every block finalized so far, in order.
    pub fn finalized_log(&self) -> Vec<(Hash, Vec<u8>)> {
        self.state().finalized_log.clone()
    }

    /// Whether `ancestor` is `block` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: Hash, block: Hash) -> bool {
        ancestry(self, ancestor, block).is_some()
    }
}

impl FinalityBackend for MemoryChain {
    fn header(&self, hash: Hash) -> Option<Header> {
        self.state().headers.get(&hash).cloned()
    }

    fn best_header(&self) -> Header {
        let state = self.state();
        state
            .best
            .and_then(|b| state.headers.get(&b).cloned())
            .unwrap_or_else(|| Header {
                parent_hash: Hash::default(),
                number: 0,
                state_root: Hash::default(),
                extrinsics_root: Hash::default(),
                digest: Digest::default(),
            })
    }

    fn finalized(&self) -> (Hash, BlockNumber) {
        let state = self.state();
        let hash = state.finalized.unwrap_or_default();
        let number = state.headers.get(&hash).map_or(0, |h| h.number);
        (hash, number)
    }

    fn finalize(&self, hash: Hash, justification: Vec<u8>) -> Result<(), FinalityError> {
        let (finalized, _) = self.finalized();
        if ancestry(self, finalized, hash).is_none() {
            return Err(FinalityError::Finalize {
                hash,
                reason: "does not descend from the finalized block".into(),
            });
        }
        let mut state = self.state();
        state.finalized = Some(hash);
        state.finalized_log.push((hash, justification));
        Ok(())
    }
}

#[derive(Default)]
struct Hub {
    /// Messages by topic, kept for late subscribers (Substrate's gossip keeps the live
    /// topics' messages and sends them to peers that connect).
    topics: BTreeMap<Topic, Vec<Vec<u8>>>,
    subscribers: BTreeMap<Topic, Vec<mpsc::UnboundedSender<Vec<u8>>>>,
    /// Every message broadcast, with its sender, for tests to inspect.
    sent: Vec<(usize, Topic, Vec<u8>)>,
}

/// A gossip network in one process: every node sees every message of a topic.
#[derive(Clone, Default)]
pub struct MemoryNetwork(Arc<Mutex<Hub>>);

impl MemoryNetwork {
    fn hub(&self) -> std::sync::MutexGuard<'_, Hub> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A node's handle on the network (`node` names the sender in [`Self::sent`]).
    pub fn node(&self, node: usize) -> MemoryPeer {
        MemoryPeer {
            hub: self.clone(),
            node,
        }
    }

    /// Every message sent so far, with the node that sent it.
    pub fn sent(&self) -> Vec<(usize, Topic, Vec<u8>)> {
        self.hub().sent.clone()
    }
}

/// One node's view of a [`MemoryNetwork`].
#[derive(Clone)]
pub struct MemoryPeer {
    hub: MemoryNetwork,
    node: usize,
}

impl GossipNetwork for MemoryPeer {
    fn broadcast(&self, topic: Topic, message: Vec<u8>) {
        let mut hub = self.hub.hub();
        hub.sent.push((self.node, topic, message.clone()));
        hub.topics.entry(topic).or_default().push(message.clone());
        if let Some(subscribers) = hub.subscribers.get_mut(&topic) {
            subscribers.retain(|s| s.unbounded_send(message.clone()).is_ok());
        }
    }

    fn messages_for(&self, topic: Topic) -> BoxStream<'static, Vec<u8>> {
        let (sender, receiver) = mpsc::unbounded();
        let mut hub = self.hub.hub();
        for message in hub.topics.get(&topic).into_iter().flatten() {
            let _ = sender.unbounded_send(message.clone());
        }
        hub.subscribers.entry(topic).or_default().push(sender);
        receiver.boxed()
    }
}
