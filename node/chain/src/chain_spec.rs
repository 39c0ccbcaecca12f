//! Chain specs in Substrate's JSON format: name, id, chain type, properties, and the genesis
//! either as runtime code + a genesis config patch (built by the runtime's
//! `GenesisBuilder_build_state`) or as raw storage.

use crate::ChainError;
use folio_executor::Executor;
use folio_primitives::externalities::{OverlayedExt, TestExternalities};
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, Header};
use parity_scale_codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of chain this is (`system_chainType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainType {
    Development,
    Local,
    Live,
}

/// The runtime code and its genesis config patch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeGenesis {
    /// `0x`-hex of the wasm runtime.
    pub code: String,
    /// The runtime's genesis config (a patch over its defaults).
    pub patch: serde_json::Value,
}

/// Raw genesis storage: `0x` key → `0x` value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawGenesis {
    pub top: BTreeMap<String, String>,
    #[serde(default)]
    pub children_default: BTreeMap<String, serde_json::Value>,
}

/// The genesis of a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Genesis {
    RuntimeGenesis(RuntimeGenesis),
    Raw(RawGenesis),
}

/// A chain spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainSpec {
    pub name: String,
    pub id: String,
    pub chain_type: ChainType,
    #[serde(default)]
    pub boot_nodes: Vec<String>,
    #[serde(default)]
    pub telemetry_endpoints: Option<serde_json::Value>,
    #[serde(default)]
    pub protocol_id: Option<String>,
    #[serde(default)]
    pub properties: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub code_substitutes: BTreeMap<String, String>,
    pub genesis: Genesis,
}

fn decode_hex(text: &str) -> Result<Vec<u8>, ChainError> {
    hex::decode(text.trim_start_matches("0x"))
        .map_err(|e| ChainError::ChainSpec(format!("bad hex: {e}")))
}

impl ChainSpec {
    /// Reads a spec from JSON.
    pub fn from_json(json: &[u8]) -> Result<Self, ChainError> {
        serde_json::from_slice(json).map_err(|e| ChainError::ChainSpec(e.to_string()))
    }

    /// The spec's `codeSubstitutes`: from each block number on, the runtime code to run
    /// instead of the one on chain, for as long as the chain keeps the code it had at that
    /// block (see [`crate::Client::with_code_substitutes`]). Keys are block numbers in decimal,
    /// values `0x` hex, as in Substrate's chain specs.
    ///
    /// # Errors
    /// A key is not a block number or a value is not hex.
    pub fn code_substitutes(
        &self,
    ) -> Result<BTreeMap<folio_primitives::BlockNumber, Vec<u8>>, ChainError> {
        self.code_substitutes
            .iter()
            .map(|(number, code)| {
                let number = number.parse().map_err(|_| {
                    ChainError::ChainSpec(format!(
                        "codeSubstitutes key {number:?} is not a block number"
                    ))
                })?;
                Ok((number, decode_hex(code)?))
            })
            .collect()
    }

    /// The spec as pretty JSON.
    pub fn to_json(&self) -> Result<String, ChainError> {
        serde_json::to_string_pretty(self).map_err(|e| ChainError::ChainSpec(e.to_string()))
    }

    /// The full genesis storage: raw as given, or built by running the runtime's
    /// `GenesisBuilder_build_state` over the patch (with `:code` set to the runtime).
    pub fn genesis_storage(
        &self,
        executor: &Executor,
    ) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, ChainError> {
        match &self.genesis {
            Genesis::Raw(raw) => raw
                .top
                .iter()
                .map(|(k, v)| Ok((decode_hex(k)?, decode_hex(v)?)))
                .collect(),
            Genesis::RuntimeGenesis(genesis) => {
                let code = decode_hex(&genesis.code)?;
                let mut ext = TestExternalities::default();
                ext.execute_with(|| {
                    folio_primitives::io::storage_set(folio_primitives::storage::CODE, &code)
                });
                let json = serde_json::to_vec(&genesis.patch)
                    .map_err(|e| ChainError::ChainSpec(e.to_string()))?;
                let reader = executor.version_reader();
                let output = {
                    let mut overlayed =
                        OverlayedExt::new(&ext.backend, &mut ext.overlay, Some(&reader));
                    executor.call(
                        &code,
                        "GenesisBuilder_build_state",
                        &json.encode(),
                        &mut overlayed,
                    )?
                };
                let result = Result::<(), String>::decode(&mut &output[..]).map_err(|e| {
                    ChainError::BadRuntimeOutput {
                        method: "GenesisBuilder_build_state",
                        reason: e.to_string(),
                    }
                })?;
                result.map_err(ChainError::Genesis)?;
                ext.commit_all();
                Ok(ext.backend.0)
            }
        }
    }

    /// This spec with its genesis replaced by the raw storage it builds (`build-spec --raw`).
    pub fn into_raw(self, executor: &Executor) -> Result<Self, ChainError> {
        let storage = self.genesis_storage(executor)?;
        let top = storage
            .into_iter()
            .map(|(k, v)| {
                (
                    format!("0x{}", hex::encode(k)),
                    format!("0x{}", hex::encode(v)),
                )
            })
            .collect();
        Ok(Self {
            genesis: Genesis::Raw(RawGenesis {
                top,
                children_default: BTreeMap::new(),
            }),
            ..self
        })
    }
}

/// The genesis header of a state: number 0, no parent, the state's trie root, no extrinsics.
pub fn genesis_header(storage: &BTreeMap<Vec<u8>, Vec<u8>>) -> Header {
    Header {
        parent_hash: H256::zero(),
        number: 0,
        state_root: H256(folio_trie::state_root(storage)),
        extrinsics_root: H256(folio_trie::ordered_trie_root::<Vec<u8>>(&[])),
        digest: Digest::default(),
    }
}
