//! The share register: share classes, balances per holder (and per round, see
//! [`crate::RoundShares`]), transfers under lockup and compliance rules, Root's forced
//! transfer, and record-date checkpoints.
//!
//! Checkpoints: a class tracks at most `MAX_LIVE_CHECKPOINTS` record dates (one per live
//! distribution or motion). Before a holder's balance changes, every live checkpoint whose
//! record date has passed and that has no entry for the holder yet gets the old balance; the
//! class supply is recorded the same way. A holder without an entry has held their current
//! balance since the record date. Once retired (its distribution reclaimed or its motion
//! closed) nothing reads a checkpoint any more, and anyone may prune its entries in bounded
//! batches (`prune_checkpoint`).
//!
//! Vesting: a holder's shares of a class may carry one [`VestingSchedule`] (from settling a
//! round whose rules vest, or set by Root). Unvested shares count for dividends and votes but
//! cannot be transferred; Root's forced transfer may move them (free shares go first, the
//! schedule is then cut to the remaining balance).

use crate::types::*;
use crate::{
    CheckpointBalances, Checkpoints, Config, Error, Event, NextCheckpointId, NextClassId,
    OfferedShares, Pallet, ShareClasses, Shares, TransferCategories, Vesting,
};
use alloc::vec::Vec;
use folio_pallet_support::prelude::*;

/// A pending change of one holder's account: its balance before and its account after.
struct HolderChange {
    who: AccountId,
    old_balance: ShareAmount,
    new: ShareAccount,
}

impl<T: Config> Pallet<T> {
    /// Anyone creates a share class; the caller becomes its issuer.
    pub(crate) fn create_share_class(
        origin: Origin,
        max_holders: u32,
        requires_claim: bool,
        lockup: Moment,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        Self::ensure(max_holders > 0, Error::InvalidShareClass)?;
        let class = Self::peek_id::<NextClassId>()?;
        Self::bump_id::<NextClassId>(class);
        ShareClasses::insert(
            &class,
            &ShareClass {
                issuer,
                supply: 0,
                holders: 0,
                pending_investors: 0,
                max_holders,
                requires_claim,
                lockup,
                live_checkpoints: Vec::new(),
            },
        );
        Self::deposit_event(Event::ShareClassCreated {
            share_class: class,
            issuer,
            max_holders,
            requires_claim,
            lockup,
        });
        Ok(())
    }

    pub(crate) fn share_class(class: ClassId) -> Result<ShareClass, DispatchError> {
        ShareClasses::get(&class).ok_or_else(|| Self::error(Error::UnknownClass))
    }

    /// A holder moves transferable shares to `to`.
    pub(crate) fn transfer_shares(
        origin: Origin,
        class: ClassId,
        to: AccountId,
        amount: ShareAmount,
    ) -> DispatchResult {
        let from = ensure_signed(&origin)?;
        let share_class = Self::share_class(class)?;
        Self::ensure(amount > 0 && from != to, Error::InvalidTransfer)?;
        let offered = OfferedShares::get(&class, &from).unwrap_or(0);
        Self::ensure_free_to_move(class, &from, amount, offered)?;
        Self::ensure_may_receive(class, &share_class, &to)?;
        Self::move_shares(class, share_class, from, to, amount)?;
        Self::deposit_event(Event::SharesTransferred {
            share_class: class,
            from,
            to,
            amount,
        });
        Ok(())
    }

    /// `amount` of `who`'s shares are neither locked, unvested nor among the `offered` ones
    /// (set aside for open offers) at block time: they may be transferred or offered.
    pub(crate) fn ensure_free_to_move(
        class: ClassId,
        who: &AccountId,
        amount: ShareAmount,
        offered: ShareAmount,
    ) -> DispatchResult {
        let account = Shares::get(&class, who).unwrap_or_default();
        Self::ensure(account.balance >= amount, Error::InsufficientShares)?;
        let now = T::now();
        Self::ensure(account.transferable_at(now) >= amount, Error::SharesLocked)?;
        let free = Self::free_shares(class, who, &account, now);
        Self::ensure(free >= amount, Error::SharesUnvested)?;
        Self::ensure(
            free.checked_sub(offered).is_some_and(|left| left >= amount),
            Error::SharesOffered,
        )
    }

    /// `to` may receive shares of the class by transfer: a valid claim if the class requires
    /// one or restricts recipients to some categories, of an admitted category.
    pub(crate) fn ensure_may_receive(
        class: ClassId,
        share_class: &ShareClass,
        to: &AccountId,
    ) -> DispatchResult {
        let categories = TransferCategories::get(&class);
        if share_class.requires_claim || categories.is_some() {
            let claim = Self::valid_claim(to).ok_or_else(|| Self::error(Error::ClaimRequired))?;
            Self::ensure(
                categories.is_none_or(|set| set.contains(claim.category)),
                Error::CategoryNotAllowed,
            )?;
        }
        Ok(())
    }

