//! Secondary trades, delivery-versus-payment: a holder offers shares of a class at a price
//! (to one named buyer, or to anyone the class's transfer rules admit); a buyer accepts all
//! or part of the offer and, in that one extrinsic, pays the seller and receives the shares,
//! or nothing happens.
//!
//! The offered shares stay in the seller's balance (they count for dividends and votes until
//! sold) but are set aside in [`OfferedShares`]: no transfer, redemption or second offer can
//! use them, so an offer is always backed. The buyer's money is not held in advance: it moves
//! from the buyer's free balance only on acceptance, so no hold exists that the buyer could
//! make unmovable (docs/decisions/0003). The class's rules apply at acceptance: the seller's
//! shares must be unlocked and vested, the buyer must hold a valid claim (of an admitted
//! category) if the class asks one, and the holder limit holds. A forced transfer (a court
//! order) that takes offered shares cuts the seller's offers, newest first.

use crate::types::*;
use crate::{Config, Error, Event, NextOfferId, OfferedShares, Offers, OpenOffers, Pallet, Shares};
use folio_pallet_support::currency::{Currency, Preservation};
use folio_pallet_support::prelude::*;

impl<T: Config> Pallet<T> {
    /// A holder offers `amount` free shares of `class` at `price` each, to `buyer` only if
    /// named.
    pub(crate) fn offer_shares(
        origin: Origin,
        class: ClassId,
        amount: ShareAmount,
        price: Balance,
        buyer: Option<AccountId>,
    ) -> DispatchResult {
        let seller = ensure_signed(&origin)?;
        Self::share_class(class)?;
        Self::ensure(
            amount > 0 && price > 0 && buyer != Some(seller),
            Error::InvalidOffer,
        )?;
        let offered = OfferedShares::get(&class, &seller).unwrap_or(0);
        Self::ensure_free_to_move(class, &seller, amount, offered)?;
        let mut open = OpenOffers::get(&seller);
        Self::ensure(
            open.len() < T::MAX_OPEN_OFFERS as usize,
            Error::TooManyOffers,
        )?;
        let offered = offered
            .checked_add(amount)
            .ok_or(ArithmeticError::Overflow)?;
        let offer = Self::peek_id::<NextOfferId>()?;
        Self::bump_id::<NextOfferId>(offer);
        Offers::insert(
            &offer,
            &Offer {
                share_class: class,
                seller,
                buyer,
                amount,
                price,
            },
        );
        OfferedShares::insert(&class, &seller, &offered);
        open.push(offer);
        OpenOffers::insert(&seller, &open);
        Self::deposit_event(Event::SharesOffered {
            offer,
            share_class: class,
            seller,
            buyer,
            amount,
            price,
        });
        Ok(())
    }

    /// The caller buys `amount` (all that is left if `None`) of an offer: pays the seller
    /// `amount × price` and receives the shares.
    pub(crate) fn accept_offer(
        origin: Origin,
        id: OfferId,
        amount: Option<ShareAmount>,
    ) -> DispatchResult {
        let buyer = ensure_signed(&origin)?;
        let mut offer = Offers::get(&id).ok_or_else(|| Self::error(Error::UnknownOffer))?;
        Self::ensure(
            offer.buyer.is_none_or(|named| named == buyer),
            Error::NotOfferBuyer,
        )?;
        let amount = amount.unwrap_or(offer.amount);
        Self::ensure(
            amount > 0 && amount <= offer.amount && buyer != offer.seller,
            Error::InvalidOffer,
        )?;
        let class = offer.share_class;
        let share_class = Self::share_class(class)?;
        // The offered shares themselves must be free to move now (a lockup or a schedule
        // Root set since the offer delays the sale).
        Self::ensure_free_to_move(class, &offer.seller, amount, 0)?;
        Self::ensure_may_receive(class, &share_class, &buyer)?;
        Self::ensure_room_for_buyer(class, &share_class, &offer.seller, &buyer, amount)?;
        let paid = amount
            .checked_mul(offer.price)
            .ok_or(ArithmeticError::Overflow)?;
        let offered = OfferedShares::get(&class, &offer.seller)
            .unwrap_or(0)
            .checked_sub(amount)
            .ok_or(ArithmeticError::Underflow)?;
        // Payment first: it either moves in full or fails and changes nothing. What follows
        // was checked above, so the shares move with the money.
        T::Currency::transfer(&buyer, &offer.seller, paid, Preservation::Preserve)?;
        Self::move_shares(class, share_class, offer.seller, buyer, amount)?;
        offer.amount = offer.amount.saturating_sub(amount);
        Self::store_offered(class, &offer.seller, offered);
        Self::store_offer(id, &offer);
        Self::deposit_event(Event::OfferAccepted {
            offer: id,
            share_class: class,
            seller: offer.seller,
            buyer,
            amount,
            paid,
            remaining: offer.amount,
        });
        Ok(())
    }

