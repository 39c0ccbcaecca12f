//! The runtime's metadata, V14, V15 and V16, from `scale-info` and `frame-metadata`.
//!
//! The core types carry Substrate's type paths (see `folio-primitives`), the pallets FRAME's
//! names, and the signed extensions Substrate's identifiers, so polkadot-js, subxt, PAPI and
//! Dedot decode everything without configuration. Every runtime API a client may call is
//! described (V15 and V16), and no name in it is one a code generator cannot emit (the
//! `metadata_names_are_valid_identifiers` test).

use crate::*;
use alloc::vec::Vec;
use folio_pallet_support::metadata::PalletDescription;
use folio_primitives::address::MultiAddress;
use folio_primitives::extensions::{self, ExtraTuple};
use folio_primitives::extrinsic::EXTRINSIC_FORMAT_VERSION;
use folio_primitives::signature::MultiSignature;
use frame_metadata::v15::{
    CustomMetadata, OuterEnums, RuntimeApiMetadata, RuntimeApiMethodMetadata,
    RuntimeApiMethodParamMetadata,
};
use frame_metadata::RuntimeMetadataPrefixed;
use scale_info::{meta_type, MetaType};

/// The metadata versions this runtime serves (`Metadata_metadata_versions`).
pub const SUPPORTED_VERSIONS: [u32; 3] = [14, 15, 16];

/// The metadata of `version`, if this runtime serves it (`Metadata_metadata_at_version`).
pub fn metadata_at_version(version: u32) -> Option<RuntimeMetadataPrefixed> {
    match version {
        14 => Some(metadata_v14()),
        15 => Some(metadata_v15()),
        16 => Some(metadata_v16()),
        _ => None,
    }
}

/// Every pallet's description, in index order.
pub fn pallets() -> Vec<PalletDescription> {
    alloc::vec![
        folio_pallet_system::metadata::<Runtime>(),
        Timestamp::metadata(),
        Aura::metadata(),
        folio_pallet_grandpa::metadata::<Runtime>(),
        folio_pallet_currency::metadata::<Runtime>(),
        folio_pallet_currency::fee_metadata::<Runtime>(),
        folio_pallet_sudo::metadata::<Runtime>(),
        folio_pallet_governance::metadata::<Runtime>(),
        folio_pallet_crowdfunding::metadata::<Runtime>(),
        folio_pallet_einvoice::metadata::<Runtime>(),
        folio_pallet_bills::metadata::<Runtime>(),
    ]
}

/// Metadata V14, prefixed with the "meta" magic.
pub fn metadata_v14() -> RuntimeMetadataPrefixed {
    let extrinsic = frame_metadata::v14::ExtrinsicMetadata {
        ty: meta_type::<UncheckedExtrinsic>(),
        version: EXTRINSIC_FORMAT_VERSION,
        signed_extensions: extensions::descriptions()
            .into_iter()
            .map(|e| frame_metadata::v14::SignedExtensionMetadata {
                identifier: e.identifier,
                ty: e.extra,
                additional_signed: e.additional,
            })
            .collect(),
    };
    let pallets = pallets().iter().map(PalletDescription::v14).collect();
    frame_metadata::v14::RuntimeMetadataV14::new(pallets, extrinsic, meta_type::<Runtime>()).into()
}

