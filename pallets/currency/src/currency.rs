//! Balance operations: every public function here checks the complete outcome first and only
//! then writes, so it either applies fully or changes nothing.

use crate::{Config, Error, Event, Freezes, Holds, IdAmount, Pallet, TotalIssuance};
use alloc::vec::Vec;
use folio_pallet_support::currency::{Arrival, Currency, FreezeReason, HoldReason, Preservation};
use folio_pallet_support::prelude::*;
use folio_pallet_system::{Account, AccountData, Pallet as System};

impl<T: Config> Pallet<T> {
    /// The balances of `who` (all zero when the account does not exist).
    pub fn account_data(who: &AccountId) -> AccountData {
        Account::get(who).data
    }

    /// What an account keeps when its owner takes money out of it: `None` if it stays alive,
    /// `Some(dust)` if it is reaped (its remaining free balance goes to the treasury). The
    /// owner never goes below a freeze, and an account with holds keeps the existential
    /// deposit in its free balance, so that every hold can later be moved in full (see
    /// docs/decisions/0003-holds-stay-movable.md).
    fn check_debit(
        data: &AccountData,
        preservation: Preservation,
    ) -> Result<Option<Balance>, DispatchError> {
        let total = data.total().ok_or(ArithmeticError::Overflow)?;
        if total < data.frozen {
            return Err(Self::error(Error::LiquidityRestrictions));
        }
        if data.reserved > 0 {
            if data.free < T::EXISTENTIAL_DEPOSIT {
                return Err(Self::error(Error::Expendability));
            }
            return Ok(None);
        }
        if total >= T::EXISTENTIAL_DEPOSIT {
            return Ok(None);
        }
        // Frozen money belongs to another pallet's process: such an account is kept.
        if preservation == Preservation::Preserve || data.frozen > 0 {
            return Err(Self::error(Error::Expendability));
        }
        Ok(Some(data.free))
    }

    /// What an account keeps when a pallet moves one of its holds away: never an error. Freezes
    /// do not apply (they overlap holds, and the hold's pallet is not the freeze's owner); the
    /// account stays alive while it has holds (its free balance is at least the existential
    /// deposit then) and is reaped only if nothing holds, freezes or keeps it above the deposit.
    fn after_hold_move(data: &AccountData, holds_left: bool) -> Option<Balance> {
        let total = data.free.saturating_add(data.reserved);
        if holds_left || data.frozen > 0 || total >= T::EXISTENTIAL_DEPOSIT {
            return None;
        }
        Some(data.free)
    }

    /// A new account must start with at least the existential deposit.
    fn check_credit(who: &AccountId, data: &AccountData) -> Result<(), DispatchError> {
        let total = data.total().ok_or(ArithmeticError::Overflow)?;
        if !System::<T>::account_exists(who) && total < T::EXISTENTIAL_DEPOSIT {
            return Err(Self::error(Error::ExistentialDeposit));
        }
        Ok(())
    }

    /// Writes `data` as `who`'s balances; `keep = false` removes the account. The only place
    /// this pallet writes `System.Account`.
    pub(crate) fn store_account(who: &AccountId, data: AccountData, keep: bool) {
        let stored: Result<(), core::convert::Infallible> =
            System::<T>::mutate_account(who, |stored| {
                *stored = data;
                Ok(((), keep))
            });
        let Ok(()) = stored;
    }

    /// Stores checked balances; `dust = Some(_)` reaps the account.
    fn write(who: &AccountId, data: AccountData, dust: Option<Balance>) {
        let existed = System::<T>::account_exists(who);
        let keep = dust.is_none();
        Self::store_account(who, data, keep);
        if keep && !existed {
            Self::deposit_event(Event::Endowed {
                account: *who,
                free_balance: data.free,
            });
        }
        if let Some(dust) = dust {
            Holds::remove(who);
            Freezes::remove(who);
            if dust > 0 {
                Self::deposit_event(Event::DustLost {
                    account: *who,
                    amount: dust,
                });
                Self::absorb_dust(dust);
            }
        }
    }

