//! `TransactionPayment.NextFeeMultiplier`, FRAME's factor on the weight fee, fixed at one.
//!
//! FRAME adjusts it each block to the chain's load; Folio's fees do not move with load
//! ([`crate::fees`] charges the weight fee unscaled). Wallets and Sidecar read the item to
//! estimate fees, so it exists with FRAME's type and reads as 1.0: nothing writes it, and an
//! absent value reads as FRAME's `NextFeeMultiplierOnEmpty` default, one.

use folio_pallet_support::prelude::*;

/// `sp_arithmetic::fixed_point::FixedU128`: a fixed-point number, `inner / 10^18`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_currency", "sp_arithmetic"))]
#[scale_info(replace_segment("fee_multiplier", "fixed_point"))]
pub struct FixedU128(pub u128);

impl FixedU128 {
    /// `10^18`, the representation of 1.0.
    pub const ACCURACY: u128 = 1_000_000_000_000_000_000;
    /// 1.0.
    pub const ONE: Self = Self(Self::ACCURACY);
}

/// One, as FRAME's `NextFeeMultiplierOnEmpty`.
impl Default for FixedU128 {
    fn default() -> Self {
        Self::ONE
    }
}

folio_pallet_support::storage! {
    pallet "TransactionPayment";
    /// The factor on the weight fee of the next block. Always 1.0: Folio's fees do not adjust
    /// to the chain's load.
    pub NextFeeMultiplier: Value<FixedU128, ValueQuery>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_pallet_support::storage::StorageItem;
    use folio_primitives::externalities::TestExternalities;

    #[test]
    fn the_multiplier_reads_one() {
        TestExternalities::default().execute_with(|| {
            assert_eq!(NextFeeMultiplier::get(), FixedU128::ONE);
        });
        assert_eq!(
            NextFeeMultiplier::metadata().default,
            1_000_000_000_000_000_000u128.encode()
        );
    }
}
