//! Swarms on 127.0.0.1 (ephemeral ports, real libp2p connections) against in-memory chains.

mod memory_chain;
mod swarms;