    /// The shares `who` may transfer at `now`: the balance less the locked and the unvested
    /// shares. Both restrictions are added (a round with a lockup and vesting counts twice):
    /// conservative, as one lock and one schedule per holder cannot tell rounds apart.
    pub fn free_shares(
        class: ClassId,
        who: &AccountId,
        account: &ShareAccount,
        now: Moment,
    ) -> ShareAmount {
        let unvested = Vesting::get(&class, who).map_or(0, |v| v.unvested_at(now));
        let restricted = account.locked_at(now).saturating_add(unvested);
        account.balance.saturating_sub(restricted)
    }

    /// Root moves shares regardless of lockups, vesting and claims (e.g. a court order); the
    /// holder limit still applies.
    pub(crate) fn force_transfer_shares(
        origin: Origin,
        class: ClassId,
        from: AccountId,
        to: AccountId,
        amount: ShareAmount,
    ) -> DispatchResult {
        ensure_root(&origin)?;
        let share_class = Self::share_class(class)?;
        Self::ensure(amount > 0 && from != to, Error::InvalidTransfer)?;
        let source = Shares::get(&class, &from).unwrap_or_default();
        Self::ensure(source.balance >= amount, Error::InsufficientShares)?;
        Self::move_shares(class, share_class, from, to, amount)?;
        // A court order is not blocked by offers: those it takes the shares of are cut.
        Self::cut_offers_to_balance(class, &from, source.balance.saturating_sub(amount));
        Self::deposit_event(Event::SharesForceTransferred {
            share_class: class,
            from,
            to,
            amount,
        });
        Ok(())
    }

    /// Moves `amount` (checked ≤ the source balance) and enforces the holder limit; the
    /// moved shares arrive unlocked, the source keeps `locked ≤ balance`.
    pub(crate) fn move_shares(
        class: ClassId,
        mut share_class: ShareClass,
        from: AccountId,
        to: AccountId,
        amount: ShareAmount,
    ) -> DispatchResult {
        let mut source = Shares::get(&class, &from).unwrap_or_default();
        let mut dest = Shares::get(&class, &to).unwrap_or_default();
        let (old_source, old_dest) = (source.balance, dest.balance);
        source.balance = source
            .balance
            .checked_sub(amount)
            .ok_or_else(|| Self::error(Error::InsufficientShares))?;
        source.locked = source.locked.min(source.balance);
        dest.balance = dest
            .balance
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        let mut holders = share_class.holders;
        if old_dest == 0 {
            holders = holders.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        }
        if source.balance == 0 {
            holders = holders.checked_sub(1).ok_or(ArithmeticError::Underflow)?;
        }
        if holders > share_class.holders {
            Self::ensure_holder_room(&share_class, holders)?;
        }
        share_class.holders = holders;
        Self::apply_holder_changes(
            class,
            &share_class,
            &[
                HolderChange {
                    who: from,
                    old_balance: old_source,
                    new: source,
                },
                HolderChange {
                    who: to,
                    old_balance: old_dest,
                    new: dest,
                },
            ],
            None,
        );
        // A forced transfer may take unvested shares: what stays unvested never exceeds the
        // remaining balance. The moved shares arrive vested, as they arrive unlocked.
        if let Some(schedule) = Vesting::get(&class, &from) {
            match schedule.reduced_to(source.balance, T::now()) {
                Some(reduced) if reduced == schedule => {}
                Some(reduced) => Vesting::insert(&class, &from, &reduced),
                None => Vesting::remove(&class, &from),
            }
        }
        ShareClasses::insert(&class, &share_class);
        Ok(())
    }

    /// `holders + pending_investors` must stay within `max_holders`.
    pub(crate) fn ensure_holder_room(share_class: &ShareClass, holders: u32) -> DispatchResult {
        let total = holders
            .checked_add(share_class.pending_investors)
            .ok_or(ArithmeticError::Overflow)?;
        Self::ensure(total <= share_class.max_holders, Error::TooManyHolders)
    }

