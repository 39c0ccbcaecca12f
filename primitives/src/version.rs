//! `RuntimeVersion` and the runtime API identifiers advertised in it.

use alloc::{string::String, vec::Vec};
use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// An API identifier: blake2-64 of the API trait's name.
pub type ApiId = [u8; 8];

/// The version of a runtime, returned by `Core_version` (SCALE, Substrate's field order).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_primitives", "sp_version"))]
pub struct RuntimeVersion {
    pub spec_name: String,
    pub impl_name: String,
    pub authoring_version: u32,
    /// Raised by every upgrade that changes behaviour; `set_code` requires it to grow.
    pub spec_version: u32,
    pub impl_version: u32,
    /// The runtime APIs and their versions.
    pub apis: Vec<(ApiId, u32)>,
    /// Raised whenever call indices or argument encodings change (it is signed).
    pub transaction_version: u32,
    /// 1 = state trie layout V1.
    pub system_version: u8,
}

impl RuntimeVersion {
    /// Whether the runtime offers `api` at `version` or higher.
    pub fn has_api(&self, api: &ApiId, version: u32) -> bool {
        self.apis.iter().any(|(id, v)| id == api && *v >= version)
    }
}

/// The API ids Folio implements (blake2-64 of the trait name) and the versions it speaks.
pub mod apis {
    use super::ApiId;
    pub const CORE: (ApiId, u32) = ([0xdf, 0x6a, 0xcb, 0x68, 0x99, 0x07, 0x60, 0x9b], 5);
    pub const METADATA: (ApiId, u32) = ([0x37, 0xe3, 0x97, 0xfc, 0x7c, 0x91, 0xf5, 0xe4], 2);
    pub const ACCOUNT_NONCE: (ApiId, u32) = ([0xbc, 0x9d, 0x89, 0x90, 0x4f, 0x5b, 0x92, 0x3f], 1);
    pub const TAGGED_TRANSACTION_QUEUE: (ApiId, u32) =
        ([0xd2, 0xbc, 0x98, 0x97, 0xee, 0xd0, 0x8f, 0x15], 3);
    pub const BLOCK_BUILDER: (ApiId, u32) = ([0x40, 0xfe, 0x3a, 0xd4, 0x01, 0xf8, 0x95, 0x9a], 6);
    pub const TRANSACTION_PAYMENT: (ApiId, u32) =
        ([0x37, 0xc8, 0xbb, 0x13, 0x50, 0xa9, 0xa2, 0xa8], 4);
    /// Fees of a call before it is signed (wallets estimate with it).
    pub const TRANSACTION_PAYMENT_CALL: (ApiId, u32) =
        ([0xf3, 0xff, 0x14, 0xd5, 0xab, 0x52, 0x70, 0x59], 3);
    pub const GENESIS_BUILDER: (ApiId, u32) = ([0xfb, 0xc5, 0x77, 0xb9, 0xd7, 0x47, 0xef, 0xd6], 2);
    /// Folio's own query APIs.
    pub const AURA: (ApiId, u32) = ([0xdd, 0x71, 0x8d, 0x5c, 0xc5, 0x32, 0x62, 0xd4], 1);
    /// `sp_consensus_grandpa::GrandpaApi` (version 3: `grandpa_authorities`, `current_set_id`).
    pub const GRANDPA: (ApiId, u32) = ([0xed, 0x99, 0xc5, 0xac, 0xb2, 0x5e, 0xed, 0xf5], 3);
    pub const SESSION_KEYS: (ApiId, u32) = ([0xab, 0x3c, 0x05, 0x72, 0x29, 0x1f, 0xeb, 0x8b], 1);
    pub const CROWDFUNDING: (ApiId, u32) = ([0x2b, 0xed, 0x9b, 0xaf, 0xef, 0x96, 0xb9, 0x28], 1);
    pub const INVOICES: (ApiId, u32) = ([0xf7, 0x3e, 0x06, 0x0f, 0xb9, 0x12, 0x68, 0x30], 1);
    pub const BILLS: (ApiId, u32) = ([0x7d, 0xea, 0x1d, 0xc0, 0xab, 0x9f, 0x18, 0x4c], 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_id(name: &str) -> ApiId {
        use blake2::digest::{consts::U8, Digest};
        blake2::Blake2b::<U8>::digest(name.as_bytes()).into()
    }

    #[test]
    fn api_ids_are_blake2_64_of_trait_names() {
        assert_eq!(apis::CORE.0, api_id("Core"));
        assert_eq!(apis::METADATA.0, api_id("Metadata"));
        assert_eq!(apis::ACCOUNT_NONCE.0, api_id("AccountNonceApi"));
        assert_eq!(
            apis::TAGGED_TRANSACTION_QUEUE.0,
            api_id("TaggedTransactionQueue")
        );
        assert_eq!(apis::BLOCK_BUILDER.0, api_id("BlockBuilder"));
        assert_eq!(apis::TRANSACTION_PAYMENT.0, api_id("TransactionPaymentApi"));
        assert_eq!(
            apis::TRANSACTION_PAYMENT_CALL.0,
            api_id("TransactionPaymentCallApi")
        );
        assert_eq!(apis::GENESIS_BUILDER.0, api_id("GenesisBuilder"));
        assert_eq!(apis::AURA.0, api_id("AuraApi"));
        assert_eq!(apis::GRANDPA.0, api_id("GrandpaApi"));
        assert_eq!(apis::SESSION_KEYS.0, api_id("SessionKeys"));
        assert_eq!(apis::CROWDFUNDING.0, api_id("CrowdfundingApi"));
        assert_eq!(apis::INVOICES.0, api_id("InvoicesApi"));
        assert_eq!(apis::BILLS.0, api_id("BillsApi"));
    }
}