/// Metadata V15, prefixed with the "meta" magic.
pub fn metadata_v15() -> RuntimeMetadataPrefixed {
    let extrinsic = frame_metadata::v15::ExtrinsicMetadata {
        version: EXTRINSIC_FORMAT_VERSION,
        address_ty: meta_type::<MultiAddress>(),
        call_ty: meta_type::<RuntimeCall>(),
        signature_ty: meta_type::<MultiSignature>(),
        extra_ty: meta_type::<ExtraTuple>(),
        signed_extensions: extensions::descriptions()
            .into_iter()
            .map(|e| frame_metadata::v15::SignedExtensionMetadata {
                identifier: e.identifier,
                ty: e.extra,
                additional_signed: e.additional,
            })
            .collect(),
    };
    let pallets = pallets().iter().map(PalletDescription::v15).collect();
    let outer_enums = OuterEnums {
        call_enum_ty: meta_type::<RuntimeCall>(),
        event_enum_ty: meta_type::<RuntimeEvent>(),
        error_enum_ty: meta_type::<RuntimeError>(),
    };
    frame_metadata::v15::RuntimeMetadataV15::new(
        pallets,
        extrinsic,
        meta_type::<Runtime>(),
        runtime_apis(),
        outer_enums,
        CustomMetadata {
            map: Default::default(),
        },
    )
    .into()
}

/// Metadata V16, prefixed with the "meta" magic: V15's content plus each runtime API's
/// version and the transaction extensions by extension version. Nothing is deprecated.
pub fn metadata_v16() -> RuntimeMetadataPrefixed {
    use frame_metadata::v16;
    let descriptions = extensions::descriptions();
    let extension_indices = (0..descriptions.len())
        .filter_map(|i| u32::try_from(i).ok())
        .map(parity_scale_codec::Compact)
        .collect();
    let extrinsic = v16::ExtrinsicMetadata {
        versions: alloc::vec![EXTRINSIC_FORMAT_VERSION],
        address_ty: meta_type::<MultiAddress>(),
        call_ty: meta_type::<RuntimeCall>(),
        signature_ty: meta_type::<MultiSignature>(),
        // Extension version 0 (the only one) uses every extension, in order, as FRAME says.
        transaction_extensions_by_version: [(0u8, extension_indices)].into_iter().collect(),
        transaction_extensions: descriptions
            .into_iter()
            .map(|e| v16::TransactionExtensionMetadata {
                identifier: e.identifier,
                ty: e.extra,
                implicit: e.additional,
            })
            .collect(),
    };
    let pallets = pallets().iter().map(pallet_v16).collect();
    let apis = runtime_apis()
        .into_iter()
        .map(|api| v16::RuntimeApiMetadata {
            name: api.name,
            version: parity_scale_codec::Compact(api_version(api.name)),
            methods: api
                .methods
                .into_iter()
                .map(|m| v16::RuntimeApiMethodMetadata {
                    name: m.name,
                    inputs: m.inputs,
                    output: m.output,
                    docs: m.docs,
                    deprecation_info: v16::ItemDeprecationInfo::NotDeprecated,
                })
                .collect(),
            docs: api.docs,
            deprecation_info: v16::ItemDeprecationInfo::NotDeprecated,
        })
        .collect();
    let outer_enums = OuterEnums {
        call_enum_ty: meta_type::<RuntimeCall>(),
        event_enum_ty: meta_type::<RuntimeEvent>(),
        error_enum_ty: meta_type::<RuntimeError>(),
    };
    v16::RuntimeMetadataV16::new(
        pallets,
        extrinsic,
        apis,
        outer_enums,
        CustomMetadata {
            map: Default::default(),
        },
    )
    .into()
}