    /// Mints `shares` of `class` to `to` (a settled commitment), locked for the class lockup
    /// and, with `vesting`, vesting from now. Updates `share_class` in memory (supply,
    /// holders); the caller stores it.
    pub(crate) fn mint_shares(
        class: ClassId,
        share_class: &mut ShareClass,
        to: AccountId,
        shares: ShareAmount,
        vesting: Option<VestingTerms>,
    ) -> DispatchResult {
        let now = T::now();
        let schedule = match vesting {
            Some(terms) => Some(Self::merged_schedule(class, &to, shares, terms, now)?),
            None => None,
        };
        let mut account = Shares::get(&class, &to).unwrap_or_default();
        let old_balance = account.balance;
        let still_locked = account.locked_at(now);
        account.balance = account
            .balance
            .checked_add(shares)
            .ok_or(ArithmeticError::Overflow)?;
        let supply = share_class
            .supply
            .checked_add(shares)
            .ok_or(ArithmeticError::Overflow)?;
        let holders = if old_balance == 0 {
            share_class
                .holders
                .checked_add(1)
                .ok_or(ArithmeticError::Overflow)?
        } else {
            share_class.holders
        };
        // Newer shares extend the lock of older locked ones: one lock per account keeps the
        // record bounded (a conservative simplification of per-round lockups).
        account.locked = still_locked
            .checked_add(shares)
            .ok_or(ArithmeticError::Overflow)?;
        let lock_end = now.saturating_add(share_class.lockup);
        account.locked_until = if still_locked > 0 {
            account.locked_until.max(lock_end)
        } else {
            lock_end
        };
        let old_supply = share_class.supply;
        Self::apply_holder_changes(
            class,
            share_class,
            &[HolderChange {
                who: to,
                old_balance,
                new: account,
            }],
            Some(old_supply),
        );
        share_class.supply = supply;
        share_class.holders = holders;
        if let Some(schedule) = schedule {
            Vesting::insert(&class, &to, &schedule);
            Self::deposit_event(Event::VestingSet {
                share_class: class,
                holder: to,
                schedule: Some(schedule),
            });
        }
        Ok(())
    }

    /// The schedule after `shares` more vest on `terms` from `now`. One schedule per holder
    /// and class: shares of an older schedule that are still unvested join the new ones, and
    /// all of them vest from now to the later cliff and the later end (never sooner than
    /// either schedule alone would have released them).
    fn merged_schedule(
        class: ClassId,
        holder: &AccountId,
        shares: ShareAmount,
        terms: VestingTerms,
        now: Moment,
    ) -> Result<VestingSchedule, DispatchError> {
        let cliff = now
            .checked_add(terms.cliff)
            .ok_or(ArithmeticError::Overflow)?;
        let end = now
            .checked_add(terms.duration)
            .ok_or(ArithmeticError::Overflow)?;
        let older = Vesting::get(&class, holder).filter(|v| v.unvested_at(now) > 0);
        Ok(match older {
            None => VestingSchedule {
                locked: shares,
                start: now,
                cliff,
                end,
            },
            Some(older) => VestingSchedule {
                locked: older
                    .unvested_at(now)
                    .checked_add(shares)
                    .ok_or(ArithmeticError::Overflow)?,
                start: now,
                cliff: cliff.max(older.cliff),
                end: end.max(older.end),
            },
        })
    }

    /// Root sets (or removes) a holder's vesting schedule for a class.
    pub(crate) fn set_vesting(
        origin: Origin,
        class: ClassId,
        holder: AccountId,
        schedule: Option<VestingSchedule>,
    ) -> DispatchResult {
        ensure_root(&origin)?;
        Self::share_class(class)?;
        match schedule {
            Some(schedule) => {
                let balance = Shares::get(&class, &holder).map_or(0, |account| account.balance);
                Self::ensure(
                    schedule.is_valid() && schedule.locked <= balance,
                    Error::InvalidVesting,
                )?;
                Vesting::insert(&class, &holder, &schedule);
            }
            None => Vesting::remove(&class, &holder),
        }
        Self::deposit_event(Event::VestingSet {
            share_class: class,
            holder,
            schedule,
        });
        Ok(())
    }

    /// The class issuer restricts transfer recipients to some investor categories.
    pub(crate) fn set_transfer_categories(
        origin: Origin,
        class: ClassId,
        categories: Option<CategorySet>,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let share_class = Self::share_class(class)?;
        Self::ensure(share_class.issuer == issuer, Error::NotClassIssuer)?;
        match categories {
            Some(set) => TransferCategories::insert(&class, &set),
            None => TransferCategories::remove(&class),
        }
        Self::deposit_event(Event::TransferCategoriesSet {
            share_class: class,
            categories,
        });
        Ok(())
    }

