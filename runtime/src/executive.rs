//! The executive: how blocks and extrinsics are run.
//!
//! - A block starts ([`initialize_block`]), takes inherents then transactions
//!   ([`apply_extrinsic`]), and ends ([`finalize_block`]) with a header whose state root and
//!   extrinsics root commit to what happened. [`execute_block`] does all of that for an
//!   imported block and checks the result against its header.
//! - A signed transaction goes through Substrate's signed extensions in order: non-zero sender,
//!   spec and transaction version, genesis, mortality (all in the signature check), nonce,
//!   weight, fee. Then its call runs in a storage transaction: a failed call leaves no trace but
//!   its fee, its nonce and its events.
//! - [`apply_extrinsic`] is itself transactional: an extrinsic that is invalid (outer error)
//!   changes nothing at all, so the block author can simply skip it.

use crate::*;
use folio_pallet_currency::fees;
use folio_pallet_system::extensions;
use folio_primitives::extensions::{AdditionalSigned, SignedExtra};
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, DigestItem, Header};
use folio_primitives::inherent::InherentData;
use folio_primitives::io;
use folio_primitives::transaction_validity::{
    ApplyExtrinsicResult, InvalidTransaction, TransactionValidity, TransactionValidityError,
    UnknownTransaction, ValidTransaction,
};
use folio_primitives::weight::DispatchEventInfo;

/// Why a block cannot be built or imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockError {
    /// The extrinsic at `index` is invalid.
    InvalidExtrinsic {
        index: u32,
        error: TransactionValidityError,
    },
    /// An inherent came after a signed transaction.
    InherentAfterTransaction {
        index: u32,
    },
    /// The block has no `timestamp.set` inherent.
    MissingTimestamp,
    /// A signature checked in the block's batch is invalid.
    BadSignatureInBatch,
    StateRootMismatch,
    ExtrinsicsRootMismatch,
    DigestMismatch,
    /// The block breaks Aura's rules (slot digest, increasing slot, timestamp in the slot).
    Aura(folio_pallet_aura::AuraError),
}

impl BlockError {
    /// A message for logs and RPC errors.
    pub fn message(&self) -> &'static str {
        match self {
            Self::InvalidExtrinsic { .. } => "block contains an invalid extrinsic",
            Self::InherentAfterTransaction { .. } => "inherent after a signed transaction",
            Self::MissingTimestamp => "timestamp must be set once in the block",
            Self::BadSignatureInBatch => "a signature in the block is invalid",
            Self::StateRootMismatch => "state root does not match the header",
            Self::ExtrinsicsRootMismatch => "extrinsics root does not match the header",
            Self::DigestMismatch => "digest does not match the header",
            Self::Aura(error) => error.message(),
        }
    }
}

/// Starts a block: only the header's pre-runtime digest items are taken, the runtime adds the
/// rest itself. Runs migrations once if this is the first block under new code.
pub fn initialize_block(header: &Header) {
    let digest = Digest {
        logs: header
            .digest
            .logs
            .iter()
            .filter(|item| matches!(item, DigestItem::PreRuntime(..)))
            .cloned()
            .collect(),
    };
    System::initialize(header.number, header.parent_hash, &digest);
    let mut weight = BLOCK_BASE_WEIGHT;
    if System::note_runtime_upgrade_if_new() {
        weight = weight.saturating_add(on_runtime_upgrade());
    }
    weight = weight.saturating_add(<Governance as Hooks>::on_initialize(header.number));
    weight = weight.saturating_add(<Bills as Hooks>::on_initialize(header.number));
    System::register_extra_weight(DispatchClass::Mandatory, weight);
}

/// The migrations this code carries, once, in the first block it executes.
fn on_runtime_upgrade() -> Weight {
    crate::migrations::run(&crate::migrations::all())
}

/// Applies one extrinsic (its full encoding). `Err` = invalid: nothing changed, it must not be
/// in the block. `Ok(Err(_))` = included, its call failed.
pub fn apply_extrinsic(encoded: &[u8]) -> ApplyExtrinsicResult {
    folio_pallet_support::transactional::with_storage_layer(|| apply_unchecked(encoded))
}

fn decode_extrinsic(encoded: &[u8]) -> Result<UncheckedExtrinsic, TransactionValidityError> {
    let mut input = encoded;
    let xt = UncheckedExtrinsic::decode(&mut input).map_err(|_| InvalidTransaction::Call)?;
    if !input.is_empty() {
        return Err(InvalidTransaction::Call.into());
    }
    Ok(xt)
}

