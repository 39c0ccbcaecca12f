//! The rest of the cap table: shares that exist outside a campaign. The platform (or Root)
//! allots founders' and pre-existing shares to a class against a document (the shareholders'
//! agreement, the register extract), so the supply counts every holder; and it redeems shares
//! the issuer buys back, paying the holder from the issuer in the same extrinsic
//! (delivery-versus-payment: the shares are cancelled only if the money moved).

use crate::types::*;
use crate::{Config, Event, Pallet, Shares, Vesting};
use folio_pallet_support::currency::{Currency, Preservation};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

impl<T: Config> Pallet<T> {
    /// The platform mints `amount` shares of `class` to `to`, under the class lockup and
    /// holder limit; `document` is the hash of the instrument that created them.
    pub(crate) fn allot_shares(
        origin: Origin,
        class: ClassId,
        to: AccountId,
        amount: ShareAmount,
        document: H256,
    ) -> DispatchResult {
        Self::ensure_platform(&origin)?;
        let mut share_class = Self::share_class(class)?;
        Self::ensure(amount > 0, crate::Error::InvalidTransfer)?;
        let new_holder = Shares::get(&class, &to).is_none_or(|account| account.balance == 0);
        if new_holder {
            let holders = share_class
                .holders
                .checked_add(1)
                .ok_or(ArithmeticError::Overflow)?;
            Self::ensure_holder_room(&share_class, holders)?;
        }
        let allotted = crate::Allotted::get(&class)
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        Self::mint_shares(class, &mut share_class, to, amount, None)?;
        crate::Allotted::insert(&class, &allotted);
        crate::ShareClasses::insert(&class, &share_class);
        Self::deposit_event(Event::SharesAllotted {
            share_class: class,
            to,
            amount,
            document,
        });
        Ok(())
    }

    /// The platform cancels `amount` of `holder`'s shares that the issuer buys back at
    /// `price` each: `amount × price` moves from the issuer's free balance to the holder, then
    /// the shares and the supply go down (locked and unvested shares too: a buy-back is
    /// agreed with the holder, like a forced transfer).
    pub(crate) fn redeem_shares(
        origin: Origin,
        class: ClassId,
        holder: AccountId,
        amount: ShareAmount,
        price: Balance,
    ) -> DispatchResult {
        Self::ensure_platform(&origin)?;
        let mut share_class = Self::share_class(class)?;
        Self::ensure(
            amount > 0 && holder != share_class.issuer,
            crate::Error::InvalidTransfer,
        )?;
        let mut account = Shares::get(&class, &holder).unwrap_or_default();
        let old_balance = account.balance;
        // Shares set aside for the holder's open offers are promised to buyers: a buy-back
        // takes only the others (the holder withdraws an offer first).
        let offered = crate::OfferedShares::get(&class, &holder).unwrap_or(0);
        Self::ensure(
            old_balance.saturating_sub(offered) >= amount || old_balance < amount,
            crate::Error::SharesOffered,
        )?;
        account.balance = old_balance
            .checked_sub(amount)
            .ok_or_else(|| Self::error(crate::Error::InsufficientShares))?;
        account.locked = account.locked.min(account.balance);
        let supply = share_class
            .supply
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        let holders = if account.balance == 0 {
            share_class
                .holders
                .checked_sub(1)
                .ok_or(ArithmeticError::Underflow)?
        } else {
            share_class.holders
        };
        let redeemed = crate::Redeemed::get(&class)
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        let paid = amount.checked_mul(price).ok_or(ArithmeticError::Overflow)?;
        // The only fallible write comes first: if the issuer cannot pay, nothing changes.
        if paid > 0 {
            T::Currency::transfer(&share_class.issuer, &holder, paid, Preservation::Preserve)?;
        }
        let old_supply = share_class.supply;
        Self::apply_holder_change(
            class,
            &share_class,
            holder,
            old_balance,
            account,
            old_supply,
        );
        share_class.supply = supply;
        share_class.holders = holders;
        if let Some(schedule) = Vesting::get(&class, &holder) {
            match schedule.reduced_to(account.balance, T::now()) {
                Some(reduced) if reduced == schedule => {}
                Some(reduced) => Vesting::insert(&class, &holder, &reduced),
                None => Vesting::remove(&class, &holder),
            }
        }
        crate::ShareClasses::insert(&class, &share_class);
        crate::Redeemed::insert(&class, &redeemed);
        Self::deposit_event(Event::SharesRedeemed {
            share_class: class,
            holder,
            amount,
            paid,
        });
        Ok(())
    }
}
