//! Binding shareholder votes: a motion has a record date (a checkpoint scheduled in advance)
//! and a voting period starting at it; each holder votes once with their shares at the record
//! date; after the period anyone closes it and the chain decides: quorum (turnout ≥ quorum %
//! of the supply at the record date) and threshold (ayes strictly above threshold % of the
//! turnout, so a tie never passes a 50 % threshold; 100 % means no nays).

use crate::types::*;
use crate::{Config, Error, Event, Motions, NextMotionId, Pallet, ShareClasses, Votes};
use folio_pallet_support::prelude::*;
use folio_primitives::hash::H256;

impl<T: Config> Pallet<T> {
    pub(crate) fn motion(id: MotionId) -> Result<Motion, DispatchError> {
        Motions::get(&id).ok_or_else(|| Self::error(Error::UnknownMotion))
    }

    /// The class issuer puts a resolution (its hash) to the shareholders.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn create_motion(
        origin: Origin,
        class: ClassId,
        proposal: H256,
        record_date: Moment,
        voting_ends: Moment,
        quorum_percent: u8,
        threshold_percent: u8,
    ) -> DispatchResult {
        let issuer = ensure_signed(&origin)?;
        let mut share_class = Self::share_class(class)?;
        Self::ensure(share_class.issuer == issuer, Error::NotClassIssuer)?;
        Self::ensure(
            quorum_percent <= 100 && (1..=100).contains(&threshold_percent),
            Error::InvalidMotion,
        )?;
        Self::ensure(
            record_date > T::now() && voting_ends > record_date,
            Error::InvalidDate,
        )?;
        let checkpoint = Self::check_checkpoint_room(&share_class)?;
        let id = Self::peek_id::<NextMotionId>()?;
        Self::bump_id::<NextMotionId>(id);
        Self::add_checkpoint(class, &mut share_class, checkpoint, record_date);
        ShareClasses::insert(&class, &share_class);
        Motions::insert(
            &id,
            &Motion {
                share_class: class,
                proposal,
                checkpoint,
                record_date,
                voting_ends,
                quorum_percent,
                threshold_percent,
                ayes: 0,
                nays: 0,
                status: MotionStatus::Voting,
            },
        );
        Self::deposit_event(Event::MotionCreated {
            motion: id,
            share_class: class,
            proposal,
            checkpoint,
            record_date,
            voting_ends,
            quorum_percent,
            threshold_percent,
        });
        Ok(())
    }

    /// A holder votes with their shares at the record date.
    pub(crate) fn vote(origin: Origin, id: MotionId, aye: bool) -> DispatchResult {
        let voter = ensure_signed(&origin)?;
        let mut motion = Self::motion(id)?;
        let now = T::now();
        Self::ensure(
            motion.status == MotionStatus::Voting
                && now >= motion.record_date
                && now < motion.voting_ends,
            Error::VotingClosed,
        )?;
        Self::ensure(!Votes::contains_key(&id, &voter), Error::AlreadyVoted)?;
        let power = Self::balance_at(motion.checkpoint, motion.share_class, &voter);
        Self::ensure(power > 0, Error::NoVotingPower)?;
        let tally = if aye {
            &mut motion.ayes
        } else {
            &mut motion.nays
        };
        *tally = tally.checked_add(power).ok_or(ArithmeticError::Overflow)?;
        Votes::insert(&id, &voter, &Vote { aye, power });
        Motions::insert(&id, &motion);
        Self::deposit_event(Event::Voted {
            motion: id,
            voter,
            aye,
            power,
        });
        Ok(())
    }

    /// Whether a tally passes: turnout ≥ quorum % of supply and ayes strictly above threshold %
    /// of turnout (100 %: no nays); a motion nobody voted on fails. "Strictly above" is what
    /// a majority means: 50/50 at threshold 50 is not one.
    pub fn motion_passes(motion: &Motion, supply: ShareAmount) -> Result<bool, DispatchError> {
        let turnout = motion
            .ayes
            .checked_add(motion.nays)
            .ok_or(ArithmeticError::Overflow)?;
        let hundred = |x: ShareAmount| x.checked_mul(100).ok_or(ArithmeticError::Overflow);
        let quorum_met = hundred(turnout)?
            >= supply
                .checked_mul(u128::from(motion.quorum_percent))
                .ok_or(ArithmeticError::Overflow)?;
        let threshold_met = if motion.threshold_percent >= 100 {
            motion.nays == 0
        } else {
            hundred(motion.ayes)?
                > turnout
                    .checked_mul(u128::from(motion.threshold_percent))
                    .ok_or(ArithmeticError::Overflow)?
        };
        Ok(turnout > 0 && quorum_met && threshold_met)
    }

    /// Anyone counts a motion after its voting period; its checkpoint is retired.
    pub(crate) fn close_motion(origin: Origin, id: MotionId) -> DispatchResult {
        ensure_signed(&origin)?;
        let mut motion = Self::motion(id)?;
        Self::ensure(
            motion.status == MotionStatus::Voting && T::now() >= motion.voting_ends,
            Error::NotClosable,
        )?;
        let checkpoint = crate::Checkpoints::get(&motion.checkpoint)
            .ok_or_else(|| Self::error(Error::UnknownMotion))?;
        let supply = Self::supply_at(&checkpoint);
        motion.status = if Self::motion_passes(&motion, supply)? {
            MotionStatus::Passed
        } else {
            MotionStatus::Failed
        };
        Motions::insert(&id, &motion);
        Self::retire_checkpoint(motion.share_class, motion.checkpoint);
        Self::deposit_event(Event::MotionClosed {
            motion: id,
            status: motion.status,
            ayes: motion.ayes,
            nays: motion.nays,
            supply,
        });
        Ok(())
    }
}