/// A pallet as V16 describes it: V15's content with "not deprecated" on every item.
fn pallet_v16(pallet: &PalletDescription) -> frame_metadata::v16::PalletMetadata {
    use frame_metadata::v16;
    let nothing = v16::EnumDeprecationInfo::nothing_deprecated;
    let storage = (!pallet.storage.is_empty()).then(|| v16::PalletStorageMetadata {
        prefix: pallet.name,
        entries: pallet
            .storage
            .iter()
            .map(|e| v16::StorageEntryMetadata {
                name: e.name,
                modifier: e.modifier.clone(),
                ty: e.ty.clone(),
                default: e.default.clone(),
                docs: e.docs.clone(),
                deprecation_info: v16::ItemDeprecationInfo::NotDeprecated,
            })
            .collect(),
    });
    v16::PalletMetadata {
        name: pallet.name,
        storage,
        calls: pallet.calls.map(|ty| v16::PalletCallMetadata {
            ty,
            deprecation_info: nothing(),
        }),
        event: pallet.event.map(|ty| v16::PalletEventMetadata {
            ty,
            deprecation_info: nothing(),
        }),
        constants: pallet
            .constants
            .iter()
            .map(|c| v16::PalletConstantMetadata {
                name: c.name,
                ty: c.ty,
                value: c.value.clone(),
                docs: c.docs.clone(),
                deprecation_info: v16::ItemDeprecationInfo::NotDeprecated,
            })
            .collect(),
        error: pallet.error.map(|ty| v16::PalletErrorMetadata {
            ty,
            deprecation_info: nothing(),
        }),
        associated_types: Vec::new(),
        view_functions: Vec::new(),
        index: pallet.index,
        docs: pallet.docs.clone(),
        deprecation_info: v16::ItemDeprecationInfo::NotDeprecated,
    }
}

/// The version of a runtime API as `Core_version` lists it (0 for an unknown name, which the
/// `runtime_apis_in_metadata_are_the_ones_in_the_version` test rules out).
fn api_version(name: &str) -> u32 {
    use folio_primitives::version::apis as ids;
    let (_, version) = match name {
        "Core" => ids::CORE,
        "Metadata" => ids::METADATA,
        "BlockBuilder" => ids::BLOCK_BUILDER,
        "TaggedTransactionQueue" => ids::TAGGED_TRANSACTION_QUEUE,
        "AccountNonceApi" => ids::ACCOUNT_NONCE,
        "TransactionPaymentApi" => ids::TRANSACTION_PAYMENT,
        "TransactionPaymentCallApi" => ids::TRANSACTION_PAYMENT_CALL,
        "GenesisBuilder" => ids::GENESIS_BUILDER,
        "AuraApi" => ids::AURA,
        "GrandpaApi" => ids::GRANDPA,
        "SessionKeys" => ids::SESSION_KEYS,
        "CrowdfundingApi" => ids::CROWDFUNDING,
        "InvoicesApi" => ids::INVOICES,
        "BillsApi" => ids::BILLS,
        _ => return 0,
    };
    version
}

/// `sp_consensus_slots::SlotDuration`: milliseconds as a `u64`.
struct SlotDuration;
impl scale_info::TypeInfo for SlotDuration {
    type Identity = Self;
    fn type_info() -> scale_info::Type {
        scale_info::Type::builder()
            .path(scale_info::Path::new("SlotDuration", "sp_consensus_slots"))
            .composite(
                scale_info::build::Fields::unnamed().field(|f| f.ty::<u64>().type_name("u64")),
            )
    }
}

/// `sp_core::crypto::KeyTypeId`: four bytes naming a key's use (`aura`).
struct KeyTypeId;
impl scale_info::TypeInfo for KeyTypeId {
    type Identity = Self;
    fn type_info() -> scale_info::Type {
        scale_info::Type::builder()
            .path(scale_info::Path::new("KeyTypeId", "sp_core::crypto"))
            .composite(
                scale_info::build::Fields::unnamed()
                    .field(|f| f.ty::<[u8; 4]>().type_name("[u8; 4]")),
            )
    }
}

/// `sp_core::OpaqueMetadata`: metadata bytes as a `Vec<u8>`.
struct OpaqueMetadata;
impl scale_info::TypeInfo for OpaqueMetadata {
    type Identity = Self;
    fn type_info() -> scale_info::Type {
        scale_info::Type::builder()
            .path(scale_info::Path::new("OpaqueMetadata", "sp_core"))
            .composite(
                scale_info::build::Fields::unnamed()
                    .field(|f| f.ty::<Vec<u8>>().type_name("Vec<u8>")),
            )
    }
}

fn param(name: &'static str, ty: MetaType) -> RuntimeApiMethodParamMetadata {
    RuntimeApiMethodParamMetadata { name, ty }
}

