//! The calls of the bills pallet: one function per call, each checking its origin first and
//! validating everything before it writes anything.

use crate::logic::{presenter, prior_signers};
use crate::*;
use folio_pallet_support::currency::{Currency, HoldReason};
use folio_pallet_support::storage::{StorageDoubleMap, StorageMap, StorageValue};

/// Dispatchable calls of the bills pallet. Ranges are named by their bill and first unit;
/// `[start, end)` names units to split off a range.
#[allow(non_camel_case_types)]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
#[scale_info(replace_segment("folio_pallet_bills", "pallet_bills"))]
#[scale_info(replace_segment("call", "pallet"))]
pub enum Call {
    /// Draw a bill on `acceptor` in favour of `payee`.
    ///
    /// Origin: signed (the drawer). `face` must be a positive multiple of `RangeUnit`;
    /// `maturity` after now and at most `MaxTenor` later; at most `MaxInvoices` distinct
    /// invoices, each with Σ face amounts citing it ≤ its net. Errors: `InvalidFace`,
    /// `MaturityInPast`, `TenorTooLong`, `TooManyInvoices`, `DuplicateInvoice`,
    /// `InvoiceNetExceeded`. Emits `BillIssued`.
    #[codec(index = 0)]
    issue {
        acceptor: AccountId,
        payee: AccountId,
        #[codec(compact)]
        face: Balance,
        maturity: Moment,
        non_transferable: bool,
        divisible: bool,
        invoices: Vec<InvoiceRef>,
    },
    /// Ask the acceptor to accept an issued bill within `AcceptanceWindow`.
    ///
    /// Origin: the drawer. Errors: `NotDrawer`, `Locked` (already pending), `WrongState`,
    /// `MaturityInPast`, `Frozen`, `HistoryFull`. Emits `AcceptanceRequested`.
    #[codec(index = 1)]
    request_acceptance { bill: BillId },
    /// Accept the bill, holding `margin` of the acceptor's balance (`BillMargin`) for it.
    ///
    /// Origin: the acceptor, before the deadline. Errors: `NotAcceptor`, `WrongState`,
    /// `DeadlinePassed`, `MarginExceedsFace`, currency errors. Emits `BillAccepted`.
    #[codec(index = 2)]
    accept {
        bill: BillId,
        #[codec(compact)]
        margin: Balance,
    },
    /// Refuse to accept: the bill is `Issued` again.
    ///
    /// Origin: the acceptor. Errors: `NotAcceptor`, `WrongState`. Emits `AcceptanceRefused`.
    #[codec(index = 3)]
    refuse_acceptance { bill: BillId },
    /// Withdraw a bill before delivery, releasing any margin and its invoices' amounts.
    ///
    /// Origin: the drawer. Errors: `NotDrawer`, `Locked` (acceptance pending), `WrongState`.
    /// Emits `BillWithdrawn`.
    #[codec(index = 4)]
    withdraw { bill: BillId },
    /// Deliver the accepted bill to the payee, who then holds all of it as one range.
    ///
    /// Origin: the drawer. Errors: `NotDrawer`, `Locked`, `WrongState`. Emits `BillDelivered`.
    #[codec(index = 5)]
    deliver { bill: BillId },
    /// Endorse `[start, end)` to `to`, pending its signature within `OfferWindow`.
    ///
    /// Origin: the holder. Not for a non-transferable bill, after the presentment period, or
    /// for a range that is not simply held (pending ⇒ `Locked`); splits the range when
    /// partial (divisible bills only). Errors: `NotHolder`, `Locked`, `WrongState`,
    /// `NonTransferable`, `PresentmentPeriodOver`, `NotDivisible`, `InvalidRange`,
    /// `TooManyRanges`, `ChainTooLong`, `SelfTransfer`, `HistoryFull`. Emits
    /// `EndorsementOffered`.
    #[codec(index = 6)]
    endorse {
        bill: BillId,
        start: Unit,
        end: Unit,
        to: AccountId,
    },
    /// Endorse `[start, end)` for collection to `agent` (it may present it; payment goes to
    /// the holder). Allowed on non-transferable bills. Origin: the holder. Errors as
    /// `endorse`. Emits `CollectionOffered`.
    #[codec(index = 7)]
    endorse_for_collection {
        bill: BillId,
        start: Unit,
        end: Unit,
        agent: AccountId,
    },
    /// Offer `[start, end)` to `financier` for `price` (0 < price ≤ the range's amount).
    ///
    /// Origin: the holder. Errors as `endorse`, plus `InvalidPrice`. Emits `DiscountOffered`.
    #[codec(index = 8)]
    offer_discount {
        bill: BillId,
        start: Unit,
        end: Unit,
        financier: AccountId,
        #[codec(compact)]
        price: Balance,
    },
    /// Offer `[start, end)` in pledge to `pledgee` as security for `secured` (0 < secured ≤
    /// the range's amount): once signed, the pledgee may present it and collects up to
    /// `secured` of its payment; the holder keeps the surplus. Origin: the holder. Errors as
    /// `endorse`, plus `InvalidSecuredAmount`. Emits `PledgeOffered`.
    #[codec(index = 9)]
    pledge {
        bill: BillId,
        start: Unit,
        end: Unit,
        pledgee: AccountId,
        #[codec(compact)]
        secured: Balance,
    },
    /// Sign a pending endorsement, collection endorsement or pledge.
    ///
    /// Origin: the named endorsee, agent or pledgee, before the deadline. Errors:
    /// `NotCounterparty`, `WrongState`, `DeadlinePassed`. Emits `Endorsed`,
    /// `CollectionMandated` or `Pledged`.
    #[codec(index = 10)]
    sign { bill: BillId, start: Unit },
    /// Take a discount offer: `price` moves from the financier to the holder and the range to
    /// the financier, in this one call (delivery-versus-payment).
    ///
    /// Origin: the named financier, before the deadline. Errors: `NotCounterparty`,
    /// `WrongState`, `DeadlinePassed`, `PriceMismatch`, currency errors. Emits `Discounted`.
    #[codec(index = 11)]
    take_discount {
        bill: BillId,
        start: Unit,
        #[codec(compact)]
        price: Balance,
    },
    /// Reject a pending offer (the range is held again) or recourse claim (dishonoured again).
    ///
    /// Origin: the counterparty. Errors: `NotCounterparty`, `WrongState`. Emits
    /// `OfferRejected`.
    #[codec(index = 12)]
    reject { bill: BillId, start: Unit },
    /// Revoke one's pending offer or recourse claim.
    ///
    /// Origin: the holder. Errors: `NotHolder`, `WrongState`. Emits `OfferRevoked`.
    #[codec(index = 13)]
    revoke { bill: BillId, start: Unit },
    /// End a pledge (origin: the pledgee) or a collection mandate (the agent or the holder).
    ///
    /// Errors: `NotCounterparty`, `WrongState`. Emits `Released`.
    #[codec(index = 14)]
    release { bill: BillId, start: Unit },
    /// Present a range for payment, from maturity; the acceptor must answer within
    /// `PaymentWindow`. After the presentment period only the acceptor stays liable.
    ///
    /// Origin: the holder of a held range or the agent of a range in collection. Errors:
    /// `NotHolder`, `NotMature`, `Locked`, `WrongState`. Emits `Presented`.
    #[codec(index = 15)]
    present { bill: BillId, start: Unit },
    /// Pay a presented range to its holder, from the margin first, in this one call.
    ///
    /// Origin: the acceptor. On time when before the deadline. Errors: `NotAcceptor`,
    /// `WrongState`, currency errors. Emits `Paid` (and `BillClosed` with the last range).
    #[codec(index = 16)]
    pay { bill: BillId, start: Unit },
    /// Refuse payment of a presented range for `reason`: it is dishonoured, and the reason
    /// is recorded with the refusal.
    ///
    /// Origin: the acceptor. Errors: `NotAcceptor`, `WrongState`. Emits `PaymentDishonoured`.
    #[codec(index = 17)]
    refuse_payment {
        bill: BillId,
        start: Unit,
        reason: DishonourReason,
    },
    /// Claim recourse for a dishonoured range from a prior signer not yet discharged.
    ///
    /// Origin: the holder. Errors: `NotHolder`, `Locked`, `WrongState`, `NotLiable`. Emits
    /// `RecourseClaimed`.
    #[codec(index = 18)]
    claim_recourse {
        bill: BillId,
        start: Unit,
        against: AccountId,
    },
    /// Pay a recourse claim: the amount moves to the holder and the range to the payer in
    /// this one call; the payer may claim further back, unless it is the acceptor (then the
    /// range is settled).
    ///
    /// Origin: the party claimed against. Errors: `NotCounterparty`, `WrongState`, currency
    /// errors. Emits `RecoursePaid` (and `BillClosed` with the last range).
    #[codec(index = 19)]
    pay_recourse { bill: BillId, start: Unit },
    /// End every pending operation of a bill whose deadline has passed.
    ///
    /// Origin: signed (anyone). Errors: `Frozen`, `NothingExpired`. Emits `AcceptanceExpired`,
    /// `OfferExpired`, `PaymentExpired`, `Paid` or `RecoursePaid` (margin) per operation.
    #[codec(index = 20)]
    expire { bill: BillId },
    /// Expire what is overdue on up to `limit` bills, resuming where the last sweep stopped.
    ///
    /// Origin: signed (anyone). Emits what `expire` emits.
    #[codec(index = 21)]
    sweep_expired { limit: u32 },
    /// Freeze a bill: nothing happens to it until unfrozen.
    ///
    /// Origin: the court (Root for now). Errors: `Frozen` (already), `WrongState` (finished).
    /// Emits `BillFrozen`.
    #[codec(index = 22)]
    freeze { bill: BillId },
    /// Unfreeze a bill. Origin: the court (Root for now). Errors: `NotFrozen`. Emits
    /// `BillUnfrozen`.
    #[codec(index = 23)]
    unfreeze { bill: BillId },
    /// Give an aval: guarantee `for_party`'s obligation (the acceptor's, the drawer's or an
    /// endorser's) on the bill. The guarantor is then liable in recourse wherever
    /// `for_party` is; paying, it takes the range with recourse against `for_party` and
    /// those liable to it.
    ///
    /// Origin: signed (the guarantor). The bill is accepted or delivered, not frozen or
    /// finished. Errors: `WrongState`, `NotASigner`, `AlreadyGuarantor`, `TooManyAvals`,
    /// `HistoryFull`. Emits `Guaranteed`.
    #[codec(index = 24)]
    guarantee { bill: BillId, for_party: AccountId },
    /// Draw a bill as `issue` does, presented automatically at maturity: from maturity the
    /// expiry sweep presents every range its holder (or agent, or pledgee) could present, so
    /// no holder loses recourse by missing the presentment period.
    ///
    /// Origin: signed (the drawer). Errors and checks as `issue`. Emits `BillIssued` and
    /// `AutoPresentmentChosen`.
    #[codec(index = 25)]
    issue_with_auto_presentment {
        acceptor: AccountId,
        payee: AccountId,
        #[codec(compact)]
        face: Balance,
        maturity: Moment,
        non_transferable: bool,
        divisible: bool,
        invoices: Vec<InvoiceRef>,
    },
}