fn encoded_len(encoded: &[u8]) -> u32 {
    u32::try_from(encoded.len()).unwrap_or(u32::MAX)
}

fn apply_unchecked(encoded: &[u8]) -> ApplyExtrinsicResult {
    let xt = decode_extrinsic(encoded)?;
    let len = encoded_len(encoded);
    let info = xt.function.dispatch_info();
    match check_signed(&xt)? {
        None => apply_inherent(xt.function, encoded, &info, len),
        Some((who, extra)) => apply_signed(xt.function, who, extra, encoded, &info, len),
    }
}

fn apply_inherent(
    call: RuntimeCall,
    encoded: &[u8],
    info: &DispatchInfo,
    len: u32,
) -> ApplyExtrinsicResult {
    if !call.is_inherent() {
        return Err(UnknownTransaction::NoUnsignedValidator.into());
    }
    System::note_extrinsic(encoded);
    extensions::note_weight_and_length::<Runtime>(info, len)?;
    let result =
        folio_pallet_support::transactional::with_transaction(|| call.dispatch(Origin::None));
    if result.is_err() {
        // A failing inherent makes the block invalid.
        return Err(InvalidTransaction::BadMandatory.into());
    }
    System::note_applied_extrinsic(
        &Ok(()),
        DispatchEventInfo {
            weight: info.weight,
            class: info.class,
            pays_fee: info.pays_fee,
        },
    );
    Ok(Ok(()))
}

fn apply_signed(
    call: RuntimeCall,
    who: AccountId,
    extra: SignedExtra,
    encoded: &[u8],
    info: &DispatchInfo,
    len: u32,
) -> ApplyExtrinsicResult {
    if info.class == DispatchClass::Mandatory {
        return Err(InvalidTransaction::BadMandatory.into());
    }
    if System::in_safe_mode() && !call.allowed_in_safe_mode() {
        return Err(InvalidTransaction::Call.into());
    }
    System::note_extrinsic(encoded);
    extensions::use_nonce::<Runtime>(&who, extra.nonce)?;
    extensions::note_weight_and_length::<Runtime>(info, len)?;
    let fee = fees::compute_fee::<Runtime>(len, info, extra.tip);
    fees::withdraw_fee::<Runtime>(&who, fee)?;

    let result = folio_pallet_support::transactional::with_transaction(|| {
        call.dispatch(Origin::Signed(who))
    });

    let post = match &result {
        Ok(post) => *post,
        Err(error) => error.post_info,
    };
    let actual_weight = post.calc_actual_weight(info);
    extensions::refund_weight(info.class, info.weight.saturating_sub(actual_weight));
    let pays_fee = if post.pays_fee == Pays::No {
        Pays::No
    } else {
        info.pays_fee
    };
    let actual = DispatchInfo {
        weight: actual_weight,
        class: info.class,
        pays_fee,
    };
    let actual_fee = fees::compute_fee::<Runtime>(len, &actual, extra.tip);
    fees::settle_fee::<Runtime>(&who, fee, actual_fee, extra.tip);

    let outcome = result.map(|_| ()).map_err(|e| e.error);
    System::note_applied_extrinsic(
        &outcome,
        DispatchEventInfo {
            weight: actual_weight,
            class: info.class,
            pays_fee,
        },
    );
    Ok(outcome)
}

/// The signer and extensions of a signed extrinsic after its signature checks out; `None` for
/// an unsigned one. Covers `CheckNonZeroSender`, `CheckSpecVersion`, `CheckTxVersion`,
/// `CheckGenesis`, `CheckMortality` and `CheckMetadataHash` (mode 0 only).
fn check_signed(
    xt: &UncheckedExtrinsic,
) -> Result<Option<(AccountId, SignedExtra)>, TransactionValidityError> {
    let Some(signed) = &xt.signature else {
        return Ok(None);
    };
    let who = signed
        .address
        .lookup()
        .ok_or(UnknownTransaction::CannotLookup)?;
    extensions::check_non_zero_sender(&who)?;
    if signed.extra.metadata_hash_mode != 0 {
        // No metadata hash is compiled in, as FRAME answers in this case.
        return Err(UnknownTransaction::CannotLookup.into());
    }
    let additional = AdditionalSigned {
        spec_version: SPEC_VERSION,
        transaction_version: TRANSACTION_VERSION,
        genesis_hash: extensions::genesis_hash(),
        era_block_hash: extensions::era_block_hash(signed.extra.era)?,
        metadata_hash: None,
    };
    xt.verify_signature(&additional)
        .map_err(|_| InvalidTransaction::BadProof)?;
    Ok(Some((who, signed.extra)))
}