    /// The seller takes back what is left of an offer.
    pub(crate) fn withdraw_offer(origin: Origin, id: OfferId) -> DispatchResult {
        let seller = ensure_signed(&origin)?;
        let mut offer = Offers::get(&id).ok_or_else(|| Self::error(Error::UnknownOffer))?;
        Self::ensure(offer.seller == seller, Error::NotOfferSeller)?;
        let class = offer.share_class;
        let offered = OfferedShares::get(&class, &seller)
            .unwrap_or(0)
            .checked_sub(offer.amount)
            .ok_or(ArithmeticError::Underflow)?;
        let amount = offer.amount;
        offer.amount = 0;
        Self::store_offered(class, &seller, offered);
        Self::store_offer(id, &offer);
        Self::deposit_event(Event::OfferWithdrawn {
            offer: id,
            share_class: class,
            seller,
            amount,
            remaining: 0,
        });
        Ok(())
    }

    /// The holder limit admits the buyer: a new holder needs a place unless the seller sells
    /// out (then the buyer takes the seller's).
    fn ensure_room_for_buyer(
        class: ClassId,
        share_class: &ShareClass,
        seller: &AccountId,
        buyer: &AccountId,
        amount: ShareAmount,
    ) -> DispatchResult {
        let buyer_is_new = Shares::get(&class, buyer).is_none_or(|account| account.balance == 0);
        let seller_sells_out =
            Shares::get(&class, seller).is_some_and(|account| account.balance == amount);
        if buyer_is_new && !seller_sells_out {
            let holders = share_class
                .holders
                .checked_add(1)
                .ok_or(ArithmeticError::Overflow)?;
            Self::ensure_holder_room(share_class, holders)?;
        }
        Ok(())
    }

    /// After a forced transfer left `who` with `balance` shares of `class`: offers beyond it
    /// are cut, newest first, so every open offer stays backed.
    pub(crate) fn cut_offers_to_balance(class: ClassId, who: &AccountId, balance: ShareAmount) {
        let offered = OfferedShares::get(&class, who).unwrap_or(0);
        let mut excess = offered.saturating_sub(balance);
        if excess == 0 {
            return;
        }
        for id in OpenOffers::get(who).iter().rev() {
            if excess == 0 {
                break;
            }
            let Some(mut offer) = Offers::get(id).filter(|offer| offer.share_class == class) else {
                continue;
            };
            let cut = excess.min(offer.amount);
            excess = excess.saturating_sub(cut);
            offer.amount = offer.amount.saturating_sub(cut);
            Self::store_offer(*id, &offer);
            Self::deposit_event(Event::OfferWithdrawn {
                offer: *id,
                share_class: class,
                seller: *who,
                amount: cut,
                remaining: offer.amount,
            });
        }
        Self::store_offered(class, who, offered.min(balance));
    }

    /// Writes a seller's offered shares of a class (no entry for zero).
    fn store_offered(class: ClassId, seller: &AccountId, offered: ShareAmount) {
        if offered == 0 {
            OfferedShares::remove(&class, seller);
        } else {
            OfferedShares::insert(&class, seller, &offered);
        }
    }

    /// Writes an offer, or removes it (and its place in the seller's list) once nothing is
    /// left of it.
    fn store_offer(id: OfferId, offer: &Offer) {
        if offer.amount > 0 {
            Offers::insert(&id, offer);
            return;
        }
        Offers::remove(&id);
        let mut open = OpenOffers::get(&offer.seller);
        open.retain(|other| *other != id);
        if open.is_empty() {
            OpenOffers::remove(&offer.seller);
        } else {
            OpenOffers::insert(&offer.seller, &open);
        }
    }
}