impl CallWeight for Call {
    fn dispatch_info(&self) -> DispatchInfo {
        let weight = match self {
            Self::issue { invoices, .. } => {
                weights::issue(u32::try_from(invoices.len()).unwrap_or(u32::MAX))
            }
            Self::request_acceptance { .. } => weights::request_acceptance(),
            Self::accept { .. } => weights::accept(),
            Self::refuse_acceptance { .. } => weights::refuse_acceptance(),
            Self::withdraw { .. } => weights::withdraw(),
            Self::deliver { .. } => weights::deliver(),
            Self::endorse { .. } => weights::endorse(),
            Self::endorse_for_collection { .. } => weights::endorse_for_collection(),
            Self::offer_discount { .. } => weights::offer_discount(),
            Self::pledge { .. } => weights::pledge(),
            Self::sign { .. } => weights::sign(),
            Self::take_discount { .. } => weights::take_discount(),
            Self::reject { .. } => weights::reject(),
            Self::revoke { .. } => weights::revoke(),
            Self::release { .. } => weights::release(),
            Self::present { .. } => weights::present(),
            Self::pay { .. } => weights::pay(),
            Self::refuse_payment { .. } => weights::refuse_payment(),
            Self::claim_recourse { .. } => weights::claim_recourse(),
            Self::pay_recourse { .. } => weights::pay_recourse(),
            Self::expire { .. } => weights::expire_bound(),
            Self::sweep_expired { limit } => weights::sweep_expired_bound(*limit),
            Self::freeze { .. } => weights::freeze(),
            Self::unfreeze { .. } => weights::unfreeze_bound(),
            Self::guarantee { .. } => weights::guarantee(),
            Self::issue_with_auto_presentment { invoices, .. } => {
                weights::issue_with_auto_presentment(
                    u32::try_from(invoices.len()).unwrap_or(u32::MAX),
                )
            }
        };
        DispatchInfo {
            weight,
            class: DispatchClass::Normal,
            pays_fee: Pays::Yes,
        }
    }
}

