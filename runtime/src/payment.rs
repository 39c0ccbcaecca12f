//! Fees as `pallet_transaction_payment` reports them to clients: the dispatch info and the
//! fee breakdown of an extrinsic (`TransactionPaymentApi`) or of a bare call before it is
//! signed (`TransactionPaymentCallApi`, what wallets estimate with).
//!
//! The types carry FRAME's scale-info paths, so generated client types and polkadot-js's
//! `api.call.transactionPaymentApi.queryFeeDetails` decode them as they do on any FRAME chain.

use crate::*;
use folio_pallet_currency::fees;
use folio_primitives::weight::RuntimeDispatchInfo;

/// `pallet_transaction_payment::types::FeeDetails`. FRAME's struct also has a `tip`, skipped
/// by its codec (so absent from its encoding and its type info); Folio leaves it out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_runtime", "pallet_transaction_payment"))]
#[scale_info(replace_segment("payment", "types"))]
pub struct FeeDetails {
    /// `None` for a call that pays no fee (unsigned, or `Pays::No`).
    pub inclusion_fee: Option<InclusionFee>,
}

/// `pallet_transaction_payment::types::InclusionFee`: the parts of the fee without tip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_runtime", "pallet_transaction_payment"))]
#[scale_info(replace_segment("payment", "types"))]
pub struct InclusionFee {
    /// The fee every transaction pays.
    pub base_fee: Balance,
    /// The fee for the encoded length.
    pub len_fee: Balance,
    /// The fee for the weight (Folio's fee multiplier is fixed at one).
    pub adjusted_weight_fee: Balance,
}

impl InclusionFee {
    /// Their sum, which is what [`fees::inclusion_fee`] charges.
    pub fn total(&self) -> Balance {
        self.base_fee
            .saturating_add(self.len_fee)
            .saturating_add(self.adjusted_weight_fee)
    }
}

/// The fee of `call` in a signed extrinsic of `len` bytes, as the sender would pay it now.
pub fn call_info(call: &RuntimeCall, len: u32) -> RuntimeDispatchInfo {
    let info = call.dispatch_info();
    RuntimeDispatchInfo {
        weight: folio_pallet_system::extensions::extrinsic_weight::<Runtime>(&info),
        class: info.class,
        partial_fee: fees::compute_fee::<Runtime>(len, &info, 0),
    }
}

/// The fee breakdown of `call` in a signed extrinsic of `len` bytes.
pub fn call_fee_details(call: &RuntimeCall, len: u32) -> FeeDetails {
    let info = call.dispatch_info();
    let inclusion_fee = (info.pays_fee == Pays::Yes).then(|| {
        let weight = folio_pallet_system::extensions::extrinsic_weight::<Runtime>(&info);
        InclusionFee {
            base_fee: <Runtime as folio_pallet_currency::Config>::BASE_FEE,
            len_fee: length_to_fee(len),
            adjusted_weight_fee: fees::weight_to_fee::<Runtime>(weight),
        }
    });
    FeeDetails { inclusion_fee }
}

/// The dispatch info of an extrinsic: unsigned ones pay nothing.
pub fn extrinsic_info(xt: &UncheckedExtrinsic, len: u32) -> RuntimeDispatchInfo {
    let mut info = call_info(&xt.function, len);
    if !xt.is_signed() {
        info.partial_fee = 0;
    }
    info
}

/// The fee breakdown of an extrinsic: unsigned ones pay nothing.
pub fn extrinsic_fee_details(xt: &UncheckedExtrinsic, len: u32) -> FeeDetails {
    if xt.is_signed() {
        call_fee_details(&xt.function, len)
    } else {
        FeeDetails::default()
    }
}

/// The fee for `len` encoded bytes.
pub fn length_to_fee(len: u32) -> Balance {
    <Runtime as folio_pallet_currency::Config>::BYTE_FEE.saturating_mul(Balance::from(len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_primitives::MultiAddress;

    fn transfer() -> RuntimeCall {
        RuntimeCall::Balances(folio_pallet_currency::Call::transfer_keep_alive {
            dest: MultiAddress::Id(AccountId::new([2; 32])),
            value: UNIT,
        })
    }

    #[test]
    fn fee_details_add_up_to_the_fee_charged() {
        let details = call_fee_details(&transfer(), 140);
        let info = call_info(&transfer(), 140);
        let inclusion = details.inclusion_fee.expect("a transfer pays a fee");
        assert!(
            inclusion.base_fee > 0 && inclusion.len_fee > 0 && inclusion.adjusted_weight_fee > 0
        );
        assert_eq!(inclusion.total(), info.partial_fee);
    }

    #[test]
    fn fee_details_encode_as_frames_without_the_tip() {
        let details = FeeDetails {
            inclusion_fee: Some(InclusionFee {
                base_fee: 1,
                len_fee: 2,
                adjusted_weight_fee: 3,
            }),
        };
        let mut expected = alloc::vec![1u8];
        for part in [1u128, 2, 3] {
            expected.extend_from_slice(&part.to_le_bytes());
        }
        assert_eq!(details.encode(), expected);
        assert_eq!(FeeDetails::default().encode(), alloc::vec![0u8]);
    }
}
