//! The JSON shapes Substrate's legacy RPC uses, and the parameter types it accepts.
//!
//! Output structs keep Substrate's field order (serde writes fields in declaration order).
//! Hex is `0x`-prefixed lowercase everywhere. Input hex accepts an optional `0x` and either
//! case, as Substrate's `impl-serde` does.

use crate::backend::TransactionStatus;
use folio_primitives::hash::H256;
use folio_primitives::header::Header;
use folio_primitives::version::RuntimeVersion;
use folio_primitives::weight::{DispatchClass, RuntimeDispatchInfo};
use parity_scale_codec::{DecodeAll, Encode};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// `0x`-prefixed lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + bytes.len() * 2);
    out.push_str("0x");
    out.push_str(&hex::encode(bytes));
    out
}

/// Parses hex with an optional `0x`; an odd number of digits gets a leading zero nibble.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    let decoded = if digits.len() % 2 == 1 {
        hex::decode(format!("0{digits}"))
    } else {
        hex::decode(digits)
    };
    decoded.map_err(|e| format!("invalid hex {text:?}: {e}"))
}

/// Bytes given as a hex string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexBytes(pub Vec<u8>);

impl<'de> Deserialize<'de> for HexBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_hex(&text).map(HexBytes).map_err(D::Error::custom)
    }
}

/// A 32-byte hash given as a hex string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexHash(pub H256);

impl<'de> Deserialize<'de> for HexHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = parse_hex(&text).map_err(D::Error::custom)?;
        let array: [u8; 32] = bytes.try_into().map_err(|bytes: Vec<u8>| {
            D::Error::custom(format!(
                "expected a 32-byte hash, got {} bytes",
                bytes.len()
            ))
        })?;
        Ok(HexHash(H256(array)))
    }
}

/// Substrate's `NumberOrHex`: a JSON number or a `0x` hex string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberOrHex {
    Number(u64),
    /// A hex string; `None` when it does not fit 128 bits.
    Hex(Option<u128>),
}

impl NumberOrHex {
    /// The block number, if it fits Folio's `u32`.
    pub fn to_block_number(self) -> Result<u32, String> {
        let wide: Option<u128> = match self {
            Self::Number(n) => Some(u128::from(n)),
            Self::Hex(n) => n,
        };
        wide.and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("`{self:?}` > u32::MAX, the max block number is u32::MAX."))
    }
}

impl<'de> Deserialize<'de> for NumberOrHex {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(n) => n.as_u64().map(Self::Number).ok_or_else(|| {
                D::Error::custom(format!(
                    "expected a non-negative integer block number, got {n}"
                ))
            }),
            serde_json::Value::String(s) => {
                let digits = s.strip_prefix("0x").ok_or_else(|| {
                    D::Error::custom(format!("expected a 0x-prefixed hex number, got {s:?}"))
                })?;
                if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(D::Error::custom(format!("invalid hex number {s:?}")));
                }
                let trimmed = digits.trim_start_matches('0');
                if trimmed.len() > 64 {
                    return Err(D::Error::custom(format!(
                        "hex number {s:?} exceeds 256 bits"
                    )));
                }
                Ok(Self::Hex(
                    u128::from_str_radix(if trimmed.is_empty() { "0" } else { trimmed }, 16).ok(),
                ))
            }
            other => Err(D::Error::custom(format!(
                "expected a block number or hex string, got {other}"
            ))),
        }
    }
}

/// Substrate's `ListOrValue<T>`: one value or an array of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ListOrValue<T> {
    Value(T),
    List(Vec<T>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ListOrValue<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Array(items) => items
                .into_iter()
                .map(|item| T::deserialize(item).map_err(D::Error::custom))
                .collect::<Result<Vec<T>, D::Error>>()
                .map(Self::List),
            value => T::deserialize(value)
                .map(Self::Value)
                .map_err(D::Error::custom),
        }
    }
}