    /// Dust goes to the treasury; if even that cannot hold it (a treasury that does not exist
    /// and would stay below the existential deposit), it is burned from the issuance.
    fn absorb_dust(dust: Balance) {
        let treasury = T::TREASURY;
        let mut data = Self::account_data(&treasury);
        match data.free.checked_add(dust) {
            Some(free)
                if System::<T>::account_exists(&treasury) || free >= T::EXISTENTIAL_DEPOSIT =>
            {
                data.free = free;
                Self::write(&treasury, data, None);
            }
            _ => TotalIssuance::mutate(|issuance| *issuance = issuance.saturating_sub(dust)),
        }
    }

    /// Moves free balance from `from` to `to`. Zero amounts and self-transfers do nothing,
    /// as in FRAME.
    pub fn do_transfer(
        from: &AccountId,
        to: &AccountId,
        amount: Balance,
        preservation: Preservation,
    ) -> DispatchResult {
        if amount == 0 || from == to {
            return Ok(());
        }
        let mut source = Self::account_data(from);
        source.free = source
            .free
            .checked_sub(amount)
            .ok_or_else(|| Self::error(Error::InsufficientBalance))?;
        let dust = Self::check_debit(&source, preservation)?;
        let mut dest = Self::account_data(to);
        dest.free = dest
            .free
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        Self::check_credit(to, &dest)?;

        // The destination first: if it is the treasury, dust from the source lands on top.
        Self::write(to, dest, None);
        Self::write(from, source, dust);
        Self::deposit_event(Event::Transfer {
            from: *from,
            to: *to,
            amount,
        });
        Ok(())
    }

    /// Takes `amount` out of `who`'s free balance and out of existence.
    pub fn do_burn(who: &AccountId, amount: Balance, preservation: Preservation) -> DispatchResult {
        let mut data = Self::account_data(who);
        data.free = data
            .free
            .checked_sub(amount)
            .ok_or_else(|| Self::error(Error::InsufficientBalance))?;
        let dust = Self::check_debit(&data, preservation)?;
        let issuance = TotalIssuance::get()
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        TotalIssuance::put(&issuance);
        Self::write(who, data, dust);
        Self::deposit_event(Event::Burned { who: *who, amount });
        Ok(())
    }

    /// Creates `amount` in `who`'s free balance.
    pub fn do_mint(who: &AccountId, amount: Balance) -> DispatchResult {
        let mut data = Self::account_data(who);
        data.free = data
            .free
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        Self::check_credit(who, &data)?;
        let issuance = TotalIssuance::get()
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        TotalIssuance::put(&issuance);
        Self::write(who, data, None);
        Self::deposit_event(Event::Minted { who: *who, amount });
        Ok(())
    }

    /// Sets `who`'s free balance (Root's `force_set_balance`); below the existential deposit
    /// the account is wiped out. The issuance follows the difference.
    pub fn do_set_free(who: &AccountId, new_free: Balance) -> DispatchResult {
        let mut data = Self::account_data(who);
        let old_free = data.free;
        let new_total = new_free
            .checked_add(data.reserved)
            .ok_or(ArithmeticError::Overflow)?;
        let wipe_out = new_total < T::EXISTENTIAL_DEPOSIT;
        if wipe_out && (data.reserved > 0 || data.frozen > 0) {
            return Err(Self::error(Error::Expendability));
        }
        // Even Root keeps the existential deposit free under holds: they must stay movable.
        if data.reserved > 0 && new_free < T::EXISTENTIAL_DEPOSIT {
            return Err(Self::error(Error::Expendability));
        }
        let new_free = if wipe_out { 0 } else { new_free };
        if new_total < data.frozen && !wipe_out {
            return Err(Self::error(Error::LiquidityRestrictions));
        }
        let issuance = TotalIssuance::get();
        let issuance = if new_free >= old_free {
            issuance.checked_add(new_free.saturating_sub(old_free))
        } else {
            issuance.checked_sub(old_free.saturating_sub(new_free))
        }
        .ok_or(ArithmeticError::Overflow)?;
        TotalIssuance::put(&issuance);
        data.free = new_free;
        let exists = System::<T>::account_exists(who);
        if wipe_out {
            if exists {
                Self::write(who, data, Some(0));
            }
        } else {
            Self::write(who, data, None);
        }
        Self::deposit_event(Event::BalanceSet {
            who: *who,
            free: new_free,
        });
        Ok(())
    }

