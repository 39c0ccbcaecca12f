//! The calls of the currency pallet (FRAME's `pallet_balances` names, indices and arguments,
//! so wallets build them unchanged).

use crate::{weights, Config, Error, Event, Pallet, TotalIssuance};
use folio_pallet_support::currency::Preservation;
use folio_pallet_support::prelude::*;
use folio_primitives::address::MultiAddress;

/// Which way `force_adjust_total_issuance` moves the issuance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("call", "types"))]
pub enum AdjustmentDirection {
    #[codec(index = 0)]
    Increase,
    #[codec(index = 1)]
    Decrease,
}

/// Dispatchable calls of the currency pallet.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "pallet_balances"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call {
    /// Transfer some liquid free balance to another account.
    ///
    /// Origin: signed. The sender may be reaped if the transfer takes it below the existential
    /// deposit (its dust goes to the treasury). Errors: `InsufficientBalance`,
    /// `LiquidityRestrictions` (freezes), `ExistentialDeposit` (new recipient below it),
    /// `Expendability` (the sender has holds). Emits `Transfer`.
    #[codec(index = 0)]
    transfer_allow_death {
        dest: MultiAddress,
        #[codec(compact)]
        value: Balance,
    },
    /// Exactly as `transfer_allow_death`, except the origin must be root and the source
    /// account may be specified.
    #[codec(index = 2)]
    force_transfer {
        source: MultiAddress,
        dest: MultiAddress,
        #[codec(compact)]
        value: Balance,
    },
    /// Same as `transfer_allow_death`, but fails with `Expendability` instead of reaping the
    /// sender.
    #[codec(index = 3)]
    transfer_keep_alive {
        dest: MultiAddress,
        #[codec(compact)]
        value: Balance,
    },
    /// Transfer the entire transferable balance from the caller account.
    ///
    /// With `keep_alive` the sender keeps the existential deposit; without it the sender is
    /// reaped (unless holds or freezes keep it). Emits `Transfer`.
    #[codec(index = 4)]
    transfer_all {
        dest: MultiAddress,
        keep_alive: bool,
    },
    /// Set the regular balance of a given account. Origin: root.
    ///
    /// Below the existential deposit the account is wiped out. The total issuance follows the
    /// change. Emits `BalanceSet`.
    #[codec(index = 8)]
    force_set_balance {
        who: MultiAddress,
        #[codec(compact)]
        new_free: Balance,
    },
    /// Adjust the total issuance in a saturating way. Origin: root.
    ///
    /// A repair tool for accounting drift: it changes the issuance without changing any
    /// balance. Errors: `DeltaZero`, `IssuanceOutOfRange`. Emits `TotalIssuanceForced`.
    #[codec(index = 9)]
    force_adjust_total_issuance {
        direction: AdjustmentDirection,
        #[codec(compact)]
        delta: Balance,
    },
    /// Burn the specified liquid free balance from the origin account.
    ///
    /// With `keep_alive` the account must stay above the existential deposit. Emits `Burned`.
    #[codec(index = 10)]
    burn {
        #[codec(compact)]
        value: Balance,
        keep_alive: bool,
    },
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        let weight = match self {
            Self::transfer_allow_death { .. } => weights::transfer_allow_death(),
            Self::force_transfer { .. } => weights::force_transfer(),
            Self::transfer_keep_alive { .. } => weights::transfer_keep_alive(),
            Self::transfer_all { .. } => weights::transfer_all(),
            Self::force_set_balance { .. } => weights::force_set_balance(),
            Self::force_adjust_total_issuance { .. } => weights::force_adjust_total_issuance(),
            Self::burn { .. } => weights::burn(),
        };
        DispatchInfo {
            weight,
            class: DispatchClass::Normal,
            pays_fee: Pays::Yes,
        }
    }
}

impl Call {
    /// Runs the call for `origin`.
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        match self {
            Self::transfer_allow_death { dest, value } => {
                Pallet::<T>::transfer_allow_death(origin, dest, value)
            }
            Self::force_transfer {
                source,
                dest,
                value,
            } => Pallet::<T>::force_transfer(origin, source, dest, value),
            Self::transfer_keep_alive { dest, value } => {
                Pallet::<T>::transfer_keep_alive(origin, dest, value)
            }
            Self::transfer_all { dest, keep_alive } => {
                Pallet::<T>::transfer_all(origin, dest, keep_alive)
            }
            Self::force_set_balance { who, new_free } => {
                Pallet::<T>::force_set_balance(origin, who, new_free)
            }
            Self::force_adjust_total_issuance { direction, delta } => {
                Pallet::<T>::force_adjust_total_issuance(origin, direction, delta)
            }
            Self::burn { value, keep_alive } => Pallet::<T>::burn(origin, value, keep_alive),
        }?;
        Ok(().into())
    }
}

fn preservation(keep_alive: bool) -> Preservation {
    if keep_alive {
        Preservation::Preserve
    } else {
        Preservation::Expendable
    }
}

impl<T: Config> Pallet<T> {
    fn lookup(address: &MultiAddress) -> Result<AccountId, DispatchError> {
        address
            .lookup()
            .ok_or_else(|| Self::error(Error::UnknownAddress))
    }

    fn transfer_allow_death(origin: Origin, dest: MultiAddress, value: Balance) -> DispatchResult {
        let from = ensure_signed(&origin)?;
        let to = Self::lookup(&dest)?;
        Self::do_transfer(&from, &to, value, Preservation::Expendable)
    }

    fn force_transfer(
        origin: Origin,
        source: MultiAddress,
        dest: MultiAddress,
        value: Balance,
    ) -> DispatchResult {
        ensure_root(&origin)?;
        let from = Self::lookup(&source)?;
        let to = Self::lookup(&dest)?;
        Self::do_transfer(&from, &to, value, Preservation::Expendable)
    }

    fn transfer_keep_alive(origin: Origin, dest: MultiAddress, value: Balance) -> DispatchResult {
        let from = ensure_signed(&origin)?;
        let to = Self::lookup(&dest)?;
        Self::do_transfer(&from, &to, value, Preservation::Preserve)
    }

    fn transfer_all(origin: Origin, dest: MultiAddress, keep_alive: bool) -> DispatchResult {
        let from = ensure_signed(&origin)?;
        let to = Self::lookup(&dest)?;
        let preservation = preservation(keep_alive);
        let amount = Self::reducible(&from, preservation);
        Self::do_transfer(&from, &to, amount, preservation)
    }

    fn force_set_balance(origin: Origin, who: MultiAddress, new_free: Balance) -> DispatchResult {
        ensure_root(&origin)?;
        let who = Self::lookup(&who)?;
        Self::do_set_free(&who, new_free)
    }

    fn force_adjust_total_issuance(
        origin: Origin,
        direction: AdjustmentDirection,
        delta: Balance,
    ) -> DispatchResult {
        ensure_root(&origin)?;
        if delta == 0 {
            return Err(Self::error(Error::DeltaZero));
        }
        let old = TotalIssuance::get();
        let new = match direction {
            AdjustmentDirection::Increase => old.checked_add(delta),
            AdjustmentDirection::Decrease => old.checked_sub(delta),
        }
        .ok_or_else(|| Self::error(Error::IssuanceOutOfRange))?;
        TotalIssuance::put(&new);
        Self::deposit_event(Event::TotalIssuanceForced { old, new });
        Ok(())
    }

    fn burn(origin: Origin, value: Balance, keep_alive: bool) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        Self::do_burn(&who, value, preservation(keep_alive))
    }
}