impl Call {
    /// Runs the call for `origin`, in its own storage transaction.
    pub fn dispatch<T: Config>(self, origin: Origin) -> DispatchResultWithPostInfo {
        with_transaction(|| self.dispatch_inner::<T>(origin))?;
        Ok(().into())
    }

    fn dispatch_inner<T: Config>(self, origin: Origin) -> DispatchResult {
        type P<T> = Pallet<T>;
        match self {
            Self::issue {
                acceptor,
                payee,
                face,
                maturity,
                non_transferable,
                divisible,
                invoices,
            } => P::<T>::issue(
                origin,
                acceptor,
                payee,
                face,
                maturity,
                non_transferable,
                divisible,
                invoices,
            )
            .map(|_| ()),
            Self::issue_with_auto_presentment {
                acceptor,
                payee,
                face,
                maturity,
                non_transferable,
                divisible,
                invoices,
            } => {
                let id = P::<T>::issue(
                    origin,
                    acceptor,
                    payee,
                    face,
                    maturity,
                    non_transferable,
                    divisible,
                    invoices,
                )?;
                P::<T>::choose_auto_presentment(id)
            }
            Self::request_acceptance { bill } => P::<T>::request_acceptance(origin, bill),
            Self::accept { bill, margin } => P::<T>::accept(origin, bill, margin),
            Self::refuse_acceptance { bill } => P::<T>::refuse_acceptance(origin, bill),
            Self::withdraw { bill } => P::<T>::withdraw(origin, bill),
            Self::deliver { bill } => P::<T>::deliver(origin, bill),
            Self::endorse {
                bill,
                start,
                end,
                to,
            } => P::<T>::offer(origin, bill, start, end, to, Offer::Endorsement),
            Self::endorse_for_collection {
                bill,
                start,
                end,
                agent,
            } => P::<T>::offer(origin, bill, start, end, agent, Offer::Collection),
            Self::offer_discount {
                bill,
                start,
                end,
                financier,
                price,
            } => P::<T>::offer(origin, bill, start, end, financier, Offer::Discount(price)),
            Self::pledge {
                bill,
                start,
                end,
                pledgee,
                secured,
            } => P::<T>::offer(origin, bill, start, end, pledgee, Offer::Pledge(secured)),
            Self::sign { bill, start } => P::<T>::sign(origin, bill, start),
            Self::take_discount { bill, start, price } => {
                P::<T>::take_discount(origin, bill, start, price)
            }
            Self::reject { bill, start } => P::<T>::reject(origin, bill, start),
            Self::revoke { bill, start } => P::<T>::revoke(origin, bill, start),
            Self::release { bill, start } => P::<T>::release(origin, bill, start),
            Self::present { bill, start } => P::<T>::present(origin, bill, start),
            Self::pay { bill, start } => P::<T>::pay(origin, bill, start),
            Self::refuse_payment {
                bill,
                start,
                reason,
            } => P::<T>::refuse_payment(origin, bill, start, reason),
            Self::claim_recourse {
                bill,
                start,
                against,
            } => P::<T>::claim_recourse(origin, bill, start, against),
            Self::pay_recourse { bill, start } => P::<T>::pay_recourse(origin, bill, start),
            Self::expire { bill } => P::<T>::expire(origin, bill),
            Self::sweep_expired { limit } => P::<T>::sweep_expired(origin, limit),
            Self::freeze { bill } => P::<T>::freeze(origin, bill),
            Self::unfreeze { bill } => P::<T>::unfreeze(origin, bill),
            Self::guarantee { bill, for_party } => P::<T>::guarantee(origin, bill, for_party),
        }
    }
}