/// `author_removeExtrinsic` items: `{"hash":"0x…"}` or `{"extrinsic":"0x…"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum ExtrinsicOrHash {
    Hash(HexHash),
    Extrinsic(HexBytes),
}

/// A header as `chain_getHeader` writes it; round-trips to the same SCALE bytes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderJson {
    pub parent_hash: String,
    /// Hex, no leading zeros (`"0x0"`, `"0x1a"`), as Substrate's U256-style serializer writes.
    pub number: String,
    pub state_root: String,
    pub extrinsics_root: String,
    pub digest: DigestJson,
}

/// The header's digest: each log is the hex of one SCALE-encoded `DigestItem`.
#[derive(Debug, Clone, Serialize)]
pub struct DigestJson {
    pub logs: Vec<String>,
}

impl From<&Header> for HeaderJson {
    fn from(header: &Header) -> Self {
        Self {
            parent_hash: header.parent_hash.to_hex(),
            number: format!("{:#x}", header.number),
            state_root: header.state_root.to_hex(),
            extrinsics_root: header.extrinsics_root.to_hex(),
            digest: DigestJson {
                logs: header
                    .digest
                    .logs
                    .iter()
                    .map(|item| to_hex(&item.encode()))
                    .collect(),
            },
        }
    }
}

/// `chain_getBlock`'s answer.
#[derive(Debug, Clone, Serialize)]
pub struct SignedBlockJson {
    pub block: BlockJson,
    /// The block's justifications as Substrate's serde gives them (`[[engine id bytes,
    /// justification bytes], …]`, number arrays), or `null`.
    pub justifications: Option<Vec<crate::backend::Justification>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockJson {
    pub header: HeaderJson,
    /// Full encodings, length prefix included.
    pub extrinsics: Vec<String>,
}

/// `state_getRuntimeVersion` / `state_runtimeVersion`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeVersionJson {
    pub spec_name: String,
    pub impl_name: String,
    pub authoring_version: u32,
    pub spec_version: u32,
    pub impl_version: u32,
    pub apis: Vec<(String, u32)>,
    pub transaction_version: u32,
    /// Substrate writes the same value twice: `systemVersion` (new name) and `stateVersion`
    /// (what polkadot-js reads).
    pub system_version: u8,
    pub state_version: u8,
}

impl From<&RuntimeVersion> for RuntimeVersionJson {
    fn from(v: &RuntimeVersion) -> Self {
        Self {
            spec_name: v.spec_name.clone(),
            impl_name: v.impl_name.clone(),
            authoring_version: v.authoring_version,
            spec_version: v.spec_version,
            impl_version: v.impl_version,
            apis: v
                .apis
                .iter()
                .map(|(id, version)| (to_hex(id), *version))
                .collect(),
            transaction_version: v.transaction_version,
            system_version: v.system_version,
            state_version: v.system_version,
        }
    }
}

/// `state_queryStorageAt` items and `state_storage` notifications.
#[derive(Debug, Clone, Serialize)]
pub struct StorageChangeSet {
    pub block: String,
    pub changes: Vec<(String, Option<String>)>,
}

/// `state_getReadProof`.
#[derive(Debug, Clone, Serialize)]
pub struct ReadProof {
    pub at: String,
    pub proof: Vec<String>,
}

/// `system_health`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub peers: u32,
    pub is_syncing: bool,
    pub should_have_peers: bool,
}

/// One entry of `system_peers` (Substrate's `PeerInfo`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerJson {
    pub peer_id: String,
    pub roles: String,
    pub best_hash: String,
    pub best_number: u32,
}

impl From<crate::network::NetworkPeer> for PeerJson {
    fn from(peer: crate::network::NetworkPeer) -> Self {
        Self {
            peer_id: peer.peer_id,
            roles: peer.roles,
            best_hash: to_hex(peer.best_hash.as_bytes()),
            best_number: peer.best_number,
        }
    }
}

/// `system_syncState`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    pub starting_block: u32,
    pub current_block: u32,
    pub highest_block: u32,
}

