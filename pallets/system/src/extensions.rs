//! The System pallet's signed-extension checks: non-zero sender, genesis and era block hashes,
//! nonce, and block weight/length. The runtime's executive runs them for every transaction,
//! with FRAME's error semantics (clients and the pool interpret those errors).

use crate::{Account, AllExtrinsicsLen, BlockHash, BlockWeight, Config, Number, Pallet};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;
use folio_primitives::era::Era;
use folio_primitives::hash::H256;
use folio_primitives::transaction_validity::{InvalidTransaction, TransactionTag};

/// `CheckNonZeroSender`: the all-zero account cannot sign.
pub fn check_non_zero_sender(who: &AccountId) -> Result<(), InvalidTransaction> {
    if who.0 == [0u8; 32] {
        Err(InvalidTransaction::BadSigner)
    } else {
        Ok(())
    }
}

/// `CheckGenesis`: the hash signed for the chain's identity.
pub fn genesis_hash() -> H256 {
    BlockHash::get(&0)
}

/// `CheckMortality`: the hash of the era's birth block, seen from the block being built.
pub fn era_block_hash(era: Era) -> Result<H256, InvalidTransaction> {
    let current = u64::from(Number::get());
    let birth =
        u32::try_from(era.birth(current)).map_err(|_| InvalidTransaction::AncientBirthBlock)?;
    BlockHash::try_get(&birth).ok_or(InvalidTransaction::AncientBirthBlock)
}

/// How many more blocks a transaction with `era` stays valid (its pool longevity).
pub fn era_longevity(era: Era) -> u64 {
    let current = u64::from(Number::get());
    era.death(current).saturating_sub(current)
}

/// The pool tag a transaction of `who` with `nonce` provides.
pub fn nonce_tag(who: &AccountId, nonce: Nonce) -> TransactionTag {
    (who, nonce).encode()
}

/// `CheckNonce` at validation: stale nonces are invalid, future ones wait for the previous
/// nonce's tag. Returns `(requires, provides)`.
pub fn validate_nonce(
    who: &AccountId,
    nonce: Nonce,
) -> Result<(Vec<TransactionTag>, Vec<TransactionTag>), InvalidTransaction> {
    let account = Account::get(who);
    if account.providers == 0 && account.sufficients == 0 {
        // An account that does not exist cannot pay.
        return Err(InvalidTransaction::Payment);
    }
    if nonce < account.nonce {
        return Err(InvalidTransaction::Stale);
    }
    let provides = alloc::vec![nonce_tag(who, nonce)];
    let requires = match nonce.checked_sub(1) {
        Some(previous) if nonce > account.nonce => alloc::vec![nonce_tag(who, previous)],
        _ => Vec::new(),
    };
    Ok((requires, provides))
}

/// `CheckNonce` at dispatch: the nonce must be exactly the account's; then it is used up.
pub fn use_nonce<T: Config>(who: &AccountId, nonce: Nonce) -> Result<(), InvalidTransaction> {
    let account = Account::get(who);
    if account.providers == 0 && account.sufficients == 0 {
        return Err(InvalidTransaction::Payment);
    }
    if nonce < account.nonce {
        return Err(InvalidTransaction::Stale);
    }
    if nonce > account.nonce {
        return Err(InvalidTransaction::Future);
    }
    Pallet::<T>::inc_account_nonce(who);
    Ok(())
}

/// The weight an extrinsic counts for: its call's weight plus the class's base.
pub fn extrinsic_weight<T: Config>(info: &DispatchInfo) -> Weight {
    let base = T::BLOCK_WEIGHTS.per_class.get(info.class).base_extrinsic;
    info.weight.saturating_add(base)
}

/// `CheckWeight` at validation: the extrinsic alone fits its class's limits.
pub fn validate_weight<T: Config>(info: &DispatchInfo, len: u32) -> Result<(), InvalidTransaction> {
    let limits = T::BLOCK_WEIGHTS.per_class.get(info.class);
    if let Some(max) = limits.max_extrinsic {
        if info.weight.any_gt(max) {
            return Err(InvalidTransaction::ExhaustsResources);
        }
    }
    if len > *T::BLOCK_LENGTH.max.get(info.class) {
        return Err(InvalidTransaction::ExhaustsResources);
    }
    Ok(())
}

/// `CheckWeight` at dispatch: adds the extrinsic to the block's weight and length, refusing it
/// when its class is full. Mandatory extrinsics are never refused.
pub fn note_weight_and_length<T: Config>(
    info: &DispatchInfo,
    len: u32,
) -> Result<(), InvalidTransaction> {
    validate_weight::<T>(info, len)?;
    let weight = extrinsic_weight::<T>(info);
    let mut used = BlockWeight::get();
    let class_used = used.get(info.class).saturating_add(weight);
    let limits = T::BLOCK_WEIGHTS.per_class.get(info.class);
    let total = used.total().saturating_add(weight);
    if info.class != DispatchClass::Mandatory {
        if limits.max_total.is_some_and(|max| class_used.any_gt(max)) {
            return Err(InvalidTransaction::ExhaustsResources);
        }
        if total.any_gt(T::BLOCK_WEIGHTS.max_block) {
            return Err(InvalidTransaction::ExhaustsResources);
        }
    }
    let all_len = AllExtrinsicsLen::get().unwrap_or(0).saturating_add(len);
    if info.class != DispatchClass::Mandatory && all_len > *T::BLOCK_LENGTH.max.get(info.class) {
        return Err(InvalidTransaction::ExhaustsResources);
    }
    *used.get_mut(info.class) = class_used;
    BlockWeight::put(&used);
    AllExtrinsicsLen::put(&all_len);
    Ok(())
}

/// Gives back weight a dispatch declared but did not use.
pub fn refund_weight(class: DispatchClass, unused: Weight) {
    BlockWeight::mutate(|used| {
        let slot = used.get_mut(class);
        *slot = slot.saturating_sub(unused);
    });
}
