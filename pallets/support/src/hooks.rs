//! Block-level entry points a pallet may implement.

use folio_primitives::weight::Weight;
use folio_primitives::BlockNumber;

/// Called by the executive around each block and after a runtime upgrade.
pub trait Hooks {
    /// Before the block's extrinsics; returns the weight it used.
    fn on_initialize(_n: BlockNumber) -> Weight {
        Weight::zero()
    }
    /// After the block's extrinsics.
    fn on_finalize(_n: BlockNumber) {}
    /// Once, in the first block executed by new code; returns the weight it used.
    fn on_runtime_upgrade() -> Weight {
        Weight::zero()
    }
}