fn method(
    name: &'static str,
    inputs: Vec<RuntimeApiMethodParamMetadata>,
    output: MetaType,
    docs: &'static str,
) -> RuntimeApiMethodMetadata {
    RuntimeApiMethodMetadata {
        name,
        inputs,
        output,
        docs: alloc::vec![docs],
    }
}

fn api(
    name: &'static str,
    methods: Vec<RuntimeApiMethodMetadata>,
    docs: &'static str,
) -> RuntimeApiMetadata {
    RuntimeApiMetadata {
        name,
        methods,
        docs: alloc::vec![docs],
    }
}

type ApplyExtrinsicResult = folio_primitives::transaction_validity::ApplyExtrinsicResult;
type TransactionValidity = folio_primitives::transaction_validity::TransactionValidity;
type Header = folio_primitives::header::Header;
type InherentData = folio_primitives::inherent::InherentData;

/// Folio's query APIs (`CrowdfundingApi`, `InvoicesApi`, `BillsApi`) as V15 describes them.
fn domain_apis() -> Vec<RuntimeApiMetadata> {
    use folio_pallet_bills as bills;
    use folio_pallet_crowdfunding as cf;
    use folio_pallet_einvoice as inv;
    let m = |name, inputs: Vec<(&'static str, MetaType)>, output, docs| {
        method(
            name,
            inputs.into_iter().map(|(n, t)| param(n, t)).collect(),
            output,
            docs,
        )
    };
    alloc::vec![
        api(
            "CrowdfundingApi",
            alloc::vec![
                m(
                    "campaign",
                    alloc::vec![("id", meta_type::<cf::CampaignId>())],
                    meta_type::<Option<cf::Campaign>>(),
                    " A campaign with its status and totals."
                ),
                m(
                    "commitment",
                    alloc::vec![
                        ("id", meta_type::<cf::CampaignId>()),
                        ("investor", meta_type::<AccountId>())
                    ],
                    meta_type::<Option<cf::Commitment>>(),
                    " An investor's commitment to a campaign."
                ),
                m(
                    "investor_status",
                    alloc::vec![("investor", meta_type::<AccountId>())],
                    meta_type::<cf::api::InvestorStatus>(),
                    " An investor's claim and limit headroom."
                ),
                m(
                    "share_class",
                    alloc::vec![("share_class", meta_type::<cf::ClassId>())],
                    meta_type::<Option<cf::ShareClass>>(),
                    " A share class."
                ),
                m(
                    "share_account",
                    alloc::vec![
                        ("share_class", meta_type::<cf::ClassId>()),
                        ("holder", meta_type::<AccountId>())
                    ],
                    meta_type::<cf::ShareAccount>(),
                    " A holder's shares of a class."
                ),
                m(
                    "cap_table",
                    alloc::vec![
                        ("share_class", meta_type::<cf::ClassId>()),
                        ("skip", meta_type::<u32>()),
                        ("limit", meta_type::<u32>())
                    ],
                    meta_type::<Vec<(AccountId, cf::ShareAccount)>>(),
                    " A page of the cap table."
                ),
                m(
                    "distribution",
                    alloc::vec![("id", meta_type::<cf::DistributionId>())],
                    meta_type::<Option<cf::Distribution>>(),
                    " A dividend distribution."
                ),
                m(
                    "claimable_dividend",
                    alloc::vec![
                        ("id", meta_type::<cf::DistributionId>()),
                        ("holder", meta_type::<AccountId>())
                    ],
                    meta_type::<Balance>(),
                    " What a holder can still claim."
                ),
                m(
                    "motion",
                    alloc::vec![("id", meta_type::<cf::MotionId>())],
                    meta_type::<Option<cf::Motion>>(),
                    " A shareholder motion."
                ),
            ],
            " Queries of the crowdfunding pallet.",
        ),
        api(
            "InvoicesApi",
            alloc::vec![
                m(
                    "invoice",
                    alloc::vec![("id", meta_type::<inv::InvoiceId>())],
                    meta_type::<Option<inv::api::InvoiceView>>(),
                    " An invoice with its state and recent history."
                ),
                m(
                    "invoice_history",
                    alloc::vec![
                        ("id", meta_type::<inv::InvoiceId>()),
                        ("start", meta_type::<u32>()),
                        ("limit", meta_type::<u32>())
                    ],
                    meta_type::<Vec<inv::HistoryEntry>>(),
                    " A page of an invoice's history."
                ),
                m(
                    "invoice_by_number",
                    alloc::vec![
                        ("issuer", meta_type::<AccountId>()),
                        ("series", meta_type::<inv::SeriesCode>()),
                        ("sequence", meta_type::<u32>())
                    ],
                    meta_type::<Option<inv::InvoiceId>>(),
                    " The invoice with this number."
                ),
                m(
                    "invoice_net",
                    alloc::vec![("id", meta_type::<inv::InvoiceId>())],
                    meta_type::<Option<Balance>>(),
                    " An invoice's total after credit notes."
                ),
                m(
                    "issuer",
                    alloc::vec![("account", meta_type::<AccountId>())],
                    meta_type::<Option<inv::Issuer>>(),
                    " A registered issuer."
                ),
                m(
                    "current_period",
                    alloc::vec![],
                    meta_type::<inv::PeriodIndex>(),
                    " The current tax period."
                ),
                m(
                    "period_totals",
                    alloc::vec![
                        ("issuer", meta_type::<AccountId>()),
                        ("period", meta_type::<inv::PeriodIndex>())
                    ],
                    meta_type::<Option<inv::PeriodRecord>>(),
                    " An issuer's issued and credited totals in a period."
                ),
                m(
                    "buyer_open_invoices",
                    alloc::vec![
                        ("buyer", meta_type::<AccountId>()),
                        ("start", meta_type::<u32>()),
                        ("limit", meta_type::<u32>())
                    ],
                    meta_type::<Vec<inv::InvoiceId>>(),
                    " A page of a buyer's open invoices."
                ),
            ],
            " Queries of the e-invoice pallet.",
        ),
        api(
            "BillsApi",
            alloc::vec![
                m(
                    "bill",
                    alloc::vec![("id", meta_type::<bills::BillId>())],
                    meta_type::<Option<bills::api::BillView>>(),
                    " A bill with its ranges and full history."
                ),
                m(
                    "holdings",
                    alloc::vec![("who", meta_type::<AccountId>())],
                    meta_type::<Vec<(bills::BillId, Vec<(bills::Unit, bills::BillRange)>)>>(),
                    " The ranges an account holds."
                ),
                m(
                    "bills_of",
                    alloc::vec![("who", meta_type::<AccountId>())],
                    meta_type::<Vec<bills::BillId>>(),
                    " Bills an account is part of."
                ),
                m(
                    "awaiting",
                    alloc::vec![("who", meta_type::<AccountId>())],
                    meta_type::<Vec<bills::api::Awaiting>>(),
                    " Operations waiting for an account's answer."
                ),
                m(
                    "acceptor_credit",
                    alloc::vec![("acceptor", meta_type::<AccountId>())],
                    meta_type::<bills::CreditRecord>(),
                    " An acceptor's on-time, late and dishonoured counts."
                ),
                m(
                    "holdings_page",
                    alloc::vec![
                        ("who", meta_type::<AccountId>()),
                        ("start", meta_type::<u32>()),
                        ("limit", meta_type::<u32>())
                    ],
                    meta_type::<Vec<(bills::BillId, Vec<(bills::Unit, bills::BillRange)>)>>(),
                    " A page of the ranges an account holds (at most 100 bills)."
                ),
                m(
                    "bills_of_page",
                    alloc::vec![
                        ("who", meta_type::<AccountId>()),
                        ("start", meta_type::<u32>()),
                        ("limit", meta_type::<u32>())
                    ],
                    meta_type::<Vec<bills::BillId>>(),
                    " A page of the bills an account is part of (at most 100)."
                ),
                m(
                    "awaiting_page",
                    alloc::vec![
                        ("who", meta_type::<AccountId>()),
                        ("start", meta_type::<u32>()),
                        ("limit", meta_type::<u32>())
                    ],
                    meta_type::<Vec<bills::api::Awaiting>>(),
                    " What waits for an account's answer in a page of its bills (at most 100)."
                ),
            ],
            " Queries of the bills pallet.",
        ),
    ]
}