    /// What `who` could give away now without breaking a hold, a freeze or `preservation`.
    pub fn reducible(who: &AccountId, preservation: Preservation) -> Balance {
        let data = Self::account_data(who);
        // Freezes floor the total, and held money counts towards that floor.
        let frozen_floor = data.frozen.saturating_sub(data.reserved);
        // The existential deposit stays in the free balance while anything holds or freezes.
        let must_live =
            preservation == Preservation::Preserve || data.reserved > 0 || data.frozen > 0;
        let alive_floor = if must_live { T::EXISTENTIAL_DEPOSIT } else { 0 };
        data.free.saturating_sub(frozen_floor.max(alive_floor))
    }

    fn add_hold(
        holds: &mut Vec<IdAmount<HoldReason>>,
        reason: HoldReason,
        amount: Balance,
    ) -> DispatchResult {
        match holds.iter_mut().find(|h| h.id == reason) {
            Some(hold) => {
                hold.amount = hold
                    .amount
                    .checked_add(amount)
                    .ok_or(ArithmeticError::Overflow)?;
            }
            None => {
                if holds.len() >= T::MAX_HOLDS as usize {
                    return Err(Self::error(Error::TooManyHolds));
                }
                holds.push(IdAmount { id: reason, amount });
            }
        }
        Ok(())
    }

    fn remove_hold(
        holds: &mut Vec<IdAmount<HoldReason>>,
        reason: HoldReason,
        amount: Balance,
    ) -> DispatchResult {
        let hold = holds
            .iter_mut()
            .find(|h| h.id == reason)
            .ok_or_else(|| Self::error(Error::InsufficientBalance))?;
        hold.amount = hold
            .amount
            .checked_sub(amount)
            .ok_or_else(|| Self::error(Error::InsufficientBalance))?;
        holds.retain(|h| h.amount > 0);
        Ok(())
    }

    fn store_holds(who: &AccountId, holds: &[IdAmount<HoldReason>]) {
        if holds.is_empty() {
            Holds::remove(who);
        } else {
            Holds::insert(who, &holds.to_vec());
        }
    }

    fn store_freezes(who: &AccountId, freezes: &[IdAmount<FreezeReason>]) {
        if freezes.is_empty() {
            Freezes::remove(who);
        } else {
            Freezes::insert(who, &freezes.to_vec());
        }
    }
}

impl<T: Config> Currency for Pallet<T> {
    fn minimum_balance() -> Balance {
        T::EXISTENTIAL_DEPOSIT
    }

    fn total_issuance() -> Balance {
        TotalIssuance::get()
    }

    fn free_balance(who: &AccountId) -> Balance {
        Self::account_data(who).free
    }

    fn total_balance(who: &AccountId) -> Balance {
        Self::account_data(who).total().unwrap_or(Balance::MAX)
    }

    fn reducible_balance(who: &AccountId, preservation: Preservation) -> Balance {
        Self::reducible(who, preservation)
    }

    fn transfer(
        from: &AccountId,
        to: &AccountId,
        amount: Balance,
        preservation: Preservation,
    ) -> DispatchResult {
        Self::do_transfer(from, to, amount, preservation)
    }

    fn hold(reason: HoldReason, who: &AccountId, amount: Balance) -> DispatchResult {
        if amount == 0 {
            return Ok(());
        }
        if !System::<T>::account_exists(who) {
            return Err(Self::error(Error::DeadAccount));
        }
        let mut data = Self::account_data(who);
        data.free = data
            .free
            .checked_sub(amount)
            .ok_or_else(|| Self::error(Error::InsufficientBalance))?;
        // What is held must stay movable: the existential deposit stays free beside it.
        if data.free < T::EXISTENTIAL_DEPOSIT {
            return Err(Self::error(Error::Expendability));
        }
        data.reserved = data
            .reserved
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        let mut holds = Holds::get(who);
        Self::add_hold(&mut holds, reason, amount)?;
        // Moving free to held keeps the total; freezes overlap holds, so they allow it.
        Self::write(who, data, None);
        Self::store_holds(who, &holds);
        Self::deposit_event(Event::Held {
            reason,
            who: *who,
            amount,
        });
        Ok(())
    }

    fn release(reason: HoldReason, who: &AccountId, amount: Balance) -> DispatchResult {
        if amount == 0 {
            return Ok(());
        }
        let mut holds = Holds::get(who);
        Self::remove_hold(&mut holds, reason, amount)?;
        let mut data = Self::account_data(who);
        data.reserved = data
            .reserved
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        data.free = data
            .free
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        Self::write(who, data, None);
        Self::store_holds(who, &holds);
        Self::deposit_event(Event::Released {
            reason,
            who: *who,
            amount,
        });
        Ok(())
    }