/// What a holder offers a counterparty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Offer {
    Endorsement,
    Collection,
    Discount(Balance),
    Pledge(Balance),
}

impl Offer {
    /// Endorsement, discount and pledge transfer rights; a collection mandate does not.
    fn transfers_rights(self) -> bool {
        !matches!(self, Self::Collection)
    }

    /// Endorsement and discount add the holder to the chain of signers.
    fn adds_signer(self) -> bool {
        matches!(self, Self::Endorsement | Self::Discount(_))
    }
}

impl<T: Config> Pallet<T> {
    #[allow(clippy::too_many_arguments)]
    fn issue(
        origin: Origin,
        acceptor: AccountId,
        payee: AccountId,
        face: Balance,
        maturity: Moment,
        non_transferable: bool,
        divisible: bool,
        invoices: Vec<InvoiceRef>,
    ) -> Result<BillId, DispatchError> {
        let drawer = ensure_signed(&origin)?;
        let units = face.checked_div(T::RANGE_UNIT).unwrap_or(0);
        if face == 0 || face.checked_rem(T::RANGE_UNIT) != Some(0) || u64::try_from(units).is_err()
        {
            return Err(Self::error(Error::InvalidFace));
        }
        let now = T::now();
        if maturity <= now {
            return Err(Self::error(Error::MaturityInPast));
        }
        let latest = now
            .checked_add(T::MAX_TENOR)
            .ok_or(ArithmeticError::Overflow)?;
        if maturity > latest {
            return Err(Self::error(Error::TenorTooLong));
        }
        if acceptor == payee {
            return Err(Self::error(Error::SelfDealing));
        }
        if invoices.len() > T::MAX_INVOICES as usize {
            return Err(Self::error(Error::TooManyInvoices));
        }
        let mut uses: Vec<(InvoiceRef, Balance)> = Vec::with_capacity(invoices.len());
        for invoice in &invoices {
            if uses.iter().any(|(seen, _)| seen == invoice) {
                return Err(Self::error(Error::DuplicateInvoice));
            }
            Self::check_trade_background(*invoice, &drawer, &acceptor, &payee)?;
            let used = InvoiceUse::get(invoice)
                .checked_add(face)
                .ok_or(ArithmeticError::Overflow)?;
            uses.push((*invoice, used));
        }
        let id = NextBillId::get();
        let next = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
        Self::ensure_room(id, Self::offer_room())?;

        let bill = Bill {
            drawer,
            acceptor,
            payee,
            face,
            issued_at: now,
            issued_block: folio_pallet_system::Pallet::<T>::block_number(),
            maturity,
            non_transferable,
            divisible,
            invoices,
            state: BillState::Issued,
            margin: 0,
            deposit: T::ISSUE_DEPOSIT,
            frozen: false,
            frozen_at: 0,
            suspended: 0,
            ranges: 0,
        };
        T::Currency::hold(HoldReason::BillDeposit, &drawer, T::ISSUE_DEPOSIT)?;
        // The registry refuses what would finance the receivable beyond its net (bills and
        // invoice liens together); it sees this bill's amount before `InvoiceUse` counts it.
        for (invoice, used) in &uses {
            T::Invoices::finance(*invoice, face)
                .map_err(|_| Self::error(Error::InvoiceNetExceeded))?;
            InvoiceUse::insert(invoice, used);
        }
        Bills::insert(&id, &bill);
        NextBillId::put(&next);
        for who in [&drawer, &acceptor, &payee] {
            Self::involve(who, id);
        }
        Self::record(
            id,
            &acceptor,
            Event::BillIssued {
                bill: id,
                drawer,
                acceptor,
                payee,
                face,
                maturity,
            },
        );
        Ok(id)
    }

    /// Marks a bill just issued for automatic presentment at maturity (see
    /// [`Self::auto_present`]), recorded in its history.
    fn choose_auto_presentment(id: BillId) -> DispatchResult {
        let bill = Self::bill(id)?;
        AutoPresentment::insert(&id, &());
        Self::record(
            id,
            &bill.acceptor,
            Event::AutoPresentmentChosen { bill: id },
        );
        Ok(())
    }