/// The runtime APIs as V15 describes them (polkadot-js builds `api.call.*` from this).
fn runtime_apis() -> Vec<RuntimeApiMetadata> {
    use crate::payment::FeeDetails;
    use folio_primitives::hash::H256;
    use folio_primitives::transaction_validity::TransactionSource;
    use folio_primitives::version::RuntimeVersion;
    use folio_primitives::weight::RuntimeDispatchInfo;
    alloc::vec![
        api(
            "Core",
            alloc::vec![
                method("version", alloc::vec![], meta_type::<RuntimeVersion>(), " Returns the version of the runtime."),
                method("execute_block", alloc::vec![param("block", meta_type::<Block>())], meta_type::<()>(), " Execute the given block."),
                method("initialize_block", alloc::vec![param("header", meta_type::<Header>())], meta_type::<u8>(), " Initialize a block with the given header and return the runtime executive mode."),
            ],
            " The `Core` runtime api that every Substrate runtime needs to implement.",
        ),
        api(
            "Metadata",
            alloc::vec![
                method("metadata", alloc::vec![], meta_type::<OpaqueMetadata>(), " Returns the metadata of a runtime."),
                method("metadata_at_version", alloc::vec![param("version", meta_type::<u32>())], meta_type::<Option<OpaqueMetadata>>(), " Returns the metadata at a given version."),
                method("metadata_versions", alloc::vec![], meta_type::<Vec<u32>>(), " Returns the supported metadata versions."),
            ],
            " The `Metadata` api trait that returns metadata for the runtime.",
        ),
        api(
            "BlockBuilder",
            alloc::vec![
                method("apply_extrinsic", alloc::vec![param("extrinsic", meta_type::<UncheckedExtrinsic>())], meta_type::<ApplyExtrinsicResult>(), " Apply the given extrinsic."),
                method("finalize_block", alloc::vec![], meta_type::<Header>(), " Finish the current block."),
                method("inherent_extrinsics", alloc::vec![param("inherent", meta_type::<InherentData>())], meta_type::<Vec<UncheckedExtrinsic>>(), " Generate inherent extrinsics."),
                method("check_inherents", alloc::vec![param("block", meta_type::<Block>()), param("data", meta_type::<InherentData>())], meta_type::<crate::apis::CheckInherentsResult>(), " Check that the inherents are valid."),
            ],
            " The `BlockBuilder` api trait that provides the required functionality for building a block.",
        ),
        api(
            "TaggedTransactionQueue",
            alloc::vec![method(
                "validate_transaction",
                alloc::vec![
                    param("source", meta_type::<TransactionSource>()),
                    param("tx", meta_type::<UncheckedExtrinsic>()),
                    param("block_hash", meta_type::<H256>()),
                ],
                meta_type::<TransactionValidity>(),
                " Validate the transaction.",
            )],
            " The `TaggedTransactionQueue` api trait for interfering with the transaction queue.",
        ),
        api(
            "AccountNonceApi",
            alloc::vec![method("account_nonce", alloc::vec![param("account", meta_type::<AccountId>())], meta_type::<Nonce>(), " Get current account nonce of given `AccountId`.")],
            " The API to query account nonce.",
        ),
        api(
            "TransactionPaymentApi",
            alloc::vec![
                method("query_info", alloc::vec![param("uxt", meta_type::<UncheckedExtrinsic>()), param("len", meta_type::<u32>())], meta_type::<RuntimeDispatchInfo>(), " The weight, class and fee (without tip) of a transaction."),
                method("query_fee_details", alloc::vec![param("uxt", meta_type::<UncheckedExtrinsic>()), param("len", meta_type::<u32>())], meta_type::<FeeDetails>(), " The parts of a transaction's fee (without tip)."),
                method("query_weight_to_fee", alloc::vec![param("weight", meta_type::<Weight>())], meta_type::<Balance>(), " The fee for a weight."),
                method("query_length_to_fee", alloc::vec![param("length", meta_type::<u32>())], meta_type::<Balance>(), " The fee for a length."),
            ],
            " Fees of transactions.",
        ),
        api(
            "TransactionPaymentCallApi",
            alloc::vec![
                method("query_call_info", alloc::vec![param("call", meta_type::<RuntimeCall>()), param("len", meta_type::<u32>())], meta_type::<RuntimeDispatchInfo>(), " The weight, class and fee (without tip) of a call, as if signed."),
                method("query_call_fee_details", alloc::vec![param("call", meta_type::<RuntimeCall>()), param("len", meta_type::<u32>())], meta_type::<FeeDetails>(), " The parts of a call's fee (without tip), as if signed."),
                method("query_weight_to_fee", alloc::vec![param("weight", meta_type::<Weight>())], meta_type::<Balance>(), " The fee for a weight."),
                method("query_length_to_fee", alloc::vec![param("length", meta_type::<u32>())], meta_type::<Balance>(), " The fee for a length."),
            ],
            " Fees of calls before they are signed.",
        ),
        api(
            "GenesisBuilder",
            alloc::vec![
                method("build_state", alloc::vec![param("json", meta_type::<Vec<u8>>())], meta_type::<Result<(), alloc::string::String>>(), " Build `RuntimeGenesisConfig` from a JSON blob and store it in the storage."),
                method("get_preset", alloc::vec![param("id", meta_type::<Option<Vec<u8>>>())], meta_type::<Option<Vec<u8>>>(), " Returns a JSON blob representation of the built-in `RuntimeGenesisConfig` identified by `id`."),
                method("preset_names", alloc::vec![], meta_type::<Vec<Vec<u8>>>(), " Returns a list of identifiers for available builtin `RuntimeGenesisConfig` presets."),
            ],
            " API to interact with `RuntimeGenesisConfig` for the runtime",
        ),
        api(
            "AuraApi",
            alloc::vec![
                method("slot_duration", alloc::vec![], meta_type::<SlotDuration>(), " Returns the slot duration for Aura."),
                method("authorities", alloc::vec![], meta_type::<Vec<folio_pallet_aura::Public>>(), " Return the current set of authorities."),
            ],
            " API necessary for block authorship with aura.",
        ),
        api(
            "GrandpaApi",
            alloc::vec![
                method("grandpa_authorities", alloc::vec![], meta_type::<folio_pallet_grandpa::AuthorityList>(), " Get the current GRANDPA authorities and weights. This should not change except"),
                method("current_set_id", alloc::vec![], meta_type::<u64>(), " Get current GRANDPA authority set id."),
            ],
            " APIs for integrating the GRANDPA finality gadget into runtimes.",
        ),
        api(
            "SessionKeys",
            alloc::vec![
                method(
                    "generate_session_keys",
                    alloc::vec![param("seed", meta_type::<Option<Vec<u8>>>())],
                    meta_type::<Vec<u8>>(),
                    " Generate a set of session keys with optionally using the given seed.",
                ),
                method(
                    "decode_session_keys",
                    alloc::vec![param("encoded", meta_type::<Vec<u8>>())],
                    meta_type::<Option<Vec<(Vec<u8>, KeyTypeId)>>>(),
                    " Decode the given public session keys.",
                ),
            ],
            " Session keys runtime api.",
        ),
    ]
    .into_iter()
    .chain(domain_apis())
    .collect()
}
