//! A small chain for runtime tests: genesis, block building and import, through either the
//! native runtime or the wasm runtime executed by wasmtime — the same steps on both.

#![allow(dead_code)]

pub mod weights;

use folio_executor::{Executor, ExecutorConfig};
use folio_primitives::extensions::{AdditionalSigned, SignedExtra};
use folio_primitives::externalities::{
    KeyGenerator, OverlayedExt, RuntimeVersionReader, TestExternalities,
};
use folio_primitives::extrinsic::{with_signing_payload, OpaqueExtrinsic};
use folio_primitives::hash::H256;
use folio_primitives::header::{Block, Digest, Header};
use folio_primitives::inherent::{InherentData, TIMESTAMP_INHERENT};
use folio_primitives::keyring::Keyring;
use folio_primitives::transaction_validity::{
    ApplyExtrinsicResult, TransactionSource, TransactionValidity,
};
use folio_primitives::{AccountId, Era, MultiAddress};
use folio_runtime::{RuntimeCall, UncheckedExtrinsic};
use parity_scale_codec::{Decode, Encode};

/// Where runtime calls run.
pub enum Backend {
    Native,
    Wasm {
        executor: Executor,
        code: Vec<u8>,
        reader: RuntimeVersionReader,
    },
}

impl Backend {
    pub fn wasm() -> Self {
        let code = folio_runtime::WASM_BINARY
            .expect("tests run with the wasm runtime built")
            .to_vec();
        let executor = Executor::new(ExecutorConfig::default()).expect("executor starts");
        let reader = executor.version_reader();
        Self::Wasm {
            executor,
            code,
            reader,
        }
    }
}

pub struct Chain {
    pub ext: TestExternalities,
    pub backend: Backend,
    pub genesis: Header,
    pub best: Header,
    pub now: u64,
}

impl Chain {
    /// The development genesis (//Alice … //Ferdie endowed), built by the backend itself.
    pub fn dev(backend: Backend) -> Self {
        let mut ext = TestExternalities::default();
        let code = folio_runtime::WASM_BINARY.unwrap_or_default().to_vec();
        ext.execute_with(|| {
            folio_primitives::io::storage_set(folio_primitives::storage::CODE, &code)
        });
        let mut chain = Self {
            ext,
            backend,
            genesis: empty_header(),
            best: empty_header(),
            now: 1_700_000_000_000,
        };
        let preset = folio_runtime::genesis::preset(Some(b"development")).expect("preset exists");
        let built = chain
            .call("GenesisBuilder_build_state", &preset.encode())
            .expect("genesis builds");
        assert_eq!(
            Result::<(), String>::decode(&mut &built[..]).unwrap(),
            Ok(())
        );
        chain.ext.commit_all();
        let genesis = Header {
            parent_hash: H256::zero(),
            number: 0,
            state_root: H256(chain.ext.backend.root()),
            extrinsics_root: H256(folio_trie::ordered_trie_root::<Vec<u8>>(&[])),
            digest: Digest::default(),
        };
        chain.genesis = genesis.clone();
        chain.best = genesis;
        chain
    }