    fn request_acceptance(origin: Origin, id: BillId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::live_bill(id)?;
        if who != bill.drawer {
            return Err(Self::error(Error::NotDrawer));
        }
        match bill.state {
            BillState::Issued => {}
            BillState::AcceptancePending { .. } => return Err(Self::error(Error::Locked)),
            _ => return Err(Self::error(Error::WrongState)),
        }
        if bill.maturity <= T::now() {
            return Err(Self::error(Error::MaturityInPast));
        }
        Self::ensure_room(id, Self::offer_room())?;
        let deadline = Self::deadline(T::ACCEPTANCE_WINDOW)?;

        bill.state = BillState::AcceptancePending { deadline };
        Bills::insert(&id, &bill);
        Self::record(
            id,
            &bill.acceptor,
            Event::AcceptanceRequested { bill: id, deadline },
        );
        Ok(())
    }

    fn accept(origin: Origin, id: BillId, margin: Balance) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::live_bill(id)?;
        if who != bill.acceptor {
            return Err(Self::error(Error::NotAcceptor));
        }
        let BillState::AcceptancePending { deadline } = bill.state else {
            return Err(Self::error(Error::WrongState));
        };
        if T::now() > deadline {
            return Err(Self::error(Error::DeadlinePassed));
        }
        if margin > bill.face {
            return Err(Self::error(Error::MarginExceedsFace));
        }

