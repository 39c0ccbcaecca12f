//! The GRANDPA voter's view of the chain ([`folio_finality::FinalityBackend`]) over
//! `folio_chain::Client`: headers from the block store, the fork choice's best block, the
//! finalized block, and finalizing with the justification stored under `FRNK`.

use folio_chain::Client;
use folio_finality::{BlockNumber, FinalityError, Hash, GRANDPA_ENGINE_ID};
use folio_primitives::header::Header;
use std::sync::Arc;

const LOG_TARGET: &str = "folio::finality";

/// The chain as the voter sees it.
pub struct ChainBackend(pub Arc<Client>);

impl folio_finality::FinalityBackend for ChainBackend {
    fn header(&self, hash: Hash) -> Option<Header> {
        match self.0.header(hash) {
            Ok(header) => header,
            Err(error) => {
                tracing::warn!(target: LOG_TARGET, %error, "reading a header for the voter");
                None
            }
        }
    }

    fn best_header(&self) -> Header {
        // The voter asks for the best block to vote on; on a read error it votes on the
        // finalized block, which never conflicts with anything.
        self.0
            .best_header()
            .or_else(|_| self.0.finalized_header())
            .unwrap_or_else(|error| {
                tracing::error!(target: LOG_TARGET, %error, "no best block for the voter");
                Header {
                    parent_hash: Hash::default(),
                    number: 0,
                    state_root: Hash::default(),
                    extrinsics_root: Hash::default(),
                    digest: Default::default(),
                }
            })
    }

    fn finalized(&self) -> (Hash, BlockNumber) {
        match self.0.finalized_header() {
            Ok(header) => (header.hash(), header.number),
            Err(error) => {
                tracing::error!(target: LOG_TARGET, %error, "no finalized block for the voter");
                (Hash::default(), 0)
            }
        }
    }

    fn finalize(&self, hash: Hash, justification: Vec<u8>) -> Result<(), FinalityError> {
        self.0
            .finalize_block(hash, Some((GRANDPA_ENGINE_ID, justification)))
            .map_err(|error| FinalityError::Finalize {
                hash,
                reason: error.to_string(),
            })
    }
}