    /// Calls a runtime API against the current state (overlay included).
    pub fn call(&mut self, method: &str, input: &[u8]) -> Result<Vec<u8>, String> {
        match &self.backend {
            Backend::Native => self
                .ext
                .execute_with(|| folio_runtime::apis::call(method, input))
                .map_err(|e| e.message().to_string()),
            Backend::Wasm {
                executor,
                code,
                reader,
            } => {
                let mut ext =
                    OverlayedExt::new(&self.ext.backend, &mut self.ext.overlay, Some(reader));
                executor
                    .call(code, method, input, &mut ext)
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// As [`Self::call`], with a keystore the runtime may create keys in (what the node gives
    /// `SessionKeys_generate_session_keys` for `author_rotateKeys`).
    pub fn call_with_keys(
        &mut self,
        method: &str,
        input: &[u8],
        keys: &dyn KeyGenerator,
    ) -> Result<Vec<u8>, String> {
        match &self.backend {
            Backend::Native => self
                .ext
                .execute_with_keys(keys, || folio_runtime::apis::call(method, input))
                .map_err(|e| e.message().to_string()),
            Backend::Wasm {
                executor,
                code,
                reader,
            } => {
                let mut ext =
                    OverlayedExt::new(&self.ext.backend, &mut self.ext.overlay, Some(reader))
                        .with_keys(keys);
                executor
                    .call(code, method, input, &mut ext)
                    .map_err(|e| e.to_string())
            }
        }
    }

    pub fn genesis_hash(&self) -> H256 {
        self.genesis.hash()
    }

    /// Builds the next block on top of `best` with the timestamp inherent and `transactions`
    /// (full encodings), commits it, and returns it with each transaction's apply result.
    pub fn build_block(
        &mut self,
        transactions: &[Vec<u8>],
    ) -> (Block<OpaqueExtrinsic>, Vec<ApplyExtrinsicResult>) {
        self.now += 6_000;
        let parent = self.best.clone();
        let header = Header {
            parent_hash: parent.hash(),
            number: parent.number + 1,
            state_root: H256::zero(),
            extrinsics_root: H256::zero(),
            digest: Digest::default(),
        };
        self.call("Core_initialize_block", &header.encode())
            .expect("initialize");
        let mut data = InherentData::default();
        data.put(TIMESTAMP_INHERENT, &self.now);
        let inherents = self
            .call("BlockBuilder_inherent_extrinsics", &data.encode())
            .expect("inherents");
        let inherents =
            Vec::<OpaqueExtrinsic>::decode(&mut &inherents[..]).expect("extrinsic list");
        let mut body = Vec::new();
        for xt in inherents {
            let result = self.apply(xt.as_bytes());
            assert_eq!(result, Ok(Ok(())), "inherent applies");
            body.push(xt);
        }
        let mut results = Vec::new();
        for tx in transactions {
            let result = self.apply(tx);
            if result.is_ok() {
                body.push(OpaqueExtrinsic::from_bytes(tx).expect("well-formed"));
            }
            results.push(result);
        }
        let header = Header::decode(
            &mut &self
                .call("BlockBuilder_finalize_block", &[])
                .expect("finalize")[..],
        )
        .expect("header");
        self.ext.commit_all();
        self.best = header.clone();
        (
            Block {
                header,
                extrinsics: body,
            },
            results,
        )
    }

    /// Starts the next block on top of `best` (without finishing it), so extrinsics can be
    /// applied one by one.
    pub fn begin_block(&mut self) {
        let header = Header {
            parent_hash: self.best.hash(),
            number: self.best.number + 1,
            state_root: H256::zero(),
            extrinsics_root: H256::zero(),
            digest: Digest::default(),
        };
        self.call("Core_initialize_block", &header.encode())
            .expect("initialize");
    }

    pub fn apply(&mut self, encoded: &[u8]) -> ApplyExtrinsicResult {
        let out = self
            .call("BlockBuilder_apply_extrinsic", encoded)
            .expect("apply call");
        ApplyExtrinsicResult::decode(&mut &out[..]).expect("apply result")
    }

    /// Imports `block` with `Core_execute_block`; commits on success, discards on failure.
    pub fn import(&mut self, block: &Block<OpaqueExtrinsic>) -> Result<(), String> {
        let result = self.call("Core_execute_block", &block.encode());
        match result {
            Ok(_) => {
                self.ext.commit_all();
                self.best = block.header.clone();
                Ok(())
            }
            Err(e) => {
                self.ext.overlay = Default::default();
                Err(e)
            }
        }
    }

    pub fn state_root(&self) -> H256 {
        H256(self.ext.backend.root())
    }

    /// Validates a transaction against the best block, as the pool does (state discarded).
    pub fn validate(&mut self, encoded: &[u8]) -> TransactionValidity {
        let input = (
            TransactionSource::External,
            OpaqueExtrinsic::from_bytes(encoded).unwrap(),
            self.best.hash(),
        )
            .encode();
        let out = self
            .call("TaggedTransactionQueue_validate_transaction", &input)
            .expect("validate call");
        self.ext.overlay = Default::default();
        TransactionValidity::decode(&mut &out[..]).expect("validity")
    }

    pub fn account(&mut self, who: &AccountId) -> folio_pallet_system::AccountInfo {
        use folio_pallet_support::storage::StorageMap;
        let who = *who;
        self.ext
            .execute_with(|| folio_pallet_system::Account::get(&who))
    }

    pub fn free(&mut self, who: Keyring) -> u128 {
        self.account(&who.account_id()).data.free
    }

    pub fn events(&mut self) -> Vec<folio_runtime::RuntimeEvent> {
        self.ext.execute_with(|| {
            folio_pallet_support::events::read_events::<folio_runtime::RuntimeEvent>()
                .into_iter()
                .map(|r| r.event)
                .collect()
        })
    }

    /// Signs `call` by `who` with `nonce`, immortal, against this chain.
    pub fn sign(&self, who: Keyring, call: RuntimeCall, nonce: u32, tip: u128) -> Vec<u8> {
        let extra = SignedExtra {
            era: Era::Immortal,
            nonce,
            tip,
            metadata_hash_mode: 0,
        };
        self.sign_with(
            who,
            call,
            extra,
            self.genesis_hash(),
            folio_runtime::SPEC_VERSION,
        )
    }

    /// Signs with explicit extensions, era block hash and spec version (to build bad ones).
    pub fn sign_with(
        &self,
        who: Keyring,
        call: RuntimeCall,
        extra: SignedExtra,
        era_block_hash: H256,
        spec_version: u32,
    ) -> Vec<u8> {
        let additional = AdditionalSigned {
            spec_version,
            transaction_version: folio_runtime::TRANSACTION_VERSION,
            genesis_hash: self.genesis_hash(),
            era_block_hash,
            metadata_hash: None,
        };
        let pair = who.pair();
        let signature = with_signing_payload(&call, &extra, &additional, |payload| {
            pair.sign_multi(payload)
        });
        UncheckedExtrinsic::new_signed(call, MultiAddress::Id(who.account_id()), signature, extra)
            .encode()
    }
}

pub fn empty_header() -> Header {
    Header {
        parent_hash: H256::zero(),
        number: 0,
        state_root: H256::zero(),
        extrinsics_root: H256::zero(),
        digest: Digest::default(),
    }
}

/// Extensions with `nonce` and `era`, no tip.
pub fn extra(nonce: u32, era: Era) -> SignedExtra {
    SignedExtra {
        era,
        nonce,
        tip: 0,
        metadata_hash_mode: 0,
    }
}

pub fn transfer(to: Keyring, value: u128) -> RuntimeCall {
    RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
        dest: MultiAddress::Id(to.account_id()),
        value,
    })
}