/// `system_chainType`, serialized as Substrate's `sc_chain_spec::ChainType`.
#[derive(Debug, Clone, Serialize)]
pub enum ChainType {
    Development,
    Local,
    Live,
    Custom(String),
}

impl From<&str> for ChainType {
    fn from(name: &str) -> Self {
        match name {
            "Development" => Self::Development,
            "Local" => Self::Local,
            "Live" => Self::Live,
            other => Self::Custom(other.to_string()),
        }
    }
}

/// `rpc_methods`.
#[derive(Debug, Clone, Serialize)]
pub struct RpcMethodsJson {
    pub version: u32,
    pub methods: Vec<String>,
}

/// `author_extrinsicUpdate` payloads: Substrate's `TransactionStatus` with its v1-compatible
/// serializer (`inBlock`/`finalized` carry only the block hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TransactionStatusJson {
    Future,
    Ready,
    InBlock(String),
    Retracted(String),
    Finalized(String),
    Usurped(String),
    Dropped,
    Invalid,
}

impl From<&TransactionStatus> for TransactionStatusJson {
    fn from(status: &TransactionStatus) -> Self {
        match status {
            TransactionStatus::Future => Self::Future,
            TransactionStatus::Ready => Self::Ready,
            TransactionStatus::InBlock(h) => Self::InBlock(h.to_hex()),
            TransactionStatus::Retracted(h) => Self::Retracted(h.to_hex()),
            TransactionStatus::Finalized(h) => Self::Finalized(h.to_hex()),
            TransactionStatus::Usurped(h) => Self::Usurped(h.to_hex()),
            TransactionStatus::Dropped => Self::Dropped,
            TransactionStatus::Invalid => Self::Invalid,
        }
    }
}

/// `payment_queryInfo`: `RuntimeDispatchInfo` as Substrate's RPC writes it (fee as a decimal
/// string, so 128-bit amounts survive JavaScript numbers).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchInfoJson {
    pub weight: WeightJson,
    pub class: &'static str,
    pub partial_fee: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightJson {
    pub ref_time: u64,
    pub proof_size: u64,
}

impl From<&RuntimeDispatchInfo> for DispatchInfoJson {
    fn from(info: &RuntimeDispatchInfo) -> Self {
        Self {
            weight: WeightJson {
                ref_time: info.weight.ref_time,
                proof_size: info.weight.proof_size,
            },
            class: match info.class {
                DispatchClass::Normal => "normal",
                DispatchClass::Operational => "operational",
                DispatchClass::Mandatory => "mandatory",
            },
            partial_fee: info.partial_fee.to_string(),
        }
    }
}

/// `payment_queryFeeDetails`: `pallet_transaction_payment::FeeDetails` as Substrate's RPC
/// writes it: `{"inclusionFee": null}` for a transaction that pays no fee, otherwise each part
/// as `NumberOrHex`'s hex form of a 128-bit amount (`"0x1a"`, no leading zeros). FRAME's
/// `tip` is skipped by both its codec and its JSON, so it appears in neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeDetailsJson {
    pub inclusion_fee: Option<InclusionFeeJson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InclusionFeeJson {
    pub base_fee: String,
    pub len_fee: String,
    pub adjusted_weight_fee: String,
}