    fn balance_on_hold(reason: HoldReason, who: &AccountId) -> Balance {
        Holds::get(who)
            .iter()
            .find(|h| h.id == reason)
            .map_or(0, |h| h.amount)
    }

    fn transfer_on_hold(
        reason: HoldReason,
        from: &AccountId,
        to: &AccountId,
        amount: Balance,
        arrival: Arrival,
    ) -> DispatchResult {
        if amount == 0 || (from == to && arrival == Arrival::OnHold) {
            return Ok(());
        }
        if from == to {
            return Self::release(reason, from, amount);
        }
        let mut source_holds = Holds::get(from);
        Self::remove_hold(&mut source_holds, reason, amount)?;
        let mut source = Self::account_data(from);
        source.reserved = source
            .reserved
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        // The pallet moves its own hold: no freeze or deposit rule of the source can stop it.
        let dust = Self::after_hold_move(&source, !source_holds.is_empty());

        let mut dest = Self::account_data(to);
        let mut dest_holds = Holds::get(to);
        match arrival {
            Arrival::Free => {
                dest.free = dest
                    .free
                    .checked_add(amount)
                    .ok_or(ArithmeticError::Overflow)?;
            }
            Arrival::OnHold => {
                dest.reserved = dest
                    .reserved
                    .checked_add(amount)
                    .ok_or(ArithmeticError::Overflow)?;
                Self::add_hold(&mut dest_holds, reason, amount)?;
                // Held money arriving must stay movable too.
                if dest.free < T::EXISTENTIAL_DEPOSIT {
                    return Err(Self::error(Error::Expendability));
                }
            }
        }
        Self::check_credit(to, &dest)?;

        Self::write(to, dest, None);
        Self::store_holds(to, &dest_holds);
        let reaped = dust.is_some();
        Self::write(from, source, dust);
        if !reaped {
            Self::store_holds(from, &source_holds);
        }
        Self::deposit_event(Event::TransferOnHold {
            reason,
            source: *from,
            dest: *to,
            amount,
        });
        Ok(())
    }

    fn set_freeze(reason: FreezeReason, who: &AccountId, amount: Balance) -> DispatchResult {
        if amount == 0 {
            Self::thaw(reason, who);
            return Ok(());
        }
        if !System::<T>::account_exists(who) {
            return Err(Self::error(Error::DeadAccount));
        }
        let mut data = Self::account_data(who);
        let total = data.total().ok_or(ArithmeticError::Overflow)?;
        let current = Self::balance_frozen(reason, who);
        // A freeze must be backed when it is raised; once a hold under it has been moved away
        // it may exceed the total, and lowering it (or keeping it) is then always allowed.
        if amount > total && amount > current {
            return Err(Self::error(Error::InsufficientBalance));
        }
        let mut freezes = Freezes::get(who);
        match freezes.iter_mut().find(|f| f.id == reason) {
            Some(freeze) => freeze.amount = amount,
            None => {
                if freezes.len() >= T::MAX_FREEZES as usize {
                    return Err(Self::error(Error::TooManyFreezes));
                }
                freezes.push(IdAmount { id: reason, amount });
            }
        }
        data.frozen = freezes.iter().map(|f| f.amount).max().unwrap_or(0);
        Self::write(who, data, None);
        Self::store_freezes(who, &freezes);
        Self::deposit_event(Event::Frozen { who: *who, amount });
        Ok(())
    }

    fn thaw(reason: FreezeReason, who: &AccountId) {
        let mut freezes = Freezes::get(who);
        let Some(removed) = freezes.iter().find(|f| f.id == reason).map(|f| f.amount) else {
            return;
        };
        freezes.retain(|f| f.id != reason);
        let mut data = Self::account_data(who);
        data.frozen = freezes.iter().map(|f| f.amount).max().unwrap_or(0);
        Self::write(who, data, None);
        Self::store_freezes(who, &freezes);
        Self::deposit_event(Event::Thawed {
            who: *who,
            amount: removed,
        });
    }

    fn balance_frozen(reason: FreezeReason, who: &AccountId) -> Balance {
        Freezes::get(who)
            .iter()
            .find(|f| f.id == reason)
            .map_or(0, |f| f.amount)
    }
}