/// Ends the block and returns its header.
pub fn finalize_block() -> Result<Header, BlockError> {
    System::note_finished_extrinsics();
    if !Timestamp::did_update() {
        return Err(BlockError::MissingTimestamp);
    }
    // The slot is checked once the block's time is known; it is written before the state
    // root is taken.
    let digest = folio_pallet_system::Digest::get();
    Aura::note_block(&digest.logs, Timestamp::now()).map_err(BlockError::Aura)?;
    let number = System::block_number();
    <Timestamp as Hooks>::on_finalize(number);
    // Announces or enacts a validator change (a `FRNK` digest goes into the header).
    <Grandpa as Hooks>::on_finalize(number);
    Ok(System::finalize())
}

/// Whether a full extrinsic encoding is a signed transaction (version byte `0x84`).
fn is_signed_encoding(encoded: &[u8]) -> bool {
    let mut input = encoded;
    match parity_scale_codec::Compact::<u32>::decode(&mut input) {
        Ok(_) => input
            .first()
            .is_some_and(|version| version & 0b1000_0000 != 0),
        Err(_) => false,
    }
}

/// Executes an imported block and checks it against its header. Signatures are verified in
/// one batch (in parallel on the host) at the end.
pub fn execute_block(
    block: &folio_primitives::header::Block<OpaqueExtrinsic>,
) -> Result<(), BlockError> {
    initialize_block(&block.header);
    io::start_batch_verify();
    let applied = apply_block_extrinsics(&block.extrinsics);
    let signatures_ok = io::finish_batch_verify();
    applied?;
    if !signatures_ok {
        return Err(BlockError::BadSignatureInBatch);
    }
    let header = finalize_block()?;
    if header.extrinsics_root != block.header.extrinsics_root {
        return Err(BlockError::ExtrinsicsRootMismatch);
    }
    if header.digest != block.header.digest {
        return Err(BlockError::DigestMismatch);
    }
    if header.state_root != block.header.state_root {
        return Err(BlockError::StateRootMismatch);
    }
    Ok(())
}

fn apply_block_extrinsics(extrinsics: &[OpaqueExtrinsic]) -> Result<(), BlockError> {
    let mut seen_transaction = false;
    for (index, xt) in (0u32..).zip(extrinsics) {
        let signed = is_signed_encoding(xt.as_bytes());
        if !signed && seen_transaction {
            return Err(BlockError::InherentAfterTransaction { index });
        }
        seen_transaction |= signed;
        // A failed call is still a valid part of the block; only invalid extrinsics are not.
        let _dispatch_outcome = apply_extrinsic(xt.as_bytes())
            .map_err(|error| BlockError::InvalidExtrinsic { index, error })?;
    }
    Ok(())
}

/// The inherents the block author puts first in a block.
pub fn inherent_extrinsics(data: &InherentData) -> alloc::vec::Vec<UncheckedExtrinsic> {
    Timestamp::create_inherent(data)
        .map(|call| UncheckedExtrinsic::new_unsigned(RuntimeCall::Timestamp(call)))
        .into_iter()
        .collect()
}

/// The pool's question: is this transaction valid in the block after `block_hash`, and how
/// does it order against others? Runs in a state the node throws away.
pub fn validate_transaction(encoded: &[u8], block_hash: H256) -> TransactionValidity {
    let next = System::block_number().saturating_add(1);
    System::initialize(next, block_hash, &Digest::default());
    let xt = decode_extrinsic(encoded)?;
    let len = encoded_len(encoded);
    let info = xt.function.dispatch_info();
    if info.class == DispatchClass::Mandatory {
        return Err(InvalidTransaction::MandatoryValidation.into());
    }
    let Some((who, extra)) = check_signed(&xt)? else {
        return Err(UnknownTransaction::NoUnsignedValidator.into());
    };
    if System::in_safe_mode() && !xt.function.allowed_in_safe_mode() {
        return Err(InvalidTransaction::Call.into());
    }
    extensions::validate_weight::<Runtime>(&info, len)?;
    let (requires, provides) = extensions::validate_nonce(&who, extra.nonce)?;
    let fee = fees::compute_fee::<Runtime>(len, &info, extra.tip);
    fees::can_pay::<Runtime>(&who, fee)?;
    Ok(ValidTransaction {
        priority: u64::try_from(extra.tip).unwrap_or(u64::MAX),
        requires,
        provides,
        longevity: extensions::era_longevity(extra.era),
        propagate: true,
    })
}