impl FeeDetailsJson {
    /// From the runtime's SCALE answer: `Option<(base_fee, len_fee, adjusted_weight_fee)>`,
    /// three `u128`s (the layout of FRAME's `Option<InclusionFee<u128>>`).
    pub fn decode_scale(bytes: &[u8]) -> Result<Self, parity_scale_codec::Error> {
        let parts = Option::<(u128, u128, u128)>::decode_all(&mut &bytes[..])?;
        let hex = |amount: u128| format!("0x{amount:x}");
        Ok(Self {
            inclusion_fee: parts.map(|(base, len, weight)| InclusionFeeJson {
                base_fee: hex(base),
                len_fee: hex(len),
                adjusted_weight_fee: hex(weight),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::header::{Digest, DigestItem};

    #[test]
    fn fee_details_json_is_substrates_shape() {
        let mut scale = vec![1u8];
        for part in [0u128, 0x1a, u128::MAX] {
            scale.extend_from_slice(&part.to_le_bytes());
        }
        let json = serde_json::to_value(FeeDetailsJson::decode_scale(&scale).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"inclusionFee": {
                "baseFee": "0x0",
                "lenFee": "0x1a",
                "adjustedWeightFee": "0xffffffffffffffffffffffffffffffff"
            }})
        );
        let none = serde_json::to_value(FeeDetailsJson::decode_scale(&[0]).unwrap()).unwrap();
        assert_eq!(none, serde_json::json!({"inclusionFee": null}));
        assert!(FeeDetailsJson::decode_scale(&[1, 2]).is_err());
    }

    #[test]
    fn header_json_is_substrates_shape() {
        let header = Header {
            parent_hash: H256([1; 32]),
            number: 0x1a,
            state_root: H256([2; 32]),
            extrinsics_root: H256([3; 32]),
            digest: Digest {
                logs: vec![DigestItem::Other(vec![1, 2, 3])],
            },
        };
        let json = serde_json::to_string(&HeaderJson::from(&header)).unwrap();
        let ones = "01".repeat(32);
        let twos = "02".repeat(32);
        let threes = "03".repeat(32);
        assert_eq!(
            json,
            format!(
                r#"{{"parentHash":"0x{ones}","number":"0x1a","stateRoot":"0x{twos}","extrinsicsRoot":"0x{threes}","digest":{{"logs":["0x000c010203"]}}}}"#
            )
        );
        let genesis = Header {
            number: 0,
            ..header
        };
        assert_eq!(HeaderJson::from(&genesis).number, "0x0");
    }

    #[test]
    fn transaction_statuses_serialize_as_substrate() {
        let h = H256([7; 32]);
        let cases = [
            (TransactionStatus::Future, r#""future""#.to_string()),
            (TransactionStatus::Ready, r#""ready""#.to_string()),
            (
                TransactionStatus::InBlock(h),
                format!(r#"{{"inBlock":"{h}"}}"#),
            ),
            (
                TransactionStatus::Retracted(h),
                format!(r#"{{"retracted":"{h}"}}"#),
            ),
            (
                TransactionStatus::Finalized(h),
                format!(r#"{{"finalized":"{h}"}}"#),
            ),
            (
                TransactionStatus::Usurped(h),
                format!(r#"{{"usurped":"{h}"}}"#),
            ),
            (TransactionStatus::Dropped, r#""dropped""#.to_string()),
            (TransactionStatus::Invalid, r#""invalid""#.to_string()),
        ];
        for (status, expected) in cases {
            let json = serde_json::to_string(&TransactionStatusJson::from(&status)).unwrap();
            assert_eq!(json, expected);
        }
    }

    #[test]
    fn number_or_hex_parses_numbers_and_hex() {
        let parse = |s: &str| serde_json::from_str::<NumberOrHex>(s);
        assert_eq!(parse("5").unwrap().to_block_number(), Ok(5));
        assert_eq!(parse(r#""0x1a""#).unwrap().to_block_number(), Ok(26));
        assert_eq!(parse(r#""0x0""#).unwrap().to_block_number(), Ok(0));
        assert!(parse(r#""0x100000000""#)
            .unwrap()
            .to_block_number()
            .is_err());
        assert!(parse(r#""12""#).is_err());
        assert!(parse(r#""0xzz""#).is_err());
        assert!(parse("-1").is_err());
        assert!(parse("1.5").is_err());
    }

    #[test]
    fn chain_type_serializes_as_substrate() {
        assert_eq!(
            serde_json::to_string(&ChainType::from("Development")).unwrap(),
            r#""Development""#
        );
        assert_eq!(
            serde_json::to_string(&ChainType::from("x")).unwrap(),
            r#"{"Custom":"x"}"#
        );
    }
}
