//! What the governance pallet tells clients: the `Governance` entry.

use crate::*;
use folio_pallet_support::metadata::{constant, PalletDescription};
use folio_pallet_support::storage::StorageItem;
use scale_info::meta_type;

/// The `Governance` pallet entry.
pub fn metadata<T: Config>() -> PalletDescription {
    PalletDescription {
        name: "Governance",
        index: <T as Config>::INDEX,
        storage: alloc::vec![
            Members::metadata(),
            MotionCount::metadata(),
            ActiveMotions::metadata(),
            Motions::metadata(),
            ReferendumCount::metadata(),
            OngoingReferenda::metadata(),
            EndedReferenda::metadata(),
            Referenda::metadata(),
            Votes::metadata(),
            TaskCount::metadata(),
            NextToEnact::metadata(),
            Tasks::metadata(),
        ],
        calls: Some(meta_type::<Call>()),
        event: Some(meta_type::<Event>()),
        error: Some(meta_type::<Error>()),
        constants: alloc::vec![
            constant("MaxCallLen", &T::MAX_CALL_LEN, &[" The longest encoded call a motion or referendum may carry, in bytes."]),
            constant("MaxMembers", &T::MAX_MEMBERS, &[" The most council members."]),
            constant("MaxMotions", &T::MAX_MOTIONS, &[" The most motions open at once."]),
            constant("MotionDuration", &T::MOTION_DURATION, &[" How many blocks a motion is open for voting."]),
            constant("MotionMajorityPercent", &T::MOTION_MAJORITY_PERCENT, &[" A motion's threshold must be more than this percentage of the council."]),
            constant("CancellationPercent", &T::CANCELLATION_PERCENT, &[" A cancellation motion needs more than this percentage of the council."]),
            constant("ReferendumDeposit", &T::REFERENDUM_DEPOSIT, &[" Held from whoever starts a referendum until it ends."]),
            constant("VotingPeriod", &T::VOTING_PERIOD, &[" How many blocks a referendum is open for voting."]),
            constant("MaxReferenda", &T::MAX_REFERENDA, &[" The most referenda alive at once (ongoing, or ended with votes still to remove)."]),
            constant("ReferendumApprovalPercent", &T::REFERENDUM_APPROVAL_PERCENT, &[" A referendum passes only if the ayes are more than this percentage of the votes cast."]),
            constant("ReferendumMinTurnoutPercent", &T::REFERENDUM_MIN_TURNOUT_PERCENT, &[" A referendum passes only if the votes cast are at least this percentage of the total issuance."]),
            constant("EnactmentDelay", &T::ENACTMENT_DELAY, &[" How many blocks after its approval a call is enacted at the earliest."]),
            constant("MaxEnactmentsPerBlock", &T::MAX_ENACTMENTS_PER_BLOCK, &[" The most scheduled tasks looked at (enacted or skipped) in one block."]),
            constant("MaxEnactmentWeight", &T::MAX_ENACTMENT_WEIGHT, &[" The most weight of enacted calls per block (the first due call always runs)."]),
            constant("MaxVoteRemovalsPerBlock", &T::MAX_VOTE_REMOVALS_PER_BLOCK, &[" The most votes of ended referenda removed (and thawed) in one block."]),
        ],
        docs: alloc::vec![
            " Governance: the council and its motions, token-holder referenda, and the scheduler",
            " that enacts approved calls as Root after a delay.",
        ],
    }
}