        T::Currency::hold(HoldReason::BillMargin, &who, margin)?;
        bill.state = BillState::Accepted;
        bill.margin = margin;
        Bills::insert(&id, &bill);
        Self::record(
            id,
            &bill.acceptor,
            Event::BillAccepted {
                bill: id,
                acceptor: who,
                margin,
            },
        );
        Ok(())
    }

    fn refuse_acceptance(origin: Origin, id: BillId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::live_bill(id)?;
        if who != bill.acceptor {
            return Err(Self::error(Error::NotAcceptor));
        }
        if !matches!(bill.state, BillState::AcceptancePending { .. }) {
            return Err(Self::error(Error::WrongState));
        }

        bill.state = BillState::Issued;
        Bills::insert(&id, &bill);
        Self::record(id, &bill.acceptor, Event::AcceptanceRefused { bill: id });
        Ok(())
    }

    fn withdraw(origin: Origin, id: BillId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::live_bill(id)?;
        if who != bill.drawer {
            return Err(Self::error(Error::NotDrawer));
        }
        match bill.state {
            BillState::Issued | BillState::Accepted => {}
            BillState::AcceptancePending { .. } => return Err(Self::error(Error::Locked)),
            _ => return Err(Self::error(Error::WrongState)),
        }

        let released = bill.margin;
        T::Currency::release(HoldReason::BillMargin, &bill.acceptor, released)?;
        Self::release_invoices(&bill)?;
        Self::return_deposit(&mut bill)?;
        bill.margin = 0;
        bill.state = BillState::Withdrawn;
        Bills::insert(&id, &bill);
        Self::record(
            id,
            &bill.acceptor,
            Event::BillWithdrawn {
                bill: id,
                margin_released: released,
            },
        );
        Ok(())
    }

    fn deliver(origin: Origin, id: BillId) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::live_bill(id)?;
        if who != bill.drawer {
            return Err(Self::error(Error::NotDrawer));
        }
        match bill.state {
            BillState::Accepted => {}
            BillState::AcceptancePending { .. } => return Err(Self::error(Error::Locked)),
            _ => return Err(Self::error(Error::WrongState)),
        }
        let units = bill
            .face
            .checked_div(T::RANGE_UNIT)
            .and_then(|units| Unit::try_from(units).ok())
            .ok_or_else(|| Self::error(Error::InvalidFace))?;

        let range = BillRange {
            end: units,
            holder: bill.payee,
            state: RangeState::Held,
            endorsers: Vec::new(),
            late_presentment: false,
            paid: 0,
            pledge: None,
        };
        Ranges::insert(&id, &0, &range);
        Self::add_holdings(&bill.payee, id, 1);
        bill.ranges = 1;
        bill.state = BillState::Delivered;
        Bills::insert(&id, &bill);
        Self::record(
            id,
            &bill.acceptor,
            Event::BillDelivered {
                bill: id,
                payee: bill.payee,
                units,
            },
        );
        Ok(())
    }

    /// `endorse`, `endorse_for_collection`, `offer_discount` and `pledge`: the holder offers
    /// `[start, end)` to `to`, splitting its range when partial.
    fn offer(
        origin: Origin,
        id: BillId,
        start: Unit,
        end: Unit,
        to: AccountId,
        offer: Offer,
    ) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::delivered_bill(id)?;
        if offer.transfers_rights() && bill.non_transferable {
            return Err(Self::error(Error::NonTransferable));
        }
        if T::now() > Self::presentment_end(&bill)? {
            return Err(Self::error(Error::PresentmentPeriodOver));
        }
        if to == who {
            return Err(Self::error(Error::SelfTransfer));
        }
        let (first, range) = Self::containing(id, start, end)?;
        if range.holder != who {
            return Err(Self::error(Error::NotHolder));
        }
        if range.state.is_pending() {
            return Err(Self::error(Error::Locked));
        }
        if range.state != RangeState::Held {
            return Err(Self::error(Error::WrongState));
        }
        let whole = first == start && range.end == end;
        if !bill.divisible && !whole {
            return Err(Self::error(Error::NotDivisible));
        }
        let extra = u32::from(first < start).saturating_add(u32::from(end < range.end));
        let ranges = bill
            .ranges
            .checked_add(extra)
            .ok_or(ArithmeticError::Overflow)?;
        if ranges > T::MAX_RANGES {
            return Err(Self::error(Error::TooManyRanges));
        }
        if offer.adds_signer() && range.endorsers.len() >= T::MAX_CHAIN as usize {
            return Err(Self::error(Error::ChainTooLong));
        }
        if let Offer::Discount(price) = offer {
            if price == 0 || price > Self::amount(start, end)? {
                return Err(Self::error(Error::InvalidPrice));
            }
        }
        if let Offer::Pledge(secured) = offer {
            if secured == 0 || secured > Self::amount(start, end)? {
                return Err(Self::error(Error::InvalidSecuredAmount));
            }
        }
        Self::ensure_room(id, Self::offer_room())?;
        let deadline = Self::deadline(T::OFFER_WINDOW)?;

        let (state, event) = match offer {
            Offer::Endorsement => (
                RangeState::EndorsementPending { to, deadline },
                Event::EndorsementOffered {
                    bill: id,
                    start,
                    end,
                    from: who,
                    to,
                },
            ),
            Offer::Collection => (
                RangeState::CollectionPending {
                    agent: to,
                    deadline,
                },
                Event::CollectionOffered {
                    bill: id,
                    start,
                    end,
                    from: who,
                    agent: to,
                },
            ),
            Offer::Discount(price) => (
                RangeState::DiscountPending {
                    financier: to,
                    price,
                    deadline,
                },
                Event::DiscountOffered {
                    bill: id,
                    start,
                    end,
                    from: who,
                    financier: to,
                    price,
                },
            ),
            Offer::Pledge(secured) => (
                RangeState::PledgePending {
                    pledgee: to,
                    secured,
                    deadline,
                },
                Event::PledgeOffered {
                    bill: id,
                    start,
                    end,
                    from: who,
                    pledgee: to,
                    secured,
                },
            ),
        };
        if first < start {
            let before = BillRange {
                end: start,
                ..range.clone()
            };
            Ranges::insert(&id, &first, &before);
        }
        if end < range.end {
            Ranges::insert(&id, &end, &range);
        }
        let offered = BillRange {
            end,
            state,
            ..range
        };
        Ranges::insert(&id, &start, &offered);
        if extra > 0 {
            Self::add_holdings(&who, id, extra);
        }
        Self::involve(&to, id);
        bill.ranges = ranges;
        Bills::insert(&id, &bill);
        Self::record(id, &bill.acceptor, event);
        Ok(())
    }

    fn sign(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        let deadline = match range.state {
            RangeState::EndorsementPending { deadline, .. }
            | RangeState::CollectionPending { deadline, .. }
            | RangeState::PledgePending { deadline, .. } => deadline,
            _ => return Err(Self::error(Error::WrongState)),
        };
        if range.state.counterparty() != Some(who) {
            return Err(Self::error(Error::NotCounterparty));
        }
        if T::now() > deadline {
            return Err(Self::error(Error::DeadlinePassed));
        }
        // Rights pass only while the bill may circulate: an offer made in time is not signed
        // after the presentment period.
        let transfers = !matches!(range.state, RangeState::CollectionPending { .. });
        if transfers && T::now() > Self::presentment_end(&bill)? {
            return Err(Self::error(Error::PresentmentPeriodOver));
        }

        let event = match range.state {
            RangeState::EndorsementPending { to, .. } => {
                let from = range.holder;
                range.endorsers.push(from);
                Self::change_holder(id, &mut range, to);
                range.state = RangeState::Held;
                Event::Endorsed {
                    bill: id,
                    start,
                    from,
                    to,
                }
            }
            RangeState::CollectionPending { agent, .. } => {
                range.state = RangeState::InCollection { agent };
                Event::CollectionMandated {
                    bill: id,
                    start,
                    agent,
                }
            }
            RangeState::PledgePending { secured, .. } => {
                range.state = RangeState::Pledged { pledgee: who };
                range.pledge = Some(Pledge {
                    pledgee: who,
                    secured,
                });
                Event::Pledged {
                    bill: id,
                    start,
                    pledgee: who,
                }
            }
            _ => return Err(Self::error(Error::WrongState)),
        };
        Ranges::insert(&id, &start, &range);
        Self::record(id, &bill.acceptor, event);
        Ok(())
    }

    fn take_discount(origin: Origin, id: BillId, start: Unit, price: Balance) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        let RangeState::DiscountPending {
            financier,
            price: offered,
            deadline,
        } = range.state
        else {
            return Err(Self::error(Error::WrongState));
        };
        if who != financier {
            return Err(Self::error(Error::NotCounterparty));
        }
        if price != offered {
            return Err(Self::error(Error::PriceMismatch));
        }
        if T::now() > deadline {
            return Err(Self::error(Error::DeadlinePassed));
        }
        if T::now() > Self::presentment_end(&bill)? {
            return Err(Self::error(Error::PresentmentPeriodOver));
        }

        let from = range.holder;
        T::Currency::transfer(
            &financier,
            &from,
            price,
            folio_pallet_support::currency::Preservation::Preserve,
        )?;
        range.endorsers.push(from);
        Self::change_holder(id, &mut range, financier);
        range.state = RangeState::Held;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::Discounted {
                bill: id,
                start,
                from,
                financier,
                price,
            },
        );
        Ok(())
    }

    /// The state a range returns to when its pending offer or claim ends without effect.
    fn unwound(state: &RangeState) -> Option<RangeState> {
        match state {
            RangeState::EndorsementPending { .. }
            | RangeState::CollectionPending { .. }
            | RangeState::DiscountPending { .. }
            | RangeState::PledgePending { .. } => Some(RangeState::Held),
            RangeState::RecoursePending { .. } => Some(RangeState::Dishonored),
            _ => None,
        }
    }

    fn reject(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        let next = Self::unwound(&range.state).ok_or_else(|| Self::error(Error::WrongState))?;
        if range.state.counterparty() != Some(who) {
            return Err(Self::error(Error::NotCounterparty));
        }

        range.state = next;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::OfferRejected {
                bill: id,
                start,
                by: who,
            },
        );
        Ok(())
    }

    fn revoke(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        if range.holder != who {
            return Err(Self::error(Error::NotHolder));
        }
        let next = Self::unwound(&range.state).ok_or_else(|| Self::error(Error::WrongState))?;

        range.state = next;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::OfferRevoked {
                bill: id,
                start,
                by: who,
            },
        );
        Ok(())
    }

    fn release(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        let allowed = match range.state {
            RangeState::Pledged { pledgee } => who == pledgee,
            RangeState::InCollection { agent } => who == agent || who == range.holder,
            _ => return Err(Self::error(Error::WrongState)),
        };
        if !allowed {
            return Err(Self::error(Error::NotCounterparty));
        }

        range.state = RangeState::Held;
        range.pledge = None;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::Released {
                bill: id,
                start,
                by: who,
            },
        );
        Ok(())
    }

    fn present(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let range = Self::range(id, start)?;
        let presenter = match presenter(&range) {
            Some(presenter) => presenter,
            None if range.state.is_pending() => return Err(Self::error(Error::Locked)),
            None => return Err(Self::error(Error::WrongState)),
        };
        if who != presenter {
            return Err(Self::error(Error::NotHolder));
        }
        let now = T::now();
        if now < bill.maturity {
            return Err(Self::error(Error::NotMature));
        }
        if now > Self::limitation_end(&bill) {
            return Err(Self::error(Error::RecourseLapsed));
        }
        Self::present_range(id, &bill, start, range, who)
    }

    fn pay(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::delivered_bill(id)?;
        if who != bill.acceptor {
            return Err(Self::error(Error::NotAcceptor));
        }
        let mut range = Self::range(id, start)?;
        let RangeState::PaymentPending { deadline } = range.state else {
            return Err(Self::error(Error::WrongState));
        };
        let amount = Self::owed(start, &range)?;

        let to = range.holder;
        let (from_margin, to_pledgee) = Self::pay_from(&bill, &who, &range, amount)?;
        let pledge = range.pledge.take();
        bill.margin = bill
            .margin
            .checked_sub(from_margin)
            .ok_or(ArithmeticError::Underflow)?;
        range.state = RangeState::Paid;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::Paid {
                bill: id,
                start,
                acceptor: who,
                to,
                amount,
                from_margin,
                on_time: T::now() <= deadline,
            },
        );
        Self::record_pledgee_share(id, &bill, start, pledge, to_pledgee);
        Self::close_if_done(id, &mut bill)?;
        Bills::insert(&id, &bill);
        Ok(())
    }

    fn refuse_payment(
        origin: Origin,
        id: BillId,
        start: Unit,
        reason: DishonourReason,
    ) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        if who != bill.acceptor {
            return Err(Self::error(Error::NotAcceptor));
        }
        let mut range = Self::range(id, start)?;
        if !matches!(range.state, RangeState::PaymentPending { .. }) {
            return Err(Self::error(Error::WrongState));
        }

        range.state = RangeState::Dishonored;
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::PaymentDishonoured {
                bill: id,
                start,
                reason,
            },
        );
        Ok(())
    }

    fn claim_recourse(
        origin: Origin,
        id: BillId,
        start: Unit,
        against: AccountId,
    ) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        // The holder claims, or its pledgee (who collects first from what is paid).
        let pledgee = range.pledge.map(|pledge| pledge.pledgee);
        if range.holder != who && pledgee != Some(who) {
            return Err(Self::error(Error::NotHolder));
        }
        match range.state {
            RangeState::Dishonored => {}
            state if state.is_pending() => return Err(Self::error(Error::Locked)),
            _ => return Err(Self::error(Error::WrongState)),
        }
        if !Self::is_liable(id, start, &bill, &range, &against) {
            return Err(Self::error(Error::NotLiable));
        }
        if T::now() > Self::limitation_end(&bill) {
            return Err(Self::error(Error::RecourseLapsed));
        }
        let deadline = Self::deadline(T::RECOURSE_WINDOW)?;

        range.state = RangeState::RecoursePending { against, deadline };
        Ranges::insert(&id, &start, &range);
        Self::involve(&against, id);
        Self::record(
            id,
            &bill.acceptor,
            Event::RecourseClaimed {
                bill: id,
                start,
                holder: who,
                against,
                deadline,
            },
        );
        Ok(())
    }

    fn pay_recourse(origin: Origin, id: BillId, start: Unit) -> DispatchResult {
        let who = ensure_signed(&origin)?;
        let mut bill = Self::delivered_bill(id)?;
        let mut range = Self::range(id, start)?;
        let RangeState::RecoursePending { against, .. } = range.state else {
            return Err(Self::error(Error::WrongState));
        };
        if who != against {
            return Err(Self::error(Error::NotCounterparty));
        }
        let amount = Self::owed(start, &range)?;

        let to = range.holder;
        let (from_margin, to_pledgee) = Self::pay_from(&bill, &who, &range, amount)?;
        let pledge = range.pledge.take();
        bill.margin = bill
            .margin
            .checked_sub(from_margin)
            .ok_or(ArithmeticError::Underflow)?;
        // A payer liable only by its aval pays as the party it guarantees: it keeps recourse
        // against that party and those liable to it.
        let as_guarantor_of = if Self::is_liable_directly(id, start, &bill, &range, &who) {
            None
        } else {
            Avals::get(&id, &who)
        };
        let settled = who == bill.acceptor;
        // The payer keeps recourse only against the signers before its own first signature
        // (or that of the party it guarantees): everyone after it is discharged.
        let signer = as_guarantor_of.unwrap_or(who);
        let keep = prior_signers(&range.endorsers, &signer).len();
        range.endorsers.truncate(keep);
        Self::change_holder(id, &mut range, who);
        match as_guarantor_of {
            Some(party) => PaidAsGuarantor::insert(&id, &start, &party),
            None => PaidAsGuarantor::remove(&id, &start),
        }
        range.state = if settled {
            RangeState::Settled
        } else {
            RangeState::Dishonored
        };
        Ranges::insert(&id, &start, &range);
        Self::record(
            id,
            &bill.acceptor,
            Event::RecoursePaid {
                bill: id,
                start,
                payer: who,
                to,
                amount,
                from_margin,
                settled,
            },
        );
        Self::record_pledgee_share(id, &bill, start, pledge, to_pledgee);
        Self::close_if_done(id, &mut bill)?;
        Bills::insert(&id, &bill);
        Ok(())
    }

    fn expire(origin: Origin, id: BillId) -> DispatchResult {
        ensure_signed(&origin)?;
        let bill = Self::live_bill(id)?;
        if !Self::has_expired(id, &bill) {
            return Err(Self::error(Error::NothingExpired));
        }
        Self::expire_due(id).map(|_| ())
    }

    fn sweep_expired(origin: Origin, limit: u32) -> DispatchResult {
        ensure_signed(&origin)?;
        Self::sweep(limit);
        Ok(())
    }

    fn freeze(origin: Origin, id: BillId) -> DispatchResult {
        ensure_root(&origin)?;
        let mut bill = Self::bill(id)?;
        if bill.frozen {
            return Err(Self::error(Error::Frozen));
        }
        if bill.is_terminal() {
            return Err(Self::error(Error::WrongState));
        }

        bill.frozen = true;
        bill.frozen_at = T::now();
        Bills::insert(&id, &bill);
        Self::record(id, &bill.acceptor, Event::BillFrozen { bill: id });
        Ok(())
    }

    fn unfreeze(origin: Origin, id: BillId) -> DispatchResult {
        ensure_root(&origin)?;
        let mut bill = Self::bill(id)?;
        if !bill.frozen {
            return Err(Self::error(Error::NotFrozen));
        }

        // Every clock stops while frozen: the deadlines and the presentment period move back
        // by the frozen time, so no party loses a right because the court held the bill.
        let frozen_for = T::now().saturating_sub(bill.frozen_at);
        bill.frozen = false;
        bill.suspended = bill.suspended.saturating_add(frozen_for);
        if let BillState::AcceptancePending { deadline } = bill.state {
            bill.state = BillState::AcceptancePending {
                deadline: deadline.saturating_add(frozen_for),
            };
        }
        for (start, mut range) in Self::ranges_of(id) {
            if range.state.is_pending() {
                range.state = range.state.postponed(frozen_for);
                Ranges::insert(&id, &start, &range);
            }
        }
        Bills::insert(&id, &bill);
        Self::record(id, &bill.acceptor, Event::BillUnfrozen { bill: id });
        Ok(())
    }

    fn guarantee(origin: Origin, id: BillId, for_party: AccountId) -> DispatchResult {
        let guarantor = ensure_signed(&origin)?;
        let bill = Self::live_bill(id)?;
        if !matches!(bill.state, BillState::Accepted | BillState::Delivered) {
            return Err(Self::error(Error::WrongState));
        }
        if guarantor == for_party || !Self::is_signer(id, &bill, &for_party) {
            return Err(Self::error(Error::NotASigner));
        }
        if Avals::contains_key(&id, &guarantor) {
            return Err(Self::error(Error::AlreadyGuarantor));
        }
        let count = AvalCount::get(&id);
        if count >= T::MAX_CHAIN {
            return Err(Self::error(Error::TooManyAvals));
        }
        // An aval starts a new obligation: it is bounded like the other circulation steps.
        Self::ensure_room(id, Self::offer_room())?;

        Avals::insert(&id, &guarantor, &for_party);
        AvalCount::insert(&id, &count.saturating_add(1));
        Self::involve(&guarantor, id);
        Self::record(
            id,
            &bill.acceptor,
            Event::Guaranteed {
                bill: id,
                guarantor,
                for_party,
            },
        );
        Ok(())
    }
}
