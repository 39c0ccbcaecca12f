//! Transaction fees: `base + bytes × byte fee + weight fee + tip`, withdrawn before dispatch,
//! corrected for unused weight after it, and paid to the treasury.
//!
//! Clients see fee payments as the `TransactionPayment` pallet's `TransactionFeePaid` event
//! (FRAME's name), next to `Balances.Withdraw` and `Balances.Deposit`.

use crate::{Config, Event, Pallet};
use folio_pallet_support::currency::Preservation;
use folio_pallet_support::prelude::*;
use folio_primitives::transaction_validity::InvalidTransaction;

/// Events reported under the `TransactionPayment` pallet entry.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_transaction_payment"))]
#[scale_info(replace_segment("fees", "pallet"))]
pub enum FeeEvent {
    /// A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee,
    /// has been paid by `who`.
    #[codec(index = 0)]
    TransactionFeePaid {
        who: AccountId,
        actual_fee: Balance,
        tip: Balance,
    },
}

/// The fee for `weight` of execution.
pub fn weight_to_fee<T: Config>(weight: Weight) -> Balance {
    Balance::from(
        weight
            .ref_time
            .checked_div(T::REF_TIME_PER_FEE_UNIT)
            .unwrap_or(weight.ref_time),
    )
}

/// The fee without tip for a transaction of `len` bytes that may use `weight` (base
/// extrinsic weight included).
pub fn inclusion_fee<T: Config>(len: u32, weight: Weight) -> Balance {
    T::BASE_FEE
        .saturating_add(T::BYTE_FEE.saturating_mul(Balance::from(len)))
        .saturating_add(weight_to_fee::<T>(weight))
}

/// The full fee charged up front: the inclusion fee (unless the call pays none) plus the tip.
pub fn compute_fee<T: Config>(len: u32, info: &DispatchInfo, tip: Balance) -> Balance {
    if info.pays_fee == Pays::No {
        return tip;
    }
    let weight = folio_pallet_system::extensions::extrinsic_weight::<T>(info);
    inclusion_fee::<T>(len, weight).saturating_add(tip)
}

/// Whether `who` can pay `fee` without being reaped (validation: writes nothing).
pub fn can_pay<T: Config>(who: &AccountId, fee: Balance) -> Result<(), InvalidTransaction> {
    if Pallet::<T>::reducible(who, Preservation::Preserve) < fee {
        return Err(InvalidTransaction::Payment);
    }
    Ok(())
}

/// Takes the fee from `who` before dispatch. The payer is never reaped by a fee.
pub fn withdraw_fee<T: Config>(who: &AccountId, fee: Balance) -> Result<(), InvalidTransaction> {
    if fee == 0 {
        return Ok(());
    }
    can_pay::<T>(who, fee)?;
    let mut data = Pallet::<T>::account_data(who);
    data.free = data
        .free
        .checked_sub(fee)
        .ok_or(InvalidTransaction::Payment)?;
    Pallet::<T>::store_account(who, data, true);
    Pallet::<T>::deposit_event(Event::Withdraw {
        who: *who,
        amount: fee,
    });
    Ok(())
}

/// After dispatch: refunds what was withdrawn beyond `actual_fee` to `who` and pays
/// `actual_fee` to the treasury. Total issuance is unchanged.
pub fn settle_fee<T: Config>(
    who: &AccountId,
    withdrawn: Balance,
    actual_fee: Balance,
    tip: Balance,
) {
    let actual_fee = actual_fee.min(withdrawn);
    let refund = withdrawn.saturating_sub(actual_fee);
    if refund > 0 {
        credit::<T>(who, refund);
    }
    if actual_fee > 0 {
        credit::<T>(&T::TREASURY, actual_fee);
    }
    if withdrawn > 0 {
        folio_pallet_support::events::deposit_event(
            T::FEE_EVENTS_INDEX,
            &FeeEvent::TransactionFeePaid {
                who: *who,
                actual_fee,
                tip,
            },
        );
    }
}

/// Adds money that was withdrawn earlier back into an account (which exists: the payer was
/// kept alive, the treasury is endowed at genesis).
fn credit<T: Config>(who: &AccountId, amount: Balance) {
    let mut data = Pallet::<T>::account_data(who);
    data.free = data.free.saturating_add(amount);
    Pallet::<T>::store_account(who, data, true);
    Pallet::<T>::deposit_event(Event::Deposit { who: *who, amount });
}