    /// Records checkpoint balances (and the supply, if it changes) as they were before the
    /// change, then writes the new accounts.
    fn apply_holder_changes(
        class: ClassId,
        share_class: &ShareClass,
        changes: &[HolderChange],
        old_supply: Option<ShareAmount>,
    ) {
        let now = T::now();
        for checkpoint_id in &share_class.live_checkpoints {
            let Some(mut checkpoint) = Checkpoints::get(checkpoint_id) else {
                continue;
            };
            if checkpoint.record_date > now {
                continue;
            }
            for change in changes {
                if !CheckpointBalances::contains_key(checkpoint_id, &change.who) {
                    CheckpointBalances::insert(checkpoint_id, &change.who, &change.old_balance);
                }
            }
            if let (Some(supply), None) = (old_supply, checkpoint.supply) {
                checkpoint.supply = Some(supply);
                Checkpoints::insert(checkpoint_id, &checkpoint);
            }
        }
        for change in changes {
            if change.new.balance == 0 {
                Shares::remove(&class, &change.who);
            } else {
                Shares::insert(&class, &change.who, &change.new);
            }
        }
    }

    /// One holder's balance change that also changes the supply (a redemption): records
    /// the old balance and supply in the live checkpoints, then writes the account.
    pub(crate) fn apply_holder_change(
        class: ClassId,
        share_class: &ShareClass,
        who: AccountId,
        old_balance: ShareAmount,
        new: ShareAccount,
        old_supply: ShareAmount,
    ) {
        Self::apply_holder_changes(
            class,
            share_class,
            &[HolderChange {
                who,
                old_balance,
                new,
            }],
            Some(old_supply),
        );
    }

    /// Checks a new checkpoint can be added to `share_class` (the caller then calls
    /// [`Self::add_checkpoint`]).
    pub(crate) fn check_checkpoint_room(
        share_class: &ShareClass,
    ) -> Result<CheckpointId, DispatchError> {
        Self::ensure(
            share_class.live_checkpoints.len() < T::MAX_LIVE_CHECKPOINTS as usize,
            Error::TooManyCheckpoints,
        )?;
        Self::peek_id::<NextCheckpointId>()
    }

    /// Schedules a checkpoint at `record_date` (room checked by
    /// [`Self::check_checkpoint_room`]).
    pub(crate) fn add_checkpoint(
        class: ClassId,
        share_class: &mut ShareClass,
        id: CheckpointId,
        record_date: Moment,
    ) {
        Self::bump_id::<NextCheckpointId>(id);
        Checkpoints::insert(
            &id,
            &Checkpoint {
                share_class: class,
                record_date,
                supply: None,
            },
        );
        share_class.live_checkpoints.push(id);
    }

    /// Stops tracking a checkpoint (its distribution or motion is finished).
    pub(crate) fn retire_checkpoint(class: ClassId, checkpoint: CheckpointId) {
        ShareClasses::mutate(&class, |share_class| {
            if let Some(share_class) = share_class {
                share_class.live_checkpoints.retain(|id| *id != checkpoint);
            }
        });
    }

    /// Anyone removes up to `limit` balances recorded for a retired checkpoint, and the
    /// checkpoint itself once none is left.
    pub(crate) fn prune_checkpoint(
        origin: Origin,
        checkpoint: CheckpointId,
        limit: u32,
    ) -> DispatchResult {
        ensure_signed(&origin)?;
        Self::ensure(limit > 0 && limit <= T::MAX_BATCH, Error::InvalidLimit)?;
        let record =
            Checkpoints::get(&checkpoint).ok_or_else(|| Self::error(Error::UnknownCheckpoint))?;
        let live = ShareClasses::get(&record.share_class)
            .is_some_and(|class| class.live_checkpoints.contains(&checkpoint));
        Self::ensure(!live, Error::CheckpointInUse)?;
        // At most `limit + 1` keys are read: `limit` to remove and one to tell whether more
        // remain.
        let keys: Vec<AccountId> = CheckpointBalances::iter_prefix(&checkpoint)
            .map(|(holder, _)| holder)
            .take((limit as usize).saturating_add(1))
            .collect();
        let mut removed = 0u32;
        for holder in keys.iter().take(limit as usize) {
            CheckpointBalances::remove(&checkpoint, holder);
            removed = removed.saturating_add(1);
        }
        let done = keys.len() <= limit as usize;
        if done {
            Checkpoints::remove(&checkpoint);
        }
        Self::deposit_event(Event::CheckpointPruned {
            checkpoint,
            removed,
            done,
        });
        Ok(())
    }

    /// `who`'s shares at a live checkpoint whose record date has passed.
    pub fn balance_at(checkpoint: CheckpointId, class: ClassId, who: &AccountId) -> ShareAmount {
        CheckpointBalances::get(&checkpoint, who)
            .unwrap_or_else(|| Shares::get(&class, who).map_or(0, |account| account.balance))
    }

    /// The class supply at a live checkpoint whose record date has passed.
    pub fn supply_at(checkpoint: &Checkpoint) -> ShareAmount {
        checkpoint.supply.unwrap_or_else(|| {
            ShareClasses::get(&checkpoint.share_class).map_or(0, |share_class| share_class.supply)
        })
    }
}
