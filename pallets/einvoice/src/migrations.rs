//! Storage migrations of the e-invoice pallet.

/// v0 → v1 (issue 19): the content digest leaves `InvoiceState` for the write-once
/// `ContentDigests`; offered liens (old `LienState` index 0) become standing
/// `FinancingOffers`; active liens count in `Financed`; `CreditedByRate` is filled from the
/// existing credit notes.
pub mod v1 {
    use crate::types::*;
    use crate::{
        ContentDigests, CreditedByRate, Financed, FinancingOffers, InvoiceStates, Invoices,
    };
    use alloc::vec::Vec;
    use folio_pallet_support::prelude::*;
    use folio_pallet_support::storage::{read, StorageMap};
    use folio_primitives::hash::H256;

    /// The storage version this migration starts from and the one it writes.
    pub const FROM: u16 = 0;
    pub const TO: u16 = 1;

    #[derive(Decode)]
    enum OldLienState {
        #[codec(index = 0)]
        Offered,
        #[codec(index = 1)]
        Active,
        #[codec(index = 2)]
        Enforced,
    }

    #[derive(Decode)]
    struct OldLien {
        financier: AccountId,
        advance: Balance,
        repaid: Balance,
        state: OldLienState,
    }

    #[derive(Decode)]
    struct OldInvoiceState {
        status: InvoiceStatus,
        acknowledged: bool,
        dispute: Option<ReasonCode>,
        paid: Balance,
        credited: Balance,
        reimbursement: Reimbursement,
        lien: Option<OldLien>,
        content_digest: H256,
    }

    /// Rewrites every invoice's state; fails (and the runtime enters safe mode) if a state
    /// does not decode in the old layout.
    pub fn migrate(now: Moment) -> Result<Weight, &'static str> {
        let invoices: Vec<(InvoiceId, Invoice)> = Invoices::iter().collect();
        let mut touched = 0u64;
        for (id, invoice) in &invoices {
            let old: OldInvoiceState =
                read(&InvoiceStates::key(id)).ok_or("an invoice state does not decode as v0")?;
            ContentDigests::insert(id, &old.content_digest);
            let lien = match old.lien {
                Some(lien) => match lien.state {
                    OldLienState::Offered => {
                        FinancingOffers::insert(
                            id,
                            &lien.financier,
                            &FinancingOffer {
                                advance: lien.advance,
                                offered_at: now,
                            },
                        );
                        None
                    }
                    OldLienState::Active | OldLienState::Enforced => {
                        Financed::insert(id, &lien.advance);
                        Some(Lien {
                            financier: lien.financier,
                            advance: lien.advance,
                            repaid: lien.repaid,
                            state: match lien.state {
                                OldLienState::Enforced => LienState::Enforced,
                                _ => LienState::Active,
                            },
                        })
                    }
                },
                None => None,
            };
            InvoiceStates::insert(
                id,
                &InvoiceState {
                    status: old.status,
                    acknowledged: old.acknowledged,
                    dispute: old.dispute,
                    paid: old.paid,
                    credited: old.credited,
                    reimbursement: old.reimbursement,
                    lien,
                },
            );
            if let Some(original) = invoice.corrects {
                for entry in &invoice.body.breakdown {
                    let key = (entry.category, entry.rate);
                    let mut at = CreditedByRate::get(&original, &key).unwrap_or_default();
                    // Old credit notes rounded their own tax; summing them is what they
                    // reversed (saturating: sums bounded by the invoice's own amounts).
                    at.taxable = at.taxable.saturating_add(entry.taxable);
                    at.tax = at.tax.saturating_add(entry.tax);
                    CreditedByRate::insert(&original, &key, &at);
                }
            }
            touched = touched.saturating_add(1);
        }
        Ok(folio_pallet_support::weights::reads_writes(3, 4).saturating_mul(touched.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::v1;
    use crate::mock::*;
    use crate::*;
    use folio_pallet_support::storage::StorageMap;
    use folio_primitives::hash::H256;

    #[test]
    fn v1_moves_the_digest_and_turns_an_offered_lien_into_an_offer() {
        new_test_ext().execute(|| {
            let id = NextInvoiceId::get();
            let call = Call::issue_invoice {
                series: SERIES,
                body: standard_body(BUYER),
            };
            assert_eq!(
                call.dispatch::<Test>(Origin::Signed(account(SELLER)))
                    .map(|_| ()),
                Ok(())
            );
            let digest = ContentDigests::get(&id).unwrap();
            let state = InvoiceStates::get(&id).unwrap();
            // The v0 layout: the state ends with an offered lien and the digest.
            let mut old = (
                state.status,
                state.acknowledged,
                state.dispute,
                state.paid,
                state.credited,
                state.reimbursement,
            )
                .encode();
            old.push(1); // Some(lien)
            old.extend(account(BANK).encode());
            old.extend(500u128.encode());
            old.extend(0u128.encode());
            old.push(0); // LienState::Offered
            old.extend(digest.encode());
            folio_primitives::io::storage_set(&InvoiceStates::key(&id), &old);
            ContentDigests::remove(&id);

            assert!(v1::migrate(now()).is_ok());
            assert_eq!(InvoiceStates::get(&id), Some(state));
            assert_eq!(ContentDigests::get(&id), Some(digest));
            assert_eq!(
                FinancingOffers::get(&id, &account(BANK)).map(|offer| offer.advance),
                Some(500)
            );
            assert_ne!(digest, H256::zero());
        });
    }
}
